/* nnmath page — colours (pure; browser global NNPagePalette, Node module.exports).
 * Colour-blind-safe choices: a diverging red–white–blue map (ColorBrewer RdBu) for signed
 * numbers (weights, biases, z), a white→ink grey for pixels, Okabe–Ito colours for chart lines,
 * and text colours picked for WCAG AA contrast on any cell colour. */
(function (root) {
  'use strict';

  // ColorBrewer RdBu, 11 classes, from −1 (red) to +1 (blue); the middle is white.
  var RDBU = [
    [103, 0, 31], [178, 24, 43], [214, 96, 77], [244, 165, 130], [253, 219, 199], [255, 255, 255],
    [209, 229, 240], [146, 197, 222], [67, 147, 195], [33, 102, 172], [5, 48, 97]
  ];
  // Okabe–Ito
  var SERIES = {blue: '#0072B2', vermillion: '#D55E00', green: '#009E73', orange: '#E69F00',
    sky: '#56B4E9', purple: '#CC79A7', black: '#000000'};

  function clamp(t, lo, hi) { return t < lo ? lo : (t > hi ? hi : t); }

  function lerp(stops, t) {
    var x = clamp(t, 0, 1) * (stops.length - 1);
    var i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
    var a = stops[i], b = stops[i + 1];
    return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f),
      Math.round(a[2] + (b[2] - a[2]) * f)];
  }

  /* t in [−1, 1] (value ÷ scale): negative red, 0 white, positive blue.  NaN -> grey. */
  function diverging(t) {
    if (typeof t !== 'number' || t !== t) return [160, 160, 160];
    return lerp(RDBU, (clamp(t, -1, 1) + 1) / 2);
  }

  /* Pixel value 0..16 -> white .. near-black ink. */
  function ink(v) {
    var g = Math.round(255 - clamp(v / 16, 0, 1) * (255 - 17));
    return [g, g, g];
  }

  /* Sequential 0..1 (counts): white -> dark blue, or white -> dark orange for errors. */
  var BLUES = [[255, 255, 255], [198, 219, 239], [107, 174, 214], [33, 113, 181], [8, 48, 107]];
  var ORANGES = [[255, 255, 255], [253, 208, 162], [253, 141, 60], [217, 72, 1], [127, 39, 4]];
  function blues(t) { return lerp(BLUES, t); }
  function oranges(t) { return lerp(ORANGES, t); }

  function css(rgb) { return 'rgb(' + rgb[0] + ', ' + rgb[1] + ', ' + rgb[2] + ')'; }

  function channel(c) {
    var s = c / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  }
  function luminance(rgb) {
    return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
  }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  var DARK = [0, 0, 0], LIGHT = [255, 255, 255];
  /* Text colour (as CSS) with the better contrast on the background rgb. */
  function textOn(rgb) {
    return contrast(rgb, DARK) >= contrast(rgb, LIGHT) ? '#000000' : '#ffffff';
  }
  function hexToRgb(h) {
    var m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(h);
    return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : null;
  }

  /* Largest |value| of an array (at least `floor`, so all-zero arrays stay white). */
  function maxAbs(a, floor) {
    var m = floor || 1e-6;
    for (var i = 0; i < a.length; i++) { var v = Math.abs(a[i]); if (v > m && v === v) m = v; }
    return m;
  }

  var api = {diverging: diverging, ink: ink, blues: blues, oranges: oranges, css: css,
    luminance: luminance, contrast: contrast, textOn: textOn, hexToRgb: hexToRgb,
    maxAbs: maxAbs, SERIES: SERIES, RDBU: RDBU};
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.NNPagePalette = api;
})(this);
