// Node tests of the model file format (web/js/model-io/modelio.js): saving, loading back bit for
// bit, and refusing malformed, mis-shaped or hostile files with a plain message (never another
// kind of exception, never a changed prototype).  The round trips use the real WebAssembly core
// (build-wasm/, `make wasm`); the refusals need no core.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const WASM = path.resolve(process.env.NNMATH_WASM_DIR || path.join(ROOT, 'build-wasm'));
const NNMath = require(path.join(ROOT, 'web', 'js', 'nnmath.js'));
const IO = require(path.join(ROOT, 'web', 'js', 'model-io', 'modelio.js'));

const missing = ['nnmath-core-simd.js', 'digits-data.js'].filter((f) => !fs.existsSync(path.join(WASM, f)));
const skip = missing.length ? `${missing.join(', ')} missing in ${WASM}: run \`make wasm\`` : false;

/** A small valid model object (64 → 2 → 10) with deterministic numbers. */
function tinyModel(extra) {
  const layers = [[64, 2], [2, 10]].map(([nIn, nOut], l) => ({
    weight: Array.from({ length: nOut }, (_, o) => Array.from({ length: nIn }, (_, i) => ((o * 7 + i * 3 + l) % 11 - 5) / 10)),
    bias: Array.from({ length: nOut }, (_, o) => (o % 3) / 10)
  }));
  return Object.assign({ format: 'nnmath-model', version: 1,
    config: { layers: [64, 2, 10], activation: 'relu', cost: 'xent' }, data: { scale: 'unit' },
    trained: { epochs: 3, testAccuracy: 0.5 }, layers }, extra || {});
}
const text = (o) => JSON.stringify(o);

function refused(input, re, what) {
  let err = null;
  try { IO.parse(input); } catch (e) { err = e; }
  assert.ok(err, `${what}: refused`);
  assert.ok(err instanceof IO.ModelIOError, `${what}: a ModelIOError, not ${err && err.name}: ${err && err.message}`);
  assert.ok(typeof err.message === 'string' && err.message.length > 10 && err.message.length < 600, `${what}: a readable message`);
  if (re) assert.match(err.message, re, what);
  const c = IO.check(input);
  assert.equal(c.ok, false);
  assert.equal(c.error, err.message);
  return err.message;
}

test('a valid file: normalised config, float32 values, defaults', () => {
  const m = IO.parse(text(tinyModel()));
  assert.deepEqual(m.config.layers, [64, 2, 10]);
  assert.equal(m.config.output, 'softmax');      // filled in from the cost
  assert.equal(m.config.lr, 0.1);                // the core's default
  assert.equal(m.data.scale, 'unit');
  assert.deepEqual(m.trained, { epochs: 3, testAccuracy: 0.5 });
  assert.equal(m.paramCount, 64 * 2 + 2 + 2 * 10 + 10);
  assert.equal(m.layers[0].weight[1][2], Math.fround(m.layers[0].weight[1][2]));
  // A byte-order mark, bytes instead of text, no "data", junk in "trained": all fine.
  const noData = tinyModel({ trained: { epochs: -1, testAccuracy: 'high' } });
  delete noData.data;
  const bytes = new TextEncoder().encode('\ufeff' + text(noData));
  const m2 = IO.parse(bytes);
  assert.equal(m2.data.scale, 'unit');
  assert.deepEqual(m2.trained, {});
  assert.equal(IO.parse(bytes.buffer.slice(0)).paramCount, m.paramCount);
});

test('refused: not JSON, not a model, wrong version', () => {
  refused('', /empty/, 'empty');
  refused('   \n ', /empty/, 'blank');
  refused('{"format": "nnmath-model", "version": 1,', /not valid JSON/, 'cut off');
  refused('hello', /not valid JSON/, 'text');
  refused('[1, 2, 3]', /one JSON object/, 'a list');
  refused('null', /one JSON object/, 'null');
  refused('42', /one JSON object/, 'a number');
  refused(text({ format: 'something-else', version: 1 }), /"format" should be "nnmath-model"/, 'other format');
  refused(text({ layers: tinyModel().layers }), /command-line trainer/, 'a bare CLI parameter file');
  refused(text(tinyModel({ version: 2 })), /newer version/, 'version 2');
  refused(text(tinyModel({ version: '1' })), /unknown version/, 'version as text');
  refused(new Uint8Array([0xff, 0xfe, 0x00, 0x7b]), /not valid UTF-8|not valid JSON/, 'binary');
  refused(undefined, /nothing to load/, 'undefined');
  refused({ format: 'nnmath-model' }, /nothing to load/, 'an object instead of text');
});

test('refused: bad settings', () => {
  const cfg = (c) => text(tinyModel({ config: c }));
  refused(text(tinyModel({ config: null })), /no settings/, 'config null');
  refused(text(tinyModel({ config: [64, 2, 10] })), /no settings/, 'config a list');
  refused(cfg({ activation: 'relu' }), /no layer sizes/, 'no layers');
  refused(cfg({ layers: [64, 2, 10], activation: 'swish' }), /not valid: .*activation/i, 'unknown activation');
  refused(cfg({ layers: [64, 600, 10] }), /not valid/, 'too wide');
  refused(cfg({ layers: [63, 2, 10] }), /first layer size must be 64/, 'wrong input size');
  refused(cfg({ layers: [64, 2, 10], lr: 'NaN' }), /learning rate/, 'lr as text');
  refused(cfg({ layers: [64, 2, 10], lr: 1e999 }), /learning rate/, 'lr infinite');
  refused(cfg({ layers: [64, 2, 10], cost: 'xent', output: 'sigmoid' }), /softmax/, 'xent without softmax');
  refused(cfg({ layers: [64, 2, 10], activation: { toString: 1 } }), /single value/, 'an object as a value');
  refused(cfg({ layers: new Array(1000).fill(64) }), /short list/, 'a long layer list');
  refused(text(tinyModel({ data: { scale: 'huge' } })), /input scale/, 'bad scale');
  refused(text(tinyModel({ data: 'raw' })), /"data"/, 'data as text');
});

test('refused: weights that do not fit or are not finite numbers', () => {
  const with_ = (f) => { const m = tinyModel(); f(m); return text(m); };
  refused(with_((m) => { m.layers.pop(); }), /needs 2 weight layers, the file has 1/, 'a layer missing');
  refused(with_((m) => { m.layers = {}; }), /no weights/, 'layers an object');
  refused(with_((m) => { m.layers[0] = [1, 2]; }), /layer 1 should be an object/, 'layer a list');
  refused(with_((m) => { delete m.layers[1].bias; }), /"bias" list/, 'no bias');
  refused(with_((m) => { m.layers[0].weight.pop(); }), /layer 1 should have 2 rows of 64 weights.*has 1 rows/, 'a row missing');
  refused(with_((m) => { m.layers[1].weight[3].push(0); }), /layer 2, weight row 4 should have 2 numbers, the file has 3/, 'a long row');
  refused(with_((m) => { m.layers[0].weight[0] = 5; }), /weight row 1 should be a list/, 'row a number');
  refused(with_((m) => { m.layers[1].bias = [1]; }), /10 biases, the file has 1/, 'short bias');
  refused(with_((m) => { m.layers[0].weight[1][7] = 'NaN'; }), /layer 1, weight \[2\]\[8\] should be a number but is the text "NaN"/, 'NaN as text');
  refused(with_((m) => { m.layers[0].weight[1][7] = null; }), /should be a number but is null/, 'null');
  refused(with_((m) => { m.layers[1].bias[0] = '0.5'; }), /bias 1 should be a number/, 'number as text');
  refused(with_((m) => { m.layers[1].bias[0] = [0.5]; }), /bias 1 should be a number/, 'nested');
  refused(text(tinyModel()).replace('"bias":[0,', '"bias":[1e999,'), /not a finite number/, 'Infinity via 1e999');
  refused(with_((m) => { m.layers[1].bias[2] = 1e39; }), /not a finite number/, 'beyond float32');
  refused(with_((m) => { m.layers[1].bias[2] = 1e7; }), /far larger than any trained weight/, 'huge');
  // A huge array is refused by its shape, before its values are read.
  refused(with_((m) => { m.layers[0].weight[0] = new Array(200000).fill(0); }), /should have 64 numbers, the file has 200000/, 'a huge row');
});

test('refused: too large, deeply nested, random bytes, every truncation', () => {
  refused('x'.repeat(IO.MAX_BYTES + 1), /too large/, 'over 5 MB (text)');
  refused(new Uint8Array(IO.MAX_BYTES + 1), /too large/, 'over 5 MB (bytes)');
  refused('é'.repeat(2700000), /too large/, 'over 5 MB in UTF-8 bytes (under 5 M characters)');
  assert.ok(IO.parse(text(tinyModel()), { maxBytes: 100000 }));
  assert.throws(() => IO.parse(text(tinyModel()), { maxBytes: 100 }), /too large/);
  refused('['.repeat(200000) + ']'.repeat(200000), null, 'deep nesting');
  refused('{"a":'.repeat(100000) + '1' + '}'.repeat(100000), null, 'deep objects');
  const deepCfg = text(tinyModel()).replace('"trained":{', '"trained":{"x":' + '['.repeat(50000) + ']'.repeat(50000) + ',');
  assert.ok(IO.parse(deepCfg), 'deep nesting in an ignored place is harmless');
  // Random bytes and random printable text: always a ModelIOError.
  let seed = 12345;
  const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 4294967296; };
  for (let k = 0; k < 300; k++) {
    const n = Math.floor(rnd() * 400);
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(rnd() * 256);
    if (k % 2) for (let i = 0; i < n; i++) b[i] = 32 + (b[i] % 95);
    refused(b, null, 'random bytes ' + k);
  }
  // Every cut of a valid file (at 160 places) is refused.
  const full = text(tinyModel());
  for (let k = 0; k < 160; k++) {
    const cut = Math.floor(k * (full.length - 1) / 159);
    if (cut === full.length) continue;
    refused(full.slice(0, cut), null, 'cut at ' + cut);
  }
  // Mutations of single characters: refused or parsed, never another exception.
  for (let k = 0; k < 400; k++) {
    const i = Math.floor(rnd() * full.length);
    const s = full.slice(0, i) + String.fromCharCode(32 + Math.floor(rnd() * 95)) + full.slice(i + 1);
    try { IO.parse(s); } catch (e) { assert.ok(e instanceof IO.ModelIOError, 'mutation: ' + e); }
  }
});

test('hostile keys change nothing', () => {
  const proto = '{"__proto__": {"polluted": 1, "activation": "sigmoid"}, "constructor": {"prototype": {"polluted": 2}},';
  const src = text(tinyModel());
  const hostile = src.replace('"config":{', '"config":' + proto).replace('{"format"', '{"__proto__": {"polluted": 3}, "format"');
  const m = IO.parse(hostile);
  assert.equal(m.config.activation, 'relu');
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.polluted, undefined);
  assert.equal(Object.getPrototypeOf(m.config), Object.prototype);
  assert.ok(!Object.prototype.hasOwnProperty.call(m.config, '__proto__'));
  // Keys that only look like ours (inherited) are not read.
  const inherited = Object.create({ format: 'nnmath-model' });
  refused(text(inherited), /"format"/, 'no own format');
  // Layers given as {"length": 2} are not lists.
  refused(text(tinyModel({ layers: { length: 2, 0: {}, 1: {} } })), /no weights/, 'array-like');
});

test('save and load back: the same bits, the same answers', { skip }, async () => {
  const core = await NNMath.load({ simd: true, coreDir: WASM });
  const digits = NNMath.decodeDigits(require(path.join(WASM, 'digits-data.js')));
  for (const [cfg, scale] of [[{ layers: [64, 32, 10], activation: 'relu', cost: 'xent', lr: 0.1 }, 'unit'],
    [{ layers: [64, 16, 12, 10], activation: 'tanh', cost: 'mse', optimizer: 'momentum', lr: 0.05, weightDecay: 0.001, batch: 8, seed: 7 }, 'raw']]) {
    const ds = core.dataset({ pixels: digits.pixels, labels: digits.labels, scale });
    ds.split({ testFraction: 0.2, seed: 1 });
    const net = core.network(cfg, ds);
    net.trainEpoch(); net.trainEpoch();
    const acc = net.evaluate('test').accuracy;
    const model = IO.serialize(net, { testAccuracy: acc });
    assert.equal(model.format, 'nnmath-model');
    assert.equal(model.data.scale, scale);
    assert.equal(model.trained.epochs, 2);
    const file = IO.stringify(model);
    assert.ok(file.endsWith('\n'));
    assert.equal(IO.stringify(net, { testAccuracy: acc }), file, 'stringify(net) = stringify(serialize(net))');
    const back = IO.parse(file);
    assert.deepEqual(back.config, net.config);
    assert.equal(back.data.scale, scale);
    const net2 = core.network(back.config, ds);
    net2.fromJSON({ layers: back.layers });
    const a = new Uint32Array(net.params.slice().buffer), b = new Uint32Array(net2.params.slice().buffer);
    assert.deepEqual(b, a, 'every parameter bit for bit (9 significant digits round-trip float32)');
    assert.deepEqual(Array.from(net2.evaluate('test').confusion), Array.from(net.evaluate('test').confusion));
    assert.deepEqual(Array.from(net2.predict(ds.pixels(5))), Array.from(net.predict(ds.pixels(5))));
    assert.match(IO.fileName(model), /^nnmath-model-64-[-0-9]+10-(relu-xent|tanh-mse)-2ep\.json$/);
    net.dispose(); net2.dispose(); ds.dispose();
  }
});
