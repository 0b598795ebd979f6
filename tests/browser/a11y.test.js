'use strict';
// axe-core (npm) on every part of the lesson and every standalone page and embed: no serious or
// critical violation.  (axe adds a <style> of its own, which the pages' CSP would refuse: these
// contexts bypass the CSP, and tests/browser/csp.test.js checks the pages under it.)  The lesson is checked after load, at every stage of forward propagation,
// after training (with a confusion-matrix cell chosen) and at a phone's width.  Moderate and
// minor findings are printed as diagnostics and saved in tests/artifacts/a11y/axe-report.json.
const {describe, it} = require('node:test');
const assert = require('node:assert/strict');
const A = require('./a11y-helpers.js');

const root = A.root();
const report = {};
const env = A.lessonEnv(root.dir, () => A.writeArtifact('axe-report.json', report));

function record(t, name, violations) {
  report[name] = violations;
  const minor = violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (minor.length) t.diagnostic(name + ': ' + A.summarize(minor));
  const bad = A.serious(violations);
  assert.deepEqual(bad.map((v) => v.id), [], name + ':\n' + A.summarize(bad));
}

async function openLesson(hash = '', viewport = {width: 1280, height: 900}) {
  const context = await env.browser.newContext({viewport, bypassCSP: true});
  const page = await context.newPage();
  const problems = A.harness.collectPageProblems(page);
  await page.goto(env.server.url + hash);
  await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().ready && window.NNPageApp.debug().settled,
    null, {timeout: 30000, polling: 50});
  return {context, page, problems};
}

describe('axe on the lesson (index.html)', {timeout: 240000}, () => {
  it('after loading', async (t) => {
    const {context, page, problems} = await openLesson();
    record(t, 'index: loaded', await A.runAxe(page));
    assert.deepEqual(problems.errors(), []);
    await context.close();
  });

  it('at every stage of forward propagation', async (t) => {
    const {context, page} = await openLesson();
    const seen = new Set();
    const n = Number(await page.getAttribute('#forward', 'data-steps'));
    assert.ok(n >= 5, 'forward propagation has steps');
    for (let i = 0; i < n; i++) {
      const stage = await page.getAttribute('#forward', 'data-stage');
      if (!seen.has(stage)) {
        seen.add(stage);
        // a result cell focused shows its dot product written out
        const cell = page.locator('#forward .vec-result [role=option][tabindex="0"]').first();
        if (await cell.count()) await cell.focus();
        record(t, 'index: forward stage ' + stage, await A.runAxe(page, {include: '#forward'}));
      }
      if (i < n - 1) await page.click('[data-testid=forward-step]');
    }
    assert.deepEqual([...seen].sort(), ['Wx', 'b', 'f', 'predict', 'x']);
    await context.close();
  });

  it('after training, with a confusion-matrix cell chosen', async (t) => {
    const {context, page, problems} = await openLesson('#preset=improved&epochs=3');
    await page.click('[data-testid=train]');
    await page.waitForFunction(() => { const d = window.NNPageApp.debug(); return !d.training && d.epoch >= 3 && d.settled; },
      null, {timeout: 30000, polling: 100});
    // choose the cell "true 3, predicted 3" from the keyboard
    await page.locator('[data-testid=confusion-matrix] td[data-pos="0"]').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.cell-info .gallery .card');
    // and open the table of numbers under the chart
    await page.click('#training details.numbers summary');
    record(t, 'index: trained', await A.runAxe(page));
    assert.deepEqual(problems.errors(), []);
    await context.close();
  });

  it('at a phone\'s width (375×667)', async (t) => {
    const {context, page} = await openLesson('', {width: 375, height: 667});
    record(t, 'index: 375px', await A.runAxe(page));
    await context.close();
  });
});

describe('axe on the standalone pages', {timeout: 300000}, () => {
  for (const file of A.standalonePages(root.dir)) {
    it(file, async (t) => {
      const context = await env.browser.newContext({viewport: {width: 1280, height: 900}, bypassCSP: true});
      const page = await context.newPage();
      const problems = A.harness.collectPageProblems(page);
      await page.goto(env.server.url + file);
      await A.waitQuiet(page);
      record(t, file, await A.runAxe(page));
      assert.deepEqual(problems.errors(), []);
      await context.close();
    });
  }
});

describe('axe on every embed (embed.html?part=X)', {timeout: 300000}, () => {
  it('each part that embed.html offers', async (t) => {
    const context = await env.browser.newContext({viewport: {width: 900, height: 700}, bypassCSP: true});
    const page = await context.newPage();
    const parts = await A.embedParts(page, env.server.url, root.dir);
    if (!parts.length) {
      t.skip('no embed.html (or it names no parts) in ' + root.dir);
      await context.close();
      return;
    }
    t.diagnostic('embed parts: ' + parts.join(', '));
    for (const part of parts) {
      const problems = A.harness.collectPageProblems(page);
      await page.goto(env.server.url + 'embed.html?part=' + encodeURIComponent(part));
      await A.waitQuiet(page, 15000);
      record(t, 'embed ' + part, await A.runAxe(page));
      assert.deepEqual(problems.errors(), [], 'embed ' + part);
    }
    await context.close();
  });
});
