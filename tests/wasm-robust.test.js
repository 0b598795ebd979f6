// Robustness of the wrapper and the core: readable errors for bad input,
// nothing left broken after an error, no leaks, views that survive memory
// growth.
'use strict';

const test = require('node:test');
const assert = require('assert/strict');
const { NNMath, loadCore, digitsDataset, digits } = require('./wasm-helpers.js');

const { NNMathError } = NNMath;
const GOOD = { layers: [64, 16, 10], activation: 'relu', cost: 'xent', lr: 0.1, batch: 32, seed: 1 };

function isErr(code, re) {
  return (e) => {
    assert.ok(e instanceof NNMathError, `an NNMathError, got ${e && e.stack}`);
    assert.equal(e.code, code, e.message);
    if (re) assert.match(e.message, re);
    return true;
  };
}

/** malloc'd bytes: the break (sbrk(0)) and where a fresh small block lands. */
function heapMark(core) {
  const M = core._M;
  const p = M._malloc(24);
  M._free(p);
  return { brk: M._sbrk(0) >>> 0, probe: p, bytes: core.heapBytes() };
}

test('a runtime without WebAssembly: load() rejects with "unsupported" and a plain message, and loads once it is back', async () => {
  const saved = globalThis.WebAssembly;
  delete globalThis.WebAssembly;
  let err;
  try { await NNMath.load({ simd: 'auto' }); } catch (e) { err = e; } finally { globalThis.WebAssembly = saved; }
  assert.ok(err instanceof NNMathError, String(err));
  assert.equal(err.code, 'unsupported');
  assert.equal(err.message, NNMath.NO_WASM);
  assert.match(err.message, /^This browser has WebAssembly switched off.*Lockdown Mode.*open the lesson in a browser with WebAssembly on\.$/);
  const core = await NNMath.load({ simd: 'auto' });
  assert.equal(typeof core.simd, 'boolean');
});

test('bad configurations: readable problems, NNMathError "invalid", module still usable', async () => {
  const core = await loadCore('simd');
  const ds = digitsDataset(core);
  const cases = [
    [{ lr: -1 }, 'The learning rate must be a number greater than 0 — you gave -1.'],
    [{ lr: 0 }, /learning rate must be a number greater than 0 — you gave 0\./],
    [{ lr: NaN }, /learning rate.*you gave NaN/],
    [{ lr: Infinity }, /learning rate.*you gave Infinity/],
    [{ lr: '0.1' }, /learning rate.*you gave "0\.1"/],
    [{ lr: 101 }, /learning rate must be at most 100 — you gave 101/],
    [{ layers: [64, 10, 10, 10, 10, 10, 10] }, /2 to 6 layer sizes.* you gave 7\./],
    [{ layers: [64] }, /2 to 6 layer sizes/],
    [{ layers: '64,8,10' }, /layer sizes must be a list/],
    [{ layers: [63, 8, 10] }, /first layer size must be 64.*you gave 63/],
    [{ layers: [64, 8, 9] }, /last layer size must be 10.*you gave 9/],
    [{ layers: [64, 0, 10] }, /Hidden layer 1.*1 to 512.*you gave 0/],
    [{ layers: [64, 513, 10] }, /Hidden layer 1.*you gave 513/],
    [{ layers: [64, 8, 2.5, 10] }, /Hidden layer 2.*you gave 2\.5/],
    [{ activation: 'softmax' }, /hidden activation must be "sigmoid", "tanh" or "relu" — you gave "softmax"/],
    [{ output: 'relu' }, /output activation must be/],
    [{ cost: 'hinge' }, /cost must be "mse".*or "xent"/],
    [{ cost: 'xent', output: 'sigmoid' }, /cross-entropy cost needs the softmax output/],
    [{ optimizer: 'rmsprop' }, /optimizer must be "sgd", "momentum" or "adam"/],
    [{ momentum: 1 }, /momentum must be a number from 0 up to \(but not including\) 1 — you gave 1\./],
    [{ momentum: -0.1 }, /momentum/],
    [{ weightDecay: 2 }, /weight decay must be a number from 0 to 1/],
    [{ weightDecay: -1 }, /weight decay/],
    [{ batch: -1 }, /batch size must be a whole number/],
    [{ batch: 2.5 }, /batch size.*you gave 2\.5/],
    [{ batch: 100001 }, /batch size/],
    [{ seed: -1 }, /seed must be a whole number from 0 to 4294967295/],
    [{ seed: 2 ** 32 }, /seed/],
    [{ seed: 1.5 }, /seed/],
    [{ shuffle: 'yes' }, /shuffle setting must be true or false/],
    [42, /configuration must be an object/],
  ];
  for (const [cfg, want] of cases) {
    const problems = core.validateConfig(cfg);
    assert.equal(problems.length, 1, `${JSON.stringify(cfg)}: ${JSON.stringify(problems)}`);
    if (typeof want === 'string') assert.equal(problems[0], want);
    else assert.match(problems[0], want);
    assert.deepEqual(NNMath.validateConfig(cfg), problems);
    assert.throws(() => core.network(cfg, ds), isErr('invalid'));
    try { core.network(cfg, ds); } catch (e) { assert.deepEqual(e.problems, problems); }
  }
  // Several problems at once are all listed.
  assert.equal(core.validateConfig({ lr: -1, batch: -1, layers: [64, 0, 9] }).length, 4);
  // validateConfig never throws.
  const hostile = {};
  Object.defineProperty(hostile, 'lr', { get() { throw new Error('boom'); }, enumerable: true });
  assert.equal(core.validateConfig(hostile).length, 1);
  assert.deepEqual(core.validateConfig(GOOD), []);
  assert.deepEqual(core.validateConfig({ layers: [64, 10], batch: 0, seed: 4294967295, momentum: 0, weightDecay: 1, lr: 100 }), []);
  // Bad arguments elsewhere.
  assert.throws(() => core.network(GOOD, {}), isErr('invalid'));
  assert.throws(() => core.dataset({ pixels: [1, 2], labels: [1] }), isErr('data', /64 pixels per label/));
  assert.throws(() => core.dataset({ pixels: new Array(64).fill(17), labels: [1] }), isErr('data', /0 to 16/));
  assert.throws(() => core.dataset({ pixels: new Array(64).fill(0), labels: [10] }), isErr('data', /0 to 9/));
  assert.throws(() => core.dataset({ pixels: new Array(64).fill(0), labels: [1], scale: 'big' }), isErr('invalid', /scale/));
  assert.throws(() => ds.split({ testFraction: 0.95 }), isErr('invalid', /0 to 0\.9/));
  assert.throws(() => ds.limitTrain(0), isErr('invalid'));
  // Still usable: a good network trains.
  const net = core.network(GOOD, ds);
  for (let e = 0; e < 3; e++) net.trainEpoch();
  assert.ok(net.evaluate('test').accuracy > 0.7);
  net.dispose();
  ds.dispose();
});

test('what the JS check accepts, the core accepts too: numbers at the edges of 32-bit floats', async () => {
  // The core keeps lr, momentum and weight decay as 32-bit floats: a momentum of 0.99999999 becomes
  // 1 and a learning rate of 1e-46 becomes 0, which the core refuses. The JS check must say so
  // itself, in its own words, rather than pass them on (the page would then fail to build its
  // network with the core's "got 1").
  const core = await loadCore('simd');
  const ds = digitsDataset(core);
  const lrs = [1e-46, 7e-46, 7.1e-46, 1.4e-45, 3e-39, 1e-4, 99.99999999, 100, 100.0000000001];
  const moms = [0, 1e-50, 0.99999994, 0.99999997, 0.99999999, 1 - 2 ** -25, 1 - 2 ** -24, 0.9999999];
  const wds = [0, 1e-46, 1 - 1e-9, 1, 1.0000000001];
  let accepted = 0, refused = 0;
  for (const lr of lrs) for (const momentum of moms) for (const weightDecay of wds) {
    const cfg = { layers: [64, 4, 10], optimizer: 'adam', lr, momentum, weightDecay };
    const problems = core.validateConfig(cfg);
    const where = JSON.stringify({ lr, momentum, weightDecay });
    if (problems.length === 0) {
      accepted++;
      const net = core.network(cfg, ds);   // must not throw
      net.trainSteps(1);
      net.setLearningRate(lr);
      net.dispose();
    } else {
      refused++;
      assert.throws(() => core.network(cfg, ds), (e) => e.code === 'invalid' && JSON.stringify(e.problems) === JSON.stringify(problems), where);
      for (const p of problems) assert.doesNotMatch(p, /got \d/, `${where}: the JS words, not the core's: ${p}`);
    }
  }
  assert.ok(accepted > 50 && refused > 50, `accepted ${accepted}, refused ${refused}`);
  assert.match(core.validateConfig({ momentum: 0.99999999 })[0], /you gave 0\.99999999, which the calculator keeps as 1/);
  assert.match(core.validateConfig({ lr: 1e-46 })[0], /you gave 1e-46, which is too small for the calculator/);
  const net = core.network(GOOD, ds);
  assert.throws(() => net.setLearningRate(1e-46), (e) => e.code === 'invalid' && /too small/.test(e.message));
  net.setLearningRate(1.4e-45);
  net.dispose();
});

test('the C checks back up the JS ones (config written straight into wasm memory)', async () => {
  const core = await loadCore('scalar');
  const M = core._M;
  const ok = core.normalizeConfig(GOOD);
  const bad = [
    [{ ...ok, lr: -1 }, /learning rate/i],
    [{ ...ok, layers: [64, 600, 10] }, /512|width|hidden/i],
    [{ ...ok, layers: [64, 8, 9] }, /10/],
    [{ ...ok, output: 'sigmoid', cost: 'xent' }, /softmax/i],
  ];
  for (const [cfg, re] of bad) {
    const p = core._writeConfig(cfg);
    assert.notEqual(M._nn_config_check(p, core._err), 0);
    assert.equal(M._nn_create(p, core._err), 0);
    assert.throws(() => core._throwIf(M.HEAP32[core._err >> 2], core._err), isErr('invalid', re));
  }
  // Enum values out of range.
  const p = core._writeConfig(ok);
  M.HEAP32[(p >> 2) + 7] = 17;
  assert.notEqual(M._nn_config_check(p, core._err), 0);
  assert.equal(M._nn_config_check(core._writeConfig(ok), core._err), 0);
});

test('trace and predict refuse bad inputs; the network stays usable', async () => {
  const core = await loadCore('simd');
  const ds = digitsDataset(core);
  const net = core.network(GOOD, ds);
  const good = Array.from(ds.pixels(0));
  const bads = [
    [good.slice(0, 63), /exactly 64 pixels.*you gave 63/],
    [good.concat([0]), /you gave 65/],
    [[], /you gave 0/],
    [good.map((v, i) => (i === 5 ? NaN : v)), /Pixel 6 must be a number from 0 to 16 — it is NaN/],
    [good.map((v, i) => (i === 0 ? 17 : v)), /Pixel 1.*it is 17/],
    [good.map((v, i) => (i === 63 ? -0.5 : v)), /Pixel 64.*it is -0\.5/],
    [good.map((v, i) => (i === 2 ? '3' : v)), /Pixel 3/],
    [good.map((v, i) => (i === 2 ? Infinity : v)), /Pixel 3/],
    ['x'.repeat(64), /64 pixel values/],
    [null, /64 pixel values/],
  ];
  for (const [x, re] of bads) {
    assert.throws(() => net.predict(x), isErr('invalid', re));
    assert.throws(() => net.trace(x), isErr('invalid', re));
  }
  assert.throws(() => net.trace(-1), isErr('invalid', /row must be a whole number from 0 to 1796/));
  assert.throws(() => net.trace(1797), isErr('invalid'));
  assert.throws(() => net.trace(1.5), isErr('invalid'));
  assert.throws(() => net.trace(0, { label: 10 }), isErr('invalid', /label/));
  assert.throws(() => net.evaluate('valid'), isErr('invalid', /"train", "test" or "all"/));
  assert.throws(() => net.trainSteps(-1), isErr('invalid'));
  assert.throws(() => net.trainSteps(1.5), isErr('invalid'));

  // Good inputs: typed arrays, fractions, the dataset's scaling.
  const out = net.predict(new Float64Array(good));
  assert.equal(out.length, 10);
  assert.ok(Math.abs(out.reduce((s, v) => s + v, 0) - 1) < 1e-5, 'softmax sums to 1');
  assert.deepEqual(net.predict(good), net.trace(0).output);
  assert.deepEqual(net.predict(good.map((v) => v * 0.5 + 0.25)).length, 10);
  const t = net.trace(0);
  assert.equal(t.label, ds.label(0));
  assert.ok(Number.isFinite(t.cost));
  assert.equal(t.layers.length, 2);
  assert.deepEqual(Array.from(t.layers[0].input), good.map((v) => Math.fround(v / 16)));
  assert.equal(t.layers[0].W.length, 16 * 64);
  assert.equal(t.layers[0].dW.length, 16 * 64);
  assert.equal(t.layers[1].delta.length, 10);
  const u = net.trace(good);
  assert.equal(u.label, null);
  assert.ok(Number.isNaN(u.cost));
  assert.equal(u.layers[1].delta, undefined);
  assert.deepEqual(u.output, t.output);
  const v = net.trace(0, { label: null });
  assert.ok(Number.isNaN(v.cost));
  const w = net.trace(good, { label: 3 });
  assert.equal(w.label, 3);
  // δ of the softmax/xent output layer is a − y.
  const y = new Float32Array(10); y[3] = 1;
  w.layers[1].delta.forEach((d, k) => assert.ok(Math.abs(d - (w.output[k] - y[k])) < 1e-6));
  // Raw-scaled data sets feed raw pixels.
  const raw = core.dataset({ pixels: digits().pixels, labels: digits().labels, scale: 'raw' });
  const rnet = core.network(GOOD, raw);
  assert.deepEqual(Array.from(rnet.trace(good).layers[0].input), good);
  assert.deepEqual(rnet.trace(good).output, rnet.trace(0).output);
  rnet.dispose();
  raw.dispose();

  for (let e = 0; e < 3; e++) net.trainEpoch();
  assert.ok(net.evaluate('test').accuracy > 0.7);
  net.dispose();
  assert.throws(() => net.trainEpoch(), isErr('invalid', /disposed/));
  assert.throws(() => net.params, isErr('invalid', /disposed/));
  net.dispose(); // twice is fine
  ds.dispose();
});

test('fromJSON refuses bad shapes and values and keeps the old parameters', async () => {
  const core = await loadCore('simd');
  const ds = digitsDataset(core);
  const net = core.network(GOOD, ds);
  net.trainSteps(3);
  const before = net.params.slice();
  const good = net.toJSON();
  assert.equal(good.layers.length, 2);
  assert.equal(good.layers[0].weight.length, 16);
  assert.equal(good.layers[0].weight[0].length, 64);
  assert.equal(good.layers[1].bias.length, 10);
  const mutate = (f) => { const o = JSON.parse(JSON.stringify(good)); f(o); return o; };
  const bads = [
    null, 42, {}, { layers: {} }, { layers: [] },
    mutate((o) => o.layers.pop()),
    mutate((o) => o.layers.push(o.layers[1])),
    mutate((o) => o.layers[0].weight.pop()),
    mutate((o) => o.layers[0].weight[3].push(0)),
    mutate((o) => o.layers[1].bias.pop()),
    mutate((o) => { delete o.layers[1].bias; }),
    mutate((o) => { o.layers[1].weight[9][31] = 'x'; }),
    mutate((o) => { o.layers[1].weight[9][31] = null; }),
    mutate((o) => { o.layers[1].bias[9] = 1e39; }), // finite in JS, not in float32
    '{"layers": [',
  ];
  for (const bad of bads) {
    assert.throws(() => net.fromJSON(bad), isErr('data'), JSON.stringify(bad));
    assert.deepEqual(net.params, before);
  }
  const e = (() => { try { net.fromJSON(mutate((o) => o.layers[0].weight.pop())); } catch (err) { return err; } })();
  assert.match(e.message, /Layer 1 weight should have 16 rows \(16×64\) — it has 15/);
  // NaN cannot be written in JSON, but an object can carry it.
  const nan = mutate(() => {});
  nan.layers[0].weight[0][0] = NaN;
  assert.throws(() => net.fromJSON(nan), isErr('data', /finite/));
  assert.deepEqual(net.params, before);
  // A good one loads exactly, as object or string; training goes on.
  const changed = mutate((o) => { o.layers[1].bias[0] = 0.25; });
  net.fromJSON(JSON.stringify(changed));
  assert.equal(net.params[net.layers()[1].b.byteOffset / 4 - net.params.byteOffset / 4], 0.25);
  assert.equal(net.layers()[1].b[0], 0.25);
  net.fromJSON(good);
  assert.deepEqual(net.params, before);
  net.trainEpoch();
  net.dispose();
  ds.dispose();
});

test('divergence: NNMathError "diverged", finite parameters, and training goes on with a smaller rate', async () => {
  const core = await loadCore('simd');
  const ds = digitsDataset(core);
  const net = core.network({ layers: [64, 32, 10], activation: 'relu', cost: 'mse', output: 'identity', lr: 100, batch: 32, seed: 1 }, ds);
  let err = null;
  try {
    for (let i = 0; i < 20; i++) net.trainEpoch();
  } catch (e) {
    err = e;
  }
  assert.ok(err, 'training diverged');
  isErr('diverged', /learning rate/)(err);
  assert.ok(net.params.every(Number.isFinite), 'parameters are finite');
  // Back at the start of the epoch it happened in (here: the initial weights).
  assert.equal(net.epoch, 0);
  const fresh = core.network({ layers: [64, 32, 10], activation: 'relu', cost: 'mse', output: 'identity', lr: 100, batch: 32, seed: 1 }, ds);
  assert.deepEqual(net.params, fresh.params);
  fresh.dispose();
  assert.ok(Number.isFinite(net.evaluate('train').cost));
  const stepAfter = net.step;
  assert.throws(() => net.setLearningRate(-1), isErr('invalid', /greater than 0 — you gave -1/));
  assert.throws(() => net.setLearningRate(1000), isErr('invalid', /at most 100/));
  net.setLearningRate(0.01);
  assert.equal(net.config.lr, 0.01);
  const st = net.trainSteps(5);
  assert.equal(st.step, stepAfter + 5);
  assert.ok(Number.isFinite(st.batchCost));
  net.trainEpoch();
  assert.ok(net.params.every(Number.isFinite));
  assert.ok(Number.isFinite(net.evaluate('test').cost));
  net.dispose();
  ds.dispose();
});

test('100,000 training steps: no growth of the wasm memory or of the malloc heap', async () => {
  const core = await loadCore('simd');
  const ds = digitsDataset(core);
  ds.limitTrain(200); // 25 steps per epoch: many epoch boundaries
  const net = core.network({ layers: [64, 8, 10], activation: 'sigmoid', cost: 'mse', lr: 0.1, batch: 8, seed: 3 }, ds);
  net.trainSteps(10);
  net.evaluate('test');
  net.trace(0);
  net.predict(ds.pixels(1));
  const before = heapMark(core);
  const view = net.params;
  const st = net.trainSteps(100000);
  assert.equal(st.epoch * st.stepsPerEpoch + st.step, 100010);
  for (let i = 0; i < 100; i++) { net.evaluate('all'); net.trace(i); net.predict(ds.pixels(i)); net.cost('test'); net.toJSON(); }
  assert.deepEqual(heapMark(core), before);
  assert.equal(view.buffer, net.params.buffer, 'the view is still valid');
  net.dispose();
  ds.dispose();
});

test('creating and disposing 1,000 networks (and 100 data sets) does not grow the heap', async () => {
  const core = await loadCore('scalar');
  const d = digits();
  const ds = digitsDataset(core);
  const cfgs = [GOOD, { layers: [64, 512, 256, 10], batch: 16, optimizer: 'adam', lr: 0.001 }, { layers: [64, 10] }];
  // Warm up every size class once.
  for (const cfg of cfgs) { const n = core.network(cfg, ds); n.trainSteps(1); n.dispose(); }
  { const x = core.dataset({ pixels: d.pixels, labels: d.labels }); x.split({}); x.dispose(); }
  const before = heapMark(core);
  for (let i = 0; i < 1000; i++) {
    const net = core.network({ ...cfgs[i % 3], seed: i }, ds);
    if (i % 50 === 0) { net.trainSteps(1); net.trace(i); net.evaluate('test'); }
    net.dispose();
  }
  for (let i = 0; i < 100; i++) {
    const x = core.dataset({ pixels: d.pixels, labels: d.labels });
    x.split({ seed: i });
    x.limitTrain(100 + i);
    x.dispose();
  }
  assert.deepEqual(heapMark(core), before);
  ds.dispose();
});

test('views stay valid after the wasm memory grows', async () => {
  const core = await loadCore('simd');
  const ds = digitsDataset(core);
  const net = core.network(GOOD, ds);
  net.trainSteps(5);
  const params = net.params, grads = net.grads, layers = net.layers();
  const copy = params.slice(), gcopy = grads.slice();
  const bytes = core.heapBytes();
  // A big data set forces memory growth (100,000 digits: 6.4 MB of pixels, 25.6 MB of floats).
  const n = 100000;
  const pixels = new Uint8Array(n * 64), labels = new Uint8Array(n);
  const d = digits();
  for (let i = 0; i < n; i++) { pixels.set(d.pixels.subarray((i % d.count) * 64, (i % d.count + 1) * 64), i * 64); labels[i] = d.labels[i % d.count]; }
  const big = core.dataset({ pixels, labels });
  assert.ok(core.heapBytes() > bytes, 'memory grew');
  assert.equal(params.length, 0, 'old views are detached by growth');
  assert.notEqual(net.params, params);
  assert.equal(net.params.buffer, core._M.HEAPU8.buffer);
  assert.deepEqual(net.params, copy);
  assert.deepEqual(net.grads, gcopy);
  assert.equal(net.params, net.params, 'the view is reused while memory stays the same');
  const L = net.layers();
  assert.equal(L[0].W.length, layers[0].in * layers[0].out);
  assert.equal(L[1].b.buffer, core._M.HEAPU8.buffer);
  // Writing through the view changes the network.
  const out0 = net.predict(ds.pixels(0));
  net.layers()[1].b[0] += 5;
  assert.notDeepEqual(net.predict(ds.pixels(0)), out0);
  net.layers()[1].b[0] -= 5;
  // Training still works, on either data set's network.
  net.trainEpoch();
  const net2 = core.network({ ...GOOD, batch: 1000 }, big);
  net2.trainSteps(2);
  assert.equal(net2.evaluate('all').count, n);
  net2.dispose();
  big.dispose();
  net.dispose();
  ds.dispose();
});

test('splitting a data set re-attaches its networks; disposing it leaves them safe', async () => {
  const core = await loadCore('simd');
  const ds = digitsDataset(core);
  const net = core.network(GOOD, ds);
  assert.equal(net.stepsPerEpoch, Math.ceil(ds.trainCount / 32));
  ds.limitTrain(64);
  assert.equal(net.stepsPerEpoch, 2);
  net.trainEpoch();
  ds.split({ testFraction: 0.5, seed: 4 });
  assert.equal(net.stepsPerEpoch, Math.ceil(ds.trainCount / 32));
  net.trainEpoch();
  assert.equal(net.evaluate('test').count, ds.testCount);
  ds.dispose();
  assert.throws(() => net.trainEpoch(), isErr('invalid', /data set.*disposed/));
  assert.throws(() => net.trace(0), isErr('invalid'));
  assert.equal(net.predict(new Array(64).fill(0)).length, 10, 'predict needs no data set');
  net.dispose();
});
