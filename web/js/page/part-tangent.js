/* nnmath page — part "tangent": the slope of a tangent (one weight), the interactive of
 * js/learn/tangent.js (NNLearnTangent) as a section of the lesson.  It owns no model state:
 * the curve is a made-up cost C(w), so update() has nothing to do.
 *
 * HOW TO ADD A PART — one registration:
 *   1. js/page/part-<id>.js, an adapter like this one:
 *        NNPageParts['<id>'] = {mount: function (section, ctx) {...}, update: function (model, changes) {...}};
 *      mount() adds the usual head with Dom.partHead(section, '<id>', title) (.part-head with an
 *      empty .part-num — the controller numbers the parts in page order — and an
 *      <h2 id="<id>-title">; js/embed/embed-dialog.js adds the "Embed this" button) and mounts
 *      the component into the section; update() hands the
 *      component what it needs from the model (model.state, model.ready, model.trace — with
 *      delta/dW/db for the chosen digit —, model.history, model.evalTest, ...; `changes` says what
 *      changed: weights, net, epoch, digit, state, training, all).  The component asks for changes
 *      only through ctx.set(key, value) / ctx.action(name, arg); ctx.network() is the live network
 *      for components that compute with it (read only; define part.release() if the component
 *      keeps it: the controller calls it before freeing the network).  See js/page/app.js for all
 *      of ctx.  Examples: part-draw.js (predict through the controller), part-landscape.js and
 *      part-backprop.js (the live network), part-save.js (a network that replaces the lesson's).
 *   2. js/page/part-list.js: one entry {id, title, scripts (the component's files, then the
 *      adapter), css, lazy, model/bar/train/embedDefaults/height} — what embed.html?part=<id>
 *      loads, and what the lesson page loads when it builds a lazy part.
 *   3. index.html: <section id="<id>"></section> where it belongs in the lesson and a
 *      table-of-contents <li>; <link>/<script> tags only for a part that is not lazy (scripts
 *      before js/page/app.js): a lazy part's files are added by js/page/app.js.
 *   tests/browser/integration.test.js checks that 2 and 3 agree, and uses every listed part on the
 *   main page and alone in embed.html: add the part's entry to EXERCISE in
 *   tests/browser/integration-helpers.js (click something, check that the part reacted). */
(function (root) {
  'use strict';

  var Dom = root.NNPageDom, h = Dom.h;
  var comp = null;

  function mount(section) {
    Dom.partHead(section, 'tangent', 'Finding the minimum: the slope of a tangent');
    section.appendChild(h('div', {class: 'prose'}, [h('p', null, [
      'Training has to make the cost C as small as possible. Imagine a network with a single weight w: ' +
      'for every value of w there is a cost C(w). The ', h('strong', null, 'tangent'), ' touches the curve at one ' +
      'point; its slope C′(w), the ', h('em', null, 'derivative'), ', says how fast the cost changes when w grows. ',
      h('strong', null, 'Gradient descent'), ' takes a step against the slope: w ← w − η·C′(w), where η (eta) is the ',
      h('em', null, 'learning rate'), '.'])]));
    var box = h('div', {class: 'learn-mount'});
    section.appendChild(box);
    if (!root.NNLearnTangent) throw new Error('js/learn/tangent.js is not loaded');
    comp = root.NNLearnTangent.mount(box, {headingLevel: 3});
  }

  function update() { /* the curve is made up: it does not depend on the network */ }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.tangent = {id: 'tangent', mount: mount, update: update,
    component: function () { return comp; }};
})(this);
