'use strict';
// Formatting helpers (web/js/page/format.js) and colours (web/js/page/palette.js).
const test = require('node:test');
const assert = require('node:assert/strict');
const F = require('../web/js/page/format.js');
const P = require('../web/js/page/palette.js');

test('num() uses a real minus sign and never prints −0.00', () => {
  assert.equal(F.num(0.1234), '0.12');
  assert.equal(F.num(-0.1234), '\u22120.12');
  assert.equal(F.num(-0.001), '0.00');
  assert.equal(F.num(-0), '0.00');
  assert.equal(F.num(1.5, 0), '2');
  assert.equal(F.num(2.34567, 3), '2.346');
  assert.equal(F.num(NaN), '\u2014');
  assert.equal(F.num(Infinity), '\u221e');
  assert.equal(F.num(-Infinity), '\u2212\u221e');
  assert.equal(F.num(undefined), '\u2014');
  assert.equal(F.num('3'), '\u2014');
  // a cost that blew up: a power of ten, not JavaScript's "3.4469847919899515e+26"
  assert.equal(F.num(3.4469847919899515e+26, 4), '3.447\u00d710\u00b2\u2076');
  assert.equal(F.num(-2.5e9), '\u22122.5\u00d710\u2079');
  assert.equal(F.num(1234567.891, 2), '1234567.89');
});

test('signed(), sig(), int(), percent(), shape()', () => {
  assert.equal(F.signed(0.5), '+ 0.50');
  assert.equal(F.signed(-0.5), '\u2212 0.50');
  assert.equal(F.sig(0.1), '0.1');
  assert.equal(F.sig(0.001), '0.001');
  assert.equal(F.sig(1234.5678, 3), '1230');
  assert.equal(F.sig(-2.5), '\u22122.5');
  assert.equal(F.sig(0.000012, 2), '1.2\u00d710\u207b\u2075');
  assert.equal(F.sig(0), '0');
  assert.equal(F.int(1797), '1,797');
  assert.equal(F.int(1234567), '1,234,567');
  assert.equal(F.int(-1000), '\u22121,000');
  assert.equal(F.int(12), '12');
  assert.equal(F.percent(0.964), '96.4%');
  assert.equal(F.percent(1), '100.0%');
  assert.equal(F.percent(0.5, 0), '50%');
  assert.match(F.percent(0.9643), /^\d+(\.\d+)?%$/);
  assert.equal(F.shape(8, 64), '8\u00d764');
  assert.equal(F.plural(1, 'epoch'), '1 epoch');
  assert.equal(F.plural(2, 'epoch'), '2 epochs');
  assert.equal(F.toSubscript(12), '\u2081\u2082');
  assert.equal(F.toSuperscript(-3), '\u207b\u00b3');
  assert.equal(F.duration(250), '250 ms');
  assert.equal(F.duration(1500), '1.5 s');
});

test('safeText() makes untrusted text short and printable', () => {
  assert.equal(F.safeText('a\u0000b\nc'), 'a?b?c');
  assert.equal(F.safeText('x'.repeat(100), 10).length, 10);
  assert.ok(F.safeText('x'.repeat(100), 10).endsWith('\u2026'));
});

test('diverging palette: red below, white at, blue above zero', () => {
  assert.deepEqual(P.diverging(0), [255, 255, 255]);
  const neg = P.diverging(-1), pos = P.diverging(1);
  assert.ok(neg[0] > neg[2], 'negative is red');
  assert.ok(pos[2] > pos[0], 'positive is blue');
  assert.deepEqual(P.diverging(-5), neg, 'clamped');
  assert.deepEqual(P.diverging(NaN), [160, 160, 160]);
  assert.deepEqual(P.ink(0), [255, 255, 255]);
  assert.deepEqual(P.ink(16), [17, 17, 17]);
});

test('text on any cell colour meets WCAG AA (4.5:1)', () => {
  const samples = [];
  for (let t = -1; t <= 1.0001; t += 0.02) samples.push(P.diverging(t));
  for (let v = 0; v <= 16; v++) samples.push(P.ink(v));
  for (let t = 0; t <= 1.0001; t += 0.02) { samples.push(P.blues(t)); samples.push(P.oranges(t)); }
  for (const bg of samples) {
    const fg = P.hexToRgb(P.textOn(bg));
    assert.ok(P.contrast(bg, fg) >= 4.5, 'contrast on ' + bg + ' is ' + P.contrast(bg, fg).toFixed(2));
  }
  // the chart colours are distinct enough from white to read as lines (>= 3:1, WCAG non-text)
  for (const c of ['blue', 'vermillion', 'green']) assert.ok(P.contrast(P.hexToRgb(P.SERIES[c]), [255, 255, 255]) >= 3, c);
  assert.ok(P.maxAbs([0, -3, 2]) === 3 && P.maxAbs([0, 0]) > 0);
});
