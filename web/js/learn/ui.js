/* nnmath — small DOM/canvas helpers shared by the "tangent" and "ball"
 * interactives. Classic script: attaches window.NNLearnUI (module.exports in Node).
 * No global state: every helper works on what it is given.
 */
(function (root) {
  'use strict';

  var uidCounter = 0;
  function uid(prefix) {
    uidCounter += 1;
    return (prefix || 'learn') + '-' + uidCounter + '-' + Math.floor(Math.random() * 1e6).toString(36);
  }

  // el('button', {class: 'x', text: 'Go', type: 'button', 'data-testid': 't'}, [children])
  // Never sets a style attribute (strict CSP): style from JS goes through el.style.
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v == null || v === false) return;
        if (k === 'text') node.textContent = v;
        else if (k === 'class') node.className = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c == null) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  // Size a canvas for crisp drawing: CSS size w x h, backing store scaled by the
  // device pixel ratio; returns the 2D context already scaled to CSS pixels.
  function fitCanvas(canvas, w, h) {
    var dpr = Math.min(3, (root && root.devicePixelRatio) || 1);
    w = Math.max(1, Math.round(w));
    h = Math.max(1, Math.round(h));
    var bw = Math.round(w * dpr), bh = Math.round(h * dpr);
    if (canvas.width !== bw) canvas.width = bw;
    if (canvas.height !== bh) canvas.height = bh;
    canvas.style.width = w + 'px';
    canvas.style.height = h + 'px';
    var ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx: ctx, w: w, h: h, dpr: dpr };
  }

  // Viridis (perceptually uniform, colour-blind safe, dark = low, bright = high).
  var VIRIDIS = [
    [68, 1, 84], [72, 36, 117], [65, 68, 135], [53, 95, 141], [42, 120, 142],
    [33, 145, 140], [34, 168, 132], [68, 191, 112], [122, 209, 81], [189, 223, 38], [253, 231, 37]
  ];
  function viridis(t) {
    if (!(t > 0)) t = 0;
    if (t > 1) t = 1;
    var x = t * (VIRIDIS.length - 1);
    var i = Math.min(VIRIDIS.length - 2, Math.floor(x));
    var f = x - i, a = VIRIDIS[i], b = VIRIDIS[i + 1];
    return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
  }

  function rgb(c, k) {
    k = k == null ? 1 : k;
    return 'rgb(' + Math.round(Math.min(255, c[0] * k)) + ',' + Math.round(Math.min(255, c[1] * k)) +
      ',' + Math.round(Math.min(255, c[2] * k)) + ')';
  }

  // Relative luminance (WCAG) of an [r, g, b] colour, 0..1.
  function luminance(c) {
    function ch(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
    return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2]);
  }

  // Okabe–Ito colours (distinguishable with the common colour-vision deficiencies),
  // extended with white and grey; balls also carry numbers, so colour is never the only cue.
  var BALL_COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7',
    '#FFFFFF', '#999999', '#000000'];

  function hexToRgb(h) {
    var n = parseInt(h.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }

  function reducedMotionQuery() {
    return root && root.matchMedia ? root.matchMedia('(prefers-reduced-motion: reduce)') : null;
  }

  // Number for display: typographic minus, fixed decimals, no "-0.00".
  function fmt(x, d) {
    if (!isFinite(x)) return x !== x ? 'not a number' : (x > 0 ? '\u221e' : '\u2212\u221e');
    d = d == null ? 2 : d;
    var s = x.toFixed(d);
    if (Number(s) === 0) s = (0).toFixed(d);
    return s.replace('-', '\u2212');
  }
  // Same, with an ASCII hyphen-minus (machine-readable: parseFloat works).
  function fmtAscii(x, d) {
    if (!isFinite(x)) return String(x);
    d = d == null ? 2 : d;
    var s = x.toFixed(d);
    if (Number(s) === 0) s = (0).toFixed(d);
    return s;
  }
  function signed(x, d) {
    var s = fmt(x, d);
    return x > 0 && Number(x.toFixed(d == null ? 2 : d)) !== 0 ? '+' + s : s;
  }

  // Call cb(width) now and whenever el's content width changes. Returns a stop function.
  function observeWidth(el, cb) {
    var last = -1, raf = 0;
    function check() {
      raf = 0;
      var w = el.clientWidth;
      if (w > 0 && w !== last) { last = w; cb(w); }
    }
    check();
    if (root.ResizeObserver) {
      var ro = new root.ResizeObserver(function () { if (!raf) raf = root.requestAnimationFrame(check); });
      ro.observe(el);
      return function () { ro.disconnect(); if (raf) root.cancelAnimationFrame(raf); };
    }
    var onResize = function () { if (!raf) raf = root.requestAnimationFrame(check); };
    root.addEventListener('resize', onResize);
    return function () { root.removeEventListener('resize', onResize); if (raf) root.cancelAnimationFrame(raf); };
  }

  // A labelled range input with a live <output>. Returns {wrap, input, output, set(v)}.
  function slider(opts) {
    var id = uid('range');
    var input = el('input', { type: 'range', id: id, min: opts.min, max: opts.max, step: opts.step,
      'data-testid': opts.testid, 'aria-describedby': opts.describedby });
    input.value = String(opts.value);
    var output = el('output', { for: id, class: 'learn-output', 'aria-hidden': 'true' });
    var label = el('label', { for: id, class: 'learn-label' }, [opts.label]);
    var row = el('div', { class: 'learn-range-row' }, [input, output]);
    var wrap = el('div', { class: 'learn-field' }, [label, row]);
    function show() {
      var v = Number(input.value);
      output.textContent = opts.format ? opts.format(v) : String(v);
      input.setAttribute('aria-valuetext', output.textContent);
    }
    show();
    input.addEventListener('input', show);
    return {
      wrap: wrap, input: input, output: output,
      set: function (v) { input.value = String(v); show(); },
      get: function () { return Number(input.value); }
    };
  }

  // Pointer position in CSS pixels relative to an element's content box (inside its border).
  function localPoint(elm, ev) {
    var r = elm.getBoundingClientRect();
    return { x: ev.clientX - r.left - (elm.clientLeft || 0), y: ev.clientY - r.top - (elm.clientTop || 0) };
  }

  var api = {
    uid: uid, el: el, fitCanvas: fitCanvas, viridis: viridis, rgb: rgb, luminance: luminance,
    BALL_COLOURS: BALL_COLOURS, hexToRgb: hexToRgb, reducedMotionQuery: reducedMotionQuery,
    fmt: fmt, fmtAscii: fmtAscii, signed: signed, observeWidth: observeWidth, slider: slider,
    localPoint: localPoint
  };
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNLearnUI = api;
})(typeof window !== 'undefined' ? window : this);
