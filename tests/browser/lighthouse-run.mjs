// Run Lighthouse 12 (npm "lighthouse", an ES module) once on a URL with its default config
// (mobile: Moto G Power emulation, simulated slow 4G, CPU slowdown — see below) in Debian's
// Chromium, launched by chrome-launcher (Lighthouse's own dependency) on a free debugging port.
//
//   node tests/browser/lighthouse-run.mjs URL [OUT.json]
//     prints one JSON line: {scores: {performance, accessibility, 'best-practices', seo},
//     metrics: {fcp, lcp, tbt, cls, si, tti}, chromium, lighthouse, failing: [...]}
//     and writes the whole Lighthouse report (JSON) to OUT.json when given.
//   import {runLighthouse, hostBenchmark, cpuMultiplier} from './lighthouse-run.mjs'
//     (same result object, plus .lhr)
//
// Two departures from a bare `lighthouse URL`, both about this machine, not the page:
//
// 1. Chromium's own default for RenderDocument is kept: chrome-launcher's default flags switch it
//    off (--disable-features=...,RenderDocument, a workaround for Lighthouse bugs, see
//    GoogleChrome/lighthouse#16363); this removes just that name from the list.  With it off,
//    headless Chromium 156 held back the first paint of the navigation: here even a page with no
//    script at all (index.html without its <script> tags) was first painted after 1.2–2.2 s in 2 of
//    3 loads, and after 0.3–0.4 s in 3 of 3 with Chromium's default.  Lighthouse's simulation counts
//    every file requested before the observed first paint as needed for it, so the held paint
//    turned the lesson's FCP from 1.7 s into 3.6 s (LCP 4.6 s).  A reader's Chromium has
//    RenderDocument on.
//
// 2. The CPU slowdown is calibrated to this machine, as Lighthouse's docs/throttling.md advises
//    ("Calibrating the CPU slowdown"): its default 4× "moves a typical run in the high-end desktop
//    bracket" (BenchmarkIndex 1500–2000) "into the mid-tier mobile bracket"; its table suggests 4×
//    from the middle of that bracket and 2× (1–5) from a low-end desktop (1000–1500), "a higher
//    multiplier" nearer the top of a bracket.  On a slower host the same 4× emulates a slower
//    phone than Lighthouse means to.  So cpuMultiplier(index) = 4 × index / 1750 (1750 = the middle
//    of the high-end desktop bracket), never above Lighthouse's 4× and not below 1×: the default
//    on a host of 1750 or more, proportionally less on a slower one.  This machine (a 2-core VM)
//    measures 900–1450 from load to load, i.e. 2.1–3.3×.  hostBenchmark() measures the index with
//    Lighthouse's own page function (median of 3).  NNMATH_LIGHTHOUSE_CPU=4 forces a multiplier.
//
// Environment: NNMATH_CHROMIUM (default /usr/bin/chromium), as tests/browser/harness.js.
import fs from 'node:fs';
import {fileURLToPath} from 'node:url';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import {pageFunctions} from 'lighthouse/core/lib/page-functions.js';
import * as constants from 'lighthouse/core/config/constants.js';

const CHROMIUM = process.env.NNMATH_CHROMIUM || '/usr/bin/chromium';
// Same spirit as the harness's flags: no sandbox (root), and no traffic to Google's hosts.
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--disable-dev-shm-usage', '--disable-default-apps', '--disable-extensions', '--mute-audio'];

// chrome-launcher's default flags without RenderDocument in its --disable-features list (see 1.).
export function chromeFlags() {
  const merged = chromeLauncher.Launcher.defaultFlags().map((f) => {
    if (!f.startsWith('--disable-features=')) return f;
    return '--disable-features=' + f.slice('--disable-features='.length).split(',')
      .filter((name) => name !== 'RenderDocument').join(',');
  });
  return merged.concat(FLAGS.filter((f) => merged.indexOf(f) < 0));
}

export const REFERENCE_INDEX = 1750;   // the middle of Lighthouse's "high-end desktop" bracket (1500–2000)
export const DEFAULT_MULTIPLIER = 4;   // Lighthouse's default CPU slowdown (for such a host)

export function cpuMultiplier(index) {
  if (!(index > 0)) return DEFAULT_MULTIPLIER;
  const m = DEFAULT_MULTIPLIER * index / REFERENCE_INDEX;
  return Math.round(Math.min(DEFAULT_MULTIPLIER, Math.max(1, m)) * 10) / 10;
}

/* The median of some BenchmarkIndex readings (0 or NaN readings left out); NaN if none. */
export function medianIndex(values) {
  const v = values.filter((x) => x > 0).sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : NaN;
}

/* The host's BenchmarkIndex, measured as Lighthouse measures it (its computeBenchmarkIndex page
 * function, ~1 s each) in a blank page of the same Chromium; the median of `runs`. */
export async function hostBenchmark({runs = 3} = {}) {
  const chrome = await chromeLauncher.launch({chromePath: CHROMIUM, chromeFlags: chromeFlags(), logLevel: 'silent',
    ignoreDefaultFlags: true});
  try {
    const {chromium} = await import('playwright-core');
    const browser = await chromium.connectOverCDP('http://127.0.0.1:' + chrome.port);
    try {
      const ctx = browser.contexts()[0] || await browser.newContext();
      const page = await ctx.newPage();
      const values = [];
      for (let i = 0; i < runs; i++) values.push(await page.evaluate('(' + pageFunctions.computeBenchmarkIndex.toString() + ')()'));
      return {index: medianIndex(values), values};
    } finally {
      await browser.close().catch(() => {});
    }
  } finally {
    await chrome.kill();
  }
}

/* One Lighthouse run.  cpuSlowdownMultiplier: default 4 (Lighthouse's own); see cpuMultiplier(). */
export async function runLighthouse(url, {logLevel = 'error', cpuSlowdownMultiplier = DEFAULT_MULTIPLIER} = {}) {
  const chrome = await chromeLauncher.launch({chromePath: CHROMIUM, chromeFlags: chromeFlags(), logLevel: 'silent',
    ignoreDefaultFlags: true});
  try {
    // the default (mobile) settings, with only the CPU slowdown possibly changed
    const config = {extends: 'lighthouse:default', settings: {throttling: {
      ...constants.throttling.mobileSlow4G, cpuSlowdownMultiplier}}};
    const result = await lighthouse(url, {port: chrome.port, output: 'json', logLevel,
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo']}, config);
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
      cpuSlowdownMultiplier: lhr.configSettings && lhr.configSettings.throttling.cpuSlowdownMultiplier,
      runWarnings: lhr.runWarnings || [],
      runtimeError: lhr.runtimeError ? lhr.runtimeError.message : null,
      failing,
      lhr,
    };
  } finally {
    await chrome.kill();
  }
}

/* The multiplier to use on this host: NNMATH_LIGHTHOUSE_CPU if set, else calibrated. */
export async function hostMultiplier() {
  const forced = Number(process.env.NNMATH_LIGHTHOUSE_CPU);
  if (forced > 0) return {multiplier: forced, forced: true, index: null, values: []};
  const b = await hostBenchmark();
  return {multiplier: cpuMultiplier(b.index), forced: false, index: b.index, values: b.values};
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const [url, out] = process.argv.slice(2);
  if (!url) { console.error('usage: node tests/browser/lighthouse-run.mjs URL [OUT.json]'); process.exit(2); }
  hostMultiplier().then((h) => runLighthouse(url, {cpuSlowdownMultiplier: h.multiplier}).then((r) => {
    if (out) fs.writeFileSync(out, JSON.stringify(r.lhr, null, 1));
    delete r.lhr;
    r.host = h;
    console.log(JSON.stringify(r));
  })).catch((e) => { console.error(e && e.stack || e); process.exit(1); });
}
