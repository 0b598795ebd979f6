/* nnmath — register the service worker (sw.js) so that a lesson served over http(s) keeps working
 * offline after the first visit.  Never from file:// (no service workers there; the folder is
 * already offline), never where the browser has none.  Registered after the page has loaded (and,
 * on the lesson's pages, has started), so that caching the lesson's files never competes
 * with starting it.  Failures are silent: the lesson works without it. */
(function (root) {
  'use strict';
  var loc = root.location, nav = root.navigator;
  if (!(loc.protocol === 'http:' || loc.protocol === 'https:') || !nav || !('serviceWorker' in nav)) return;
  var done = false;
  function register() {
    if (done) return;
    done = true;
    try {
      nav.serviceWorker.register('sw.js', {updateViaCache: 'none'}).catch(function () { /* offline copy unavailable */ });
    } catch (e) { /* e.g. a sandboxed frame */ }
  }
  // On the lesson's pages (js/page/app.js), also after the page has started ('nnpage:ready': its
  // network is built, or it needs none, or the core failed): caching some 80 files while the core
  // starts made the page ready later.  At most 10 s after the load, so that a page that never
  // starts is still kept for offline use.
  function afterLoad() {
    var app = root.NNPageApp;
    if (!app || typeof app.ready !== 'function' || app.ready()) { register(); return; }
    root.document.addEventListener('nnpage:ready', register);
    root.setTimeout(register, 10000);
  }
  if (root.document.readyState === 'complete') afterLoad();
  else root.addEventListener('load', afterLoad);
})(this);
