/* TEST-ONLY stand-in for web/js/nnmath.js (the real wrapper around the wasm core), used by the
 * page tests only while the real one is not built yet.  Same API as docs/CONTRACTS.md, same
 * maths as src/nnmath.h (in plain JS, float64).  Never shipped. */
(function (root) {
  'use strict';

  function NNMathError(code, message) {
    var e = new Error(message); e.name = 'NNMathError'; e.code = code;
    Object.setPrototypeOf(e, NNMathError.prototype); return e;
  }
  NNMathError.prototype = Object.create(Error.prototype);
  NNMathError.prototype.constructor = NNMathError;

  function rng(seed) { // mulberry32
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6D2B79F5) >>> 0; var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function shuffle(arr, r) {
    for (var i = arr.length - 1; i > 0; i--) { var j = Math.floor(r() * (i + 1)); var t = arr[i]; arr[i] = arr[j]; arr[j] = t; }
  }

  function decodeDigits(obj) {
    obj = obj || root.NNMATH_DIGITS;
    var n = obj.count, px = new Uint8Array(n * 64), lb = new Uint8Array(n);
    for (var i = 0; i < n * 64; i++) px[i] = obj.pixels.charCodeAt(i) - 65;
    for (var j = 0; j < n; j++) lb[j] = obj.labels.charCodeAt(j) - 48;
    return {count: n, pixels: px, labels: lb};
  }

  function Dataset(pixels, labels, scale) {
    this.count = labels.length; this.scale = scale || 'unit';
    this._px = new Uint8Array(pixels); this._lb = new Uint8Array(labels);
    var div = this.scale === 'raw' ? 1 : 16;
    this._x = new Float32Array(this._px.length);
    for (var i = 0; i < this._px.length; i++) this._x[i] = this._px[i] / div;
    this._train = []; for (var k = 0; k < this.count; k++) this._train.push(k);
    this._test = [];
  }
  Dataset.prototype.split = function (o) {
    var f = o && o.testFraction !== undefined ? o.testFraction : 0.2, r = rng((o && o.seed) || 1);
    var train = [], test = [];
    for (var c = 0; c < 10; c++) {
      var rows = []; for (var i = 0; i < this.count; i++) if (this._lb[i] === c) rows.push(i);
      shuffle(rows, r); var nt = Math.round(rows.length * f);
      test = test.concat(rows.slice(0, nt)); train = train.concat(rows.slice(nt));
    }
    this._train = train.sort(function (a, b) { return a - b; });
    this._test = test.sort(function (a, b) { return a - b; });
  };
  Dataset.prototype.limitTrain = function (n) { this._train = this._train.slice(0, n); };
  Dataset.prototype.rows = function (set) {
    return Int32Array.from(set === 'test' ? this._test : set === 'all' ? this._train.concat(this._test).sort(function (a, b) { return a - b; }) : this._train);
  };
  Dataset.prototype.pixels = function (row) { return this._px.slice(row * 64, row * 64 + 64); };
  Dataset.prototype.label = function (row) { return this._lb[row]; };
  Dataset.prototype.dispose = function () {};

  var ACT = {
    sigmoid: function (z) { return 1 / (1 + Math.exp(-z)); },
    tanh: Math.tanh,
    relu: function (z) { return z > 0 ? z : 0; },
    identity: function (z) { return z; }
  };
  var DACT = { // derivative from z and a
    sigmoid: function (z, a) { return a * (1 - a); },
    tanh: function (z, a) { return 1 - a * a; },
    relu: function (z) { return z > 0 ? 1 : 0; },
    identity: function () { return 1; }
  };

  function validate(cfg) {
    var p = [];
    var L = cfg.layers;
    if (!Array.isArray(L) || L.length < 2 || L.length > 6) p.push('The network needs 2 to 6 layer sizes.');
    else {
      if (L[0] !== 64) p.push('The first layer must have 64 inputs.');
      if (L[L.length - 1] !== 10) p.push('The last layer must have 10 outputs.');
      for (var i = 1; i < L.length - 1; i++) if (!(L[i] >= 1 && L[i] <= 512)) p.push('Hidden widths are 1 to 512.');
    }
    if (cfg.cost === 'xent' && cfg.output !== 'softmax') p.push('Cross-entropy needs the softmax output.');
    if (!(cfg.lr > 0 && cfg.lr <= 100)) p.push('The learning rate must be more than 0 and at most 100.');
    return p;
  }

  function Network(cfg, ds) {
    var c = {};
    for (var k in cfg) c[k] = cfg[k];
    if (!c.output) c.output = c.cost === 'xent' ? 'softmax' : 'sigmoid';
    var problems = validate(c);
    if (problems.length) throw NNMathError('invalid', problems.join(' '));
    this.config = c; this._ds = ds;
    this._sizes = c.layers.slice();
    var n = 0; this._off = [];
    for (var l = 0; l < this._sizes.length - 1; l++) {
      var inn = this._sizes[l], out = this._sizes[l + 1];
      this._off.push({w: n, b: n + inn * out, in: inn, out: out}); n += inn * out + out;
    }
    this.params = new Float32Array(n); this.grads = new Float32Array(n);
    this._lr = c.lr;
    this.reset();
  }
  Network.prototype.reset = function () {
    var c = this.config, r = rng(c.seed * 2654435761 + 12345);
    this.params.fill(0);
    var nl = this._off.length;
    for (var l = 0; l < nl; l++) {
      var o = this._off[l];
      var lim = (l < nl - 1 && c.activation === 'relu') ? Math.sqrt(6 / o.in) : Math.sqrt(6 / (o.in + o.out));
      for (var i = 0; i < o.in * o.out; i++) this.params[o.w + i] = (r() * 2 - 1) * lim;
    }
    this._shuf = rng(c.seed ^ 0x9e3779b9);
    this._m = new Float64Array(this.params.length); this._v = new Float64Array(this.params.length); this._t = 0;
    this.epoch = 0; this._step = 0; this._order = null; this._lastCost = NaN;
  };
  Network.prototype._forward = function (x) {
    var acts = [Float64Array.from(x)], zs = [null], nl = this._off.length, P = this.params;
    for (var l = 0; l < nl; l++) {
      var o = this._off[l], a = acts[l], z = new Float64Array(o.out), out = new Float64Array(o.out);
      for (var i = 0; i < o.out; i++) {
        var s = P[o.b + i], row = o.w + i * o.in;
        for (var j = 0; j < o.in; j++) s += P[row + j] * a[j];
        z[i] = s;
      }
      var f = l < nl - 1 ? this.config.activation : this.config.output;
      if (f === 'softmax') {
        var m = -Infinity; for (i = 0; i < o.out; i++) if (z[i] > m) m = z[i];
        var sum = 0; for (i = 0; i < o.out; i++) { out[i] = Math.exp(z[i] - m); sum += out[i]; }
        for (i = 0; i < o.out; i++) out[i] /= sum;
      } else for (i = 0; i < o.out; i++) out[i] = ACT[f](z[i]);
      zs.push(z); acts.push(out);
    }
    return {acts: acts, zs: zs};
  };
  Network.prototype._cost = function (a, label, z) {
    if (this.config.cost === 'xent') {
      var m = -Infinity; for (var i = 0; i < 10; i++) if (z[i] > m) m = z[i];
      var s = 0; for (i = 0; i < 10; i++) s += Math.exp(z[i] - m);
      return -(z[label] - m - Math.log(s));
    }
    var c = 0; for (var k = 0; k < 10; k++) { var d = a[k] - (k === label ? 1 : 0); c += d * d; }
    return c / 2;
  };
  // backward for one sample, adding into G (scaled by `scale`); returns deltas
  Network.prototype._backward = function (fw, label, G, scale) {
    var nl = this._off.length, c = this.config, deltas = new Array(nl + 1);
    var aL = fw.acts[nl], zL = fw.zs[nl], d = new Float64Array(10);
    var k;
    if (c.cost === 'xent' || (c.output === 'softmax' && c.cost === 'xent')) {
      for (k = 0; k < 10; k++) d[k] = aL[k] - (k === label ? 1 : 0);
    } else {
      var g = new Float64Array(10); for (k = 0; k < 10; k++) g[k] = aL[k] - (k === label ? 1 : 0);
      if (c.output === 'softmax') {
        var dot = 0; for (k = 0; k < 10; k++) dot += g[k] * aL[k];
        for (k = 0; k < 10; k++) d[k] = aL[k] * (g[k] - dot);
      } else for (k = 0; k < 10; k++) d[k] = g[k] * DACT[c.output](zL[k], aL[k]);
    }
    deltas[nl] = d;
    for (var l = nl - 1; l >= 0; l--) {
      var o = this._off[l], a = fw.acts[l], dl = deltas[l + 1];
      for (var i = 0; i < o.out; i++) {
        G[o.b + i] += dl[i] * scale;
        for (var j = 0; j < o.in; j++) G[o.w + i * o.in + j] += dl[i] * a[j] * scale;
      }
      if (l > 0) {
        var dp = new Float64Array(o.in), zp = fw.zs[l], ap = fw.acts[l];
        for (j = 0; j < o.in; j++) {
          var s = 0; for (i = 0; i < o.out; i++) s += this.params[o.w + i * o.in + j] * dl[i];
          dp[j] = s * DACT[c.activation](zp[j], ap[j]);
        }
        deltas[l] = dp;
      }
    }
    return deltas;
  };
  Network.prototype._stepsPerEpoch = function () {
    var n = this._ds._train.length, b = this.config.batch || n;
    return Math.max(1, Math.ceil(n / b));
  };
  Network.prototype._oneStep = function () {
    var ds = this._ds, n = ds._train.length, b = this.config.batch || n, spe = this._stepsPerEpoch();
    if (this._step === 0) { this._order = ds._train.slice(); if (this.config.shuffle !== false) shuffle(this._order, this._shuf); }
    var start = this._step * b, end = Math.min(n, start + b), cnt = end - start;
    var G = new Float64Array(this.params.length), cost = 0;
    for (var s = start; s < end; s++) {
      var row = this._order[s], x = ds._x.subarray(row * 64, row * 64 + 64), lab = ds._lb[row];
      var fw = this._forward(x);
      cost += this._cost(fw.acts[fw.acts.length - 1], lab, fw.zs[fw.zs.length - 1]);
      this._backward(fw, lab, G, 1 / cnt);
    }
    cost /= cnt;
    var backup = this.params.slice(), P = this.params, c = this.config, lr = this._lr, ok = isFinite(cost);
    this._t++;
    for (var i = 0; i < P.length && ok; i++) {
      var gi = G[i], upd;
      if (c.optimizer === 'momentum') { this._m[i] = c.momentum * this._m[i] + gi; upd = lr * this._m[i]; }
      else if (c.optimizer === 'adam') {
        var b1 = c.momentum, b2 = 0.999;
        this._m[i] = b1 * this._m[i] + (1 - b1) * gi; this._v[i] = b2 * this._v[i] + (1 - b2) * gi * gi;
        upd = lr * (this._m[i] / (1 - Math.pow(b1, this._t))) / (Math.sqrt(this._v[i] / (1 - Math.pow(b2, this._t))) + 1e-8);
      } else upd = lr * gi;
      P[i] -= upd; this.grads[i] = gi;
      if (!isFinite(P[i])) ok = false;
    }
    if (!ok) {
      this.params.set(backup); this._m.fill(0); this._v.fill(0);
      throw NNMathError('diverged', 'Training diverged at epoch ' + (this.epoch + 1) + ', step ' + (this._step + 1) +
        ': the cost or a weight became infinite or not a number. Try a smaller learning rate.');
    }
    this._lastCost = cost;
    this._step++;
    if (this._step >= spe) { this._step = 0; this.epoch++; }
  };
  Network.prototype._info = function () {
    return {epoch: this.epoch, step: this._step, stepsPerEpoch: this._stepsPerEpoch(), batchCost: this._lastCost, pending: 0};
  };
  Network.prototype.trainSteps = function (n) { for (var i = 0; i < n; i++) this._oneStep(); return this._info(); };
  Network.prototype.trainSamples = function (n) {
    var e = this.epoch, done = 0, b = this.config.batch || 1e9;
    do { this._oneStep(); done += b; } while (done < n && this.epoch === e);
    return this._info();
  };
  Network.prototype.trainEpoch = function () { var e = this.epoch; do { this._oneStep(); } while (this.epoch === e); return this._info(); };
  Network.prototype.evaluate = function (set, opts) {
    var rows = this._ds.rows(set), conf = new Int32Array(100), cost = 0, correct = 0;
    var outputs = opts && opts.outputs ? new Float32Array(rows.length * 10) : null;
    for (var r = 0; r < rows.length; r++) {
      var row = rows[r], fw = this._forward(this._ds._x.subarray(row * 64, row * 64 + 64)), lab = this._ds._lb[row];
      var a = fw.acts[fw.acts.length - 1], p = 0;
      if (outputs) outputs.set(a, r * 10);
      for (var k = 1; k < 10; k++) if (a[k] > a[p]) p = k;
      cost += this._cost(a, lab, fw.zs[fw.zs.length - 1]); conf[lab * 10 + p]++; if (p === lab) correct++;
    }
    var res = {cost: rows.length ? cost / rows.length : 0, accuracy: rows.length ? correct / rows.length : 0,
      correct: correct, count: rows.length, confusion: conf};
    if (outputs) res.outputs = outputs;
    return res;
  };
  Network.prototype._x = function (rowOrPixels) {
    if (typeof rowOrPixels === 'number') return this._ds._x.subarray(rowOrPixels * 64, rowOrPixels * 64 + 64);
    if (!rowOrPixels || rowOrPixels.length !== 64) throw NNMathError('invalid', 'A digit has 64 pixels.');
    var x = new Float32Array(64), div = this._ds.scale === 'raw' ? 1 : 16;
    for (var i = 0; i < 64; i++) { var v = rowOrPixels[i]; if (!(v >= 0 && v <= 16)) throw NNMathError('invalid', 'Pixels are 0 to 16.'); x[i] = v / div; }
    return x;
  };
  Network.prototype.trace = function (rowOrPixels, opt) {
    var x = this._x(rowOrPixels);
    var label = opt && opt.label !== undefined ? opt.label : (typeof rowOrPixels === 'number' ? this._ds._lb[rowOrPixels] : -1);
    var fw = this._forward(x), nl = this._off.length, a = fw.acts[nl], pred = 0;
    for (var k = 1; k < 10; k++) if (a[k] > a[pred]) pred = k;
    var G = new Float64Array(this.params.length), deltas = null, cost = NaN;
    if (label >= 0 && label <= 9) { deltas = this._backward(fw, label, G, 1); cost = this._cost(a, label, fw.zs[nl]); }
    var layers = [];
    for (var l = 0; l < nl; l++) {
      var o = this._off[l], L = {in: o.in, out: o.out, W: this.params.slice(o.w, o.w + o.in * o.out),
        b: this.params.slice(o.b, o.b + o.out), input: Float32Array.from(fw.acts[l]),
        z: Float32Array.from(fw.zs[l + 1]), a: Float32Array.from(fw.acts[l + 1])};
      if (deltas) { L.delta = Float32Array.from(deltas[l + 1]); L.dW = Float32Array.from(G.subarray(o.w, o.w + o.in * o.out)); L.db = Float32Array.from(G.subarray(o.b, o.b + o.out)); }
      layers.push(L);
    }
    return {cost: cost, predicted: pred, output: Float32Array.from(a), label: label, layers: layers};
  };
  Network.prototype.predict = function (px) { var fw = this._forward(this._x(Array.from(px))); return Float32Array.from(fw.acts[fw.acts.length - 1]); };
  Network.prototype.layers = function () {
    var P = this.params;
    return this._off.map(function (o) { return {in: o.in, out: o.out, W: P.subarray(o.w, o.w + o.in * o.out), b: P.subarray(o.b, o.b + o.out)}; });
  };
  Network.prototype.setLearningRate = function (lr) { this._lr = lr; this.config.lr = lr; };
  Network.prototype.toJSON = function () { return {layers: []}; };
  Network.prototype.fromJSON = function () {};
  Network.prototype.dispose = function () {};

  var core = {
    simd: false, mock: true,
    validateConfig: function (cfg) { var c = {}; for (var k in cfg) c[k] = cfg[k]; if (!c.output) c.output = c.cost === 'xent' ? 'softmax' : 'sigmoid'; return validate(c); },
    dataset: function (o) { return new Dataset(o.pixels, o.labels, o.scale); },
    network: function (cfg, ds) { return new Network(cfg, ds); }
  };

  var api = {
    load: function () { return new Promise(function (res) { setTimeout(function () { res(core); }, 10); }); },
    simdSupported: function () { return false; },
    decodeDigits: decodeDigits,
    NNMathError: NNMathError,
    isMock: true
  };
  if (typeof module === 'object' && module.exports) module.exports = api; else root.NNMath = api;
})(this);
