// The WebAssembly builds: both load, export what src/wasm_exports.json lists,
// agree with the C header's struct layout, and really are SIMD / scalar.
'use strict';

const test = require('node:test');
const assert = require('assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { ROOT, NNMath, loadCore, requireBuilt } = require('./wasm-helpers.js');

const EXPORTS = JSON.parse(fs.readFileSync(path.join(ROOT, 'src', 'wasm_exports.json'), 'utf8'));

function wasmBytes(file) {
  const js = fs.readFileSync(requireBuilt(file), 'utf8');
  const m = js.match(/data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/);
  assert.ok(m, `${file} embeds its wasm (SINGLE_FILE)`);
  return Buffer.from(m[1], 'base64');
}

function findTool(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter).concat(['/usr/bin', '/usr/local/bin'])) {
    const p = path.join(dir, name);
    try { fs.accessSync(p, fs.constants.X_OK); return p; } catch (e) { /* next */ }
  }
  return null;
}

const SIMD_OP = /\b(v128\.|[if](8x16|16x8|32x4|64x2)\.)/g;

for (const kind of ['simd', 'scalar']) {
  test(`${kind} core: loads, exports every listed function, config layout`, async () => {
    const core = await loadCore(kind);
    assert.equal(core.simd, kind === 'simd');
    const M = core._M;
    for (const name of EXPORTS) assert.equal(typeof M[name], 'function', `${name} exported`);
    assert.equal(typeof M.UTF8ToString, 'function');
    assert.equal(M._nn_config_sizeof(), 64);
    assert.deepEqual(core.defaults.layers, [64, 8, 10]);
    assert.equal(core.defaults.activation, 'sigmoid');
    assert.equal(core.defaults.lr, 0.1);
    assert.equal(core.defaults.batch, 32);
    assert.equal(core.defaults.seed, 1);
  });
}

test('the SIMD build uses SIMD instructions and the scalar build none', (t) => {
  const dis = findTool('wasm-dis');
  if (!dis) { t.skip('wasm-dis (binaryen) not found'); return; }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-wasm-'));
  try {
    const count = {};
    for (const kind of ['simd', 'scalar']) {
      const wasm = path.join(dir, kind + '.wasm');
      fs.writeFileSync(wasm, wasmBytes(`nnmath-core-${kind}.js`));
      const text = execFileSync(dis, [wasm], { maxBuffer: 256 << 20 }).toString();
      count[kind] = (text.match(SIMD_OP) || []).length;
    }
    assert.ok(count.simd > 0, `SIMD build has SIMD instructions (${count.simd})`);
    assert.equal(count.scalar, 0, 'scalar build has no SIMD instruction');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('simdSupported() agrees with WebAssembly.validate on the SIMD build', () => {
  assert.equal(typeof NNMath.simdSupported(), 'boolean');
  assert.equal(NNMath.simdSupported(), WebAssembly.validate(wasmBytes('nnmath-core-simd.js')));
  assert.ok(WebAssembly.validate(wasmBytes('nnmath-core-scalar.js')));
});

test("load({simd: 'auto'}) picks SIMD where supported; bad options reject", async () => {
  const core = await NNMath.load({ simd: 'auto', coreDir: path.dirname(requireBuilt('nnmath-core-simd.js')) });
  assert.equal(core.simd, NNMath.simdSupported());
  await assert.rejects(NNMath.load({ simd: 'yes' }), { name: 'NNMathError', code: 'invalid' });
  await assert.rejects(NNMath.load({ simd: false, coreDir: path.join(ROOT, 'no-such-dir') }),
    { name: 'NNMathError', code: 'invalid', message: /missing/ });
});
