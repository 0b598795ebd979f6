// The wasm core (through web/js/nnmath.js) and the native CLI train the same
// network the same way: per-epoch costs within 1e-5 relative over 5 epochs,
// for the SIMD and the scalar builds.
'use strict';

const test = require('node:test');
const assert = require('assert/strict');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { ROOT, CLI, CSV, loadCore, digitsDataset, close } = require('./wasm-helpers.js');

const EPOCHS = 5;
const CONFIGS = [
  { name: 'relu xent 64,64,10', cfg: { layers: [64, 64, 10], activation: 'relu', cost: 'xent', lr: 0.1, batch: 32, seed: 1 },
    args: ['--layers', '64,64,10', '--activation', 'relu', '--cost', 'xent', '--lr', '0.1', '--batch', '32', '--seed', '1'] },
  { name: 'simple sigmoid mse 64,8,10', cfg: { layers: [64, 8, 10], activation: 'sigmoid', cost: 'mse', output: 'sigmoid', lr: 0.1, batch: 32, seed: 1 },
    args: ['--layers', '64,8,10', '--activation', 'sigmoid', '--cost', 'mse', '--output', 'sigmoid', '--lr', '0.1', '--batch', '32', '--seed', '1'] },
  { name: 'tanh momentum L2 64,32,16,10 seed 7', cfg: { layers: [64, 32, 16, 10], activation: 'tanh', cost: 'xent', optimizer: 'momentum', lr: 0.05, momentum: 0.9, weightDecay: 0.001, batch: 16, seed: 7 },
    args: ['--layers', '64,32,16,10', '--activation', 'tanh', '--cost', 'xent', '--optimizer', 'momentum', '--lr', '0.05', '--momentum', '0.9', '--weight-decay', '0.001', '--batch', '16', '--seed', '7'] },
  { name: 'adam relu full batch', cfg: { layers: [64, 16, 10], activation: 'relu', cost: 'xent', optimizer: 'adam', lr: 0.01, momentum: 0.9, batch: 0, seed: 3 },
    args: ['--layers', '64,16,10', '--activation', 'relu', '--cost', 'xent', '--optimizer', 'adam', '--lr', '0.01', '--momentum', '0.9', '--batch', '0', '--seed', '3'] },
];

function runCLI(args) {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: build the native trainer first (make build)`);
  const out = execFileSync(CLI, ['train', '--data', CSV, '--scale', 'unit', '--test-fraction', '0.2',
    '--epochs', String(EPOCHS), '--json', ...args], { cwd: ROOT, encoding: 'utf8' });
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  const epochs = lines.filter((l) => l.epoch !== undefined);
  assert.equal(epochs.length, EPOCHS);
  assert.equal(lines[lines.length - 1].done, true);
  return epochs;
}

function runWasm(core, cfg) {
  const ds = digitsDataset(core, { seed: cfg.seed, testFraction: 0.2 });
  const net = core.network(cfg, ds);
  const rows = [];
  for (let e = 1; e <= EPOCHS; e++) {
    net.trainEpoch();
    const tr = net.evaluate('train'), te = net.evaluate('test');
    rows.push({ epoch: net.epoch, train_cost: tr.cost, test_cost: te.cost, train_acc: tr.accuracy, test_acc: te.accuracy,
      train_count: tr.count, test_count: te.count });
  }
  net.dispose();
  ds.dispose();
  return rows;
}

for (const c of CONFIGS) {
  test(`wasm and native agree: ${c.name}`, async () => {
    const native = runCLI(c.args);
    for (const kind of ['simd', 'scalar']) {
      const core = await loadCore(kind);
      const wasm = runWasm(core, c.cfg);
      for (let i = 0; i < EPOCHS; i++) {
        const n = native[i], w = wasm[i];
        const where = `${kind}, epoch ${i + 1}`;
        assert.equal(w.epoch, n.epoch, where);
        for (const key of ['train_cost', 'test_cost']) {
          assert.ok(close(w[key], n[key], 1e-5), `${where}: ${key} wasm ${w[key]} native ${n[key]}`);
        }
        // Accuracies: at most one digit may flip on a near tie.
        assert.ok(Math.abs(w.train_acc - n.train_acc) <= 1.01 / w.train_count, `${where}: train_acc ${w.train_acc} vs ${n.train_acc}`);
        assert.ok(Math.abs(w.test_acc - n.test_acc) <= 1.01 / w.test_count, `${where}: test_acc ${w.test_acc} vs ${n.test_acc}`);
      }
    }
  });
}

// net.trainSamples: a big batch's step split over many calls (so that the page never blocks for a
// whole step) gives the same bits as whole steps, stops at the end of an epoch, reports the samples
// of a half-done step, and refuses a bad count in plain words.
test('trainSamples: a step split over calls gives the same weights as whole steps', async () => {
  for (const kind of ['simd', 'scalar']) {
    const core = await loadCore(kind);
    for (const batch of [0, 200, 32]) {
      const cfg = { layers: [64, 24, 16, 10], activation: 'tanh', cost: 'xent', optimizer: 'momentum', lr: 0.05, batch, seed: 4 };
      const ds = digitsDataset(core, { seed: 1, testFraction: 0.2 });
      const a = core.network(cfg, ds), b = core.network(cfg, ds);
      a.trainEpoch(); a.trainEpoch();
      let seed = 99 + batch, calls = 0, split = 0;
      const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 4294967296; };
      while (b.epoch < 2) {
        const before = b.epoch;
        const r = b.trainSamples(1 + Math.floor(rnd() * 300));
        calls++;
        if (r.pending > 0) split++;
        assert.ok(r.epoch - before <= 1, 'at most one epoch per call');
        if (r.epoch !== before) assert.equal(r.step + r.pending, 0, 'a call stops at the end of an epoch');
        assert.equal(r.pending % 64, 0, 'whole chunks of 64 samples');
      }
      const where = `${kind}, batch ${batch}: ${calls} calls`;
      assert.deepEqual(b.params, a.params, where);
      assert.equal(b.trainSteps(0).batchCost, a.trainSteps(0).batchCost, where);
      if (batch === 0 || batch > 64) assert.ok(split >= 5, `${where}: steps were split (${split})`);
      else assert.equal(split, 0, where);
      assert.throws(() => b.trainSamples(0), (e) => e.code === 'invalid' && /at least 1/.test(e.message));
      assert.throws(() => b.trainSamples(2.5), (e) => e.code === 'invalid');
      a.dispose(); b.dispose(); ds.dispose();
    }
  }
});

test('evaluate(set, {outputs: true}): the same evaluation, and each row\'s outputs as predict() gives them', async () => {
  for (const kind of ['simd', 'scalar']) {
    const core = await loadCore(kind);
    const ds = digitsDataset(core, { seed: 1, testFraction: 0.2 });
    for (const cfg of [{ layers: [64, 32, 10], activation: 'relu', cost: 'xent' },
      { layers: [64, 20, 12, 10], activation: 'sigmoid', cost: 'mse', output: 'sigmoid' }]) {
      const net = core.network(Object.assign({ lr: 0.1, batch: 32, seed: 2 }, cfg), ds);
      net.trainEpoch();
      for (const set of ['train', 'test', 'all']) {
        const plain = net.evaluate(set), both = net.evaluate(set, { outputs: true }), rows = ds.rows(set);
        const where = `${kind}, ${cfg.layers.join(',')}, ${set}`;
        assert.deepEqual(Object.assign({}, both, { outputs: undefined }), Object.assign({}, plain, { outputs: undefined }), where);
        assert.ok(both.outputs instanceof Float32Array && both.outputs.length === rows.length * 10, where);
        let differ = 0;
        for (let i = 0; i < rows.length; i++) {
          const o = net.predict(ds.pixels(rows[i]));
          for (let k = 0; k < 10; k++) if (!Object.is(o[k], both.outputs[i * 10 + k])) { differ++; break; }
        }
        assert.equal(differ, 0, `${where}: rows whose outputs differ from predict()`);
        assert.ok(both.outputs.some((v) => v !== 0), where);
      }
      assert.equal(net.evaluate('test', { outputs: false }).outputs, undefined);
      net.dispose();
    }
    ds.dispose();
  }
});
