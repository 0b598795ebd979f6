/* nnmath — saving and loading a trained model: the file format (pure, no DOM).
 * Classic script: browser global NNModelIO; in Node `require('web/js/model-io/modelio.js')`.
 *
 * The file (JSON, UTF-8):
 *   {"format": "nnmath-model", "version": 1,
 *    "config": {layers, activation, output, cost, optimizer, lr, momentum, weightDecay, batch, seed, shuffle},
 *    "data": {"scale": "unit" | "raw"},            // how the pixels are fed in (optional; default unit)
 *    "trained": {"epochs": 10, "testAccuracy": 0.94},   // optional, informative only
 *    "layers": [{"weight": [[...in numbers], ...out rows], "bias": [...out numbers]}, ...]}
 * "layers" is exactly the parameter file of the command-line trainer (and net.toJSON()), whose
 * reader ignores the other keys, so `nnmath train --init model.json --epochs 0 ...` (with the same
 * --layers, --activation, --cost ...) reads a saved model.  Numbers are written with 9 significant
 * digits, which gives every float32 back exactly.
 *
 *   NNModelIO.serialize(net, {epochs, testAccuracy, scale}) -> the object above
 *   NNModelIO.stringify(net, info) -> JSON text;  NNModelIO.fileName(model) -> "nnmath-model-64-32-10-relu-xent.json"
 *   NNModelIO.parse(textOrBytes, {maxBytes}) -> {config, data: {scale}, trained, layers, paramCount}
 *       or throws NNModelIO.ModelIOError (err.message: plain language, for a student)
 *   NNModelIO.check(textOrBytes) -> {ok: true, model} | {ok: false, error: message}
 *
 * parse() refuses: more than maxBytes (5 MB), text that is not JSON, anything but an object with
 * format "nnmath-model", another version, a configuration NNMath.normalizeConfig refuses, layers
 * whose count or shapes do not match the configuration, values that are not finite numbers (or
 * strings like "NaN"), and weights larger than 1e6 in size (a trained network has far smaller
 * ones; huge values only overflow).  It reads only the keys it knows, as own properties, and
 * builds fresh objects (so "__proto__" and the like in a file do nothing).  Nesting is never
 * followed beyond the expected depth.
 */
(function (root, factory) {
  'use strict';
  var NNMath = root && root.NNMath;
  if (typeof module === 'object' && module && module.exports) {
    if (!NNMath) NNMath = require('../nnmath.js');
    module.exports = factory(root, NNMath);
  } else {
    root.NNModelIO = factory(root, NNMath);
  }
})(typeof globalThis !== 'undefined' ? globalThis : this, function (root, NNMath) {
  'use strict';

  var FORMAT = 'nnmath-model', VERSION = 1;
  var MAX_BYTES = 5 * 1024 * 1024;
  var MAX_ABS = 1e6;
  var CONFIG_KEYS = ['layers', 'activation', 'output', 'cost', 'optimizer', 'lr', 'momentum', 'weightDecay', 'batch',
    'seed', 'shuffle'];

  class ModelIOError extends Error {
    constructor(message) {
      super(message);
      this.name = 'ModelIOError';
    }
  }
  function fail(msg) { throw new ModelIOError(msg); }

  function own(o, k) { return o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined; }
  function isObj(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function short(v) { return Number(Math.fround(v).toPrecision(9)); }

  function describe(v) {
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'a list';
    if (typeof v === 'string') return 'the text "' + (v.length > 20 ? v.slice(0, 20) + '…' : v) + '"';
    if (typeof v === 'object') return 'an object';
    return String(v);
  }

  /* ---------------------------------------------------------------- saving */
  /** The model object for a network (net.config, net.toJSON()). info: {epochs, testAccuracy, scale}. */
  function serialize(net, info) {
    info = info || {};
    var cfg = net.config, json = net.toJSON();
    var config = {};
    CONFIG_KEYS.forEach(function (k) { config[k] = Array.isArray(cfg[k]) ? cfg[k].slice() : cfg[k]; });
    var scale = info.scale || (net.dataset && net.dataset.scale) || 'unit';
    var trained = {epochs: typeof info.epochs === 'number' ? info.epochs : (typeof net.epoch === 'number' ? net.epoch : 0)};
    if (typeof info.testAccuracy === 'number' && Number.isFinite(info.testAccuracy)) trained.testAccuracy = short(info.testAccuracy);
    return {
      format: FORMAT,
      version: VERSION,
      config: config,
      data: {scale: scale === 'raw' ? 'raw' : 'unit'},
      trained: trained,
      layers: json.layers.map(function (l) {
        return {weight: l.weight.map(function (row) { return row.map(short); }), bias: l.bias.map(short)};
      })
    };
  }

  /** The model as JSON text: one line per weight row, so the file is readable and diffs well. */
  function stringify(netOrModel, info) {
    var m = netOrModel && netOrModel.format === FORMAT ? netOrModel : serialize(netOrModel, info);
    var head = {format: m.format, version: m.version, config: m.config, data: m.data, trained: m.trained};
    var lines = [];
    lines.push('{');
    Object.keys(head).forEach(function (k) { lines.push('  ' + JSON.stringify(k) + ': ' + JSON.stringify(head[k]) + ','); });
    lines.push('  "layers": [');
    m.layers.forEach(function (l, li) {
      lines.push('    {"weight": [');
      l.weight.forEach(function (row, r) { lines.push('      ' + JSON.stringify(row) + (r < l.weight.length - 1 ? ',' : '')); });
      lines.push('    ], "bias": ' + JSON.stringify(l.bias) + '}' + (li < m.layers.length - 1 ? ',' : ''));
    });
    lines.push('  ]');
    lines.push('}');
    return lines.join('\n') + '\n';
  }

  function fileName(model) {
    var c = model.config || {};
    var parts = ['nnmath-model'];
    if (Array.isArray(c.layers)) parts.push(c.layers.join('-'));
    if (c.activation) parts.push(c.activation);
    if (c.cost) parts.push(c.cost);
    if (model.trained && typeof model.trained.epochs === 'number') parts.push(model.trained.epochs + 'ep');
    return parts.join('-').replace(/[^A-Za-z0-9._-]/g, '') + '.json';
  }

  /* ---------------------------------------------------------------- loading */
  function toText(input, maxBytes) {
    if (typeof input === 'string') {
      // A JS string holds at most 3 UTF-8 bytes per UTF-16 unit; check cheaply, then exactly.
      if (input.length > maxBytes) fail(tooBig(input.length, maxBytes));
      if (input.length * 3 > maxBytes && typeof TextEncoder === 'function' && new TextEncoder().encode(input).length > maxBytes) {
        fail(tooBig(new TextEncoder().encode(input).length, maxBytes));
      }
      return input;
    }
    var bytes = null;
    if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
    else if (input && ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    if (!bytes) fail('There is nothing to load: give the text of a model file.');
    if (bytes.length > maxBytes) fail(tooBig(bytes.length, maxBytes));
    try {
      return new TextDecoder('utf-8', {fatal: true}).decode(bytes);
    } catch (e) {
      fail('This file is not a model file: it is not text (it is not valid UTF-8). Choose a .json file saved by this page.');
    }
    return '';
  }

  function tooBig(n, max) {
    return 'This file is too large to be a model (' + (n / 1048576).toFixed(1) + ' MB; at most ' + (max / 1048576).toFixed(0) +
      ' MB). Choose a .json file saved by this page.';
  }

  function checkNumber(v, where) {
    if (typeof v !== 'number') fail('The model is damaged: ' + where + ' should be a number but is ' + describe(v) + '.');
    if (!Number.isFinite(v) || !Number.isFinite(Math.fround(v))) fail('The model is damaged: ' + where + ' is not a finite number.');
    if (Math.abs(v) > MAX_ABS) fail('The model is damaged: ' + where + ' is ' + v + ', far larger than any trained weight (at most ' + MAX_ABS + ' in size).');
    return Math.fround(v);
  }

  /** Check a model file's text (or bytes).  Returns {config, data, trained, layers, paramCount}. */
  function parse(input, options) {
    var maxBytes = options && options.maxBytes ? options.maxBytes : MAX_BYTES;
    var text = toText(input, maxBytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark
    if (!/\S/.test(text)) fail('This file is empty. Choose a .json file saved by this page.');
    var obj;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      fail('This file is not a model file: it is not valid JSON (' + String(e && e.message || e).replace(/^JSON\.parse: /, '').slice(0, 120) +
        '). Perhaps it was cut off or edited by hand.');
    }
    if (!isObj(obj)) fail('This file is not a model file: it should hold one JSON object {…}, not ' + describe(obj) + '.');
    var format = own(obj, 'format');
    if (format !== FORMAT) {
      if (format === undefined && Array.isArray(own(obj, 'layers'))) {
        fail('This looks like a parameter file of the command-line trainer: it has the weights but not the settings ' +
          '(layer sizes, activation, cost). Save the model from this page, or add a "config" to the file.');
      }
      fail('This file is not a model file: its "format" should be "' + FORMAT + '" but is ' + describe(format) + '.');
    }
    var version = own(obj, 'version');
    if (version !== VERSION) {
      if (typeof version === 'number' && version > VERSION) fail('This model was saved by a newer version of nnmath (file version ' + version + '); this page reads version ' + VERSION + '.');
      fail('This model file has an unknown version (' + describe(version) + '); this page reads version ' + VERSION + '.');
    }

    // The configuration: only the known keys, as own properties, into a fresh object.
    var rawCfg = own(obj, 'config');
    if (!isObj(rawCfg)) fail('The model has no settings: "config" should be an object like {"layers": [64, 32, 10], ...}.');
    var cfg = {};
    CONFIG_KEYS.forEach(function (k) {
      var v = own(rawCfg, k);
      if (v === undefined) return;
      if (k === 'layers') {
        if (!Array.isArray(v) || v.length > 16) fail('The model’s layer sizes should be a short list like [64, 32, 10].');
        v = v.slice();
      } else if (v !== null && typeof v === 'object') {
        fail('The model’s setting "' + k + '" should be a single value, not ' + describe(v) + '.');
      }
      cfg[k] = v;
    });
    if (cfg.layers === undefined) fail('The model’s settings have no layer sizes ("layers": [64, …, 10]).');
    var config, nn = NNMath || root.NNMath;   // looked up now: the load order of the scripts does not matter
    if (!nn) fail('This page cannot check models: js/nnmath.js is not loaded.');
    try {
      config = nn.normalizeConfig(cfg);
    } catch (e) {
      var problems = e && e.problems ? e.problems : [e && e.message ? e.message : String(e)];
      fail('The model’s settings are not valid: ' + problems.join(' '));
    }

    var rawData = own(obj, 'data'), scale = 'unit';
    if (rawData !== undefined) {
      if (!isObj(rawData)) fail('The model’s "data" should be an object like {"scale": "unit"}.');
      var sc = own(rawData, 'scale');
      if (sc !== undefined && sc !== 'unit' && sc !== 'raw') fail('The model’s input scale should be "unit" (pixel ÷ 16) or "raw" (0 to 16), not ' + describe(sc) + '.');
      if (sc) scale = sc;
    }

    // Informative only: kept when sensible, otherwise dropped.
    var rawTrained = own(obj, 'trained'), trained = {};
    if (isObj(rawTrained)) {
      var ep = own(rawTrained, 'epochs'), acc = own(rawTrained, 'testAccuracy');
      if (typeof ep === 'number' && Number.isInteger(ep) && ep >= 0 && ep <= 1e9) trained.epochs = ep;
      if (typeof acc === 'number' && acc >= 0 && acc <= 1) trained.testAccuracy = acc;
    }

    // The parameters: shapes first (cheap), then every value.
    var layers = own(obj, 'layers');
    var sizes = config.layers, L = sizes.length - 1;
    if (!Array.isArray(layers)) fail('The model has no weights: "layers" should be a list with one entry per weight layer.');
    if (layers.length !== L) fail('The model’s weights do not fit its settings: ' + sizes.join(' → ') + ' needs ' + L + ' weight layer' + (L > 1 ? 's' : '') + ', the file has ' + layers.length + '.');
    var out = [], count = 0;
    for (var l = 0; l < L; l++) {
      var nIn = sizes[l], nOut = sizes[l + 1], name = 'layer ' + (l + 1);
      var src = layers[l];
      if (!isObj(src)) fail('The model is damaged: ' + name + ' should be an object {"weight": …, "bias": …}.');
      var w = own(src, 'weight'), b = own(src, 'bias');
      if (!Array.isArray(w) || !Array.isArray(b)) fail('The model is damaged: ' + name + ' needs a "weight" list and a "bias" list.');
      if (w.length !== nOut) fail('The model’s weights do not fit its settings: ' + name + ' should have ' + nOut + ' rows of ' + nIn + ' weights (one row per neuron), the file has ' + w.length + ' rows.');
      if (b.length !== nOut) fail('The model’s weights do not fit its settings: ' + name + ' should have ' + nOut + ' biases, the file has ' + b.length + '.');
      var rows = [];
      for (var o = 0; o < nOut; o++) {
        var row = w[o];
        if (!Array.isArray(row)) fail('The model is damaged: ' + name + ', weight row ' + (o + 1) + ' should be a list of ' + nIn + ' numbers.');
        if (row.length !== nIn) fail('The model’s weights do not fit its settings: ' + name + ', weight row ' + (o + 1) + ' should have ' + nIn + ' numbers, the file has ' + row.length + '.');
        var r = new Array(nIn);
        for (var i = 0; i < nIn; i++) r[i] = checkNumber(row[i], name + ', weight [' + (o + 1) + '][' + (i + 1) + ']');
        rows.push(r);
      }
      var bias = new Array(nOut);
      for (o = 0; o < nOut; o++) bias[o] = checkNumber(b[o], name + ', bias ' + (o + 1));
      out.push({weight: rows, bias: bias});
      count += nIn * nOut + nOut;
    }
    return {config: config, data: {scale: scale}, trained: trained, layers: out, paramCount: count};
  }

  function check(input, options) {
    try {
      return {ok: true, model: parse(input, options)};
    } catch (e) {
      return {ok: false, error: e instanceof ModelIOError ? e.message : 'This file could not be read: ' + (e && e.message ? e.message : String(e))};
    }
  }

  /** "64 → 32 → 10, ReLU, cross-entropy" */
  function describeConfig(c) {
    var act = {sigmoid: 'sigmoid', tanh: 'tanh', relu: 'ReLU'}[c.activation] || c.activation;
    var cost = c.cost === 'xent' ? 'cross-entropy (softmax outputs)' : 'squared error (' + c.output + ' outputs)';
    return c.layers.join(' → ') + ' neurons, ' + act + ' hidden neurons, ' + cost;
  }

  return {
    FORMAT: FORMAT,
    VERSION: VERSION,
    MAX_BYTES: MAX_BYTES,
    MAX_ABS: MAX_ABS,
    ModelIOError: ModelIOError,
    serialize: serialize,
    stringify: stringify,
    fileName: fileName,
    parse: parse,
    check: check,
    describeConfig: describeConfig
  };
});
