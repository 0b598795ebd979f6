// The packaged digits (tools/pack_data.js -> digits-data.js) and the data
// paths into the core.
'use strict';

const test = require('node:test');
const assert = require('assert/strict');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { ROOT, CSV, NNMath, loadCore, digits, parseCSV, requireBuilt } = require('./wasm-helpers.js');

const PACK = path.join(ROOT, 'tools', 'pack_data.js');
const csvText = fs.readFileSync(CSV, 'latin1');

function sha256(s) { return crypto.createHash('sha256').update(s).digest('hex'); }

test('the packaged data decodes to exactly the 1,797 rows of the CSV', () => {
  const want = parseCSV(csvText);
  const got = digits();
  assert.equal(want.count, 1797);
  assert.equal(got.count, 1797);
  assert.equal(got.pixels.length, 1797 * 64);
  assert.equal(got.labels.length, 1797);
  for (let i = 0; i < want.pixels.length; i++) {
    if (got.pixels[i] !== want.pixels[i]) assert.fail(`pixel ${i % 64 + 1} of row ${Math.floor(i / 64) + 1}: ${got.pixels[i]} != ${want.pixels[i]}`);
  }
  for (let r = 0; r < want.count; r++) {
    if (got.labels[r] !== want.labels[r]) assert.fail(`label of row ${r + 1}: ${got.labels[r]} != ${want.labels[r]}`);
  }
  // Checksums: re-serialised, the decoded data is the CSV byte for byte (its
  // sha256 is recorded in data/README.md), and plain sums as a second witness.
  let text = '';
  for (let r = 0; r < got.count; r++) {
    text += Array.from(got.pixels.subarray(r * 64, r * 64 + 64)).join(',') + ',' + got.labels[r] + '\n';
  }
  assert.equal(sha256(text), sha256(csvText));
  assert.equal(sha256(text), '6ebb3d2fee246a4e99363262ddf8a00a3c41bee6014c373ed9d9216ba7f651b8');
  const sum = (a) => a.reduce((s, v) => s + v, 0);
  assert.equal(sum(got.pixels), sum(want.pixels));
  assert.equal(sum(got.labels), sum(want.labels));
  const perClass = new Array(10).fill(0);
  got.labels.forEach((c) => perClass[c]++);
  assert.deepEqual(perClass, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
});

test('the data script has the documented form and works as a classic script', () => {
  const text = fs.readFileSync(requireBuilt('digits-data.js'), 'utf8');
  const lines = text.split('\n');
  assert.match(lines[0], /^\(function \(root\) \{ var d = \{count: 1797, pixels: "[A-Q]{115008}", labels: "[0-9]{1797}"\};$/);
  assert.equal(lines[1], "  if (typeof module === 'object' && module.exports) module.exports = d; else root.NNMATH_DIGITS = d;");
  assert.equal(lines[2], '})(this);');
  // As a browser would run it: no module, `this` is the global object.
  const root = {};
  new Function('module', text).call(root, undefined); // eslint-disable-line no-new-func
  assert.equal(root.NNMATH_DIGITS.count, 1797);
  assert.deepEqual(NNMath.decodeDigits(root.NNMATH_DIGITS).labels, digits().labels);
});

test('pack_data.js refuses bad CSVs loudly and writes nothing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-pack-'));
  const row = (v = 0, label = 3) => new Array(64).fill(v).join(',') + ',' + label;
  const cases = [
    ['', /empty/],
    ['\n', /line 1: the line is empty/],
    [row() + '\n' + row(0, 3).replace(/,3$/, '') + '\n', /line 2: expected 65 comma-separated values .* found 64/],
    [row() + '\n' + row(17) + '\n', /line 2, column 1: a pixel must be a whole number from 0 to 16, found "17"/],
    [row(0, 10) + '\n', /line 1, column 65: the label must be a whole number from 0 to 9, found "10"/],
    [row().replace(/^0/, 'x') + '\n', /line 1, column 1: .* found "x"/],
    [row().replace(/^0/, '1.5') + '\n', /line 1, column 1: .* found "1.5"/],
    [row().replace(/^0/, '-1') + '\n', /line 1, column 1: .* found "-1"/],
    [row().replace(/^0/, ' 1') + '\n', /line 1, column 1: .* found " 1"/],
    [row() + '\n\n' + row() + '\n', /line 2: the line is empty/],
  ];
  try {
    cases.forEach(([text, re], i) => {
      const input = path.join(dir, `bad${i}.csv`);
      const out = path.join(dir, `out${i}.js`);
      fs.writeFileSync(input, text);
      const r = spawnSync(process.execPath, [PACK, input, out], { encoding: 'utf8' });
      assert.equal(r.status, 1, `case ${i}: exit status (stderr: ${r.stderr})`);
      assert.match(r.stderr, re, `case ${i}`);
      assert.ok(!fs.existsSync(out), `case ${i}: no output written`);
    });
    // CRLF line ends and a missing final newline are fine.
    const input = path.join(dir, 'ok.csv');
    const out = path.join(dir, 'ok.js');
    fs.writeFileSync(input, row(16, 9) + '\r\n' + row(0, 0));
    const r = spawnSync(process.execPath, [PACK, input, out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const d = NNMath.decodeDigits(require(out));
    assert.equal(d.count, 2);
    assert.deepEqual(Array.from(d.labels), [9, 0]);
    assert.equal(d.pixels[0], 16);
    assert.equal(d.pixels[64], 0);
    // Usage errors.
    const u = spawnSync(process.execPath, [PACK, input], { encoding: 'utf8' });
    assert.equal(u.status, 2);
    assert.match(u.stderr, /usage/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('decodeDigits refuses damaged objects', () => {
  const ok = { count: 1, pixels: 'A'.repeat(64), labels: '7' };
  assert.equal(NNMath.decodeDigits(ok).labels[0], 7);
  for (const bad of [null, {}, { ...ok, count: 0 }, { ...ok, pixels: 'A'.repeat(63) },
    { ...ok, pixels: 'R' + 'A'.repeat(63) }, { ...ok, labels: 'a' }, { ...ok, labels: '' }]) {
    assert.throws(() => NNMath.decodeDigits(bad), { name: 'NNMathError', code: 'data' });
  }
});

test('the core reads the same digits from the CSV text and from the packed data', async () => {
  const core = await loadCore('simd');
  const a = core.datasetFromCSV(csvText, { scale: 'unit' });
  const d = digits();
  const b = core.dataset({ pixels: d.pixels, labels: d.labels, scale: 'raw' });
  assert.equal(a.count, 1797);
  assert.equal(b.count, 1797);
  assert.equal(a.scale, 'unit');
  assert.equal(b.scale, 'raw');
  for (let r = 0; r < a.count; r++) {
    assert.deepEqual(a.pixels(r), d.pixels.slice(r * 64, r * 64 + 64));
    assert.deepEqual(b.pixels(r), a.pixels(r));
    assert.equal(a.label(r), d.labels[r]);
    assert.equal(b.label(r), d.labels[r]);
  }
  // Split: stratified, disjoint, complete, deterministic.
  a.split({ testFraction: 0.2, seed: 1 });
  b.split({ testFraction: 0.2, seed: 1 });
  const train = a.rows('train'), testRows = a.rows('test');
  assert.deepEqual(b.rows('train'), train);
  assert.equal(train.length + testRows.length, 1797);
  assert.equal(new Set([...train, ...testRows]).size, 1797);
  assert.equal(a.rows('all').length, 1797);
  assert.equal(testRows.length, 359);
  assert.equal(a.trainCount, train.length);
  assert.equal(a.testCount, testRows.length);
  a.limitTrain(100);
  assert.equal(a.rows('train').length, 100);
  a.dispose();
  b.dispose();
  assert.throws(() => a.rows('train'), { code: 'invalid' });
});

test('datasetFromCSV reports bad CSV text with the line and column', async () => {
  const core = await loadCore('scalar');
  const row = new Array(64).fill(1).join(',') + ',3';
  assert.throws(() => core.datasetFromCSV(row + '\n' + row.replace(/,3$/, ',12') + '\n'),
    (e) => e instanceof NNMath.NNMathError && e.code === 'data' && /line 2/.test(e.message) && /column 65/.test(e.message));
  assert.throws(() => core.datasetFromCSV(''), { name: 'NNMathError', code: 'data' });
  assert.throws(() => core.datasetFromCSV(42), { name: 'NNMathError', code: 'invalid' });
  const ok = core.datasetFromCSV(row + '\n');
  assert.equal(ok.count, 1);
});
