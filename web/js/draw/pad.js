/* nnmath — "draw your own digit": the drawing pad (browser only; global NNDraw).
 * Needs NNDrawPrep (preprocess.js) and NNDrawSamples (samples.js), loaded first.
 *
 *   var pad = NNDraw.mount(container, {
 *     predict: function (pixels64) { return Float32Array(10) probabilities },   // optional
 *     onDigit: function (pixels64) { ... },      // "Use this digit in forward propagation"
 *     ready: true, message: ''                    // optional, as in update()
 *   });
 *   pad.update({predict, onDigit, ready, message}) // any subset; then the drawing is read again
 *                                                  // (call it after the network has changed)
 *   pad.clear(); pad.destroy();
 *   pad.loadSample(d)   draws the sample digit d (0..9); pad.result() the last preprocessing.
 *
 * Drawing: pointer events (mouse, touch, pen) on a square canvas with touch-action: none.  The
 * strokes are kept in pad units (0..1), so resizing the pad changes nothing; they are rendered at
 * 256×256 with a round pen PEN_WIDTH × the pad's side wide (bold, like the data set's digits), then
 * go through NNDrawPrep.preprocessBitmap: crop → 20×32 → centred in 32×32 → stroke width → slant
 * → 4×4 block counts.  The work runs at most once per animation frame while drawing.
 * Keyboard: every control is a button; "Load a sample digit" draws one without a pointer.
 * Screen readers: the canvases' aria-labels follow the drawing; a polite live region says what
 * the network read when a stroke ends, a sample is drawn or the pad is cleared. */
(function (root) {
  'use strict';

  var Prep = root.NNDrawPrep, Samples = root.NNDrawSamples;
  var WORK = 256;            // resolution the strokes are rendered at for the preprocessing
  var PEN_WIDTH = 0.12;      // pen width as a fraction of the pad's side
  var INK = '#16181d', GRID = 'rgba(0, 114, 178, 0.55)', BOX = '#0072B2';
  var uid = 0;

  function h(tag, attrs, kids) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'text') el.textContent = v;
        else el.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (kids || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return el;
  }

  function pct(p) {
    var v = p * 100;
    if (!(v >= 0)) return '–';
    if (v > 0 && v < 1) return '<1%';
    if (v < 100 && v > 99) return '>99%';
    return Math.round(v) + '%';
  }

  /* Grey ink for a value 0..16, like the lesson's pixel colours (white .. near black). */
  function inkGrey(v) {
    var g = Math.round(255 - Math.max(0, Math.min(1, v / 16)) * (255 - 17));
    return 'rgb(' + g + ',' + g + ',' + g + ')';
  }

  function argmax(a) {
    var b = 0;
    for (var i = 1; i < a.length; i++) if (a[i] > a[b]) b = i;
    return b;
  }

  function mount(container, options) {
    if (!Prep) throw new Error('NNDraw needs NNDrawPrep (js/draw/preprocess.js) loaded first');
    var opts = {predict: null, onDigit: null, ready: true, message: ''};
    merge(options);

    var id = 'nd' + (++uid);
    var strokes = [], current = null, activePointer = null;
    var result = null, probs = null, predicted = -1, predictError = null;
    var frame = 0, announceAfter = false, announceExtra = '', destroyed = false, lastAnnounce = '';
    var sampleNext = 0, resizeObs = null;

    /* ------------------------------------------------------------------ DOM */
    var pad = h('canvas', {class: 'nd-pad', 'data-testid': 'draw-pad', role: 'img',
      'aria-describedby': id + '-hint'});
    pad.style.touchAction = 'none';
    var hint = h('p', {class: 'nd-hint', id: id + '-hint',
      text: 'Draw one digit (0 to 9) with your mouse, finger or pen. Draw it big: it may fill the box.'});
    var clearBtn = h('button', {type: 'button', class: 'nd-btn', 'data-testid': 'draw-clear', text: 'Clear'});
    var sampleBtn = h('button', {type: 'button', class: 'nd-btn', 'data-testid': 'draw-sample',
      'aria-describedby': id + '-sample-help', text: 'Load a sample digit'});
    var sampleHelp = h('span', {class: 'nd-visually-hidden', id: id + '-sample-help',
      text: 'Draws an example digit on the pad for you, the next one each time: 0, 1, 2 and so on.'});
    var useBtn = h('button', {type: 'button', class: 'nd-btn nd-btn-primary', 'data-testid': 'draw-use',
      text: 'Use this digit in forward propagation'});

    // aria-live off: the digit changes every frame while drawing; the status region below speaks.
    var predictionEl = h('output', {class: 'nd-prediction', 'data-testid': 'draw-prediction',
      'aria-labelledby': id + '-answer-label', 'aria-live': 'off', text: '–'});
    var answerLabel = h('span', {class: 'nd-answer-label', id: id + '-answer-label', text: 'The network reads'});
    var confidenceEl = h('span', {class: 'nd-confidence', 'data-testid': 'draw-confidence', text: 'Draw a digit'});
    var messageEl = h('p', {class: 'nd-message', 'data-testid': 'draw-message'});
    messageEl.hidden = true;

    var barsTitle = h('h3', {class: 'nd-subtitle', id: id + '-bars-title', text: 'How sure is the network?'});
    var bars = h('ol', {class: 'nd-bars', 'aria-labelledby': id + '-bars-title', 'data-testid': 'draw-bars'});
    var barEls = [];
    for (var d = 0; d < 10; d++) {
      var fill = h('span', {class: 'nd-bar-fill'});
      var value = h('span', {class: 'nd-bar-value', text: '–'});
      var li = h('li', {class: 'nd-bar'}, [
        h('span', {class: 'nd-bar-digit', text: String(d)}),
        h('span', {class: 'nd-bar-track', 'aria-hidden': 'true'}, [fill]),
        value
      ]);
      barEls.push({li: li, fill: fill, value: value});
      bars.appendChild(li);
    }

    var c32 = h('canvas', {class: 'nd-stage-canvas', role: 'img', 'data-testid': 'draw-32'});
    var c8 = h('canvas', {class: 'nd-stage-canvas', role: 'img', 'data-testid': 'draw-8'});
    var cap32 = h('figcaption', null, [h('strong', {text: '32 × 32 pixels'}),
      ' — cropped to the ink, stretched to 20 × 32 in the middle, strokes made about as thick as the data set’s, slant straightened']);
    var cap8 = h('figcaption', null, [h('strong', {text: '8 × 8 numbers'}),
      ' — the ink pixels counted in each 4 × 4 block (0 to 16): what the network reads']);
    var inkInfo = h('p', {class: 'nd-ink-info', 'data-testid': 'draw-ink-info'});

    var status = h('div', {class: 'nd-visually-hidden', role: 'status', 'aria-live': 'polite',
      'data-testid': 'draw-status'});

    var rootEl = h('div', {class: 'nd'}, [
      h('div', {class: 'nd-padcol'}, [
        h('div', {class: 'nd-padbox'}, [pad]),
        hint,
        h('div', {class: 'nd-buttons'}, [clearBtn, sampleBtn, sampleHelp]),
        h('div', {class: 'nd-buttons'}, [useBtn])
      ]),
      h('div', {class: 'nd-answercol'}, [
        h('div', {class: 'nd-answer'}, [answerLabel, predictionEl, confidenceEl]),
        messageEl,
        barsTitle, bars
      ]),
      h('div', {class: 'nd-stages'}, [
        h('figure', {class: 'nd-stage'}, [c32, cap32, inkInfo]),
        h('span', {class: 'nd-arrow', 'aria-hidden': 'true', text: '→'}),
        h('figure', {class: 'nd-stage'}, [c8, cap8])
      ]),
      status
    ]);
    container.appendChild(rootEl);

    /* ------------------------------------------------------------ options */
    function merge(o) {
      if (!o) return;
      if ('predict' in o) opts.predict = typeof o.predict === 'function' ? o.predict : null;
      if ('onDigit' in o) opts.onDigit = typeof o.onDigit === 'function' ? o.onDigit : null;
      if ('ready' in o) opts.ready = o.ready !== false;
      if ('message' in o) opts.message = o.message == null ? '' : String(o.message);
    }

    /* ------------------------------------------------------------ drawing */
    function padSize() {
      var r = pad.getBoundingClientRect();
      return {w: r.width || pad.clientWidth || 280, h: r.height || pad.clientHeight || 280};
    }

    function sizePad() {
      var s = padSize(), dpr = Math.min(3, root.devicePixelRatio || 1);
      var W = Math.max(1, Math.round(s.w * dpr)), H = Math.max(1, Math.round(s.h * dpr));
      if (pad.width !== W || pad.height !== H) { pad.width = W; pad.height = H; }
    }

    function drawPad() {
      sizePad();
      var g = pad.getContext('2d'), W = pad.width, H = pad.height;
      g.setTransform(1, 0, 0, 1, 0, 0);
      g.clearRect(0, 0, W, H);
      g.fillStyle = '#fff';
      g.fillRect(0, 0, W, H);
      g.strokeStyle = INK; g.fillStyle = INK;
      g.lineCap = 'round'; g.lineJoin = 'round';
      g.lineWidth = PEN_WIDTH * W;
      strokes.forEach(function (st) {
        if (!st.length) return;
        if (st.length === 1) {
          g.beginPath();
          g.arc(st[0][0] * W, st[0][1] * H, g.lineWidth / 2, 0, 2 * Math.PI);
          g.fill();
          return;
        }
        g.beginPath();
        g.moveTo(st[0][0] * W, st[0][1] * H);
        for (var i = 1; i < st.length; i++) g.lineTo(st[i][0] * W, st[i][1] * H);
        g.stroke();
      });
      // The crop: the ink's bounding box, dashed (not while the pad is empty).
      if (result && !result.empty && result.box) {
        var b = result.box, sx = W / WORK, sy = H / WORK, lw = Math.max(1, Math.round(W / 200));
        g.setLineDash([4 * lw, 3 * lw]);
        g.lineWidth = lw;
        g.strokeStyle = BOX;
        g.strokeRect(b.x * sx - lw, b.y * sy - lw, b.w * sx + 2 * lw, b.h * sy + 2 * lw);
        g.setLineDash([]);
      }
    }

    function drawStage32() {
      var size = stageSize(c32), g = sizeCanvas(c32, size), cell = size / 32;
      g.fillStyle = '#fff';
      g.fillRect(0, 0, size, size);
      var bm = result ? result.bitmap32 : null;
      if (bm) {
        g.fillStyle = INK;
        for (var y = 0; y < 32; y++) {
          for (var x = 0; x < 32; x++) if (bm.data[y * 32 + x]) g.fillRect(x * cell, y * cell, cell + 0.02, cell + 0.02);
        }
      }
      g.strokeStyle = GRID;
      g.lineWidth = 1;
      g.beginPath();
      for (var k = 1; k < 8; k++) {
        var p = Math.round(k * 4 * cell) + 0.5;
        g.moveTo(p, 0); g.lineTo(p, size);
        g.moveTo(0, p); g.lineTo(size, p);
      }
      g.stroke();
    }

    function drawStage8() {
      var size = stageSize(c8), g = sizeCanvas(c8, size), cell = size / 8;
      var px = result && !result.empty ? result.pixels : null;
      g.fillStyle = '#fff';
      g.fillRect(0, 0, size, size);
      var showNumbers = cell >= 17;
      g.font = '600 ' + Math.round(cell * 0.45) + 'px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      for (var i = 0; i < 64; i++) {
        var v = px ? px[i] : 0, x = (i & 7) * cell, y = (i >> 3) * cell;
        g.fillStyle = inkGrey(v);
        g.fillRect(x, y, cell + 0.02, cell + 0.02);
        if (showNumbers && px) {
          g.fillStyle = v > 8 ? '#fff' : '#333';
          g.fillText(String(v), x + cell / 2, y + cell / 2 + 1);
        }
      }
      g.strokeStyle = GRID;
      g.lineWidth = 1;
      g.beginPath();
      for (var k = 1; k < 8; k++) {
        var p = Math.round(k * cell) + 0.5;
        g.moveTo(p, 0); g.lineTo(p, size);
        g.moveTo(0, p); g.lineTo(size, p);
      }
      g.stroke();
    }

    function stageSize(canvas) {
      var r = canvas.getBoundingClientRect();
      return Math.max(64, Math.round(r.width || 128));
    }

    function sizeCanvas(canvas, size) {
      var dpr = Math.min(3, root.devicePixelRatio || 1), S = Math.max(1, Math.round(size * dpr));
      if (canvas.width !== S) canvas.width = S;
      if (canvas.height !== S) canvas.height = S;
      var g = canvas.getContext('2d');
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      return g;
    }

    /* ------------------------------------------------------------ reading */
    function read() {
      var ink = Prep.renderStrokes(strokes, {width: WORK, height: WORK, scale: WORK, penWidth: PEN_WIDTH});
      result = Prep.preprocessBitmap(ink);
      probs = null; predicted = -1; predictError = null;
      if (!result.empty && opts.ready && opts.predict) {
        try {
          var out = opts.predict(result.pixels);
          if (out && out.length === 10) {
            probs = Array.prototype.slice.call(out);    // a copy: out may be a view into wasm memory
            predicted = argmax(out);
          }
        } catch (e) {
          predictError = e;
        }
      }
    }

    function sentence() {
      if (!result || result.empty) return 'The pad is empty: nothing is drawn, so there is nothing to read.';
      if (predicted < 0) {
        return predictError ? 'The network could not read the drawing: ' + (predictError.message || predictError)
          : 'The network is not ready yet, so the drawing is not read.';
      }
      return 'Your drawing is read as ' + predicted + ' with ' + pct(probs[predicted]) + ' confidence.';
    }

    function render() {
      drawPad();
      drawStage32();
      drawStage8();
      var empty = !result || result.empty;

      // answer
      predictionEl.textContent = predicted >= 0 ? String(predicted) : '–';
      predictionEl.classList.toggle('is-empty', predicted < 0);
      if (empty) confidenceEl.textContent = 'Draw a digit';
      else if (predicted >= 0) confidenceEl.textContent = pct(probs[predicted]) + ' sure';
      else if (predictError) confidenceEl.textContent = 'Could not read it';
      else confidenceEl.textContent = 'Waiting for the network';

      var msg = predictError ? 'The network could not read the drawing: ' + (predictError.message || predictError)
        : (opts.message || '');
      messageEl.textContent = msg;
      messageEl.hidden = !msg;

      // bars
      for (var d = 0; d < 10; d++) {
        var b = barEls[d], p = probs ? probs[d] : 0;
        b.fill.style.width = (probs ? Math.max(0, Math.min(1, p)) * 100 : 0).toFixed(1) + '%';
        b.value.textContent = probs ? pct(p) : '–';
        b.li.classList.toggle('is-top', d === predicted);
      }

      // labels
      var s = sentence();
      pad.setAttribute('aria-label', empty ? 'Drawing pad, empty. ' + hint.textContent : 'Drawing pad. ' + s);
      if (empty) {
        c32.setAttribute('aria-label', '32 by 32 pixel image: empty');
        c8.setAttribute('aria-label', '8 by 8 numbers: all 0');
        inkInfo.textContent = '';
      } else {
        c32.setAttribute('aria-label', '32 by 32 pixel image of your drawing: ' + result.inkCount +
          ' of the 1,024 pixels are ink');
        var rows = [];
        for (var r = 0; r < 8; r++) rows.push('row ' + (r + 1) + ': ' + Array.prototype.slice.call(result.pixels, r * 8, r * 8 + 8).join(' '));
        c8.setAttribute('aria-label', '8 by 8 numbers of your drawing, ' + rows.join('; '));
        inkInfo.textContent = result.inkCount + ' of 1,024 pixels are ink' +
          (result.strokeWidth.operation !== 'none' ? ' (strokes ' + result.strokeWidth.operation + ')' : '') + '.';
      }
      useBtn.disabled = empty;
    }

    function announce(extra) {
      var text = (extra ? extra + ' ' : '') + sentence();
      if (text === lastAnnounce) text += ' ';       // make a repeat audible
      lastAnnounce = text;
      status.textContent = text;
    }

    function schedule(announceWhenDone, extra) {
      if (announceWhenDone) { announceAfter = true; if (extra) announceExtra = extra; }
      if (frame || destroyed) return;
      var raf = root.requestAnimationFrame || function (f) { return root.setTimeout(f, 16); };
      frame = raf(function () {
        frame = 0;
        if (destroyed) return;
        read();
        render();
        if (announceAfter) { announce(announceExtra); announceAfter = false; announceExtra = ''; }
      });
    }

    /* ------------------------------------------------------------ pointer */
    function point(e) {
      var r = pad.getBoundingClientRect();
      var x = (e.clientX - r.left) / (r.width || 1), y = (e.clientY - r.top) / (r.height || 1);
      return [Math.max(-0.05, Math.min(1.05, x)), Math.max(-0.05, Math.min(1.05, y))];
    }

    function onDown(e) {
      if (activePointer !== null) return;            // one pen at a time
      if (e.pointerType === 'mouse' && e.button !== 0) return;
      e.preventDefault();
      activePointer = e.pointerId;
      try { pad.setPointerCapture(e.pointerId); } catch (err) { /* not capturable: fine */ }
      current = [point(e)];
      strokes.push(current);
      schedule(false);
    }

    function onMove(e) {
      if (e.pointerId !== activePointer || !current) return;
      e.preventDefault();
      var evs = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : null;
      if (!evs || !evs.length) evs = [e];
      for (var i = 0; i < evs.length; i++) {
        var p = point(evs[i]), last = current[current.length - 1];
        if (Math.abs(p[0] - last[0]) + Math.abs(p[1] - last[1]) > 0.002) current.push(p);
      }
      schedule(false);
    }

    function onUp(e) {
      if (e.pointerId !== activePointer) return;
      activePointer = null;
      current = null;
      try { pad.releasePointerCapture(e.pointerId); } catch (err) { /* already released */ }
      schedule(true);
    }

    function clear(silent) {
      strokes = []; current = null; activePointer = null;
      schedule(!silent, silent ? '' : 'Cleared.');
    }

    function loadSample(digit) {
      if (!Samples) throw new Error('NNDraw: samples.js is not loaded');
      var d = digit == null ? sampleNext : ((digit | 0) % 10 + 10) % 10;
      sampleNext = (d + 1) % 10;
      strokes = Samples.sample(d); current = null; activePointer = null;
      schedule(true, 'Sample ' + d + ' drawn.');
      return d;
    }

    function onUse() {
      if (!result || result.empty || !opts.onDigit) return;
      opts.onDigit(new Uint8Array(result.pixels));
    }

    function onResize() { schedule(false); }

    pad.addEventListener('pointerdown', onDown);
    pad.addEventListener('pointermove', onMove);
    pad.addEventListener('pointerup', onUp);
    pad.addEventListener('pointercancel', onUp);
    pad.addEventListener('lostpointercapture', onUp);
    clearBtn.addEventListener('click', function () { clear(false); });
    sampleBtn.addEventListener('click', function () { loadSample(); });
    useBtn.addEventListener('click', onUse);
    if (typeof root.ResizeObserver === 'function') {
      resizeObs = new root.ResizeObserver(onResize);
      resizeObs.observe(pad);
      resizeObs.observe(c32);
    } else {
      root.addEventListener('resize', onResize);
    }

    read();
    render();

    return {
      element: rootEl,
      update: function (state) { merge(state); schedule(false); },
      clear: function () { clear(false); },
      loadSample: loadSample,
      result: function () {
        return result && !result.empty
          ? {pixels: new Uint8Array(result.pixels), probabilities: probs ? Array.prototype.slice.call(probs) : null,
            predicted: predicted, inkCount: result.inkCount}
          : {pixels: null, probabilities: null, predicted: -1, inkCount: 0};
      },
      destroy: function () {
        destroyed = true;
        if (frame) {
          (root.cancelAnimationFrame || root.clearTimeout)(frame);
          frame = 0;
        }
        if (resizeObs) resizeObs.disconnect();
        else root.removeEventListener('resize', onResize);
        pad.removeEventListener('pointerdown', onDown);
        pad.removeEventListener('pointermove', onMove);
        pad.removeEventListener('pointerup', onUp);
        pad.removeEventListener('pointercancel', onUp);
        pad.removeEventListener('lostpointercapture', onUp);
        if (rootEl.parentNode) rootEl.parentNode.removeChild(rootEl);
      }
    };
  }

  var api = {mount: mount, PEN_WIDTH: PEN_WIDTH, WORK: WORK};
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNDraw = api;
})(this);
