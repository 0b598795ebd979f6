// One JavaScript contender in Node:  node bench/node_bench.js --which ours-simd|ours-scalar|
//   tfjs-cpu|tfjs-wasm|convnetjs --hidden 64,32,128 --epochs 20 --runs 5 --out FILE [--peak-bin PEAK_SSE] [--native-bin BENCH_NATIVE]
'use strict';
const path = require('path');
const { execFileSync } = require('child_process');
const { ROOT, OUT, readDigits, readSplit, nowMs, writeJSON, args } = require('./lib/node-data.js');
const Peers = require('./lib/peers.js');

async function setup(which) {
  if (which === 'ours-simd' || which === 'ours-scalar') {
    const NNMath = require(path.join(ROOT, 'web', 'js', 'nnmath.js'));
    const core = await NNMath.load({ simd: which === 'ours-simd', coreDir: path.join(ROOT, 'build-wasm') });
    if (core.simd !== (which === 'ours-simd')) throw new Error('wrong core loaded');
    return { run: (d, s, o) => Peers.runOurs(core, d, s, o), version: 'build-wasm/' + (core.simd ? 'nnmath-core-simd.js' : 'nnmath-core-scalar.js'), core };
  }
  if (which === 'tfjs-cpu' || which === 'tfjs-wasm') {
    const tf = require('@tensorflow/tfjs');
    let info = {};
    if (which === 'tfjs-wasm') {
      const wasm = require('@tensorflow/tfjs-backend-wasm');
      const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
      wasm.setWasmPaths(dir);
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // one thread, like every contender
      await tf.setBackend('wasm');
    } else {
      await tf.setBackend('cpu');
    }
    await tf.ready();
    if (which === 'tfjs-wasm') {
      info = { simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), threads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') };
      if (!info.simd) throw new Error('TF.js wasm backend runs without SIMD');
    }
    return { run: (d, s, o) => Peers.runTfjs(tf, d, s, o), version: tf.version.tfjs, backend: tf.getBackend(), info };
  }
  if (which === 'convnetjs') {
    const convnetjs = require('convnetjs');
    return { run: (d, s, o) => Peers.runConvnet(convnetjs, d, s, o), version: require('convnetjs/package.json').version };
  }
  throw new Error('unknown contender ' + which);
}

(async () => {
  const a = args();
  const which = a.which;
  const hidden = String(a.hidden || '64').split(',').map(Number);
  const epochs = Number(a.epochs || 20), runs = Number(a.runs || 5);
  const data = readDigits(), split = readSplit();
  const s = await setup(which);
  const results = {};
  for (const H of hidden) {
    const t0 = nowMs();
    // Our SIMD core only: --peak-bin FILE runs the peak kernel (bench/peak/peak_sse.c), and
    // --native-bin FILE one run of our native build (bench/bench_native.c) of the same network,
    // just before and just after each run; report.js sets each run against those two.
    const opts = { hidden: H, epochs, runs, now: nowMs, paired: {} };
    if (a['peak-bin'] && which === 'ours-simd')
      opts.paired.peak = () => JSON.parse(execFileSync(a['peak-bin'], { encoding: 'utf8' })).gflops;
    if (a['native-bin'] && which === 'ours-simd')
      opts.paired.native = () => {
        const rows = path.join(OUT, 'split-native-paired.txt');
        const r = JSON.parse(execFileSync(a['native-bin'], [path.join(ROOT, 'data', 'digits.csv'), rows, String(H), String(epochs), '1'], { encoding: 'utf8' }));
        return Peers.median(r.runs[0].epochMs.slice(1));
      };
    const r = s.run(data, split, opts);
    results[H] = r;
    const med = Peers.median(r.runs.map((x) => Peers.median(x.epochMs.slice(1))));
    console.log(`  ${which} 64,${H},10: ${med.toFixed(3)} ms/epoch (median), test acc ${r.runs[0].testAcc.toFixed(4)}, ` +
      `${((nowMs() - t0) / 1000).toFixed(1)} s`);
  }
  writeJSON(a.out, { which, env: 'node ' + process.version, version: s.version, backend: s.backend, info: s.info,
    epochs, runs, trainCount: split.train.length, results });
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
