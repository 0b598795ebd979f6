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

test('the build writes numbers as Chart.js does in en-US, without Intl (tools/chart_numbers.js)', () => {
  installed();
  const N = require(path.join(ROOT, 'tools', 'chart_numbers.js'));
  const Chart = require('chart.js');                // the package's own formatters, for reference
  const scale = {chart: {options: {locale: 'en-US'}}, options: {ticks: {}}};
  // tick labels: Chart.js's numeric formatter on evenly spaced ticks, as its linear scale makes them
  let ticks = 0, mismatch = [];
  for (const step of [1e-5, 2e-4, 0.001, 0.002, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 250, 1000, 5000, 1e5, 2e16]) {
    for (const from of [0, 1, -3, 7]) {
      for (const count of [2, 3, 5, 11]) {
        const values = Array.from({length: count}, (_, k) => Number(((from + k) * step).toPrecision(12)));
        // Chart.js's niceNum steps leave float noise (0.30000000000000004): keep some of it
        values[count - 1] = (from + count - 1) * step;
        const list = values.map((value) => ({value}));
        for (let i = 0; i < count; i++) {
          const want = Chart.Ticks.formatters.numeric.call(scale, values[i], i, list);
          const got = N.numericTick(values[i], i, list);
          ticks++;
          if (got !== want) mismatch.push(`${values[i]} (step ${step}): ${got} vs ${want}`);
        }
      }
    }
  }
  assert.deepEqual(mismatch.slice(0, 10), [], `${mismatch.length} of ${ticks} tick labels differ`);
  // tooltip values: the linear scale's getLabelForValue (Intl's default: at most 3 decimals)
  let seed = 3;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const values = [0, -0, 1.005, 0.0005, -0.0005, 2.5e-7, 999.9995, 0.1 + 0.2, 1 / 3, 2410, 12345.6789, 1e20, NaN, Infinity, -Infinity];
  for (let i = 0; i < 3000; i++) values.push((rnd() - 0.3) * 10 ** (Math.floor(rnd() * 12) - 6), Math.fround(rnd() * 3), Math.round(rnd() * 1e5) / 10);
  for (const v of values) {
    assert.equal(N.valueLabel(v), Chart.LinearScale.prototype.getLabelForValue.call(scale, v), String(v));
  }
  // the build uses them: the bundle sets them on the linear scale
  const src = fs.readFileSync(VENDORED, 'utf8');
  assert.match(src, /\.defaults\.ticks\.callback=/);
  assert.match(src, /\.prototype\.getLabelForValue=/);
});
