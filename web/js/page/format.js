/* nnmath page — formatting helpers (pure; browser global NNPageFormat, Node module.exports).
 * Numbers are written the way a maths book writes them: a real minus sign (U+2212), "×" for
 * shapes, thousands separated by commas, and never "−0.00". */
(function (root) {
  'use strict';

  var MINUS = '\u2212';
  var SUB = '\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089';
  var SUP = '\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079';

  function isNum(x) { return typeof x === 'number' && isFinite(x); }

  function special(x) {
    if (typeof x !== 'number' || x !== x) return '\u2014'; // em dash: not a number / missing
    return x > 0 ? '\u221e' : MINUS + '\u221e';
  }

  /* Fixed decimals: num(-0.1234, 2) -> "−0.12"; num(-0.001, 2) -> "0.00".  A huge number (a cost
   * that blew up, say) is written with a power of ten instead: num(3.4e26, 4) -> "3.447×10²⁶". */
  function num(x, decimals) {
    if (!isNum(x)) return special(x);
    var d = decimals === undefined ? 2 : Math.max(0, Math.min(10, decimals | 0));
    if (Math.abs(x) >= 1e7) return sig(x, Math.max(3, d));
    var s = Math.abs(x).toFixed(d);
    var zero = /^[0.]*$/.test(s);
    return (x < 0 && !zero ? MINUS : '') + s;
  }

  /* A signed number for sums: "+ 0.12" / "− 0.12". */
  function signed(x, decimals) {
    if (!isNum(x)) return '+ ' + special(x);
    var s = num(Math.abs(x), decimals);
    return (x < 0 && !/^[0.]*$/.test(s) ? MINUS : '+') + ' ' + s;
  }

  function toSuperscript(n) {
    return String(n).replace(/[0-9]/g, function (c) { return SUP[+c]; }).replace(/-/g, '\u207b');
  }
  function toSubscript(n) {
    return String(n).replace(/[0-9]/g, function (c) { return SUB[+c]; });
  }

  /* Significant digits without trailing zeros: sig(0.1) -> "0.1", sig(0.000012) -> "1.2×10⁻⁵". */
  function sig(x, digits) {
    if (!isNum(x)) return special(x);
    var p = digits === undefined ? 3 : Math.max(1, Math.min(12, digits | 0));
    if (x === 0) return '0';
    var ax = Math.abs(x);
    var sign = x < 0 ? MINUS : '';
    if (ax >= 1e-4 && ax < 1e7) {
      var s = Number(ax.toPrecision(p)).toString();
      if (/e/.test(s)) s = ax.toFixed(0);
      return sign + s;
    }
    var e = Math.floor(Math.log10(ax));
    var m = ax / Math.pow(10, e);
    if (Number(m.toPrecision(p)) >= 10) { m /= 10; e += 1; }
    return sign + Number(m.toPrecision(p)).toString() + '\u00d710' + toSuperscript(e);
  }

  /* Whole numbers with thousands separators: 1797 -> "1,797". */
  function int(n) {
    if (!isNum(n)) return special(n);
    var r = Math.round(n);
    var s = String(Math.abs(r));
    var out = '';
    while (s.length > 3) { out = ',' + s.slice(-3) + out; s = s.slice(0, -3); }
    return (r < 0 ? MINUS : '') + s + out;
  }

  /* Accuracy 0..1 -> "96.4%". */
  function percent(p, decimals) {
    if (!isNum(p)) return special(p);
    return (p * 100).toFixed(decimals === undefined ? 1 : decimals) + '%';
  }

  /* Matrix shape as the infographic writes it: shape(8, 64) -> "8×64". */
  function shape(rows, cols) { return rows + '\u00d7' + cols; }

  function plural(n, one, many) { return int(n) + ' ' + (n === 1 ? one : (many || one + 's')); }

  /* Untrusted text for display (always via textContent): printable, short. */
  function safeText(s, max) {
    var m = max || 40;
    var t = String(s).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]/g, '?');
    if (t.length > m) t = t.slice(0, m - 1) + '\u2026';
    return t;
  }

  function duration(ms) {
    if (!isNum(ms)) return special(ms);
    if (ms < 1000) return Math.round(ms) + ' ms';
    return (ms / 1000).toFixed(1) + ' s';
  }

  var api = {
    MINUS: MINUS, num: num, signed: signed, sig: sig, int: int, percent: percent, shape: shape,
    plural: plural, safeText: safeText, duration: duration,
    toSubscript: toSubscript, toSuperscript: toSuperscript
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.NNPageFormat = api;
})(this);
