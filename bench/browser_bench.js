// The in-browser benchmarks (headless Chromium via playwright-core, tests/browser/harness.js):
//   node bench/browser_bench.js --hidden 64,32,128 --epochs 20 --runs 5 --which ours-simd,... --out FILE
// Serves the repository root on 127.0.0.1 (cross-origin isolated, for a 5 µs performance.now())
// and opens bench/browser/index.html in a fresh page for every measurement.
'use strict';
const path = require('path');
const { ROOT, readSplit, writeJSON, args } = require('./lib/node-data.js');
const harness = require(path.join(ROOT, 'tests', 'browser', 'harness.js'));
const Peers = require('./lib/peers.js');

(async () => {
  const a = args();
  const hidden = String(a.hidden || '64').split(',').map(Number);
  const which = String(a.which || 'ours-simd,ours-scalar,tfjs-wasm,tfjs-cpu,convnetjs').split(',');
  const epochs = Number(a.epochs || 20), runs = Number(a.runs || 5);
  const slowRuns = Number(a['slow-runs'] || runs);
  const split = readSplit();
  const srv = await harness.startServer({ root: '.', headers: {
    'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } });
  const browser = await harness.launchBrowser();
  const out = { env: 'chromium ' + browser.version(), results: {}, errors: [] };
  async function inPage(fn, arg) {
    const page = await browser.newPage();
    const problems = harness.collectPageProblems(page);
    try {
      await page.goto(srv.url + 'bench/browser/index.html');
      await page.waitForFunction(() => window.NNBench);
      out.timer = await page.evaluate(() => window.NNBench.timerResolutionHint);
      return await page.evaluate(fn, arg);
    } catch (e) {
      throw new Error(`${e.message}\n${problems.errors().join('\n')}`);
    } finally {
      await page.close();
    }
  }
  try {
    out.peak = await inPage((it) => window.NNBench.peak(it), 20000000);
    console.log(`  chromium wasm SIMD peak: ${out.peak.gflops.toFixed(2)} GFLOP/s`);
    for (const w of which) {
      out.results[w] = {};
      for (const H of hidden) {
        const r = w === 'tfjs-cpu' || w === 'convnetjs' ? slowRuns : runs;
        try {
          const res = await inPage(([w2, o, s]) => window.NNBench.train(w2, o, s),
            [w, { hidden: H, epochs, runs: r }, split]);
          out.results[w][H] = res;
          const med = Peers.median(res.runs.map((x) => Peers.median(x.epochMs.slice(1))));
          console.log(`  chromium ${w} 64,${H},10: ${med.toFixed(3)} ms/epoch (median), test acc ${res.runs[0].testAcc.toFixed(4)}`);
        } catch (e) {
          out.errors.push(`${w} 64,${H},10: ${e.message}`);
          console.log(`  chromium ${w} 64,${H},10: FAILED ${e.message.split('\n')[0]}`);
        }
      }
    }
    out.improved = await inPage((t) => window.NNBench.improved(t), 0.97);
    const imp = out.improved;
    console.log(`  chromium Improved preset: ${imp.reached ? `97% after ${imp.reached.epoch} epochs, ${imp.reached.trainMs.toFixed(1)} ms of training`
      : `never reached 97% in 30 epochs (best ${(imp.bestTestAcc * 100).toFixed(1)}%, 30 epochs in ${imp.totalTrainMs.toFixed(1)} ms)`}`);
    out.landscape = await inPage((o) => window.NNBench.landscape(o), { size: 31, samples: 500 });
    const L = out.landscape;
    console.log(L.kind === 'proxy' ? `  chromium landscape proxy: ${L.points} cost evaluations in ${L.ms.toFixed(1)} ms`
      : `  chromium landscape ${L.size}×${L.size} on ${L.rowsPerPoint} rows: ${L.bareMs.toFixed(1)} ms of C work, ` +
        `${L.computeMs.toFixed(1)} ms with ls.compute() (sliced)`);
  } finally {
    await browser.close();
    await srv.close();
  }
  writeJSON(a.out, out);
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
