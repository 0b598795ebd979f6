'use strict';
// Digit helpers (web/js/page/digits.js).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const D = require('../web/js/page/digits.js');
const {packDigits} = require('./browser/page-helpers.js');

const data = (() => {
  const built = path.join(__dirname, '..', 'build-wasm', 'digits-data.js');
  if (fs.existsSync(built)) return require(built);
  const m = {exports: {}};
  new Function('module', packDigits(path.join(__dirname, '..', 'data', 'digits.csv')))(m);
  return m.exports;
})();

test('decode() reads the data script format', () => {
  const d = D.decode(data);
  assert.equal(d.count, 1797);
  assert.equal(d.pixels.length, 1797 * 64);
  assert.equal(d.labels.length, 1797);
  // the first CSV row: 0,0,5,13,9,1,0,0,... label 0
  assert.deepEqual(Array.from(D.pixelsOf(d, 0).slice(0, 8)), [0, 0, 5, 13, 9, 1, 0, 0]);
  assert.equal(d.labels[0], 0);
  assert.deepEqual(D.countByLabel(d.labels).reduce((a, b) => a + b, 0), 1797);
  assert.throws(() => D.decode(null));
  assert.throws(() => D.decode({count: 1, pixels: 'A', labels: '0'}));
  assert.throws(() => D.decode({count: 1, pixels: 'Z'.repeat(64), labels: '0'}));
  assert.throws(() => D.decode({count: 1, pixels: 'A'.repeat(64), labels: 'x'}));
});

test('scaled() is pixels ÷ 16', () => {
  const x = D.scaled([0, 8, 16].concat(new Array(61).fill(4)));
  assert.equal(x.length, 64);
  assert.equal(x[0], 0); assert.equal(x[1], 0.5); assert.equal(x[2], 1); assert.equal(x[3], 0.25);
});

test('filterRows() by label', () => {
  const labels = Uint8Array.from([3, 1, 3, 0]);
  assert.deepEqual(D.filterRows(labels, 'all'), [0, 1, 2, 3]);
  assert.deepEqual(D.filterRows(labels, '3'), [0, 2]);
  assert.deepEqual(D.filterRows(labels, '9'), []);
});

test('grid layout, hit testing and keyboard movement', () => {
  const L = D.gridLayout(25, 100, 18, 2); // (18+2) per cell -> 5 columns
  assert.equal(L.cols, 5); assert.equal(L.rows, 5);
  assert.deepEqual(D.cellRect(L, 7), {x: 40, y: 20, w: 18, h: 18, col: 2, row: 1});
  assert.equal(D.hitTest(L, 41, 21), 7);
  assert.equal(D.hitTest(L, 0, 0), 0);
  assert.equal(D.hitTest(L, -1, 5), -1);
  assert.equal(D.hitTest(L, 5, 500), -1);
  assert.equal(D.navigate(7, 'ArrowRight', L), 8);
  assert.equal(D.navigate(7, 'ArrowLeft', L), 6);
  assert.equal(D.navigate(7, 'ArrowDown', L), 12);
  assert.equal(D.navigate(7, 'ArrowUp', L), 2);
  assert.equal(D.navigate(2, 'ArrowUp', L), 2);
  assert.equal(D.navigate(22, 'ArrowDown', L), 22);
  assert.equal(D.navigate(0, 'ArrowLeft', L), 0);
  assert.equal(D.navigate(24, 'ArrowRight', L), 24);
  assert.equal(D.navigate(7, 'Home', L), 0);
  assert.equal(D.navigate(7, 'End', L), 24);
  assert.equal(D.navigate(7, 'x', L), 7);
  const ragged = D.gridLayout(7, 100, 18, 2); // 5 + 2
  assert.equal(D.navigate(3, 'ArrowDown', ragged), 3, 'no cell below: stay');
  assert.equal(D.navigate(1, 'ArrowDown', ragged), 6);
  assert.equal(D.navigate(0, 'x', D.gridLayout(0, 100, 18, 2)), -1);
});

test('oneHot(), argmax(), ranking(), describe()', () => {
  assert.deepEqual(D.oneHot(3), [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(D.oneHot(-1), new Array(10).fill(0));
  assert.equal(D.argmax([0.1, 0.7, 0.2]), 1);
  assert.equal(D.argmax([1, 1]), 0);
  assert.deepEqual(D.ranking([0.1, 0.7, 0.2]), [1, 2, 0]);
  assert.match(D.describe(new Array(64).fill(16), 7), /hand-written 7 \(100% ink\)/);
});
