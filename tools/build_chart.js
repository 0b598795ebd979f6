#!/usr/bin/env node
// Build web/vendor/chart.line.min.js: Chart.js from the pinned npm package (node_modules/chart.js),
// with only what the lesson's two charts use — line charts on linear axes, with points, a legend
// and tooltips (LineController, LineElement, PointElement, LinearScale, Legend, Tooltip) — as one
// classic script that sets the global Chart, like the package's chart.umd.min.js (which registers
// every chart type, scale and plugin: 70.9 KB gzip instead of ~56).
//
//   node tools/build_chart.js [OUT]        (default web/vendor/chart.line.min.js)
//
// The output is committed (the page needs no npm to run); tests/vendor.test.js rebuilds it into a
// temporary file and fails if the two differ, so it cannot drift from the pinned package.
// Another chart type or plugin in the page: add it to PARTS below and run this again.
// The numbers on the axes and in the tooltips are written without Intl.NumberFormat
// (tools/chart_numbers.js: its first use costs 30-100 ms in one task on a slow computer).
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const PARTS = ['LineController', 'LineElement', 'PointElement', 'LinearScale', 'Legend', 'Tooltip'];
// ES2017: the oldest syntax esbuild can lower Chart.js's sources to (it cannot turn their object
// destructuring into ES2015); the package's own chart.umd.min.js needs ES2020 (it has `?.`).
const TARGET = ['es2017'];

function chartVersion() {
  const pkg = path.join(ROOT, 'node_modules', 'chart.js', 'package.json');
  if (!fs.existsSync(pkg)) throw new Error('node_modules/chart.js is missing: run `npm ci`');
  return JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
}

function build(out) {
  const esbuild = require('esbuild');
  const version = chartVersion();
  // Numbers without Intl (tools/chart_numbers.js): the linear scale's tick labels and its
  // tooltip values, set on the class before it is registered, so every chart gets them.
  const entry = `import {Chart, ${PARTS.join(', ')}} from 'chart.js';\n` +
    `import {numericTick, valueLabel} from './tools/chart_numbers.js';\n` +
    `LinearScale.defaults.ticks.callback = numericTick;\n` +
    `LinearScale.prototype.getLabelForValue = valueLabel;\n` +
    `Chart.register(${PARTS.join(', ')});\n` +
    `(typeof window !== 'undefined' ? window : self).Chart = Chart;\n`;
  esbuild.buildSync({
    stdin: {contents: entry, resolveDir: ROOT, sourcefile: 'chart-line-entry.js'},
    bundle: true, minify: true, format: 'iife', target: TARGET, legalComments: 'inline',
    banner: {js: `/*! Chart.js v${version} for nnmath: line charts only (${PARTS.join(', ')}), ` +
      'built from the npm package by tools/build_chart.js | MIT License, (c) Chart.js Contributors, ' +
      'with @kurkle/color (MIT, (c) Jukka Kurkela) */'},
    outfile: out, write: true, logLevel: 'silent',
  });
  return out;
}

if (require.main === module) {
  try {
    const out = path.resolve(process.argv[2] || path.join(ROOT, 'web', 'vendor', 'chart.line.min.js'));
    build(out);
    console.log(`build_chart: ${path.relative(process.cwd(), out)} (${fs.statSync(out).size} bytes)`);
  } catch (e) {
    console.error('build_chart: ' + ((e && e.message) || e));
    process.exit(1);
  }
}
module.exports = {build, PARTS, chartVersion};
