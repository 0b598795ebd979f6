/* nnmath — the standalone experiments page (experiments.html; browser only; global NNExperimentsPage).
 * Loads the core, mounts the comparison bench (NNExperimentsUI) and the save/load panel
 * (NNModelPanel), and keeps one "current model" for the panel: the lesson's "Improved" network
 * (64 → 32 → 10, ReLU, cross-entropy, SGD η = 0.1, batches of 32, seed 1), which can be trained
 * here a few epochs at a time, replaced by a network from a comparison ("Use this network"), or
 * by a loaded file.  The main lesson page does the same with its own network instead.
 *
 * NNExperimentsPage.state = {core, digits, datasets, net, epochs, phase}   (read-only, for tests)
 * NNExperimentsPage.predict(rows) -> the current model's outputs for test rows (for tests)
 */
(function (root) {
  'use strict';

  var CONFIG = {layers: [64, 32, 10], activation: 'relu', cost: 'xent', output: 'softmax', optimizer: 'sgd',
    lr: 0.1, batch: 32, seed: 1, shuffle: true};
  var TRAIN_EPOCHS = 5, SLICE_MS = 10;
  var state = {core: null, digits: null, datasets: {}, net: null, baseEpochs: 0, phase: 'loading', experiments: null,
    panel: null};

  /** Epochs the current model has trained: before it came here (a file, a comparison) + here. */
  function epochs() { return state.net ? state.baseEpochs + state.net.epoch : 0; }

  function $(id) { return document.getElementById(id); }

  function now() { return root.performance && root.performance.now ? root.performance.now() : Date.now(); }

  function dataset(scale) {
    var s = scale === 'raw' ? 'raw' : 'unit';
    if (!state.datasets[s]) {
      var d = state.core.dataset({pixels: state.digits.pixels, labels: state.digits.labels, scale: s});
      d.split({testFraction: 0.2, seed: 1});
      state.datasets[s] = d;
    }
    return state.datasets[s];
  }

  function setPhase(phase, text) {
    state.phase = phase;
    var el = $('model-status');
    if (el) {
      el.setAttribute('data-state', phase);
      el.textContent = text;
    }
    var btn = $('model-train');
    if (btn) btn.disabled = phase !== 'ready' || !state.net;
    if (state.panel) state.panel.update({busy: phase === 'training'});
  }

  function describe() {
    var net = state.net;
    if (!net) return 'No model.';
    var ev = net.evaluate('test');
    var n = epochs();
    return (n ? 'Trained for ' + n + (n === 1 ? ' epoch' : ' epochs') : 'Not trained yet') + ': it recognises ' +
      (100 * ev.accuracy).toFixed(1) + '% of the test digits (' + ev.correct + ' of ' + ev.count + ').';
  }

  /** Make `net` the current model (the old one is freed). */
  function adopt(net, trainedEpochs) {
    var old = state.net;
    state.net = net;
    state.baseEpochs = trainedEpochs || 0;
    if (old && old !== net) old.dispose();
    setPhase('ready', describe());
  }

  function trainMore() {
    var net = state.net;
    if (!net || state.phase !== 'ready') return;
    var target = net.epoch + TRAIN_EPOCHS, base = state.baseEpochs;
    setPhase('training', 'Training: epoch ' + (base + net.epoch + 1) + ' of ' + (base + target) + '…');
    function slice() {
      if (net !== state.net) return;
      var t0 = now();
      try {
        while (net.epoch < target && now() - t0 < SLICE_MS) net.trainSteps(Math.min(8, net.stepsPerEpoch - net.step));
      } catch (e) {
        setPhase('ready', 'Training stopped: ' + e.message + ' ' + describe());
        return;
      }
      if (net.epoch < target) {
        var el = $('model-status');
        if (el) el.textContent = 'Training: epoch ' + (base + net.epoch + 1) + ' of ' + (base + target) + '…';
        root.setTimeout(slice, 0);
        return;
      }
      setPhase('ready', describe());
    }
    slice();
  }

  function predict(rows) {
    var net = state.net, d = net.dataset;
    return rows.map(function (r) { return Array.from(net.predict(d.pixels(r))); });
  }

  function fail(e) {
    var msg = 'The network core could not be loaded: ' + ((e && e.message) || String(e));
    setPhase('error', msg);
    var s = $('experiments-loading');
    if (s) { s.textContent = msg; s.hidden = false; }
    if (state.experiments) state.experiments.update({coreError: msg});
  }

  function start() {
    var expMount = $('experiments-mount'), saveMount = $('save-mount');
    if (!root.NNMath || !root.NNMATH_DIGITS) { fail(new Error('js/nnmath.js or js/digits-data.js is missing.')); return; }
    if (expMount && root.NNExperimentsUI) {
      state.experiments = root.NNExperimentsUI.mount(expMount, {heading: false, headingLevel: 2,
        onUseNetwork: function (m) {
          if (state.phase === 'training') throw new Error('wait until the current model has finished training.');
          var net = state.core.network(m.config, dataset(m.scale));
          try { net.fromJSON(m.json); } catch (e) { net.dispose(); throw e; }
          adopt(net, m.epochs);
        }});
    }
    var trainBtn = $('model-train');
    if (trainBtn) trainBtn.addEventListener('click', trainMore);
    root.NNMath.load({simd: 'auto'}).then(function (core) {
      state.core = core;
      state.digits = root.NNMath.decodeDigits(root.NNMATH_DIGITS);
      state.net = core.network(CONFIG, dataset('unit'));
      if (state.experiments) state.experiments.update({core: core, digits: state.digits});
      if (saveMount && root.NNModelPanel) {
        state.panel = root.NNModelPanel.mount(saveMount, {
          headingLevel: 3, heading: false,
          getNetwork: function () { return state.net; },
          getInfo: function () { return {epochs: epochs(), scale: state.net.dataset.scale}; },
          createNetwork: function (model) { return core.network(model.config, dataset(model.data.scale)); },
          onLoad: function (net, model) {
            if (state.phase === 'training') throw new Error('Wait until the current model has finished training.');
            adopt(net, model.trained.epochs);
          }
        });
      }
      var loadingEl = $('experiments-loading');
      if (loadingEl) loadingEl.hidden = true;
      setPhase('ready', describe());
      document.documentElement.setAttribute('data-experiments-ready', 'true');
    }).catch(fail);
  }

  root.NNExperimentsPage = {state: state, predict: predict, epochs: epochs, CONFIG: CONFIG};
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})(this);
