// Browser tests of the experiments page (web/experiments.html): the side-by-side comparison and
// the model save/load panel.  Debian Chromium via playwright-core, strict CSP, the real
// WebAssembly core.
//
// The page under test: dist/ when it holds an up-to-date copy of these files and the cores (after
// `make dist`), else a temporary copy of web/ + build-wasm/{cores, digits-data.js}.
// Screenshots: tests/artifacts/experiments-*.png.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const h = require('./harness.js');

const ROOT = h.ROOT;
const FILES = ['experiments.html', 'css/experiments.css', 'css/print.css', 'js/nnmath.js', 'js/experiments/experiments.js',
  'js/experiments/experiments-ui.js', 'js/experiments/experiments-page.js', 'js/model-io/modelio.js',
  'js/model-io/model-panel.js'];
const BUILT = ['nnmath-core-simd.js', 'nnmath-core-scalar.js', 'digits-data.js'];
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

function sameFile(a, b) {
  return fs.existsSync(a) && fs.existsSync(b) && fs.readFileSync(a).equals(fs.readFileSync(b));
}
function copyDir(src, dst) {
  fs.mkdirSync(dst, { recursive: true });
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    const s = path.join(src, e.name), d = path.join(dst, e.name);
    if (e.isDirectory()) copyDir(s, d); else fs.copyFileSync(s, d);
  }
}
function siteRoot() {
  if (process.env.NNMATH_DIST) return { dir: path.resolve(process.env.NNMATH_DIST), temp: false };
  const dist = path.join(ROOT, 'dist'), web = path.join(ROOT, 'web');
  if (FILES.every((f) => sameFile(path.join(dist, f), path.join(web, f))) &&
    BUILT.every((f) => fs.existsSync(path.join(dist, 'js', f)))) return { dir: dist, temp: false };
  const missing = BUILT.filter((f) => !fs.existsSync(path.join(ROOT, 'build-wasm', f)));
  if (missing.length) return { skip: `build-wasm/${missing.join(', ')} missing: run \`make wasm\` (or \`make dist\`)` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-exp-'));
  copyDir(web, dir);
  for (const f of BUILT) fs.copyFileSync(path.join(ROOT, 'build-wasm', f), path.join(dir, 'js', f));
  return { dir, temp: true };
}

// axe-core, WCAG 2.x A/AA; only serious and critical violations fail the test.  (Injected with
// evaluate(): addScriptTag would add an inline script, which the page's CSP rightly refuses.)
async function axeViolations(page) {
  if (!fs.existsSync(AXE)) return [];
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

// Long tasks (over 50 ms) from now on, recorded in the page.
async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__long = [];
    try {
      new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(Math.round(e.duration))))
        .observe({ type: 'longtask', buffered: false });
    } catch (e) { window.__long = null; }
  });
}

async function openPage(browser, url, viewport, opts = {}) {
  const context = await browser.newContext(Object.assign({ viewport, acceptDownloads: true }, opts));
  const page = await context.newPage();
  const problems = h.collectPageProblems(page);
  await page.goto(url);
  await page.waitForSelector('html[data-experiments-ready]', { state: 'attached', timeout: 120000 });
  return { context, page, problems };
}

async function runComparison(page, presetLabel) {
  if (presetLabel) await page.getByLabel(presetLabel, { exact: false }).first().check();
  await page.getByTestId('compare-run').click();
  await page.waitForSelector('.nx[data-state="done"]', { timeout: 120000 });
}

/** The chart's data, read from Chart.js. */
async function chartData(page) {
  return page.evaluate(() => {
    const c = window.Chart.getChart(document.querySelector('[data-testid="compare-chart"]'));
    return c.data.datasets.map((d) => ({ label: d.label, dash: d.borderDash, marker: d.pointStyle, colour: d.borderColor,
      points: d.data.map((p) => [p.x, p.y]) }));
  });
}

async function predictions(page) {
  return page.evaluate(() => window.NNExperimentsPage.predict([0, 7, 100, 500, 1200, 1796]));
}

async function modelReady(page) {
  await page.waitForSelector('[data-testid="model-status"][data-state="ready"]', { timeout: 60000 });
  return (await page.getByTestId('model-status').textContent()).trim();
}

const site = siteRoot();
test.after(() => { if (site.temp) fs.rmSync(site.dir, { recursive: true, force: true }); });

test('experiments: squared error vs cross-entropy, other comparisons, stop, keyboard, no long tasks',
  { skip: site.skip || false, timeout: 300000 }, async (t) => {
    const srv = await h.startServer({ root: site.dir, csp: h.STRICT_CSP });
    const browser = await h.launchBrowser();
    t.after(async () => { await browser.close(); await srv.close(); });
    const url = srv.url.replace(/\/?$/, '/') + 'experiments.html';
    const art = h.artifactsDir();
    const { context, page, problems } = await openPage(browser, url, { width: 1366, height: 768 });

    assert.deepStrictEqual(await axeViolations(page), [], 'axe before running');
    assert.strictEqual(await page.getByLabel('Squared error vs cross-entropy').isChecked(), true, 'the central comparison is chosen first');
    assert.match(await page.getByTestId('compare-summary').textContent(), /Squared error vs Cross-entropy/);

    // The central comparison.  "Lower" must be fair: squared error and cross-entropy are costs on
    // different scales (here cross-entropy's cost is the LARGER number although its network is
    // much better), so the chart shows — and the test compares — the test ERROR RATE
    // (1 − accuracy on the same 359 test digits): lower really is better for both.
    // Long tasks: training runs in ~10 ms slices, so no task should reach 50 ms.  The machine may
    // be busy with other work (other test suites, builds), which can stretch a slice now and then,
    // so the comparison is run up to three times and one clean run is required.
    const longRuns = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await watchLongTasks(page);
      await runComparison(page);
      const long = await page.evaluate(() => window.__long);
      longRuns.push(long);
      if (!long || !long.length) break;
    }
    t.diagnostic('long tasks (ms) during each run: ' + JSON.stringify(longRuns));
    const clean = longRuns[longRuns.length - 1];
    if (clean) assert.deepStrictEqual(clean, [], 'a run with no task over 50 ms: ' + JSON.stringify(longRuns));
    const data = await chartData(page);
    assert.strictEqual(data.length, 2, 'two curves');
    assert.deepStrictEqual(data.map((d) => d.label), ['Squared error', 'Cross-entropy']);
    for (const d of data) {
      assert.strictEqual(d.points.length, 10, d.label + ': 10 points');
      assert.deepStrictEqual(d.points.map((p) => p[0]), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
    const [mse, xent] = data.map((d) => d.points[9][1]);
    t.diagnostic(`test error after 10 epochs: squared error ${mse.toFixed(1)}%, cross-entropy ${xent.toFixed(1)}%`);
    assert.ok(xent < mse, `cross-entropy's test error (${xent}%) is lower than squared error's (${mse}%)`);
    // Not only colour: different dashes and markers.
    assert.notDeepStrictEqual(data[0].dash, data[1].dash);
    assert.notStrictEqual(data[0].marker, data[1].marker);
    // The same numbers in the table, the aria-label, the status and the explanation.
    const rows = await page.$$eval('[data-testid="compare-table"] tbody tr', (trs) => trs.map((tr) => tr.innerText));
    assert.strictEqual(rows.length, 2);
    assert.match(rows[1], new RegExp('Cross-entropy\\s+' + xent.toFixed(1).replace('.', '\\.') + '%'));
    const label = await page.getByTestId('compare-chart').getAttribute('aria-label');
    assert.match(label, /Squared error .*test error \d+\.\d% after 10 epochs/);
    assert.match(label, /Cross-entropy .*dashed line with triangles/);
    assert.match(await page.getByTestId('compare-status').textContent(), /Done: 2 networks .* Lowest test error: Cross-entropy/);
    assert.match(await page.getByTestId('compare-explain').textContent(), /does not vanish/);
    assert.match(await page.getByTestId('compare-explain').textContent(), /Cross-entropy ended with the lower test error/);
    // The cost view warns that the two costs are on different scales.
    await page.getByLabel('Cost (training digits)').check();
    assert.match(await page.locator('.nx-caption').textContent(), /different scales/);
    const costs = await chartData(page);
    assert.ok(costs[1].points[9][1] > costs[0].points[9][1], 'cross-entropy’s cost number is the larger one');
    await page.getByLabel('Test error (%)').check();
    await page.screenshot({ path: path.join(art, 'experiments-1366x768.png'), fullPage: true });
    assert.deepStrictEqual(await axeViolations(page), [], 'axe after running');

    // Keyboard: arrow keys move through the ready-made comparisons (a radio group).
    await page.getByLabel('Squared error vs cross-entropy').focus();
    await page.keyboard.press('ArrowRight');
    assert.strictEqual(await page.getByLabel('Sigmoid vs ReLU').isChecked(), true);
    assert.match(await page.getByTestId('compare-summary').textContent(), /Sigmoid vs ReLU/);
    const ring = await page.locator('.nx-preset-input:focus-visible + .nx-preset-label')
      .evaluate((el) => getComputedStyle(el).outlineStyle).catch(() => 'none');
    assert.notStrictEqual(ring, 'none', 'the focused preset shows a focus ring');

    // Three hidden-layer sizes: three curves, three markers.
    await runComparison(page, '8 vs 32 vs 64 hidden neurons');
    const hid = await chartData(page);
    assert.deepStrictEqual(hid.map((d) => d.label), ['8 hidden neurons', '32 hidden neurons', '64 hidden neurons']);
    assert.strictEqual(new Set(hid.map((d) => d.marker)).size, 3);
    assert.match(await page.locator('.nx-notes').textContent(), /cannot share weights/);

    // Training-set sizes: the same number of steps; the 100-digit network overfits.
    await runComparison(page, 'Training-set sizes');
    const sz = await chartData(page);
    assert.strictEqual(sz.length, 3);
    assert.ok(sz.every((d) => d.points.length === 10));
    assert.match(await page.getByTestId('compare-explain').textContent(), /by heart/);

    // Your own comparison: vary the batch size; a bad value is refused in words.
    await page.getByLabel('Your own comparison').check();
    await page.getByLabel('Setting to compare').selectOption('batch');
    await page.getByLabel('Run 2', { exact: true }).fill('lots');
    await page.getByTestId('compare-run').click();
    assert.match(await page.locator('.nx-problems').textContent(), /Run 2: Batch size: type a number/);
    await page.getByLabel('Run 2', { exact: true }).fill('64');
    await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('3');
    await runComparison(page);
    assert.deepStrictEqual((await chartData(page)).map((d) => [d.label, d.points.length]), [['1 digit per step', 3], ['Batches of 64', 3]]);

    // Stop: a long comparison stops when asked and keeps its results so far.
    await page.getByLabel('Learning rates').check();
    await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('50');
    await page.getByTestId('compare-run').click();
    await page.waitForFunction(() => {
      const c = window.Chart.getChart(document.querySelector('[data-testid="compare-chart"]'));
      return c.data.datasets.length === 4 && c.data.datasets.every((d) => d.data.length >= 2);
    }, null, { timeout: 60000 });
    await page.getByTestId('compare-stop').click();
    await page.waitForSelector('.nx[data-state="stopped"]');
    assert.match(await page.getByTestId('compare-status').textContent(), /Stopped after \d+ of 50 epochs/);
    const stopped = await chartData(page);
    assert.ok(stopped.every((d) => d.points.length >= 2 && d.points.length < 50));
    assert.strictEqual(await page.getByTestId('compare-run').isEnabled(), true);

    // The component on its own: mount, update({core}), destroy() frees everything.
    const api = await page.evaluate(async () => {
      const box = document.createElement('div');
      document.body.appendChild(box);
      const ui = window.NNExperimentsUI.mount(box, { preset: 'scale' });
      const before = box.querySelector('[data-testid="compare-run"]').disabled;
      ui.update({ core: window.NNExperimentsPage.state.core, digits: window.NNExperimentsPage.state.digits });
      const after = box.querySelector('[data-testid="compare-run"]').disabled;
      ui.run();
      await new Promise((r) => setTimeout(r, 50));
      const cmp = ui.comparison;
      ui.destroy();
      let disposed = false;
      try { cmp.runs[0].net.epoch; } catch (e) { disposed = /disposed/.test(e.message); }
      const left = box.childNodes.length;
      box.remove();
      return { before, after, disposed, left };
    });
    assert.deepStrictEqual(api, { before: true, after: false, disposed: true, left: 0 });

    // Print: the controls disappear, the chart and table stay.
    await page.emulateMedia({ media: 'print' });
    assert.strictEqual(await page.getByTestId('compare-run').isVisible(), false);
    assert.strictEqual(await page.getByTestId('compare-table').isVisible(), true);
    await page.screenshot({ path: path.join(art, 'experiments-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    assert.deepStrictEqual(problems.errors(), [], 'no console errors, page errors or failed requests');
    assert.deepStrictEqual(problems.requestsOutside(srv.url), [], 'no requests outside the site');
    await context.close();

    // Phone: 360×640 (and nothing sticks out at 320 px).
    const phone = await openPage(browser, url, { width: 360, height: 640 });
    await runComparison(phone.page);
    assert.strictEqual((await chartData(phone.page)).length, 2);
    await phone.page.screenshot({ path: path.join(art, 'experiments-360x640.png'), fullPage: true });
    await phone.page.setViewportSize({ width: 320, height: 640 });
    await phone.page.waitForTimeout(200);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 320 px (overflow ${overflow}px)`);
    assert.deepStrictEqual(await axeViolations(phone.page), [], 'axe at 320 px');
    assert.deepStrictEqual(phone.problems.errors(), []);
    await phone.context.close();
  });

test('save and load: a saved model loads back with identical predictions; bad files are refused and nothing breaks',
  { skip: site.skip || false, timeout: 300000 }, async (t) => {
    const srv = await h.startServer({ root: site.dir, csp: h.STRICT_CSP });
    const browser = await h.launchBrowser();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-dl-'));
    t.after(async () => { await browser.close(); await srv.close(); fs.rmSync(tmp, { recursive: true, force: true }); });
    const url = srv.url.replace(/\/?$/, '/') + 'experiments.html';
    const { context, page, problems } = await openPage(browser, url, { width: 1280, height: 900 });

    assert.match(await modelReady(page), /Not trained yet/);
    await page.getByTestId('model-train').click();
    await page.waitForSelector('[data-testid="model-status"][data-state="training"]', { timeout: 5000 }).catch(() => {});
    const trained = await modelReady(page);
    assert.match(trained, /Trained for 5 epochs: it recognises (\d+\.\d)% /);
    assert.match(await page.getByTestId('model-summary').textContent(), /64 → 32 → 10 .*trained for 5 epochs/);
    const saved = await predictions(page);

    // Save: a real download of the model file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('model-save').click()]);
    assert.match(download.suggestedFilename(), /^nnmath-model-64-32-10-relu-xent-5ep\.json$/);
    const file = path.join(tmp, download.suggestedFilename());
    await download.saveAs(file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.strictEqual(json.format, 'nnmath-model');
    assert.deepStrictEqual(json.config.layers, [64, 32, 10]);
    assert.strictEqual(json.trained.epochs, 5);
    assert.strictEqual(json.layers[0].weight.length, 32);
    assert.strictEqual(json.layers[0].weight[0].length, 64);
    assert.match(await page.getByTestId('model-message').textContent(), /Saved “nnmath-model-.*\.json”/);

    // Train on, so that the current model differs, then load the file back.
    await page.getByTestId('model-train').click();
    assert.match(await modelReady(page), /Trained for 10 epochs/);
    assert.notDeepStrictEqual(await predictions(page), saved, 'training changed the answers');
    await page.getByTestId('model-load').setInputFiles(file);
    await page.waitForFunction(() => /Loaded/.test(document.querySelector('[data-testid="model-message"]').textContent));
    assert.deepStrictEqual(await predictions(page), saved, 'the loaded model gives exactly the saved answers');
    assert.strictEqual(await modelReady(page), trained, 'and the same test accuracy');

    // Corrupt and hostile files: a clear message, the current model kept, training still works.
    const bad = [
      ['broken.json', '{"format": "nnmath-model", "version": 1, "config": {"layers": [64, 32', /not valid JSON/],
      ['photo.json', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0xfe]), /not valid UTF-8|not valid JSON/],
      ['shape.json', JSON.stringify(Object.assign({}, json, { layers: json.layers.slice(0, 1) })), /needs 2 weight layers, the file has 1/],
      ['nan.json', fs.readFileSync(file, 'utf8').replace(/\n(\s+)\[(-?[0-9][0-9.e+-]*),/, '\n$1["NaN",'), /should be a number but is the text "NaN"/],
      ['proto.json', JSON.stringify({ __proto__: null, format: 'nnmath-model', version: 1,
        config: JSON.parse('{"__proto__": {"polluted": true}, "layers": [64, 999, 10]}'), layers: [] }), /settings are not valid/],
    ];
    for (const [name, content, re] of bad) {
      await page.getByTestId('model-load').setInputFiles({ name, mimeType: 'application/json',
        buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) });
      const err = page.getByTestId('model-error');
      await err.waitFor({ state: 'visible' });
      const msg = await err.textContent();
      t.diagnostic(`${name}: ${msg}`);
      assert.match(msg, /not loaded — your current model is kept/);
      assert.match(msg, re);
      assert.ok(msg.includes(name));
      assert.deepStrictEqual(await predictions(page), saved, name + ': the current model is unchanged');
    }
    assert.strictEqual(await page.evaluate(() => ({}).polluted), undefined, 'no prototype pollution');
    await page.getByTestId('model-train').click();
    assert.match(await modelReady(page), /Trained for 10 epochs/, 'training still works after the refusals');
    assert.notDeepStrictEqual(await predictions(page), saved);
    // A good file after a bad one clears the error.
    await page.getByTestId('model-load').setInputFiles(file);
    await page.waitForFunction(() => /Loaded/.test(document.querySelector('[data-testid="model-message"]').textContent));
    assert.strictEqual(await page.getByTestId('model-error').isVisible(), false);

    // "Use this network": a network from a comparison becomes the current model and can be saved.
    await runComparison(page);
    await page.getByRole('button', { name: 'Use this network (Cross-entropy) as the current model' }).click();
    assert.match(await modelReady(page), /Trained for 10 epochs/);
    assert.match(await page.getByTestId('model-summary').textContent(), /64 → 32 → 10 neurons, sigmoid hidden neurons, cross-entropy/);
    const [dl2] = await Promise.all([page.waitForEvent('download'), page.getByTestId('model-save').click()]);
    assert.match(dl2.suggestedFilename(), /64-32-10-sigmoid-xent-10ep/);

    // The load button opens the file chooser (keyboard users' way in).
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('model-load-button').press('Enter')]);
    assert.ok(chooser);
    await page.getByTestId('model-save').scrollIntoViewIfNeeded();
    await page.locator('#save').screenshot({ path: path.join(h.artifactsDir(), 'experiments-save-1280.png') });
    assert.deepStrictEqual(await axeViolations(page), []);
    assert.deepStrictEqual(problems.errors(), []);
    assert.deepStrictEqual(problems.requestsOutside(srv.url), []);
    await context.close();
  });

test('experiments page works from file:// (no server)', { skip: site.skip || false, timeout: 180000 }, async (t) => {
  const browser = await h.launchBrowser();
  t.after(async () => { await browser.close(); });
  const { page, problems } = await openPage(browser, 'file://' + path.join(site.dir, 'experiments.html'), { width: 1024, height: 768 });
  await page.getByLabel('Scaled (÷16) vs raw inputs').check();
  await runComparison(page);
  assert.deepStrictEqual((await chartData(page)).map((d) => d.points.length), [10, 10]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('model-save').click()]);
  assert.match(download.suggestedFilename(), /\.json$/);
  assert.deepStrictEqual(problems.errors(), []);
  assert.deepStrictEqual(problems.requestsOutside('file://'), []);
});
