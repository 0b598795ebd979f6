/* nnmath page — part "landscape": the real cost landscape around the lesson's network
 * (js/landscape/landscape.js, NNLandscape), computed by the C core in slices when the reader asks.
 * The component records the training path itself from update() calls (while this part is on
 * screen during training, and at every epoch's end); a new network starts a new path.  Embedded
 * alone, the landscape is computed as soon as the network has finished training.
 * (How to add a part: js/page/part-tangent.js.) */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, h = Dom.h;
  var comp = null, ctx = null, shownNet = null, shownWhy = '', autoComputed = false;

  function mount(section, context) {
    ctx = context;
    Dom.partHead(section, 'landscape', 'The real cost landscape of your network');
    section.appendChild(h('div', {class: 'prose'}, [h('p', null, 'The ball rolled on a made-up surface with two ' +
      'weights. Here is the real thing: the cost of the network of this page around its current weights, with the path ' +
      'its training took. ' + (ctx.embed ? 'The network trains first (above), then its landscape is computed.'
        : 'Train the network first (part “Training”), then compute the landscape.'))]));
    var box = h('div', {class: 'landscape-mount'});
    section.appendChild(box);
    if (!root.NNLandscape) throw new Error('js/landscape/landscape.js is not loaded');
    comp = root.NNLandscape.mount(box, {headingLevel: 3});
  }

  function update(model, changes) {
    if (!comp) return;
    var why = model.noNetwork;
    if (why !== shownWhy) { shownWhy = why; comp.update({waiting: why}); }
    var net = ctx.network();
    if (net !== shownNet) { shownNet = net; comp.update({net: net}); }
    else if (changes.weights || changes.epoch) comp.update({});
    if (ctx.embed && !autoComputed && net && model.finished && !model.training) {
      autoComputed = true;
      comp.update({compute: true});
    }
  }

  function release() {
    if (comp && shownNet) { shownNet = null; comp.update({net: null}); }
  }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.landscape = {id: 'landscape', mount: mount, update: update, release: release,
    component: function () { return comp; }};
})(this);
