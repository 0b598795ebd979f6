#!/usr/bin/env node
// A small static file server for the lesson (node's http module, no dependencies).
//
//   node scripts/serve.js [DIR] [--csp POLICY]   serves DIR (default dist/) on
//   http://127.0.0.1:$PORT/ (PORT defaults to 8000). Loopback only.
//
// Also a module, used by tests/browser/harness.js:
//   const { createServer } = require('./scripts/serve.js');
//   const srv = await createServer({ root, csp, port: 0 });   // port 0 = any free port
//   srv.url  -> 'http://127.0.0.1:PORT/'   srv.port   await srv.close()
'use strict';

const http = require('http');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.webmanifest': 'application/manifest+json',
};

// Text-like files are sent gzip-compressed to clients that accept it, as a school's web server
// would (the page's scripts shrink to about a third). Compressed copies are kept in memory.
const COMPRESSIBLE = /^(text\/|application\/(javascript|json|manifest\+json|xml|wasm)|image\/svg\+xml)/;
const gzipCache = new Map();   // file -> {mtimeMs, size, body}

function acceptsGzip(req) {
  return /(^|[\s,])gzip(\s*;\s*q=(?!0(\.0*)?(\s|,|$))[\d.]+)?(\s*(,|$))/i.test(String(req.headers['accept-encoding'] || ''));
}

function gzipped(file, st) {
  const hit = gzipCache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.body;
  const body = zlib.gzipSync(fs.readFileSync(file), { level: 9 });
  gzipCache.set(file, { mtimeMs: st.mtimeMs, size: st.size, body });
  return body;
}

function mimeType(file) {
  return MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

function send(res, status, text, headers) {
  const body = Buffer.from(text + '\n', 'utf8');
  res.writeHead(status, Object.assign({
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
  }, headers));
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

// The request handler for one root folder. Options: csp (string, sent as
// Content-Security-Policy on every response), headers (extra headers), log
// (function(line) called for every request, or null).
function makeHandler(root, options) {
  const opts = options || {};
  const base = path.resolve(root);
  const common = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  if (opts.csp) common['Content-Security-Policy'] = opts.csp;
  Object.assign(common, opts.headers || {});

  return function handle(req, res) {
    const done = (status) => { if (opts.log) opts.log(`${status} ${req.method} ${req.url}`); };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      done(405);
      return send(res, 405, 'method not allowed', Object.assign({ Allow: 'GET, HEAD' }, common));
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch (e) {
      done(400);
      return send(res, 400, 'bad request', common);
    }
    if (pathname.includes('\0')) { done(400); return send(res, 400, 'bad request', common); }
    const file = path.join(base, path.normalize(pathname));
    if (file !== base && !file.startsWith(base + path.sep)) {
      done(403);
      return send(res, 403, 'forbidden', common);
    }
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        if (!pathname.endsWith('/')) {
          const u = new URL(req.url, 'http://localhost');
          done(301);
          return send(res, 301, 'moved', Object.assign({ Location: u.pathname + '/' + u.search }, common));
        }
        return serveFile(path.join(file, 'index.html'));
      }
      if (err || !st.isFile()) { done(404); return send(res, 404, 'not found: ' + pathname, common); }
      return serveFile(file, st);
    });

    function serveFile(f, st) {
      const go = (s) => {
        const type = mimeType(f);
        if (COMPRESSIBLE.test(type)) {
          let body = null;
          if (acceptsGzip(req)) { try { body = gzipped(f, s); } catch (e) { body = null; } }
          if (body) {
            res.writeHead(200, Object.assign({ 'Content-Type': type, 'Content-Encoding': 'gzip',
              'Content-Length': body.length, Vary: 'Accept-Encoding' }, common));
            done(200);
            return res.end(req.method === 'HEAD' ? undefined : body);
          }
        }
        res.writeHead(200, Object.assign({ 'Content-Type': type, 'Content-Length': s.size },
          COMPRESSIBLE.test(type) ? { Vary: 'Accept-Encoding' } : {}, common));
        done(200);
        if (req.method === 'HEAD') return res.end();
        const stream = fs.createReadStream(f);
        stream.on('error', () => res.destroy());
        stream.pipe(res);
      };
      if (st) return go(st);
      fs.stat(f, (err, s) => {
        if (err || !s.isFile()) { done(404); return send(res, 404, 'not found: ' + pathname, common); }
        go(s);
      });
    }
  };
}

// Start a server on 127.0.0.1. Resolves to {url, port, server, close()}.
function createServer({ root, csp, port = 0, host = '127.0.0.1', headers, log } = {}) {
  if (!root) throw new Error('createServer: root is required');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new Error(`createServer: ${root} is not a folder`);
  }
  const server = http.createServer(makeHandler(root, { csp, headers, log }));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      const actual = server.address().port;
      resolve({
        url: `http://${host}:${actual}/`,
        port: actual,
        server,
        close() {
          return new Promise((res) => {
            server.close(() => res());
            server.closeAllConnections();
          });
        },
      });
    });
  });
}

module.exports = { createServer, makeHandler, mimeType, MIME };

if (require.main === module) {
  const args = process.argv.slice(2);
  let dir = null;
  let csp = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--csp') csp = args[++i];
    else if (args[i] === '-h' || args[i] === '--help') {
      console.log('usage: node scripts/serve.js [DIR] [--csp POLICY]   (PORT=8000 by default)');
      process.exit(0);
    } else dir = args[i];
  }
  const root = path.resolve(dir || path.join(__dirname, '..', 'dist'));
  const port = Number(process.env.PORT || 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: PORT must be a number from 0 to 65535, got "${process.env.PORT}"`);
    process.exit(2);
  }
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    console.error(`serve: ${root}/index.html not found (run \`make dist\` first)`);
    process.exit(1);
  }
  const log = (line) => { if (!line.startsWith('200 ')) console.error(line); };
  createServer({ root, csp, port, log }).then((srv) => {
    console.log(`Serving ${root}`);
    console.log(`Open ${srv.url}  (Ctrl+C to stop)`);
    const stop = () => { srv.close().then(() => process.exit(0)); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }, (err) => {
    if (err.code === 'EADDRINUSE') {
      console.error(`serve: port ${port} is in use; try PORT=8001 make run`);
    } else {
      console.error(`serve: ${err.message}`);
    }
    process.exit(1);
  });
}
