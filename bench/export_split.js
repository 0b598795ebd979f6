// Export the 80/20 stratified split our core makes (seed 1) as bench/out/split.json, so that
// every contender trains and tests on exactly the same rows of data/digits.csv.
'use strict';
const path = require('path');
const { ROOT, OUT, readDigits, writeJSON } = require('./lib/node-data.js');
const NNMath = require(path.join(ROOT, 'web', 'js', 'nnmath.js'));

(async () => {
  const data = readDigits();
  const core = await NNMath.load({ simd: false, coreDir: path.join(ROOT, 'build-wasm') });
  const ds = core.dataset({ pixels: data.pixels, labels: data.labels, scale: 'unit' });
  ds.split({ testFraction: 0.2, seed: 1 });
  const train = Array.from(ds.rows('train')), test = Array.from(ds.rows('test'));
  ds.dispose();
  writeJSON(path.join(OUT, 'split.json'), {
    source: 'NNMath wrapper: dataset.split({testFraction: 0.2, seed: 1}); rows("train"), rows("test")',
    data: 'data/digits.csv', count: data.count, testFraction: 0.2, seed: 1, train, test,
  });
  console.log(`split.json: ${train.length} train rows, ${test.length} test rows (of ${data.count})`);
})().catch((e) => { console.error(e); process.exit(1); });
