/* nnmath — a shaded 3D surface z = f(x, y) on a square grid, drawn on a 2D canvas
 * (painter's algorithm, no WebGL), with overlays (a path, markers) merged into the
 * depth order.  Classic script: attaches window.NNSurface3D (module.exports in Node).
 *
 *   var s = NNSurface3D.create();
 *   s.setGrid(size, heights, fills)  heights: Float64Array(size*size) in −1..1 world units (NaN =
 *                                    missing: the quads around it are not drawn); index [i*size + j],
 *                                    i along x, j along y; fills: CSS colour per quad, or a
 *                                    function (quadI, quadJ, lambert 0..1) -> colour
 *   s.setOverlays({path: [[x, y, z], ...], markers: [{x, y, z, kind: 'centre'|'cursor'|'min'|'start', label}]})
 *   s.draw(ctx, w, h)                draws everything (CSS pixels); s.yaw, s.pitch (radians) set the view
 *   s.project(x, y, z)              -> [sx, sy, depth] for the last size drawn
 *   NNSurface3D.camera(yaw, pitch, x, y, z) -> [x, up, depth] (pure; depth grows away from the viewer)
 *
 * World coordinates: x, y in [−1, 1], z in about [−0.5, 0.5].  Based on the look of
 * web/js/learn/ball.js (whose renderer is internal to that component).
 */
(function (root) {
  'use strict';

  var PERSP = 5;
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

  function camera(yaw, pitch, x, y, z, out) {
    out = out || [0, 0, 0];
    var cy = Math.cos(yaw), sy = Math.sin(yaw), cp = Math.cos(pitch), sp = Math.sin(pitch);
    var xr = x * cy - y * sy, yr = x * sy + y * cy;
    var up = z * cp + yr * sp, depth = yr * cp - z * sp;
    var f = PERSP / (PERSP + depth);
    out[0] = xr * f; out[1] = up * f; out[2] = depth;
    return out;
  }

  function create(opts) {
    opts = opts || {};
    var s = {
      yaw: opts.yaw == null ? -0.6 : opts.yaw,
      pitch: opts.pitch == null ? 0.75 : opts.pitch,
      labels: opts.labels || ['x', 'y'],
      size: 0, heights: null, fills: null, overlays: { path: [], markers: [] },
      zTop: 0.5, zFloor: -0.62
    };
    var view = { scale: 100, cx: 0, cy: 0, w: 0, h: 0 };
    var px, py, pd;

    function fit(w, h) {
      var o = [0, 0, 0], x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, pts = [];
      [-1, 1].forEach(function (a) {
        [-1, 1].forEach(function (b) { pts.push([a, b, s.zTop], [a, b, s.zFloor]); });
        pts.push([0, 1.2 * a, s.zFloor], [1.2 * a, 0, s.zFloor]);
      });
      // Bounds over every yaw: turning the surface never changes its size.
      for (var k = 0; k < 36; k++) {
        var yaw = 2 * Math.PI * k / 36;
        for (var n = 0; n < pts.length; n++) {
          camera(yaw, s.pitch, pts[n][0], pts[n][1], pts[n][2], o);
          if (o[0] < x0) x0 = o[0]; if (o[0] > x1) x1 = o[0];
          if (o[1] < y0) y0 = o[1]; if (o[1] > y1) y1 = o[1];
        }
      }
      var m = 12;
      view.w = w; view.h = h;
      view.scale = Math.min((w - 2 * m) / (x1 - x0), (h - 2 * m) / (y1 - y0));
      view.cx = w / 2 - view.scale * 0.5 * (x0 + x1);
      view.cy = h / 2 + view.scale * 0.5 * (y0 + y1);
    }

    function project(x, y, z, out) {
      out = camera(s.yaw, s.pitch, x, y, z, out);
      out[0] = view.cx + view.scale * out[0];
      out[1] = view.cy - view.scale * out[1];
      return out;
    }

    s.project = function (x, y, z) { return project(x, y, z, [0, 0, 0]); };

    s.setGrid = function (size, heights, fills) {
      s.size = size;
      s.heights = heights;
      s.fills = fills;
      var n = size * size;
      px = new Float64Array(n); py = new Float64Array(n); pd = new Float64Array(n);
    };

    s.setOverlays = function (o) {
      s.overlays = { path: (o && o.path) || [], markers: (o && o.markers) || [] };
    };

    function gx(i) { return -1 + 2 * i / (s.size - 1); }

    function overlayItems() {
      var items = [], o = [0, 0, 0], path = s.overlays.path;
      for (var k = 1; k < path.length; k++) {
        var a = path[k - 1], b = path[k];
        if (!isFinite(a[2]) || !isFinite(b[2])) continue;
        var pa = project(a[0], a[1], a[2], [0, 0, 0]), pb = project(b[0], b[1], b[2], [0, 0, 0]);
        items.push({ d: 0.5 * (pa[2] + pb[2]) - 0.02, draw: segment(pa, pb) });
      }
      s.overlays.markers.forEach(function (m) {
        if (!isFinite(m.z)) return;
        project(m.x, m.y, m.z, o);
        var x = o[0], y = o[1];
        items.push({ d: o[2] - 0.03, draw: function (ctx) { marker(ctx, x, y, m); } });
      });
      return items;
    }

    function segment(pa, pb) {
      return function (ctx) {
        // butt caps: a round cap would show through the next segment's white casing
        ctx.lineCap = 'butt';
        ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 5;
        ctx.beginPath(); ctx.moveTo(pa[0], pa[1]); ctx.lineTo(pb[0], pb[1]); ctx.stroke();
        ctx.strokeStyle = '#c0392b'; ctx.lineWidth = 2.5;
        ctx.beginPath(); ctx.moveTo(pa[0], pa[1]); ctx.lineTo(pb[0], pb[1]); ctx.stroke();
      };
    }

    s.draw = function (ctx, w, h) {
      if (view.w !== w || view.h !== h || view.pitch !== s.pitch) { fit(w, h); view.pitch = s.pitch; }
      ctx.clearRect(0, 0, w, h);
      ctx.fillStyle = '#f4f6fa';
      ctx.fillRect(0, 0, w, h);
      var o = [0, 0, 0];
      // the floor frame
      ctx.strokeStyle = '#8a93a3'; ctx.lineWidth = 1;
      ctx.beginPath();
      [[-1, -1], [1, -1], [1, 1], [-1, 1]].forEach(function (c, k) {
        project(c[0], c[1], s.zFloor, o);
        if (k === 0) ctx.moveTo(o[0], o[1]); else ctx.lineTo(o[0], o[1]);
      });
      ctx.closePath(); ctx.stroke();
      var items = overlayItems();
      if (s.size >= 2 && s.heights) {
        var N = s.size, Q = N - 1, hgt = s.heights;
        for (var i = 0; i < N; i++) {
          for (var j = 0; j < N; j++) {
            var k = i * N + j;
            project(gx(i), gx(j), isFinite(hgt[k]) ? hgt[k] : 0, o);
            px[k] = o[0]; py[k] = o[1]; pd[k] = o[2];
          }
        }
        var quads = [];
        for (i = 0; i < Q; i++) {
          for (j = 0; j < Q; j++) {
            var a = i * N + j, b = a + N, c = b + 1, d = a + 1;
            if (!isFinite(hgt[a]) || !isFinite(hgt[b]) || !isFinite(hgt[c]) || !isFinite(hgt[d])) continue;
            quads.push({ i: i, j: j, d: 0.25 * (pd[a] + pd[b] + pd[c] + pd[d]) });
          }
        }
        quads.sort(function (p, q) { return q.d - p.d; });
        items.sort(function (p, q) { return q.d - p.d; });
        var L = [-0.45, -0.55, 0.75], ln = Math.hypot(L[0], L[1], L[2]), step = 2 / Q;
        var oi = 0;
        ctx.lineJoin = 'round';
        for (var n = 0; n < quads.length; n++) {
          var q = quads[n];
          while (oi < items.length && items[oi].d > q.d) { items[oi].draw(ctx); oi++; }
          a = q.i * N + q.j; b = a + N; c = b + 1; d = a + 1;
          // Lambert light fixed to the surface: normal of the quad's diagonals
          // diagonals u = c − a = (step, step, Δz), v = d − b = (−step, step, Δz)
          var ux = step, uy = step, uz = hgt[c] - hgt[a];
          var vx = -step, vy = step, vz = hgt[d] - hgt[b];
          var nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
          var nl = Math.hypot(nx, ny, nz) || 1;
          if (nz < 0) nl = -nl;
          var lam = Math.max(0, (nx * L[0] + ny * L[1] + nz * L[2]) / (nl * ln));
          var fill = typeof s.fills === 'function' ? s.fills(q.i, q.j, lam) : s.fills;
          ctx.beginPath();
          ctx.moveTo(px[a], py[a]); ctx.lineTo(px[b], py[b]); ctx.lineTo(px[c], py[c]); ctx.lineTo(px[d], py[d]);
          ctx.closePath();
          ctx.fillStyle = fill; ctx.strokeStyle = fill; ctx.lineWidth = 0.6;
          ctx.fill(); ctx.stroke();
        }
        while (oi < items.length) { items[oi].draw(ctx); oi++; }
      } else {
        items.forEach(function (it) { it.draw(ctx); });
      }
      // Markers hidden behind a hill still show, faintly.
      ctx.globalAlpha = 0.5;
      s.overlays.markers.forEach(function (m) {
        if (!isFinite(m.z)) return;
        project(m.x, m.y, m.z, o);
        marker(ctx, o[0], o[1], m, true);
      });
      ctx.globalAlpha = 1;
      // axis labels on the floor edges nearest to the viewer
      ctx.font = '600 13px ' + FONT; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      var e1 = project(0, -1.2, s.zFloor, [0, 0, 0]), e2 = project(0, 1.2, s.zFloor, [0, 0, 0]);
      var e3 = project(-1.2, 0, s.zFloor, [0, 0, 0]), e4 = project(1.2, 0, s.zFloor, [0, 0, 0]);
      var lx = e3[2] < e4[2] ? e3 : e4, ly = e1[2] < e2[2] ? e1 : e2;
      tag(ctx, s.labels[0], lx[0], lx[1]);
      tag(ctx, s.labels[1], ly[0], ly[1]);
    };

    function tag(ctx, text, x, y) {
      var w = ctx.measureText(text).width + 10;
      ctx.fillStyle = 'rgba(255,255,255,0.9)';
      ctx.fillRect(x - w / 2, y - 10, w, 20);
      ctx.fillStyle = '#1f2430';
      ctx.fillText(text, x, y);
    }

    function marker(ctx, x, y, m, ghost) {
      ctx.lineWidth = 2;
      if (m.kind === 'centre') {
        // a black-and-white diamond: the network as it is now
        ctx.beginPath();
        ctx.moveTo(x, y - 8); ctx.lineTo(x + 8, y); ctx.lineTo(x, y + 8); ctx.lineTo(x - 8, y); ctx.closePath();
        ctx.fillStyle = '#ffffff'; ctx.fill();
        ctx.strokeStyle = '#000000'; ctx.stroke();
      } else if (m.kind === 'cursor') {
        ctx.beginPath(); ctx.arc(x, y, 7, 0, 2 * Math.PI);
        ctx.strokeStyle = '#ffffff'; ctx.lineWidth = 4; ctx.stroke();
        ctx.strokeStyle = '#000000'; ctx.lineWidth = 2; ctx.stroke();
      } else if (m.kind === 'start') {
        ctx.beginPath(); ctx.arc(x, y, 5, 0, 2 * Math.PI);
        ctx.fillStyle = '#c0392b'; ctx.fill();
        ctx.strokeStyle = '#ffffff'; ctx.stroke();
      } else { // min: a small white triangle
        ctx.beginPath(); ctx.moveTo(x, y + 6); ctx.lineTo(x + 6, y - 5); ctx.lineTo(x - 6, y - 5); ctx.closePath();
        ctx.fillStyle = '#ffffff'; ctx.fill();
        ctx.strokeStyle = '#000000'; ctx.lineWidth = 1.5; ctx.stroke();
      }
      if (m.label && !ghost) {
        ctx.font = '12px ' + FONT; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
        var w = ctx.measureText(m.label).width + 8;
        ctx.fillStyle = 'rgba(255,255,255,0.92)';
        ctx.fillRect(x + 10, y - 19, w, 18);
        ctx.fillStyle = '#1f2430';
        ctx.fillText(m.label, x + 14, y - 10);
      }
    }

    return s;
  }

  var api = { create: create, camera: camera };
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNSurface3D = api;
})(typeof window !== 'undefined' ? window : this);
