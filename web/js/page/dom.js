/* nnmath page — small DOM helpers for the views (browser only; global NNPageDom).
 * Everything that puts text on the page goes through textContent: no innerHTML anywhere. */
(function (root) {
  'use strict';

  var MATHML = 'http://www.w3.org/1998/Math/MathML';
  var SVG = 'http://www.w3.org/2000/svg';

  function append(el, kids) {
    if (kids === undefined || kids === null || kids === false) return el;
    if (!Array.isArray(kids)) kids = [kids];
    kids.forEach(function (k) {
      if (k === undefined || k === null || k === false) return;
      if (Array.isArray(k)) append(el, k);
      else if (typeof k === 'string' || typeof k === 'number') el.appendChild(document.createTextNode(String(k)));
      else el.appendChild(k);
    });
    return el;
  }

  function setAttrs(el, attrs) {
    if (!attrs) return el;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'class') el.setAttribute('class', v);
      else if (k === 'text') el.textContent = v;
      else if (k === 'dataset') Object.keys(v).forEach(function (d) { el.dataset[d] = v[d]; });
      else if (k.slice(0, 2) === 'on' && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'style') throw new Error('use classes or el.style, not a style attribute');
      else el.setAttribute(k, v === true ? '' : String(v));
    });
    return el;
  }

  /* h('p', {class: 'x'}, ['text', child]) */
  function h(tag, attrs, kids) { return append(setAttrs(document.createElement(tag), attrs), kids); }
  function svg(tag, attrs, kids) { return append(setAttrs(document.createElementNS(SVG, tag), attrs), kids); }

  /* MathML: m('mrow', null, [m.mi('x'), m.mo('='), m.mn('0.5')]) */
  function m(tag, attrs, kids) { return append(setAttrs(document.createElementNS(MATHML, tag), attrs), kids); }
  m.mi = function (t, attrs) { return m('mi', attrs, t); };
  m.mo = function (t, attrs) { return m('mo', attrs, t); };
  m.mn = function (t) { return m('mn', null, t); };
  m.mtext = function (t) { return m('mtext', null, t); };
  m.row = function () { return m('mrow', null, Array.prototype.slice.call(arguments)); };
  m.sub = function (base, sub) { return m('msub', null, [base, sub]); };
  m.sup = function (base, sup) { return m('msup', null, [base, sup]); };
  m.subsup = function (base, sub, sup) { return m('msubsup', null, [base, sub, sup]); };
  m.frac = function (a, b) { return m('mfrac', null, [a, b]); };
  m.under = function (base, under) { return m('munder', null, [base, under]); };
  m.underover = function (base, u, o) { return m('munderover', null, [base, u, o]); };
  m.paren = function (inner) { return m('mrow', null, [m('mo', null, '('), inner, m('mo', null, ')')]); };
  /* A number that may be negative, in parentheses when negative: (−0.12) */
  m.num = function (text, paren) {
    if (paren && text.charAt(0) === '\u2212') return m.paren(m.mn(text));
    return m.mn(text);
  };
  /* <math display=block|inline aria-label=...> */
  m.math = function (kids, opts) {
    var o = opts || {};
    return m('math', {display: o.block ? 'block' : 'inline', 'aria-label': o.label, class: o.class}, kids);
  };

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

  /* Size a canvas for crisp drawing: CSS size w×h, backing store × devicePixelRatio. */
  function sizeCanvas(canvas, w, hgt) {
    var dpr = Math.min(3, root.devicePixelRatio || 1);
    var W = Math.max(1, Math.round(w * dpr)), H = Math.max(1, Math.round(hgt * dpr));
    if (canvas.width !== W) canvas.width = W;
    if (canvas.height !== H) canvas.height = H;
    canvas.style.width = w + 'px';
    canvas.style.height = hgt + 'px';
    var ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }

  /* Draw 64 pixels (0..16) as an 8×8 image at (x, y), `size` px square. */
  function drawDigit(ctx, pixels, x, y, size, inkFn) {
    var s = size / 8;
    for (var r = 0; r < 8; r++) {
      for (var c = 0; c < 8; c++) {
        var v = pixels[r * 8 + c];
        ctx.fillStyle = inkFn(v);
        // overlap by a fraction of a pixel so that no seams show between cells
        ctx.fillRect(x + c * s, y + r * s, s + 0.5, s + 0.5);
      }
    }
  }

  var motionQuery = root.matchMedia ? root.matchMedia('(prefers-reduced-motion: reduce)') : null;
  function reducedMotion() { return !!(motionQuery && motionQuery.matches); }

  var uid = 0;
  function id(prefix) { uid += 1; return (prefix || 'nn') + '-' + uid; }

  /* A labelled form control: returns {wrap, input}. */
  function field(labelText, input, hint) {
    var inputId = input.id || id('f');
    input.id = inputId;
    var kids = [h('label', {for: inputId}, labelText), input];
    if (hint) {
      var hintEl = h('span', {class: 'hint', id: inputId + '-hint'}, hint);
      input.setAttribute('aria-describedby', hintEl.id);
      kids.push(hintEl);
    }
    return {wrap: h('div', {class: 'field'}, kids), input: input};
  }

  function select(options, value) {
    var s = h('select');
    options.forEach(function (o) {
      var opt = h('option', {value: o[0]}, o[1]);
      s.appendChild(opt);
    });
    if (value !== undefined) s.value = String(value);
    return s;
  }

  /* Call fn at most every `ms` milliseconds (trailing call kept). */
  function throttle(fn, ms) {
    var last = 0, timer = null;
    return function () {
      var now = Date.now(), wait = ms - (now - last);
      if (wait <= 0) { last = now; fn(); }
      else if (!timer) timer = setTimeout(function () { timer = null; last = Date.now(); fn(); }, wait);
    };
  }

  /* Re-run fn when the element's width changes. */
  function onResize(el, fn) {
    var lastW = -1;
    function check() {
      var w = el.clientWidth;
      if (w !== lastW) { lastW = w; fn(w); }
    }
    if (root.ResizeObserver) new root.ResizeObserver(check).observe(el);
    else root.addEventListener('resize', check);
  }

  /* The head of a lesson part: the section becomes <section class="part"
   * aria-labelledby="ID-title"> and gets <header class="part-head"><span class="part-num">
   * <h2 id="ID-title">title</h2></header>; the controller writes the number (page order). */
  function partHead(section, id, title) {
    section.classList.add('part');
    section.setAttribute('aria-labelledby', id + '-title');
    section.appendChild(h('header', {class: 'part-head'}, [h('span', {class: 'part-num', 'aria-hidden': 'true'}),
      h('h2', {id: id + '-title'}, title)]));
  }

  var api = {h: h, svg: svg, m: m, append: append, clear: clear, sizeCanvas: sizeCanvas, partHead: partHead,
    drawDigit: drawDigit, reducedMotion: reducedMotion, id: id, field: field, select: select,
    throttle: throttle, onResize: onResize};
  root.NNPageDom = api;
})(this);
