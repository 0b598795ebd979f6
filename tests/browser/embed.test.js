'use strict';
// Embedding: embed.html?part=<id> for every part (alone, chrome-less, settings from the URL, from
// 320 px wide up), the message for an unknown part, the "Embed this" dialog of the main page, and
// a host page on another origin with two iframes made from the dialog's code plus embed.js: both
// load and get their content's height by postMessage.  Screenshots: tests/artifacts/embed-*.png.
// Needs `make dist`.
const {describe, it, before, after} = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const I = require('./integration-helpers.js');

const h = I.h;
const OUT = h.artifactsDir();
let browser, lesson;

before(async () => {
  browser = await h.launchBrowser();
  lesson = await h.startServer({root: I.dist(), csp: I.ISSUE_CSP});
});
after(async () => {
  if (browser) await browser.close();
  if (lesson) await lesson.close();
});

async function openEmbed(query, viewport) {
  const context = await browser.newContext({viewport: viewport || {width: 1000, height: 800}, deviceScaleFactor: 1,
    reducedMotion: 'reduce'});
  const page = await context.newPage();
  const problems = h.collectPageProblems(page);
  await page.goto(lesson.url + 'embed.html' + query);
  const ready = await I.embedReady(page);
  return {context, page, problems, ready};
}

describe('embed.html', {timeout: 600000}, () => {
  for (const w of [320, 1366]) {
    it(`every part alone at ${w}px: chrome-less, no sideways scrolling, no errors`, async () => {
      for (const id of I.PARTS.ids()) {
        const {context, page, problems, ready} = await openEmbed('?part=' + id, {width: w, height: 800});
        assert.equal(ready, 'true', id);
        assert.equal(await page.locator(`section#${id}.part`).count(), 1, `${id} is mounted`);
        assert.equal(await page.locator('.site-header, .toc, .site-footer, .skip-link').count(), 0, `${id}: no site chrome`);
        assert.match(await page.textContent('.embed-credit'), /CC BY 4\.0/);
        const href = await page.getAttribute('#embed-full', 'href');
        assert.ok(href.startsWith('index.html#' + id), `${id}: full-lesson link ${href}`);
        const part = I.PARTS.get(id);
        assert.equal(await page.locator('#trainbar').count(), part.bar ? 1 : 0, `${id}: training strip`);
        if (part.model !== false) await page.waitForFunction(() => window.NNPageApp.debug().ready, null, {timeout: 20000});
        if (part.train === 'auto') {
          await page.waitForFunction(() => { const d = window.NNPageApp.debug(); return d.epoch === d.state.epochs && d.settled; },
            null, {timeout: 60000});
        } else if (part.model !== false) await I.settled(page);
        await page.waitForTimeout(150);
        await page.screenshot({path: path.join(OUT, `embed-${id}-${w}.png`), fullPage: true});
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, `${id}: no sideways scrolling at ${w}px`);
        assert.deepEqual(await I.cutFormulas(page), [], `${id}: every formula fits its box at ${w}px`);
        assert.deepEqual(problems.errors(), [], id);
        assert.deepEqual(problems.requestsOutside(lesson.url), [], id);
        await context.close();
      }
    });
  }

  it('an unknown or missing part: a clear message listing the valid names', async () => {
    for (const q of ['?part=nope', '', '?part=%3Cscript%3E']) {
      const {context, page, problems, ready} = await openEmbed(q);
      assert.equal(ready, 'error');
      const text = await page.textContent('[data-testid=embed-error]');
      for (const id of I.PARTS.ids()) assert.ok(text.includes(id), `lists ${id}`);
      if (q === '?part=nope') assert.match(text, /no part called “nope”/);
      if (q === '') assert.match(text, /Which part/);
      assert.equal(await page.locator('[data-testid=embed-error] script, [data-testid=embed-error] img').count(), 0);
      const links = await page.$$eval('.embed-part-list a', (as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(links, I.PARTS.ids().map((id) => 'embed.html?part=' + id));
      assert.deepEqual(problems.errors(), []);
      await context.close();
    }
  });

  it('a part whose script is missing (a badly copied folder): a plain message, its scripts asked for together', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-embed-missing-'));
    let srv = null;
    try {
      fs.cpSync(I.dist(), dir, {recursive: true});
      fs.rmSync(path.join(dir, 'js', 'learn', 'ball.js'));
      srv = await h.startServer({root: dir, csp: I.ISSUE_CSP});
      const context = await browser.newContext({viewport: {width: 1000, height: 800}});
      const page = await context.newPage();
      const asked = [];
      page.on('request', (r) => asked.push(r.url().slice(srv.url.length)));
      await page.goto(srv.url + 'embed.html?part=ball');
      assert.equal(await I.embedReady(page), 'error');
      assert.match(await page.textContent('[role=alert]'), /This part could not start: js\/learn\/ball\.js is missing/);
      // the scripts after the missing one were requested too (all at once, not one after another)
      const after = I.PARTS.get('ball').scripts.slice(I.PARTS.get('ball').scripts.indexOf('js/learn/ball.js') + 1);
      assert.ok(after.length && after.every((f) => asked.includes(f)), 'requested: ' + asked.join(' '));
      await context.close();
    } finally {
      if (srv) await srv.close();
      fs.rmSync(dir, {recursive: true, force: true});
    }
  });

  it('settings come from the query and the hash (the hash wins); train=auto|manual', async () => {
    let {context, page} = await openEmbed('?part=forward&preset=improved&digit=7&lr=0.05#digit=12');
    await page.waitForFunction(() => window.NNPageApp.debug().ready);
    let d = await I.debug(page);
    assert.equal(d.state.digit, 12);
    assert.equal(d.state.lr, 0.05);
    assert.deepEqual(d.state.layers, [32]);
    assert.equal(d.state.activation, 'relu');
    assert.equal(d.epoch, 0, 'forward starts untrained (train=manual)');
    assert.match(await page.textContent('[data-testid=trainbar-epoch]'), /Epoch 0 of 30/);
    assert.match(await page.evaluate(() => location.hash), /digit=12/);
    await page.click('[data-testid=trainbar-train]');
    await page.waitForFunction(() => window.NNPageApp.debug().epoch >= 1, null, {timeout: 20000});
    await page.click('[data-testid=trainbar-train]');   // pause
    await context.close();

    ({context, page} = await openEmbed('?part=evaluation&epochs=2&train=manual'));
    await page.waitForFunction(() => window.NNPageApp.debug().ready);
    await page.waitForTimeout(300);
    d = await I.debug(page);
    assert.equal(d.epoch, 0, 'train=manual: no training on load');
    await context.close();

    ({context, page} = await openEmbed('?part=forward&epochs=2&train=auto'));
    await page.waitForFunction(() => window.NNPageApp.debug().epoch === 2, null, {timeout: 20000});
    await context.close();

    // draw without settings: the Improved network, trained on load
    ({context, page} = await openEmbed('?part=draw'));
    await page.waitForFunction(() => { const d = window.NNPageApp.debug(); return d.state.preset === 'improved' && d.epoch === 30; },
      null, {timeout: 60000});
    await I.EXERCISE.draw(page);
    await context.close();

    // a bad setting is clamped with a visible note
    ({context, page} = await openEmbed('?part=cost&lr=99'));
    assert.match(await page.textContent('#notes'), /learning rate/);
    await context.close();
  });

  it('the full-lesson link opens the main page at that part with the same settings', async () => {
    const {context, page} = await openEmbed('?part=cost&preset=improved&digit=42');
    await page.waitForFunction(() => window.NNPageApp.debug().ready);
    const href = await page.getAttribute('#embed-full', 'href');
    const main = await context.newPage();
    const problems = h.collectPageProblems(main);
    await main.goto(lesson.url + href);
    await main.waitForFunction(() => window.NNPageApp.debug().ready);
    const d = await I.debug(main);
    assert.equal(d.state.preset, 'improved');
    assert.equal(d.state.digit, 42);
    await main.waitForFunction(() => { const r = document.getElementById('cost').getBoundingClientRect(); return Math.abs(r.top) < 120; });
    assert.ok(await main.evaluate(() => document.getElementById('notes').hidden), 'no note about the part name');
    assert.deepEqual(problems.errors(), []);
    await context.close();

    // a part that loads neither the digits nor the network keeps the chosen digit all the same
    const other = await openEmbed('?part=reflect#preset=improved&digit=7');
    assert.equal(other.ready, 'true');
    assert.equal((await I.debug(other.page)).state.digit, 7);
    assert.match(await other.page.evaluate(() => location.hash), /(^#|&)digit=7(&|$)/);
    await other.page.hover('#embed-full');
    assert.match(await other.page.getAttribute('#embed-full', 'href'), /^index\.html#reflect&.*\bdigit=7\b/);
    assert.deepEqual(other.problems.errors(), []);
    await other.context.close();
  });

  it('a link to another part ("part 3") opens that part of the full lesson in a new tab, settings kept', async () => {
    const {context, page, problems} = await openEmbed('?part=evaluation&train=auto#preset=improved&epochs=2');
    await page.waitForFunction(() => { const d = window.NNPageApp.debug(); return d.ready && !d.training && d.epoch >= 2; },
      null, {timeout: 60000});
    await page.locator('#evaluation .gallery .card').first().click();
    const before = await page.evaluate(() => location.hash);
    const link = page.locator('#evaluation a', {hasText: 'part 3'});
    assert.equal(await link.getAttribute('href'), '#forward', 'the part writes an in-page link');
    const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
    assert.match(await link.getAttribute('href'), /^index\.html#forward&/);
    assert.equal(await link.getAttribute('target'), '_blank');
    await tab.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().ready, null, {timeout: 60000});
    const here = await I.debug(page), there = await I.debug(tab);
    assert.equal(there.state.epochs, 2);
    assert.equal(there.state.digit, here.state.digit, 'the digit chosen in the embed');
    await tab.waitForFunction(() => Math.abs(document.getElementById('forward').getBoundingClientRect().top) < 120);
    assert.equal(await page.evaluate(() => location.hash), before, 'the embed keeps its settings');
    assert.deepEqual(problems.errors(), []);
    await context.close();
  });
});

describe('the "Embed this" dialog', {timeout: 120000}, () => {
  it('shows the code for each part, copies it, is keyboard-usable and closes with Escape', async () => {
    const context = await browser.newContext({viewport: {width: 1366, height: 900}});
    const page = await context.newPage();
    const problems = h.collectPageProblems(page);
    await page.goto(lesson.url + 'index.html#preset=improved&digit=5');
    await page.waitForFunction(() => window.NNPageApp.debug().ready);
    await I.allBuilt(page);
    const buttons = await page.$$eval('.part-head .embed-btn', (bs) => bs.map((b) => b.dataset.testid));
    assert.deepEqual(buttons, I.PARTS.ids().map((id) => 'embed-' + id), 'one button per part');
    await page.focus('[data-testid=embed-forward]');
    await page.keyboard.press('Enter');
    const dialog = page.locator('[data-testid=embed-dialog]');
    assert.ok(await dialog.evaluate((d) => d.open));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'embed-part', 'focus moves into the dialog');
    let code = await page.inputValue('[data-testid=embed-code]');
    assert.equal(code, `<iframe src="${lesson.url}embed.html?part=forward&amp;preset=improved&amp;digit=5" data-nnmath-embed ` +
      `title="nnmath: Forward propagation" width="100%" height="1000" loading="lazy"></iframe>\n` +
      `<script src="${lesson.url}js/embed/embed.js"></script>`);
    await page.selectOption('[data-testid=embed-part]', 'tangent');
    await page.uncheck('#embed-with-state');
    code = await page.inputValue('[data-testid=embed-code]');
    assert.match(code, /embed\.html\?part=tangent" data-nnmath-embed title="nnmath: The slope of a tangent"/);
    await page.click('[data-testid=embed-copy]');
    await page.waitForFunction(() => document.querySelector('.embed-status').textContent !== '');
    assert.match(await page.textContent('.embed-status'), /Copied|Ctrl\+C/);
    // Tab stays inside the modal dialog
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => document.querySelector('[data-testid=embed-dialog]').contains(document.activeElement)),
        'focus stays in the dialog');
    }
    await page.keyboard.press('Escape');
    assert.equal(await dialog.evaluate((d) => d.open), false);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'embed-forward', 'focus returns to the button');
    assert.deepEqual(problems.errors(), []);
    await context.close();
  });
});

describe('a host page with two embedded parts (another origin)', {timeout: 300000}, () => {
  let host, hostDir, snippets;

  before(async () => {
    // the code, as a teacher gets it from the dialog
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(lesson.url + 'index.html#preset=improved&epochs=3');
    await page.waitForFunction(() => window.NNPageApp.debug().ready);
    await I.allBuilt(page);
    snippets = [];
    for (const id of ['forward', 'tangent']) {
      await page.click(`[data-testid=embed-${id}]`);
      snippets.push(await page.inputValue('[data-testid=embed-code]'));
      await page.keyboard.press('Escape');
    }
    await context.close();
    hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-host-'));
    fs.writeFileSync(path.join(hostDir, 'index.html'), [
      '<!doctype html><html lang="en"><head><meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>An infographic</title>',
      '<style>body { margin: 0; font-family: sans-serif; } p { margin: 1rem; }</style></head><body>',
      '<p>Our infographic. First, forward propagation:</p>', snippets[0],
      '<p>Then: the slope of a tangent.</p>', snippets[1], '<p>The end.</p></body></html>'].join('\n'));
    host = await h.startServer({root: hostDir});
  });
  after(async () => {
    if (host) await host.close();
    if (hostDir) fs.rmSync(hostDir, {recursive: true, force: true});
  });

  for (const [w, hgt] of [[320, 640], [1366, 900]]) {
    it(`both load and get their heights by postMessage at ${w}px`, async () => {
      assert.notEqual(new URL(host.url).origin, new URL(lesson.url).origin, 'the host is another origin');
      const context = await browser.newContext({viewport: {width: w, height: hgt}, deviceScaleFactor: 1});
      await context.addInitScript(() => {
        if (window.top !== window) return;
        window.__heights = [];
        window.addEventListener('message', (e) => { if (e.data && e.data.type === 'nnmath:height') window.__heights.push(e.data); });
      });
      const page = await context.newPage();
      const problems = h.collectPageProblems(page);
      await page.goto(host.url);
      const frames = page.locator('iframe[data-nnmath-embed]');
      assert.equal(await frames.count(), 2);
      const results = [];
      for (let i = 0; i < 2; i++) {
        const el = frames.nth(i);
        await el.scrollIntoViewIfNeeded();
        const frame = await (await el.elementHandle()).contentFrame();
        await frame.waitForFunction(() => document.documentElement.getAttribute('data-embed-ready') === 'true', null, {timeout: 20000});
        if (i === 0) await frame.waitForFunction(() => window.NNPageApp.debug().ready && window.NNPageApp.debug().settled, null, {timeout: 20000});
        // the frame's height follows its content (give the last message time to arrive)
        let content = 0, box = 0;
        for (let k = 0; k < 60; k++) {
          await page.waitForTimeout(100);
          content = await frame.evaluate(() => window.NNEmbedPage.height());
          box = (await el.boundingBox()).height;
          if (Math.abs(content - box) <= 3 && box > 300) break;
        }
        assert.ok(Math.abs(content - box) <= 3, `frame ${i}: height ${box} vs content ${content}`);
        const inner = await frame.evaluate(() => ({overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          overflowY: document.documentElement.scrollHeight - document.documentElement.clientHeight}));
        assert.ok(inner.overflowX <= 0, `frame ${i}: no sideways scrolling`);
        assert.ok(inner.overflowY <= 3, `frame ${i}: no scrolling inside the frame (${inner.overflowY})`);
        results.push(box);
        await el.screenshot({path: path.join(OUT, `embed-host-${w}-${i + 1}.png`)});
      }
      const heights = await page.evaluate(() => window.__heights);
      assert.ok(heights.some((m) => m.part === 'forward') && heights.some((m) => m.part === 'tangent'));
      for (const m of heights) {
        assert.deepEqual(Object.keys(m).sort(), ['height', 'id', 'part', 'type']);
        assert.ok(Number.isInteger(m.height) && m.height > 0);
      }
      // messages of the wrong shape or from elsewhere change nothing
      const before = await frames.evaluateAll((fs) => fs.map((f) => f.style.height));
      await page.evaluate(() => window.postMessage({type: 'nnmath:height', part: 'forward', height: 50, id: ''}, '*'));
      const f0 = await (await frames.nth(0).elementHandle()).contentFrame();
      await f0.evaluate(() => {
        parent.postMessage({type: 'nnmath:height', height: 'tall'}, '*');
        parent.postMessage({type: 'nnmath:height', height: 1e9}, '*');
        parent.postMessage('nnmath:height 50', '*');
      });
      await page.waitForTimeout(200);
      assert.deepEqual(await frames.evaluateAll((fs) => fs.map((f) => f.style.height)), before);
      assert.deepEqual(problems.errors(), []);
      console.log(`# host page at ${w}px: frame heights ${results.join(', ')}`);
      await context.close();
    });
  }
});
