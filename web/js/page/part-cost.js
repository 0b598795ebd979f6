/* nnmath page — part 4, "The cost": for the chosen digit, the one-hot target against the output,
 * each squared difference (or −log p for cross-entropy), and the cost C over the training set. */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, F = root.NNPageFormat, D = root.NNPageDigits;
  var h = Dom.h, m = Dom.m;
  var els = {}, lastSig = '';

  function mount(section) {
    Dom.partHead(section, 'cost', 'The cost: one number for “how wrong”');
    section.appendChild(h('div', {class: 'prose'}, [
      h('p', null, ['To get better, the network needs a single number that says how wrong it is: the ',
        h('em', null, 'cost'), ' C. For one digit we compare the 10 outputs a with the ', h('em', null, 'target'),
        ' y: 1 for the right digit and 0 for the other nine (a “one-hot” column, 10×1). ' +
        'Small cost = good answers. Training will push C down.'])]));
    els.heading = h('h3', {class: 'detail-title'});
    els.table = h('table', {class: 'cost-table'});
    els.digitSum = h('div', {class: 'formula formula-sum'});
    els.setFormula = h('div', {class: 'formula'});
    els.setText = h('p');
    els.values = h('p', {class: 'cost-values', 'aria-live': 'polite'});
    section.appendChild(h('div', {class: 'cost-layout'}, [
      h('div', {class: 'cost-digit'}, [els.heading, h('div', {class: 'table-wrap'}, els.table), els.digitSum]),
      h('div', {class: 'cost-set'}, [h('h3', {class: 'detail-title'}, 'Over the whole training set'), els.setText,
        els.setFormula, els.values])]));
  }

  function setFormula(cost) {
    Dom.clear(els.setFormula);
    var sumX = m.under(m.mo('\u2211'), m.mi('x'));
    if (cost === 'xent') {
      els.setFormula.appendChild(m.math([m.row(m.mi('C'), m.mo('='), m.mo('\u2212'), m.frac(m.mn('1'), m.mi('n')), sumX,
        m.mi('log'), m.mo('\u2061'), m('mspace', {width: '0.2em'}), m.sub(m.row(m.mi('softmax'), m.paren(m.mi('z'))), m.mtext('label')))],
      {block: true, label: 'C equals minus 1 over n times the sum over the training digits of log softmax of z at the label'}));
    } else {
      els.setFormula.appendChild(m.math([m.row(m.mi('C'), m.mo('='), m.frac(m.mn('1'), m.row(m.mn('2'), m.mi('n'))), sumX,
        m.underover(m.mo('\u2211'), m.row(m.mi('k'), m.mo('='), m.mn('0')), m.mn('9')),
        m.sup(m.paren(m.row(m.sub(m.mi('a'), m.mi('k')), m.mo('\u2212'), m.sub(m.mi('y'), m.mi('k')))), m.mn('2')))],
      {block: true, label: 'C equals 1 over 2 n times the sum over the training digits and over k from 0 to 9 of a k minus y k, squared'}));
    }
  }

  function update(model, changes) {
    if (!els.table) return;
    var st = model.state;
    if (changes.all || changes.net || changes.state) setFormula(st.cost);
    var n = model.split ? model.split.train.length : 0;
    els.setText.textContent = (st.cost === 'xent'
      ? 'Cross-entropy: the average, over the n training digits x, of −log of the chance the network gave to the right digit.'
      : 'Squared error: half the average, over the n training digits x, of the summed squared differences.') +
      (n ? ' Here n = ' + F.int(n) + '.' : '');
    if (model.evalTrain) {
      els.values.textContent = 'Now, after ' + F.plural(model.progress.epoch, 'epoch') + ': C = ' + F.num(model.evalTrain.cost, 4) +
        ' on the training set, ' + F.num(model.evalTest.cost, 4) + ' on the test set.';
    } else els.values.textContent = '';

    var tr = model.trace;
    var sig = [st.digit, st.cost, st.output, model.ready].join('|');
    if (!(changes.all || changes.net || changes.weights || changes.digit || changes.state || sig !== lastSig)) return;
    lastSig = sig;
    Dom.clear(els.table); Dom.clear(els.digitSum);
    var label = model.digits.labels[st.digit];
    els.heading.textContent = 'For digit #' + st.digit + ' (a ' + label + ')';
    if (!tr) { els.table.appendChild(h('caption', null, model.noNetwork || 'Waiting for the network…')); return; }
    var out = tr.output, y = D.oneHot(label), xent = st.cost === 'xent';
    els.table.appendChild(h('caption', {class: 'visually-hidden'}, 'Target and output for each digit k'));
    els.table.appendChild(h('thead', null, h('tr', null, [
      h('th', {scope: 'col'}, 'k'), h('th', {scope: 'col'}, 'target yₖ'),
      h('th', {scope: 'col'}, xent ? 'chance pₖ' : 'output aₖ'),
      h('th', {scope: 'col'}, xent ? '−log pₖ (right digit only)' : '(aₖ − yₖ)²')])));
    var tb = h('tbody'), total = 0, maxTerm = 1e-6, terms = [];
    for (var k = 0; k < 10; k++) {
      var term = xent ? (k === label ? -Math.log(Math.max(out[k], 1e-30)) : NaN) : (out[k] - y[k]) * (out[k] - y[k]);
      terms.push(term);
      if (term === term) { total += term; maxTerm = Math.max(maxTerm, term); }
    }
    for (k = 0; k < 10; k++) {
      var barA = h('span', {class: 'bar-fill'});
      barA.style.width = (Math.max(0, Math.min(1, out[k])) * 100).toFixed(1) + '%';
      var barT = h('span', {class: 'bar-fill bar-cost'});
      barT.style.width = (terms[k] === terms[k] ? Math.min(1, terms[k] / Math.max(maxTerm, xent ? 2.5 : 0.5)) * 100 : 0).toFixed(1) + '%';
      tb.appendChild(h('tr', {class: k === label ? 'is-label' : null}, [
        h('th', {scope: 'row'}, String(k)), h('td', {class: 'num'}, String(y[k])),
        h('td', null, h('span', {class: 'bar-cell'}, [h('span', {class: 'bar-track'}, barA), h('span', {class: 'num'}, F.num(out[k], 3))])),
        h('td', null, terms[k] === terms[k] ? h('span', {class: 'bar-cell'}, [h('span', {class: 'bar-track'}, barT),
          h('span', {class: 'num'}, F.num(terms[k], 3))]) : h('span', {class: 'muted'}, '—'))]));
    }
    els.table.appendChild(tb);
    var Cx = xent ? total : total / 2;
    var lbl = String(label);
    var Csym = m.sub(m.mi('C'), m.mtext('this digit'));
    var first = xent
      ? m.row(Csym, m.mo('='), m.mo('\u2212'), m.mi('log'), m.mo('\u2061'), m.sub(m.mi('p'), m.mn(lbl)))
      : m.row(Csym, m.mo('='), m.frac(m.mn('1'), m.mn('2')),
        m.underover(m.mo('\u2211'), m.row(m.mi('k'), m.mo('='), m.mn('0')), m.mn('9')),
        m.sup(m.paren(m.row(m.sub(m.mi('a'), m.mi('k')), m.mo('\u2212'), m.sub(m.mi('y'), m.mi('k')))), m.mn('2')));
    var second = xent
      ? m.row(m.mo('='), m.mo('\u2212'), m.mi('log'), m.mo('\u2061'), m.paren(m.mn(F.num(out[label], 3))), m.mo('='), m.mn(F.num(Cx, 4)))
      : m.row(m.mo('='), m.frac(m.mn('1'), m.mn('2')), m.mo('\u00d7'), m.mn(F.num(total, 4)), m.mo('='), m.mn(F.num(Cx, 4)));
    els.digitSum.classList.add('formula-pair', 'tight');
    els.digitSum.appendChild(m.math([first], {block: true, label: xent ? 'The cost of this digit is minus log of p ' + lbl
      : 'The cost of this digit is one half of the sum over k of a k minus y k, squared'}));
    els.digitSum.appendChild(m.math([second], {block: true, label: 'which is ' + F.num(Cx, 4)}));
  }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.cost = {id: 'cost', mount: mount, update: update};
})(this);
