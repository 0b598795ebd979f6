// Backpropagation, step by step (web/js/backprop/backprop-math.js) through the JS API:
// the gradients the view displays (the core's trace: ∂C/∂W, ∂C/∂b, δ) equal central finite
// differences of the digit's cost, computed by perturbing one parameter through net.params and
// tracing again; the view's own recomputations (δ_L from the formulas, δ carried back through
// Wᵀ and f′(z), the chain rule of one weight) agree with the core; the update lowers the
// digit's cost; the pure helpers (steps, palette, formatting) behave.
'use strict';

const test = require('node:test');
const assert = require('assert/strict');
const { loadCore, digitsDataset } = require('./wasm-helpers.js');
const B = require('../web/js/backprop/backprop-math.js');

const PRESETS = {
  improved: { layers: [64, 32, 10], activation: 'relu', output: 'softmax', cost: 'xent', optimizer: 'sgd', lr: 0.1, batch: 32, seed: 1 },
  simple: { layers: [64, 8, 10], activation: 'sigmoid', output: 'sigmoid', cost: 'mse', optimizer: 'sgd', lr: 0.1, batch: 32, seed: 1 },
  tanhSoftmaxMse: { layers: [64, 16, 12, 10], activation: 'tanh', output: 'softmax', cost: 'mse', optimizer: 'sgd', lr: 0.1, batch: 32, seed: 2 },
  identity: { layers: [64, 10, 10], activation: 'sigmoid', output: 'identity', cost: 'mse', optimizer: 'sgd', lr: 0.05, batch: 32, seed: 3 },
};

const FD_H = 1e-2; // the view's nudge
// float32 costs: the central difference has ~1e-5 of rounding noise; plus curvature (h²)
const tolerance = (g) => 3e-4 + 1e-2 * Math.abs(g);

async function setup(name, epochs = 1) {
  const core = await loadCore('simd');
  const ds = digitsDataset(core);
  const net = core.network(PRESETS[name], ds);
  for (let e = 0; e < epochs; e++) net.trainEpoch();
  return { core, ds, net };
}

/** Weights of layer l to check: the largest gradients, plus a spread of others, away from ReLU kinks. */
function pickWeights(m, l, count) {
  const ly = m.layers[l - 1], idx = [];
  const order = Array.from(ly.dW.keys()).sort((a, b) => Math.abs(ly.dW[b]) - Math.abs(ly.dW[a]));
  for (const i of order) {
    const j = Math.floor(i / ly.in), k = i % ly.in;
    // a nudge of FD_H moves z_j by FD_H·a_k: stay clear of the ReLU kink at z = 0
    if (m.activation === 'relu' && l < m.L && Math.abs(ly.z[j]) < 3 * FD_H * Math.abs(ly.input[k]) + 1e-3) continue;
    idx.push([j, k]);
    if (idx.length >= count) break;
  }
  return idx;
}

test('the displayed gradients equal central finite differences of the cost', async () => {
  for (const name of Object.keys(PRESETS)) {
    const { net, ds } = await setup(name);
    const rows = ds.rows('test');
    for (const row of [rows[0], rows[7], rows[100]]) {
      const before = net.snapshot();
      const m = B.model(net.trace(row), net.config);
      let checked = 0;
      for (let l = 1; l <= m.L; l++) {
        const ly = m.layers[l - 1];
        for (const [j, k] of pickWeights(m, l, 6)) {
          const c = B.chain(m, l, j, k);                    // what the chain-rule panel shows
          assert.equal(c.grad, ly.dW[j * ly.in + k]);
          assert.ok(Object.is(c.delta * c.input, c.product));
          const fd = B.centralDifference(net, row, B.paramIndex(m.sizes, l, j, k), FD_H);
          assert.ok(Math.abs(fd - c.grad) <= tolerance(c.grad),
            `${name} row ${row} W${l}[${j}][${k}]: shown ${c.grad}, finite difference ${fd}`);
          // the product δ_j·a_k is the gradient (float32 rounding)
          assert.ok(Math.abs(c.product - c.grad) <= 1e-6 * Math.max(1e-3, Math.abs(c.grad)) + 1e-9, `${name}: δ·a ${c.product} vs ${c.grad}`);
          if (c.hidden) {
            // [Σ w δ] · f′(z) · a = the gradient
            const all = c.sum * c.fp * c.input;
            assert.ok(Math.abs(all - c.grad) <= 1e-5 * Math.abs(c.grad) + 1e-8, `${name}: chain ${all} vs ${c.grad}`);
          }
          checked++;
        }
        // biases: ∂C/∂b = δ
        for (let j = 0; j < Math.min(ly.out, 4); j++) {
          assert.equal(ly.db[j], ly.delta[j]);
          if (m.activation === 'relu' && l < m.L && Math.abs(ly.z[j]) < 3 * FD_H) continue;
          const fd = B.centralDifference(net, row, B.paramIndex(m.sizes, l, j, -1), FD_H);
          assert.ok(Math.abs(fd - ly.db[j]) <= tolerance(ly.db[j]), `${name} row ${row} b${l}[${j}]: shown ${ly.db[j]}, fd ${fd}`);
        }
      }
      assert.ok(checked >= 6, `${name}: too few weights checked (${checked})`);
      assert.deepEqual(Array.from(net.params), Array.from(before), 'the nudges left the parameters changed');
    }
    net.dispose();
    ds.dispose();
  }
});

test('the view\'s formulas for δ agree with the core', async () => {
  for (const name of Object.keys(PRESETS)) {
    const { net, ds } = await setup(name);
    const row = ds.rows('test')[3];
    const tr = net.trace(row), m = B.model(tr, net.config);
    assert.equal(m.outputRule, { improved: 'xent', simple: 'mse-sigmoid', tanhSoftmaxMse: 'mse-softmax', identity: 'mse-identity' }[name]);
    const out = B.outputDelta(m), core = tr.layers[m.L - 1].delta;
    for (let k = 0; k < 10; k++) assert.ok(Math.abs(out[k] - core[k]) <= 1e-6, `${name}: δ_L[${k}] ${out[k]} vs ${core[k]}`);
    for (let l = 1; l < m.L; l++) {
      const bd = B.backDelta(m, l), d = tr.layers[l - 1].delta;
      for (let j = 0; j < d.length; j++) assert.ok(Math.abs(bd.delta[j] - d[j]) <= 1e-6, `${name}: δ_${l}[${j}] ${bd.delta[j]} vs ${d[j]}`);
    }
    // the cost shown in the first step
    const a = tr.layers[m.L - 1].a;
    const want = m.cost === 'xent' ? -Math.log(a[m.label]) : 0.5 * a.reduce((s, v, k) => s + (v - m.y[k]) ** 2, 0);
    assert.ok(Math.abs(want - m.costValue) <= 1e-5 * Math.max(1, want), `${name}: cost ${m.costValue} vs ${want}`);
    net.dispose();
    ds.dispose();
  }
});

test('the update W − η·∂C/∂W lowers the digit\'s cost (computed on a copy)', async () => {
  const { net, ds } = await setup('improved');
  const row = ds.rows('test')[0];
  const before = net.snapshot();
  const m = B.model(net.trace(row), net.config);
  const next = before.slice();
  m.layers.forEach((ly, i) => {
    const wi = B.paramIndex(m.sizes, i + 1, 0, 0), bi = B.paramIndex(m.sizes, i + 1, 0, -1);
    const W = B.updated(ly.W, ly.dW, 0.1);
    next.set(W, wi);
    for (let j = 0; j < ly.out; j++) next[bi + j] = ly.b[j] - Math.fround(0.1 * ly.db[j]);
  });
  const after = B.costWith(net, row, next);
  assert.ok(after < m.costValue, `cost after ${after} >= before ${m.costValue}`);
  assert.deepEqual(Array.from(net.params), Array.from(before), 'costWith must restore the parameters');
  net.dispose();
  ds.dispose();
});

test('paramIndex follows the parameter layout', async () => {
  const { net, ds } = await setup('tanhSoftmaxMse', 0);
  const sizes = net.config.layers, base = net.params.byteOffset / 4;
  net.layers().forEach((ly, i) => {
    assert.equal(B.paramIndex(sizes, i + 1, 0, 0), ly.W.byteOffset / 4 - base);
    assert.equal(B.paramIndex(sizes, i + 1, 2, 3), ly.W.byteOffset / 4 - base + 2 * ly.in + 3);
    assert.equal(B.paramIndex(sizes, i + 1, 1, -1), ly.b.byteOffset / 4 - base + 1);
  });
  net.dispose();
  ds.dispose();
});

test('pure helpers: steps, palette, formatting', () => {
  assert.equal(B.thousands(2410), '2,410');
  assert.equal(B.thousands(25450), (25450).toLocaleString('en-US'));
  assert.equal(B.thousands(999), '999');
  assert.deepEqual(B.steps(2).map((s) => s.kind + s.layer), ['forward2', 'output2', 'grad2', 'back1', 'grad1', 'update1']);
  assert.deepEqual(B.steps(1).map((s) => s.kind), ['forward', 'output', 'grad', 'update']);
  assert.equal(B.steps(4).length, 2 + 4 + 3 + 1);
  assert.deepEqual(B.diverging(0), [255, 255, 255]);
  const neg = B.diverging(-1), pos = B.diverging(1);
  assert.ok(neg[2] > neg[0], 'negative is blue');
  assert.ok(pos[0] > pos[2], 'positive is orange');
  assert.deepEqual(B.diverging(-5), neg, 'clamped');
  // the text on every cell colour reaches WCAG AA (4.5:1)
  for (let t = -1; t <= 1; t += 0.05) {
    const c = B.diverging(t), fg = B.textOn(c) === '#000000' ? [0, 0, 0] : [255, 255, 255];
    assert.ok(B.contrast(c, fg) >= 4.5, `contrast at ${t}: ${B.contrast(c, fg)}`);
  }
  assert.equal(B.sig(-0.123456, 4), '−0.1235');
  assert.equal(B.sig(12.5, 3), '12.5');
  assert.equal(B.sig(0, 3), '0');
  assert.equal(B.sig(3.2e-6, 3), '3.20·10⁻⁶');
  assert.equal(B.shape(10, 8), '10×8');
  assert.equal(B.sub(12), '₁₂');
  assert.equal(B.fprime('relu', -0.1, 0), 0);
  assert.equal(B.fprime('relu', 0.1, 0.1), 1);
  assert.ok(Math.abs(B.fprime('sigmoid', 0, 0.5) - 0.25) < 1e-12);
  assert.ok(Math.abs(B.fprime('tanh', 0, 0) - 1) < 1e-12);
});
