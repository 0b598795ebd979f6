// Numbers for the vendored Chart.js (tools/build_chart.js), written as en-US writes them but
// without Intl.NumberFormat.  Chart.js formats every number on a linear axis and in a tooltip with
// Intl, and the first use of Intl in a page starts the browser's number formatting: 30-100 ms in
// one task on a slow computer (the chart's creation), measured with `node bench/page_metrics.js`.
// The strings are those of Chart.js's own formatters in en-US for the numbers of the lesson's
// charts (tests/vendor.test.js compares them): the same decimals, thousands grouped with commas.
// A chart's `ticks.format` and `locale` options are not used (the lesson sets neither).
'use strict';

/* a >= 0 rounded to at most maxFrac decimals (trailing zeros may be missing), as Intl rounds: the shortest
 * decimal form of the double (String(a)), then half away from zero (1.005 -> "1.01", where
 * toFixed gives "1.00"). */
function roundDecimal(a, maxFrac) {
  var s = String(a);
  if (/e/.test(s)) return a.toFixed(maxFrac);   // below 1e-6 (or from 1e21): no ties to care about
  var dot = s.indexOf('.');
  if (dot < 0 || s.length - dot - 1 <= maxFrac) return s;     // already no more decimals than that
  var digits = (s.slice(0, dot) + s.slice(dot + 1, dot + 1 + maxFrac)).split('').map(Number), i;
  if (s.charCodeAt(dot + 1 + maxFrac) >= 53) {            // the next digit is 5..9: round up
    for (i = digits.length - 1; i >= 0 && digits[i] === 9; i--) digits[i] = 0;
    if (i < 0) digits.unshift(1); else digits[i]++;
  }
  var n = digits.length - maxFrac;
  return digits.slice(0, n).join('') + (maxFrac ? '.' + digits.slice(n).join('') : '');
}

/* v with at least minFrac and at most maxFrac decimals: 12345.5 -> "12,345.5". */
function plainNumber(v, minFrac, maxFrac) {
  if (v !== v) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '-∞';
  var neg = v < 0 || (v === 0 && 1 / v < 0);
  var a = Math.abs(v);
  if (a >= 1e21) return (neg ? '-' : '') + String(a);
  var s = roundDecimal(a, maxFrac), dot = s.indexOf('.');
  var int = dot < 0 ? s : s.slice(0, dot), frac = dot < 0 ? '' : s.slice(dot + 1);
  frac = frac.replace(/0+$/, '');
  while (frac.length < minFrac) frac += '0';
  return (neg ? '-' : '') + int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? '.' + frac : '');
}

/* Chart.js's Ticks.formatters.numeric: the decimals follow the step between the ticks. */
function numericTick(tickValue, index, ticks) {
  if (tickValue === 0) return '0';
  var delta = tickValue, scientific = false;
  if (ticks.length > 1) {
    var maxTick = Math.max(Math.abs(ticks[0].value), Math.abs(ticks[ticks.length - 1].value));
    scientific = maxTick < 1e-4 || maxTick > 1e+15;
    delta = ticks.length > 3 ? ticks[2].value - ticks[1].value : ticks[1].value - ticks[0].value;
    if (Math.abs(delta) >= 1 && tickValue !== Math.floor(tickValue)) delta = tickValue - Math.floor(tickValue);
  }
  var logDelta = Math.log10(Math.abs(delta));
  var numDecimal = isNaN(logDelta) ? 1 : Math.max(Math.min(-1 * Math.floor(logDelta), 20), 0);
  if (scientific) return tickValue.toExponential(numDecimal).replace('e+', 'E').replace('e', 'E');
  return plainNumber(tickValue, numDecimal, numDecimal);
}

/* A value in a tooltip (LinearScale#getLabelForValue): Intl's default, at most 3 decimals. */
function valueLabel(value) { return plainNumber(value, 0, 3); }

module.exports = {plainNumber: plainNumber, numericTick: numericTick, valueLabel: valueLabel};
