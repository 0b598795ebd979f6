/* nnmath — the standalone page web/backprop.html: loads the core and the digits, trains the
 * "improved" network (64,32,10, ReLU, softmax, cross-entropy, SGD 0.1, batch 32) for 2 epochs in
 * small slices, then mounts NNBackprop on the first test digit.  The digit can be changed in ?digit=N.
 * Classic script: window.NNBackpropPage = {instance, net} once ready; <html data-backprop-ready>.
 */
(function (root) {
  'use strict';
  var doc = root.document;
  var CONFIG = { layers: [64, 32, 10], activation: 'relu', output: 'softmax', cost: 'xent', optimizer: 'sgd',
    lr: 0.1, batch: 32, seed: 1 };
  var EPOCHS = 2, SLICE_MS = 8;
  var api = { instance: null, net: null, core: null };
  root.NNBackpropPage = api;

  function later(fn) {
    if (root.requestAnimationFrame && !doc.hidden) root.requestAnimationFrame(fn);
    else root.setTimeout(fn, 0);
  }

  function train(net, epochs, onProgress) {
    var target = net.epoch + epochs, total = epochs * net.stepsPerEpoch, done = 0;
    return new Promise(function (resolve, reject) {
      function tick() {
        var t0 = performance.now();
        try {
          while (net.epoch < target && performance.now() - t0 < SLICE_MS) { net.trainSteps(1); done++; }
        } catch (e) { reject(e); return; }
        onProgress(done / total);
        if (net.epoch >= target) resolve(); else later(tick);
      }
      later(tick);
    });
  }

  function start() {
    var status = doc.getElementById('nnb-train-status'), mountEl = doc.getElementById('nnb-mount');
    if (!root.NNMath || !root.NNBackprop) { status.textContent = 'A script of this page is missing.'; return; }
    var digits;
    try { digits = root.NNMath.decodeDigits(root.NNMATH_DIGITS); } catch (e) {
      status.textContent = 'The digits (js/digits-data.js) could not be read: ' + e.message;
      return;
    }
    var m = /[?&]digit=(\d+)/.exec(root.location.search || '');
    root.NNMath.load({ simd: 'auto', coreDir: 'js/' }).then(function (core) {
      api.core = core;
      var ds = core.dataset({ pixels: digits.pixels, labels: digits.labels, scale: 'unit' });
      ds.split({ testFraction: 0.2, seed: 1 });
      var net = core.network(CONFIG, ds);
      api.net = net;
      var digit = m ? Math.min(ds.count - 1, Number(m[1])) : ds.rows('test')[0];
      status.textContent = 'Training the network (64 → 32 → 10, ReLU, softmax, cross-entropy) for ' + EPOCHS + ' epochs…';
      return train(net, EPOCHS, function (p) { status.textContent = 'Training the network… ' + Math.round(100 * p) + '%'; }).then(function () {
        var ev = net.evaluate('test');
        status.textContent = 'The network was trained for ' + net.epoch + ' epochs: ' + (100 * ev.accuracy).toFixed(1) +
          '% of the test digits right. (Digit numbers are rows of the 1,797 digits; the first test digit is chosen.)';
        api.instance = root.NNBackprop.mount(mountEl, { net: net, digit: digit, headingLevel: 3 });
        doc.documentElement.setAttribute('data-backprop-ready', 'true');
      });
    }).catch(function (e) {
      status.textContent = 'The calculator (WebAssembly) could not start: ' + ((e && e.message) || e);
    });
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})(typeof window !== 'undefined' ? window : this);
