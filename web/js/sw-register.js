/* nnmath — register the service worker (sw.js) so that a lesson served over http(s) keeps working
 * offline after the first visit.  Never from file:// (no service workers there; the folder is
 * already offline), never where the browser has none.  Registered after the page has loaded, so
 * that caching the lesson's files never competes with starting it.  Failures are silent: the
 * lesson works without it. */
(function (root) {
  'use strict';
  var loc = root.location, nav = root.navigator;
  if (!(loc.protocol === 'http:' || loc.protocol === 'https:') || !nav || !('serviceWorker' in nav)) return;
  function register() {
    try {
      nav.serviceWorker.register('sw.js', {updateViaCache: 'none'}).catch(function () { /* offline copy unavailable */ });
    } catch (e) { /* e.g. a sandboxed frame */ }
  }
  if (root.document.readyState === 'complete') register();
  else root.addEventListener('load', register);
})(this);
