'use strict';
// The page state table and its URL hash (de)serialisation (web/js/page/state.js).
const test = require('node:test');
const assert = require('node:assert/strict');
const S = require('../web/js/page/state.js');
const NNMath = require('../web/js/nnmath.js');

function assertValid(state) {
  for (const f of S.FIELDS) {
    assert.ok(Object.prototype.hasOwnProperty.call(state, f.key), 'missing ' + f.key);
    const v = state[f.key];
    if (f.type === 'enum') assert.ok(f.values.includes(v), f.key + ' = ' + v);
    else if (f.type === 'intlist') {
      assert.ok(Array.isArray(v) && v.length >= f.minLength && v.length <= f.maxLength, f.key);
      for (const w of v) assert.ok(Number.isInteger(w) && w >= f.min && w <= f.max, f.key + ' width ' + w);
    } else {
      assert.equal(typeof v, 'number', f.key);
      assert.ok(Number.isFinite(v) && v >= f.min && v <= f.max, f.key + ' = ' + v);
      if (f.type === 'int') assert.ok(Number.isInteger(v), f.key + ' integer');
    }
  }
  assert.deepEqual(Object.keys(state).sort(), S.FIELDS.map((f) => f.key).sort(), 'no extra keys');
  if (state.cost === 'xent') assert.equal(state.output, 'softmax');
  // and the network's configuration made from it is one the core takes (no "could not be built")
  assert.deepEqual(NNMath.validateConfig(S.toConfig(state)), [], JSON.stringify(state));
  assert.equal(state.preset, S.presetOf(state));
}

test('defaults are the Simple preset and valid', () => {
  const d = S.defaults();
  assertValid(d);
  assert.equal(d.preset, 'simple');
  assert.deepEqual(S.toConfig(d).layers, [64, 8, 10]);
});

test('presets match the lesson', () => {
  const simple = S.applyPreset(S.defaults(), 'simple');
  assert.deepEqual(S.toConfig(simple), {layers: [64, 8, 10], activation: 'sigmoid', output: 'sigmoid', cost: 'mse',
    optimizer: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0, batch: 32, seed: 1, shuffle: true});
  assert.equal(simple.epochs, 10);
  const imp = S.applyPreset(S.defaults(), 'improved');
  assert.equal(imp.preset, 'improved');
  assert.deepEqual(S.toConfig(imp).layers, [64, 32, 10]);
  assert.equal(imp.activation, 'relu'); assert.equal(imp.output, 'softmax'); assert.equal(imp.cost, 'xent');
  assert.equal(imp.optimizer, 'sgd'); assert.equal(imp.lr, 0.1); assert.equal(imp.batch, 32); assert.equal(imp.epochs, 30);
});

test('state -> hash -> state round trip', () => {
  const s = S.defaults();
  Object.assign(s, {layers: [32, 16, 3], activation: 'tanh', output: 'identity', cost: 'mse', optimizer: 'adam',
    lr: 0.0037, momentum: 0.85, batch: 0, epochs: 77, seed: 4294967295, digit: 1796, filter: '7', speed: '4'});
  const r = S.parseHash('#' + S.toHash(s));
  assert.deepEqual(r.notes, []);
  assert.ok(S.equal(r.state, s));
  assert.deepEqual(r.state.layers, [32, 16, 3]);
  assert.equal(r.state.preset, 'custom');
  assert.equal(r.state.lr, 0.0037);
  // no hidden layer
  const none = S.set(S.defaults(), 'layers', []).state;
  assert.match(S.toHash(none), /layers=none/);
  assert.deepEqual(S.parseHash(S.toHash(none)).state.layers, []);
  // a preset round-trips as that preset
  const imp = S.applyPreset(S.defaults(), 'improved');
  assert.equal(S.parseHash(S.toHash(imp)).state.preset, 'improved');
});

test('preset in the link is applied first, explicit settings on top', () => {
  const r = S.parseHash('preset=improved&lr=0.05');
  assert.equal(r.state.activation, 'relu');
  assert.equal(r.state.lr, 0.05);
  assert.equal(r.state.preset, 'custom');
  assert.deepEqual(r.notes, []);
  assert.equal(S.parseHash('preset=improved').state.preset, 'improved');
});

test('bad values are clamped or ignored with a note', () => {
  let r = S.parseHash('lr=1e9&epochs=-5&batch=12.6&seed=abc&layers=500,0&activation=swish');
  assertValid(r.state);
  assert.equal(r.state.lr, 10);
  assert.equal(r.state.epochs, 1);
  assert.equal(r.state.batch, 13);
  assert.equal(r.state.seed, 1);
  assert.deepEqual(r.state.layers, [128, 1]);
  assert.equal(r.state.activation, 'sigmoid');
  assert.ok(r.notes.length >= 5, r.notes.join('\n'));
  r = S.parseHash('cost=xent&output=sigmoid');
  assert.equal(r.state.output, 'softmax');
  assert.ok(r.notes.some((n) => /softmax/.test(n)));
  r = S.parseHash('layers=8,8,8,8,8,8');
  assert.equal(r.state.layers.length, 4);
  assert.ok(r.notes.some((n) => /At most 4/.test(n)));
});

test('unknown, duplicated, malformed and hostile keys', () => {
  let r = S.parseHash('#foo=1&lr=0.2&lr=0.3&%E0%A4%A=1&__proto__=x&constructor=y&<script>alert(1)</script>=1');
  assertValid(r.state);
  assert.equal(r.state.lr, 0.3);
  assert.ok(r.notes.some((n) => /more than once/.test(n)));
  assert.ok(r.notes.some((n) => /unknown setting "foo"/.test(n)));
  assert.ok(r.notes.some((n) => /malformed/.test(n)));
  assert.equal(({}).polluted, undefined);
  assert.equal(Object.prototype.x, undefined);
  r = S.parseHash('digit=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
  assert.equal(r.state.digit, 0);
  assert.ok(r.notes[0].includes('<script>'), 'the note quotes the text (shown with textContent only)');
  r = S.parseHash('lr=NaN&momentum=Infinity&epochs=0x10&seed=1e400&digit=-0');
  assertValid(r.state);
  assert.equal(r.state.lr, 0.1);
  assert.equal(r.state.momentum, 0.9);
  assert.equal(r.state.epochs, 10);
  assert.ok(Object.is(r.state.digit, 0));
});

test('fuzzed hashes never throw and always give a valid state', () => {
  let seed = 12345;
  const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 4294967296; };
  const keys = S.FIELDS.map((f) => f.key).concat(['x', '', '=', '&', '__proto__', 'LR', ' lr ']);
  const vals = ['', '0', '-1', '1e308', '1e-320', 'NaN', '-Infinity', '<script>', '%', '%zz', '\u0000', '9'.repeat(400),
    '32,16', ',,', 'none', 'relu', 'SOFTMAX', '0.1', '+5', '.5', '5.', '1_000', '0b11', 'true', '[]', '{}'];
  for (let i = 0; i < 3000; i++) {
    let h;
    const kind = i % 3;
    if (kind === 0) {
      const len = Math.floor(rnd() * 200);
      h = '';
      for (let j = 0; j < len; j++) h += String.fromCharCode(Math.floor(rnd() * (rnd() < 0.8 ? 128 : 0xffff)));
    } else {
      const n = 1 + Math.floor(rnd() * 12), parts = [];
      for (let j = 0; j < n; j++) {
        const k = keys[Math.floor(rnd() * keys.length)], v = vals[Math.floor(rnd() * vals.length)];
        parts.push(kind === 1 ? k + '=' + v : encodeURIComponent(k) + '=' + encodeURIComponent(v));
      }
      h = (rnd() < 0.5 ? '#' : '') + parts.join('&');
    }
    let r;
    assert.doesNotThrow(() => { r = S.parseHash(h); }, 'hash ' + JSON.stringify(h));
    assertValid(r.state);
    assert.ok(Array.isArray(r.notes) && r.notes.length <= 6);
    for (const n of r.notes) assert.equal(typeof n, 'string');
    // serialising and parsing again is stable and note-free
    const again = S.parseHash(S.toHash(r.state));
    assert.deepEqual(again.notes, []);
    assert.ok(S.equal(again.state, r.state));
  }
  for (const odd of [undefined, null, 42, {}, [], '#', '&&&', '='.repeat(5000), '#'.repeat(3000)]) {
    const r = S.parseHash(odd);
    assertValid(r.state);
  }
});

test('set() coerces UI values and normalize() repairs objects', () => {
  let r = S.set(S.defaults(), 'lr', '0.5');
  assert.equal(r.state.lr, 0.5);
  assert.deepEqual(r.notes, []);
  r = S.set(S.defaults(), 'lr', 'lots');
  assert.equal(r.state.lr, 0.1);
  assert.equal(r.notes.length, 1);
  r = S.set(S.defaults(), 'nonsense', 1);
  assert.equal(r.notes.length, 1);
  r = S.set(S.defaults(), 'preset', 'improved');
  assert.equal(r.state.preset, 'improved');
  r = S.set(r.state, 'seed', 7);
  assert.equal(r.state.preset, 'custom');
  r = S.set(r.state, 'seed', 1);
  assert.equal(r.state.preset, 'improved', 'back to the preset values = the preset again');
  r = S.set(S.defaults(), 'cost', 'xent');
  assert.equal(r.state.output, 'softmax');
  const n = S.normalize({lr: -1, layers: 'x', extra: 1, digit: 5.5, preset: 'improved'});
  assertValid(n.state);
  assert.equal(n.state.digit, 6);
  assert.equal(n.state.preset, 'custom', 'the preset follows the values, not the claim');
});

test('diff() tells model, run and view changes apart', () => {
  const a = S.defaults();
  assert.equal(S.diff(a, S.set(a, 'digit', 5).state).model, false);
  assert.equal(S.diff(a, S.set(a, 'digit', 5).state).view, true);
  assert.equal(S.diff(a, S.set(a, 'epochs', 50).state).run, true);
  assert.equal(S.diff(a, S.set(a, 'epochs', 50).state).model, false);
  assert.equal(S.diff(a, S.set(a, 'lr', 0.3).state).model, true);
  assert.equal(S.diff(a, S.set(a, 'layers', [8, 8]).state).model, true);
  assert.equal(S.diff(a, S.defaults()).any, false);
});
