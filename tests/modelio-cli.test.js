// A model saved by the page (web/js/model-io/modelio.js) is read by the command-line trainer:
// `nnmath train --init model.json --epochs 0 --json` with the same settings evaluates the very same
// network — the same test accuracy and the same confusion matrix as the WebAssembly core.  (The
// CLI's parameter reader reads "layers" and ignores the other keys of the file, "config" included.)
// Needs build/nnmath (`make build`) and build-wasm/ (`make wasm`).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const WASM = path.resolve(process.env.NNMATH_WASM_DIR || path.join(ROOT, 'build-wasm'));
const CLI = path.resolve(process.env.NNMATH_CLI || path.join(ROOT, 'build', 'nnmath'));
const CSV = path.join(ROOT, 'data', 'digits.csv');
const NNMath = require(path.join(ROOT, 'web', 'js', 'nnmath.js'));
const IO = require(path.join(ROOT, 'web', 'js', 'model-io', 'modelio.js'));

const missing = [path.join(WASM, 'nnmath-core-simd.js'), path.join(WASM, 'digits-data.js'), CLI]
  .filter((f) => !fs.existsSync(f));
const skip = missing.length ? `missing ${missing.join(', ')}: run \`make build\` and \`make wasm\`` : false;

function cliArgs(cfg, scale) {
  return ['train', '--data', CSV, '--layers', cfg.layers.join(','), '--activation', cfg.activation,
    '--output', cfg.output, '--cost', cfg.cost, '--optimizer', cfg.optimizer, '--lr', String(cfg.lr),
    '--momentum', String(cfg.momentum), '--weight-decay', String(cfg.weightDecay), '--batch', String(cfg.batch),
    '--seed', '1', '--test-fraction', '0.2', '--scale', scale];
}

function lastJSON(out) {
  const lines = out.trim().split('\n').filter((l) => l.trim().startsWith('{'));
  return JSON.parse(lines[lines.length - 1]);
}

test('the CLI reads a model saved by the page and evaluates the same network', { skip, timeout: 120000 }, async (t) => {
  const core = await NNMath.load({ simd: true, coreDir: WASM });
  const digits = NNMath.decodeDigits(require(path.join(WASM, 'digits-data.js')));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-modelio-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cases = [
    [{ layers: [64, 32, 10], activation: 'relu', cost: 'xent' }, 'unit', 3],
    [{ layers: [64, 16, 10], activation: 'sigmoid', cost: 'mse', lr: 1 }, 'raw', 2],
    [{ layers: [64, 10], activation: 'tanh', cost: 'xent', optimizer: 'adam', lr: 0.01 }, 'unit', 1],
  ];
  for (const [c, scale, epochs] of cases) {
    // The CLI splits with --seed, so the page's split seed (1) and the network seed (1) agree.
    const ds = core.dataset({ pixels: digits.pixels, labels: digits.labels, scale });
    ds.split({ testFraction: 0.2, seed: 1 });
    const net = core.network(Object.assign({ seed: 1 }, c), ds);
    for (let e = 0; e < epochs; e++) net.trainEpoch();
    const ev = net.evaluate('test');
    const file = path.join(dir, IO.fileName(IO.serialize(net)));
    fs.writeFileSync(file, IO.stringify(net, { testAccuracy: ev.accuracy }));

    const cfg = net.config;
    const out = execFileSync(CLI, cliArgs(cfg, scale).concat(['--init', file, '--epochs', '0', '--json']), { encoding: 'utf8' });
    const done = lastJSON(out);
    assert.equal(done.done, true);
    assert.equal(done.epochs, 0);
    const label = `${cfg.layers.join('-')} ${cfg.activation} ${cfg.cost} ${scale}`;
    t.diagnostic(`${label}: page ${ev.accuracy.toFixed(6)}, CLI ${done.test_acc}`);
    assert.ok(Math.abs(done.test_acc - ev.accuracy) < 1e-6, `${label}: same test accuracy`);
    assert.ok(Math.abs(done.test_cost - ev.cost) < 1e-4 * Math.max(1, ev.cost), `${label}: same test cost`);
    // Row by row: the CLI's confusion matrix is [true][predicted], the page's flat [true*10 + predicted].
    const flat = [].concat(...done.confusion);
    assert.deepEqual(flat, Array.from(ev.confusion), `${label}: the same answer for every test digit`);

    // And the other way: a model file with damaged weights is refused by the CLI too (exit 3).
    const bad = fs.readFileSync(file, 'utf8').replace(/"bias": \[([^\]]*)\]\}\n  \]/, '"bias": ["NaN"]}\n  ]');
    assert.notEqual(bad, fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file + '.bad', bad);
    let code = 0;
    try { execFileSync(CLI, cliArgs(cfg, scale).concat(['--init', file + '.bad', '--epochs', '0', '--json']), { stdio: 'pipe' }); }
    catch (e) { code = e.status; }
    assert.equal(code, 3, 'the CLI refuses a damaged file');
    assert.throws(() => IO.parse(bad), IO.ModelIOError, 'and so does the page');
    net.dispose(); ds.dispose();
  }
});
