/* nnmath — "draw your own digit": the pure preprocessing (browser global NNDrawPrep; Node
 * module.exports).  No DOM, no canvas: it works on plain binary bitmaps, so Node tests can run it.
 *
 * A drawing becomes 64 numbers 0..16 the way the UCI digits were made.  UCI says: "preprocessing
 * programs made available by NIST were used to extract normalized bitmaps ... 32x32 bitmaps are
 * divided into nonoverlapping blocks of 4x4 and the number of on pixels are counted in each
 * block" (NISTIR 5469).  NIST's second-generation normalisation (norm_2nd_gen2 + shear_mis in the
 * NIST form-based handprint recognition system) does, for each character:
 *   1. crop the binary character image to its ink's bounding box;
 *   2. scale it with nearest-neighbour zooming to 20 pixels wide and 32 high — the two directions
 *      independently, so the aspect ratio is NOT kept (every UCI digit is 8 blocks tall and about
 *      6 wide, in columns 1..6: that is this 20×32 box);
 *   3. centre it in a 32×32 image (left edge at (32 − 20) >> 1 = 6);
 *   4. normalise the stroke width by counting ink pixels: more than 560 → erode twice, more than
 *      412 → erode once, fewer than 108 → dilate twice, fewer than 256 → dilate once
 *      (4-neighbour erosion / dilation; outside the image counts as no ink);
 *   5. straighten the slant: shear rows horizontally so that the left edge of the row 2 below
 *      the top of the ink and the row 2 above its bottom line up (rows shift by
 *      round((row − 16) × factor));
 *   6. count the ink pixels of each 4×4 block → 8×8 values 0..16.
 * Every step is exported on its own (the tests check each), with the options
 *   {boxWidth: 20, boxHeight: 32, keepAspect: false, strokeWidth: true, deslant: true}
 * (keepAspect: true instead scales both directions by one factor so the longer side fits the box
 * — the common "fit in a square" recipe, kept for comparison; it does not match the data set).
 *
 * A bitmap is {width, height, data: Uint8Array(width*height)} with 1 = ink, row by row.
 * Strokes are arrays of points [x, y] or {x, y}; renderStrokes draws them with a round pen.
 */
(function (root) {
  'use strict';

  var SIZE = 32, BLOCK = 4, GRID = 8;
  var DEFAULTS = {boxWidth: 20, boxHeight: 32, keepAspect: false, strokeWidth: true, deslant: true};
  var f32 = Math.fround || function (x) { return x; };

  function bitmap(width, height, data) {
    width = width | 0; height = height | 0;
    if (width < 0 || height < 0) throw new RangeError('bitmap size must not be negative');
    return {width: width, height: height, data: data || new Uint8Array(width * height)};
  }

  function copy(bm) { return bitmap(bm.width, bm.height, new Uint8Array(bm.data)); }

  function count(bm) {
    var n = 0, d = bm.data;
    for (var i = 0; i < d.length; i++) if (d[i]) n++;
    return n;
  }

  function px(p) { return p.x !== undefined ? p.x : p[0]; }
  function py(p) { return p.y !== undefined ? p.y : p[1]; }

  /* Draw strokes with a round pen (round caps and joins, like canvas lineCap/lineJoin 'round'):
   * a pixel is ink when its centre is within penWidth/2 of a stroke.  Coordinates are multiplied
   * by opts.scale (default 1), so the same strokes can be drawn at any resolution; penWidth is
   * in the same (unscaled) units as the points.  Returns a bitmap of opts.width × opts.height. */
  function renderStrokes(strokes, opts) {
    opts = opts || {};
    var s = opts.scale == null ? 1 : +opts.scale;
    var out = bitmap(opts.width, opts.height), W = out.width, H = out.height, d = out.data;
    var r = (opts.penWidth == null ? 1 : +opts.penWidth) * s / 2;
    if (!(r > 0) || !strokes) return out;
    var r2 = r * r;

    function capsule(ax, ay, bx, by) {
      var x0 = Math.max(0, Math.floor(Math.min(ax, bx) - r)), x1 = Math.min(W - 1, Math.ceil(Math.max(ax, bx) + r));
      var y0 = Math.max(0, Math.floor(Math.min(ay, by) - r)), y1 = Math.min(H - 1, Math.ceil(Math.max(ay, by) + r));
      var dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
      for (var y = y0; y <= y1; y++) {
        var cy = y + 0.5, row = y * W;
        for (var x = x0; x <= x1; x++) {
          if (d[row + x]) continue;
          var cx = x + 0.5, t = 0;
          if (len2 > 0) {
            t = ((cx - ax) * dx + (cy - ay) * dy) / len2;
            t = t < 0 ? 0 : (t > 1 ? 1 : t);
          }
          var ex = ax + t * dx - cx, ey = ay + t * dy - cy;
          if (ex * ex + ey * ey <= r2) d[row + x] = 1;
        }
      }
    }

    for (var k = 0; k < strokes.length; k++) {
      var st = strokes[k];
      if (!st || !st.length) continue;
      var ax = px(st[0]) * s, ay = py(st[0]) * s;
      if (!isFinite(ax) || !isFinite(ay)) continue;
      if (st.length === 1) { capsule(ax, ay, ax, ay); continue; }
      for (var i = 1; i < st.length; i++) {
        var bx = px(st[i]) * s, by = py(st[i]) * s;
        if (!isFinite(bx) || !isFinite(by)) continue;
        capsule(ax, ay, bx, by);
        ax = bx; ay = by;
      }
    }
    return out;
  }

  /* Binary ink bitmap from canvas pixels: alpha (or one channel) ≥ threshold is ink.
   * rgba: ImageData.data (stride 4, channel 3 = alpha) or a one-byte-per-pixel array (stride 1). */
  function fromAlpha(rgba, width, height, opts) {
    opts = opts || {};
    var stride = opts.stride || (rgba.length === width * height ? 1 : 4);
    var ch = opts.channel == null ? stride - 1 : opts.channel;
    var thr = opts.threshold == null ? 128 : opts.threshold;
    var out = bitmap(width, height), d = out.data;
    for (var i = 0, j = ch; i < d.length; i++, j += stride) if (rgba[j] >= thr) d[i] = 1;
    return out;
  }

  /* The ink's bounding box {x, y, w, h}, or null when there is no ink. */
  function bbox(bm) {
    var W = bm.width, H = bm.height, d = bm.data;
    var x0 = W, y0 = H, x1 = -1, y1 = -1;
    for (var y = 0; y < H; y++) {
      var row = y * W;
      for (var x = 0; x < W; x++) {
        if (d[row + x]) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          y1 = y;
        }
      }
    }
    return x1 < 0 ? null : {x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1};
  }

  function crop(bm, box) {
    var out = bitmap(box.w, box.h), W = bm.width;
    for (var y = 0; y < box.h; y++) {
      var sy = box.y + y;
      if (sy < 0 || sy >= bm.height) continue;
      for (var x = 0; x < box.w; x++) {
        var sx = box.x + x;
        if (sx >= 0 && sx < W) out.data[y * box.w + x] = bm.data[sy * W + sx];
      }
    }
    return out;
  }

  /* NIST zoom along one axis (enlarge_x/y, shrink_x/y): nearest-neighbour, float32 arithmetic.
   * Returns, for each output index, the source index it copies. */
  function zoomMap(n, factor) {
    factor = f32(factor);
    var m = Math.floor(f32(factor * n) + 0.5), map = new Int32Array(Math.max(0, m));
    if (m <= 0 || n <= 0) return map;
    var cur, from, i;
    if (factor === 1) {
      for (i = 0; i < m; i++) map[i] = i;
    } else if (factor > 1) {                      // enlarge: source 'from' fills to1..to2
      cur = f32(-1); var to1 = 0;
      for (from = 0; from < n; from++) {
        cur = f32(cur + factor);
        var to2 = Math.floor(cur + 0.5);
        for (i = to1; i <= to2 && i < m; i++) map[i] = from;
        to1 = to2 + 1;
      }
      for (i = Math.max(0, to1); i < m; i++) map[i] = n - 1;   // (rounding left a column unset)
    } else {                                      // shrink: output 'to' copies source 'from'
      var recip = f32(1 / factor);
      cur = f32(0); from = 0;
      for (i = 0; i < m; i++) {
        map[i] = Math.min(from, n - 1);
        cur = f32(cur + recip);
        from = Math.floor(cur + 0.5);
      }
    }
    return map;
  }

  /* Scale by xFactor, yFactor (NIST zoom): the result is round(f·w) × round(f·h). */
  function zoom(bm, xFactor, yFactor) {
    var mx = zoomMap(bm.width, xFactor), my = zoomMap(bm.height, yFactor);
    var out = bitmap(mx.length, my.length), W = bm.width;
    for (var y = 0; y < my.length; y++) {
      var srow = my[y] * W, orow = y * out.width;
      for (var x = 0; x < mx.length; x++) out.data[orow + x] = bm.data[srow + mx[x]];
    }
    return out;
  }

  /* Factors that take a w × h ink box to the box (20 × 32 NIST, independently), or — keepAspect —
   * one factor for both so that the box fits. */
  function scaleFactors(w, h, opts) {
    opts = opts || DEFAULTS;
    var bw = opts.boxWidth || DEFAULTS.boxWidth, bh = opts.boxHeight || DEFAULTS.boxHeight;
    var fx = f32(bw / w), fy = f32(bh / h);
    if (opts.keepAspect) { var f = Math.min(f32(SIZE / w), f32(SIZE / h)); fx = fy = f; }
    return {x: fx, y: fy};
  }

  /* Zoom a cropped character into the box: NIST stretches it to exactly boxWidth × boxHeight
   * (20 × 32; the zoomed width is forced to boxWidth, as NIST does, in case float rounding gives
   * 19 or 21); keepAspect scales both directions by the factor that fits a 32 × 32 square. */
  function scaleToBox(cropped, opts) {
    var o = options(opts);
    var f = scaleFactors(cropped.width, cropped.height, o);
    var scaled = zoom(cropped, f.x, f.y);
    if (o.keepAspect || scaled.width === o.boxWidth) return scaled;
    var fixed = bitmap(o.boxWidth, scaled.height);
    for (var y = 0; y < scaled.height; y++) {
      for (var x = 0; x < o.boxWidth && x < scaled.width; x++) fixed.data[y * o.boxWidth + x] = scaled.data[y * scaled.width + x];
    }
    return fixed;
  }

  /* Paste bm into the middle of a size × size image: offset ((size − w) >> 1, (size − h) >> 1),
   * clipping whatever falls outside. */
  function centre(bm, size) {
    size = size || SIZE;
    var out = bitmap(size, size), ox = (size - bm.width) >> 1, oy = (size - bm.height) >> 1;
    for (var y = 0; y < bm.height; y++) {
      var ty = y + oy;
      if (ty < 0 || ty >= size) continue;
      for (var x = 0; x < bm.width; x++) {
        var tx = x + ox;
        if (tx >= 0 && tx < size && bm.data[y * bm.width + x]) out.data[ty * size + tx] = 1;
      }
    }
    out.offsetX = ox; out.offsetY = oy;
    return out;
  }

  /* 4-neighbour erosion: an ink pixel stays only if its west, east, north and south neighbours
   * are ink (outside the image is not ink). */
  function erode(bm) {
    var W = bm.width, H = bm.height, s = bm.data, out = copy(bm), d = out.data;
    for (var y = 0; y < H; y++) {
      for (var x = 0; x < W; x++) {
        var i = y * W + x;
        if (!s[i]) continue;
        if (!(x > 0 && s[i - 1] && x < W - 1 && s[i + 1] && y > 0 && s[i - W] && y < H - 1 && s[i + W])) d[i] = 0;
      }
    }
    return out;
  }

  /* 4-neighbour dilation: an empty pixel becomes ink if any of those neighbours is ink. */
  function dilate(bm) {
    var W = bm.width, H = bm.height, s = bm.data, out = copy(bm), d = out.data;
    for (var y = 0; y < H; y++) {
      for (var x = 0; x < W; x++) {
        var i = y * W + x;
        if (s[i]) continue;
        if ((x > 0 && s[i - 1]) || (x < W - 1 && s[i + 1]) || (y > 0 && s[i - W]) || (y < H - 1 && s[i + W])) d[i] = 1;
      }
    }
    return out;
  }

  /* NIST stroke-width normalisation by ink count (thresholds for a 32×32 image). */
  function normaliseStrokeWidth(bm) {
    var n = count(bm), op = 'none', out = bm;
    if (n > 560) { out = erode(erode(bm)); op = 'thinned twice'; }
    else if (n > 412) { out = erode(bm); op = 'thinned'; }
    else if (n < 108) { out = dilate(dilate(bm)); op = 'thickened twice'; }
    else if (n < 256) { out = dilate(bm); op = 'thickened'; }
    return {bitmap: out === bm ? copy(bm) : out, before: n, after: count(out), operation: op};
  }

  function sround(x) { return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5); }

  function leftPixel(bm, row) {
    var W = bm.width, d = bm.data, o = row * W;
    for (var x = 0; x < W; x++) if (d[o + x]) return x;
    return -1;
  }

  /* NIST shear_char: straighten a slanted character.  Returns {bitmap, factor} (factor 0 = left
   * as it was).  Row r moves right by sround((r − h/2) × factor); what leaves the image is lost. */
  function deslant(bm) {
    var W = bm.width, H = bm.height, box = bbox(bm);
    if (!box || box.h <= 5) return {bitmap: copy(bm), factor: 0};
    var top = Math.min(box.y + 2, H - 1), bot = Math.max(box.y + box.h - 1 - 2, 0);
    var tl = leftPixel(bm, top), bl = leftPixel(bm, bot);
    if (top === bot || tl < 0 || bl < 0 || tl === bl) return {bitmap: copy(bm), factor: 0};
    var fctr = f32((tl - bl) / f32(bot - top)), mh = H >> 1, out = bitmap(W, H);
    for (var r = 0; r < H; r++) {
      var sv = sround(f32((r - mh) * fctr)), o = r * W;
      for (var x = 0; x < W; x++) {
        var tx = x + sv;
        if (bm.data[o + x] && tx >= 0 && tx < W) out.data[o + tx] = 1;
      }
    }
    return {bitmap: out, factor: fctr};
  }

  /* Count the ink pixels of each non-overlapping block × block square: a 32×32 bitmap gives
   * 8×8 = 64 values 0..16, row by row. */
  function blockCounts(bm, block) {
    block = block || BLOCK;
    var gw = Math.floor(bm.width / block), gh = Math.floor(bm.height / block);
    var out = new Uint8Array(gw * gh), W = bm.width;
    for (var y = 0; y < gh * block; y++) {
      for (var x = 0; x < gw * block; x++) {
        if (bm.data[y * W + x]) out[Math.floor(y / block) * gw + Math.floor(x / block)]++;
      }
    }
    return out;
  }

  function options(opts) {
    var o = {};
    for (var k in DEFAULTS) o[k] = DEFAULTS[k];
    if (opts) for (var j in opts) if (opts[j] !== undefined) o[j] = opts[j];
    return o;
  }

  /* The whole pipeline on an ink bitmap.  Returns
   *   {empty: true, ink, box: null, bitmap32: all-empty 32×32, pixels: null, inkCount: 0}
   * when there is no ink (nothing to read: do not predict), else
   *   {empty: false, ink, box, cropped, scaled, centred, strokeWidth: {before, after, operation},
   *    slant (shear factor), bitmap32 (the final 32×32), pixels: Uint8Array(64) 0..16,
   *    inkCount (ink pixels in bitmap32)}. */
  function preprocessBitmap(ink, opts) {
    var o = options(opts);
    var box = bbox(ink);
    if (!box) {
      return {empty: true, ink: ink, box: null, bitmap32: bitmap(SIZE, SIZE), pixels: null, inkCount: 0};
    }
    var cropped = crop(ink, box);
    var scaled = scaleToBox(cropped, o);
    var centred = centre(scaled, SIZE);
    var sw = o.strokeWidth ? normaliseStrokeWidth(centred)
      : {bitmap: copy(centred), before: count(centred), after: count(centred), operation: 'none'};
    var sl = o.deslant ? deslant(sw.bitmap) : {bitmap: sw.bitmap, factor: 0};
    var final = sl.bitmap;
    return {
      empty: false, ink: ink, box: box, cropped: cropped, scaled: scaled, centred: centred,
      strokeWidth: {before: sw.before, after: sw.after, operation: sw.operation},
      slant: sl.factor, bitmap32: final, pixels: blockCounts(final, BLOCK), inkCount: count(final)
    };
  }

  /* Strokes → ink bitmap (renderStrokes with opts.width, opts.height, opts.penWidth,
   * opts.scale) → preprocessBitmap. */
  function preprocessStrokes(strokes, opts) {
    return preprocessBitmap(renderStrokes(strokes, opts), opts);
  }

  var api = {
    SIZE: SIZE, BLOCK: BLOCK, GRID: GRID, DEFAULTS: DEFAULTS,
    bitmap: bitmap, copy: copy, count: count,
    renderStrokes: renderStrokes, fromAlpha: fromAlpha,
    bbox: bbox, crop: crop, zoomMap: zoomMap, zoom: zoom, scaleFactors: scaleFactors, scaleToBox: scaleToBox,
    centre: centre, options: options,
    erode: erode, dilate: dilate, normaliseStrokeWidth: normaliseStrokeWidth,
    deslant: deslant, blockCounts: blockCounts,
    preprocessBitmap: preprocessBitmap, preprocessStrokes: preprocessStrokes
  };

  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNDrawPrep = api;
})(this);
