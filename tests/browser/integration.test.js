'use strict';
// The whole lesson as it ships: the part list and index.html agree; the unzipped
// dist/nnmath-lesson.zip opened from file:// — every part of the main page and every embed used
// once, every request counted (none may leave the folder), no console errors; served over http
// with the issue's Content-Security-Policy (and the harness's stricter one): no violation, and
// training works.  Screenshots of the new sections: tests/artifacts/integration-*.png.
// Needs `make dist`.
const {describe, it, before, after} = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const I = require('./integration-helpers.js');

const h = I.h;
const OUT = h.artifactsDir();
let browser;

before(async () => { browser = await h.launchBrowser(); });
after(async () => { if (browser) await browser.close(); });

describe('the part list (js/page/part-list.js) and the pages', () => {
  const web = path.join(I.ROOT, 'web');
  const index = fs.readFileSync(path.join(web, 'index.html'), 'utf8');
  const scriptsOf = (html) => [...html.matchAll(/<script src="([^"]+)"(?: defer)?><\/script>/g)].map((m) => m[1]);

  it('lists each part once, with files that exist and an adapter that registers it', () => {
    const ids = I.PARTS.ids();
    assert.equal(new Set(ids).size, ids.length);
    for (const p of I.PARTS.PARTS) {
      assert.match(p.id, /^[a-z][a-z0-9-]*$/);
      assert.ok(p.title && p.height > 0, p.id);
      for (const f of p.scripts.concat(p.css)) assert.ok(fs.existsSync(path.join(web, f)), `${p.id}: web/${f} is missing`);
      const adapter = p.scripts[p.scripts.length - 1];
      assert.equal(adapter, `js/page/part-${p.id}.js`, `${p.id}: the adapter comes last`);
      assert.match(fs.readFileSync(path.join(web, adapter), 'utf8'), new RegExp(`NNPageParts\\.${p.id.replace('-', '\\-')}\\s*=|NNPageParts\\['${p.id}'\\]\\s*=`));
    }
    for (const f of I.PARTS.BASICS.concat(I.PARTS.TRAINBAR.scripts, ['js/page/app.js', 'js/embed/embed-page.js',
      'js/embed/embed.js', 'js/embed/embed-dialog.js', 'js/sw-register.js', 'sw.js', 'embed.html'])) {
      assert.ok(fs.existsSync(path.join(web, f)), `web/${f} is missing`);
    }
  });

  it('index.html has every part: section, table of contents, styles; the first part\'s scripts before app.js, no lazy part\'s', () => {
    const sections = [...index.matchAll(/<section id="([^"]+)"><\/section>/g)].map((m) => m[1]);
    assert.deepEqual(sections, I.PARTS.ids(), 'the sections are the list, in lesson order');
    const toc = [...index.matchAll(/<a href="#([^"]+)"><span class="toc-n">/g)].map((m) => m[1]);
    assert.deepEqual(toc, I.PARTS.ids(), 'the table of contents follows the sections');
    const scripts = scriptsOf(index);
    const app = scripts.indexOf('js/page/app.js');
    assert.ok(app > 0);
    const eager = I.PARTS.PARTS.filter((p) => !p.lazy);
    assert.ok(eager.length >= 1 && eager.length < I.PARTS.PARTS.length, 'the first part is built with the page, the others later');
    for (const p of I.PARTS.PARTS) {
      let last = -1;
      for (const s of p.scripts) {
        const at = scripts.indexOf(s);
        // a lazy part's scripts are loaded by js/page/app.js when the part is built (the page
        // starts with less to fetch and run), unless the page's first parts need them too
        if (p.lazy && !eager.some((q) => q.scripts.includes(s))) {
          assert.equal(at, -1, `${p.id} is lazy: index.html must not load ${s} itself`);
          continue;
        }
        assert.ok(at >= 0 && at < app, `${p.id}: index.html loads ${s} before js/page/app.js`);
        assert.ok(at > last, `${p.id}: ${s} in the listed order`);
        last = at;
      }
      // a lazy part's style sheets come with its scripts (before css/parts.css), but print.css,
      // which printing needs before every part is built
      for (const c of p.css) {
        const link = new RegExp(`<link rel="stylesheet" href="${c}"( media="print")?>`);
        if (p.lazy && c !== 'css/print.css' && !eager.some((q) => q.css.includes(c))) assert.doesNotMatch(index, link, `${p.id}: ${c} is loaded with the part`);
        else assert.match(index, link, `${p.id}: ${c}`);
      }
    }
    assert.match(index, /<link rel="stylesheet" href="css\/parts\.css" data-part-styles-before>/);
    assert.ok(scripts.indexOf('js/page/part-list.js') < scripts.indexOf('js/page/part-data.js'));
    assert.ok(scripts.includes('js/sw-register.js') && scripts.includes('js/embed/embed-dialog.js'));
  });

  it('no inline script, handler or style in the pages', () => {
    for (const f of ['index.html', 'embed.html']) {
      const html = fs.readFileSync(path.join(web, f), 'utf8');
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, f);
      assert.doesNotMatch(html, /\son[a-z]+\s*=/i, f);
      assert.doesNotMatch(html, /\sstyle\s*=|<style/i, f);
    }
  });
});

describe('the unzipped lesson from file:// (the USB stick)', {timeout: 600000}, () => {
  let dir, base;
  before(() => { dir = I.unzipLesson(); base = I.fileUrl(dir, '') ; });

  function count(requests) {
    const c = {total: requests.length, inFolder: 0, dataOrBlob: 0, outside: []};
    for (const u of requests) {
      if (u.startsWith(base)) c.inFolder++;
      else if (/^(data|blob):/.test(u)) c.dataOrBlob++;
      else c.outside.push(u);
    }
    return c;
  }

  it('index.html: every part works, no request outside the folder, no console errors', async () => {
    const context = await browser.newContext({viewport: {width: 1366, height: 900}});
    const page = await context.newPage();
    const problems = h.collectPageProblems(page);
    await page.goto(I.fileUrl(dir, 'index.html'));
    await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().ready, null, {timeout: 20000});
    const early = await I.debug(page);
    for (const p of I.PARTS.PARTS) if (!p.lazy) assert.ok(early.parts.includes(p.id), p.id + ' is built at once');
    console.log(`# built at once: ${early.parts.join(', ')}; later: ${early.waiting.join(', ') || '(none left)'}`);
    await I.allBuilt(page);
    const mounted = await page.evaluate(() => window.NNPageApp.parts());
    assert.deepEqual(mounted, I.PARTS.ids(), 'every listed part is on the page');
    const done = [];
    for (const id of mounted) {
      await page.locator('#' + id).scrollIntoViewIfNeeded();
      assert.ok(await page.locator(`#${id} .part-head h2`).count(), `${id} has its heading`);
      assert.ok(I.EXERCISE[id], `no EXERCISE for the part "${id}" in tests/browser/integration-helpers.js`);
      done.push(id + ': ' + await I.EXERCISE[id](page));
    }
    const nums = await page.$$eval('.part-num', (els) => els.map((e) => e.textContent));
    assert.deepEqual(nums, mounted.map((_, i) => String(i + 1)), 'the parts are numbered in page order');
    const c = count(problems.requests);
    console.log(`# file:// main page: ${c.total} requests, ${c.inFolder} in the lesson folder, ` +
      `${c.dataOrBlob} data:/blob:, ${c.outside.length} outside; used: ${done.join('; ')}`);
    assert.deepEqual(c.outside, [], 'requests outside the unzipped folder');
    assert.ok(c.inFolder >= 20);
    assert.deepEqual(problems.errors(), []);
    assert.ok(!problems.requests.some((u) => /sw\.js$/.test(u)), 'no service worker on file://');
    assert.equal(await page.evaluate(() => document.cookie), '');
    await context.close();
  });

  it('index.html starts with the first part\'s scripts only; a lazy part whose script is missing says so, the rest works', async () => {
    // a copy of the unzipped folder without the "Looking back" part's adapter and the Chart.js copy
    const broken = fs.mkdtempSync(path.join(require('os').tmpdir(), 'nnmath-missing-'));
    try {
      fs.cpSync(dir, broken, {recursive: true});
      fs.rmSync(path.join(broken, 'js', 'page', 'part-reflect.js'));
      fs.rmSync(path.join(broken, 'vendor', 'chart.line.min.js'));
      const context = await browser.newContext({viewport: {width: 1366, height: 900}});
      const page = await context.newPage();
      const problems = h.collectPageProblems(page);
      await page.goto(I.fileUrl(broken, 'index.html'));
      await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().ready, null, {timeout: 20000});
      const early = await I.debug(page);
      for (const p of I.PARTS.PARTS) if (!p.lazy) assert.ok(early.parts.includes(p.id), p.id + ' is built at once');
      // the scripts of parts further down than a screen: not requested until the reader does
      // something (or the page's 4 s timer fires, which only a very busy machine lets happen first)
      const lazyOnly = ['js/landscape/surface3d.js', 'vendor/chart.line.min.js', 'js/reflect/reflect.js', 'css/landscape.css'];
      const asked = (f) => problems.requests.some((u) => u.endsWith('/' + f));
      if (['landscape', 'training', 'experiments', 'reflect'].every((id) => early.waiting.includes(id))) {
        for (const f of lazyOnly) assert.ok(!asked(f), f + ' is not requested before the reader does anything');
      } else console.log('# the page had started building every part before it was ready (a busy machine)');
      await I.allBuilt(page);
      for (const f of lazyOnly) assert.ok(asked(f), f + ' is requested once the reader does something');
      const mounted = await page.evaluate(() => window.NNPageApp.parts());
      assert.deepEqual(mounted, I.PARTS.ids().filter((id) => id !== 'reflect'), 'every part but the broken one is built');
      const sheets = await page.$$eval('link[rel=stylesheet]', (ls) => ls.map((l) => l.getAttribute('href')));
      assert.ok(sheets.indexOf('css/landscape.css') > sheets.indexOf('css/page.css') &&
        sheets.indexOf('css/landscape.css') < sheets.indexOf('css/parts.css'), 'a part\'s sheet goes before css/parts.css: ' + sheets);
      assert.equal(sheets.filter((x) => x === 'css/learn.css').length, 1, 'a sheet two parts share is added once');
      const alert = await page.locator('#reflect [role=alert]').textContent();
      assert.match(alert, /Looking back/);
      assert.match(alert, /js\/page\/part-reflect\.js is missing/);
      assert.match(alert, /copy the whole folder again/);
      // the training part works without Chart.js: it says so and keeps the table
      await page.locator('#training').scrollIntoViewIfNeeded();
      assert.match(await page.locator('#training').textContent(), /chart library \(vendor\/chart\.line\.min\.js\) is missing/);
      await page.click('[data-testid=step-epoch]');
      await page.waitForFunction(() => window.NNPageApp.debug().epoch >= 1, null, {timeout: 20000});
      assert.ok(await page.locator('#training .history-table tbody tr').count() >= 1);
      const errors = problems.errors().filter((e) => !/part-reflect\.js|chart\.line\.min\.js/.test(e));
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      fs.rmSync(broken, {recursive: true, force: true});
    }
  });

  it('embed.html?part=… for every part: works alone, no request outside the folder, no console errors', async () => {
    const context = await browser.newContext({viewport: {width: 1000, height: 900}});
    const totals = {total: 0, inFolder: 0, dataOrBlob: 0};
    for (const id of I.PARTS.ids()) {
      const page = await context.newPage();
      const problems = h.collectPageProblems(page);
      await page.goto(I.fileUrl(dir, 'embed.html') + '?part=' + id);
      assert.equal(await I.embedReady(page), 'true', id);
      const what = await I.EXERCISE[id](page);
      assert.equal(await page.locator('.site-header, .toc, .site-footer').count(), 0, `${id}: chrome-less`);
      const c = count(problems.requests);
      totals.total += c.total; totals.inFolder += c.inFolder; totals.dataOrBlob += c.dataOrBlob;
      assert.deepEqual(c.outside, [], `${id}: requests outside the folder`);
      assert.deepEqual(problems.errors(), [], `${id} (${what})`);
      await page.close();
    }
    console.log(`# file:// embeds: ${totals.total} requests, ${totals.inFolder} in the folder, ${totals.dataOrBlob} data:/blob:, 0 outside`);
    await context.close();
  });
});

describe('served with a strict Content-Security-Policy', {timeout: 300000}, () => {
  for (const [name, csp] of [['the issue\'s policy', I.ISSUE_CSP], ['the harness\'s stricter policy', h.STRICT_CSP]]) {
    it(`${name}: no violation, training works, every part used`, async () => {
      const srv = await h.startServer({root: I.dist(), csp});
      const context = await browser.newContext({viewport: {width: 1366, height: 900}});
      await I.recordViolations(context);
      const page = await context.newPage();
      const problems = h.collectPageProblems(page);
      await page.goto(srv.url + 'index.html#preset=improved&epochs=3');
      await page.waitForFunction(() => window.NNPageApp.debug().ready, null, {timeout: 20000});
      await I.allBuilt(page);
      await page.click('[data-testid=train]');
      await page.waitForFunction(() => { const d = window.NNPageApp.debug(); return !d.training && d.epoch === 3; },
        null, {timeout: 30000});
      await I.settled(page);
      const acc = parseFloat(await page.textContent('[data-testid=test-accuracy]'));
      assert.ok(acc > 85, 'trained: test accuracy ' + acc);
      for (const id of I.PARTS.ids()) {
        if (id === 'network' || id === 'training') continue;   // (trained above; the preset stays)
        await page.locator('#' + id).scrollIntoViewIfNeeded();
        await I.EXERCISE[id](page);
      }
      // the embed dialog and an embed page under the same policy
      await page.click('[data-testid=embed-forward]');
      await page.keyboard.press('Escape');
      const embed = await context.newPage();
      const eproblems = h.collectPageProblems(embed);
      await embed.goto(srv.url + 'embed.html?part=evaluation&epochs=2');
      await I.embedReady(embed);
      await embed.waitForFunction(() => { const d = window.NNPageApp.debug(); return d.epoch === 2 && !d.training; },
        null, {timeout: 30000});
      assert.deepEqual(await I.violations(page), []);
      assert.deepEqual(await I.violations(embed), []);
      const cspErrors = problems.consoleMessages.concat(eproblems.consoleMessages)
        .filter((m) => /Content Security Policy|Refused to/i.test(m.text));
      assert.deepEqual(cspErrors, []);
      assert.deepEqual(problems.errors().concat(eproblems.errors()), []);
      assert.deepEqual(problems.requestsOutside(srv.url).concat(eproblems.requestsOutside(srv.url)), []);
      // the recorder works: an inline script is refused and reported
      await page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true;';
        document.body.appendChild(s);
      });
      await page.waitForFunction(() => window.__cspViolations.length > 0);
      assert.match((await I.violations(page))[0], /^script-src/);
      assert.equal(await page.evaluate(() => window.__inlineRan), undefined);
      await context.close();
      await srv.close();
    });
  }
});

describe('screenshots of the new sections', {timeout: 300000}, () => {
  for (const [w, hgt] of [[360, 740], [1366, 900]]) {
    it(`${w}px`, async () => {
      const context = await browser.newContext({viewport: {width: w, height: hgt}, deviceScaleFactor: 1, reducedMotion: 'reduce'});
      const page = await context.newPage();
      const problems = h.collectPageProblems(page);
      await page.goto(I.fileUrl(I.dist(), 'index.html') + '#preset=improved&epochs=5');
      await page.waitForFunction(() => window.NNPageApp.debug().ready, null, {timeout: 20000});
      await I.allBuilt(page);
      await page.click('[data-testid=train]');
      await page.waitForFunction(() => { const d = window.NNPageApp.debug(); return !d.training && d.epoch === 5 && d.settled; },
        null, {timeout: 30000});
      await I.EXERCISE.draw(page);
      await I.EXERCISE.landscape(page);
      for (const id of ['forward', 'tangent', 'ball', 'backprop', 'landscape', 'draw', 'experiments', 'save', 'reflect']) {
        await page.locator('#' + id).screenshot({path: path.join(OUT, `integration-${id}-${w}.png`)});
      }
      await page.click('[data-testid=embed-draw]');
      await page.screenshot({path: path.join(OUT, `integration-embed-dialog-${w}.png`)});
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no sideways scrolling');
      assert.deepEqual(await I.cutFormulas(page), [], 'every formula fits its box');
      if (w === 360) {   // and on the narrowest phones
        await page.keyboard.press('Escape');
        await page.setViewportSize({width: 320, height: hgt});
        await page.waitForTimeout(300);
        assert.deepEqual(await I.cutFormulas(page), [], 'every formula fits its box at 320px');
        assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0,
          'no sideways scrolling at 320px');
      }
      assert.deepEqual(problems.errors(), []);
      await context.close();
    });
  }
});
