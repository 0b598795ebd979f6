// The pure mathematics of the "tangent" and "ball" interactives
// (web/js/learn/surfaces.js): derivatives against finite differences, descent
// ends where the slope is ~0, large learning rates overshoot, and the surface
// has several valleys of different depths so a ball can miss the lowest one.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const path = require('path');
const M = require(path.join(__dirname, '..', 'web', 'js', 'learn', 'surfaces.js'));

const curve = M.curve;
const surface = M.surface;

function closeTo(actual, expected, tol, msg) {
  assert.ok(Math.abs(actual - expected) <= tol,
    `${msg || ''} expected ${expected} ± ${tol}, got ${actual}`);
}

test('the module is a classic script that exports its API to Node', () => {
  for (const k of ['curve', 'step1D', 'descend1D', 'describeStep1D', 'surface', 'step2D',
    'descend2D', 'findMinima2D', 'nearestMinimum', 'mulberry32', 'randomStarts']) {
    assert.ok(k in M, 'missing ' + k);
  }
});

test("C'(w) equals central finite differences at many points", () => {
  const h = 1e-5;
  for (let i = 0; i <= 200; i++) {
    const w = -4 + 8 * i / 200;
    const fd = (curve.C(w + h) - curve.C(w - h)) / (2 * h);
    closeTo(curve.dC(w), fd, 1e-6 * Math.max(1, Math.abs(fd)), `C'(${w})`);
    const fd2 = (curve.dC(w + h) - curve.dC(w - h)) / (2 * h);
    closeTo(curve.d2C(w), fd2, 1e-6 * Math.max(1, Math.abs(fd2)), `C''(${w})`);
  }
});

test('the curve has a global minimum, a higher local minimum and a hilltop between', () => {
  assert.strictEqual(curve.minima.length, 2);
  assert.strictEqual(curve.maxima.length, 1);
  const [left, right] = curve.minima;
  assert.ok(left.w < curve.maxima[0].w && curve.maxima[0].w < right.w);
  assert.ok(left.C < right.C - 0.5, 'the two valleys should have clearly different depths');
  assert.strictEqual(curve.globalMinimum, left);
  assert.ok(left.global && !right.global);
  for (const p of curve.minima.concat(curve.maxima)) {
    assert.ok(Math.abs(curve.dC(p.w)) < 1e-9, 'slope at a critical point');
    assert.ok(p.w > curve.range[0] && p.w < curve.range[1], 'inside the plotted range');
    assert.ok(p.C > curve.costRange[0] && p.C < curve.costRange[1], 'inside the plotted cost range');
  }
});

test('1-D descent from many starts ends where the slope is ~0 (at a minimum)', () => {
  for (let i = 0; i <= 40; i++) {
    const w0 = curve.range[0] + (curve.range[1] - curve.range[0]) * i / 40;
    if (Math.abs(w0 - curve.maxima[0].w) < 1e-3) continue; // exactly on the hilltop
    for (const eta of [0.02, 0.1, 0.3]) {
      const r = M.descend1D(w0, eta, { tol: 1e-7, maxSteps: 20000 });
      assert.strictEqual(r.status, 'converged', `w0=${w0} eta=${eta}`);
      assert.ok(Math.abs(curve.dC(r.w)) < 1e-7);
      assert.ok(curve.d2C(r.w) > 0, 'ends in a valley, not on the hilltop');
      assert.ok(curve.minima.some((m) => Math.abs(m.w - r.w) < 1e-5), `ended at ${r.w}`);
      // Small steps go straight downhill: the cost never goes up.
      for (let k = 1; k < r.path.length; k++) {
        assert.ok(curve.C(r.path[k]) <= curve.C(r.path[k - 1]) + 1e-12, 'cost went up with a small step');
      }
    }
  }
});

test('step1D is w - eta * C\'(w)', () => {
  for (const w of [-2.5, -1, 0, 0.7, 2.2]) {
    for (const eta of [0.01, 0.3, 1.5]) {
      closeTo(M.step1D(w, eta), w - eta * curve.dC(w), 1e-15);
    }
  }
});

test('a small learning rate does not overshoot; a large one does', () => {
  const w0 = -1;
  const small = M.descend1D(w0, 0.1, { tol: 1e-6, maxSteps: 5000 });
  assert.strictEqual(small.status, 'converged');
  assert.strictEqual(small.overshoots, 0);
  const gmin = curve.globalMinimum.w;
  // Small steps approach the bottom from one side only.
  assert.ok(small.path.every((w) => w >= gmin - 1e-9));

  const big = M.descend1D(w0, 0.85, { tol: 1e-6, maxSteps: 5000 });
  assert.ok(big.overshoots > 3, 'eta = 0.85 should jump over the valley bottom again and again');
  const sides = new Set(big.path.slice(1, 10).map((w) => Math.sign(w - gmin)));
  assert.strictEqual(sides.size, 2, 'w should land on both sides of the minimum');

  // Far too large: w runs off the plotted range (diverges).
  const huge = M.descend1D(2.6, 2.5, { range: curve.range, maxSteps: 500 });
  assert.strictEqual(huge.status, 'diverged');
  assert.ok(huge.w < curve.range[0] || huge.w > curve.range[1]);
  // ...and each step's cost goes up at least once on the way.
  assert.ok(huge.path.some((w, k) => k > 0 && curve.C(w) > curve.C(huge.path[k - 1])));
});

test('describeStep1D names overshoot, crossing the hill, cost up and leaving the range', () => {
  const g = curve.globalMinimum.w;
  const d1 = M.describeStep1D(g + 0.3, g - 0.5);
  assert.ok(d1.overshoot && d1.costUp && !d1.crossedHill && !d1.outOfRange);
  const d2 = M.describeStep1D(-1, -1.1);
  assert.ok(!d2.overshoot && !d2.costUp && !d2.crossedHill);
  const d3 = M.describeStep1D(-0.5, 1.5);
  assert.ok(d3.crossedHill);
  const d4 = M.describeStep1D(2, 9);
  assert.ok(d4.outOfRange);
  const d5 = M.describeStep1D(2, NaN);
  assert.ok(d5.nonFinite);
  const d6 = M.descend1D(3, 1e200, { maxSteps: 50 });
  assert.notStrictEqual(d6.status, 'converged');
});

test('the surface gradient equals central finite differences at many points', () => {
  const h = 1e-6;
  const rnd = M.mulberry32(7);
  for (let i = 0; i < 500; i++) {
    const w1 = -3.5 + 7 * rnd(), w2 = -3.5 + 7 * rnd();
    const g = surface.grad(w1, w2);
    const f1 = (surface.C(w1 + h, w2) - surface.C(w1 - h, w2)) / (2 * h);
    const f2 = (surface.C(w1, w2 + h) - surface.C(w1, w2 - h)) / (2 * h);
    closeTo(g[0], f1, 1e-6, `dC/dw1 at (${w1}, ${w2})`);
    closeTo(g[1], f2, 1e-6, `dC/dw2 at (${w1}, ${w2})`);
  }
});

test('the surface has at least 3 distinct minima of different depths', () => {
  const mins = M.findMinima2D();
  assert.ok(mins.length >= 3, 'found ' + mins.length);
  for (const m of mins) {
    assert.ok(m.gradNorm < 1e-8, 'gradient ~0 at a minimum');
    const H = M.hessian2D(surface, m.w1, m.w2);
    assert.ok(H[0][0] > 0 && H[0][0] * H[1][1] - H[0][1] * H[1][0] > 0, 'curves up in every direction');
    // A real minimum: every nearby point is higher.
    for (let a = 0; a < 16; a++) {
      const t = 2 * Math.PI * a / 16;
      assert.ok(surface.C(m.w1 + 0.05 * Math.cos(t), m.w2 + 0.05 * Math.sin(t)) > m.C);
    }
    assert.ok(m.w1 > surface.range[0] && m.w1 < surface.range[1]);
    assert.ok(m.w2 > surface.range[0] && m.w2 < surface.range[1]);
  }
  for (let i = 0; i < mins.length; i++) {
    for (let j = i + 1; j < mins.length; j++) {
      assert.ok(Math.hypot(mins[i].w1 - mins[j].w1, mins[i].w2 - mins[j].w2) > 1, 'distinct places');
      assert.ok(Math.abs(mins[i].C - mins[j].C) > 0.1, 'different depths');
    }
  }
  // A finer search finds no more minima than the default one.
  assert.strictEqual(M.findMinima2D(surface, { grid: 30 }).length, mins.length);
  assert.strictEqual(mins[0].label, 'A');
  assert.ok(mins[0].global && mins.slice(1).every((m) => !m.global));
  // The global minimum is the lowest point of a fine grid, too.
  let lowest = Infinity;
  for (let i = 0; i <= 300; i++) {
    for (let j = 0; j <= 300; j++) {
      lowest = Math.min(lowest, surface.C(-3 + 6 * i / 300, -3 + 6 * j / 300));
    }
  }
  assert.ok(mins[0].C <= lowest + 1e-9);
});

test('2-D descent (plain and momentum) ends where the gradient is ~0', () => {
  const mins = M.findMinima2D();
  const starts = M.randomStarts(40, 3);
  for (const [w1, w2] of starts) {
    for (const opt of [{ eta: 0.1, beta: 0 }, { eta: 0.05, beta: 0.8 }, { eta: 0.2, beta: 0.5 }]) {
      const r = M.descend2D(w1, w2, Object.assign({ tol: 1e-6, maxSteps: 50000 }, opt));
      assert.strictEqual(r.status, 'converged', JSON.stringify({ w1, w2, opt }));
      assert.ok(r.gradNorm < 1e-6);
      assert.ok(M.nearestMinimum(mins, r.w1, r.w2, 1e-3), `ended at a minimum: ${r.w1}, ${r.w2}`);
    }
  }
});

test('step2D: plain is w - eta*grad; momentum keeps a velocity', () => {
  const g = surface.grad(0.4, -0.3);
  const st = M.step2D({ w1: 0.4, w2: -0.3, v1: 0, v2: 0 }, 0.1, 0);
  closeTo(st.w1, 0.4 - 0.1 * g[0], 1e-15);
  closeTo(st.w2, -0.3 - 0.1 * g[1], 1e-15);
  const m = M.step2D({ w1: 0.4, w2: -0.3, v1: 0.2, v2: -0.1 }, 0.1, 0.9);
  closeTo(m.v1, 0.9 * 0.2 - 0.1 * g[0], 1e-15);
  closeTo(m.w1, 0.4 + m.v1, 1e-15);
  closeTo(m.w2, -0.3 + m.v2, 1e-15);
});

test('a ball from some start ends in a valley that is not the lowest', () => {
  const mins = M.findMinima2D();
  const global = mins[0];
  // A start right next to a shallower valley.
  const other = mins[mins.length - 1];
  const r = M.descend2D(other.w1 + 0.3, other.w2 - 0.2, { eta: 0.1 });
  assert.strictEqual(r.status, 'converged');
  const m = M.nearestMinimum(mins, r.w1, r.w2, 1e-3);
  assert.ok(m && !m.global, 'stuck in a local minimum');
  assert.ok(r.C > global.C + 0.1);

  // The page's first "drop 10 balls" (seed 1) shows both outcomes.
  const ends = M.randomStarts(10, 1).map(([a, b]) => {
    const d = M.descend2D(a, b, { eta: 0.1, beta: 0, tol: 1e-5 });
    return M.nearestMinimum(mins, d.w1, d.w2, 0.01);
  });
  assert.ok(ends.every(Boolean));
  assert.ok(ends.some((e) => e.global), 'some ball finds the lowest valley');
  assert.ok(ends.some((e) => !e.global), 'some ball gets stuck in a higher valley');
});

test('seeded random starts are reproducible and inside the range', () => {
  assert.deepStrictEqual(M.randomStarts(10, 1), M.randomStarts(10, 1));
  assert.notDeepStrictEqual(M.randomStarts(10, 1), M.randomStarts(10, 2));
  for (const [a, b] of M.randomStarts(200, 5)) {
    assert.ok(a > -3 && a < 3 && b > -3 && b < 3);
  }
});
