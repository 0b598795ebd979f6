/* nnmath page — THE page state: one declarative table of settings, their types, ranges and
 * defaults, and its (de)serialisation to the URL hash.  Pure: browser global NNPageState,
 * Node module.exports.
 *
 * A state is a plain object {preset, layers, activation, ...}.  Every function here returns a
 * fresh, valid state and never throws, whatever it is given: unknown, malformed or hostile
 * values are ignored or clamped, and each such change is explained by a plain-language note
 * (notes are plain text: show them with textContent only).
 *
 * To add a setting: add a row to FIELDS (key, type, range, default, group).  group 'model'
 * settings rebuild the network when they change; 'run' ones don't (e.g. epochs); 'view' ones
 * only change what the views show. */
(function (root) {
  'use strict';

  var TRAIN_MAX = 1438; // 1,797 digits, a stratified 20% (359) held out for the test set

  var FIELDS = [
    {key: 'preset', type: 'enum', values: ['simple', 'improved', 'custom'], def: 'simple',
      group: 'preset', label: 'preset'},
    {key: 'layers', type: 'intlist', minLength: 0, maxLength: 4, min: 1, max: 128, def: [8],
      group: 'model', label: 'hidden layer widths'},
    {key: 'activation', type: 'enum', values: ['sigmoid', 'tanh', 'relu'], def: 'sigmoid',
      group: 'model', label: 'activation'},
    {key: 'output', type: 'enum', values: ['sigmoid', 'softmax', 'identity'], def: 'sigmoid',
      group: 'model', label: 'output'},
    {key: 'cost', type: 'enum', values: ['mse', 'xent'], def: 'mse', group: 'model', label: 'cost'},
    {key: 'optimizer', type: 'enum', values: ['sgd', 'momentum', 'adam'], def: 'sgd',
      group: 'model', label: 'optimiser'},
    {key: 'lr', type: 'number', min: 0.0001, max: 10, def: 0.1, group: 'model',
      label: 'learning rate'},
    {key: 'momentum', type: 'number', min: 0, max: 0.99, def: 0.9, group: 'model',
      label: 'momentum'},
    {key: 'batch', type: 'int', min: 0, max: 1797, def: 32, group: 'model',
      label: 'batch size'},
    {key: 'epochs', type: 'int', min: 1, max: 200, def: 10, group: 'run', label: 'epochs'},
    {key: 'seed', type: 'int', min: 0, max: 4294967295, def: 1, group: 'model', label: 'seed'},
    {key: 'digit', type: 'int', min: 0, max: 1796, def: 0, group: 'view',
      label: 'selected digit'},
    {key: 'filter', type: 'enum', values: ['all', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      def: 'all', group: 'view', label: 'digit filter'},
    {key: 'speed', type: 'enum', values: ['0.5', '1', '2', '4'], def: '1', group: 'view',
      label: 'animation speed'}
  ];

  var PRESETS = {
    simple: {layers: [8], activation: 'sigmoid', output: 'sigmoid', cost: 'mse', optimizer: 'sgd',
      lr: 0.1, momentum: 0.9, batch: 32, epochs: 10, seed: 1},
    improved: {layers: [32], activation: 'relu', output: 'softmax', cost: 'xent', optimizer: 'sgd',
      lr: 0.1, momentum: 0.9, batch: 32, epochs: 30, seed: 1}
  };
  var PRESET_LABELS = {simple: 'Simple (squared error)', improved: 'Improved (cross-entropy)',
    custom: 'Custom'};

  var MAX_HASH = 2000;   // longer hashes are cut (with a note)
  var MAX_NOTES = 6;

  var BY_KEY = Object.create(null);
  FIELDS.forEach(function (f) { BY_KEY[f.key] = f; });

  function has(obj, k) { return Object.prototype.hasOwnProperty.call(obj, k); }
  function copyValue(v) { return Array.isArray(v) ? v.slice() : v; }

  function safe(s, max) {
    var m = max || 24;
    var t = String(s).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]/g, '?');
    return t.length > m ? t.slice(0, m - 1) + '\u2026' : t;
  }

  function defaults() {
    var s = {};
    FIELDS.forEach(function (f) { s[f.key] = copyValue(f.def); });
    return s;
  }

  function numberString(x) {
    // shortest text that reads back to the same double; no exponent for ordinary values
    var s = String(x);
    return s;
  }

  var NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?$/;

  /* Coerce one raw value (string from the URL, or any JS value from the UI) for field f.
   * Returns {ok, value, note}: ok=false means "ignored, keep the old value". */
  function coerce(f, raw) {
    var label = f.label;
    if (f.type === 'enum') {
      var s = typeof raw === 'number' ? String(raw) : (typeof raw === 'string' ? raw.trim() : null);
      if (s !== null) {
        var lower = s.toLowerCase();
        for (var i = 0; i < f.values.length; i++) {
          if (f.values[i] === lower) return {ok: true, value: f.values[i]};
        }
      }
      return {ok: false, note: 'Ignored the ' + label + ' "' + safe(raw) + '": it must be one of ' +
        f.values.join(', ') + '.'};
    }
    if (f.type === 'number' || f.type === 'int') {
      var x;
      if (typeof raw === 'number') x = raw;
      else if (typeof raw === 'string' && NUM_RE.test(raw.trim())) x = Number(raw.trim());
      else x = NaN;
      if (!isFinite(x)) {
        return {ok: false, note: 'Ignored the ' + label + ' "' + safe(raw) + '": it is not a number.'};
      }
      var note = null;
      if (f.type === 'int' && Math.round(x) !== x) {
        x = Math.round(x);
        note = 'Rounded the ' + label + ' to the whole number ' + x + '.';
      }
      if (x < f.min || x > f.max) {
        var c = x < f.min ? f.min : f.max;
        note = 'The ' + label + ' ' + safe(numberString(x), 16) + ' is out of range (' +
          numberString(f.min) + ' to ' + numberString(f.max) + '); used ' + numberString(c) + '.';
        x = c;
      }
      if (x === 0) x = 0; // no −0
      return {ok: true, value: x, note: note};
    }
    if (f.type === 'intlist') {
      var parts;
      if (Array.isArray(raw)) parts = raw.map(function (v) { return String(v); });
      else if (typeof raw === 'string') {
        var t = raw.trim().toLowerCase();
        parts = (t === '' || t === 'none') ? [] : t.split(/[,\-\s]+/);
      } else return {ok: false, note: 'Ignored the ' + label + ': not a list of numbers.'};
      var out = [], notes = [];
      for (var j = 0; j < parts.length; j++) {
        if (!/^\+?\d{1,9}$/.test(parts[j])) {
          return {ok: false, note: 'Ignored the ' + label + ' "' + safe(raw) +
            '": write whole numbers separated by commas, e.g. 32,16.'};
        }
        var v = Number(parts[j]);
        if (v < f.min || v > f.max) {
          var cv = v < f.min ? f.min : f.max;
          notes.push('A hidden layer width of ' + v + ' is out of range (' + f.min + ' to ' +
            f.max + '); used ' + cv + '.');
          v = cv;
        }
        out.push(v);
      }
      if (out.length > f.maxLength) {
        notes.push('At most ' + f.maxLength + ' hidden layers; kept the first ' + f.maxLength + '.');
        out = out.slice(0, f.maxLength);
      }
      return {ok: true, value: out, note: notes.length ? notes.join(' ') : null};
    }
    return {ok: false, note: 'Ignored a setting of unknown type.'};
  }

  function presetOf(s) {
    var names = Object.keys(PRESETS);
    for (var i = 0; i < names.length; i++) {
      var p = PRESETS[names[i]], same = true;
      Object.keys(p).forEach(function (k) {
        if (Array.isArray(p[k])) {
          if (!Array.isArray(s[k]) || s[k].length !== p[k].length) same = false;
          else for (var j = 0; j < p[k].length; j++) if (s[k][j] !== p[k][j]) same = false;
        } else if (s[k] !== p[k]) same = false;
      });
      if (same) return names[i];
    }
    return 'custom';
  }

  /* Cross-field rules: cross-entropy needs the softmax output. */
  function fixRules(s, notes) {
    if (s.cost === 'xent' && s.output !== 'softmax') {
      notes.push('Cross-entropy works on the softmax output, so the output was set to softmax.');
      s.output = 'softmax';
    }
    s.preset = presetOf(s);
    return s;
  }

  function capNotes(notes) {
    if (notes.length <= MAX_NOTES) return notes;
    var extra = notes.length - (MAX_NOTES - 1);
    return notes.slice(0, MAX_NOTES - 1).concat(['\u2026 and ' + extra + ' more problems with the link.']);
  }

  /* Make any object into a valid state (values of the wrong kind fall back to the defaults). */
  function normalize(obj) {
    var s = defaults(), notes = [];
    if (obj && typeof obj === 'object') {
      FIELDS.forEach(function (f) {
        if (!has(obj, f.key) || f.key === 'preset') return;
        var r = coerce(f, obj[f.key]);
        if (r.ok) s[f.key] = r.value;
        if (r.note) notes.push(r.note);
      });
    }
    return {state: fixRules(s, notes), notes: capNotes(notes)};
  }

  /* Apply a preset's settings to a state (view settings are kept). */
  function applyPreset(state, name) {
    var base = normalize(state).state;
    if (!has(PRESETS, name)) return base;
    var p = PRESETS[name];
    Object.keys(p).forEach(function (k) { base[k] = copyValue(p[k]); });
    base.preset = name;
    return base;
  }

  /* Change one setting from the UI: {state, notes}.  The preset key applies a preset. */
  function set(state, key, value) {
    var s = normalize(state).state;
    if (key === 'preset') return {state: applyPreset(s, String(value)), notes: []};
    if (!(typeof key === 'string' && BY_KEY[key])) {
      return {state: s, notes: ['Ignored an unknown setting "' + safe(key) + '".']};
    }
    var r = coerce(BY_KEY[key], value);
    var notes = r.note ? [r.note] : [];
    if (r.ok) s[key] = r.value;
    return {state: fixRules(s, notes), notes: notes};
  }

  function decode(s) {
    try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch (e) { return null; }
  }

  /* Parse "#preset=improved&lr=0.05&..." (the leading '#' is optional).
   * The preset is applied first, then the explicit settings on top of it. */
  function parseHash(hash) {
    var notes = [];
    var text = typeof hash === 'string' ? hash : '';
    if (text.charAt(0) === '#') text = text.slice(1);
    if (text.length > MAX_HASH) {
      notes.push('The link was too long; only its first ' + MAX_HASH + ' characters were read.');
      text = text.slice(0, MAX_HASH);
    }
    var raw = Object.create(null), seen = Object.create(null), order = [];
    var pairs = text.split('&');
    for (var i = 0; i < pairs.length; i++) {
      var pair = pairs[i];
      if (pair === '') continue;
      var eq = pair.indexOf('=');
      var k = decode(eq < 0 ? pair : pair.slice(0, eq));
      var v = eq < 0 ? null : decode(pair.slice(eq + 1));
      if (k === null || v === null) {
        notes.push('Ignored a malformed part of the link: "' + safe(pair) + '".');
        continue;
      }
      k = k.trim().toLowerCase();
      if (!BY_KEY[k]) {
        notes.push('Ignored an unknown setting "' + safe(k) + '" in the link.');
        continue;
      }
      if (seen[k]) {
        if (seen[k] === 1) notes.push('The ' + BY_KEY[k].label +
          ' appeared more than once in the link; the last value was used.');
        seen[k]++;
      } else { seen[k] = 1; order.push(k); }
      raw[k] = v;
    }
    var s = defaults();
    if (raw.preset !== undefined) {
      var pr = coerce(BY_KEY.preset, raw.preset);
      if (pr.ok && pr.value !== 'custom') s = applyPreset(s, pr.value);
      else if (!pr.ok) notes.push(pr.note);
    }
    order.forEach(function (key) {
      if (key === 'preset') return;
      var r = coerce(BY_KEY[key], raw[key]);
      if (r.ok) s[key] = r.value;
      if (r.note) notes.push(r.note);
    });
    return {state: fixRules(s, notes), notes: capNotes(notes)};
  }

  /* Every setting, in table order, so that a copied link pins the run down completely. */
  function toHash(state) {
    var s = normalize(state).state;
    return FIELDS.map(function (f) {
      var v = s[f.key];
      var t = f.type === 'intlist' ? (v.length ? v.join(',') : 'none') : numberString(v);
      return f.key + '=' + encodeURIComponent(t);
    }).join('&');
  }

  function equal(a, b) { return toHash(a) === toHash(b); }

  /* Which groups differ between two states: {model, run, view, any}. */
  function diff(a, b) {
    var d = {model: false, run: false, view: false, any: false, keys: []};
    FIELDS.forEach(function (f) {
      if (f.key === 'preset') return;
      var x = a[f.key], y = b[f.key];
      var same = Array.isArray(x) ? (Array.isArray(y) && x.join(',') === y.join(',')) : x === y;
      if (!same) { d[f.group] = true; d.any = true; d.keys.push(f.key); }
    });
    return d;
  }

  /* The network configuration for NNMath's core.network(cfg, dataset). */
  function toConfig(state) {
    var s = normalize(state).state;
    return {
      layers: [64].concat(s.layers, [10]), activation: s.activation, output: s.output,
      cost: s.cost, optimizer: s.optimizer, lr: s.lr, momentum: s.momentum, weightDecay: 0,
      batch: s.batch, seed: s.seed, shuffle: true
    };
  }

  var api = {
    FIELDS: FIELDS, PRESETS: PRESETS, PRESET_LABELS: PRESET_LABELS, TRAIN_MAX: TRAIN_MAX,
    field: function (k) { return BY_KEY[k] || null; },
    defaults: defaults, normalize: normalize, set: set, applyPreset: applyPreset,
    presetOf: presetOf, parseHash: parseHash, toHash: toHash, equal: equal, diff: diff,
    toConfig: toConfig
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.NNPageState = api;
})(this);
