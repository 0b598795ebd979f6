/* nnmath page — part "save": save the lesson's network to a file and load one back
 * (js/model-io/model-panel.js, NNModelPanel; the file is the command-line trainer's format plus
 * the configuration).  A loaded model is built on the lesson's data (ctx.createNetwork) and then
 * becomes the lesson's network (ctx.action('adopt')): the settings follow the file, the epoch
 * counter starts again at 0, and every part shows the loaded weights.
 * (How to add a part: js/page/part-tangent.js.) */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, h = Dom.h;
  var panel = null, ctx = null, last = null, lastBusy = null;

  function mount(section, context) {
    ctx = context;
    Dom.partHead(section, 'save', 'Keep your network: save and load it');
    // (the component has its own introduction)
    var box = h('div', {class: 'save-mount'});
    section.appendChild(box);
    if (!root.NNModelPanel) throw new Error('js/model-io/model-panel.js is not loaded');
    panel = root.NNModelPanel.mount(box, {
      headingLevel: 2, heading: false,   // the part's <h2> is the heading; sub-headings h3
      getNetwork: function () { return ctx.network(); },
      getInfo: function () {
        return {epochs: last ? last.progress.epoch : 0,
          testAccuracy: last && last.evalTest ? last.evalTest.accuracy : undefined, scale: 'unit'};
      },
      createNetwork: function (model) {
        if (model.data && model.data.scale === 'raw') {
          throw new Error('This model reads the pixels as 0 to 16; the lesson feeds them in divided by 16 (0 to 1). ' +
            'Train it again with the default scale to use it here.');
        }
        return ctx.createNetwork(model.config);
      },
      onLoad: function (net) { ctx.action('adopt', {net: net}); }
    });
  }

  function update(model, changes) {
    last = model;
    if (!panel) return;
    if (changes.all || changes.net || changes.epoch || changes.training || lastBusy !== model.training) {
      lastBusy = model.training;
      panel.update({busy: model.training || !model.ready});
    }
  }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.save = {id: 'save', mount: mount, update: update, component: function () { return panel; }};
})(this);
