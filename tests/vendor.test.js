// The vendored Chart.js must be exactly the file of the pinned npm package.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const PKG = path.join(ROOT, 'node_modules', 'chart.js');
const sha256 = (f) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

function installed() {
  assert.ok(fs.existsSync(path.join(PKG, 'package.json')),
    'node_modules/chart.js is missing: run `npm ci` (or `bash scripts/setup.sh`)');
  return JSON.parse(fs.readFileSync(path.join(PKG, 'package.json'), 'utf8'));
}

test('web/vendor/chart.umd.min.js is byte-identical to the npm package', () => {
  installed();
  const vendored = path.join(ROOT, 'web', 'vendor', 'chart.umd.min.js');
  const upstream = path.join(PKG, 'dist', 'chart.umd.min.js');
  assert.ok(fs.existsSync(vendored), 'web/vendor/chart.umd.min.js is missing');
  assert.strictEqual(sha256(vendored), sha256(upstream),
    'web/vendor/chart.umd.min.js differs from node_modules/chart.js/dist/chart.umd.min.js ' +
    '(do not edit vendored files; copy them again, see web/vendor/README.md)');
});

test('the Chart.js licence is shipped next to it', () => {
  installed();
  assert.strictEqual(sha256(path.join(ROOT, 'web', 'vendor', 'chart.js.LICENSE.md')),
    sha256(path.join(PKG, 'LICENSE.md')));
  assert.match(fs.readFileSync(path.join(ROOT, 'web', 'vendor', 'kurkle-color.LICENSE.md'), 'utf8'),
    /MIT License[\s\S]*Jukka Kurkela/);
});

test('vendored, installed and pinned Chart.js versions agree', () => {
  const version = installed().version;
  const pinned = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
    .devDependencies['chart.js'];
  assert.strictEqual(pinned, version, 'package.json pins chart.js ' + pinned + ', installed ' + version);
  assert.match(version, /^4\./);
  const head = fs.readFileSync(path.join(ROOT, 'web', 'vendor', 'chart.umd.min.js'), 'utf8').slice(0, 200);
  assert.ok(head.includes('Chart.js v' + version), 'vendored banner: ' + head.split('\n')[1]);
  const readme = fs.readFileSync(path.join(ROOT, 'web', 'vendor', 'README.md'), 'utf8');
  assert.ok(readme.includes('`chart.js` ' + version), 'web/vendor/README.md names another version');
});
