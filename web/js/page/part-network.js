/* nnmath page — part 2, "The network": a diagram of the layers (the lines coloured by the
 * current weights) and the settings form (presets, layers, activation, output, cost, optimiser,
 * learning rate, momentum, batch size, epochs, seed). */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, F = root.NNPageFormat, P = root.NNPagePalette, S = root.NNPageState;
  var h = Dom.h, m = Dom.m;
  var els = {}, ctx = null, lastModel = null, lastDraw = 0, pendingDraw = false;

  var ACT_NAMES = {sigmoid: 'sigmoid σ', tanh: 'tanh', relu: 'ReLU', softmax: 'softmax', identity: 'identity (none)'};
  var COST_NAMES = {mse: 'squared error', xent: 'cross-entropy'};
  var OPT_NAMES = {sgd: 'gradient descent (SGD)', momentum: 'SGD with momentum', adam: 'Adam'};
  var BATCHES = [1, 8, 16, 32, 64, 128, 256, 0];

  function paramCount(sizes) {
    var n = 0;
    for (var i = 0; i + 1 < sizes.length; i++) n += sizes[i] * sizes[i + 1] + sizes[i + 1];
    return n;
  }

  function sub(name, i) { return name + F.toSubscript(i); }

  function presetButton(name, desc) {
    var b = h('button', {type: 'button', class: 'preset', 'data-testid': 'preset-' + name,
      'aria-pressed': 'false'}, [h('span', {class: 'preset-name'}, S.PRESET_LABELS[name]),
      h('span', {class: 'preset-desc'}, desc)]);
    b.addEventListener('click', function () { ctx.action('preset', name); syncForm(ctx.state); });
    return b;
  }

  function numberInput(key, attrs) {
    var f = S.field(key);
    var input = h('input', Object.assign({type: 'number', min: String(f.min), max: String(f.max),
      step: f.type === 'int' ? '1' : 'any', inputmode: f.type === 'int' ? 'numeric' : 'decimal'}, attrs || {}));
    input.addEventListener('change', function () { change(key, input.value); });
    return input;
  }

  function change(key, value) {
    var notes = ctx.set(key, value);
    els.formNotes.textContent = notes && notes.length ? notes.join(' ') : '';
    syncForm(ctx.state);
  }

  function mount(section, context) {
    ctx = context;
    Dom.partHead(section, 'network', 'The network: layers of numbers');
    section.appendChild(h('div', {class: 'prose'}, [
      h('p', null, ['A neural network is a chain of ', h('em', null, 'layers'), '. Each layer takes a column of ' +
        'numbers, multiplies it by a matrix of ', h('em', null, 'weights'), ' W, adds a column of ',
        h('em', null, 'biases'), ' b and squashes every result with an ', h('em', null, 'activation function'),
        ' f. The first layer reads the 64 numbers x of a digit; the last one gives 10 numbers, one per digit 0–9. ' +
        'The biggest of the 10 is the network’s answer.']),
      h('p', null, 'Training means finding weights and biases that give the right answers. ' +
        'Pick a ready-made network or change the settings yourself.')]));

    els.presetSimple = presetButton('simple', '64 → 8 → 10, sigmoid everywhere, squared-error cost, 10 epochs');
    els.presetImproved = presetButton('improved', '64 → 32 → 10, ReLU, softmax output, cross-entropy cost, 30 epochs');
    els.presetNow = h('p', {class: 'muted small', 'aria-live': 'polite'});

    els.diagram = h('canvas', {class: 'net-diagram', role: 'img'});
    els.summary = h('p', {class: 'net-summary'});

    // --- settings form
    els.nLayers = Dom.select([[0, '0 (no hidden layer)'], [1, '1'], [2, '2'], [3, '3'], [4, '4']]);
    els.nLayers.addEventListener('change', function () {
      // the live state (ctx.state), not the last one drawn: the views follow a frame later, and a
      // change made in between (a preset, then the number of layers) must start from the new one
      var n = +els.nLayers.value, cur = ctx.state.layers.slice();
      while (cur.length < n) cur.push(cur.length ? cur[cur.length - 1] : 8);
      change('layers', cur.slice(0, n));
    });
    els.widths = [];
    var widthFields = h('div', {class: 'width-fields'});
    for (var i = 0; i < 4; i++) {
      (function (i) {
        var inp = h('input', {type: 'number', min: '1', max: '128', step: '1', inputmode: 'numeric'});
        inp.addEventListener('change', function () {
          var cur = ctx.state.layers.slice();
          var v = Number(inp.value);
          cur[i] = isFinite(v) && inp.value.trim() !== '' ? v : cur[i];
          if (!(isFinite(v) && inp.value.trim() !== '')) els.formNotes.textContent = 'A width must be a whole number from 1 to 128.';
          change('layers', cur);
        });
        var f = Dom.field('Width of hidden layer ' + (i + 1), inp);
        els.widths.push(f);
        widthFields.appendChild(f.wrap);
      })(i);
    }
    els.activation = Dom.select([['sigmoid', 'sigmoid σ'], ['tanh', 'tanh'], ['relu', 'ReLU']]);
    els.activation.addEventListener('change', function () { change('activation', els.activation.value); });
    els.output = Dom.select([['sigmoid', 'sigmoid'], ['softmax', 'softmax'], ['identity', 'identity']]);
    els.output.addEventListener('change', function () { change('output', els.output.value); });
    els.cost = Dom.select([['mse', 'squared error'], ['xent', 'cross-entropy']]);
    els.cost.addEventListener('change', function () { change('cost', els.cost.value); });
    els.optimizer = Dom.select([['sgd', 'SGD'], ['momentum', 'momentum'], ['adam', 'Adam']]);
    els.optimizer.addEventListener('change', function () { change('optimizer', els.optimizer.value); });
    els.lr = numberInput('lr');
    els.momentum = numberInput('momentum', {step: '0.01'});
    els.batch = Dom.select(BATCHES.map(function (b) { return [b, b === 0 ? 'all (full batch)' : String(b)]; }));
    els.batch.addEventListener('change', function () { change('batch', els.batch.value); });
    els.epochs = numberInput('epochs');
    els.seed = numberInput('seed');
    var newSeed = h('button', {type: 'button', class: 'btn btn-small'}, 'New seed');
    newSeed.addEventListener('click', function () { change('seed', Math.floor(Math.random() * 100000)); });

    els.momentumField = Dom.field('Momentum β', els.momentum, 'How much of the last step to keep (0 to 0.99).');
    els.formNotes = h('p', {class: 'form-notes', role: 'status'});

    var form = h('form', {class: 'settings', novalidate: 'novalidate'}, [
      h('fieldset', null, [h('legend', null, 'Layers'),
        Dom.field('Hidden layers', els.nLayers, 'Between the 64 inputs and the 10 outputs.').wrap, widthFields]),
      h('fieldset', null, [h('legend', null, 'Neurons and cost'),
        Dom.field('Hidden activation f', els.activation, 'Squashes each hidden number.').wrap,
        Dom.field('Output activation', els.output, 'Softmax makes the 10 outputs chances.').wrap,
        Dom.field('Cost C', els.cost, 'Cross-entropy needs softmax.').wrap]),
      h('fieldset', null, [h('legend', null, 'Learning'),
        Dom.field('Optimiser', els.optimizer, 'How each step is taken.').wrap,
        Dom.field('Learning rate η', els.lr, 'The size of each downhill step (0.0001 to 10).').wrap,
        els.momentumField.wrap,
        Dom.field('Batch size', els.batch, 'Digits averaged for each step.').wrap,
        Dom.field('Epochs', els.epochs, 'Passes over the training set before stopping (1 to 200).').wrap,
        h('div', {class: 'field field-row'}, [Dom.field('Seed', els.seed, 'Same seed, same run.').wrap, newSeed])])
    ]);
    form.addEventListener('submit', function (e) { e.preventDefault(); });

    section.appendChild(h('div', {class: 'network-layout'}, [
      h('div', {class: 'network-left'}, [
        h('div', {class: 'presets', role: 'group', 'aria-label': 'Ready-made networks'},
          [els.presetSimple, els.presetImproved]), els.presetNow,
        h('figure', {class: 'fig diagram-fig'}, [els.diagram, els.summary])]),
      h('div', {class: 'network-right'}, [form, els.formNotes, glossary(),
        h('p', {class: 'muted small'}, 'Changing a setting starts the network again from its seed; ' +
          'the link in the address bar always holds the settings, so sharing it shares the same run.')])]));

    Dom.onResize(els.diagram.parentNode, function () { if (lastModel) drawDiagram(lastModel); });
  }

  function glossary() {
    var z = function () { return m.mi('z'); };
    var row = function (name, formula, text) {
      return h('li', null, [h('strong', null, name), ' ', m.math([formula], {}), ' ', text]);
    };
    return h('details', {class: 'glossary'}, [h('summary', null, 'What do these settings mean?'),
      h('ul', null, [
        row('Sigmoid', m.row(m.mi('σ'), m.paren(z()), m.mo('='), m.frac(m.mn('1'), m.row(m.mn('1'), m.mo('+'), m.sup(m.mi('e'), m.row(m.mo('\u2212'), z()))))),
          'squashes any number into 0…1.'),
        row('tanh', m.row(m.mi('tanh'), m.paren(z())), 'squashes into −1…1.'),
        row('ReLU', m.row(m.mi('ReLU'), m.paren(z()), m.mo('='), m.mi('max'), m.paren(m.row(m.mn('0'), m.mo(','), z()))),
          'keeps positive numbers, turns negative ones into 0.'),
        row('Softmax', m.row(m.sub(m.mi('p'), m.mi('k')), m.mo('='), m.frac(m.sup(m.mi('e'), m.sub(m.mi('z'), m.mi('k'))),
          m.row(m.mo('\u2211'), m.sup(m.mi('e'), m.sub(m.mi('z'), m.mi('j')))))), 'turns the 10 outputs into chances that add up to 1.'),
        h('li', null, [h('strong', null, 'SGD'), ' steps straight downhill; ', h('strong', null, 'momentum'),
          ' keeps part of the last step, like a rolling ball; ', h('strong', null, 'Adam'),
          ' also adapts the step size of every weight.']),
        h('li', null, [h('strong', null, 'Batch size'), ': how many digits are averaged before each step. ',
          h('strong', null, 'Epoch'), ': one pass over all the training digits. ', h('strong', null, 'Seed'),
          ': the starting point of the random numbers (first weights, order of the digits).'])])]);
  }

  function syncForm(st) {
    els.presetSimple.setAttribute('aria-pressed', String(st.preset === 'simple'));
    els.presetImproved.setAttribute('aria-pressed', String(st.preset === 'improved'));
    els.presetNow.textContent = 'Current network: ' + S.PRESET_LABELS[st.preset] +
      (st.preset === 'custom' ? ' (your own settings)' : '') + '.';
    els.nLayers.value = String(st.layers.length);
    els.widths.forEach(function (f, i) {
      f.wrap.hidden = i >= st.layers.length;
      if (i < st.layers.length && document.activeElement !== f.input) f.input.value = String(st.layers[i]);
    });
    els.activation.value = st.activation;
    els.activation.disabled = st.layers.length === 0;
    els.output.value = st.output;
    els.cost.value = st.cost;
    els.optimizer.value = st.optimizer;
    els.lr.value = String(st.lr);
    els.momentum.value = String(st.momentum);
    els.momentumField.wrap.hidden = st.optimizer === 'sgd';
    if (!Array.prototype.some.call(els.batch.options, function (o) { return o.value === String(st.batch); })) {
      els.batch.appendChild(h('option', {value: String(st.batch)}, String(st.batch)));
    }
    els.batch.value = String(st.batch);
    els.epochs.value = String(st.epochs);
    els.seed.value = String(st.seed);
  }

  var MAX_LINES = 600;
  /* The |w| of the n-th strongest weight: lines weaker than that are left out. */
  function strongest(W, n) {
    var a = new Float32Array(W.length);
    for (var i = 0; i < W.length; i++) a[i] = Math.abs(W[i]);
    a.sort();
    return a[a.length - n];
  }

  function drawDiagram(model) {
    var sizes = model.sizes, layers = model.layers, W = Math.max(280, els.diagram.parentNode.clientWidth);
    var H = W < 500 ? 300 : 400;
    var g = Dom.sizeCanvas(els.diagram, W, H);
    g.clearRect(0, 0, W, H);
    var top = 44, bottom = H - 30, n = sizes.length;
    var left = 34, right = W - 34;
    var xs = sizes.map(function (_, i) { return left + (right - left) * i / (n - 1); });
    function ys(count) {
      var out = [], span = bottom - top, step = Math.min(span / Math.max(1, count - 1), 26);
      var start = (top + bottom) / 2 - step * (count - 1) / 2;
      for (var i = 0; i < count; i++) out.push(start + i * step);
      return out;
    }
    var pos = sizes.map(ys);
    // edges, coloured by the weights (lighter and thinner for small |w|); drawn in buckets of
    // similar colour, one path each, so that thousands of lines stay cheap
    var LEVELS = 8;
    for (var l = 0; l + 1 < n; l++) {
      var Wl = layers ? layers[l].W : null, inn = sizes[l], out = sizes[l + 1];
      var scale = Wl ? P.maxAbs(Wl) : 1, total = inn * out, every = 1, cut = -1;
      if (total > MAX_LINES) {
        if (Wl) cut = strongest(Wl, MAX_LINES);
        else every = Math.ceil(total / MAX_LINES);
      }
      var buckets = {};
      for (var k = 0; k < total; k += every) {
        if (cut >= 0 && Math.abs(Wl[k]) < cut) continue;
        var i = Math.floor(k / inn), j = k % inn, t = Wl ? Wl[k] / scale : 0;
        var q = Wl ? Math.round(Math.max(-1, Math.min(1, t)) * LEVELS) : 0;
        (buckets[q] = buckets[q] || []).push(j, i);
      }
      // hairlines in one path per colour bucket (cheap to rasterise); the strongest weights are
      // then stroked again, thicker, one by one
      Object.keys(buckets).forEach(function (key) {
        var q = +key, tq = q / LEVELS, list = buckets[key];
        var rgb = Wl ? P.diverging(tq) : [190, 196, 206];
        g.strokeStyle = 'rgba(' + rgb[0] + ',' + rgb[1] + ',' + rgb[2] + ',' +
          (Wl ? (0.2 + 0.7 * Math.abs(tq)).toFixed(2) : '0.4') + ')';
        g.lineWidth = 1;
        g.beginPath();
        for (var e = 0; e < list.length; e += 2) {
          g.moveTo(xs[l], pos[l][list[e]]);
          g.lineTo(xs[l + 1], pos[l + 1][list[e + 1]]);
        }
        g.stroke();
        if (Math.abs(q) >= LEVELS - 2 && list.length <= 400) {
          g.lineWidth = 1.8;
          for (var f = 0; f < list.length; f += 2) {
            g.beginPath();
            g.moveTo(xs[l], pos[l][list[f]]);
            g.lineTo(xs[l + 1], pos[l + 1][list[f + 1]]);
            g.stroke();
          }
        }
      });
    }
    // nodes
    var x0 = model.trace ? model.trace.layers[0].input : null;
    for (l = 0; l < n; l++) {
      var r = Math.max(1.6, Math.min(9, (pos[l].length > 1 ? (pos[l][1] - pos[l][0]) : 20) * 0.42));
      var act = l === 0 ? x0 : (model.trace ? model.trace.layers[l - 1].a : null);
      var amax = act ? P.maxAbs(act, 1) : 1;
      for (var q = 0; q < pos[l].length; q++) {
        var fill = act ? (l === 0 ? P.ink(act[q] * 16) : P.diverging(act[q] / amax)) : [255, 255, 255];
        g.beginPath(); g.arc(xs[l], pos[l][q], r, 0, Math.PI * 2);
        g.fillStyle = P.css(fill); g.fill();
        g.lineWidth = r > 3 ? 1.2 : 0.6; g.strokeStyle = '#3b4556'; g.stroke();
      }
    }
    // labels
    g.fillStyle = '#1f2733';
    g.textAlign = 'center';
    var BOLD = '600 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    var REG = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    var label = function (text, x, y, font) {
      g.font = font;
      var half = g.measureText(text).width / 2 + 2;
      g.fillText(text, Math.min(Math.max(x, half), W - half), y);
    };
    for (l = 0; l < n; l++) {
      label(l === 0 ? 'x: 64' : (l === n - 1 ? 'output: 10' : sub('a', l) + ': ' + sizes[l]), xs[l], 16, BOLD);
      label(l === 0 ? 'pixels ÷ 16' : (l === n - 1 ? model.state.output : model.state.activation), xs[l], 32, REG);
    }
    g.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    for (l = 0; l + 1 < n; l++) {
      var wl = sub('W', l + 1) + ' ' + F.shape(sizes[l + 1], sizes[l]);
      var mx = (xs[l] + xs[l + 1]) / 2, tw = g.measureText(wl).width + 10;
      g.fillStyle = 'rgba(255,255,255,0.92)';
      g.fillRect(mx - tw / 2, H - 22, tw, 18);
      g.fillStyle = '#1f2733';
      g.fillText(wl, mx, H - 9);
    }
    var desc = 'Diagram of the network ' + sizes.join(' → ') + '. ' + sizes.slice(1).map(function (s, i) {
      return 'Weight matrix W' + (i + 1) + ' is ' + s + ' by ' + sizes[i];
    }).join('; ') + '. Lines are coloured by the current weights: blue positive, red negative.';
    els.diagram.setAttribute('aria-label', desc);
  }

  function update(model, changes) {
    if (!els.diagram) return;
    lastModel = model;
    var st = model.state;
    if (changes.all || changes.state || changes.net) syncForm(st);
    var now = Date.now();
    if (changes.weights && model.training && !changes.net && now - lastDraw < 500) { pendingDraw = true; return; }
    if (changes.all || changes.net || changes.weights || changes.digit || changes.state || (pendingDraw && !model.training)) {
      pendingDraw = false;
      lastDraw = now;
      drawDiagram(model);
      var sizes = model.sizes, np = paramCount(sizes);
      els.summary.textContent = sizes.join(' → ') + ': ' + (sizes.length - 1) + ' weight ' +
        (sizes.length === 2 ? 'layer' : 'layers') + ', ' + F.int(np) + ' numbers to learn (' +
        sizes.slice(1).map(function (s, i) { return 'W' + F.toSubscript(i + 1) + ' is ' + F.shape(s, sizes[i]); }).join(', ') +
        ', plus ' + F.int(sizes.slice(1).reduce(function (a, b) { return a + b; }, 0)) + ' biases). ' +
        'Each line is one weight: blue positive, red negative, darker and thicker for bigger ones' +
        (sizes.some(function (v, i) { return i && v * sizes[i - 1] > MAX_LINES; })
          ? ' (where a layer has more than ' + F.int(MAX_LINES) + ' weights, only its ' + F.int(MAX_LINES) + ' strongest are drawn).' : '.');
    }
  }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.network = {id: 'network', mount: mount, update: update};
})(this);
