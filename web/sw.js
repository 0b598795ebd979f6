/* nnmath — the service worker: after the first visit over http(s), the lesson keeps working
 * offline.  Registered by js/sw-register.js (never on file://).
 *
 * sw-files.js, written by `make dist` (tools/build_dist.sh), sets
 *   self.NNMATH_SW = {version: '<hash of the dist files>', files: ['./', 'index.html', ...]}
 * On install every listed file is fetched into the cache "nnmath-<version>"; on activate the
 * caches of older versions are deleted.  Requests for the lesson's own files are answered from
 * the cache (query strings ignored, so embed.html?part=forward is embed.html), anything else
 * from the network (and kept for next time).  A new build has a new version, so sw-files.js
 * differs, the browser installs the new worker, and the next visit uses the new files.
 * Without sw-files.js (web/ served as it is) nothing is cached ahead: files are cached as they
 * are first used. */
'use strict';

var MANIFEST = {version: 'dev', files: []};
try {
  importScripts('sw-files.js');
  if (self.NNMATH_SW && typeof self.NNMATH_SW.version === 'string' && Array.isArray(self.NNMATH_SW.files)) {
    MANIFEST = self.NNMATH_SW;
  }
} catch (e) { /* no list: cache files as they are used */ }

var PREFIX = 'nnmath-';
var CACHE = PREFIX + MANIFEST.version;

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // cache: 'reload' so that an HTTP cache never hands us an old copy
    return cache.addAll(MANIFEST.files.map(function (f) { return new Request(f, {cache: 'reload'}); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var req = event.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;      // the lesson requests nothing else anyway
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(req, {ignoreSearch: true}).then(function (hit) {
      if (hit) return hit;
      return fetch(req).then(function (res) {
        if (res && res.ok && res.type === 'basic' && url.pathname.slice(-4) !== '.zip') {
          cache.put(req, res.clone());
        }
        return res;
      });
    });
  }));
});
