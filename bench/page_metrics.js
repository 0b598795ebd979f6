// Page metrics of the built lesson (dist/, from `make dist`), in headless Chromium:
//   node bench/page_metrics.js --out FILE [--loads 5]
// 1. bytes: every file the page requests while loading (and training), raw and gzip -9, and the
//    other files of dist/ (not loaded: e.g. the core not chosen, the zip); and (initial) the files
//    requested by the time the page is interactive;
// 2. navigation → interactive (median of --loads fresh pages): performance.now() (time since
//    navigation start) when the page is ready: <body data-ready> if the page sets it, else the
//    Train button ([data-testid=train]) enabled and NNPageApp.debug().ready;
// 3. while training the Improved preset ([data-testid=preset-improved], then [data-testid=train])
//    to the end: PerformanceObserver 'longtask' entries (tasks over 50 ms) and the largest gap
//    of a 5 ms setInterval heartbeat (≈ the longest task, also under 50 ms).
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { ROOT, writeJSON, args } = require('./lib/node-data.js');
const harness = require(path.join(ROOT, 'tests', 'browser', 'harness.js'));
const Peers = require('./lib/peers.js');

const DIST = path.join(ROOT, 'dist');

function sizes(file) {
  const buf = fs.readFileSync(file);
  return { raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
}

function listFiles(dir) {
  const out = [];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else out.push(path.relative(DIST, p).split(path.sep).join('/'));
    }
  })(dir);
  return out.sort();
}

const READY_FN = () => {
  const b = document.body;
  if (b && b.dataset && b.dataset.ready !== undefined && b.dataset.ready !== 'false') {
    return { t: performance.now(), signal: 'body[data-ready]' };
  }
  // the lesson's controller: the core and the network are ready and the first parts are on the
  // page (the parts further down are built when the reader gets near them)
  if (window.NNPageApp && window.NNPageApp.debug) {
    const d = window.NNPageApp.debug();
    return d.ready && d.parts && d.parts.length
      ? { t: performance.now(), signal: 'NNPageApp.debug().ready (core + network built, first parts shown: ' + d.parts.join(', ') + ')' }
      : null;
  }
  const btn = document.querySelector('[data-testid=train]');
  const appReady = !window.NNPageApp || !window.NNPageApp.debug || window.NNPageApp.debug().ready;
  if (btn && !btn.disabled && btn.getAttribute('aria-disabled') !== 'true' && appReady) {
    return { t: performance.now(), signal: '[data-testid=train] enabled' + (window.NNPageApp ? ' + NNPageApp.debug().ready' : '') };
  }
  return null;
};

// The page records the moment READY_FN first holds itself (checked every animation frame), and
// the script waits in the page (one page.evaluate whose promise the page resolves): Playwright's
// waitForFunction would first evaluate Playwright's own injected script (~330 KB) in the page, a
// task of ~50 ms on a slow machine that the longtask observer counts as the page's and that delays
// the page it measures; polling from here with page.evaluate adds a round trip every few ms.
const RECORD_READY = '(' + ((ready) => {
  const tick = () => {
    let r = null;
    try { r = ready(); } catch (e) { r = null; }
    if (r) window.__benchReady = r; else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}).toString() + ')(' + READY_FN.toString() + ');';

/* Run pageFn in the page (it returns a promise that the page resolves) with a time limit. */
async function untilInPage(page, pageFn, timeout) {
  let timer;
  const limit = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms waiting for ${String(pageFn).slice(0, 100)}`)), timeout);
  });
  try { return await Promise.race([page.evaluate(pageFn), limit]); } finally { clearTimeout(timer); }
}

const OBSERVE = () => {
  window.__bench = { longtasks: [], maxGap: 0, gaps: 0, last: 0, timer: null };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__bench.noLongtask = String(e); }
};

(async () => {
  const a = args();
  const loads = Number(a.loads || 5);
  const out = { dist: 'dist/', files: [], otherFiles: [], errors: [] };
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    out.skipped = 'dist/index.html does not exist (run `make dist`; the page may not be written yet)';
    writeJSON(a.out, out);
    console.log('  page: skipped — ' + out.skipped);
    return;
  }
  const srv = await harness.startServer({ root: 'dist', csp: harness.STRICT_CSP });
  const browser = await harness.launchBrowser();
  out.env = 'chromium ' + browser.version();
  try {
    // ---- navigation → interactive, and the files requested ----
    const times = [];
    let requested = new Set();
    const atReady = new Set();   // requested by the time the page was interactive (any load)
    for (let i = 0; i < loads; i++) {
      const ctx = await browser.newContext();  // fresh cache every time
      const page = await ctx.newPage();
      const problems = harness.collectPageProblems(page);
      await page.addInitScript(OBSERVE);
      await page.addInitScript({ content: RECORD_READY });
      await page.goto(srv.url, { waitUntil: 'commit' });
      const r = await untilInPage(page, () => new Promise((resolve) => {
        const check = () => { if (window.__benchReady) resolve(window.__benchReady); else requestAnimationFrame(check); };
        check();
      }), 30000);
      const nav = await page.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0];
        return n ? { domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd } : null;
      });
      times.push({ interactiveMs: r.t, signal: r.signal, nav });
      problems.requests.forEach((u) => atReady.add(u));
      problems.requests.forEach((u) => requested.add(u));
      if (i === loads - 1) {
        // ---- training the Improved preset: long tasks ----
        const sel = (id) => `[data-testid=${id}]`;
        // the parts below the first are built on the reader's first key press: press one
        await page.keyboard.press('Shift');
        await page.waitForFunction(() => !window.NNPageApp || !window.NNPageApp.debug ||
          window.NNPageApp.debug().waiting.length === 0, null, { timeout: 30000 }).catch(() => {});
        if (await page.$(sel('preset-improved'))) {
          await page.click(sel('preset-improved'));
          await page.waitForFunction(READY_FN, null, { polling: 'raf', timeout: 30000 });
          const t0 = await page.evaluate(() => {
            const b = window.__bench;
            b.longtasks = b.longtasks.filter(() => false);
            b.maxGap = 0; b.last = performance.now();
            b.timer = setInterval(() => {
              const t = performance.now();
              b.maxGap = Math.max(b.maxGap, t - b.last); b.gaps++; b.last = t;
            }, 5);
            return performance.now();
          });
          await page.click(sel('train'));
          const wall0 = Date.now();
          let finished = true;
          try {
            await page.waitForFunction(() => {
              const d = window.NNPageApp && window.NNPageApp.debug && window.NNPageApp.debug();
              return d && !d.training && d.epoch >= (d.state.epochs || 30);
            }, null, { polling: 100, timeout: 120000 });
          } catch (e) { finished = false; }
          const res = await page.evaluate((start) => {
            const b = window.__bench;
            clearInterval(b.timer);
            const lt = b.longtasks.filter((x) => x.start >= start);
            const d = window.NNPageApp && window.NNPageApp.debug ? window.NNPageApp.debug() : null;
            const last = d && d.history && d.history.length ? d.history[d.history.length - 1] : null;
            return { longtasks: lt, longestTaskMs: lt.reduce((m, x) => Math.max(m, x.duration), 0),
              maxHeartbeatGapMs: b.maxGap, heartbeats: b.gaps, noLongtaskApi: b.noLongtask || null,
              epoch: d ? d.epoch : null, finalTestAcc: last ? last.testAcc : null,
              firstEpochAt97: d && d.history ? (d.history.find((h) => h.testAcc >= 0.97) || {}).epoch || null : null };
          }, t0);
          out.training = Object.assign({ finished, wallMs: Date.now() - wall0, preset: 'improved' }, res);
          problems.requests.forEach((u) => requested.add(u));
        } else {
          out.training = { skipped: 'the page has no [data-testid=preset-improved] button' };
        }
      }
      out.errors.push(...problems.errors());
      await ctx.close();
    }
    // ---- the landscape page: load, its 3 training epochs, then the 31×31 landscape ----
    if (fs.existsSync(path.join(DIST, 'landscape.html'))) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      const problems = harness.collectPageProblems(page);
      await page.addInitScript(OBSERVE);
      await page.addInitScript(() => {
        // heartbeat from the start: the largest gap between 5 ms timer ticks
        window.__hb = { maxGap: 0, last: performance.now() };
        setInterval(() => { const t = performance.now(); window.__hb.maxGap = Math.max(window.__hb.maxGap, t - window.__hb.last); window.__hb.last = t; }, 5);
      });
      try {
        await page.goto(srv.url + 'landscape.html', { waitUntil: 'commit' });
        await untilInPage(page, () => new Promise((resolve) => {
          const check = () => {
            const el = document.querySelector('[data-testid=landscape]');
            if (el && el.getAttribute('data-state') === 'done' && el.getAttribute('data-ms') !== null) resolve(true);
            else setTimeout(check, 100);
          };
          check();
        }), 120000);
        out.landscapePage = await page.evaluate(() => {
          const el = document.querySelector('[data-testid=landscape]');
          const st = document.querySelector('[data-testid=landscape-status]');
          const lt = window.__bench.longtasks;
          return { computeMs: Number(el.getAttribute('data-ms')), status: st ? st.textContent : null,
            readyAtMs: performance.now(), longtasks: lt, longestTaskMs: lt.reduce((m, x) => Math.max(m, x.duration), 0),
            maxHeartbeatGapMs: window.__hb.maxGap };
        });
        console.log(`  landscape page: computed in ${out.landscapePage.computeMs} ms (data-ms); ` +
          `${out.landscapePage.longtasks.length} long tasks, max heartbeat gap ${out.landscapePage.maxHeartbeatGapMs.toFixed(0)} ms`);
      } catch (e) {
        out.landscapePage = { error: e.message.split('\n')[0] };
        console.log('  landscape page: FAILED ' + out.landscapePage.error);
      }
      out.errors.push(...problems.errors().map((x) => 'landscape.html: ' + x));
      await ctx.close();
    } else {
      out.landscapePage = { skipped: 'dist/landscape.html does not exist' };
    }
    out.loads = times;
    out.interactiveMedianMs = Peers.median(times.map((x) => x.interactiveMs));
    out.readySignal = times[0].signal;
    // ---- bytes ----
    const distFiles = (urls) => {
      const set = new Set();
      for (const u of urls) {
        if (!u.startsWith(srv.url)) continue;
        let rel = decodeURIComponent(new URL(u).pathname).replace(/^\//, '');
        if (rel === '' || rel.endsWith('/')) rel += 'index.html';
        if (fs.existsSync(path.join(DIST, rel))) set.add(rel);
      }
      return set;
    };
    const sum = (files) => files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip }), { raw: 0, gzip: 0 });
    const loaded = distFiles(requested), early = distFiles(atReady);
    for (const f of listFiles(DIST)) {
      const s = Object.assign({ file: f }, sizes(path.join(DIST, f)));
      (loaded.has(f) ? out.files : out.otherFiles).push(s);
    }
    out.total = sum(out.files);
    // what the page needs before it is interactive (the lesson's lazy parts load their scripts
    // later: when they come near the screen, on the reader's first key/click/scroll, or after 4 s)
    const initialFiles = out.files.filter((f) => early.has(f.file));
    out.initial = Object.assign({ files: initialFiles.map((f) => f.file) }, sum(initialFiles));
    console.log(`  page: ${out.files.length} files loaded, ${out.total.raw} B raw, ${out.total.gzip} B gzip; ` +
      `interactive in ${out.interactiveMedianMs.toFixed(0)} ms (median of ${loads})`);
    console.log(`  page: by then ${initialFiles.length} files, ${out.initial.raw} B raw, ${out.initial.gzip} B gzip ` +
      '(the rest when the reader does something, or after 4 s)');
    if (out.training && !out.training.skipped) {
      console.log(`  page: training Improved — longest task ${out.training.longestTaskMs.toFixed(0)} ms ` +
        `(${out.training.longtasks.length} over 50 ms), max heartbeat gap ${out.training.maxHeartbeatGapMs.toFixed(0)} ms`);
    }
  } finally {
    await browser.close();
    await srv.close();
  }
  writeJSON(a.out, out);
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
