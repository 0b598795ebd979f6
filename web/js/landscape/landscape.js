/* nnmath — "The real cost landscape": the cost of the trained network along a 2D slice
 * through its current weights θ, on the plane θ + α·d₁ + β·d₂ (Li et al. 2018), computed by the
 * C core (src/nn_landscape.c via net.landscape() of js/nnmath.js) in small slices so the page
 * never freezes, drawn as a shaded 3D surface and as a contour map, with the training path
 * projected onto the slice.
 *
 *   NNLandscape.mount(container, options) -> {update(state), destroy(), compute() -> Promise,
 *                                             getState()}
 *     options: {net, path, size: 31, span: 1, samples: 500, seed: 1, directions: 'random'|'path',
 *               headingLevel: 3, autoRecord: true}
 *       net     a network of js/nnmath.js (its data set's training rows are used)
 *       path    [Float32Array(paramCount), ...] snapshots of the parameters during training,
 *               oldest first (optional).  Without it, the component records one itself from
 *               update() calls whenever the weights changed (autoRecord).
 *     update({net, path, compute, waiting}) — call it when the weights change (e.g. while
 *       training): a new net starts a new path; changed weights mark the drawn landscape as out of
 *       date (press Compute again); compute: true starts a computation; waiting: why there is no
 *       network (the core could not start), said instead of "There is no network yet", or ''.
 *
 * Needs NNLandscapeMath (landscape-math.js) and NNSurface3D (surface3d.js).  Test hooks:
 * data-testid landscape-compute (button), landscape-3d, landscape-map (canvases),
 * landscape-status, landscape-readout; the root element has data-state
 * (idle|computing|done|stale|error), data-centre (the cost at θ, full precision),
 * data-grid-centre (the grid's middle value), data-yaw, data-pitch, data-cursor ("i,j"),
 * data-cursor-cost, data-ms (the last computation's time).
 */
(function (root) {
  'use strict';

  var DEG = Math.PI / 180;
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var SAMPLES = 500;
  var BANDS = 12;
  // The map's image is made a band of MAP_ROWS rows at a time, for at most MAP_SLICE_MS per frame:
  // a whole image took 35-75 ms the first time on the test machine, and a phone's screen has
  // 4-9 times the pixels.
  var MAP_ROWS = 16, MAP_SLICE_MS = 6;

  var uidN = 0;
  function uid(p) { uidN += 1; return (p || 'nnl') + '-' + uidN; }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v == null || v === false) return;
        if (k === 'text') node.textContent = v;
        else if (k === 'class') node.className = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c == null) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function fitCanvas(canvas, w, h) {
    var dpr = Math.min(3, root.devicePixelRatio || 1);
    w = Math.max(1, Math.round(w)); h = Math.max(1, Math.round(h));
    var bw = Math.round(w * dpr), bh = Math.round(h * dpr);
    if (canvas.width !== bw) canvas.width = bw;
    if (canvas.height !== bh) canvas.height = bh;
    canvas.style.width = w + 'px';
    canvas.style.height = h + 'px';
    var ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx: ctx, w: w, h: h, dpr: dpr };
  }

  function mount(container, options) {
    var LM = root.NNLandscapeMath, S3 = root.NNSurface3D;
    if (!LM || !S3) throw new Error('NNLandscape needs NNLandscapeMath and NNSurface3D (load landscape-math.js and surface3d.js first).');
    options = options || {};
    var fmt = LM.fmt;
    var hLevel = Math.min(6, Math.max(2, options.headingLevel || 3));
    var reduceMQ = root.matchMedia ? root.matchMedia('(prefers-reduced-motion: reduce)') : null;

    var st = {
      net: null, explicitPath: null, recorder: new LM.PathRecorder(128),
      size: options.size || 31, span: options.span || 1, seed: options.seed || 1,
      samples: options.samples || SAMPLES, directions: options.directions === 'path' ? 'path' : 'random',
      heightMode: 'linear', autoRecord: options.autoRecord !== false,
      ls: null, owned: [], job: null, result: null, state: 'idle', message: '', waiting: '',
      yaw: -35 * DEG, pitch: 40 * DEG, cursor: null, drawQueued: 0, mapQueued: 0, destroyed: false
    };

    // ------------------------------------------------------------------ DOM
    var ids = { h3d: uid('nnl-3d-hint'), hmap: uid('nnl-map-hint'), dir: uid('nnl-dir'), span: uid('nnl-span'),
      size: uid('nnl-size'), height: uid('nnl-height'), title: uid('nnl-title') };
    var rootEl = el('div', { class: 'nnl', 'data-testid': 'landscape', 'data-state': 'idle' });

    // Written in HTML, not MathML: the standalone landscape page has no other formula, and the first
    // use of a math font (loading it, reading its MATH table) costs a 50-100 ms layout on a slow
    // computer.  Italic letters and subscripts, as in the lesson's MathML.
    var v = function (t) { return el('var', { text: t }); };
    var formula = el('span', { class: 'nnl-fx', role: 'math',
      'aria-label': 'C of alpha, beta equals C of theta plus alpha d 1 plus beta d 2' }, [
      v('C'), '(', v('α'), ', ', v('β'), ') = ', v('C'), '(', v('θ'), ' + ', v('α'), ' ', v('d'), el('sub', { text: '1' }),
      ' + ', v('β'), ' ', v('d'), el('sub', { text: '2' }), ')']);
    var paramCountEl = el('strong', { text: 'thousands of' });
    var intro = el('div', { class: 'nnl-intro' }, [
      el('p', null, ['Your network has ', paramCountEl, ' weights and biases, so its cost lives in a space with that many ' +
        'directions — far too many to draw. So we take a flat slice: from the current weights θ we go α steps in one ' +
        'direction d₁ and β steps in another direction d₂, and compute the cost of the network with those weights on ' +
        SAMPLES + ' training digits:']),
      el('div', { class: 'nnl-formula' }, [formula]),
      el('p', null, ['The middle of the picture (α = β = 0) is exactly the network you trained. The directions are random, ' +
        'then “filter-normalised” (Li et al., 2018): each neuron’s part of d₁ and d₂ is scaled to the size of that ' +
        'neuron’s own weights, so one step changes every neuron by about as much as its weights are big. ' +
        'Biases are not moved.'])
    ]);

    function selectField(id, label, opts, value, testid) {
      var s = el('select', { id: id, 'data-testid': testid });
      opts.forEach(function (o) { var op = el('option', { value: o[0], text: o[1] }); if (String(o[0]) === String(value)) op.selected = true; s.appendChild(op); });
      return { wrap: el('div', { class: 'nnl-field' }, [el('label', { for: id, text: label }), s]), input: s };
    }
    var fDir = selectField(ids.dir, 'Directions', [['random', 'random (filter-normalised)'], ['path', 'along the training path']], st.directions, 'landscape-directions');
    var fSpan = selectField(ids.span, 'Steps each way', [['0.25', '±0.25'], ['0.5', '±0.5'], ['1', '±1'], ['2', '±2']], st.span, 'landscape-span');
    var fSize = selectField(ids.size, 'Grid', [['21', '21 × 21'], ['31', '31 × 31'], ['41', '41 × 41'], ['51', '51 × 51']], st.size, 'landscape-size');
    var fHeight = selectField(ids.height, 'Height', [['linear', 'cost'], ['log', 'log of the cost']], st.heightMode, 'landscape-height');
    var btnCompute = el('button', { type: 'button', class: 'nnl-btn nnl-primary', 'data-testid': 'landscape-compute', text: 'Compute the landscape' });
    var btnNew = el('button', { type: 'button', class: 'nnl-btn', 'data-testid': 'landscape-new-directions', text: 'New random directions' });
    var btnStop = el('button', { type: 'button', class: 'nnl-btn', 'data-testid': 'landscape-stop', text: 'Stop', disabled: true });
    var controls = el('div', { class: 'nnl-controls', role: 'group', 'aria-label': 'Landscape settings' },
      [fDir.wrap, fSpan.wrap, fSize.wrap, fHeight.wrap, el('div', { class: 'nnl-buttons' }, [btnCompute, btnNew, btnStop])]);

    var progress = el('progress', { max: '1', value: '0', class: 'nnl-progress', 'aria-label': 'Progress of the computation' });
    var status = el('p', { class: 'nnl-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'landscape-status' });

    var canvas3d = el('canvas', { class: 'nnl-canvas nnl-canvas-3d', tabindex: '0', role: 'application',
      'aria-roledescription': '3D view', 'aria-describedby': ids.h3d, 'data-testid': 'landscape-3d' });
    var canvasMap = el('canvas', { class: 'nnl-canvas nnl-canvas-map', tabindex: '0', role: 'application',
      'aria-roledescription': 'contour map', 'aria-describedby': ids.hmap, 'data-testid': 'landscape-map' });
    var fig3d = el('figure', { class: 'nnl-view nnl-view-3d' }, [canvas3d,
      el('figcaption', { id: ids.h3d, text: 'The cost as a landscape: height and colour show the cost. Drag to turn it, or focus it and use the arrow keys (Home: the first view). Tap a point to read its cost.' })]);
    var figMap = el('figure', { class: 'nnl-view nnl-view-map' }, [canvasMap,
      el('figcaption', { id: ids.hmap, text: 'The same slice from above (α across, β up). Click, tap or drag to read the cost at a point; with the keyboard, the arrow keys move the ring (Shift: 5 steps), Home goes to your network, End to the lowest point.' })]);
    var views = el('div', { class: 'nnl-views' }, [fig3d, figMap]);

    var legendBar = el('canvas', { class: 'nnl-legend-bar', 'aria-hidden': 'true' });
    var legendLo = el('span', { class: 'nnl-legend-num' }), legendHi = el('span', { class: 'nnl-legend-num' });
    var legend = el('div', { class: 'nnl-legend' }, [
      el('div', { class: 'nnl-legend-scale' }, [el('span', { class: 'nnl-legend-label', text: 'Cost: low' }), legendLo, legendBar, legendHi,
        el('span', { class: 'nnl-legend-label', text: 'high' })]),
      el('ul', { class: 'nnl-keys' }, [
        el('li', null, [el('span', { class: 'nnl-key nnl-key-centre', 'aria-hidden': 'true' }), 'diamond: your network (α = β = 0)']),
        el('li', null, [el('span', { class: 'nnl-key nnl-key-path', 'aria-hidden': 'true' }), 'red line: the way training went, from the dot (start)']),
        el('li', null, [el('span', { class: 'nnl-key nnl-key-min', 'aria-hidden': 'true' }), 'triangle: the lowest point of this slice']),
        el('li', null, [el('span', { class: 'nnl-key nnl-key-cursor', 'aria-hidden': 'true' }), 'ring: the point you picked'])])
    ]);
    var readout = el('p', { class: 'nnl-readout', 'aria-live': 'polite', 'data-testid': 'landscape-readout' });
    var pathNote = el('p', { class: 'nnl-note', 'data-testid': 'landscape-path-note' });
    var tableBody = el('tbody');
    var details = el('details', { class: 'nnl-details' }, [
      el('summary', { text: 'The numbers along the two axes' }),
      el('table', { class: 'nnl-table' }, [
        el('caption', { text: 'Cost along the α axis (β = 0) and along the β axis (α = 0).' }),
        el('thead', null, [el('tr', null, [el('th', { scope: 'col', text: 'step' }), el('th', { scope: 'col', text: 'C(step, 0): along d₁' }),
          el('th', { scope: 'col', text: 'C(0, step): along d₂' })])]),
        tableBody])]);

    var heading = el('h' + hLevel, { class: 'nnl-subhead', id: ids.title, text: 'Compute the landscape of your network' });
    rootEl.appendChild(intro);
    rootEl.appendChild(heading);
    rootEl.appendChild(controls);
    rootEl.appendChild(el('div', { class: 'nnl-progress-row' }, [progress, status]));
    rootEl.appendChild(views);
    rootEl.appendChild(legend);
    rootEl.appendChild(readout);
    rootEl.appendChild(pathNote);
    rootEl.appendChild(details);
    container.appendChild(rootEl);

    var surface = S3.create({ yaw: st.yaw, pitch: st.pitch, labels: ['α (d₁)', 'β (d₂)'] });
    var G3 = { w: 320, h: 240, ctx: null }, GM = { w: 300, h: 300, ctx: null, L: 40, T: 12, S: 240, image: null, imageFor: null, job: null };

    // ------------------------------------------------------------------ helpers
    function setState(s, message) {
      st.state = s;
      if (message !== undefined) st.message = message;
      rootEl.setAttribute('data-state', s);
      status.textContent = st.message;
      btnStop.disabled = s !== 'computing';
      btnCompute.textContent = s === 'computing' ? 'Computing…' : (st.result ? 'Compute again' : 'Compute the landscape');
      btnCompute.setAttribute('aria-disabled', s === 'computing' ? 'true' : 'false');
    }

    function pathSnapshots() {
      if (st.explicitPath) return st.explicitPath;
      return st.recorder.list();
    }

    function hasPath() {
      var p = pathSnapshots();
      if (!p || p.length < 2 || !st.net) return false;
      return true;
    }

    function seconds(ms) { return ms < 1000 ? Math.round(ms) + ' ms' : (ms / 1000).toFixed(2) + ' s'; }

    // ------------------------------------------------------------------ computing
    function cancelJob() {
      if (st.job) st.job.cancelled = true;
      if (st.ls && !st.ls.done) st.ls.cancel();
    }

    function compute() {
      if (st.destroyed) return Promise.resolve(null);
      if (!st.net) { setState('error', st.waiting || 'There is no network yet.'); return Promise.resolve(null); }
      cancelJob();
      var net = st.net, path = pathSnapshots();
      var dir = st.directions;
      if (dir === 'path' && !hasPath()) {
        setState('error', 'There is no training path yet: train the network for a while, then compute the landscape along its path.');
        return Promise.resolve(null);
      }
      var ls;
      try {
        ls = net.landscape({
          size: st.size, span: dir === 'path' ? 'auto' : st.span, seed: st.seed, samples: st.samples,
          rows: 'train', directions: dir, path: path && path.length ? path : undefined
        });
      } catch (e) {
        setState('error', 'The landscape could not be computed: ' + ((e && e.message) || e));
        return Promise.resolve(null);
      }
      // The old landscape stays on screen until the new one has its first rows (a disposed
      // landscape keeps its numbers; only its wasm buffers are freed).
      st.ls = ls;
      st.owned.push(ls);
      var job = { ls: ls, t0: performance.now() };
      st.job = job;
      rootEl.setAttribute('data-centre', String(ls.centre));
      paramCountEl.textContent = LM.thousands(net.paramCount);
      progress.value = 0;
      setState('computing', 'Computing the cost at ' + ls.total + ' points (' + ls.size + ' × ' + ls.size + '), each on ' +
        ls.rows.length + ' digits…');
      var lastAnnounce = performance.now(), lastDraw = 0;
      // the first slice in a task of its own: making the landscape (its directions, the cost at
      // the middle) is work enough for one task
      return new Promise(function (resolve) { root.setTimeout(resolve, 0); }).then(function () {
        if (job.cancelled) return ls;  // stopped or replaced before it started: handled below
        return ls.compute({
          budgetMs: 8,
          onProgress: function (p) {
            if (st.job !== job) return;
            progress.value = p.progress;
            var now = performance.now();
            if (now - lastAnnounce > 1500) {
              lastAnnounce = now;
              status.textContent = 'Computing: ' + p.pointsDone + ' of ' + p.total + ' points…';
            }
            // redraw the growing surface now and then (drawing every slice would tie the
            // computation to the frame rate)
            if (p.pointsDone >= ls.size && now - lastDraw > 150) {
              lastDraw = now;
              adopt(ls, false);
              requestDraw();
            }
          }
        });
      }).then(function () {
        if (st.job !== job || st.destroyed) { if (!ls.done) release(ls); return null; }
        if (!ls.done) { // cancelled
          release(ls);
          setState(st.result && st.result.ls === ls ? 'stale' : (st.result ? 'done' : 'idle'), 'Stopped after ' + ls.pointsDone + ' of ' + ls.total + ' points.');
          return null;
        }
        var ms = performance.now() - job.t0;
        rootEl.setAttribute('data-ms', String(Math.round(ms)));
        st.owned.forEach(function (x) { if (x !== ls) x.dispose(); });
        st.owned = [ls];
        adopt(ls, true);
        var r = st.result.range;
        setState('done', 'Done in ' + seconds(ms) + ': ' + ls.total + ' points × ' + ls.rows.length + ' digits = ' +
          LM.thousands(ls.total * ls.rows.length) + ' forward passes. Your network (the middle) has cost ' +
          fmt(ls.centre, 4) + '; this slice goes from ' + fmt(r.min, 4) + ' to ' + fmt(r.max, 4) + '.');
        progress.value = 1;
        return ls;
      }, function (e) {
        if (st.job !== job || st.destroyed) { release(ls); return null; }
        var stale = ls.stale;
        release(ls);
        setState(stale ? 'stale' : 'error', stale
          ? 'The network changed (it trained) while the landscape was computed. Press “Compute again” for the new weights.'
          : 'The landscape could not be computed: ' + ((e && e.message) || e));
        return null;
      });
    }

    function release(ls) {
      ls.dispose();
      st.owned = st.owned.filter(function (x) { return x !== ls; });
    }

    /* Show landscape ls (partially computed while computing). */
    function adopt(ls, final) {
      var range = LM.range(ls.values);
      if (!range.finite) return;
      var scale = LM.heightScale(range, st.heightMode);
      st.result = { ls: ls, range: range, scale: scale, final: final };
      if (!st.cursor || st.cursor.size !== ls.size) st.cursor = { i: (ls.size - 1) / 2, j: (ls.size - 1) / 2, size: ls.size };
      rootEl.setAttribute('data-grid-centre', String(ls.values[((ls.size - 1) / 2) * ls.size + (ls.size - 1) / 2]));
      buildSurface();
      requestDraw();
      if (final) {
        renderTable();
        renderPathNote();
        updateReadout(false);
        canvasLabels();
      }
    }

    // ------------------------------------------------------------------ surface + map
    function buildSurface() {
      var r = st.result;
      if (!r) { surface.setGrid(0, null, null); return; }
      var ls = r.ls, N = ls.size, v = ls.values, sc = r.scale, h = new Float64Array(N * N);
      for (var k = 0; k < N * N; k++) h[k] = v[k] === v[k] && isFinite(v[k]) ? sc.f(v[k]) - 0.5 : NaN;
      surface.setGrid(N, h, function (i, j, lam) {
        var t = 0.25 * (h[i * N + j] + h[(i + 1) * N + j] + h[i * N + j + 1] + h[(i + 1) * N + j + 1]) + 0.5;
        var c = LM.viridis(t), k2 = 0.45 + 0.65 * lam;
        return 'rgb(' + Math.round(Math.min(255, c[0] * k2)) + ',' + Math.round(Math.min(255, c[1] * k2)) + ',' + Math.round(Math.min(255, c[2] * k2)) + ')';
      });
      // the map's image no longer matches (GM.imageFor): the old one stays on screen while the
      // new one is made
      updateOverlays();
    }

    function zAt(a, b) {
      var r = st.result;
      if (!r) return NaN;
      var c = LM.bilinear(r.ls.values, r.ls.size, r.ls.span, a, b);
      return isFinite(c) ? r.scale.f(c) - 0.5 : NaN;
    }

    function pathPoints() {
      var r = st.result;
      if (!r || !r.ls.path) return [];
      var p = r.ls.path, out = [];
      for (var k = 0; k < p.x.length; k++) out.push([p.x[k], p.y[k]]);
      return out;
    }

    function updateOverlays() {
      var r = st.result;
      if (!r) { surface.setOverlays(null); return; }
      var span = r.ls.span, pts = pathPoints(), path3 = [];
      pts.forEach(function (p) {
        if (Math.abs(p[0]) <= span && Math.abs(p[1]) <= span) path3.push([p[0] / span, p[1] / span, zAt(p[0], p[1]) + 0.012]);
      });
      var markers = [];
      if (pts.length > 1 && Math.abs(pts[0][0]) <= span && Math.abs(pts[0][1]) <= span) {
        markers.push({ x: pts[0][0] / span, y: pts[0][1] / span, z: zAt(pts[0][0], pts[0][1]) + 0.012, kind: 'start' });
      }
      if (r.final) {
        var mi = r.range.minIndex, N = r.ls.size, a = r.ls.alphas[Math.floor(mi / N)], b = r.ls.betas[mi % N];
        markers.push({ x: a / span, y: b / span, z: zAt(a, b) + 0.01, kind: 'min' });
      }
      markers.push({ x: 0, y: 0, z: zAt(0, 0) + 0.012, kind: 'centre' });
      if (st.cursor && r.final) {
        var ca = r.ls.alphas[st.cursor.i], cb = r.ls.betas[st.cursor.j];
        markers.push({ x: ca / span, y: cb / span, z: zAt(ca, cb) + 0.012, kind: 'cursor' });
      }
      surface.setOverlays({ path: path3, markers: markers });
    }

    function draw3d() {
      if (!G3.ctx) return;
      surface.yaw = st.yaw;
      surface.pitch = st.pitch;
      surface.draw(G3.ctx, G3.w, G3.h);
      if (!st.result) {
        G3.ctx.font = '14px ' + FONT; G3.ctx.fillStyle = '#2b303a'; G3.ctx.textAlign = 'center'; G3.ctx.textBaseline = 'middle';
        G3.ctx.fillText(st.state === 'computing' ? 'Computing…' : 'Press “Compute the landscape”', G3.w / 2, G3.h / 2);
      }
    }

    function mapX(a, span) { return GM.L + (a + span) / (2 * span) * GM.S; }
    function mapY(b, span) { return GM.T + (span - b) / (2 * span) * GM.S; }

    /* Make the map's image of st.result a few bands further, for up to `budget` ms; true when it
     * is complete (then GM.image is it). */
    function mapPixels() { return Math.max(1, Math.round(GM.S * GM.dpr)); } // the image's width and height
    function advanceMapImage(budget) {
      var r = st.result, n = mapPixels(), job = GM.job;
      if (!job || job.result !== r || job.n !== n) job = GM.job = { result: r, n: n, img: GM.ctx.createImageData(n, n), row: 0 };
      var t0 = performance.now();
      while (job.row < n) {
        var to = Math.min(n, job.row + MAP_ROWS);
        LM.mapImage(job.img.data, n, r.ls.values, r.ls.size, r.ls.span, r.scale.f, BANDS, job.row, to);
        job.row = to;
        if (performance.now() - t0 > budget) break;
      }
      if (job.row < n) return false;
      GM.image = job.img; GM.imageFor = r; GM.job = null;
      rootEl.setAttribute('data-map', 'done');
      return true;
    }
    function mapNextFrame() {
      if (!st.mapQueued) st.mapQueued = root.requestAnimationFrame(function () { st.mapQueued = 0; if (!st.destroyed) drawMap(); });
    }

    function drawMap() {
      var ctx = GM.ctx;
      if (!ctx) return;
      ctx.clearRect(0, 0, GM.w, GM.h);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, GM.w, GM.h);
      var r = st.result;
      ctx.strokeStyle = '#8a93a3'; ctx.lineWidth = 1;
      ctx.strokeRect(GM.L - 0.5, GM.T - 0.5, GM.S + 1, GM.S + 1);
      if (!r) {
        ctx.font = '14px ' + FONT; ctx.fillStyle = '#2b303a'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
        ctx.fillText(st.state === 'computing' ? 'Computing…' : 'No landscape yet', GM.L + GM.S / 2, GM.T + GM.S / 2);
        return;
      }
      var ls = r.ls, span = ls.span;
      if (GM.imageFor !== r) {
        rootEl.setAttribute('data-map', 'drawing');
        var sliced = !!root.requestAnimationFrame;
        if (!advanceMapImage(sliced ? MAP_SLICE_MS : Infinity)) mapNextFrame();
      }
      // the current image, else the last complete one (while the new one is made), else the
      // part of the new one made so far
      var mx = Math.round(GM.L * GM.dpr), my = Math.round(GM.T * GM.dpr);
      if (GM.image) ctx.putImageData(GM.image, mx, my); // layout() drops an image of another size
      else if (GM.job && GM.job.row > 0) ctx.putImageData(GM.job.img, mx, my, 0, 0, GM.job.n, GM.job.row);
      // axes: ticks at −span, 0, +span
      ctx.font = '12px ' + FONT; ctx.fillStyle = '#1f2430';
      ctx.textAlign = 'center'; ctx.textBaseline = 'top';
      [-span, 0, span].forEach(function (a) { ctx.fillText(fmt(a, span < 1 ? 2 : 1), mapX(a, span), GM.T + GM.S + 4); });
      ctx.fillText('α (along d₁)', GM.L + GM.S / 2, GM.T + GM.S + 20);
      ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
      [-span, 0, span].forEach(function (b) { ctx.fillText(fmt(b, span < 1 ? 2 : 1), GM.L - 5, mapY(b, span)); });
      ctx.save();
      ctx.translate(12, GM.T + GM.S / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center';
      ctx.fillText('β (along d₂)', 0, 0);
      ctx.restore();
      // the path
      ctx.save();
      ctx.beginPath(); ctx.rect(GM.L, GM.T, GM.S, GM.S); ctx.clip();
      var pts = pathPoints();
      if (pts.length > 1) {
        [['#ffffff', 5], ['#c0392b', 2.5]].forEach(function (s) {
          ctx.strokeStyle = s[0]; ctx.lineWidth = s[1]; ctx.lineJoin = 'round'; ctx.lineCap = 'round';
          ctx.beginPath();
          pts.forEach(function (p, k) { var x = mapX(p[0], span), y = mapY(p[1], span); if (k === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y); });
          ctx.stroke();
        });
        var s0 = pts[0];
        ctx.beginPath(); ctx.arc(mapX(s0[0], span), mapY(s0[1], span), 5, 0, 2 * Math.PI);
        ctx.fillStyle = '#c0392b'; ctx.fill(); ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 2; ctx.stroke();
      }
      if (r.final) {
        var mi = r.range.minIndex, N = ls.size, ma = ls.alphas[Math.floor(mi / N)], mb = ls.betas[mi % N];
        var x = mapX(ma, span), y = mapY(mb, span);
        ctx.beginPath(); ctx.moveTo(x, y + 6); ctx.lineTo(x + 6, y - 5); ctx.lineTo(x - 6, y - 5); ctx.closePath();
        ctx.fillStyle = '#ffffff'; ctx.fill(); ctx.strokeStyle = '#000000'; ctx.lineWidth = 1.5; ctx.stroke();
      }
      var cx = mapX(0, span), cy = mapY(0, span);
      ctx.beginPath(); ctx.moveTo(cx, cy - 8); ctx.lineTo(cx + 8, cy); ctx.lineTo(cx, cy + 8); ctx.lineTo(cx - 8, cy); ctx.closePath();
      ctx.fillStyle = '#ffffff'; ctx.fill(); ctx.strokeStyle = '#000000'; ctx.lineWidth = 2; ctx.stroke();
      if (st.cursor && r.final) {
        var ux = mapX(ls.alphas[st.cursor.i], span), uy = mapY(ls.betas[st.cursor.j], span);
        ctx.beginPath(); ctx.arc(ux, uy, 8, 0, 2 * Math.PI);
        ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 4; ctx.stroke();
        ctx.strokeStyle = '#000000'; ctx.lineWidth = 2; ctx.stroke();
        if (root.document.activeElement === canvasMap) {
          ctx.strokeStyle = '#0b5cad'; ctx.lineWidth = 2; ctx.setLineDash([4, 3]);
          ctx.strokeRect(ux - 13, uy - 13, 26, 26); ctx.setLineDash([]);
        }
      }
      ctx.restore();
    }

    function drawLegend() {
      var r = st.result;
      var g = fitCanvas(legendBar, 140, 14);
      for (var x = 0; x < g.w; x++) {
        var c = LM.viridis(x / (g.w - 1));
        g.ctx.fillStyle = 'rgb(' + Math.round(c[0]) + ',' + Math.round(c[1]) + ',' + Math.round(c[2]) + ')';
        g.ctx.fillRect(x, 0, 1, g.h);
      }
      legendLo.textContent = r ? fmt(r.range.min, 3) : '';
      legendHi.textContent = r ? fmt(r.range.max, 3) + (r.scale.mode === 'log' ? ' (log scale)' : '') : '';
    }

    function drawAll() {
      st.drawQueued = 0;
      if (st.destroyed) return;
      draw3d();
      // A new map image (one colour per pixel) is the other big piece of drawing: it starts in
      // the next frame, so that no frame has both, and goes on a band at a time (drawMap).
      if (st.result && GM.imageFor !== st.result && GM.ctx && root.requestAnimationFrame) mapNextFrame();
      else drawMap();
      drawLegend();
      rootEl.setAttribute('data-yaw', String(Math.round(st.yaw / DEG)));
      rootEl.setAttribute('data-pitch', String(Math.round(st.pitch / DEG)));
    }
    function requestDraw() {
      if (st.drawQueued || st.destroyed) return;
      st.drawQueued = root.requestAnimationFrame ? root.requestAnimationFrame(drawAll) : root.setTimeout(drawAll, 16);
    }

    // ------------------------------------------------------------------ text
    function cursorText() {
      var r = st.result;
      if (!r || !st.cursor) return '';
      var ls = r.ls, N = ls.size, i = st.cursor.i, j = st.cursor.j, c = ls.values[i * N + j];
      var h = (N - 1) / 2, what = '';
      if (i === h && j === h) what = ' — your network as it is now';
      else if (i * N + j === r.range.minIndex) what = ' — the lowest point of this slice';
      var diff = c - ls.centre;
      return 'α = ' + fmt(ls.alphas[i], 2) + ', β = ' + fmt(ls.betas[j], 2) + ': cost ' + fmt(c, 4) + what +
        (what ? '' : ' (' + (diff >= 0 ? fmt(diff, 4) + ' higher' : fmt(-diff, 4) + ' lower') + ' than your network)') + '.';
    }

    function updateReadout(announce) {
      var r = st.result;
      if (!r || !st.cursor) { readout.textContent = ''; return; }
      var ls = r.ls, N = ls.size;
      readout.setAttribute('aria-live', announce ? 'polite' : 'off');
      readout.textContent = cursorText();
      rootEl.setAttribute('data-cursor', st.cursor.i + ',' + st.cursor.j);
      rootEl.setAttribute('data-cursor-cost', String(ls.values[st.cursor.i * N + st.cursor.j]));
    }

    function canvasLabels() {
      var r = st.result;
      if (!r) {
        canvas3d.setAttribute('aria-label', '3D view of the cost landscape: not computed yet.');
        canvasMap.setAttribute('aria-label', 'Contour map of the cost landscape: not computed yet.');
        return;
      }
      var ls = r.ls, N = ls.size, mi = r.range.minIndex;
      var summary = 'The cost on this slice goes from ' + fmt(r.range.min, 3) + ' (lowest, at α = ' + fmt(ls.alphas[Math.floor(mi / N)], 2) +
        ', β = ' + fmt(ls.betas[mi % N], 2) + ') to ' + fmt(r.range.max, 3) + '; your network in the middle has cost ' + fmt(ls.centre, 3) + '.';
      canvas3d.setAttribute('aria-label', '3D view of the cost landscape, turned ' + fmt(Math.round(st.yaw / DEG), 0) + '° and tilted ' +
        Math.round(st.pitch / DEG) + '°. ' + summary);
      canvasMap.setAttribute('aria-label', 'Contour map of the cost landscape. ' + summary + ' The ring is at ' + cursorText());
    }

    function renderTable() {
      var r = st.result;
      while (tableBody.firstChild) tableBody.removeChild(tableBody.firstChild);
      if (!r) return;
      var ls = r.ls, N = ls.size, h = (N - 1) / 2;
      for (var k = 0; k < N; k++) {
        tableBody.appendChild(el('tr', null, [el('th', { scope: 'row', text: fmt(ls.alphas[k], 2) }),
          el('td', { text: fmt(ls.values[k * N + h], 4) }), el('td', { text: fmt(ls.values[h * N + k], 4) })]));
      }
    }

    function renderPathNote() {
      var r = st.result;
      if (!r) { pathNote.textContent = ''; return; }
      var ls = r.ls;
      if (!ls.path || ls.path.x.length < 2) {
        pathNote.textContent = 'There is no training path to draw yet: it appears once the network has trained.';
        return;
      }
      var s = LM.pathSummary(ls.path.off), pct = Math.round(100 * s.outside * s.outside);
      if (ls.directions === 'path') {
        var share = 100 * (ls.explained[0] + ls.explained[1]);
        var ex = share > 99.5 && share < 100 ? share.toFixed(1) : String(Math.round(share));
        pathNote.textContent = 'This slice is not random: its two directions are the two main directions of the training path, which hold ' +
          ex + '% of how far the weights moved (Li et al. call this a PCA plot). So the red path lies almost in the slice — ' +
          'but it is drawn at the height of the slice, which is only close to the true cost where the path lies in it.';
      } else {
        pathNote.textContent = 'The red path hardly shows on a random slice: ' + (pct >= 99 ? 'more than 99' : String(pct)) +
          '% of the way training moved the weights points out of this slice. Two random directions among ' +
          LM.thousands(ls.d1.length) + ' miss almost everything. Choose the directions “along the training path” to put the slice where training went.';
      }
    }

    // ------------------------------------------------------------------ layout
    function layout() {
      var w3 = fig3d.clientWidth || 320, wm = figMap.clientWidth || 300;
      var g = fitCanvas(canvas3d, w3, Math.round(Math.min(w3 * 0.78, 460)));
      G3.ctx = g.ctx; G3.w = g.w; G3.h = g.h;
      var size = Math.min(wm, 420);
      var gm = fitCanvas(canvasMap, size, size);
      GM.ctx = gm.ctx; GM.w = gm.w; GM.h = gm.h; GM.dpr = gm.dpr;
      GM.L = 42; GM.T = 10; GM.S = Math.max(60, Math.min(size - GM.L - 10, size - GM.T - 40));
      if (GM.image && GM.image.width !== mapPixels()) { GM.image = null; GM.imageFor = null; }
      drawAll();
    }
    var ro = null, onResize = null;
    if (root.ResizeObserver) {
      var lastW = -1;
      ro = new root.ResizeObserver(function () {
        var w = rootEl.clientWidth;
        if (w !== lastW) { lastW = w; layout(); }
      });
      ro.observe(rootEl);
    } else {
      onResize = function () { layout(); };
      root.addEventListener('resize', onResize);
    }

    // ------------------------------------------------------------------ input
    var listeners = [];
    function on(t, type, fn, opt) { t.addEventListener(type, fn, opt); listeners.push([t, type, fn, opt]); }

    function setView(yaw, pitch) {
      st.yaw = yaw;
      st.pitch = Math.max(12 * DEG, Math.min(85 * DEG, pitch));
      requestDraw();
      labelSoon();
    }
    var labelTimer = 0;
    function labelSoon() {
      if (labelTimer) root.clearTimeout(labelTimer);
      labelTimer = root.setTimeout(function () { labelTimer = 0; canvasLabels(); }, 250);
    }

    function setCursor(i, j, announce) {
      var r = st.result;
      if (!r || !r.final) return;
      var N = r.ls.size;
      st.cursor = { i: Math.max(0, Math.min(N - 1, i)), j: Math.max(0, Math.min(N - 1, j)), size: N };
      updateOverlays();
      updateReadout(announce);
      requestDraw();
      labelSoon();
    }

    function localPoint(elm, ev) {
      var b = elm.getBoundingClientRect();
      return { x: ev.clientX - b.left - (elm.clientLeft || 0), y: ev.clientY - b.top - (elm.clientTop || 0) };
    }

    // 3D: drag to turn, tap to pick the nearest grid point
    var drag = null;
    on(canvas3d, 'pointerdown', function (ev) {
      if (ev.button !== undefined && ev.button > 0) return;
      drag = { id: ev.pointerId, x: ev.clientX, y: ev.clientY, yaw: st.yaw, pitch: st.pitch, moved: false };
      try { canvas3d.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic events */ }
    });
    on(canvas3d, 'pointermove', function (ev) {
      if (!drag || ev.pointerId !== drag.id) return;
      var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
      if (drag.moved) {
        setView(drag.yaw - dx * 0.6 * DEG, drag.pitch + dy * 0.4 * DEG);
        ev.preventDefault();
      }
    });
    function end3(ev, cancelled) {
      if (!drag || ev.pointerId !== drag.id) return;
      var d = drag;
      drag = null;
      try { canvas3d.releasePointerCapture(ev.pointerId); } catch (e) { /* fine */ }
      if (cancelled || d.moved || !st.result || !st.result.final) return;
      var p = localPoint(canvas3d, ev), ls = st.result.ls, N = ls.size, best = -1, bd = Infinity;
      for (var i = 0; i < N; i++) {
        for (var j = 0; j < N; j++) {
          var q = surface.project(-1 + 2 * i / (N - 1), -1 + 2 * j / (N - 1), zAt(ls.alphas[i], ls.betas[j]));
          var dd = (q[0] - p.x) * (q[0] - p.x) + (q[1] - p.y) * (q[1] - p.y) + 0.01 * q[2];
          if (dd < bd) { bd = dd; best = i * N + j; }
        }
      }
      if (best >= 0 && bd < 900) setCursor(Math.floor(best / N), best % N, true);
    }
    on(canvas3d, 'pointerup', function (ev) { end3(ev, false); });
    on(canvas3d, 'pointercancel', function (ev) { end3(ev, true); });
    on(canvas3d, 'keydown', function (ev) {
      var k = ev.key, step = ev.shiftKey ? 30 * DEG : 10 * DEG;
      if (k === 'ArrowLeft') setView(st.yaw + step, st.pitch);
      else if (k === 'ArrowRight') setView(st.yaw - step, st.pitch);
      else if (k === 'ArrowUp') setView(st.yaw, st.pitch + 5 * DEG);
      else if (k === 'ArrowDown') setView(st.yaw, st.pitch - 5 * DEG);
      else if (k === 'Home') setView(-35 * DEG, 40 * DEG);
      else return;
      ev.preventDefault();
    });
    on(canvas3d, 'focus', requestDraw);
    on(canvas3d, 'blur', requestDraw);

    // map: click / tap / drag to move the ring; keys move it
    var mapDrag = null;
    function mapPick(ev, announce) {
      var r = st.result;
      if (!r || !r.final) return;
      var p = localPoint(canvasMap, ev), ls = r.ls, span = ls.span;
      var a = -span + (p.x - GM.L) / GM.S * 2 * span, b = span - (p.y - GM.T) / GM.S * 2 * span;
      if (a < -1.05 * span || a > 1.05 * span || b < -1.05 * span || b > 1.05 * span) return;
      setCursor(LM.indexOf(ls.size, span, a), LM.indexOf(ls.size, span, b), announce);
    }
    on(canvasMap, 'pointerdown', function (ev) {
      if (ev.button !== undefined && ev.button > 0) return;
      mapDrag = ev.pointerId;
      try { canvasMap.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic events */ }
      mapPick(ev, false);
    });
    on(canvasMap, 'pointermove', function (ev) { if (mapDrag === ev.pointerId) { mapPick(ev, false); ev.preventDefault(); } });
    on(canvasMap, 'pointerup', function (ev) {
      if (mapDrag !== ev.pointerId) return;
      mapDrag = null;
      try { canvasMap.releasePointerCapture(ev.pointerId); } catch (e) { /* fine */ }
      mapPick(ev, true);
    });
    on(canvasMap, 'pointercancel', function () { mapDrag = null; });
    on(canvasMap, 'keydown', function (ev) {
      var r = st.result;
      if (!r || !r.final || !st.cursor) return;
      var k = ev.key, n = ev.shiftKey ? 5 : 1, c = st.cursor, N = r.ls.size;
      if (k === 'ArrowLeft') setCursor(c.i - n, c.j, true);
      else if (k === 'ArrowRight') setCursor(c.i + n, c.j, true);
      else if (k === 'ArrowUp') setCursor(c.i, c.j + n, true);
      else if (k === 'ArrowDown') setCursor(c.i, c.j - n, true);
      else if (k === 'Home') setCursor((N - 1) / 2, (N - 1) / 2, true);
      else if (k === 'End') setCursor(Math.floor(r.range.minIndex / N), r.range.minIndex % N, true);
      else return;
      ev.preventDefault();
    });
    on(canvasMap, 'focus', requestDraw);
    on(canvasMap, 'blur', requestDraw);

    // controls
    function syncControls() {
      fSpan.input.disabled = st.directions === 'path';
      btnNew.disabled = st.directions === 'path';
      fSpan.wrap.classList.toggle('nnl-disabled', st.directions === 'path');
    }
    on(btnCompute, 'click', function () { if (st.state !== 'computing') compute(); });
    on(btnStop, 'click', function () { cancelJob(); });
    on(btnNew, 'click', function () { st.seed += 1; compute(); });
    on(fDir.input, 'change', function () { st.directions = fDir.input.value === 'path' ? 'path' : 'random'; syncControls(); compute(); });
    on(fSpan.input, 'change', function () { st.span = Number(fSpan.input.value) || 1; compute(); });
    on(fSize.input, 'change', function () { st.size = Number(fSize.input.value) || 31; compute(); });
    on(fHeight.input, 'change', function () {
      st.heightMode = fHeight.input.value === 'log' ? 'log' : 'linear';
      if (st.result) adopt(st.result.ls, st.result.final);
      requestDraw();
    });
    if (reduceMQ && reduceMQ.matches) rootEl.classList.add('nnl-reduced-motion');

    // ------------------------------------------------------------------ state from outside
    function weightsChanged() {
      var r = st.result;
      if (!r || !st.net) return false;
      try {
        var p = st.net.params, t = r.ls.theta;
        if (p.length !== t.length) return true;
        for (var i = 0; i < t.length; i++) if (p[i] !== t[i]) return true;
      } catch (e) { return true; }
      return false;
    }

    function update(s) {
      s = s || {};
      if (st.destroyed) return;
      if (s.net !== undefined && s.net !== st.net) {
        cancelJob();
        st.net = s.net;
        st.recorder.reset();
        st.job = null;
        st.owned.forEach(function (x) { x.dispose(); });
        st.owned = [];
        st.ls = null;
        st.result = null;
        surface.setGrid(0, null, null);
        surface.setOverlays(null);
        renderTable(); renderPathNote(); updateReadout(false); canvasLabels();
        if (st.net) paramCountEl.textContent = LM.thousands(st.net.paramCount);
        setState('idle', st.net ? 'Press “Compute the landscape” to see the cost around your network.' : 'There is no network yet.');
      }
      if (s.waiting !== undefined && s.waiting !== st.waiting) {
        st.waiting = s.waiting;
        if (!st.net && st.state !== 'computing') setState(st.waiting ? 'error' : 'idle', st.waiting || 'There is no network yet.');
      }
      if (s.path !== undefined) st.explicitPath = s.path && s.path.length ? s.path : null;
      if (st.net && st.autoRecord && !st.explicitPath) {
        try { st.recorder.add(st.net.params); } catch (e) { /* disposed */ }
      }
      if (st.state === 'done' && weightsChanged()) {
        setState('stale', 'The network has changed since this landscape was computed. Press “Compute again” to see the landscape of the new weights.');
      }
      if (s.compute) compute();
      requestDraw();
    }

    syncControls();
    setState('idle', 'Press “Compute the landscape” to see the cost around your network.');
    canvasLabels();
    // With a ResizeObserver the first layout comes with the first frame (its first callback), so
    // mounting does not force the page's layout in the same task as building the DOM.
    if (!ro) layout();
    if (options.net) update({ net: options.net, path: options.path });

    return {
      update: update,
      compute: compute,
      getState: function () {
        var r = st.result;
        return { state: st.state, yaw: st.yaw / DEG, pitch: st.pitch / DEG, cursor: st.cursor ? [st.cursor.i, st.cursor.j] : null,
          centre: r ? r.ls.centre : NaN, gridCentre: r ? r.ls.values[((r.ls.size - 1) / 2) * (r.ls.size + 1)] : NaN,
          size: r ? r.ls.size : 0, span: r ? r.ls.span : 0, directions: r ? r.ls.directions : st.directions,
          pathPoints: r && r.ls.path ? r.ls.path.x.length : st.recorder.length, range: r ? { min: r.range.min, max: r.range.max } : null };
      },
      destroy: function () {
        st.destroyed = true;
        cancelJob();
        st.owned.forEach(function (x) { x.dispose(); });
        if (st.drawQueued && root.cancelAnimationFrame) root.cancelAnimationFrame(st.drawQueued);
        if (st.mapQueued && root.cancelAnimationFrame) root.cancelAnimationFrame(st.mapQueued);
        if (labelTimer) root.clearTimeout(labelTimer);
        if (ro) ro.disconnect();
        if (onResize) root.removeEventListener('resize', onResize);
        listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2], l[3]); });
        if (rootEl.parentNode) rootEl.parentNode.removeChild(rootEl);
      }
    };
  }

  var api = { mount: mount };
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNLandscape = api;
})(typeof window !== 'undefined' ? window : this);
