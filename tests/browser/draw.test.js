// Browser tests of the "draw your own digit" page (web/draw.html): Debian Chromium via
// playwright-core, strict CSP, the real WebAssembly core and the trained "Improved" network.
//
// The page under test: dist/ when it holds an up-to-date copy of the draw files and the cores
// (after `make dist`), else a temporary copy of web/ + build-wasm/{cores, digits-data.js}.
// Screenshots go to tests/artifacts/draw-*.png.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const h = require('./harness.js');
const Samples = require('../../web/js/draw/samples.js');

const ROOT = h.ROOT;
const DRAW_FILES = ['draw.html', 'css/draw.css', 'js/draw/preprocess.js', 'js/draw/samples.js', 'js/draw/pad.js',
  'js/draw/demo.js'];
const BUILT = ['nnmath-core-simd.js', 'nnmath-core-scalar.js', 'digits-data.js'];
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

async function axeViolations(page) {
  if (!fs.existsSync(AXE)) return [];
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { preload: false,
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

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

// {dir, temp}: the folder to serve.
function siteRoot() {
  if (process.env.NNMATH_DIST) return { dir: path.resolve(process.env.NNMATH_DIST), temp: false };
  const dist = path.join(ROOT, 'dist'), web = path.join(ROOT, 'web');
  const distOk = DRAW_FILES.every((f) => sameFile(path.join(dist, f), path.join(web, f))) &&
    sameFile(path.join(dist, 'js', 'nnmath.js'), path.join(web, 'js', 'nnmath.js')) &&
    BUILT.every((f) => fs.existsSync(path.join(dist, 'js', f)));
  if (distOk) return { dir: dist, temp: false };
  const missing = BUILT.filter((f) => !fs.existsSync(path.join(ROOT, 'build-wasm', f)));
  if (missing.length) return { skip: `build-wasm/${missing.join(', ')} missing: run \`make wasm\` (or \`make dist\`)` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-draw-'));
  copyDir(web, dir);
  for (const f of BUILT) fs.copyFileSync(path.join(ROOT, 'build-wasm', f), path.join(dir, 'js', f));
  return { dir, temp: true };
}

// A deterministic "handwriting" variation of the sample strokes: size, width, slant, position and
// a little wobble, different for each digit — so the test does not just replay the samples.
function handwritten(digit) {
  let seed = 1009 * (digit + 1);
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  const s = 0.82 + rnd() * 0.22, sx = s * (0.88 + rnd() * 0.24);
  const rot = (rnd() - 0.5) * 12 * Math.PI / 180, tx = (rnd() - 0.5) * 0.1, ty = (rnd() - 0.5) * 0.1;
  return Samples.sample(digit).map((st) => st.map(([x, y]) => {
    x -= 0.5; y -= 0.5;
    const X = x * Math.cos(rot) - y * Math.sin(rot), Y = x * Math.sin(rot) + y * Math.cos(rot);
    return [0.5 + X * sx + tx + (rnd() - 0.5) * 0.006, 0.5 + Y * s + ty + (rnd() - 0.5) * 0.006];
  }));
}

async function frames(page, n = 2) {
  await page.evaluate((k) => new Promise((resolve) => {
    const step = () => (k-- <= 0 ? resolve() : requestAnimationFrame(step));
    step();
  }), n);
}

async function padBox(page) {
  const pad = page.getByTestId('draw-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  assert.ok(box && box.width > 100, 'the pad is visible: ' + JSON.stringify(box));
  return box;
}

// Draw strokes (pad units 0..1) with the mouse: pointerdown, pointermoves, pointerup.
async function drawWithMouse(page, strokes) {
  const box = await padBox(page);
  const at = (p) => [box.x + p[0] * box.width, box.y + p[1] * box.height];
  for (const st of strokes) {
    const [x0, y0] = at(st[0]);
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (const p of st.slice(1)) {
      const [x, y] = at(p);
      await page.mouse.move(x, y);
    }
    await page.mouse.up();
  }
  await frames(page, 3);
}

// Draw with a finger through the Chrome DevTools protocol (real touch input → pointer events of
// type "touch"; the pad must have touch-action: none for the moves to reach it).
async function drawWithTouch(page, strokes) {
  const box = await padBox(page);
  const cdp = await page.context().newCDPSession(page);
  const at = (p) => ({ x: box.x + p[0] * box.width, y: box.y + p[1] * box.height, id: 1 });
  for (const st of strokes) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(st[0])] });
    for (const p of st.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(p)] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }
  await cdp.detach();
  await frames(page, 3);
}

async function prediction(page) {
  return (await page.getByTestId('draw-prediction').textContent()).trim();
}

async function padIsBlank(page) {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid="draw-pad"]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 200) return false;
    return true;
  });
}

async function openPage(browser, url, viewport) {
  const context = await browser.newContext({ viewport, hasTouch: true });
  const page = await context.newPage();
  const problems = h.collectPageProblems(page);
  await page.goto(url);
  await page.waitForSelector('[data-testid="draw-train-status"][data-state="ready"]', { timeout: 120000 });
  return { context, page, problems };
}

const site = siteRoot();
test.after(() => { if (site.temp) fs.rmSync(site.dir, { recursive: true, force: true }); });

test('draw page: synthetic digits, clear, keyboard, touch, no console errors, screenshots',
  { skip: site.skip || false, timeout: 300000 }, async (t) => {
    const srv = await h.startServer({ root: site.dir, csp: h.STRICT_CSP });
    const browser = await h.launchBrowser();
    t.after(async () => {
      await browser.close();
      await srv.close();
    });
    const url = srv.url.replace(/\/?$/, '/') + 'draw.html';
    const art = h.artifactsDir();

    const { context, page, problems } = await openPage(browser, url, { width: 1366, height: 768 });

    assert.deepStrictEqual(await axeViolations(page), [], 'axe (WCAG A/AA) on the empty pad');

    // Nothing drawn: no prediction, "use" disabled.
    assert.strictEqual(await prediction(page), '–');
    assert.ok(await page.getByTestId('draw-use').isDisabled());
    assert.match(await page.getByTestId('draw-pad').getAttribute('aria-label'), /empty/i);
    assert.strictEqual(await page.getByTestId('draw-pad').evaluate((el) => getComputedStyle(el).touchAction), 'none');

    // The ten digits, drawn with the mouse.
    const results = [];
    for (let d = 0; d <= 9; d++) {
      await page.getByTestId('draw-clear').click();
      await frames(page);
      await drawWithMouse(page, handwritten(d));
      const got = await prediction(page);
      const conf = (await page.getByTestId('draw-confidence').textContent()).trim();
      const label = await page.getByTestId('draw-pad').getAttribute('aria-label');
      const pixels = await page.evaluate(() => Array.from(window.NNDrawDemo.state.pad.result().pixels || []));
      results.push({ digit: d, got, conf });
      assert.match(got, /^[0-9]$/, `digit ${d}: a prediction is shown`);
      assert.ok(label.includes('read as ' + got + ' with '), 'the pad label follows the prediction: ' + label);
      assert.strictEqual(pixels.length, 64);
      assert.ok(pixels.every((v) => v >= 0 && v <= 16) && pixels.some((v) => v > 0));
      if (d === 3) await page.screenshot({ path: path.join(art, 'draw-1366x768.png'), fullPage: true });
    }
    assert.deepStrictEqual(await axeViolations(page), [], 'axe (WCAG A/AA) with a digit drawn');
    const right = results.filter((r) => r.got === String(r.digit)).length;
    t.diagnostic('synthetic digits: ' + results.map((r) => `${r.digit}→${r.got} (${r.conf})`).join(', '));
    t.diagnostic(`recognised ${right} of 10`);
    assert.ok(right >= 8, `at least 8 of the 10 drawn digits are recognised (got ${right}): ` + JSON.stringify(results));

    // The live region says what was read once a stroke ended.
    assert.match(await page.getByTestId('draw-status').textContent(), /read as \d with (\d+%|>99%|<1%) confidence/);

    // "Use this digit" hands the 64 numbers on.
    await page.getByTestId('draw-use').click();
    await page.waitForSelector('[data-testid="draw-used"]:not([hidden])');
    assert.match(await page.getByTestId('draw-used').textContent(), /Forward propagation/);

    // Clear: empty pad, no prediction, all bars back to nothing.
    await page.getByTestId('draw-clear').click();
    await frames(page);
    assert.strictEqual(await prediction(page), '–');
    assert.ok(await padIsBlank(page), 'the pad is blank after Clear');
    assert.ok(await page.getByTestId('draw-use').isDisabled());
    assert.match(await page.getByTestId('draw-status').textContent(), /empty|nothing/i);
    assert.deepStrictEqual(await page.evaluate(() => window.NNDrawDemo.state.pad.result().pixels), null);

    // Keyboard: Tab reaches "Load a sample digit" and "Clear"; Enter on them works.
    await page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
    const seen = [];
    let reachedClear = false, reachedSample = false;
    for (let i = 0; i < 30 && !(reachedClear && reachedSample); i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-testid'));
      seen.push(id);
      if (id === 'draw-sample' && !reachedSample) {
        reachedSample = true;
        await page.keyboard.press('Enter');                 // sample 0
        await frames(page, 3);
        assert.strictEqual(await prediction(page), '0', 'the keyboard sample (0) is read as 0');
      }
      if (id === 'draw-clear') reachedClear = true;
    }
    assert.ok(reachedSample, 'Tab reaches the sample button: ' + JSON.stringify(seen));
    assert.ok(reachedClear, 'Tab reaches the clear button: ' + JSON.stringify(seen));
    await page.getByTestId('draw-clear').focus();
    await page.keyboard.press('Enter');
    await frames(page, 3);
    assert.strictEqual(await prediction(page), '–', 'Enter on Clear clears');
    const focusVisible = await page.getByTestId('draw-clear').evaluate((el) => getComputedStyle(el).outlineStyle);
    assert.notStrictEqual(focusVisible, 'none', 'focused button shows an outline');

    // Every sample (the keyboard way to try the pad) is read correctly.
    const sampleReads = [];
    for (let d = 0; d <= 9; d++) {
      await page.evaluate((k) => window.NNDrawDemo.state.pad.loadSample(k), d);
      await frames(page, 3);
      sampleReads.push(await prediction(page));
    }
    t.diagnostic('samples read as ' + sampleReads.join(' '));
    assert.ok(sampleReads.filter((g, d) => g === String(d)).length >= 9, 'samples: ' + sampleReads.join(' '));

    // The component API on its own: mount with a stand-in predict, update(), clear(), destroy().
    const api = await page.evaluate(async () => {
      const raf = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const box = document.createElement('div');
      document.body.appendChild(box);
      let used = null;
      const fake = () => Float32Array.from([0, 0, 0, 0, 0, 0, 0.1, 0.9, 0, 0]);
      const pad = window.NNDraw.mount(box, { predict: fake, onDigit: (px) => { used = Array.from(px); } });
      const q = (id) => box.querySelector('[data-testid="' + id + '"]');
      const out = {};
      pad.loadSample(1); await raf();
      out.predicted = q('draw-prediction').textContent;
      out.bars = [...box.querySelectorAll('.nd-bar.is-top .nd-bar-digit')].map((e) => e.textContent);
      pad.update({ ready: false, message: 'Still learning' }); await raf();
      out.notReady = [q('draw-prediction').textContent, q('draw-message').textContent, q('draw-message').hidden];
      pad.update({ ready: true, message: '' }); await raf();
      q('draw-use').click();
      out.used = used && used.length;
      pad.clear(); await raf();
      out.cleared = q('draw-prediction').textContent;
      pad.destroy();
      out.left = box.childNodes.length;
      box.remove();
      return out;
    });
    assert.deepStrictEqual(api, { predicted: '7', bars: ['7'], notReady: ['–', 'Still learning', false], used: 64,
      cleared: '–', left: 0 });
    await context.close();

    // Phone: 360×640, drawn with a finger; and nothing sticks out at 320 px.
    const phone = await openPage(browser, url, { width: 360, height: 640 });
    await drawWithTouch(phone.page, handwritten(7));
    const phoneGot = await prediction(phone.page);
    t.diagnostic('touch-drawn 7 read as ' + phoneGot);
    assert.match(phoneGot, /^[0-9]$/, 'a touch drawing is read');
    await phone.page.screenshot({ path: path.join(art, 'draw-360x640.png'), fullPage: true });
    await phone.page.getByTestId('draw-pad').screenshot({ path: path.join(art, 'draw-360x640-pad.png') });
    await phone.page.setViewportSize({ width: 320, height: 640 });
    await frames(phone.page, 3);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 320 px (overflow ${overflow}px)`);
    await phone.page.screenshot({ path: path.join(art, 'draw-320x640.png'), fullPage: true });

    for (const p of [problems, phone.problems]) {
      assert.deepStrictEqual(p.errors(), [], 'no console errors, page errors or failed requests');
      assert.deepStrictEqual(p.requestsOutside(srv.url), [], 'no requests outside the site');
    }
    await phone.context.close();
  });

test('draw page works from file:// (no server)', { skip: site.skip || false, timeout: 180000 }, async (t) => {
  const browser = await h.launchBrowser();
  t.after(async () => {
    await browser.close();
  });
  const url = 'file://' + path.join(site.dir, 'draw.html');
  const { page, problems } = await openPage(browser, url, { width: 1024, height: 768 });
  await page.getByTestId('draw-sample').click();
  await frames(page, 3);
  assert.strictEqual(await prediction(page), '0');
  assert.deepStrictEqual(problems.errors(), []);
  assert.deepStrictEqual(problems.requestsOutside('file://'), []);
});
