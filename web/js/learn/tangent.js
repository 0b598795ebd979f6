/* nnmath — interactive "The slope of a tangent (one weight)".
 *
 *   NNLearnTangent.mount(container, options) -> {update(state), destroy(), getState()}
 *     options: {w0: 2.6, eta: 0.1, questions: true, headingLevel: 3}
 *     update({w, eta, playing}) sets any of these.
 *
 * A curve C(w) with a global and a local minimum; a point with its tangent, the
 * slope's value and sign; "step" applies w <- w - eta * C'(w), "play" keeps
 * stepping; a too-large learning rate overshoots or runs away, and the page says
 * why. Needs NNLearnMath (surfaces.js) and NNLearnUI (ui.js).
 */
(function (root) {
  'use strict';

  var ZERO_SLOPE = 0.02;     // |C'(w)| below this is called "zero" (flat)
  var SETTLED_SLOPE = 0.005; // play stops when the slope is this small
  var MAX_PLAY_STEPS = 200;
  var HISTORY = 40;

  var COL = {
    grid: '#e3e6ec', axis: '#5b6270', text: '#2b303a', curve: '#1e3a8a', tangent: '#D55E00',
    point: '#0072B2', next: '#007a5a', history: '#6b7280', min: '#2b303a'
  };

  function mount(container, options) {
    var M = root.NNLearnMath, U = root.NNLearnUI;
    if (!M || !U) throw new Error('NNLearnTangent needs NNLearnMath and NNLearnUI (load surfaces.js and ui.js first).');
    options = options || {};
    var curve = M.curve;
    var el = U.el, fmt = U.fmt;
    var W0 = options.w0 == null ? 2.6 : Number(options.w0);
    var hLevel = Math.min(6, Math.max(2, options.headingLevel || 3));

    var st = {
      w: W0, eta: options.eta == null ? 0.1 : Number(options.eta),
      history: [], playing: false, playSteps: 0,
      status: 'ok',            // 'ok' | 'off' (left the chart) | 'nonfinite'
      seen: { positive: false, negative: false, zero: false },
      shownW: W0, anim: null, lastStep: null
    };

    // ---------------------------------------------------------------- DOM
    var ids = { hint: U.uid('tan-hint'), legend: U.uid('tan-legend'), q: U.uid('tan-q') };
    var canvas = el('canvas', {
      class: 'learn-canvas learn-canvas-tangent', tabindex: '0', role: 'slider',
      'aria-label': 'Point on the curve: the weight w', 'aria-valuemin': curve.range[0],
      'aria-valuemax': curve.range[1], 'aria-describedby': ids.hint + ' ' + ids.legend,
      'data-testid': 'tangent-canvas'
    });
    var hint = el('p', { class: 'learn-hint', id: ids.hint,
      text: 'Drag the point along the curve, or click the chart and use the arrow keys (Shift or Page Up/Down for bigger moves).' });

    function swatch(kind) { return el('span', { class: 'learn-swatch learn-swatch-' + kind, 'aria-hidden': 'true' }); }
    var legend = el('ul', { class: 'learn-legend', id: ids.legend }, [
      el('li', null, [swatch('curve'), 'cost curve C(w)']),
      el('li', null, [swatch('tangent'), 'tangent: its slope is C\u2032\u2060(w)']),
      el('li', null, [swatch('next'), 'arrow: where the next step goes']),
      el('li', null, [swatch('history'), 'grey rings: earlier steps'])
    ]);

    var outW = el('span', { class: 'learn-num', 'data-testid': 'tangent-w' });
    var outC = el('span', { class: 'learn-num', 'data-testid': 'tangent-cost' });
    var outSlope = el('span', { class: 'learn-num learn-num-big', 'data-testid': 'tangent-slope' });
    var outSign = el('span', { class: 'learn-sign', 'data-testid': 'tangent-sign' });
    var readout = el('dl', { class: 'learn-readout' }, [
      el('div', null, [el('dt', { text: 'weight w' }), el('dd', null, [outW])]),
      el('div', null, [el('dt', { text: 'cost C(w)' }), el('dd', null, [outC])]),
      el('div', { class: 'learn-readout-slope' }, [el('dt', { text: 'slope C\u2032\u2060(w)' }), el('dd', null, [outSlope, ' ', outSign])])
    ]);

    var btnStep = el('button', { type: 'button', class: 'learn-btn learn-btn-primary', 'data-testid': 'tangent-step',
      text: 'Step' });
    var btnPlay = el('button', { type: 'button', class: 'learn-btn', 'data-testid': 'tangent-play',
      'aria-pressed': 'false', text: 'Play' });
    var btnReset = el('button', { type: 'button', class: 'learn-btn', 'data-testid': 'tangent-reset', text: 'Reset' });
    var rateHelp = el('p', { class: 'learn-help', id: U.uid('tan-rate-help'),
      text: 'Each step moves w by \u2212\u03b7\u00b7C\u2032\u2060(w): the learning rate \u03b7 scales the slope.' });
    var rate = U.slider({ label: 'Learning rate \u03b7', min: 0.01, max: 2.5, step: 0.01, value: st.eta,
      testid: 'tangent-rate', describedby: rateHelp.id, format: function (v) { return v.toFixed(2); } });
    var presets = [[0.1, 'small'], [0.8, 'large'], [2.2, 'too large']].map(function (p) {
      var b = el('button', { type: 'button', class: 'learn-btn learn-btn-small', 'data-rate': p[0],
        text: '\u03b7 = ' + p[0] + ' (' + p[1] + ')' });
      return b;
    });
    var presetGroup = el('div', { class: 'learn-presets', role: 'group', 'aria-label': 'Try a learning rate' },
      [el('span', { class: 'learn-presets-label', text: 'Try:', 'aria-hidden': 'true' })].concat(presets));

    var message = el('p', { class: 'learn-message', role: 'status', 'aria-live': 'polite', 'data-testid': 'tangent-message' });

    var controls = el('div', { class: 'learn-controls' }, [
      el('div', { class: 'learn-buttons' }, [btnStep, btnPlay, btnReset]),
      el('div', { class: 'learn-rate' }, [rate.wrap, rateHelp, presetGroup])
    ]);

    var canvasWrap = el('div', { class: 'learn-canvas-wrap' }, [canvas]);
    var formula = el('p', { class: 'learn-formula' }, [
      el('span', { text: curve.formula }), el('span', { class: 'learn-formula-sep', text: ' \u00b7 ' }),
      el('span', { text: curve.derivativeFormula })]);
    var main = el('div', { class: 'learn-main' }, [formula, canvasWrap, hint, legend, readout, controls, message]);

    // The lesson's questions, answered by what the student sees.
    var explain = el('p', { class: 'learn-explain', 'aria-live': 'polite', 'data-testid': 'tangent-explain' });
    function qItem(key, question) {
      var status = el('span', { class: 'learn-q-status', text: 'not seen yet' });
      var answer = el('p', { class: 'learn-q-answer' });
      var li = el('li', { class: 'learn-q', 'data-seen': 'false', 'data-q': key }, [
        el('p', { class: 'learn-q-title' }, [el('strong', { text: question }), ' ', status]), answer]);
      return { li: li, status: status, answer: answer };
    }
    var qs = {
      positive: qItem('positive', 'When is the slope positive?'),
      negative: qItem('negative', 'When is the slope negative?'),
      zero: qItem('zero', 'When is the slope zero?')
    };
    var ANSWERS = {
      positive: 'When the curve goes uphill to the right (\u2197). Then \u2212\u03b7\u00b7C\u2032\u2060(w) is negative, so gradient descent moves w to the left \u2014 downhill.',
      negative: 'When the curve goes downhill to the right (\u2198). Then \u2212\u03b7\u00b7C\u2032\u2060(w) is positive, so gradient descent moves w to the right \u2014 downhill.',
      zero: 'Where the curve is flat (\u2192): at the bottom of a valley (a minimum) or on top of a hill. There the step is zero, so gradient descent stops.'
    };
    var aside = null;
    if (options.questions !== false) {
      aside = el('aside', { class: 'learn-questions', 'aria-labelledby': ids.q }, [
        el('h' + hLevel, { id: ids.q, text: 'Questions about the slope' }),
        el('ol', { class: 'learn-q-list' }, [qs.positive.li, qs.negative.li, qs.zero.li]),
        el('h' + Math.min(6, hLevel + 1), { class: 'learn-explain-title', text: 'What the slope says here' }),
        explain
      ]);
    }
    var rootEl = el('div', { class: 'learn-widget learn-tangent', 'data-testid': 'tangent' },
      [el('div', { class: 'learn-layout' }, [main, aside])]);
    container.appendChild(rootEl);

    // ---------------------------------------------------------------- geometry
    var G = { w: 300, h: 200, L: 44, R: 12, T: 14, B: 34, ctx: null };
    function layout(width) {
      var w = Math.max(238, Math.floor(width) - 2); // minus the canvas border
      var h = Math.round(Math.max(240, Math.min(420, w * (w < 520 ? 0.72 : 0.6))));
      var f = U.fitCanvas(canvas, w, h);
      G.ctx = f.ctx; G.w = f.w; G.h = f.h;
      G.L = w < 400 ? 38 : 46;
      draw();
    }
    function X(w) { return G.L + (w - curve.range[0]) / (curve.range[1] - curve.range[0]) * (G.w - G.L - G.R); }
    function Y(c) { return G.T + (curve.costRange[1] - c) / (curve.costRange[1] - curve.costRange[0]) * (G.h - G.T - G.B); }
    function Winv(x) { return curve.range[0] + (x - G.L) / (G.w - G.L - G.R) * (curve.range[1] - curve.range[0]); }

    // ---------------------------------------------------------------- drawing
    function draw() {
      var ctx = G.ctx;
      if (!ctx) return;
      var w = st.shownW;
      ctx.clearRect(0, 0, G.w, G.h);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, G.w, G.h);
      var px0 = G.L, px1 = G.w - G.R, py0 = G.T, py1 = G.h - G.B;
      ctx.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
      ctx.textBaseline = 'middle';
      // grid and ticks
      ctx.lineWidth = 1;
      var k;
      for (k = Math.ceil(curve.range[0]); k <= curve.range[1]; k++) {
        ctx.strokeStyle = k === 0 ? '#c3c8d2' : COL.grid;
        ctx.beginPath(); ctx.moveTo(Math.round(X(k)) + 0.5, py0); ctx.lineTo(Math.round(X(k)) + 0.5, py1); ctx.stroke();
        ctx.fillStyle = COL.axis; ctx.textAlign = 'center';
        ctx.fillText(fmt(k, 0), X(k), py1 + 12);
      }
      for (k = Math.ceil(curve.costRange[0]); k <= curve.costRange[1]; k++) {
        ctx.strokeStyle = COL.grid;
        ctx.beginPath(); ctx.moveTo(px0, Math.round(Y(k)) + 0.5); ctx.lineTo(px1, Math.round(Y(k)) + 0.5); ctx.stroke();
        ctx.fillStyle = COL.axis; ctx.textAlign = 'right';
        ctx.fillText(String(k), px0 - 6, Y(k));
      }
      ctx.strokeStyle = COL.axis;
      ctx.beginPath(); ctx.moveTo(px0 + 0.5, py0); ctx.lineTo(px0 + 0.5, py1 + 0.5); ctx.lineTo(px1, py1 + 0.5); ctx.stroke();
      ctx.fillStyle = COL.text;
      ctx.textAlign = 'right';
      ctx.fillText('w (weight)', px1, py1 + 26);
      ctx.textAlign = 'left';
      ctx.fillText('C(w)', 4, py0 + 2);

      ctx.save();
      ctx.beginPath(); ctx.rect(px0, py0 - 4, px1 - px0, py1 - py0 + 4); ctx.clip();
      // the curve
      ctx.strokeStyle = COL.curve; ctx.lineWidth = 3; ctx.lineJoin = 'round';
      ctx.beginPath();
      var n = Math.max(60, Math.round(px1 - px0));
      for (var i = 0; i <= n; i++) {
        var ww = curve.range[0] + (curve.range[1] - curve.range[0]) * i / n;
        if (i === 0) ctx.moveTo(X(ww), Y(curve.C(ww))); else ctx.lineTo(X(ww), Y(curve.C(ww)));
      }
      ctx.stroke();
      // minima and the hilltop
      ctx.fillStyle = COL.min; ctx.textAlign = 'center';
      curve.minima.forEach(function (m) {
        var x = X(m.w), y = Y(m.C);
        var below = y + 30 < py1;
        ctx.beginPath();
        if (below) { ctx.moveTo(x, y + 6); ctx.lineTo(x - 5, y + 14); ctx.lineTo(x + 5, y + 14); }
        else { ctx.moveTo(x, y - 6); ctx.lineTo(x - 5, y - 14); ctx.lineTo(x + 5, y - 14); }
        ctx.closePath(); ctx.fill();
        var text = m.global ? 'global minimum' : 'local minimum', half = ctx.measureText(text).width / 2 + 2;
        ctx.fillText(text, Math.max(px0 + half, Math.min(px1 - half, x)), below ? y + 24 : y - 24);
      });
      curve.maxima.forEach(function (m) {
        ctx.fillText('hilltop', X(m.w), Y(m.C) - 14);
      });
      // earlier steps
      var hist = st.history;
      if (hist.length) {
        ctx.strokeStyle = COL.history; ctx.lineWidth = 1.5; ctx.setLineDash([4, 3]);
        ctx.beginPath();
        for (i = 0; i < hist.length; i++) {
          var hx = X(hist[i]), hy = Y(curve.C(hist[i]));
          if (i === 0) ctx.moveTo(hx, hy); else ctx.lineTo(hx, hy);
        }
        if (isFinite(w) && !st.anim) ctx.lineTo(X(w), Y(curve.C(w)));
        ctx.stroke(); ctx.setLineDash([]);
        for (i = 0; i < hist.length; i++) {
          ctx.beginPath(); ctx.arc(X(hist[i]), Y(curve.C(hist[i])), 4.5, 0, 2 * Math.PI);
          ctx.fillStyle = '#ffffff'; ctx.fill(); ctx.stroke();
        }
      }
      ctx.restore();

      if (!isFinite(w) || w < curve.range[0] || w > curve.range[1]) { drawOffChart(w); return; }

      var c = curve.C(w), s = curve.dC(w), x0 = X(w), y0 = Y(c);
      ctx.save();
      ctx.beginPath(); ctx.rect(px0, py0, px1 - px0, py1 - py0); ctx.clip();
      // tangent line, a fixed length on screen
      var dx = (G.w - G.L - G.R) / (curve.range[1] - curve.range[0]);
      var dy = -s * (G.h - G.T - G.B) / (curve.costRange[1] - curve.costRange[0]);
      var len = Math.hypot(dx, dy), half = Math.min(130, 0.32 * (px1 - px0));
      ctx.strokeStyle = COL.tangent; ctx.lineWidth = 2.5;
      ctx.beginPath(); ctx.moveTo(x0 - dx / len * half, y0 - dy / len * half);
      ctx.lineTo(x0 + dx / len * half, y0 + dy / len * half); ctx.stroke();
      // where the next step goes
      if (!st.anim) {
        var wn = w - st.eta * s;
        var xn = X(wn);
        if (Math.abs(xn - x0) > 7) {
          var ay = Math.max(py0 + 8, y0 - 24);
          arrow(ctx, x0, ay, Math.max(px0 + 2, Math.min(px1 - 2, xn)), ay, COL.next);
          if (wn >= curve.range[0] && wn <= curve.range[1]) {
            ctx.setLineDash([3, 3]); ctx.strokeStyle = COL.next; ctx.lineWidth = 2;
            ctx.beginPath(); ctx.arc(xn, Y(curve.C(wn)), 7, 0, 2 * Math.PI); ctx.stroke(); ctx.setLineDash([]);
          }
        }
      }
      ctx.restore();
      // the point
      ctx.beginPath(); ctx.arc(x0, y0, 9, 0, 2 * Math.PI);
      ctx.fillStyle = COL.point; ctx.fill();
      ctx.lineWidth = 2.5; ctx.strokeStyle = '#ffffff'; ctx.stroke();
      ctx.lineWidth = 1; ctx.strokeStyle = '#0b2540';
      ctx.beginPath(); ctx.arc(x0, y0, 10.5, 0, 2 * Math.PI); ctx.stroke();
    }

    function arrow(ctx, xa, ya, xb, yb, colour) {
      var dir = xb > xa ? 1 : -1;
      ctx.strokeStyle = colour; ctx.fillStyle = colour; ctx.lineWidth = 2.5;
      ctx.beginPath(); ctx.moveTo(xa, ya); ctx.lineTo(xb - dir * 6, yb); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(xb, yb); ctx.lineTo(xb - dir * 10, yb - 6); ctx.lineTo(xb - dir * 10, yb + 6);
      ctx.closePath(); ctx.fill();
    }

    function drawOffChart(w) {
      var ctx = G.ctx;
      var right = !(w < curve.range[0]);
      var x = right ? G.w - G.R - 4 : G.L + 4, y = G.T + 30;
      ctx.fillStyle = COL.point;
      ctx.beginPath();
      if (right) { ctx.moveTo(x, y); ctx.lineTo(x - 14, y - 9); ctx.lineTo(x - 14, y + 9); }
      else { ctx.moveTo(x, y); ctx.lineTo(x + 14, y - 9); ctx.lineTo(x + 14, y + 9); }
      ctx.closePath(); ctx.fill();
      ctx.font = 'bold 13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
      ctx.fillStyle = COL.text; ctx.textAlign = right ? 'right' : 'left';
      var label = isFinite(w) ? 'w = ' + fmt(w, 2) + ' is off the chart' : 'w is not a number any more';
      ctx.fillText(label, right ? x - 20 : x + 20, y);
    }

    // ---------------------------------------------------------------- text
    function slopeKind(s) {
      if (!isFinite(s)) return 'none';
      if (Math.abs(s) < ZERO_SLOPE) return 'zero';
      return s > 0 ? 'positive' : 'negative';
    }

    function explainText(w) {
      if (st.status !== 'ok') return 'w is off the chart, so there is no slope to read here. Press Reset to bring the point back.';
      var s = curve.dC(w), kind = slopeKind(s);
      if (kind === 'positive') return 'Here the slope is positive: going right goes uphill, so gradient descent moves w to the left (downhill).';
      if (kind === 'negative') return 'Here the slope is negative: going right goes downhill, so gradient descent moves w to the right (downhill).';
      if (curve.d2C(w) < 0) return 'Here the slope is zero: the curve is flat on top of a hill. Gradient descent stays put, but the smallest nudge sends it rolling down one side.';
      var m = nearestMin(w);
      return 'Here the slope is zero: the curve is flat at the bottom of a valley, so gradient descent stays put. ' +
        (m && m.global ? 'This is the lowest point of the whole curve (the global minimum).'
          : 'But this is only a local minimum: the lowest point is in the other valley, at w \u2248 ' + fmt(curve.globalMinimum.w, 2) + '.');
    }

    function nearestMin(w) {
      var best = null;
      curve.minima.forEach(function (m) { if (!best || Math.abs(m.w - w) < Math.abs(best.w - w)) best = m; });
      return best;
    }

    function refresh() {
      var w = st.w, ok = st.status === 'ok' && isFinite(w);
      var s = ok ? curve.dC(w) : NaN, kind = slopeKind(s);
      outW.textContent = isFinite(w) ? fmt(w, 2) : 'not a number';
      outC.textContent = ok ? fmt(curve.C(w), 2) : '\u2014';
      outSlope.textContent = ok ? U.fmtAscii(s, 2) : '\u2014';
      outSign.textContent = kind === 'positive' ? 'positive \u2197' : kind === 'negative' ? 'negative \u2198'
        : kind === 'zero' ? 'zero \u2192 (flat)' : '';
      outSign.setAttribute('data-sign', kind);
      rootEl.setAttribute('data-w', String(w));
      rootEl.setAttribute('data-status', st.status);
      canvas.setAttribute('aria-valuenow', isFinite(w) ? String(Math.round(w * 100) / 100) : '0');
      canvas.setAttribute('aria-valuetext', ok
        ? 'w = ' + fmt(w, 2) + ', cost ' + fmt(curve.C(w), 2) + ', slope ' + fmt(s, 2) + ' (' + kind + ')'
        : (isFinite(w) ? 'w = ' + fmt(w, 2) + ', off the chart' : 'w is not a number'));
      var t = explainText(w);
      if (explain.textContent !== t) explain.textContent = t;
      if (ok && kind !== 'none' && !st.seen[kind]) {
        st.seen[kind] = true;
        var q = qs[kind];
        q.li.setAttribute('data-seen', 'true');
        q.status.textContent = '\u2713 seen';
        q.answer.textContent = ANSWERS[kind];
      }
    }

    function say(text) { message.textContent = text; }

    // ---------------------------------------------------------------- actions
    function setW(w, fromUser) {
      stopAnim();
      st.w = w; st.shownW = w;
      if (fromUser) {
        st.history = [];
        st.status = (isFinite(w) && w >= curve.range[0] && w <= curve.range[1]) ? 'ok' : st.status;
        st.playSteps = 0;
      }
      refresh(); draw();
    }

    function doStep(fromPlay) {
      if (st.status !== 'ok') {
        say(st.status === 'nonfinite'
          ? 'w is not a number any more, so there is nothing to step. Press Reset and choose a smaller learning rate.'
          : 'w is off the chart, so there is nothing to step. Press Reset (and try a smaller learning rate).');
        return false;
      }
      var w0 = st.w, s = curve.dC(w0), eta = st.eta;
      var w1 = w0 - eta * s;
      var d = M.describeStep1D(w0, w1, { zeroSlope: 1e-6 });
      st.lastStep = d;
      st.history.push(w0);
      if (st.history.length > HISTORY) st.history.shift();
      st.w = w1;
      if (d.nonFinite) {
        st.status = 'nonfinite';
        stopPlay();
        say('Stopped: w is not a number any more \u2014 the steps grew without limit. The learning rate \u03b7 = ' +
          eta.toFixed(2) + ' is far too large. Press Reset and choose a smaller learning rate.');
      } else if (d.outOfRange) {
        st.status = 'off';
        stopPlay();
        say('Stopped: w = ' + fmt(w1, 2) + ' is off the chart. The step \u03b7\u00b7C\u2032\u2060(w) = ' + fmt(eta * s, 2) +
          ' was so big that w flew right past the valley and out of the picture' + (growing() ? ': each step was bigger than the one before, so w ran away (it diverged)' : '') +
          '. The learning rate \u03b7 = ' + eta.toFixed(2) + ' is too large for this curve. Press Reset and try a smaller learning rate.');
      } else if (d.crossedHill) {
        say('Big jump! The step \u03b7\u00b7C\u2032\u2060(w) = ' + fmt(eta * s, 2) + ' carried w right over the hilltop into the other valley' +
          (d.costUp ? ', and the cost went up from ' + fmt(curve.C(w0), 2) + ' to ' + fmt(curve.C(w1), 2) : '') +
          '. With a smaller learning rate w would stay in its own valley.');
      } else if (d.overshoot && d.costUp) {
        say('Overshoot! The step \u03b7\u00b7C\u2032\u2060(w) = ' + fmt(eta * s, 2) + ' is so big that w jumps over the bottom of the valley and lands higher up the other side: the cost went up from ' +
          fmt(curve.C(w0), 2) + ' to ' + fmt(curve.C(w1), 2) + '. If this keeps happening w bounces further and further out. Try a smaller learning rate.');
      } else if (d.overshoot) {
        say('Overshoot: w jumped over the bottom of the valley to the other side (the slope changed sign). The cost still went down, to ' +
          fmt(curve.C(w1), 2) + ', but w zig-zags; a smaller learning rate would walk in smoothly.');
      } else if (d.costUp) {
        say('The cost went up, from ' + fmt(curve.C(w0), 2) + ' to ' + fmt(curve.C(w1), 2) + ': the step was too big. Try a smaller learning rate.');
      } else if (Math.abs(s) < SETTLED_SLOPE) {
        say(settledText(w1));
      } else if (!fromPlay) {
        say('Step: C\u2032\u2060(w) = ' + fmt(s, 2) + ', so w \u2190 w \u2212 \u03b7\u00b7C\u2032\u2060(w) = ' + fmt(w0, 2) + ' \u2212 ' + eta.toFixed(2) +
          ' \u00d7 (' + fmt(s, 2) + ') = ' + fmt(w1, 2) + '. The cost went down from ' + fmt(curve.C(w0), 2) + ' to ' + fmt(curve.C(w1), 2) + '.');
      }
      animateTo(w0, w1);
      refresh();
      return st.status === 'ok';
    }

    // Did the last few steps grow in size (w running away)?
    function growing() {
      var pts = st.history.concat([st.w]), n = pts.length;
      if (n < 5) return false;
      for (var i = n - 3; i < n; i++) {
        if (!(Math.abs(pts[i] - pts[i - 1]) > Math.abs(pts[i - 1] - pts[i - 2]))) return false;
      }
      return true;
    }

    function settledText(w) {
      var m = nearestMin(w);
      if (curve.d2C(w) < 0) {
        return 'The slope is zero on the hilltop, so the step is zero and w does not move. Nudge the point a little and it will roll down one side.';
      }
      return 'Settled at w \u2248 ' + fmt(w, 2) + ': the slope is (almost) zero, so the steps are tiny. ' +
        (m && m.global ? 'This is the global minimum \u2014 the lowest point of the curve.'
          : 'This is a local minimum: a valley, but not the lowest one (that is at w \u2248 ' + fmt(curve.globalMinimum.w, 2) +
            '). Gradient descent only feels the slope where it stands, so it cannot know about the deeper valley.');
    }

    var reduceMQ = U.reducedMotionQuery();
    function reduced() { return !!(reduceMQ && reduceMQ.matches); }

    function animateTo(a, b) {
      stopAnim();
      if (reduced() || !isFinite(b) || !isFinite(a) || !(b >= curve.range[0] && b <= curve.range[1])) {
        st.shownW = b; draw(); return;
      }
      var t0 = null, dur = 260;
      st.anim = { raf: 0 };
      function frame(t) {
        if (!st.anim) return;
        if (t0 == null) t0 = t;
        var u = Math.min(1, (t - t0) / dur);
        var e = u < 0.5 ? 2 * u * u : 1 - Math.pow(-2 * u + 2, 2) / 2;
        st.shownW = a + (b - a) * e;
        if (u >= 1) { st.anim = null; st.shownW = b; draw(); return; }
        draw();
        st.anim.raf = root.requestAnimationFrame(frame);
      }
      st.anim.raf = root.requestAnimationFrame(frame);
    }
    function stopAnim() {
      if (st.anim) { root.cancelAnimationFrame(st.anim.raf); st.anim = null; st.shownW = st.w; }
    }

    var playTimer = 0;
    function startPlay() {
      if (st.playing) return;
      if (st.status !== 'ok') { doStep(true); return; }
      st.playing = true; st.playSteps = 0;
      btnPlay.textContent = 'Pause'; btnPlay.setAttribute('aria-pressed', 'true');
      rootEl.setAttribute('data-playing', 'true');
      say('Playing: one step of w \u2190 w \u2212 \u03b7\u00b7C\u2032\u2060(w) after another\u2026');
      schedule();
    }
    function schedule() {
      playTimer = root.setTimeout(function () {
        playTimer = 0;
        if (!st.playing) return;
        var s = curve.dC(st.w);
        if (Math.abs(s) < SETTLED_SLOPE) { stopPlay(); say(settledText(st.w)); return; }
        var ok = doStep(true);
        st.playSteps += 1;
        if (!ok) return;
        if (Math.abs(curve.dC(st.w)) < SETTLED_SLOPE) { stopPlay(); say(settledText(st.w)); return; }
        if (st.playSteps >= MAX_PLAY_STEPS) {
          stopPlay();
          say('Paused after ' + MAX_PLAY_STEPS + ' steps: w keeps bouncing around without settling. The learning rate \u03b7 = ' +
            st.eta.toFixed(2) + ' is so large that every step overshoots. Try a smaller learning rate.');
          return;
        }
        schedule();
      }, reduced() ? 700 : 420);
    }
    function stopPlay() {
      if (playTimer) { root.clearTimeout(playTimer); playTimer = 0; }
      if (!st.playing) return;
      st.playing = false;
      btnPlay.textContent = 'Play'; btnPlay.setAttribute('aria-pressed', 'false');
      rootEl.setAttribute('data-playing', 'false');
    }

    function reset() {
      stopPlay();
      st.status = 'ok';
      setW(W0, true);
      say('Reset: the point is back at w = ' + fmt(W0, 2) + '.');
    }

    function setEta(v, fromSlider) {
      v = Number(v);
      if (!(v > 0)) return;
      st.eta = v;
      if (!fromSlider) rate.set(v);
      rootEl.setAttribute('data-eta', String(v));
      draw();
    }

    // ---------------------------------------------------------------- events
    var drag = null;
    function onPointerDown(ev) {
      if (ev.button != null && ev.button > 0) return;
      stopPlay();
      drag = { id: ev.pointerId };
      try { canvas.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic pointer */ }
      canvas.classList.add('is-dragging');
      moveToPointer(ev);
      if (ev.pointerType !== 'mouse') { /* keep focus where it is for touch */ } else canvas.focus();
      ev.preventDefault();
    }
    function onPointerMove(ev) {
      if (!drag || ev.pointerId !== drag.id) return;
      moveToPointer(ev);
    }
    function onPointerUp(ev) {
      if (!drag || ev.pointerId !== drag.id) return;
      drag = null;
      canvas.classList.remove('is-dragging');
      try { canvas.releasePointerCapture(ev.pointerId); } catch (e) { /* ignore */ }
      if (st.status === 'ok') say('Moved the point to w = ' + fmt(st.w, 2) + '. Press Step to take one gradient-descent step from here.');
    }
    function moveToPointer(ev) {
      var p = U.localPoint(canvas, ev);
      var w = Math.max(curve.range[0], Math.min(curve.range[1], Winv(p.x)));
      st.status = 'ok';
      setW(w, true);
    }
    function onKey(ev) {
      var d = 0, big = ev.shiftKey ? 0.25 : 0.05;
      switch (ev.key) {
        case 'ArrowRight': case 'ArrowUp': d = big; break;
        case 'ArrowLeft': case 'ArrowDown': d = -big; break;
        case 'PageUp': d = 0.5; break;
        case 'PageDown': d = -0.5; break;
        case 'Home': d = -Infinity; break;
        case 'End': d = Infinity; break;
        default: return;
      }
      ev.preventDefault();
      stopPlay();
      var base = st.status === 'ok' && isFinite(st.w) ? st.w : W0;
      var w = Math.max(curve.range[0], Math.min(curve.range[1], base + d));
      w = Math.round(w * 1000) / 1000;
      st.status = 'ok';
      setW(w, true);
    }

    var listeners = [];
    function on(target, type, fn, opt) { target.addEventListener(type, fn, opt); listeners.push([target, type, fn, opt]); }
    on(canvas, 'pointerdown', onPointerDown);
    on(canvas, 'pointermove', onPointerMove);
    on(canvas, 'pointerup', onPointerUp);
    on(canvas, 'pointercancel', onPointerUp);
    on(canvas, 'keydown', onKey);
    on(btnStep, 'click', function () { stopPlay(); doStep(false); });
    on(btnPlay, 'click', function () { if (st.playing) { stopPlay(); say('Paused at w = ' + fmt(st.w, 2) + '.'); } else startPlay(); });
    on(btnReset, 'click', reset);
    on(rate.input, 'input', function () { setEta(rate.get(), true); });
    presets.forEach(function (b) {
      on(b, 'click', function () {
        setEta(Number(b.getAttribute('data-rate')));
        say('Learning rate set to \u03b7 = ' + st.eta.toFixed(2) + '. Press Step or Play to see what it does.');
      });
    });
    var stopObserve = U.observeWidth(canvasWrap, layout);

    setEta(st.eta);
    refresh();
    draw();

    return {
      update: function (s) {
        if (!s) return;
        if (s.eta != null) setEta(s.eta);
        if (s.w != null) { st.status = 'ok'; setW(Number(s.w), true); }
        if (s.playing === true) startPlay();
        else if (s.playing === false) stopPlay();
      },
      getState: function () {
        return { w: st.w, eta: st.eta, slope: st.status === 'ok' ? curve.dC(st.w) : NaN, status: st.status,
          playing: st.playing, history: st.history.slice(), seen: Object.assign({}, st.seen) };
      },
      destroy: function () {
        stopPlay(); stopAnim(); stopObserve();
        listeners.forEach(function (l) { l[0].removeEventListener(l[1], l[2], l[3]); });
        listeners = [];
        if (rootEl.parentNode) rootEl.parentNode.removeChild(rootEl);
      }
    };
  }

  var api = { mount: mount, ZERO_SLOPE: ZERO_SLOPE };
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNLearnTangent = api;
})(typeof window !== 'undefined' ? window : this);
