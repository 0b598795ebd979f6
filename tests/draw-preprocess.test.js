// Unit tests of the drawing pad's preprocessing (web/js/draw/preprocess.js): each step of the
// NIST normalisation the UCI digits went through, the stroke renderer and the empty drawing.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const P = require('../web/js/draw/preprocess.js');
const Samples = require('../web/js/draw/samples.js');

// A bitmap from rows of text: '#' = ink.
function fromText(lines) {
  const bm = P.bitmap(lines[0].length, lines.length);
  lines.forEach((l, y) => { for (let x = 0; x < l.length; x++) if (l[x] === '#') bm.data[y * l.length + x] = 1; });
  return bm;
}
function toText(bm) {
  const out = [];
  for (let y = 0; y < bm.height; y++) {
    let s = '';
    for (let x = 0; x < bm.width; x++) s += bm.data[y * bm.width + x] ? '#' : '.';
    out.push(s);
  }
  return out;
}
function rect(W, H, x0, y0, w, h) {
  const bm = P.bitmap(W, H);
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) bm.data[y * W + x] = 1;
  return bm;
}
function sum(a) { let s = 0; for (const v of a) s += v; return s; }

test('renderStrokes: round pen, any resolution, points as [x, y] or {x, y}', () => {
  // a dot: a disc of radius penWidth/2
  const dot = P.renderStrokes([[[50, 50]]], { width: 100, height: 100, penWidth: 20 });
  assert.ok(Math.abs(P.count(dot) - Math.PI * 100) < 20, 'disc area ≈ πr²: ' + P.count(dot));
  assert.deepStrictEqual(P.bbox(dot), { x: 40, y: 40, w: 20, h: 20 });
  // a horizontal line: length × width + the two round caps
  const line = P.renderStrokes([[[20, 50], [80, 50]]], { width: 100, height: 100, penWidth: 10 });
  assert.ok(Math.abs(P.count(line) - (60 * 10 + Math.PI * 25)) < 20, 'capsule area: ' + P.count(line));
  assert.deepStrictEqual(P.bbox(line), { x: 15, y: 45, w: 70, h: 10 });
  // the same strokes in pad units drawn at twice the resolution: 4× the pixels
  const unit = [[{ x: 0.2, y: 0.5 }, { x: 0.8, y: 0.5 }]];
  const a = P.renderStrokes(unit, { width: 100, height: 100, scale: 100, penWidth: 0.1 });
  const b = P.renderStrokes(unit, { width: 200, height: 200, scale: 200, penWidth: 0.1 });
  assert.deepStrictEqual(toText(a), toText(line));
  assert.ok(Math.abs(P.count(b) / P.count(a) - 4) < 0.05);
  // ink outside the bitmap is clipped; no strokes, empty strokes or no pen give no ink
  assert.strictEqual(P.count(P.renderStrokes([[[-50, -50], [5, 5]]], { width: 10, height: 10, penWidth: 2 })) > 0, true);
  assert.strictEqual(P.count(P.renderStrokes([], { width: 10, height: 10, penWidth: 2 })), 0);
  assert.strictEqual(P.count(P.renderStrokes([[]], { width: 10, height: 10, penWidth: 2 })), 0);
  assert.strictEqual(P.count(P.renderStrokes([[[5, 5]]], { width: 10, height: 10, penWidth: 0 })), 0);
});

test('fromAlpha: canvas RGBA (alpha channel) or one byte per pixel, with a threshold', () => {
  const rgba = new Uint8ClampedArray(4 * 4);
  rgba[3] = 255; rgba[7] = 127; rgba[11] = 128; rgba[15] = 0;
  assert.deepStrictEqual(Array.from(P.fromAlpha(rgba, 4, 1).data), [1, 0, 1, 0]);
  assert.deepStrictEqual(Array.from(P.fromAlpha(rgba, 4, 1, { threshold: 1 }).data), [1, 1, 1, 0]);
  assert.deepStrictEqual(Array.from(P.fromAlpha(new Uint8Array([0, 200, 90, 255]), 2, 2).data), [0, 1, 0, 1]);
});

test('bbox and crop: the ink only', () => {
  const bm = fromText([
    '......',
    '..#...',
    '...##.',
    '......',
  ]);
  assert.deepStrictEqual(P.bbox(bm), { x: 2, y: 1, w: 3, h: 2 });
  assert.deepStrictEqual(toText(P.crop(bm, P.bbox(bm))), ['#..', '.##']);
  assert.strictEqual(P.bbox(P.bitmap(5, 5)), null);
});

test('zoom: NIST nearest-neighbour enlarging and shrinking, result round(f·n)', () => {
  assert.deepStrictEqual(Array.from(P.zoomMap(3, 2)), [0, 0, 1, 1, 2, 2]);
  assert.deepStrictEqual(Array.from(P.zoomMap(4, 0.5)), [0, 2]);
  assert.deepStrictEqual(Array.from(P.zoomMap(4, 1)), [0, 1, 2, 3]);
  for (const [n, target] of [[7, 20], [13, 32], [64, 20], [250, 32], [1, 20], [33, 32]]) {
    const m = P.zoomMap(n, target / n);
    assert.strictEqual(m.length, target, `${n} → ${target}`);
    assert.strictEqual(m[0], 0);
    assert.ok(m[m.length - 1] <= n - 1 && m[m.length - 1] >= n - 1 - Math.ceil(n / target));
    for (let i = 1; i < m.length; i++) assert.ok(m[i] >= m[i - 1], 'monotone');
  }
  const z = P.zoom(fromText(['#.', '.#']), 2, 1.5);
  assert.deepStrictEqual(toText(z), ['##..', '##..', '..##']);
});

test('scale: the ink box is stretched to 20 × 32, width and height separately (not keeping the aspect ratio)', () => {
  // A short wide bar and a tall thin bar both fill the 20 × 32 box — like every UCI digit.
  for (const [w, h] of [[100, 20], [6, 90], [20, 32], [250, 250]]) {
    const scaled = P.scaleToBox(rect(w, h, 0, 0, w, h));
    assert.deepStrictEqual([scaled.width, scaled.height], [20, 32], `${w}×${h}`);
    assert.strictEqual(P.count(scaled), 640);
  }
  assert.deepStrictEqual(P.scaleFactors(10, 64), { x: 2, y: 0.5 });
  // keepAspect (for comparison): the longer side becomes 32
  const wide = P.scaleToBox(rect(100, 20, 0, 0, 100, 20), { keepAspect: true });
  assert.deepStrictEqual([wide.width, wide.height], [32, 6]);
  const tall = P.scaleToBox(rect(8, 80, 0, 0, 8, 80), { keepAspect: true });
  assert.deepStrictEqual([tall.width, tall.height], [3, 32]);
});

test('centre: (32 − w) >> 1, (32 − h) >> 1 — the 20 × 32 box lands in columns 6..25', () => {
  const c = P.centre(rect(20, 32, 0, 0, 20, 32), 32);
  assert.deepStrictEqual(P.bbox(c), { x: 6, y: 0, w: 20, h: 32 });
  assert.deepStrictEqual([c.offsetX, c.offsetY], [6, 0]);
  assert.deepStrictEqual(P.bbox(P.centre(rect(5, 3, 0, 0, 5, 3), 32)), { x: 13, y: 14, w: 5, h: 3 });
  // in 4×4 blocks: columns 1..6, all 8 rows — the data set's digits sit exactly there
  const px = P.blockCounts(c);
  for (let i = 0; i < 64; i++) {
    const col = i % 8;
    assert.strictEqual(px[i], col === 0 || col === 7 ? 0 : (col === 1 || col === 6 ? 8 : 16));
  }
});

test('the data set itself: every digit is 8 blocks tall and sits in block columns 1..6 (the 20 × 32 box)', () => {
  const rows = fs.readFileSync(path.join(__dirname, '..', 'data', 'digits.csv'), 'utf8').trim().split('\n')
    .map((l) => l.split(',').map(Number));
  let tall = 0, inBox = 0, edge = 0;
  for (const r of rows) {
    const ys = [], xs = [];
    for (let i = 0; i < 64; i++) if (r[i] > 0) { ys.push(i >> 3); xs.push(i & 7); }
    if (Math.min(...ys) === 0 && Math.max(...ys) === 7) tall++;
    if (Math.min(...xs) >= 1 && Math.max(...xs) <= 6) inBox++;
    edge += r[0] + r[8] + r[16] + r[24] + r[32] + r[40] + r[48] + r[56];
  }
  assert.strictEqual(tall, rows.length, 'all digits span the full height');
  assert.ok(inBox / rows.length > 0.8, `most digits lie in columns 1..6 (${inBox} of ${rows.length})`);
  assert.ok(edge / rows.length < 0.1, 'column 0 is (almost) never inked');
});

test('erode / dilate: 4-neighbour, outside the image counts as no ink', () => {
  assert.deepStrictEqual(toText(P.dilate(fromText(['.....', '.....', '..#..', '.....', '.....']))),
    ['.....', '..#..', '.###.', '..#..', '.....']);
  assert.deepStrictEqual(toText(P.erode(fromText(['.....', '.###.', '.###.', '.###.', '.....']))),
    ['.....', '.....', '..#..', '.....', '.....']);
  // at the border, pixels erode (the outside is empty)
  assert.strictEqual(P.count(P.erode(rect(4, 4, 0, 0, 4, 4))), 4);
});

test('stroke width: NIST thresholds 560 / 412 / 256 / 108 ink pixels', () => {
  const cases = [
    [rect(32, 32, 6, 0, 20, 32), 'thinned twice', 640],          // 640 > 560
    [rect(32, 32, 6, 2, 20, 22), 'thinned', 440],                // 412 < 440 ≤ 560
    [rect(32, 32, 6, 0, 10, 32), 'none', 320],
    [rect(32, 32, 14, 0, 4, 32), 'thickened', 128],              // 108 ≤ 128 < 256
    [rect(32, 32, 15, 0, 2, 32), 'thickened twice', 64],         // < 108
  ];
  for (const [bm, op, n] of cases) {
    const r = P.normaliseStrokeWidth(bm);
    assert.strictEqual(r.before, n);
    assert.strictEqual(r.operation, op, `${n} pixels`);
  }
  assert.strictEqual(P.normaliseStrokeWidth(cases[0][0]).after, P.count(P.erode(P.erode(cases[0][0]))));
  assert.strictEqual(P.normaliseStrokeWidth(cases[4][0]).after, P.count(P.dilate(P.dilate(cases[4][0]))));
});

test('deslant: a slanted bar is sheared upright (NIST shear_char)', () => {
  const bm = P.bitmap(32, 32);
  for (let y = 0; y < 32; y++) for (let x = 0; x < 4; x++) bm.data[y * 32 + 20 - Math.round(y * 0.4) + x] = 1;
  const r = P.deslant(bm);
  assert.ok(r.factor > 0.3 && r.factor < 0.5, 'factor ' + r.factor);
  const b = P.bbox(r.bitmap);
  assert.ok(b.w <= 6, 'upright bar is narrow: ' + JSON.stringify(b));
  assert.strictEqual(P.count(r.bitmap), P.count(bm), 'shearing moves pixels, it does not add or remove them');
  // nothing to do for an upright bar or a very short character
  assert.strictEqual(P.deslant(rect(32, 32, 10, 0, 4, 32)).factor, 0);
  assert.strictEqual(P.deslant(rect(32, 32, 10, 10, 4, 5)).factor, 0);
});

test('blockCounts: on-pixels of each non-overlapping 4×4 block, 0..16, row by row', () => {
  const bm = P.bitmap(32, 32);
  bm.data[9 * 32 + 5] = 1;                         // x 5, y 9 → block column 1, row 2
  let px = P.blockCounts(bm);
  assert.strictEqual(px.length, 64);
  assert.strictEqual(px[2 * 8 + 1], 1);
  assert.strictEqual(sum(px), 1);
  px = P.blockCounts(rect(32, 32, 0, 0, 32, 32));
  assert.ok(px.every((v) => v === 16));
  const checker = P.bitmap(32, 32);
  for (let i = 0; i < 1024; i++) checker.data[i] = ((i % 32) + (i >> 5)) & 1;
  assert.ok(P.blockCounts(checker).every((v) => v === 8));
  px = P.blockCounts(rect(32, 32, 4, 0, 4, 8));    // block column 1, rows 0 and 1
  assert.deepStrictEqual([px[1], px[9], px[17], px[0], px[2]], [16, 16, 0, 0, 0]);
});

test('empty drawing: "nothing drawn", no pixels to predict from', () => {
  for (const r of [
    P.preprocessBitmap(P.bitmap(256, 256)),
    P.preprocessStrokes([], { width: 256, height: 256, scale: 256, penWidth: 0.12 }),
    P.preprocessStrokes([[]], { width: 256, height: 256, scale: 256, penWidth: 0.12 }),
  ]) {
    assert.strictEqual(r.empty, true);
    assert.strictEqual(r.pixels, null);
    assert.strictEqual(r.inkCount, 0);
    assert.strictEqual(P.count(r.bitmap32), 0);
  }
});

test('the whole pipeline: crop → 20×32 → centre → stroke width → slant → 8×8, all steps exposed', () => {
  const r = P.preprocessStrokes(Samples.sample(7), { width: 256, height: 256, scale: 256, penWidth: 0.12 });
  assert.strictEqual(r.empty, false);
  assert.deepStrictEqual([r.scaled.width, r.scaled.height], [20, 32]);
  assert.deepStrictEqual(P.bbox(r.centred), { x: 6, y: 0, w: 20, h: 32 });
  assert.deepStrictEqual([r.bitmap32.width, r.bitmap32.height], [32, 32]);
  assert.strictEqual(r.pixels.length, 64);
  assert.deepStrictEqual(Array.from(r.pixels), Array.from(P.blockCounts(r.bitmap32)));
  assert.strictEqual(sum(r.pixels), r.inkCount);
  assert.ok(r.inkCount >= 200 && r.inkCount <= 450, 'about as much ink as a data set digit: ' + r.inkCount);
  // Where and how big the digit is drawn does not matter.
  const moved = Samples.sample(7).map((st) => st.map(([x, y]) => [0.2 + x * 0.5, 0.1 + y * 0.6]));
  const r2 = P.preprocessStrokes(moved, { width: 256, height: 256, scale: 256, penWidth: 0.06 });
  const mae = sum(r.pixels.map((v, i) => Math.abs(v - r2.pixels[i]))) / 64;
  assert.ok(mae < 1.5, 'a smaller, shifted 7 gives nearly the same 8×8 (MAE ' + mae.toFixed(2) + ')');
});

test('samples: ten digits, strokes inside the pad', () => {
  assert.strictEqual(Samples.count, 10);
  for (let d = 0; d < 10; d++) {
    const s = Samples.sample(d);
    assert.ok(s.length >= 1);
    for (const st of s) for (const [x, y] of st) assert.ok(x > 0.05 && x < 0.95 && y > 0.05 && y < 0.95, `digit ${d}`);
  }
  assert.throws(() => Samples.sample(10), RangeError);
});
