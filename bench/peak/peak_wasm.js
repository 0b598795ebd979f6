// Run the wasm SIMD peak kernel (bench/out/bin/peak_wasm.wasm) in Node: prints one JSON line.
//   node bench/peak/peak_wasm.js WASM_FILE [ITERS]
'use strict';
const fs = require('fs');

function measure(bytes, iters, now) {
  const mod = new WebAssembly.Module(bytes);
  const inst = new WebAssembly.Instance(mod, {});
  const k = inst.exports.kernel;
  // warm up: several calls so V8 tiers the function up to TurboFan (no OSR for wasm)
  for (let i = 0; i < 5; i++) k(Math.floor(iters / 20), 1);
  const trials = [];
  for (let t = 0; t < 7; t++) {
    const t0 = now();
    k(iters, 1 + t);
    const dt = (now() - t0) / 1000;
    trials.push(iters * 24 * 4 / dt / 1e9);
  }
  return { kind: 'wasm-simd-muladd', what: '6 f32x4.mul + 6 f32x4.add independent chains',
    gflops: Math.max(...trials), trials: trials.map((x) => Number(x.toFixed(3))) };
}

if (require.main === module) {
  const bytes = fs.readFileSync(process.argv[2]);
  const iters = Number(process.argv[3] || 20000000);
  const now = () => Number(process.hrtime.bigint()) / 1e6;
  console.log(JSON.stringify(Object.assign(measure(bytes, iters, now), { env: 'node ' + process.version })));
}
module.exports = { measure };
