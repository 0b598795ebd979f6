/* nnmath page — part "draw": draw your own digit (js/draw/pad.js, NNDraw) and let the page's
 * network read it.  predict goes through the controller (ctx.predict: the current network, with
 * whatever training it has had); when the weights change the pad reads the drawing again.
 * "Use this digit in forward propagation" hands the 64 numbers to the controller
 * (ctx.action('drawn', pixels)): part "forward" then shows the drawing as its input, and the page
 * scrolls there.  Embedded alone (no forward part) the 64 numbers are shown here instead.
 * (How to add a part: js/page/part-tangent.js.) */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, F = root.NNPageFormat, S = root.NNPageState;
  var h = Dom.h;
  var els = {}, ctx = null, pad = null, lastSig = '';

  function mount(section, context) {
    ctx = context;
    Dom.partHead(section, 'draw', 'Draw your own digit');
    section.appendChild(h('div', {class: 'prose'}, [
      h('p', null, ['Now test the network with a digit it has never seen: yours. Your drawing is turned into 64 numbers ' +
        'the way the digits of the data set were made: cropped to the ink, stretched to 20×32 pixels and centred, ' +
        'its strokes made thicker or thinner, straightened, and cut into 8×8 blocks whose ink pixels are counted ' +
        '(0 to 16). Then the network reads the 64 numbers.'])]));
    els.status = h('p', {class: 'draw-net-status', 'data-testid': 'draw-net-status'});
    els.train = h('button', {type: 'button', class: 'btn btn-small', 'data-testid': 'draw-train'}, 'Train the network');
    els.train.addEventListener('click', function () { ctx.action('toggle'); });
    els.netBox = h('div', {class: 'draw-net'}, [els.status, els.train]);
    if (!ctx.embed) section.appendChild(els.netBox);   // embedded, the training strip says it all
    els.padBox = h('div', {class: 'draw-mount'});
    section.appendChild(els.padBox);
    els.used = h('div', {class: 'draw-used', 'data-testid': 'draw-used', 'aria-live': 'polite', hidden: 'hidden'});
    section.appendChild(els.used);
    if (!root.NNDraw) throw new Error('js/draw/pad.js is not loaded');
    pad = root.NNDraw.mount(els.padBox, {ready: false, message: 'The network is loading…', onDigit: onDigit});
  }

  function onDigit(pixels) {
    ctx.action('drawn', pixels);
    Dom.clear(els.used);
    if (ctx.has('forward')) {
      els.used.appendChild(h('p', null, ['Sent to ', h('a', {href: '#forward'}, 'forward propagation'),
        ': follow your drawing through the network there.']));
      els.used.hidden = false;
      ctx.show('forward');
      return;
    }
    var rows = [];
    for (var r = 0; r < 8; r++) {
      rows.push(Array.prototype.slice.call(pixels, r * 8, r * 8 + 8).map(function (v) {
        return (v < 10 ? ' ' : '') + v;
      }).join(' '));
    }
    els.used.appendChild(h('p', null, 'These 64 numbers are what the network reads. In the full lesson they go on ' +
      'into forward propagation, where you can follow them through the network:'));
    els.used.appendChild(h('pre', {class: 'draw-numbers', 'aria-label': 'The 64 numbers, 8 rows of 8'}, rows.join('\n')));
    els.used.hidden = false;
  }

  function describe(model) {
    if (model.noNetwork) return model.noNetwork;
    if (!model.ready) return 'The network is loading…';
    var st = model.state, p = model.progress;
    var name = S && S.PRESET_LABELS ? S.PRESET_LABELS[st.preset] : st.preset;
    var text = 'The pad asks the network of this page: ' + name + ', ' + model.sizes.join(' → ') + ', ';
    if (model.training) text += 'learning now (epoch ' + (p.epoch + 1) + ' of ' + st.epochs + ')';
    else text += 'trained for ' + F.plural(p.epoch, 'epoch') + (p.epoch < st.epochs ? ' of ' + st.epochs : '');
    if (model.evalTest) text += '; it reads ' + F.percent(model.evalTest.accuracy) + ' of the test digits correctly';
    return text + '.';
  }

  function update(model, changes) {
    if (!pad) return;
    els.status.textContent = describe(model);
    els.train.disabled = !model.ready;
    els.train.textContent = model.training ? '❚❚ Pause training' : (model.finished ? 'Train again' : 'Train the network');
    var untrained = model.ready && model.progress.epoch === 0 && !model.training;
    var msg = !model.ready ? (model.noNetwork || 'The network is loading…')
      : untrained ? 'The network has not learned anything yet, so its answers are guesses. Train it first' +
        (ctx.embed ? ' (the Train button above).' : ' (the button above, or in the Training part).') : '';
    var sig = [model.ready, msg, model.progress.epoch].join('|');
    if (changes.all || changes.net || changes.weights || changes.epoch || sig !== lastSig) {
      lastSig = sig;
      pad.update({ready: model.ready, predict: ctx.predict, message: msg});
    }
  }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.draw = {id: 'draw', mount: mount, update: update, pad: function () { return pad; }};
})(this);
