#!/usr/bin/env node
// Minify the page's own scripts and style sheets in a dist/ folder, in place (esbuild, from npm).
//
//   node tools/minify.js DIR
//
// Called by tools/build_dist.sh right after it has copied web/ into dist/ (before the built cores
// and digits join it). Minifies DIR/**/*.js and DIR/**/*.css except vendor/ (Chart.js as npm ships
// it). The readable sources stay in web/; `NNMATH_MINIFY=0 make dist` skips this step.
//
// The page's scripts are classic scripts, nearly all ES5 (var, function; a class or two) for old
// school browsers; the target below keeps the output to what those browsers read (esbuild must not
// turn `a != null ? a : b` into `??`, or four CSS offsets into `inset`). Top-level names are kept:
// without an output format esbuild does not rename them, and the scripts share them as globals.
// Licence comments (/*! … */) stay.
'use strict';

const fs = require('fs');
const path = require('path');

const TARGET = ['es2015', 'chrome61', 'edge79', 'firefox60', 'safari11', 'ios11'];
const SKIP = /^vendor\//;

function die(msg) {
  process.stderr.write('minify: ' + msg + '\n');
  process.exit(1);
}

function loadEsbuild() {
  try {
    return require('esbuild');
  } catch (e) {
    die('esbuild is not installed (npm dev dependency): run `make setup` or `npm ci` ' +
        '(or build without minifying: NNMATH_MINIFY=0 make dist)');
  }
}

function walk(dir, rel, out) {
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? rel + '/' + e.name : e.name;
    if (e.isDirectory()) walk(dir, r, out);
    else if (/\.(js|css)$/.test(e.name) && !SKIP.test(r)) out.push(r);
  }
  return out;
}

function main() {
  const dir = process.argv[2];
  if (!dir || !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) die('usage: node tools/minify.js DIR');
  const esbuild = loadEsbuild();
  let before = 0, after = 0;
  const files = walk(dir, '', []).sort();
  for (const rel of files) {
    const file = path.join(dir, rel);
    const src = fs.readFileSync(file, 'utf8');
    const css = rel.endsWith('.css');
    let out;
    try {
      out = esbuild.transformSync(src, {
        loader: css ? 'css' : 'js',
        minify: true,
        target: TARGET,
        legalComments: 'inline',
        charset: 'utf8',
        sourcefile: rel,
      });
    } catch (e) {
      die(rel + ': ' + e.message);
    }
    for (const w of out.warnings) process.stderr.write('minify: ' + rel + ': warning: ' + w.text + '\n');
    fs.writeFileSync(file, out.code);
    before += Buffer.byteLength(src);
    after += Buffer.byteLength(out.code);
  }
  console.log('minified ' + files.length + ' scripts and style sheets: ' +
    Math.round(before / 1024) + ' KiB -> ' + Math.round(after / 1024) + ' KiB');
}

main();
