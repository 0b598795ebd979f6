/* bench/browser/bench.js — window.NNBench, driven by bench/browser_bench.js through Playwright.
 * Each call runs in a fresh page.  Everything returns plain JSON. */
(function () {
  'use strict';
  var P = window.NNBenchPeers;
  function now() { return performance.now(); }
  function digits() { return NNMath.decodeDigits(window.NNMATH_DIGITS); }

  async function core(simd) {
    var c = await NNMath.load({simd: simd, coreDir: '/build-wasm/'});
    if (c.simd !== simd) throw new Error('wrong core loaded');
    return c;
  }

  async function tfjs(backend) {
    if (backend === 'wasm') {
      tf.wasm.setWasmPaths('/bench/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // one thread, like every contender
    }
    await tf.setBackend(backend);
    await tf.ready();
    var info = {backend: tf.getBackend(), version: tf.version.tfjs};
    if (backend === 'wasm') {
      info.simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
      info.threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
      if (!info.simd) throw new Error('TF.js wasm backend runs without SIMD');
    }
    return info;
  }

  // kind: ours-simd | ours-scalar | tfjs-cpu | tfjs-wasm | convnetjs
  async function train(kind, opts, split) {
    var d = digits(), o = {hidden: opts.hidden, epochs: opts.epochs, runs: opts.runs, now: now}, r, info = {};
    if (kind === 'ours-simd' || kind === 'ours-scalar') {
      r = P.runOurs(await core(kind === 'ours-simd'), d, split, o);
    } else if (kind === 'tfjs-cpu' || kind === 'tfjs-wasm') {
      info = await tfjs(kind === 'tfjs-wasm' ? 'wasm' : 'cpu');
      r = P.runTfjs(tf, d, split, o);
    } else if (kind === 'convnetjs') {
      r = P.runConvnet(convnetjs, d, split, o);
    } else throw new Error('unknown ' + kind);
    r.info = info;
    return r;
  }

  // The lesson's "Improved" preset (web/js/page/state.js): 64,32,10 ReLU, softmax, xent, SGD lr 0.1,
  // batch 32, 30 epochs, seed 1.  Training time only (trainEpoch calls) until test accuracy >= target.
  async function improved(target) {
    var c = await core(true);
    var cfg = {layers: [64, 32, 10], activation: 'relu', output: 'softmax', cost: 'xent', optimizer: 'sgd',
      lr: 0.1, momentum: 0.9, batch: 32, seed: 1};
    P.oursTimeToAccuracy(c, digits(), cfg, target, 3, now); // warm-up (tier-up)
    return P.oursTimeToAccuracy(c, digits(), cfg, target, 30, now);
  }

  // The landscape page's defaults (web/js/landscape/landscape-page.js, landscape.js): the Improved
  // network after 3 epochs, a 31×31 grid on the first 500 training rows.  Falls back to a proxy
  // (set the parameters from JS, net.cost('train')) when the wrapper has no net.landscape.
  async function landscape(opts) {
    var c = await core(true);
    var cfg = {layers: [64, 32, 10], activation: 'relu', output: 'softmax', cost: 'xent', optimizer: 'sgd',
      lr: 0.1, batch: 32, seed: 1};
    var r = await P.oursLandscape(c, digits(), cfg, 3, opts, now);
    if (r) { r.kind = 'net.landscape'; return r; }
    P.oursLandscapeProxy(c, digits(), cfg, 1, 5, now); // warm-up
    r = P.oursLandscapeProxy(c, digits(), cfg, 3, opts.size, now);
    r.kind = 'proxy';
    return r;
  }

  async function peak(iters) {
    var bytes = await (await fetch('/bench/out/bin/peak_wasm.wasm')).arrayBuffer();
    var mod = new WebAssembly.Module(bytes), k = new WebAssembly.Instance(mod, {}).exports.kernel;
    for (var i = 0; i < 5; i++) k(Math.floor(iters / 20), 1);
    var trials = [];
    for (var t = 0; t < 7; t++) {
      var t0 = now();
      k(iters, 1 + t);
      trials.push(iters * 24 * 4 / ((now() - t0) / 1000) / 1e9);
    }
    return {kind: 'wasm-simd-muladd', gflops: Math.max.apply(null, trials), trials: trials};
  }

  window.NNBench = {train: train, improved: improved, landscape: landscape, peak: peak,
    timerResolutionHint: crossOriginIsolated ? '5 us (cross-origin isolated)' : '100 us'};
})();
