// Self-test of the browser harness: it must SEE problems, or the page tests
// that rely on it prove nothing.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const h = require('./harness.js');

function writeSite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-harness-'));
  fs.writeFileSync(path.join(dir, 'index.html'), [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>harness</title>',
    '<link rel="stylesheet" href="style.css"></head>',
    '<body><p id="out">waiting</p>',
    '<script>document.title = "inline ran";</script>', // must be blocked by STRICT_CSP
    '<script src="app.js"></script>',
    '</body></html>',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'style.css'), 'p { color: #123; }\n');
  fs.writeFileSync(path.join(dir, 'data.json'), '{"answer": 42}\n');
  fs.writeFileSync(path.join(dir, 'app.js'), [
    "console.error('harness-boom');",
    "fetch('data.json').then(function (r) { return r.json(); }).then(function (d) {",
    "  document.getElementById('out').textContent = 'answer ' + d.answer;",
    '});',
    "fetch('missing.txt');",
    "setTimeout(function () { throw new Error('harness-uncaught'); }, 0);",
  ].join('\n'));
  return dir;
}

test('harness records console errors, page errors, CSP violations and requests', async (t) => {
  const dir = writeSite();
  const srv = await h.startServer({ root: dir, csp: h.STRICT_CSP });
  const browser = await h.launchBrowser();
  t.after(async () => {
    await browser.close();
    await srv.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const page = await browser.newPage();
  const problems = h.collectPageProblems(page);
  const resp = await page.goto(srv.url);
  assert.strictEqual(resp.status(), 200);
  assert.match(resp.headers()['content-security-policy'], /script-src 'self'/);
  await page.waitForFunction(() => document.getElementById('out').textContent === 'answer 42');
  await page.waitForTimeout(200);

  // The external script ran, the inline one did not (CSP), and that was reported.
  assert.notStrictEqual(await page.title(), 'inline ran');
  assert.ok(problems.consoleErrors.some((e) => e.includes('harness-boom')),
    'console.error not recorded: ' + JSON.stringify(problems.consoleErrors));
  assert.ok(problems.consoleErrors.some((e) => /Content Security Policy/i.test(e)),
    'CSP violation not recorded: ' + JSON.stringify(problems.consoleErrors));
  assert.ok(problems.pageErrors.some((e) => e.includes('harness-uncaught')),
    'uncaught error not recorded: ' + JSON.stringify(problems.pageErrors));
  assert.ok(problems.badResponses.some((e) => e.startsWith('404 ') && e.endsWith('/missing.txt')),
    '404 not recorded: ' + JSON.stringify(problems.badResponses));
  assert.ok(problems.errors().length >= 4);

  // Every request is recorded, and the filter finds the ones elsewhere.
  for (const f of ['', 'style.css', 'app.js', 'data.json', 'missing.txt']) {
    assert.ok(problems.requests.includes(srv.url + f), `request for "${f}" not recorded: ` +
      JSON.stringify(problems.requests));
  }
  assert.deepStrictEqual(problems.requestsOutside(srv.url), []);

  // Under the CSP a request elsewhere is blocked before it is made: it shows up
  // as a CSP console error, not as a request.
  const before = problems.consoleErrors.length;
  await page.evaluate(() => fetch('http://127.0.0.1:9/elsewhere').catch(() => {}));
  await page.waitForTimeout(100);
  assert.ok(problems.consoleErrors.slice(before).some((e) => /Content Security Policy/i.test(e) &&
    e.includes('127.0.0.1:9')), 'blocked fetch not reported: ' + JSON.stringify(problems.consoleErrors));
  assert.deepStrictEqual(problems.requestsOutside(srv.url), []);
});

test('a clean page gives no problems', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-harness-'));
  fs.writeFileSync(path.join(dir, 'index.html'),
    // Chromium asks for /favicon.ico unless the page names an icon.
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ok</title>' +
    '<link rel="icon" href="data:,">' +
    '<script src="ok.js"></script></head><body><p>fine</p></body></html>');
  fs.writeFileSync(path.join(dir, 'ok.js'), 'console.log("fine");\n');
  const srv = await h.startServer({ root: dir }); // no CSP this time
  const browser = await h.launchBrowser();
  t.after(async () => {
    await browser.close();
    await srv.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const page = await browser.newPage();
  const problems = h.collectPageProblems(page);
  await page.goto(srv.url, { waitUntil: 'load' });
  await page.waitForTimeout(200);
  assert.deepStrictEqual(problems.errors(), []);
  assert.deepStrictEqual(problems.requestsOutside(srv.url), []);
  assert.ok(problems.consoleMessages.some((m) => m.type === 'log' && m.text === 'fine'));

  // Without a CSP a request elsewhere is made, recorded, and (nothing listens
  // on port 9) fails.
  await page.evaluate(() => fetch('http://127.0.0.1:9/elsewhere').catch(() => {}));
  assert.deepStrictEqual(problems.requestsOutside(srv.url), ['http://127.0.0.1:9/elsewhere']);
  assert.deepStrictEqual(problems.requestsOutside(srv.url, 'http://127.0.0.1:9/'), []);
  assert.ok(problems.failedRequests.some((e) => e.startsWith('http://127.0.0.1:9/elsewhere')),
    JSON.stringify(problems.failedRequests));
});
