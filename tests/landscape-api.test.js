// The cost landscape through the JS API (web/js/nnmath.js + src/nn_landscape.c in wasm).
//
// The centre of the grid equals the current cost bit for bit; the parameters
// are untouched; the directions are filter-normalised (row norms of θ, biases
// 0) and deterministic; SIMD and scalar builds give the same grid; the path
// helpers put the path where it belongs; the time of a 31×31 grid over 500
// training digits (64,32,10) is printed, not asserted.
'use strict';

const test = require('node:test');
const assert = require('assert/strict');
const { loadCore, digitsDataset, NNMath } = require('./wasm-helpers.js');

const IMPROVED = { layers: [64, 32, 10], activation: 'relu', output: 'softmax', cost: 'xent', optimizer: 'sgd', lr: 0.1, batch: 32, seed: 1 };
const SIMPLE = { layers: [64, 8, 10], activation: 'sigmoid', output: 'sigmoid', cost: 'mse', optimizer: 'sgd', lr: 0.1, batch: 32, seed: 1 };

async function trained(kind, cfg, epochs, withPath) {
  const core = await loadCore(kind);
  const ds = digitsDataset(core);
  const net = core.network(cfg, ds);
  const path = [net.snapshot()];
  for (let e = 0; e < epochs; e++) {
    net.trainEpoch();
    if (withPath) path.push(net.snapshot());
  }
  return { core, ds, net, path };
}

function sameBits(a, b) {
  assert.equal(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length), y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function norm(v, from, n) {
  let s = 0;
  for (let i = from; i < from + n; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

test('the centre of the grid equals the current cost, and the weights are untouched', async () => {
  for (const cfg of [IMPROVED, SIMPLE]) {
    const { net, ds } = await trained('simd', cfg, 2);
    const before = net.snapshot();
    const ls = net.landscape({ size: 31, span: 1, samples: 500 });
    assert.equal(ls.rows.length, 500);
    assert.deepEqual(Array.from(ls.rows), Array.from(ds.rows('train').slice(0, 500)));
    const cost = net.cost(ls.rows);
    assert.ok(Number.isFinite(cost) && cost > 0);
    assert.ok(Object.is(ls.centre, cost), `centre ${ls.centre} vs cost ${cost}`);
    assert.equal(ls.alphas[15], 0);
    assert.equal(ls.betas[15], 0);
    assert.equal(ls.alphas[0], -1);
    assert.equal(ls.alphas[30], 1);
    let calls = 0;
    const done = await ls.compute({ onProgress: () => { calls++; } });
    assert.equal(done, ls);
    assert.ok(ls.done);
    assert.equal(ls.progress, 1);
    assert.ok(calls > 1, 'compute should work in several slices');
    assert.ok(Object.is(ls.values[15 * 31 + 15], cost), `grid centre ${ls.values[15 * 31 + 15]} vs cost ${cost}`);
    assert.ok(ls.values.every(Number.isFinite));
    assert.ok(sameBits(before, net.params), 'the parameters changed');
    assert.ok(Object.is(net.cost(ls.rows), cost));
    // A trained network sits in a valley: the centre is lower than the grid's corners.
    if (cfg === IMPROVED) {
      for (const k of [0, 30, 30 * 31, 31 * 31 - 1]) assert.ok(ls.values[k] > cost, `corner ${k}: ${ls.values[k]} <= ${cost}`);
    }
    // computeRow agrees with the grid
    const row = ls.computeRow(7);
    assert.ok(sameBits(row, ls.values.subarray(7 * 31, 8 * 31)));
    // a point by hand: θ + (α·d1 + β·d2), in float32 like the core
    const P = net.paramCount, a = ls.alphas[3], b = ls.betas[22], p = net.params, theta = net.snapshot();
    for (let i = 0; i < P; i++) p[i] = Math.fround(theta[i] + Math.fround(Math.fround(a * ls.d1[i]) + Math.fround(b * ls.d2[i])));
    const byHand = net.cost(ls.rows);
    net.params.set(theta);
    assert.ok(Object.is(byHand, ls.values[3 * 31 + 22]), `by hand ${byHand} vs grid ${ls.values[3 * 31 + 22]}`);
    ls.dispose();
    ls.dispose();
    assert.throws(() => ls.step(), (e) => e instanceof NNMath.NNMathError && e.code === 'invalid');
    net.dispose();
    ds.dispose();
  }
});

test('the directions are filter-normalised, zero on biases and deterministic', async () => {
  const { net, ds } = await trained('simd', IMPROVED, 1);
  const a = net.landscape({ seed: 5, size: 3 }), b = net.landscape({ seed: 5, size: 3 }), c = net.landscape({ seed: 6, size: 3 });
  assert.equal(a.directions, 'random');
  assert.ok(sameBits(a.d1, b.d1) && sameBits(a.d2, b.d2));
  assert.ok(!sameBits(a.d1, c.d1) && !sameBits(a.d1, a.d2));
  const theta = net.snapshot();
  for (const ly of net.layers()) {
    // offsets from the views' positions in params
    const wo = ly.W.byteOffset / 4 - net.params.byteOffset / 4, bo = ly.b.byteOffset / 4 - net.params.byteOffset / 4;
    for (let j = 0; j < ly.out; j++) {
      const t = norm(theta, wo + j * ly.in, ly.in);
      for (const d of [a.d1, a.d2]) {
        const n = norm(d, wo + j * ly.in, ly.in);
        assert.ok(Math.abs(n - t) <= 1e-5 * t, `row ${j}: |d| ${n} vs |θ| ${t}`);
      }
      assert.equal(a.d1[bo + j], 0);
      assert.equal(a.d2[bo + j], 0);
    }
  }
  [a, b, c].forEach((l) => l.dispose());
  net.dispose();
  ds.dispose();
});

test('SIMD and scalar builds compute the same landscape', async () => {
  const s = await trained('simd', IMPROVED, 1);
  const k = await trained('scalar', IMPROVED, 1);
  assert.ok(sameBits(s.net.params, k.net.params), 'training differs between the builds');
  const ls1 = s.net.landscape({ size: 11, samples: 200, seed: 3 });
  const ls2 = k.net.landscape({ size: 11, samples: 200, seed: 3 });
  await ls1.compute();
  await ls2.compute();
  assert.ok(sameBits(ls1.d1, ls2.d1) && sameBits(ls1.d2, ls2.d2));
  assert.ok(sameBits(ls1.values, ls2.values), 'the grids differ');
  for (const x of [s, k]) { x.net.dispose(); x.ds.dispose(); }
});

test('the training path: projections, path directions and span', async () => {
  const { net, ds, path } = await trained('simd', IMPROVED, 4, true);
  // random directions: the path is almost entirely outside the plane (Li et al. §7)
  const r = net.landscape({ size: 5, path });
  assert.equal(r.path.x.length, path.length);
  const last = path.length - 1;
  assert.equal(r.path.x[last], 0);
  assert.equal(r.path.y[last], 0);
  assert.equal(r.path.off[last], 0);
  assert.ok(r.path.off[0] > 0.9, `random plane holds the path? off ${r.path.off[0]}`);
  // net.projectPath with the same directions gives the same numbers
  const again = net.projectPath(path, r.d1, r.d2);
  assert.ok(sameBits(again.x, r.path.x) && sameBits(again.y, r.path.y));
  assert.deepEqual(Array.from(r.project(path).x), Array.from(r.path.x));
  // along the path: the plane holds most of it
  const p = net.landscape({ directions: 'path', path, size: 11 });
  assert.equal(p.directions, 'path');
  assert.ok(p.explained[0] + p.explained[1] > 0.9, `explained ${p.explained}`);
  assert.ok(p.path.off[0] < 0.3, `off ${p.path.off[0]}`);
  assert.ok(p.path.x[0] < 0, 'the path starts at negative α');
  let m = 0;
  for (let k = 0; k < path.length; k++) m = Math.max(m, Math.abs(p.path.x[k]), Math.abs(p.path.y[k]));
  assert.ok(Math.abs(p.span - 1.25 * m) < 1e-9 * m, `span ${p.span} vs ${1.25 * m}`);
  await p.compute();
  assert.ok(Object.is(p.values[5 * 11 + 5], p.centre));
  // the start of training had a higher cost than the end: the grid near the start is higher too
  const startCost = (() => { const t = net.snapshot(); net.params.set(path[0]); const c = net.cost(p.rows); net.params.set(t); return c; })();
  assert.ok(startCost > p.centre);
  // custom directions
  const cst = net.landscape({ directions: { d1: p.d1, d2: p.d2 }, span: p.span, size: 11 });
  assert.equal(cst.directions, 'custom');
  await cst.compute();
  assert.ok(sameBits(cst.values, p.values));
  [r, p, cst].forEach((l) => l.dispose());
  net.dispose();
  ds.dispose();
});

test('training during a computation makes the landscape stale', async () => {
  const { net, ds } = await trained('simd', IMPROVED, 1);
  const ls = net.landscape({ size: 9, samples: 100 });
  ls.step(1);
  assert.ok(!ls.done);
  net.trainSteps(1);
  assert.throws(() => ls.step(), (e) => e.code === 'invalid' && /changed/.test(e.message));
  assert.equal(ls.stale, true);
  await assert.rejects(ls.compute(), (e) => e.code === 'invalid');
  // cancel: compute resolves early
  const l2 = net.landscape({ size: 31, samples: 500 });
  const pr = l2.compute({ budgetMs: 2 });
  l2.cancel();
  await pr;
  assert.ok(!l2.done);
  [ls, l2].forEach((l) => l.dispose());
  net.dispose();
  ds.dispose();
});

test('bad options give plain-language errors', async () => {
  const { net, ds } = await trained('simd', SIMPLE, 0);
  const bad = [
    [{ size: 30 }, /odd/], [{ size: 1 }, /odd/], [{ size: 'big' }, /grid size/],
    [{ span: 0 }, /span/], [{ span: NaN }, /span/], [{ seed: -1 }, /seed/],
    [{ samples: 0 }, /samples/], [{ rows: [5, 99999] }, /row/], [{ rows: 'some' }, /set/],
    [{ directions: 'pca' }, /directions/], [{ directions: 'path' }, /path/],
    [{ directions: { d1: new Float32Array(3), d2: new Float32Array(3) } }, /d1/],
    [{ path: [new Float32Array(4)] }, /Point 1/],
  ];
  for (const [opts, re] of bad) {
    assert.throws(() => net.landscape(opts), (e) => e instanceof NNMath.NNMathError && e.code === 'invalid' && re.test(e.message),
      JSON.stringify(opts));
  }
  // a path that never moved
  assert.throws(() => net.landscape({ directions: 'path', path: [net.snapshot()] }), (e) => /train/.test(e.message));
  net.dispose();
  assert.throws(() => net.landscape({}), (e) => e.code === 'invalid');
  ds.dispose();
});

test('timing: 31×31 grid over 500 training digits, 64,32,10 (measured, not asserted)', async () => {
  for (const kind of ['simd', 'scalar']) {
    const { net, ds } = await trained(kind, IMPROVED, 1);
    const warm = net.landscape({ size: 5, samples: 500 });
    await warm.compute();
    warm.dispose();
    const ls = net.landscape({ size: 31, samples: 500 });
    const durations = [];
    const t0 = performance.now();
    while (!ls.done) {
      const a = performance.now();
      ls.step(12);
      durations.push(performance.now() - a);
    }
    const total = performance.now() - t0;
    durations.sort((x, y) => x - y);
    console.log(`# landscape ${kind}: ${total.toFixed(0)} ms for 31×31 × 500 digits in ${durations.length} slices ` +
      `(median ${durations[durations.length >> 1].toFixed(1)} ms, longest ${durations[durations.length - 1].toFixed(1)} ms)`);
    ls.dispose();
    net.dispose();
    ds.dispose();
  }
});
