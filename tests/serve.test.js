// The static server behind `make run` and the browser tests.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { createServer, mimeType } = require('../scripts/serve.js');

function get(url, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

// A raw request, so that "/../" reaches the server unnormalised.
function raw(port, target) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: target, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves files with the right MIME types, CSP, and refuses to leave the root', async (t) => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-serve-'));
  const dir = path.join(parent, 'site');
  fs.mkdirSync(path.join(dir, 'js'), { recursive: true });
  fs.writeFileSync(path.join(parent, 'secret.txt'), 'secret');
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
  fs.writeFileSync(path.join(dir, 'js', 'a.js'), 'var a = 1;');
  fs.writeFileSync(path.join(dir, 'm.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
  fs.writeFileSync(path.join(dir, 'i.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(dir, 's.css'), 'p{}');
  fs.writeFileSync(path.join(dir, 'd.json'), '{}');
  fs.writeFileSync(path.join(dir, 'sp ace.txt'), 'space');
  const srv = await createServer({ root: dir, csp: "default-src 'self'" });
  t.after(async () => { await srv.close(); fs.rmSync(parent, { recursive: true, force: true }); });

  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const expect = {
    '': 'text/html; charset=utf-8',
    'index.html': 'text/html; charset=utf-8',
    'js/a.js': 'text/javascript; charset=utf-8',
    'm.wasm': 'application/wasm',
    'i.svg': 'image/svg+xml',
    's.css': 'text/css; charset=utf-8',
    'd.json': 'application/json; charset=utf-8',
    'sp%20ace.txt': 'text/plain; charset=utf-8',
  };
  for (const [p, type] of Object.entries(expect)) {
    const r = await get(srv.url + p);
    assert.strictEqual(r.status, 200, p);
    assert.strictEqual(r.headers['content-type'], type, p);
    assert.strictEqual(r.headers['content-security-policy'], "default-src 'self'");
    assert.strictEqual(r.headers['x-content-type-options'], 'nosniff');
    assert.strictEqual(Number(r.headers['content-length']), r.body.length);
  }
  assert.strictEqual((await get(srv.url + 'm.wasm')).body.length, 8);
  const head = await get(srv.url + 'js/a.js', 'HEAD');
  assert.strictEqual(head.status, 200);
  assert.strictEqual(head.body.length, 0);

  assert.strictEqual((await get(srv.url + 'nope.js')).status, 404);
  const redirect = await get(srv.url + 'js');
  assert.strictEqual(redirect.status, 301);
  assert.strictEqual(redirect.headers.location, '/js/');
  assert.strictEqual((await get(srv.url + 'js/')).status, 404); // no index.html there
  assert.strictEqual((await get(srv.url + 'index.html', 'POST')).status, 405);
  assert.notStrictEqual(await raw(srv.port, '/../secret.txt'), 200);
  assert.notStrictEqual(await raw(srv.port, '/%2e%2e/secret.txt'), 200);
  assert.notStrictEqual(await raw(srv.port, '/..%2fsecret.txt'), 200);
  assert.strictEqual(await raw(srv.port, '/%E0%A4%A'), 400);
});

test('mimeType falls back to octet-stream', () => {
  assert.strictEqual(mimeType('x.unknown'), 'application/octet-stream');
  assert.strictEqual(mimeType('X.WASM'), 'application/wasm');
});

test('gzip: text files are compressed for clients that accept it, byte-identical once unpacked', async (t) => {
  const zlib = require('zlib');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmath-gzip-'));
  const js = 'var digits = "' + 'ABCDEFGHIJKLMNOPQ'.repeat(2000) + '";\n';
  fs.writeFileSync(path.join(dir, 'a.js'), js);
  fs.writeFileSync(path.join(dir, 'p.png'), Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  const srv = await createServer({ root: dir, csp: "default-src 'self'" });
  t.after(async () => { await srv.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  const fetch = (file, enc, method = 'GET') => new Promise((resolve, reject) => {
    const req = http.request(srv.url + file, { method, headers: enc ? { 'Accept-Encoding': enc } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });

  const z = await fetch('a.js', 'gzip, deflate, br');
  assert.strictEqual(z.status, 200);
  assert.strictEqual(z.headers['content-encoding'], 'gzip');
  assert.strictEqual(z.headers['vary'], 'Accept-Encoding');
  assert.strictEqual(z.headers['content-security-policy'], "default-src 'self'");
  assert.strictEqual(Number(z.headers['content-length']), z.body.length);
  assert.ok(z.body.length < js.length / 10, `compressed to ${z.body.length} of ${js.length} bytes`);
  assert.strictEqual(zlib.gunzipSync(z.body).toString('utf8'), js);
  // the second request is served from the cache, the same bytes
  assert.deepStrictEqual((await fetch('a.js', 'gzip')).body, z.body);
  // HEAD: the headers only
  const head = await fetch('a.js', 'gzip', 'HEAD');
  assert.strictEqual(head.headers['content-encoding'], 'gzip');
  assert.strictEqual(head.body.length, 0);

  for (const enc of [null, 'identity', 'gzip;q=0', 'br']) {
    const plain = await fetch('a.js', enc);
    assert.strictEqual(plain.headers['content-encoding'], undefined, String(enc));
    assert.strictEqual(plain.body.toString('utf8'), js, String(enc));
  }
  // binary files that are compressed already are sent as they are
  const png = await fetch('p.png', 'gzip');
  assert.strictEqual(png.headers['content-encoding'], undefined);
  assert.strictEqual(png.body.length, 8);

  // a changed file is compressed again
  fs.writeFileSync(path.join(dir, 'a.js'), 'var changed = 1;\n');
  const again = await fetch('a.js', 'gzip');
  assert.strictEqual(zlib.gunzipSync(again.body).toString('utf8'), 'var changed = 1;\n');
});
