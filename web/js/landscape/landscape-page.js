/* nnmath — the standalone page web/landscape.html: loads the core and the digits, trains the
 * "improved" network (64,32,10, ReLU, softmax, cross-entropy, SGD 0.1, batch 32) for a few
 * epochs in small slices (the page stays responsive), recording the path, then mounts
 * NNLandscape and computes the landscape.  "Train one more epoch" trains on (the drawn landscape
 * then says it is out of date).
 * Classic script: window.NNLandscapePage = {instance, net} once ready; <html data-landscape-ready>.
 */
(function (root) {
  'use strict';
  var doc = root.document;
  var CONFIG = { layers: [64, 32, 10], activation: 'relu', output: 'softmax', cost: 'xent', optimizer: 'sgd',
    lr: 0.1, batch: 32, seed: 1 };
  var FIRST_EPOCHS = 3, RECORD_EVERY = 3, SLICE_MS = 8;
  var api = { instance: null, net: null, core: null };
  root.NNLandscapePage = api;

  function $(id) { return doc.getElementById(id); }

  function nextTask(value) {
    return new Promise(function (resolve) { root.setTimeout(function () { resolve(value); }, 0); });
  }

  // each training slice is a task of its own, not part of an animation frame (a frame also has
  // the page's layout and drawing to do)
  function later(fn) { root.setTimeout(fn, 0); }

  /* Train up to `epochs` more epochs in slices; calls onStep every RECORD_EVERY steps. */
  function train(net, epochs, onStep, onProgress) {
    var target = net.epoch + epochs, total = epochs * net.stepsPerEpoch, done = 0;
    return new Promise(function (resolve, reject) {
      function tick() {
        var t0 = performance.now();
        try {
          while (net.epoch < target && performance.now() - t0 < SLICE_MS) {
            net.trainSteps(1);
            done++;
            if (done % RECORD_EVERY === 0) onStep();
          }
        } catch (e) { reject(e); return; }
        onProgress(done / total);
        if (net.epoch >= target) { onStep(); resolve(); } else later(tick);
      }
      onStep();
      later(tick);
    });
  }

  function start() {
    var status = $('nnl-train-status'), bar = $('nnl-train-progress'), more = $('nnl-train-more'), mountEl = $('nnl-mount');
    if (!root.NNMath || !root.NNLandscape) { status.textContent = 'A script of this page is missing.'; return; }
    var digits;
    try { digits = root.NNMath.decodeDigits(root.NNMATH_DIGITS); } catch (e) {
      status.textContent = 'The digits (js/digits-data.js) could not be read: ' + e.message;
      return;
    }
    // The start-up work runs in tasks of its own (the data and the network; the view; each training
    // slice; the evaluation; the first slice of the landscape), so that no task blocks the page
    // for long on a slow computer.
    root.NNMath.load({ simd: 'auto', coreDir: 'js/' }).then(function (core) {
      api.core = core;
      var ds = core.dataset({ pixels: digits.pixels, labels: digits.labels, scale: 'unit' });
      ds.split({ testFraction: 0.2, seed: 1 });
      api.net = core.network(CONFIG, ds);
      return nextTask(api.net);
    }).then(function (net) {
      var inst = root.NNLandscape.mount(mountEl, { net: net, headingLevel: 3 });
      api.instance = inst;
      function run(epochs, computeAfter) {
        more.disabled = true;
        bar.hidden = false;
        status.textContent = 'Training the network (64 → 32 → 10, ReLU, cross-entropy) for ' + epochs + (epochs === 1 ? ' epoch' : ' epochs') + '…';
        return train(net, epochs, function () { inst.update({ net: net }); }, function (p) { bar.value = p; }).then(function () {
          var ev = net.evaluate('test');
          status.textContent = 'Trained for ' + net.epoch + (net.epoch === 1 ? ' epoch' : ' epochs') + ': ' +
            (100 * ev.accuracy).toFixed(1) + '% of the test digits right, test cost ' + ev.cost.toFixed(3) + '.';
          bar.hidden = true;
          return nextTask().then(function () {
            more.disabled = false;
            inst.update({ net: net, compute: computeAfter });
          });
        }, function (e) {
          status.textContent = 'Training stopped: ' + ((e && e.message) || e);
          more.disabled = false;
        });
      }
      more.addEventListener('click', function () { run(1, false); });
      return run(FIRST_EPOCHS, true).then(function () {
        doc.documentElement.setAttribute('data-landscape-ready', 'true');
      });
    }).catch(function (e) {
      status.textContent = 'The calculator (WebAssembly) could not start: ' + ((e && e.message) || e);
    });
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})(typeof window !== 'undefined' ? window : this);
