/* nnmath page — part 1, "The data": a filterable grid of all 1,797 digits (one canvas), and the
 * chosen digit as an 8×8 image, as its 64 numbers 0..16 and as the 64×1 column x = pixels ÷ 16. */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, F = root.NNPageFormat, D = root.NNPageDigits, P = root.NNPagePalette;
  var h = Dom.h;

  var els = {}, ctx = null, atlas = null, layout = null, rows = [], cursor = 0, lastFilter = null;
  var lastDigit = -1, cellPx = 28, paintQueued = false;

  function inkCss(v) { return P.css(P.ink(v)); }

  /* All digits drawn once, 8×8 each, into an offscreen atlas (64 digits per atlas row). */
  function buildAtlas(digits) {
    var per = 64, n = digits.count, aw = per * 8, ah = Math.max(1, Math.ceil(n / per)) * 8;
    var c = document.createElement('canvas');
    c.width = aw; c.height = ah;
    var g = c.getContext('2d'), img = g.createImageData(aw, ah), d = img.data;
    var lut = [];
    for (var v = 0; v <= 16; v++) lut.push(P.ink(v));
    for (var k = 0; k < n; k++) {
      var ox = (k % per) * 8, oy = Math.floor(k / per) * 8;
      for (var i = 0; i < 64; i++) {
        var px = digits.pixels[k * 64 + i], rgb = lut[px] || P.ink(px);
        var p = ((oy + (i >> 3)) * aw + ox + (i & 7)) * 4;
        d[p] = rgb[0]; d[p + 1] = rgb[1]; d[p + 2] = rgb[2]; d[p + 3] = 255;
      }
    }
    g.putImageData(img, 0, 0);
    return c;
  }

  function mount(section, context) {
    ctx = context;
    var counts = D.countByLabel(ctx.digits.labels);

    els.filter = h('fieldset', {class: 'chips'}, [h('legend', null, 'Show the digits labelled')]);
    ['all', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].forEach(function (v) {
      var id = 'filter-' + v;
      var input = h('input', {type: 'radio', name: 'digit-filter', id: id, value: v});
      input.addEventListener('change', function () { if (input.checked) ctx.set('filter', v); });
      var text = v === 'all' ? 'All' : v;
      els.filter.appendChild(h('span', {class: 'chip'}, [input, h('label', {for: id,
        title: v === 'all' ? F.int(ctx.digits.count) + ' digits' : F.int(counts[+v]) + ' digits'}, text)]));
    });

    els.canvas = h('canvas', {tabindex: '0', 'data-testid': 'digit-grid', class: 'digit-grid',
      role: 'application', 'aria-roledescription': 'digit grid'});
    // Only the rows in view are drawn: the canvas is the size of the scrolling window and stays in
    // it (position: sticky) while els.spacer, as tall as the whole grid, scrolls.  (One canvas for
    // all 1,797 digits was megapixels big, slow to make and to draw on a phone.)
    els.spacer = h('div', {class: 'grid-spacer'}, els.canvas);
    els.scroll = h('div', {class: 'grid-scroll'}, els.spacer);
    els.count = h('p', {class: 'muted small', id: 'data-grid-help'});
    els.canvas.setAttribute('aria-describedby', 'data-grid-help');

    els.title = h('h3', {class: 'detail-title'});
    els.where = h('p', {class: 'muted small'});
    els.image = h('canvas', {class: 'digit-big', role: 'img'});
    els.table = h('table', {class: 'pixel-table'});
    els.column = h('ol', {class: 'xcol', tabindex: '0', 'aria-label': 'x, the 64 by 1 column'});

    // written in HTML, not MathML: this is the page's first part, and the first use of the math
    // font (reading its MATH table) made the start-up's layout 35-40 ms longer on a slow machine
    var formula = h('span', {class: 'fx', role: 'math', 'aria-label': 'x i equals p i over 16'}, [
      h('var', null, 'x'), h('sub', null, h('var', null, 'i')), ' = ',
      h('var', null, 'p'), h('sub', null, h('var', null, 'i')), '\u2009/\u200916']);

    Dom.partHead(section, 'data', 'The data: pictures are numbers');
    section.appendChild(h('div', {class: 'prose'}, [
      h('p', null, ['We teach a computer to read hand-written digits. Our examples are ',
        h('strong', null, F.int(ctx.digits.count) + ' small pictures'),
        ', each 8 pixels wide and 8 pixels high, with the digit it shows (its ', h('em', null, 'label'), ').']),
      h('p', null, ['To make them, people wrote digits on a form. Each digit was scanned as a 32×32 ' +
        'black-and-white picture, then cut into 4×4 blocks; each of our 64 pixels counts the inked dots ' +
        'in one block, so it is a whole number from 0 (white) to 16 (black).'])
    ]));

    var detail = h('div', {class: 'data-detail', 'aria-live': 'polite'}, [els.title, els.where,
      h('div', {class: 'triptych'}, [
        h('figure', {class: 'fig'}, [els.image, h('figcaption', null, 'The picture: 8×8 pixels')]),
        h('figure', {class: 'fig'}, [h('div', {class: 'table-wrap'}, els.table),
          h('figcaption', null, 'Its 64 numbers, 0 to 16, row by row')]),
        h('figure', {class: 'fig fig-x'}, [h('div', {class: 'shape-label'}, [h('span', {class: 'mvar'}, 'x'), ' (64×1)']),
          els.column, h('figcaption', null, ['The column the network reads: ', formula,
            ', the pixels one row after another, top row first.'])])
      ])]);

    section.appendChild(h('div', {class: 'data-layout'}, [
      h('div', {class: 'data-browse'}, [els.filter, els.count, els.scroll]), detail]));

    section.appendChild(h('div', {class: 'prose'}, [
      h('p', {class: 'source'}, ['Data: ', h('cite', null, 'UCI Optical Recognition of Handwritten Digits'),
        ', E. Alpaydin and C. Kaynak (1998), CC BY 4.0. These ' + F.int(ctx.digits.count) +
        ' digits are the part written by 13 people. The page keeps 20% of them aside as a ',
        h('strong', null, 'test set'), ' that the network never trains on. Because the split is random, ' +
        'each writer’s digits end up on both sides, so the test digits look a little more familiar ' +
        'than a stranger’s handwriting would: the test accuracy flatters the network a little.'])]));

    els.canvas.addEventListener('click', function (e) {
      var r = els.spacer.getBoundingClientRect();
      var k = D.hitTest(layout, e.clientX - r.left - 3, e.clientY - r.top - 3);
      if (k >= 0) { cursor = k; ctx.selectDigit(rows[k]); }
    });
    els.canvas.addEventListener('keydown', function (e) {
      // the views are drawn a frame after the state changes: a key pressed in between moves
      // through the rows of the filter the state holds now, not the ones drawn last
      if (ctx.state.filter !== lastFilter) { filterRows(ctx.state); drawGrid(false); }
      if (!layout || !rows.length) return;
      var k = D.navigate(cursor, e.key, layout, Math.max(1, Math.floor(els.scroll.clientHeight / (cellPx + 3))));
      if (k !== cursor || e.key === 'Home' || e.key === 'End') {
        e.preventDefault();
        cursor = k;
        ctx.selectDigit(rows[k]);
      }
    });
    Dom.onResize(els.scroll, function () { drawGrid(true); });
    els.scroll.addEventListener('scroll', function () {
      if (paintQueued) return;
      paintQueued = true;
      root.requestAnimationFrame(function () { paintQueued = false; paintGrid(); });
    }, {passive: true});
  }

  function drawGrid(relayout) {
    if (!ctx || !ctx.digits.count) return;
    if (!atlas) atlas = buildAtlas(ctx.digits);
    var width = els.scroll.clientWidth - 8;
    if (width <= 0) return;
    cellPx = width < 420 ? 26 : 30;
    if (relayout || !layout || layout.n !== rows.length) layout = D.gridLayout(rows.length, width, cellPx, 3);
    var fullH = layout.height + 6;
    els.spacer.style.height = fullH + 'px';
    Dom.sizeCanvas(els.canvas, layout.width + 6, Math.max(1, Math.min(fullH, els.scroll.clientHeight - 8)));
    paintGrid();
  }

  /* Draw the rows that the canvas covers now (grid coordinates: the canvas's offset in the spacer). */
  function paintGrid() {
    if (!layout || !atlas) return;
    var cw = layout.width + 6, chCss = parseFloat(els.canvas.style.height) || 0;
    var dpr = els.canvas.width / cw;
    var top = els.canvas.getBoundingClientRect().top - els.spacer.getBoundingClientRect().top;
    var g = els.canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, cw, chCss);
    g.setTransform(dpr, 0, 0, dpr, 0, -top * dpr);
    g.imageSmoothingEnabled = false;
    var step = layout.cell + layout.gap;
    var from = Math.max(0, Math.floor((top - 6) / step) * layout.cols);
    var to = Math.min(rows.length, (Math.floor((top + chCss) / step) + 1) * layout.cols);
    for (var k = from; k < to; k++) {
      var r = D.cellRect(layout, k), row = rows[k];
      g.drawImage(atlas, (row % 64) * 8, Math.floor(row / 64) * 8, 8, 8, r.x + 3, r.y + 3, r.w, r.h);
    }
    // light frame around each digit so white digits are visible as tiles
    g.strokeStyle = '#d5d9e0';
    g.lineWidth = 1;
    for (k = from; k < to; k++) {
      var q = D.cellRect(layout, k);
      g.strokeRect(q.x + 2.5, q.y + 2.5, q.w + 1, q.h + 1);
    }
    var at = rows.indexOf(ctx.state.digit);
    if (at >= 0) {
      var s = D.cellRect(layout, at);
      g.lineWidth = 3; g.strokeStyle = '#ffffff';
      g.strokeRect(s.x + 1.5, s.y + 1.5, s.w + 3, s.h + 3);
      g.lineWidth = 2; g.strokeStyle = '#c2410c';
      g.strokeRect(s.x + 1, s.y + 1, s.w + 4, s.h + 4);
    }
  }

  function scrollToCursor() {
    if (!layout || cursor < 0) return;
    var r = D.cellRect(layout, cursor), sc = els.scroll;
    if (r.y < sc.scrollTop) sc.scrollTop = Math.max(0, r.y - 4);
    else if (r.y + r.h + 8 > sc.scrollTop + sc.clientHeight) sc.scrollTop = r.y + r.h + 8 - sc.clientHeight;
  }

  function drawDetail(model) {
    var row = model.state.digit, digits = model.digits;
    if (row >= digits.count) return;
    var px = D.pixelsOf(digits, row), label = digits.labels[row];
    els.title.textContent = 'Digit #' + F.int(row) + ': a hand-written ' + label;
    els.where.textContent = model.split ? (model.split.isTest[row]
      ? 'In the test set: the network never trains on it.' : 'In the training set: the network learns from it.') : '';
    var size = 136;
    var g = Dom.sizeCanvas(els.image, size, size);
    Dom.drawDigit(g, px, 0, 0, size, inkCss);
    g.strokeStyle = '#9aa3b2'; g.lineWidth = 1; g.strokeRect(0.5, 0.5, size - 1, size - 1);
    els.image.setAttribute('aria-label', D.describe(px, label) + ', digit number ' + row);

    Dom.clear(els.table);
    els.table.appendChild(h('caption', {class: 'visually-hidden'}, 'The 64 pixel values of digit ' + row));
    var tb = h('tbody');
    for (var r = 0; r < 8; r++) {
      var tr = h('tr');
      for (var c = 0; c < 8; c++) {
        var v = px[r * 8 + c], rgb = P.ink(v);
        var td = h('td', null, String(v));
        td.style.backgroundColor = P.css(rgb);
        td.style.color = P.textOn(rgb);
        tr.appendChild(td);
      }
      tb.appendChild(tr);
    }
    els.table.appendChild(tb);

    Dom.clear(els.column);
    for (var i = 0; i < 64; i++) {
      var rgbx = P.ink(px[i]);
      var val = h('span', {class: 'xval'}, F.num(px[i] / 16, 2));
      val.style.backgroundColor = P.css(rgbx);
      val.style.color = P.textOn(rgbx);
      els.column.appendChild(h('li', null, [h('span', {class: 'xidx'}, 'x' + F.toSubscript(i + 1)), val]));
    }
  }

  /* rows = the digits the filter of state st shows; the cursor on the selected one if shown. */
  function filterRows(st) {
    rows = D.filterRows(ctx.digits.labels, st.filter);
    lastFilter = st.filter;
    layout = null;
    placeCursor(st);
  }

  function placeCursor(st) {
    var at = rows.indexOf(st.digit);
    if (at >= 0) cursor = at; else if (cursor >= rows.length) cursor = 0;
    return at;
  }

  function update(model, changes) {
    if (!els.canvas) return;
    var st = model.state;
    if (changes.all || changes.filter || lastFilter === null) {
      filterRows(st);
      var radio = document.getElementById('filter-' + st.filter);
      if (radio) radio.checked = true;
    }
    var at = placeCursor(st);
    if (changes.all || changes.filter || changes.digit || changes.split || lastDigit !== st.digit ||
        changes.net) {
      drawGrid(false);
      var what = st.filter === 'all' ? 'all ' + F.int(rows.length) + ' digits' :
        F.int(rows.length) + ' digits labelled ' + st.filter;
      els.count.textContent = 'Showing ' + what + '. Click or tap a digit to look at it, or focus the grid and use the arrow keys.';
      var selText = at >= 0 ? 'Selected: digit #' + st.digit + ', labelled ' + model.digits.labels[st.digit] + '.'
        : 'The selected digit is hidden by the filter; the arrow keys pick one of these.';
      els.canvas.setAttribute('aria-label', 'Grid of ' + what + '. ' + selText);
      drawDetail(model);
      if (changes.digit) { scrollToCursor(); paintGrid(); }
      lastDigit = st.digit;
    }
  }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.data = {id: 'data', mount: mount, update: update};
})(this);
