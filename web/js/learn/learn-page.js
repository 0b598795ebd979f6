/* nnmath — mounts the "tangent" and "ball" interactives on web/learn.html.
 * Classic script: attaches window.NNLearnPage = {instances} (read-only use, for
 * debugging and tests). The lead's main page can call NNLearnTangent.mount /
 * NNLearnBall.mount itself instead of loading this file.
 */
(function (root) {
  'use strict';
  var api = { instances: {} };

  function start() {
    var doc = root.document;
    var t = doc.querySelector('[data-learn="tangent"]');
    var b = doc.querySelector('[data-learn="ball"]');
    if (t && root.NNLearnTangent) api.instances.tangent = root.NNLearnTangent.mount(t, { headingLevel: 3 });
    if (b && root.NNLearnBall) api.instances.ball = root.NNLearnBall.mount(b, { headingLevel: 3 });
    doc.documentElement.setAttribute('data-learn-ready', 'true');
  }

  if (typeof module === 'object' && module && module.exports) { module.exports = api; return; }
  root.NNLearnPage = api;
  if (root.document.readyState === 'loading') root.document.addEventListener('DOMContentLoaded', start);
  else start();
})(typeof window !== 'undefined' ? window : this);
