// The page's per-epoch evaluation, the two ways (wasm SIMD in Node, median of 40):
//   before: evaluate('train'), evaluate('test'), then predict() once per test digit;
//   after:  evaluate('train'), evaluate('test', {outputs: true}).
// node bench/eval_epoch.js   (needs build-wasm/: make wasm)
'use strict';
const path = require('path');
const ROOT = path.join(__dirname, '..');
const NNMath = require(path.join(ROOT, 'web', 'js', 'nnmath.js'));

(async () => {
  const core = await NNMath.load({ simd: true, coreDir: path.join(ROOT, 'build-wasm') });
  const d = NNMath.decodeDigits(require(path.join(ROOT, 'build-wasm', 'digits-data.js')));
  const ds = core.dataset({ pixels: d.pixels, labels: d.labels });
  ds.split({ testFraction: 0.2, seed: 1 });
  const rows = ds.rows('test');
  const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1].toFixed(2);
  for (const layers of [[64, 32, 10], [64, 8, 10], [64, 128, 128, 128, 128, 10]]) {
    const net = core.network({ layers, activation: 'relu', cost: 'xent', lr: 0.1, batch: 32 }, ds);
    net.trainSteps(3);
    const before = [], after = [];
    for (let k = 0; k < 40; k++) {
      let t = performance.now();
      net.evaluate('train'); net.evaluate('test');
      for (let i = 0; i < rows.length; i++) net.predict(d.pixels.subarray(rows[i] * 64, rows[i] * 64 + 64));
      before.push(performance.now() - t);
      t = performance.now();
      net.evaluate('train'); net.evaluate('test', { outputs: true });
      after.push(performance.now() - t);
    }
    console.log(`${layers.join(',')}: ${med(before)} ms with one predict() per test digit, ${med(after)} ms with evaluate(set, {outputs: true})`);
    net.dispose();
  }
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
