/* nnmath — the cost landscape: pure helpers (no DOM, no wasm).
 * Classic script: attaches window.NNLandscapeMath, or module.exports in Node.
 *
 *   range(values)                -> {min, max, minIndex, maxIndex, finite} over the finite values
 *   at(values, size, i, j)       -> values[i*size + j] (i: α index, j: β index)
 *   bilinear(values, size, span, a, b) -> the cost at (α, β) = (a, b) interpolated from the grid
 *   indexOf(size, span, a)       -> the nearest grid index of coordinate a (clamped)
 *   coord(size, span, i)         -> the coordinate of grid index i (float32, like the wrapper)
 *   heightScale(range, centre, mode) -> {lo, hi, f(c) -> 0..1, inv(t) -> cost, mode}
 *   viridis(t)                   -> [r, g, b]; textOn(rgb) -> '#000' | '#fff'
 *   PathRecorder(max)            -> {add(params) -> bool, list(), length, reset()}: snapshots of a
 *                                   training path, at most `max` (halved evenly when full; the
 *                                   first and the newest are always kept)
 *   pathSummary(off)             -> {outside: share of the path's length outside the slice}
 *   fmt(x, d), fmtSigned(x, d)   -> numbers with a typographic minus
 */
(function (root) {
  'use strict';

  function range(values) {
    var min = Infinity, max = -Infinity, mi = -1, ma = -1, n = 0;
    for (var k = 0; k < values.length; k++) {
      var v = values[k];
      if (!(v === v) || v === Infinity || v === -Infinity) continue;
      n++;
      if (v < min) { min = v; mi = k; }
      if (v > max) { max = v; ma = k; }
    }
    return { min: n ? min : NaN, max: n ? max : NaN, minIndex: mi, maxIndex: ma, finite: n };
  }

  function at(values, size, i, j) { return values[i * size + j]; }

  function coord(size, span, i) {
    var h = (size - 1) / 2;
    return Math.fround(span * (i - h) / h);
  }

  function indexOf(size, span, a) {
    var h = (size - 1) / 2, i = Math.round(a / span * h + h);
    return Math.max(0, Math.min(size - 1, i));
  }

  /* Bilinear interpolation on the grid; NaN outside or where a corner is missing. */
  function bilinear(values, size, span, a, b) {
    var h = (size - 1) / 2, x = a / span * h + h, y = b / span * h + h;
    if (!(x >= 0 && x <= size - 1 && y >= 0 && y <= size - 1)) return NaN;
    var i = Math.min(size - 2, Math.floor(x)), j = Math.min(size - 2, Math.floor(y));
    var fx = x - i, fy = y - j;
    var v00 = values[i * size + j], v01 = values[i * size + j + 1];
    var v10 = values[(i + 1) * size + j], v11 = values[(i + 1) * size + j + 1];
    return (1 - fx) * ((1 - fy) * v00 + fy * v01) + fx * ((1 - fy) * v10 + fy * v11);
  }

  /* Map costs to heights 0..1.  mode 'linear' (default) or 'log' (log of the cost: shows the
   * valley when the edges are very high). */
  function heightScale(r, mode) {
    var lo = r.min, hi = r.max;
    if (!(hi > lo)) { hi = lo + 1e-6; }
    if (mode === 'log' && lo > 0) {
      var l0 = Math.log(lo), l1 = Math.log(hi);
      return { lo: lo, hi: hi, mode: 'log',
        f: function (c) { return (Math.log(Math.max(c, lo)) - l0) / (l1 - l0); },
        inv: function (t) { return Math.exp(l0 + t * (l1 - l0)); } };
    }
    return { lo: lo, hi: hi, mode: 'linear',
      f: function (c) { return (c - lo) / (hi - lo); },
      inv: function (t) { return lo + t * (hi - lo); } };
  }

  // Viridis (perceptually uniform, colour-blind safe; dark = low cost, bright = high).
  var VIRIDIS = [
    [68, 1, 84], [72, 36, 117], [65, 68, 135], [53, 95, 141], [42, 120, 142],
    [33, 145, 140], [34, 168, 132], [68, 191, 112], [122, 209, 81], [189, 223, 38], [253, 231, 37]
  ];
  function viridis(t) {
    if (!(t > 0)) t = 0;
    if (t > 1) t = 1;
    var x = t * (VIRIDIS.length - 1), i = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - i;
    var a = VIRIDIS[i], b = VIRIDIS[i + 1];
    return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
  }

  function channel(c) { var s = c / 255; return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4); }
  function luminance(c) { return 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]); }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  function textOn(rgb) { return contrast(rgb, [0, 0, 0]) >= contrast(rgb, [255, 255, 255]) ? '#000000' : '#ffffff'; }

  /* Snapshots of the parameters along training.  add() ignores a snapshot equal to the last. */
  function PathRecorder(max) {
    this.max = Math.max(4, max || 128);
    this.reset();
  }
  PathRecorder.prototype.reset = function () { this._list = []; this._stride = 1; this._seen = 0; };
  Object.defineProperty(PathRecorder.prototype, 'length', { get: function () { return this._list.length; } });
  PathRecorder.prototype.add = function (params) {
    var list = this._list, last = list.length ? list[list.length - 1] : null;
    if (last && same(last.p, params)) return false;
    var snap = { p: Float32Array.from(params), n: this._seen++ };
    // Keep snapshots whose number is a multiple of the stride, plus the newest.
    if (list.length && last.n % this._stride !== 0) list.pop();
    list.push(snap);
    if (list.length > this.max) {
      this._stride *= 2;
      var s = this._stride, kept = list.filter(function (x, k) { return x.n % s === 0 || k === list.length - 1; });
      this._list = kept;
    }
    return true;
  };
  PathRecorder.prototype.list = function () { return this._list.map(function (x) { return x.p; }); };

  function same(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /* off[k] (0..1) per point -> how much of the path lies outside the slice, as one number:
   * the largest off of the points that are not the centre. */
  function pathSummary(off) {
    var m = 0, n = 0;
    for (var k = 0; k < off.length; k++) {
      if (off[k] > 0) { n++; if (off[k] > m) m = off[k]; }
    }
    return { outside: m, points: n };
  }

  function fmt(x, d) {
    if (!isFinite(x)) return x !== x ? 'not a number' : (x > 0 ? '\u221e' : '\u2212\u221e');
    d = d == null ? 2 : d;
    var s = x.toFixed(d);
    if (Number(s) === 0) s = (0).toFixed(d);
    return s.replace('-', '\u2212');
  }
  function fmtSigned(x, d) {
    var s = fmt(x, d);
    return x > 0 && Number(x.toFixed(d == null ? 2 : d)) !== 0 ? '+' + s : s;
  }

  /* The map of the landscape as an n×n RGBA image (out: n*n*4 bytes, row 0 at the top).  Pixel
   * (px, py) is at α = −span + (px + ½)/n·2·span, β = span − (py + ½)/n·2·span; its cost is
   * bilinear(values, size, span, α, β) (the same arithmetic), mapped to 0..1 by f, and drawn in the
   * viridis colour of its band (one of `bands`); a pixel with no finite cost is light grey.  The
   * grid position of each column and row and the colour of each band are worked out once: per
   * pixel this took 10-100 ms on a slow computer, a long task while the landscape grows.
   * rowFrom, rowTo (optional, default 0 and n): only the rows rowFrom .. rowTo-1, so that a big
   * image can be made a band at a time; the bands together give the same bytes as one call. */
  function mapImage(out, n, values, size, span, f, bands, rowFrom, rowTo) {
    var h = (size - 1) / 2, k;
    var y0 = rowFrom == null ? 0 : Math.max(0, rowFrom), y1 = rowTo == null ? n : Math.min(n, rowTo);
    function cells(flip) {    // the grid cell and fraction of each column (α) or row (β)
      var c = { i: new Int32Array(n), f: new Float64Array(n) };
      for (var p = 0; p < n; p++) {
        var s = flip ? span - (p + 0.5) / n * 2 * span : -span + (p + 0.5) / n * 2 * span, x = s / span * h + h;
        c.i[p] = Math.min(size - 2, Math.floor(x));
        c.f[p] = x - c.i[p];
      }
      return c;
    }
    var col = cells(false), row = cells(true), lut = [];
    for (k = 0; k < bands; k++) lut.push(viridis((k + 0.5) / bands));
    for (var py = y0; py < y1; py++) {
      var j = row.i[py], fy = row.f[py];
      for (var px = 0; px < n; px++) {
        // pixel centres lie inside the grid: no outside case (a span of 0 or NaN gives NaN: grey)
        var o = 4 * (py * n + px), i = col.i[px], fx = col.f[px];
        var v00 = values[i * size + j], v01 = values[i * size + j + 1];
        var v10 = values[(i + 1) * size + j], v11 = values[(i + 1) * size + j + 1];
        var c = (1 - fx) * ((1 - fy) * v00 + fy * v01) + fx * ((1 - fy) * v10 + fy * v11);
        if (!isFinite(c)) { out[o] = 238; out[o + 1] = 240; out[o + 2] = 244; out[o + 3] = 255; continue; }
        k = Math.floor(Math.max(0, Math.min(0.9999, f(c))) * bands);
        var rgb = lut[k] || viridis((k + 0.5) / bands);
        out[o] = rgb[0]; out[o + 1] = rgb[1]; out[o + 2] = rgb[2]; out[o + 3] = 255;
      }
    }
    return out;
  }

  /* A whole number with thousands separators: 480500 -> "480,500", as toLocaleString('en-US')
   * writes it, but without its first-use cost (starting the browser's number formatting took
   * 30-70 ms in the first call on a slow computer: a long task on its own). */
  function thousands(n) {
    return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  var api = {
    thousands: thousands, mapImage: mapImage, range: range, at: at, coord: coord, indexOf: indexOf, bilinear: bilinear, heightScale: heightScale,
    viridis: viridis, luminance: luminance, contrast: contrast, textOn: textOn,
    PathRecorder: PathRecorder, pathSummary: pathSummary, fmt: fmt, fmtSigned: fmtSigned
  };
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNLandscapeMath = api;
})(typeof window !== 'undefined' ? window : this);
