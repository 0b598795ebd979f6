// Logic of tests/browser/smoke.html (no inline scripts: CSP).  Loads the core,
// trains one epoch of 64,32,10 on the packaged digits, writes the result as
// JSON into #result and sets data-status to "done" or "error".
(function () {
  'use strict';
  var out = document.getElementById('result');
  function finish(status, obj) {
    out.textContent = JSON.stringify(obj);
    out.setAttribute('data-status', status);
  }
  var m = /[?&]simd=(auto|true|false)/.exec(location.search);
  var simd = !m || m[1] === 'auto' ? 'auto' : m[1] === 'true';
  var t0 = performance.now();
  NNMath.load({ simd: simd, coreDir: 'js/' }).then(function (core) {
    var t1 = performance.now();
    var d = NNMath.decodeDigits();
    var ds = core.dataset({ pixels: d.pixels, labels: d.labels, scale: 'unit' });
    ds.split({ testFraction: 0.2, seed: 1 });
    var net = core.network({ layers: [64, 32, 10], activation: 'relu', cost: 'xent', lr: 0.1, batch: 32, seed: 1 }, ds);
    var t2 = performance.now();
    var st = net.trainEpoch();
    var t3 = performance.now();
    var ev = net.evaluate('test');
    var tr = net.trace(0);
    finish('done', {
      simd: core.simd, simdSupported: NNMath.simdSupported(), epoch: st.epoch,
      stepsPerEpoch: st.stepsPerEpoch, testCost: ev.cost, testAccuracy: ev.accuracy, testCount: ev.count,
      tracePredicted: tr.predicted, traceLabel: tr.label, params: net.params.length,
      loadMs: t1 - t0, epochMs: t3 - t2
    });
    net.dispose();
    ds.dispose();
  }).catch(function (e) {
    finish('error', { name: e && e.name, code: e && e.code, message: String(e && e.message || e) });
  });
})();
