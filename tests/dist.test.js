// dist/ as made by `make dist` (tools/build_dist.sh): web/ (its scripts and style sheets
// minified by tools/minify.js) plus the wasm cores and the data script, and a zip that unpacks
// to one folder.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const NEED = ['index.html', 'js/nnmath-core-simd.js', 'js/nnmath-core-scalar.js',
  'js/digits-data.js', 'vendor/chart.line.min.js', 'vendor/chart.js.LICENSE.md'];

// Names of the entries of a zip file, read from its central directory.
function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  assert.ok(eocd >= 0, 'not a zip file: ' + file);
  const count = buf.readUInt16LE(eocd + 10);
  let off = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    assert.strictEqual(buf.readUInt32LE(off), 0x02014b50, 'bad central directory');
    const nameLen = buf.readUInt16LE(off + 28);
    const extraLen = buf.readUInt16LE(off + 30);
    const commentLen = buf.readUInt16LE(off + 32);
    names.push(buf.toString('utf8', off + 46, off + 46 + nameLen));
    off += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

function listFiles(dir, prefix = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel + '/'));
    else out.push(rel);
  }
  return out;
}

test('dist/ holds the page, the wasm cores and the data', () => {
  assert.ok(fs.existsSync(DIST), 'dist/ is missing: run `make dist`');
  for (const f of NEED) assert.ok(fs.existsSync(path.join(DIST, f)), 'dist/' + f + ' is missing');
  for (const f of ['nnmath-core-simd.js', 'nnmath-core-scalar.js', 'digits-data.js']) {
    assert.ok(fs.readFileSync(path.join(ROOT, 'build-wasm', f))
      .equals(fs.readFileSync(path.join(DIST, 'js', f))), 'dist/js/' + f + ' is stale');
  }
  // Everything in web/ made it: unchanged, or (the page's own scripts and style sheets) minified.
  const minified = [];
  for (const f of listFiles(path.join(ROOT, 'web'))) {
    const src = fs.readFileSync(path.join(ROOT, 'web', f));
    const out = fs.readFileSync(path.join(DIST, f));
    if (/\.(js|css)$/.test(f) && !f.startsWith('vendor/')) minified.push({ f, src, out });
    else assert.ok(src.equals(out), 'dist/' + f + ' differs from web/' + f);
  }
  assert.ok(minified.length >= 40, 'only ' + minified.length + ' scripts and style sheets in web/?');
  if (process.env.NNMATH_MINIFY === '0') return;
  for (const { f, src, out } of minified) {
    // Minified: smaller, its comments gone, yet the same program (the browser tests run dist/;
    // here, every string the user can read is still there).
    assert.ok(out.length < src.length, 'dist/' + f + ' is not minified (run `make dist`)');
    if (f.endsWith('.js')) {
      const text = out.toString('utf8');
      assert.ok(!/^\s*\/\/ /m.test(text), 'dist/' + f + ' still has line comments');
      const strings = src.toString('utf8').match(/'[A-Z][a-z]+ [^'\\]{12,60}'/g) || [];
      for (const s of strings.slice(0, 5)) {
        assert.ok(text.includes(s.slice(1, -1)), 'dist/' + f + ' lost the text ' + s);
      }
    }
  }
});

test('tools/minify.js keeps the syntax old browsers read, and refuses what it cannot parse', () => {
  const { execFileSync, spawnSync } = require('child_process');
  const os = require('os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-minify-'));
  try {
    fs.mkdirSync(path.join(dir, 'js'));
    fs.mkdirSync(path.join(dir, 'vendor'));
    fs.writeFileSync(path.join(dir, 'js', 'a.js'),
      '// a comment\nvar shared = 1;\nfunction pick(a, b) { return a != null ? a : b; }\n');
    fs.writeFileSync(path.join(dir, 'a.css'), '.x { top: 0; right: 0; bottom: 0; left: 0; }\n');
    const vendor = '/* keep */ var   v = 1;\n';
    fs.writeFileSync(path.join(dir, 'vendor', 'v.js'), vendor);
    execFileSync(process.execPath, [path.join(ROOT, 'tools', 'minify.js'), dir], { stdio: 'pipe' });
    const js = fs.readFileSync(path.join(dir, 'js', 'a.js'), 'utf8');
    assert.ok(!js.includes('comment') && !js.includes('??'), js);
    assert.match(js, /var shared\s*=\s*1/, 'a top-level (global) name was renamed: ' + js);
    assert.match(js, /function pick\(/);
    const css = fs.readFileSync(path.join(dir, 'a.css'), 'utf8');
    assert.ok(!css.includes('inset'), css);
    assert.match(css, /top:0/);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'vendor', 'v.js'), 'utf8'), vendor);
    fs.writeFileSync(path.join(dir, 'js', 'bad.js'), 'var = ;\n');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'tools', 'minify.js'), dir], { encoding: 'utf8' });
    assert.strictEqual(r.status, 1);
    assert.match(r.stderr, /minify: js\/bad\.js: /);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('dist/nnmath-lesson.zip unpacks to one folder nnmath-lesson/ with the whole dist', () => {
  const zip = path.join(DIST, 'nnmath-lesson.zip');
  assert.ok(fs.existsSync(zip), 'dist/nnmath-lesson.zip is missing: run `make dist`');
  const names = zipEntries(zip);
  for (const n of names) assert.ok(n.startsWith('nnmath-lesson/'), 'entry outside the folder: ' + n);
  const files = names.filter((n) => !n.endsWith('/')).map((n) => n.slice('nnmath-lesson/'.length));
  const expected = listFiles(DIST).filter((f) => f !== 'nnmath-lesson.zip');
  assert.deepStrictEqual(files.slice().sort(), expected.sort());
  for (const f of NEED) assert.ok(files.includes(f), f + ' is not in the zip');
});

// Issue 8's page-weight budget, for what the lesson page loads by itself: index.html, the scripts
// and style sheets it links, and the core js/nnmath.js then picks (the larger of the two). A lazy
// part's files come later (js/page/app.js; bench/page_metrics.js measures what a browser really
// loads before the page is interactive: these plus the part or two within a screen of view).
test('what index.html loads by itself is under 150 KB gzip -9', () => {
  const zlib = require('zlib');
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<script src="([^"]+)"/g), ...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(refs.includes('js/nnmath.js') && refs.includes('js/digits-data.js') && refs.includes('css/page.css'), refs.join(' '));
  const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(DIST, f)), { level: 9 }).length;
  const core = ['js/nnmath-core-simd.js', 'js/nnmath-core-scalar.js'].reduce((a, b) => (gz(a) >= gz(b) ? a : b));
  const files = ['index.html'].concat(refs, [core]);
  const sizes = files.map((f) => [f, gz(f)]).sort((a, b) => b[1] - a[1]);
  const total = sizes.reduce((t, x) => t + x[1], 0);
  console.log(`# ${files.length} files, ${total} B gzip -9: ` + sizes.map((x) => `${x[0]} ${x[1]}`).join(', '));
  assert.ok(total <= 150000, `index.html loads ${total} B gzip -9 before any lazy part (budget 150,000)`);
});
