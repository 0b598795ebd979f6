/* nnmath — pure mathematics behind the "tangent" and "ball" interactives.
 *
 * No DOM here: the curve C(w) and its derivative, the surface C(w1, w2) and its
 * gradient, gradient-descent steps (plain and with momentum), and finding the
 * minima. Classic script: attaches window.NNLearnMath, or module.exports in Node.
 */
(function (root) {
  'use strict';

  // ---------------------------------------------------------------------------
  // One weight: C(w) = 0.05 w^4 - 0.4 w^2 + 0.3 w + 1.5
  // A global minimum near w = -2.17, a hilltop near w = 0.39 and a higher
  // (local) minimum near w = 1.78.
  // ---------------------------------------------------------------------------
  var curve = {
    formula: 'C(w) = 0.05w\u2074 \u2212 0.4w\u00b2 + 0.3w + 1.5',
    derivativeFormula: 'C\u2032(w) = 0.2w\u00b3 \u2212 0.8w + 0.3',
    range: [-3.2, 3.2],          // the plotted range of w
    costRange: [-0.7, 3.8],      // the plotted range of C
    C: function (w) { var w2 = w * w; return 0.05 * w2 * w2 - 0.4 * w2 + 0.3 * w + 1.5; },
    dC: function (w) { return 0.2 * w * w * w - 0.8 * w + 0.3; },
    d2C: function (w) { return 0.6 * w * w - 0.8; }
  };

  // One plain gradient-descent step: w <- w - eta * C'(w).
  function step1D(w, eta, dC) {
    return w - eta * (dC || curve.dC)(w);
  }

  // Critical points of f on [a, b]: sign changes of df on a fine grid, then
  // bisection. kind: 'min' (d2f > 0), 'max' (d2f < 0) or 'flat'.
  function criticalPoints1D(f, df, d2f, a, b, n) {
    n = n || 2000;
    var out = [];
    var h = (b - a) / n;
    var x0 = a, g0 = df(a);
    for (var i = 1; i <= n; i++) {
      var x1 = a + i * h, g1 = df(x1);
      if (g0 === 0 || g0 * g1 < 0) {
        var lo = x0, hi = x1, glo = g0;
        if (g0 !== 0) {
          for (var k = 0; k < 80; k++) {
            var mid = 0.5 * (lo + hi), gm = df(mid);
            if (gm === 0) { lo = hi = mid; break; }
            if (glo * gm < 0) hi = mid; else { lo = mid; glo = gm; }
          }
        }
        var x = 0.5 * (lo + hi), c2 = d2f(x);
        out.push({ w: x, C: f(x), kind: c2 > 1e-12 ? 'min' : (c2 < -1e-12 ? 'max' : 'flat') });
      }
      x0 = x1; g0 = g1;
    }
    return out;
  }

  var curvePoints = criticalPoints1D(curve.C, curve.dC, curve.d2C, curve.range[0], curve.range[1]);
  curve.minima = curvePoints.filter(function (p) { return p.kind === 'min'; });
  curve.maxima = curvePoints.filter(function (p) { return p.kind === 'max'; });
  (function () {
    var best = null;
    curve.minima.forEach(function (m) { if (!best || m.C < best.C) best = m; });
    curve.minima.forEach(function (m) { m.global = (m === best); });
    curve.globalMinimum = best;
  })();

  // What a step from wOld to wNew did, in words a page can explain.
  //   overshoot:   the slope changed sign, so w jumped over the bottom of a valley
  //   crossedHill: w jumped over a hilltop into another valley
  //   costUp:      the cost went up instead of down
  //   outOfRange:  w left the plotted range;  nonFinite: w is NaN or infinite
  function describeStep1D(wOld, wNew, opts) {
    opts = opts || {};
    var c = opts.curve || curve;
    var range = opts.range || c.range;
    var zero = opts.zeroSlope || 1e-9;
    var r = { from: wOld, to: wNew, overshoot: false, crossedHill: false, costUp: false,
      outOfRange: false, nonFinite: false, jump: wNew - wOld };
    if (!isFinite(wNew)) { r.nonFinite = true; return r; }
    if (wNew < range[0] || wNew > range[1]) r.outOfRange = true;
    var s0 = c.dC(wOld), s1 = c.dC(wNew);
    var lo = Math.min(wOld, wNew), hi = Math.max(wOld, wNew);
    (c.maxima || []).forEach(function (m) { if (m.w > lo && m.w < hi) r.crossedHill = true; });
    // Jumped over a valley bottom: the slope changed sign (not merely landed on a flat spot),
    // or a minimum lies strictly between the two points.
    if (Math.abs(s0) > zero && Math.abs(s1) > zero && s0 * s1 < 0) r.overshoot = true;
    (c.minima || []).forEach(function (m) {
      if (m.w > lo && m.w < hi && Math.abs(wNew - m.w) > 1e-6) r.overshoot = true;
    });
    r.costUp = c.C(wNew) > c.C(wOld) + 1e-12;
    return r;
  }

  // Run 1-D gradient descent from w0.
  //   status: 'converged' (|C'(w)| < tol), 'diverged' (left opts.range or |w| > 1e6),
  //           'nonfinite', or 'maxSteps'.
  //   path: every w visited; overshoots: how many steps jumped over a valley bottom.
  function descend1D(w0, eta, opts) {
    opts = opts || {};
    var c = opts.curve || curve;
    var tol = opts.tol || 1e-6;
    var maxSteps = opts.maxSteps || 10000;
    var range = opts.range || null;
    var w = w0, path = [w0], overshoots = 0, status = 'maxSteps', i;
    for (i = 0; i < maxSteps; i++) {
      if (Math.abs(c.dC(w)) < tol) { status = 'converged'; break; }
      var wn = step1D(w, eta, c.dC);
      var d = describeStep1D(w, wn, { curve: c, range: range || [-Infinity, Infinity] });
      if (d.overshoot) overshoots++;
      path.push(wn);
      w = wn;
      if (!isFinite(w)) { status = 'nonfinite'; i++; break; }
      if ((range && (w < range[0] || w > range[1])) || Math.abs(w) > 1e6) { status = 'diverged'; i++; break; }
    }
    return { w: w, C: c.C(w), slope: c.dC(w), steps: i, status: status, path: path, overshoots: overshoots };
  }

  // ---------------------------------------------------------------------------
  // Two weights: a gentle bowl minus four Gaussian valleys of different depths.
  //   C(w1, w2) = b (w1^2 + w2^2) - sum_i a_i exp(-((w1-x_i)^2 + (w2-y_i)^2) / (2 s_i^2)) + c0
  // ---------------------------------------------------------------------------
  var VALLEYS = [
    { x: 1.5, y: 1.3, a: 2.0, s: 0.75 },
    { x: -1.6, y: 1.2, a: 1.45, s: 0.8 },
    { x: -1.1, y: -1.6, a: 1.15, s: 0.7 },
    { x: 1.7, y: -1.5, a: 0.85, s: 0.6 }
  ];
  var BOWL = 0.09;
  var C0 = 1.8;

  function makeSurface(valleys, bowl, c0, range) {
    var n = valleys.length;
    var vx = new Float64Array(n), vy = new Float64Array(n), va = new Float64Array(n), vk = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      vx[i] = valleys[i].x; vy[i] = valleys[i].y; va[i] = valleys[i].a;
      vk[i] = 1 / (2 * valleys[i].s * valleys[i].s);
    }
    var s = {
      formula: 'C(w\u2081, w\u2082) = ' + bowl + '(w\u2081\u00b2 + w\u2082\u00b2) \u2212 \u03a3 a\u1d62\u00b7exp(\u2212|w \u2212 c\u1d62|\u00b2 / 2s\u1d62\u00b2) + ' + c0,
      valleys: valleys.map(function (v) { return { x: v.x, y: v.y, a: v.a, s: v.s }; }),
      bowl: bowl,
      range: range || [-3, 3],
      C: function (w1, w2) {
        var c = bowl * (w1 * w1 + w2 * w2) + c0;
        for (var i = 0; i < n; i++) {
          var dx = w1 - vx[i], dy = w2 - vy[i];
          c -= va[i] * Math.exp(-(dx * dx + dy * dy) * vk[i]);
        }
        return c;
      },
      // Analytic gradient [dC/dw1, dC/dw2]; writes into out when given.
      grad: function (w1, w2, out) {
        var g1 = 2 * bowl * w1, g2 = 2 * bowl * w2;
        for (var i = 0; i < n; i++) {
          var dx = w1 - vx[i], dy = w2 - vy[i];
          var e = va[i] * Math.exp(-(dx * dx + dy * dy) * vk[i]) * 2 * vk[i];
          g1 += e * dx; g2 += e * dy;
        }
        out = out || [0, 0];
        out[0] = g1; out[1] = g2;
        return out;
      }
    };
    return s;
  }

  var surface = makeSurface(VALLEYS, BOWL, C0, [-3, 3]);

  // One gradient-descent step on a surface, in place on st = {w1, w2, v1, v2}.
  //   plain (beta = 0):  w <- w - eta * grad C(w)
  //   momentum:          v <- beta * v - eta * grad C(w);  w <- w + v
  var gbuf = [0, 0];
  function step2D(st, eta, beta, surf) {
    surf = surf || surface;
    beta = beta || 0;
    var g = surf.grad(st.w1, st.w2, gbuf);
    st.v1 = beta * (st.v1 || 0) - eta * g[0];
    st.v2 = beta * (st.v2 || 0) - eta * g[1];
    st.w1 += st.v1;
    st.w2 += st.v2;
    return st;
  }

  function gradNorm(surf, w1, w2) {
    var g = surf.grad(w1, w2, [0, 0]);
    return Math.sqrt(g[0] * g[0] + g[1] * g[1]);
  }

  // Is a rolling ball finished? Gradient and velocity both (nearly) zero.
  function settled2D(st, surf, tol) {
    tol = tol || 1e-4;
    var v = Math.sqrt((st.v1 || 0) * (st.v1 || 0) + (st.v2 || 0) * (st.v2 || 0));
    return gradNorm(surf || surface, st.w1, st.w2) < tol && v < tol;
  }

  // Roll a ball from (w1, w2) until it settles.
  //   status: 'converged', 'diverged' (left opts.bound, default 1e3, or non-finite), 'maxSteps'
  function descend2D(w1, w2, opts) {
    opts = opts || {};
    var surf = opts.surface || surface;
    var eta = opts.eta == null ? 0.1 : opts.eta;
    var beta = opts.beta || 0;
    var tol = opts.tol || 1e-6;
    var maxSteps = opts.maxSteps || 20000;
    var bound = opts.bound || 1e3;
    var keep = opts.path !== false;
    var st = { w1: w1, w2: w2, v1: 0, v2: 0 };
    var path = keep ? [[w1, w2]] : null, status = 'maxSteps', i;
    for (i = 0; i < maxSteps; i++) {
      if (settled2D(st, surf, tol)) { status = 'converged'; break; }
      step2D(st, eta, beta, surf);
      if (keep) path.push([st.w1, st.w2]);
      if (!isFinite(st.w1) || !isFinite(st.w2) || Math.abs(st.w1) > bound || Math.abs(st.w2) > bound) {
        status = 'diverged'; i++; break;
      }
    }
    return { w1: st.w1, w2: st.w2, C: surf.C(st.w1, st.w2), gradNorm: gradNorm(surf, st.w1, st.w2),
      steps: i, status: status, path: path };
  }

  // Hessian by central differences of the analytic gradient.
  function hessian2D(surf, w1, w2, h) {
    h = h || 1e-5;
    var a = surf.grad(w1 + h, w2, [0, 0]), b = surf.grad(w1 - h, w2, [0, 0]);
    var c = surf.grad(w1, w2 + h, [0, 0]), d = surf.grad(w1, w2 - h, [0, 0]);
    var h11 = (a[0] - b[0]) / (2 * h), h12 = (a[1] - b[1]) / (2 * h);
    var h21 = (c[0] - d[0]) / (2 * h), h22 = (c[1] - d[1]) / (2 * h);
    return [[h11, 0.5 * (h12 + h21)], [0.5 * (h12 + h21), h22]];
  }

  // All minima of a surface: descend from a grid of starts (plain steps, no
  // momentum), polish with Newton steps, keep points where the gradient is ~0 and
  // the Hessian is positive definite, merge duplicates. Sorted by cost; labelled
  // 'A' (the global minimum), 'B', ... Without opts the result is remembered per
  // surface (a pure function of it); callers get copies.
  var minimaCache = typeof WeakMap === 'function' ? new WeakMap() : null;
  function findMinima2D(surf, opts) {
    surf = surf || surface;
    var cacheable = !opts && minimaCache;
    if (cacheable && minimaCache.has(surf)) {
      return minimaCache.get(surf).map(function (m) { return Object.assign({}, m); });
    }
    opts = opts || {};
    var n = opts.grid || 12;
    var r = surf.range;
    var found = [];
    for (var i = 0; i < n; i++) {
      for (var j = 0; j < n; j++) {
        var x = r[0] + (r[1] - r[0]) * (i + 0.5) / n;
        var y = r[0] + (r[1] - r[0]) * (j + 0.5) / n;
        var d = descend2D(x, y, { surface: surf, eta: opts.eta || 0.2, tol: 1e-5, maxSteps: 40000, path: false });
        if (d.status !== 'converged') continue;
        var p = newtonPolish(surf, d.w1, d.w2);
        var H = hessian2D(surf, p[0], p[1]);
        var det = H[0][0] * H[1][1] - H[0][1] * H[1][0];
        if (!(H[0][0] > 0 && det > 0)) continue;
        var dup = false;
        for (var k = 0; k < found.length; k++) {
          if (Math.hypot(found[k].w1 - p[0], found[k].w2 - p[1]) < 1e-3) { dup = true; break; }
        }
        if (!dup) found.push({ w1: p[0], w2: p[1], C: surf.C(p[0], p[1]) });
      }
    }
    found.sort(function (a, b) { return a.C - b.C; });
    found.forEach(function (m, idx) {
      m.label = String.fromCharCode(65 + idx);
      m.global = idx === 0;
      m.gradNorm = gradNorm(surf, m.w1, m.w2);
    });
    if (cacheable) minimaCache.set(surf, found.map(function (m) { return Object.assign({}, m); }));
    return found;
  }

  function newtonPolish(surf, w1, w2) {
    for (var it = 0; it < 20; it++) {
      var g = surf.grad(w1, w2, [0, 0]);
      var H = hessian2D(surf, w1, w2);
      var det = H[0][0] * H[1][1] - H[0][1] * H[1][0];
      if (!(Math.abs(det) > 1e-12)) break;
      var d1 = (H[1][1] * g[0] - H[0][1] * g[1]) / det;
      var d2 = (-H[1][0] * g[0] + H[0][0] * g[1]) / det;
      if (Math.hypot(d1, d2) > 0.1) break; // only polish, never jump
      w1 -= d1; w2 -= d2;
      if (Math.hypot(d1, d2) < 1e-13) break;
    }
    return [w1, w2];
  }

  // The minimum nearest to (w1, w2), if within maxDist.
  function nearestMinimum(minima, w1, w2, maxDist) {
    var best = null, bd = Infinity;
    for (var i = 0; i < minima.length; i++) {
      var d = Math.hypot(minima[i].w1 - w1, minima[i].w2 - w2);
      if (d < bd) { bd = d; best = minima[i]; }
    }
    return best && bd <= (maxDist == null ? 0.05 : maxDist) ? best : null;
  }

  // Small seeded random generator (mulberry32): same seed, same numbers.
  function mulberry32(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6D2B79F5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // n random starting points inside range (a margin away from the edge).
  function randomStarts(n, seed, range, margin) {
    range = range || surface.range;
    margin = margin == null ? 0.25 : margin;
    var rnd = mulberry32(seed);
    var lo = range[0] + margin, span = range[1] - range[0] - 2 * margin;
    var out = [];
    for (var i = 0; i < n; i++) out.push([lo + span * rnd(), lo + span * rnd()]);
    return out;
  }

  var api = {
    curve: curve,
    step1D: step1D,
    descend1D: descend1D,
    describeStep1D: describeStep1D,
    criticalPoints1D: criticalPoints1D,
    makeSurface: makeSurface,
    surface: surface,
    step2D: step2D,
    settled2D: settled2D,
    gradNorm: gradNorm,
    descend2D: descend2D,
    hessian2D: hessian2D,
    findMinima2D: findMinima2D,
    nearestMinimum: nearestMinimum,
    mulberry32: mulberry32,
    randomStarts: randomStarts
  };

  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNLearnMath = api;
})(typeof window !== 'undefined' ? window : this);
