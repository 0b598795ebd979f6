/* bench/lib/peers.js — the training loops of every JavaScript contender, shared by
 * Node (require) and the bench page (classic script: window.NNBenchPeers).
 *
 * Every contender trains the same task: 64 → H → 10, ReLU, softmax + cross-entropy,
 * plain SGD lr 0.1, shuffled mini-batches of 32 (the last one of an epoch smaller),
 * on exactly the training rows given (the split our core makes with seed 1).
 * Only training is timed: each epoch is one timed interval; evaluation comes after.
 *
 *   runOurs(core, data, split, opts)     core = NNMath.load(...) result
 *   runTfjs(tf, data, split, opts)       tf with the backend already set
 *   runConvnet(convnetjs, data, split, opts)
 *   opts = {hidden, epochs, runs, now}  (now() -> milliseconds, high resolution)
 *   -> {runs: [{epochMs: [...], testAcc, trainAcc}], notes: [...]}
 *
 * data = {count, pixels: Uint8Array(count*64) 0..16, labels: Uint8Array(count)};
 * inputs are pixel/16.  split = {train: [...rows], test: [...rows]}.
 */
(function (root, factory) {
  'use strict';
  var api = factory();
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNBenchPeers = api;
})(typeof globalThis !== 'undefined' ? globalThis : this, function () {
  'use strict';

  // ---- helpers ---------------------------------------------------------------
  function mulberry32(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6D2B79F5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffleInPlace(a, rnd) {
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(rnd() * (i + 1));
      var t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }

  /* The same initial distributions as our core: He U(±sqrt(6/in)) for the ReLU layer,
   * Glorot U(±sqrt(6/(in+out))) for the output layer, biases 0.  W is out×in row-major. */
  function initParams(hidden, seed) {
    var rnd = mulberry32(seed);
    function u(n, bound) {
      var w = new Float32Array(n);
      for (var i = 0; i < n; i++) w[i] = (2 * rnd() - 1) * bound;
      return w;
    }
    return {
      W1: u(hidden * 64, Math.sqrt(6 / 64)), b1: new Float32Array(hidden),
      W2: u(10 * hidden, Math.sqrt(6 / (hidden + 10))), b2: new Float32Array(10)
    };
  }

  function gatherX(data, rows) {
    var x = new Float32Array(rows.length * 64);
    for (var i = 0; i < rows.length; i++) {
      var off = rows[i] * 64;
      for (var k = 0; k < 64; k++) x[i * 64 + k] = data.pixels[off + k] / 16;
    }
    return x;
  }
  function gatherY(data, rows) {
    var y = new Int32Array(rows.length);
    for (var i = 0; i < rows.length; i++) y[i] = data.labels[rows[i]];
    return y;
  }

  function median(a) {
    var s = Array.prototype.slice.call(a).sort(function (p, q) { return p - q; });
    var n = s.length;
    if (!n) return NaN;
    return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  function sameRows(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  // ---- ours: the wasm core through the wrapper ---------------------------------
  function runOurs(core, data, split, opts) {
    var ds = core.dataset({pixels: data.pixels, labels: data.labels, scale: 'unit'});
    ds.split({testFraction: 0.2, seed: 1});
    var notes = [];
    if (split && !(sameRows(ds.rows('train'), split.train) && sameRows(ds.rows('test'), split.test)))
      throw new Error('the core\'s split differs from split.json');
    var runs = [];
    try {
      for (var r = 0; r < opts.runs; r++) {
        /* opts.paired (Node only): {name: fn} measurements of the machine (its peak in
         * GFLOP/s, our native build's ms per epoch) taken just before and just after
         * each run, so that the run can be set against the speed the machine had at
         * that moment: run[name + 'Before'], run[name + 'After'] */
        var before = {};
        for (var k in opts.paired || {}) before[k] = opts.paired[k]();
        var net = core.network({layers: [64, opts.hidden, 10], activation: 'relu', output: 'softmax',
          cost: 'xent', optimizer: 'sgd', lr: 0.1, batch: 32, seed: 1, shuffle: true}, ds);
        var epochMs = [];
        for (var e = 0; e < opts.epochs; e++) {
          var t0 = opts.now();
          net.trainEpoch();
          epochMs.push(opts.now() - t0);
        }
        var run = {epochMs: epochMs, testAcc: net.evaluate('test').accuracy,
          trainAcc: net.evaluate('train').accuracy};
        net.dispose();
        for (var k2 in opts.paired || {}) { run[k2 + 'Before'] = before[k2]; run[k2 + 'After'] = opts.paired[k2](); }
        runs.push(run);
      }
    } finally {
      ds.dispose();
    }
    return {runs: runs, notes: notes};
  }

  /* Train until the test accuracy reaches `target` (evaluated after each epoch, not
   * timed) or maxEpochs; returns the training time (only trainEpoch calls) until then. */
  function oursTimeToAccuracy(core, data, cfg, target, maxEpochs, now) {
    var ds = core.dataset({pixels: data.pixels, labels: data.labels, scale: 'unit'});
    ds.split({testFraction: 0.2, seed: 1});
    var net = core.network(cfg, ds);
    var trainMs = 0, history = [], reachedAt = null, best = 0;
    for (var e = 1; e <= maxEpochs; e++) {
      var t0 = now();
      net.trainEpoch();
      trainMs += now() - t0;
      var acc = net.evaluate('test').accuracy;
      best = Math.max(best, acc);
      history.push({epoch: e, trainMs: trainMs, testAcc: acc});
      if (reachedAt === null && acc >= target) reachedAt = {epoch: e, trainMs: trainMs, testAcc: acc};
    }
    net.dispose(); ds.dispose();
    return {target: target, reached: reachedAt, bestTestAcc: best, history: history,
      totalTrainMs: trainMs, epochs: maxEpochs};
  }

  /* The cost landscape through the wrapper (net.landscape, C in src/nn_landscape.c), as the
   * landscape page does it: the Improved network after `epochs` epochs, a size×size grid over
   * the first `samples` training rows, random filter-normalised directions.  Timed twice:
   * the bare C work (computeRow for every row, one task) and ls.compute() as the page calls it
   * (budgetMs 10, yielding a macrotask between steps).  Returns null when the wrapper has no
   * landscape (older builds). */
  async function oursLandscape(core, data, cfg, epochs, opts, now) {
    var ds = core.dataset({pixels: data.pixels, labels: data.labels, scale: 'unit'});
    ds.split({testFraction: 0.2, seed: 1});
    var net = core.network(cfg, ds);
    try {
      if (typeof net.landscape !== 'function') return null;
      for (var e = 0; e < epochs; e++) net.trainEpoch();
      var warm = net.landscape({size: opts.size, samples: opts.samples, seed: 2}); // warm-up (tier-up)
      for (var i0 = 0; i0 < warm.size; i0++) warm.computeRow(i0);
      warm.dispose();
      var ls = net.landscape({size: opts.size, samples: opts.samples, seed: 1, rows: 'train'});
      var t0 = now();
      for (var i = 0; i < ls.size; i++) ls.computeRow(i);
      var bareMs = now() - t0, rows = ls.rows.length, finite = Array.prototype.every.call(ls.values, isFinite);
      ls.dispose();
      var ls2 = net.landscape({size: opts.size, samples: opts.samples, seed: 1, rows: 'train'});
      var t1 = now();
      await ls2.compute({budgetMs: 10});
      var pagedMs = now() - t1;
      ls2.dispose();
      return {size: opts.size, points: opts.size * opts.size, rowsPerPoint: rows, bareMs: bareMs,
        computeMs: pagedMs, finite: finite, epochs: epochs,
        forwardPasses: opts.size * opts.size * rows};
    } finally {
      net.dispose(); ds.dispose();
    }
  }

  /* A stand-in for the page's loss landscape (not implemented in the page yet): the
   * mean training cost on a grid×grid of points w + a·d1 + b·d2 around the weights
   * after `epochs` of training, d1, d2 random directions scaled to the weights. */
  function oursLandscapeProxy(core, data, cfg, epochs, grid, now) {
    var ds = core.dataset({pixels: data.pixels, labels: data.labels, scale: 'unit'});
    ds.split({testFraction: 0.2, seed: 1});
    var net = core.network(cfg, ds);
    for (var e = 0; e < epochs; e++) net.trainEpoch();
    var P = net.params.length, rnd = mulberry32(7);
    var w0 = Float32Array.from(net.params), d1 = new Float32Array(P), d2 = new Float32Array(P);
    for (var i = 0; i < P; i++) { d1[i] = (2 * rnd() - 1) * 0.5; d2[i] = (2 * rnd() - 1) * 0.5; }
    var t0 = now(), costs = [];
    for (var a = 0; a < grid; a++) {
      for (var b = 0; b < grid; b++) {
        var s = (a / (grid - 1)) * 2 - 1, t = (b / (grid - 1)) * 2 - 1, p = net.params;
        for (var k = 0; k < P; k++) p[k] = w0[k] + s * d1[k] + t * d2[k];
        costs.push(net.cost('train'));
      }
    }
    var ms = now() - t0, rows = ds.rows('train').length;
    net.dispose(); ds.dispose();
    return {grid: grid, points: grid * grid, ms: ms, rowsPerPoint: rows,
      finite: costs.every(function (c) { return isFinite(c); })};
  }

  // ---- TensorFlow.js: raw variables + tf.train.sgd (its lowest-overhead training path) ----
  function runTfjs(tf, data, split, opts) {
    var trainRows = Array.prototype.slice.call(split.train), testRows = split.test;
    var n = trainRows.length, H = opts.hidden;
    var Xtr = tf.tensor2d(gatherX(data, trainRows), [n, 64]);
    var Ytr = tf.tidy(function () { return tf.oneHot(tf.tensor1d(gatherY(data, trainRows), 'int32'), 10).toFloat(); });
    var Xte = tf.tensor2d(gatherX(data, testRows), [testRows.length, 64]);
    var yte = gatherY(data, testRows);
    var runs = [];
    function accuracy(vars, X, y) {
      var pred = tf.tidy(function () {
        var h = tf.relu(tf.add(tf.matMul(X, vars.W1, false, true), vars.b1));
        return tf.argMax(tf.add(tf.matMul(h, vars.W2, false, true), vars.b2), 1);
      });
      var p = pred.dataSync(), c = 0;
      for (var i = 0; i < y.length; i++) if (p[i] === y[i]) c++;
      pred.dispose();
      return c / y.length;
    }
    for (var r = 0; r < opts.runs; r++) {
      var init = initParams(H, 1 + r);
      // W kept out×in like ours: logits = X·Wᵀ + b
      var vars = {
        W1: tf.variable(tf.tensor2d(init.W1, [H, 64])), b1: tf.variable(tf.tensor1d(init.b1)),
        W2: tf.variable(tf.tensor2d(init.W2, [10, H])), b2: tf.variable(tf.tensor1d(init.b2))
      };
      var varList = [vars.W1, vars.b1, vars.W2, vars.b2];
      var opt = tf.train.sgd(0.1);
      var rnd = mulberry32(100 + r), order = new Int32Array(n);
      var epochMs = [];
      for (var e = 0; e < opts.epochs; e++) {
        var t0 = opts.now();
        for (var i = 0; i < n; i++) order[i] = i;
        shuffleInPlace(order, rnd);
        var perm = tf.tensor1d(order, 'int32');
        var Xs = tf.gather(Xtr, perm), Ys = tf.gather(Ytr, perm);
        perm.dispose();
        var last = null;
        for (var s = 0; s < n; s += 32) {
          var m = Math.min(32, n - s);
          if (last) last.dispose();
          last = tf.tidy(function () {
            var xb = Xs.slice([s, 0], [m, 64]), yb = Ys.slice([s, 0], [m, 10]);
            return opt.minimize(function () {
              var h = tf.relu(tf.add(tf.matMul(xb, vars.W1, false, true), vars.b1));
              var logits = tf.add(tf.matMul(h, vars.W2, false, true), vars.b2);
              return tf.losses.softmaxCrossEntropy(yb, logits);
            }, true, varList);
          });
        }
        last.dataSync(); // make sure the epoch's work is done before stopping the clock
        last.dispose(); Xs.dispose(); Ys.dispose();
        epochMs.push(opts.now() - t0);
      }
      runs.push({epochMs: epochMs, testAcc: accuracy(vars, Xte, yte),
        trainAcc: accuracy(vars, Xtr, gatherY(data, trainRows))});
      varList.forEach(function (v) { v.dispose(); });
      opt.dispose();
    }
    Xtr.dispose(); Ytr.dispose(); Xte.dispose();
    return {runs: runs, notes: ['custom training loop: tf.variable weights, tf.train.sgd(0.1).minimize per batch of 32 ' +
      '(tf.losses.softmaxCrossEntropy, mean over the batch); each epoch gathers a shuffled copy of the pre-made tensors']};
  }

  // ---- ConvNetJS 0.3 --------------------------------------------------------------
  function runConvnet(convnetjs, data, split, opts) {
    var trainRows = split.train, testRows = split.test, H = opts.hidden;
    function vols(rows) {
      var v = [];
      for (var i = 0; i < rows.length; i++) {
        var vol = new convnetjs.Vol(1, 1, 64, 0.0), off = rows[i] * 64;
        for (var k = 0; k < 64; k++) vol.w[k] = data.pixels[off + k] / 16;
        v.push(vol);
      }
      return v;
    }
    var Vtr = vols(trainRows), Vte = vols(testRows);
    var ytr = gatherY(data, trainRows), yte = gatherY(data, testRows);
    function accuracy(net, V, y) {
      var c = 0;
      for (var i = 0; i < V.length; i++) {
        net.forward(V[i], false);
        if (net.getPrediction() === y[i]) c++;
      }
      return c / V.length;
    }
    var runs = [];
    for (var r = 0; r < opts.runs; r++) {
      var net = new convnetjs.Net();
      net.makeLayers([
        {type: 'input', out_sx: 1, out_sy: 1, out_depth: 64},
        {type: 'fc', num_neurons: H, activation: 'relu'},
        {type: 'softmax', num_classes: 10}
      ]);
      // the same initial distributions as ours (ConvNetJS would start biases at 0.1)
      var init = initParams(H, 1 + r), fcs = net.layers.filter(function (L) { return L.layer_type === 'fc'; });
      [[init.W1, init.b1, 64], [init.W2, init.b2, H]].forEach(function (wb, l) {
        var L = fcs[l];
        for (var j = 0; j < L.filters.length; j++) {
          for (var k = 0; k < wb[2]; k++) L.filters[j].w[k] = wb[0][j * wb[2] + k];
          L.biases.w[j] = wb[1][j];
        }
      });
      var trainer = new convnetjs.Trainer(net, {method: 'sgd', learning_rate: 0.1, batch_size: 32,
        momentum: 0.0, l1_decay: 0.0, l2_decay: 0.0});
      var rnd = mulberry32(100 + r), order = new Int32Array(Vtr.length);
      var epochMs = [];
      for (var e = 0; e < opts.epochs; e++) {
        var t0 = opts.now();
        for (var i = 0; i < order.length; i++) order[i] = i;
        shuffleInPlace(order, rnd);
        for (i = 0; i < order.length; i++) trainer.train(Vtr[order[i]], ytr[order[i]]);
        epochMs.push(opts.now() - t0);
      }
      runs.push({epochMs: epochMs, testAcc: accuracy(net, Vte, yte), trainAcc: accuracy(net, Vtr, ytr)});
    }
    return {runs: runs, notes: ['convnetjs.Trainer sgd, batch_size 32, momentum 0, l2_decay 0: trains one sample ' +
      'per call and updates every 32 samples (its batch counter runs across epochs, so 1 438 = 44·32 + 30 ' +
      'leaves a batch straddling two epochs); weights initialised like ours, biases 0']};
  }

  return {
    mulberry32: mulberry32, shuffleInPlace: shuffleInPlace, initParams: initParams,
    gatherX: gatherX, gatherY: gatherY, median: median, sameRows: sameRows,
    runOurs: runOurs, oursTimeToAccuracy: oursTimeToAccuracy, oursLandscape: oursLandscape,
    oursLandscapeProxy: oursLandscapeProxy,
    runTfjs: runTfjs, runConvnet: runConvnet
  };
});
