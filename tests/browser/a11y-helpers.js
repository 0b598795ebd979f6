/* Helpers for the accessibility, keyboard, CSP and Lighthouse tests (not a test file itself).
 *
 *   const A = require('./a11y-helpers.js');
 *   A.root()                  the folder under test ({dir}): $NNMATH_DIST, else dist/ when it is up to
 *                             date, else a copy assembled from web/ (see page-helpers.js pageRoot)
 *   A.standalonePages(dir)    every *.html in it but index.html and embed.html, sorted
 *   A.runAxe(page, opts)      axe-core (npm) on the page -> [{id, impact, help, nodes: [selector...]}]
 *   A.serious(violations)     the serious and critical ones
 *   A.focusInfo(page)         what has the focus, and whether a focus indicator is drawn for it
 *   A.canvasProblems(page)    every <canvas> without a text alternative
 *   A.waitQuiet(page)         wait for a standalone page to finish loading and training
 *   A.embedParts(page, url)   the parts an embed.html offers (empty if there is none)
 *   A.writeArtifact(name, x)  tests/artifacts/a11y/NAME (JSON for objects)
 */
'use strict';
const fs = require('fs');
const path = require('path');
const PH = require('./page-helpers.js');
const harness = require('./harness.js');

const AXE_PATH = path.join(harness.ROOT, 'node_modules', 'axe-core', 'axe.min.js');
let axeSource = null;

// The policy the issue asks the served lesson to live with (a header; the pages carry the same
// one in a <meta> for file://).
const ISSUE_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:";

function root() { return PH.pageRoot(); }

function standalonePages(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.html') && f !== 'index.html' && f !== 'embed.html').sort();
}

/* axe-core is injected with page.evaluate (DevTools evaluation, not a <script>, so the pages' CSP
 * does not stop it).  opts.include: a selector to limit the run to. */
async function runAxe(page, opts = {}) {
  if (!axeSource) axeSource = fs.readFileSync(AXE_PATH, 'utf8');
  const has = await page.evaluate(() => typeof window.axe === 'object');
  if (!has) await page.evaluate(axeSource);
  const res = await page.evaluate(async (o) => {
    const ctx = o.include ? {include: [o.include]} : document;
    const r = await window.axe.run(ctx, {resultTypes: ['violations']});
    return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ').slice(0, 300) : ''))}));
  }, {include: opts.include || null});
  return res;
}

function serious(violations) {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

function summarize(violations) {
  return violations.map((v) => `${v.impact} ${v.id} (${v.nodes.length}): ${v.help}\n    ${v.nodes.slice(0, 3).join('\n    ')}`).join('\n');
}

/* The focused element and whether a focus indicator shows: an outline or a box-shadow on it, on
 * one of its <label>s or the label right after it (styled radio "chips"), or, for a canvas or an
 * element inside a scrolling box, on that box. */
async function focusInfo(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return {tag: 'body', visible: false, name: 'body'};
    const shows = (e) => {
      if (!e) return false;
      const cs = getComputedStyle(e);
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 &&
        !/rgba\(\d+, \d+, \d+, 0\)|transparent/.test(cs.outlineColor);
      const shadow = cs.boxShadow && cs.boxShadow !== 'none';
      return outline || shadow;
    };
    const candidates = [el];
    if (el.labels) for (const l of el.labels) candidates.push(l);
    if (el.nextElementSibling && el.nextElementSibling.tagName === 'LABEL') candidates.push(el.nextElementSibling);
    const r = el.getBoundingClientRect();
    const name = el.getAttribute('data-testid') || el.getAttribute('aria-label') ||
      (el.labels && el.labels[0] && el.labels[0].textContent.trim()) ||
      (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40) || el.id || el.tagName.toLowerCase();
    const section = el.closest('section[id]');
    return {
      tag: el.tagName.toLowerCase(), testid: el.getAttribute('data-testid'), name,
      section: section ? section.id : null,
      visible: candidates.some(shows),
      onScreen: r.width > 0 && r.height > 0,
      // document order index among all elements, to check that Tab moves forward
      order: Array.prototype.indexOf.call(document.getElementsByTagName('*'), el),
    };
  });
}

/* Canvases without a text alternative.  A canvas passes with role="img" (or an interactive role
 * such as "application") and a non-empty aria-label / aria-labelledby / aria-describedby, or when
 * it is aria-hidden (decorative, e.g. a thumbnail inside a labelled button). */
async function canvasProblems(page) {
  return page.evaluate(() => {
    const out = [];
    document.querySelectorAll('canvas').forEach((c, i) => {
      if (c.closest('[aria-hidden="true"]')) return;
      const cs = getComputedStyle(c);
      if (cs.display === 'none' || c.closest('[hidden]')) return;
      const role = c.getAttribute('role');
      const ids = (a) => (c.getAttribute(a) || '').split(/\s+/).filter(Boolean);
      const refText = (a) => ids(a).map((id) => { const e = document.getElementById(id); return e ? e.textContent.trim() : ''; }).join(' ');
      const label = (c.getAttribute('aria-label') || '').trim() || refText('aria-labelledby');
      const desc = refText('aria-describedby');
      const okRole = role === 'img' || role === 'application' || role === 'slider' || role === 'button' || role === 'grid';
      if (!okRole || !(label || desc)) {
        const where = c.closest('section[id]');
        out.push(`canvas #${i}${c.id ? ' id=' + c.id : ''}${c.getAttribute('data-testid') ? ' [' + c.getAttribute('data-testid') + ']' : ''}` +
          ` class="${c.className}" in ${where ? '#' + where.id : '?'}: role=${role}, label="${label}", description="${desc}"`);
      }
    });
    return out;
  });
}

/* A standalone page is ready when it is loaded, nothing is aria-busy and (if it trains a network
 * on load) its status has settled; at most `ms`. */
async function waitQuiet(page, ms = 20000) {
  await page.waitForLoadState('load');
  const t0 = Date.now();
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, {timeout: ms, polling: 100})
    .catch(() => { /* still busy: test what is there */ });
  await page.waitForTimeout(Math.max(300, Math.min(1500, ms - (Date.now() - t0))));
}

/* The parts that embed.html offers: NNPagePartList.ids() (js/page/part-list.js), a global with a
 * `parts` array (NNEmbed, ...), links/options naming ?part=X on the bare embed page.  [] when there is no embed.html. */
async function embedParts(page, baseUrl, dir) {
  if (!fs.existsSync(path.join(dir, 'embed.html'))) return [];
  await page.goto(baseUrl + 'embed.html');
  await page.waitForLoadState('load');
  await page.waitForTimeout(300);
  return page.evaluate(() => {
    const found = new Set();
    const L = window.NNPagePartList;   // the lesson's list of parts (js/page/part-list.js)
    if (L && typeof L.ids === 'function') L.ids().forEach((id) => found.add(id));
    for (const k of Object.keys(window)) {
      if (!/embed/i.test(k)) continue;
      let v;
      try { v = window[k]; } catch (e) { continue; }
      if (!v || typeof v !== 'object') continue;
      const list = Array.isArray(v.parts) ? v.parts : (v.PARTS && Array.isArray(v.PARTS) ? v.PARTS :
        (v.parts && typeof v.parts === 'object' ? Object.keys(v.parts) : null));
      if (list) list.forEach((p) => found.add(typeof p === 'string' ? p : (p && (p.id || p.name))));
    }
    document.querySelectorAll('a[href*="part="]').forEach((a) => {
      const m = /[?&]part=([^&#]+)/.exec(a.getAttribute('href'));
      if (m) found.add(decodeURIComponent(m[1]));
    });
    document.querySelectorAll('select[name=part] option, [data-part]').forEach((o) => {
      const v = o.value || o.getAttribute('data-part');
      if (v) found.add(v);
    });
    return Array.from(found).filter(Boolean).sort();
  });
}

function writeArtifact(name, data) {
  const dir = path.join(harness.artifactsDir(), 'a11y');
  fs.mkdirSync(dir, {recursive: true});
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2) + '\n');
  return file;
}

/* One Chromium and one server of `dir` (with the issue's CSP) for a test file or a describe block:
 * registers before() and after() with node:test and returns {browser, server}, filled in by
 * before(); beforeClose(), if given, runs first in after(). */
function lessonEnv(dir, beforeClose) {
  const {before, after} = require('node:test');
  const env = {browser: null, server: null};
  before(async () => {
    env.browser = await harness.launchBrowser();
    env.server = await harness.startServer({root: dir, csp: ISSUE_CSP});
  });
  after(async () => {
    if (beforeClose) beforeClose();
    if (env.browser) await env.browser.close();
    if (env.server) await env.server.close();
  });
  return env;
}

module.exports = {ISSUE_CSP, root, lessonEnv, standalonePages, runAxe, serious, summarize, focusInfo, canvasProblems,
  waitQuiet, embedParts, writeArtifact, harness, PH};
