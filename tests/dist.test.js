// dist/ as made by `make dist` (tools/build_dist.sh): web/ plus the wasm cores
// and the data script, and a zip that unpacks to one folder.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const NEED = ['index.html', 'js/nnmath-core-simd.js', 'js/nnmath-core-scalar.js',
  'js/digits-data.js', 'vendor/chart.umd.min.js', 'vendor/chart.js.LICENSE.md'];

// Names of the entries of a zip file, read from its central directory.
function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  assert.ok(eocd >= 0, 'not a zip file: ' + file);
  const count = buf.readUInt16LE(eocd + 10);
  let off = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    assert.strictEqual(buf.readUInt32LE(off), 0x02014b50, 'bad central directory');
    const nameLen = buf.readUInt16LE(off + 28);
    const extraLen = buf.readUInt16LE(off + 30);
    const commentLen = buf.readUInt16LE(off + 32);
    names.push(buf.toString('utf8', off + 46, off + 46 + nameLen));
    off += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

function listFiles(dir, prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel + '/'));
    else out.push(rel);
  }
  return out;
}

test('dist/ holds the page, the wasm cores and the data', () => {
  assert.ok(fs.existsSync(DIST), 'dist/ is missing: run `make dist`');
  for (const f of NEED) assert.ok(fs.existsSync(path.join(DIST, f)), 'dist/' + f + ' is missing');
  for (const f of ['nnmath-core-simd.js', 'nnmath-core-scalar.js', 'digits-data.js']) {
    assert.ok(fs.readFileSync(path.join(ROOT, 'build-wasm', f))
      .equals(fs.readFileSync(path.join(DIST, 'js', f))), 'dist/js/' + f + ' is stale');
  }
  // Everything in web/ made it, unchanged.
  for (const f of listFiles(path.join(ROOT, 'web'))) {
    assert.ok(fs.readFileSync(path.join(ROOT, 'web', f))
      .equals(fs.readFileSync(path.join(DIST, f))), 'dist/' + f + ' differs from web/' + f);
  }
});

test('dist/nnmath-lesson.zip unpacks to one folder nnmath-lesson/ with the whole dist', () => {
  const zip = path.join(DIST, 'nnmath-lesson.zip');
  assert.ok(fs.existsSync(zip), 'dist/nnmath-lesson.zip is missing: run `make dist`');
  const names = zipEntries(zip);
  for (const n of names) assert.ok(n.startsWith('nnmath-lesson/'), 'entry outside the folder: ' + n);
  const files = names.filter((n) => !n.endsWith('/')).map((n) => n.slice('nnmath-lesson/'.length));
  const expected = listFiles(DIST).filter((f) => f !== 'nnmath-lesson.zip');
  assert.deepStrictEqual(files.slice().sort(), expected.sort());
  for (const f of NEED) assert.ok(files.includes(f), f + ' is not in the zip');
});
