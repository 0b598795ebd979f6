'use strict';
// The Content Security Policy: served with the issue's policy as a header (and with the harness's
// stricter one), and from file:// with the pages' own <meta> policy, the lesson trains the
// Improved network with no CSP violation and no console error; every standalone page and embed
// loads cleanly under it too.  A static scan keeps inline scripts, inline handlers, style
// attributes and eval out of the HTML and the page's own scripts.
const {describe, it, before, after} = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const A = require('./a11y-helpers.js');

const root = A.root();
let browser;

before(async () => { browser = await A.harness.launchBrowser(); });
after(async () => { if (browser) await browser.close(); });

/* A page whose CSP violations are recorded from the very start (an init script runs before the
 * page's own scripts and is not subject to its policy). */
async function watchedPage(opts = {}) {
  const context = await browser.newContext(Object.assign({viewport: {width: 1280, height: 900}}, opts));
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ` +
        `${e.sourceFile || '?'}:${e.lineNumber || 0}${e.sample ? ' "' + e.sample + '"' : ''}`);
    }, true);
  });
  const page = await context.newPage();
  const problems = A.harness.collectPageProblems(page);
  return {context, page, problems};
}
const violations = (page) => page.evaluate(() => window.__cspViolations || ['(no recorder)']);

/* Improved network, three epochs with "One epoch" (so no timing matters), then the accuracy. */
async function trainImproved(page) {
  await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().ready, null, {timeout: 30000});
  await page.click('[data-testid=preset-improved]');
  await page.waitForFunction(() => { const d = window.NNPageApp.debug(); return d.ready && d.state.preset === 'improved'; });
  for (let e = 1; e <= 3; e++) {
    await page.click('[data-testid=step-epoch]');
    await page.waitForFunction((n) => { const d = window.NNPageApp.debug(); return d.epoch >= n && !d.training; }, e,
      {timeout: 30000, polling: 50});
  }
  await page.waitForFunction(() => window.NNPageApp.debug().settled, null, {timeout: 10000});
  assert.equal(await page.textContent('[data-testid=epoch]'), '3');
  const acc = await page.textContent('[data-testid=test-accuracy]');
  assert.match(acc, /^\d{1,3}\.\d%$/);
  assert.ok(parseFloat(acc) > 80, 'three epochs of the Improved network read ' + acc);
  // the chart is drawn under the policy too
  await page.locator('[data-testid=cost-chart]').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('[data-testid=cost-chart]')),
    null, {timeout: 10000});
  return acc;
}

describe('served with a CSP header', {timeout: 300000}, () => {
  for (const [name, policy] of [['the issue\'s policy', A.ISSUE_CSP], ['the harness\'s stricter policy', A.harness.STRICT_CSP]]) {
    it(`${name}: the lesson trains with no violation and no error`, async (t) => {
      const server = await A.harness.startServer({root: root.dir, csp: policy});
      try {
        const {context, page, problems} = await watchedPage();
        const res = await page.goto(server.url);
        assert.equal(res.headers()['content-security-policy'], policy, 'the policy is sent');
        const acc = await trainImproved(page);
        t.diagnostic('accuracy after 3 epochs: ' + acc);
        assert.deepEqual(await violations(page), []);
        assert.deepEqual(problems.errors(), []);
        assert.deepEqual(problems.requestsOutside(server.url), []);
        // the recorder works: an inline script is refused and reported
        await page.evaluate(() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.head.appendChild(s); });
        await page.waitForTimeout(100);
        assert.equal(await page.evaluate(() => window.__ran), undefined, 'inline script did not run');
        assert.ok((await violations(page)).some((v) => /^script-src/.test(v)), 'the inline script was reported');
        await context.close();
      } finally {
        await server.close();
      }
    });
  }

  it('every standalone page and every embed loads under the issue\'s policy', async (t) => {
    const server = await A.harness.startServer({root: root.dir, csp: A.ISSUE_CSP});
    try {
      const urls = A.standalonePages(root.dir);
      const probe = await watchedPage();
      const parts = await A.embedParts(probe.page, server.url, root.dir);
      await probe.context.close();
      for (const p of parts) urls.push('embed.html?part=' + encodeURIComponent(p));
      t.diagnostic('pages: ' + urls.join(', '));
      for (const u of urls) {
        const {context, page, problems} = await watchedPage();
        await page.goto(server.url + u);
        await A.waitQuiet(page, 15000);
        assert.deepEqual(await violations(page), [], u);
        assert.deepEqual(problems.errors(), [], u);
        assert.deepEqual(problems.requestsOutside(server.url), [], u);
        await context.close();
      }
    } finally {
      await server.close();
    }
  });
});

describe('from file:// with the pages\' <meta> policy', {timeout: 300000}, () => {
  it('the lesson trains with no violation and no error', async (t) => {
    const {context, page, problems} = await watchedPage();
    await page.goto('file://' + path.join(root.dir, 'index.html'));
    const acc = await trainImproved(page);
    t.diagnostic('accuracy after 3 epochs: ' + acc);
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(problems.errors(), []);
    await context.close();
  });

  it('every standalone page loads with no violation and no error', async () => {
    for (const file of A.standalonePages(root.dir)) {
      const {context, page, problems} = await watchedPage();
      await page.goto('file://' + path.join(root.dir, file));
      await A.waitQuiet(page, 15000);
      assert.deepEqual(await violations(page), [], file);
      assert.deepEqual(problems.errors(), [], file);
      await context.close();
    }
  });
});

describe('nothing in the files that the policy would have to allow', () => {
  const htmlFiles = fs.readdirSync(root.dir).filter((f) => f.endsWith('.html'));
  const metaCsp = (html) => {
    const m = /<meta\s+http-equiv=["']Content-Security-Policy["']\s+content="([^"]*)"/i.exec(html);
    return m ? m[1] : null;
  };

  it('every page carries a strict <meta> policy', () => {
    for (const f of htmlFiles) {
      const html = fs.readFileSync(path.join(root.dir, f), 'utf8');
      const csp = metaCsp(html);
      assert.ok(csp, f + ' has a <meta http-equiv="Content-Security-Policy">');
      assert.match(csp, /default-src 'self'/, f);
      const script = (/script-src([^;]*)/.exec(csp) || [, ''])[1];
      const style = (/style-src([^;]*)/.exec(csp) || [, ''])[1];
      assert.match(script, /'self'/, f);
      // ('wasm-unsafe-eval' lets WebAssembly compile; it does not allow eval)
      assert.doesNotMatch(script, /'unsafe-inline'|'unsafe-eval'|\*|https?:|data:/, f + ': script-src ' + script);
      assert.doesNotMatch(style, /'unsafe-inline'|\*|https?:/, f + ': style-src ' + style);
      assert.doesNotMatch(csp, /https?:\/\//, f + ': no other origin');
    }
  });

  it('no inline scripts, inline handlers, style attributes or <style> in the HTML', () => {
    for (const f of htmlFiles) {
      const html = fs.readFileSync(path.join(root.dir, f), 'utf8');
      const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) || [];
      for (const s of scripts) {
        assert.match(s, /^<script\b[^>]*\bsrc=/i, f + ': inline script ' + s.slice(0, 80));
        assert.match(s, /^<script\b[^>]*>\s*<\/script>$/i, f + ': a script with a src has no body');
      }
      assert.doesNotMatch(html, /<[a-z][^>]*\son[a-z]+\s*=/i, f + ': inline event handler');
      assert.doesNotMatch(html, /<[a-z][^>]*\sstyle\s*=/i, f + ': style attribute');
      assert.doesNotMatch(html, /<style\b/i, f + ': <style> element');
      assert.doesNotMatch(html, /<script\b[^>]*type=["']module["']/i, f + ': classic scripts only (file://)');
      assert.doesNotMatch(html, /(src|href)=["']https?:\/\//i, f + ': nothing from another site');
    }
  });

  it('no eval, new Function, string timers or HTML-with-styles in the page\'s own scripts', () => {
    const files = [];
    const walk = (d) => {
      for (const e of fs.readdirSync(d, {withFileTypes: true})) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.js') && !/^nnmath-core-|^digits-data\.js$/.test(e.name)) files.push(p);
      }
    };
    walk(path.join(root.dir, 'js'));
    assert.ok(files.length > 5);
    for (const f of files) {
      const src = fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');
      const rel = path.relative(root.dir, f);
      assert.doesNotMatch(src, /(^|[^.\w$])eval\s*\(/, rel + ': eval');
      assert.doesNotMatch(src, /new\s+Function\s*\(/, rel + ': new Function');
      assert.doesNotMatch(src, /set(Timeout|Interval)\(\s*['"`]/, rel + ': a timer with a string');
      assert.doesNotMatch(src, /setAttribute\(\s*['"]style['"]/, rel + ': a style attribute');
    }
  });
});
