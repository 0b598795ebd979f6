// bench/lib/node-data.js — Node-only helpers: the digits CSV, the shared split, output files.
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'bench', 'out');

/* data/digits.csv -> {count, pixels: Uint8Array(count*64) 0..16, labels: Uint8Array(count)} */
function readDigits(file = path.join(ROOT, 'data', 'digits.csv')) {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const pixels = new Uint8Array(lines.length * 64), labels = new Uint8Array(lines.length);
  lines.forEach((line, i) => {
    const v = line.split(',').map(Number);
    if (v.length !== 65) throw new Error(`digits.csv line ${i + 1}: ${v.length} fields`);
    for (let k = 0; k < 64; k++) pixels[i * 64 + k] = v[k];
    labels[i] = v[64];
  });
  return { count: lines.length, pixels, labels };
}

function readSplit() {
  const file = path.join(OUT, 'split.json');
  if (!fs.existsSync(file)) throw new Error('bench/out/split.json is missing: run bench/export_split.js first');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function nowMs() { return Number(process.hrtime.bigint()) / 1e6; }

function writeJSON(file, obj) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(obj, null, 1) + '\n');
}

// --name value pairs
function args(argv = process.argv.slice(2)) {
  const a = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) {
      const k = argv[i].slice(2);
      const v = argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : true;
      a[k] = v;
    }
  }
  return a;
}

module.exports = { ROOT, OUT, readDigits, readSplit, nowMs, writeJSON, args };
