/* nnmath page — start the lesson (kept in its own file: the CSP forbids inline scripts). */
(function (root) {
  'use strict';
  function go() { root.NNPageApp.start(); }
  if (root.document.readyState === 'loading') root.document.addEventListener('DOMContentLoaded', go);
  else go();
})(this);
