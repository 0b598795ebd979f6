'use strict';
// Screen readers and motion: every <canvas> of every part, standalone page and embed has a text
// alternative, the alternatives follow what the canvases show (the digit grid, the chart after
// training, the forward-propagation stages), progress is announced in live regions, and with
// prefers-reduced-motion the page steps instead of animating.
const {describe, it} = require('node:test');
const assert = require('node:assert/strict');
const A = require('./a11y-helpers.js');

const root = A.root();
const env = A.lessonEnv(root.dir);

async function openLesson(hash = '', opts = {}) {
  const context = await env.browser.newContext(Object.assign({viewport: {width: 1280, height: 900}}, opts));
  const page = await context.newPage();
  const problems = A.harness.collectPageProblems(page);
  await page.goto(env.server.url + hash);
  await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().ready && window.NNPageApp.debug().settled,
    null, {timeout: 30000, polling: 50});
  return {context, page, problems};
}

const label = (page, sel) => page.getAttribute(sel, 'aria-label');
const liveTexts = (page, within) => page.evaluate((w) => {
  const scope = w ? document.querySelector(w) : document;
  return Array.from(scope.querySelectorAll('[aria-live]:not([aria-live="off"]), [role=status], [role=alert], [role=log]'))
    .map((e) => e.textContent.trim()).filter(Boolean);
}, within || null);

/* Count requestAnimationFrame calls and the CSS transitions/animations that can run. */
async function motionProbe(page) {
  await page.addInitScript(() => {
    window.__raf = 0;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (f) => { window.__raf += 1; return raf(f); };
  });
}
const movingCss = (page, within) => page.evaluate((w) => {
  const out = [];
  const scope = w ? document.querySelector(w) : document.body;
  for (const e of [scope].concat(Array.from(scope.querySelectorAll('*')))) {
    const cs = getComputedStyle(e);
    const tr = cs.transitionDuration.split(',').some((d) => parseFloat(d) > 0) && cs.transitionProperty !== 'none';
    const an = cs.animationName !== 'none' && cs.animationDuration.split(',').some((d) => parseFloat(d) > 0);
    if (tr || an) out.push(e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''));
  }
  if (document.documentElement && getComputedStyle(document.documentElement).scrollBehavior === 'smooth') out.push('html: smooth scrolling');
  return out;
}, within || null);

describe('text alternatives in the lesson', {timeout: 240000}, () => {
  it('every canvas has one, and they follow the grid, the forward stages and the chart', async () => {
    const {context, page, problems} = await openLesson('#preset=improved&epochs=3');
    assert.deepEqual(await A.canvasProblems(page), [], 'after loading');

    // the digit grid: its name says which digit is selected, and follows the arrow keys
    const grid = '[data-testid=digit-grid]';
    const before0 = await label(page, grid);
    assert.match(before0, /Selected: digit #0\b/);
    await page.focus(grid);
    await page.keyboard.press('ArrowRight');
    const after1 = await label(page, grid);
    assert.notEqual(after1, before0);
    assert.match(after1, /Selected: digit #\d+, labelled \d\./);

    // forward propagation: every stage's canvases are described; the status line is live
    const steps = Number(await page.getAttribute('#forward', 'data-steps'));
    const statuses = new Set();
    for (let i = 0; i < steps; i++) {
      assert.deepEqual(await A.canvasProblems(page), [], 'forward stage ' + (await page.getAttribute('#forward', 'data-stage')));
      statuses.add(await page.textContent('[data-testid=forward-status]'));
      if (i < steps - 1) await page.click('[data-testid=forward-step]');
    }
    assert.equal(statuses.size, steps, 'the live status line changes at every step');
    assert.equal(await page.getAttribute('[data-testid=forward-status]', 'aria-live'), 'polite');
    const heat = await page.evaluate(() => Array.from(document.querySelectorAll('#forward canvas')).map((c) => c.getAttribute('aria-label')));
    assert.ok(heat.length === 0 || heat.every((l) => l && l.length > 10), JSON.stringify(heat));

    // the chart: "no training yet" before, "After 3 epochs: … test accuracy …" after
    const chart = '[data-testid=cost-chart]';
    assert.equal(await page.getAttribute(chart, 'role'), 'img');
    const chart0 = await label(page, chart);
    await page.click('[data-testid=train]');
    await page.waitForFunction(() => { const d = window.NNPageApp.debug(); return !d.training && d.epoch >= 3 && d.settled; },
      null, {timeout: 30000, polling: 100});
    const chart3 = await label(page, chart);
    assert.notEqual(chart3, chart0);
    assert.match(chart3, /After 3 epochs: training cost \d/);
    assert.match(chart3, /test accuracy \d+(\.\d)?%/);

    // training progress was announced in a live region of the training part
    const live = await liveTexts(page, '#training');
    assert.ok(live.some((t) => /Epoch 3 of 3/.test(t) && /accuracy/.test(t)), JSON.stringify(live));
    // the evaluation's accuracy is text, not only a picture
    assert.match(await page.textContent('[data-testid=test-accuracy]'), /^\d{1,3}\.\d%$/);

    assert.deepEqual(await A.canvasProblems(page), [], 'after training');
    assert.deepEqual(problems.errors(), []);
    await context.close();
  });
});

describe('text alternatives and live regions on the standalone pages and embeds', {timeout: 300000}, () => {
  for (const file of A.standalonePages(root.dir)) {
    it(file, async () => {
      const context = await env.browser.newContext({viewport: {width: 1280, height: 900}});
      const page = await context.newPage();
      await page.goto(env.server.url + file);
      await A.waitQuiet(page);
      assert.deepEqual(await A.canvasProblems(page), [], file);
      const n = await page.evaluate(() => document.querySelectorAll('canvas').length);
      const live = await page.evaluate(() => document.querySelectorAll('[aria-live]:not([aria-live="off"]), [role=status], [role=alert], [role=log]').length);
      if (n) assert.ok(live > 0, file + ' has canvases but no live region');
      await context.close();
    });
  }

  it('every embed part', async (t) => {
    const context = await env.browser.newContext({viewport: {width: 900, height: 700}});
    const page = await context.newPage();
    const parts = await A.embedParts(page, env.server.url, root.dir);
    if (!parts.length) { t.skip('no embed.html with parts'); await context.close(); return; }
    for (const part of parts) {
      await page.goto(env.server.url + 'embed.html?part=' + encodeURIComponent(part));
      await A.waitQuiet(page, 15000);
      assert.deepEqual(await A.canvasProblems(page), [], 'embed ' + part);
    }
    await context.close();
  });
});

describe('prefers-reduced-motion', {timeout: 240000}, () => {
  it('the lesson: no CSS motion, and forward propagation jumps from step to step', async () => {
    const context = await env.browser.newContext({viewport: {width: 1280, height: 900}, reducedMotion: 'reduce'});
    const page = await context.newPage();
    await page.goto(env.server.url);
    await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().ready && window.NNPageApp.debug().settled);
    assert.equal(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches), true);
    assert.deepEqual(await movingCss(page), []);
    // a step is drawn at once: the stage and the status change in the same task as the key press
    const before = Number(await page.getAttribute('#forward', 'data-step'));
    const same = await page.evaluate(() => {
      const b = document.querySelector('[data-testid=forward-step]');
      const s0 = document.querySelector('#forward').dataset.step;
      b.click();
      const s1 = document.querySelector('#forward').dataset.step;
      return {s0, s1, anims: document.getAnimations().length};
    });
    assert.equal(Number(same.s0), before);
    assert.equal(Number(same.s1), before + 1, 'the step changed synchronously (no tween)');
    assert.equal(same.anims, 0, 'no running animations');
    // Play moves one whole step at a time
    await page.click('[data-testid=forward-play]');
    const seen = [];
    for (let i = 0; i < 12; i++) { seen.push(Number(await page.getAttribute('#forward', 'data-step'))); await page.waitForTimeout(250); }
    const deltas = seen.slice(1).map((v, i) => v - seen[i]).filter((d) => d !== 0);
    assert.ok(deltas.length >= 1 && deltas.every((d) => d === 1), 'steps: ' + seen.join(' '));
    assert.deepEqual(await movingCss(page), []);
    await context.close();
  });

  for (const file of A.standalonePages(root.dir)) {
    it(file + ': no CSS motion', async () => {
      const context = await env.browser.newContext({viewport: {width: 1280, height: 900}, reducedMotion: 'reduce'});
      const page = await context.newPage();
      await page.goto(env.server.url + file);
      await A.waitQuiet(page, 10000);
      assert.deepEqual(await movingCss(page), [], file);
      await context.close();
    });
  }

  it('the rolling balls (learn.html) jump a few times a second instead of animating every frame', async (t) => {
    if (!A.standalonePages(root.dir).includes('learn.html')) { t.skip('no learn.html'); return; }
    const counts = {};
    for (const reducedMotion of ['no-preference', 'reduce']) {
      const context = await env.browser.newContext({viewport: {width: 1280, height: 900}, reducedMotion});
      const page = await context.newPage();
      await motionProbe(page);
      await page.goto(env.server.url + 'learn.html');
      await A.waitQuiet(page, 5000);
      const drop = page.locator('[data-testid=drop-balls]');
      if (!(await drop.count())) { t.skip('no "Drop 10 balls" button'); await context.close(); return; }
      await drop.scrollIntoViewIfNeeded();
      await page.evaluate(() => { window.__raf = 0; });
      await drop.click();
      await page.waitForTimeout(1500);
      counts[reducedMotion] = await page.evaluate(() => window.__raf);
      await context.close();
    }
    t.diagnostic('requestAnimationFrame calls in 1.5 s: ' + JSON.stringify(counts));
    assert.ok(counts.reduce <= 15, 'reduced motion: ' + counts.reduce + ' frames in 1.5 s');
    assert.ok(counts['no-preference'] > counts.reduce, JSON.stringify(counts));
  });
});
