/* nnmath page — part "experiments": improving the classifier, experiments side by side
 * (js/experiments/experiments-ui.js, NNExperimentsUI).  The bench trains its own small networks
 * from the same start (it frees them itself) with the core of the page (ctx.core()); the lesson's
 * current settings are the base of "your own comparison".  It never touches the lesson's network.
 * (How to add a part: js/page/part-tangent.js.) */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, h = Dom.h;
  var comp = null, ctx = null, gaveCore = false, saidError = '', lastConfig = '';

  function mount(section, context) {
    ctx = context;
    Dom.partHead(section, 'experiments', 'Improving the classifier: experiments side by side');
    section.appendChild(h('div', {class: 'prose'}, [h('p', null, 'Which choices make the network better? ' +
      'The networks of these experiments are trained here, beside the lesson: the network of this page stays as it is.')]));
    var box = h('div', {class: 'experiments-mount'});
    section.appendChild(box);
    if (!root.NNExperimentsUI) throw new Error('js/experiments/experiments-ui.js is not loaded');
    comp = root.NNExperimentsUI.mount(box, {digits: ctx.digits, headingLevel: 2, heading: false});
  }

  function update(model) {
    if (!comp) return;
    var s = {}, any = false;
    if (!gaveCore && ctx.core()) { gaveCore = true; s.core = ctx.core(); any = true; }
    if (!gaveCore && model.noNetwork && model.noNetwork !== saidError) { saidError = model.noNetwork; s.coreError = saidError; any = true; }
    var cfg = JSON.stringify(model.config);
    if (cfg !== lastConfig) { lastConfig = cfg; s.config = model.config; any = true; }
    if (any) comp.update(s);
  }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.experiments = {id: 'experiments', mount: mount, update: update, component: function () { return comp; }};
})(this);
