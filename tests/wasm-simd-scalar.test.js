// The SIMD and the scalar builds both load and compute the same numbers
// (within float tolerance): training, evaluation, trace and predict.
'use strict';

const test = require('node:test');
const assert = require('assert/strict');
const { loadCore, digitsDataset, close } = require('./wasm-helpers.js');

const TOL = 1e-5;

function allClose(a, b, where) {
  assert.equal(a.length, b.length, where);
  for (let i = 0; i < a.length; i++) {
    if (!close(a[i], b[i], TOL, 1e-3)) assert.fail(`${where}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

function run(core, cfg) {
  const ds = digitsDataset(core, { seed: 2 });
  const net = core.network(cfg, ds);
  const out = { costs: [] };
  for (let e = 0; e < 3; e++) {
    net.trainEpoch();
    const r = net.evaluate('test');
    out.costs.push(net.evaluate('train').cost, r.cost);
    out.confusion = Array.from(r.confusion);
  }
  out.params = net.params.slice();
  out.trace = net.trace(5);
  out.tracePixels = net.trace(ds.pixels(9), { label: 4 });
  out.predict = net.predict(ds.pixels(11));
  net.dispose();
  ds.dispose();
  return out;
}

for (const cfg of [
  { layers: [64, 48, 10], activation: 'relu', cost: 'xent', lr: 0.1, batch: 32, seed: 5 },
  { layers: [64, 20, 12, 10], activation: 'tanh', cost: 'mse', output: 'identity', optimizer: 'adam', lr: 0.005, momentum: 0.9, batch: 64, seed: 9 },
]) {
  test(`SIMD and scalar agree: ${cfg.layers.join(',')} ${cfg.activation} ${cfg.optimizer || 'sgd'}`, async () => {
    const simd = await loadCore('simd');
    const scalar = await loadCore('scalar');
    assert.equal(simd.simd, true);
    assert.equal(scalar.simd, false);
    const a = run(simd, cfg), b = run(scalar, cfg);
    allClose(a.costs, b.costs, 'costs');
    allClose(a.params, b.params, 'params');
    allClose(a.predict, b.predict, 'predict');
    for (const key of ['trace', 'tracePixels']) {
      const ta = a[key], tb = b[key];
      assert.equal(ta.predicted, tb.predicted);
      assert.ok(close(ta.cost, tb.cost, TOL, 1e-3));
      ta.layers.forEach((la, l) => {
        for (const f of ['W', 'b', 'input', 'z', 'a', 'delta', 'dW', 'db']) allClose(la[f], tb.layers[l][f], `${key} layer ${l} ${f}`);
      });
    }
  });
}
