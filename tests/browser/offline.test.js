'use strict';
// Offline: dist/sw-files.js lists the lesson; over http the service worker caches it on the first
// visit, and with the server stopped and the browser offline the lesson (and an embedded part)
// still loads and trains; on file:// no service worker is registered (and nothing breaks).
// Needs `make dist`.
const {describe, it, before, after} = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const I = require('./integration-helpers.js');

const h = I.h;
let browser;

before(async () => { browser = await h.launchBrowser(); });
after(async () => { if (browser) await browser.close(); });

function manifest() {
  const sandbox = {self: {}};
  vm.runInNewContext(fs.readFileSync(path.join(I.dist(), 'sw-files.js'), 'utf8'), sandbox);
  return JSON.parse(JSON.stringify(sandbox.self.NNMATH_SW));   // out of the vm's realm
}

function listFiles(dir, prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, {withFileTypes: true})) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel + '/'));
    else out.push(rel);
  }
  return out;
}

describe('offline', {timeout: 180000}, () => {
  it('sw-files.js lists every file of dist/ (but the zip and the worker) and a version', () => {
    const m = manifest();
    assert.match(m.version, /^[0-9a-f]{16}$/);
    const expected = listFiles(I.dist()).filter((f) => !['nnmath-lesson.zip', 'sw.js', 'sw-files.js'].includes(f)).sort();
    assert.deepEqual(m.files.slice(1).sort(), expected);
    assert.equal(m.files[0], './');
    for (const f of ['index.html', 'embed.html', 'js/nnmath-core-simd.js', 'js/nnmath-core-scalar.js', 'js/digits-data.js',
      'js/embed/embed.js']) assert.ok(m.files.includes(f), f);
  });

  it('over http: cached on the first visit, then works with the server gone and the browser offline', async () => {
    const srv = await h.startServer({root: I.dist(), csp: I.ISSUE_CSP});
    const context = await browser.newContext({viewport: {width: 1366, height: 900}});
    // note whether the lesson was ready when the worker was registered (js/sw-register.js waits
    // for it: caching ~80 files while the core started made the page ready later); the core's
    // WebAssembly is held back 1.5 s so that the window's load event surely comes first
    await context.addInitScript(() => {
      const inst = WebAssembly.instantiate;
      WebAssembly.instantiate = function () {
        const p = inst.apply(this, arguments);
        return new Promise((resolve) => setTimeout(resolve, 1500)).then(() => p);
      };
      const reg = ServiceWorkerContainer.prototype.register;
      ServiceWorkerContainer.prototype.register = function () {
        window.__swRegistered = {ready: !!(window.NNPageApp && window.NNPageApp.debug().ready)};
        return reg.apply(this, arguments);
      };
    });
    const page = await context.newPage();
    const problems = h.collectPageProblems(page);
    await page.goto(srv.url);
    await page.waitForFunction(() => window.NNPageApp.debug().ready, null, {timeout: 20000});
    // the worker installs (caching every listed file) and takes control of the page
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, {timeout: 30000});
    const m = manifest();
    const cached = await page.evaluate(async (version) => {
      const cache = await caches.open('nnmath-' + version);
      return (await cache.keys()).length;
    }, m.version);
    assert.equal(cached, m.files.length, 'every listed file is in the cache');
    assert.deepEqual(await page.evaluate(() => window.__swRegistered), {ready: true}, 'registered once the lesson was ready');
    assert.deepEqual(problems.errors(), []);

    await srv.close();                    // the server is gone…
    await context.setOffline(true);       // …and so is the network
    const offline = h.collectPageProblems(page);
    await page.reload();
    await page.waitForFunction(() => window.NNPageApp.debug().ready, null, {timeout: 20000});
    await page.click('[data-testid=step-epoch]');
    await page.waitForFunction(() => window.NNPageApp.debug().epoch === 1 && !window.NNPageApp.debug().training, null,
      {timeout: 20000});
    await I.EXERCISE.tangent(page);
    await I.EXERCISE.draw(page);
    assert.deepEqual(offline.errors(), []);

    // an embedded part, first opened while offline, comes from the cache too (query ignored)
    const embed = await context.newPage();
    const eproblems = h.collectPageProblems(embed);
    await embed.goto(srv.url + 'embed.html?part=training&epochs=1');
    assert.equal(await I.embedReady(embed), 'true');
    await embed.waitForFunction(() => window.NNPageApp.debug().ready, null, {timeout: 20000});
    await embed.click('[data-testid=step-epoch]');
    await embed.waitForFunction(() => window.NNPageApp.debug().epoch === 1, null, {timeout: 20000});
    assert.deepEqual(eproblems.errors(), []);
    await context.close();
  });

  it('a page that builds no network registers the worker at its load, not 10 s later', async () => {
    const srv = await h.startServer({root: I.dist(), csp: I.ISSUE_CSP});
    try {
      // an embedded part without a network (the tangent), and the lesson with a core that fails
      for (const [url, failCore] of [['embed.html?part=tangent', false], ['', true]]) {
        const context = await browser.newContext();
        await context.addInitScript((failCore) => {
          window.__times = {};
          window.addEventListener('load', () => { window.__times.load = performance.now(); });
          if (failCore) WebAssembly.instantiate = () => Promise.reject(new Error('no WebAssembly today'));
          const reg = ServiceWorkerContainer.prototype.register;
          ServiceWorkerContainer.prototype.register = function () {
            window.__times.register = performance.now();
            return reg.apply(this, arguments);
          };
        }, failCore);
        const page = await context.newPage();
        await page.goto(srv.url + url);
        // sw-register.js's time limit is 10 s after the load: this must come long before it
        await page.waitForFunction(() => window.__times.register !== undefined, null, {timeout: 6000});
        const t = await page.evaluate(() => window.__times);
        assert.ok(t.register - t.load < 3000, `${url || 'index.html'}: registered ${Math.round(t.register - t.load)} ms after the load`);
        if (failCore) {
          await page.waitForFunction(() => /could not start: no WebAssembly today/.test(document.getElementById('notes').textContent),
            null, {timeout: 5000});
        }
        else assert.equal(await page.evaluate(() => window.NNPageApp.ready()), true);
        await context.close();
      }
    } finally { await srv.close(); }
  });

  it('a lesson that never starts (its core hangs) still registers the worker 10 s after the load', async () => {
    const srv = await h.startServer({root: I.dist(), csp: I.ISSUE_CSP});
    const context = await browser.newContext();
    try {
      await context.clock.install();        // the page's timers run on a clock the test moves
      await context.addInitScript(() => {
        window.__times = {};
        window.addEventListener('load', () => { window.__times.load = Date.now(); });
        WebAssembly.instantiate = () => new Promise(() => {});   // never settles: never ready
        const reg = ServiceWorkerContainer.prototype.register;
        ServiceWorkerContainer.prototype.register = function () {
          window.__times.register = Date.now();
          return reg.apply(this, arguments);
        };
      });
      const page = await context.newPage();
      await page.goto(srv.url);
      await page.waitForFunction(() => window.__times.load !== undefined, null, {timeout: 20000});
      await page.clock.runFor(9000);
      assert.equal(await page.evaluate(() => window.__times.register), undefined, 'not yet: the lesson may still start');
      assert.equal(await page.evaluate(() => window.NNPageApp.ready()), false);
      await page.clock.runFor(1500);
      const t = await page.evaluate(() => window.__times);
      assert.ok(t.register !== undefined, 'registered once the 10 s were up');
      assert.ok(t.register - t.load >= 10000 && t.register - t.load < 10500, `registered ${t.register - t.load} ms after the load`);
      assert.equal(await page.evaluate(() => window.NNPageApp.ready()), false, 'the lesson never started');
    } finally { await context.close(); await srv.close(); }
  });

  it('on file:// no service worker is registered and nothing asks for one', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = h.collectPageProblems(page);
    await page.goto(I.fileUrl(I.dist(), 'index.html'));
    await page.waitForFunction(() => window.NNPageApp.debug().ready, null, {timeout: 20000});
    await page.waitForTimeout(500);
    const regs = await page.evaluate(async () => (navigator.serviceWorker && navigator.serviceWorker.getRegistrations
      ? (await navigator.serviceWorker.getRegistrations().catch(() => [])).length : 0));
    assert.equal(regs, 0);
    assert.ok(!problems.requests.some((u) => /\/sw(-files)?\.js$/.test(u)), 'sw.js is not requested');
    assert.deepEqual(problems.errors(), []);
    await context.close();
  });
});
