// Browser tests of "Backpropagation, step by step" (dist/backprop.html, file:// and http under the
// strict CSP): stepping with buttons, keyboard and touch; the gradients the page displays (the
// chain-rule panel's data-grad, full precision) equal central finite differences of the digit's cost
// computed through the wrapper in the page (perturb one parameter via net.params, trace, restore);
// the update step's costs; the digit chooser; axe; the page and its formulas fit from 320 px; screenshots in
// tests/artifacts/ (360x640 and 1366x768).
// NNMATH_DIST_DIR overrides the folder with the built page (default dist/, made by `make dist`).
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const h = require('./harness.js');
const { cutFormulas } = require('./integration-helpers.js');

const DIST = path.resolve(h.ROOT, process.env.NNMATH_DIST_DIR || 'dist');
const PAGE = path.join(DIST, 'backprop.html');
const AXE = path.join(h.ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const BP = '[data-testid=backprop]';
const EXPLAIN = '[data-testid=backprop-explain]';

let browser;

async function open(viewport, ctxOptions, query) {
  const context = await browser.newContext(Object.assign({ viewport: viewport || { width: 1366, height: 768 } }, ctxOptions || {}));
  const page = await context.newPage();
  const problems = h.collectPageProblems(page);
  await page.goto(pathToFileURL(PAGE).href + (query || ''));
  await page.waitForSelector('html[data-backprop-ready="true"]', { timeout: 120000 });
  return { context, page, problems };
}

function noProblems(problems) {
  assert.deepStrictEqual(problems.errors(), [], 'console/page errors');
  const outside = problems.requests.filter((u) => !u.startsWith('file://') && !/^(data|blob|about):/.test(u));
  assert.deepStrictEqual(outside, [], 'no network requests');
}

const step = async (page) => Number(await page.getAttribute(BP, 'data-step'));
const kind = (page) => page.getAttribute(BP, 'data-kind');
const go = (page, k) => page.evaluate((k) => window.NNBackpropPage.instance.go(k), k);
async function shown(page) {
  return page.evaluate((sel) => {
    const e = document.querySelector(sel);
    return { layer: Number(e.dataset.layer), row: Number(e.dataset.row), col: Number(e.dataset.col), grad: e.dataset.grad,
      fd: e.dataset.fd, text: e.textContent };
  }, EXPLAIN);
}

/** Central finite difference of the digit's cost for weight (layer, row, col), in the page. */
function fdInPage(page, s, hStep) {
  return page.evaluate(({ s, hStep }) => {
    const B = window.NNBackpropMath, net = window.NNBackpropPage.net;
    const digit = Number(document.querySelector('[data-testid=backprop]').dataset.digit);
    const idx = B.paramIndex(net.config.layers, s.layer, s.row, s.col);
    const before = net.snapshot();
    const fd = B.centralDifference(net, digit, idx, hStep);
    const same = net.snapshot().every((v, i) => Object.is(v, before[i]));
    const tr = net.trace(digit), z = tr.layers[s.layer - 1].z[s.row], a = tr.layers[s.layer - 1].input[s.col];
    return { fd, same, z, a };
  }, { s, hStep });
}

function closeTo(fd, g, what) {
  assert.ok(Math.abs(fd - g) <= 3e-4 + 1e-2 * Math.abs(g), `${what}: page shows ${g}, finite difference ${fd}`);
}

before(async () => {
  assert.ok(fs.existsSync(PAGE), `${PAGE} is missing: run \`make dist\``);
  browser = await h.launchBrowser();
});
after(async () => { if (browser) await browser.close(); });

describe('backpropagation, step by step', () => {
  it('steps forward and back: buttons, the keyboard, the step list and Play', async () => {
    const { context, page, problems } = await open();
    assert.strictEqual(await step(page), 0);
    assert.strictEqual(await page.getAttribute(BP, 'data-steps'), '6');
    assert.strictEqual(await kind(page), 'forward');
    assert.strictEqual(await page.isDisabled('[data-testid=backprop-back]'), true);
    await page.click('[data-testid=backprop-step]');
    assert.strictEqual(await kind(page), 'output');
    assert.match(await page.textContent('[data-testid=backprop-status]'), /^Step 2 of 6: The output error δ₂ = ∂C\/∂z₂/);
    // both formulas, the network's one marked (text badge, not colour only)
    assert.strictEqual(await page.locator('.nnb-card').count(), 2);
    assert.match(await page.textContent('.nnb-card.is-chosen'), /Cross-entropy.*✓ your network.*δ2=softmax\(z2\)−y=a2−y/);
    assert.match(await page.textContent('.nnb-card:not(.is-chosen)'), /Squared error.*δ2=\(a2−y\)⊙f′\(z2\).*softmax Jacobian/);
    // keyboard: the Next button with Enter and Space
    await page.focus('[data-testid=backprop-step]');
    await page.keyboard.press('Enter');
    assert.strictEqual(await step(page), 2);
    assert.strictEqual(await kind(page), 'grad');
    assert.strictEqual(await page.getAttribute(BP, 'data-layer'), '2');
    assert.match(await page.textContent('.nnb-stage'), /∂C\/∂W₂\s*10×32/);
    await page.keyboard.press('Space');
    assert.strictEqual(await kind(page), 'back');
    assert.match(await page.textContent('.nnb-stage'), /W₂ᵀ\s*32×10/);
    await page.keyboard.press('Enter');
    assert.strictEqual(await page.getAttribute(BP, 'data-layer'), '1');
    assert.match(await page.textContent('.nnb-stage'), /∂C\/∂W₁\s*32×64[\s\S]*W₁ is 32×64/);
    await page.click('[data-testid=backprop-back]');
    assert.strictEqual(await step(page), 3);
    // the step list
    await page.click('.nnb-pipeline li:last-child button');
    assert.strictEqual(await kind(page), 'update');
    assert.strictEqual(await page.isDisabled('[data-testid=backprop-step]'), true);
    // Play from the start advances by itself; Pause stops it
    await page.click('.nnb-pipeline li:first-child button');
    await page.click('[data-testid=backprop-play]');
    await page.waitForFunction(() => document.querySelector('[data-testid=backprop]').dataset.step === '2', null, { timeout: 10000 });
    await page.click('[data-testid=backprop-play]');
    const s = await step(page);
    await page.waitForTimeout(2600);
    assert.strictEqual(await step(page), s, 'paused');
    noProblems(problems);
    await context.close();
  });

  it('the gradients the page shows equal central finite differences through the wrapper', async () => {
    const { context, page, problems } = await open();
    let checked = 0;
    for (const k of [2, 4]) { // ∂C/∂W₂, then ∂C/∂W₁ (a hidden layer: the full chain)
      await go(page, k);
      const grid = `[data-testid=backprop-grad]`;
      await page.focus(grid);
      const cells = [await shown(page)];
      // move with the keyboard to other weights
      for (const key of ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'Shift+ArrowUp']) {
        await page.keyboard.press(key);
        cells.push(await shown(page));
      }
      assert.strictEqual(cells[1].col, cells[0].col + 1, 'ArrowRight moves one column');
      assert.strictEqual(cells[2].row, Math.min(cells[1].row + 1, k === 2 ? 9 : 31), 'ArrowDown moves one row');
      for (const c of cells) {
        const g = Number(c.grad);
        assert.ok(Number.isFinite(g), 'data-grad ' + c.grad);
        // the text shows the same number, rounded to 4 significant digits
        const f = await fdInPage(page, c, 1e-2);
        assert.ok(f.same, 'the finite difference restored the parameters');
        if (Math.abs(f.z) < 3e-2 * Math.abs(f.a) + 1e-3 && c.layer === 1) continue; // at a ReLU kink
        closeTo(f.fd, g, `W${c.layer}[${c.row}][${c.col}]`);
        checked++;
      }
      // the nudge button does the same check on the page
      await page.click('[data-testid=backprop-nudge]');
      const after = await shown(page);
      const g = Number(after.grad), fd = Number(after.fd);
      closeTo(fd, g, 'nudge');
      assert.match(await page.textContent('[data-testid=backprop-fd]'), /= −?\d\.\d+(·10⁻\d+)? — the same as the gradient above ✓/);
      assert.match(after.text, /the chain rule/);
      if (k === 4) assert.match(after.text, /came from the layer above[\s\S]*So, all in one: ∂C\/∂w = \[Σᵢ wᵢⱼ·δᵢ\] · f′\(z_j\) · x_k =/);
    }
    assert.ok(checked >= 8, 'checked ' + checked);
    // the output error: δ_k = ∂C/∂b_k, checked against a nudge of the bias
    await go(page, 1);
    await page.focus('[data-testid=backprop-delta]');
    await page.keyboard.press('ArrowDown');
    const d = await page.evaluate(() => {
      const B = window.NNBackpropMath, net = window.NNBackpropPage.net, e = document.querySelector('[data-testid=backprop-explain]');
      const digit = Number(document.querySelector('[data-testid=backprop]').dataset.digit);
      const k = Number(/Output (\d)/.exec(e.textContent)[1]);
      return { shown: Number(e.dataset.delta), fd: B.centralDifference(net, digit, B.paramIndex(net.config.layers, 2, k, -1), 1e-2), k };
    });
    closeTo(d.fd, d.shown, `δ₂[${d.k}]`);
    noProblems(problems);
    await context.close();
  });

  it('mouse: pointing at a cell of ∂C/∂W shows its chain rule', async () => {
    const { context, page, problems } = await open();
    await go(page, 2);
    const grid = page.locator('[data-testid=backprop-grad]');
    await grid.scrollIntoViewIfNeeded();
    const b = await grid.boundingBox();
    // 10 rows × 32 columns: the middle of cell (row 3, column 5)
    await page.mouse.move(b.x + (5 + 0.5) * b.width / 32, b.y + (3 + 0.5) * b.height / 10);
    const s = await shown(page);
    assert.deepStrictEqual([s.layer, s.row, s.col], [2, 3, 5]);
    assert.match(s.text, /row 4, column 6 of W₂ \(from neuron 6 of layer 1 to the output for digit 3\)/);
    const f = await fdInPage(page, s, 1e-2);
    closeTo(f.fd, Number(s.grad), 'hovered cell');
    noProblems(problems);
    await context.close();
  });

  it('touch: tapping a cell selects it; the buttons work by touch', async () => {
    const { context, page, problems } = await open({ width: 360, height: 640 }, { hasTouch: true, isMobile: true });
    await page.evaluate(() => {
      window.__pointerTypes = [];
      document.addEventListener('pointerdown', (e) => window.__pointerTypes.push(e.pointerType), true);
    });
    await page.locator('[data-testid=backprop-step]').scrollIntoViewIfNeeded();
    await page.tap('[data-testid=backprop-step]');
    await page.waitForTimeout(400);
    await page.tap('[data-testid=backprop-step]');
    assert.strictEqual(await kind(page), 'grad');
    const grid = page.locator('[data-testid=backprop-grad]');
    await grid.scrollIntoViewIfNeeded();
    const b = await grid.boundingBox();
    await page.touchscreen.tap(b.x + (20 + 0.5) * b.width / 32, b.y + (7 + 0.5) * b.height / 10);
    const s = await shown(page);
    assert.deepStrictEqual([s.row, s.col], [7, 20]);
    const types = await page.evaluate(() => window.__pointerTypes);
    assert.ok(types.length >= 3 && types.every((t) => t === 'touch'), JSON.stringify(types));
    noProblems(problems);
    await context.close();
  });

  it('the update: W before and after, the digit\'s cost before and after; applying it', async () => {
    const { context, page, problems } = await open();
    await go(page, 5);
    assert.strictEqual(await kind(page), 'update');
    const before = Number(await page.getAttribute('[data-testid=backprop-cost-before]', 'data-value'));
    const after = Number(await page.getAttribute('[data-testid=backprop-cost-after]', 'data-value'));
    const r = await page.evaluate(() => {
      const net = window.NNBackpropPage.net, digit = Number(document.querySelector('[data-testid=backprop]').dataset.digit);
      const e = document.querySelector('[data-testid=backprop-explain]');
      return { cost: net.trace(digit).cost, after: Number(e.dataset.after), grad: Number(e.dataset.grad) };
    });
    assert.strictEqual(before, r.cost, 'cost before = the network\'s cost of the digit');
    assert.ok(after < before, `one step lowers the digit's cost: ${before} -> ${after}`);
    assert.match(await page.textContent('.nnb-stage'), /W₁ before\s*32×64[\s\S]*−η·∂C\/∂W₁\s*32×64[\s\S]*W₁ after\s*32×64/);
    // the other layer and another learning rate
    await page.selectOption('[data-testid=backprop-update-layer]', '2');
    assert.match(await page.textContent('.nnb-stage'), /W₂ before\s*10×32/);
    await page.selectOption('[data-testid=backprop-lr]', '0.01');
    const after2 = Number(await page.getAttribute('[data-testid=backprop-cost-after]', 'data-value'));
    assert.ok(after2 < before && after2 > after, `a smaller step lowers the cost less: ${after2}`);
    await page.selectOption('[data-testid=backprop-lr]', '0.1');
    // apply: the network changes, and the new cost of the digit is the "after" shown
    await page.evaluate(() => { window.__p0 = window.NNBackpropPage.net.snapshot(); });
    await page.click('[data-testid=backprop-apply]');
    const now = await page.evaluate(() => {
      const net = window.NNBackpropPage.net, digit = Number(document.querySelector('[data-testid=backprop]').dataset.digit);
      const p = net.snapshot();
      return { cost: net.trace(digit).cost, changed: p.filter((v, i) => v !== window.__p0[i]).length };
    });
    assert.ok(now.changed > 100, 'the weights changed: ' + now.changed);
    assert.strictEqual(now.cost, after, 'the cost after applying is the one shown');
    assert.strictEqual(Number(await page.getAttribute('[data-testid=backprop-cost-before]', 'data-value')), after);
    assert.match(await page.textContent('.nnb-applied'), /the network’s weights have changed/);
    noProblems(problems);
    await context.close();
  });

  it('the digit chooser changes the digit (and all the numbers)', async () => {
    const { context, page, problems } = await open(undefined, undefined, '?digit=10');
    assert.strictEqual(await page.getAttribute(BP, 'data-digit'), '10');
    await go(page, 2);
    const g0 = (await shown(page)).grad;
    await page.click('[aria-label="Next digit"]');
    assert.strictEqual(await page.getAttribute(BP, 'data-digit'), '11');
    assert.strictEqual(await step(page), 2, 'the step stays');
    await page.fill('[data-testid=backprop-digit]', '1000');
    await page.press('[data-testid=backprop-digit]', 'Enter');
    assert.strictEqual(await page.getAttribute(BP, 'data-digit'), '1000');
    assert.notStrictEqual((await shown(page)).grad, g0);
    const label = await page.evaluate(() => window.NNBackpropPage.net.dataset.label(1000));
    assert.match(await page.textContent('.nnb-digit-info'), new RegExp(`A hand-written ${label}; the network says \\d`));
    noProblems(problems);
    await context.close();
  });
});

describe('the backprop page', () => {
  it('works over http under the strict CSP with no errors', async () => {
    const srv = await h.startServer({ root: DIST, csp: h.STRICT_CSP });
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = h.collectPageProblems(page);
    try {
      await page.goto(new URL('backprop.html', srv.url).href);
      await page.waitForSelector('html[data-backprop-ready="true"]', { timeout: 120000 });
      for (let k = 0; k < 5; k++) await page.click('[data-testid=backprop-step]');
      await page.click('[data-testid=backprop-apply]');
      assert.deepStrictEqual(problems.errors(), []);
      assert.deepStrictEqual(problems.requestsOutside(srv.url), []);
    } finally {
      await context.close();
      await srv.close();
    }
  });

  it('has no axe-core accessibility violations (WCAG A/AA) on any step', async () => {
    const { context, page, problems } = await open();
    await page.evaluate(fs.readFileSync(AXE, 'utf8'));
    const run = () => page.evaluate(async () => {
      const r = await window.axe.run(document, { preload: false, runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    for (let k = 0; k < 6; k++) {
      await go(page, k);
      assert.deepStrictEqual(await run(), [], 'step ' + k);
    }
    noProblems(problems);
    await context.close();
  });

  it('fits from 320 px wide up (no sideways scrolling of the page)', async () => {
    const { context, page, problems } = await open({ width: 320, height: 700 });
    for (const width of [320, 360, 768, 1024, 1366]) {
      await page.setViewportSize({ width, height: 700 });
      for (let k = 0; k < 6; k++) {
        await go(page, k);
        await page.waitForTimeout(60);
        const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(over <= 0, `page scrolls sideways by ${over}px at ${width}px, step ${k}`);
        // a formula that does not fit would hide its end (the number it works out) in a box
        // that scrolls sideways: they wrap instead
        assert.deepStrictEqual(await cutFormulas(page), [], `formulas cut off at ${width}px, step ${k}`);
      }
    }
    noProblems(problems);
    await context.close();
  });

  it('screenshots at 360x640 and 1366x768 (tests/artifacts/)', async () => {
    const dir = h.artifactsDir();
    for (const [w, hh] of [[360, 640], [1366, 768]]) {
      const { context, page, problems } = await open({ width: w, height: hh });
      await page.screenshot({ path: path.join(dir, `backprop-${w}x${hh}-top.png`) });
      const names = ['forward', 'output', 'grad2', 'back', 'grad1', 'update'];
      for (let k = 0; k < 6; k++) {
        await go(page, k);
        await page.waitForTimeout(80);
        await page.locator(BP).screenshot({ path: path.join(dir, `backprop-${w}x${hh}-${k}-${names[k]}.png`) });
      }
      noProblems(problems);
      await context.close();
    }
  });
});
