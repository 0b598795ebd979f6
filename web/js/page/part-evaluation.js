/* nnmath page — part 6, "Evaluation": test accuracy, the 10×10 confusion matrix (clickable and
 * keyboard-usable: it shows the digits of a cell) and a gallery of the misclassified test digits
 * with their true and predicted labels and the network's outputs. */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, F = root.NNPageFormat, P = root.NNPagePalette, D = root.NNPageDigits;
  var h = Dom.h;
  var els = {}, ctx = null, model = null, sel = {t: -1, p: -1}, focusPos = 0, galleryAll = false, lastSig = '';

  function mount(section, context) {
    ctx = context;
    Dom.partHead(section, 'evaluation', 'Evaluation: how well does it read new digits?');
    section.appendChild(h('div', {class: 'prose'}, [h('p', null, ['A network is only useful if it reads digits it has never seen. ' +
      'So we check it on the ', h('em', null, 'test set'), ': the digits kept aside, never used for training. ' +
      'Its ', h('em', null, 'accuracy'), ' is the share of test digits it reads correctly.'])]));

    els.acc = h('span', {class: 'acc-num', 'data-testid': 'test-accuracy'}, '—');
    els.accText = h('p', {class: 'acc-text'});
    els.trainAcc = h('p', {class: 'muted small'});
    els.matrix = h('table', {class: 'confusion', 'data-testid': 'confusion-matrix', role: 'grid',
      'aria-label': 'Confusion matrix: rows are the true digits, columns the predicted digits'});
    els.cellInfo = h('div', {class: 'cell-info', 'aria-live': 'polite'});
    els.gallery = h('ul', {class: 'gallery', 'aria-label': 'Misclassified test digits'});
    els.galleryHead = h('h3', {class: 'detail-title'});
    els.more = h('button', {type: 'button', class: 'btn btn-small', hidden: 'hidden'});
    els.chosen = h('p', {class: 'chosen small', 'aria-live': 'polite'});
    els.more.addEventListener('click', function () { galleryAll = !galleryAll; lastSig = ''; draw(); });

    section.appendChild(h('div', {class: 'eval-layout'}, [
      h('div', {class: 'eval-score'}, [h('p', {class: 'acc-label'}, 'Test accuracy'), els.acc, els.accText, els.trainAcc]),
      h('div', {class: 'eval-matrix'}, [
        h('h3', {class: 'detail-title'}, 'The confusion matrix'),
        h('p', {class: 'small'}, 'Row = the true digit, column = the network’s answer. The diagonal (blue) counts the right answers; ' +
          'every other cell (orange) is a kind of mistake. Click a cell, or focus the table and use the arrow keys and Enter, ' +
          'to see its digits.'),
        h('div', {class: 'table-wrap'}, els.matrix), els.cellInfo])]));
    section.appendChild(h('div', {class: 'eval-gallery'}, [els.galleryHead,
      h('p', {class: 'small'}, 'Each card: the picture, its true label → the network’s answer, and the network’s two biggest outputs. ' +
        'Choose one to follow it through parts 3 and 4.'), els.chosen, els.gallery, els.more]));
  }

  /* Thumbnails: each digit is drawn once into an 8×8 canvas, kept as a PNG data URL and shown
   * as an <img> scaled up with pixelated rendering — much cheaper than a 48×48 canvas per card
   * each time a list of cards is rebuilt (the CSP allows img-src data:). */
  var thumbCache = {};
  function thumbSource(row) {
    if (!thumbCache[row]) {
      var c = document.createElement('canvas');
      c.width = 8; c.height = 8;
      var g = c.getContext('2d'), img = g.createImageData(8, 8), px = D.pixelsOf(model.digits, row);
      for (var i = 0; i < 64; i++) {
        var rgb = P.ink(px[i]);
        img.data[i * 4] = rgb[0]; img.data[i * 4 + 1] = rgb[1]; img.data[i * 4 + 2] = rgb[2]; img.data[i * 4 + 3] = 255;
      }
      g.putImageData(img, 0, 0);
      thumbCache[row] = c.toDataURL('image/png');
    }
    return thumbCache[row];
  }
  function thumb(row) {
    return h('img', {class: 'thumb', src: thumbSource(row), width: '48', height: '48', alt: '', 'aria-hidden': 'true'});
  }

  function outText(out, k) {
    return model.state.output === 'softmax' ? F.percent(out[k], 0) : F.num(out[k], 2);
  }

  function card(i, selected) {
    var pr = model.predictions, row = pr.rows[i], t = model.digits.labels[row], p = pr.pred[i];
    var out = pr.out.subarray(i * 10, i * 10 + 10), rank = D.ranking(out);
    // The name is the visible text plus hidden words around it (a name that differs from the
    // visible text confuses voice control): "Digit #12: true 5, predicted 3. Outputs: 3: 61% · 5: 30%".
    var sr = function (text) { return h('span', {class: 'visually-hidden'}, text); };
    var btn = h('button', {type: 'button', class: 'card' + (selected ? ' is-selected' : ''),
      'aria-pressed': String(selected)}, [
      thumb(row),
      h('span', {class: 'card-labels'}, [sr('Digit #' + row + ': true '), h('span', {class: 'true-l'}, String(t)),
        h('span', {'aria-hidden': 'true'}, ' → '), sr(', predicted '),
        h('span', {class: p === t ? 'pred-ok' : 'pred-bad'}, String(p))]),
      h('span', {class: 'card-probs'}, [sr('. Outputs: '),
        rank[0] + ': ' + outText(out, rank[0]) + ' · ' + rank[1] + ': ' + outText(out, rank[1])])]);
    btn.addEventListener('click', function () {
      ctx.selectDigit(row);
      Dom.clear(els.chosen);
      Dom.append(els.chosen, ['Digit #' + row + ' is now the chosen digit: see it go through the network in ',
        h('a', {href: '#forward'}, 'part 3'), ' and its cost in ', h('a', {href: '#cost'}, 'part 4'), '.']);
    });
    return h('li', null, btn);
  }

  function selectCell(t, p) {
    sel = {t: t, p: p};
    focusPos = t * 10 + p;
    lastSig = '';
    draw();
    var cell = els.matrix.querySelector('[data-pos="' + focusPos + '"]');
    if (cell) cell.focus();
  }

  var cells = null;
  function buildMatrix() {
    Dom.clear(els.matrix);
    els.matrix.appendChild(h('caption', {class: 'visually-hidden'}, 'Confusion matrix of the test set'));
    var top = h('tr', null, [h('td', {class: 'corner-blank', 'aria-hidden': 'true'}),
      h('th', {colspan: '10', scope: 'colgroup', class: 'axis-head'}, 'the network’s answer →')]);
    var head = h('tr', null, [h('th', {class: 'corner', scope: 'col'}, 'true ↓')]);
    for (var p = 0; p < 10; p++) head.appendChild(h('th', {scope: 'col'}, String(p)));
    els.matrix.appendChild(h('thead', null, [top, head]));
    var body = h('tbody');
    cells = [];
    for (var t = 0; t < 10; t++) {
      var tr = h('tr', null, h('th', {scope: 'row'}, String(t)));
      for (p = 0; p < 10; p++) {
        var pos = t * 10 + p;
        var td = h('td', {role: 'gridcell', tabindex: pos === focusPos ? '0' : '-1', 'data-pos': String(pos)});
        (function (t, p) { td.addEventListener('click', function () { selectCell(t, p); }); })(t, p);
        cells.push(td);
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    els.matrix.appendChild(body);
  }

  function drawMatrix() {
    if (!cells) buildMatrix();
    var conf = model.evalTest.confusion;
    var maxDiag = 1, maxOff = 1;
    for (var t = 0; t < 10; t++) for (var p = 0; p < 10; p++) {
      var v = conf[t * 10 + p];
      if (t === p) maxDiag = Math.max(maxDiag, v); else maxOff = Math.max(maxOff, v);
    }
    for (t = 0; t < 10; t++) {
      for (p = 0; p < 10; p++) {
        var n = conf[t * 10 + p], td = cells[t * 10 + p], isSel = sel.t === t && sel.p === p;
        var rgb = t === p ? P.blues(0.15 + 0.85 * n / maxDiag) : (n ? P.oranges(0.2 + 0.8 * n / maxOff) : [255, 255, 255]);
        var text = String(n);
        if (td.textContent !== text) td.textContent = text;
        td.setAttribute('aria-label', 'True ' + t + ', predicted ' + p + ': ' + F.plural(n, 'digit'));
        td.setAttribute('aria-selected', String(isSel));
        td.className = (n ? '' : 'zero') + (isSel ? ' is-selected' : '');
        td.style.backgroundColor = P.css(rgb);
        td.style.color = n ? P.textOn(rgb) : '';
      }
    }
  }

  function drawCellInfo() {
    Dom.clear(els.cellInfo);
    if (sel.t < 0) {
      els.cellInfo.appendChild(h('p', {class: 'muted small'}, 'No cell chosen yet.'));
      return;
    }
    var pr = model.predictions, idx = [];
    for (var i = 0; i < pr.rows.length; i++) {
      if (model.digits.labels[pr.rows[i]] === sel.t && pr.pred[i] === sel.p) idx.push(i);
    }
    els.cellInfo.appendChild(h('p', {class: 'small'}, [h('strong', null, 'True ' + sel.t + ', predicted ' + sel.p + ': '),
      idx.length ? F.plural(idx.length, 'test digit') + (sel.t === sel.p ? ' read correctly.' : ' read wrongly.')
        : 'no test digit.']));
    var ul = h('ul', {class: 'gallery gallery-small'});
    idx.slice(0, 60).forEach(function (i) { ul.appendChild(card(i, pr.rows[i] === model.state.digit)); });
    els.cellInfo.appendChild(ul);
    if (idx.length > 60) els.cellInfo.appendChild(h('p', {class: 'muted small'}, 'Showing the first 60.'));
  }

  function drawGallery() {
    var pr = model.predictions, wrong = [];
    for (var i = 0; i < pr.rows.length; i++) if (pr.pred[i] !== model.digits.labels[pr.rows[i]]) wrong.push(i);
    Dom.clear(els.gallery);
    els.galleryHead.textContent = 'The misclassified test digits (' + F.int(wrong.length) + ')';
    var limit = galleryAll ? wrong.length : 24;
    wrong.slice(0, limit).forEach(function (i) { els.gallery.appendChild(card(i, pr.rows[i] === model.state.digit)); });
    if (!wrong.length) els.gallery.appendChild(h('li', {class: 'muted'}, 'None: every test digit is read correctly.'));
    els.more.hidden = wrong.length <= 24;
    els.more.textContent = galleryAll ? 'Show fewer' : 'Show all ' + F.int(wrong.length);
  }

  function draw() {
    if (!model || !model.evalTest || !model.predictions) {
      els.acc.textContent = '—';
      els.accText.textContent = model && model.noNetwork ? model.noNetwork : 'Waiting for the network…';
      return;
    }
    var e = model.evalTest;
    els.acc.textContent = F.percent(e.accuracy);
    els.accText.textContent = F.int(e.correct) + ' of the ' + F.int(e.count) + ' test digits read correctly, after ' +
      F.plural(model.progress.epoch, 'epoch') + ' of training.';
    els.trainAcc.textContent = 'On the training digits it has learnt from: ' + F.percent(model.evalTrain.accuracy) +
      '. (Guessing at random would give about 10%.)';
    var sig = [model.history.length, model.progress.epoch, model.state.digit, sel.t, sel.p, galleryAll, model.state.output,
      model.training].join('|');
    if (sig === lastSig) return;
    lastSig = sig;
    drawMatrix();
    // the lists of digit cards are rebuilt only when training pauses or ends: they change every
    // epoch, and rebuilding them while training would cost more than a frame
    if (model.training) {
      els.galleryHead.textContent = 'The misclassified test digits (shown when training pauses)';
      return;
    }
    drawCellInfo();
    drawGallery();
  }

  function onKey(e) {
    var cell = e.target.closest ? e.target.closest('td[data-pos]') : null;
    if (!cell) return;
    var pos = +cell.dataset.pos, t = Math.floor(pos / 10), p = pos % 10;
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); selectCell(t, p); return; }
    if (e.key === 'ArrowRight') p = Math.min(9, p + 1);
    else if (e.key === 'ArrowLeft') p = Math.max(0, p - 1);
    else if (e.key === 'ArrowDown') t = Math.min(9, t + 1);
    else if (e.key === 'ArrowUp') t = Math.max(0, t - 1);
    else if (e.key === 'Home') p = 0;
    else if (e.key === 'End') p = 9;
    else return;
    e.preventDefault();
    cell.setAttribute('tabindex', '-1');
    focusPos = t * 10 + p;
    var next = els.matrix.querySelector('[data-pos="' + focusPos + '"]');
    if (next) { next.setAttribute('tabindex', '0'); next.focus(); }
  }

  function update(data, changes) {
    if (!els.matrix) return;
    model = data;
    if (!els.keyBound) { els.matrix.addEventListener('keydown', onKey); els.keyBound = true; }
    if (changes.net) { sel = {t: -1, p: -1}; galleryAll = false; }
    if (changes.all || changes.net || changes.epoch || changes.digit || changes.state || changes.training) {
      if (changes.net || changes.epoch) lastSig = '';
      draw();
    }
  }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.evaluation = {id: 'evaluation', mount: mount, update: update};
})(this);
