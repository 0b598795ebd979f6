/* nnmath — experiments side by side: the engine (no DOM).  Classic script: browser global
 * NNExperiments; in Node `require('web/js/experiments/experiments.js')` returns the same object.
 *
 * A comparison trains two to five networks that differ in ONE setting, from the same starting point
 * as far as the setting allows, and measures them after every epoch on the same test digits.
 *
 *   var spec = NNExperiments.presetSpec('cost');   // or build one: {base, vary, values, epochs}
 *   var plan = NNExperiments.makePlan(spec);       // -> {ok, problems, runs, sharing, xAxis, ...}
 *   var cmp = NNExperiments.createComparison(core, digits, plan);
 *   cmp.step(10)   // about 10 ms of training, interleaving the runs -> status
 *   cmp.compute({budgetMs, onProgress, yield}) -> Promise<cmp>  (steps until done or cancel())
 *   cmp.runs[i] = {label, value, config, data, net, dataset, points: [...], start, status, error}
 *   cmp.initial[i] = Float32Array copy of run i's parameters before training
 *   NNExperiments.explain(cmp) -> {why: [paragraphs], happened: [sentences]}
 *   cmp.dispose()
 *
 * Same start, same batches.  The core draws the initial weights from one random stream and the
 * batch order from another, both seeded by config.seed (see src/nnmath.h).  So:
 *   - runs with the same layer sizes get EXACTLY the same initial weights: the first run's are
 *     copied into the others (needed because sigmoid/tanh use Xavier and ReLU uses He scaling, and
 *     harmless otherwise);
 *   - networks of different sizes cannot share weights: each is drawn from the same seed;
 *   - runs with the same seed and the same training digits see the digits in the same order (with
 *     another batch size the order is the same, the grouping into batches differs);
 *   - comparing seeds is the exception: there nothing is shared, that is the point.
 * Every data set is split like the lesson (20 % test digits, split seed 1), so every run is measured
 * on the same 359 test digits; "raw" and "scaled" data sets hold the same rows; a smaller training
 * set keeps the first n rows of the training list (dataset.limitTrain).
 *
 * Points.  Normally one point per epoch (x = epoch).  When the training-set size is compared, an
 * epoch of 100 digits is only 4 steps, so every run gets the same number of steps instead: one
 * point per pass over the LARGEST training set (x = "epochs of the full training set").
 */
(function (root, factory) {
  'use strict';
  var NNMath = root && root.NNMath;
  if (typeof module === 'object' && module && module.exports) {
    if (!NNMath) NNMath = require('../nnmath.js');
    module.exports = factory(root, NNMath);
  } else {
    root.NNExperiments = factory(root, NNMath);
  }
})(typeof globalThis !== 'undefined' ? globalThis : this, function (root, NNMath) {
  'use strict';

  /** The wrapper, looked up when needed (so the load order of the scripts does not matter). */
  function nn() {
    var m = NNMath || root.NNMath;
    if (!m) throw new Error('NNExperiments needs NNMath (js/nnmath.js).');
    return m;
  }

  var TEST_FRACTION = 0.2, SPLIT_SEED = 1;
  var MIN_RUNS = 2, MAX_RUNS = 5, MAX_EPOCHS = 50, MAX_HIDDEN_WIDTH = 128, MAX_HIDDEN_LAYERS = 4;
  var TRAIN_MAX = 1438, TEST_COUNT = 359; // 1,797 digits: a stratified 20 % (359) held out for testing

  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function isInt(v) { return typeof v === 'number' && Number.isInteger(v); }

  function fmtNum(v) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
    return String(Number(v.toPrecision(6)));
  }
  function thousands(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }

  /* ------------------------------------------------------------------ the settings */
  // Each setting: label, kind ('enum' | 'number' | 'int' | 'hidden' | 'size'), the choices or the
  // range, how one value is named in a legend, and a short help text.
  var SETTINGS = {
    cost: {label: 'Cost', kind: 'enum',
      choices: [['mse', 'Squared error (sigmoid outputs)'], ['xent', 'Cross-entropy (softmax outputs)']],
      name: function (v) { return v === 'xent' ? 'Cross-entropy' : 'Squared error'; },
      help: 'How wrong an answer counts. Each cost comes with its natural output layer.'},
    activation: {label: 'Hidden activation', kind: 'enum',
      choices: [['sigmoid', 'Sigmoid'], ['tanh', 'tanh'], ['relu', 'ReLU']],
      name: function (v) { return v === 'relu' ? 'ReLU' : (v === 'tanh' ? 'tanh' : 'Sigmoid'); },
      help: 'The function f in a = f(w·x + b) for the hidden neurons.'},
    hidden: {label: 'Hidden neurons', kind: 'hidden',
      name: function (v) {
        if (!v.length) return 'No hidden layer';
        return v.join(', ') + (v.length === 1 && v[0] === 1 ? ' hidden neuron' : ' hidden neurons');
      },
      help: 'Neurons in each hidden layer, e.g. 32, or 32, 16 for two layers (1 to 128 each; empty = none).'},
    lr: {label: 'Learning rate η', kind: 'number', min: 0.0001, max: 10,
      name: function (v) { return 'η = ' + fmtNum(v); },
      help: 'The step size in w ← w − η·∂C/∂w (0.0001 to 10).'},
    batch: {label: 'Batch size', kind: 'int', min: 0, max: TRAIN_MAX,
      name: function (v) { return v === 0 ? 'Whole set per step' : (v === 1 ? '1 digit per step' : 'Batches of ' + v); },
      help: 'Digits per step (0 = all training digits in every step).'},
    optimizer: {label: 'Optimizer', kind: 'enum',
      choices: [['sgd', 'Gradient descent (SGD)'], ['momentum', 'Momentum'], ['adam', 'Adam']],
      name: function (v) { return v === 'adam' ? 'Adam' : (v === 'momentum' ? 'Momentum' : 'SGD'); },
      help: 'How a step is made from the gradient.'},
    momentum: {label: 'Momentum', kind: 'number', min: 0, max: 0.99,
      name: function (v) { return 'Momentum ' + fmtNum(v); },
      help: 'Only used by Momentum and Adam (0 to 0.99).'},
    weightDecay: {label: 'Weight decay λ', kind: 'number', min: 0, max: 1,
      name: function (v) { return 'λ = ' + fmtNum(v); },
      help: 'Pulls every weight a little towards 0 in each step (0 = none, up to 1).'},
    seed: {label: 'Seed', kind: 'int', min: 0, max: 4294967295,
      name: function (v) { return 'Seed ' + v; },
      help: 'The random start: initial weights and the order of the digits.'},
    scale: {label: 'Inputs', kind: 'enum',
      choices: [['unit', 'Scaled: pixel ÷ 16 (0 to 1)'], ['raw', 'Raw: 0 to 16']],
      name: function (v) { return v === 'raw' ? 'Raw inputs 0..16' : 'Scaled inputs ÷16'; },
      help: 'What the network reads for each pixel.'},
    trainSize: {label: 'Training digits', kind: 'size', min: 10, max: TRAIN_MAX,
      name: function (v) { return v === 'all' ? 'All ' + thousands(TRAIN_MAX) + ' digits' : thousands(v) + ' digits'; },
      help: 'How many training digits the network learns from (10 to 1,438, or all).'}
  };
  var VARY_KEYS = ['cost', 'activation', 'hidden', 'lr', 'batch', 'optimizer', 'momentum', 'weightDecay',
    'seed', 'scale', 'trainSize'];

  var BASE_SIMPLE = {hidden: [32], activation: 'sigmoid', cost: 'mse', optimizer: 'sgd', lr: 0.1, momentum: 0.9,
    weightDecay: 0, batch: 32, seed: 1, scale: 'unit', trainSize: 'all'};
  var BASE_IMPROVED = {hidden: [32], activation: 'relu', cost: 'xent', optimizer: 'sgd', lr: 0.1, momentum: 0.9,
    weightDecay: 0, batch: 32, seed: 1, scale: 'unit', trainSize: 'all'};

  function copyBase(b) {
    var o = {};
    Object.keys(b).forEach(function (k) { o[k] = Array.isArray(b[k]) ? b[k].slice() : b[k]; });
    return o;
  }
  function override(b, extra) {
    var o = copyBase(b);
    Object.keys(extra || {}).forEach(function (k) { o[k] = extra[k]; });
    return o;
  }

  /* ------------------------------------------------------------------ ready-made comparisons */
  var PRESETS = [
    {id: 'cost', title: 'Squared error vs cross-entropy',
      blurb: 'The lesson’s central comparison: the same sigmoid network (64 → 32 → 10) learns with each cost.',
      base: override(BASE_SIMPLE, {}), vary: 'cost', values: ['mse', 'xent'], epochs: 10},
    {id: 'activation', title: 'Sigmoid vs ReLU',
      blurb: 'The same network with cross-entropy, once with sigmoid and once with ReLU hidden neurons.',
      base: override(BASE_IMPROVED, {}), vary: 'activation', values: ['sigmoid', 'relu'], epochs: 10},
    {id: 'hidden', title: '8 vs 32 vs 64 hidden neurons',
      blurb: 'Bigger networks: more weights to learn with (ReLU, cross-entropy).',
      base: override(BASE_IMPROVED, {}), vary: 'hidden', values: [[8], [32], [64]], epochs: 10},
    {id: 'lr', title: 'Learning rates',
      blurb: 'Tiny, moderate, large and far too large steps downhill (ReLU, cross-entropy).',
      base: override(BASE_IMPROVED, {}), vary: 'lr', values: [0.01, 0.1, 1, 3], epochs: 10},
    {id: 'scale', title: 'Scaled (÷16) vs raw inputs',
      blurb: 'The pixels as 0 to 1 or as the raw counts 0 to 16 (ReLU, cross-entropy).',
      base: override(BASE_IMPROVED, {}), vary: 'scale', values: ['unit', 'raw'], epochs: 10},
    {id: 'trainSize', title: 'Training-set sizes',
      blurb: 'Learning from 100, 500 or all 1,438 training digits, with the same number of steps.',
      base: override(BASE_IMPROVED, {}), vary: 'trainSize', values: [100, 500, 'all'], epochs: 10}
  ];

  function preset(id) {
    for (var i = 0; i < PRESETS.length; i++) if (PRESETS[i].id === id) return PRESETS[i];
    return null;
  }

  /** A fresh spec {base, vary, values, epochs, preset} for a ready-made comparison. */
  function presetSpec(id) {
    var p = preset(id);
    if (!p) throw new Error('No ready-made comparison "' + id + '".');
    return {preset: p.id, base: copyBase(p.base), vary: p.vary, epochs: p.epochs,
      values: p.values.map(function (v) { return Array.isArray(v) ? v.slice() : v; })};
  }

  /* ------------------------------------------------------------------ values */
  /** Check one value of a setting; returns {value} or {problem} (plain language). */
  function checkValue(key, v) {
    var s = SETTINGS[key];
    if (!s) return {problem: 'There is no setting called ' + JSON.stringify(String(key)) + '.'};
    var i;
    switch (s.kind) {
      case 'enum':
        for (i = 0; i < s.choices.length; i++) if (s.choices[i][0] === v) return {value: v};
        return {problem: s.label + ' must be one of: ' + s.choices.map(function (c) { return c[1]; }).join(', ') + '.'};
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v) || v < s.min || v > s.max) {
          return {problem: s.label + ' must be a number from ' + s.min + ' to ' + s.max + '.'};
        }
        if (key === 'lr' && !(v > 0)) return {problem: 'The learning rate must be greater than 0.'};
        return {value: v};
      case 'int':
        if (!isInt(v) || v < s.min || v > s.max) {
          return {problem: s.label + ' must be a whole number from ' + s.min + ' to ' + s.max + '.'};
        }
        return {value: v};
      case 'size':
        if (v === 'all') return {value: 'all'};
        if (!isInt(v) || v < s.min || v > s.max) {
          return {problem: s.label + ' must be a whole number from ' + s.min + ' to ' + thousands(s.max) + ', or all.'};
        }
        return {value: v === s.max ? 'all' : v};
      case 'hidden':
        if (!Array.isArray(v) || v.length > MAX_HIDDEN_LAYERS) {
          return {problem: 'Hidden neurons: give 0 to ' + MAX_HIDDEN_LAYERS + ' layer sizes, like 32 or 32, 16.'};
        }
        for (i = 0; i < v.length; i++) {
          if (!isInt(v[i]) || v[i] < 1 || v[i] > MAX_HIDDEN_WIDTH) {
            return {problem: 'Each hidden layer needs a whole number of neurons from 1 to ' + MAX_HIDDEN_WIDTH + '.'};
          }
        }
        return {value: v.slice()};
    }
    return {problem: 'Unknown setting.'};
  }

  /** Read a value typed into a form: returns {value} or {problem}. */
  function parseValue(key, text) {
    var s = SETTINGS[key];
    if (!s) return {problem: 'Unknown setting.'};
    var t = String(text === undefined || text === null ? '' : text).trim();
    if (s.kind === 'enum') return checkValue(key, t);
    if (s.kind === 'hidden') {
      if (t === '' || t === '0' || /^none$/i.test(t)) return {value: []};
      var parts = t.split(/[\s,;]+/).filter(function (x) { return x !== ''; });
      if (!parts.every(function (x) { return /^\d+$/.test(x); })) {
        return {problem: 'Hidden neurons: type whole numbers separated by commas, like 32 or 32, 16.'};
      }
      return checkValue(key, parts.map(Number));
    }
    if (s.kind === 'size' && /^all$/i.test(t)) return {value: 'all'};
    var n = Number(t.replace(/,/g, s.kind === 'number' ? '.' : ''));
    if (t === '' || !Number.isFinite(n)) {
      return {problem: s.label + ': type a number' + (s.kind === 'size' ? ' (or “all”)' : '') + '.'};
    }
    return checkValue(key, n);
  }

  /** A value as it is typed in a form. */
  function formatValue(key, v) {
    var s = SETTINGS[key];
    if (s && s.kind === 'hidden') return v.join(', ');
    if (typeof v === 'number') return fmtNum(v);
    return String(v);
  }

  function valueName(key, v) { return SETTINGS[key].name(v); }

  function sameValue(a, b) {
    if (Array.isArray(a) || Array.isArray(b)) {
      return Array.isArray(a) && Array.isArray(b) && a.length === b.length &&
        a.every(function (x, i) { return x === b[i]; });
    }
    return a === b;
  }

  /* ------------------------------------------------------------------ plans */
  function settingsToConfig(s) {
    return {layers: [64].concat(s.hidden, [10]), activation: s.activation, cost: s.cost,
      output: s.cost === 'xent' ? 'softmax' : 'sigmoid', optimizer: s.optimizer, lr: s.lr,
      momentum: s.momentum, weightDecay: s.weightDecay, batch: s.batch, seed: s.seed, shuffle: true};
  }

  /**
   * Check a spec and work out the runs.  spec = {base: {hidden, activation, cost, optimizer, lr,
   * momentum, weightDecay, batch, seed, scale, trainSize}, vary: key, values: [2..5 values],
   * epochs: 1..50}.  Returns {ok, problems, runs: [{label, value, config, data: {scale, trainSize}}],
   * vary, epochs, xAxis: 'epochs' | 'steps', sharing: {weights: 'copied' | 'seed' | 'none',
   * batches: 'same' | 'same-order' | 'different'}, notes: [plain sentences]}.
   */
  function makePlan(spec) {
    var problems = [];
    spec = spec || {};
    var vary = spec.vary, base = spec.base || {}, values = spec.values;
    if (VARY_KEYS.indexOf(vary) < 0) problems.push('Choose the setting to compare.');
    var settings = {};
    Object.keys(BASE_SIMPLE).forEach(function (k) {
      if (k === vary) return;
      var v = has(base, k) ? base[k] : BASE_SIMPLE[k];
      var r = checkValue(k, v);
      if (r.problem) problems.push(r.problem);
      else settings[k] = r.value;
    });
    var epochs = spec.epochs === undefined ? 10 : spec.epochs;
    if (!isInt(epochs) || epochs < 1 || epochs > MAX_EPOCHS) {
      problems.push('Epochs must be a whole number from 1 to ' + MAX_EPOCHS + '.');
    }
    var vals = [];
    if (!Array.isArray(values) || values.length < MIN_RUNS || values.length > MAX_RUNS) {
      problems.push('A comparison needs ' + MIN_RUNS + ' to ' + MAX_RUNS + ' runs.');
    } else if (VARY_KEYS.indexOf(vary) >= 0) {
      values.forEach(function (v, i) {
        var r = checkValue(vary, v);
        if (r.problem) { problems.push('Run ' + (i + 1) + ': ' + r.problem); return; }
        for (var j = 0; j < vals.length; j++) {
          if (sameValue(vals[j], r.value)) {
            problems.push('Run ' + (i + 1) + ' is the same as run ' + (j + 1) + ': give every run a different value.');
            return;
          }
        }
        vals.push(r.value);
      });
    }
    var runs = [];
    if (!problems.length) {
      vals.forEach(function (v, i) {
        var s = copyBase(settings);
        s[vary] = Array.isArray(v) ? v.slice() : v;
        var cfg = settingsToConfig(s);
        var issues = nn().validateConfig(cfg);
        if (issues.length) { problems.push('Run ' + (i + 1) + ': ' + issues.join(' ')); return; }
        runs.push({label: valueName(vary, v), value: v, settings: s, config: nn().normalizeConfig(cfg),
          data: {scale: s.scale, trainSize: s.trainSize}});
      });
    }
    if (problems.length) return {ok: false, problems: problems, runs: [], vary: vary, epochs: epochs};

    var sameLayers = runs.every(function (r) { return sameValue(r.config.layers, runs[0].config.layers); });
    var sameSet = runs.every(function (r) { return r.data.trainSize === runs[0].data.trainSize; });
    var sameSeed = vary !== 'seed';
    var sharing = {
      weights: !sameSeed ? 'none' : (sameLayers ? 'copied' : 'seed'),
      batches: !sameSeed || !sameSet ? 'different' : (vary === 'batch' ? 'same-order' : 'same')
    };
    var notes = [];
    if (sharing.weights === 'copied') notes.push('Every run starts from exactly the same initial weights (copied from the first run).');
    else if (sharing.weights === 'seed') notes.push('Networks of different sizes cannot share weights: each starts from weights drawn with the same seed.');
    else notes.push('Different seeds give different initial weights and a different order of the digits — that is what is compared.');
    if (sharing.batches === 'same') notes.push('Every run sees the training digits in the same order, in the same batches.');
    else if (sharing.batches === 'same-order') notes.push('Every run sees the training digits in the same order, grouped into batches of its own size.');
    else if (!sameSet) notes.push('The training sets differ, so the batches differ; every run gets the same number of steps.');
    notes.push('Every run is tested on the same ' + thousands(TEST_COUNT) + ' test digits that none of them trains on.');
    return {ok: true, problems: [], runs: runs, vary: vary, epochs: epochs, base: settings,
      xAxis: sameSet ? 'epochs' : 'steps', sharing: sharing, notes: notes, preset: spec.preset || null};
  }

  /* ------------------------------------------------------------------ running */
  function nowMs() {
    return typeof performance === 'object' && performance && typeof performance.now === 'function'
      ? performance.now() : Date.now();
  }

  function macrotask() {
    return new Promise(function (resolve) {
      if (typeof window !== 'undefined' && typeof MessageChannel === 'function') {
        var ch = new MessageChannel();
        ch.port1.onmessage = function () { ch.port1.close(); resolve(); };
        ch.port2.postMessage(0);
      } else if (typeof setImmediate === 'function') {
        setImmediate(resolve);
      } else {
        setTimeout(resolve, 0);
      }
    });
  }

  /** Measure a network now (on the common test set and its own training set). */
  function measure(net) {
    var te = net.evaluate('test'), tr = net.evaluate('train');
    return {testAccuracy: te.accuracy, testError: 1 - te.accuracy, testCost: te.cost, testCorrect: te.correct,
      testCount: te.count, trainAccuracy: tr.accuracy, trainCost: tr.cost, trainCount: tr.count};
  }

  function dataKey(d) { return d.scale + '|' + d.trainSize; }

  /**
   * Build the data sets and networks of a plan (made by makePlan) on a loaded core.
   * digits = NNMath.decodeDigits(...) ({pixels, labels}).  Throws if the plan is not ok.
   */
  function Comparison(core, digits, plan) {
    if (!plan || !plan.ok) throw new Error('The comparison is not ready: ' + ((plan && plan.problems || []).join(' ') || 'no plan.'));
    this.plan = plan;
    this.epochs = plan.epochs;
    this.datasets = {};
    this.runs = [];
    this.initial = [];
    this._cancelled = false;
    this._turn = 0;
    this._disposed = false;
    var self = this;
    try {
      plan.runs.forEach(function (r) {
        var key = dataKey(r.data), ds = self.datasets[key];
        if (!ds) {
          ds = core.dataset({pixels: digits.pixels, labels: digits.labels, scale: r.data.scale});
          self.datasets[key] = ds;
          ds.split({testFraction: TEST_FRACTION, seed: SPLIT_SEED});
          if (r.data.trainSize !== 'all') ds.limitTrain(r.data.trainSize);
        }
        self.runs.push({label: r.label, value: r.value, config: r.config, data: r.data, settings: r.settings,
          dataset: ds, net: core.network(r.config, ds), points: [], start: null, status: 'waiting',
          error: null, steps: 0, chunk: 1, perStep: 0, ms: 0});
      });
      if (plan.sharing.weights === 'copied') {
        var first = this.runs[0].net.toJSON();
        for (var i = 1; i < this.runs.length; i++) this.runs[i].net.fromJSON(first);
      }
      // Steps between two points: an epoch of the run's own training set, or (training-set
      // sizes) an epoch of the largest set, the same for every run.
      var maxSpe = 0;
      this.runs.forEach(function (r) { maxSpe = Math.max(maxSpe, r.net.stepsPerEpoch); });
      this.runs.forEach(function (r) {
        r.stepsPerPoint = plan.xAxis === 'steps' ? maxSpe : r.net.stepsPerEpoch;
        r.totalSteps = r.stepsPerPoint * plan.epochs;
        self.initial.push(r.net.snapshot());
        r.start = measure(r.net);
      });
      this.stepsPerPoint = maxSpe;
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  Object.defineProperty(Comparison.prototype, 'totalSteps', {get: function () {
    return this.runs.reduce(function (s, r) { return s + r.totalSteps; }, 0);
  }});
  Object.defineProperty(Comparison.prototype, 'stepsDone', {get: function () {
    return this.runs.reduce(function (s, r) { return s + (r.status === 'diverged' ? r.totalSteps : r.steps); }, 0);
  }});
  Object.defineProperty(Comparison.prototype, 'done', {get: function () {
    return this.runs.every(function (r) { return r.status === 'done' || r.status === 'diverged'; });
  }});
  Object.defineProperty(Comparison.prototype, 'progress', {get: function () {
    var t = this.totalSteps;
    return t ? this.stepsDone / t : 1;
  }});
  /** Points finished by every run (the slowest). */
  Object.defineProperty(Comparison.prototype, 'pointsDone', {get: function () {
    var m = Infinity;
    this.runs.forEach(function (r) { if (r.status !== 'diverged') m = Math.min(m, r.points.length); });
    return m === Infinity ? this.epochs : m;
  }});

  Comparison.prototype.status = function () {
    return {done: this.done, progress: this.progress, pointsDone: this.pointsDone, epochs: this.epochs,
      stepsDone: this.stepsDone, totalSteps: this.totalSteps, cancelled: this._cancelled};
  };

  /** One chunk of steps for run r (never past its next point), then the point if it is due.  A
   *  step that takes more than half the budget (a big network with a big batch), and the very first
   *  one, whose time is not known yet, go up to 64 digits per call (net.trainSamples), so no call is
   *  long; the results are the same bits as whole steps. */
  Comparison.prototype._advance = function (r, budgetMs) {
    var next = (r.points.length + 1) * r.stepsPerPoint;
    var k = Math.max(1, Math.min(r.chunk, next - r.steps));
    var inParts = !r.perStep || r.perStep > 0.5 * budgetMs;
    var t0 = nowMs();
    r.status = 'running';
    try {
      // trainSamples(1) is one chunk (up to 64 digits) of one step: k is 1 if it finished the step
      if (inParts) k = r.net.trainSamples(1).pending === 0 ? 1 : 0;
      else r.net.trainSteps(k);
    } catch (e) {
      if (e && e.code === 'diverged') {
        r.status = 'diverged';
        r.error = e.message;
        r.divergedAt = r.points.length + 1;
        return;
      }
      throw e;
    }
    var dt = nowMs() - t0;
    r.ms += dt;
    r.steps += k;
    r.partMs = (r.partMs || 0) + dt;
    if (k) {
      // Smoothed time per step; the next chunk should take about a quarter of the budget.
      var per = r.partMs / k;
      r.partMs = 0;
      r.perStep = r.perStep ? 0.7 * r.perStep + 0.3 * per : per;
      r.chunk = Math.max(1, Math.min(512, Math.floor(0.25 * budgetMs / Math.max(r.perStep, 1e-3))));
    }
    if (r.steps >= next) {
      var p = measure(r.net);
      p.x = r.points.length + 1;
      p.epoch = r.net.epoch;
      p.steps = r.steps;
      r.points.push(p);
      if (r.points.length >= this.epochs) r.status = 'done';
    }
  };

  /** Train for about budgetMs, one chunk at a time for the run that is furthest behind (so all
   *  runs advance together, whatever their speed).  Returns status(). */
  Comparison.prototype.step = function (budgetMs) {
    if (this._disposed) throw new Error('This comparison has been disposed.');
    var budget = budgetMs === undefined ? 10 : budgetMs;
    var t0 = nowMs(), n = this.runs.length;
    while (!this.done && !this._cancelled) {
      var r = null, best = Infinity;
      for (var j = 0; j < n; j++) {
        var c = this.runs[(this._turn + j) % n];
        if (c.status !== 'waiting' && c.status !== 'running') continue;
        var f = c.steps / c.totalSteps;
        if (f < best) { best = f; r = c; }
      }
      if (!r) break;
      this._turn = (this._turn + 1) % n;
      this._advance(r, budget);
      if (nowMs() - t0 >= budget) break;
    }
    return this.status();
  };

  /** Step until done (or cancel(), which is final), yielding between slices — and before the
   *  first one, so that the caller's task stays short.  Resolves with this. */
  Comparison.prototype.compute = function (opts) {
    var self = this;
    opts = opts || {};
    var budget = opts.budgetMs === undefined ? 10 : opts.budgetMs;
    var onProgress = typeof opts.onProgress === 'function' ? opts.onProgress : null;
    var yieldFn = typeof opts.yield === 'function' ? opts.yield : macrotask;
    return new Promise(function (resolve, reject) {
      function loop() {
        if (self._cancelled || self._disposed) { resolve(self); return; }
        var st;
        try { st = self.step(budget); } catch (e) { reject(e); return; }
        if (onProgress) {
          try { onProgress(st, self); } catch (e) { reject(e); return; }
        }
        if (st.done) resolve(self);
        else Promise.resolve(yieldFn()).then(loop, reject);
      }
      Promise.resolve(yieldFn()).then(loop, reject);
    });
  };

  Comparison.prototype.cancel = function () { this._cancelled = true; };

  Comparison.prototype.dispose = function () {
    this._cancelled = true;
    this._disposed = true;
    this.runs.forEach(function (r) { if (r.net) r.net.dispose(); });
    var ds = this.datasets;
    Object.keys(ds).forEach(function (k) { ds[k].dispose(); });
    this.datasets = {};
  };

  /** The last point of a run (or null). */
  function last(r) { return r.points.length ? r.points[r.points.length - 1] : null; }

  /** Point number n (1-based) of a run, or its last one if it has fewer (it diverged), or null. */
  function at(r, n) { return r.points.length && n > 0 ? r.points[Math.min(n, r.points.length) - 1] : null; }

  /** How many points every run that is still going has (the point where they can be compared). */
  function commonPoints(cmp) {
    var m = Infinity;
    cmp.runs.forEach(function (r) { if (r.status !== 'diverged') m = Math.min(m, r.points.length); });
    return m === Infinity ? Math.max.apply(null, cmp.runs.map(function (r) { return r.points.length; })) : m;
  }

  /* ------------------------------------------------------------------ explanations */
  function pct(x, digits) { return (100 * x).toFixed(digits === undefined ? 1 : digits) + '%'; }

  // Why each setting matters: short, plain paragraphs (true in general, not just for one run).
  var WHY = {
    cost: [
      'With squared error and sigmoid outputs, the gradient of an output neuron is (a − y)·σ′(z). ' +
        'The slope σ′(z) of the sigmoid is at most 0.25, and almost 0 when the neuron saturates (z far from 0, a close to 0 or 1). ' +
        'So a neuron that is confidently wrong gets only a tiny correction: learning is slow exactly when the network is most wrong.',
      'Cross-entropy with softmax outputs has the gradient a − y: the σ′(z) factor cancels out. ' +
        'The gradient does not vanish when the output saturates, so a big mistake gives a big step.',
      'The two costs are measured on different scales (squared error can never exceed 5 per digit, cross-entropy has no upper limit), ' +
        'so their cost curves cannot be compared by height. Compare the test error, or only the shapes of the cost curves.'
    ],
    activation: [
      'Back-propagation multiplies the gradient by the slope f′(z) of the activation in every layer it passes. ' +
        'The sigmoid’s slope is at most 0.25 and nearly 0 for large |z|, so the signal for the hidden weights gets smaller.',
      'ReLU (max(0, z)) has slope exactly 1 for every positive z, so the gradient passes through undiminished and the hidden weights learn faster. ' +
        'Its weakness: a neuron with z < 0 for every digit has slope 0 and stops learning (a “dead” neuron).'
    ],
    hidden: [
      'More hidden neurons means more weights: with h neurons there are 64·h + h + 10·h + 10 parameters. ' +
        'The network can then represent more patterns, so it usually learns faster and better — but the gain gets smaller as h grows, while every step costs more arithmetic.',
      'With many weights and few digits, a network can also learn the training digits by heart (overfitting): compare the training and test accuracy in the table.'
    ],
    lr: [
      'The learning rate η is the length of a step downhill: w ← w − η·∂C/∂w. ' +
        'With a tiny η every step is small and the cost falls slowly. A larger η gets there faster — until the steps overshoot the valley and the curves start to jump.',
      'Far too large, and the weights fly off: the cost can blow up (training diverges), or — with ReLU — every hidden neuron can end up “dead” (z < 0 for every digit). ' +
        'Then every gradient is 0, the network gives the same answer for every digit and cannot recover.'
    ],
    scale: [
      'With raw inputs 0..16 instead of 0..1, z = w·x + b is 16 times larger at the start, and so is the gradient ∂C/∂w = δ·x of the first layer — ' +
        'as if that layer had a 16 times larger learning rate. With ReLU that makes the first steps far too big and training jumpy; sigmoid neurons start out saturated.',
      'Scaling the inputs to a small range is standard practice for this reason. (Try it with the sigmoid and squared error: there the bigger first-layer steps can even help, a sign that the learning rate was too small for that network.)'
    ],
    trainSize: [
      'Every run makes the same number of steps, so the network with 100 digits sees each of them many times. ' +
        'It can learn those 100 by heart — its training accuracy reaches 100% — yet it recognises far fewer of the test digits it has never seen. This is overfitting.',
      'With more training digits the network has to find what the digits have in common, so it does better on new digits. More data is often the best improvement there is.'
    ],
    batch: [
      'A step uses the average gradient of one batch. Small batches give many quick but noisy steps per epoch; the whole training set gives one exact but expensive step per epoch.',
      'Per epoch, small batches therefore usually make far more progress; mini-batches of about 32 are a common compromise between speed and noise.'
    ],
    optimizer: [
      'Plain gradient descent steps straight downhill. Momentum keeps part of the previous step (like a rolling ball), so it speeds up along long gentle slopes and zig-zags less.',
      'Adam also scales the step of every weight by how large its recent gradients were, so weights with small gradients still move. ' +
        'It is often fast, but with the same learning rate as SGD its steps can be too large.'
    ],
    momentum: [
      'Momentum β keeps a fraction β of the previous step: v ← β·v + ∂C/∂w, w ← w − η·v. With β = 0.9 a constant slope builds up to steps 10 times as large.',
      'It only matters for the Momentum and Adam optimizers; with plain SGD every run here is the same network.'
    ],
    weightDecay: [
      'Weight decay adds λ·w to every weight’s gradient, so each step also pulls the weights a little towards 0. Small weights give smoother answers and can reduce overfitting.',
      'Too much decay keeps the weights so small that the network cannot fit even the training digits.'
    ],
    seed: [
      'The seed decides the random start: the initial weights and the order in which the digits are seen. Nothing else differs between these runs.',
      'The spread between them shows how much of any result is luck — which is why the other comparisons use the same seed for every run.'
    ]
  };

  function rankText(runs, n, xName) {
    var ok = runs.filter(function (r) { return at(r, n); });
    if (!ok.length) return [];
    var sorted = ok.slice().sort(function (a, b) { return at(a, n).testError - at(b, n).testError; });
    var out = [];
    out.push('After ' + n + ' ' + xName + ': ' + sorted.map(function (r) {
      var p = at(r, n);
      return r.label + ' gets ' + pct(p.testAccuracy) + ' of the test digits right (error ' + pct(p.testError) + ')';
    }).join('; ') + '.');
    if (sorted.length > 1) {
      var gap = at(sorted[sorted.length - 1], n).testError - at(sorted[0], n).testError;
      if (gap < 0.015) out.push('The differences are small — about as large as the luck of the seed; try another seed before drawing conclusions.');
    }
    return out;
  }

  function byValue(cmp, v) {
    for (var i = 0; i < cmp.runs.length; i++) if (sameValue(cmp.runs[i].value, v)) return cmp.runs[i];
    return null;
  }

  /** Plain-language explanation of a (finished or partial) comparison: {why, happened}.  A
   *  partial one is compared at the last point that every run has reached. */
  function explain(cmp) {
    var plan = cmp.plan, key = plan.vary, runs = cmp.runs;
    var xName = plan.xAxis === 'steps' ? 'passes’ worth of steps' : 'epochs';
    var n = commonPoints(cmp);
    var happened = [];
    if (n < 1 && !runs.some(function (r) { return r.status === 'diverged'; })) {
      return {why: (WHY[key] || []).slice(), happened: ['Run the comparison to see what happens.']};
    }
    function lastOf(r) { return r ? at(r, n) : null; }
    happened = happened.concat(rankText(runs, n, xName));
    runs.forEach(function (r) {
      if (r.status === 'diverged') {
        happened.push(r.label + ' blew up during ' + (plan.xAxis === 'steps' ? 'pass ' : 'epoch ') + r.divergedAt +
          ': its cost became too large to compute (it diverged), so it stopped there.');
      }
    });
    var a, b, pa, pb;
    if (key === 'cost') {
      a = byValue(cmp, 'mse'); b = byValue(cmp, 'xent');
      pa = a && lastOf(a); pb = b && lastOf(b);
      if (pa && pb) {
        if (pb.testError < pa.testError) happened.push('Cross-entropy ended with the lower test error, as the gradient argument predicts: its outputs kept learning where squared error’s barely moved.');
        else happened.push('This time squared error did as well or better — with these settings its outputs did not saturate much. The usual result shows with the ready-made settings (sigmoid, η = 0.1).');
        happened.push('The costs themselves: squared error ' + fmtNum(Number(pa.trainCost.toPrecision(3))) + ', cross-entropy ' +
          fmtNum(Number(pb.trainCost.toPrecision(3))) + ' on the training digits. ' +
          (pb.trainCost > pa.trainCost && pb.testError < pa.testError
            ? 'Cross-entropy’s number is larger although its network is better: the two costs use different scales.'
            : 'Different scales: only the error rates can be compared directly.'));
      }
    } else if (key === 'activation') {
      a = byValue(cmp, 'sigmoid'); b = byValue(cmp, 'relu');
      pa = a && lastOf(a); pb = b && lastOf(b);
      if (pa && pb) {
        happened.push(pb.testError < pa.testError
          ? 'ReLU learned faster from exactly the same starting weights: its gradients are not shrunk by a small slope.'
          : 'Here the sigmoid did as well or better; ReLU’s advantage is largest in deeper networks, where the sigmoid’s small slopes multiply.');
      }
    } else if (key === 'trainSize') {
      runs.forEach(function (r) {
        var p = lastOf(r);
        if (p && r.value !== 'all' && p.trainAccuracy - p.testAccuracy > 0.08) {
          happened.push(r.label + ': ' + pct(p.trainAccuracy) + ' right on its own training digits but only ' + pct(p.testAccuracy) +
            ' on the test digits — it has partly learned its training digits by heart.');
        }
      });
    } else if (key === 'lr') {
      runs.forEach(function (r) {
        var p = lastOf(r);
        if (p && p.testAccuracy < 0.15 && r.status === 'done' && p.trainAccuracy < 0.15) {
          happened.push(r.label + ' is stuck close to the 10% that guessing gets: its steps were so large that the network gives (nearly) the same answer for every digit and no longer learns.');
        }
      });
      var done = runs.filter(function (r) { return lastOf(r); });
      if (done.length > 1) {
        var slow = done.reduce(function (m, r) { return r.value < m.value ? r : m; });
        var best = done.reduce(function (m, r) { return lastOf(r).testError < lastOf(m).testError ? r : m; });
        if (slow !== best && lastOf(slow).testError - lastOf(best).testError > 0.05) {
          happened.push(slow.label + ' is still far behind: its steps are too small to get down the slope in ' + n + (n === 1 ? ' epoch.' : ' epochs.'));
        }
      }
    } else if (key === 'scale') {
      a = byValue(cmp, 'unit'); b = byValue(cmp, 'raw');
      pa = a && lastOf(a); pb = b && lastOf(b);
      if (pa && pb) {
        happened.push(pa.testError < pb.testError
          ? 'The scaled inputs trained better. Look at the raw curve: it jumps up and down, the sign of steps that are too big.'
          : 'Here the raw inputs did as well or better: for this network the learning rate was small, and raw inputs make the first layer’s steps 16 times bigger.');
      }
    } else if (key === 'hidden') {
      var sortedH = runs.filter(function (r) { return lastOf(r); }).sort(function (x, y) {
        return x.config.layers.slice(1, -1).reduce(function (s, v) { return s + v; }, 0) -
          y.config.layers.slice(1, -1).reduce(function (s, v) { return s + v; }, 0);
      });
      if (sortedH.length > 1) {
        var small = lastOf(sortedH[0]), big = lastOf(sortedH[sortedH.length - 1]);
        happened.push(big.testError < small.testError
          ? 'The biggest network did better than the smallest (' + pct(big.testError) + ' vs ' + pct(small.testError) + ' error).'
          : 'The smallest network did as well as the biggest: for these digits a few neurons already go a long way.');
      }
    }
    if (n < cmp.epochs && !cmp.done) happened.push('(Not finished: these are the results so far.)');
    return {why: (WHY[key] || []).slice(), happened: happened};
  }

  /* ------------------------------------------------------------------ api */
  return {
    SETTINGS: SETTINGS,
    VARY_KEYS: VARY_KEYS,
    PRESETS: PRESETS,
    WHY: WHY,
    MIN_RUNS: MIN_RUNS,
    MAX_RUNS: MAX_RUNS,
    MAX_EPOCHS: MAX_EPOCHS,
    TRAIN_MAX: TRAIN_MAX,
    TEST_FRACTION: TEST_FRACTION,
    SPLIT_SEED: SPLIT_SEED,
    BASE_SIMPLE: BASE_SIMPLE,
    BASE_IMPROVED: BASE_IMPROVED,
    preset: preset,
    presetSpec: presetSpec,
    checkValue: checkValue,
    parseValue: parseValue,
    formatValue: formatValue,
    valueName: valueName,
    sameValue: sameValue,
    settingsToConfig: settingsToConfig,
    makePlan: makePlan,
    createComparison: function (core, digits, plan) { return new Comparison(core, digits, plan); },
    Comparison: Comparison,
    measure: measure,
    explain: explain,
    last: last,
    at: at,
    commonPoints: commonPoints
  };
});
