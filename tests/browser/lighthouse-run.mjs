// Run Lighthouse 12 (npm "lighthouse", an ES module) once on a URL with its default config
// (mobile: Moto G Power emulation, simulated slow 4G and 4× CPU slowdown) in Debian's Chromium,
// launched by chrome-launcher (Lighthouse's own dependency) on a free debugging port.
//
//   node tests/browser/lighthouse-run.mjs URL [OUT.json]
//     prints one JSON line: {scores: {performance, accessibility, 'best-practices', seo},
//     metrics: {fcp, lcp, tbt, cls, si, tti}, chromium, lighthouse, failing: [...]}
//     and writes the whole Lighthouse report (JSON) to OUT.json when given.
//   import {runLighthouse} from './lighthouse-run.mjs'   (same result object, plus .lhr)
//
// Environment: NNMATH_CHROMIUM (default /usr/bin/chromium), as tests/browser/harness.js.
import fs from 'node:fs';
import {fileURLToPath} from 'node:url';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const CHROMIUM = process.env.NNMATH_CHROMIUM || '/usr/bin/chromium';
// Same spirit as the harness's flags: no sandbox (root), and no traffic to Google's hosts.
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--disable-dev-shm-usage', '--disable-default-apps', '--disable-extensions', '--mute-audio'];

export async function runLighthouse(url, {logLevel = 'error'} = {}) {
  const chrome = await chromeLauncher.launch({chromePath: CHROMIUM, chromeFlags: FLAGS, logLevel: 'silent',
    ignoreDefaultFlags: false});
  try {
    const result = await lighthouse(url, {port: chrome.port, output: 'json', logLevel,
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo']});
    const lhr = result.lhr;
    const score = (id) => (lhr.categories[id] && lhr.categories[id].score !== null
      ? Math.round(lhr.categories[id].score * 100) : null);
    const num = (id) => (lhr.audits[id] ? lhr.audits[id].numericValue : null);
    const failing = [];
    for (const [cat, c] of Object.entries(lhr.categories)) {
      for (const ref of c.auditRefs) {
        const a = lhr.audits[ref.id];
        if (!a || a.score === null || a.score >= 0.9 || a.scoreDisplayMode === 'informative' ||
            a.scoreDisplayMode === 'notApplicable' || a.scoreDisplayMode === 'manual') continue;
        failing.push({category: cat, id: a.id, score: a.score, weight: ref.weight, title: a.title,
          displayValue: a.displayValue || ''});
      }
    }
    return {
      url: lhr.finalDisplayedUrl || url,
      scores: {performance: score('performance'), accessibility: score('accessibility'),
        'best-practices': score('best-practices'), seo: score('seo')},
      metrics: {fcp: num('first-contentful-paint'), lcp: num('largest-contentful-paint'),
        tbt: num('total-blocking-time'), cls: num('cumulative-layout-shift'), si: num('speed-index'),
        tti: num('interactive')},
      chromium: lhr.environment && lhr.environment.hostUserAgent,
      benchmarkIndex: lhr.environment && lhr.environment.benchmarkIndex,
      lighthouse: lhr.lighthouseVersion,
      formFactor: lhr.configSettings && lhr.configSettings.formFactor,
      throttlingMethod: lhr.configSettings && lhr.configSettings.throttlingMethod,
      runWarnings: lhr.runWarnings || [],
      runtimeError: lhr.runtimeError ? lhr.runtimeError.message : null,
      failing,
      lhr,
    };
  } finally {
    await chrome.kill();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const [url, out] = process.argv.slice(2);
  if (!url) { console.error('usage: node tests/browser/lighthouse-run.mjs URL [OUT.json]'); process.exit(2); }
  runLighthouse(url).then((r) => {
    if (out) fs.writeFileSync(out, JSON.stringify(r.lhr, null, 1));
    delete r.lhr;
    console.log(JSON.stringify(r));
  }, (e) => { console.error(e && e.stack || e); process.exit(1); });
}
