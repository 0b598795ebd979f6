'use strict';
// The lesson page (web/index.html) in headless Chromium: opened from file:// and served over
// http with a strict CSP; the forward animation, training with both presets, the URL state,
// hostile links, divergence, keyboard use and the responsiveness budget.
const {describe, it, before, after} = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const H = require('./page-helpers.js');

const root = H.pageRoot();
let browser, server;

before(async () => {
  browser = await H.launch();
  server = await H.serve(root.dir);
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

const fileUrl = () => 'file://' + root.dir + '/index.html';

async function state(page) { return page.evaluate(() => window.NNPageApp.debug()); }
async function epochText(page) { return page.textContent('[data-testid=epoch]'); }
async function accuracy(page) {
  const t = await page.textContent('[data-testid=test-accuracy]');
  assert.match(t, /^\d{1,3}\.\d%$/, 'test-accuracy reads like "96.4%"');
  return parseFloat(t);
}
async function settle(page) {
  await page.waitForFunction(() => window.NNPageApp.debug().settled, null, {timeout: 10000, polling: 50});
}
async function trainToEnd(page, timeout) {
  const t0 = Date.now();
  await page.click('[data-testid=train]');
  await page.waitForFunction(() => {
    const d = window.NNPageApp.debug();
    return !d.training && d.epoch >= d.state.epochs;
  }, null, {timeout, polling: 100});
  const ms = Date.now() - t0;
  await settle(page);
  return ms;
}

describe('the lesson page', {timeout: 240000}, () => {
  it('opens from file:// with no console errors and no request outside its folder', async () => {
    const {context, page, log} = await H.openLesson(browser, fileUrl());
    await page.waitForTimeout(300);
    assert.deepEqual(log.problems, []);
    const outside = log.requests.filter((u) => !u.startsWith('file://' + root.dir + '/') && !/^(data|blob|about):/.test(u));
    assert.deepEqual(outside, []);
    assert.ok(log.requests.some((u) => u.endsWith('/js/digits-data.js')));
    // the address keeps the settings from file:// too
    await page.click('[data-testid=preset-improved]');
    assert.match(await page.evaluate(() => location.hash), /preset=improved/);
    assert.match(await page.evaluate(() => location.hash), /layers=32&/);
    await context.close();
  });

  it('starts without MathML: the first part writes its formula in HTML', async () => {
    // The first use of the math font (loading it, reading its MATH table) added 35-40 ms to a
    // layout at start-up on a slow machine; the parts built later have the MathML formulas.
    const {context, page} = await H.openLesson(browser, server.url);
    const r = await page.evaluate(() => {
      const fx = document.querySelector('#data .fx[role=math]');
      return {mathInData: document.querySelectorAll('#data math').length,
        waiting: window.NNPageApp.debug().waiting.length, mathAnywhere: document.querySelectorAll('math').length,
        label: fx && fx.getAttribute('aria-label'), text: fx && fx.textContent,
        vars: fx ? [...fx.querySelectorAll('var')].map((v) => v.textContent).join('') : ''};
    });
    assert.equal(r.mathInData, 0);
    if (r.waiting > 0) assert.equal(r.mathAnywhere, 0, 'no MathML before the other parts are built');
    assert.equal(r.label, 'x i equals p i over 16');
    assert.equal(r.text, 'xi = pi\u2009/\u200916');
    assert.equal(r.vars, 'xipi');
    await context.close();
  });

  it('served over http with a strict CSP: no errors, only the page\'s own files', async () => {
    const {context, page, log} = await H.openLesson(browser, server.url);
    await page.click('[data-testid=step-epoch]');
    await page.waitForFunction(() => window.NNPageApp.debug().epoch === 1);
    await settle(page);
    await page.click('[data-testid=forward-step]');
    assert.deepEqual(log.problems, []);
    const outside = log.requests.filter((u) => !u.startsWith(server.url) && !/^(data|blob|about):/.test(u));
    assert.deepEqual(outside, []);
    // nothing inline that the CSP would have to allow
    const inline = await page.evaluate(() => ({
      styleAttrsInHtml: document.documentElement.outerHTML.length && [...document.querySelectorAll('script:not([src])')].length,
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length
    }));
    assert.deepEqual(inline, {styleAttrsInHtml: 0, handlers: 0});
    await context.close();
  });

  it('starts the core as the page starts: scripts deferred, the core requested before DOMContentLoaded', async () => {
    // deferred scripts are fetched in parallel (blocking ones were fetched one after another here);
    // the core's script then loads and compiles while the first parts are built (interactive in
    // ~0.53 s instead of ~0.96 s, bench/page_metrics.js)
    const html = fs.readFileSync(path.join(root.dir, 'index.html'), 'utf8');
    const tags = html.match(/<script\b[^>]*>/g) || [];
    assert.ok(tags.length >= 10, 'index.html lists its scripts');
    assert.deepEqual(tags.filter((t) => !/\sdefer\b/.test(t)), [], 'every script of index.html is deferred');
    const {context, page} = await H.openLesson(browser, server.url);
    const t = await page.evaluate(() => ({
      dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventStart,
      core: performance.getEntriesByType('resource').filter((r) => /nnmath-core-(simd|scalar)\.js$/.test(r.name))
        .map((r) => r.startTime)
    }));
    if (!root.mock) {
      assert.equal(t.core.length, 1, 'one core script');
      assert.ok(t.core[0] < t.dcl, `the core was requested at ${t.core[0]} ms, DOMContentLoaded at ${t.dcl} ms`);
    }
    await context.close();
  });

  it('the forward animation steps through every layer, with dot products on focus', async () => {
    const {context, page} = await H.openLesson(browser, server.url + '#layers=16,12');
    const seen = [];
    const read = () => page.evaluate(() => {
      const s = document.getElementById('forward').dataset;
      return {step: +s.step, steps: +s.steps, layer: +s.layer, stage: s.stage};
    });
    let r = await read();
    seen.push(r.stage + r.layer);
    assert.equal(r.steps, 1 + 3 * 3 + 1, '64→16→12→10: x, 3 × (W·a, +b, f), answer');
    while (r.step < r.steps - 1) {
      await page.click('[data-testid=forward-step]');
      const n = await read();
      assert.equal(n.step, r.step + 1);
      r = n;
      seen.push(r.stage + r.layer);
      if (r.stage === 'Wx') {
        // W is shaped out×in exactly as the lesson writes it, and every result cell explains itself
        const caps = await page.$$eval('#forward .block figcaption', (els) => els.map((e) => e.textContent));
        const shapes = {1: '16×64', 2: '12×16', 3: '10×12'};
        assert.ok(caps.some((c) => c.includes('W') && c.includes(shapes[r.layer])), caps.join(' | '));
        await page.focus('#forward .vec-result .cell[data-i="0"]');
        await page.keyboard.press('ArrowDown');
        const dot = await page.textContent('#forward .dot-panel');
        assert.match(dot, /Number 2 of W/);
        assert.ok(dot.includes('\u2026'), 'the sum is shortened with …');
      }
    }
    assert.deepEqual(seen, ['x0', 'Wx1', 'b1', 'f1', 'Wx2', 'b2', 'f2', 'Wx3', 'b3', 'f3', 'predict3']);
    const answer = await page.textContent('[data-testid=forward-answer]');
    assert.match(answer, /^[0-9]$/);
    assert.equal(await page.isDisabled('[data-testid=forward-step]'), true);
    // the default network's first W is 8×64 and x is 64×1, as in the infographic
    await page.goto(server.url + '#preset=simple');
    await page.waitForFunction(() => window.NNPageApp.debug().ready);
    await page.click('[data-testid=forward-step]');
    const caps = await page.$$eval('#forward .block figcaption', (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ')));
    assert.ok(caps.includes('W₁ 8×64'), caps.join(' | '));
    assert.ok(caps.includes('x 64×1'), caps.join(' | '));
    await context.close();
  });

  it('"Improved" trains to a good accuracy within 10 seconds and the chart shows the cost falling', async () => {
    // count the page's uses of Intl number formatting (its first use costs 30-100 ms in one task on
    // a slow computer; the vendored Chart.js writes its numbers without it, tools/chart_numbers.js)
    const countIntl = () => {
      window.__intlUses = 0;
      const NF = Intl.NumberFormat, tls = Number.prototype.toLocaleString;
      Intl.NumberFormat = function () { window.__intlUses++; return NF.apply(this, arguments); };
      Number.prototype.toLocaleString = function () { window.__intlUses++; return tls.apply(this, arguments); };
    };
    const {context, page, log} = await H.openLesson(browser, server.url, undefined, countIntl);
    await page.click('[data-testid=preset-improved]');
    await page.waitForFunction(() => window.NNPageApp.debug().state.preset === 'improved');
    assert.equal(await epochText(page), '0');
    const ms = await trainToEnd(page, 10000);
    assert.ok(ms < 10000, 'took ' + ms + ' ms');
    assert.equal(await epochText(page), '30');
    const acc = await accuracy(page);
    // the issue asks for at least 95% within 10 s; the core gets 96.4% at seed 1 (346/359)
    assert.ok(acc >= 95, 'test accuracy ' + acc + '%');
    const series = await page.evaluate(() => {
      const c = window.Chart.getChart(document.querySelector('[data-testid=cost-chart]'));
      return c.data.datasets.map((d) => d.data.map((p) => p.y));
    });
    assert.equal(series[0].length, 31, 'epochs 0..30');
    assert.ok(series[0][30] < series[0][0] / 5, 'training cost falls: ' + series[0][0] + ' -> ' + series[0][30]);
    assert.ok(series[1][30] < series[1][0] / 3, 'test cost falls');
    assert.ok(series[2][30] > series[2][0], 'accuracy rises');
    const label = await page.getAttribute('[data-testid=cost-chart]', 'aria-label');
    assert.match(label, /After 30 epochs/);
    // the axes' numbers and a tooltip, written by Chart.js with tools/chart_numbers.js
    await page.locator('[data-testid=cost-chart]').scrollIntoViewIfNeeded();
    const box = await page.locator('[data-testid=cost-chart]').boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.waitForFunction(() => window.Chart.getChart(document.querySelector('[data-testid=cost-chart]')).tooltip.opacity > 0);
    const shown = await page.evaluate(() => {
      const c = window.Chart.getChart(document.querySelector('[data-testid=cost-chart]'));
      const t = c.tooltip;
      return {x: c.scales.x.ticks.map((k) => k.label), y1: c.scales.y1.ticks.map((k) => k.label),
        y: c.scales.y.ticks.map((k) => k.label), title: t.title, body: t.body.map((b) => b.lines.join(' ')),
        intl: window.__intlUses};
    });
    assert.deepEqual(shown.y1, ['0', '10', '20', '30', '40', '50', '60', '70', '80', '90', '100'], JSON.stringify(shown));
    assert.ok(shown.x.length >= 4 && shown.x.every((l) => /^[0-9]+$/.test(l)) && shown.x.includes('30'), JSON.stringify(shown));
    assert.ok(shown.y.length >= 3 && shown.y.every((l) => /^[0-9]+(\.[0-9]+)?$/.test(l)), JSON.stringify(shown));
    assert.match(shown.title[0], /^Epoch [0-9]+$/);
    assert.equal(shown.body.length, 3, JSON.stringify(shown));
    assert.match(shown.body[0], /^Training cost: [0-9]\.[0-9]{1,3}$/);
    assert.match(shown.body[2], /^Test accuracy \(%\): [0-9]{1,3}(\.[0-9]{1,3})?$/);
    assert.equal(shown.intl, 0, 'Intl number formatting was used ' + shown.intl + ' times');
    assert.deepEqual(log.problems, []);
    await context.close();
  });

  it('the training chart is made after the reader\'s first action, not at start-up and not while training', async () => {
    const context = await browser.newContext({viewport: {width: 1366, height: 768}});
    const page = await context.newPage();
    await page.goto(server.url);
    const chartMade = () => page.evaluate(() => !!(window.Chart && window.Chart.getChart(document.querySelector('[data-testid=cost-chart]'))));
    // no reader: the far parts are built after a few seconds, the chart (far off-screen) is not made
    await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().ready &&
      window.NNPageApp.debug().waiting.length === 0, null, {timeout: 20000, polling: 100});
    await page.waitForTimeout(300);
    assert.equal(await chartMade(), false, 'the chart was made at start-up');
    // the reader clicks at the top of the page, far from the chart: it is made then, before any training
    await page.mouse.click(5, 5);
    await page.waitForFunction(() => window.Chart.getChart(document.querySelector('[data-testid=cost-chart]')), null, {timeout: 5000});
    assert.equal(await page.evaluate(() => window.NNPageApp.debug().training), false);
    const far = await page.evaluate(() => document.querySelector('[data-testid=cost-chart]').getBoundingClientRect().top > 2 * innerHeight);
    assert.ok(far, 'the chart was on the screen');
    await context.close();
  });

  it('the training part built because of the reader\'s first action makes its chart without waiting for a second one', async () => {
    // The first action loads the lazy parts; the next one may well be the click (or Enter) on
    // Train, and a chart made then falls at the start of training: a 40-80 ms task.
    const context = await browser.newContext({viewport: {width: 1366, height: 768}});
    const page = await context.newPage();
    await page.goto(server.url);
    // the first action comes as soon as the page is up (the far parts are built after 4 s without one)
    await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().waiting.length > 0, null, {timeout: 20000, polling: 20});
    const waitingBefore = await page.evaluate(() => window.NNPageApp.debug().waiting);
    assert.ok(waitingBefore.includes('training'), 'the training part was built before the first action: ' + JSON.stringify(waitingBefore));
    await page.mouse.click(5, 5);   // the only action: it starts building the rest
    await page.waitForFunction(() => window.NNPageApp.debug().waiting.length === 0, null, {timeout: 20000, polling: 100});
    await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('[data-testid=cost-chart]')), null, {timeout: 5000});
    assert.equal(await page.evaluate(() => window.NNPageApp.debug().training), false);
    await context.close();
  });

  it('"Simple" stays poor: under 60% after its 10 epochs', async () => {
    const {context, page} = await H.openLesson(browser, server.url);
    await page.click('[data-testid=preset-simple]');
    await trainToEnd(page, 20000);
    assert.equal(await epochText(page), '10');
    const acc = await accuracy(page);
    assert.ok(acc < 60, 'test accuracy ' + acc + '%');
    // the confusion matrix is clickable and keyboard-usable
    const cell = page.locator('[data-testid=confusion-matrix] td[data-pos="0"]');
    await cell.click();
    assert.match(await page.textContent('#evaluation .cell-info'), /True 0, predicted 0/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    assert.match(await page.textContent('#evaluation .cell-info'), /True 0, predicted 1/);
    await context.close();
  });

  it('the URL holds the settings: reloading the copied link gives the same state and run', async () => {
    const {context, page} = await H.openLesson(browser, server.url);
    await page.click('[data-testid=preset-improved]');
    await page.selectOption('#network select >> nth=0', '2');
    await page.fill('#network .width-fields input >> nth=1', '12');
    await page.press('#network .width-fields input >> nth=1', 'Enter');
    const lr = page.locator('#network').getByLabel('Learning rate η');
    await lr.fill('0.05');
    await lr.press('Tab');
    await page.locator('#network').getByLabel('Batch size').selectOption('64');
    await page.locator('#network').getByLabel('Optimiser').selectOption('momentum');
    const seed = page.locator('#network').getByLabel('Seed', {exact: true});
    await seed.fill('7');
    await seed.press('Tab');
    await page.check('#filter-3', {force: true});
    await page.focus('[data-testid=digit-grid]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const before = await state(page);
    assert.deepEqual(before.state.layers, [32, 12]);
    assert.equal(before.state.lr, 0.05);
    assert.equal(before.state.batch, 64);
    assert.equal(before.state.optimizer, 'momentum');
    assert.equal(before.state.seed, 7);
    assert.equal(before.state.filter, '3');
    assert.equal(before.state.preset, 'custom');
    await page.click('[data-testid=step-epoch]');
    await page.waitForFunction(() => window.NNPageApp.debug().epoch === 1);
    await settle(page);
    const run1 = (await state(page)).history;
    assert.equal(run1.length, 2);
    const url = page.url();
    assert.match(url, /#.*lr=0.05/);

    const page2 = await context.newPage();
    await page2.goto(url);
    await page2.waitForFunction(() => window.NNPageApp.debug().ready);
    const after = await state(page2);
    assert.deepEqual(after.state, before.state);
    assert.equal(await page2.inputValue('#network .width-fields input >> nth=1'), '12');
    assert.equal(await page2.locator('#network').getByLabel('Learning rate η').inputValue(), '0.05');
    await page2.click('[data-testid=step-epoch]');
    await page2.waitForFunction(() => window.NNPageApp.debug().epoch === 1);
    await settle(page2);
    const run2 = (await state(page2)).history;
    assert.deepEqual(run2, run1, 'same seed, same numbers: ' + JSON.stringify({run1, run2}));
    await context.close();
  });

  it('settings changed faster than the views are drawn start from the newest state', async () => {
    // the views follow the state a frame later; on a slow machine a reader (or a test, in CI) can
    // pick a preset and then the number of layers in between.  Both in one task here:
    const {context, page, log} = await H.openLesson(browser, server.url);
    const layers = await page.evaluate(() => {
      document.querySelector('[data-testid=preset-improved]').click();
      const sel = document.querySelector('#network select');
      sel.value = '2';
      sel.dispatchEvent(new Event('change', {bubbles: true}));
      const w = document.querySelectorAll('#network .width-fields input')[1];
      const first = document.querySelectorAll('#network .width-fields input')[0].value;
      w.value = '12';
      w.dispatchEvent(new Event('change', {bubbles: true}));
      return {state: window.NNPageApp.debug().state.layers, first};
    });
    assert.deepEqual(layers.state, [32, 12], 'Improved\'s 32, then a second layer of 12');
    assert.equal(layers.first, '32', 'the form shows the new state at once');
    assert.deepEqual(log.problems, []);
    await context.close();
  });

  it('a key pressed on the digit grid right after a filter change moves through the new filter', async () => {
    // while the network trains, the views are drawn in animation frames, not at each change
    const {context, page, log} = await H.openLesson(browser, server.url + '#epochs=200');
    const got = await page.evaluate(() => {
      const grid = document.querySelector('[data-testid=digit-grid]');
      document.querySelector('[data-testid=train]').click();
      if (!window.NNPageApp.debug().training) return {error: 'not training'};
      grid.focus();
      document.getElementById('filter-3').click(); // the state says 3s; the grid is drawn a frame later
      grid.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true, cancelable: true}));
      const d = window.NNPageApp.debug();
      return {digit: d.state.digit, label: Number(window.NNMATH_DIGITS.labels[d.state.digit]), filter: d.state.filter};
    });
    assert.equal(got.error, undefined);
    assert.equal(got.filter, '3');
    assert.equal(got.label, 3, `the arrow key picked digit #${got.digit}, one of the 3s`);
    await page.waitForFunction(() => /Selected: digit #\d+, labelled 3\./.test(
      document.querySelector('[data-testid=digit-grid]').getAttribute('aria-label')));
    assert.deepEqual(log.problems, []);
    await context.close();
  });

  it('hostile or malformed links are clamped or ignored, with a visible note', async () => {
    const hostile = '#lr=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&epochs=1e99&layers=9999&foo=<script>alert(1)</script>&digit=-5&digit=12';
    const {context, page, log} = await H.openLesson(browser, server.url + hostile);
    const notes = page.locator('#notes');
    await notes.waitFor({state: 'visible'});
    const text = await notes.textContent();
    assert.match(text, /learning rate/);
    assert.match(text, /unknown setting/);
    assert.match(text, /more than once/);
    const s = (await state(page)).state;
    assert.equal(s.lr, 0.1);
    assert.equal(s.epochs, 200);
    assert.deepEqual(s.layers, [128]);
    assert.equal(s.digit, 12);
    // (the evaluation's thumbnails are <img class="thumb"> with data: URLs: none other may appear)
    assert.equal(await page.locator('img:not(.thumb), img:not([src^="data:image/png"]), [onerror]').count(), 0,
      'no HTML was injected');
    assert.equal(await page.locator('script:not([src])').count(), 0);
    assert.deepEqual(log.problems, []);
    // the address bar now holds the cleaned settings
    assert.ok(!page.url().includes('script'));
    await context.close();
  });

  it('a browser without WebAssembly: every part that needs the network says why, the rest works', async () => {
    // Lockdown Mode on an iPad, Edge's enhanced security or a school's policy switch WebAssembly off
    const context = await browser.newContext({viewport: {width: 1366, height: 768}});
    await context.addInitScript(() => { delete window.WebAssembly; });
    const page = await context.newPage();
    const log = H.watch(page);
    await page.goto(fileUrl());
    await page.keyboard.press('Shift');   // the reader's first action builds the later parts
    await page.waitForFunction(() => window.NNPageApp.debug().waiting.length === 0, null, {timeout: 20000});
    await page.waitForFunction(() => window.NNPageApp.ready(), null, {timeout: 10000});
    assert.equal((await state(page)).ready, false, 'no network');
    const why = /WebAssembly switched off.*Lockdown Mode.*The slope and the rolling ball work without it/;
    assert.ok(await page.isVisible('#notes'), 'the note at the top is shown');
    assert.match(await page.textContent('#notes'), why);
    for (const sel of ['#forward', '[data-testid=backprop-status]', '[data-testid=landscape-status]', '[data-testid=compare-status]']) {
      assert.match(await page.textContent(sel), why, sel);
    }
    assert.equal(await page.isDisabled('[data-testid=compare-run]'), true, 'no comparison to run');
    for (const sel of ['.nnb-picker', '.nnb-pipeline', '.nnb-explain', '.nnb-legend']) {
      assert.equal(await page.isVisible('#backprop ' + sel), false, `backprop: no empty ${sel} beside the reason`);
    }
    await page.click('[data-testid=landscape-compute]');
    assert.match(await page.textContent('[data-testid=landscape-status]'), why, 'Compute says why, too');
    // the parts without a network still work
    const slope = await page.textContent('[data-testid=tangent-slope]');
    await page.click('[data-testid=tangent-step]');
    assert.notEqual(await page.textContent('[data-testid=tangent-slope]'), slope, 'the tangent steps');
    assert.deepEqual(log.problems, []);
    assert.ok(!log.requests.some((u) => /nnmath-core-/.test(u)), 'no core script is fetched: it could not run');
    await context.close();
  });

  it('the standalone pages without WebAssembly say why in plain words too', async () => {
    const context = await browser.newContext({viewport: {width: 1366, height: 768}});
    await context.addInitScript(() => { delete window.WebAssembly; });
    for (const [file, status] of [['backprop.html', '#nnb-train-status'], ['landscape.html', '#nnl-train-status'],
      ['experiments.html', '[data-testid=compare-status]'], ['draw.html', '[data-testid=draw-train-status]']]) {
      const page = await context.newPage();
      const log = H.watch(page);
      await page.goto('file://' + root.dir + '/' + file);
      await page.waitForFunction((sel) => /WebAssembly switched off/.test((document.querySelector(sel) || {}).textContent),
        status, {timeout: 10000}).catch(() => {});
      assert.match(await page.textContent(status), /could not (start|be loaded): This browser has WebAssembly switched off.*Lockdown Mode/, file);
      assert.deepEqual(log.problems, [], file);
      await page.close();
    }
    await context.close();
  });

  it('an embedded part without WebAssembly says why once, not three times', async () => {
    // the note at the top, the training strip and the part all said the same paragraph in one frame
    const context = await browser.newContext({viewport: {width: 800, height: 700}});
    await context.addInitScript(() => { delete window.WebAssembly; });
    const times = (text) => (text.match(/Lockdown Mode/g) || []).length;
    for (const part of ['cost', 'backprop', 'save', 'network']) {
      const page = await context.newPage();
      const log = H.watch(page);
      await page.goto('file://' + root.dir + '/embed.html?part=' + part);
      await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.ready(), null, {timeout: 15000});
      await page.waitForFunction(() => /Lockdown Mode/.test(document.body.innerText), null, {timeout: 10000});
      const text = await page.evaluate(() => document.body.innerText);
      assert.equal(times(text), 1, part + ': the reason once, in:\n' + text);
      // the part says it in place, or (a part that does not) the note at the top does
      const saysWhy = part === 'cost' || part === 'backprop';
      assert.equal(await page.isVisible('#notes'), !saysWhy, part + ': the note at the top');
      if (part !== 'network') {
        assert.match(await page.textContent('[data-testid=trainbar-epoch]'), /No network can run here/, part);
        assert.equal(await page.locator('.trainbar progress').count(), 1, part + ': the strip has its progress bar');
        assert.equal(await page.isVisible('.trainbar progress'), false, part + ': no empty progress bar');
      }
      if (part === 'backprop') {
        assert.equal(await page.locator('[data-testid=backprop-play]').count(), 1);
        assert.equal(await page.isVisible('[data-testid=backprop-play]'), false, 'no disabled Play beside the reason');
      }
      assert.deepEqual(log.problems, [], part);
      await page.close();
    }
    await context.close();
  });

  it('a learning rate that is far too big stops training with a plain explanation', async () => {
    // ReLU into an identity output with squared error has no brake: lr 10 overflows in epoch 1
    const {context, page} = await H.openLesson(browser, server.url + '#layers=32&activation=relu&output=identity&cost=mse&lr=10');
    await page.click('[data-testid=train]');
    const alert = page.locator('#training .alert');
    await alert.waitFor({state: 'visible', timeout: 15000});
    const text = await alert.textContent();
    assert.match(text, /blew up/);
    assert.match(text, /smaller learning rate/);
    const d = await state(page);
    assert.equal(d.training, false);
    assert.match(await epochText(page), /^\d+$/);
    // the huge last cost is written as a student would read it, not as 3.4469847919899515e+26
    const counter = await page.locator('#training .counter').textContent();
    assert.doesNotMatch(counter, /e[+-]\d|\d{8}/, counter);
    // the suggested fix applies a smaller rate and starts again
    await alert.locator('button').click();
    const lr = (await state(page)).state.lr;
    assert.ok(lr < 10 && lr >= 1, 'suggested lr ' + lr);
    assert.equal(await alert.isVisible(), false);
    await context.close();
  });

  it('keeps every task under the 50 ms budget while training', async () => {
    const {context, page} = await H.openLesson(browser, server.url + '#preset=improved&epochs=15');
    // the training chart is made on the reader's first action after the part is built, a one-off
    // task of 40-80 ms that is not part of training: a click at the top of the page, as a reader's
    await page.mouse.click(5, 5);
    await page.waitForFunction(() => window.Chart.getChart(document.querySelector('[data-testid=cost-chart]')), null, {timeout: 5000});
    await page.waitForTimeout(100);
    await page.evaluate(() => {
      window.__long = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
        .observe({type: 'longtask'});
    });
    await trainToEnd(page, 20000);
    await page.waitForTimeout(200);
    const long = await page.evaluate(() => window.__long);
    // a shared 2-core test machine can stretch one frame; a budget overrun would show as many
    // The page budgets ~10 ms of training and ~12 ms of view updates per frame.  On a shared
    // 2-core test machine other processes can stretch a frame, so allow a few stragglers.
    assert.ok(long.filter((d) => d > 50).length <= 4, 'long tasks: ' + JSON.stringify(long));
    assert.ok(long.every((d) => d < 300), 'long tasks: ' + JSON.stringify(long));
    await context.close();
  });

  it('splits a big full-batch step over several short calls of the core', async () => {
    // 4 hidden layers of 128 and the whole training set per step: one step is 25-90 ms of work here,
    // which the page used to do in one call (one long task); now it goes 64 digits at a time
    const {context, page} = await H.openLesson(browser, server.url + '#layers=128,128,128,128&activation=relu&batch=0&epochs=2');
    await page.evaluate(() => {
      const proto = window.NNMath.Network.prototype, orig = proto.trainSamples;
      window.__calls = [];
      proto.trainSamples = function (n) {
        const t0 = performance.now(), r = orig.call(this, n);
        window.__calls.push({ms: performance.now() - t0, pending: r.pending, epoch: r.epoch});
        return r;
      };
    });
    await trainToEnd(page, 30000);
    const calls = await page.evaluate(() => window.__calls);
    const split = calls.filter((c) => c.pending > 0).length;
    assert.ok(split >= 2, `steps were split: ${split} of ${calls.length} calls left a step half done`);
    const slowest = Math.max(...calls.map((c) => c.ms));
    assert.ok(slowest < 35, `the slowest call of the core took ${slowest.toFixed(1)} ms`);
    assert.equal((await state(page)).epoch, 2);
    assert.equal(calls[calls.length - 1].pending, 0, 'the last step was finished');
    await context.close();
  });

  it('is usable with the keyboard and keeps text alternatives up to date', async () => {
    const {context, page} = await H.openLesson(browser, server.url);
    await page.focus('[data-testid=digit-grid]');
    await page.keyboard.press('ArrowDown');
    await settle(page);
    const d = (await state(page)).state.digit;
    assert.ok(d > 0);
    const label = await page.getAttribute('[data-testid=digit-grid]', 'aria-label');
    assert.match(label, new RegExp('Selected: digit #' + d + ','));
    assert.match(await page.textContent('#data .detail-title'), new RegExp('Digit #' + d));
    // every canvas has a text alternative
    const bare = await page.$$eval('canvas', (cs) => cs.filter((c) => !c.getAttribute('aria-label') && c.getAttribute('aria-hidden') !== 'true').length);
    assert.equal(bare, 0);
    // one tab stop reaches the train button and Space toggles it
    await page.focus('[data-testid=train]');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => window.NNPageApp.debug().training || window.NNPageApp.debug().epoch > 0);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => !window.NNPageApp.debug().training);
    assert.match(await page.textContent('#training [role=status]'), /Epoch|/);
    // nothing spills sideways at phone width
    await page.setViewportSize({width: 360, height: 640});
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0);
    await context.close();
  });
});
