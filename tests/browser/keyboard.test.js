'use strict';
// Keyboard only: after the page is opened, nothing but key presses (Tab, Shift+Tab, Enter, Space,
// arrows).  The main flow — pick a digit in the grid, choose the Improved network, step forward
// propagation, train, read the test accuracy — and the other interactives (the confusion matrix,
// the rolling balls, the drawing pad); every focused element shows a focus indicator and Tab
// moves forward through the page.  The focus order is saved in
// tests/artifacts/a11y/keyboard-order-{http,file}.json, screenshots of focus states next to it.
const {describe, it} = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const A = require('./a11y-helpers.js');

const root = A.root();
const env = A.lessonEnv(root.dir);

/* Press Tab (or Shift+Tab) until test(focus) is true; every focus on the way is recorded and must
 * show a focus indicator. */
async function tabTo(page, log, test, what, {max = 250, back = false} = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await A.focusInfo(page);
    log.push(f);
    assert.ok(f.tag === 'body' || f.visible, `no visible focus indicator on ${f.tag} "${f.name}" (in #${f.section})`);
    if (test(f)) return f;
  }
  throw new Error(`could not reach ${what} with ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses; last: ` +
    JSON.stringify(log.slice(-5).map((f) => f.name)));
}

const debug = (page) => page.evaluate(() => window.NNPageApp.debug());
async function shot(page, name) {
  // let a smooth scroll (the page scrolls smoothly without prefers-reduced-motion) come to rest
  let y = -1;
  for (let i = 0; i < 40; i++) {
    const now = await page.evaluate(() => window.scrollY);
    if (now === y) break;
    y = now;
    await page.waitForTimeout(100);
  }
  await page.screenshot({path: path.join(A.harness.artifactsDir(), 'a11y', name)});
}

describe('keyboard only', {timeout: 240000}, () => {
  for (const from of ['http', 'file']) it(`the main flow (${from}): pick a digit, choose a network, step forward propagation, train, read the accuracy`, async (t) => {
    A.writeArtifact('.keep', '');
    const context = await env.browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    const problems = A.harness.collectPageProblems(page);
    await page.goto(from === 'http' ? env.server.url : 'file://' + path.join(root.dir, 'index.html'));
    await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().ready && window.NNPageApp.debug().settled,
      null, {timeout: 30000, polling: 50});
    const log = [];

    // 1. the first Tab reaches the skip link
    const first = await tabTo(page, log, () => true, 'anything', {max: 1});
    assert.match(first.name, /skip/i, 'the first stop is the skip link');

    // 2. the digit grid: arrows move the selection, the details and the grid's name follow
    await tabTo(page, log, (f) => f.testid === 'digit-grid', 'the digit grid');
    await shot(page, 'focus-digit-grid.png');
    const d0 = (await debug(page)).state.digit;
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const d1 = (await debug(page)).state.digit;
    assert.notEqual(d1, d0, 'the arrows picked another digit');
    assert.match(await page.getAttribute('[data-testid=digit-grid]', 'aria-label'), new RegExp('Selected: digit #' + d1 + ','));
    assert.match(await page.textContent('#data .detail-title'), new RegExp('Digit #' + d1 + ':'));
    assert.equal((await A.focusInfo(page)).testid, 'digit-grid', 'the grid keeps the focus');

    // 3. the Improved network, with Enter on its button
    await tabTo(page, log, (f) => f.testid === 'preset-improved', 'the Improved preset');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => { const d = window.NNPageApp.debug(); return d.ready && d.state.preset === 'improved'; });
    // the views follow in the next frames (a part scrolled off the screen a little later)
    await page.waitForFunction(() => document.querySelector('[data-testid=preset-improved]').getAttribute('aria-pressed') === 'true',
      null, {timeout: 5000}).catch(() => {});
    assert.equal(await page.getAttribute('[data-testid=preset-improved]', 'aria-pressed'), 'true');
    assert.equal((await debug(page)).state.digit, d1, 'the chosen digit is kept');

    // 4. forward propagation: Next with Enter and Space; a result's cells with the arrows
    await tabTo(page, log, (f) => f.testid === 'forward-step', 'the forward "Next" button');
    await shot(page, 'focus-forward-next.png');
    const s0 = Number(await page.getAttribute('#forward', 'data-step'));
    for (let i = 0; i < 2; i++) await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    const s1 = Number(await page.getAttribute('#forward', 'data-step'));
    assert.equal(s1, s0 + 3, 'three steps forward');
    assert.match(await page.textContent('[data-testid=forward-status]'), new RegExp('^Step ' + (s1 + 1) + ' of \\d+: '));
    assert.equal(await page.getAttribute('#forward', 'data-stage'), 'f', 'step 4 applies the activation of layer 1');
    const cell = await tabTo(page, log, (f) => f.section === 'forward' && f.tag === 'div' && /number 1 =/.test(f.name),
      'the first cell of a result', {max: 30});
    await page.keyboard.press('ArrowDown');
    const cell2 = await A.focusInfo(page);
    assert.match(cell2.name, /number 2 =/, 'ArrowDown moved to the next number (from ' + cell.name + ')');
    assert.match(await page.textContent('#forward .dot-panel'), /Number 2 of /, 'its sum is written out');
    await shot(page, 'focus-forward-cell.png');

    // 5. train with Enter, then read the test accuracy
    await tabTo(page, log, (f) => f.testid === 'train', 'the Train button');
    await shot(page, 'focus-train.png');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => { const d = window.NNPageApp.debug(); return !d.training && d.epoch >= d.state.epochs && d.settled; },
      null, {timeout: 60000, polling: 100});
    assert.equal(await page.textContent('[data-testid=epoch]'), '30');
    assert.equal((await A.focusInfo(page)).testid, 'train', 'the button keeps the focus');
    const acc = await page.textContent('[data-testid=test-accuracy]');
    assert.match(acc, /^\d{1,3}\.\d%$/);
    assert.ok(parseFloat(acc) >= 90, 'the Improved network reads ' + acc + ' of the test digits');
    t.diagnostic('test accuracy read: ' + acc);

    // 6. the confusion matrix: arrows and Enter show a cell's digits
    await tabTo(page, log, (f) => f.testid === null && f.tag === 'td' && f.section === 'evaluation', 'the confusion matrix');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    assert.match(await page.textContent('#evaluation .cell-info'), /True 1, predicted 1: \d+ test digits? read correctly/);
    await shot(page, 'focus-confusion.png');
    // and Shift+Tab goes back
    const here = await A.focusInfo(page);
    const prev = await tabTo(page, log, () => true, 'anything', {max: 1, back: true});
    assert.ok(prev.order < here.order, 'Shift+Tab moves backwards');

    // the order is the reading order: every Tab moved forward through the document
    const forward = log.slice(0, -1);
    for (let i = 1; i < forward.length; i++) {
      if (forward[i].name === forward[i - 1].name && forward[i].order === forward[i - 1].order) continue;
      assert.ok(forward[i].order > forward[i - 1].order, `Tab went backwards: "${forward[i - 1].name}" -> "${forward[i].name}"`);
    }
    assert.equal(await page.evaluate(() => document.querySelectorAll('[tabindex]:not([tabindex="0"]):not([tabindex="-1"])').length), 0,
      'no positive tabindex');
    A.writeArtifact(`keyboard-order-${from}.json`, log.map((f) => ({section: f.section, tag: f.tag, name: f.name})));
    const sections = [];
    for (const f of log) if (f.section && sections[sections.length - 1] !== f.section) sections.push(f.section);
    t.diagnostic(log.length + ' key presses of Tab; parts in focus order: ' + sections.join(' → '));
    assert.deepEqual(problems.errors(), []);
    await context.close();
  });

  it('the rolling balls and the drawing pad work from the keyboard too', async (t) => {
    for (const [pageName, check] of [['ball', ballCheck], ['draw', drawCheck]]) {
      // in the lesson when it has the part, else on its own page
      const context = await env.browser.newContext({viewport: {width: 1280, height: 900}});
      const page = await context.newPage();
      await page.goto(env.server.url);
      await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().ready, null, {timeout: 30000});
      let where = 'index.html#' + pageName;
      if (!(await page.$('#' + pageName + ' [data-testid]'))) {
        const file = pageName === 'ball' ? 'learn.html' : 'draw.html';
        if (!A.standalonePages(root.dir).includes(file)) { t.diagnostic('no ' + pageName + ' part'); await context.close(); continue; }
        await page.goto(env.server.url + file);
        where = file;
      }
      await A.waitQuiet(page, 15000);
      await check(page, where);
      t.diagnostic(pageName + ': checked in ' + where);
      await context.close();
    }
  });

  for (const file of A.standalonePages(root.dir)) {
    it(file + ': Tab reaches every control with a visible focus, in order, without a trap', async () => {
      const context = await env.browser.newContext({viewport: {width: 1280, height: 900}});
      const page = await context.newPage();
      await page.goto(env.server.url + file);
      await A.waitQuiet(page);
      const log = [];
      let last = -1, wrapped = false;
      for (let i = 0; i < 300; i++) {
        await page.keyboard.press('Tab');
        const f = await A.focusInfo(page);
        if (f.tag === 'body' || (i > 0 && f.order <= last)) { wrapped = true; break; }   // back to the start
        log.push(f);
        assert.ok(f.visible, `${file}: no visible focus indicator on ${f.tag} "${f.name}"`);
        last = f.order;
      }
      assert.ok(wrapped, `${file}: Tab never left the page (a keyboard trap?) after ` + log.length + ' stops');
      A.writeArtifact('keyboard-' + file.replace(/\.html$/, '') + '.json', log.map((f) => ({tag: f.tag, name: f.name})));
      await context.close();
    });
  }
});

async function ballCheck(page, where) {
  const log = [];
  const scope = where.startsWith('index') ? '#ball ' : '';
  await tabTo(page, log, (f) => f.testid === 'drop-balls', '"Drop 10 balls"', {max: 400});
  const before = await page.textContent(scope + '[data-testid=ball-status]');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(3000);
  const after = await page.textContent(scope + '[data-testid=ball-status]');
  assert.notEqual(after, before, 'the status told about the balls: ' + after);
  await shot(page, 'focus-drop-balls.png');
  // the map canvas takes arrows to move the aim, Enter drops a ball there
  const map = await tabTo(page, log, (f) => f.testid === 'ball-map', 'the contour map', {max: 20}).catch(() => null);
  if (map) {
    const l0 = await page.getAttribute(scope + '[data-testid=ball-map]', 'aria-label');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1500);
    const l1 = await page.getAttribute(scope + '[data-testid=ball-map]', 'aria-label');
    assert.notEqual(l1, l0, 'the map\'s description follows the keys');
  }
}

async function drawCheck(page, where) {
  const log = [];
  const scope = where.startsWith('index') ? '#draw ' : '';
  await tabTo(page, log, (f) => f.testid === 'draw-sample', '"Load a sample digit"', {max: 400});
  await page.keyboard.press('Enter');
  await page.waitForFunction((s) => /\d/.test(document.querySelector(s + '[data-testid=draw-prediction]').textContent), scope, {timeout: 10000});
  const pad1 = await page.getAttribute(scope + '[data-testid=draw-pad]', 'aria-label');
  assert.doesNotMatch(pad1 || '', /empty/, 'a sample digit is on the pad');
  await tabTo(page, log, (f) => f.testid === 'draw-clear', '"Clear"', {max: 30, back: true}).catch(async () =>
    tabTo(page, log, (f) => f.testid === 'draw-clear', '"Clear"', {max: 30}));
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  const pad2 = await page.getAttribute(scope + '[data-testid=draw-pad]', 'aria-label');
  assert.match(pad2 || '', /empty/, 'Clear emptied the pad: ' + pad2);
  await shot(page, 'focus-draw-clear.png');
}
