/* nnmath page — THE list of the lesson's parts, in lesson order (browser global NNPagePartList;
 * Node module.exports).  The main page (index.html) mounts the parts whose <section id="..."> it
 * has; the embed page (embed.html?part=ID) loads the listed scripts and styles of one part and
 * mounts it alone; the "Embed this" dialog offers these parts; the tests check that index.html
 * and this list agree.  index.html loads the scripts and styles of its first part only:
 * js/page/app.js loads a lazy part's (loadScripts, loadCss below) when the part is to be built.
 *
 * One entry per part:
 *   id      the part's name: its <section id>, its NNPageParts key, embed.html?part=<id>
 *   title   a short title (iframe titles, the embed dialog, error messages)
 *   scripts the part's own scripts, in load order, ending with its adapter js/page/part-<id>.js
 *           (the lesson's basics — Chart.js excepted — are loaded by the embed page itself)
 *   css     the part's stylesheets besides css/page.css
 *   model   false: the part needs neither the digits nor the network (the embed skips both)
 *   saysWhy true: the part itself says why when there is no network (model.noNetwork), so an
 *           embed of it needs no note at the top saying it again
 *   bar     true: alone in an embed, the part gets the training strip (part-trainbar.js):
 *           the network from the URL's settings, its epoch, Train/Pause and Reset
 *   train   'auto': alone in an embed the network trains on load (to the URL's epochs), because
 *           the part makes little sense untrained; 'manual': it starts untrained (its first
 *           weights) and the strip offers Train.  embed.html?...&train=auto|manual overrides.
 *   embedDefaults  settings for an embed whose URL gives none (e.g. draw: the Improved network)
 *   height  a first guess of the part's height in px (the iframe snippet's height attribute, and
 *           the room a lazy part's section keeps until it is built)
 *   lazy    true: on the lesson page the part is built when it comes near the screen, on the
 *           reader's first key/click/scroll, or a few seconds after the start — not with the page
 *           (every part but the first: a slow phone starts with one part's work, and the lesson
 *           scores ≥ 90 in Lighthouse's mobile performance test); its scripts and styles are
 *           loaded then, not with the page (index.html does not list them); see js/page/app.js
 *
 * To add a part, see the comment at the top of js/page/part-tangent.js. */
(function (root) {
  'use strict';

  var PARTS = [
    {id: 'data', title: 'The data', scripts: ['js/page/part-data.js'], css: [], height: 1100},
    {id: 'network', lazy: true, title: 'The network', scripts: ['js/page/part-network.js'], css: [], height: 1000},
    {id: 'forward', saysWhy: true, lazy: true, title: 'Forward propagation', scripts: ['js/page/part-forward.js'], css: [],
      bar: true, train: 'manual', height: 1000},
    {id: 'cost', saysWhy: true, lazy: true, title: 'The cost', scripts: ['js/page/part-cost.js'], css: [], bar: true, train: 'manual',
      height: 900},
    {id: 'tangent', lazy: true, title: 'The slope of a tangent', css: ['css/learn.css'], model: false, height: 1100,
      scripts: ['js/learn/surfaces.js', 'js/learn/ui.js', 'js/learn/tangent.js', 'js/page/part-tangent.js']},
    {id: 'ball', lazy: true, title: 'A ball on a cost surface', css: ['css/learn.css'], model: false, height: 1300,
      scripts: ['js/learn/surfaces.js', 'js/learn/ui.js', 'js/learn/ball.js', 'js/page/part-ball.js']},
    {id: 'backprop', saysWhy: true, lazy: true, title: 'Back-propagation', css: ['css/backprop.css'], bar: true, train: 'auto',
      embedDefaults: 'preset=improved&epochs=2', height: 1500,
      scripts: ['js/backprop/backprop-math.js', 'js/backprop/backprop.js', 'js/page/part-backprop.js']},
    {id: 'training', saysWhy: true, lazy: true, title: 'Training', scripts: ['vendor/chart.line.min.js', 'js/page/part-training.js'], css: [],
      height: 1000},
    {id: 'landscape', saysWhy: true, lazy: true, title: 'The cost landscape', css: ['css/landscape.css'], bar: true, train: 'auto',
      embedDefaults: 'preset=improved&epochs=3', height: 1300,
      scripts: ['js/landscape/landscape-math.js', 'js/landscape/surface3d.js', 'js/landscape/landscape.js',
        'js/page/part-landscape.js']},
    {id: 'evaluation', saysWhy: true, lazy: true, title: 'Evaluation', scripts: ['js/page/part-evaluation.js'], css: [], bar: true,
      train: 'auto', height: 1200},
    {id: 'draw', saysWhy: true, lazy: true, title: 'Draw your own digit', css: ['css/draw.css'], bar: true, train: 'auto',
      embedDefaults: 'preset=improved', height: 1000,
      scripts: ['js/draw/preprocess.js', 'js/draw/samples.js', 'js/draw/pad.js', 'js/page/part-draw.js']},
    {id: 'experiments', saysWhy: true, lazy: true, title: 'Experiments side by side', css: ['css/experiments.css'], height: 1400,
      scripts: ['vendor/chart.line.min.js', 'js/experiments/experiments.js', 'js/experiments/experiments-ui.js',
        'js/page/part-experiments.js']},
    {id: 'save', lazy: true, title: 'Save and load the network', css: ['css/experiments.css'], bar: true, train: 'manual',
      height: 700, scripts: ['js/model-io/modelio.js', 'js/model-io/model-panel.js', 'js/page/part-save.js']},
    {id: 'reflect', lazy: true, title: 'Looking back', css: ['css/reflect.css', 'css/print.css'], model: false, height: 1700,
      scripts: ['js/reflect/reflect.js', 'js/page/part-reflect.js']}
  ];

  /* The lesson's basics, loaded by the embed page before any part (after part-list.js). */
  var BASICS = ['js/page/format.js', 'js/page/state.js', 'js/page/digits.js', 'js/page/palette.js',
    'js/page/dom.js'];
  var MODEL = ['js/digits-data.js', 'js/nnmath.js'];
  var EMBED_ONLY = {id: 'trainbar', scripts: ['js/page/part-trainbar.js']};

  function byId(id) {
    for (var i = 0; i < PARTS.length; i++) if (PARTS[i].id === id) return PARTS[i];
    return null;
  }

  /* Files added to the page later (the lesson page's lazy parts, the embed page's part).
   * loadScripts(doc, srcs) and loadCss(doc, hrefs) -> Promise of the list of those that failed to
   * load ([] when all did; it never rejects), settled when every one has loaded or failed.  Scripts
   * are requested at once and run in the order given (async = false), each in a task of its own;
   * style sheets go before the page's <link data-part-styles-before> if it has one (index.html:
   * css/parts.css, which comes after the parts' sheets in the cascade), else at the end of <head>.
   * A file already on the page (in its HTML, or from an earlier call) is not added again; a failed
   * one is tried again next time.  Classic scripts: they load from file:// too. */
  var added = {};
  function addOnce(doc, url, existing, make) {
    if (added[url]) return added[url];
    if (doc.querySelector(existing)) return (added[url] = Promise.resolve(null));
    added[url] = new Promise(function (resolve) {
      var el = make();
      el.onload = function () { resolve(null); };
      el.onerror = function () { delete added[url]; resolve(url); };
    });
    return added[url];
  }
  function failures(promises) {
    return Promise.all(promises).then(function (r) { return r.filter(function (x) { return x !== null; }); });
  }
  function loadScripts(doc, srcs) {
    return failures(srcs.map(function (src) {
      return addOnce(doc, src, 'script[src="' + src + '"]', function () {
        var s = doc.createElement('script');
        s.src = src;
        s.async = false;
        return doc.body.appendChild(s);
      });
    }));
  }
  function loadCss(doc, hrefs) {
    return failures(hrefs.map(function (href) {
      return addOnce(doc, href, 'link[rel="stylesheet"][href="' + href + '"]', function () {
        var l = doc.createElement('link');
        l.rel = 'stylesheet';
        l.href = href;
        var before = doc.querySelector('link[data-part-styles-before]');
        return before ? before.parentNode.insertBefore(l, before) : doc.head.appendChild(l);
      });
    }));
  }

  var api = {
    PARTS: PARTS, BASICS: BASICS, MODEL: MODEL, TRAINBAR: EMBED_ONLY,
    get: byId,
    loadScripts: loadScripts,
    loadCss: loadCss,
    ids: function () { return PARTS.map(function (p) { return p.id; }); }
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.NNPagePartList = api;
})(this);
