// bench/report.js: the paired speed figures (each wasm SIMD run against the peak kernel and our
// native build measured just before and after it) and the targets that follow them.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const R = require('../bench/report.js');

const FLOPS = R.flopsPerEpoch(64, 1438).total; // 30.08 MFLOP
// a run whose epochs 2..20 all take `ms` (epoch 1, the warm-up, takes 10× as long)
function run(ms, extra) {
  return Object.assign({ epochMs: [ms * 10].concat(Array(19).fill(ms)), testAcc: 0.96, trainAcc: 0.98 }, extra);
}
function results(simdRuns, nativeMs, peak) {
  return {
    trainCount: 1438, protocol: { hidden: [64] }, peak: { sse: { gflops: peak } },
    contenders: { 'ours-simd': { results: { 64: { runs: simdRuns } } }, native: { results: { 64: { runs: [run(nativeMs)] } } } },
  };
}
const target = (b, start) => b.targets.find((t) => t.name.startsWith(start));

test('paired shares: each run against the higher of its two peaks, the median of the runs', () => {
  const p = R.pairedShares({ runs: [run(2, { peakBefore: 40, peakAfter: 30 }), run(1.5, { peakBefore: 20, peakAfter: 40 }),
    run(1, { peakBefore: 40, peakAfter: 40 })] }, FLOPS);
  const share = (ms, peak) => FLOPS / (ms / 1000) / 1e9 / peak;
  assert.deepStrictEqual(p.runs.map((x) => x.peak), [40, 40, 40]);
  assert.ok(Math.abs(p.share - share(1.5, 40)) < 1e-12, `median share ${p.share}`);
  assert.strictEqual(R.pairedShares({ runs: [run(2)] }, FLOPS), null, 'unpaired runs give no paired share');
  assert.strictEqual(R.pairedShares({ runs: [run(2, { peakBefore: 40 })] }, FLOPS), null, 'half a pair is no pair');
});

test('paired native ratio: each run against the faster of its two native runs', () => {
  const p = R.pairedNative({ runs: [run(2.6, { nativeBefore: 2, nativeAfter: 1.3 }), run(2, { nativeBefore: 1.9, nativeAfter: 2 }),
    run(4, { nativeBefore: 1, nativeAfter: 1.2 })] });
  assert.deepStrictEqual(p.runs.map((x) => x.native), [1.3, 1.9, 1]);
  assert.ok(Math.abs(p.ratio - 2) < 1e-12, `median ratio ${p.ratio}`); // 2.6/1.3 = 2, 2/1.9, 4
});

test('the targets follow the paired figures when the runs are paired, the unpaired ones otherwise', () => {
  // unpaired: 2 ms against a native step of 1.25 ms (1.6×) and a peak step of 45 GFLOP/s (33%);
  // paired: the machine was slow around the wasm runs (native 1.9 ms, peak 28 GFLOP/s)
  const paired = { nativeBefore: 1.9, nativeAfter: 1.95, peakBefore: 28, peakAfter: 27 };
  let b = R.build(results([run(2, paired), run(2, paired), run(2, paired)], 1.25, 45));
  assert.strictEqual(target(b, 'wasm SIMD (Node) within 1.3×').status, 'met', target(b, 'wasm SIMD (Node) within 1.3×').detail);
  assert.match(target(b, 'wasm SIMD (Node) within 1.3×').detail, /^paired: 1\.05×/);
  assert.strictEqual(target(b, 'wasm SIMD (Node) ≥ 50%').status, 'met', target(b, 'wasm SIMD (Node) ≥ 50%').detail);
  assert.match(target(b, 'wasm SIMD (Node) ≥ 50%').detail, /unpaired: .* = 33\.\d%/);
  // the same runs without pairs: both missed, on the unpaired figures
  b = R.build(results([run(2), run(2), run(2)], 1.25, 45));
  assert.strictEqual(target(b, 'wasm SIMD (Node) within 1.3×').status, 'missed');
  assert.strictEqual(target(b, 'wasm SIMD (Node) ≥ 50%').status, 'missed');
  assert.doesNotMatch(target(b, 'wasm SIMD (Node) ≥ 50%').detail, /^paired/);
  // and pairs can miss where the unpaired figures would pass
  const fast = { nativeBefore: 1, nativeAfter: 1.1, peakBefore: 60, peakAfter: 50 };
  b = R.build(results([run(1.4, fast), run(1.4, fast), run(1.4, fast)], 1.25, 40));
  assert.strictEqual(target(b, 'wasm SIMD (Node) within 1.3×').status, 'missed'); // 1.4 / 1 = 1.4×
  assert.strictEqual(target(b, 'wasm SIMD (Node) ≥ 50%').status, 'missed'); // 21.5 of 60 GFLOP/s
});
