/* nnmath page — the controller (browser only; global NNPageApp).
 *
 * It owns the one page state (NNPageState), the NNMath core, the data set and the network, and
 * runs training in small time slices.  Parts (NNPageParts.data, .network, .forward, .cost,
 * .training, .evaluation, ...) are views: each is mounted once into its <section id="..."> with
 * mount(section, ctx) and then gets update(model, changes) — they never own the model; they ask
 * for changes through ctx.set(key, value) and ctx.action(name).
 *
 * NNPageApp.start({parts: ['forward']}) mounts only the listed parts (default: every registered
 * part whose section exists in the page), so a part can be embedded alone; {embed: true} says so
 * (ctx.embed), {model: false} skips the digits and the core (parts that need neither), and
 * {options: {...}} is handed to the parts as ctx.options (the embed page's train=auto|manual).
 *
 * Besides ctx.state, ctx.digits, ctx.set, ctx.action and ctx.selectDigit, parts get
 *   ctx.predict(pixels64) -> Float32Array(10) copy, or null while there is no network
 *   ctx.network()         -> the live network (read only: for views that compute with it, such as
 *                            a cost landscape; never train, reset or dispose it), or null; a part
 *                            whose component keeps it defines part.release(), called before the
 *                            controller frees it
 *   ctx.core(), ctx.createNetwork(cfg) -> the WebAssembly core (for components that build their
 *                            own networks, which they free), a new network on the lesson's data
 *   ctx.action('adopt', {net}) -> that network becomes the lesson's (throws if it cannot show it)
 *   ctx.action('weights') -> the part changed the weights itself: evaluate again
 *   ctx.has(id), ctx.show(id) -> is that part on this page / scroll to it (false if it is not)
 *   ctx.onReader(fn)      -> fn() once, in a task of its own, once the reader has pressed a key,
 *                            clicked, scrolled or touched (at once if they already have; after
 *                            training if it trains): work done ahead of need
 *   ctx.action('drawn', pixels64) -> a drawn digit becomes the input of forward propagation
 *   ctx.action('source', 'data' | 'drawn') -> switch the forward input back and forth
 * and the model given to update() also has {source: 'data'|'drawn', drawn: {pixels, trace,
 * version} | null, embed}.  Choosing a digit of the data set (ctx.selectDigit) switches the
 * source back to 'data'.  A hash that is only a section id (#forward, from the table of contents)
 * scrolls there and keeps the settings; "#forward&preset=improved" applies the settings and
 * scrolls to the part. */
(function (root) {
  'use strict';

  var S = root.NNPageState, D = root.NNPageDigits, F = root.NNPageFormat;
  var PART_ORDER = root.NNPagePartList ? root.NNPagePartList.ids()
    : ['data', 'network', 'forward', 'cost', 'training', 'evaluation'];
  var SLICE_MS = 9;          // training work per animation frame
  var VIEW_BUDGET_MS = 12;   // view updates per frame (a part that is due always gets its turn)
  var VIEW_EVERY_MS = 150;   // how often views follow the weights while training
  var TEST_FRACTION = 0.2, SPLIT_SEED = 1;

  var state = S.defaults();
  var digits = null, core = null, corePromise = null, dataset = null, net = null;
  var split = null;          // {isTest: Uint8Array, train: Int32Array, test: Int32Array}
  var mounted = [];          // [{id, part, el}]
  var history = [];          // per completed epoch: {epoch, trainCost, testCost, trainAcc, testAcc}
  var evalTrain = null, evalTest = null, predictions = null, trace = null;
  var progress = {epoch: 0, step: 0, stepsPerEpoch: 0, batchCost: NaN};
  var MIN_CHUNK = 64;        // samples: the core's own chunk (NN_CHUNK)
  var training = false, stopAt = 0, chunk = MIN_CHUNK, timer = null, lastViewUpdate = 0, pendingEval = false;
  var dirty = {}, visible = {}, flushTimer = null;
  var diverged = null, loadError = null, buildError = null, follow = true;
  var notesEl = null, notesSayNoNetwork = false;
  var drawn = null, source = 'data', drawnVersion = 0;   // a digit drawn on the pad (part-draw.js)
  var embedMode = false, useModel = true;

  /* ---------------------------------------------------------------- notes */
  function showNotes(notes, title) {
    if (!notesEl || !notes || !notes.length) return;
    var Dom = root.NNPageDom;
    Dom.clear(notesEl);
    notesSayNoNetwork = false;
    notesEl.appendChild(Dom.h('p', {class: 'notes-title'}, title || 'Some settings in the link were changed:'));
    var ul = Dom.h('ul');
    notes.forEach(function (n) { ul.appendChild(Dom.h('li', null, n)); });
    notesEl.appendChild(ul);
    var close = Dom.h('button', {type: 'button', class: 'btn btn-small'}, 'OK');
    close.addEventListener('click', function () { notesEl.hidden = true; });
    notesEl.appendChild(close);
    notesEl.hidden = false;
  }

  /* ---------------------------------------------------------------- hash */
  function writeHash() {
    var hash = '#' + S.toHash(state);
    if (root.location.hash === hash) return;
    try { root.history.replaceState(null, '', hash); }
    catch (e) { try { root.location.replace(hash); } catch (e2) { /* no URL updates here */ } }
  }

  /* "#forward" (a link to a section) or "#forward&preset=…": {target: 'forward' | null, rest}. */
  function splitHash(hash) {
    var text = String(hash || '').replace(/^#/, ''), amp = text.indexOf('&');
    var first = amp < 0 ? text : text.slice(0, amp);
    var id = null;
    if (first && first.indexOf('=') < 0 && /^[A-Za-z][\w-]{0,40}$/.test(first) &&
        root.document.getElementById(first)) id = first;
    return {target: id, rest: id ? (amp < 0 ? '' : text.slice(amp + 1)) : text};
  }

  function scrollToPart(id, smooth) {
    var el = root.document.getElementById(id);
    if (!el) return false;
    var Dom = root.NNPageDom;
    el.scrollIntoView({block: 'start', behavior: smooth && !(Dom && Dom.reducedMotion()) ? 'smooth' : 'auto'});
    var head = el.querySelector('h2');
    if (head) {
      if (!head.hasAttribute('tabindex')) head.setAttribute('tabindex', '-1');
      try { head.focus({preventScroll: true}); } catch (e) { /* old browsers */ }
    }
    return true;
  }

  function onHashChange() {
    var sp = splitHash(root.location.hash);
    if (sp.target && !sp.rest) { writeHash(); return; }   // a table-of-contents link: keep the settings
    if (sp.target) scrollToPart(sp.target, true);
    var parsed = S.parseHash(sp.rest);
    if (S.equal(parsed.state, state)) return;
    showNotes(parsed.notes);
    setState(parsed.state);
  }

  /* ---------------------------------------------------------------- model */
  function modelData() {
    return {
      state: state, digits: digits, split: split, ready: !!net,
      // why there is no network for good (the core or the network could not start), or '': what
      // every part that needs the network shows instead of it
      noNetwork: loadError || buildError || '',
      // and whether the reader is told it elsewhere already (the note at the top, or a part of the
      // page that says it in place): then a strip (the embed's training bar) says it in short
      noNetworkSaid: !!((loadError && notesSayNoNetwork) || ((loadError || buildError) && partsSayWhy())),
      coreInfo: core ? {simd: !!core.simd, mock: !!core.mock} : null,
      config: net ? net.config : S.toConfig(state), sizes: S.toConfig(state).layers,
      layers: net ? net.layers() : null, trace: net ? getTrace() : null,
      progress: progress, target: state.epochs, history: history,
      evalTrain: evalTrain, evalTest: evalTest, predictions: predictions,
      training: training, diverged: diverged, follow: follow,
      finished: !!net && progress.epoch >= state.epochs,
      source: drawn ? source : 'data', embed: embedMode,
      drawn: drawn ? {pixels: drawn.pixels, version: drawn.version,
        trace: source === 'drawn' ? getDrawnTrace() : null} : null
    };
  }

  function getDrawnTrace() {
    if (drawn && !drawn.trace && net) {
      try { drawn.trace = net.trace(drawn.pixels); } catch (e) { drawn.trace = null; }
    }
    return drawn ? drawn.trace : null;
  }

  function setDrawn(pixels) {
    if (!pixels || pixels.length !== 64) return;
    var px = new Uint8Array(64);
    for (var i = 0; i < 64; i++) {
      var v = Math.round(Number(pixels[i]));
      if (!(v >= 0 && v <= 16)) return;           // not a digit's 64 numbers: ignored
      px[i] = v;
    }
    drawnVersion += 1;
    drawn = {pixels: px, trace: null, version: drawnVersion};
    source = 'drawn';
    render({digit: true, source: true});
  }

  function setSource(name) {
    var next = name === 'drawn' && drawn ? 'drawn' : 'data';
    if (next === source) return;
    source = next;
    render({digit: true, source: true});
  }

  function getTrace() {
    if (!trace && net) {
      try { trace = net.trace(state.digit); } catch (e) { trace = null; }
    }
    return trace;
  }

  /* Views are updated by a small scheduler so that no task runs long: each part collects the
   * changes it has not seen yet (dirty[id]) and parts are updated one after another within a
   * per-frame budget.  While training, parts that are off screen wait until they scroll into view
   * or training stops. */
  function mergeChanges(a, b) {
    var out = {};
    var k;
    if (a) for (k in a) if (a[k]) out[k] = true;
    for (k in b) if (b[k]) out[k] = true;
    return out;
  }

  /* later: leave the views to the next frame (the caller has already used up this task). */
  function render(changes, later) {
    var c = changes || {all: true};
    if (c.weights || c.net || c.digit || c.all) trace = null;
    if (drawn && (c.weights || c.net || c.all)) drawn.trace = null;
    mounted.forEach(function (m) { dirty[m.id] = mergeChanges(dirty[m.id], c); });
    if (!training && !later) flush(VIEW_BUDGET_MS, true);
    scheduleFlush();
  }

  function due(id) { return !!dirty[id] && (!training || visible[id] !== false); }

  function pendingViews() {
    return mounted.some(function (m) { return due(m.id); });
  }

  /* Update due parts until the budget is used; visibleFirst: on-screen parts first. */
  function flush(budget, visibleFirst) {
    var t0 = performance.now(), data = null;
    var order = mounted.slice();
    if (visibleFirst) {
      order.sort(function (a, b) { return (visible[a.id] === false) - (visible[b.id] === false); });
    }
    for (var i = 0; i < order.length; i++) {
      var m = order[i];
      if (!due(m.id)) continue;
      if (data && performance.now() - t0 > budget) break;
      if (visibleFirst && data && visible[m.id] === false) break; // off-screen parts: next frames
      var c = dirty[m.id];
      delete dirty[m.id];
      data = data || modelData();
      try { m.part.update(data, c); }
      catch (e) { if (root.console) root.console.warn('nnmath: the ' + m.id + ' part failed to update', e); }
    }
    return performance.now() - t0;
  }

  function scheduleFlush() {
    if (flushTimer !== null || training || !pendingViews()) return;
    var raf = root.requestAnimationFrame ? root.requestAnimationFrame.bind(root) : function (f) { return setTimeout(f, 16); };
    flushTimer = raf(function () {
      flushTimer = null;
      if (training) return; // the training loop flushes
      flush(VIEW_BUDGET_MS, true);
      scheduleFlush();
    });
  }

  var visIO = null;
  function watchVisibility() {
    if (!root.IntersectionObserver) return;
    visIO = new root.IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        var id = e.target.id;
        visible[id] = e.isIntersecting;
      });
      scheduleFlush();
    }, {rootMargin: '150px 0px'});
    mounted.forEach(function (m) { visIO.observe(m.el); });
  }

  /* ---------------------------------------------------------------- building the parts
   * Most parts are built at once; the ones marked lazy in part-list.js (they take a while: 3D
   * surfaces, charts) when they come within a screen of view, or — one per task — as soon as the
   * reader does anything (a key, a click, a scroll, printing), or a few seconds after the start.
   * So a slow phone shows the first parts without waiting for the whole lesson.  Until then a
   * part's section keeps its place with an estimated height (.part-pending).  A part whose
   * scripts are not on the page yet (index.html lists only the first part's) has them and its
   * style sheets loaded first (NNPagePartList.loadScripts, loadCss) and is built when they have
   * run; a part whose adapter script fails to load says so in its section. */
  var BUILD_LATER_MS = 4000;
  var pending = [], buildCtx = null, nearIO = null, buildTimer = null, buildingAll = false;

  /* -> Promise resolved when p's scripts have run (p.part is then its NNPageParts entry). */
  function loadPart(p) {
    if (p.loading) return p.loading;
    var L = root.NNPagePartList, info = L && L.get(p.id);
    var registered = function () { return (root.NNPageParts || {})[p.id] || null; };
    if (registered()) { p.part = registered(); return (p.loading = Promise.resolve(p)); }
    if (!info) return (p.loading = Promise.reject(new Error('the ' + p.id + ' part is not in js/page/part-list.js')));
    // a part whose adapter ran is built even if a library of it failed to load (the training
    // part without Chart.js keeps its table and says why there is no chart)
    var doc = root.document;
    p.loading = Promise.all([L.loadScripts(doc, info.scripts), L.loadCss(doc, info.css || [])]).then(function (r) {
      var failed = r[0].concat(r[1]);
      p.part = registered();
      if (failed.length && root.console) root.console.warn('nnmath: could not load ' + failed.join(', '));
      if (p.part) return p;
      var e = new Error(r[0].length ? 'could not load ' + r[0][0]
        : info.scripts[info.scripts.length - 1] + ' did not define the ' + p.id + ' part');
      e.src = r[0][0];
      throw e;
    });
    p.loading.catch(function (e) { failPart(p, e); });
    return p.loading;
  }

  /* Take p off the waiting list and its section out of its placeholder state; false if it was not on it. */
  function unpend(p) {
    var i = pending.indexOf(p);
    if (i < 0) return false;
    pending.splice(i, 1);
    if (nearIO) nearIO.unobserve(p.el);
    p.el.classList.remove('part-pending');
    p.el.style.minHeight = '';
    return true;
  }

  function failPart(p, e) {
    if (!unpend(p)) return;
    var info = root.NNPagePartList && root.NNPagePartList.get(p.id);
    var box = root.document.createElement('p');
    box.className = 'alert';
    box.setAttribute('role', 'alert');
    box.textContent = 'This part (' + ((info && info.title) || p.id) + ') could not be started: ' +
      (e && e.src ? 'the file ' + e.src + ' is missing or could not be read. If the lesson was copied, copy the whole folder again.'
        : ((e && e.message) || String(e))) + ' The other parts work without it.';
    p.el.appendChild(box);
    if (root.console) root.console.warn('nnmath: the ' + p.id + ' part could not be loaded', e);
  }

  function buildPart(p) {
    if (pending.indexOf(p) < 0) return false;
    if (!p.part) { loadPart(p).then(function () { buildNow(p.id); }, function () {}); return false; }
    unpend(p);
    try { p.part.mount(p.el, buildCtx); }
    catch (e) {
      if (root.console) root.console.warn('nnmath: the ' + p.id + ' part failed to start', e);
      return false;
    }
    mounted.push(p);
    mounted.sort(function (a, b) { return a.el.compareDocumentPosition(b.el) & 4 ? -1 : 1; });
    if (visIO) visIO.observe(p.el);
    dirty[p.id] = {all: true};
    return true;
  }

  function announceBuilt(ids) {
    numberParts(root.document);
    try { root.document.dispatchEvent(new root.CustomEvent('nnpage:mounted', {detail: {parts: ids}})); }
    catch (e) { /* no CustomEvent: the embed dialog also asks NNPageApp.parts() */ }
  }

  function buildNow(id) {
    var p = pending.filter(function (q) { return q.id === id; })[0];
    if (p && buildPart(p)) { announceBuilt([p.id]); render({all: true}); }
  }

  /* Build the waiting parts one per task, in lesson order (their scripts are all requested at
   * once, and run one per task as they arrive). */
  function buildAll() {
    if (buildingAll) return;
    buildingAll = true;
    stopWaiting();
    pending.forEach(function (p) { loadPart(p).catch(function () {}); });
    (function next() {
      if (!pending.length) return;
      // while the network trains, building a part (up to ~100 ms on a slow laptop) would stall
      // the training animation: wait for a pause (a part near the screen is still built at once)
      if (training) { setTimeout(next, 300); return; }
      var p = pending[0];
      if (!p.part) { loadPart(p).then(function () { setTimeout(next, 0); }, function () { setTimeout(next, 0); }); return; }
      buildNow(p.id);
      setTimeout(next, 0);
    })();
  }

  var WAKE_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart', 'scroll', 'beforeprint'];
  function onWake(e) {
    // printing: build at once every part whose scripts have run (the rest follow as they load)
    if (e && e.type === 'beforeprint') pending.slice().forEach(function (p) { if (p.part) buildNow(p.id); });
    buildAll();
  }
  function stopWaiting() {
    WAKE_EVENTS.forEach(function (t) { root.removeEventListener(t, onWake, true); });
    if (buildTimer !== null) { clearTimeout(buildTimer); buildTimer = null; }
  }

  /* fn once, in a task of its own, once the reader has pressed a key, clicked, scrolled or touched
   * (at once if they already have), and not while the network trains (then after it): for work a
   * part can do ahead of need (the training part makes its chart: 40-80 ms on a slow laptop)
   * without it falling in the middle of a training run or in a page load with no reader.  A part
   * built because of the reader's first action (a lazy one) does not wait for a second one, which
   * could be the click on Train. */
  var READER_EVENTS = WAKE_EVENTS.filter(function (t) { return t !== 'beforeprint'; });
  var readerActed = false, readerWaiting = [];
  function readerActs() {
    READER_EVENTS.forEach(function (t) { root.removeEventListener(t, readerActs, true); });
    readerActed = true;
    readerWaiting.splice(0).forEach(whenNotTraining);
  }
  function whenNotTraining(fn) {
    setTimeout(function run() { if (training) setTimeout(run, 300); else fn(); }, 0);
  }
  function onReader(fn) {
    if (readerActed) whenNotTraining(fn);
    else readerWaiting.push(fn);
  }
  function listenForReader() {
    READER_EVENTS.forEach(function (t) { root.addEventListener(t, readerActs, {capture: true, passive: true}); });
  }

  function waitToBuild() {
    if (!pending.length) return;
    WAKE_EVENTS.forEach(function (t) { root.addEventListener(t, onWake, {capture: true, passive: true}); });
    buildTimer = setTimeout(buildAll, BUILD_LATER_MS);
    if (!root.IntersectionObserver) return;
    nearIO = new root.IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) return;
        var id = e.target.id;
        setTimeout(function () { buildNow(id); }, 0);
      });
    }, {rootMargin: '100% 0px'});
    pending.forEach(function (p) { nearIO.observe(p.el); });
  }

  function evaluateNow() {
    evalTrain = net.evaluate('train');
    // the test set's outputs come with its evaluation, in one call of the core (one predict per
    // digit cost as much again as the evaluation of both sets)
    var ev = net.evaluate('test', {outputs: true}), rows = split.test, n = rows.length, out = ev.outputs;
    delete ev.outputs;
    evalTest = ev;
    var pred = new Uint8Array(n);
    for (var i = 0; i < n; i++) pred[i] = D.argmax(out.subarray(i * 10, i * 10 + 10));
    predictions = {rows: rows, pred: pred, out: out};
  }

  function recordEpoch() {
    evaluateNow();
    history.push({epoch: net.epoch, trainCost: evalTrain.cost, testCost: evalTest.cost,
      trainAcc: evalTrain.accuracy, testAcc: evalTest.accuracy});
  }

  function disposeNet() {
    if (net) {
      // parts whose components hold the network (part.release) let go of it first
      mounted.forEach(function (m) {
        if (typeof m.part.release === 'function') {
          try { m.part.release(); } catch (e) { /* the part is on its own */ }
        }
      });
      try { net.dispose(); } catch (e) { /* already gone */ }
    }
    net = null;
  }

  /* A network made by a part (ctx.createNetwork: e.g. a model loaded from a file) becomes the
   * lesson's network: the settings follow its configuration, training starts again at epoch 0.
   * Throws (and leaves everything as it was) when the lesson cannot show that configuration. */
  function adopt(arg) {
    var newNet = arg && arg.net, cfg = newNet && newNet.config;
    if (!cfg || !cfg.layers) throw new Error('There is no network to use.');
    var want = {layers: cfg.layers.slice(1, -1), activation: cfg.activation, output: cfg.output, cost: cfg.cost,
      optimizer: cfg.optimizer, lr: cfg.lr, momentum: cfg.momentum, batch: cfg.batch, seed: cfg.seed};
    var next = S.normalize(Object.assign({}, state, want));
    var got = S.toConfig(next.state);
    if (next.notes.length || got.layers.join(',') !== cfg.layers.join(',') || got.activation !== cfg.activation ||
        got.output !== cfg.output || got.cost !== cfg.cost) {
      throw new Error('This lesson cannot show that network' + (next.notes.length ? ': ' + next.notes[0] : '.'));
    }
    stop();
    disposeNet();
    state = next.state;
    writeHash();
    net = newNet;
    history = []; evalTrain = evalTest = predictions = trace = null; diverged = null; buildError = null;
    chunk = MIN_CHUNK;
    var spe = Math.max(1, Math.ceil(split.train.length / (state.batch || split.train.length)));
    progress = {epoch: 0, step: 0, stepsPerEpoch: spe, batchCost: NaN};
    recordEpoch();
    render({all: true, net: true, weights: true, epoch: true, state: true});
  }

  /* A part changed the weights itself (e.g. backprop's "Apply this update"): evaluate again. */
  function weightsChanged() {
    if (!net) return;
    stop();
    diverged = null;
    evaluateNow();
    render({weights: true, training: true});
  }

  function build() {
    stop();
    disposeNet();
    history = []; evalTrain = evalTest = predictions = trace = null; diverged = null; buildError = null;
    progress = {epoch: 0, step: 0, stepsPerEpoch: 0, batchCost: NaN};
    if (!core || !dataset) { render({all: true, net: true}); return; }
    var cfg = S.toConfig(state);
    try {
      net = core.network(cfg, dataset);
    } catch (e) {
      buildError = (e && e.message) || String(e);
      render({all: true, net: true});
      announceReady();
      return;
    }
    chunk = MIN_CHUNK;
    var spe = Math.max(1, Math.ceil(split.train.length / (state.batch || split.train.length)));
    progress = {epoch: 0, step: 0, stepsPerEpoch: spe, batchCost: NaN};
    recordEpoch();
    render({all: true, net: true, weights: true, epoch: true}, true);
    announceReady();
  }

  /* The page has started as far as it will: its network is built, or it needs none (a part with
   * model: false), or the core or the network could not start.  The service worker's registration
   * (js/sw-register.js) waits for this, so that caching the lesson never competes with starting it. */
  function isReady() { return !!net || !useModel || !!loadError || !!buildError; }
  function announceReady() {
    try { root.document.dispatchEvent(new root.CustomEvent('nnpage:ready')); }
    catch (e) { /* no CustomEvent: sw-register.js also has a time limit */ }
  }

  function resetNet() {
    if (!net) return;
    stop();
    net.reset();
    history = []; diverged = null;
    progress = {epoch: 0, step: 0, stepsPerEpoch: progress.stepsPerEpoch, batchCost: NaN};
    recordEpoch();
    render({all: true, weights: true, epoch: true, training: true});
  }

  /* ---------------------------------------------------------------- state */
  function setState(next, notes) {
    var old = state;
    state = S.normalize(next).state;
    var d = S.diff(old, state);
    writeHash();
    if (notes && notes.length) showNotes(notes, 'Settings adjusted:');
    if (d.model) { build(); return; }
    var c = {state: true, view: d.view, run: d.run};
    if (old.digit !== state.digit) { c.digit = true; source = 'data'; }
    if (old.filter !== state.filter) c.filter = true;
    if (d.run && training && progress.epoch >= state.epochs) stop();
    render(c);
  }

  function set(key, value) {
    var r = S.set(state, key, value);
    setState(r.state, r.notes);
    return r.notes;
  }

  /* ---------------------------------------------------------------- training */
  function schedule() {
    if (timer !== null) return;
    var run = function () { timer = null; tick(); };
    if (root.document.hidden || !root.requestAnimationFrame) timer = setTimeout(run, 0);
    else timer = root.requestAnimationFrame(run);
  }

  function stop() {
    var was = training;
    training = false;
    if (pendingEval && net) { pendingEval = false; recordEpoch(); }
    if (timer !== null) { root.cancelAnimationFrame(timer); clearTimeout(timer); timer = null; }
    return was;
  }

  function start(untilEpoch) {
    if (!net || training) return;
    if (progress.epoch >= state.epochs && untilEpoch === undefined) {
      // finished: "Train" starts again from the seed, so the run is reproducible
      net.reset(); history = []; progress.epoch = 0; progress.step = 0; recordEpoch();
      render({weights: true, epoch: true});
    }
    diverged = null;
    stopAt = untilEpoch !== undefined ? untilEpoch : state.epochs;
    training = true;
    render({training: true});
    schedule();
  }

  function onTrainError(e) {
    stop();
    if (e && e.code === 'diverged') {
      diverged = {message: e.message, lr: state.lr, epoch: net.epoch};
      progress.epoch = net.epoch;
      progress.step = 0;
      recordEpochIfNew();
      render({training: true, weights: true, epoch: true});
    } else {
      diverged = {message: (e && e.message) || String(e), lr: state.lr, epoch: net ? net.epoch : 0,
        other: true};
      render({training: true});
    }
  }

  function recordEpochIfNew() {
    var last = history.length ? history[history.length - 1].epoch : -1;
    if (net.epoch !== last) recordEpoch(); else evaluateNow();
  }

  /* Train for up to `ms` milliseconds, stopping at an epoch boundary (its evaluation runs as a
   * job of its own at the start of the next frame). */
  function trainFor(ms) {
    var t0 = performance.now();
    while (performance.now() - t0 < ms) {
      // `chunk` samples per call of the core, kept at 1.5–4 ms a call: a big network with a big
      // batch has its steps split over several calls (and frames), so no task gets long
      var ts = performance.now();
      var r = net.trainSamples(chunk);
      var dt = performance.now() - ts;
      if (dt < 1.5 && chunk < (1 << 22)) chunk *= 2;
      else if (dt > 4 && chunk > MIN_CHUNK) chunk = Math.max(MIN_CHUNK, chunk >> 1);
      var newEpoch = r.epoch !== progress.epoch;
      progress = {epoch: r.epoch, step: r.step, stepsPerEpoch: r.stepsPerEpoch, batchCost: r.batchCost};
      if (newEpoch) { pendingEval = true; return; }
    }
  }

  function tick() {
    if (!net) return;
    var t0 = performance.now();
    try {
      if (pendingEval) {
        pendingEval = false;
        recordEpoch();
        var finished = progress.epoch >= stopAt || progress.epoch >= state.epochs;
        if (finished) stop();
        lastViewUpdate = Date.now();
        render({weights: true, epoch: true, progress: true, training: finished});
        if (finished) return;
      }
      if (!training) return;
      var used = performance.now() - t0;
      if (used > 1) {
        // this frame evaluated an epoch: the views get their turn in the next one
        trainFor(Math.max(2, SLICE_MS - used));
      } else {
        var now = Date.now();
        if (follow && now - lastViewUpdate > VIEW_EVERY_MS) {
          lastViewUpdate = now;
          render({weights: true, progress: true});
        } else {
          render({progress: true});
        }
        used = flush(VIEW_BUDGET_MS, true);
        trainFor(Math.max(2, SLICE_MS - Math.max(0, used - 3)));
      }
    } catch (e) { onTrainError(e); return; }
    if (training) schedule();
    if (performance.now() - t0 > 0 && !training) scheduleFlush();
  }

  function oneStep() {
    if (!net) return;
    stop();
    try {
      var before = progress.epoch;
      var r = net.trainSteps(1);
      progress = {epoch: r.epoch, step: r.step, stepsPerEpoch: r.stepsPerEpoch, batchCost: r.batchCost};
      if (r.epoch !== before) recordEpoch();
      render({weights: true, epoch: r.epoch !== before, progress: true, training: true});
    } catch (e) { onTrainError(e); }
  }

  function action(name, arg) {
    switch (name) {
      case 'toggle': if (training) { stop(); render({training: true}); } else start(); break;
      case 'train': start(); break;
      case 'pause': stop(); render({training: true}); break;
      case 'step': oneStep(); break;
      case 'epoch': stop(); start(progress.epoch + 1); break;
      case 'reset': resetNet(); break;
      case 'preset': set('preset', arg); break;
      case 'follow': follow = !!arg; render({weights: true}); break;
      case 'drawn': setDrawn(arg); break;
      case 'adopt': adopt(arg); break;
      case 'weights': weightsChanged(); break;
      case 'source': setSource(arg); break;
      default: break;
    }
  }

  /* ---------------------------------------------------------------- start */
  /* The core's script is requested as the page starts: it arrives, is read and compiled (the
   * WebAssembly compiles off the main thread) while the first parts are built and laid out.  What
   * uses it waits for loadCore's own task. */
  function requestCore() {
    if (corePromise || !root.NNMath || typeof root.NNMath.load !== 'function') return;
    try { corePromise = root.NNMath.load({simd: 'auto', coreDir: 'js/'}); }
    catch (e) { corePromise = Promise.reject(e); }
    corePromise.catch(function () { /* reported by loadCore */ });
  }

  function loadCore() {
    if (!root.NNMath || typeof root.NNMath.load !== 'function') {
      coreFailed('The calculator script (js/nnmath.js) is missing.');
      return;
    }
    requestCore();
    corePromise.then(function (c) {
      core = c;
      dataset = core.dataset({pixels: digits.pixels, labels: digits.labels, scale: 'unit'});
      dataset.split({testFraction: TEST_FRACTION, seed: SPLIT_SEED});
      var test = dataset.rows('test'), train = dataset.rows('train');
      var isTest = new Uint8Array(digits.count);
      for (var i = 0; i < test.length; i++) isTest[test[i]] = 1;
      split = {isTest: isTest, train: train, test: test};
      // the network in a task of its own: starting the core is work enough for one
      setTimeout(build, 0);
    }).catch(function (e) {
      // no WebAssembly at all (security settings switch it off): NNMath.load says so in plain words
      coreFailed(e && e.code === 'unsupported'
        ? 'The calculator could not start. ' + e.message + ' The slope and the rolling ball work without it.'
        : 'The calculator (WebAssembly) could not start: ' + ((e && e.message) || e));
    });
  }

  /* The core could not start: every part that needs it says why, and so does the note at the top
   * (but in an embed whose part says it in place: the same paragraph twice in one small frame). */
  function coreFailed(message) {
    loadError = message;
    if (!(embedMode && partsSayWhy())) {
      showNotes([message], 'The network cannot run:');
      notesSayNoNetwork = true;
    }
    render({all: true});
    announceReady();
  }

  /* Does a part of the page say in place why there is no network (saysWhy in part-list.js)? */
  function partsSayWhy() {
    var L = root.NNPagePartList;
    return !!L && mounted.concat(pending).some(function (m) { var info = L.get(m.id); return !!(info && info.saysWhy); });
  }

  function startApp(opts) {
    var o = opts || {};
    var doc = root.document;
    notesEl = doc.getElementById('notes');
    embedMode = !!o.embed;
    useModel = o.model !== false;
    if (useModel) requestCore();
    var sp = splitHash(root.location.hash);
    var parsed = S.parseHash(sp.rest);
    state = parsed.state;
    try {
      if (!useModel) digits = {count: 0, pixels: new Uint8Array(0), labels: new Uint8Array(0)};
      else digits = root.NNMath && root.NNMath.decodeDigits ? root.NNMath.decodeDigits(root.NNMATH_DIGITS)
        : D.decode(root.NNMATH_DIGITS);
    } catch (e) {
      loadError = 'The digits (js/digits-data.js) could not be read: ' + ((e && e.message) || e);
      digits = {count: 0, pixels: new Uint8Array(0), labels: new Uint8Array(0)};
    }
    // a part without the digits (an embed of "Looking back", say) keeps the chosen digit: it goes
    // on to the full lesson with the frame's other settings
    if (useModel && state.digit >= digits.count) state.digit = 0;
    var ctx = {
      get state() { return state; },
      digits: digits, set: set, action: action,
      selectDigit: function (row) { set('digit', row); },
      embed: embedMode, options: o.options || {},
      predict: function (pixels) {
        if (!net) return null;
        try { return new Float32Array(net.predict(pixels)); } catch (e) { return null; }
      },
      network: function () { return net; },
      onReader: onReader,
      core: function () { return core; },
      createNetwork: function (cfg) {
        if (!core || !dataset) throw new Error('The calculator has not started yet.');
        return core.network(cfg, dataset);
      },
      has: function (id) {
        return mounted.concat(pending).some(function (m) { return m.id === id; });
      },
      show: function (id) {
        var p = pending.filter(function (q) { return q.id === id; })[0];
        if (p && !p.part) {     // its scripts are still loading: go there, and again once it is built
          loadPart(p).then(function () { buildNow(id); scrollToPart(id, true); }, function () {});
          return scrollToPart(id, true);
        }
        buildNow(id);
        return mounted.some(function (m) { return m.id === id; }) && scrollToPart(id, true);
      }
    };
    buildCtx = ctx;
    var parts = root.NNPageParts || {};
    var ids = o.parts || PART_ORDER.concat(Object.keys(parts).filter(function (k) {
      return PART_ORDER.indexOf(k) < 0;
    }));
    var L = root.NNPagePartList;
    ids.forEach(function (id) {
      var el = doc.getElementById(id);
      // a part of the list whose scripts are not on the page yet is loaded when it is built
      if (!el || !(parts[id] || (L && L.get(id)))) return;
      pending.push({id: id, part: parts[id] || null, el: el});
    });
    // parts listed explicitly (an embed) are built at once; on the lesson page the parts marked
    // lazy in part-list.js (but the link's target) wait (see buildPart)
    var lazyOk = !o.parts && !!root.IntersectionObserver;
    var isLazy = function (p) { var info = L && L.get(p.id); return lazyOk && !!(info && info.lazy) && p.id !== sp.target; };
    pending.forEach(function (p) {
      if (!isLazy(p)) return;
      p.el.classList.add('part-pending');
      p.el.style.minHeight = Math.round(L.get(p.id).height || 900) + 'px';
    });
    pending.slice().forEach(function (p) { if (!isLazy(p)) buildPart(p); });
    numberParts(doc);
    watchVisibility();
    listenForReader();
    waitToBuild();
    writeHash();
    showNotes(parsed.notes);
    // The parts are first drawn in a task of their own: together with mounting them it would block
    // the page for too long on a slow phone.
    mounted.forEach(function (m) { dirty[m.id] = mergeChanges(dirty[m.id], {all: true}); });
    setTimeout(function () { if (!training) flush(VIEW_BUDGET_MS, true); scheduleFlush(); }, 0);
    root.addEventListener('hashchange', onHashChange);
    if (sp.target) setTimeout(function () { scrollToPart(sp.target, false); }, 0);
    // a link to a part whose scripts are still loading: there again once it is built
    pending.forEach(function (p) {
      if (p.id === sp.target && !p.part) loadPart(p).then(function () { buildNow(p.id); scrollToPart(p.id, false); }, function () {});
    });
    announceBuilt(mountedIds());
    // the core (decoding and compiling the WebAssembly) in a task of its own: together with
    // building the first part it made one task of 130 ms here (Lighthouse's Total Blocking Time)
    if (useModel) setTimeout(loadCore, 0);
    else announceReady();
  }

  function mountedIds() { return mounted.map(function (m) { return m.id; }); }

  /* Number the parts 1, 2, 3… in page order (their .part-num badges and the table of contents),
   * so that adding or moving a section needs no renumbering by hand. */
  function numberParts(doc) {
    var n = 0;
    mounted.concat(pending).sort(function (a, b) {
      return a.el.compareDocumentPosition(b.el) & 4 ? -1 : 1;   // DOCUMENT_POSITION_FOLLOWING
    }).forEach(function (m) {
      if (m.part && m.part.numbered === false) return;       // e.g. the training strip of an embed
      n += 1;
      var badge = m.el.querySelector('.part-num');
      if (badge) badge.textContent = String(n);
      var toc = doc.querySelector('.toc a[href="#' + m.id + '"] .toc-n');
      if (toc) toc.textContent = String(n);
    });
  }

  root.NNPageApp = {
    start: startApp,
    parts: mountedIds,
    // true once the page has started as far as it will (see isReady; js/sw-register.js waits for it)
    ready: isReady,
    // for tests and the console: a read-only look at the controller
    debug: function () {
      return {state: S.normalize(state).state, epoch: progress.epoch, training: training,
        history: history.slice(), ready: !!net, mock: !!(core && core.mock), source: drawn ? source : 'data',
        parts: mountedIds(), waiting: pending.map(function (p) { return p.id; }),
        settled: !training && !pendingEval && !pending.length && !mounted.some(function (m) { return !!dirty[m.id]; })};
    }
  };
})(this);
