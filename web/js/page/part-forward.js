/* nnmath page — part 3, "Forward propagation": the chosen digit goes through the network one
 * layer at a time, with the network's current weights.  Per weight layer l the steps are
 *   W_l · a_(l−1)   (W as a heat map, out×in)   ->   + b_l  = z_l   ->   f(z_l) = a_l
 * then the 10 outputs give the predicted digit.  Hovering or focusing a cell of a result shows
 * its dot product with the numbers plugged in. */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, F = root.NNPageFormat, P = root.NNPagePalette, D = root.NNPageDigits;
  var h = Dom.h, m = Dom.m;

  var els = {}, ctx = null, model = null, stageWidth = 340;
  var step = 0, playing = false, timer = null, focusCell = {vec: null, i: 0};
  var lastSig = '';

  var FNAME = {sigmoid: 'σ', tanh: 'tanh', relu: 'ReLU', softmax: 'softmax', identity: 'id'};

  /* ------------------------------------------------------------- steps */
  function steps() {
    var L = model && model.trace ? model.trace.layers.length : (model ? model.sizes.length - 1 : 1);
    var list = [{kind: 'x', layer: 0}];
    for (var l = 1; l <= L; l++) {
      list.push({kind: 'Wx', layer: l}, {kind: 'b', layer: l}, {kind: 'f', layer: l});
    }
    list.push({kind: 'predict', layer: L});
    return list;
  }

  function inName(l) { return l <= 1 ? 'x' : 'a' + F.toSubscript(l - 1); }
  function mIn(l) { return l <= 1 ? m.mi('x') : m.sub(m.mi('a'), m.mn(String(l - 1))); }
  function mSym(name, l) { return m.sub(m.mi(name), m.mn(String(l))); }
  function fOf(l) {
    var L = model.trace.layers.length;
    return l === L ? model.state.output : model.state.activation;
  }

  function describeStep(s, L) {
    if (s.kind === 'x') return 'The input: the digit’s 64 numbers as the column x (64×1).';
    var name = s.layer === L ? 'output layer' : 'hidden layer ' + s.layer;
    if (s.kind === 'Wx') return 'Layer ' + s.layer + ' (' + name + '): multiply the weights W' + F.toSubscript(s.layer) +
      ' by ' + inName(s.layer) + '. Each result is one row of W times the column.';
    if (s.kind === 'b') return 'Layer ' + s.layer + ': add the biases b' + F.toSubscript(s.layer) + ' to get z' + F.toSubscript(s.layer) + '.';
    if (s.kind === 'f') return 'Layer ' + s.layer + ': apply the activation ' + FNAME[fOf(s.layer)] + ' to every number of z' +
      F.toSubscript(s.layer) + ' to get a' + F.toSubscript(s.layer) + (s.layer === L ? ', the 10 outputs.' : ', the input of the next layer.');
    return 'The answer: the biggest of the 10 outputs is the predicted digit.';
  }

  /* The first layer's formulas, every matrix with its shape under it (W is out×64, x is 64×1). */
  function buildFormula(sizes) {
    var n1 = sizes[1], hidden = sizes.length > 2;
    var shape = function (sym, s) {
      return m.row(m('mspace', {width: '0.3em'}), m.under(sym, m('mtext', {mathsize: '70%', class: 'shape'}, s)),
        m('mspace', {width: '0.3em'}));
    };
    var col = F.shape(n1, 1);
    Dom.clear(els.formulaWrap);
    els.formulaWrap.classList.add('formula-pair');
    els.formulaWrap.appendChild(m.math([m.row(
      shape(m.mi('z'), col), m.mo('='), shape(m.mi('W'), F.shape(n1, 64)), m.mo('\u22c5'), shape(m.mi('x'), F.shape(64, 1)),
      m.mo('+'), shape(m.mi('b'), col))], {block: true,
      label: 'z equals W times x plus b, where W is ' + n1 + ' by 64, x is 64 by 1, and b and z are ' + n1 + ' by 1.'}));
    els.formulaWrap.appendChild(m.math([m.row(shape(m.mi('a'), col), m.mo('='), m.mi('f'), m.paren(m.mi('z')))],
      {block: true, label: 'a equals f of z, also ' + n1 + ' by 1.'}));
    els.formulaIntro.textContent = 'Each layer does the same three things: multiply by the weights, add the biases, ' +
      'apply the activation f. For the first layer of this network, with ' + n1 + (hidden ? ' hidden neurons:' : ' outputs:');
    els.formulaAfter.textContent = 'Each of the ' + n1 + ' numbers of W·x is a dot product: one row of W (64 weights) ' +
      'times the 64 numbers of x, multiplied pair by pair and added up.';
  }

  /* ------------------------------------------------------------- mount */
  function mount(section, context) {
    ctx = context;
    Dom.partHead(section, 'forward', 'Forward propagation: from pixels to an answer');

    els.formulaWrap = h('div', {class: 'formula'});


    section.appendChild(h('div', {class: 'prose'}, [
      els.formulaIntro = h('p'),
      els.formulaWrap,
      els.formulaAfter = h('p'),
      h('p', null, [
        'Step through it below with the chosen digit and the network’s current weights. ' +
        'Point at a number of a result — or tab to it and use the arrow keys — to see its sum written out.'])]));

    els.back = h('button', {type: 'button', class: 'btn', 'aria-label': 'Back one step'}, '◀ Back');
    els.play = h('button', {type: 'button', class: 'btn btn-primary', 'data-testid': 'forward-play'}, '▶ Play');
    els.next = h('button', {type: 'button', class: 'btn', 'data-testid': 'forward-step', 'aria-label': 'Next step'}, 'Next ▶');
    els.speed = Dom.select([['0.5', '½×'], ['1', '1×'], ['2', '2×'], ['4', '4×']]);
    els.speed.addEventListener('change', function () { ctx.set('speed', els.speed.value); });
    els.status = h('p', {class: 'step-status', 'aria-live': 'polite', 'data-testid': 'forward-status'});
    // the input: a digit of the data set, or one drawn in part "draw" (shown once there is one)
    els.srcData = h('button', {type: 'button', class: 'btn btn-small', 'data-testid': 'forward-source-data'});
    els.srcDrawn = h('button', {type: 'button', class: 'btn btn-small', 'data-testid': 'forward-source-drawn'},
      'your drawing');
    els.srcData.addEventListener('click', function () { ctx.action('source', 'data'); });
    els.srcDrawn.addEventListener('click', function () { ctx.action('source', 'drawn'); });
    els.source = h('div', {class: 'forward-source', role: 'group', 'aria-label': 'Input digit', hidden: 'hidden'},
      [h('span', {class: 'forward-source-label'}, 'Input:'), els.srcData, els.srcDrawn]);
    els.back.addEventListener('click', function () { pause(); go(step - 1); });
    els.next.addEventListener('click', function () { pause(); go(step + 1); });
    els.play.addEventListener('click', function () { if (playing) pause(); else play(); });

    els.pipeline = h('ol', {class: 'pipeline', 'aria-label': 'Layers'});
    els.stage = h('div', {class: 'stage'});
    els.dot = h('div', {class: 'dot-panel', 'aria-live': 'polite'});
    els.root = section;

    section.appendChild(els.source);
    section.appendChild(h('div', {class: 'player'}, [
      h('div', {class: 'player-buttons'}, [els.back, els.play, els.next,
        h('label', {class: 'speed'}, ['Speed ', els.speed])]), els.status]));
    section.appendChild(els.pipeline);
    section.appendChild(h('div', {class: 'stage-wrap'}, els.stage));
    section.appendChild(els.dot);
    section.appendChild(h('div', {class: 'legend', 'aria-hidden': 'true'}, [
      h('span', {class: 'legend-label'}, 'negative'), h('span', {class: 'legend-bar diverging'}),
      h('span', {class: 'legend-label'}, 'positive'),
      h('span', {class: 'legend-note'}, 'Colours: red below zero, white zero, blue above zero (scaled to each block’s largest number).')]));

    Dom.onResize(els.stage.parentNode, function (w) {
      if (w > 0 && w !== stageWidth) { stageWidth = w; if (model) { lastSig = ''; render(); } }
    });
  }

  /* ------------------------------------------------------------- playing */
  function play() {
    if (step >= steps().length - 1) step = -1;
    playing = true;
    els.play.textContent = '❚❚ Pause';
    tick();
  }
  function pause() {
    playing = false;
    if (timer) { clearTimeout(timer); timer = null; }
    if (els.play) els.play.textContent = '▶ Play';
  }
  function tick() {
    if (!playing) return;
    go(step + 1);
    if (step >= steps().length - 1) { pause(); return; }
    var speed = Number(model ? model.state.speed : 1) || 1;
    timer = setTimeout(tick, 1400 / speed);
  }
  function go(k) {
    var n = steps().length;
    step = Math.max(0, Math.min(n - 1, k));
    focusCell = {vec: null, i: focusCell.i};
    lastSig = '';
    render();
  }

  /* ------------------------------------------------------------- drawing blocks */
  function sizes(rows, cols) {
    var avail = Math.max(200, Math.min(340, stageWidth - 24));
    var rowH = Math.max(3, Math.min(24, Math.floor(300 / rows)));
    var colW = Math.max(3, Math.min(24, Math.floor(avail / cols)));
    return {rowH: rowH, colW: colW};
  }

  function figure(title, shapeText, body, extraClass) {
    return h('figure', {class: 'block ' + (extraClass || '')}, [
      h('figcaption', null, [h('span', {class: 'mvar'}, title), ' ', h('span', {class: 'shape-tag'}, shapeText)]), body]);
  }

  function op(text, cls) { return h('div', {class: 'op ' + (cls || ''), 'aria-hidden': 'true'}, text); }

  /* A column vector as cells; `role` 'result' makes them focusable (one tab stop, arrows). */
  function vector(values, opts) {
    var o = opts || {}, n = values.length, rowH = o.rowH || 22, showNum = rowH >= 18;
    var scale = o.ink ? 1 : P.maxAbs(values);
    var wrap = h('div', {class: 'vec' + (showNum ? ' vec-num' : ' vec-thin') + (o.result ? ' vec-result' : '')});
    if (o.result) {
      wrap.setAttribute('role', 'listbox');
      wrap.setAttribute('aria-label', o.label);
    } else {
      wrap.setAttribute('role', 'img');
      wrap.setAttribute('aria-label', o.label + ': ' + Array.prototype.slice.call(values, 0, 16).map(function (v) {
        return F.num(v, 2); }).join(', ') + (n > 16 ? ', …' : ''));
    }
    var cells = [];
    for (var i = 0; i < n; i++) {
      var v = values[i], rgb = o.ink ? P.ink(v * 16) : P.diverging(v / scale);
      var c = h('div', {class: 'cell'}, showNum ? F.num(v, 2) : null);
      c.style.height = rowH + 'px';
      c.style.backgroundColor = P.css(rgb);
      if (showNum) c.style.color = P.textOn(rgb);
      if (o.result) {
        c.setAttribute('role', 'option');
        c.setAttribute('tabindex', i === (focusCell.vec === o.id ? focusCell.i : 0) ? '0' : '-1');
        // the name holds the number as shown (voice control users say what they see)
        c.setAttribute('aria-label', o.name + ' number ' + (i + 1) + ' = ' + F.num(v, showNum ? 2 : 3));
        c.dataset.i = String(i);
        (function (i, c) {
          c.addEventListener('mouseenter', function () { explain(o.id, i, false); });
          c.addEventListener('focus', function () { explain(o.id, i, false); });
          c.addEventListener('click', function () { c.focus(); });
        })(i, c);
      }
      cells.push(c);
      wrap.appendChild(c);
    }
    if (o.result) {
      wrap.addEventListener('keydown', function (e) {
        var cur = cells.indexOf(document.activeElement);
        if (cur < 0) return;
        var nxt = cur;
        if (e.key === 'ArrowDown' || e.key === 'ArrowRight') nxt = Math.min(n - 1, cur + 1);
        else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') nxt = Math.max(0, cur - 1);
        else if (e.key === 'Home') nxt = 0;
        else if (e.key === 'End') nxt = n - 1;
        else return;
        e.preventDefault();
        cells[cur].setAttribute('tabindex', '-1');
        cells[nxt].setAttribute('tabindex', '0');
        cells[nxt].focus();
      });
    }
    wrap.cells = cells;
    return wrap;
  }

  function heatmap(W, rows, cols, sz, label) {
    var c = h('canvas', {class: 'heat', role: 'img', 'aria-label': label});
    var g = Dom.sizeCanvas(c, cols * sz.colW, rows * sz.rowH);
    var scale = P.maxAbs(W);
    for (var i = 0; i < rows; i++) {
      for (var j = 0; j < cols; j++) {
        g.fillStyle = P.css(P.diverging(W[i * cols + j] / scale));
        g.fillRect(j * sz.colW, i * sz.rowH, sz.colW + 0.3, sz.rowH + 0.3);
      }
    }
    c.paint = function (row) {
      // redraw the highlight of one row
      g.clearRect(0, 0, cols * sz.colW, rows * sz.rowH);
      for (var i = 0; i < rows; i++) {
        for (var j = 0; j < cols; j++) {
          g.fillStyle = P.css(P.diverging(W[i * cols + j] / scale));
          g.fillRect(j * sz.colW, i * sz.rowH, sz.colW + 0.3, sz.rowH + 0.3);
        }
      }
      if (row >= 0) {
        g.lineWidth = 2; g.strokeStyle = '#111111';
        g.strokeRect(1, row * sz.rowH + 1, cols * sz.colW - 2, Math.max(2, sz.rowH - 2));
      }
    };
    return c;
  }

  /* ------------------------------------------------------------- render */
  function pipeline(list) {
    Dom.clear(els.pipeline);
    var L = model.trace ? model.trace.layers.length : model.sizes.length - 1;
    var cur = list[step];
    var items = [{label: 'x  ' + F.shape(64, 1), layer: 0, at: 0}];
    for (var l = 1; l <= L; l++) {
      items.push({label: (l === L ? 'output ' : 'a' + F.toSubscript(l) + '  ') + F.shape(model.sizes[l], 1),
        layer: l, at: 1 + 3 * (l - 1)});
    }
    items.push({label: 'answer', layer: L + 1, at: list.length - 1});
    items.forEach(function (it) {
      var active = cur.kind === 'predict' ? it.layer === L + 1 : (cur.kind === 'x' ? it.layer === 0 : it.layer === cur.layer);
      var b = h('button', {type: 'button', class: 'pipe' + (active ? ' is-active' : ''),
        'aria-current': active ? 'step' : null}, it.label);
      b.addEventListener('click', function () { pause(); go(it.at); });
      els.pipeline.appendChild(h('li', null, b));
    });
  }

  var current = null; // {layer, blocks: {Wx, z, a}, heat, input}

  function render() {
    if (!model || !els.stage) return;
    var list = steps();
    if (step >= list.length) step = list.length - 1;
    var s = list[step];
    var L = list.length - 2 >= 0 ? (list.length - 2) / 3 : 0;
    els.root.dataset.step = String(step);
    els.root.dataset.steps = String(list.length);
    els.root.dataset.layer = String(s.layer);
    els.root.dataset.stage = s.kind;
    els.status.textContent = 'Step ' + (step + 1) + ' of ' + list.length + ': ' + describeStep(s, L);
    els.back.disabled = step === 0;
    els.next.disabled = step === list.length - 1;
    els.speed.value = model.state.speed;
    pipeline(list);
    Dom.clear(els.stage);
    current = null;
    var drawnIn = model.source === 'drawn' && model.drawn;
    var tr = drawnIn ? model.drawn.trace : model.trace;
    if (!tr) {
      els.stage.appendChild(h('p', {class: 'muted'}, model.noNetwork || 'Starting the calculator…'));
      Dom.clear(els.dot);
      return;
    }
    var x = tr.layers[0].input;
    if (s.kind === 'x') {
      var row = model.state.digit, px = drawnIn ? model.drawn.pixels : D.pixelsOf(model.digits, row);
      var img = h('canvas', {class: 'digit-mid', role: 'img', 'aria-label': drawnIn
        ? D.describe(px, 'digit').replace('hand-written digit', 'your drawn digit') : D.describe(px, model.digits.labels[row])});
      var g = Dom.sizeCanvas(img, 96, 96);
      Dom.drawDigit(g, px, 0, 0, 96, function (v) { return P.css(P.ink(v)); });
      var sz0 = sizes(64, 64);
      els.stage.appendChild(h('div', {class: 'eq-row'}, [
        figure(drawnIn ? 'your drawing' : 'digit #' + row, '8×8', img),
        h('div', {class: 'term'}, [op('→'),
          figure('x', F.shape(64, 1), vector(x, {ink: true, rowH: sz0.rowH, label: 'x, 64 numbers'}))])]));
      Dom.clear(els.dot);
      els.dot.appendChild(h('p', null, 'The 8 rows of the picture are laid one after another into one column of 64 numbers, each divided by 16, so every x is between 0 and 1.'));
      return;
    }
    if (s.kind === 'predict') {
      renderPredict(tr);
      return;
    }
    var l = s.layer, lay = tr.layers[l - 1], rows = lay.out, cols = lay.in;
    var sz = sizes(rows, cols);
    var Wx = new Float32Array(rows);
    for (var i = 0; i < rows; i++) Wx[i] = lay.z[i] - lay.b[i];
    var stage = s.kind === 'Wx' ? 1 : s.kind === 'b' ? 2 : 3;
    var heat = heatmap(lay.W, rows, cols, sz, 'Heat map of the weights W' + l + ', ' + rows + ' by ' + cols +
      ' (red negative, blue positive)');
    var inVec = vector(lay.input, {ink: l === 1, rowH: Math.max(3, Math.min(24, Math.floor(300 / cols))),
      label: inName(l) + ', ' + cols + ' numbers'});
    var idWx = 'Wx' + l, idZ = 'z' + l, idA = 'a' + l;
    var vWx = vector(Wx, {result: true, id: idWx, rowH: sz.rowH, name: 'W' + l + '·' + inName(l), label: 'W' + l + ' times ' + inName(l) + ', ' + rows + ' numbers'});
    // each operator travels with the block after it, so a narrow screen never leaves a lone "+"
    var term = function (opText, fig, cls) { return h('div', {class: 'term'}, [op(opText, cls), fig]); };
    var parts = [
      figure('W' + F.toSubscript(l), F.shape(rows, cols), heat, 'block-w'),
      term('·', figure(inName(l), F.shape(cols, 1), inVec)),
      term('=', figure('W' + F.toSubscript(l) + '·' + inName(l), F.shape(rows, 1), vWx))];
    var vB = null, vZ = null, vA = null;
    if (stage >= 2) {
      vB = vector(lay.b, {rowH: sz.rowH, label: 'b' + l + ', ' + rows + ' numbers'});
      vZ = vector(lay.z, {result: true, id: idZ, rowH: sz.rowH, name: 'z' + l, label: 'z' + l + ', ' + rows + ' numbers'});
      parts.push(term('+', figure('b' + F.toSubscript(l), F.shape(rows, 1), vB)),
        term('=', figure('z' + F.toSubscript(l), F.shape(rows, 1), vZ)));
    }
    if (stage >= 3) {
      vA = vector(lay.a, {result: true, id: idA, rowH: sz.rowH, name: 'a' + l, label: 'a' + l + ', ' + rows + ' numbers'});
      parts.push(term(FNAME[fOf(l)] + ' →', figure('a' + F.toSubscript(l) + ' = ' + FNAME[fOf(l)] + '(z' + F.toSubscript(l) + ')',
        F.shape(rows, 1), vA), 'op-f'));
    }
    els.stage.appendChild(h('div', {class: 'eq-row'}, parts));
    current = {layer: l, lay: lay, Wx: Wx, heat: heat, vecs: {}};
    current.vecs[idWx] = vWx; if (vZ) current.vecs[idZ] = vZ; if (vA) current.vecs[idA] = vA;
    var def = stage === 1 ? idWx : stage === 2 ? idZ : idA;
    var keep = focusCell.vec && current.vecs[focusCell.vec] ? focusCell.vec : def;
    explain(keep, Math.min(focusCell.i || 0, rows - 1), true);
  }

  function renderPredict(tr) {
    var out = tr.output, L = tr.layers.length, label = tr.label, pred = tr.predicted;
    var isProb = model.state.output === 'softmax';
    var list = h('ol', {class: 'bars', 'aria-label': 'The 10 outputs'});
    var mx = Math.max(1e-6, Math.max.apply(null, Array.prototype.map.call(out, function (v) { return Math.abs(v); })));
    for (var k = 0; k < 10; k++) {
      var bar = h('span', {class: 'bar-fill' + (k === pred ? ' is-pred' : '')});
      bar.style.width = Math.max(0, Math.min(100, Math.abs(out[k]) / mx * 100)).toFixed(1) + '%';
      list.appendChild(h('li', {class: 'bar-row' + (k === label ? ' is-label' : '')}, [
        h('span', {class: 'bar-k'}, String(k)), h('span', {class: 'bar-track'}, bar),
        h('span', {class: 'bar-v'}, isProb ? F.percent(out[k]) : F.num(out[k], 3))]));
    }
    var ok = pred === label;
    els.stage.appendChild(h('div', {class: 'predict'}, [
      figure('a' + F.toSubscript(L) + ' (the output)', F.shape(10, 1), list, 'block-bars'),
      h('div', {class: 'answer ' + (label < 0 ? 'is-unknown' : ok ? 'is-right' : 'is-wrong')}, [
        h('span', {class: 'answer-label'}, 'The network says'),
        h('span', {class: 'answer-digit', 'data-testid': 'forward-answer'}, String(pred)),
        h('span', {class: 'answer-verdict'}, label >= 0 ? (ok ? '✓ right: the label is ' + label : '✗ wrong: the label is ' + label)
          : 'for your drawing (is it right?)')])]));
    Dom.clear(els.dot);
    els.dot.appendChild(h('p', null, isProb
      ? 'Softmax turns the 10 numbers z into chances that add up to 100%. The predicted digit is the one with the biggest chance.'
      : 'Each output is a number between 0 and 1 (they need not add up to 1). The predicted digit is the biggest one.'));
  }

  /* The dot product of cell i, with the numbers plugged in. */
  function explain(vecId, i, quiet) {
    if (!current) return;
    focusCell = {vec: vecId, i: i};
    var l = current.layer, lay = current.lay, cols = lay.in;
    Object.keys(current.vecs).forEach(function (k) {
      current.vecs[k].cells.forEach(function (c, j) { c.classList.toggle('is-hot', j === i); });
    });
    current.heat.paint(i);
    var kind = vecId.charAt(0) === 'W' ? 'Wx' : vecId.charAt(0);
    var row = i + 1, inSym = l === 1 ? 'x' : 'a';
    var inSub = function (j) { return l === 1 ? m.sub(m.mi('x'), m.mn(String(j))) : m.sub(m.mi('a'), m.mn(String(j))); };
    var wSym = function (j) { return m.sub(m.mi('w'), m.row(m.mn(String(row)), m.mo(','), m.mn(String(j)))); };
    var show = Math.min(3, cols);
    // Each term is its own small <math>, in a wrapping row: MathML does not break long lines.
    var symChunks = [], numChunks = [];
    var plus = function (isLast) { return isLast ? [] : [m.mo('+')]; };
    var withB = kind !== 'Wx';
    var idx = [];
    for (var j = 0; j < show; j++) idx.push(j);
    if (cols > show + 1) idx.push(-1); // the "…"
    if (cols > show) idx.push(cols - 1);
    idx.forEach(function (jj, n) {
      var last = n === idx.length - 1 && !withB;
      if (jj < 0) {
        symChunks.push([m.mo('\u2026')].concat(plus(false)));
        numChunks.push([m.mo('\u2026')].concat(plus(false)));
        return;
      }
      symChunks.push([wSym(jj + 1), m.mo('\u2062'), inSub(jj + 1)].concat(plus(last)));
      numChunks.push([m.num(F.num(lay.W[i * cols + jj], 2), true), m.mo('\u00b7'),
        m.num(F.num(lay.input[jj], 2), true)].concat(plus(last)));
    });
    var lhs = kind === 'Wx' ? m.sub(m.paren(m.row(mSym('W', l), m.mo('\u2062'), mIn(l))), m.mn(String(row)))
      : m.sub(m.mi('z'), m.row(m.mn(String(row)))); // z_i
    if (withB) {
      symChunks.push([m.sub(m.mi('b'), m.mn(String(row)))]);
      numChunks.push([m.num(F.num(lay.b[i], 2), true)]);
    }
    var total = kind === 'Wx' ? current.Wx[i] : lay.z[i];
    symChunks.unshift([lhs, m.mo('=')]);
    numChunks.unshift([m.mo('=')]);
    numChunks.push([m.mo('='), m.mn(F.num(total, 3))]);
    var flow = function (chunks, cls, label) {
      return h('div', {class: 'formula-flow ' + cls, role: 'math', 'aria-label': label},
        chunks.map(function (c) { return m.math([m.row.apply(null, c)], {}); }));
    };
    var spoken = (kind === 'Wx' ? 'row ' + row + ' of W times ' + inName(l) : 'z ' + row) + ' = ' +
      idx.map(function (jj) { return jj < 0 ? '…' : F.num(lay.W[i * cols + jj], 2) + ' times ' + F.num(lay.input[jj], 2); }).join(' plus ') +
      (withB ? ' plus ' + F.num(lay.b[i], 2) : '') + ' = ' + F.num(total, 3);
    var lines = [flow(symChunks, 'sum-sym', ''), flow(numChunks, 'sum-num', spoken)];
    lines[0].setAttribute('aria-hidden', 'true');
    lines[0].removeAttribute('role');
    if (kind === 'a') {
      var fn = fOf(l);
      var fz = fn === 'softmax'
        ? m.row(m.sub(m.mi('a'), m.mn(String(row))), m.mo('='), m.frac(m.sup(m.mi('e'), m.sub(m.mi('z'), m.mn(String(row)))),
          m.row(m.underover(m.mo('\u2211'), m.row(m.mi('k'), m.mo('='), m.mn('1')), m.mn(String(lay.out))), m.sup(m.mi('e'), m.sub(m.mi('z'), m.mi('k'))))),
          m.mo('='), m.mn(F.num(lay.a[i], 3)))
        : m.row(m.sub(m.mi('a'), m.mn(String(row))), m.mo('='), m.mi(FNAME[fn]), m.paren(m.mn(F.num(lay.z[i], 3))),
          m.mo('='), m.mn(F.num(lay.a[i], 3)));
      lines.push(flow([[fz]], 'sum-f', ''));
    }
    Dom.clear(els.dot);
    var what = kind === 'Wx' ? 'Number ' + row + ' of W' + F.toSubscript(l) + '·' + inName(l) + ' is row ' + row +
      ' of W' + F.toSubscript(l) + ' times ' + inName(l) + ', term by term, added up (' + cols + ' terms):'
      : kind === 'z' ? 'Number ' + row + ' of z' + F.toSubscript(l) + ': the dot product of row ' + row + ' of W' +
        F.toSubscript(l) + ' with ' + inName(l) + ', plus the bias:'
      : 'Number ' + row + ' of a' + F.toSubscript(l) + ': the activation of z' + F.toSubscript(l) + '’s number ' + row + ':';
    if (l === model.trace.layers.length) {
      what = what.replace(/:$/, ' (row ' + row + ' is the output for the digit ' + (row - 1) + '):');
    }
    els.dot.appendChild(h('p', {class: 'dot-what'}, what));
    lines.forEach(function (ln) { els.dot.appendChild(ln); });
    if (!quiet) els.dot.setAttribute('aria-live', 'polite');
  }

  function update(data, changes) {
    model = data;
    if (!els.stage) return;
    var n = steps().length;
    if (changes.net || changes.all) { if (step >= n) step = 0; buildFormula(data.sizes); }
    if (changes.source) { pause(); step = 0; focusCell = {vec: null, i: 0}; }
    var sig = [data.state.digit, data.sizes.join(','), data.state.speed, data.ready, data.source,
      data.drawn ? data.drawn.version : 0].join('|');
    els.source.hidden = !data.drawn;
    if (data.drawn) {
      els.srcData.textContent = 'digit #' + data.state.digit;
      els.srcData.setAttribute('aria-pressed', String(data.source !== 'drawn'));
      els.srcDrawn.setAttribute('aria-pressed', String(data.source === 'drawn'));
    }
    if (changes.all || changes.net || changes.digit || changes.weights || changes.state || sig !== lastSig) {
      if (changes.state && !changes.digit && !changes.net && !changes.weights && sig === lastSig) return;
      lastSig = sig;
      var active = document.activeElement, refocus = null;
      if (active && active.closest && els.stage.contains(active) && active.dataset.i) refocus = active.dataset.i;
      render();
      if (refocus !== null && current && focusCell.vec && current.vecs[focusCell.vec]) {
        var c = current.vecs[focusCell.vec].cells[+refocus];
        if (c) c.focus({preventScroll: true});
      }
    }
  }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.forward = {id: 'forward', mount: mount, update: update};
})(this);
