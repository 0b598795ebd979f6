// Browser tests of the reflect page (web/reflect.html): the closing questions (kept in
// localStorage only), the curriculum map, and the printable teacher's page.  Debian Chromium via
// playwright-core, strict CSP.  Screenshots: tests/artifacts/reflect-*.png.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const h = require('./harness.js');

const ROOT = h.ROOT;
const FILES = ['reflect.html', 'css/reflect.css', 'css/print.css', 'js/reflect/reflect.js', 'js/reflect/reflect-page.js'];
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const KEY = 'nnmath.reflect.v1';
const PARTS = ['data', 'network', 'forward', 'cost', 'training', 'evaluation', 'tangent', 'ball', 'landscape', 'backprop',
  'experiments', 'draw'];

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
// dist/ when it is up to date, else a copy of web/ (the page needs no built files).
function siteRoot() {
  if (process.env.NNMATH_DIST) return { dir: path.resolve(process.env.NNMATH_DIST), temp: false };
  const dist = path.join(ROOT, 'dist'), web = path.join(ROOT, 'web');
  if (FILES.every((f) => sameFile(path.join(dist, f), path.join(web, f)))) return { dir: dist, temp: false };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-reflect-'));
  copyDir(web, dir);
  return { dir, temp: true };
}

async function axeViolations(page) {
  if (!fs.existsSync(AXE)) return [];
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

async function open(context, url) {
  const page = await context.newPage();
  const problems = h.collectPageProblems(page);
  await page.goto(url);
  await page.waitForSelector('html[data-reflect-ready]', { state: 'attached' });
  return { page, problems };
}

const site = siteRoot();
test.after(() => { if (site.temp) fs.rmSync(site.dir, { recursive: true, force: true }); });

test('reflect: answers persist across reloads and can be cleared; curriculum links; print', { timeout: 180000 }, async (t) => {
  const srv = await h.startServer({ root: site.dir, csp: h.STRICT_CSP });
  const browser = await h.launchBrowser();
  t.after(async () => { await browser.close(); await srv.close(); });
  const url = srv.url.replace(/\/?$/, '/') + 'reflect.html';
  const art = h.artifactsDir();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  let { page, problems } = await open(context, url);
  const all = [problems];

  assert.deepStrictEqual(await axeViolations(page), [], 'axe on the empty page');
  for (const q of [/What did you learn about the mathematics of neural networks\?/, /What was most interesting\?/,
    /What surprised you\?/, /What else do you want to know\?/]) {
    assert.strictEqual(await page.getByLabel(q).count(), 1, 'a labelled text box for ' + q);
  }
  assert.match(await page.locator('.nr-privacy').textContent(), /only in this browser.*nothing is sent anywhere/);

  // Write, wait for the save, reload: the answers are back.
  const answers = {
    learned: 'A layer is a matrix times a vector, plus a bias: z = W·a + b.',
    interesting: 'Cross-entropy learns faster because σ′ cancels.',
    surprised: 'Only 64 numbers per digit!',
    more: 'How do networks read whole words?\nAnd pictures in colour?'
  };
  await page.getByTestId('reflect-learned').fill(answers.learned);
  await page.getByTestId('reflect-interesting').fill(answers.interesting);
  await page.getByTestId('reflect-surprised').fill(answers.surprised);
  await page.getByTestId('reflect-more').fill(answers.more);
  await page.waitForFunction(() => /Saved on this device at \d\d:\d\d/.test(document.querySelector('[data-testid="reflect-saved"]').textContent));
  await page.waitForFunction((k) => /pictures in colour/.test(localStorage.getItem(k) || ''), KEY); // saved while typing (debounced)
  const stored = await page.evaluate(() => ({ keys: Object.keys(localStorage), value: JSON.parse(localStorage.getItem('nnmath.reflect.v1')) }));
  assert.deepStrictEqual(stored.keys, [KEY], 'one namespaced key');
  assert.deepStrictEqual(stored.value.answers, answers);
  await page.reload();
  await page.waitForSelector('html[data-reflect-ready]', { state: 'attached' });
  for (const [id, text] of Object.entries(answers)) {
    assert.strictEqual(await page.getByTestId('reflect-' + id).inputValue(), text, id + ' survives a reload');
  }
  assert.match(await page.getByTestId('reflect-saved').textContent(), /earlier answers were loaded/);
  // Typing and leaving at once (no pause for the debounced save): saved on the way out.
  await page.getByTestId('reflect-surprised').fill(answers.surprised + ' And fast.');
  await page.reload();
  await page.waitForSelector('html[data-reflect-ready]', { state: 'attached' });
  assert.strictEqual(await page.getByTestId('reflect-surprised').inputValue(), answers.surprised + ' And fast.');
  await page.getByTestId('reflect-surprised').fill(answers.surprised);

  // The curriculum map links every part of the lesson to school mathematics.
  const topics = await page.$$eval('.nr-topic-title', (els) => els.map((e) => e.textContent));
  for (const topic of ['Matrices and matrix multiplication', 'Linear functions', 'Functions and composition',
    'The slope of a tangent and the derivative', 'Functions of several variables and their minima', 'Probability and logarithms']) {
    assert.ok(topics.includes(topic), 'topic: ' + topic);
  }
  const links = await page.$$eval('.nr-parts a', (as) => as.map((a) => [a.dataset.part, a.getAttribute('href')]));
  assert.deepStrictEqual([...new Set(links.map((l) => l[0]))].sort(), PARTS.slice().sort(), 'every part is linked');
  for (const [part, href] of links) assert.ok(href.endsWith('#' + part), `${part}: ${href}`);
  assert.ok(links.some(([p, href]) => p === 'tangent' && href === 'learn.html#tangent'));
  assert.ok(links.some(([p, href]) => p === 'data' && href === 'index.html#data'));
  await page.screenshot({ path: path.join(art, 'reflect-1366x768.png'), fullPage: true });
  assert.deepStrictEqual(await axeViolations(page), [], 'axe with answers');

  // Keyboard: Tab from the last answer reaches the buttons; Enter on "Clear" asks first.
  await page.getByTestId('reflect-more').focus();
  await page.keyboard.press('Tab');
  assert.strictEqual(await page.evaluate(() => document.activeElement.dataset.testid), 'reflect-download');
  await page.keyboard.press('Tab');
  assert.strictEqual(await page.evaluate(() => document.activeElement.dataset.testid), 'reflect-clear');
  assert.notStrictEqual(await page.getByTestId('reflect-clear').evaluate((el) => getComputedStyle(el).outlineStyle), 'none');
  await page.keyboard.press('Enter');
  assert.strictEqual(await page.getByTestId('reflect-learned').inputValue(), answers.learned, 'nothing cleared yet');
  await page.getByRole('button', { name: 'Keep them' }).click();
  assert.strictEqual(await page.getByTestId('reflect-clear-yes').isVisible(), false);

  // "Save my answers as a text file".
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reflect-download').click()]);
  assert.strictEqual(dl.suggestedFilename(), 'nnmath-my-answers.txt');
  const txt = fs.readFileSync(await dl.path(), 'utf8');
  assert.ok(txt.includes(answers.surprised) && txt.includes('What surprised you?'));

  // The teacher's page: print() hides everything outside the component while printing.
  const printed = await page.evaluate(() => new Promise((resolve) => {
    window.print = () => {
      const hidden = [...document.querySelectorAll('.nr-print-hidden')].map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className.split(' ')[0] : ''));
      resolve({ printing: document.documentElement.classList.contains('nr-printing'), hidden });
      setTimeout(() => window.dispatchEvent(new Event('afterprint')), 0);
    };
    document.querySelector('[data-testid="reflect-print"]').click();
  }));
  assert.strictEqual(printed.printing, true);
  assert.ok(printed.hidden.includes('header.nr-page-header') && printed.hidden.includes('footer.nr-page-footer'), JSON.stringify(printed.hidden));
  await page.waitForFunction(() => !document.querySelector('.nr-print-hidden') && !document.documentElement.classList.contains('nr-printing'));

  await page.emulateMedia({ media: 'print' });
  assert.strictEqual(await page.getByTestId('reflect-clear').isVisible(), false, 'controls are hidden on paper');
  assert.strictEqual(await page.getByTestId('reflect-learned').isVisible(), false, 'text boxes are replaced…');
  assert.strictEqual(await page.locator('.nr-print-answer').first().textContent(), answers.learned, '…by the answers');
  assert.strictEqual(await page.locator('.nr-teacher').isVisible(), true, 'notes for the teacher on paper');
  assert.strictEqual(await page.locator('.nr-curriculum').evaluate((el) => getComputedStyle(el).breakBefore), 'page');
  await page.screenshot({ path: path.join(art, 'reflect-print-with-answers.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // Clear for real: the answers go, also from storage, and stay gone after a reload.
  await page.getByTestId('reflect-clear').click();
  await page.getByTestId('reflect-clear-yes').click();
  assert.match(await page.getByTestId('reflect-status').textContent(), /cleared/);
  for (const id of Object.keys(answers)) assert.strictEqual(await page.getByTestId('reflect-' + id).inputValue(), '');
  assert.strictEqual(await page.evaluate((k) => localStorage.getItem(k), KEY), null);
  await page.reload();
  await page.waitForSelector('html[data-reflect-ready]', { state: 'attached' });
  assert.strictEqual(await page.getByTestId('reflect-learned').inputValue(), '');

  // The blank teacher's page (ruled lines) for printing.
  await page.emulateMedia({ media: 'print' });
  assert.strictEqual(await page.locator('.nr-print-answer.is-empty').count(), 4);
  await page.screenshot({ path: path.join(art, 'reflect-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // A damaged or hostile stored value is ignored (and does not break the page).
  await page.evaluate((k) => localStorage.setItem(k, '{"answers": {"__proto__": {"x": 1}, "learned": 42, "more": "ok"}}'), KEY);
  await page.reload();
  await page.waitForSelector('html[data-reflect-ready]', { state: 'attached' });
  assert.strictEqual(await page.getByTestId('reflect-learned').inputValue(), '');
  assert.strictEqual(await page.getByTestId('reflect-more').inputValue(), 'ok');
  await page.evaluate((k) => localStorage.setItem(k, 'not json {'), KEY);
  await page.reload();
  await page.waitForSelector('html[data-reflect-ready]', { state: 'attached' });
  assert.strictEqual(await page.getByTestId('reflect-more').inputValue(), '');

  // The component embedded in another page: in-page links by default, nothing owned globally.
  const api = await page.evaluate(() => {
    const box = document.createElement('div');
    document.body.appendChild(box);
    const r = window.NNReflect.mount(box, { storage: null, headingLevel: 3 });
    const out = {
      href: box.querySelector('a[data-part="backprop"]').getAttribute('href'),
      heading: box.querySelector('h3') && box.querySelector('h3').textContent,
      warning: box.querySelector('.nr-privacy').textContent,
    };
    r.destroy();
    out.left = box.childNodes.length;
    box.remove();
    return out;
  });
  assert.deepStrictEqual(api, { href: '#backprop', heading: 'Reflect',
    warning: api.warning, left: 0 });
  assert.match(api.warning, /not saved in this browser/);
  await page.close();

  // Phone sizes.
  const phone = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const p2 = await open(phone, url);
  all.push(p2.problems);
  await p2.page.getByTestId('reflect-learned').fill(answers.learned);
  await p2.page.screenshot({ path: path.join(art, 'reflect-360x640.png'), fullPage: true });
  await p2.page.setViewportSize({ width: 320, height: 640 });
  const overflow = await p2.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 320 px (overflow ${overflow}px)`);
  assert.deepStrictEqual(await axeViolations(p2.page), [], 'axe at 320 px');
  await phone.close();

  for (const p of all) {
    assert.deepStrictEqual(p.errors(), [], 'no console errors, page errors or failed requests');
    assert.deepStrictEqual(p.requestsOutside(srv.url), [], 'no requests outside the site');
  }
  await context.close();
});

test('reflect: without storage (it throws) the page says so and still works', { timeout: 120000 }, async (t) => {
  const srv = await h.startServer({ root: site.dir, csp: h.STRICT_CSP });
  const browser = await h.launchBrowser();
  t.after(async () => { await browser.close(); await srv.close(); });
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  // As in some sandboxed frames: touching localStorage throws a SecurityError.
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { configurable: true,
      get() { throw new DOMException('The document is sandboxed and lacks the allow-same-origin flag.', 'SecurityError'); } });
  });
  const { page, problems } = await open(context, srv.url.replace(/\/?$/, '/') + 'reflect.html');
  assert.match(await page.locator('.nr-privacy').textContent(), /not saved in this browser/);
  assert.match(await page.getByTestId('reflect-status').textContent(), /not saved in this browser/);
  await page.getByTestId('reflect-learned').fill('Still works.');
  await page.waitForTimeout(600);
  assert.strictEqual(await page.getByTestId('reflect-learned').inputValue(), 'Still works.');
  assert.deepStrictEqual(await axeViolations(page), []);
  assert.deepStrictEqual(problems.errors(), []);
});

test('reflect page works from file:// (answers persist)', { timeout: 120000 }, async (t) => {
  const browser = await h.launchBrowser();
  t.after(async () => { await browser.close(); });
  const context = await browser.newContext();
  const url = 'file://' + path.join(site.dir, 'reflect.html');
  const { page, problems } = await open(context, url);
  await page.getByTestId('reflect-surprised').fill('From a file.');
  await page.getByTestId('reflect-surprised').blur();
  await page.reload();
  await page.waitForSelector('html[data-reflect-ready]', { state: 'attached' });
  assert.strictEqual(await page.getByTestId('reflect-surprised').inputValue(), 'From a file.');
  assert.deepStrictEqual(problems.errors(), []);
  assert.deepStrictEqual(problems.requestsOutside('file://'), []);
});
