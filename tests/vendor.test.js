// The vendored Chart.js must be exactly what tools/build_chart.js makes from the pinned npm package.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const PKG = path.join(ROOT, 'node_modules', 'chart.js');
const VENDORED = path.join(ROOT, 'web', 'vendor', 'chart.line.min.js');
const sha256 = (f) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

function installed() {
  assert.ok(fs.existsSync(path.join(PKG, 'package.json')),
    'node_modules/chart.js is missing: run `npm ci` (or `bash scripts/setup.sh`)');
  return JSON.parse(fs.readFileSync(path.join(PKG, 'package.json'), 'utf8'));
}

test('web/vendor/chart.line.min.js is what tools/build_chart.js makes from the npm package', () => {
  installed();
  assert.ok(fs.existsSync(VENDORED), 'web/vendor/chart.line.min.js is missing');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-chart-'));
  try {
    const fresh = require(path.join(ROOT, 'tools', 'build_chart.js')).build(path.join(dir, 'chart.js'));
    assert.strictEqual(sha256(VENDORED), sha256(fresh),
      'web/vendor/chart.line.min.js differs from a fresh `node tools/build_chart.js` ' +
      '(do not edit vendored files; build it again, see web/vendor/README.md)');
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
});

test('the Chart.js build has what the lesson\'s charts use, and only that', () => {
  const {PARTS} = require(path.join(ROOT, 'tools', 'build_chart.js'));
  assert.deepStrictEqual(PARTS.slice().sort(), ['Legend', 'LineController', 'LineElement', 'LinearScale', 'PointElement', 'Tooltip']);
  // every chart the page makes: a line chart on linear axes (a new type or scale needs PARTS)
  for (const f of ['web/js/page/part-training.js', 'web/js/experiments/experiments-ui.js']) {
    const src = fs.readFileSync(path.join(ROOT, f), 'utf8');
    const types = [...src.matchAll(/\btype: '([a-z]+)'/g)].map((m) => m[1])
      .filter((t) => !['button', 'checkbox', 'radio', 'range', 'text', 'number', 'file'].includes(t));
    assert.ok(types.length >= 2, f + ': no chart config found');
    for (const t of types) assert.ok(['line', 'linear'].includes(t), `${f} uses a chart or scale type "${t}" that the build lacks`);
  }
  const zlib = require('zlib');
  const gz = (f) => zlib.gzipSync(fs.readFileSync(f), {level: 9}).length;
  const full = path.join(PKG, 'dist', 'chart.umd.min.js');
  if (fs.existsSync(full)) assert.ok(gz(VENDORED) < gz(full) - 10000, `${gz(VENDORED)} vs ${gz(full)} B gzip: the build is not smaller`);
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
  const head = fs.readFileSync(VENDORED, 'utf8').slice(0, 200);
  assert.ok(head.includes('Chart.js v' + version), 'vendored banner: ' + head.split('\n')[1]);
  const readme = fs.readFileSync(path.join(ROOT, 'web', 'vendor', 'README.md'), 'utf8');
  assert.ok(readme.includes('`chart.js` ' + version), 'web/vendor/README.md names another version');
});
