// The lesson's accuracy claims, through the JS API (SIMD build).
// Data: all digits, scale unit, split 0.2 with the network's seed (like the CLI).
//
// MEASURED (seed 1, identical in native and wasm): improved 64,32,10 -> 96.4%,
// 64,8,10 -> 95.0% (341/359), simple -> 27.3%.  The 97% for the
// improved network holds on some splits only (11 of seeds 1..30; mean 96.6%);
// tests/cli/accuracy.sh checks the ten-seed mean natively and the README
// reports the spread.  These tests check seed 1 through the JS API.
'use strict';

const test = require('node:test');
const assert = require('assert/strict');
const { loadCore, digitsDataset } = require('./wasm-helpers.js');

const results = new Map();
async function train(name, cfg, epochs) {
  if (results.has(name)) return results.get(name);
  const core = await loadCore('simd');
  const ds = digitsDataset(core, { seed: cfg.seed, testFraction: 0.2 });
  const net = core.network(cfg, ds);
  for (let e = 0; e < epochs; e++) net.trainEpoch();
  assert.equal(net.epoch, epochs);
  const r = net.evaluate('test');
  assert.equal(r.count, 359);
  // The confusion matrix adds up.
  assert.equal(r.confusion.reduce((s, v) => s + v, 0), r.count);
  let diag = 0;
  for (let c = 0; c < 10; c++) diag += r.confusion[c * 11];
  assert.equal(diag, r.correct);
  assert.ok(Math.abs(r.accuracy - r.correct / r.count) < 1e-6);
  net.dispose();
  ds.dispose();
  results.set(name, r);
  return r;
}

const IMPROVED = { layers: [64, 32, 10], activation: 'relu', output: 'softmax', cost: 'xent', optimizer: 'sgd', lr: 0.1, batch: 32, seed: 1 };
const NARROW = { ...IMPROVED, layers: [64, 8, 10] };
const SIMPLE = { layers: [64, 8, 10], activation: 'sigmoid', output: 'sigmoid', cost: 'mse', optimizer: 'sgd', lr: 0.1, batch: 32, seed: 1 };

test('simple: 64,8,10 sigmoid, sigmoid output, mse, sgd 0.1, batch 32, 10 epochs -> < 60%', async () => {
  const core = await loadCore('simd');
  // The defaults are the simple network.
  assert.deepEqual(core.normalizeConfig({}), { ...SIMPLE, momentum: 0.9, weightDecay: 0, shuffle: true });
  const r = await train('simple', SIMPLE, 10);
  assert.ok(r.accuracy < 0.6, `test accuracy ${r.accuracy}`);
});

test('improved (64,32,10 relu softmax xent, sgd 0.1, batch 32, 30 epochs) >= 96% and beats 64,8,10 (>= 94.5%), which beats simple', async () => {
  const improved = await train('improved', IMPROVED, 30);
  const narrow = await train('narrow', NARROW, 30);
  const simple = await train('simple', SIMPLE, 10);
  assert.ok(improved.accuracy >= 0.96, `improved: test accuracy ${improved.accuracy}`);
  assert.ok(narrow.accuracy >= 0.945, `64,8,10: test accuracy ${narrow.accuracy}`);
  assert.ok(improved.accuracy > narrow.accuracy && narrow.accuracy > simple.accuracy + 0.3);
});
