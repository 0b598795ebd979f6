/* nnmath page — digit helpers (pure; browser global NNPageDigits, Node module.exports):
 * decoding the data script, filtering by label, the grid's layout, hit testing and keyboard
 * movement, one-hot targets, argmax. */
(function (root) {
  'use strict';

  /* Decode {count, pixels: "A".."Q" chars, labels: "0".."9" chars} (see docs/CONTRACTS.md).
   * The page prefers NNMath.decodeDigits; this one is the same format, for Node tests and as a
   * fallback.  Throws an Error with a plain message on a malformed object. */
  function decode(obj) {
    if (!obj || typeof obj !== 'object') throw new Error('The digits data is missing.');
    var n = obj.count;
    if (!(typeof n === 'number' && n > 0 && n === Math.floor(n)) ||
        typeof obj.pixels !== 'string' || typeof obj.labels !== 'string' ||
        obj.pixels.length !== n * 64 || obj.labels.length !== n) {
      throw new Error('The digits data is malformed.');
    }
    var pixels = new Uint8Array(n * 64), labels = new Uint8Array(n);
    for (var i = 0; i < n * 64; i++) {
      var v = obj.pixels.charCodeAt(i) - 65;
      if (!(v >= 0 && v <= 16)) throw new Error('The digits data has a bad pixel at ' + i + '.');
      pixels[i] = v;
    }
    for (var j = 0; j < n; j++) {
      var c = obj.labels.charCodeAt(j) - 48;
      if (!(c >= 0 && c <= 9)) throw new Error('The digits data has a bad label at ' + j + '.');
      labels[j] = c;
    }
    return {count: n, pixels: pixels, labels: labels};
  }

  function pixelsOf(digits, i) { return digits.pixels.subarray(i * 64, i * 64 + 64); }

  /* x = pixels ÷ 16, the 64×1 column the network reads. */
  function scaled(pixels) {
    var x = new Float32Array(64);
    for (var i = 0; i < 64; i++) x[i] = pixels[i] / 16;
    return x;
  }

  /* Row numbers whose label passes the filter ('all' or '0'..'9'). */
  function filterRows(labels, filter) {
    var out = [];
    var want = filter === 'all' || filter === undefined || filter === null ? -1 : Number(filter);
    for (var i = 0; i < labels.length; i++) if (want < 0 || labels[i] === want) out.push(i);
    return out;
  }

  function countByLabel(labels) {
    var c = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    for (var i = 0; i < labels.length; i++) c[labels[i]]++;
    return c;
  }

  /* Grid of n cells of `cell` px with `gap` px between, as many columns as fit `width`. */
  function gridLayout(n, width, cell, gap) {
    var g = gap === undefined ? 2 : gap;
    var cols = Math.max(1, Math.floor((Math.max(width, cell) + g) / (cell + g)));
    var rows = Math.max(1, Math.ceil(n / cols));
    return {n: n, cols: cols, rows: rows, cell: cell, gap: g,
      width: cols * (cell + g) - g, height: rows * (cell + g) - g};
  }

  function cellRect(layout, k) {
    var c = k % layout.cols, r = Math.floor(k / layout.cols);
    return {x: c * (layout.cell + layout.gap), y: r * (layout.cell + layout.gap),
      w: layout.cell, h: layout.cell, col: c, row: r};
  }

  /* Position (CSS px, relative to the grid) -> cell number, or -1 for a gap / outside. */
  function hitTest(layout, x, y) {
    if (!(x >= 0 && y >= 0)) return -1;
    var step = layout.cell + layout.gap;
    var c = Math.floor(x / step), r = Math.floor(y / step);
    if (c >= layout.cols || x - c * step >= layout.cell + layout.gap / 2) return -1;
    if (y - r * step >= layout.cell + layout.gap / 2) return -1;
    var k = r * layout.cols + c;
    return k < layout.n ? k : -1;
  }

  /* Keyboard movement in a grid: returns the new position (or the same if the key is not ours). */
  function navigate(k, key, layout, pageRows) {
    var n = layout.n, cols = layout.cols, page = (pageRows || 5) * cols;
    if (n <= 0) return -1;
    var j = k;
    switch (key) {
      case 'ArrowLeft': j = k - 1; break;
      case 'ArrowRight': j = k + 1; break;
      case 'ArrowUp': j = k - cols; break;
      case 'ArrowDown': j = k + cols; break;
      case 'PageUp': j = k - page; break;
      case 'PageDown': j = k + page; break;
      case 'Home': j = 0; break;
      case 'End': j = n - 1; break;
      default: return k;
    }
    if (key === 'ArrowUp' || key === 'ArrowDown' || key === 'PageUp' || key === 'PageDown') {
      if (j < 0) j = k % cols;
      if (j >= n) { j = k; while (j + cols < n) j += cols; if (key === 'PageDown') j = Math.min(n - 1, j); }
    }
    return Math.max(0, Math.min(n - 1, j));
  }

  function oneHot(label) {
    var y = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    if (label >= 0 && label <= 9) y[label] = 1;
    return y;
  }

  function argmax(a) {
    var best = 0;
    for (var i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
    return best;
  }

  /* The output as probabilities: softmax outputs already are; sigmoid/identity are not, so the
   * page shows them as "scores" — this only normalises for display of the runner-up. */
  function ranking(out) {
    var idx = [];
    for (var i = 0; i < out.length; i++) idx.push(i);
    idx.sort(function (a, b) { return out[b] - out[a] || a - b; });
    return idx;
  }

  /* A short text picture of the digit for screen readers that ask for detail. */
  function describe(pixels, label) {
    var ink = 0;
    for (var i = 0; i < 64; i++) ink += pixels[i];
    return '8×8 image of a hand-written ' + label + ' (' + Math.round(ink / (64 * 16) * 100) +
      '% ink)';
  }

  var api = {decode: decode, pixelsOf: pixelsOf, scaled: scaled, filterRows: filterRows,
    countByLabel: countByLabel, gridLayout: gridLayout, cellRect: cellRect, hitTest: hitTest,
    navigate: navigate, oneHot: oneHot, argmax: argmax, ranking: ranking, describe: describe};
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.NNPageDigits = api;
})(this);
