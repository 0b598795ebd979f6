#!/usr/bin/env node
/*
 * bench/epoch_ms.js — milliseconds per training epoch, wasm (SIMD and scalar,
 * in Node, through web/js/nnmath.js) against the native trainer, measured in
 * one run; plus the sizes of the cores (raw and gzip).
 *
 *   node bench/epoch_ms.js [--epochs N] [--repeats R] [--layers 64,64,10] [--json]
 *
 * Network: LAYERS (default 64,64,10), relu, softmax + cross-entropy, SGD lr 0.1,
 * batch 32, seed 1; data/digits.csv, scale unit, test fraction 0.2 (1438
 * training rows, 45 steps per epoch).  Only training is timed (no evaluation),
 * like the CLI's "seconds".  wasm: 3 warm-up epochs, then N epochs per run;
 * native: `build/nnmath train --epochs N --json`, its seconds/epochs.  The
 * variants take turns, R rounds, and the median run of each is reported.  Also shown: the wasm builds when
 * a whole epoch is ONE C call (nn_train_epoch) instead of one call per step —
 * V8 cannot optimise a wasm function while it is running, so that stays on
 * the baseline compiler.
 *
 * Environment: NNMATH_WASM_DIR (default build-wasm), NNMATH_CLI (default build/nnmath).
 */
'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const WASM_DIR = path.resolve(process.env.NNMATH_WASM_DIR || path.join(ROOT, 'build-wasm'));
const CLI = path.resolve(process.env.NNMATH_CLI || path.join(ROOT, 'build', 'nnmath'));
const NNMath = require(path.join(ROOT, 'web', 'js', 'nnmath.js'));

function arg(name, def) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
}
const EPOCHS = Number(arg('--epochs', 20));
const REPEATS = Number(arg('--repeats', 5));
const LAYERS = arg('--layers', '64,64,10');
const JSON_OUT = process.argv.includes('--json');
const CFG = { layers: LAYERS.split(',').map(Number), activation: 'relu', cost: 'xent', lr: 0.1, batch: 32, seed: 1 };

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function sizes() {
  const out = {};
  for (const kind of ['simd', 'scalar']) {
    const buf = fs.readFileSync(path.join(WASM_DIR, `nnmath-core-${kind}.js`));
    out[kind] = { raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
  }
  const data = fs.readFileSync(path.join(WASM_DIR, 'digits-data.js'));
  out.data = { raw: data.length, gzip: zlib.gzipSync(data, { level: 9 }).length };
  return out;
}

/** A wasm variant ready to time: run(n) trains n epochs. */
async function wasmVariant(kind, oneCall) {
  const core = await NNMath.load({ simd: kind === 'simd', coreDir: WASM_DIR });
  const d = NNMath.decodeDigits(require(path.join(WASM_DIR, 'digits-data.js')));
  const ds = core.dataset({ pixels: d.pixels, labels: d.labels, scale: 'unit' });
  ds.split({ testFraction: 0.2, seed: 1 });
  const net = core.network(CFG, ds);
  const epoch = oneCall ? () => { if (core._M._nn_train_epoch(net._ptr) !== 0) throw new Error('train failed'); }
    : () => net.trainEpoch();
  for (let i = 0; i < 3; i++) epoch(); // warm-up (V8 tiers the code up)
  return () => {
    const t0 = process.hrtime.bigint();
    for (let e = 0; e < EPOCHS; e++) epoch();
    return Number(process.hrtime.bigint() - t0) / 1e6 / EPOCHS;
  };
}

function nativeVariant() {
  if (!fs.existsSync(CLI)) return null;
  return () => {
    const out = execFileSync(CLI, ['train', '--data', path.join(ROOT, 'data', 'digits.csv'), '--layers', LAYERS,
      '--activation', 'relu', '--cost', 'xent', '--lr', '0.1', '--batch', '32', '--seed', '1',
      '--epochs', String(EPOCHS), '--json'], { encoding: 'utf8' });
    const done = out.trim().split('\n').map((l) => JSON.parse(l)).find((o) => o.done);
    return done.seconds * 1000 / done.epochs;
  };
}

/** Round robin over the variants, REPEATS times (load changes hit them all alike); medians. */
async function measure() {
  const variants = {
    native: nativeVariant(),
    wasm_simd: await wasmVariant('simd', false),
    wasm_scalar: await wasmVariant('scalar', false),
    wasm_simd_one_call_per_epoch: await wasmVariant('simd', true),
    wasm_scalar_one_call_per_epoch: await wasmVariant('scalar', true),
  };
  const runs = {};
  for (const k of Object.keys(variants)) runs[k] = [];
  for (let r = 0; r < REPEATS; r++) {
    for (const [k, run] of Object.entries(variants)) if (run) runs[k].push(run());
  }
  const out = {};
  for (const k of Object.keys(variants)) out[k] = variants[k] ? median(runs[k]) : null;
  return out;
}

(async () => {
  const result = {
    config: `${LAYERS} relu xent sgd lr 0.1 batch 32, 1438 training rows`,
    node: process.version, epochs: EPOCHS, repeats: REPEATS,
    sizes: sizes(),
    ms_per_epoch: await measure(),
  };
  if (JSON_OUT) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
  const ms = (v) => (v === null ? 'n/a (no ' + path.relative(ROOT, CLI) + ')' : v.toFixed(2) + ' ms');
  console.log(`module sizes (${path.relative(ROOT, WASM_DIR) || '.'}):`);
  for (const k of ['simd', 'scalar', 'data']) {
    const s = result.sizes[k];
    const name = k === 'data' ? 'digits-data.js' : `nnmath-core-${k}.js`;
    console.log(`  ${name.padEnd(24)} ${kb(s.raw).padStart(10)} raw  ${kb(s.gzip).padStart(10)} gzip`);
  }
  console.log(`ms per epoch, ${result.config} (median of ${REPEATS} x ${EPOCHS} epochs, ${process.version}):`);
  const m = result.ms_per_epoch;
  console.log(`  native (build/nnmath)           ${ms(m.native)}`);
  console.log(`  wasm SIMD   (one call per step) ${ms(m.wasm_simd)}`);
  console.log(`  wasm scalar (one call per step) ${ms(m.wasm_scalar)}`);
  console.log(`  wasm SIMD   (one call per epoch) ${ms(m.wasm_simd_one_call_per_epoch)}`);
  console.log(`  wasm scalar (one call per epoch) ${ms(m.wasm_scalar_one_call_per_epoch)}`);
})().catch((e) => {
  console.error('epoch_ms:', e && e.stack ? e.stack : e);
  process.exit(1);
});
