/* nnmath — the standalone "draw your own digit" page (draw.html; browser only; global NNDrawDemo).
 * Loads the core (NNMath.load), trains the lesson's "Improved" network — 64, 32, 10; ReLU;
 * cross-entropy with softmax; SGD, learning rate 0.1, mini-batches of 32, seed 1; 30 epochs on the
 * 80 % training split (seed 1) — in time slices so the page stays responsive, and mounts the pad
 * with predict = net.predict. */
(function (root) {
  'use strict';

  var CONFIG = {layers: [64, 32, 10], activation: 'relu', cost: 'xent', output: 'softmax',
    optimizer: 'sgd', lr: 0.1, batch: 32, seed: 1, shuffle: true};
  var EPOCHS = 30, SLICE_MS = 12, TEST_FRACTION = 0.2, SPLIT_SEED = 1;

  var state = {pad: null, net: null, core: null, dataset: null, phase: 'loading'};

  function $(id) { return document.getElementById(id); }

  function setStatus(phase, text) {
    state.phase = phase;
    var el = $('draw-train-status');
    if (!el) return;
    el.setAttribute('data-state', phase);
    el.setAttribute('aria-busy', phase === 'loading' || phase === 'training' ? 'true' : 'false');
    el.textContent = text;
  }

  function showUsed(pixels) {
    var box = $('draw-used');
    if (!box) return;
    while (box.firstChild) box.removeChild(box.firstChild);
    var p = document.createElement('p');
    p.textContent = 'In the full lesson these 64 numbers now go into “Forward propagation”, ' +
      'where you can follow them through the network:';
    var pre = document.createElement('pre');
    var rows = [];
    for (var r = 0; r < 8; r++) {
      rows.push(Array.prototype.slice.call(pixels, r * 8, r * 8 + 8).map(function (v) {
        return (v < 10 ? ' ' : '') + v;
      }).join(' '));
    }
    pre.textContent = rows.join('\n');
    pre.setAttribute('aria-label', 'The 64 numbers, 8 rows of 8');
    box.appendChild(p);
    box.appendChild(pre);
    box.hidden = false;
  }

  function fail(e) {
    var msg = (e && e.message) || String(e);
    setStatus('error', 'The network could not be loaded: ' + msg);
    if (state.pad) state.pad.update({ready: false, message: 'The network could not be loaded, so drawings are not read. You can still see how a drawing becomes 64 numbers.'});
  }

  function train() {
    var net = state.net, spe = net.stepsPerEpoch, total = EPOCHS * spe;
    var now = root.performance && root.performance.now ? function () { return root.performance.now(); } : Date.now;
    function slice() {
      var t0 = now();
      try {
        while (net.epoch < EPOCHS && now() - t0 < SLICE_MS) {
          var left = total - (net.epoch * spe + net.step);
          net.trainSteps(Math.min(5, left));
        }
      } catch (e) { fail(e); return; }
      if (net.epoch < EPOCHS) {
        setStatus('training', 'Training the network: epoch ' + (net.epoch + 1) + ' of ' + EPOCHS + '…');
        state.pad.update({message: 'The network is still learning (epoch ' + (net.epoch + 1) + ' of ' + EPOCHS + ').'});
        root.setTimeout(slice, 0);
        return;
      }
      var acc = net.evaluate('test');
      setStatus('ready', 'Ready. After ' + EPOCHS + ' epochs the network reads ' + (acc.accuracy * 100).toFixed(1) +
        '% of the test digits (' + acc.correct + ' of ' + acc.count + ') correctly. Now draw!');
      state.pad.update({ready: true, message: '', predict: function (px) { return net.predict(px); }});
    }
    slice();
  }

  function start() {
    var mountEl = $('draw-mount');
    if (!mountEl || !root.NNDraw) return;
    state.pad = root.NNDraw.mount(mountEl, {ready: false, message: 'The network is loading…', onDigit: showUsed});
    if (!root.NNMath || !root.NNMATH_DIGITS) { fail(new Error('js/nnmath.js or js/digits-data.js is missing.')); return; }
    setStatus('loading', 'Loading the network…');
    root.NNMath.load({simd: 'auto'}).then(function (core) {
      state.core = core;
      var digits = root.NNMath.decodeDigits(root.NNMATH_DIGITS);
      state.dataset = core.dataset({pixels: digits.pixels, labels: digits.labels, scale: 'unit'});
      state.dataset.split({testFraction: TEST_FRACTION, seed: SPLIT_SEED});
      state.net = core.network(CONFIG, state.dataset);
      setStatus('training', 'Training the network: epoch 1 of ' + EPOCHS + '…');
      train();
    }).catch(fail);
  }

  var api = {start: start, state: state, CONFIG: CONFIG, EPOCHS: EPOCHS};
  root.NNDrawDemo = api;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})(this);
