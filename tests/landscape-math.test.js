// The pure helpers of the cost-landscape view (web/js/landscape/landscape-math.js) and the
// camera of its 3D renderer (web/js/landscape/surface3d.js).
'use strict';

const test = require('node:test');
const assert = require('assert/strict');
const LM = require('../web/js/landscape/landscape-math.js');
const S3 = require('../web/js/landscape/surface3d.js');

test('range skips values that are not finite', () => {
  const r = LM.range(Float32Array.from([NaN, 3, Infinity, 1, 2, -Infinity]));
  assert.deepEqual([r.min, r.max, r.minIndex, r.maxIndex, r.finite], [1, 3, 3, 1, 3]);
  const e = LM.range(new Float32Array([NaN, NaN]));
  assert.ok(Number.isNaN(e.min) && e.finite === 0 && e.minIndex === -1);
});

test('grid coordinates: the middle is exactly 0 and the ends are ±span (like the wrapper)', () => {
  for (const size of [3, 21, 31, 51]) {
    for (const span of [0.25, 1, 2, 5.515758395195007]) {
      const h = (size - 1) / 2;
      assert.equal(LM.coord(size, span, h), 0);
      assert.equal(LM.coord(size, span, 0), Math.fround(-span));
      assert.equal(LM.coord(size, span, size - 1), Math.fround(span));
      for (let i = 0; i < size; i++) assert.equal(LM.indexOf(size, span, LM.coord(size, span, i)), i);
    }
  }
  assert.equal(LM.indexOf(31, 1, 7), 30, 'clamped');
  assert.equal(LM.indexOf(31, 1, -7), 0, 'clamped');
});

test('bilinear interpolation reproduces the grid and planes', () => {
  const size = 11, span = 2, v = new Float32Array(size * size);
  const f = (a, b) => 3 + 0.5 * a - 2 * b;
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) v[i * size + j] = f(LM.coord(size, span, i), LM.coord(size, span, j));
  for (const [a, b] of [[0, 0], [0.3, -1.7], [-2, 2], [1.99, 0.01]]) {
    assert.ok(Math.abs(LM.bilinear(v, size, span, a, b) - f(a, b)) < 1e-5, `${a}, ${b}`);
  }
  assert.ok(Number.isNaN(LM.bilinear(v, size, span, 2.5, 0)), 'outside');
  v[5 * size + 5] = NaN;
  assert.ok(Number.isNaN(LM.bilinear(v, size, span, 0.1, 0.1)), 'missing corner');
});

test('height scales map the range to 0..1 and back', () => {
  const r = { min: 0.3, max: 7.5 };
  for (const mode of ['linear', 'log']) {
    const s = LM.heightScale(r, mode);
    assert.equal(s.mode, mode);
    assert.ok(Math.abs(s.f(0.3)) < 1e-12 && Math.abs(s.f(7.5) - 1) < 1e-12);
    for (const c of [0.3, 1, 2.5, 7.5]) assert.ok(Math.abs(s.inv(s.f(c)) - c) < 1e-9);
  }
  const flat = LM.heightScale({ min: 2, max: 2 }, 'linear');
  assert.ok(Number.isFinite(flat.f(2)));
  // log falls back to linear for costs <= 0
  assert.equal(LM.heightScale({ min: 0, max: 1 }, 'log').mode, 'linear');
});

test('the path recorder keeps at most max snapshots, the first and the newest always', () => {
  const rec = new LM.PathRecorder(8);
  assert.equal(rec.add(Float32Array.of(0, 0)), true);
  assert.equal(rec.add(Float32Array.of(0, 0)), false, 'an unchanged snapshot is ignored');
  for (let k = 1; k <= 100; k++) rec.add(Float32Array.of(k, -k));
  const list = rec.list();
  assert.ok(list.length <= 8 && list.length >= 4, `length ${list.length}`);
  assert.deepEqual(Array.from(list[0]), [0, 0]);
  assert.deepEqual(Array.from(list[list.length - 1]), [100, -100]);
  // in order, evenly thinned
  for (let k = 1; k < list.length; k++) assert.ok(list[k][0] > list[k - 1][0]);
  // a copy is stored, not the caller's array
  const a = Float32Array.of(500, 1);
  rec.add(a);
  a[0] = -1;
  assert.equal(rec.list()[rec.length - 1][0], 500);
  rec.reset();
  assert.equal(rec.length, 0);
});

test('viridis and text colours', () => {
  assert.deepEqual(LM.viridis(0).map(Math.round), [68, 1, 84]);
  assert.deepEqual(LM.viridis(1).map(Math.round), [253, 231, 37]);
  assert.deepEqual(LM.viridis(-3), LM.viridis(0));
  assert.equal(LM.textOn([68, 1, 84]), '#ffffff');
  assert.equal(LM.textOn([253, 231, 37]), '#000000');
  assert.equal(LM.fmt(-0.5, 2), '\u22120.50');
  assert.equal(LM.fmt(-0.0001, 2), '0.00');
  assert.equal(LM.fmtSigned(0.5, 1), '+0.5');
});

test('the map image equals bilinear + colour band per pixel, NaN and infinite costs grey', () => {
  // the reference: the per-pixel computation the view did before mapImage (and a band per colour)
  function reference(n, values, size, span, f, bands) {
    const out = new Uint8ClampedArray(n * n * 4);
    for (let py = 0; py < n; py++) {
      const b = span - (py + 0.5) / n * 2 * span;
      for (let px = 0; px < n; px++) {
        const a = -span + (px + 0.5) / n * 2 * span, c = LM.bilinear(values, size, span, a, b), o = 4 * (py * n + px);
        if (!isFinite(c)) { out.set([238, 240, 244, 255], o); continue; }
        const t = Math.max(0, Math.min(0.9999, f(c)));
        const col = LM.viridis((Math.floor(t * bands) + 0.5) / bands);
        out.set([col[0], col[1], col[2], 255], o);
      }
    }
    return out;
  }
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  let checked = 0, grey = 0, colours = new Set();
  for (const [size, n, span] of [[31, 97, 1.5], [5, 40, 0.25], [3, 8, 2], [21, 64, 5.515758395195007]]) {
    const values = Float32Array.from({ length: size * size }, (_, k) => 0.3 + 3 * rnd() + (k % 7) * 0.1);
    values[Math.floor(size * size / 2) - 1] = NaN;
    values[size + 1] = Infinity;
    for (const mode of ['linear', 'log']) {
      const f = LM.heightScale(LM.range(values), mode).f;
      const want = reference(n, values, size, span, f, 12);
      const got = LM.mapImage(new Uint8ClampedArray(n * n * 4), n, values, size, span, f, 12);
      assert.deepEqual(got, want, `size ${size}, n ${n}, ${mode}`);
      // made in bands of rows (as the view does, a few per frame): the same bytes, and a band
      // touches only its own rows
      const banded = new Uint8ClampedArray(n * n * 4);
      for (let y = 0, step = 1; y < n; y += step, step = step % 5 + 1) {
        const before = banded.slice();
        LM.mapImage(banded, n, values, size, span, f, 12, y, y + step);
        const end = Math.min(n, y + step) * n * 4;
        assert.deepEqual(banded.subarray(0, y * n * 4), before.subarray(0, y * n * 4), 'rows above the band kept');
        assert.ok(banded.subarray(end).every((v) => v === 0), 'rows below the band untouched');
      }
      assert.deepEqual(banded, want, `in bands: size ${size}, n ${n}, ${mode}`);
      for (let o = 0; o < got.length; o += 4) {
        if (got[o] === 238 && got[o + 1] === 240) grey++; else colours.add(got[o] + ',' + got[o + 1] + ',' + got[o + 2]);
      }
      checked++;
    }
  }
  // not a trivial picture: every band's colour shows, and the missing corners are grey
  assert.equal(checked, 8);
  assert.ok(grey > 0 && colours.size === 12, `grey ${grey}, colours ${colours.size}`);
  // a scale that is not a number for a cost (NaN) gets the lowest colour, as before
  const one = LM.mapImage(new Uint8ClampedArray(4), 1, Float32Array.from([1, 1, 1, 1]), 2, 1, () => NaN, 12);
  assert.deepEqual(Array.from(one), Array.from(reference(1, Float32Array.from([1, 1, 1, 1]), 2, 1, () => NaN, 12)));
});

test('thousands separators as toLocaleString(\'en-US\') writes whole numbers', () => {
  for (const x of [0, 7, 999, 1000, 2410, 48105, 480500, 1234567, 1e9, -1234, -999]) {
    assert.equal(LM.thousands(x), x.toLocaleString('en-US'), String(x));
  }
});

test('the 3D camera: yaw turns about the vertical axis, pitch tilts, depth grows away', () => {
  const o = S3.camera(0, 0, 1, 0, 0);
  assert.ok(Math.abs(o[0] - 1) < 1e-12 && Math.abs(o[1]) < 1e-12);
  const q = S3.camera(Math.PI / 2, 0, 1, 0, 0); // x turned onto the depth axis
  assert.ok(Math.abs(q[0]) < 1e-12 && q[2] > 0.99);
  const top = S3.camera(0, Math.PI / 2, 0, 0, 1); // from straight above, z points at the viewer
  assert.ok(top[2] < -0.99);
  const near = S3.camera(0, 0.5, 0, -1, 0), far = S3.camera(0, 0.5, 0, 1, 0);
  assert.ok(near[2] < far[2]);
});
