/* nnmath — the embed page (embed.html; browser only; global NNEmbedPage).
 *
 *   embed.html?part=forward&preset=improved&digit=12#lr=0.05
 *
 * shows one part of the lesson alone, without the site's header, table of contents and footer
 * (one line of attribution and a link to the full lesson instead).
 *   part   the part's name (js/page/part-list.js; unknown or missing -> a message listing them)
 *   train  auto | manual: does the network train as soon as the part opens (default per part:
 *          auto for evaluation and draw, manual for forward and cost — see part-list.js)
 *   id     any short text; it comes back in the height messages (to tell frames apart)
 *   every other key is a setting of the lesson's state table (js/page/state.js: preset, layers,
 *   activation, output, cost, optimizer, lr, momentum, batch, epochs, seed, digit, filter, speed),
 *   in the query or in the hash; the hash wins.  The page then keeps the settings in its hash,
 *   like the full lesson.  Settings that are out of range are clamped, with a visible note.
 *
 * It loads only what the part needs (part-list.js: the lesson's basics, the digits and the
 * WebAssembly core unless the part has model: false, Chart.js for training, the part's scripts and
 * styles), then NNPageApp.start({parts: [id], embed: true}).
 *
 * Height messages (to the page around the frame; js/embed/embed.js listens):
 *   window.parent.postMessage({type: 'nnmath:height', part: 'forward', height: 812, id: ''}, '*')
 * whenever the content's height changes (ResizeObserver), after loading, and in answer to
 * {type: 'nnmath:hello'} from the parent.  height is the content's height in CSS pixels (an
 * integer).  targetOrigin '*' is deliberate: the lesson cannot know which site embeds it, and
 * the message holds nothing secret (a part name, a height and the id from the frame's own URL). */
(function (root) {
  'use strict';
  var doc = root.document, L = root.NNPagePartList;
  var EMBED_KEYS = {part: true, id: true, train: true};
  var rootEl = doc.getElementById('embed-root');
  var main = doc.getElementById('lesson');
  var partId = '', frameId = '', lastHeight = -1;

  function decode(s) {
    try { return decodeURIComponent(String(s).replace(/\+/g, ' ')); } catch (e) { return null; }
  }

  /* "a=1&b=2" -> [[key, value], ...] (malformed pairs dropped; the app reports bad settings). */
  function pairs(text) {
    var out = [];
    String(text || '').split('&').forEach(function (p) {
      if (!p) return;
      var eq = p.indexOf('=');
      var k = decode(eq < 0 ? p : p.slice(0, eq)), v = eq < 0 ? '' : decode(p.slice(eq + 1));
      if (k === null || v === null) return;
      out.push([k.trim().toLowerCase(), v]);
    });
    return out;
  }

  function el(tag, attrs, kids) {
    var e = doc.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (kids || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c); });
    return e;
  }

  /* ------------------------------------------------------------ height messages */
  function measure() { return Math.ceil(rootEl.getBoundingClientRect().height); }

  function post(force) {
    if (root.parent === root) return;
    var hgt = measure();
    if (!force && hgt === lastHeight) return;
    lastHeight = hgt;
    try {
      root.parent.postMessage({type: 'nnmath:height', part: partId, height: hgt, id: frameId}, '*');
    } catch (e) { /* no parent to tell */ }
  }

  function watchHeight() {
    if (root.ResizeObserver) new root.ResizeObserver(function () { post(false); }).observe(rootEl);
    else root.setInterval(function () { post(false); }, 500);
    root.addEventListener('load', function () { post(true); });
    root.addEventListener('message', function (e) {
      var d = e.data;
      if (e.source === root.parent && d && typeof d === 'object' && d.type === 'nnmath:hello') post(true);
    });
    post(true);
  }

  /* ------------------------------------------------------------ unknown part */
  function listParts(heading, text) {
    doc.title = 'nnmath · which part?';
    var ul = el('ul', {class: 'embed-part-list'});
    (L ? L.PARTS : []).forEach(function (p) {
      var a = el('a', {href: 'embed.html?part=' + p.id}, [el('code', null, [p.id])]);
      ul.appendChild(el('li', null, [a, ' — ' + p.title]));
    });
    main.appendChild(el('div', {class: 'embed-error', role: 'alert', 'data-testid': 'embed-error'}, [
      el('h1', null, [heading]), el('p', null, [text]), ul]));
    doc.documentElement.setAttribute('data-embed-ready', 'error');
  }

  /* ------------------------------------------------------------ loading */
  /* All requested at once and run in order (NNPagePartList.loadScripts): with the page's <meta>
   * CSP Chromium has no preload scanner, and one by one each script cost a round trip. */
  function loadScripts(list, done, fail) {
    L.loadScripts(doc, list).then(function (failed) {
      if (failed.length) fail(failed[0]); else done();
    });
  }

  function fullLessonHref(id) {
    var hash = root.location.hash.replace(/^#/, '');
    return 'index.html#' + (id || partId) + (hash ? '&' + hash : '');
  }

  // Links to a part of the lesson: "Open the full lesson", and a part's own links to another part
  // ("… in part 3", written as #forward or index.html#forward), which have nothing to jump to in
  // an embed and would replace the frame's settings.  Each opens that part of the full lesson in a
  // new tab with the frame's current settings; the href is worked out whenever a link is about to
  // be used, so later settings and links that parts draw later are covered too.
  function retarget(ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest('a[href]') : null;
    if (!a) return;
    var id = a.getAttribute('data-lesson-part');
    if (!id) {
      var m = /^(?:index\.html)?#([\w-]+)$/.exec(a.getAttribute('href'));
      id = a.id === 'embed-full' ? partId : m && !doc.getElementById(m[1]) && L && L.get(m[1]) ? m[1] : '';
      if (!id) return;
      a.setAttribute('data-lesson-part', id);
    }
    a.setAttribute('href', fullLessonHref(id));
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener');
  }

  function start() {
    var query = pairs(root.location.search.replace(/^\?/, ''));
    var opts = {};
    query.forEach(function (kv) { if (EMBED_KEYS[kv[0]]) opts[kv[0]] = kv[1]; });
    partId = String(opts.part || '').trim().toLowerCase();
    frameId = String(opts.id || '').replace(/[^\w.:-]/g, '').slice(0, 64);
    watchHeight();
    if (!L) { listParts('This page is incomplete', 'js/page/part-list.js is missing.'); return; }
    var part = L.get(partId);
    if (!part) {
      if (partId) {
        listParts('There is no part called “' + partId.slice(0, 40) + '”',
          'Write one of these names after ?part= in the address, for example embed.html?part=forward:');
      } else {
        listParts('Which part of the lesson?', 'Add ?part= and one of these names to the address, for example ' +
          'embed.html?part=forward:');
      }
      return;
    }

    // the settings: the query's, then the hash's on top (the same key later wins)
    var settings = query.filter(function (kv) { return !EMBED_KEYS[kv[0]]; })
      .concat(pairs(root.location.hash.replace(/^#/, '')));
    var seen = {}, merged = [];
    for (var i = settings.length - 1; i >= 0; i--) {
      if (seen[settings[i][0]]) continue;
      seen[settings[i][0]] = true;
      merged.unshift(encodeURIComponent(settings[i][0]) + '=' + encodeURIComponent(settings[i][1]));
    }
    var hash = merged.length ? merged.join('&') : (part.embedDefaults || '');
    try { root.history.replaceState(null, '', root.location.pathname + root.location.search + (hash ? '#' + hash : '')); }
    catch (e) { /* the app reads whatever the hash is */ }

    doc.title = 'nnmath · ' + part.title;
    doc.documentElement.setAttribute('data-part', part.id);
    var train = opts.train === 'auto' || opts.train === 'manual' ? opts.train : (part.train || 'manual');
    var ids = [];
    main.appendChild(el('h1', {class: 'visually-hidden'}, ['nnmath: ' + part.title]));
    if (part.bar) { main.appendChild(el('section', {id: 'trainbar'})); ids.push('trainbar'); }
    main.appendChild(el('section', {id: part.id}));
    ids.push(part.id);

    var full = doc.getElementById('embed-full');
    if (full) full.setAttribute('href', fullLessonHref());
    ['click', 'focusin', 'mouseover', 'contextmenu', 'auxclick'].forEach(function (t) {
      doc.addEventListener(t, retarget, true);
    });

    L.loadCss(doc, part.css || []);
    var scripts = [];
    var add = function (s) { if (scripts.indexOf(s) < 0) scripts.push(s); };
    if (part.model !== false) L.MODEL.forEach(add);
    L.BASICS.forEach(add);
    if (part.bar) L.TRAINBAR.scripts.forEach(add);
    part.scripts.forEach(add);
    add('js/page/app.js');
    loadScripts(scripts, function () {
      root.NNPageApp.start({parts: ids, embed: true, model: part.model !== false, options: {train: train}});
      doc.documentElement.setAttribute('data-embed-ready', 'true');
      post(true);
    }, function (src) {
      main.appendChild(el('p', {class: 'alert', role: 'alert'}, ['This part could not start: ' + src + ' is missing.']));
      doc.documentElement.setAttribute('data-embed-ready', 'error');
    });
  }

  root.NNEmbedPage = {start: start, height: measure, part: function () { return partId; }};
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})(this);
