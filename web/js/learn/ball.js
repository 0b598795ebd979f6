/* nnmath — interactive "A ball on a cost surface (two weights)".
 *
 *   NNLearnBall.mount(container, options) -> {update(state), destroy(), getState(), dropBalls(n), dropAt(w1, w2)}
 *     options: {eta: 0.1, beta: 0, seed: 1, questions: true, headingLevel: 3}
 *     update({eta, beta, yaw, pitch, aim: [w1, w2]}) sets any of these.
 *
 * A surface C(w1, w2) with four valleys of different depths, drawn as a shaded 3D
 * view (canvas 2D, painter's algorithm, no WebGL) and as a filled contour map.
 * Click/tap a view (or use the buttons) to drop a ball; it rolls by gradient
 * descent (optionally with momentum) and leaves a trail on both views.
 * Needs NNLearnMath (surfaces.js) and NNLearnUI (ui.js).
 */
(function (root) {
  'use strict';

  var BANDS = 12;           // filled contour bands on the map
  var GRID = 44;            // quads per side in the 3D view
  var SETTLE_TOL = 2e-4;    // a ball stops when |gradient| and |velocity| are below this
  var MAX_STEPS = 6000;
  var OFF_LIMIT = 3.6;      // |w| beyond this: the ball has left the map
  var MAX_BALLS = 20;
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var DEG = Math.PI / 180;

  function mount(container, options) {
    var M = root.NNLearnMath, U = root.NNLearnUI;
    if (!M || !U) throw new Error('NNLearnBall needs NNLearnMath and NNLearnUI (load surfaces.js and ui.js first).');
    options = options || {};
    var el = U.el, fmt = U.fmt;
    var surf = options.surface || M.surface;
    var R = surf.range;                       // [-3, 3]
    var minima = M.findMinima2D(surf);
    var globalMin = minima[0];
    var hLevel = Math.min(6, Math.max(2, options.headingLevel || 3));

    // Cost range for colouring.
    var cmin = Infinity, cmax = -Infinity;
    (function () {
      for (var i = 0; i <= 80; i++) {
        for (var j = 0; j <= 80; j++) {
          var c = surf.C(R[0] + (R[1] - R[0]) * i / 80, R[0] + (R[1] - R[0]) * j / 80);
          if (c < cmin) cmin = c;
          if (c > cmax) cmax = c;
        }
      }
    })();
    function tOf(c) { return (c - cmin) / (cmax - cmin); }

    var st = {
      balls: [], nextId: 1, batchSeed: options.seed || 1, randomRnd: M.mulberry32(1000 + (options.seed || 1)),
      eta: options.eta == null ? 0.1 : Number(options.eta), beta: Number(options.beta || 0),
      yaw: -32 * DEG, pitch: 42 * DEG, aim: [0, 0], lastBatch: null, raf: 0, timer: 0
    };

    // ---------------------------------------------------------------- DOM
    var ids = { q: U.uid('ball-q'), h3d: U.uid('ball-3d-hint'), hmap: U.uid('ball-map-hint'), help: U.uid('ball-help') };
    var canvas3d = el('canvas', { class: 'learn-canvas learn-canvas-3d', tabindex: '0', role: 'application',
      'aria-roledescription': '3D view', 'aria-describedby': ids.h3d, 'data-testid': 'ball-3d' });
    var canvasMap = el('canvas', { class: 'learn-canvas learn-canvas-map', tabindex: '0', role: 'application',
      'aria-roledescription': 'contour map', 'aria-describedby': ids.hmap, 'data-testid': 'ball-map' });
    var legendBar = el('div', { class: 'learn-colourbar', 'aria-hidden': 'true' });
    var legend = el('div', { class: 'learn-colourbar-wrap' }, [
      el('span', { class: 'learn-colourbar-label', text: 'low cost ' + fmt(cmin, 1) }), legendBar,
      el('span', { class: 'learn-colourbar-label', text: fmt(cmax, 1) + ' high cost' })]);
    // Banded gradient, the same colours as the map (style set from JS: CSP-safe).
    (function () {
      var stops = [];
      for (var b = 0; b < BANDS; b++) {
        var col = U.rgb(U.viridis((b + 0.5) / BANDS));
        stops.push(col + ' ' + (100 * b / BANDS).toFixed(2) + '%', col + ' ' + (100 * (b + 1) / BANDS).toFixed(2) + '%');
      }
      legendBar.style.backgroundImage = 'linear-gradient(to right, ' + stops.join(', ') + ')';
    })();

    var fig3d = el('figure', { class: 'learn-view learn-view-3d' }, [
      el('div', { class: 'learn-canvas-wrap' }, [canvas3d]),
      el('figcaption', { id: ids.h3d, text: '3D view. Drag (or focus it and press the arrow keys) to turn it; click or tap the surface to drop a ball there.' })]);
    var figMap = el('figure', { class: 'learn-view learn-view-map' }, [
      el('div', { class: 'learn-canvas-wrap' }, [canvasMap]), legend,
      el('figcaption', { id: ids.hmap, text: 'Contour map, seen from above: darker means lower cost. Click or tap to drop a ball; or focus it, move the aim \u2295 with the arrow keys and press Enter.' })]);
    var views = el('div', { class: 'learn-views', 'data-testid': 'ball-surface', 'data-rolling': '0', 'data-balls': '[]' },
      [fig3d, figMap]);

    var btnDrop10 = el('button', { type: 'button', class: 'learn-btn learn-btn-primary', 'data-testid': 'drop-balls', text: 'Drop 10 balls' });
    var btnAim = el('button', { type: 'button', class: 'learn-btn', 'data-testid': 'ball-drop-aim', text: 'Drop a ball at the aim \u2295' });
    var btnRandom = el('button', { type: 'button', class: 'learn-btn', 'data-testid': 'ball-drop-random', text: 'Drop a ball at random' });
    var btnClear = el('button', { type: 'button', class: 'learn-btn', 'data-testid': 'ball-clear', text: 'Clear' });
    var seedNote = el('p', { class: 'learn-help', 'data-testid': 'ball-seed' });
    var rate = U.slider({ label: 'Learning rate \u03b7', min: 0.01, max: 0.6, step: 0.01, value: st.eta, testid: 'ball-rate',
      format: function (v) { return v.toFixed(2); } });
    var mom = U.slider({ label: 'Momentum \u03b2', min: 0, max: 0.95, step: 0.05, value: st.beta, testid: 'ball-momentum',
      describedby: ids.help, format: function (v) { return v === 0 ? '0 (off)' : v.toFixed(2); } });
    var help = el('p', { class: 'learn-help', id: ids.help,
      text: 'Each step: w \u2190 w \u2212 \u03b7\u00b7\u2207C(w). With momentum \u03b2 > 0 the ball keeps part of its speed (v \u2190 \u03b2v \u2212 \u03b7\u00b7\u2207C, w \u2190 w + v), so it can roll through small dips and over low ridges.' });
    var controls = el('div', { class: 'learn-controls' }, [
      el('div', { class: 'learn-buttons' }, [btnDrop10, btnAim, btnRandom, btnClear]), seedNote,
      el('div', { class: 'learn-rate learn-rate-2' }, [rate.wrap, mom.wrap]), help]);
    var status = el('p', { class: 'learn-message', role: 'status', 'aria-live': 'polite', 'data-testid': 'ball-status' });

    var tbody = el('tbody');
    var table = el('table', { class: 'learn-table', 'data-testid': 'ball-table' }, [
      el('caption', { text: 'Where the balls stopped' }),
      el('thead', null, [el('tr', null, ['Ball', 'Start (w\u2081, w\u2082)', 'End (w\u2081, w\u2082)', 'Cost', 'Valley'].map(function (h) {
        return el('th', { scope: 'col', text: h });
      }))]), tbody]);
    var tableWrap = el('div', { class: 'learn-table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Where the balls stopped (table, scrolls sideways)' }, [table]);
    var valleyList = el('ul', { class: 'learn-valleys' }, minima.map(function (m) {
      return el('li', null, [el('strong', { text: (m.global ? '\u2605 ' : '\u00d7 ') + m.label }),
        ' at (' + fmt(m.w1, 2) + ', ' + fmt(m.w2, 2) + '), cost ' + fmt(m.C, 2) + (m.global ? ' \u2014 the lowest point (global minimum)' : ' \u2014 a local minimum')]);
    }));
    var formula = el('p', { class: 'learn-formula' }, [el('span', { text: 'A bowl with ' + minima.length + ' valleys of different depths: ' + surf.formula })]);
    var main = el('div', { class: 'learn-main' }, [formula, views, controls, status, tableWrap]);

    function qItem(question) {
      var answer = el('p', { class: 'learn-q-answer' });
      var st2 = el('span', { class: 'learn-q-status', text: 'not seen yet' });
      var li = el('li', { class: 'learn-q', 'data-seen': 'false' }, [el('p', { class: 'learn-q-title' }, [el('strong', { text: question }), ' ', st2]), answer]);
      return { li: li, answer: answer, status: st2 };
    }
    var q1 = qItem('Which is the lowest point?');
    var q2 = qItem('Does the ball always find it?');
    var q3 = qItem('Why?');
    var aside = null;
    if (options.questions !== false) {
      aside = el('aside', { class: 'learn-questions', 'aria-labelledby': ids.q }, [
        el('h' + hLevel, { id: ids.q, text: 'Questions about the valleys' }),
        el('ol', { class: 'learn-q-list' }, [q1.li, q2.li, q3.li]),
        el('h' + Math.min(6, hLevel + 1), { class: 'learn-explain-title', text: 'The valleys' }),
        valleyList]);
    }
    var rootEl = el('div', { class: 'learn-widget learn-ball', 'data-testid': 'ball' }, [el('div', { class: 'learn-layout' }, [main, aside])]);
    container.appendChild(rootEl);

    function answer(q, text) {
      q.li.setAttribute('data-seen', 'true');
      q.status.textContent = '\u2713 seen';
      if (q.answer.textContent !== text) q.answer.textContent = text;
    }
    function say(t) { status.textContent = t; }

    // ---------------------------------------------------------------- 3D model
    // Vertices on a (GRID+1)^2 lattice; world coords x, y in [-1, 1], z scaled cost.
    var NV = GRID + 1, ZS = 1.0;
    var vx = new Float64Array(NV * NV), vy = new Float64Array(NV * NV), vz = new Float64Array(NV * NV);
    var zMid = 0.5 * (cmin + cmax);
    function zOf(c) { return ZS * (c - zMid) / (cmax - cmin); }
    (function () {
      for (var j = 0; j < NV; j++) {
        for (var i = 0; i < NV; i++) {
          var w1 = R[0] + (R[1] - R[0]) * i / GRID, w2 = R[0] + (R[1] - R[0]) * j / GRID, k = j * NV + i;
          vx[k] = w1 / R[1]; vy[k] = w2 / R[1]; vz[k] = zOf(surf.C(w1, w2));
        }
      }
    })();
    // Per-quad colour: viridis by height, times Lambert lighting from a light fixed to the surface.
    var NQ = GRID * GRID, quadFill = new Array(NQ), quadDepth = new Float64Array(NQ), quadOrder = new Int32Array(NQ);
    (function () {
      var L = [-0.45, -0.55, 0.75], ln = Math.hypot(L[0], L[1], L[2]);
      L = [L[0] / ln, L[1] / ln, L[2] / ln];
      for (var j = 0; j < GRID; j++) {
        for (var i = 0; i < GRID; i++) {
          var a = j * NV + i, b = a + 1, c = a + NV + 1, d = a + NV;
          // normal = (c - a) x (d - b)
          var ux = vx[c] - vx[a], uy = vy[c] - vy[a], uz = vz[c] - vz[a];
          var wx = vx[d] - vx[b], wy = vy[d] - vy[b], wz = vz[d] - vz[b];
          var nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
          var nl = Math.hypot(nx, ny, nz) || 1;
          if (nz < 0) nl = -nl;
          var lam = Math.max(0, (nx * L[0] + ny * L[1] + nz * L[2]) / nl);
          var ci = surf.C(R[0] + (R[1] - R[0]) * (i + 0.5) / GRID, R[0] + (R[1] - R[0]) * (j + 0.5) / GRID);
          var base = U.viridis(tOf(ci));
          quadFill[j * GRID + i] = U.rgb(base, 0.42 + 0.7 * lam);
        }
      }
    })();

    var G3 = { ctx: null, w: 300, h: 220, scale: 100, cx: 150, cy: 110, dirty: true };
    var px = new Float64Array(NV * NV), py = new Float64Array(NV * NV), pd = new Float64Array(NV * NV);
    var PERSP = 5;
    // Camera: turn by yaw about the vertical axis, then tilt by pitch (elevation).
    // Returns unscaled screen coordinates [x, up, depth] (depth grows away from the viewer).
    function cameraXY(yaw, pitch, x, y, z, out) {
      var cy = Math.cos(yaw), sy = Math.sin(yaw), cp = Math.cos(pitch), sp = Math.sin(pitch);
      var xr = x * cy - y * sy, yr = x * sy + y * cy;
      var up = z * cp + yr * sp, depth = yr * cp - z * sp;
      var f = PERSP / (PERSP + depth);
      out[0] = xr * f; out[1] = up * f; out[2] = depth;
      return out;
    }
    function project(x, y, z, out) {
      cameraXY(st.yaw, st.pitch, x, y, z, out);
      out[0] = G3.cx + G3.scale * out[0];
      out[1] = G3.cy - G3.scale * out[1];
      return out;
    }
    var zTop = zOf(cmax), zBottom = zOf(cmin), zFloor = zBottom - 0.12;
    // Fit the view: bounds of the box around the surface (and the floor labels) over
    // every yaw, so turning the surface never changes its size.
    function fitScale() {
      var o = [0, 0, 0], x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      var pts = [];
      [-1, 1].forEach(function (a) {
        [-1, 1].forEach(function (b) { pts.push([a, b, zTop], [a, b, zFloor]); });
        pts.push([0, 1.18 * a, zFloor], [1.18 * a, 0, zFloor]);
      });
      for (var k = 0; k < 48; k++) {
        var yaw = 2 * Math.PI * k / 48;
        for (var n = 0; n < pts.length; n++) {
          cameraXY(yaw, st.pitch, pts[n][0], pts[n][1], pts[n][2], o);
          if (o[0] < x0) x0 = o[0]; if (o[0] > x1) x1 = o[0];
          if (o[1] < y0) y0 = o[1]; if (o[1] > y1) y1 = o[1];
        }
      }
      var m = 14;
      G3.scale = Math.min((G3.w - 2 * m) / (x1 - x0), (G3.h - 2 * m) / (y1 - y0));
      G3.cx = G3.w / 2 - G3.scale * 0.5 * (x0 + x1);
      G3.cy = G3.h / 2 + G3.scale * 0.5 * (y0 + y1);
    }
    function reproject() {
      fitScale();
      var o = [0, 0, 0];
      for (var k = 0; k < NV * NV; k++) {
        project(vx[k], vy[k], vz[k], o);
        px[k] = o[0]; py[k] = o[1]; pd[k] = o[2];
      }
      for (var q = 0; q < NQ; q++) {
        var i = q % GRID, j = (q - i) / GRID, a = j * NV + i;
        quadDepth[q] = 0.25 * (pd[a] + pd[a + 1] + pd[a + NV] + pd[a + NV + 1]);
        quadOrder[q] = q;
      }
      var arr = Array.prototype.slice.call(quadOrder);
      arr.sort(function (m, n) { return quadDepth[n] - quadDepth[m]; }); // farthest first
      for (q = 0; q < NQ; q++) quadOrder[q] = arr[q];
      G3.dirty = false;
    }

    function world(w1, w2, lift) {
      return [w1 / R[1], w2 / R[1], zOf(surf.C(w1, w2)) + (lift || 0)];
    }

    function draw3d() {
      var ctx = G3.ctx;
      if (!ctx) return;
      if (G3.dirty) reproject();
      ctx.clearRect(0, 0, G3.w, G3.h);
      ctx.fillStyle = '#f4f6fa';
      ctx.fillRect(0, 0, G3.w, G3.h);
      // Floor frame with axis labels (drawn first: the surface covers it where it should).
      var zf = zFloor, o = [0, 0, 0];
      var corners = [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(function (c) { project(c[0], c[1], zf, o); return [o[0], o[1]]; });
      ctx.strokeStyle = '#aab1bd'; ctx.lineWidth = 1;
      ctx.beginPath();
      corners.forEach(function (c, idx) { if (idx === 0) ctx.moveTo(c[0], c[1]); else ctx.lineTo(c[0], c[1]); });
      ctx.closePath(); ctx.stroke();

      // Overlays (trails, balls, valley labels) merged into the painter's order.
      var over = overlays3d();
      over.sort(function (a, b) { return b.d - a.d; });
      var oi = 0;
      ctx.lineJoin = 'round';
      for (var n = 0; n < NQ; n++) {
        var q = quadOrder[n];
        while (oi < over.length && over[oi].d > quadDepth[q]) { over[oi].draw(ctx); oi++; }
        var i = q % GRID, j = (q - i) / GRID, a = j * NV + i;
        ctx.beginPath();
        ctx.moveTo(px[a], py[a]); ctx.lineTo(px[a + 1], py[a + 1]);
        ctx.lineTo(px[a + NV + 1], py[a + NV + 1]); ctx.lineTo(px[a + NV], py[a + NV]);
        ctx.closePath();
        ctx.fillStyle = quadFill[q];
        ctx.strokeStyle = quadFill[q];
        ctx.lineWidth = 0.6;
        ctx.fill(); ctx.stroke();
      }
      while (oi < over.length) { over[oi].draw(ctx); oi++; }
      // Balls hidden behind a hill still show through, faintly.
      ctx.globalAlpha = 0.45;
      st.balls.forEach(function (b) {
        if (!inMap(b.w1, b.w2)) return;
        var wb = world(b.w1, b.w2, 0.03);
        project(wb[0], wb[1], wb[2], o);
        drawBall(ctx, o[0], o[1], b, 8);
      });
      ctx.globalAlpha = 1;
      // Valley labels on top, like pins on a map.
      minima.forEach(function (m) {
        var w = world(m.w1, m.w2, 0.02);
        project(w[0], w[1], w[2], o);
        drawMinMarker(ctx, o[0], o[1], m, true);
      });

      // Axis labels along the floor edges.
      ctx.font = '12px ' + FONT; ctx.fillStyle = '#2b303a'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      var edgeA = project(0, -1.18, zf, [0, 0, 0]);
      var edgeB = project(-1.18, 0, zf, [0, 0, 0]);
      var edgeA2 = project(0, 1.18, zf, [0, 0, 0]);
      var edgeB2 = project(1.18, 0, zf, [0, 0, 0]);
      var lab1 = edgeA[2] < edgeA2[2] ? edgeA : edgeA2, lab2 = edgeB[2] < edgeB2[2] ? edgeB : edgeB2;
      label(ctx, 'w\u2081', lab1[0], lab1[1]);
      label(ctx, 'w\u2082', lab2[0], lab2[1]);
    }
    function label(ctx, text, x, y) {
      x = Math.max(12, Math.min(G3.w - 12, x)); y = Math.max(10, Math.min(G3.h - 10, y));
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(x - 11, y - 9, 22, 18);
      ctx.fillStyle = '#2b303a';
      ctx.fillText(text, x, y);
    }

    var BIAS = 0.035;
    function overlays3d() {
      var out = [], o1 = [0, 0, 0], o2 = [0, 0, 0];
      st.balls.forEach(function (b) {
        var tr = b.trail, n = tr.length, stride = Math.max(1, Math.floor(n / 160));
        var prev = null;
        for (var k = 0; k < n; k += stride) {
          var p = tr[k];
          if (Math.abs(p[0]) > R[1] || Math.abs(p[1]) > R[1]) { prev = null; continue; }
          var w = world(p[0], p[1], 0.01);
          project(w[0], w[1], w[2], o2);
          if (prev) out.push(segment(prev[0], prev[1], o2[0], o2[1], b.colour, 0.5 * (prev[2] + o2[2]) - BIAS));
          prev = [o2[0], o2[1], o2[2]];
        }
        if (prev && inMap(b.w1, b.w2)) {
          var wb = world(b.w1, b.w2, 0.01);
          project(wb[0], wb[1], wb[2], o1);
          out.push(segment(prev[0], prev[1], o1[0], o1[1], b.colour, 0.5 * (prev[2] + o1[2]) - BIAS));
        }
      });
      st.balls.forEach(function (b) {
        if (!inMap(b.w1, b.w2)) return;
        var w = world(b.w1, b.w2, 0.03);
        project(w[0], w[1], w[2], o1);
        out.push(ballItem(o1[0], o1[1], b, o1[2] - 2 * BIAS));
      });
      return out;
    }
    function segment(x0, y0, x1, y1, colour, d) {
      return { d: d, draw: function (ctx) {
        ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1);
        ctx.strokeStyle = 'rgba(255,255,255,0.8)'; ctx.lineWidth = 4; ctx.stroke();
        ctx.strokeStyle = colour; ctx.lineWidth = 2; ctx.stroke();
      } };
    }
    function ballItem(x, y, b, d) {
      return { d: d, draw: function (ctx) { drawBall(ctx, x, y, b, 8); } };
    }

    function drawBall(ctx, x, y, b, r) {
      ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fillStyle = b.colour; ctx.fill();
      ctx.lineWidth = 2; ctx.strokeStyle = b.textDark ? '#1b1f24' : '#ffffff'; ctx.stroke();
      ctx.lineWidth = 1; ctx.strokeStyle = b.textDark ? '#ffffff' : '#1b1f24';
      ctx.beginPath(); ctx.arc(x, y, r + 1.5, 0, 2 * Math.PI); ctx.stroke();
      ctx.fillStyle = b.textDark ? '#1b1f24' : '#ffffff';
      ctx.font = 'bold ' + (b.id > 9 ? 9 : 11) + 'px ' + FONT; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      ctx.fillText(String(b.id), x, y + 0.5);
    }
    function drawMinMarker(ctx, x, y, m, floating) {
      var text = (m.global ? '\u2605 ' : '') + m.label;
      ctx.font = 'bold 12px ' + FONT; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      var w = ctx.measureText(text).width + 10, ly = floating ? y - 32 : y - 22;
      if (floating) {
        ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 1.5;
        ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x, ly + 8); ctx.stroke();
      }
      ctx.fillStyle = m.global ? '#1b1f24' : 'rgba(255,255,255,0.92)';
      roundRect(ctx, x - w / 2, ly - 9, w, 18, 4); ctx.fill();
      ctx.fillStyle = m.global ? '#ffffff' : '#1b1f24';
      ctx.fillText(text, x, ly + 0.5);
    }
    function roundRect(ctx, x, y, w, h, r) {
      ctx.beginPath();
      ctx.moveTo(x + r, y); ctx.lineTo(x + w - r, y); ctx.quadraticCurveTo(x + w, y, x + w, y + r);
      ctx.lineTo(x + w, y + h - r); ctx.quadraticCurveTo(x + w, y + h, x + w - r, y + h);
      ctx.lineTo(x + r, y + h); ctx.quadraticCurveTo(x, y + h, x, y + h - r);
      ctx.lineTo(x, y + r); ctx.quadraticCurveTo(x, y, x + r, y); ctx.closePath();
    }

    // Which (w1, w2) is under screen point (x, y) in the 3D view? Nearest quad first.
    function pick3d(x, y) {
      if (G3.dirty) reproject();
      for (var n = NQ - 1; n >= 0; n--) {
        var q = quadOrder[n], i = q % GRID, j = (q - i) / GRID, a = j * NV + i;
        var xs = [px[a], px[a + 1], px[a + NV + 1], px[a + NV]], ys = [py[a], py[a + 1], py[a + NV + 1], py[a + NV]];
        var inside = false;
        for (var s = 0, t = 3; s < 4; t = s++) {
          if ((ys[s] > y) !== (ys[t] > y) && x < (xs[t] - xs[s]) * (y - ys[s]) / (ys[t] - ys[s]) + xs[s]) inside = !inside;
        }
        if (inside) return [R[0] + (R[1] - R[0]) * (i + 0.5) / GRID, R[0] + (R[1] - R[0]) * (j + 0.5) / GRID];
      }
      return null;
    }

    // ---------------------------------------------------------------- contour map
    var GM = { ctx: null, w: 300, h: 300, L: 34, T: 22, S: 250, bg: null };
    function mx(w1) { return GM.L + (w1 - R[0]) / (R[1] - R[0]) * GM.S; }
    function my(w2) { return GM.T + (R[1] - w2) / (R[1] - R[0]) * GM.S; }
    function mapToW(x, y) { return [R[0] + (x - GM.L) / GM.S * (R[1] - R[0]), R[1] - (y - GM.T) / GM.S * (R[1] - R[0])]; }

    function renderMapBackground(dpr) {
      var n = Math.max(50, Math.min(720, Math.round(GM.S * dpr)));
      var cv = document.createElement('canvas');
      cv.width = n; cv.height = n;
      var cx = cv.getContext('2d'), img = cx.createImageData(n, n), data = img.data;
      var band = new Uint8Array(n * n), i, j;
      for (j = 0; j < n; j++) {
        var w2 = R[1] - (R[1] - R[0]) * (j + 0.5) / n;
        for (i = 0; i < n; i++) {
          var w1 = R[0] + (R[1] - R[0]) * (i + 0.5) / n;
          band[j * n + i] = Math.min(BANDS - 1, Math.max(0, Math.floor(tOf(surf.C(w1, w2)) * BANDS)));
        }
      }
      var cols = [];
      for (i = 0; i < BANDS; i++) cols.push(U.viridis((i + 0.5) / BANDS));
      var lineW = Math.max(1, Math.round(dpr));
      for (j = 0; j < n; j++) {
        for (i = 0; i < n; i++) {
          var k = j * n + i, bnd = band[k], c = cols[bnd], edge = false;
          for (var dd = 1; dd <= lineW && !edge; dd++) {
            if ((i + dd < n && band[k + dd] !== bnd) || (j + dd < n && band[k + dd * n] !== bnd)) edge = true;
          }
          var r = c[0], g = c[1], b = c[2];
          if (edge) {
            if (U.luminance(c) < 0.18) { r += (255 - r) * 0.45; g += (255 - g) * 0.45; b += (255 - b) * 0.45; }
            else { r *= 0.6; g *= 0.6; b *= 0.6; }
          }
          data[4 * k] = r; data[4 * k + 1] = g; data[4 * k + 2] = b; data[4 * k + 3] = 255;
        }
      }
      cx.putImageData(img, 0, 0);
      return cv;
    }

    function drawMap() {
      var ctx = GM.ctx;
      if (!ctx) return;
      ctx.clearRect(0, 0, GM.w, GM.h);
      ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, GM.w, GM.h);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(GM.bg, GM.L, GM.T, GM.S, GM.S);
      ctx.strokeStyle = '#5b6270'; ctx.lineWidth = 1;
      ctx.strokeRect(GM.L - 0.5, GM.T - 0.5, GM.S + 1, GM.S + 1);
      // ticks
      ctx.font = '12px ' + FONT; ctx.fillStyle = '#2b303a'; ctx.textBaseline = 'middle';
      for (var k = Math.ceil(R[0]); k <= R[1]; k++) {
        ctx.textAlign = 'center';
        ctx.fillText(fmt(k, 0), mx(k), GM.T + GM.S + 11);
        ctx.textAlign = 'right';
        ctx.fillText(fmt(k, 0), GM.L - 5, my(k));
      }
      ctx.textAlign = 'right';
      ctx.fillText('w\u2081', GM.L + GM.S, GM.T + GM.S + 25);
      ctx.textAlign = 'left';
      ctx.fillText('w\u2082', 4, 9);

      ctx.save();
      ctx.beginPath(); ctx.rect(GM.L, GM.T, GM.S, GM.S); ctx.clip();
      // minima
      minima.forEach(function (m) {
        var x = mx(m.w1), y = my(m.w2);
        ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 3;
        cross(ctx, x, y, 5); ctx.strokeStyle = '#1b1f24'; ctx.lineWidth = 1.5; cross(ctx, x, y, 5);
        drawMinMarker(ctx, x, y, m, false);
      });
      // trails
      ctx.lineJoin = 'round'; ctx.lineCap = 'round';
      st.balls.forEach(function (b) {
        var tr = b.trail;
        if (tr.length < 1) return;
        ctx.beginPath();
        ctx.moveTo(mx(tr[0][0]), my(tr[0][1]));
        for (var k2 = 1; k2 < tr.length; k2++) ctx.lineTo(mx(tr[k2][0]), my(tr[k2][1]));
        ctx.lineTo(mx(b.w1), my(b.w2));
        ctx.strokeStyle = 'rgba(255,255,255,0.85)'; ctx.lineWidth = 4; ctx.stroke();
        ctx.strokeStyle = b.colour; ctx.lineWidth = 2; ctx.stroke();
        // start marker: a small square
        ctx.fillStyle = b.colour; ctx.strokeStyle = '#1b1f24'; ctx.lineWidth = 1;
        ctx.fillRect(mx(tr[0][0]) - 3, my(tr[0][1]) - 3, 6, 6);
        ctx.strokeRect(mx(tr[0][0]) - 3, my(tr[0][1]) - 3, 6, 6);
      });
      st.balls.forEach(function (b) { if (inMap(b.w1, b.w2)) drawBall(ctx, mx(b.w1), my(b.w2), b, 8); });
      // aim
      var ax = mx(st.aim[0]), ay = my(st.aim[1]), focused = root.document && root.document.activeElement === canvasMap;
      ctx.strokeStyle = '#ffffff'; ctx.lineWidth = focused ? 4 : 3;
      ring(ctx, ax, ay, 9);
      ctx.strokeStyle = '#1b1f24'; ctx.lineWidth = focused ? 2 : 1.25;
      ring(ctx, ax, ay, 9);
      ctx.restore();
    }
    function cross(ctx, x, y, r) {
      ctx.beginPath(); ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y + r); ctx.moveTo(x + r, y - r); ctx.lineTo(x - r, y + r); ctx.stroke();
    }
    function ring(ctx, x, y, r) {
      ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.moveTo(x - r - 4, y); ctx.lineTo(x + r + 4, y); ctx.moveTo(x, y - r - 4); ctx.lineTo(x, y + r + 4); ctx.stroke();
    }
    function inMap(w1, w2) { return isFinite(w1) && isFinite(w2) && Math.abs(w1) <= R[1] && Math.abs(w2) <= R[1]; }

    // ---------------------------------------------------------------- layout
    function layout3d(width) {
      var w = Math.max(238, Math.floor(width) - 2), h = Math.round(Math.max(230, Math.min(480, w * 0.8)));
      var f = U.fitCanvas(canvas3d, w, h);
      G3.ctx = f.ctx; G3.w = f.w; G3.h = f.h; G3.dirty = true;
      draw3d();
    }
    function layoutMap(width) {
      var w = Math.max(238, Math.min(520, Math.floor(width) - 2));
      var L = 34, T = 22, B = 32, Rm = 10;
      var S = w - L - Rm;
      var f = U.fitCanvas(canvasMap, w, S + T + B);
      GM.ctx = f.ctx; GM.w = f.w; GM.h = f.h; GM.L = L; GM.T = T; GM.S = S;
      canvasMap.setAttribute('data-plot', [L, T, S].join(','));  // plot square in CSS px (for tests)
      GM.bg = renderMapBackground(f.dpr);
      drawMap();
    }
    function drawAll() { draw3d(); drawMap(); }

    // ---------------------------------------------------------------- balls
    function makeBall(w1, w2, id) {
      var colour = U.BALL_COLOURS[(id - 1) % U.BALL_COLOURS.length];
      return { id: id, colour: colour, textDark: U.luminance(U.hexToRgb(colour)) > 0.3,
        start: [w1, w2], w1: w1, w2: w2, v1: 0, v2: 0, trail: [[w1, w2]], steps: 0,
        status: 'rolling', minimum: null };
    }
    function addBall(w1, w2, quiet) {
      var b = makeBall(w1, w2, st.nextId++);
      st.balls.push(b);
      while (st.balls.length > MAX_BALLS) st.balls.shift();
      if (!quiet) {
        say('Ball ' + b.id + ' dropped at (' + fmt(w1, 2) + ', ' + fmt(w2, 2) + '), where the cost is ' + fmt(surf.C(w1, w2), 2) + '. Watch where it rolls\u2026');
        st.lastBatch = null;
      }
      ensureRunning();
      renderTable(); publish(); drawAll();
      return b;
    }
    function dropBalls(n) {
      n = n || 10;
      var seed = st.batchSeed++;
      st.balls = []; st.nextId = 1;
      M.randomStarts(n, seed, R, 0.25).forEach(function (p) { addBall(p[0], p[1], true); });
      st.lastBatch = { seed: seed, ids: st.balls.map(function (b) { return b.id; }), announced: false };
      seedNote.textContent = 'Random starting places from seed ' + seed + ' (the same every time). Press again for seed ' + st.batchSeed + '.';
      say('Dropped ' + n + ' balls at random places (seed ' + seed + '). Watch where they roll\u2026');
      renderTable(); publish(); drawAll();
    }

    function stepBall(b) {
      M.step2D(b, st.eta, st.beta, surf);
      b.steps++;
      b.trail.push([b.w1, b.w2]);
      if (!isFinite(b.w1) || !isFinite(b.w2) || Math.abs(b.w1) > OFF_LIMIT || Math.abs(b.w2) > OFF_LIMIT) {
        b.status = 'off';
      } else if (M.settled2D(b, surf, SETTLE_TOL)) {
        b.status = 'settled';
        b.minimum = M.nearestMinimum(minima, b.w1, b.w2, 0.05);
      } else if (b.steps >= MAX_STEPS) {
        b.status = 'limit';
        b.minimum = M.nearestMinimum(minima, b.w1, b.w2, 0.05);
      }
      if (b.trail.length > 4000) b.trail.splice(1, 1);
      return b.status !== 'rolling';
    }

    var reduceMQ = U.reducedMotionQuery();
    function reduced() { return !!(reduceMQ && reduceMQ.matches); }

    function ensureRunning() {
      if (st.raf || st.timer) return;
      if (reduced()) st.timer = root.setTimeout(tick, 350);
      else st.raf = root.requestAnimationFrame(tick);
    }
    function stopRunning() {
      if (st.raf) root.cancelAnimationFrame(st.raf);
      if (st.timer) root.clearTimeout(st.timer);
      st.raf = 0; st.timer = 0;
    }
    // One frame: every rolling ball takes a few steps (more as it slows down);
    // with reduced motion, bigger jumps at a slow pace instead of smooth rolling.
    function tick() {
      st.raf = 0; st.timer = 0;
      var changed = false, rolling = 0, red = reduced();
      st.frame = (st.frame || 0) + 1;
      st.balls.forEach(function (b) {
        if (b.status !== 'rolling') return;
        var n = red ? 30 : (b.steps < 30 ? (st.frame % 2) : 1 + Math.floor((b.steps - 30) / 30));
        for (var k = 0; k < n; k++) {
          if (stepBall(b)) { changed = true; onBallStopped(b); break; }
        }
        if (b.status === 'rolling') rolling++;
      });
      drawAll();
      if (changed) { renderTable(); }
      publish();
      if (rolling) {
        if (red) st.timer = root.setTimeout(tick, 350);
        else st.raf = root.requestAnimationFrame(tick);
      } else if (changed) {
        allStopped();
      }
    }

    function onBallStopped(b) {
      if (st.lastBatch) return; // the batch gets one summary at the end
      if (b.status === 'off') say('Ball ' + b.id + ' rolled off the map: the steps were too big. Try a smaller learning rate.');
      else if (b.minimum) {
        say('Ball ' + b.id + ' stopped in valley ' + b.minimum.label + ' at (' + fmt(b.w1, 2) + ', ' + fmt(b.w2, 2) + '), cost ' + fmt(surf.C(b.w1, b.w2), 2) + (b.minimum.global
          ? ': the lowest point (global minimum).' : ': a local minimum, not the lowest point.'));
      } else say('Ball ' + b.id + ' stopped at (' + fmt(b.w1, 2) + ', ' + fmt(b.w2, 2) + ').');
    }

    function allStopped() {
      var balls = st.balls;
      if (!balls.length) return;
      var inGlobal = balls.filter(function (b) { return b.minimum && b.minimum.global; });
      var others = {}, otherCount = 0, off = 0;
      balls.forEach(function (b) {
        if (b.status === 'off') off++;
        else if (b.minimum && !b.minimum.global) { others[b.minimum.label] = (others[b.minimum.label] || 0) + 1; otherCount++; }
      });
      var parts = Object.keys(others).sort().map(function (k) { return k + ' (' + others[k] + ')'; });
      var text = (balls.length === 1 ? 'The ball has stopped: ' : 'All ' + balls.length + ' balls have stopped: ') +
        inGlobal.length + ' reached the lowest valley ' + globalMin.label + ' (cost ' + fmt(globalMin.C, 2) + ')' +
        (otherCount ? '; ' + otherCount + ' stopped in higher valleys: ' + parts.join(', ') : '') +
        (off ? '; ' + off + ' rolled off the map (learning rate too large)' : '') + '.';
      if (st.lastBatch && !st.lastBatch.announced) { st.lastBatch.announced = true; say(text); }
      // The questions, answered by what happened.
      answer(q1, 'Valley ' + globalMin.label + ' (marked \u2605) at w\u2081 = ' + fmt(globalMin.w1, 2) + ', w\u2082 = ' + fmt(globalMin.w2, 2) +
        ', where the cost is ' + fmt(globalMin.C, 2) + '. Here we can see the whole surface, so it is easy to spot; a network with thousands of weights cannot draw its surface.');
      if (balls.length > 1 || otherCount) {
        answer(q2, otherCount || off
          ? 'No. This time ' + inGlobal.length + ' of ' + balls.length + ' balls reached ' + globalMin.label + '; the others stopped somewhere higher.'
          : 'This time all ' + balls.length + ' balls reached ' + globalMin.label + ' \u2014 but try other starting places (or more balls): a ball that starts near another valley stays there.');
      }
      if (otherCount) {
        answer(q3, 'A ball only feels the slope right where it is. It rolls downhill into the nearest valley and stops at its bottom, where the gradient is zero, so nothing pushes it out \u2014 even if a deeper valley lies beyond the ridge. Momentum sometimes carries a ball over a low ridge, but not always.');
      }
      canvasLabels();
    }

    function ballSummary(b) {
      var c = surf.C(b.w1, b.w2);
      return { id: b.id, start: [b.start[0], b.start[1]], w1: b.w1, w2: b.w2, cost: c, steps: b.steps,
        gradNorm: M.gradNorm(surf, b.w1, b.w2), status: b.status,
        minimum: b.minimum ? b.minimum.label : null, global: !!(b.minimum && b.minimum.global) };
    }

    // Machine-readable state on the surface container (for tests and the lead's page).
    var lastPublished = '';
    function publish() {
      var rolling = st.balls.filter(function (b) { return b.status === 'rolling'; }).length;
      views.setAttribute('data-rolling', String(rolling));
      var s = JSON.stringify(st.balls.map(ballSummary));
      if (s !== lastPublished) { views.setAttribute('data-balls', s); lastPublished = s; }
    }

    function renderTable() {
      while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
      if (!st.balls.length) {
        tbody.appendChild(el('tr', null, [el('td', { colspan: '5', class: 'learn-empty', text: 'No balls yet: drop some!' })]));
        return;
      }
      st.balls.forEach(function (b) {
        var sw = el('span', { class: 'learn-ball-chip', 'aria-hidden': 'true', text: String(b.id) });
        sw.style.backgroundColor = b.colour;
        sw.style.color = b.textDark ? '#1b1f24' : '#ffffff';
        var where, cost, valley;
        if (b.status === 'rolling') { where = 'rolling\u2026'; cost = '\u2014'; valley = '\u2014'; }
        else if (b.status === 'off') { where = 'off the map'; cost = '\u2014'; valley = 'none (steps too big)'; }
        else {
          where = '(' + fmt(b.w1, 2) + ', ' + fmt(b.w2, 2) + ')'; cost = fmt(surf.C(b.w1, b.w2), 2);
          valley = b.minimum ? (b.minimum.global ? '\u2605 ' + b.minimum.label + ' lowest' : b.minimum.label + ' local')
            : 'not settled';
        }
        var tr = el('tr', { 'data-ball': b.id, 'data-status': b.status, class: b.minimum && b.minimum.global ? 'is-global' : '' }, [
          el('th', { scope: 'row' }, [sw, el('span', { class: 'learn-sr', text: 'Ball ' + b.id })]),
          el('td', { text: '(' + fmt(b.start[0], 2) + ', ' + fmt(b.start[1], 2) + ')' }),
          el('td', { text: where }), el('td', { text: cost }), el('td', { text: valley })]);
        tbody.appendChild(tr);
      });
    }

    function canvasLabels() {
      var n = st.balls.length, rolling = st.balls.filter(function (b) { return b.status === 'rolling'; }).length;
      var valleys = minima.map(function (m) { return m.label + (m.global ? ' (lowest)' : '') + ' at (' + fmt(m.w1, 1) + ', ' + fmt(m.w2, 1) + ') cost ' + fmt(m.C, 2); }).join('; ');
      var balls = n ? n + ' ball' + (n > 1 ? 's' : '') + (rolling ? ', ' + rolling + ' still rolling' : '') + '.' : 'No balls yet.';
      var turn = Math.round(((st.yaw / DEG) % 360 + 360) % 360), tilt = Math.round(st.pitch / DEG);
      canvas3d.setAttribute('aria-label', 'Cost surface in 3D, turned ' + turn + '\u00b0 and tilted ' + tilt + '\u00b0 from flat. ' +
        'Valleys: ' + valleys + '. ' + balls + ' Arrow keys turn the view; Enter drops a ball at the aim.');
      canvasMap.setAttribute('aria-label', 'Contour map of the cost (darker = lower). Valleys: ' + valleys + '. ' + balls +
        ' Aim at (' + fmt(st.aim[0], 1) + ', ' + fmt(st.aim[1], 1) + '), cost ' + fmt(surf.C(st.aim[0], st.aim[1]), 2) +
        '. Arrow keys move the aim; Enter or Space drops a ball there.');
    }

    // ---------------------------------------------------------------- events
    var listeners = [];
    function on(t, type, fn, opt) { t.addEventListener(type, fn, opt); listeners.push([t, type, fn, opt]); }

    var drag3 = null;
    on(canvas3d, 'pointerdown', function (ev) {
      if (ev.button != null && ev.button > 0) return;
      drag3 = { id: ev.pointerId, x: ev.clientX, y: ev.clientY, yaw: st.yaw, pitch: st.pitch, moved: false };
      try { canvas3d.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic pointer */ }
      ev.preventDefault();
    });
    on(canvas3d, 'pointermove', function (ev) {
      if (!drag3 || ev.pointerId !== drag3.id) return;
      var dx = ev.clientX - drag3.x, dy = ev.clientY - drag3.y;
      if (!drag3.moved && Math.hypot(dx, dy) < 6) return;
      drag3.moved = true;
      canvas3d.classList.add('is-dragging');
      setView(drag3.yaw + dx * 0.01, drag3.pitch + dy * 0.008);
    });
    function end3(ev, cancelled) {
      if (!drag3 || ev.pointerId !== drag3.id) return;
      var d = drag3; drag3 = null;
      canvas3d.classList.remove('is-dragging');
      try { canvas3d.releasePointerCapture(ev.pointerId); } catch (e) { /* ignore */ }
      if (cancelled) return;
      if (!d.moved) {
        var p = U.localPoint(canvas3d, ev), w = pick3d(p.x, p.y);
        if (w) { st.aim = w; addBall(w[0], w[1]); }
        else say('That click missed the surface. Click on the coloured surface to drop a ball there.');
      } else canvasLabels();
    }
    on(canvas3d, 'pointerup', function (ev) { end3(ev, false); });
    on(canvas3d, 'pointercancel', function (ev) { end3(ev, true); });
    on(canvas3d, 'keydown', function (ev) {
      var s = ev.shiftKey ? 3 : 1;
      switch (ev.key) {
        case 'ArrowLeft': setView(st.yaw - 10 * DEG * s, st.pitch); break;
        case 'ArrowRight': setView(st.yaw + 10 * DEG * s, st.pitch); break;
        case 'ArrowUp': setView(st.yaw, st.pitch + 5 * DEG * s); break;
        case 'ArrowDown': setView(st.yaw, st.pitch - 5 * DEG * s); break;
        case 'Enter': case ' ': addBall(st.aim[0], st.aim[1]); break;
        default: return;
      }
      ev.preventDefault();
      labelSoon();
    });

    var mapDown = null;
    on(canvasMap, 'pointerdown', function (ev) {
      if (ev.button != null && ev.button > 0) return;
      mapDown = { id: ev.pointerId, x: ev.clientX, y: ev.clientY };
    });
    on(canvasMap, 'pointerup', function (ev) {
      if (!mapDown || ev.pointerId !== mapDown.id) return;
      var d = mapDown; mapDown = null;
      if (Math.hypot(ev.clientX - d.x, ev.clientY - d.y) > 12) return;
      var p = U.localPoint(canvasMap, ev), w = mapToW(p.x, p.y);
      if (!inMap(w[0], w[1])) { say('That was outside the map. Click inside the coloured square to drop a ball.'); return; }
      st.aim = w;
      addBall(w[0], w[1]);
      canvasLabels();
    });
    on(canvasMap, 'pointercancel', function () { mapDown = null; });
    on(canvasMap, 'keydown', function (ev) {
      var d = ev.shiftKey ? 0.5 : 0.1, a = st.aim;
      switch (ev.key) {
        case 'ArrowLeft': a = [a[0] - d, a[1]]; break;
        case 'ArrowRight': a = [a[0] + d, a[1]]; break;
        case 'ArrowUp': a = [a[0], a[1] + d]; break;
        case 'ArrowDown': a = [a[0], a[1] - d]; break;
        case 'Home': a = [0, 0]; break;
        case 'Enter': case ' ': ev.preventDefault(); addBall(a[0], a[1]); return;
        default: return;
      }
      ev.preventDefault();
      st.aim = [clampAim(a[0]), clampAim(a[1])];
      drawMap(); labelSoon();
    });
    on(canvasMap, 'focus', drawMap);
    on(canvasMap, 'blur', drawMap);
    function clampAim(v) { return Math.round(Math.max(R[0] + 0.05, Math.min(R[1] - 0.05, v)) * 100) / 100; }

    var labelTimer = 0;
    function labelSoon() {
      if (labelTimer) root.clearTimeout(labelTimer);
      labelTimer = root.setTimeout(function () { labelTimer = 0; canvasLabels(); }, 250);
    }

    function setView(yaw, pitch) {
      st.yaw = yaw;
      st.pitch = Math.max(12 * DEG, Math.min(88 * DEG, pitch));
      G3.dirty = true;
      views.setAttribute('data-yaw', (st.yaw / DEG).toFixed(1));
      views.setAttribute('data-pitch', (st.pitch / DEG).toFixed(1));
      draw3d();
    }

    on(btnDrop10, 'click', function () { dropBalls(10); });
    on(btnAim, 'click', function () { addBall(st.aim[0], st.aim[1]); });
    on(btnRandom, 'click', function () {
      var m = 0.25;
      addBall(R[0] + m + (R[1] - R[0] - 2 * m) * st.randomRnd(), R[0] + m + (R[1] - R[0] - 2 * m) * st.randomRnd());
    });
    on(btnClear, 'click', function () {
      stopRunning(); st.balls = []; st.nextId = 1; st.lastBatch = null;
      say('All balls cleared.');
      renderTable(); publish(); drawAll(); canvasLabels();
    });
    on(rate.input, 'input', function () { st.eta = rate.get(); rootEl.setAttribute('data-eta', String(st.eta)); });
    on(mom.input, 'input', function () { st.beta = mom.get(); rootEl.setAttribute('data-beta', String(st.beta)); });

    var stop3 = U.observeWidth(fig3d, layout3d);
    var stopMap = U.observeWidth(figMap, layoutMap);

    seedNote.textContent = 'Drop 10 balls uses random starting places from seed ' + st.batchSeed + ' (the same every time).';
    setView(st.yaw, st.pitch);
    renderTable(); publish(); canvasLabels();

    return {
      update: function (s) {
        if (!s) return;
        if (s.eta != null) { st.eta = Number(s.eta); rate.set(st.eta); }
        if (s.beta != null) { st.beta = Number(s.beta); mom.set(st.beta); }
        if (s.yaw != null || s.pitch != null) setView(s.yaw != null ? s.yaw * DEG : st.yaw, s.pitch != null ? s.pitch * DEG : st.pitch);
        if (s.aim) { st.aim = [clampAim(s.aim[0]), clampAim(s.aim[1])]; drawMap(); }
        canvasLabels();
      },
      dropBalls: dropBalls,
      dropAt: function (w1, w2) { return ballSummary(addBall(w1, w2)); },
      getState: function () {
        return { eta: st.eta, beta: st.beta, yaw: st.yaw / DEG, pitch: st.pitch / DEG, aim: st.aim.slice(),
          balls: st.balls.map(ballSummary), minima: minima.map(function (m) { return { label: m.label, w1: m.w1, w2: m.w2, cost: m.C, global: m.global }; }) };
      },
      destroy: function () {
        stopRunning(); stop3(); stopMap();
        if (labelTimer) root.clearTimeout(labelTimer);
        listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2], l[3]); });
        listeners = [];
        if (rootEl.parentNode) rootEl.parentNode.removeChild(rootEl);
      }
    };
  }

  var api = { mount: mount };
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNLearnBall = api;
})(typeof window !== 'undefined' ? window : this);
