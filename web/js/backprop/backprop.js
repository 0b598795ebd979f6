/* nnmath — "Backpropagation, step by step": for the chosen digit and the network's current
 * weights, the backward pass one step at a time: the output error δ = ∂C/∂z for the cost the
 * network uses (both formulas shown), ∂C/∂W = δ·aᵀ and ∂C/∂b = δ with their shapes, δ carried
 * back through Wᵀ and f′(z) down to ∂C/∂W₁ (beside W₁), then the update W ← W − η·∂C/∂W with
 * W before and after and the digit's cost before and after.  Pointing at (or focusing) a cell of
 * ∂C/∂W writes out the chain rule with that weight's real numbers; "Check with a nudge" compares
 * it with a central finite difference computed through the network itself.
 *
 *   NNBackprop.mount(container, options) -> {update(state), destroy(), go(step), getState()}
 *     options: {net, digit: 0 (a row of the net's data set), picker: true (show the digit chooser),
 *               headingLevel: 3, onApply(net) (called after "Apply this update" changed the
 *               weights), onDigit(row) (called when the chooser picks another digit)}
 *     update({net, digit, weights: true, waiting}) — call it when the network, the chosen digit or
 *       the weights change (weights: true recomputes the trace for the same net and digit);
 *       waiting: why there is no network (shown instead of "Waiting for the network…"), or ''.
 *
 * Every number shown comes from net.trace(row) (the C core's backward pass); see
 * backprop-math.js.  Test hooks: data-testid backprop-step (next step), backprop-back,
 * backprop-play, backprop-status, backprop-explain (the chain-rule panel: data-layer, data-row,
 * data-col, data-grad = the displayed ∂C/∂w at full precision, data-fd after a nudge),
 * backprop-nudge, backprop-apply, backprop-cost-before / -after; the root has data-step,
 * data-steps, data-kind, data-layer, data-digit.
 */
(function (root) {
  'use strict';

  var MATHML = 'http://www.w3.org/1998/Math/MathML';
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var FNAME = { sigmoid: 'σ', tanh: 'tanh', relu: 'ReLU', softmax: 'softmax', identity: 'identity' };
  var FD_H = 1e-2;

  function h(tag, attrs, children) {
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
    if (children != null) {
      (Array.isArray(children) ? children : [children]).forEach(function (c) {
        if (c == null) return;
        node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
      });
    }
    return node;
  }
  function clear(n) { while (n.firstChild) n.removeChild(n.firstChild); }

  // ---- MathML ---------------------------------------------------------------------------
  function m(tag, kids, attrs) {
    var n = document.createElementNS(MATHML, tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    (Array.isArray(kids) ? kids : [kids]).forEach(function (c) {
      if (c == null) return;
      n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return n;
  }
  function mi(t) { return m('mi', t); }
  function mn(t) { return m('mn', t); }
  function mo(t) { return m('mo', t); }
  function row() { return m('mrow', Array.prototype.slice.call(arguments)); }
  function msub(a, b) { return m('msub', [typeof a === 'string' ? mi(a) : a, typeof b === 'string' ? mn(b) : b]); }
  function msup(a, b) { return m('msup', [typeof a === 'string' ? mi(a) : a, typeof b === 'string' ? mi(b) : b]); }
  function frac(a, b) { return m('mfrac', [a, b]); }
  function paren(x) { return row(mo('('), x, mo(')')); }
  function dCd(x) { return frac(row(mi('∂'), mi('C')), row(mi('∂'), x)); }
  function math(kids, label, block) {
    var a = { display: block ? 'block' : 'inline' };
    if (label) a['aria-label'] = label;
    return m('math', [row.apply(null, kids)], a);
  }
  /* A long formula as a row of small <math> pieces that wrap on narrow screens (MathML itself
   * does not break lines): a new piece starts at every top-level =, + or ←.  The row carries the
   * spoken form; the pieces are hidden from screen readers. */
  function mathFlow(kids, label) {
    var chunks = [[]];
    kids.forEach(function (k, idx) {
      var t = k && k.localName === 'mo' ? k.textContent : '';
      if (idx > 0 && (t === '=' || t === '+' || t === '←') && chunks[chunks.length - 1].length) chunks.push([]);
      chunks[chunks.length - 1].push(k);
    });
    return h('div', { class: 'nnb-formula nnb-flow', role: 'math', 'aria-label': label },
      chunks.map(function (c) { var x = math(c, null, false); x.setAttribute('aria-hidden', 'true'); x.setAttribute('displaystyle', 'true'); return x; }));
  }
  function num(x, n) { return mn(root.NNBackpropMath.sig(x, n || 3)); }
  /* a number as a factor: negative numbers in parentheses */
  function numP(x, n) { return x < 0 ? paren(num(x, n)) : num(x, n); }

  // ---- the component ----------------------------------------------------------------------
  function mount(container, options) {
    var B = root.NNBackpropMath;
    if (!B) throw new Error('NNBackprop needs NNBackpropMath (load backprop-math.js first).');
    options = options || {};
    var sig = B.sig, sub = B.sub, shape = B.shape;
    var hLevel = Math.min(6, Math.max(2, options.headingLevel || 3));
    var reduceMQ = root.matchMedia ? root.matchMedia('(prefers-reduced-motion: reduce)') : null;

    var st = {
      net: null, digit: options.digit || 0, trace: null, model: null, steps: [], step: 0,
      playing: false, timer: 0, sel: {}, lr: null, updLayer: 1, error: '', waiting: '', destroyed: false, width: 600, fd: null
    };

    var rootEl = h('div', { class: 'nnb', 'data-testid': 'backprop' });
    var intro = h('div', { class: 'nnb-intro' }, [
      h('p', null, 'To learn, the network needs to know, for every weight w, how the cost C of a digit changes when ' +
        'w changes a little: the derivative ∂C/∂w. Backpropagation finds all of them in one pass backwards, from the ' +
        'output to the input, using the chain rule. Here it is with your network’s real numbers for one digit.'),
      h('p', { class: 'nnb-notation' }, ['Notation: layer ℓ computes ', math([msub('z', mi('ℓ')), mo('='), msub('W', mi('ℓ')), mo('\u2062'),
        msub('a', row(mi('ℓ'), mo('−'), mn('1'))), mo('+'), msub('b', mi('ℓ'))], 'z l equals W l times a l minus 1 plus b l'),
        ' and ', math([msub('a', mi('ℓ')), mo('='), mi('f'), paren(msub('z', mi('ℓ')))], 'a l equals f of z l'),
        '; a₀ = x is the digit. δ (delta) is ∂C/∂z, the cost’s sensitivity to each z.'])
    ]);

    // digit chooser
    var digitCanvas = h('canvas', { class: 'nnb-digit-img', role: 'img', 'aria-label': 'The chosen digit' });
    var digitInput = h('input', { type: 'number', min: '0', step: '1', class: 'nnb-digit-input', id: 'nnb-digit-' + Math.floor(Math.random() * 1e9).toString(36), 'data-testid': 'backprop-digit' });
    var digitPrev = h('button', { type: 'button', class: 'nnb-btn', 'aria-label': 'Previous digit', text: '◀' });
    var digitNext = h('button', { type: 'button', class: 'nnb-btn', 'aria-label': 'Next digit', text: '▶' });
    var digitInfo = h('span', { class: 'nnb-digit-info', 'aria-live': 'polite' });
    var picker = h('div', { class: 'nnb-picker' }, [digitCanvas, h('div', { class: 'nnb-picker-controls' }, [
      h('label', { for: digitInput.id, text: 'Digit number' }), h('div', { class: 'nnb-picker-row' }, [digitPrev, digitInput, digitNext]), digitInfo])]);
    if (options.picker === false) picker.hidden = true;

    var btnBack = h('button', { type: 'button', class: 'nnb-btn', 'data-testid': 'backprop-back', text: '◀ Back' });
    var btnPlay = h('button', { type: 'button', class: 'nnb-btn nnb-primary', 'data-testid': 'backprop-play', text: '▶ Play' });
    var btnNext = h('button', { type: 'button', class: 'nnb-btn', 'data-testid': 'backprop-step', text: 'Next ▶' });
    var status = h('p', { class: 'nnb-status', 'aria-live': 'polite', 'data-testid': 'backprop-status' });
    var pipeline = h('ol', { class: 'nnb-pipeline', 'aria-label': 'Steps of the backward pass' });
    var stage = h('div', { class: 'nnb-stage' });
    var explain = h('div', { class: 'nnb-explain', 'aria-live': 'polite', 'data-testid': 'backprop-explain' });
    var legendBar = h('span', { class: 'nnb-legend-bar', 'aria-hidden': 'true' });
    var legend = h('p', { class: 'nnb-legend' }, [h('span', { text: 'Colours: blue below zero' }), legendBar,
      h('span', { text: 'orange above zero; white is zero. Each block is scaled to its own largest number (shown under it).' })]);

    rootEl.appendChild(intro);
    rootEl.appendChild(h('h' + hLevel, { class: 'nnb-subhead', text: 'Step through the backward pass' }));
    rootEl.appendChild(picker);
    var playerButtons = h('div', { class: 'nnb-player-buttons' }, [btnBack, btnPlay, btnNext]);
    rootEl.appendChild(h('div', { class: 'nnb-player' }, [playerButtons, status]));
    rootEl.appendChild(pipeline);
    rootEl.appendChild(stage);
    rootEl.appendChild(explain);
    rootEl.appendChild(legend);
    container.appendChild(rootEl);

    var listeners = [];
    function on(t, type, fn, opt) { t.addEventListener(type, fn, opt); listeners.push([t, type, fn, opt]); }
    // for elements that are rebuilt on every render (their listeners go with them)
    function bind(t, type, fn) { t.addEventListener(type, fn); }

    // ------------------------------------------------------------------ heat maps
    /* A matrix (rows×cols, row-major) as a canvas of coloured cells; optional numbers in the
     * cells, selection (pointer/keyboard) and marks. */
    function heat(values, rows, cols, o) {
      o = o || {};
      var scale = o.scale || B.maxAbs(values);
      var maxW = o.maxWidth || Math.max(120, st.width - 20);
      var cw = o.cellW || Math.max(3, Math.min(o.numbers ? 62 : 16, Math.floor(maxW / cols)));
      var ch = o.cellH || Math.max(3, Math.min(o.numbers ? 22 : 16, Math.floor((o.maxHeight || 260) / rows)));
      var showNums = o.numbers && cw >= 40 && ch >= 16;
      var canvas = h('canvas', { class: 'nnb-heat' + (o.selectable ? ' nnb-heat-sel' : ''), role: o.selectable ? 'application' : 'img',
        'aria-roledescription': o.selectable ? 'heat map' : null, tabindex: o.selectable ? '0' : null, 'data-testid': o.testid || null });
      var W = cols * cw, H = rows * ch, dpr = Math.min(3, root.devicePixelRatio || 1);
      canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
      canvas.style.width = W + 'px'; canvas.style.height = H + 'px';
      var ctx = canvas.getContext('2d');
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      var self = { canvas: canvas, rows: rows, cols: cols, sel: null, marks: [], values: values, scale: scale };
      function paint() {
        ctx.clearRect(0, 0, W, H);
        for (var i = 0; i < rows; i++) {
          for (var j = 0; j < cols; j++) {
            var v = values[i * cols + j], c = B.diverging(v / scale);
            ctx.fillStyle = B.css(c);
            ctx.fillRect(j * cw, i * ch, cw + 0.4, ch + 0.4);
            if (showNums) {
              ctx.fillStyle = B.textOn(c);
              ctx.font = '12px ' + FONT; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
              ctx.fillText(sig(v, 3), j * cw + cw / 2, i * ch + ch / 2 + 0.5);
            }
          }
        }
        if (showNums && cols === 1) {
          ctx.strokeStyle = 'rgba(0,0,0,0.15)'; ctx.lineWidth = 1;
          for (i = 1; i < rows; i++) { ctx.beginPath(); ctx.moveTo(0, i * ch); ctx.lineTo(W, i * ch); ctx.stroke(); }
        }
        self.marks.forEach(function (mk) { box(mk[0], mk[1], mk[2], mk[3], false); });
        if (self.sel) box(self.sel[0], self.sel[1], 1, 1, true);
      }
      function box(r0, c0, nr, nc, strong) {
        var x = c0 * cw, y = r0 * ch, w = nc * cw, hh = nr * ch;
        ctx.lineWidth = strong ? 3 : 2;
        ctx.strokeStyle = '#ffffff';
        ctx.strokeRect(x + 1, y + 1, Math.max(1, w - 2), Math.max(1, hh - 2));
        ctx.lineWidth = strong ? 2 : 1.5;
        ctx.strokeStyle = '#000000';
        ctx.strokeRect(x + 0.5, y + 0.5, Math.max(1, w - 1), Math.max(1, hh - 1));
      }
      self.paint = paint;
      self.mark = function (list) { self.marks = list || []; paint(); };
      self.select = function (r, c, quiet) {
        r = Math.max(0, Math.min(rows - 1, r)); c = Math.max(0, Math.min(cols - 1, c));
        self.sel = [r, c];
        paint();
        if (o.label) canvas.setAttribute('aria-label', o.label + (o.selLabel ? ' ' + o.selLabel(r, c) : ''));
        if (o.onSelect && !quiet) o.onSelect(r, c);
      };
      if (o.label) canvas.setAttribute('aria-label', o.label);
      if (o.selectable) {
        var pick = function (ev) {
          var b = canvas.getBoundingClientRect(), x = ev.clientX - b.left, y = ev.clientY - b.top;
          var c = Math.floor(x / cw), r = Math.floor(y / ch);
          if (r >= 0 && r < rows && c >= 0 && c < cols && (!self.sel || self.sel[0] !== r || self.sel[1] !== c)) self.select(r, c);
        };
        bind(canvas, 'pointermove', function (ev) { if (ev.pointerType === 'mouse' || ev.buttons) pick(ev); });
        bind(canvas, 'pointerdown', function (ev) { pick(ev); });
        bind(canvas, 'keydown', function (ev) {
          var s = self.sel || [0, 0], n = ev.shiftKey ? 5 : 1, k = ev.key;
          if (k === 'ArrowLeft') self.select(s[0], s[1] - n);
          else if (k === 'ArrowRight') self.select(s[0], s[1] + n);
          else if (k === 'ArrowUp') self.select(s[0] - n, s[1]);
          else if (k === 'ArrowDown') self.select(s[0] + n, s[1]);
          else if (k === 'Home') self.select(s[0], 0);
          else if (k === 'End') self.select(s[0], cols - 1);
          else return;
          ev.preventDefault();
        });
      }
      paint();
      return self;
    }

    /* A block: caption (name, shape) + the matrix + its scale under it. */
    function block(title, shp, hm, note) {
      return h('figure', { class: 'nnb-block' }, [
        h('figcaption', null, [h('span', { class: 'nnb-name', text: title }), ' ', h('span', { class: 'nnb-shape', text: shp })]),
        hm.canvas,
        h('span', { class: 'nnb-scale', text: note || ('±' + sig(hm.scale, 2)) })]);
    }
    function op(t) { return h('div', { class: 'nnb-op', 'aria-hidden': 'true', text: t }); }
    function eqRow(parts) { return h('div', { class: 'nnb-eq' }, parts); }
    function term(o, fig) { return h('div', { class: 'nnb-term' }, [op(o), fig]); }

    // ------------------------------------------------------------------ steps
    function lname(l) { return l === st.model.L ? 'the output layer' : 'hidden layer ' + l; }
    function aName(l) { return l === 0 ? 'x' : 'a' + sub(l); }
    function describe(s) {
      var L = st.model.L;
      if (s.kind === 'forward') return 'The forward pass (part 3) with this digit gives the outputs and the cost C. Now we go backwards.';
      if (s.kind === 'output') return 'The output error δ' + sub(L) + ' = ∂C/∂z' + sub(L) + ': how the cost changes with each of the 10 numbers z' + sub(L) + '.';
      if (s.kind === 'grad') return 'Layer ' + s.layer + ' (' + lname(s.layer) + '): ∂C/∂W' + sub(s.layer) + ' = δ' + sub(s.layer) + '·' + aName(s.layer - 1) + 'ᵀ and ∂C/∂b' + sub(s.layer) + ' = δ' + sub(s.layer) + '.' + (s.layer === 1 ? ' This is the last layer: every gradient is known.' : '');
      if (s.kind === 'back') return 'Carry the error back: δ' + sub(s.layer) + ' = (W' + sub(s.layer + 1) + 'ᵀ·δ' + sub(s.layer + 1) + ') ⊙ f′(z' + sub(s.layer) + ').';
      return 'The update: every weight takes a small step against its gradient, W ← W − η·∂C/∂W.';
    }
    function stepLabel(s) {
      if (s.kind === 'forward') return 'cost C';
      if (s.kind === 'output') return 'δ' + sub(s.layer);
      if (s.kind === 'grad') return '∂C/∂W' + sub(s.layer);
      if (s.kind === 'back') return 'δ' + sub(s.layer);
      return 'update';
    }

    function renderPipeline() {
      clear(pipeline);
      st.steps.forEach(function (s, k) {
        var active = k === st.step;
        var b = h('button', { type: 'button', class: 'nnb-pipe' + (active ? ' is-active' : ''), 'aria-current': active ? 'step' : null,
          'aria-label': 'Step ' + (k + 1) + ': ' + stepLabel(s), text: stepLabel(s) });
        bind(b, 'click', function () { pause(); go(k); });
        pipeline.appendChild(h('li', null, b));
      });
    }

    function go(k) {
      if (!st.model) return;
      st.step = Math.max(0, Math.min(st.steps.length - 1, k));
      st.fd = null;
      render();
    }

    function play() {
      if (!st.model) return;
      if (st.step >= st.steps.length - 1) st.step = -1;
      st.playing = true;
      btnPlay.textContent = '❚❚ Pause';
      tick();
    }
    function pause() {
      st.playing = false;
      if (st.timer) { root.clearTimeout(st.timer); st.timer = 0; }
      btnPlay.textContent = '▶ Play';
    }
    function tick() {
      if (!st.playing) return;
      go(st.step + 1);
      if (st.step >= st.steps.length - 1) { pause(); return; }
      st.timer = root.setTimeout(tick, reduceMQ && reduceMQ.matches ? 3500 : 2200);
    }

    // ------------------------------------------------------------------ trace
    function recompute() {
      st.trace = null; st.model = null; st.error = '';
      if (!st.net) { st.error = 'There is no network yet.'; return; }
      try {
        var cfg = st.net.config;
        st.trace = st.net.trace(st.digit);
        st.model = B.model(st.trace, cfg);
        if (st.lr === null) st.lr = cfg.lr;
        var n = st.steps.length;
        st.steps = B.steps(st.model.L);
        if (st.steps.length !== n) st.step = Math.min(st.step, st.steps.length - 1);
      } catch (e) {
        st.error = 'The backward pass could not be computed: ' + ((e && e.message) || e);
      }
    }

    function drawDigit() {
      var ds = st.net && st.net.dataset;
      var px = null, label = null;
      try { px = ds.pixels(st.digit); label = ds.label(st.digit); } catch (e) { px = null; }
      var g = digitCanvas.getContext('2d'), S = 64, dpr = Math.min(3, root.devicePixelRatio || 1);
      digitCanvas.width = S * dpr; digitCanvas.height = S * dpr;
      digitCanvas.style.width = S + 'px'; digitCanvas.style.height = S + 'px';
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.fillStyle = '#ffffff'; g.fillRect(0, 0, S, S);
      if (!px) return;
      for (var i = 0; i < 64; i++) {
        var v = Math.round(255 - px[i] / 16 * 238);
        g.fillStyle = 'rgb(' + v + ',' + v + ',' + v + ')';
        g.fillRect((i % 8) * 8, Math.floor(i / 8) * 8, 8, 8);
      }
      digitCanvas.setAttribute('aria-label', 'Digit number ' + st.digit + ': a hand-written ' + label);
      digitInput.max = String(ds.count - 1);
      digitInput.value = String(st.digit);
      var pred = st.trace ? st.trace.predicted : null;
      digitInfo.textContent = 'A hand-written ' + label + (pred === null ? '' : '; the network says ' + pred + (pred === label ? ' (right)' : ' (wrong)')) + '.';
    }

    // ------------------------------------------------------------------ render
    function render() {
      if (st.destroyed) return;
      clear(stage); clear(explain);
      explain.removeAttribute('data-grad'); explain.removeAttribute('data-fd');
      // no network for good (no WebAssembly, a network that could not be built): the reason only,
      // not an empty digit box and empty panels (while the network is on its way they stay, so
      // that nothing moves when it arrives)
      var failed = !st.model && !!st.waiting;
      picker.hidden = failed || options.picker === false;
      pipeline.hidden = stage.hidden = explain.hidden = legend.hidden = playerButtons.hidden = failed;
      if (!st.model) {
        status.textContent = st.waiting || st.error || 'Waiting for the network…';
        btnBack.disabled = btnNext.disabled = btnPlay.disabled = true;
        return;
      }
      drawDigit();
      var s = st.steps[st.step];
      rootEl.setAttribute('data-step', String(st.step));
      rootEl.setAttribute('data-steps', String(st.steps.length));
      rootEl.setAttribute('data-kind', s.kind);
      rootEl.setAttribute('data-layer', String(s.layer));
      rootEl.setAttribute('data-digit', String(st.digit));
      status.textContent = 'Step ' + (st.step + 1) + ' of ' + st.steps.length + ': ' + describe(s);
      btnBack.disabled = st.step === 0;
      btnNext.disabled = st.step === st.steps.length - 1;
      btnPlay.disabled = false;
      renderPipeline();
      if (s.kind === 'forward') renderForward();
      else if (s.kind === 'output') renderOutput();
      else if (s.kind === 'grad') renderGrad(s.layer);
      else if (s.kind === 'back') renderBack(s.layer);
      else renderUpdate();
    }

    function costFormula() {
      var M = st.model, L = M.L;
      if (M.cost === 'xent') {
        return mathFlow([mi('C'), mo('='), mo('−'), mi('log'), mo('\u2061'), msub('a', String(M.label)), mo('='),
          mo('−'), mi('log'), paren(num(M.layers[L - 1].a[M.label], 4)), mo('='), num(M.costValue, 4)],
        'C equals minus log of a ' + M.label + ', the output for the right digit: minus log ' + sig(M.layers[L - 1].a[M.label], 4) + ', equals ' + sig(M.costValue, 4));
      }
      return mathFlow([mi('C'), mo('='), frac(mn('1'), mn('2')), m('munderover', [mo('∑'), row(mi('k'), mo('='), mn('0')), mn('9')]),
        msup(paren(row(msub('a', 'k'), mo('−'), msub('y', 'k'))), mn('2')), mo('='), num(M.costValue, 4)],
      'C equals one half of the sum over k of a k minus y k squared, equals ' + sig(M.costValue, 4));
    }

    function renderForward() {
      var M = st.model, L = M.L, out = M.layers[L - 1];
      var opts = { numbers: true, cellW: 62, cellH: 22 };
      var ha = heat(out.a, 10, 1, Object.assign({ label: 'The 10 outputs a' + L + ': ' + Array.prototype.map.call(out.a, function (v, k) { return k + ': ' + sig(v, 3); }).join(', ') }, opts));
      var hy = heat(M.y, 10, 1, Object.assign({ label: 'The target y: 1 for the digit ' + M.label + ', 0 for the others' }, opts));
      var digits = h('div', { class: 'nnb-rowlabels', 'aria-hidden': 'true' });
      for (var k = 0; k < 10; k++) digits.appendChild(h('span', { text: String(k) }));
      stage.appendChild(eqRow([
        h('figure', { class: 'nnb-block nnb-block-k', 'aria-hidden': 'true' }, [h('figcaption', null, [h('span', { class: 'nnb-name', text: 'k' })]), digits]),
        block('output a' + sub(L), shape(10, 1), ha, M.output + ' outputs'),
        block('target y', shape(10, 1), hy, 'label ' + M.label)]));
      stage.appendChild(h('div', { class: 'nnb-formula' }, [h('p', null, 'The cost of this one digit (' + (M.cost === 'xent' ? 'cross-entropy' : 'squared error') + '):'), costFormula()]));
      explain.appendChild(h('p', null, 'The network says ' + M.predicted + ' (the biggest output); the label is ' + M.label + '. ' +
        'Training wants to make C smaller, so it asks: how does C change when each weight changes? Start at the end: the outputs.'));
    }

    function outputFormulaCards() {
      // fresh nodes for every use (a DOM node can only be in one place)
      var M = st.model, L = M.L, rule = M.outputRule;
      var zl = function () { return msub('z', String(L)); }, al = function () { return msub('a', String(L)); };
      var mseBody, mseLabel;
      if (rule === 'mse-softmax') {
        mseBody = math([msub('δ', String(L)), mo('='), msup(m('mi', 'J', {}), 'T'), paren(row(al(), mo('−'), mi('y'))), mo(','), mspace(),
          msub('δ', 'k'), mo('='), msub('a', 'k'), paren(row(paren(row(msub('a', 'k'), mo('−'), msub('y', 'k'))), mo('−'),
            m('munder', [mo('∑'), mi('j')]), msub('a', 'j'), paren(row(msub('a', 'j'), mo('−'), msub('y', 'j')))))],
        'delta equals J transposed times a minus y, where J is the Jacobian of softmax: delta k equals a k times a k minus y k minus the sum over j of a j times a j minus y j', true);
        mseLabel = 'Squared error with the softmax output: a − y goes through the softmax Jacobian J = diag(a) − a·aᵀ.';
      } else {
        mseBody = math([msub('δ', String(L)), mo('='), paren(row(al(), mo('−'), mi('y'))), mo('⊙'), msup('f', '′'), paren(zl())],
          'delta equals a minus y, times f prime of z, element by element', true);
        mseLabel = rule === 'mse-identity' ? 'Squared error: the error a − y times the slope of the output activation, for the identity f′(z) = 1.'
          : rule === 'mse-sigmoid' ? 'Squared error: the error a − y times the slope of the output activation, for the sigmoid f′(z) = a(1 − a).'
            : 'Squared error with the sigmoid output (like the simple network): f′(z) = a(1 − a). With a softmax output, a − y goes through the softmax Jacobian instead: δ = Jᵀ(a − y), J = diag(a) − a·aᵀ.';
      }
      var xentBody = math([msub('δ', String(L)), mo('='), mi('softmax'), paren(zl()), mo('−'), mi('y'), mo('='), al(), mo('−'), mi('y')],
        'delta equals softmax of z minus y, that is a minus y', true);
      function card(title, body, text, chosen) {
        return h('div', { class: 'nnb-card' + (chosen ? ' is-chosen' : ''), 'data-chosen': chosen ? 'true' : 'false' }, [
          h('p', { class: 'nnb-card-title' }, [title, chosen ? h('span', { class: 'nnb-badge', text: '✓ your network' }) : null]),
          body, h('p', { class: 'nnb-card-text', text: text })]);
      }
      return h('div', { class: 'nnb-cards' }, [
        card('Squared error  C = ½ Σ (a − y)²', mseBody, mseLabel, M.cost !== 'xent'),
        card('Cross-entropy with softmax  C = −log(the output for the right digit)', xentBody, 'Cross-entropy and softmax fit together: the slope of softmax cancels, and δ is simply a − y.', M.cost === 'xent')]);
    }
    function mspace() { return m('mspace', [], { width: '1em' }); }

    function renderOutput() {
      var M = st.model, L = M.L, out = M.layers[L - 1];
      stage.appendChild(outputFormulaCards());
      var o = { numbers: true, cellW: 62, cellH: 22 };
      var parts = [block('a' + sub(L), shape(10, 1), heat(out.a, 10, 1, Object.assign({ label: 'a' + L }, o))),
        term('−', block('y', shape(10, 1), heat(M.y, 10, 1, Object.assign({ label: 'y' }, o)))),
        term('=', block('a' + sub(L) + ' − y', shape(10, 1), heat(M.aMinusY, 10, 1, Object.assign({ label: 'a minus y' }, o))))];
      if (M.outputRule === 'mse-sigmoid' || M.outputRule === 'mse-identity') {
        parts.push(term('⊙', block('f′(z' + sub(L) + ')', shape(10, 1), heat(M.fprime[L], 10, 1, Object.assign({ label: 'f prime of z' }, o)),
          M.outputRule === 'mse-sigmoid' ? 'a(1 − a)' : '= 1')));
      } else if (M.outputRule === 'mse-softmax') {
        parts.push(term('→', h('p', { class: 'nnb-note', text: 'through the softmax Jacobian' })));
      }
      var hd = heat(out.delta, 10, 1, Object.assign({ label: 'delta ' + L + ', the output error', selectable: true, testid: 'backprop-delta',
        selLabel: function (r) { return 'number ' + r + ' = ' + sig(out.delta[r], 4); },
        onSelect: function (r) { explainOutput(r); } }, o));
      parts.push(term('=', block('δ' + sub(L) + ' = ∂C/∂z' + sub(L), shape(10, 1), hd)));
      stage.appendChild(eqRow(parts));
      var k0 = st.sel.out != null ? st.sel.out : M.label;
      hd.select(k0, 0, true);
      explainOutput(k0);
    }

    function explainOutput(k) {
      var M = st.model, L = M.L, out = M.layers[L - 1], a = out.a[k], y = M.y[k], d = out.delta[k];
      st.sel.out = k;
      clear(explain);
      var kids = [msub('δ', String(k)), mo('=')];
      var spoken;
      if (M.outputRule === 'xent') {
        kids.push(msub('a', String(k)), mo('−'), msub('y', String(k)), mo('='), num(a, 4), mo('−'), num(y, 1), mo('='), num(d, 4));
        spoken = 'delta ' + k + ' = a ' + k + ' minus y ' + k + ' = ' + sig(a, 4) + ' minus ' + y + ' = ' + sig(d, 4);
      } else if (M.outputRule === 'mse-softmax') {
        var s = 0;
        for (var j = 0; j < 10; j++) s += out.a[j] * M.aMinusY[j];
        kids.push(msub('a', String(k)), paren(row(paren(row(msub('a', String(k)), mo('−'), msub('y', String(k)))), mo('−'), m('munder', [mo('∑'), mi('j')]),
          msub('a', 'j'), paren(row(msub('a', 'j'), mo('−'), msub('y', 'j'))))), mo('='), num(a, 4), mo('·'),
        paren(row(num(a - y, 4), mo('−'), num(s, 4))), mo('='), num(d, 4));
        spoken = 'delta ' + k + ' = ' + sig(a, 4) + ' times (' + sig(a - y, 4) + ' minus ' + sig(s, 4) + ') = ' + sig(d, 4);
      } else {
        var fp = M.fprime[L][k];
        kids.push(paren(row(msub('a', String(k)), mo('−'), msub('y', String(k)))), mo('·'), msup('f', '′'), paren(msub('z', String(k))), mo('='),
          paren(row(num(a, 4), mo('−'), num(y, 1))), mo('·'), num(fp, 4), mo('='), num(d, 4));
        spoken = 'delta ' + k + ' = (' + sig(a, 4) + ' minus ' + y + ') times ' + sig(fp, 4) + ' = ' + sig(d, 4);
      }
      explain.appendChild(h('p', { class: 'nnb-explain-title', text: 'Output ' + k + (k === M.label ? ' (the right digit):' : ':') }));
      explain.appendChild(mathFlow(kids, spoken));
      explain.appendChild(h('p', { class: 'nnb-hint', text: 'Point at another number of δ (or tab to it and use the arrow keys) to see its formula.' }));
      explain.setAttribute('data-delta', String(d));
    }

    function renderGrad(l) {
      var M = st.model, ly = M.layers[l - 1], out = ly.out, inN = ly.in;
      var avail = Math.max(160, st.width - 40);
      // δ (out×1) · aᵀ (1×in) = ∂C/∂W (out×in): the same row heights and column widths, so the
      // outer product reads off the picture.  Layer 1 also shows W₁ beside its gradient.
      var nums = out <= 12, beside = l === 1;
      // as many of the in-wide blocks (aᵀ, ∂C/∂W, W₁) side by side as fit with cells >= 4-5 px
      var spare = nums ? 120 : 60, cw = 0;
      for (var panels = beside ? 3 : 2; panels >= 1; panels--) {
        cw = Math.floor((avail - spare - 50 * panels) / (inN * panels));
        if (cw >= (panels === 3 ? 4 : 5)) break;
      }
      cw = Math.max(3, Math.min(16, panels >= 1 ? cw : Math.floor((avail - 20) / inN)));
      var ch = nums ? 22 : Math.max(4, Math.min(16, Math.floor(240 / out)));
      var hDelta = heat(ly.delta, out, 1, { numbers: nums, cellW: nums ? 56 : 14, cellH: ch, label: 'delta ' + l + ', ' + out + ' numbers' });
      var hIn = heat(ly.input, 1, inN, { cellW: cw, cellH: 14, label: aName(l - 1) + ' transposed, ' + inN + ' numbers' });
      var sel = st.sel['g' + l];
      if (!sel) { // start on the weight with the largest gradient
        var best = 0;
        for (var i = 1; i < ly.dW.length; i++) if (Math.abs(ly.dW[i]) > Math.abs(ly.dW[best])) best = i;
        sel = [Math.floor(best / inN), best % inN];
      }
      var hW = null;
      var hG = heat(ly.dW, out, inN, { cellW: cw, cellH: ch, selectable: true, testid: 'backprop-grad',
        label: 'Heat map of dC/dW' + l + ', ' + out + ' by ' + inN + '. Point at a cell, or use the arrow keys, to see its chain rule.',
        selLabel: function (r, c) { return 'Row ' + (r + 1) + ', column ' + (c + 1) + ': ' + sig(ly.dW[r * inN + c], 4) + '.'; },
        onSelect: function (r, c) { explainGrad(l, r, c); } });
      hG.link = function (r, c) { hDelta.mark([[r, 0, 1, 1]]); hIn.mark([[0, c, 1, 1]]); if (hW) hW.mark([[r, c, 1, 1]]); };
      st.gradHeat = hG;
      var parts = [
        block('δ' + sub(l), shape(out, 1), hDelta),
        term('·', block(aName(l - 1) + 'ᵀ', shape(1, inN), hIn)),
        term('=', block('∂C/∂W' + sub(l), shape(out, inN), hG))];
      if (beside) {
        hW = heat(ly.W, out, inN, { cellW: cw, cellH: ch, label: 'Heat map of the weights W1, ' + out + ' by ' + inN + ', beside their gradients' });
        parts.push(h('div', { class: 'nnb-beside' }, [block('beside it: W₁', 'W₁ is ' + shape(out, inN), hW)]));
      }
      stage.appendChild(eqRow(parts));
      if (beside) {
        stage.appendChild(h('p', { class: 'nnb-note', text: 'Every weight of W₁ has its own gradient, in the same place of ∂C/∂W₁. Columns of pixels that are blank (0) in this digit get a gradient of 0: those weights did not take part, so this digit cannot teach them anything.' }));
      }
      stage.appendChild(eqRow([block('∂C/∂b' + sub(l), shape(out, 1), heat(ly.db, out, 1, { numbers: nums, cellW: nums ? 56 : 14, cellH: ch, label: 'dC/db' + l })),
        term('=', block('δ' + sub(l), shape(out, 1), heat(ly.delta, out, 1, { numbers: nums, cellW: nums ? 56 : 14, cellH: ch, label: 'delta ' + l })))]));
      stage.appendChild(h('p', { class: 'nnb-note', text: 'Why: z = W·' + aName(l - 1) + ' + b, so z_j changes by ' + aName(l - 1) + '_k when w_jk grows by 1 (∂z_j/∂w_jk = ' + aName(l - 1) + '_k), and by 1 when b_j grows by 1. The chain rule multiplies this by δ_j = ∂C/∂z_j.' }));
      hG.select(sel[0], sel[1], true);
      explainGrad(l, sel[0], sel[1]);
    }

    function explainGrad(l, j, k) {
      var M = st.model, ly = M.layers[l - 1], c = B.chain(M, l, j, k), inSym = l === 1 ? 'x' : 'a';
      st.sel['g' + l] = [j, k];
      st.fd = null;
      if (st.gradHeat) st.gradHeat.link(j, k);
      clear(explain);
      explain.setAttribute('data-layer', String(l));
      explain.setAttribute('data-row', String(j));
      explain.setAttribute('data-col', String(k));
      explain.setAttribute('data-grad', String(c.grad));
      explain.removeAttribute('data-fd');
      // output neurons are named by their digit (0–9); hidden neurons and pixels count from 1
      var J = l === M.L ? String(j) : String(j + 1), K = String(k + 1);
      var wNode = function () { return msub(msup('w', String(l)), row(mn(J), mo(','), mn(K))); };
      explain.appendChild(h('p', { class: 'nnb-explain-title', text: 'The weight in row ' + (j + 1) + ', column ' + K + ' of W' + sub(l) +
        ' (from ' + (l === 1 ? 'pixel ' + K : 'neuron ' + K + ' of layer ' + (l - 1)) + ' to ' + (l === M.L ? 'the output for digit ' + j : 'neuron ' + J + ' of layer ' + l) + '): the chain rule' }));
      // ∂C/∂w = ∂C/∂z_j · ∂z_j/∂w = δ_j · a_k = numbers
      explain.appendChild(mathFlow([dCd(wNode()), mo('='), frac(row(mi('∂'), mi('C')), row(mi('∂'), msub('z', J))),
        mo('·'), frac(row(mi('∂'), msub('z', J)), row(mi('∂'), wNode())), mo('='), msub('δ', J), mo('·'), msub(inSym, K), mo('='),
        numP(c.delta, 4), mo('·'), numP(c.input, 4), mo('='), m('mn', sig(c.grad, 4), { class: 'nnb-result' })],
      'dC by dw equals dC by dz ' + J + ' times dz ' + J + ' by dw, equals delta ' + J + ' times ' + inSym + ' ' + K + ', equals ' +
        sig(c.delta, 4) + ' times ' + sig(c.input, 4) + ' equals ' + sig(c.grad, 4)));
      if (c.hidden) {
        // δ_j = f′(z_j) Σ_i w_ij δ_i (next layer), with the first terms written out
        var nextL = l + 1, kids = [msub('δ', J), mo('='), msup('f', '′'), paren(msub('z', J)), mo('·'),
          m('munder', [mo('∑'), mi('i')]), msub(msup('w', String(nextL)), row(mi('i'), mo(','), mn(J))), msub(msup('δ', String(nextL)), mi('i')), mo('=')];
        kids.push(numP(c.fp, 3), mo('·'), mo('('));
        var show = Math.min(3, c.terms.length);
        for (var t = 0; t < show; t++) {
          if (t) kids.push(mo('+'));
          kids.push(numP(c.terms[t].w, 3), mo('·'), numP(c.terms[t].d, 3));
        }
        if (c.terms.length > show) kids.push(mo('+'), mo('…'), m('mtext', ' (' + c.terms.length + ' terms)'));
        kids.push(mo(')'), mo('='), numP(c.fp, 3), mo('·'), numP(c.sum, 4), mo('='), num(c.fp * c.sum, 4));
        explain.appendChild(h('p', null, 'And δ' + sub(J) + ' itself came from the layer above, through the chain rule once more (' +
          FNAME[M.activation] + '′(z) = ' + (M.activation === 'relu' ? '1 if z > 0, else 0' : M.activation === 'sigmoid' ? 'a(1 − a)' : '1 − a²') +
          '; here z = ' + sig(c.z, 4) + '):'));
        explain.appendChild(mathFlow(kids, 'delta ' + J + ' equals f prime of z ' + J + ' times the sum over i of w i ' + J +
          ' times delta i of layer ' + nextL + ', equals ' + sig(c.fp, 3) + ' times ' + sig(c.sum, 4) + ' equals ' + sig(c.fp * c.sum, 4)));
        var pp = function (x, n) { return x < 0 ? '(' + sig(x, n) + ')' : sig(x, n); };
        explain.appendChild(h('p', null, 'So, all in one: ∂C/∂w = [Σᵢ wᵢⱼ·δᵢ] · f′(z_j) · ' + inSym + '_k = ' + pp(c.sum, 4) + ' · ' + pp(c.fp, 3) + ' · ' +
          pp(c.input, 4) + ' = ' + sig(c.sum * c.fp * c.input, 4) + '.'));
      }
      var nudge = h('button', { type: 'button', class: 'nnb-btn', 'data-testid': 'backprop-nudge', text: 'Check with a nudge' });
      var fdOut = h('p', { class: 'nnb-fd', 'data-testid': 'backprop-fd' });
      bind(nudge, 'click', function () {
        var idx = B.paramIndex(M.sizes, l, j, k), fd = B.centralDifference(st.net, st.digit, idx, FD_H);
        st.fd = fd;
        explain.setAttribute('data-fd', String(fd));
        var close = Math.abs(fd - c.grad) <= 2e-4 + 1e-2 * Math.abs(c.grad);
        fdOut.textContent = 'Nudge this weight by ±' + FD_H + ' and compute the cost again: (C(w + ' + FD_H + ') − C(w − ' + FD_H + ')) / ' + (2 * FD_H) +
          ' = ' + sig(fd, 4) + (close ? ' — the same as the gradient above ✓ (up to rounding).' : ' — not quite the same: the cost bends or has a kink (ReLU) near this weight.');
      });
      explain.appendChild(h('div', { class: 'nnb-fd-row' }, [nudge, fdOut]));
      explain.appendChild(h('p', { class: 'nnb-hint', text: 'Point at another cell of ∂C/∂W' + sub(l) + ' (or tab to it and use the arrow keys) to see its numbers.' }));
    }

    function renderBack(l) {
      // δ_l = (W_(l+1)ᵀ δ_(l+1)) ⊙ f′(z_l)
      var M = st.model, next = M.layers[l], ly = M.layers[l - 1], n = ly.out, outN = next.out;
      var Wt = new Float32Array(n * outN);
      for (var i = 0; i < outN; i++) for (var j = 0; j < n; j++) Wt[j * outN + i] = next.W[i * n + j];
      var bd = B.backDelta(M, l);
      var cellH = Math.max(4, Math.min(16, Math.floor(260 / n)));
      var hWt = heat(Wt, n, outN, { cellW: Math.max(6, Math.min(16, Math.floor((st.width - 200) / (outN + 4)))), cellH: cellH, label: 'W' + (l + 1) + ' transposed, ' + n + ' by ' + outN });
      var hD = heat(next.delta, outN, 1, { numbers: outN <= 12 && st.width >= 560, cellW: outN <= 12 && st.width >= 560 ? 56 : 14, label: 'delta ' + (l + 1) });
      var hS = heat(bd.WtDelta, n, 1, { cellW: 18, cellH: cellH, label: 'W transposed times delta, ' + n + ' numbers' });
      var hF = heat(M.fprime[l], n, 1, { cellW: 18, cellH: cellH, scale: 1, label: 'f prime of z ' + l });
      var sel = st.sel['b' + l] != null ? st.sel['b' + l] : 0;
      var hR = heat(ly.delta, n, 1, { cellW: 18, cellH: cellH, selectable: true, testid: 'backprop-back-delta', label: 'delta ' + l + ', ' + n + ' numbers. Arrow keys choose one.',
        selLabel: function (r) { return 'Number ' + (r + 1) + ': ' + sig(ly.delta[r], 4) + '.'; },
        onSelect: function (r) { explainBack(l, r, [hWt, hS, hF]); } });
      stage.appendChild(eqRow([
        block('W' + sub(l + 1) + 'ᵀ', shape(n, outN), hWt),
        term('·', block('δ' + sub(l + 1), shape(outN, 1), hD)),
        term('=', block('W' + sub(l + 1) + 'ᵀδ' + sub(l + 1), shape(n, 1), hS)),
        term('⊙', block('f′(z' + sub(l) + ')', shape(n, 1), hF, FNAME[M.activation] + '′')),
        term('=', block('δ' + sub(l), shape(n, 1), hR))]));
      stage.appendChild(h('p', { class: 'nnb-note', text: 'Each neuron of layer ' + l + ' fed all ' + outN + ' numbers of z' + sub(l + 1) +
        ' through its column of W' + sub(l + 1) + ', so its error collects theirs: Wᵀ sends δ' + sub(l + 1) + ' back along the same weights. ' +
        'Then f′(z) says how much the activation let a change through (' + (M.activation === 'relu' ? 'ReLU: all of it if z > 0, nothing if z ≤ 0' : 'the slope of ' + FNAME[M.activation]) + ').' }));
      hR.select(sel, 0, true);
      explainBack(l, sel, [hWt, hS, hF]);
    }

    function explainBack(l, j, heats) {
      var M = st.model, next = M.layers[l], ly = M.layers[l - 1], outN = next.out, n = ly.out;
      st.sel['b' + l] = j;
      if (heats) { heats[0].mark([[j, 0, 1, outN]]); heats[1].mark([[j, 0, 1, 1]]); heats[2].mark([[j, 0, 1, 1]]); }
      var bd = B.backDelta(M, l), J = String(j + 1);
      clear(explain);
      var kids = [msub('δ', J), mo('='), paren(row(m('munder', [mo('∑'), mi('i')]), msub(msup('w', String(l + 1)), row(mi('i'), mo(','), mn(J))),
        msub(msup('δ', String(l + 1)), mi('i')))), mo('·'), msup('f', '′'), paren(msub('z', J)), mo('='), num(bd.WtDelta[j], 4), mo('·'), numP(M.fprime[l][j], 3),
        mo('='), num(ly.delta[j], 4)];
      explain.appendChild(h('p', { class: 'nnb-explain-title', text: 'Neuron ' + J + ' of layer ' + l + ' (z = ' + sig(ly.z[j], 4) + '):' }));
      explain.appendChild(mathFlow(kids, 'delta ' + J + ' = the sum over i of w i ' + J + ' times delta i, times f prime of z ' + J +
        ' = ' + sig(bd.WtDelta[j], 4) + ' times ' + sig(M.fprime[l][j], 3) + ' = ' + sig(ly.delta[j], 4)));
      explain.setAttribute('data-delta', String(ly.delta[j]));
      explain.appendChild(h('p', { class: 'nnb-hint', text: 'Point at another number of δ' + sub(l) + ' (or tab to it and use the arrow keys).' }));
      void n;
    }

    function renderUpdate() {
      var M = st.model, L = M.L, lr = st.lr, l = Math.min(st.updLayer, L), ly = M.layers[l - 1];
      var after = B.updated(ly.W, ly.dW, lr);
      var change = new Float32Array(ly.W.length);
      for (var i = 0; i < change.length; i++) change[i] = -lr * ly.dW[i];
      // the full step on every layer: the digit's cost after
      var all = st.net.snapshot(), next = all.slice();
      M.layers.forEach(function (lay, li) {
        var wi = B.paramIndex(M.sizes, li + 1, 0, 0), bi = B.paramIndex(M.sizes, li + 1, 0, -1);
        for (var q = 0; q < lay.W.length; q++) next[wi + q] = all[wi + q] - Math.fround(lr * lay.dW[q]);
        for (q = 0; q < lay.b.length; q++) next[bi + q] = all[bi + q] - Math.fround(lr * lay.db[q]);
      });
      var before = M.costValue, costAfter = B.costWith(st.net, st.digit, next);
      // controls: which layer, η
      var layerSel = h('select', { id: 'nnb-upd-layer-' + st.step, 'data-testid': 'backprop-update-layer' });
      for (var k = 1; k <= L; k++) {
        var op2 = h('option', { value: String(k), text: 'W' + sub(k) + ' (' + shape(M.sizes[k], M.sizes[k - 1]) + ')' });
        if (k === l) op2.selected = true;
        layerSel.appendChild(op2);
      }
      bind(layerSel, 'change', function () { st.updLayer = Number(layerSel.value) || 1; render(); });
      var lrIn = h('select', { id: 'nnb-upd-lr-' + st.step, 'data-testid': 'backprop-lr' });
      [0.01, 0.03, 0.1, 0.3, 1, 3].concat([M.lr]).filter(function (v, idx, arr) { return arr.indexOf(v) === idx; }).sort(function (a, b) { return a - b; })
        .forEach(function (v) { var o = h('option', { value: String(v), text: String(v) + (v === M.lr ? ' (the network’s)' : '') }); if (v === lr) o.selected = true; lrIn.appendChild(o); });
      bind(lrIn, 'change', function () { st.lr = Number(lrIn.value) || M.lr; render(); });
      stage.appendChild(h('div', { class: 'nnb-controls' }, [
        h('div', { class: 'nnb-field' }, [h('label', { for: layerSel.id, text: 'Show the layer' }), layerSel]),
        h('div', { class: 'nnb-field' }, [h('label', { for: lrIn.id, text: 'Learning rate η' }), lrIn])]));
      stage.appendChild(mathFlow([msub('W', String(l)), mo('←'), msub('W', String(l)), mo('−'), mi('η'), mo('·'), dCd(msub('W', String(l))),
        mo(','), mspace(), mi('η'), mo('='), mn(String(lr))], 'W ' + l + ' becomes W ' + l + ' minus eta times dC by dW ' + l + ', with eta = ' + lr));
      var avail = Math.max(160, st.width - 40), three = st.width >= 900;
      var maxW = three ? Math.floor((avail - 120) / 3) : avail - 40;
      var scale = B.maxAbs(ly.W);
      var sel = st.sel.u && st.sel.u[0] === l ? [st.sel.u[1], st.sel.u[2]] : null;
      var hB = heat(ly.W, ly.out, ly.in, { maxWidth: maxW, maxHeight: 200, scale: scale, label: 'W' + l + ' before the update' });
      var hC = heat(change, ly.out, ly.in, { maxWidth: maxW, maxHeight: 200, label: 'minus eta times the gradient' });
      var hA = heat(after, ly.out, ly.in, { maxWidth: maxW, maxHeight: 200, scale: scale, selectable: true, testid: 'backprop-after',
        label: 'W' + l + ' after the update, on the same colour scale as before. Arrow keys choose a weight.',
        selLabel: function (r, c) { return 'Row ' + (r + 1) + ', column ' + (c + 1) + ': ' + sig(ly.W[r * ly.in + c], 4) + ' becomes ' + sig(after[r * ly.in + c], 4) + '.'; },
        onSelect: function (r, c) { explainUpdate(l, r, c, after, [hB, hC]); } });
      stage.appendChild(h('div', { class: 'nnb-eq nnb-eq-update' }, [
        block('W' + sub(l) + ' before', shape(ly.out, ly.in), hB),
        term('+', block('−η·∂C/∂W' + sub(l), shape(ly.out, ly.in), hC)),
        term('=', block('W' + sub(l) + ' after', shape(ly.out, ly.in), hA, '±' + sig(scale, 2) + ', the same scale as before'))]));
      var better = costAfter < before;
      stage.appendChild(h('div', { class: 'nnb-costs' }, [
        h('p', null, ['Cost of this digit before: ', h('strong', { 'data-testid': 'backprop-cost-before', 'data-value': String(before), text: sig(before, 4) }),
          ' → after one step on all ' + B.thousands(st.net.paramCount) + ' weights and biases: ',
          h('strong', { 'data-testid': 'backprop-cost-after', 'data-value': String(costAfter), text: sig(costAfter, 4) }),
          better ? ' (lower ✓)' : ' (not lower: η is too big for this digit)']),
        h('p', { class: 'nnb-note', text: 'The change is small next to the weights (see the middle block’s own scale), so “before” and “after” look alike. ' +
          'Real training adds up such steps over many digits (a batch) at once. The network itself has not changed yet.' })]));
      var apply = h('button', { type: 'button', class: 'nnb-btn nnb-primary', 'data-testid': 'backprop-apply', text: 'Apply this update to the network' });
      var applied = h('p', { class: 'nnb-applied', 'aria-live': 'polite' });
      bind(apply, 'click', function () {
        st.net.params.set(next);
        st.sel = {};
        recompute();
        render();
        announceApplied(before, costAfter);
        if (typeof options.onApply === 'function') options.onApply(st.net);
      });
      stage.appendChild(h('div', { class: 'nnb-apply' }, [apply, applied]));
      if (!sel) { var best = 0; for (var i2 = 1; i2 < ly.dW.length; i2++) if (Math.abs(ly.dW[i2]) > Math.abs(ly.dW[best])) best = i2; sel = [Math.floor(best / ly.in), best % ly.in]; }
      hA.select(sel[0], sel[1], true);
      explainUpdate(l, sel[0], sel[1], after, [hB, hC]);
    }

    function announceApplied(before, after) {
      var n = stage.querySelector('.nnb-applied');
      if (n) n.textContent = 'Done: the network’s weights have changed. The cost of this digit went from ' + sig(before, 4) + ' to ' + sig(after, 4) + '; the numbers above are the new ones.';
    }

    function explainUpdate(l, j, k, after, heats) {
      var M = st.model, ly = M.layers[l - 1], idx = j * ly.in + k, J = String(j + 1), K = String(k + 1);
      st.sel.u = [l, j, k];
      if (heats) heats.forEach(function (hm) { hm.mark([[j, k, 1, 1]]); });
      clear(explain);
      var w = msub(msup('w', String(l)), row(mn(J), mo(','), mn(K)));
      explain.appendChild(h('p', { class: 'nnb-explain-title', text: 'The weight in row ' + J + ', column ' + K + ' of W' + sub(l) + ':' }));
      explain.appendChild(mathFlow([w, mo('←'), num(ly.W[idx], 4), mo('−'), mn(String(st.lr)), mo('·'), numP(ly.dW[idx], 4),
        mo('='), num(after[idx], 4)], 'w becomes ' + sig(ly.W[idx], 4) + ' minus ' + st.lr + ' times ' + sig(ly.dW[idx], 4) + ' = ' + sig(after[idx], 4)));
      explain.setAttribute('data-grad', String(ly.dW[idx]));
      explain.setAttribute('data-after', String(after[idx]));
    }

    // ------------------------------------------------------------------ events
    on(btnBack, 'click', function () { pause(); go(st.step - 1); });
    on(btnNext, 'click', function () { pause(); go(st.step + 1); });
    on(btnPlay, 'click', function () { if (st.playing) pause(); else play(); });
    function setDigit(r) {
      if (!st.net || !st.net.dataset) return;
      var n = st.net.dataset.count;
      r = Math.max(0, Math.min(n - 1, Math.round(r)));
      if (!(r >= 0)) return;
      st.digit = r;
      st.sel = {};
      recompute();
      render();
      if (typeof options.onDigit === 'function') options.onDigit(r);
    }
    on(digitPrev, 'click', function () { setDigit(st.digit - 1); });
    on(digitNext, 'click', function () { setDigit(st.digit + 1); });
    on(digitInput, 'change', function () { var v = Number(digitInput.value); if (Number.isFinite(v)) setDigit(v); else digitInput.value = String(st.digit); });

    var ro = null, lastW = 0;
    function measure() {
      var w = rootEl.clientWidth;
      if (w > 0 && Math.abs(w - lastW) > 8) { lastW = w; st.width = w; if (st.model) render(); }
    }
    if (root.ResizeObserver) { ro = new root.ResizeObserver(function () { root.requestAnimationFrame(measure); }); ro.observe(rootEl); }
    else on(root, 'resize', measure);

    function update(s) {
      s = s || {};
      if (st.destroyed) return;
      var changed = false;
      if (s.net !== undefined && s.net !== st.net) { st.net = s.net; st.lr = null; st.sel = {}; changed = true; }
      if (s.digit !== undefined && s.digit !== st.digit) { st.digit = s.digit; st.sel = {}; changed = true; }
      if (s.net !== undefined || s.weights || changed) { recompute(); render(); }
      // why there is no network (the core or the network could not start), shown instead of "Waiting…"
      if (s.waiting !== undefined && s.waiting !== st.waiting) { st.waiting = s.waiting; if (!st.model) render(); }
    }

    st.width = rootEl.clientWidth || 600;
    lastW = st.width;
    if (options.net) update({ net: options.net, digit: options.digit || 0 });
    else render();

    return {
      update: update,
      go: function (k) { pause(); go(k); },
      getState: function () {
        return { step: st.step, steps: st.steps.length, kind: st.steps[st.step] && st.steps[st.step].kind, digit: st.digit, lr: st.lr };
      },
      destroy: function () {
        st.destroyed = true;
        pause();
        if (ro) ro.disconnect();
        listeners.forEach(function (x) { x[0].removeEventListener(x[1], x[2], x[3]); });
        if (rootEl.parentNode) rootEl.parentNode.removeChild(rootEl);
      }
    };
  }

  var api = { mount: mount };
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNBackprop = api;
})(typeof window !== 'undefined' ? window : this);
