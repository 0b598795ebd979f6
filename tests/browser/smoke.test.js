// Smoke test of the core in a real browser: headless Chromium opens
// tests/browser/smoke.html from file:// (and over http with the strict CSP),
// the page loads the SIMD or the scalar core through web/js/nnmath.js, trains
// one epoch and writes the result into the DOM.  No console errors, no
// requests outside the page's own files.
'use strict';

const test = require('node:test');
const assert = require('assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const h = require('./harness.js');
const { WASM_DIR, loadCore, digitsDataset, requireBuilt } = require('../wasm-helpers.js');

const ROOT = path.resolve(__dirname, '..', '..');

/** A temporary site: smoke.html, smoke.js, js/{nnmath.js, cores, digits-data.js}. */
function makeSite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-smoke-'));
  fs.mkdirSync(path.join(dir, 'js'));
  for (const f of ['nnmath-core-simd.js', 'nnmath-core-scalar.js', 'digits-data.js']) {
    fs.copyFileSync(requireBuilt(f), path.join(dir, 'js', f));
  }
  fs.copyFileSync(path.join(ROOT, 'web', 'js', 'nnmath.js'), path.join(dir, 'js', 'nnmath.js'));
  fs.copyFileSync(path.join(__dirname, 'smoke.html'), path.join(dir, 'smoke.html'));
  fs.copyFileSync(path.join(__dirname, 'smoke.js'), path.join(dir, 'smoke.js'));
  return dir;
}

async function runPage(browser, url) {
  const page = await browser.newPage();
  const problems = h.collectPageProblems(page);
  try {
    await page.goto(url);
    await page.waitForSelector('#result:not([data-status="running"])', { timeout: 60000 });
    const status = await page.getAttribute('#result', 'data-status');
    const result = JSON.parse(await page.textContent('#result'));
    return { status, result, problems };
  } finally {
    await page.close();
  }
}

test('the core runs in headless Chromium from file:// and over http with a strict CSP', async (t) => {
  const dir = makeSite();
  const browser = await h.launchBrowser();
  const srv = await h.startServer({ root: dir, csp: h.STRICT_CSP });
  t.after(async () => {
    await browser.close();
    await srv.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // What Node computes for the same run (the browser must agree).
  const core = await loadCore('simd');
  const ds = digitsDataset(core, { seed: 1 });
  const net = core.network({ layers: [64, 32, 10], activation: 'relu', cost: 'xent', lr: 0.1, batch: 32, seed: 1 }, ds);
  net.trainEpoch();
  const want = net.evaluate('test');

  const fileBase = pathToFileURL(path.join(dir, 'smoke.html')).href;
  const runs = [];
  for (const simd of ['true', 'false', 'auto']) {
    runs.push({ url: `${fileBase}?simd=${simd}`, simd, origin: pathToFileURL(dir).href });
    runs.push({ url: `${srv.url}smoke.html?simd=${simd}`, simd, origin: srv.url });
  }
  for (const run of runs) {
    const { status, result, problems } = await runPage(browser, run.url);
    const where = run.url;
    assert.equal(status, 'done', `${where}: ${JSON.stringify(result)}`);
    assert.equal(result.simdSupported, true, `${where}: Chromium supports wasm SIMD`);
    assert.equal(result.simd, run.simd === 'false' ? false : true, where);
    assert.equal(result.epoch, 1);
    assert.equal(result.stepsPerEpoch, 45);
    assert.equal(result.testCount, 359);
    assert.equal(result.params, 64 * 32 + 32 + 32 * 10 + 10);
    assert.ok(Math.abs(result.testCost - want.cost) <= 1e-5 * want.cost, `${where}: test cost ${result.testCost} vs Node ${want.cost}`);
    assert.equal(result.testAccuracy, want.accuracy, where);
    assert.deepEqual(problems.errors(), [], `${where}: no console errors`);
    assert.deepEqual(problems.requestsOutside(run.origin), [], `${where}: only the page's own files`);
    t.diagnostic(`${where}: load ${result.loadMs.toFixed(0)} ms, one epoch ${result.epochMs.toFixed(1)} ms`);
  }
});

test('a missing core gives a readable error, not a hang', async (t) => {
  const dir = makeSite();
  fs.rmSync(path.join(dir, 'js', 'nnmath-core-scalar.js'));
  const browser = await h.launchBrowser();
  t.after(async () => {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const page = await browser.newPage();
  await page.goto(pathToFileURL(path.join(dir, 'smoke.html')).href + '?simd=false');
  await page.waitForSelector('#result:not([data-status="running"])', { timeout: 60000 });
  assert.equal(await page.getAttribute('#result', 'data-status'), 'error');
  const r = JSON.parse(await page.textContent('#result'));
  assert.equal(r.code, 'invalid');
  assert.match(r.message, /Could not load the core script js\/nnmath-core-scalar\.js/);
});

test('smoke.html has no inline script, handler or style (CSP)', () => {
  const html = fs.readFileSync(path.join(__dirname, 'smoke.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i);
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
  assert.doesNotMatch(html, /\sstyle\s*=/i);
  assert.ok(fs.existsSync(WASM_DIR));
});
