// Browser-test helpers: Debian's Chromium driven by npm playwright-core (no
// downloaded browsers), a loopback static server, and a recorder of problems.
//
//   const h = require('./harness.js');
//   const srv = await h.startServer({ root: 'dist', csp: h.STRICT_CSP });
//   const browser = await h.launchBrowser();
//   const page = await browser.newPage();
//   const problems = h.collectPageProblems(page);
//   await page.goto(srv.url);
//   ...
//   assert.deepStrictEqual(problems.errors(), []);
//   assert.deepStrictEqual(problems.requestsOutside(srv.url), []);
//   await browser.close(); await srv.close();
//
// Environment: NNMATH_CHROMIUM overrides the browser path (default /usr/bin/chromium).
'use strict';

const fs = require('fs');
const path = require('path');
const { createServer } = require('../../scripts/serve.js');

const ROOT = path.resolve(__dirname, '..', '..');
const CHROMIUM_PATH = process.env.NNMATH_CHROMIUM || '/usr/bin/chromium';

// The network is closed here: without the background-networking flags Chromium
// keeps trying to reach Google's hosts. --no-sandbox because tests run as root.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

// A strict policy like the one the lesson must live with: only our own files,
// no inline script or style, no eval. 'wasm-unsafe-eval' is what Chromium
// requires for WebAssembly.instantiate() under a CSP (it does not allow JS eval).
const STRICT_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

// Launch headless Chromium. Playwright's launch() gives every browser a fresh,
// temporary profile (--user-data-dir) and deletes it on close().
async function launchBrowser(options = {}) {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run \`bash scripts/setup.sh\` ` +
      '(installs the Debian package "chromium"), or set NNMATH_CHROMIUM.');
  }
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    throw new Error('playwright-core is not installed: run `npm ci` (or `bash scripts/setup.sh`).');
  }
  const { args = [], ...rest } = options;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    timeout: 60000,
    ...rest,
    args: CHROMIUM_ARGS.concat(args),
  });
}

// Static server on 127.0.0.1 (same code as `make run`). Resolves to {url, port, close()}.
function startServer({ root, csp, port = 0, headers, log } = {}) {
  return createServer({ root: path.resolve(ROOT, root || 'dist'), csp, port, headers, log });
}

// Record what goes wrong on a page from now on.
//   consoleErrors: console.error messages and browser-logged errors (CSP
//                  violations, failed loads...), as "text (url:line)"
//   pageErrors:    uncaught exceptions and unhandled rejections
//   requests:      every request URL, in order (data: and blob: included)
//   failedRequests: "url: reason" for requests that failed at network level
//   badResponses:  "status url" for responses with status >= 400
//   errors():      consoleErrors + pageErrors + failedRequests + badResponses
//   requestsOutside(...prefixes): requests whose URL starts with none of the
//                  prefixes (data:, blob: and about: are always allowed)
function collectPageProblems(page) {
  const p = {
    consoleErrors: [],
    consoleMessages: [],
    pageErrors: [],
    requests: [],
    failedRequests: [],
    badResponses: [],
    errors() {
      return [].concat(p.consoleErrors, p.pageErrors, p.failedRequests, p.badResponses);
    },
    requestsOutside(...prefixes) {
      const ok = ['data:', 'blob:', 'about:'].concat(prefixes);
      return p.requests.filter((u) => !ok.some((pre) => u.startsWith(pre)));
    },
  };
  page.on('console', (msg) => {
    const loc = msg.location();
    const where = loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : '';
    p.consoleMessages.push({ type: msg.type(), text: msg.text() });
    if (msg.type() === 'error') p.consoleErrors.push(msg.text() + where);
  });
  page.on('pageerror', (err) => p.pageErrors.push(String((err && err.stack) || err)));
  page.on('request', (req) => p.requests.push(req.url()));
  page.on('requestfailed', (req) => {
    const f = req.failure();
    p.failedRequests.push(`${req.url()}: ${f ? f.errorText : 'failed'}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) p.badResponses.push(`${res.status()} ${res.url()}`);
  });
  return p;
}

// Folder for screenshots and other test output (git-ignored).
function artifactsDir() {
  const dir = path.join(ROOT, 'tests', 'artifacts');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

module.exports = {
  ROOT,
  CHROMIUM_PATH,
  CHROMIUM_ARGS,
  STRICT_CSP,
  launchBrowser,
  startServer,
  collectPageProblems,
  artifactsDir,
};
