/* Helpers for the integration, embed and offline browser tests (not a test file itself).
 *
 * They test dist/ as `make dist` writes it (and its zip): run `make dist` first (`make test`
 * does).  EXERCISE says, for each part of js/page/part-list.js, how to "use" it: click something
 * and check that the part reacted — the same on the main page and on embed.html?part=<id>. */
'use strict';
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const {execFileSync} = require('child_process');
const {pathToFileURL} = require('url');
const h = require('./harness.js');

const ROOT = h.ROOT;
const DIST = path.join(ROOT, 'dist');
const PARTS = require(path.join(ROOT, 'web', 'js', 'page', 'part-list.js'));
// The policy of the issue, exactly (the page's own <meta> policy is the same).
const ISSUE_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:";

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, {withFileTypes: true})) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

let warned = false;
/* dist/, checked to be complete (and a note when web/ is newer: run `make dist`). */
function dist() {
  const need = ['index.html', 'embed.html', 'sw.js', 'sw-files.js', 'js/embed/embed.js', 'nnmath-lesson.zip',
    'js/nnmath-core-simd.js', 'js/digits-data.js'];
  for (const f of need) assert.ok(fs.existsSync(path.join(DIST, f)), `dist/${f} is missing: run \`make dist\``);
  const age = newest(path.join(ROOT, 'web')) - fs.statSync(path.join(DIST, 'sw-files.js')).mtimeMs;
  if (age > 2000 && !warned) { warned = true; console.log('# note: web/ changed after dist/ was made: run `make dist` to test the changes'); }
  return DIST;
}

/* Unzip dist/nnmath-lesson.zip into a new temporary folder: the lesson folder's path. */
function unzipLesson() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-usb-'));
  execFileSync('unzip', ['-q', path.join(dist(), 'nnmath-lesson.zip'), '-d', tmp]);
  process.on('exit', () => { try { fs.rmSync(tmp, {recursive: true, force: true}); } catch (e) { /* leave it */ } });
  return path.join(tmp, 'nnmath-lesson');
}

const fileUrl = (dir, file) => pathToFileURL(path.join(dir, file)).href;

/* Record CSP violations from the start of every document (frames included). */
async function recordViolations(context) {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
    });
  });
}
const violations = (frame) => frame.evaluate(() => window.__cspViolations || []);

async function settled(page, timeout) {
  await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().settled, null,
    {timeout: timeout || 20000, polling: 50});
}
const debug = (page) => page.evaluate(() => window.NNPageApp.debug());

/* The lesson page builds the parts far from the screen later (on the reader's first key, click or
 * scroll, or after a few seconds): press a key and wait until every part is built. */
async function allBuilt(page) {
  await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug, null, {timeout: 20000});
  await page.keyboard.press('Shift');
  await page.waitForFunction(() => window.NNPageApp.debug().waiting.length === 0, null, {timeout: 20000});
}

/* Wait for the embed page to have started (or shown its error). */
async function embedReady(page) {
  await page.waitForFunction(() => document.documentElement.getAttribute('data-embed-ready'), null, {timeout: 20000});
  return page.evaluate(() => document.documentElement.getAttribute('data-embed-ready'));
}

/* How to use each part; `page` shows the part (main page or embed).  Each returns a short
 * description of what it checked. */
const EXERCISE = {
  async data(page) {
    const before = (await debug(page)).state.digit;
    const box = await page.locator('#data [data-testid=digit-grid]').boundingBox();
    await page.mouse.click(box.x + Math.min(box.width - 5, 130), box.y + 45);
    await page.waitForFunction((b) => window.NNPageApp.debug().state.digit !== b, before);
    return 'clicked a digit of the grid';
  },
  async network(page) {
    await page.click('#network [data-testid=preset-improved]');
    await page.waitForFunction(() => window.NNPageApp.debug().state.preset === 'improved' && window.NNPageApp.debug().ready);
    await settled(page);
    return 'chose the Improved preset';
  },
  async forward(page) {
    await page.click('#forward [data-testid=forward-step]');
    await page.waitForFunction(() => document.getElementById('forward').dataset.step === '1');
    return 'stepped the forward animation';
  },
  async cost(page) {
    await settled(page);
    const rows = await page.locator('#cost .cost-table tbody tr').count();
    assert.equal(rows, 10, 'the cost table has one row per digit');
    assert.match(await page.textContent('#cost .cost-values'), /C = /);
    return 'read the cost table (the part has no controls)';
  },
  async tangent(page) {
    const w0 = await page.textContent('#tangent [data-testid=tangent-w]');
    await page.click('#tangent [data-testid=tangent-step]');
    await page.waitForFunction((w) => document.querySelector('#tangent [data-testid=tangent-w]').textContent !== w, w0);
    return 'took a gradient-descent step';
  },
  async ball(page) {
    await page.click('#ball [data-testid=ball-drop-random]');
    await page.waitForFunction(() => JSON.parse(document.querySelector('#ball [data-testid=ball-surface]')
      .getAttribute('data-balls') || '[]').length > 0);
    return 'dropped a ball';
  },
  async training(page) {
    const e0 = (await debug(page)).epoch;
    await page.click('#training [data-testid=step-epoch]');
    await page.waitForFunction((e) => window.NNPageApp.debug().epoch === e + 1 && !window.NNPageApp.debug().training, e0,
      {timeout: 20000});
    await settled(page);
    return 'trained one epoch';
  },
  async evaluation(page) {
    await settled(page, 60000);
    await page.click('#evaluation [data-testid=confusion-matrix] td[data-pos="0"]');
    await page.waitForFunction(() => /True 0, predicted 0/.test(document.querySelector('#evaluation .cell-info').textContent));
    return 'opened a cell of the confusion matrix';
  },
  async backprop(page) {
    await page.waitForFunction(() => window.NNPageApp.debug().ready);
    await settled(page);
    const root = page.locator('#backprop [data-testid=backprop]');
    const step0 = await root.getAttribute('data-step');
    await page.click('#backprop [data-testid=backprop-step]');
    await page.waitForFunction((s) => document.querySelector('#backprop [data-testid=backprop]').getAttribute('data-step') !== s, step0);
    return 'stepped back-propagation';
  },
  async landscape(page) {
    await page.waitForFunction(() => window.NNPageApp.debug().ready);
    await settled(page, 60000);
    const root = page.locator('#landscape [data-testid=landscape]');
    if (await root.getAttribute('data-state') !== 'done') {
      await page.click('#landscape [data-testid=landscape-compute]');
      await page.waitForFunction(() => document.querySelector('#landscape [data-testid=landscape]').getAttribute('data-state') === 'done',
        null, {timeout: 60000});
    }
    assert.ok(Number.isFinite(Number(await root.getAttribute('data-centre'))));
    return 'computed the cost landscape';
  },
  async experiments(page) {
    await page.waitForFunction(() => window.NNPageApp.debug().ready);
    await page.click('#experiments [data-testid=compare-run]');
    await page.waitForFunction(() => /running|done/.test(document.querySelector('#experiments .nx').getAttribute('data-state')));
    await page.waitForTimeout(300);
    // look and press in one task of the page: a comparison that ends between a look from here and
    // a click from here leaves Stop disabled, and the click waited for it until it timed out (CI)
    await page.evaluate(() => {
      if (document.querySelector('#experiments .nx').getAttribute('data-state') === 'running') {
        document.querySelector('#experiments [data-testid=compare-stop]').click();
      }
    });
    await page.waitForFunction(() => /stopped|done/.test(document.querySelector('#experiments .nx').getAttribute('data-state')));
    return 'ran (and stopped) a comparison';
  },
  async save(page) {
    await page.waitForFunction(() => window.NNPageApp.debug().ready);
    await settled(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save [data-testid=model-save]')]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-model-')), 'model.json');
    await download.saveAs(file);
    const model = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(model.format, 'nnmath-model');
    // load it back: it becomes the lesson's network
    const before = (await debug(page)).state;
    await page.setInputFiles('#save [data-testid=model-load]', file);
    await page.waitForFunction(() => /Loaded/.test(document.querySelector('#save [data-testid=model-message]').textContent),
      null, {timeout: 10000});
    await settled(page);
    const after = (await debug(page)).state;
    assert.deepEqual(after.layers, before.layers);
    assert.equal(after.activation, before.activation);
    fs.rmSync(path.dirname(file), {recursive: true, force: true});
    return 'saved the network to a file and loaded it back';
  },
  async reflect(page) {
    const box = page.locator('#reflect [data-testid=reflect-learned]');
    await box.fill('Weights are numbers in a matrix.');
    await page.waitForFunction(() => document.querySelector('#reflect [data-testid=reflect-saved]').textContent !== '');
    return 'wrote an answer';
  },
  async draw(page) {
    await page.waitForFunction(() => window.NNPageApp.debug().ready);
    await page.click('#draw [data-testid=draw-sample]');
    await page.waitForFunction(() => /^\d$/.test(document.querySelector('#draw [data-testid=draw-prediction]').textContent));
    await page.click('#draw [data-testid=draw-use]');
    const onPage = await page.evaluate(() => !!document.querySelector('#forward.part'));
    if (onPage) {
      await page.waitForFunction(() => window.NNPageApp.debug().source === 'drawn');
      await settled(page);
      await page.waitForFunction(() => /your drawing/.test(document.querySelector('#forward .block figcaption').textContent));
      return 'drew a sample digit and sent it to forward propagation';
    }
    await page.waitForFunction(() => !document.querySelector('#draw [data-testid=draw-used]').hidden);
    return 'drew a sample digit and used it';
  }
};

/* The formulas (any box whose class names a formula) that do not fit their box: a box that scrolls
 * sideways would hide the formula's end, often the very number it works out.  [] when all fit. */
async function cutFormulas(page) {
  return page.evaluate(() => [...document.querySelectorAll('[class*="formula"]')].filter((f) => {
    const overflow = getComputedStyle(f).overflowX;
    return f.getClientRects().length && overflow !== 'visible' && f.scrollWidth > f.clientWidth + 1;
  }).map((f) => `${(f.closest('section[id]') || {id: '?'}).id}: “${f.textContent.replace(/\s+/g, ' ').slice(0, 50)}” ` +
    `(${f.scrollWidth} > ${f.clientWidth} px)`));
}

module.exports = {ROOT, DIST, PARTS, ISSUE_CSP, dist, unzipLesson, fileUrl, recordViolations, violations,
  settled, debug, allBuilt, embedReady, cutFormulas, EXERCISE, h};
