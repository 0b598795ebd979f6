#!/usr/bin/env node
// Let the browser fetch a page's scripts all at once: add <link rel="preload" as="script"> to the
// <head> of each HTML file in a dist/ folder, in place, one per <script src> of that file, in order.
//
//   node tools/preload.js DIR
//
// Why: every page carries its Content-Security-Policy in a <meta> tag (there are no HTTP headers on
// file:// or on a plain web server), and in Chromium any <meta> CSP stops the preload scanner
// (crbug.com/1458493). Without it the page's ~45 classic scripts at the end of <body> are fetched one
// after another, each only once the one before has run: measured on the lesson page, the last one
// started 1.2 s after the first. <link rel="preload"> elements in the <head> are fetched by the
// parser itself as soon as it reads them, before the first script blocks it, so the fetches overlap.
// Called by tools/build_dist.sh; web/*.html stay as written (the list is made from them, so it
// cannot drift). Scripts that a page loads itself later (the chosen core, an embed's parts) are
// not listed: they are not in its HTML.
'use strict';

const fs = require('fs');
const path = require('path');

const MARK = '<!-- preloads: made by tools/preload.js from the scripts below -->';

function die(msg) {
  process.stderr.write('preload: ' + msg + '\n');
  process.exit(1);
}

// The src of every <script src="…"> of the page, in document order (comments skipped).
function scriptSources(html) {
  const text = html.replace(/<!--[\s\S]*?-->/g, '');
  const out = [];
  const re = /<script\b[^>]*\bsrc="([^"]+)"[^>]*>/gi;
  let m;
  while ((m = re.exec(text))) out.push(m[1]);
  return out;
}

function addPreloads(html) {
  if (html.includes(MARK)) return html;                       // already done
  const srcs = scriptSources(html);
  const end = html.search(/<\/head>/i);
  if (!srcs.length || end < 0) return html;
  const indent = '';
  const lines = [MARK].concat(srcs.map((s) => '<link rel="preload" href="' + s + '" as="script">'));
  return html.slice(0, end) + lines.map((l) => indent + l + '\n').join('') + html.slice(end);
}

function main() {
  const dir = process.argv[2];
  if (!dir || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) die('usage: node tools/preload.js DIR');
  let pages = 0, links = 0;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.html')).sort()) {
    const file = path.join(dir, name);
    const html = fs.readFileSync(file, 'utf8');
    const out = addPreloads(html);
    if (out !== html) {
      fs.writeFileSync(file, out);
      pages++;
      links += scriptSources(html).length;
    }
  }
  console.log('preload links: ' + links + ' in ' + pages + ' pages');
}

if (require.main === module) main();
module.exports = { scriptSources, addPreloads, MARK };
