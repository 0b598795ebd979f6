/* nnmath — the standalone reflect page (reflect.html; browser only; global NNReflectPage).
 * Mounts NNReflect; the curriculum links point at the lesson's pages (on the main page the lead
 * mounts NNReflect with in-page links instead). */
(function (root) {
  'use strict';

  var PAGES = {tangent: 'learn.html', ball: 'learn.html', landscape: 'landscape.html', backprop: 'backprop.html',
    experiments: 'experiments.html', draw: 'draw.html'};
  var api = {instance: null};

  function href(part) { return (PAGES[part] || 'index.html') + '#' + part; }

  function start() {
    var el = root.document.getElementById('reflect-mount');
    if (el && root.NNReflect) api.instance = root.NNReflect.mount(el, {heading: false, headingLevel: 2, href: href});
    root.document.documentElement.setAttribute('data-reflect-ready', 'true');
  }

  api.href = href;
  root.NNReflectPage = api;
  if (root.document.readyState === 'loading') root.document.addEventListener('DOMContentLoaded', start);
  else start();
})(window);
