// Shared helpers for tests/wasm-*.test.js (not a test file itself).
//
// Environment overrides (for running against other builds):
//   NNMATH_WASM_DIR  directory with nnmath-core-{simd,scalar}.js and digits-data.js [build-wasm]
//   NNMATH_CLI       the native trainer [build/nnmath]
'use strict';

const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');

const ROOT = path.resolve(__dirname, '..');
const WASM_DIR = path.resolve(process.env.NNMATH_WASM_DIR || path.join(ROOT, 'build-wasm'));
const CLI = path.resolve(process.env.NNMATH_CLI || path.join(ROOT, 'build', 'nnmath'));
const CSV = path.join(ROOT, 'data', 'digits.csv');
const NNMath = require(path.join(ROOT, 'web', 'js', 'nnmath.js'));

function requireBuilt(file) {
  const p = path.join(WASM_DIR, file);
  if (!fs.existsSync(p)) {
    throw new Error(`${p} is missing: build the WebAssembly core first (make wasm)`);
  }
  return p;
}

/** Load a core: kind 'simd' or 'scalar'. */
function loadCore(kind) {
  requireBuilt(kind === 'simd' ? 'nnmath-core-simd.js' : 'nnmath-core-scalar.js');
  return NNMath.load({ simd: kind === 'simd', coreDir: WASM_DIR });
}

let digitsCache = null;
/** The packed digits (build-wasm/digits-data.js), decoded. */
function digits() {
  if (!digitsCache) digitsCache = NNMath.decodeDigits(require(requireBuilt('digits-data.js')));
  return digitsCache;
}

/** The CSV parsed in JS: {count, pixels, labels}. */
function parseCSV(text) {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const pixels = new Uint8Array(lines.length * 64);
  const labels = new Uint8Array(lines.length);
  lines.forEach((line, r) => {
    const cells = line.replace(/\r$/, '').split(',').map(Number);
    assert.equal(cells.length, 65, `line ${r + 1}`);
    for (let c = 0; c < 64; c++) pixels[r * 64 + c] = cells[c];
    labels[r] = cells[64];
  });
  return { count: lines.length, pixels, labels };
}

/** A data set of all digits, split like the CLI (test fraction 0.2, the given seed). */
function digitsDataset(core, { seed = 1, testFraction = 0.2, scale = 'unit' } = {}) {
  const d = digits();
  const ds = core.dataset({ pixels: d.pixels, labels: d.labels, scale });
  if (testFraction !== null) ds.split({ testFraction, seed });
  return ds;
}

/** |got - want| <= rel * max(|want|, floor) */
function close(got, want, rel, floor = 0) {
  return Math.abs(got - want) <= rel * Math.max(Math.abs(want), floor);
}

module.exports = { ROOT, WASM_DIR, CLI, CSV, NNMath, loadCore, digits, parseCSV, digitsDataset, close, requireBuilt };
