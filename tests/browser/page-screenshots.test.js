'use strict';
// Screenshots of the lesson page at phone, tablet and laptop sizes, saved as test artifacts in
// tests/artifacts/ (git-ignored): page-WxH.png (what a student first sees), page-WxH-full.png
// (the whole page after training the "Improved" network, forward view at its first layer) and
// page-WxH-forward.png (the forward-propagation part).  Run alone with
//   node --test tests/browser/page-screenshots.test.js
const {describe, it, before, after} = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const H = require('./page-helpers.js');

const OUT = path.join(H.ROOT, 'tests', 'artifacts');
const SIZES = [[360, 640], [768, 1024], [1366, 768]];
const root = H.pageRoot();
let browser;

before(async () => { browser = await H.launch(); fs.mkdirSync(OUT, {recursive: true}); });
after(async () => { if (browser) await browser.close(); });

describe('page screenshots', {timeout: 240000}, () => {
  for (const [w, h] of SIZES) {
    it(w + '×' + h, async () => {
      const {context, page, log} = await H.openLesson(browser, 'file://' + root.dir + '/index.html#preset=improved',
        {viewport: {width: w, height: h}, deviceScaleFactor: 1, reducedMotion: 'reduce'});
      await page.waitForFunction(() => window.NNPageApp.debug().settled);
      const first = path.join(OUT, `page-${w}x${h}.png`);
      await page.screenshot({path: first});
      await page.click('[data-testid=train]');
      await page.waitForFunction(() => {
        const d = window.NNPageApp.debug();
        return !d.training && d.epoch >= d.state.epochs && d.settled;
      }, null, {timeout: 30000});
      for (let i = 0; i < 3; i++) await page.click('[data-testid=forward-step]');
      await page.focus('#forward .vec-result .cell[data-i="2"]');
      await page.locator('#evaluation [data-testid=confusion-matrix] td[data-pos="38"]').click();
      await page.waitForFunction(() => window.NNPageApp.debug().settled);
      await page.locator('#forward').screenshot({path: path.join(OUT, `page-${w}x${h}-forward.png`)});
      const full = path.join(OUT, `page-${w}x${h}-full.png`);
      await page.screenshot({path: full, fullPage: true});
      for (const f of [first, full]) assert.ok(fs.statSync(f).size > 10000, f);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no sideways scrolling');
      assert.deepEqual(log.problems, []);
      await context.close();
    });
  }
});
