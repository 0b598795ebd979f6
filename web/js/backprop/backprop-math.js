/* nnmath — backpropagation, step by step: the pure part (no DOM).  Classic script: attaches
 * window.NNBackpropMath, or module.exports in Node.
 *
 * Everything here reads the numbers of one net.trace(row) of js/nnmath.js (the C core's own
 * backward pass: layers[l] = {in, out, W, b, input, z, a, delta, dW, db}) and arranges them the
 * way the lesson shows them; the few numbers it computes itself (f′(z), a − y, the sums of the
 * chain rule, W − η·∂C/∂W) are the same formulas, in double precision.
 *
 *   steps(L)                -> [{kind: 'forward'|'output'|'grad'|'back'|'update', layer}]
 *                              forward, output δ_L, then for l = L..1: ∂C/∂W_l (and ∂C/∂b_l),
 *                              δ_(l−1) (when l > 1), and finally the update.
 *   model(trace, cfg)       -> {L, sizes, cost, output, activation, label, y, layers,
 *                              aMinusY, fprime: [per layer l (1-based) f′(z_l)], outputRule}
 *   fprime(act, z, a)       -> f′(z) for 'sigmoid' | 'tanh' | 'relu' | 'identity' (from z and a)
 *   outputDelta(m)          -> δ_L recomputed from a, y, z with the cost's formula (double)
 *   backDelta(m, l)         -> δ_l (l < L) = (W_(l+1)ᵀ δ_(l+1)) ⊙ f′(z_l), recomputed, with the
 *                              intermediate WtDelta
 *   chain(m, l, j, k)       -> the chain rule of weight w_jk of weight layer l (1-based), with
 *                              the numbers: {grad (the core's), delta, input, product, sum,
 *                              fp, terms: [{w, d}] (for l < L)}
 *   paramIndex(sizes, l, j, k) -> index of W_l[j][k] in the parameter buffer (k = -1: b_l[j])
 *   updated(W, dW, lr)      -> Float32Array W − η·∂C/∂W (float32, like the SGD step)
 *   centralDifference(net, row, index, h) -> (C(p + h) − C(p − h)) / (the two real steps),
 *                              through the wrapper (perturbs net.params[index], restores it)
 *   costWith(net, row, params) -> the digit's cost with other parameters (restored after)
 *   diverging(t)            -> [r, g, b] blue (−1) – white (0) – orange (+1), colour-blind safe
 *   textOn(rgb), maxAbs(a), fmt(x, d), sig(x, n), shape(r, c), sub(n)
 */
(function (root) {
  'use strict';

  var SUB = '₀₁₂₃₄₅₆₇₈₉';
  function sub(n) { return String(n).split('').map(function (c) { return SUB[+c] || c; }).join(''); }
  function shape(r, c) { return r + '×' + c; }

  function steps(L) {
    var list = [{ kind: 'forward', layer: L }, { kind: 'output', layer: L }];
    for (var l = L; l >= 1; l--) {
      list.push({ kind: 'grad', layer: l });
      if (l > 1) list.push({ kind: 'back', layer: l - 1 });
    }
    list.push({ kind: 'update', layer: 1 });
    return list;
  }

  function fprime(act, z, a) {
    if (act === 'sigmoid') return a * (1 - a);
    if (act === 'tanh') return 1 - a * a;
    if (act === 'relu') return z > 0 ? 1 : 0;
    return 1; // identity
  }

  function model(trace, cfg) {
    var L = trace.layers.length, sizes = [trace.layers[0].in];
    trace.layers.forEach(function (ly) { sizes.push(ly.out); });
    var label = trace.label, out = trace.layers[L - 1];
    var y = new Float64Array(10);
    if (label !== null && label >= 0) y[label] = 1;
    var aMinusY = new Float64Array(10);
    for (var k = 0; k < 10; k++) aMinusY[k] = out.a[k] - y[k];
    var fp = [null];
    for (var l = 1; l <= L; l++) {
      var ly = trace.layers[l - 1], act = l === L ? cfg.output : cfg.activation, v = new Float64Array(ly.out);
      for (var j = 0; j < ly.out; j++) v[j] = act === 'softmax' ? NaN : fprime(act, ly.z[j], ly.a[j]);
      fp.push(v);
    }
    var rule = cfg.cost === 'xent' ? 'xent' : (cfg.output === 'softmax' ? 'mse-softmax' : (cfg.output === 'identity' ? 'mse-identity' : 'mse-sigmoid'));
    return { L: L, sizes: sizes, cost: cfg.cost, output: cfg.output, activation: cfg.activation, lr: cfg.lr,
      label: label, y: y, layers: trace.layers, aMinusY: aMinusY, fprime: fp, outputRule: rule, costValue: trace.cost,
      predicted: trace.predicted };
  }

  function outputDelta(m) {
    var a = m.layers[m.L - 1].a, d = new Float64Array(10), k;
    if (m.outputRule === 'xent') {
      for (k = 0; k < 10; k++) d[k] = m.aMinusY[k];
    } else if (m.outputRule === 'mse-softmax') {
      // δ = J(a)ᵀ (a − y), J = diag(a) − a aᵀ:  δ_k = a_k ((a_k − y_k) − Σ_j a_j (a_j − y_j))
      var s = 0;
      for (k = 0; k < 10; k++) s += a[k] * m.aMinusY[k];
      for (k = 0; k < 10; k++) d[k] = a[k] * (m.aMinusY[k] - s);
    } else {
      for (k = 0; k < 10; k++) d[k] = m.aMinusY[k] * m.fprime[m.L][k];
    }
    return d;
  }

  /* δ_l for a hidden layer l (1-based, l < L) from δ_(l+1) of the core. */
  function backDelta(m, l) {
    var next = m.layers[l], n = next.in, out = next.out, W = next.W, dn = next.delta;
    var wt = new Float64Array(n), d = new Float64Array(n);
    for (var j = 0; j < n; j++) {
      var s = 0;
      for (var i = 0; i < out; i++) s += W[i * n + j] * dn[i];
      wt[j] = s;
      d[j] = s * m.fprime[l][j];
    }
    return { WtDelta: wt, delta: d };
  }

  function chain(m, l, j, k) {
    var ly = m.layers[l - 1], r = {
      layer: l, j: j, k: k, grad: ly.dW[j * ly.in + k], delta: ly.delta[j], input: ly.input[k],
      product: ly.delta[j] * ly.input[k], hidden: l < m.L
    };
    if (l < m.L) {
      var next = m.layers[l], terms = [], s = 0;
      for (var i = 0; i < next.out; i++) {
        var w = next.W[i * next.in + j], d = next.delta[i];
        terms.push({ w: w, d: d });
        s += w * d;
      }
      r.terms = terms;
      r.sum = s;
      r.fp = m.fprime[l][j];
      r.z = ly.z[j];
      r.a = ly.a[j];
    }
    return r;
  }

  function paramIndex(sizes, l, j, k) {
    var off = 0;
    for (var m = 1; m < l; m++) off += sizes[m - 1] * sizes[m] + sizes[m];
    var inN = sizes[l - 1], outN = sizes[l];
    return k < 0 ? off + inN * outN + j : off + j * inN + k;
  }

  function updated(W, dW, lr) {
    var out = new Float32Array(W.length);
    for (var i = 0; i < W.length; i++) out[i] = W[i] - Math.fround(lr * dW[i]);
    return out;
  }

  function centralDifference(net, row, index, h) {
    h = h || 1e-3;
    var p = net.params, w = p[index];
    p[index] = w + h;
    var up = net.params[index] - w;
    var cp = net.trace(row).cost;
    p = net.params;
    p[index] = w - h;
    var down = w - net.params[index];
    var cm = net.trace(row).cost;
    net.params[index] = w;
    return (cp - cm) / (up + down);
  }

  function costWith(net, row, params) {
    var p = net.params, old = p.slice();
    p.set(params);
    try { return net.trace(row).cost; } finally { net.params.set(old); }
  }

  // Blue – white – orange (ColorBrewer-like ramps; distinguishable with the common colour-vision
  // deficiencies, which keep the blue–yellow axis).
  var NEG = [[8, 69, 148], [66, 146, 198], [198, 219, 239]];
  var POS = [[253, 208, 162], [241, 105, 19], [140, 45, 4]];
  var RAMP = NEG.concat([[255, 255, 255]], POS);
  function diverging(t) {
    if (!(t === t)) return [160, 160, 160];
    t = Math.max(-1, Math.min(1, t));
    var x = (t + 1) / 2 * (RAMP.length - 1), i = Math.min(RAMP.length - 2, Math.floor(x)), f = x - i;
    var a = RAMP[i], b = RAMP[i + 1];
    return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
  }
  function channel(c) { var s = c / 255; return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4); }
  function luminance(c) { return 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]); }
  function contrast(a, b) { var x = luminance(a), y = luminance(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
  function textOn(rgb) { return contrast(rgb, [0, 0, 0]) >= contrast(rgb, [255, 255, 255]) ? '#000000' : '#ffffff'; }
  function css(rgb) { return 'rgb(' + rgb[0] + ',' + rgb[1] + ',' + rgb[2] + ')'; }
  function maxAbs(a) {
    var m = 0;
    for (var i = 0; i < a.length; i++) { var v = Math.abs(a[i]); if (v > m) m = v; }
    return m > 0 ? m : 1e-12;
  }

  function fmt(x, d) {
    if (!isFinite(x)) return x !== x ? '—' : (x > 0 ? '∞' : '−∞');
    d = d == null ? 3 : d;
    var s = x.toFixed(d);
    if (Number(s) === 0) s = (0).toFixed(d);
    return s.replace('-', '−');
  }
  /* n significant digits, no exponent for |x| >= 1e-4 (else x·10^k written out) */
  function sig(x, n) {
    if (!isFinite(x)) return fmt(x);
    n = n || 4;
    if (x === 0) return '0';
    var ax = Math.abs(x);
    if (ax < 1e-4) {
      var e = Math.floor(Math.log10(ax)), mant = x / Math.pow(10, e);
      return fmt(mant, n - 1) + '·10' + superscript(e);
    }
    var d = Math.max(0, n - 1 - Math.floor(Math.log10(ax)));
    return fmt(x, Math.min(d, 8));
  }
  var SUP = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
  function superscript(e) { return String(e).split('').map(function (c) { return SUP[c]; }).join(''); }

  /* A whole number with thousands separators (2410 -> "2,410"), as toLocaleString('en-US') writes
   * it, without its first-use cost (30-70 ms to start the browser's number formatting). */
  function thousands(n) {
    return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  var api = {
    thousands: thousands, steps: steps, model: model, fprime: fprime, outputDelta: outputDelta, backDelta: backDelta, chain: chain,
    paramIndex: paramIndex, updated: updated, centralDifference: centralDifference, costWith: costWith,
    diverging: diverging, textOn: textOn, css: css, contrast: contrast, maxAbs: maxAbs, fmt: fmt, sig: sig,
    shape: shape, sub: sub
  };
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNBackpropMath = api;
})(typeof window !== 'undefined' ? window : this);
