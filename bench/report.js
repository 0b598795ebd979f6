// bench/report.js — summaries, targets and the generated section of BENCHMARKS.md.
'use strict';
const fs = require('fs');

function median(a) {
  const s = a.slice().sort((p, q) => p - q), n = s.length;
  return !n ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* {runs: [{epochMs, testAcc, trainAcc}]} -> per-run medians of epochs 2..E, their median/min/max */
function summarize(res, trainCount) {
  const per = res.runs.map((r) => median(r.epochMs.length > 1 ? r.epochMs.slice(1) : r.epochMs));
  const ms = median(per);
  // the fastest single epoch after the warm-up (robust to other work on the machine: a floor)
  const bestEpochMs = Math.min(...res.runs.map((r) => Math.min(...(r.epochMs.length > 1 ? r.epochMs.slice(1) : r.epochMs))));
  return { msPerEpoch: ms, minMs: Math.min(...per), maxMs: Math.max(...per), runs: per.length, bestEpochMs,
    samplesPerSec: trainCount / (ms / 1000), testAcc: median(res.runs.map((r) => r.testAcc)),
    trainAcc: median(res.runs.map((r) => r.trainAcc)),
    totalTrainMs: median(res.runs.map((r) => r.epochMs.reduce((a, b) => a + b, 0))) };
}

/* FLOPs of one training epoch of 64→H→10 as our kernels do them (src/nnmath.c), n training rows,
 * batch B.  Per sample: forward Σ_l (2·in·out + out) [dot products + bias], ReLU H, softmax 5·10+1,
 * cross-entropy cost 4·10+3; backward: δ of the output 2·10, dW 2·in·out and db out for both
 * layers, dX 2·H·10 for the second layer only (the input needs no gradient), ReLU' H.
 * Per step: SGD update 2·P.  (exp/log count as one flop; comparisons as one.) */
function flopsPerEpoch(H, n, B = 32) {
  const dense = 2 * (64 * H + H * 10) /* forward */ + 2 * (64 * H + H * 10) /* dW */ + 2 * H * 10 /* dX */;
  const elementwise = (H + 10) /* bias */ + H /* relu */ + 51 /* softmax */ + 43 /* xent */ +
    20 /* output delta */ + (H + 10) /* db */ + H /* relu' */;
  const P = 64 * H + H + 10 * H + 10;
  const steps = Math.ceil(n / B);
  return { perSampleDense: dense, perSampleElementwise: elementwise, params: P, steps,
    dense: n * dense, total: n * (dense + elementwise) + steps * 2 * P };
}

const ROWS = [
  // key in results.contenders (or browser:key), label, environment
  ['ours-simd', 'ours — wasm SIMD', 'Node'],
  ['ours-scalar', 'ours — wasm scalar', 'Node'],
  ['native', 'ours — native -O3', 'native'],
  ['native-march', 'ours — native -O3 -march=native (for information)', 'native'],
  ['browser:ours-simd', 'ours — wasm SIMD', 'Chromium'],
  ['browser:ours-scalar', 'ours — wasm scalar', 'Chromium'],
  ['torch', 'PyTorch, 1 thread', 'CPython'],
  ['tfjs-wasm', 'TensorFlow.js wasm (SIMD, 1 thread)', 'Node'],
  ['browser:tfjs-wasm', 'TensorFlow.js wasm (SIMD, 1 thread)', 'Chromium'],
  ['tfjs-cpu', 'TensorFlow.js cpu', 'Node'],
  ['browser:tfjs-cpu', 'TensorFlow.js cpu', 'Chromium'],
  ['convnetjs', 'ConvNetJS 0.3', 'Node'],
  ['browser:convnetjs', 'ConvNetJS 0.3', 'Chromium'],
];

function resultOf(results, key, H) {
  if (key.startsWith('browser:')) {
    const b = results.browser && results.browser.results && results.browser.results[key.slice(8)];
    return b && b[H] ? b[H] : null;
  }
  const c = results.contenders[key];
  return c && c.results && c.results[H] ? c.results[H] : null;
}

/* Runs paired with the peak kernel (node_bench.js --peak-bin): each run's median epoch
 * (epochs 2..) against the higher of the two peaks measured just before and just after it,
 * so that both numbers come from the same spell of this (shared, variable) machine. */
function pairedShares(res, flops) {
  if (!res.runs.length || !res.runs.every((r) => r.peakBefore > 0 && r.peakAfter > 0)) return null;
  const runs = res.runs.map((r) => {
    const ms = median(r.epochMs.length > 1 ? r.epochMs.slice(1) : r.epochMs);
    const peak = Math.max(r.peakBefore, r.peakAfter);
    return { ms, peak, share: flops / (ms / 1000) / 1e9 / peak };
  });
  return { runs, share: median(runs.map((x) => x.share)) };
}

/* Runs paired with our native build (node_bench.js --native-bin): each run's median epoch
 * against the faster of the two native runs (same network, 20 epochs, their median epoch)
 * made just before and just after it. */
function pairedNative(res) {
  if (!res.runs.length || !res.runs.every((r) => r.nativeBefore > 0 && r.nativeAfter > 0)) return null;
  const runs = res.runs.map((r) => {
    const ms = median(r.epochMs.length > 1 ? r.epochMs.slice(1) : r.epochMs);
    const native = Math.min(r.nativeBefore, r.nativeAfter);
    return { ms, native, ratio: ms / native };
  });
  return { runs, ratio: median(runs.map((x) => x.ratio)) };
}

function isProxy(l) { return l.kind === 'proxy' || l.bareMs === undefined; }

function build(results) {
  const n = results.trainCount, peak = results.peak.sse ? results.peak.sse.gflops : null;
  const tables = {};
  for (const H of results.protocol.hidden) {
    const fl = flopsPerEpoch(H, n);
    const rows = [];
    for (const [key, label, env] of ROWS) {
      const r = resultOf(results, key, H);
      if (!r) continue;
      const s = summarize(r, n);
      s.key = key; s.label = label; s.env = env;
      s.gflops = fl.total / (s.msPerEpoch / 1000) / 1e9;
      s.peakShare = peak ? s.gflops / peak : null;
      s.bestPeakShare = peak ? fl.total / (s.bestEpochMs / 1000) / 1e9 / peak : null;
      s.paired = pairedShares(r, fl.total);
      s.pairedNative = pairedNative(r);
      rows.push(s);
    }
    const ref = (env) => rows.find((x) => x.key === (env === 'Chromium' ? 'browser:ours-simd' : 'ours-simd'));
    for (const s of rows) {
      const r = ref(s.env);
      s.vsSimd = r ? s.msPerEpoch / r.msPerEpoch : null;
    }
    tables[H] = { flops: fl, rows };
  }

  // ---- targets (64,64,10) ----
  const t64 = tables[64] ? tables[64].rows : [];
  const get = (k) => t64.find((x) => x.key === k);
  const simd = get('ours-simd'), targets = [];
  const f2 = (x) => x.toFixed(2);
  function ratioTarget(name, other, need) {
    const o = get(other);
    if (!simd || !o) { targets.push({ name, status: 'not measured', detail: `${other} or ours-simd missing` }); return; }
    const r = o.msPerEpoch / simd.msPerEpoch, rb = o.bestEpochMs / simd.bestEpochMs;
    targets.push({ name, value: r, need, status: r >= need ? 'met' : 'missed', best: rb,
      detail: `${f2(o.msPerEpoch)} ms ÷ ${f2(simd.msPerEpoch)} ms = ${f2(r)}×` +
        (r >= need ? '' : `; ${f2(need / r)}× short (wasm SIMD would need ≤ ${f2(o.msPerEpoch / need)} ms/epoch)`) +
        ` [fastest epochs: ${f2(o.bestEpochMs)} ÷ ${f2(simd.bestEpochMs)} = ${f2(rb)}×]` });
  }
  ratioTarget('wasm SIMD (Node) ≥ 6× faster per epoch than PyTorch 1 thread', 'torch', 6);
  ratioTarget('wasm SIMD (Node) ≥ 25× faster per epoch than TF.js wasm backend (Node)', 'tfjs-wasm', 25);
  const nat = get('native');
  if (simd && nat) {
    // the status follows the paired ratio when the runs were paired (see pairedNative)
    const r = simd.msPerEpoch / nat.msPerEpoch, rb = simd.bestEpochMs / nat.bestEpochMs;
    const pn = simd.pairedNative, v = pn ? pn.ratio : r;
    const pairedText = pn ? `paired: ${f2(pn.ratio)}×, the median of ${pn.runs.length} runs (${pn.runs.map((x) => f2(x.ratio) + '×').join(', ')}), ` +
      `each run's median epoch against the faster of two native runs made just before and after it; unpaired: ` : '';
    targets.push({ name: 'wasm SIMD (Node) within 1.3× of our native build', value: v, need: 1.3, best: rb,
      status: v <= 1.3 ? 'met' : 'missed',
      detail: pairedText + `${f2(simd.msPerEpoch)} ms ÷ ${f2(nat.msPerEpoch)} ms = ${f2(r)}×` + (v <= 1.3 ? '' : `; ${f2(v / 1.3)}× too slow`) +
        (r <= 1.3 ? '' : ` (unpaired, it would need ≤ ${f2(nat.msPerEpoch * 1.3)} ms/epoch)`) +
        ` [fastest epochs: ${f2(simd.bestEpochMs)} ÷ ${f2(nat.bestEpochMs)} = ${f2(rb)}×]` });
  } else targets.push({ name: 'wasm SIMD (Node) within 1.3× of our native build', status: 'not measured' });
  if (simd && peak) {
    // the status follows the paired share when the runs were paired (see pairedShares)
    const pr = simd.paired, share = pr ? pr.share : simd.peakShare;
    const pct = (x) => (x * 100).toFixed(1) + '%';
    const pairedText = pr ? `paired: ${pct(pr.share)}, the median of ${pr.runs.length} runs (${pr.runs.map((x) => pct(x.share)).join(', ')}), ` +
      `each run's median epoch against the peak kernel run just before and after it (${f2(Math.min(...pr.runs.map((x) => x.peak)))}–` +
      `${f2(Math.max(...pr.runs.map((x) => x.peak)))} GFLOP/s); unpaired: ` : '';
    targets.push({ name: 'wasm SIMD (Node) ≥ 50% of the 128-bit SIMD peak on the training FLOPs', value: share, need: 0.5,
      status: share >= 0.5 ? 'met' : 'missed',
      best: simd.bestPeakShare,
      detail: pairedText + `${f2(simd.gflops)} GFLOP/s of ${f2(peak)} = ${pct(simd.peakShare)}` +
        (share >= 0.5 ? '' : `; ${f2(0.5 / share)}× short`) +
        (simd.peakShare >= 0.5 ? '' : ` (unpaired, it would need ≤ ${f2(tables[64].flops.total / (0.5 * peak * 1e9) * 1000)} ms/epoch)`) +
        ` [fastest epoch: ${pct(simd.bestPeakShare)}]` });
  } else targets.push({ name: 'wasm SIMD (Node) ≥ 50% of the 128-bit SIMD peak', status: 'not measured' });
  const imp = results.browser && results.browser.improved;
  if (imp) {
    const ok = imp.reached && imp.reached.trainMs < 300;
    targets.push({ name: '"Improved" preset reaches 97% test accuracy in < 0.3 s of training (Chromium)',
      status: ok ? 'met' : 'missed',
      detail: imp.reached ? `97% after ${imp.reached.epoch} epochs, ${imp.reached.trainMs.toFixed(1)} ms of training`
        : `never reaches 97% in its ${imp.epochs} epochs: best test accuracy ${(imp.bestTestAcc * 100).toFixed(1)}% ` +
          `(${(imp.history[imp.history.length - 1].testAcc * 100).toFixed(1)}% at the end); the 30 epochs take ${imp.totalTrainMs.toFixed(0)} ms of training` });
  } else targets.push({ name: '"Improved" preset reaches 97% in < 0.3 s (Chromium)', status: 'not measured' });
  const pg = results.page;
  if (pg && !pg.skipped && pg.total) {
    targets.push({ name: 'whole page < 150 KB gzip (Chart.js included)', value: pg.total.gzip,
      status: pg.total.gzip < 150 * 1024 ? 'met' : 'missed',
      detail: `${(pg.total.gzip / 1024).toFixed(1)} KiB gzip (${(pg.total.raw / 1024).toFixed(1)} KiB raw) in ${pg.files.length} files` +
        (pg.total.gzip < 150 * 1024 ? '' : `; ${((pg.total.gzip - 150 * 1024) / 1024).toFixed(1)} KiB over`) +
        (pg.files.some((f) => /chart/i.test(f.file)) ? '' : ' (Chart.js is not loaded by the page)') +
        (pg.initial ? `; ${(pg.initial.gzip / 1024).toFixed(1)} KiB gzip in ${pg.initial.files.length} files by the time it is interactive ` +
          '(the lazy parts\' scripts, Chart.js among them, load when the reader does something or after 4 s)' : '') });
    targets.push({ name: 'interactive in < 1 s locally (headless Chromium)', value: pg.interactiveMedianMs,
      status: pg.interactiveMedianMs < 1000 ? 'met' : 'missed',
      detail: `${pg.interactiveMedianMs.toFixed(0)} ms (median of ${pg.loads.length} loads; ready = ${pg.readySignal})` });
    const tr = pg.training;
    if (tr && !tr.skipped) {
      const longest = Math.max(tr.longestTaskMs, 0);
      targets.push({ name: 'no task over 50 ms while training (Improved preset, page)',
        status: tr.longtasks.length === 0 ? 'met' : 'missed',
        detail: `${tr.longtasks.length} long tasks` + (tr.longtasks.length ? `, the longest ${longest.toFixed(0)} ms` : '') +
          `; largest 5 ms-heartbeat gap ${tr.maxHeartbeatGapMs.toFixed(0)} ms` + (tr.finished ? '' : ' (training did not finish in 120 s)') });
    } else targets.push({ name: 'no task over 50 ms while training', status: 'not measured', detail: tr && tr.skipped });
  } else {
    for (const n2 of ['whole page < 150 KB gzip', 'interactive in < 1 s', 'no task over 50 ms while training'])
      targets.push({ name: n2, status: 'not measured', detail: pg && pg.skipped ? pg.skipped : 'page metrics failed' });
  }
  const lp = pg && pg.landscapePage, bl = results.browser && results.browser.landscape;
  const blText = !bl ? '' : isProxy(bl)
    ? `proxy through the wrapper: ${bl.points} cost evaluations (net.cost('train'), ${bl.rowsPerPoint} rows each) took ${bl.ms.toFixed(0)} ms in Chromium`
    : `through the wrapper in Chromium, ${bl.size}×${bl.size} on ${bl.rowsPerPoint} rows: ${bl.bareMs.toFixed(0)} ms of C work in one go, ` +
      `${bl.computeMs.toFixed(0)} ms with ls.compute() in 10 ms slices`;
  if (lp && lp.computeMs !== undefined) {
    targets.push({ name: 'the landscape grid in < 1 s (landscape page, 31×31 on 500 rows)', value: lp.computeMs,
      status: lp.computeMs < 1000 ? 'met' : 'missed',
      detail: `${lp.computeMs} ms in the page (its data-ms)` + (blText ? '; ' + blText : '') });
    targets.push({ name: 'no task over 50 ms while the landscape page trains and computes', status: lp.longtasks.length === 0 ? 'met' : 'missed',
      detail: `${lp.longtasks.length} long tasks` + (lp.longtasks.length ? `, the longest ${lp.longestTaskMs.toFixed(0)} ms` : '') +
        ` (from navigation to the landscape drawn); largest 5 ms-heartbeat gap ${lp.maxHeartbeatGapMs.toFixed(0)} ms` });
  } else if (bl && !isProxy(bl)) {
    targets.push({ name: 'the landscape grid in < 1 s (wrapper, 31×31 on 500 rows)', value: bl.computeMs,
      status: bl.computeMs < 1000 ? 'met' : 'missed', detail: blText + (lp && (lp.error || lp.skipped) ? `; the landscape page: ${lp.error || lp.skipped}` : '') });
  } else {
    targets.push({ name: 'the landscape grid in < 1 s', status: 'not measured',
      detail: 'the page has no loss-landscape view yet (not yet implemented)' + (blText ? '; ' + blText : '') });
  }
  return { tables, targets };
}

// ---------------------------------------------------------------- Markdown
const BEGIN = '<!-- bench:begin (generated by bench/run.sh — do not edit by hand) -->';
const END = '<!-- bench:end -->';

function fmt(x, d = 2) { return x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d); }
function kb(b) { return (b / 1024).toFixed(1); }

function markdown(results) {
  const m = results.machine, S = results.summary, L = [];
  L.push(BEGIN, '');
  L.push(`### Run of ${results.date.slice(0, 16).replace('T', ' ')} UTC — \`${results.command}\``, '');
  if (results.partial) L.push(`(${results.partial}.)`, '');
  L.push(`- **Machine:** ${m.cpu}${m.cpuMHz ? ` (${Math.round(m.cpuMHz)} MHz reported)` : ''}, ${m.logicalCores} logical cores` +
    `${m.hypervisor ? ' (a VM)' : ''}, ${m.memoryGiB} GiB, ${m.os}; SIMD flags: ${m.simdFlags.join(', ')}`);
  L.push(`- **Load average** at start ${m.loadAverageAtStart.join(' / ')}, at end ${(m.loadAverageAtEnd || []).join(' / ')} (1/5/15 min; ` +
    `anything well above 1 means other work shared the 2 cores and the times are noisier)`);
  const c = results.contenders;
  const v = [`Node ${m.node}`, results.browser ? results.browser.env.replace('chromium', 'Chromium') : (m.chromium || 'Chromium: —'),
    c.torch ? `PyTorch ${c.torch.version} (${c.torch.env}, ${c.torch.threads} thread)` : 'PyTorch: skipped',
    c['tfjs-wasm'] ? `TensorFlow.js ${c['tfjs-wasm'].version}` : 'TensorFlow.js: skipped',
    c.convnetjs ? `ConvNetJS ${c.convnetjs.version}` : 'ConvNetJS: skipped', m.cc, m.emcc ? `emcc ${m.emcc}` : null].filter(Boolean);
  L.push(`- **Software:** ${v.join('; ')}`);
  L.push(`- **Task:** ${results.trainCount} training / ${results.testCount} test rows (bench/out/split.json, our split with seed 1), ` +
    `x = pixel/16, 64→H→10 ReLU, softmax + cross-entropy, SGD lr 0.1, batch 32, ${results.protocol.epochs} epochs.`);
  L.push(`- **ms/epoch:** ${results.protocol.msPerEpoch} Brackets: the fastest and slowest run. ` +
    `"Fastest epoch": the quickest single epoch after the warm-up, a floor that other work on the machine hardly moves ` +
    `(the targets' status uses the medians; the fastest-epoch ratios are shown beside them).`);
  L.push(`- **vs SIMD:** this row's ms/epoch ÷ ours wasm SIMD's in the same engine (Chromium rows against Chromium, ` +
    `all others against Node); above 1 = slower than ours.`);
  const p = results.peak;
  L.push(`- **Peak (128-bit SIMD, one core):** native SSE mul+add ${p.sse ? fmt(p.sse.gflops) : '—'} GFLOP/s (the reference for "% peak")` +
    `${p.fma ? `; 128-bit FMA ${fmt(p.fma.gflops)}` : ''}; wasm SIMD mul+add ${p.wasmNode ? fmt(p.wasmNode.gflops) : '—'} in Node` +
    `${results.browser && results.browser.peak ? `, ${fmt(results.browser.peak.gflops)} in Chromium` : ''} (bench/peak/).`);
  L.push('');
  for (const H of results.protocol.hidden) {
    const T = S.tables[H];
    if (!T) continue;
    L.push(`#### 64,${H},10 — ${(T.flops.total / 1e6).toFixed(2)} MFLOP per epoch ` +
      `(${T.flops.perSampleDense} dense + ${T.flops.perSampleElementwise} element-wise per sample, ${T.flops.steps} updates of ${T.flops.params} parameters)`, '');
    L.push('| contender | runs in | ms/epoch | fastest epoch | samples/s | test acc | vs SIMD | GFLOP/s | % peak |');
    L.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const s of T.rows) {
      L.push(`| ${s.label} | ${s.env} | ${fmt(s.msPerEpoch)} [${fmt(s.minMs)}–${fmt(s.maxMs)}] | ${fmt(s.bestEpochMs)} | ${Math.round(s.samplesPerSec).toLocaleString('en-US')} | ` +
        `${(s.testAcc * 100).toFixed(1)}% | ${s.vsSimd === null ? '—' : fmt(s.vsSimd) + '×'} | ${fmt(s.gflops)} | ${s.peakShare === null ? '—' : (s.peakShare * 100).toFixed(1) + '%'} |`);
    }
    L.push('');
  }
  if (results.cli) {
    L.push(`CLI cross-check (64,64,10): \`${results.cli.command}\` reports ${results.cli.seconds} s of training ` +
      `= ${fmt(results.cli.msPerEpoch)} ms/epoch (all ${results.protocol.epochs} epochs, first included), ` +
      `${Math.round(results.cli.samples_per_second).toLocaleString('en-US')} samples/s, test acc ${(results.cli.test_acc * 100).toFixed(1)}%.`, '');
  }
  L.push('#### Targets (64,64,10 unless said otherwise)', '');
  L.push('| target | status | measured |', '|---|---|---|');
  for (const t of S.targets) L.push(`| ${t.name} | **${t.status}** | ${t.detail || ''} |`);
  L.push('');
  const b = results.browser;
  if (b && b.improved) {
    const h = b.improved.history;
    L.push(`"Improved" preset in Chromium (64,32,10 ReLU, xent, SGD lr 0.1, batch 32, seed 1; training time only): test accuracy by epoch ` +
      h.filter((x, i) => i % 5 === 4 || i === 0).map((x) => `${x.epoch}: ${(x.testAcc * 100).toFixed(1)}% at ${x.trainMs.toFixed(0)} ms`).join(', ') + '.', '');
  }
  const pg = results.page;
  if (pg && !pg.skipped && pg.files) {
    L.push('#### The page (dist/, served on 127.0.0.1 with the strict CSP)', '');
    L.push('| file (loaded by the page) | raw bytes | gzip -9 bytes |', '|---|---:|---:|');
    for (const f of pg.files) L.push(`| ${f.file} | ${f.raw.toLocaleString('en-US')} | ${f.gzip.toLocaleString('en-US')} |`);
    L.push(`| **total** | **${pg.total.raw.toLocaleString('en-US')}** (${kb(pg.total.raw)} KiB) | **${pg.total.gzip.toLocaleString('en-US')}** (${kb(pg.total.gzip)} KiB) |`, '');
    if (pg.initial) {
      L.push(`Loaded by the time the page is interactive: ${pg.initial.files.length} files, ${pg.initial.raw.toLocaleString('en-US')} B raw, ` +
        `${pg.initial.gzip.toLocaleString('en-US')} B gzip (${kb(pg.initial.gzip)} KiB): ${pg.initial.files.join(', ')}.`, '');
    }
    if (pg.otherFiles.length) {
      L.push('Not loaded by the page: ' + pg.otherFiles.map((f) => `${f.file} (${f.raw.toLocaleString('en-US')} B, ${f.gzip.toLocaleString('en-US')} gzip)`).join(', ') + '.', '');
    }
    L.push(`Navigation → interactive: ${pg.loads.map((x) => x.interactiveMs.toFixed(0)).join(', ')} ms (median ${pg.interactiveMedianMs.toFixed(0)} ms; ` +
      `ready = ${pg.readySignal}; DOMContentLoaded ${pg.loads.map((x) => x.nav ? x.nav.domContentLoaded.toFixed(0) : '—').join(', ')} ms).`, '');
    if (pg.training && !pg.training.skipped) {
      const tr = pg.training;
      L.push(`Training the Improved preset in the page (click, to the end): ${tr.finished ? 'finished' : 'not finished'} in ${tr.wallMs} ms wall time ` +
        `(training, per-epoch evaluation and drawing), ${tr.longtasks.length} long tasks (> 50 ms)` +
        `${tr.longtasks.length ? ': ' + tr.longtasks.map((x) => x.duration.toFixed(0) + ' ms').join(', ') : ''}; largest gap of a 5 ms heartbeat timer ${tr.maxHeartbeatGapMs.toFixed(0)} ms` +
        `${tr.finalTestAcc !== null ? `; final test accuracy ${(tr.finalTestAcc * 100).toFixed(1)}%` : ''}.`, '');
    }
    if (pg.errors && pg.errors.length) L.push('Page problems seen: ' + pg.errors.slice(0, 5).join('; '), '');
  } else if (pg && pg.skipped) {
    L.push(`The page: not measured — ${pg.skipped}.`, '');
  }
  if (b && b.landscape) {
    const bl = b.landscape;
    if (isProxy(bl)) {
      L.push(`Loss landscape: not in the wrapper yet. As a proxy, a ${bl.grid}×${bl.grid} grid of the mean training cost ` +
        `(params set from JS, then net.cost('train') over ${bl.rowsPerPoint} rows, 64,32,10) took ${bl.ms.toFixed(0)} ms in Chromium.`, '');
    } else {
      L.push(`Loss landscape through the wrapper in Chromium (Improved network after ${bl.epochs} epochs, ${bl.size}×${bl.size} grid, ` +
        `${bl.rowsPerPoint} training rows per point = ${bl.forwardPasses.toLocaleString('en-US')} forward passes): ${bl.bareMs.toFixed(0)} ms of C work ` +
        `(ls.computeRow for every row, one task), ${bl.computeMs.toFixed(0)} ms with ls.compute({budgetMs: 10}) as the page runs it.`, '');
    }
  }
  if (pg && pg.landscapePage && pg.landscapePage.computeMs !== undefined) {
    const lp = pg.landscapePage;
    L.push(`The landscape page (dist/landscape.html: loads, trains 3 epochs, computes): "${lp.status}" — ${lp.longtasks.length} long tasks, ` +
      `largest heartbeat gap ${lp.maxHeartbeatGapMs.toFixed(0)} ms (the heartbeat gap is an upper bound: it can span several tasks and a frame).`, '');
  } else if (pg && pg.landscapePage) {
    L.push(`The landscape page: not measured — ${pg.landscapePage.error || pg.landscapePage.skipped}.`, '');
  }
  const notes = [];
  for (const [k, c2] of Object.entries(results.contenders)) {
    const first = c2.results && Object.values(c2.results)[0];
    if (first && first.notes && first.notes.length) notes.push(`${k}: ${first.notes.join(' ')}`);
  }
  if (results.browser && results.browser.errors && results.browser.errors.length) notes.push('Chromium failures: ' + results.browser.errors.map((e) => e.split('\n')[0]).join('; '));
  for (const s of results.skipped) notes.push(`skipped ${s.what}: ${s.why}`);
  if (notes.length) { L.push('Notes:', ''); notes.forEach((x) => L.push('- ' + x)); L.push(''); }
  L.push('Raw numbers (every epoch of every run): `bench/out/results.json`.', '');
  L.push(END);
  return L.join('\n');
}

const HEADER = `# Benchmarks

\`make bench\` (bench/run.sh) measures the training speed of our core against its peers on the same task,
this machine's 128-bit SIMD peak, and the page. The section between the markers below is rewritten by every run.

`;

function writeMarkdown(results, file) {
  const gen = markdown(results);
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : HEADER + BEGIN + '\n' + END + '\n';
  const i = text.indexOf(BEGIN), j = text.indexOf(END);
  if (i < 0 || j < 0) text = text.trimEnd() + '\n\n' + gen + '\n';
  else text = text.slice(0, i) + gen + text.slice(j + END.length);
  fs.writeFileSync(file, text);
}

module.exports = { median, summarize, flopsPerEpoch, pairedShares, pairedNative, build, markdown, writeMarkdown, BEGIN, END };

// `node bench/report.js`: rebuild the summary and BENCHMARKS.md from bench/out/results.json.
if (require.main === module) {
  const path = require('path');
  const root = path.resolve(__dirname, '..');
  const file = path.join(root, 'bench', 'out', 'results.json');
  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  results.summary = build(results);
  fs.writeFileSync(file, JSON.stringify(results, null, 1) + '\n');
  writeMarkdown(results, path.join(root, 'BENCHMARKS.md'));
  console.log('BENCHMARKS.md rewritten from bench/out/results.json');
}
