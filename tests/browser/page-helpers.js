/* Helpers for the page's browser tests (not a test file itself).
 *
 * pageRoot(): the folder to test.  $NNMATH_DIST if set; else dist/ when it is complete and at
 * least as new as web/; else a temporary copy assembled from web/ + build-wasm/ (core scripts,
 * digits-data.js), with Chart.js from node_modules if web/vendor lacks it and — only while the
 * real wrapper does not exist yet — the test-only mock of NNMath (page-mock-nnmath.js).
 * launch()/serve() use tests/browser/harness.js when it exists, else a local fallback. */
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');
const http = require('http');

const ROOT = path.resolve(__dirname, '..', '..');
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:";

function newestMtime(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const e of fs.readdirSync(dir, {withFileTypes: true})) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

function copyDir(src, dst) {
  fs.mkdirSync(dst, {recursive: true});
  for (const e of fs.readdirSync(src, {withFileTypes: true})) {
    const s = path.join(src, e.name), d = path.join(dst, e.name);
    if (e.isDirectory()) copyDir(s, d); else fs.copyFileSync(s, d);
  }
}

function packDigits(csvPath) {
  const lines = fs.readFileSync(csvPath, 'utf8').trim().split(/\r?\n/);
  let px = '', lb = '';
  for (const l of lines) {
    const v = l.split(',').map(Number);
    for (let j = 0; j < 64; j++) px += String.fromCharCode(65 + v[j]);
    lb += String(v[64]);
  }
  return '(function (root) { var d = {count: ' + lines.length + ', pixels: "' + px + '", labels: "' + lb + '"};\n' +
    "  if (typeof module === 'object' && module.exports) module.exports = d; else root.NNMATH_DIGITS = d;\n})(this);\n";
}

let cached = null;
function pageRoot() {
  if (cached) return cached;
  if (process.env.NNMATH_DIST) return (cached = {dir: path.resolve(process.env.NNMATH_DIST), mock: false});
  const dist = path.join(ROOT, 'dist');
  const need = ['index.html', 'js/nnmath.js', 'js/nnmath-core-simd.js', 'js/nnmath-core-scalar.js', 'js/digits-data.js',
    'vendor/chart.line.min.js'];
  if (need.every((f) => fs.existsSync(path.join(dist, f))) &&
      fs.statSync(path.join(dist, 'index.html')).mtimeMs >= newestMtime(path.join(ROOT, 'web')) - 1) {
    return (cached = {dir: dist, mock: false});
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-page-'));
  process.on('exit', () => { try { fs.rmSync(dir, {recursive: true, force: true}); } catch (e) { /* leave it */ } });
  copyDir(path.join(ROOT, 'web'), dir);
  const js = path.join(dir, 'js');
  const bw = path.join(ROOT, 'build-wasm');
  let mock = false;
  for (const f of ['nnmath-core-simd.js', 'nnmath-core-scalar.js', 'digits-data.js']) {
    if (fs.existsSync(path.join(bw, f))) fs.copyFileSync(path.join(bw, f), path.join(js, f));
  }
  if (!fs.existsSync(path.join(js, 'digits-data.js'))) {
    fs.writeFileSync(path.join(js, 'digits-data.js'), packDigits(path.join(ROOT, 'data', 'digits.csv')));
  }
  const haveCore = fs.existsSync(path.join(js, 'nnmath-core-simd.js')) && fs.existsSync(path.join(js, 'nnmath.js'));
  if (!haveCore) {
    fs.copyFileSync(path.join(__dirname, 'page-mock-nnmath.js'), path.join(js, 'nnmath.js'));
    mock = true;
  }
  const vendor = path.join(dir, 'vendor', 'chart.line.min.js');
  if (!fs.existsSync(vendor)) {
    fs.mkdirSync(path.dirname(vendor), {recursive: true});
    require(path.join(ROOT, 'tools', 'build_chart.js')).build(vendor);
  }
  return (cached = {dir, mock});
}

let harness = null;
try { harness = require('./harness.js'); } catch (e) { harness = null; }

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

async function launch() {
  if (harness && harness.launchBrowser) return harness.launchBrowser();
  const {chromium} = require('playwright-core');
  return chromium.launch({executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS});
}

const TYPES = {'.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.wasm': 'application/wasm', '.json': 'application/json', '.zip': 'application/zip'};

/* Serve `root` on 127.0.0.1 with the CSP header; resolves {url, close()}. */
async function serve(root) {
  if (harness && harness.startServer) {
    const s = await harness.startServer({root, csp: harness.STRICT_CSP || CSP});
    const url = s.url || s.origin || ('http://127.0.0.1:' + s.port + '/');
    return {url: url.endsWith('/') ? url : url + '/', close: () => (s.close ? s.close() : s.server && s.server.close())};
  }
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(root, path.normalize(p));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); res.end('not found'); return;
    }
    res.writeHead(200, {'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Content-Security-Policy': CSP, 'Cache-Control': 'no-store'});
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {url: 'http://127.0.0.1:' + server.address().port + '/', close: () => new Promise((r) => server.close(r))};
}

/* Record console errors, page errors, CSP violations and every request.  Uses the harness's
 * collectPageProblems when there is one; either way returns {problems: [...], requests: [...]}
 * (problems is read lazily: call log.problemList()). */
function watch(page) {
  if (harness && harness.collectPageProblems) {
    const p = harness.collectPageProblems(page);
    const warnings = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push('warning: ' + m.text()); });
    return {get problems() { return p.errors().concat(warnings); }, get requests() { return p.requests; }};
  }
  const problems = [], requests = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.type() + ': ' + m.text()); });
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => problems.push('requestfailed: ' + r.url()));
  return {problems, requests};
}

async function openLesson(browser, url, opts, initScript) {
  const context = await browser.newContext(Object.assign({viewport: {width: 1366, height: 768}}, opts || {}));
  if (initScript) await context.addInitScript(initScript);   // runs before the page's own scripts
  const page = await context.newPage();
  const log = watch(page);
  await page.goto(url);
  await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().ready, null, {timeout: 20000});
  // the parts further down are built on the reader's first key press (or near the screen, or after
  // a few seconds): press one, as a reader would, and wait for them
  await page.keyboard.press('Shift');
  await page.waitForFunction(() => window.NNPageApp.debug().waiting.length === 0, null, {timeout: 20000});
  // and for every part's first drawing (a part's scripts now load when it is built, so its first
  // draw can come later than the build: a click meant for one part must not meet a page in motion)
  await page.waitForFunction(() => window.NNPageApp.debug().settled, null, {timeout: 20000, polling: 50});
  return {context, page, log};
}

module.exports = {ROOT, CSP, pageRoot, launch, serve, watch, openLesson, packDigits};
