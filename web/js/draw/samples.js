/* nnmath — "draw your own digit": sample strokes for the digits 0–9 (browser global NNDrawSamples;
 * Node module.exports).  Pure data + a few shape helpers.
 *
 * Each sample is a list of strokes; a stroke is a list of points [x, y] in pad units: (0, 0) is
 * the pad's top-left corner and (1, 1) its bottom-right.  They are written the way the UCI digits
 * look (a 1 with a flag, a 4 with a closed top-left, a 7 with a bar, a 9 with a tail that curls
 * left), so that the "Sample digit" button — the way to try the pad without drawing — and the
 * browser test show what a typical handwritten digit does. */
(function (root) {
  'use strict';

  var RAD = Math.PI / 180;

  /* Points on an ellipse arc, angles in degrees: 0 = right, 90 = down (screen coordinates). */
  function arc(cx, cy, rx, ry, fromDeg, toDeg, step) {
    step = step || 6;
    var n = Math.max(2, Math.ceil(Math.abs(toDeg - fromDeg) / step)), pts = [];
    for (var i = 0; i <= n; i++) {
      var a = (fromDeg + (toDeg - fromDeg) * i / n) * RAD;
      pts.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a)]);
    }
    return pts;
  }

  /* A polyline through the points with extra points every ~0.02 units (a pen moves smoothly). */
  function line() {
    var pts = [], args = Array.prototype.slice.call(arguments);
    for (var k = 0; k < args.length; k++) {
      var p = args[k];
      if (k === 0) { pts.push([p[0], p[1]]); continue; }
      var q = args[k - 1], d = Math.sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]));
      var n = Math.max(1, Math.ceil(d / 0.02));
      for (var i = 1; i <= n; i++) pts.push([q[0] + (p[0] - q[0]) * i / n, q[1] + (p[1] - q[1]) * i / n]);
    }
    return pts;
  }

  function join() {
    var out = [];
    for (var k = 0; k < arguments.length; k++) {
      var part = arguments[k];
      for (var i = 0; i < part.length; i++) {
        var last = out[out.length - 1], p = part[i];
        if (last && Math.abs(last[0] - p[0]) < 1e-9 && Math.abs(last[1] - p[1]) < 1e-9) continue;
        if (last && i === 0) {                       // bridge a gap between parts smoothly
          var bridge = line(last, p);
          for (var b = 1; b < bridge.length - 1; b++) out.push(bridge[b]);
        }
        out.push([p[0], p[1]]);
      }
    }
    return out;
  }

  var SAMPLES = [
    /* 0 */ [arc(0.5, 0.5, 0.19, 0.34, -95, 272)],
    /* 1 */ [line([0.42, 0.3], [0.57, 0.14], [0.48, 0.86])],
    /* 2 */ [join(arc(0.49, 0.33, 0.19, 0.18, 195, 385), line([0.67, 0.4], [0.29, 0.85], [0.74, 0.85]))],
    /* 3 */ [join(arc(0.48, 0.32, 0.17, 0.17, 200, 450), arc(0.48, 0.66, 0.2, 0.19, 270, 515))],
    /* 4 */ [line([0.52, 0.14], [0.28, 0.6], [0.75, 0.6]), line([0.6, 0.3], [0.6, 0.86])],
    /* 5 */ [join(line([0.7, 0.15], [0.36, 0.15], [0.33, 0.47]), arc(0.49, 0.64, 0.2, 0.2, 225, 495))],
    /* 6 */ [join(arc(0.64, 0.62, 0.33, 0.48, 252, 180), arc(0.5, 0.67, 0.19, 0.19, 180, -175))],
    /* 7 */ [line([0.28, 0.16], [0.72, 0.16], [0.44, 0.86]), line([0.42, 0.52], [0.71, 0.52])],
    /* 8 */ [join(arc(0.5, 0.3, 0.15, 0.16, -30, -270), arc(0.5, 0.67, 0.2, 0.19, -50, 220),
      line([0.35, 0.55], [0.63, 0.22]))],
    /* 9 */ [join(arc(0.47, 0.33, 0.18, 0.18, 0, -360), line([0.65, 0.33], [0.65, 0.55], [0.63, 0.72],
      [0.56, 0.83], [0.45, 0.86], [0.36, 0.82]))]
  ];

  /* Strokes for digit d (0..9): a deep copy, in pad units. */
  function sample(d) {
    var s = SAMPLES[d];
    if (!s) throw new RangeError('sample: digit must be 0..9');
    return s.map(function (st) { return st.map(function (p) { return [p[0], p[1]]; }); });
  }

  var api = {sample: sample, count: SAMPLES.length, arc: arc, line: line, join: join};
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNDrawSamples = api;
})(this);
