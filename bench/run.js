// The benchmark orchestrator (run by bench/run.sh, i.e. `make bench`).
// Runs every contender as its own process, one after the other, collects bench/out/*.json into
// bench/out/results.json and writes the generated section of BENCHMARKS.md (bench/report.js).
//
// Environment: BENCH_EPOCHS (20), BENCH_RUNS (5), BENCH_HIDDEN (64,32,128),
//              BENCH_ONLY (comma list of steps: native,peak,node,torch,browser,page; default all).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { ROOT, OUT, writeJSON } = require('./lib/node-data.js');
const report = require('./report.js');

const EPOCHS = Number(process.env.BENCH_EPOCHS || 20);
const RUNS = Number(process.env.BENCH_RUNS || 5);
const HIDDEN = String(process.env.BENCH_HIDDEN || '64,32,128').split(',').map(Number);
// TF.js cpu and ConvNetJS are 20-100× slower than ours: fewer runs keep `make bench` under ~10 minutes.
const SLOW = new Set(['tfjs-cpu', 'convnetjs']);
const SLOW_RUNS = Number(process.env.BENCH_SLOW_RUNS || Math.min(3, RUNS));
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const BIN = path.join(OUT, 'bin');
const CFLAGS = ['-O3', '-DNDEBUG', '-std=c11', '-D_POSIX_C_SOURCE=200809L']; // CMake Release flags for C11
const EMENV = Object.assign({}, process.env, { NODE_PATH: '/usr/share/nodejs' + (process.env.NODE_PATH ? ':' + process.env.NODE_PATH : '') });

const results = { date: new Date().toISOString(), command: 'make bench', protocol: {}, machine: {}, contenders: {},
  peak: {}, browser: null, page: null, notes: [], skipped: [] };

function log(s) { process.stdout.write(s + '\n'); }
function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, Object.assign({ cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 }, opts));
}
function tryRead(f) { try { return fs.readFileSync(f, 'utf8'); } catch (e) { return ''; } }
function want(step) { return !ONLY || ONLY.has(step); }
function skip(what, why) { results.skipped.push({ what, why }); log(`  ${what}: skipped — ${why}`); }
// Run a step as a child process (output shown live); returns true when it exited 0.
function step(cmd, args, env) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: env || process.env });
  return r.status === 0;
}
function readJSON(f) { return JSON.parse(fs.readFileSync(f, 'utf8')); }

function machine() {
  const cpu = tryRead('/proc/cpuinfo');
  const model = (cpu.match(/^model name\s*:\s*(.*)$/m) || [])[1] || os.cpus()[0].model;
  const flags = ((cpu.match(/^flags\s*:\s*(.*)$/m) || [])[1] || '').split(/\s+/);
  const osr = tryRead('/etc/os-release');
  const ver = (cmd, args, re) => { try { const o = sh(cmd, args); return re ? (o.match(re) || [])[1] || o.trim() : o.trim().split('\n')[0]; } catch (e) { return null; } };
  let mhz = (cpu.match(/^cpu MHz\s*:\s*(.*)$/m) || [])[1];
  return {
    cpu: model, cpuMHz: mhz ? Number(mhz) : null, logicalCores: os.cpus().length,
    simdFlags: ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f'].filter((f) => flags.includes(f)),
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    os: ((osr.match(/^PRETTY_NAME="?(.*?)"?$/m) || [])[1] || os.type()) + ', Linux ' + os.release(),
    hypervisor: flags.includes('hypervisor'),
    loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
    node: process.version,
    cc: ver('cc', ['--version']),
    emcc: ver('emcc', ['--version'], /emcc \(.*?\) ([\d.]+)/),
    chromium: ver('/usr/bin/chromium', ['--version']),
    python: ver('/usr/bin/python3', ['--version']),
  };
}

(async () => {
  fs.mkdirSync(BIN, { recursive: true });
  results.machine = machine();
  // BENCH_ONLY re-runs some steps: keep the other steps' numbers from the last results.json.
  const prevFile = path.join(OUT, 'results.json');
  if (ONLY && fs.existsSync(prevFile)) {
    const prev = readJSON(prevFile);
    results.contenders = prev.contenders || {};
    results.peak = prev.peak || {};
    results.browser = prev.browser || null;
    results.page = prev.page || null;
    results.cli = prev.cli;
    results.skipped = (prev.skipped || []);
    results.partial = `steps ${[...ONLY].join(',')} re-run at ${results.date}; the rest from the run of ${prev.date}`;
    results.date = prev.date;
    results.machine.loadAverageAtStart = prev.machine.loadAverageAtStart;
  }
  results.protocol = { epochs: EPOCHS, runs: RUNS, hidden: HIDDEN, batch: 32, lr: 0.1,
    msPerEpoch: `per run: the median of the per-epoch training times of epochs 2..${EPOCHS} (epoch 1 is the warm-up); ` +
      `reported: the median over ${RUNS} runs (${SLOW_RUNS} for TF.js cpu and ConvNetJS; a fresh network each run). Evaluation is not timed.` };
  log(`machine: ${results.machine.cpu}, ${results.machine.logicalCores} cores, load ${results.machine.loadAverageAtStart.join(' ')}`);

  // ---- the split ----
  if (!step('node', ['bench/export_split.js'])) throw new Error('could not export the split (is build-wasm/ built?)');
  const split = readJSON(path.join(OUT, 'split.json'));
  results.trainCount = split.train.length; results.testCount = split.test.length;

  // ---- native ----
  if (want('native')) {
    log('native (our C core, ' + CFLAGS.join(' ') + ')');
    try {
      const src = ['bench/bench_native.c', 'src/nnmath.c', '-Isrc', '-lm'];
      sh('cc', CFLAGS.concat(src, ['-o', path.join(BIN, 'bench_native')]));
      const variants = [['native', 'bench_native', CFLAGS.join(' ')]];
      try {
        sh('cc', CFLAGS.concat(['-march=native'], src, ['-o', path.join(BIN, 'bench_native_march')]));
        variants.push(['native-march', 'bench_native_march', CFLAGS.concat(['-march=native']).join(' ')]);
      } catch (e) { skip('native -march=native', e.message.split('\n')[0]); }
      for (const [key, bin, flags] of variants) {
        const res = {};
        for (const H of HIDDEN) {
          const rows = path.join(OUT, `split-${key}.txt`);
          res[H] = JSON.parse(sh(path.join(BIN, bin), ['data/digits.csv', rows, String(H), String(EPOCHS), String(RUNS)]));
          const [tr, te] = fs.readFileSync(rows, 'utf8').trim().split('\n\n').map((b) => b.split('\n').map(Number));
          if (String(tr) !== String(split.train) || String(te) !== String(split.test)) throw new Error('the native split differs from split.json');
          const r = report.summarize(res[H], results.trainCount);
          log(`  ${key} 64,${H},10: ${r.msPerEpoch.toFixed(3)} ms/epoch, test acc ${r.testAcc.toFixed(4)}`);
        }
        results.contenders[key] = { env: 'native', version: flags, results: res };
      }
      // cross-check with the CLI (its "seconds" covers training only)
      const cli = path.join(ROOT, 'build', 'nnmath');
      if (fs.existsSync(cli)) {
        const lines = sh(cli, ['train', '--layers', '64,64,10', '--activation', 'relu', '--cost', 'xent', '--lr', '0.1',
          '--batch', '32', '--epochs', String(EPOCHS), '--seed', '1', '--json']).trim().split('\n');
        const last = JSON.parse(lines[lines.length - 1]);
        results.cli = { command: `build/nnmath train --layers 64,64,10 --activation relu --cost xent --lr 0.1 --batch 32 --epochs ${EPOCHS} --seed 1 --json`,
          seconds: last.seconds, samples_per_second: last.samples_per_second, test_acc: last.test_acc,
          msPerEpoch: last.seconds * 1000 / EPOCHS };
        log(`  CLI build/nnmath 64,64,10: ${results.cli.msPerEpoch.toFixed(3)} ms/epoch (seconds/epochs), test acc ${last.test_acc}`);
      } else skip('CLI cross-check', 'build/nnmath does not exist (make build)');
    } catch (e) { skip('native', e.message.split('\n')[0]); }
  }

  // ---- peaks ----
  if (want('peak')) {
    log('128-bit SIMD peak (best of 3 × 7 trials)');
    const best = (arr) => arr.reduce((b, x) => (!b || x.gflops > b.gflops ? x : b), null);
    try {
      sh('cc', ['-O2', '-std=c11', '-D_POSIX_C_SOURCE=200809L', 'bench/peak/peak_sse.c', '-o', path.join(BIN, 'peak_sse')]);
      results.peak.sse = best([0, 1, 2].map(() => JSON.parse(sh(path.join(BIN, 'peak_sse')))));
      log(`  native SSE mul+add: ${results.peak.sse.gflops.toFixed(2)} GFLOP/s`);
    } catch (e) { skip('SSE peak', e.message.split('\n')[0]); }
    if (results.machine.simdFlags.includes('fma')) {
      try {
        sh('cc', ['-O2', '-std=c11', '-D_POSIX_C_SOURCE=200809L', '-mfma', '-DPEAK_FMA', 'bench/peak/peak_sse.c', '-o', path.join(BIN, 'peak_fma')]);
        results.peak.fma = best([0, 1, 2].map(() => JSON.parse(sh(path.join(BIN, 'peak_fma')))));
        log(`  native 128-bit FMA: ${results.peak.fma.gflops.toFixed(2)} GFLOP/s`);
      } catch (e) { skip('FMA peak', e.message.split('\n')[0]); }
    }
    try {
      sh('emcc', ['-O2', '-msimd128', '--no-entry', '-sSTANDALONE_WASM', '-o', path.join(BIN, 'peak_wasm.wasm'), 'bench/peak/peak_wasm.c'], { env: EMENV });
      results.peak.wasmNode = best([0, 1, 2].map(() => JSON.parse(sh('node', ['bench/peak/peak_wasm.js', path.join(BIN, 'peak_wasm.wasm')]))));
      log(`  wasm SIMD mul+add in Node: ${results.peak.wasmNode.gflops.toFixed(2)} GFLOP/s`);
    } catch (e) { skip('wasm peak', e.message.split('\n')[0]); }
  }

  // ---- JavaScript contenders in Node, and PyTorch ----
  const hid = HIDDEN.join(',');
  if (want('node')) {
    log('Node ' + process.version);
    for (const w of ['ours-simd', 'ours-scalar', 'tfjs-wasm', 'tfjs-cpu', 'convnetjs']) {
      const f = path.join(OUT, `node-${w}.json`);
      try { fs.unlinkSync(f); } catch (e) { /* none */ }
      const runs = SLOW.has(w) ? SLOW_RUNS : RUNS;
      // our SIMD core's runs are each paired with the peak kernel and our native build, run
      // just before and just after each of them (when this run built them)
      const paired = [];
      if (w === 'ours-simd')
        for (const [opt, bin, stepName] of [['--peak-bin', 'peak_sse', 'peak'], ['--native-bin', 'bench_native', 'native']])
          if (want(stepName) && fs.existsSync(path.join(BIN, bin))) paired.push(opt, path.join(BIN, bin));
      if (step('node', ['bench/node_bench.js', '--which', w, '--hidden', hid, '--epochs', String(EPOCHS), '--runs', String(runs), '--out', f].concat(paired))) {
        const r = readJSON(f);
        results.contenders[w] = { env: r.env, version: r.version, info: r.info || null, results: r.results };
      } else skip(`${w} (Node)`, 'it failed to run (see the log above)');
    }
  }
  if (want('torch')) {
    const f = path.join(OUT, 'torch.json');
    if (!fs.existsSync('/usr/bin/python3')) skip('PyTorch', '/usr/bin/python3 is missing');
    else if (step('/usr/bin/python3', ['bench/bench_torch.py', '--hidden', hid, '--epochs', String(EPOCHS), '--runs', String(RUNS), '--out', f])) {
      const r = readJSON(f);
      if (r.skipped) skip('PyTorch', r.skipped);
      else results.contenders.torch = { env: r.env, version: r.version, threads: r.threads, results: r.results };
    } else skip('PyTorch', 'bench/bench_torch.py failed (see the log above)');
  }

  // ---- headless Chromium ----
  if (want('browser')) {
    log('headless Chromium (bench/browser/index.html)');
    const f = path.join(OUT, 'browser.json');
    if (step('node', ['bench/browser_bench.js', '--hidden', hid, '--epochs', String(EPOCHS), '--runs', String(RUNS), '--slow-runs', String(SLOW_RUNS), '--out', f])) {
      results.browser = readJSON(f);
    } else skip('Chromium benchmarks', 'bench/browser_bench.js failed (see the log above)');
  }

  // ---- the page ----
  if (want('page')) {
    log('the page (dist/)');
    const f = path.join(OUT, 'page.json');
    if (step('node', ['bench/page_metrics.js', '--out', f])) results.page = readJSON(f);
    else skip('page metrics', 'bench/page_metrics.js failed (see the log above)');
  }

  if (results.partial) log('  (' + results.partial + ')');
  results.machine.loadAverageAtEnd = os.loadavg().map((x) => Number(x.toFixed(2)));
  results.summary = report.build(results);
  writeJSON(path.join(OUT, 'results.json'), results);
  report.writeMarkdown(results, path.join(ROOT, 'BENCHMARKS.md'));
  log('wrote bench/out/results.json and BENCHMARKS.md');
  for (const t of results.summary.targets) log(`  target: ${t.name}: ${t.status}${t.detail ? ' — ' + t.detail : ''}`);
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
