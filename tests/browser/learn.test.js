// Browser tests of the "tangent" and "ball" interactives on web/learn.html:
// mouse, touch (real touch events through CDP) and keyboard; the slope readout,
// overshoot and divergence messages; balls settle where the gradient is ~0; no
// console errors; strict CSP over http; axe accessibility checks; screenshots
// in tests/artifacts/ (360x640 and 1366x768).
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const h = require('./harness.js');

const PAGE = path.join(h.ROOT, 'web', 'learn.html');
const FILE_URL = pathToFileURL(PAGE).href;
const AXE = path.join(h.ROOT, 'node_modules', 'axe-core', 'axe.min.js');

let browser;

async function open(viewport, ctxOptions) {
  const context = await browser.newContext(Object.assign({ viewport: viewport || { width: 1366, height: 768 } }, ctxOptions || {}));
  const page = await context.newPage();
  const problems = h.collectPageProblems(page);
  await page.goto(FILE_URL);
  await page.waitForSelector('html[data-learn-ready="true"]');
  return { context, page, problems };
}

function noProblems(problems) {
  assert.deepStrictEqual(problems.errors(), [], 'console/page errors');
  const outside = problems.requests.filter((u) => !u.startsWith('file://') && !/^(data|blob|about):/.test(u));
  assert.deepStrictEqual(outside, [], 'no network requests');
}

const slopeText = (page) => page.textContent('[data-testid=tangent-slope]');
const tangentW = async (page) => Number(await page.getAttribute('[data-testid=tangent]', 'data-w'));
const balls = async (page) => JSON.parse(await page.getAttribute('[data-testid=ball-surface]', 'data-balls'));
async function waitSettled(page, timeout) {
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid=ball-surface]');
    return s.getAttribute('data-rolling') === '0' && JSON.parse(s.getAttribute('data-balls')).length > 0;
  }, null, { timeout: timeout || 20000 });
}
// Canvas-relative point -> page coordinates.
async function at(page, testid, fx, fy) {
  const box = await page.locator(`[data-testid=${testid}]`).boundingBox();
  return { x: box.x + box.width * fx, y: box.y + box.height * fy, box };
}
// w on the tangent chart -> page x (same mapping as tangent.js: margins L, R = 12).
async function tangentX(page, w) {
  return page.evaluate((w) => {
    const c = document.querySelector('[data-testid=tangent-canvas]');
    const r = c.getBoundingClientRect(), width = c.clientWidth;
    const L = width < 400 ? 38 : 46, R = 12, range = window.NNLearnMath.curve.range;
    return r.left + c.clientLeft + L + (w - range[0]) / (range[1] - range[0]) * (width - L - R);
  }, w);
}

before(async () => { browser = await h.launchBrowser(); });
after(async () => { if (browser) await browser.close(); });

describe('tangent (one weight)', () => {
  it('shows the slope and its sign; Step changes the slope number', async () => {
    const { context, page, problems } = await open();
    const s0 = await slopeText(page);
    assert.match(s0, /^-?\d+\.\d\d$/, 'slope is a plain number: ' + s0);
    const w0 = await tangentW(page);
    const M = await page.evaluate((w) => ({ s: window.NNLearnMath.curve.dC(w) }), w0);
    assert.strictEqual(Number(s0), Number(M.s.toFixed(2)));
    assert.strictEqual(await page.textContent('[data-testid=tangent-sign]'), M.s > 0 ? 'positive \u2197' : 'negative \u2198');

    await page.click('[data-testid=tangent-step]');
    const s1 = await slopeText(page);
    assert.notStrictEqual(s1, s0, 'slope changed after a step');
    const w1 = await tangentW(page);
    const eta = Number(await page.getAttribute('[data-testid=tangent]', 'data-eta'));
    assert.ok(Math.abs(w1 - (w0 - eta * M.s)) < 1e-9, 'step is w - eta * C\'(w)');
    assert.match(await page.textContent('[data-testid=tangent-message]'), /w \u2190 w \u2212 \u03b7\u00b7C\u2032\u2060?\(w\)/);
    noProblems(problems);
    await context.close();
  });

  it('responds to the mouse: click and drag move the point', async () => {
    const { context, page, problems } = await open();
    const box = (await at(page, 'tangent-canvas', 0.5, 0.5)).box;
    const y = box.y + box.height * 0.5;
    await page.mouse.move(await tangentX(page, -1.5), y);
    await page.mouse.down();
    assert.ok(Math.abs(await tangentW(page) + 1.5) < 0.02, 'pointerdown moved w to the pointer');
    await page.mouse.move(await tangentX(page, -2.0), y, { steps: 5 });
    await page.mouse.up();
    const w = await tangentW(page);
    assert.ok(Math.abs(w + 2.0) < 0.02, 'dragged to w = -2: ' + w);
    // near the global minimum the slope is small and named
    await page.mouse.click(await tangentX(page, -2.166), y);
    assert.strictEqual(await page.textContent('[data-testid=tangent-sign]'), 'zero \u2192 (flat)');
    assert.match(await page.textContent('[data-testid=tangent-explain]'), /slope is zero.*valley.*lowest point/);
    await page.mouse.click(await tangentX(page, -1), y);
    assert.match(await page.textContent('[data-testid=tangent-explain]'), /slope is positive: going right goes uphill/);
    await page.mouse.click(await tangentX(page, 1), y);
    assert.match(await page.textContent('[data-testid=tangent-explain]'), /slope is negative: going right goes downhill, so gradient descent moves w to the right/);
    assert.strictEqual(await page.locator('.learn-tangent .learn-q[data-seen="true"]').count(), 3, 'all three questions answered');
    noProblems(problems);
    await context.close();
  });

  it('responds to touch (real touch events through CDP)', async () => {
    const { context, page, problems } = await open({ width: 360, height: 640 }, { hasTouch: true, isMobile: true });
    await page.evaluate(() => {
      window.__pointerTypes = [];
      document.addEventListener('pointerdown', (e) => window.__pointerTypes.push(e.pointerType), true);
    });
    await page.locator('[data-testid=tangent-canvas]').scrollIntoViewIfNeeded();
    const box = (await at(page, 'tangent-canvas', 0.5, 0.5)).box;
    const y = box.y + box.height * 0.55;
    const cdp = await context.newCDPSession(page);
    const xs = [await tangentX(page, 1.0), await tangentX(page, 0.5), await tangentX(page, 0.0), await tangentX(page, -0.5)];
    // A finger's pace: moves 20 ms apart, then a rest before lifting. Moves sent back to back, lifted at
    // once, are a flick at enormous speed; Chromium then took the next tap (on Step) as "stop the
    // fling" and made no click in 7 of 25 runs (0 of 55 paced like this, and 0 of 25 with no drag).
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: xs[0], y }] });
    for (const x of xs.slice(1)) {
      await page.waitForTimeout(20);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
    }
    await page.waitForTimeout(150);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    assert.deepStrictEqual(await page.evaluate(() => window.__pointerTypes), ['touch']);
    const w = await tangentW(page);
    assert.ok(Math.abs(w + 0.5) < 0.05, 'touch drag moved w to -0.5: ' + w);
    // tapping Step works by touch too (after a pause: a tap right after a drag is not a click)
    await page.waitForTimeout(700);
    const s0 = await slopeText(page);
    await page.tap('[data-testid=tangent-step]');
    assert.notStrictEqual(await slopeText(page), s0);
    noProblems(problems);
    await context.close();
  });

  it('is keyboard operable: arrows move the point, buttons work with Enter/Space', async () => {
    const { context, page, problems } = await open();
    await page.focus('[data-testid=tangent-canvas]');
    const w0 = await tangentW(page);
    await page.keyboard.press('ArrowRight');
    assert.ok(Math.abs(await tangentW(page) - (w0 + 0.05)) < 1e-6);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.ok(Math.abs(await tangentW(page) - (w0 - 0.05)) < 1e-6);
    await page.keyboard.press('Home');
    assert.strictEqual(await tangentW(page), -3.2);
    const valuetext = await page.getAttribute('[data-testid=tangent-canvas]', 'aria-valuetext');
    assert.match(valuetext, /^w = \u22123\.20, cost .*, slope .* \((positive|negative|zero)\)$/);
    // Tab from the canvas reaches Step; Enter presses it.
    await page.keyboard.press('Tab');
    assert.strictEqual(await page.evaluate(() => document.activeElement.dataset.testid), 'tangent-step');
    const s0 = await slopeText(page);
    await page.keyboard.press('Enter');
    assert.notStrictEqual(await slopeText(page), s0);
    // The learning-rate slider takes arrow keys.
    await page.focus('[data-testid=tangent-rate]');
    await page.keyboard.press('ArrowRight');
    assert.strictEqual(await page.getAttribute('[data-testid=tangent]', 'data-eta'), '0.11');
    noProblems(problems);
    await context.close();
  });

  it('a too-large learning rate overshoots, then runs off the chart; Reset recovers', async () => {
    const { context, page, problems } = await open();
    await page.fill('[data-testid=tangent-rate]', '1.2');
    // on the right flank of the global minimum's valley: one step lands on the other side
    await page.evaluate(() => window.NNLearnPage.instances.tangent.update({ w: -1.2 }));
    await page.click('[data-testid=tangent-step]');
    assert.match(await page.textContent('[data-testid=tangent-message]'), /^Overshoot/);
    assert.match(await page.textContent('[data-testid=tangent-message]'), /jump(s|ed) over the bottom of the valley/);

    await page.fill('[data-testid=tangent-rate]', '2.5');
    await page.evaluate(() => window.NNLearnPage.instances.tangent.update({ w: 2.6 }));
    await page.click('[data-testid=tangent-play]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tangent]').getAttribute('data-status') === 'off', null, { timeout: 15000 });
    const msg = await page.textContent('[data-testid=tangent-message]');
    assert.match(msg, /^Stopped: w = .* is off the chart/);
    assert.match(msg, /too large.*smaller learning rate/);
    assert.strictEqual(await page.getAttribute('[data-testid=tangent]', 'data-playing'), 'false');
    assert.strictEqual(await slopeText(page), '\u2014');
    await page.click('[data-testid=tangent-reset]');
    assert.strictEqual(await page.getAttribute('[data-testid=tangent]', 'data-status'), 'ok');
    assert.match(await slopeText(page), /^-?\d+\.\d\d$/);
    noProblems(problems);
    await context.close();
  });

  it('Play settles in a valley with a small rate (reduced motion: steps, no sliding)', async () => {
    const { context, page, problems } = await open(null, { reducedMotion: 'reduce' });
    await page.click('text=\u03b7 = 0.1 (small)');
    await page.evaluate(() => window.NNLearnTangent.mount && window.NNLearnPage.instances.tangent.update({ eta: 0.45, w: 2.6 }));
    await page.click('[data-testid=tangent-play]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tangent]').getAttribute('data-playing') === 'false', null, { timeout: 20000 });
    const msg = await page.textContent('[data-testid=tangent-message]');
    assert.match(msg, /^Settled at w \u2248 1\.78/);
    assert.match(msg, /local minimum/);
    assert.strictEqual(await page.textContent('[data-testid=tangent-sign]'), 'zero \u2192 (flat)');
    noProblems(problems);
    await context.close();
  });
});

describe('ball (two weights)', () => {
  it('drop 10 balls: every ball settles where the gradient is ~0, some in a local minimum', async () => {
    const { context, page, problems } = await open();
    await page.click('[data-testid=drop-balls]');
    assert.strictEqual((await balls(page)).length, 10);
    await waitSettled(page);
    const list = await balls(page);
    assert.strictEqual(list.length, 10);
    const check = await page.evaluate((list) => list.map((b) => {
      const g = window.NNLearnMath.surface.grad(b.w1, b.w2);
      return { id: b.id, norm: Math.hypot(g[0], g[1]), status: b.status, minimum: b.minimum, global: b.global };
    }), list);
    for (const b of check) {
      assert.strictEqual(b.status, 'settled', 'ball ' + b.id);
      assert.ok(b.norm < 1e-3, `ball ${b.id} gradient norm ${b.norm}`);
      assert.ok(b.minimum, 'ball ' + b.id + ' is at a known minimum');
    }
    assert.ok(check.some((b) => b.global), 'some ball found the global minimum');
    assert.ok(check.some((b) => !b.global), 'some ball stopped in a local minimum');
    // Seeded: the same starts every time the page loads.
    const starts = list.map((b) => b.start);
    const expected = await page.evaluate(() => window.NNLearnMath.randomStarts(10, 1));
    assert.deepStrictEqual(starts, expected);
    // Table and questions
    assert.strictEqual(await page.locator('[data-testid=ball-table] tbody tr').count(), 10);
    assert.ok(await page.locator('[data-testid=ball-table] tbody tr.is-global').count() >= 1);
    assert.match(await page.textContent('[data-testid=ball-status]'), /All 10 balls have stopped: \d+ reached the lowest valley A/);
    assert.strictEqual(await page.locator('.learn-ball .learn-q[data-seen="true"]').count(), 3);
    // A second press uses the next seed.
    await page.click('[data-testid=drop-balls]');
    const starts2 = (await balls(page)).map((b) => b.start);
    assert.deepStrictEqual(starts2, await page.evaluate(() => window.NNLearnMath.randomStarts(10, 2)));
    await waitSettled(page);
    noProblems(problems);
    await context.close();
  });

  it('momentum option: balls still settle where the gradient is ~0', async () => {
    const { context, page, problems } = await open(null, { reducedMotion: 'reduce' });
    await page.fill('[data-testid=ball-momentum]', '0.8');
    await page.fill('[data-testid=ball-rate]', '0.05');
    await page.click('[data-testid=drop-balls]');
    await waitSettled(page, 30000);
    for (const b of await balls(page)) {
      assert.strictEqual(b.status, 'settled');
      assert.ok(b.gradNorm < 1e-3, `ball ${b.id} gradient norm ${b.gradNorm}`);
    }
    noProblems(problems);
    await context.close();
  });

  it('mouse: click on the map and on the 3D view drops a ball; drag turns the 3D view', async () => {
    const { context, page, problems } = await open();
    // map: click at w = (1.5, -1.5)
    await page.locator('[data-testid=ball-map]').scrollIntoViewIfNeeded();
    const p = await page.evaluate(() => {
      const cv = document.querySelector('[data-testid=ball-map]'), c = cv.getBoundingClientRect();
      const [L, T, S] = cv.getAttribute('data-plot').split(',').map(Number);
      return { x: c.left + cv.clientLeft + L + (1.5 + 3) / 6 * S, y: c.top + cv.clientTop + T + (3 - -1.5) / 6 * S };
    });
    await page.mouse.click(p.x, p.y);
    let list = await balls(page);
    assert.strictEqual(list.length, 1);
    assert.ok(Math.abs(list[0].start[0] - 1.5) < 0.05 && Math.abs(list[0].start[1] + 1.5) < 0.05, JSON.stringify(list[0].start));
    // 3D: click in the middle of the view lands on the surface
    await page.locator('[data-testid=ball-3d]').scrollIntoViewIfNeeded();
    const c = await at(page, 'ball-3d', 0.5, 0.5);
    await page.mouse.click(c.x, c.y);
    list = await balls(page);
    assert.strictEqual(list.length, 2, '3D click dropped a ball');
    // 3D: drag turns the view (and drops nothing)
    const yaw0 = Number(await page.getAttribute('[data-testid=ball-surface]', 'data-yaw'));
    await page.mouse.move(c.x, c.y);
    await page.mouse.down();
    await page.mouse.move(c.x + 120, c.y + 10, { steps: 8 });
    await page.mouse.up();
    const yaw1 = Number(await page.getAttribute('[data-testid=ball-surface]', 'data-yaw'));
    assert.ok(Math.abs(yaw1 - yaw0) > 30, `yaw ${yaw0} -> ${yaw1}`);
    await waitSettled(page);
    list = await balls(page);
    assert.strictEqual(list.length, 2);
    for (const b of list) assert.ok(b.gradNorm < 1e-3);
    noProblems(problems);
    await context.close();
  });

  it('touch: a tap on the map drops a ball; a swipe on the 3D view turns it', async () => {
    const { context, page, problems } = await open({ width: 360, height: 640 }, { hasTouch: true, isMobile: true });
    await page.evaluate(() => {
      window.__pointerTypes = [];
      document.addEventListener('pointerdown', (e) => window.__pointerTypes.push(e.pointerType), true);
    });
    await page.locator('[data-testid=ball-map]').scrollIntoViewIfNeeded();
    const m = await at(page, 'ball-map', 0.3, 0.3);
    await page.touchscreen.tap(m.x, m.y);
    await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid=ball-surface]').getAttribute('data-balls')).length === 1);
    await page.locator('[data-testid=ball-3d]').scrollIntoViewIfNeeded();
    const c = await at(page, 'ball-3d', 0.5, 0.5);
    const yaw0 = Number(await page.getAttribute('[data-testid=ball-surface]', 'data-yaw'));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: c.x - 60, y: c.y }] });
    for (let k = 1; k <= 6; k++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: c.x - 60 + 20 * k, y: c.y + 2 * k }] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    const yaw1 = Number(await page.getAttribute('[data-testid=ball-surface]', 'data-yaw'));
    assert.ok(Math.abs(yaw1 - yaw0) > 30, `touch swipe turned the view: ${yaw0} -> ${yaw1}`);
    // a tap on the 3D surface drops a ball
    await page.touchscreen.tap(c.x, c.y);
    await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid=ball-surface]').getAttribute('data-balls')).length === 2);
    const types = await page.evaluate(() => window.__pointerTypes);
    assert.ok(types.length >= 3 && types.every((t) => t === 'touch'), JSON.stringify(types));
    await waitSettled(page);
    noProblems(problems);
    await context.close();
  });

  it('keyboard: arrows turn the 3D view, move the aim on the map, Enter drops; buttons work', async () => {
    const { context, page, problems } = await open();
    await page.focus('[data-testid=ball-3d]');
    const yaw0 = Number(await page.getAttribute('[data-testid=ball-surface]', 'data-yaw'));
    const pitch0 = Number(await page.getAttribute('[data-testid=ball-surface]', 'data-pitch'));
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowUp');
    assert.strictEqual(Number(await page.getAttribute('[data-testid=ball-surface]', 'data-yaw')), yaw0 + 10);
    assert.strictEqual(Number(await page.getAttribute('[data-testid=ball-surface]', 'data-pitch')), pitch0 + 5);
    await page.waitForTimeout(400);
    assert.match(await page.getAttribute('[data-testid=ball-3d]', 'aria-label'), /turned \d+\u00b0 and tilted 47\u00b0/);
    // Tab to the map, move the aim, drop with Enter
    await page.keyboard.press('Tab');
    assert.strictEqual(await page.evaluate(() => document.activeElement.dataset.testid), 'ball-map');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    let list = await balls(page);
    assert.strictEqual(list.length, 1);
    assert.ok(Math.abs(list[0].start[0] + 0.5) < 1e-9 && Math.abs(list[0].start[1] + 0.3) < 1e-9, JSON.stringify(list[0].start));
    await page.waitForTimeout(400);
    assert.match(await page.getAttribute('[data-testid=ball-map]', 'aria-label'), /Aim at \(\u22120\.5, \u22120\.3\)/);
    // The buttons: drop at the aim, drop at random, drop 10, clear
    await page.focus('[data-testid=ball-drop-aim]');
    await page.keyboard.press('Enter');
    await page.focus('[data-testid=ball-drop-random]');
    await page.keyboard.press('Space');
    assert.strictEqual((await balls(page)).length, 3);
    await page.focus('[data-testid=drop-balls]');
    await page.keyboard.press('Enter');
    await waitSettled(page);
    list = await balls(page);
    assert.strictEqual(list.length, 10);
    for (const b of list) assert.ok(b.gradNorm < 1e-3);
    await page.focus('[data-testid=ball-clear]');
    await page.keyboard.press('Enter');
    assert.strictEqual((await balls(page)).length, 0);
    noProblems(problems);
    await context.close();
  });
});

describe('the page', () => {
  it('works over http under the strict CSP with no errors', async () => {
    const srv = await h.startServer({ root: 'web', csp: h.STRICT_CSP });
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = h.collectPageProblems(page);
    try {
      await page.goto(new URL('learn.html', srv.url).href);
      await page.waitForSelector('html[data-learn-ready="true"]');
      await page.click('[data-testid=tangent-step]');
      await page.click('[data-testid=drop-balls]');
      await waitSettled(page);
      assert.deepStrictEqual(problems.errors(), []);
      assert.deepStrictEqual(problems.requestsOutside(srv.url), []);
    } finally {
      await context.close();
      await srv.close();
    }
  });

  it('mount/update/destroy: instances are independent and clean up after themselves', async () => {
    const { context, page, problems } = await open();
    const r = await page.evaluate(() => {
      const a = document.createElement('div'), b = document.createElement('div');
      document.body.append(a, b);
      const t1 = window.NNLearnTangent.mount(a, { w0: 1 });
      const t2 = window.NNLearnTangent.mount(b, { w0: -1, questions: false });
      t1.update({ w: 2, eta: 0.3 });
      const ball = window.NNLearnBall.mount(b, { questions: false });
      ball.update({ eta: 0.2, beta: 0.5, yaw: 90, pitch: 60 });
      const out = { s1: t1.getState(), s2: t2.getState(), bs: ball.getState(),
        pageW: window.NNLearnPage.instances.tangent.getState().w,
        asides: b.querySelectorAll('aside').length };
      t1.destroy(); t2.destroy(); ball.destroy();
      out.left = a.childElementCount + b.childElementCount;
      return out;
    });
    assert.strictEqual(r.s1.w, 2);
    assert.strictEqual(r.s1.eta, 0.3);
    assert.strictEqual(r.s2.w, -1);
    assert.strictEqual(r.s2.eta, 0.1);
    assert.strictEqual(r.pageW, 2.6, 'the page instance is untouched');
    assert.strictEqual(r.asides, 0, 'questions: false leaves the questions out');
    assert.strictEqual(r.bs.eta, 0.2);
    assert.strictEqual(r.bs.beta, 0.5);
    assert.strictEqual(Math.round(r.bs.yaw), 90);
    assert.strictEqual(Math.round(r.bs.pitch), 60);
    assert.strictEqual(r.bs.minima.length, 4);
    assert.strictEqual(r.left, 0, 'destroy() removes what mount() added');
    noProblems(problems);
    await context.close();
  });

  it('has no axe-core accessibility violations (WCAG A/AA), before and after use', async () => {
    const { context, page, problems } = await open();
    await page.evaluate(fs.readFileSync(AXE, 'utf8'));
    const run = () => page.evaluate(async () => {
      const r = await window.axe.run(document, { preload: false, runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.deepStrictEqual(await run(), []);
    await page.click('[data-testid=tangent-step]');
    await page.click('[data-testid=drop-balls]');
    await waitSettled(page);
    assert.deepStrictEqual(await run(), []);
    noProblems(problems);
    await context.close();
  });

  it('fits from 320 px wide up (no sideways scrolling of the page)', async () => {
    const { context, page, problems } = await open({ width: 320, height: 700 });
    await page.click('[data-testid=drop-balls]');
    await waitSettled(page);
    for (const width of [320, 360, 768, 1024, 1366]) {
      await page.setViewportSize({ width, height: 700 });
      await page.waitForTimeout(150);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 0, `page scrolls sideways by ${over}px at ${width}px`);
      // canvases follow their containers
      const fit = await page.evaluate(() => [...document.querySelectorAll('.learn-canvas')].every((c) =>
        c.getBoundingClientRect().right <= document.documentElement.clientWidth));
      assert.ok(fit, 'a canvas sticks out at ' + width + 'px');
    }
    noProblems(problems);
    await context.close();
  });

  it('screenshots at 360x640 and 1366x768 (tests/artifacts/)', async () => {
    const dir = h.artifactsDir();
    for (const [w, hh] of [[360, 640], [1366, 768]]) {
      const { context, page, problems } = await open({ width: w, height: hh });
      await page.screenshot({ path: path.join(dir, `learn-${w}x${hh}-top.png`) });
      await page.click('[data-testid=tangent-step]');
      await page.click('[data-testid=drop-balls]');
      await waitSettled(page);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(dir, `learn-${w}x${hh}-full.png`), fullPage: true });
      await page.locator('[data-testid=tangent]').screenshot({ path: path.join(dir, `learn-${w}x${hh}-tangent.png`) });
      await page.locator('[data-testid=ball]').screenshot({ path: path.join(dir, `learn-${w}x${hh}-ball.png`) });
      noProblems(problems);
      await context.close();
    }
    assert.ok(fs.existsSync(path.join(dir, 'learn-360x640-full.png')));
    assert.ok(fs.existsSync(path.join(dir, 'learn-1366x768-full.png')));
  });
});
