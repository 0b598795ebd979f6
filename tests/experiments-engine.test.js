// Node tests of the experiments engine (web/js/experiments/experiments.js) on the real WebAssembly
// core (build-wasm/, made by `make wasm`).
//
// The central claims: runs of a comparison really start from the same initial weights and really
// see the training digits in the same order.  The batch order is not observable through the API,
// so it is reconstructed: with batches of ONE digit, the gradient a step used (net.grads) is the
// gradient of that one digit at the weights before the step, and net.trace(row) computes that
// per-digit gradient for any row.  Matching the two tells which row every step used.  A control
// with two different seeds shows that the method does tell different orders apart.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const WASM = path.resolve(process.env.NNMATH_WASM_DIR || path.join(ROOT, 'build-wasm'));
const NNMath = require(path.join(ROOT, 'web', 'js', 'nnmath.js'));
const X = require(path.join(ROOT, 'web', 'js', 'experiments', 'experiments.js'));

const BUILT = ['nnmath-core-simd.js', 'digits-data.js'].filter((f) => !fs.existsSync(path.join(WASM, f)));
const skip = BUILT.length ? `${BUILT.join(', ')} missing in ${WASM}: run \`make wasm\`` : false;

let core = null, digits = null;
async function setup() {
  if (!core) {
    core = await NNMath.load({ simd: true, coreDir: WASM });
    digits = NNMath.decodeDigits(require(path.join(WASM, 'digits-data.js')));
  }
  return { core, digits };
}

function comparison(spec) {
  const plan = X.makePlan(spec);
  assert.ok(plan.ok, 'plan ok: ' + plan.problems.join(' '));
  return X.createComparison(core, digits, plan);
}

function sameBits(a, b) {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return false;
  return true;
}

function runToEnd(cmp, budget = 10) {
  let slices = 0;
  while (!cmp.done) { cmp.step(budget); slices++; assert.ok(slices < 100000, 'finishes'); }
  return slices;
}

/** The per-digit gradient of row r at the probe's weights, in the parameter layout. */
function traceGrad(probe, row) {
  const t = probe.trace(row);
  const out = new Float32Array(probe.paramCount);
  let k = 0;
  for (const l of t.layers) { out.set(l.dW, k); k += l.dW.length; out.set(l.db, k); k += l.db.length; }
  return out;
}

function close(a, b) {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  const tol = 1e-4 * Math.max(scale, 1e-6);
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > tol) return false;
  return true;
}

/** Two row sequences agree if at every step some row explains both gradients. */
function agree(a, b) {
  return a.length === b.length && a.every((rows, s) => rows.some((r) => b[s].includes(r)));
}
const show = (seq) => seq.map((rows) => rows.length > 3 ? rows.slice(0, 3).join('/') + '/…' : rows.join('/')).join(', ');

/**
 * Train `run` (batch size 1) for k steps and return, for every step, the training rows whose
 * per-digit gradient equals the gradient the step used (normally exactly one row; digits that
 * are exact duplicates would all match).
 */
function usedRows(run, k) {
  const net = run.net, rows = Array.from(run.dataset.rows('train'));
  assert.equal(net.config.batch, 1);
  const probe = core.network(net.config, run.dataset);
  const seq = [];
  try {
    for (let s = 0; s < k; s++) {
      probe.params.set(net.params);   // the weights before the step
      net.trainSteps(1);
      const g = net.grads.slice();
      const found = rows.filter((r) => close(traceGrad(probe, r), g));
      assert.ok(found.length >= 1, `step ${s + 1} of "${run.label}": some training row explains the gradient`);
      seq.push(found);
    }
  } finally {
    probe.dispose();
  }
  return seq;
}

test('plans: every ready-made comparison is valid, with the sharing it claims', () => {
  const want = {
    cost: ['copied', 'same', 'epochs'], activation: ['copied', 'same', 'epochs'], hidden: ['seed', 'same', 'epochs'],
    lr: ['copied', 'same', 'epochs'], scale: ['copied', 'same', 'epochs'], trainSize: ['copied', 'different', 'steps']
  };
  for (const p of X.PRESETS) {
    const plan = X.makePlan(X.presetSpec(p.id));
    assert.ok(plan.ok, p.id + ': ' + plan.problems.join(' '));
    assert.deepEqual([plan.sharing.weights, plan.sharing.batches, plan.xAxis], want[p.id], p.id);
    assert.equal(plan.runs.length, p.values.length);
    assert.ok(plan.notes.length >= 2);
  }
  // The central one: only the cost (and its natural output) differs.
  const c = X.makePlan(X.presetSpec('cost'));
  assert.deepEqual(c.runs.map((r) => [r.config.cost, r.config.output]), [['mse', 'sigmoid'], ['xent', 'softmax']]);
  const strip = (cfg) => { const o = Object.assign({}, cfg); delete o.cost; delete o.output; return o; };
  assert.deepEqual(strip(c.runs[0].config), strip(c.runs[1].config));
  assert.deepEqual(c.runs[0].config.layers, [64, 32, 10]);
  assert.equal(c.runs[0].config.activation, 'sigmoid');
  assert.equal(c.epochs, 10);
  // Comparing seeds shares nothing.
  const s = X.makePlan({ base: X.BASE_IMPROVED, vary: 'seed', values: [1, 2], epochs: 2 });
  assert.deepEqual([s.sharing.weights, s.sharing.batches], ['none', 'different']);
  const b = X.makePlan({ base: X.BASE_IMPROVED, vary: 'batch', values: [1, 32], epochs: 2 });
  assert.equal(b.sharing.batches, 'same-order');
});

test('plans: problems are refused in plain language', () => {
  const base = X.BASE_SIMPLE;
  const bad = [
    [{ base, vary: 'nonsense', values: [1, 2] }, /Choose the setting/],
    [{ base, vary: 'lr', values: [0.1] }, /2 to 5 runs/],
    [{ base, vary: 'lr', values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6] }, /2 to 5 runs/],
    [{ base, vary: 'lr', values: [0.1, 0.1] }, /same as run 1/],
    [{ base, vary: 'lr', values: [0.1, -1] }, /Run 2: Learning rate/],
    [{ base, vary: 'lr', values: [0.1, NaN] }, /Run 2/],
    [{ base, vary: 'hidden', values: [[8], [129]] }, /1 to 128/],
    [{ base, vary: 'hidden', values: [[8], [1, 2, 3, 4, 5]] }, /0 to 4 layer/],
    [{ base, vary: 'cost', values: ['mse', 'hinge'] }, /Cost must be one of/],
    [{ base, vary: 'lr', values: [0.1, 1], epochs: 0 }, /Epochs/],
    [{ base, vary: 'lr', values: [0.1, 1], epochs: 51 }, /Epochs/],
    [{ base: Object.assign({}, base, { batch: 2.5 }), vary: 'lr', values: [0.1, 1] }, /Batch size/],
    [{ base: Object.assign({}, base, { trainSize: 5 }), vary: 'lr', values: [0.1, 1] }, /Training digits/],
  ];
  for (const [spec, re] of bad) {
    const plan = X.makePlan(spec);
    assert.equal(plan.ok, false, JSON.stringify(spec));
    assert.match(plan.problems.join(' '), re);
  }
  // The varied setting's base value is ignored, whatever it is.
  assert.ok(X.makePlan({ base: Object.assign({}, base, { lr: 'junk' }), vary: 'lr', values: [0.1, 1] }).ok);
});

test('values typed in the form', () => {
  assert.deepEqual(X.parseValue('hidden', '32, 16'), { value: [32, 16] });
  assert.deepEqual(X.parseValue('hidden', ''), { value: [] });
  assert.ok(X.parseValue('hidden', '32 x').problem);
  assert.deepEqual(X.parseValue('lr', ' 0.5 '), { value: 0.5 });
  assert.deepEqual(X.parseValue('lr', '0,5'), { value: 0.5 });
  assert.ok(X.parseValue('lr', '').problem);
  assert.ok(X.parseValue('lr', '1e9').problem);
  assert.deepEqual(X.parseValue('trainSize', 'All'), { value: 'all' });
  assert.deepEqual(X.parseValue('trainSize', '1438'), { value: 'all' });
  assert.deepEqual(X.parseValue('trainSize', '1,000'), { value: 1000 });
  assert.deepEqual(X.parseValue('cost', 'xent'), { value: 'xent' });
  assert.ok(X.parseValue('cost', '__proto__').problem);
  assert.ok(X.parseValue('seed', '1.5').problem);
  assert.equal(X.formatValue('hidden', [32, 16]), '32, 16');
  assert.equal(X.valueName('trainSize', 'all'), 'All 1,438 digits');
});

test('same initial weights: identical bits whenever the layer sizes match', { skip }, async () => {
  await setup();
  for (const id of ['cost', 'activation', 'lr', 'scale', 'trainSize']) {
    const cmp = comparison(X.presetSpec(id));
    try {
      for (let i = 1; i < cmp.runs.length; i++) {
        assert.ok(sameBits(cmp.initial[i], cmp.initial[0]), `${id}: run ${i + 1} starts from run 1's weights`);
        assert.ok(sameBits(cmp.runs[i].net.params, cmp.runs[0].net.params), `${id}: the live weights too`);
      }
    } finally {
      cmp.dispose();
    }
  }
  // Without the copy, sigmoid (Xavier) and ReLU (He) would start differently: the copy matters.
  const d = core.dataset({ pixels: digits.pixels, labels: digits.labels });
  d.split({ testFraction: 0.2, seed: 1 });
  const sig = core.network(X.makePlan(X.presetSpec('activation')).runs[0].config, d);
  const relu = core.network(X.makePlan(X.presetSpec('activation')).runs[1].config, d);
  assert.ok(!sameBits(sig.params, relu.params), 'fresh sigmoid and ReLU networks differ');
  const cmp = comparison(X.presetSpec('activation'));
  assert.ok(sameBits(cmp.initial[1], sig.params), 'the ReLU run got the sigmoid run’s (seed-1) weights');
  cmp.dispose();
  // Different sizes cannot share: each run has the weights of a fresh network with its seed.
  const hid = comparison(X.presetSpec('hidden'));
  hid.runs.forEach((r, i) => {
    const fresh = core.network(r.config, d);
    assert.ok(sameBits(hid.initial[i], fresh.params), `hidden: ${r.label} = a fresh seed-1 network`);
    fresh.dispose();
  });
  assert.deepEqual(hid.runs.map((r) => r.net.paramCount), [8 * 65 + 10 * 9, 32 * 65 + 10 * 33, 64 * 65 + 10 * 65]);
  hid.dispose();
  sig.dispose(); relu.dispose(); d.dispose();
});

test('same batch order: every run uses the same training rows in the same order', { skip, timeout: 120000 }, async () => {
  await setup();
  const K = 6;
  const one = (b) => Object.assign({}, b, { batch: 1 });
  // Squared error vs cross-entropy (different gradients, same rows).
  const cost = comparison({ base: one(X.BASE_SIMPLE), vary: 'cost', values: ['mse', 'xent'], epochs: 1 });
  const seqCost = cost.runs.map((r) => usedRows(r, K));
  assert.ok(seqCost[0].every((rows) => rows.length === 1), 'each step is explained by exactly one row: ' + show(seqCost[0]));
  assert.ok(agree(seqCost[1], seqCost[0]), `mse and xent used the same rows: ${show(seqCost[1])} vs ${show(seqCost[0])}`);
  assert.equal(new Set(seqCost[0].map((r) => r[0])).size, K, 'and the steps used different rows (the order is shuffled)');
  cost.dispose();
  // Sigmoid vs ReLU, three learning rates, scaled vs raw data sets: the same order again.  (A
  // network whose ReLU neurons have all died after a huge step has the same gradient for many
  // rows; agree() accepts that as long as the right row is among them.)
  for (const [vary, values] of [['activation', ['sigmoid', 'relu']], ['lr', [0.01, 0.1, 1]], ['scale', ['unit', 'raw']]]) {
    const cmp = comparison({ base: one(X.BASE_IMPROVED), vary, values, epochs: 1 });
    const seqs = cmp.runs.map((r) => usedRows(r, K));
    seqs.forEach((s, i) => assert.ok(agree(s, seqCost[0]), `${vary}: run ${i + 1} used the same rows as the cost runs: ${show(s)} vs ${show(seqCost[0])}`));
    cmp.dispose();
  }
  // Control: two seeds give two orders, and the method sees the difference.
  const seeds = comparison({ base: one(X.BASE_IMPROVED), vary: 'seed', values: [1, 2], epochs: 1 });
  const seqSeeds = seeds.runs.map((r) => usedRows(r, K));
  assert.ok(agree(seqSeeds[0], seqCost[0]), 'seed 1 again gives the same order');
  assert.ok(!agree(seqSeeds[1], seqSeeds[0]), `seed 2 gives another order: ${show(seqSeeds[1])} vs ${show(seqSeeds[0])}`);
  seeds.dispose();
});

test('data sets: same test digits for every run; raw and scaled hold the same rows; limits keep a stratified subset', { skip }, async () => {
  await setup();
  const sizes = comparison(X.presetSpec('trainSize'));
  const [small, mid, all] = sizes.runs.map((r) => r.dataset);
  assert.deepEqual([small.trainCount, mid.trainCount, all.trainCount], [100, 500, 1438]);
  assert.deepEqual(Array.from(small.rows('test')), Array.from(all.rows('test')));
  assert.deepEqual(Array.from(mid.rows('test')), Array.from(all.rows('test')));
  // The 100 are training digits of the full set, about 10 of each digit.
  const allTrain = new Set(all.rows('train'));
  const small100 = Array.from(small.rows('train'));
  assert.ok(small100.every((r) => allTrain.has(r)));
  const perLabel = new Array(10).fill(0);
  small100.forEach((r) => perLabel[small.label(r)]++);
  assert.ok(perLabel.every((c) => c >= 8 && c <= 12), 'stratified: ' + perLabel);
  // The same number of steps for every run: one point = one pass over the largest set.
  assert.equal(sizes.stepsPerPoint, Math.ceil(1438 / 32));
  sizes.runs.forEach((r) => assert.equal(r.totalSteps, 10 * Math.ceil(1438 / 32)));
  sizes.dispose();
  const sc = comparison(X.presetSpec('scale'));
  const [u, r] = sc.runs.map((x) => x.dataset);
  assert.deepEqual([u.scale, r.scale], ['unit', 'raw']);
  assert.deepEqual(Array.from(u.rows('train')), Array.from(r.rows('train')));
  assert.deepEqual(Array.from(u.rows('test')), Array.from(r.rows('test')));
  sc.dispose();
});

test('squared error vs cross-entropy: 10 points each, cross-entropy has the lower test error', { skip, timeout: 60000 }, async () => {
  await setup();
  const cmp = comparison(X.presetSpec('cost'));
  runToEnd(cmp);
  const [mse, xent] = cmp.runs;
  assert.equal(mse.points.length, 10);
  assert.equal(xent.points.length, 10);
  assert.deepEqual(mse.points.map((p) => p.x), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(mse.points[9].epoch, 10);
  const a = X.last(mse), b = X.last(xent);
  // The costs are on different scales (here xent's is the LARGER number), so compare error rates.
  assert.ok(b.testError < a.testError - 0.2, `xent error ${b.testError} well below mse error ${a.testError}`);
  assert.equal(b.testCount, 359);
  const ex = X.explain(cmp);
  assert.match(ex.happened.join(' '), /Cross-entropy ended with the lower test error/);
  assert.match(ex.why.join(' '), /does not vanish/);
  assert.equal(cmp.progress, 1);
  cmp.dispose();
});

test('slices: step() keeps to its budget; compute() yields, reports and can be cancelled', { skip, timeout: 60000 }, async () => {
  await setup();
  const cmp = comparison(X.presetSpec('hidden'));
  cmp.step(10); cmp.step(10); // warm up
  const times = [];
  for (let i = 0; i < 20 && !cmp.done; i++) {
    const t0 = performance.now();
    cmp.step(10);
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  assert.ok(times[Math.floor(times.length / 2)] < 30, 'median slice ' + times[Math.floor(times.length / 2)] + ' ms');
  // Runs are interleaved: nobody gets far ahead.
  const pts = cmp.runs.map((r) => r.points.length);
  assert.ok(Math.max(...pts) - Math.min(...pts) <= 2, 'interleaved: ' + pts);
  cmp.dispose();
  assert.throws(() => cmp.step(10), /disposed/);

  const c2 = comparison(X.presetSpec('lr'));
  let calls = 0;
  await c2.compute({ budgetMs: 5, onProgress: (st) => { calls++; if (st.pointsDone >= 2) c2.cancel(); } });
  assert.ok(calls >= 2);
  assert.equal(c2.done, false, 'cancelled before the end');
  assert.ok(c2.pointsDone >= 2 && c2.pointsDone < 10);
  c2.dispose();
});

test('a run that diverges stops on its own; the others finish', { skip }, async () => {
  await setup();
  const cmp = comparison({ base: X.BASE_IMPROVED, vary: 'lr', values: [0.1, 1], epochs: 3 });
  const net = cmp.runs[1].net;
  let n = 0;
  const real = net.trainSteps.bind(net);
  net.trainSteps = (k) => {
    n += k;
    if (n > 60) throw new NNMath.NNMathError('diverged', 'Training diverged at epoch 2: try a smaller learning rate.');
    return real(k);
  };
  runToEnd(cmp);
  assert.equal(cmp.runs[0].status, 'done');
  assert.equal(cmp.runs[0].points.length, 3);
  assert.equal(cmp.runs[1].status, 'diverged');
  assert.match(cmp.runs[1].error, /diverged/);
  assert.ok(cmp.runs[1].points.length < 3);
  assert.match(X.explain(cmp).happened.join(' '), /blew up/);
  cmp.dispose();
});

test('big batches: a step too long for a slice goes 64 digits at a time, with the bits of whole steps', { skip, timeout: 120000 }, async () => {
  await setup();
  const base = Object.assign({}, X.BASE_IMPROVED, { hidden: [128, 128, 128] });
  const cmp = comparison({ base, vary: 'batch', values: [0, 32], epochs: 2 });
  const seen = cmp.runs.map((r) => {
    const log = { parts: 0, halfDone: 0 };
    const real = r.net.trainSamples.bind(r.net);
    r.net.trainSamples = (n) => { const s = real(n); log.parts++; if (s.pending > 0) log.halfDone++; return s; };
    return log;
  });
  runToEnd(cmp, 10);
  const [full, small] = cmp.runs;
  assert.equal(full.status, 'done');
  assert.equal(full.points.length, 2);
  assert.ok(seen[0].halfDone >= 2, `the whole-set steps were split (${JSON.stringify(seen[0])})`);
  assert.ok(seen[1].parts <= 3, `batches of 32 go in whole steps once timed (${JSON.stringify(seen[1])})`);
  // the same weights and points as whole steps
  for (const r of [full, small]) {
    const ref = core.network(r.config, r.dataset);
    ref.trainEpoch(); ref.trainEpoch();
    assert.ok(sameBits(r.net.params, ref.params), `batch ${r.config.batch}: the weights of whole steps`);
    assert.equal(r.points[1].testCost, ref.evaluate('test').cost);
    ref.dispose();
  }
  cmp.dispose();
});
