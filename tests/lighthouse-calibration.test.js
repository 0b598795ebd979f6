'use strict';
// The Lighthouse test's CPU calibration and Chromium flags (tests/browser/lighthouse-run.mjs),
// without running Lighthouse: the multiplier follows Lighthouse's docs/throttling.md (4× for a
// host of BenchmarkIndex 1750, the middle of its "high-end desktop" bracket; proportionally less
// on a slower host; never above 4× nor below 1×), and only RenderDocument leaves chrome-launcher's
// --disable-features list.
const {test} = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const {pathToFileURL} = require('url');

const load = () => import(pathToFileURL(path.join(__dirname, 'browser', 'lighthouse-run.mjs')).href);

test('cpuMultiplier: 4× from 1750 up, proportional below, between 1× and 4×', async () => {
  const {cpuMultiplier} = await load();
  assert.equal(cpuMultiplier(1750), 4);
  assert.equal(cpuMultiplier(2600), 4);          // a faster host keeps the default
  assert.equal(cpuMultiplier(1500), 3.4);        // bottom of the high-end desktop bracket
  assert.equal(cpuMultiplier(1175), 2.7);        // this project's 2-core VM on 2026-11-29
  assert.equal(cpuMultiplier(875), 2);           // 4 × 875 / 1750
  assert.equal(cpuMultiplier(300), 1);           // a phone-class host: no slowdown, not a speed-up
  assert.equal(cpuMultiplier(0), 4);             // unmeasured: Lighthouse's default
  assert.equal(cpuMultiplier(NaN), 4);
});

test('medianIndex: the middle reading, without failed (0) ones', async () => {
  const {medianIndex} = await load();
  assert.equal(medianIndex([1310, 1060, 1180]), 1180);
  assert.equal(medianIndex([1200, 0, 900, 1500, NaN]), 1200);
  assert.ok(Number.isNaN(medianIndex([])));
});

test('chromeFlags: chrome-launcher defaults minus RenderDocument, plus the harness flags', async () => {
  const {chromeFlags} = await load();
  const {Launcher} = await import('chrome-launcher');
  const flags = chromeFlags();
  const feat = flags.filter((f) => f.startsWith('--disable-features='));
  assert.equal(feat.length, 1, 'one --disable-features switch (a second would replace the first)');
  const names = feat[0].split('=')[1].split(',');
  assert.ok(!names.includes('RenderDocument'));
  const want = Launcher.defaultFlags().find((f) => f.startsWith('--disable-features=')).split('=')[1].split(',')
    .filter((n) => n !== 'RenderDocument');
  assert.ok(want.length >= 5);
  assert.deepEqual(names, want);
  for (const f of ['--headless=new', '--no-sandbox', '--disable-background-networking', '--no-first-run']) {
    assert.ok(flags.includes(f), f);
  }
});
