// A/B of two builds of our wasm SIMD core in one Node process (not part of `make bench`):
//   node bench/ab_cores.js DIR_A DIR_B [ROUNDS=10] [HIDDEN=64]
// DIR_A, DIR_B: folders holding nnmath-core-simd.js (for example build-wasm/ of two git worktrees,
// each after `make wasm`).  Each round trains a fresh 64,HIDDEN,10 network (the bench's task: ReLU,
// softmax + cross-entropy, SGD lr 0.1, batch 32, seed 1, 20 epochs) with A then B (B then A in odd
// rounds), so that both see the same spells of a machine whose speed varies.  Prints, for each, the
// median over rounds 2.. of each round's median epoch (epochs 2..20), the fastest round, every
// round, and the test accuracies (the same bits give the same accuracy).
'use strict';
const path = require('path');
const { ROOT, readDigits } = require('./lib/node-data.js');
const NNMath = require(path.join(ROOT, 'web', 'js', 'nnmath.js'));

function median(a) { const s = a.slice().sort((x, y) => x - y); return s[s.length >> 1]; }

(async () => {
  const [dirA, dirB] = process.argv.slice(2, 4);
  if (!dirA || !dirB) { console.error('usage: node bench/ab_cores.js DIR_A DIR_B [ROUNDS] [HIDDEN]'); process.exit(2); }
  const rounds = Number(process.argv[4] || 10), H = Number(process.argv[5] || 64);
  const cores = [await NNMath.load({ simd: true, coreDir: path.resolve(dirA) }),
    await NNMath.load({ simd: true, coreDir: path.resolve(dirB) })];
  const data = readDigits();
  const ms = [[], []], acc = [new Set(), new Set()];
  for (let r = 0; r < rounds; r++) {
    for (const k of (r & 1) ? [1, 0] : [0, 1]) {
      const ds = cores[k].dataset({ pixels: data.pixels, labels: data.labels, scale: 'unit' });
      ds.split({ testFraction: 0.2, seed: 1 });
      const net = cores[k].network({ layers: [64, H, 10], activation: 'relu', output: 'softmax', cost: 'xent',
        optimizer: 'sgd', lr: 0.1, batch: 32, seed: 1, shuffle: true }, ds);
      const ep = [];
      for (let e = 0; e < 20; e++) { const t0 = performance.now(); net.trainEpoch(); ep.push(performance.now() - t0); }
      ms[k].push(median(ep.slice(1)));
      acc[k].add(net.evaluate('test').accuracy);
      net.dispose(); ds.dispose();
    }
  }
  ['A', 'B'].forEach((name, k) => {
    const rest = ms[k].slice(1); // round 1 includes V8's optimisation of the core
    console.log(`${name} (${[dirA, dirB][k]}): median ${median(rest).toFixed(3)} ms/epoch, fastest round ${Math.min(...rest).toFixed(3)}; ` +
      `rounds ${ms[k].map((x) => x.toFixed(2)).join(' ')}; test accuracy ${[...acc[k]].map((x) => (100 * x).toFixed(2) + '%').join(', ')}`);
  });
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
