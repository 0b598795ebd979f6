// The PyTorch reference runs (tests/golden/golden.json, see its README)
// reproduced through the JS API: all 1797 rows, scale unit, no split, no
// shuffling, full batch; 10 steps from the fixture's initial parameters.
// |got - want| <= 1e-4 * max(|want|, 1e-2) for the 11 costs and every final
// parameter.  Run with the SIMD and the scalar builds.
'use strict';

const test = require('node:test');
const assert = require('assert/strict');
const fs = require('fs');
const path = require('path');
const { ROOT, loadCore, digits, close } = require('./wasm-helpers.js');

const DIR = path.join(ROOT, 'tests', 'golden');
const GOLDEN = path.join(DIR, 'golden.json');
const REL = 1e-4, FLOOR = 1e-2;

const golden = fs.existsSync(GOLDEN) ? JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) : null;

test('the golden fixture exists and has configurations', () => {
  assert.ok(golden, `${GOLDEN} is missing (tests/golden/make_golden.py writes it)`);
  assert.ok(Array.isArray(golden.configs) && golden.configs.length > 0);
});

function compareParams(got, want, where) {
  assert.equal(got.layers.length, want.layers.length, `${where}: layer count`);
  let worst = 0;
  got.layers.forEach((gl, l) => {
    const wl = want.layers[l];
    assert.equal(gl.weight.length, wl.weight.length, `${where}: layer ${l} rows`);
    gl.weight.forEach((row, o) => row.forEach((v, i) => {
      const w = wl.weight[o][i];
      if (!close(v, w, REL, FLOOR)) assert.fail(`${where}: layer ${l} weight[${o}][${i}] = ${v}, want ${w}`);
      worst = Math.max(worst, Math.abs(v - w) / Math.max(Math.abs(w), FLOOR));
    }));
    gl.bias.forEach((v, o) => {
      const w = wl.bias[o];
      if (!close(v, w, REL, FLOOR)) assert.fail(`${where}: layer ${l} bias[${o}] = ${v}, want ${w}`);
    });
  });
  return worst;
}

for (const kind of ['simd', 'scalar']) {
  for (const g of golden ? golden.configs : []) {
    test(`golden ${g.name} (${kind})`, async () => {
      const core = await loadCore(kind);
      const d = digits();
      const ds = core.dataset({ pixels: d.pixels, labels: d.labels, scale: 'unit' });
      assert.equal(ds.trainCount, 1797);
      const net = core.network({
        layers: g.layers, activation: g.activation, output: g.output, cost: g.cost,
        optimizer: g.optimizer, lr: g.lr, momentum: g.momentum, weightDecay: g.weight_decay,
        batch: 0, shuffle: false, seed: 1,
      }, ds);
      const init = JSON.parse(fs.readFileSync(path.join(DIR, g.init), 'utf8'));
      net.fromJSON(init);
      // The fixture's numbers are float32 decimals: they load exactly.
      net.toJSON().layers.forEach((gl, l) => {
        gl.weight.forEach((row, o) => row.forEach((v, i) => assert.equal(v, Math.fround(init.layers[l].weight[o][i]))));
        gl.bias.forEach((v, o) => assert.equal(v, Math.fround(init.layers[l].bias[o])));
      });
      assert.equal(net.stepsPerEpoch, 1);
      const costs = [net.evaluate('all').cost];
      for (let s = 0; s < g.steps; s++) {
        const st = net.trainSteps(1);
        // The batch cost of step s+1 is the cost before it (full batch).
        assert.ok(close(st.batchCost, g.costs[s], REL, FLOOR), `${g.name}: batch cost of step ${s + 1}: ${st.batchCost} want ${g.costs[s]}`);
        costs.push(net.evaluate('all').cost);
      }
      assert.equal(costs.length, g.costs.length);
      costs.forEach((c, s) => assert.ok(close(c, g.costs[s], REL, FLOOR), `${g.name}: cost ${s}: ${c} want ${g.costs[s]}`));
      assert.ok(close(net.cost('all'), g.costs[g.steps], REL, FLOOR));
      compareParams(net.toJSON(), g.final, `${g.name} final`);
      net.dispose();
      ds.dispose();
    });
  }
}
