/* nnmath page — part "ball": a ball on a cost surface (two weights), the interactive of
 * js/learn/ball.js (NNLearnBall) as a section of the lesson.  The surface is made up, so the
 * part needs neither the digits nor the network.  (How to add a part: js/page/part-tangent.js.) */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, h = Dom.h;
  var comp = null;

  function mount(section) {
    Dom.partHead(section, 'ball', 'Going downhill: a ball on a cost surface');
    section.appendChild(h('div', {class: 'prose'}, [h('p', null, [
      'A real network has many weights. With two weights w₁ and w₂ the cost is a landscape with hills and valleys. ' +
      'The ', h('strong', null, 'gradient'), ' ∇C = (∂C/∂w₁, ∂C/∂w₂) points uphill, so gradient descent steps the ' +
      'other way, like a ball rolling downhill. Drop some balls and see where they end up: not every valley is the ' +
      'deepest one.'])]));
    var box = h('div', {class: 'learn-mount'});
    section.appendChild(box);
    if (!root.NNLearnBall) throw new Error('js/learn/ball.js is not loaded');
    comp = root.NNLearnBall.mount(box, {headingLevel: 3});
  }

  function update() { /* the surface is made up: it does not depend on the network */ }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.ball = {id: 'ball', mount: mount, update: update, component: function () { return comp; }};
})(this);
