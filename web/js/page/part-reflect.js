/* nnmath page — part "reflect": the closing questions (answers kept in this browser only), where
 * the lesson fits in the school curriculum, and a printable teacher's page (js/reflect/reflect.js,
 * NNReflect).  Its links go to the parts of this page; embedded alone, to the full lesson in a new
 * tab.  (How to add a part: js/page/part-tangent.js.) */
(function (root) {
  'use strict';
  var Dom = root.NNPageDom, h = Dom.h;
  var comp = null;

  function mount(section, ctx) {
    Dom.partHead(section, 'reflect', 'Looking back');
    var box = h('div', {class: 'reflect-mount'});
    section.appendChild(box);
    if (!root.NNReflect) throw new Error('js/reflect/reflect.js is not loaded');
    comp = root.NNReflect.mount(box, {heading: false, headingLevel: 2,   // (its sub-headings: h3)
      href: function (id) { return ctx.embed ? 'index.html#' + id : '#' + id; }});
    if (ctx.embed) {
      Array.prototype.forEach.call(box.querySelectorAll('a[href^="index.html"]'), function (a) {
        a.setAttribute('target', '_blank');
        a.setAttribute('rel', 'noopener');
      });
    }
  }

  function update() { /* nothing follows the network here */ }

  root.NNPageParts = root.NNPageParts || {};
  root.NNPageParts.reflect = {id: 'reflect', mount: mount, update: update, component: function () { return comp; }};
})(this);
