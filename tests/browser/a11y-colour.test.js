'use strict';
// Colour is never the only signal, the palettes stay apart for colour-blind readers, and text
// drawn on coloured cells meets WCAG 2.1 AA contrast.  (axe checks the contrast of the page's
// text; this checks what axe cannot see: the canvases' palettes and the chart.)
//
// Colour-vision deficiencies are simulated with the matrices of Machado, Oliveira and Fernandes
// (2009, severity 1) in linear RGB; distances are CIE76 ΔE in CIELAB.
const {describe, it} = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const A = require('./a11y-helpers.js');
const P = require(path.join(A.harness.ROOT, 'web', 'js', 'page', 'palette.js'));

const CVD = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
  none: null,
};
const lin = (c) => { const s = c / 255; return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4); };
const unlin = (c) => { const s = Math.min(1, Math.max(0, c)); return 255 * (s <= 0.0031308 ? 12.92 * s : 1.055 * Math.pow(s, 1 / 2.4) - 0.055); };
function simulate(rgb, m) {
  if (!m) return rgb;
  const l = rgb.map(lin);
  return m.map((r) => unlin(r[0] * l[0] + r[1] * l[1] + r[2] * l[2]));
}
function lab(rgb) {
  const [r, g, b] = rgb.map(lin);
  const X = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const Y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const Z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}
const deltaE = (a, b) => { const p = lab(a), q = lab(b); return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]); };

describe('palettes (web/js/page/palette.js)', () => {
  it('the diverging map (negative | zero | positive) keeps its two sides apart for every kind of colour vision', () => {
    for (const [kind, m] of Object.entries(CVD)) {
      for (const t of [0.25, 0.5, 0.75, 1]) {
        const d = deltaE(simulate(P.diverging(-t), m), simulate(P.diverging(t), m));
        assert.ok(d >= 20, `${kind}: −${t} and +${t} differ by ΔE ${d.toFixed(1)}`);
      }
    }
  });

  it('the diverging map also reads in grey: lightness grows from both ends to white at zero', () => {
    const L = (t) => lab(P.diverging(t))[0];
    for (let t = -1; t < 0; t += 0.05) assert.ok(L(t + 0.05) >= L(t) - 0.5, 'left half at ' + t.toFixed(2));
    for (let t = 0; t < 1; t += 0.05) assert.ok(L(t + 0.05) <= L(t) + 0.5, 'right half at ' + t.toFixed(2));
    assert.ok(L(0) > 99, 'zero is white');
    assert.ok(Math.abs(L(-1) - L(1)) < 8, 'both ends equally dark');
  });

  it('the chart\'s line colours (Okabe–Ito) stay apart for every kind of colour vision', () => {
    const S = P.SERIES, names = ['blue', 'vermillion', 'green'];
    for (const [kind, m] of Object.entries(CVD)) {
      for (let i = 0; i < names.length; i++) {
        for (let j = i + 1; j < names.length; j++) {
          const d = deltaE(simulate(P.hexToRgb(S[names[i]]), m), simulate(P.hexToRgb(S[names[j]]), m));
          assert.ok(d >= 15, `${kind}: ${names[i]} and ${names[j]} differ by ΔE ${d.toFixed(1)}`);
        }
      }
    }
  });

  it('right (blue) and wrong (orange) counts in the confusion matrix stay apart', () => {
    for (const [kind, m] of Object.entries(CVD)) {
      for (const t of [0.3, 0.6, 1]) {
        const d = deltaE(simulate(P.blues(t), m), simulate(P.oranges(t), m));
        assert.ok(d >= 25, `${kind} at ${t}: ΔE ${d.toFixed(1)}`);
      }
    }
  });

  it('numbers written on coloured cells have at least 4.5:1 contrast (WCAG 2.1 AA)', () => {
    const worst = {v: Infinity, where: ''};
    const check = (rgb, where) => {
      const c = P.contrast(rgb, P.hexToRgb(P.textOn(rgb)));
      if (c < worst.v) { worst.v = c; worst.where = where; }
    };
    for (let t = -1; t <= 1.0001; t += 0.01) check(P.diverging(t), 'diverging ' + t.toFixed(2));
    for (let v = 0; v <= 16; v++) check(P.ink(v), 'ink ' + v);
    for (let t = 0; t <= 1.0001; t += 0.01) { check(P.blues(t), 'blues ' + t.toFixed(2)); check(P.oranges(t), 'oranges ' + t.toFixed(2)); }
    assert.ok(worst.v >= 4.5, `lowest contrast ${worst.v.toFixed(2)} at ${worst.where}`);
  });
});

describe('colour is never the only signal (in the browser)', {timeout: 180000}, () => {
  const root = A.root();
  const env = A.lessonEnv(root.dir);

  it('chart lines differ by dash and marker; answers, mistakes and the chosen cell are marked in text or shape', async () => {
    const context = await env.browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    await page.goto(env.server.url + '#preset=improved&epochs=2');
    await page.waitForFunction(() => window.NNPageApp && window.NNPageApp.debug().ready);
    await page.click('[data-testid=train]');
    await page.waitForFunction(() => { const d = window.NNPageApp.debug(); return !d.training && d.epoch >= 2 && d.settled; },
      null, {timeout: 30000, polling: 100});
    await page.locator('[data-testid=cost-chart]').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => window.Chart && window.Chart.getChart(document.querySelector('[data-testid=cost-chart]')));

    const lines = await page.evaluate(() => {
      const c = window.Chart.getChart(document.querySelector('[data-testid=cost-chart]'));
      return c.data.datasets.map((d) => ({label: d.label, dash: JSON.stringify(d.borderDash || []), point: d.pointStyle, colour: d.borderColor}));
    });
    assert.ok(lines.length >= 2);
    const key = (l) => l.dash + '|' + l.point;
    assert.equal(new Set(lines.map(key)).size, lines.length, 'each line has its own dash pattern and marker: ' + JSON.stringify(lines));
    // the legend uses the markers (point style), so it matches the lines without colour
    assert.equal(await page.evaluate(() => window.Chart.getChart(document.querySelector('[data-testid=cost-chart]')).options.plugins.legend.labels.usePointStyle), true);

    // confusion matrix: every cell shows its count as text; the chosen one is outlined
    const cells = await page.$$eval('[data-testid=confusion-matrix] td[data-pos]', (tds) => tds.map((td) => td.textContent.trim()));
    assert.equal(cells.length, 100);
    assert.ok(cells.every((t) => /^\d+$/.test(t)), 'counts are written in the cells');
    const cell = page.locator('[data-testid=confusion-matrix] td[data-pos="11"]');
    await cell.click();
    const sel = await page.locator('[data-testid=confusion-matrix] td[data-pos="11"]').evaluate((td) => {
      const cs = getComputedStyle(td);
      return {selected: td.getAttribute('aria-selected'), outline: cs.outlineStyle + ' ' + cs.outlineWidth, weight: cs.fontWeight};
    });
    assert.equal(sel.selected, 'true');
    assert.match(sel.outline, /^solid [1-9]/, 'the chosen cell has an outline: ' + sel.outline);

    // misclassified digits: true label → answer, written out
    const cards = await page.$$eval('#evaluation .gallery .card .card-labels', (els) => els.map((e) => {
      const c = e.cloneNode(true);   // what is seen: without the words for screen readers
      c.querySelectorAll('.visually-hidden').forEach((x) => x.remove());
      return c.textContent.replace(/\s+/g, ' ').trim();
    }));
    assert.ok(cards.length > 0, 'there are misclassified digits after 2 epochs');
    for (const c of cards.slice(0, 10)) assert.match(c, /\d\s*→\s*\d/, c);

    // forward propagation's answer says right or wrong in words, not only green or red
    const steps = Number(await page.getAttribute('#forward', 'data-steps'));
    for (let i = Number(await page.getAttribute('#forward', 'data-step')); i < steps - 1; i++) await page.click('[data-testid=forward-step]');
    assert.match(await page.textContent('#forward .answer-verdict'), /^(✓ right|✗ wrong)/);
    await context.close();
  });
});
