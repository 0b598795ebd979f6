// Does the drawing pad's preprocessing (web/js/draw/preprocess.js) encode a drawing the way the
// data set was encoded?  Every digit of data/digits.csv is turned back into a "drawing" and
// preprocessed; its own 8×8 must come back within a small error.
//
//   8×8 values → 32×32 bitmap: each value v becomes v ink pixels in its 4×4 block, placed in a
//     fixed way: the v pixels of the block where a bilinear interpolation of the 8×8 values is
//     highest (ties: top-left first) — so partial blocks put their ink next to the stroke, as a
//     pen would.
//   32×32 → "drawing": drawn big on a 360×360 pad, each pixel an sx × sy rectangle (sx, sy
//     independently 4..10 px, so digits come out wider or narrower than they were) at a random
//     position.
//   drawing → preprocessBitmap → 8×8, compared with the original: mean absolute error per pixel.
//
// The reconstruction cannot be exact (the data set's bitmaps were thinned/thickened and
// straightened after scaling, and a block count does not say where in the block the ink was), so
// the test also runs pipelines with one step wrong and checks that each one fails the bound.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const P = require('../web/js/draw/preprocess.js');

const ROOT = path.resolve(__dirname, '..');
const ROWS = fs.readFileSync(path.join(ROOT, 'data', 'digits.csv'), 'utf8').trim().split(/\r?\n/)
  .map((l) => l.split(',').map(Number));
const BOUND = 1.3;   // mean absolute error per pixel (values 0..16) the real pipeline must stay under

function to32(px) {
  const bm = P.bitmap(32, 32);
  const g = (X, Y) => (X < 0 || X > 7 || Y < 0 || Y > 7 ? 0 : px[Y * 8 + X]);
  for (let by = 0; by < 8; by++) {
    for (let bx = 0; bx < 8; bx++) {
      const v = px[by * 8 + bx];
      if (!v) continue;
      const cells = [];
      for (let y = 0; y < 4; y++) {
        for (let x = 0; x < 4; x++) {
          const fx = bx + (x + 0.5) / 4 - 0.5, fy = by + (y + 0.5) / 4 - 0.5;
          const x0 = Math.floor(fx), y0 = Math.floor(fy), ax = fx - x0, ay = fy - y0;
          const d = (1 - ax) * (1 - ay) * g(x0, y0) + ax * (1 - ay) * g(x0 + 1, y0) +
            (1 - ax) * ay * g(x0, y0 + 1) + ax * ay * g(x0 + 1, y0 + 1);
          cells.push([x, y, d]);
        }
      }
      cells.sort((a, b) => b[2] - a[2] || a[1] - b[1] || a[0] - b[0]);
      for (let k = 0; k < v; k++) bm.data[(by * 4 + cells[k][1]) * 32 + bx * 4 + cells[k][0]] = 1;
    }
  }
  return bm;
}

// The simplest fixed pattern, for comparison: pixels from the block's centre outwards.
const CENTRE_OUT = [];
for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) CENTRE_OUT.push([x, y]);
CENTRE_OUT.sort((a, b) => ((a[0] - 1.5) ** 2 + (a[1] - 1.5) ** 2) - ((b[0] - 1.5) ** 2 + (b[1] - 1.5) ** 2) ||
  a[1] - b[1] || a[0] - b[0]);
function to32CentreOut(px) {
  const bm = P.bitmap(32, 32);
  for (let i = 0; i < 64; i++) {
    for (let k = 0; k < px[i]; k++) {
      const [x, y] = CENTRE_OUT[k];
      bm.data[((i >> 3) * 4 + y) * 32 + (i & 7) * 4 + x] = 1;
    }
  }
  return bm;
}

function makeRng(seed) {
  return () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
}

const PAD = 360;
function drawBig(bm, rnd) {
  const sx = 4 + rnd() * 6, sy = 4 + rnd() * 6;
  const tx = rnd() * (PAD - 32 * sx), ty = rnd() * (PAD - 32 * sy);
  const out = P.bitmap(PAD, PAD);
  for (let y = 0; y < PAD; y++) {
    const v = Math.floor((y - ty) / sy);
    if (v < 0 || v >= 32) continue;
    for (let x = 0; x < PAD; x++) {
      const u = Math.floor((x - tx) / sx);
      if (u >= 0 && u < 32 && bm.data[v * 32 + u]) out.data[y * PAD + x] = 1;
    }
  }
  return out;
}

// The drawings, made once (same random sizes and positions for every pipeline).
let DRAWINGS = null;
function drawings() {
  if (!DRAWINGS) {
    const rnd = makeRng(1);
    DRAWINGS = ROWS.map((r) => drawBig(to32(r), rnd));
  }
  return DRAWINGS;
}

// The pipeline put together from the exported steps; `broken` swaps one step for a wrong one.
function composed(ink, broken = {}) {
  const box = broken.noCrop ? { x: 0, y: 0, w: ink.width, h: ink.height } : P.bbox(ink);
  const cropped = P.crop(ink, box);
  const scaled = P.scaleToBox(cropped, { keepAspect: !!broken.keepAspect });
  const centred = broken.noCentre ? topLeft(scaled) : P.centre(scaled, 32);
  const sw = P.normaliseStrokeWidth(centred).bitmap;
  const final = P.deslant(sw).bitmap;
  if (broken.count) return broken.count(final);
  return P.blockCounts(final);
}
function topLeft(bm) {
  const out = P.bitmap(32, 32);
  for (let y = 0; y < Math.min(32, bm.height); y++) for (let x = 0; x < Math.min(32, bm.width); x++) out.data[y * 32 + x] = bm.data[y * bm.width + x];
  return out;
}
const WRONG_COUNTS = {
  // blocks taken 2 pixels off the grid
  offsetBlocks(bm) {
    const out = new Uint8Array(64);
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) {
      const bx = Math.floor((x + 2) / 4), by = Math.floor((y + 2) / 4);
      if (bm.data[y * 32 + x] && bx < 8 && by < 8) out[by * 8 + bx]++;
    }
    return out;
  },
  // a block is "on" (16) or "off" (0) instead of its count
  thresholded(bm) { return P.blockCounts(bm).map((v) => (v >= 8 ? 16 : 0)); },
  // columns and rows swapped
  transposed(bm) {
    const c = P.blockCounts(bm), out = new Uint8Array(64);
    for (let i = 0; i < 64; i++) out[(i & 7) * 8 + (i >> 3)] = c[i];
    return out;
  },
};

function mae(encode) {
  let err = 0, exact = 0, within2 = 0;
  const perImage = [];
  ROWS.forEach((r, k) => {
    const px = encode(k);
    let e = 0;
    for (let i = 0; i < 64; i++) {
      const d = Math.abs(px[i] - r[i]);
      e += d; if (d === 0) exact++; if (d <= 2) within2++;
    }
    err += e; perImage.push(e / 64);
  });
  perImage.sort((a, b) => a - b);
  const n = ROWS.length * 64;
  return { mae: err / n, exact: exact / n, within2: within2 / n, median: perImage[perImage.length >> 1],
    p90: perImage[Math.floor(perImage.length * 0.9)] };
}

const fmt = (m) => `MAE ${m.mae.toFixed(3)} (median image ${m.median.toFixed(2)}, 90th percentile ${m.p90.toFixed(2)}; ` +
  `${(m.exact * 100).toFixed(1)}% of pixels exact, ${(m.within2 * 100).toFixed(1)}% within ±2)`;

test('round trip: data-set digits drawn big and preprocessed give back their own 8×8', (t) => {
  const D = drawings();
  // the reconstruction itself is exact at 32×32
  for (let k = 0; k < ROWS.length; k += 97) assert.deepStrictEqual(Array.from(P.blockCounts(to32(ROWS[k]))), ROWS[k].slice(0, 64));

  const real = mae((k) => P.preprocessBitmap(D[k]).pixels);
  t.diagnostic('preprocessBitmap: ' + fmt(real));
  assert.ok(real.mae < BOUND, `mean absolute error ${real.mae.toFixed(3)} ≥ ${BOUND}`);
  assert.ok(real.within2 > 0.78, 'most pixels within ±2');

  // the composition of the exported steps is the pipeline
  for (let k = 0; k < ROWS.length; k += 37) {
    assert.deepStrictEqual(Array.from(composed(D[k])), Array.from(P.preprocessBitmap(D[k]).pixels), 'row ' + k);
  }

  // For comparison: the simplest fixed pattern (centre outwards) in place of the bilinear one.
  const rnd = makeRng(1);
  const simple = mae((k) => P.preprocessBitmap(drawBig(to32CentreOut(ROWS[k]), rnd)).pixels);
  t.diagnostic('centre-out pattern instead: ' + fmt(simple));
  assert.ok(simple.mae < 1.8);
});

test('round trip: a pipeline with one step wrong fails the same bound', (t) => {
  const D = drawings();
  const variants = {
    'no centring (box at the top-left)': (k) => composed(D[k], { noCentre: true }),
    'aspect ratio kept (fit in 32×32) instead of 20×32': (k) => composed(D[k], { keepAspect: true }),
    'no crop (the whole pad scaled)': (k) => composed(D[k], { noCrop: true }),
    'blocks 2 px off the grid': (k) => composed(D[k], { count: WRONG_COUNTS.offsetBlocks }),
    'blocks thresholded instead of counted': (k) => composed(D[k], { count: WRONG_COUNTS.thresholded }),
    'blocks transposed': (k) => composed(D[k], { count: WRONG_COUNTS.transposed }),
  };
  for (const [name, encode] of Object.entries(variants)) {
    const m = mae(encode);
    t.diagnostic(`${name}: ${fmt(m)}`);
    assert.ok(m.mae > BOUND + 0.3, `${name}: MAE ${m.mae.toFixed(3)} should be well above ${BOUND}`);
  }
});

// With the real core (build-wasm/ or dist/js/): the trained "Improved" network reads the
// round-tripped test digits almost as well as the originals.
const CORE_DIRS = [path.join(ROOT, 'build-wasm'), path.join(ROOT, 'dist', 'js')];
const coreDir = CORE_DIRS.find((d) => fs.existsSync(path.join(d, 'nnmath-core-scalar.js')) &&
  fs.existsSync(path.join(d, 'nnmath-core-simd.js')));
test('round trip: the Improved network reads the round-tripped test digits almost as well',
  { skip: coreDir ? false : 'no WebAssembly core (run `make wasm`)' }, async (t) => {
    const NNMath = require('../web/js/nnmath.js');
    const core = await NNMath.load({ simd: 'auto', coreDir });
    const pixels = new Uint8Array(ROWS.length * 64), labels = new Uint8Array(ROWS.length);
    ROWS.forEach((r, k) => { pixels.set(r.slice(0, 64), k * 64); labels[k] = r[64]; });
    const ds = core.dataset({ pixels, labels, scale: 'unit' });
    ds.split({ testFraction: 0.2, seed: 1 });
    const net = core.network({ layers: [64, 32, 10], activation: 'relu', cost: 'xent', output: 'softmax',
      optimizer: 'sgd', lr: 0.1, batch: 32, seed: 1 }, ds);
    while (net.epoch < 30) net.trainSteps(Math.min(50, 30 * net.stepsPerEpoch - (net.epoch * net.stepsPerEpoch + net.step)));
    const D = drawings();
    const argmax = (p) => { let b = 0; for (let i = 1; i < 10; i++) if (p[i] > p[b]) b = i; return b; };
    let orig = 0, trip = 0, same = 0, keep = 0;
    const test = ds.rows('test');
    for (const row of test) {
      const label = ds.label(row);
      const a = argmax(net.predict(ds.pixels(row)));
      const b = argmax(net.predict(P.preprocessBitmap(D[row]).pixels));
      const c = argmax(net.predict(composed(D[row], { keepAspect: true })));
      orig += a === label; trip += b === label; same += a === b; keep += c === label;
    }
    const n = test.length, pc = (x) => (100 * x / n).toFixed(1) + '%';
    t.diagnostic(`test digits read correctly: originals ${pc(orig)}, round-tripped ${pc(trip)} ` +
      `(same answer as for the original: ${pc(same)}); with the aspect ratio kept instead: ${pc(keep)}`);
    assert.ok(trip >= orig - 0.05 * n, 'round-tripped digits lose at most 5 points of accuracy');
    assert.ok(keep < trip - 0.05 * n, 'keeping the aspect ratio is clearly worse');
    net.dispose(); ds.dispose();
  });
