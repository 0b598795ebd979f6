#!/usr/bin/env node
/*
 * tools/pack_data.js — pack the digits CSV into a classic script for the page.
 *
 *   node tools/pack_data.js data/digits.csv build-wasm/digits-data.js
 *
 * Input: per line 64 integers 0..16 then a label 0..9, comma-separated, no
 * header, "\n" or "\r\n", final newline optional.  Every row is validated; any
 * problem stops the script with exit code 1 and a message naming the line and
 * column (1-based).  Output (docs/CONTRACTS.md, "Data script format"):
 *
 *   (function (root) { var d = {count: N, pixels: "<N*64 chars>", labels: "<N chars>"};
 *     if (typeof module === 'object' && module.exports) module.exports = d; else root.NNMATH_DIGITS = d;
 *   })(this);
 *
 * pixel value v (0..16) is the character with code 65+v ('A'..'Q'); label c is
 * '0'+c; row-major, rows in CSV order.  The script is written atomically (a
 * temporary file renamed into place), so a failed run never leaves a partial
 * output behind.
 */
'use strict';

const fs = require('fs');
const path = require('path');

const MAX_ROWS = 100000;

/** Parse and validate the CSV text. Returns {count, pixels: string, labels: string}. */
function packCSV(text) {
  if (text.charCodeAt(0) === 0xfeff) throw new Error('line 1: the file starts with a byte-order mark; save it as plain ASCII');
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop(); // optional final newline
  if (lines.length === 0) throw new Error('the file is empty');
  if (lines.length > MAX_ROWS) throw new Error(`the file has ${lines.length} rows; at most ${MAX_ROWS} are allowed`);
  const pix = [];
  const lab = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const where = `line ${i + 1}`;
    if (line === '') throw new Error(`${where}: the line is empty`);
    const cells = line.split(',');
    if (cells.length !== 65) {
      throw new Error(`${where}: expected 65 comma-separated values (64 pixels and a label), found ${cells.length}`);
    }
    let rowPix = '';
    for (let c = 0; c < 65; c++) {
      const cell = cells[c];
      const isLabel = c === 64;
      const max = isLabel ? 9 : 16;
      if (!/^[0-9]+$/.test(cell) || Number(cell) > max) {
        const what = isLabel ? 'the label must be a whole number from 0 to 9'
                             : 'a pixel must be a whole number from 0 to 16';
        throw new Error(`${where}, column ${c + 1}: ${what}, found ${JSON.stringify(cell)}`);
      }
      const v = Number(cell);
      if (isLabel) lab.push(String.fromCharCode(48 + v));
      else rowPix += String.fromCharCode(65 + v);
    }
    pix.push(rowPix);
  }
  return { count: lines.length, pixels: pix.join(''), labels: lab.join('') };
}

/** The data script's text for a packed object. */
function toScript(d) {
  return '(function (root) { var d = {count: ' + d.count + ', pixels: "' + d.pixels +
    '", labels: "' + d.labels + '"};\n' +
    "  if (typeof module === 'object' && module.exports) module.exports = d; else root.NNMATH_DIGITS = d;\n" +
    '})(this);\n';
}

function main(argv) {
  if (argv.length !== 2) {
    process.stderr.write('usage: node tools/pack_data.js INPUT.csv OUTPUT.js\n');
    return 2;
  }
  const [input, output] = argv;
  let text;
  try {
    text = fs.readFileSync(input, 'latin1');
  } catch (e) {
    process.stderr.write(`pack_data: cannot read ${input}: ${e.message}\n`);
    return 1;
  }
  let packed;
  try {
    packed = packCSV(text);
  } catch (e) {
    process.stderr.write(`pack_data: ${input}: ${e.message}\n`);
    return 1;
  }
  const tmp = path.join(path.dirname(output), '.' + path.basename(output) + '.' + process.pid + '.tmp');
  try {
    fs.mkdirSync(path.dirname(output), { recursive: true });
    fs.writeFileSync(tmp, toScript(packed));
    fs.renameSync(tmp, output);
  } catch (e) {
    try { fs.unlinkSync(tmp); } catch (_) { /* nothing to clean */ }
    process.stderr.write(`pack_data: cannot write ${output}: ${e.message}\n`);
    return 1;
  }
  process.stdout.write(`pack_data: ${packed.count} rows -> ${output}\n`);
  return 0;
}

module.exports = { packCSV, toScript };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
