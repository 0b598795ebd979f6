/* nnmath page — part 5, "Training": play/pause, one step, one epoch, reset; the epoch counter;
 * a Chart.js chart of training and test cost per epoch with test accuracy on a second axis;
 * progress announced in an aria-live region; a plain explanation when training blows up. */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, F = root.NNPageFormat, P = root.NNPagePalette;
  var h = Dom.h, m = Dom.m;
  var els = {}, ctx = null, chart = null, shownEpochs = -1, lastHistoryLen = -1, lastTarget = -1;
  var lastAnnounced = -1, lastTraining = null, lastFirst = null, lastChartDraw = 0, lastModel = null;

  function makeChart() {
    if (!root.Chart) return null;
    var S = P.SERIES;
    var font = {family: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif', size: 13};
    return new root.Chart(els.canvas, {
      type: 'line',
      data: {datasets: [
        {label: 'Training cost', data: [], borderColor: S.blue, backgroundColor: S.blue, yAxisID: 'y',
          borderWidth: 2.5, pointRadius: 2.5, pointStyle: 'circle', tension: 0},
        {label: 'Test cost', data: [], borderColor: S.vermillion, backgroundColor: S.vermillion, yAxisID: 'y',
          borderWidth: 2.5, borderDash: [7, 4], pointRadius: 2.5, pointStyle: 'rect', tension: 0},
        {label: 'Test accuracy (%)', data: [], borderColor: S.green, backgroundColor: S.green, yAxisID: 'y1',
          borderWidth: 2, borderDash: [2, 3], pointRadius: 3, pointStyle: 'triangle', tension: 0}]},
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: true, normalized: true,
        interaction: {mode: 'index', intersect: false},
        scales: {
          x: {type: 'linear', min: 0, title: {display: true, text: 'Epoch', font: font, color: '#1f2733'},
            ticks: {precision: 0, color: '#3b4556', font: font}, grid: {color: '#e4e7ec'}},
          y: {type: 'linear', beginAtZero: true, title: {display: true, text: 'Cost C', font: font, color: '#1f2733'},
            ticks: {color: '#3b4556', font: font}, grid: {color: '#e4e7ec'}},
          y1: {type: 'linear', position: 'right', min: 0, max: 100,
            title: {display: true, text: 'Test accuracy (%)', font: font, color: '#1f2733'},
            ticks: {color: '#3b4556', font: font}, grid: {drawOnChartArea: false}}
        },
        plugins: {legend: {labels: {usePointStyle: true, boxHeight: 7, boxWidth: 7, color: '#1f2733', font: font}},
          tooltip: {callbacks: {title: function (items) { return items.length ? 'Epoch ' + items[0].parsed.x : ''; }}}}
      }
    });
  }

  function mount(section, context) {
    ctx = context;
    Dom.partHead(section, 'training', 'Training: walking downhill');
    els.how = h('p');
    section.appendChild(h('div', {class: 'prose'}, [
      h('p', null, ['The cost C depends on every weight and bias. Training changes them a little at a time so that C goes down: ' +
        'take a ', h('em', null, 'batch'), ' of training digits, work out for every weight how C changes when that weight grows ' +
        '(the ', h('em', null, 'gradient'), ' ∂C/∂w, found by back-propagation), and step downhill:']),
      h('div', {class: 'formula'}, m.math([m.row(m.mi('w'), m.mo('\u2190'), m.mi('w'), m.mo('\u2212'), m.mi('\u03b7'),
        m.frac(m.row(m.mi('\u2202'), m.mi('C')), m.row(m.mi('\u2202'), m.mi('w'))))],
      {block: true, label: 'w becomes w minus eta times the partial derivative of C with respect to w'})),
      els.how]));

    els.train = h('button', {type: 'button', class: 'btn btn-primary', 'data-testid': 'train'}, '▶ Train');
    els.step = h('button', {type: 'button', class: 'btn', 'data-testid': 'step-one'}, 'One step');
    els.epochBtn = h('button', {type: 'button', class: 'btn', 'data-testid': 'step-epoch'}, 'One epoch');
    els.reset = h('button', {type: 'button', class: 'btn', 'data-testid': 'reset'}, 'Reset');
    els.train.addEventListener('click', function () { ctx.action('toggle'); });
    els.step.addEventListener('click', function () { ctx.action('step'); });
    els.epochBtn.addEventListener('click', function () { ctx.action('epoch'); });
    els.reset.addEventListener('click', function () { ctx.action('reset'); });

    els.epoch = h('strong', {'data-testid': 'epoch', class: 'big-num'}, '0');
    els.target = h('span');
    els.stepInfo = h('span', {class: 'muted'});
    els.bar = h('progress', {max: '1', value: '0', 'aria-label': 'Training progress'});
    els.follow = h('input', {type: 'checkbox', id: 'follow-weights', checked: 'checked'});
    els.follow.addEventListener('change', function () { ctx.action('follow', els.follow.checked); });
    els.live = h('p', {class: 'visually-hidden', 'aria-live': 'polite', role: 'status'});
    els.alert = h('div', {class: 'alert', role: 'alert', hidden: 'hidden'});

    els.canvas = h('canvas', {'data-testid': 'cost-chart', role: 'img',
      'aria-label': 'Chart of the cost and accuracy per epoch; no training yet.'});
    els.chartBox = h('div', {class: 'chart-box'}, els.canvas);
    els.tableBody = h('tbody');
    els.table = h('table', {class: 'history-table'}, [h('caption', null, 'Cost and accuracy after each epoch'),
      h('thead', null, h('tr', null, [h('th', {scope: 'col'}, 'Epoch'), h('th', {scope: 'col'}, 'Training cost'),
        h('th', {scope: 'col'}, 'Test cost'), h('th', {scope: 'col'}, 'Training accuracy'), h('th', {scope: 'col'}, 'Test accuracy')])),
      els.tableBody]);

    section.appendChild(h('div', {class: 'train-panel'}, [
      h('div', {class: 'player-buttons'}, [els.train, els.step, els.epochBtn, els.reset]),
      h('div', {class: 'counter'}, [h('span', null, ['Epoch ', els.epoch, els.target]), els.stepInfo]),
      els.bar,
      h('div', {class: 'check'}, [els.follow, h('label', {for: 'follow-weights'},
        'Let the other parts follow the weights while training')]),
      els.live]));
    section.appendChild(els.alert);
    section.appendChild(h('figure', {class: 'fig chart-fig'}, [els.chartBox,
      h('figcaption', null, 'Cost (left axis) on the training and test sets, and test accuracy (right axis), after each epoch. ' +
        'Epoch 0 is the untrained network.')]));
    section.appendChild(h('details', {class: 'numbers'}, [h('summary', null, 'Show the numbers'),
      h('div', {class: 'table-wrap'}, els.table)]));
    // The chart is made when it comes near the screen or training starts (making it lays out the
    // whole page, which would otherwise lengthen the page's start-up)...
    if (!root.Chart) {
      els.chartBox.appendChild(h('p', {class: 'muted'}, 'The chart library (vendor/chart.line.min.js) is missing; the numbers are in the table below.'));
    } else if (root.IntersectionObserver) {
      var io = new root.IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) { io.disconnect(); ensureChart(); }
      }, {rootMargin: '300px 0px'});
      io.observe(els.chartBox);
      // ...or after the reader's next key press, click, scroll or touch, in a task of its own and
      // not while training (it would otherwise fall in the middle of a training run started from
      // another part's Train button); a page load with no reader (Lighthouse's) does not make it
      if (ctx.onReader) ctx.onReader(ensureChart);
    } else {
      ensureChart();
    }
  }

  function ensureChart() {
    if (chart || !root.Chart) return;
    chart = makeChart();
    lastHistoryLen = -1; lastChartDraw = 0;
    if (lastModel) updateChart(lastModel);
  }

  function suggestLr(lr) {
    var options = [3, 1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001];
    for (var i = 0; i < options.length; i++) if (options[i] <= lr / 3) return options[i];
    return 0.0001;
  }

  function showDiverged(model) {
    var d = model.diverged;
    Dom.clear(els.alert);
    if (!d) { els.alert.hidden = true; return; }
    els.alert.hidden = false;
    if (d.other) {
      els.alert.appendChild(h('p', null, ['Training stopped: ', d.message]));
      return;
    }
    var lr = suggestLr(d.lr);
    var btn = h('button', {type: 'button', class: 'btn'}, 'Use learning rate ' + F.sig(lr) + ' and start again');
    btn.addEventListener('click', function () { ctx.set('lr', lr); });
    els.alert.appendChild(h('h3', null, 'Training blew up'));
    els.alert.appendChild(h('p', null, 'During epoch ' + (d.epoch + 1) + ' the numbers grew without limit, until the ' +
      'computer could no longer store them (they became “infinity” or “not a number”). This happens when the learning rate η = ' +
      F.sig(d.lr) + ' is too big: each step jumps right over the bottom of the valley and lands higher up on the other side, ' +
      'then further still, and the cost explodes instead of shrinking.'));
    els.alert.appendChild(h('p', null, 'Training has stopped and the network has kept its last good weights. ' +
      'Try a smaller learning rate, for example ' + F.sig(lr) + '.'));
    els.alert.appendChild(btn);
    els.alert.appendChild(h('p', {class: 'muted small'}, ['Details: ', d.message]));
  }

  function updateChart(model) {
    var hist = model.history;
    var first = hist.length ? hist[0] : null;
    if (hist.length === lastHistoryLen && model.target === lastTarget && first === lastFirst) return;
    // while training, redraw at most 4 times a second (the last epoch is drawn when it stops)
    var now = Date.now();
    if (model.training && first === lastFirst && now - lastChartDraw < 250) return;
    lastChartDraw = now;
    if (hist.length < lastHistoryLen || lastHistoryLen < 0 || first !== lastFirst) Dom.clear(els.tableBody);
    lastFirst = first;
    var from = els.tableBody.children.length;
    lastHistoryLen = hist.length; lastTarget = model.target;
    hist.slice(from).forEach(function (e) {
      els.tableBody.appendChild(h('tr', null, [h('th', {scope: 'row'}, String(e.epoch)), h('td', null, F.num(e.trainCost, 4)),
        h('td', null, F.num(e.testCost, 4)), h('td', null, F.percent(e.trainAcc)), h('td', null, F.percent(e.testAcc))]));
    });
    if (chart) {
      chart.data.datasets[0].data = hist.map(function (e) { return {x: e.epoch, y: e.trainCost}; });
      chart.data.datasets[1].data = hist.map(function (e) { return {x: e.epoch, y: e.testCost}; });
      chart.data.datasets[2].data = hist.map(function (e) { return {x: e.epoch, y: +(e.testAcc * 100).toFixed(2)}; });
      var last = hist.length ? hist[hist.length - 1].epoch : 0;
      chart.options.scales.x.max = Math.max(model.target, last, 1);
      var small = root.innerWidth < 500;
      chart.data.datasets.forEach(function (d) { d.pointRadius = hist.length > 40 || small ? 0 : 2.5; });
      chart.update('none');
    }
    if (hist.length) {
      var first = hist[0], lastE = hist[hist.length - 1];
      els.canvas.setAttribute('aria-label', 'Line chart of cost and accuracy per epoch. After ' +
        F.plural(lastE.epoch, 'epoch') + ': training cost ' + F.num(lastE.trainCost, 3) + ' (it was ' +
        F.num(first.trainCost, 3) + ' before training), test cost ' + F.num(lastE.testCost, 3) + ', test accuracy ' +
        F.percent(lastE.testAcc) + '.');
    }
  }

  function update(model, changes) {
    if (!els.train) return;
    lastModel = model;
    if (model.training) ensureChart();
    var p = model.progress, st = model.state;
    var ready = model.ready;
    els.train.disabled = els.step.disabled = els.epochBtn.disabled = els.reset.disabled = !ready;
    if (model.training) {
      els.train.textContent = '❚❚ Pause';
      els.train.setAttribute('aria-label', 'Pause training');
    } else {
      els.train.textContent = model.finished ? '▶ Train again' : (p.epoch > 0 || p.step > 0 ? '▶ Continue' : '▶ Train');
      els.train.removeAttribute('aria-label');
    }
    els.epoch.textContent = String(p.epoch);
    els.target.textContent = ' of ' + st.epochs;
    els.stepInfo.textContent = ready ? 'step ' + p.step + ' of ' + p.stepsPerEpoch + ' in this epoch' +
      (p.batchCost === p.batchCost ? ' · last batch cost ' + F.num(p.batchCost, 4) : '') : (model.noNetwork || 'starting…');
    els.bar.value = Math.min(1, (p.epoch + (p.stepsPerEpoch ? p.step / p.stepsPerEpoch : 0)) / Math.max(1, st.epochs));
    els.follow.checked = model.follow;
    if (changes.all || changes.net || changes.state) {
      var n = model.split ? model.split.train.length : 1438, b = st.batch || n;
      els.how.textContent = 'Here a batch has ' + (st.batch ? F.int(b) + ' digits' : 'all ' + F.int(n) + ' training digits') +
        ', the learning rate is η = ' + F.sig(st.lr) + ', and one epoch (every training digit once, in a shuffled order) is ' +
        F.plural(Math.ceil(n / b), 'step') + '. Training stops after ' + F.plural(st.epochs, 'epoch') +
        ' (change this in part 2).';
    }
    updateChart(model);
    if (changes.net || changes.training || changes.epoch || changes.all) showDiverged(model);
    var last = model.history.length ? model.history[model.history.length - 1] : null;
    if (last && (changes.epoch || model.training !== lastTraining) && last.epoch !== lastAnnounced && last.epoch > 0) {
      lastAnnounced = last.epoch;
      els.live.textContent = 'Epoch ' + last.epoch + ' of ' + st.epochs + ': training cost ' + F.num(last.trainCost, 3) +
        ', test accuracy ' + F.percent(last.testAcc) + (model.finished ? '. Training finished.' : '.');
    }
    if (changes.net) lastAnnounced = -1;
    lastTraining = model.training;
  }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.training = {id: 'training', mount: mount, update: update};
})(this);
