/* nnmath page — "trainbar": the training strip of an embedded part (embed.html only; not a part
 * of the lesson).  A part that needs a network (forward, cost, evaluation, draw; see `bar` in
 * part-list.js), embedded alone, gets this strip above it: which network (from the URL's
 * settings), its epoch, Train/Pause, Reset, and the test accuracy.  With ctx.options.train ===
 * 'auto' the network starts training as soon as it is ready (once); with 'manual' it shows its
 * first, untrained weights until the reader presses Train. */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, F = root.NNPageFormat, S = root.NNPageState;
  var h = Dom.h;
  var els = {}, ctx = null, autoDone = false;

  function mount(section, context) {
    ctx = context;
    section.classList.add('trainbar');
    section.setAttribute('aria-label', 'The network of this part');
    els.name = h('p', {class: 'trainbar-name'});
    els.epoch = h('span', {class: 'trainbar-epoch', 'data-testid': 'trainbar-epoch'});
    els.acc = h('span', {class: 'trainbar-acc', 'data-testid': 'trainbar-accuracy'});
    els.train = h('button', {type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'trainbar-train'}, '▶ Train');
    els.reset = h('button', {type: 'button', class: 'btn btn-small', 'data-testid': 'trainbar-reset'}, 'Reset');
    els.bar = h('progress', {max: '1', value: '0', 'aria-label': 'Training progress'});
    els.live = h('p', {class: 'visually-hidden', role: 'status'});
    els.train.addEventListener('click', function () { ctx.action('toggle'); });
    els.reset.addEventListener('click', function () { ctx.action('reset'); });
    section.appendChild(h('div', {class: 'trainbar-row'}, [
      h('div', {class: 'trainbar-text'}, [els.name, h('p', {class: 'trainbar-numbers'}, [els.epoch, ' ', els.acc])]),
      h('div', {class: 'trainbar-buttons'}, [els.train, els.reset])]));
    section.appendChild(els.bar);
    section.appendChild(els.live);
  }

  function update(model) {
    if (!els.train) return;
    var st = model.state, p = model.progress;
    var label = S.PRESET_LABELS[st.preset] || st.preset;
    els.name.textContent = 'Network: ' + (st.preset === 'custom' ? '' : label + ' · ') + model.sizes.join(' → ') + ' · ' + st.activation +
      (st.cost === 'xent' ? ', cross-entropy' : ', squared error');
    els.train.disabled = els.reset.disabled = !model.ready;
    els.train.textContent = model.training ? '❚❚ Pause' : model.finished ? '▶ Train again'
      : (p.epoch > 0 || p.step > 0 ? '▶ Continue' : '▶ Train');
    els.epoch.textContent = model.ready ? 'Epoch ' + p.epoch + ' of ' + st.epochs + (p.epoch === 0 && !model.training
      ? ' (untrained: its first, random weights)' : '') + '.' : (!model.noNetwork ? 'Starting the calculator…'
      : model.noNetworkSaid ? 'No network can run here, so there is nothing to train.' : model.noNetwork);
    els.acc.textContent = model.evalTest ? 'Test accuracy ' + F.percent(model.evalTest.accuracy) + '.' : '';
    els.bar.hidden = !!model.noNetwork;   // no empty progress bar beside "no network"
    els.bar.value = Math.min(1, (p.epoch + (p.stepsPerEpoch ? p.step / p.stepsPerEpoch : 0)) / Math.max(1, st.epochs));
    if (model.diverged) els.acc.textContent = 'Training stopped: ' + model.diverged.message;
    var said = model.finished ? 'Trained: ' + F.plural(p.epoch, 'epoch') + '. ' + els.acc.textContent : '';
    if (els.live.textContent !== said) els.live.textContent = said;
    if (!autoDone && model.ready) {
      autoDone = true;
      if (ctx.options.train === 'auto' && p.epoch === 0 && !model.training) {
        setTimeout(function () { ctx.action('train'); }, 0);
      }
    }
  }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.trainbar = {id: 'trainbar', mount: mount, update: update, numbered: false};
})(this);
