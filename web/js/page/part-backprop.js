/* nnmath page — part "backprop": backpropagation step by step (js/backprop/backprop.js,
 * NNBackprop) for the lesson's chosen digit and the lesson's network.  The component reads the
 * network (ctx.network()); its digit chooser picks the lesson's digit (ctx.selectDigit);
 * "Apply this update" changes the network's weights, so the controller is told
 * (ctx.action('weights')) and every part follows.  (How to add a part: js/page/part-tangent.js.) */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, h = Dom.h;
  var comp = null, ctx = null, shownNet = null, shownWhy = '';

  function mount(section, context) {
    ctx = context;
    Dom.partHead(section, 'backprop', 'Back-propagation: which way should each weight move?');
    // (the component has its own introduction)
    var box = h('div', {class: 'backprop-mount'});
    section.appendChild(box);
    if (!root.NNBackprop) throw new Error('js/backprop/backprop.js is not loaded');
    comp = root.NNBackprop.mount(box, {headingLevel: 3, digit: ctx.state.digit,
      onApply: function () { ctx.action('weights'); },
      onDigit: function (row) { ctx.selectDigit(row); }});
  }

  function update(model, changes) {
    if (!comp) return;
    var why = model.noNetwork;
    if (why !== shownWhy) { shownWhy = why; comp.update({waiting: why}); }
    var net = ctx.network();
    if (net !== shownNet) {
      shownNet = net;
      comp.update({net: net, digit: model.state.digit});
      return;
    }
    if (changes.digit || changes.all) comp.update({digit: model.state.digit});
    if (changes.weights) comp.update({weights: true});
  }

  /* Before the controller frees the network. */
  function release() {
    if (comp && shownNet) { shownNet = null; comp.update({net: null}); }
  }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.backprop = {id: 'backprop', mount: mount, update: update, release: release,
    component: function () { return comp; }};
})(this);
