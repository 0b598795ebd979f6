/**
 * nnmath.js — the JavaScript side of the nnmath core (C compiled to WebAssembly).
 *
 * This file is the only code that touches the wasm heap.  It is a classic
 * script (no modules, so pages work from file://): in a browser it defines the
 * global `NNMath`; in Node, `require('web/js/nnmath.js')` returns the same
 * object.
 *
 * Loading
 * -------
 *   NNMath.load({simd: 'auto' | true | false, coreDir}) -> Promise<Core>
 *     Browser: injects <script src="{coreDir || 'js/'}nnmath-core-simd.js"> (or
 *     nnmath-core-scalar.js) unless the factory is already defined, then
 *     instantiates it.  Node: requires the core from coreDir, else from this
 *     file's directory if it holds the cores (dist/js/), else from
 *     <root>/build-wasm/.  'auto' (the default) picks SIMD when
 *     NNMath.simdSupported().  simd: true on a browser without SIMD rejects; a browser
 *     without WebAssembly rejects with code 'unsupported' (addition) and NNMath.NO_WASM.
 *   NNMath.simdSupported() -> bool   (WebAssembly.validate on a tiny v128 module)
 *   NNMath.decodeDigits(obj = NNMATH_DIGITS) -> {count, pixels: Uint8Array(count*64),
 *     labels: Uint8Array(count)}      (the packed digits-data.js; throws 'data')
 *   NNMath.validateConfig(cfg)  -> [] or plain-language problems, no core needed (addition)
 *   NNMath.normalizeConfig(cfg) -> normalised copy; throws 'invalid' (addition)
 *   NNMath.NNMathError          error class: err.code is 'invalid' | 'data' |
 *     'diverged' | 'nomem' | 'unsupported' (addition); err.message is written for a student; for
 *     configuration errors err.problems lists every problem (addition).
 *
 * Items marked (addition) are not in docs/CONTRACTS.md.
 *
 * The core (one loaded module)
 * ----------------------------
 *   core.simd                     which build is loaded (bool)
 *   core.defaults                 the defaults, read from nn_config_default (addition)
 *   core.validateConfig(cfg)      -> [] or problems (JS checks, then nn_config_check); never throws
 *   core.normalizeConfig(cfg)     -> the config network() would use; throws 'invalid' (addition)
 *   core.dataset({pixels, labels, scale: 'unit' | 'raw'}) -> Dataset
 *   core.datasetFromCSV(text, {scale}) -> Dataset   (the CSV format of data/digits.csv)
 *   core.network(cfg, dataset) -> Network
 *   core.heapBytes()              size of the wasm memory in bytes (addition)
 *
 * Dataset:  count, scale ('unit' = pixel/16, 'raw' = 0..16),
 *   trainCount, testCount, setCount(set) (additions),
 *   split({testFraction = 0.2, seed = 1}), limitTrain(n),
 *   rows('train' | 'test' | 'all') -> Int32Array copy,
 *   pixels(row) -> Uint8Array(64) copy, label(row) -> 0..9, dispose().
 *   Splitting or limiting a data set that networks are attached to re-attaches
 *   them (their next epoch uses the new training rows).
 *
 * Network:  cfg = {layers: [64, 8, 10], activation: 'sigmoid' | 'tanh' | 'relu',
 *     output: 'softmax' | 'sigmoid' | 'identity', cost: 'mse' | 'xent',
 *     optimizer: 'sgd' | 'momentum' | 'adam', lr: 0.1, momentum: 0.9,
 *     weightDecay: 0, batch: 32 (0 = full batch), seed: 1, shuffle: true}
 *   Defaults: output = 'softmax' for 'xent', 'sigmoid' for 'mse'; the rest as
 *   the C core's nn_config_default (64,8,10 sigmoid, mse, sgd, lr 0.1,
 *   momentum 0.9, weightDecay 0, batch 32, seed 1).  Unknown keys are ignored.
 *   net.config                    normalised copy of the configuration
 *   net.dataset, net.paramCount   the attached data set, number of parameters (additions)
 *   net.trainSteps(n) -> {epoch, step, stepsPerEpoch, batchCost, pending}
 *   net.trainSamples(n) -> the same, after about n samples (a big batch's step split over calls;
 *                         pending: samples of a half-done step; returns at an epoch's end) (addition)
 *   net.trainEpoch()  -> same (the steps left in the current epoch)
 *       Both throw NNMathError 'diverged' if a step blows up.  The parameters
 *       are then put back to those of the start of the epoch in which it
 *       happened (the core itself only goes back one step, and when the cost
 *       overflows those weights are already ~1e19: no rate could continue from
 *       them), the optimizer state is cleared, and the network stays usable:
 *       e.g. setLearningRate(0.01) and carry on.  Steps are run one C call
 *       each so that V8 can optimise the wasm code while training runs.
 *   net.epoch                     completed epochs
 *   net.step, net.stepsPerEpoch   steps done in the current epoch, steps per epoch (additions)
 *   net.evaluate('train' | 'test' | 'all' = 'test', {outputs}) -> {cost, accuracy, correct, count,
 *       confusion: Int32Array(100) indexed [true*10 + predicted]}; with {outputs: true} also
 *       outputs: Float32Array(count*10), each row's outputs in the order of dataset.rows(set),
 *       the same numbers as predict() row by row, in one call (addition)
 *   net.cost(set | rows) -> mean data cost on a set or an array of row numbers (addition)
 *   net.trace(rowOrPixels, {label}) -> {cost, predicted, output, label, layers: [...]}
 *       rowOrPixels: a row number of the data set (label defaults to its label)
 *       or 64 raw pixels 0..16 (scaled like the data set; no label by default).
 *       {label: null} or {label: -1} skips the backward pass.  layers[l] =
 *       {in, out, W (out*in), b, input (a_l), z, a, delta, dW, db} — copies;
 *       delta, dW, db only when there is a label.  cost is NaN without a label.
 *   net.predict(pixels64) -> Float32Array(10) output activations
 *   net.params, net.grads          Float32Array views into wasm memory (no copy)
 *   net.layers() -> [{in, out, W, b}] with W, b views into params
 *       Views are rebuilt whenever wasm memory has grown (the old ones become
 *       empty), so read net.params / net.layers() again after creating data
 *       sets or networks rather than keeping views across such calls.
 *   net.toJSON() -> {layers: [{weight: [[...in] x out], bias: [...out]}]}  (the CLI's format)
 *   net.fromJSON(objOrString)      checks shapes and finiteness first; throws
 *       'data' and keeps the old parameters if anything is wrong; clears the
 *       optimizer state.
 *   net.setLearningRate(lr), net.reset() (initial weights again, epoch 0),
 *   net.dispose() (after which every method throws 'invalid'; twice is fine).
 *   Disposing a data set leaves its networks safe: training, evaluate and
 *   trace(row) then throw 'invalid'; predict still works.
 *
 *
 * The cost landscape (additions; C in src/nn_landscape.c)
 * --------------------------------------------------------
 *   net.landscape(opts) -> Landscape: the cost on a size×size grid of the plane
 *       θ + α·d1 + β·d2 through the current parameters θ (Li et al. 2018).
 *     opts: {size: 31 (odd, 3..101), span: 1 (α, β from −span to +span) or 'auto',
 *            seed: 1, rows: 'train' | 'test' | 'all' | array of row numbers ('train'),
 *            samples: 500 (the first `samples` of those rows),
 *            directions: 'random' (filter-normalised, biases 0) | 'path' (the two
 *              main directions of opts.path) | {d1, d2} (Float32Arrays of paramCount),
 *            path: [Float32Array(paramCount), ...] parameter snapshots (oldest first;
 *              needed for 'path'; more than 256 are thinned evenly for the directions)}
 *     span 'auto' (the default for 'path') = 1.25 × the largest |coordinate| of the
 *     projected path (at least 1e-3); for 'random' it means 1.
 *   Landscape: size, span, alphas, betas (Float32Array(size): grid coordinates; the
 *     middle one is exactly 0), values (Float32Array(size*size), values[i*size + j] =
 *     C(alphas[i], betas[j]), NaN until computed), centre (the cost at θ on the rows
 *     = values at the middle, bit for bit), rows (Int32Array), d1, d2, theta (copies),
 *     directions ('random' | 'path' | 'custom'), explained ([f1, f2] for 'path', else
 *     null), pointsDone, total, done, progress (0..1), stale.
 *     ls.computeRow(i) -> Float32Array(size): row i (every β at alphas[i]) now.
 *     ls.step(budgetMs = 12) -> {done, pointsDone, total, progress}: computes the next
 *       grid points for about budgetMs (one C call covers a few points, sized from the
 *       measured speed so no call takes more than about budgetMs / 2).
 *     ls.compute({budgetMs = 12, onProgress(status, ls), yield}) -> Promise<ls>: steps
 *       until done, yielding between steps (yield() -> Promise; default: a macrotask
 *       via MessageChannel / setImmediate), so the page never freezes.  Resolves early
 *       (ls.done false) after ls.cancel().
 *     ls.project(snapshots) -> {x, y, off: Float32Array(count)}: where parameter
 *       vectors lie on the plane (least-squares projection; off = the share of the
 *       step from θ outside the plane, 0..1).  snapshots: an array of
 *       Float32Array(paramCount) or one Float32Array of count*paramCount.
 *     ls.dispose() frees its wasm memory (twice is fine).
 *     The grid is computed with the network's parameters as θ: if they change
 *     (training) before it is finished, step/compute/project throw 'invalid' and
 *     ls.stale becomes true — make a new landscape.
 *   net.projectPath(snapshots, d1, d2) -> {x, y, off} the same projection onto
 *     θ + α·d1 + β·d2 for the current θ.
 *   net.snapshot() -> Float32Array copy of the parameters (for paths).
 *
 * Errors from the C core (codes 1..4) become NNMathError with the C message.
 */
(function (root, factory) {
  'use strict';
  var api = factory(root);
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNMath = api;
})(typeof globalThis !== 'undefined' ? globalThis : (typeof self !== 'undefined' ? self : this), function (root) {
  'use strict';

  var IS_NODE = typeof process === 'object' && process !== null && typeof process.versions === 'object' &&
    typeof process.versions.node === 'string' && typeof window === 'undefined';

  // ---- constants shared with src/nnmath.h --------------------------------
  var INPUTS = 64, CLASSES = 10, MAX_LAYERS = 6, MAX_WIDTH = 512, MAX_ROWS = 100000;
  var CONFIG_BYTES = 64, ERROR_BYTES = 256, EVAL_BYTES = 16 + 4 * CLASSES * CLASSES;
  var ACTIVATIONS = { sigmoid: 0, tanh: 1, relu: 2 };
  var OUTPUTS = { softmax: 3, sigmoid: 0, identity: 4 };
  var COSTS = { mse: 0, xent: 1 };
  var OPTIMIZERS = { sgd: 0, momentum: 1, adam: 2 };
  var SCALES = { unit: 0, raw: 1 };
  var SETS = { train: 0, test: 1, all: 2 };
  var ERROR_CODES = { 1: 'invalid', 2: 'data', 3: 'diverged', 4: 'nomem' };
  var FILES = { simd: 'nnmath-core-simd.js', scalar: 'nnmath-core-scalar.js' };
  var FACTORIES = { simd: 'NNMathCoreSimd', scalar: 'NNMathCoreScalar' };

  // ---- errors ---------------------------------------------------------------
  /**
   * An error a student can read.  code: 'invalid' (a bad argument or
   * configuration), 'data' (malformed data or parameters), 'diverged'
   * (training blew up), 'nomem' (out of memory).
   */
  class NNMathError extends Error {
    constructor(code, message, problems) {
      super(message);
      this.name = 'NNMathError';
      this.code = code;
      if (problems) this.problems = problems;
    }
  }

  function fail(code, message) { throw new NNMathError(code, message); }

  /** How a value the user gave reads in a message. */
  function show(v) {
    if (v === undefined) return 'nothing';
    if (v === null) return 'null';
    if (typeof v === 'string') return '"' + (v.length > 40 ? v.slice(0, 40) + '…' : v) + '"';
    if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
    if (typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) {
      var s;
      try { s = JSON.stringify(v); } catch (e) { s = 'a list'; }
      return s.length > 60 ? 'a list of ' + v.length + ' values' : s;
    }
    if (ArrayBuffer.isView(v)) return 'a typed array of ' + v.length + ' values';
    return 'a ' + typeof v;
  }

  function isInt(v) { return typeof v === 'number' && Number.isInteger(v); }
  function names(map) {
    var k = Object.keys(map).map(function (s) { return '"' + s + '"'; });
    return k.slice(0, -1).join(', ') + ' or ' + k[k.length - 1];
  }

  // ---- configuration ----------------------------------------------------------
  var BUILTIN_DEFAULTS = {
    layers: [64, 8, 10], activation: 'sigmoid', cost: 'mse', optimizer: 'sgd', lr: 0.1,
    momentum: 0.9, weightDecay: 0, batch: 32, seed: 1, shuffle: true
  };

  function pick(cfg, key, defaults) {
    return cfg[key] === undefined ? defaults[key] : cfg[key];
  }

  /** Fill in defaults and collect problems.  Returns {config, problems}. */
  function checkConfig(cfg, defaults) {
    var problems = [];
    defaults = defaults || BUILTIN_DEFAULTS;
    if (cfg === undefined || cfg === null) cfg = {};
    if (typeof cfg !== 'object' || Array.isArray(cfg)) {
      return { config: null, problems: ['The configuration must be an object like {layers: [64, 8, 10], lr: 0.1} — you gave ' + show(cfg) + '.'] };
    }
    var c = {};

    var layers = pick(cfg, 'layers', defaults);
    var layersOk = false;
    if (!(Array.isArray(layers) || ArrayBuffer.isView(layers))) {
      problems.push('The layer sizes must be a list of whole numbers, like [64, 8, 10] — you gave ' + show(layers) + '.');
    } else {
      layers = Array.prototype.slice.call(layers);
      if (layers.length < 2 || layers.length > MAX_LAYERS) {
        problems.push('The network needs 2 to 6 layer sizes, input and output included (so 0 to 4 hidden layers) — you gave ' + layers.length + '.');
      } else {
        layersOk = true;
        for (var i = 0; i < layers.length; i++) {
          var v = layers[i];
          if (i === 0) {
            if (v !== INPUTS) { problems.push('The first layer size must be 64, one per pixel — you gave ' + show(v) + '.'); layersOk = false; }
          } else if (i === layers.length - 1) {
            if (v !== CLASSES) { problems.push('The last layer size must be 10, one per digit — you gave ' + show(v) + '.'); layersOk = false; }
          } else if (!isInt(v) || v < 1 || v > MAX_WIDTH) {
            problems.push('Hidden layer ' + i + ' must have a whole number of neurons from 1 to 512 — you gave ' + show(v) + '.');
            layersOk = false;
          }
        }
      }
    }
    c.layers = layersOk ? layers : null;

    c.activation = pick(cfg, 'activation', defaults);
    if (!Object.prototype.hasOwnProperty.call(ACTIVATIONS, c.activation)) {
      problems.push('The hidden activation must be ' + names(ACTIVATIONS) + ' — you gave ' + show(c.activation) + '.');
    }
    c.cost = pick(cfg, 'cost', defaults);
    var costOk = Object.prototype.hasOwnProperty.call(COSTS, c.cost);
    if (!costOk) problems.push('The cost must be "mse" (mean squared error) or "xent" (cross-entropy) — you gave ' + show(c.cost) + '.');
    c.output = cfg.output === undefined ? (c.cost === 'xent' ? 'softmax' : 'sigmoid') : cfg.output;
    if (!Object.prototype.hasOwnProperty.call(OUTPUTS, c.output)) {
      problems.push('The output activation must be ' + names(OUTPUTS) + ' — you gave ' + show(c.output) + '.');
    } else if (c.cost === 'xent' && c.output !== 'softmax') {
      problems.push('The cross-entropy cost needs the softmax output — you chose ' + show(c.output) + '. Use output "softmax" or the cost "mse".');
    }
    c.optimizer = pick(cfg, 'optimizer', defaults);
    if (!Object.prototype.hasOwnProperty.call(OPTIMIZERS, c.optimizer)) {
      problems.push('The optimizer must be ' + names(OPTIMIZERS) + ' — you gave ' + show(c.optimizer) + '.');
    }
    c.lr = pick(cfg, 'lr', defaults);
    var lrProblem = checkLearningRate(c.lr);
    if (lrProblem) problems.push(lrProblem);
    c.momentum = pick(cfg, 'momentum', defaults);
    if (typeof c.momentum !== 'number' || !(c.momentum >= 0 && c.momentum < 1)) {
      problems.push('The momentum must be a number from 0 up to (but not including) 1 — you gave ' + show(c.momentum) + '.');
    } else if (Math.fround(c.momentum) >= 1) {   // the core keeps it as a 32-bit float
      problems.push('The momentum must be a number from 0 up to (but not including) 1 — you gave ' + show(c.momentum) +
        ', which the calculator keeps as 1 (it stores about 7 digits).');
    }
    c.weightDecay = pick(cfg, 'weightDecay', defaults);
    if (typeof c.weightDecay !== 'number' || !(c.weightDecay >= 0 && c.weightDecay <= 1)) {
      problems.push('The weight decay must be a number from 0 to 1 (0 = none) — you gave ' + show(c.weightDecay) + '.');
    }
    c.batch = pick(cfg, 'batch', defaults);
    if (!isInt(c.batch) || c.batch < 0 || c.batch > MAX_ROWS) {
      problems.push('The batch size must be a whole number from 1 to 100000, or 0 for the whole training set — you gave ' + show(c.batch) + '.');
    }
    c.seed = pick(cfg, 'seed', defaults);
    if (!isInt(c.seed) || c.seed < 0 || c.seed > 4294967295) {
      problems.push('The seed must be a whole number from 0 to 4294967295 — you gave ' + show(c.seed) + '.');
    }
    c.shuffle = pick(cfg, 'shuffle', defaults);
    if (typeof c.shuffle !== 'boolean') {
      problems.push('The shuffle setting must be true or false — you gave ' + show(c.shuffle) + '.');
    }
    return { config: problems.length ? null : c, problems: problems };
  }

  function checkLearningRate(lr) {
    if (typeof lr !== 'number' || !Number.isFinite(lr) || !(lr > 0)) {
      return 'The learning rate must be a number greater than 0 — you gave ' + show(lr) + '.';
    }
    if (lr > 100) return 'The learning rate must be at most 100 — you gave ' + show(lr) + '.';
    if (!(Math.fround(lr) > 0)) {   // the core keeps it as a 32-bit float
      return 'The learning rate must be a number greater than 0 — you gave ' + show(lr) + ', which is too small for the ' +
        'calculator: it keeps it as 0.';
    }
    return null;
  }

  function validateConfig(cfg, defaults) {
    try {
      return checkConfig(cfg, defaults).problems;
    } catch (e) { // e.g. a getter that throws; never throw from here
      return ['The configuration could not be read: ' + (e && e.message ? e.message : String(e))];
    }
  }

  function normalizeConfig(cfg, defaults) {
    var r = checkConfig(cfg, defaults);
    if (r.problems.length) throw new NNMathError('invalid', r.problems.join(' '), r.problems);
    return r.config;
  }

  function copyConfig(c) {
    var o = Object.assign({}, c);
    o.layers = c.layers.slice();
    return o;
  }

  // ---- the packed digits -------------------------------------------------------
  /** Decode the object made by tools/pack_data.js (digits-data.js). */
  function decodeDigits(obj) {
    if (obj === undefined) obj = root.NNMATH_DIGITS;
    if (!obj || typeof obj !== 'object') fail('data', 'No digits data: load digits-data.js before calling NNMath.decodeDigits().');
    var count = obj.count;
    if (!isInt(count) || count < 1 || count > MAX_ROWS) fail('data', 'The digits data has a bad row count: ' + show(count) + '.');
    if (typeof obj.pixels !== 'string' || obj.pixels.length !== count * INPUTS) {
      fail('data', 'The digits data should have ' + count * INPUTS + ' pixel characters — it has ' +
        (typeof obj.pixels === 'string' ? obj.pixels.length : 'none') + '.');
    }
    if (typeof obj.labels !== 'string' || obj.labels.length !== count) {
      fail('data', 'The digits data should have ' + count + ' labels — it has ' +
        (typeof obj.labels === 'string' ? obj.labels.length : 'none') + '.');
    }
    var pixels = new Uint8Array(count * INPUTS), labels = new Uint8Array(count), i, v;
    for (i = 0; i < pixels.length; i++) {
      v = obj.pixels.charCodeAt(i) - 65;
      if (!(v >= 0 && v <= 16)) fail('data', 'The digits data is damaged: bad pixel in row ' + (Math.floor(i / INPUTS) + 1) + '.');
      pixels[i] = v;
    }
    for (i = 0; i < count; i++) {
      v = obj.labels.charCodeAt(i) - 48;
      if (!(v >= 0 && v <= 9)) fail('data', 'The digits data is damaged: bad label in row ' + (i + 1) + '.');
      labels[i] = v;
    }
    return { count: count, pixels: pixels, labels: labels };
  }

  // ---- SIMD detection ----------------------------------------------------------
  // (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))
  var SIMD_TEST = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0,
    65, 0, 253, 15, 253, 98, 11];
  var simdCache = null;
  function simdSupported() {
    if (simdCache === null) {
      try {
        simdCache = typeof WebAssembly === 'object' && WebAssembly.validate(new Uint8Array(SIMD_TEST));
      } catch (e) {
        simdCache = false;
      }
    }
    return simdCache;
  }

  // ---- loading ------------------------------------------------------------------
  function loadFactoryNode(kind, coreDir) {
    var path = require('path'), fs = require('fs');
    var dir = coreDir;
    if (!dir) {
      dir = fs.existsSync(path.join(__dirname, FILES[kind])) ? __dirname
        : path.join(__dirname, '..', '..', 'build-wasm');
    }
    var file = path.resolve(dir, FILES[kind]);
    if (!fs.existsSync(file)) {
      return Promise.reject(new NNMathError('invalid', 'The core ' + file + ' is missing; build it with `make wasm`.'));
    }
    return Promise.resolve(require(file));
  }

  var scriptPromises = {};
  function loadFactoryBrowser(kind, coreDir) {
    var name = FACTORIES[kind];
    if (typeof root[name] === 'function') return Promise.resolve(root[name]);
    var dir = coreDir === undefined || coreDir === null ? 'js/' : String(coreDir);
    if (dir && !/\/$/.test(dir)) dir += '/';
    var src = dir + FILES[kind];
    if (!scriptPromises[src]) {
      scriptPromises[src] = new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = src;
        s.async = true;
        s.onload = function () {
          if (typeof root[name] === 'function') resolve(root[name]);
          else reject(new NNMathError('invalid', 'The script ' + src + ' did not define ' + name + '.'));
        };
        s.onerror = function () {
          delete scriptPromises[src];
          reject(new NNMathError('invalid', 'Could not load the core script ' + src + '.'));
        };
        (document.head || document.documentElement).appendChild(s);
      });
    }
    return scriptPromises[src];
  }

  /** Load a core.  opts: {simd: 'auto' | true | false, coreDir}. */
  // Security settings switch WebAssembly off: Lockdown Mode on an iPhone or iPad, enhanced
  // security in Edge, JavaScript optimisation blocked by a school's policy.
  var NO_WASM = 'This browser has WebAssembly switched off, and the network needs it. Security settings can turn it ' +
    'off (Lockdown Mode on an iPhone or iPad, enhanced security in Edge, a school\u2019s policy): open the lesson in a ' +
    'browser with WebAssembly on.';

  function load(opts) {
    opts = opts || {};
    if (typeof WebAssembly !== 'object' || WebAssembly === null) return Promise.reject(new NNMathError('unsupported', NO_WASM));
    var want = opts.simd === undefined ? 'auto' : opts.simd;
    if (want !== 'auto' && want !== true && want !== false) {
      return Promise.reject(new NNMathError('invalid', 'simd must be "auto", true or false — you gave ' + show(want) + '.'));
    }
    var useSimd = want === 'auto' ? simdSupported() : want;
    if (useSimd && !simdSupported()) {
      return Promise.reject(new NNMathError('invalid', 'This browser does not support WebAssembly SIMD; load the core with simd: false or "auto".'));
    }
    var kind = useSimd ? 'simd' : 'scalar';
    var factoryPromise = IS_NODE ? loadFactoryNode(kind, opts.coreDir) : loadFactoryBrowser(kind, opts.coreDir);
    return factoryPromise.then(function (factory) {
      return factory({});
    }).then(function (M) {
      return new Core(M, useSimd);
    });
  }

  // ---- the core ------------------------------------------------------------------
  function Core(M, simd) {
    this._M = M;
    this.simd = simd;
    if (M._nn_config_sizeof() !== CONFIG_BYTES) {
      fail('invalid', 'The core was built with a different nn_config layout (' + M._nn_config_sizeof() + ' bytes, expected 64).');
    }
    this._err = this._malloc(ERROR_BYTES);
    this._cfg = this._malloc(CONFIG_BYTES);
    this._x = this._malloc(INPUTS * 4);
    this._out = this._malloc(CLASSES * 4);
    this._eval = this._malloc(EVAL_BYTES);
    this.defaults = this._readDefaults();
    Object.freeze(this.defaults);
  }

  Core.prototype._malloc = function (n) {
    var p = this._M._malloc(Math.max(1, n));
    if (!p) fail('nomem', 'Out of memory: could not allocate ' + n + ' bytes in the WebAssembly heap.');
    return p;
  };
  Core.prototype._i32 = function () { return this._M.HEAP32; };
  Core.prototype._f32 = function () { return this._M.HEAPF32; };
  Core.prototype._u8 = function () { return this._M.HEAPU8; };

  /** Throw the error in an nn_error struct at ptr (if code != 0). */
  Core.prototype._throwIf = function (code, errPtr) {
    if (code === 0) return;
    var c = this._i32()[errPtr >> 2] || code;
    var msg = this._M.UTF8ToString(errPtr + 4, ERROR_BYTES - 4) || ('The core reported error ' + c + '.');
    throw new NNMathError(ERROR_CODES[c] || 'invalid', msg);
  };

  Core.prototype._readDefaults = function () {
    var M = this._M, p = this._cfg, i32 = this._i32(), f32 = this._f32(), w = p >> 2;
    M._nn_config_default(p);
    i32 = this._i32(); f32 = this._f32();
    var n = i32[w];
    if (!(n >= 2 && n <= MAX_LAYERS)) fail('invalid', 'The core gave an unreadable default configuration (layout mismatch).');
    var layers = [];
    for (var i = 0; i < n; i++) layers.push(i32[w + 1 + i]);
    function key(map, v) { for (var k in map) if (map[k] === v) return k; return null; }
    var d = {
      layers: layers,
      activation: key(ACTIVATIONS, i32[w + 7]),
      cost: key(COSTS, i32[w + 9]),
      optimizer: key(OPTIMIZERS, i32[w + 10]),
      lr: Number(f32[w + 11].toPrecision(7)),
      momentum: Number(f32[w + 12].toPrecision(7)),
      weightDecay: Number(f32[w + 13].toPrecision(7)),
      batch: i32[w + 14],
      seed: this._M.HEAPU32[w + 15],
      shuffle: true
    };
    if (d.layers[0] !== INPUTS || d.layers[n - 1] !== CLASSES || d.activation === null || d.cost === null || d.optimizer === null) {
      fail('invalid', 'The core gave an unreadable default configuration (layout mismatch).');
    }
    return d;
  };

  /** Write a normalised config into the scratch nn_config; returns its pointer. */
  Core.prototype._writeConfig = function (c) {
    var p = this._cfg, w = p >> 2, i32 = this._i32(), f32 = this._f32();
    for (var k = 0; k < CONFIG_BYTES / 4; k++) i32[w + k] = 0;
    i32[w] = c.layers.length;
    for (var i = 0; i < c.layers.length; i++) i32[w + 1 + i] = c.layers[i];
    i32[w + 7] = ACTIVATIONS[c.activation];
    i32[w + 8] = OUTPUTS[c.output];
    i32[w + 9] = COSTS[c.cost];
    i32[w + 10] = OPTIMIZERS[c.optimizer];
    f32[w + 11] = c.lr;
    f32[w + 12] = c.momentum;
    f32[w + 13] = c.weightDecay;
    i32[w + 14] = c.batch;
    this._M.HEAPU32[w + 15] = c.seed >>> 0;
    return p;
  };

  Core.prototype.validateConfig = function (cfg) {
    var problems = validateConfig(cfg, this.defaults);
    if (problems.length) return problems;
    // The C check as well (it should agree; this catches a core built from a
    // different header).
    var c = checkConfig(cfg, this.defaults).config;
    var code = this._M._nn_config_check(this._writeConfig(c), this._err);
    if (code !== 0) return [this._M.UTF8ToString(this._err + 4, ERROR_BYTES - 4)];
    return [];
  };

  Core.prototype.normalizeConfig = function (cfg) { return normalizeConfig(cfg, this.defaults); };

  Core.prototype.heapBytes = function () { return this._M.HEAPU8.buffer.byteLength; };

  Core.prototype.dataset = function (spec) {
    if (!spec || typeof spec !== 'object') fail('invalid', 'core.dataset needs {pixels, labels, scale} — you gave ' + show(spec) + '.');
    var scale = spec.scale === undefined ? 'unit' : spec.scale;
    if (!Object.prototype.hasOwnProperty.call(SCALES, scale)) fail('invalid', 'The scale must be "unit" (pixel/16) or "raw" (0..16) — you gave ' + show(scale) + '.');
    var pixels = spec.pixels, labels = spec.labels;
    if (!pixels || typeof pixels.length !== 'number' || !labels || typeof labels.length !== 'number') {
      fail('invalid', 'core.dataset needs pixels (64 per digit) and labels (one per digit).');
    }
    var n = labels.length;
    if (n < 1 || n > MAX_ROWS) fail('data', 'A data set needs 1 to 100000 digits — you gave ' + n + '.');
    if (pixels.length !== n * INPUTS) fail('data', 'There should be 64 pixels per label: ' + n + ' labels need ' + n * INPUTS + ' pixels — you gave ' + pixels.length + '.');
    var i, v;
    for (i = 0; i < pixels.length; i++) {
      v = pixels[i];
      if (!isInt(v) || v < 0 || v > 16) fail('data', 'Pixel ' + (i % INPUTS + 1) + ' of digit ' + (Math.floor(i / INPUTS) + 1) + ' must be a whole number from 0 to 16 — it is ' + show(v) + '.');
    }
    for (i = 0; i < n; i++) {
      v = labels[i];
      if (!isInt(v) || v < 0 || v > 9) fail('data', 'The label of digit ' + (i + 1) + ' must be a whole number from 0 to 9 — it is ' + show(v) + '.');
    }
    var pp = this._malloc(pixels.length), lp = 0, d = 0;
    try {
      lp = this._malloc(n);
      this._u8().set(pixels, pp);
      this._u8().set(labels, lp);
      d = this._M._nn_data_from_bytes(pp, lp, n, SCALES[scale], this._err);
      if (!d) this._throwIf(this._i32()[this._err >> 2] || 2, this._err);
    } finally {
      this._M._free(pp);
      if (lp) this._M._free(lp);
    }
    return new Dataset(this, d);
  };

  Core.prototype.datasetFromCSV = function (text, opts) {
    if (typeof text !== 'string') fail('invalid', 'datasetFromCSV needs the CSV text as a string — you gave ' + show(text) + '.');
    var scale = opts && opts.scale !== undefined ? opts.scale : 'unit';
    if (!Object.prototype.hasOwnProperty.call(SCALES, scale)) fail('invalid', 'The scale must be "unit" (pixel/16) or "raw" (0..16) — you gave ' + show(scale) + '.');
    var bytes = new TextEncoder().encode(text);
    var p = this._malloc(bytes.length + 1), d = 0;
    try {
      this._u8().set(bytes, p);
      this._u8()[p + bytes.length] = 0;
      d = this._M._nn_data_parse_csv(p, bytes.length, SCALES[scale], this._err);
      if (!d) this._throwIf(this._i32()[this._err >> 2] || 2, this._err);
    } finally {
      this._M._free(p);
    }
    return new Dataset(this, d);
  };

  Core.prototype.network = function (cfg, dataset) {
    return new Network(this, cfg, dataset);
  };

  // ---- data sets -------------------------------------------------------------------
  function Dataset(core, ptr) {
    this._core = core;
    this._ptr = ptr;
    this._nets = new Set();
    this.count = core._M._nn_data_count(ptr);
    this.scale = core._M._nn_data_scale(ptr) === SCALES.raw ? 'raw' : 'unit';
  }

  Dataset.prototype._live = function () {
    if (!this._ptr) fail('invalid', 'This data set has been disposed.');
    return this._ptr;
  };

  Dataset.prototype._reattach = function () {
    var M = this._core._M;
    this._nets.forEach(function (net) {
      var code = M._nn_attach(net._ptr, this._ptr);
      if (code !== 0) net._throwLast(code);
    }, this);
  };

  Dataset.prototype.split = function (opts) {
    var p = this._live(), core = this._core;
    opts = opts || {};
    var f = opts.testFraction === undefined ? 0.2 : opts.testFraction;
    var seed = opts.seed === undefined ? 1 : opts.seed;
    if (typeof f !== 'number' || !(f >= 0 && f <= 0.9)) fail('invalid', 'The test fraction must be a number from 0 to 0.9 — you gave ' + show(f) + '.');
    if (!isInt(seed) || seed < 0 || seed > 4294967295) fail('invalid', 'The seed must be a whole number from 0 to 4294967295 — you gave ' + show(seed) + '.');
    core._throwIf(core._M._nn_data_split(p, f, seed >>> 0, core._err), core._err);
    this._reattach();
    return this;
  };

  Dataset.prototype.limitTrain = function (n) {
    var p = this._live(), core = this._core;
    if (!isInt(n) || n < 1) fail('invalid', 'The number of training digits must be a whole number of at least 1 — you gave ' + show(n) + '.');
    core._throwIf(core._M._nn_data_limit_train(p, Math.min(n, MAX_ROWS), core._err), core._err);
    this._reattach();
    return this;
  };

  function setIndex(set) {
    if (set === undefined) set = 'all';
    if (!Object.prototype.hasOwnProperty.call(SETS, set)) fail('invalid', 'The set must be "train", "test" or "all" — you gave ' + show(set) + '.');
    return SETS[set];
  }

  Dataset.prototype.setCount = function (set) {
    return this._core._M._nn_data_set_count(this._live(), setIndex(set));
  };
  Object.defineProperty(Dataset.prototype, 'trainCount', { get: function () { return this.setCount('train'); } });
  Object.defineProperty(Dataset.prototype, 'testCount', { get: function () { return this.setCount('test'); } });

  Dataset.prototype.rows = function (set) {
    var p = this._live(), M = this._core._M, s = setIndex(set);
    var n = M._nn_data_set_count(p, s), ptr = M._nn_data_set_indices(p, s);
    return n ? new Int32Array(M.HEAP32.buffer, ptr, n).slice() : new Int32Array(0);
  };

  Dataset.prototype._row = function (row) {
    this._live();
    if (!isInt(row) || row < 0 || row >= this.count) fail('invalid', 'The row must be a whole number from 0 to ' + (this.count - 1) + ' — you gave ' + show(row) + '.');
    return row;
  };

  Dataset.prototype.pixels = function (row) {
    this._row(row);
    var ptr = this._core._M._nn_data_pixels(this._ptr);
    return this._core._u8().slice(ptr + row * INPUTS, ptr + (row + 1) * INPUTS);
  };

  Dataset.prototype.label = function (row) {
    this._row(row);
    return this._core._u8()[this._core._M._nn_data_labels(this._ptr) + row];
  };

  Dataset.prototype.dispose = function () {
    if (!this._ptr) return;
    this._nets.forEach(function (net) { net._data = null; });
    this._nets.clear();
    this._core._M._nn_data_free(this._ptr);
    this._ptr = 0;
  };

  // ---- networks ----------------------------------------------------------------------
  function Network(core, cfg, dataset) {
    if (!(dataset instanceof Dataset)) fail('invalid', 'A network needs a data set made by core.dataset() — you gave ' + show(dataset) + '.');
    if (dataset._core !== core) fail('invalid', 'The data set belongs to another loaded core.');
    dataset._live();
    var c = normalizeConfig(cfg, core.defaults);
    var M = core._M;
    var ptr = M._nn_create(core._writeConfig(c), core._err);
    if (!ptr) core._throwIf(core._i32()[core._err >> 2] || 1, core._err);
    this._core = core;
    this._ptr = ptr;
    this._cfg = c;
    this._data = dataset;
    this._scale = dataset.scale;
    M._nn_set_shuffle(ptr, c.shuffle ? 1 : 0);
    var code = M._nn_attach(ptr, dataset._ptr);
    if (code !== 0) {
      try { this._throwLast(code); } finally { M._nn_free(ptr); this._ptr = 0; }
    }
    dataset._nets.add(this);
    // Layout (fixed for the network's life).
    this._nParams = M._nn_param_count(ptr);
    this._paramsPtr = M._nn_params(ptr);
    this._gradsPtr = M._nn_grads(ptr);
    this._layout = [];
    for (var l = 0, L = M._nn_layer_count(ptr); l < L; l++) {
      this._layout.push({ in: M._nn_layer_in(ptr, l), out: M._nn_layer_out(ptr, l),
        w: M._nn_weight_offset(ptr, l), b: M._nn_bias_offset(ptr, l) });
    }
    this._views = { buffer: null, params: null, grads: null };
    this._ckpt = null; // parameters at the start of the current epoch (see _diverged)
  }

  Network.prototype._live = function () {
    if (!this._ptr) fail('invalid', 'This network has been disposed.');
    return this._ptr;
  };

  Network.prototype._needData = function () {
    if (!this._data) fail('invalid', 'The data set of this network has been disposed.');
  };

  /** The network's last C error as an NNMathError. */
  Network.prototype._lastError = function (code) {
    var core = this._core, e = core._M._nn_last_error(this._ptr);
    var c = core._i32()[e >> 2] || code;
    var msg = core._M.UTF8ToString(e + 4, ERROR_BYTES - 4) || ('The core reported error ' + c + '.');
    return new NNMathError(ERROR_CODES[c] || 'invalid', msg);
  };

  Network.prototype._throwLast = function (code) {
    throw this._lastError(code);
  };

  Object.defineProperty(Network.prototype, 'config', { get: function () { return copyConfig(this._cfg); } });
  Object.defineProperty(Network.prototype, 'dataset', { get: function () { return this._data; } });
  Object.defineProperty(Network.prototype, 'epoch', { get: function () { return this._core._M._nn_epochs_done(this._live()); } });
  Object.defineProperty(Network.prototype, 'step', { get: function () { return this._core._M._nn_step_in_epoch(this._live()); } });
  Object.defineProperty(Network.prototype, 'stepsPerEpoch', { get: function () { return this._core._M._nn_steps_per_epoch(this._live()); } });
  Object.defineProperty(Network.prototype, 'paramCount', { get: function () { return this._nParams; } });

  Network.prototype._status = function () {
    var M = this._core._M, p = this._ptr;
    return { epoch: M._nn_epochs_done(p), step: M._nn_step_in_epoch(p),
      stepsPerEpoch: M._nn_steps_per_epoch(p), batchCost: M._nn_last_batch_cost(p), pending: M._nn_step_pending(p) };
  };

  Network.prototype.trainSteps = function (n) {
    var p = this._live();
    this._needData();
    if (n === undefined) n = 1;
    if (!isInt(n) || n < 0) fail('invalid', 'The number of steps must be a whole number of at least 0 — you gave ' + show(n) + '.');
    var M = this._core._M;
    if (n > 0 && M._nn_steps_per_epoch(p) < 1) fail('invalid', 'There are no training digits to train on.');
    // One step per C call: V8 only optimises a wasm function between calls.
    for (var i = 0; i < n; i++) this._trainCall('_nn_train_steps', 1);
    return this._status();
  };

  /** Train on about n samples: a step of a big batch is split over several calls, so that no call
   *  takes long (nn_train_samples: whole chunks of 64 samples, each step's update when its batch is
   *  in, a return at the end of an epoch; the same bits as whole steps). */
  Network.prototype.trainSamples = function (n) {
    var p = this._live();
    this._needData();
    if (!isInt(n) || n < 1) fail('invalid', 'The number of samples must be a whole number of at least 1 — you gave ' + show(n) + '.');
    var M = this._core._M;
    if (M._nn_steps_per_epoch(p) < 1) fail('invalid', 'There are no training digits to train on.');
    this._trainCall('_nn_train_samples', n);
    return this._status();
  };

  /** One training call of the core, M[fn](net, arg): the parameters are remembered first when an
   *  epoch starts (with no step half done), and a failure is thrown after (see _diverged). */
  Network.prototype._trainCall = function (fn, arg) {
    var M = this._core._M, p = this._ptr;
    if (!this._ckpt || (M._nn_step_in_epoch(p) === 0 && M._nn_step_pending(p) === 0)) this._checkpoint();
    var code = M[fn](p, arg);
    if (code !== 0) this._diverged(code);
  };

  /** Remember the parameters (at the start of every epoch). */
  Network.prototype._checkpoint = function () {
    var params = this._viewsNow().params;
    if (!this._ckpt) this._ckpt = new Float32Array(this._nParams);
    this._ckpt.set(params);
  };

  /** A step failed: throw its error; after divergence, go back to the checkpoint. */
  Network.prototype._diverged = function (code) {
    var core = this._core, err = this._lastError(code);
    if (err.code === 'diverged' && this._ckpt) {
      // The core restores the weights of before the failing step, but when the
      // cost overflows those are already enormous (~1e19) and no learning rate
      // can continue from them.  The start of the epoch is a usable place.
      this._viewsNow().params.set(this._ckpt);
      core._M._nn_params_changed(this._ptr); // checks finiteness, clears optimizer state
    }
    throw err;
  };

  Network.prototype.trainEpoch = function () {
    var p = this._live();
    this._needData();
    var M = this._core._M, spe = M._nn_steps_per_epoch(p);
    if (spe < 1) fail('invalid', 'There are no training digits to train on.');
    return this.trainSteps(spe - M._nn_step_in_epoch(p));
  };

  function readEval(core) {
    var w = core._eval >> 2, i32 = core._i32(), f32 = core._f32();
    return { cost: f32[w], accuracy: f32[w + 1], correct: i32[w + 2], count: i32[w + 3],
      confusion: i32.slice(w + 4, w + 4 + CLASSES * CLASSES) };
  }

  Network.prototype.evaluate = function (set, opts) {
    var p = this._live();
    this._needData();
    var s = setIndex(set === undefined ? 'test' : set);
    var core = this._core, M = core._M;
    if (!(opts && opts.outputs)) {
      var code = M._nn_evaluate(p, s, core._eval);
      if (code !== 0) this._throwLast(code);
      return readEval(core);
    }
    // the outputs of every row as well, in one call of the core (not one predict() per row)
    var n = M._nn_data_set_count(this._data._ptr, s), op = core._malloc(4 * CLASSES * n);
    try {
      var rc = M._nn_evaluate_outputs(p, s, core._eval, op);
      if (rc !== 0) this._throwLast(rc);
      var r = readEval(core);
      r.outputs = core._f32().slice(op >> 2, (op >> 2) + CLASSES * n);
      return r;
    } finally {
      M._free(op);
    }
  };

  Network.prototype.cost = function (setOrRows) {
    var p = this._live();
    this._needData();
    var core = this._core, M = core._M, d = this._data._ptr;
    if (typeof setOrRows === 'string' || setOrRows === undefined) {
      var s = setIndex(setOrRows);
      return M._nn_cost_rows(p, d, M._nn_data_set_indices(d, s), M._nn_data_set_count(d, s));
    }
    if (!setOrRows || typeof setOrRows.length !== 'number') fail('invalid', 'cost() needs "train", "test", "all" or a list of row numbers — you gave ' + show(setOrRows) + '.');
    var n = setOrRows.length;
    for (var i = 0; i < n; i++) this._data._row(setOrRows[i]);
    var rp = core._malloc(4 * n);
    try {
      core._i32().set(setOrRows, rp >> 2);
      return M._nn_cost_rows(p, d, rp, n);
    } finally {
      M._free(rp);
    }
  };

  /** Check 64 raw pixels and write them, scaled, into the scratch input. */
  Network.prototype._writeInput = function (pixels) {
    if (!pixels || typeof pixels === 'string' || typeof pixels.length !== 'number') {
      fail('invalid', 'An input must be 64 pixel values from 0 to 16 — you gave ' + show(pixels) + '.');
    }
    if (pixels.length !== INPUTS) fail('invalid', 'An input must have exactly 64 pixels (8×8) — you gave ' + pixels.length + '.');
    var k = this._scale === 'raw' ? 1 : 1 / 16;
    var f32 = this._core._f32(), w = this._core._x >> 2;
    for (var i = 0; i < INPUTS; i++) {
      var v = pixels[i];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 16) {
        fail('invalid', 'Pixel ' + (i + 1) + ' must be a number from 0 to 16 — it is ' + show(v) + '.');
      }
      f32[w + i] = v * k;
    }
    return this._core._x;
  };

  Network.prototype.trace = function (rowOrPixels, opts) {
    var p = this._live();
    var core = this._core, M = core._M;
    var label = opts && opts.label !== undefined ? opts.label : undefined;
    var xPtr;
    if (typeof rowOrPixels === 'number') {
      this._needData();
      var row = this._data._row(rowOrPixels);
      xPtr = M._nn_data_x(this._data._ptr) + row * INPUTS * 4;
      if (label === undefined) label = this._data.label(row);
    } else {
      xPtr = this._writeInput(rowOrPixels);
    }
    if (label === undefined || label === null) label = -1;
    if (!isInt(label) || label < -1 || label > 9) fail('invalid', 'The label must be a whole number from 0 to 9 (or null for none) — you gave ' + show(label) + '.');
    var code = M._nn_trace(p, xPtr, label);
    if (code !== 0) this._throwLast(code);
    var f32 = core._f32(), lay = this._layout, L = lay.length;
    function vec(ptr, n) { return f32.slice(ptr >> 2, (ptr >> 2) + n); }
    var tg = label >= 0 ? M._nn_trace_grads(p) >> 2 : 0, pw = this._paramsPtr >> 2;
    var layers = [];
    for (var l = 0; l < L; l++) {
      var ly = lay[l], o = {
        in: ly.in, out: ly.out,
        W: f32.slice(pw + ly.w, pw + ly.w + ly.in * ly.out),
        b: f32.slice(pw + ly.b, pw + ly.b + ly.out),
        input: vec(M._nn_trace_a(p, l), ly.in),
        z: vec(M._nn_trace_z(p, l + 1), ly.out),
        a: vec(M._nn_trace_a(p, l + 1), ly.out)
      };
      if (label >= 0) {
        o.delta = vec(M._nn_trace_delta(p, l + 1), ly.out);
        o.dW = f32.slice(tg + ly.w, tg + ly.w + ly.in * ly.out);
        o.db = f32.slice(tg + ly.b, tg + ly.b + ly.out);
      }
      layers.push(o);
    }
    return {
      cost: label >= 0 ? M._nn_trace_cost(p) : NaN,
      predicted: M._nn_trace_predicted(p),
      output: layers[L - 1].a.slice(),
      label: label >= 0 ? label : null,
      layers: layers
    };
  };

  Network.prototype.predict = function (pixels) {
    var p = this._live();
    var x = this._writeInput(pixels), core = this._core;
    var code = core._M._nn_predict(p, x, core._out);
    if (code !== 0) this._throwLast(code);
    return core._f32().slice(core._out >> 2, (core._out >> 2) + CLASSES);
  };

  Network.prototype._viewsNow = function () {
    var v = this._views, buf = this._core._M.HEAPU8.buffer;
    if (v.buffer !== buf) {
      v.buffer = buf;
      v.params = new Float32Array(buf, this._paramsPtr, this._nParams);
      v.grads = new Float32Array(buf, this._gradsPtr, this._nParams);
    }
    return v;
  };

  Object.defineProperty(Network.prototype, 'params', { get: function () { this._live(); return this._viewsNow().params; } });
  Object.defineProperty(Network.prototype, 'grads', { get: function () { this._live(); return this._viewsNow().grads; } });

  Network.prototype.layers = function () {
    this._live();
    var params = this._viewsNow().params;
    return this._layout.map(function (ly) {
      return { in: ly.in, out: ly.out,
        W: params.subarray(ly.w, ly.w + ly.in * ly.out), b: params.subarray(ly.b, ly.b + ly.out) };
    });
  };

  Network.prototype.toJSON = function () {
    this._live();
    var params = this._viewsNow().params;
    return {
      layers: this._layout.map(function (ly) {
        var weight = [];
        for (var o = 0; o < ly.out; o++) weight.push(Array.from(params.subarray(ly.w + o * ly.in, ly.w + (o + 1) * ly.in)));
        return { weight: weight, bias: Array.from(params.subarray(ly.b, ly.b + ly.out)) };
      })
    };
  };

  Network.prototype.fromJSON = function (obj) {
    this._live();
    if (typeof obj === 'string') {
      try { obj = JSON.parse(obj); } catch (e) { fail('data', 'The parameters are not valid JSON: ' + e.message); }
    }
    var lay = this._layout, shape = lay.map(function (ly) { return ly.out + '×' + ly.in; }).join(', ');
    if (!obj || typeof obj !== 'object' || !Array.isArray(obj.layers)) {
      fail('data', 'The parameters must look like {layers: [{weight: [[...]], bias: [...]}, ...]}.');
    }
    if (obj.layers.length !== lay.length) {
      fail('data', 'The parameters have ' + obj.layers.length + ' weight layers; this network has ' + lay.length + ' (' + shape + ').');
    }
    var flat = new Float32Array(this._nParams);
    function num(v, where) {
      var f = Math.fround(v);
      if (typeof v !== 'number' || !Number.isFinite(f)) fail('data', where + ' must be a finite number — it is ' + show(v) + '.');
      return f;
    }
    for (var l = 0; l < lay.length; l++) {
      var ly = lay[l], src = obj.layers[l], name = 'Layer ' + (l + 1);
      if (!src || !Array.isArray(src.weight) || !Array.isArray(src.bias)) fail('data', name + ' needs "weight" and "bias" lists.');
      if (src.weight.length !== ly.out) fail('data', name + ' weight should have ' + ly.out + ' rows (' + ly.out + '×' + ly.in + ') — it has ' + src.weight.length + '.');
      for (var o = 0; o < ly.out; o++) {
        var r = src.weight[o];
        if (!Array.isArray(r) || r.length !== ly.in) fail('data', name + ' weight row ' + (o + 1) + ' should have ' + ly.in + ' numbers — it has ' + (Array.isArray(r) ? r.length : 'none') + '.');
        for (var i = 0; i < ly.in; i++) flat[ly.w + o * ly.in + i] = num(r[i], name + ' weight [' + (o + 1) + '][' + (i + 1) + ']');
      }
      if (src.bias.length !== ly.out) fail('data', name + ' bias should have ' + ly.out + ' numbers — it has ' + src.bias.length + '.');
      for (o = 0; o < ly.out; o++) flat[ly.b + o] = num(src.bias[o], name + ' bias [' + (o + 1) + ']');
    }
    var params = this._viewsNow().params, old = params.slice();
    params.set(flat);
    var code = this._core._M._nn_params_changed(this._ptr);
    if (code !== 0) {
      var err = this._lastError(code);
      this._viewsNow().params.set(old);
      this._core._M._nn_params_changed(this._ptr);
      throw err;
    }
    this._ckpt = null;
    return this;
  };

  Network.prototype.setLearningRate = function (lr) {
    var p = this._live();
    var problem = checkLearningRate(lr);
    if (problem) throw new NNMathError('invalid', problem, [problem]);
    var code = this._core._M._nn_set_lr(p, lr);
    if (code !== 0) this._throwLast(code);
    this._cfg.lr = lr;
  };

  Network.prototype.reset = function () {
    this._core._M._nn_reset(this._live());
    this._ckpt = null;
  };

  Network.prototype.dispose = function () {
    if (!this._ptr) return;
    if (this._data) this._data._nets.delete(this);
    this._core._M._nn_free(this._ptr);
    this._ptr = 0;
    this._data = null;
    this._views = { buffer: null, params: null, grads: null };
  };

  // ---- the cost landscape (addition; src/nn_landscape.c) -------------------------
  var LANDSCAPE_MAX_PATH = 256, LANDSCAPE_MAX_SIZE = 101;

  function nowMs() {
    return typeof performance === 'object' && performance && typeof performance.now === 'function'
      ? performance.now() : Date.now();
  }

  /** A macrotask: the browser can paint and handle input before it runs. */
  function macrotask() {
    return new Promise(function (resolve) {
      if (!IS_NODE && typeof MessageChannel === 'function') {
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

  Network.prototype.snapshot = function () {
    this._live();
    return this._viewsNow().params.slice();
  };

  /** Snapshots (array of Float32Array(P) or one flat Float32Array) -> {flat, count}. */
  Network.prototype._flatSnapshots = function (snaps, what) {
    var P = this._nParams, flat, count, k;
    if (snaps && ArrayBuffer.isView(snaps) && !Array.isArray(snaps)) {
      if (snaps.length % P !== 0) fail('invalid', what + ' must hold whole parameter vectors of ' + P + ' numbers — it has ' + snaps.length + '.');
      count = snaps.length / P;
      flat = snaps instanceof Float32Array ? snaps : Float32Array.from(snaps);
    } else if (Array.isArray(snaps)) {
      count = snaps.length;
      flat = new Float32Array(count * P);
      for (k = 0; k < count; k++) {
        var s = snaps[k];
        if (!s || typeof s.length !== 'number' || s.length !== P) {
          fail('invalid', 'Point ' + (k + 1) + ' of ' + what + ' must be ' + P + ' parameters — it is ' + show(s) + '.');
        }
        flat.set(s, k * P);
      }
    } else {
      fail('invalid', what + ' must be a list of parameter vectors — you gave ' + show(snaps) + '.');
    }
    for (k = 0; k < flat.length; k++) {
      if (!Number.isFinite(flat[k])) fail('invalid', 'Point ' + (Math.floor(k / P) + 1) + ' of ' + what + ' has a parameter that is not a finite number.');
    }
    return { flat: flat, count: count };
  };

  /** Project onto θ + α·d1 + β·d2 (pointers to the directions in wasm memory). */
  Network.prototype._project = function (flat, count, d1p, d2p) {
    var core = this._core, M = core._M, P = this._nParams;
    var x = new Float32Array(count), y = new Float32Array(count), off = new Float32Array(count);
    if (count === 0) return { x: x, y: y, off: off };
    var pp = core._malloc(count * P * 4), xyp = 0, offp = 0;
    try {
      xyp = core._malloc(count * 8);
      offp = core._malloc(count * 4);
      core._f32().set(flat, pp >> 2);
      core._throwIf(M._nn_landscape_project(this._ptr, pp, count, d1p, d2p, xyp, offp, core._err), core._err);
      var f32 = core._f32();
      for (var k = 0; k < count; k++) {
        x[k] = f32[(xyp >> 2) + 2 * k];
        y[k] = f32[(xyp >> 2) + 2 * k + 1];
        off[k] = f32[(offp >> 2) + k];
      }
    } finally {
      M._free(pp);
      if (xyp) M._free(xyp);
      if (offp) M._free(offp);
    }
    return { x: x, y: y, off: off };
  };

  Network.prototype._direction = function (v, name) {
    var P = this._nParams;
    if (!v || typeof v.length !== 'number' || v.length !== P) fail('invalid', name + ' must be ' + P + ' numbers (one per parameter) — you gave ' + show(v) + '.');
    for (var i = 0; i < P; i++) if (!Number.isFinite(v[i])) fail('invalid', name + ' must be finite numbers.');
    return v;
  };

  Network.prototype.projectPath = function (snapshots, d1, d2) {
    this._live();
    var core = this._core, P = this._nParams;
    var s = this._flatSnapshots(snapshots, 'The path');
    this._direction(d1, 'd1');
    this._direction(d2, 'd2');
    var dp = core._malloc(8 * P);
    try {
      core._f32().set(d1, dp >> 2);
      core._f32().set(d2, (dp >> 2) + P);
      return this._project(s.flat, s.count, dp, dp + 4 * P);
    } finally {
      core._M._free(dp);
    }
  };

  Network.prototype.landscape = function (opts) {
    return new Landscape(this, opts || {});
  };

  function Landscape(net, o) {
    net._live();
    net._needData();
    var core = net._core, M = core._M, P = net._nParams, data = net._data;
    var size = o.size === undefined ? 31 : o.size;
    if (!isInt(size) || size < 3 || size > LANDSCAPE_MAX_SIZE || size % 2 !== 1) {
      fail('invalid', 'The grid size must be an odd whole number from 3 to 101 (so the grid has a middle) — you gave ' + show(size) + '.');
    }
    var seed = o.seed === undefined ? 1 : o.seed;
    if (!isInt(seed) || seed < 0 || seed > 4294967295) fail('invalid', 'The seed must be a whole number from 0 to 4294967295 — you gave ' + show(seed) + '.');
    var kind = o.directions === undefined ? 'random' : o.directions;
    if (kind !== 'random' && kind !== 'path' && !(kind && typeof kind === 'object')) {
      fail('invalid', 'The directions must be "random", "path" or {d1, d2} — you gave ' + show(kind) + '.');
    }
    var span = o.span === undefined ? (kind === 'path' ? 'auto' : 1) : o.span;
    if (span !== 'auto' && (typeof span !== 'number' || !Number.isFinite(span) || !(span > 0) || span > 1e6)) {
      fail('invalid', 'The span must be a number greater than 0 (or "auto") — you gave ' + show(span) + '.');
    }
    var rows = o.rows === undefined ? 'train' : o.rows;
    if (typeof rows === 'string') rows = data.rows(rows);
    else if (rows && typeof rows.length === 'number') {
      for (var r = 0; r < rows.length; r++) data._row(rows[r]);
      rows = Int32Array.from(rows);
    } else fail('invalid', 'The rows must be "train", "test", "all" or a list of row numbers — you gave ' + show(rows) + '.');
    var samples = o.samples === undefined ? 500 : o.samples;
    if (!isInt(samples) || samples < 1) fail('invalid', 'The number of samples must be a whole number of at least 1 — you gave ' + show(samples) + '.');
    if (samples < rows.length) rows = rows.slice(0, samples);
    if (rows.length < 1) fail('invalid', 'The landscape needs at least one digit to compute the cost on.');
    var path = null;
    if (o.path !== undefined && o.path !== null) path = net._flatSnapshots(o.path, 'The path');
    if (kind === 'path' && (!path || path.count < 1)) fail('invalid', 'Directions along the path need the path: opts.path, a list of parameter snapshots.');

    this._net = net;
    this._core = core;
    this.size = size;
    this.seed = seed;
    this.rows = rows;
    this.total = size * size;
    this.pointsDone = 0;
    this.stale = false;
    this.explained = null;
    this._chunk = 1;
    this._cancelled = false;
    this._buf = 0;
    var n = rows.length;
    // One block: d1 (P), d2 (P), rows (n), betas (size), out (size), explained (2).
    var buf = core._malloc(4 * (2 * P + n + 2 * size + 2));
    this._buf = buf;
    this._d1p = buf;
    this._d2p = buf + 4 * P;
    this._rowsp = buf + 8 * P;
    this._betasp = this._rowsp + 4 * n;
    this._outp = this._betasp + 4 * size;
    var explp = this._outp + 4 * size;
    try {
      core._i32().set(rows, this._rowsp >> 2);
      if (kind === 'random') {
        this.directions = 'random';
        core._throwIf(M._nn_landscape_directions(net._ptr, seed >>> 0, this._d1p, this._d2p, core._err), core._err);
      } else if (kind === 'path') {
        this.directions = 'path';
        var thin = thinPath(path.flat, path.count, P, LANDSCAPE_MAX_PATH);
        var pp = core._malloc(4 * thin.length);
        try {
          core._f32().set(thin, pp >> 2);
          core._throwIf(M._nn_landscape_path_directions(net._ptr, pp, thin.length / P, this._d1p, this._d2p, explp, core._err), core._err);
        } finally {
          M._free(pp);
        }
        this.explained = [core._f32()[explp >> 2], core._f32()[(explp >> 2) + 1]];
      } else {
        this.directions = 'custom';
        net._direction(kind.d1, 'd1');
        net._direction(kind.d2, 'd2');
        core._f32().set(kind.d1, this._d1p >> 2);
        core._f32().set(kind.d2, this._d2p >> 2);
      }
      var f32 = core._f32();
      this.d1 = f32.slice(this._d1p >> 2, (this._d1p >> 2) + P);
      this.d2 = f32.slice(this._d2p >> 2, (this._d2p >> 2) + P);
      this.theta = net._viewsNow().params.slice();
      this.path = path ? net._project(path.flat, path.count, this._d1p, this._d2p) : null;
      if (span === 'auto') {
        var m = 0;
        if (this.path && kind !== 'random') {
          for (var k = 0; k < this.path.x.length; k++) m = Math.max(m, Math.abs(this.path.x[k]), Math.abs(this.path.y[k]));
          span = Math.max(1e-3, 1.25 * m);
        } else span = 1;
      }
      this.span = span;
      var h = (size - 1) / 2;
      this.alphas = new Float32Array(size);
      for (var i = 0; i < size; i++) this.alphas[i] = span * (i - h) / h; // i = h: exactly 0
      this.betas = this.alphas.slice();
      core._f32().set(this.betas, this._betasp >> 2);
      this.values = new Float32Array(size * size).fill(NaN);
      this.centre = M._nn_cost_rows(net._ptr, data._ptr, this._rowsp, n);
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** At most `max` of `count` vectors (P each), evenly spread, first and last kept. */
  function thinPath(flat, count, P, max) {
    if (count <= max) return flat;
    var out = new Float32Array(max * P);
    for (var k = 0; k < max; k++) {
      var src = Math.round(k * (count - 1) / (max - 1));
      out.set(flat.subarray(src * P, (src + 1) * P), k * P);
    }
    return out;
  }

  Object.defineProperty(Landscape.prototype, 'done', { get: function () { return this.pointsDone >= this.total; } });
  Object.defineProperty(Landscape.prototype, 'progress', { get: function () { return this.pointsDone / this.total; } });

  /** Throw unless usable: not disposed, the network alive and its parameters still θ. */
  Landscape.prototype._check = function () {
    if (!this._buf) fail('invalid', 'This landscape has been disposed.');
    var net = this._net;
    net._live();
    net._needData();
    if (!this.stale) {
      var p = net._viewsNow().params, t = this.theta;
      for (var i = 0; i < t.length; i++) {
        if (p[i] !== t[i] && !(p[i] !== p[i] && t[i] !== t[i])) { this.stale = true; break; }
      }
    }
    if (this.stale) fail('invalid', 'The network’s weights have changed since this landscape was started (it trained): compute a new landscape for the new weights.');
  };

  /** Grid points (i, j0 .. j0+k-1) into values. */
  Landscape.prototype._run = function (i, j0, k) {
    var core = this._core, net = this._net, size = this.size;
    var code = core._M._nn_landscape_row(net._ptr, net._data._ptr, this._rowsp, this.rows.length,
      this._d1p, this._d2p, this.alphas[i], this._betasp + 4 * j0, k, this._outp, core._err);
    core._throwIf(code, core._err);
    var f32 = core._f32(), o = this._outp >> 2; // (re-read: the call may have grown memory)
    for (var j = 0; j < k; j++) this.values[i * size + j0 + j] = f32[o + j];
  };

  Landscape.prototype.computeRow = function (i) {
    this._check();
    if (!isInt(i) || i < 0 || i >= this.size) fail('invalid', 'The row must be a whole number from 0 to ' + (this.size - 1) + ' — you gave ' + show(i) + '.');
    this._run(i, 0, this.size);
    return this.values.slice(i * this.size, (i + 1) * this.size);
  };

  Landscape.prototype._status = function () {
    return { done: this.done, pointsDone: this.pointsDone, total: this.total, progress: this.progress };
  };

  Landscape.prototype.step = function (budgetMs) {
    this._check();
    var budget = budgetMs === undefined ? 12 : budgetMs;
    if (typeof budget !== 'number' || !(budget > 0)) fail('invalid', 'The time budget must be a number of milliseconds greater than 0 — you gave ' + show(budget) + '.');
    var size = this.size, t0 = nowMs(), perPoint = this._perPoint || 0;
    while (this.pointsDone < this.total) {
      var i = Math.floor(this.pointsDone / size), j = this.pointsDone % size;
      var k = Math.min(this._chunk, size - j);
      var t1 = nowMs();
      this._run(i, j, k);
      var t2 = nowMs();
      this.pointsDone += k;
      // Smoothed time per point; the next call should take about budget / 2.
      var pp = (t2 - t1) / k;
      perPoint = perPoint ? 0.7 * perPoint + 0.3 * pp : pp;
      this._perPoint = perPoint;
      this._chunk = Math.max(1, Math.min(size, Math.floor(0.5 * budget / Math.max(perPoint, 1e-3))));
      if (t2 - t0 + perPoint * Math.min(this._chunk, this.total - this.pointsDone) > budget) break;
    }
    return this._status();
  };

  Landscape.prototype.compute = function (opts) {
    var self = this;
    opts = opts || {};
    var budget = opts.budgetMs === undefined ? 12 : opts.budgetMs;
    var onProgress = typeof opts.onProgress === 'function' ? opts.onProgress : null;
    var yieldFn = typeof opts.yield === 'function' ? opts.yield : macrotask;
    this._cancelled = false;
    return new Promise(function (resolve, reject) {
      function loop() {
        if (self._cancelled || !self._buf) { resolve(self); return; }
        var st;
        try { st = self.step(budget); } catch (e) { reject(e); return; }
        if (onProgress) {
          try { onProgress(st, self); } catch (e) { reject(e); return; }
        }
        if (st.done) resolve(self);
        else Promise.resolve(yieldFn()).then(loop, reject);
      }
      loop();
    });
  };

  Landscape.prototype.cancel = function () { this._cancelled = true; };

  Landscape.prototype.project = function (snapshots) {
    this._check();
    var s = this._net._flatSnapshots(snapshots, 'The path');
    return this._net._project(s.flat, s.count, this._d1p, this._d2p);
  };

  Landscape.prototype.dispose = function () {
    this._cancelled = true;
    if (!this._buf) return;
    this._core._M._free(this._buf);
    this._buf = 0;
  };

  return {
    load: load,
    NO_WASM: NO_WASM,
    simdSupported: simdSupported,
    decodeDigits: decodeDigits,
    validateConfig: function (cfg) { return validateConfig(cfg); },
    normalizeConfig: function (cfg) { return normalizeConfig(cfg); },
    NNMathError: NNMathError,
    Core: Core,
    Dataset: Dataset,
    Network: Network,
    Landscape: Landscape
  };
});
