/* nnmath — experiments side by side: the view (browser only; global NNExperimentsUI).
 * Needs NNExperiments (experiments.js) and, for the chart, Chart.js (global Chart, v4).
 *
 *   var ui = NNExperimentsUI.mount(container, {
 *     core,              // a loaded NNMath core (may come later through update({core}))
 *     digits,            // NNMath.decodeDigits() result (default: decoded from NNMATH_DIGITS)
 *     preset: 'cost',    // the ready-made comparison selected at first
 *     headingLevel: 2,   // level of the component's heading (sub-headings are one deeper)
 *     heading: true,     // false: no heading (the host has one)
 *     onUseNetwork: function (m) {}   // optional: adds "Use this network" to each result row;
 *                        // m = {label, config, scale, json (net.toJSON()), epochs, testAccuracy}
 *   });
 *   ui.update({core, digits, config, coreError})   // any subset; config = the lesson's current network
 *                                       // settings (used as the base of "your own comparison");
 *                                       // coreError = why no core will come (said in the status line)
 *   ui.run(); ui.stop(); ui.comparison  // (for hosts and tests)
 *   ui.destroy()                        // stops, frees the networks, removes the DOM
 *
 * The component never owns global state: everything lives in the closure of one mount.
 * Training runs in slices of about 10 ms (NNExperiments Comparison.compute), so the page stays
 * responsive; progress goes to a polite live region; the Stop button cancels.
 * data-testid: compare-run, compare-stop, compare-chart, compare-table, compare-status.
 * The root element has data-state = idle | running | done | stopped | error.
 */
(function (root) {
  'use strict';

  var X = root.NNExperiments;
  // Okabe–Ito colours with at least 3:1 contrast on white, plus line dashes and point markers, so
  // that the runs differ by more than colour.
  var COLORS = ['#0072B2', '#D55E00', '#000000', '#009E73', '#CC79A7'];
  var DASHES = [[], [8, 4], [2, 3], [12, 3, 3, 3], [16, 6]];
  var MARKERS = ['circle', 'triangle', 'rect', 'rectRot', 'crossRot'];
  var SYMBOLS = ['●', '▲', '■', '◆', '✕'];
  var DASH_NAMES = ['solid line', 'dashed line', 'dotted line', 'dash-dot line', 'long-dash line'];
  var MARKER_NAMES = ['circles', 'triangles', 'squares', 'diamonds', 'crosses'];
  var METRICS = {
    testError: {label: 'Test error (%)', short: 'test error', axis: 'Error on the test digits (%)', pct: true, lowerBetter: true},
    testAccuracy: {label: 'Test accuracy (%)', short: 'test accuracy', axis: 'Test digits recognised (%)', pct: true},
    trainCost: {label: 'Cost (training digits)', short: 'training cost', axis: 'Cost C on the training digits', lowerBetter: true},
    testCost: {label: 'Cost (test digits)', short: 'test cost', axis: 'Cost C on the test digits', lowerBetter: true}
  };
  var DEFAULT_VALUES = {
    cost: ['mse', 'xent'], activation: ['sigmoid', 'relu'], hidden: [[8], [32]], lr: [0.1, 1], batch: [1, 32],
    optimizer: ['sgd', 'momentum'], momentum: [0.5, 0.9], weightDecay: [0, 0.001], seed: [1, 2, 3],
    scale: ['unit', 'raw'], trainSize: [100, 'all']
  };
  var BASE_ORDER = ['hidden', 'activation', 'cost', 'optimizer', 'lr', 'momentum', 'weightDecay', 'batch', 'seed',
    'scale', 'trainSize'];
  var SLICE_MS = 8;           // training per task: the page never has a task near 50 ms
  var RENDER_EVERY_MS = 120;  // chart, table and explanation follow at most this often, in their own task
  var uid = 0;

  function h(tag, attrs, kids) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'text') el.textContent = v;
        else el.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (kids || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return el;
  }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }
  function pct(x) { return (100 * x).toFixed(1) + '%'; }
  function num(x) { return typeof x === 'number' && Number.isFinite(x) ? String(Number(x.toPrecision(3))) : '–'; }
  function thousands(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }

  function describeBase(s, vary) {
    var parts = [];
    if (vary !== 'hidden') parts.push('64 → ' + (s.hidden.length ? s.hidden.join(' → ') + ' → ' : '') + '10 neurons');
    if (vary !== 'activation') parts.push((s.activation === 'relu' ? 'ReLU' : s.activation) + ' hidden neurons');
    if (vary !== 'cost') parts.push(s.cost === 'xent' ? 'cross-entropy' : 'squared error');
    if (vary !== 'optimizer') parts.push(X.valueName('optimizer', s.optimizer));
    if (vary !== 'lr') parts.push('η = ' + s.lr);
    if (vary !== 'batch') parts.push(s.batch === 0 ? 'whole-set steps' : 'batches of ' + s.batch);
    if (vary !== 'seed') parts.push('seed ' + s.seed);
    if (vary !== 'scale') parts.push(s.scale === 'raw' ? 'raw inputs' : 'inputs ÷ 16');
    if (vary !== 'trainSize') parts.push(s.trainSize === 'all' ? 'all training digits' : s.trainSize + ' training digits');
    if (vary !== 'momentum' && s.optimizer !== 'sgd') parts.push('momentum ' + s.momentum);
    if (vary !== 'weightDecay' && s.weightDecay) parts.push('λ = ' + s.weightDecay);
    return parts.join(', ');
  }

  function mount(container, options) {
    if (!X) throw new Error('NNExperimentsUI needs NNExperiments (js/experiments/experiments.js) loaded first');
    var opts = options || {};
    var id = 'nx' + (++uid);
    var core = opts.core || null, digits = opts.digits || null, lessonConfig = null;
    var ChartLib = opts.Chart || root.Chart || null;
    var level = Math.max(1, Math.min(5, opts.headingLevel || 2));
    var cmp = null, chart = null, metric = 'testError', state = 'idle', destroyed = false;
    var shownPoints = -1, runStarted = 0, specRunning = null, renderTimer = 0, lastRender = 0;
    var form = {base: {}, vary: null, values: [], epochs: null};   // the controls
    var presetId = X.preset(opts.preset) ? opts.preset : X.PRESETS[0].id;

    /* ------------------------------------------------------------- DOM */
    var el = h('div', {class: 'nx', 'data-state': 'idle', id: id});
    if (opts.heading !== false) {
      el.appendChild(h('h' + level, {class: 'nx-title', id: id + '-title', text: 'Experiments side by side'}));
    }
    el.appendChild(h('p', {class: 'nx-intro', text: 'A fair experiment changes one thing and keeps everything else the same. ' +
      'Here several networks learn side by side: they differ in one setting, start from the same weights where they can, ' +
      'see the training digits in the same order, and are tested on the same digits.'}));

    // Ready-made comparisons (radio cards).
    var presetBox = h('fieldset', {class: 'nx-presets'}, [h('legend', {text: 'Choose a comparison'})]);
    var presetList = h('div', {class: 'nx-preset-list'});
    presetBox.appendChild(presetList);
    var presetRadios = {};
    X.PRESETS.concat([{id: 'custom', title: 'Your own comparison', blurb: 'Compare any setting: change the settings below.'}])
      .forEach(function (p) {
        var rid = id + '-preset-' + p.id;
        var input = h('input', {type: 'radio', name: id + '-preset', id: rid, value: p.id, class: 'nx-preset-input',
          'aria-describedby': rid + '-d'});
        presetRadios[p.id] = input;
        input.addEventListener('change', function () { if (input.checked) selectPreset(p.id); });
        presetList.appendChild(h('div', {class: 'nx-preset'}, [input,
          h('label', {for: rid, class: 'nx-preset-label'}, [h('span', {class: 'nx-preset-title', text: p.title}),
            h('span', {class: 'nx-preset-blurb', id: rid + '-d', text: p.blurb})])]));
      });
    el.appendChild(presetBox);

    var summary = h('p', {class: 'nx-summary', 'data-testid': 'compare-summary'});
    el.appendChild(summary);

    // The settings (a disclosure: any setting can be varied).
    var details = h('details', {class: 'nx-settings'});
    details.appendChild(h('summary', {text: 'Change the settings'}));
    var settingsBody = h('div', {class: 'nx-settings-body'});
    details.appendChild(settingsBody);
    el.appendChild(details);

    var varyId = id + '-vary';
    form.vary = h('select', {id: varyId, class: 'nx-input'});
    X.VARY_KEYS.forEach(function (k) { form.vary.appendChild(h('option', {value: k, text: X.SETTINGS[k].label})); });
    form.vary.addEventListener('change', function () {
      setValues(form.vary.value, DEFAULT_VALUES[form.vary.value]);
      syncBaseVisibility();
      markCustom();
    });
    var runsBox = h('div', {class: 'nx-runs', role: 'group', 'aria-labelledby': id + '-runs-label'});
    var addRun = h('button', {type: 'button', class: 'nx-btn nx-btn-small', text: '+ Add a run'});
    addRun.addEventListener('click', function () {
      var key = form.vary.value, vals = readValuesRaw();
      if (vals.length >= X.MAX_RUNS) return;
      vals.push('');
      renderRuns(key, vals);
      markCustom();
      var inputs = runsBox.querySelectorAll('input, select');
      if (inputs.length) inputs[inputs.length - 1].focus();
    });
    settingsBody.appendChild(h('div', {class: 'nx-vary'}, [
      h('div', {class: 'nx-field'}, [h('label', {for: varyId, text: 'Setting to compare'}), form.vary]),
      h('p', {class: 'nx-runs-label', id: id + '-runs-label', text: 'The runs (one value each)'}),
      runsBox, addRun]));

    var baseBox = h('fieldset', {class: 'nx-base'}, [h('legend', {text: 'Everything else (the same for every run)'})]);
    var baseGrid = h('div', {class: 'nx-base-grid'});
    baseBox.appendChild(baseGrid);
    var baseWraps = {};
    BASE_ORDER.forEach(function (k) {
      var s = X.SETTINGS[k], fid = id + '-base-' + k, ctl = makeControl(k, fid);
      ctl.addEventListener('change', markCustom);
      form.base[k] = ctl;
      baseWraps[k] = h('div', {class: 'nx-field'}, [h('label', {for: fid, text: s.label}), ctl,
        h('span', {class: 'nx-help', id: fid + '-help', text: s.help})]);
      ctl.setAttribute('aria-describedby', fid + '-help');
      baseGrid.appendChild(baseWraps[k]);
    });
    var epochsId = id + '-epochs';
    form.epochs = h('input', {id: epochsId, class: 'nx-input', type: 'text', inputmode: 'numeric', autocomplete: 'off',
      'aria-describedby': epochsId + '-help'});
    form.epochs.addEventListener('change', markCustom);
    baseGrid.appendChild(h('div', {class: 'nx-field'}, [h('label', {for: epochsId, text: 'Epochs'}), form.epochs,
      h('span', {class: 'nx-help', id: epochsId + '-help', text: 'How long every run trains (1 to ' + X.MAX_EPOCHS + ').'})]));
    settingsBody.appendChild(baseBox);

    // Actions and progress.
    var runBtn = h('button', {type: 'button', class: 'nx-btn nx-btn-primary', 'data-testid': 'compare-run', text: 'Run the comparison'});
    var stopBtn = h('button', {type: 'button', class: 'nx-btn', 'data-testid': 'compare-stop', text: 'Stop', disabled: true});
    var bar = h('progress', {class: 'nx-progress', max: '1', value: '0', 'aria-label': 'Progress of the comparison'});
    var status = h('p', {class: 'nx-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'compare-status'});
    var problemsBox = h('div', {class: 'nx-problems', role: 'alert', hidden: true});
    runBtn.addEventListener('click', function () { run(); });
    stopBtn.addEventListener('click', function () { stop(); });
    el.appendChild(h('div', {class: 'nx-actions'}, [runBtn, stopBtn, bar]));
    el.appendChild(status);
    el.appendChild(problemsBox);

    // Results: chart (with the metric switch) beside the explanation; the table below.
    var results = h('div', {class: 'nx-results'});
    var chartCol = h('div', {class: 'nx-chartcol'});
    var metricBox = h('fieldset', {class: 'nx-metric'}, [h('legend', {text: 'Show on the chart'})]);
    Object.keys(METRICS).forEach(function (k) {
      var mid = id + '-metric-' + k;
      var input = h('input', {type: 'radio', name: id + '-metric', id: mid, value: k, checked: k === metric});
      input.addEventListener('change', function () { if (input.checked) { metric = k; renderChart(true); } });
      metricBox.appendChild(h('span', {class: 'nx-metric-opt'}, [input, h('label', {for: mid, text: METRICS[k].label})]));
    });
    chartCol.appendChild(metricBox);
    var canvas = h('canvas', {class: 'nx-canvas', 'data-testid': 'compare-chart', role: 'img',
      'aria-label': 'Chart of the comparison: nothing has run yet.'});
    var chartBox = h('div', {class: 'nx-chartbox'}, [canvas]);
    var caption = h('figcaption', {class: 'nx-caption'});
    chartCol.appendChild(h('figure', {class: 'nx-figure'}, [chartBox, caption]));
    var notesList = h('ul', {class: 'nx-notes'});
    chartCol.appendChild(notesList);
    var explainBox = h('aside', {class: 'nx-explain', 'aria-labelledby': id + '-explain-title', 'data-testid': 'compare-explain'});
    results.appendChild(chartCol);
    results.appendChild(explainBox);
    el.appendChild(results);

    var tableWrap = h('div', {class: 'nx-tablewrap', role: 'region', tabindex: '0', 'aria-labelledby': id + '-caption'});
    var table = h('table', {class: 'nx-table', 'data-testid': 'compare-table'});
    tableWrap.appendChild(table);
    el.appendChild(tableWrap);
    var useStatus = h('p', {class: 'nx-status', role: 'status', 'aria-live': 'polite'});
    if (opts.onUseNetwork) el.appendChild(useStatus);

    container.appendChild(el);

    /* ------------------------------------------------------------- controls */
    function makeControl(key, fid) {
      var s = X.SETTINGS[key], ctl;
      if (s.kind === 'enum') {
        ctl = h('select', {id: fid, class: 'nx-input'});
        s.choices.forEach(function (c) { ctl.appendChild(h('option', {value: c[0], text: c[1]})); });
      } else {
        ctl = h('input', {id: fid, class: 'nx-input', type: 'text', autocomplete: 'off', spellcheck: 'false',
          inputmode: s.kind === 'number' ? 'decimal' : (s.kind === 'int' ? 'numeric' : 'text')});
      }
      return ctl;
    }

    function setControl(ctl, key, v) { ctl.value = X.formatValue(key, v); }

    function renderRuns(key, rawValues) {
      clear(runsBox);
      rawValues.forEach(function (raw, i) {
        var fid = id + '-run-' + i, ctl = makeControl(key, fid);
        ctl.value = raw;
        if (ctl.tagName === 'SELECT' && ctl.selectedIndex < 0) ctl.selectedIndex = Math.min(i, ctl.options.length - 1);
        ctl.classList.add('nx-run-input');
        ctl.addEventListener('change', markCustom);
        var row = h('div', {class: 'nx-run'}, [
          h('span', {class: 'nx-swatch nx-swatch-' + i, 'aria-hidden': 'true', text: SYMBOLS[i]}),
          h('label', {for: fid, text: 'Run ' + (i + 1)}), ctl]);
        if (rawValues.length > X.MIN_RUNS) {
          var rm = h('button', {type: 'button', class: 'nx-btn nx-btn-small', text: 'Remove',
            'aria-label': 'Remove run ' + (i + 1)});
          rm.addEventListener('click', function () {
            var vals = readValuesRaw();
            vals.splice(i, 1);
            renderRuns(key, vals);
            markCustom();
            var first = runsBox.querySelector('input, select');
            if (first) first.focus();
          });
          row.appendChild(rm);
        }
        runsBox.appendChild(row);
      });
      addRun.disabled = rawValues.length >= X.MAX_RUNS || state === 'running';
    }

    function readValuesRaw() {
      return Array.prototype.map.call(runsBox.querySelectorAll('.nx-run-input'), function (c) { return c.value; });
    }

    function setValues(key, values) {
      form.vary.value = key;
      renderRuns(key, values.map(function (v) { return X.formatValue(key, v); }));
    }

    function syncBaseVisibility() {
      BASE_ORDER.forEach(function (k) { baseWraps[k].hidden = k === form.vary.value; });
    }

    function fillForm(spec) {
      BASE_ORDER.forEach(function (k) {
        if (spec.base[k] !== undefined) setControl(form.base[k], k, spec.base[k]);
      });
      setValues(spec.vary, spec.values);
      form.epochs.value = String(spec.epochs);
      syncBaseVisibility();
    }

    /** The form as a spec, or the problems with what was typed. */
    function readSpec() {
      var problems = [], base = {}, key = form.vary.value;
      BASE_ORDER.forEach(function (k) {
        if (k === key) return;
        var r = X.parseValue(k, form.base[k].value);
        if (r.problem) problems.push(r.problem); else base[k] = r.value;
      });
      var values = [];
      readValuesRaw().forEach(function (raw, i) {
        var r = X.parseValue(key, raw);
        if (r.problem) problems.push('Run ' + (i + 1) + ': ' + r.problem); else values.push(r.value);
      });
      var ep = String(form.epochs.value).trim(), epochs = /^\d+$/.test(ep) ? Number(ep) : NaN;
      if (!(epochs >= 1 && epochs <= X.MAX_EPOCHS)) problems.push('Epochs must be a whole number from 1 to ' + X.MAX_EPOCHS + '.');
      return {problems: problems, spec: {base: base, vary: key, values: values, epochs: epochs,
        preset: presetId === 'custom' ? null : presetId}};
    }

    function selectPreset(pid) {
      presetId = pid;
      presetRadios[pid].checked = true;
      if (pid !== 'custom') {
        fillForm(X.presetSpec(pid));
      } else if (lessonConfig) {
        // Start "your own comparison" from the lesson's current network.
        var c = lessonConfig;
        var base = {hidden: c.layers.slice(1, -1), activation: c.activation, cost: c.cost, optimizer: c.optimizer,
          lr: c.lr, momentum: c.momentum, weightDecay: c.weightDecay, batch: c.batch, seed: c.seed};
        BASE_ORDER.forEach(function (k) { if (base[k] !== undefined) setControl(form.base[k], k, base[k]); });
      }
      if (pid === 'custom') details.open = true;
      showProblems([]);
      renderSummary();
      renderExplain();
    }

    function markCustom() {
      if (presetId !== 'custom') {
        presetId = 'custom';
        presetRadios.custom.checked = true;
      }
      renderSummary();
      renderExplain();
    }

    function renderSummary() {
      var r = readSpec();
      clear(summary);
      if (r.problems.length) { summary.textContent = 'Some settings need fixing (see below).'; return; }
      var key = r.spec.vary;
      summary.appendChild(h('strong', {text: 'Compares: '}));
      summary.appendChild(document.createTextNode(r.spec.values.map(function (v) { return X.valueName(key, v); }).join(' vs ') + '. '));
      summary.appendChild(h('strong', {text: 'The same for all: '}));
      summary.appendChild(document.createTextNode(describeBase(mergeBase(r.spec), key) + '; ' + r.spec.epochs +
        (r.spec.epochs === 1 ? ' epoch.' : ' epochs.')));
    }

    function mergeBase(spec) {
      var b = {};
      Object.keys(X.BASE_SIMPLE).forEach(function (k) { b[k] = spec.base[k] !== undefined ? spec.base[k] : X.BASE_SIMPLE[k]; });
      return b;
    }

    function showProblems(list) {
      clear(problemsBox);
      if (!list.length) { problemsBox.hidden = true; return; }
      problemsBox.appendChild(h('p', {class: 'nx-problems-title', text: 'The comparison cannot start yet:'}));
      var ul = h('ul');
      list.forEach(function (p) { ul.appendChild(h('li', {text: p})); });
      problemsBox.appendChild(ul);
      problemsBox.hidden = false;
    }

    function setState(s) {
      state = s;
      el.setAttribute('data-state', s);
      var running = s === 'running';
      runBtn.disabled = running || !core;
      stopBtn.disabled = !running;
      presetBox.disabled = running;
      Array.prototype.forEach.call(details.querySelectorAll('input, select, button'), function (c) { c.disabled = running; });
      if (!running) addRun.disabled = readValuesRaw().length >= X.MAX_RUNS;
      runBtn.textContent = s === 'done' || s === 'stopped' ? 'Run it again' : 'Run the comparison';
      el.setAttribute('aria-busy', running ? 'true' : 'false');
    }

    function say(text) { status.textContent = text; }

    /* ------------------------------------------------------------- running */
    function run() {
      if (destroyed || state === 'running') return;
      if (!core) { say('The network core is still loading…'); return; }
      if (!digits) {
        try { digits = root.NNMath.decodeDigits(root.NNMATH_DIGITS); }
        catch (e) { setState('error'); say('The digits could not be loaded: ' + e.message); return; }
      }
      var r = readSpec();
      var plan = r.problems.length ? null : X.makePlan(r.spec);
      var problems = r.problems.length ? r.problems : plan.problems;
      showProblems(problems);
      if (problems.length) { say('Nothing was run: fix the settings first.'); return; }
      disposeComparison();
      try {
        cmp = X.createComparison(core, digits, plan);
      } catch (e) {
        cmp = null;
        setState('error');
        showProblems([e && e.message ? e.message : String(e)]);
        say('The comparison could not start.');
        return;
      }
      specRunning = r.spec;
      shownPoints = -1;
      runStarted = Date.now();
      setState('running');
      var n = cmp.runs.length;
      say('Running ' + n + ' networks: ' + (plan.xAxis === 'steps' ? 'pass' : 'epoch') + ' 1 of ' + plan.epochs + '…');
      renderNotes();
      renderChart(true);
      renderTable();
      renderExplain();
      var mine = cmp;
      mine.compute({budgetMs: SLICE_MS, onProgress: function () { if (mine === cmp) progress(); }}).then(function () {
        // The final redraw in a task of its own, too.
        root.setTimeout(function () {
          if (mine !== cmp || destroyed) return;
          finish(mine.status().cancelled && !mine.done ? 'stopped' : 'done');
        }, 0);
      }, function (e) {
        if (mine !== cmp || destroyed) return;
        if (renderTimer) { root.clearTimeout(renderTimer); renderTimer = 0; }
        setState('error');
        showProblems([e && e.message ? e.message : String(e)]);
        say('The comparison stopped because of an error.');
        renderAll();
      });
    }

    function progress() {
      bar.value = cmp.progress;
      var p = cmp.pointsDone;
      if (p !== shownPoints) {
        shownPoints = p;
        var unit = cmp.plan.xAxis === 'steps' ? 'pass' : 'epoch';
        if (p < cmp.epochs) say('Running ' + cmp.runs.length + ' networks: ' + unit + ' ' + (p + 1) + ' of ' + cmp.epochs + '…');
      }
      scheduleRender();
    }

    /* Redraw in a task of its own (not in a training slice), at most every RENDER_EVERY_MS. */
    function scheduleRender() {
      if (renderTimer) return;
      var wait = Math.max(0, RENDER_EVERY_MS - (Date.now() - lastRender));
      renderTimer = root.setTimeout(function () {
        renderTimer = 0;
        if (destroyed) return;
        lastRender = Date.now();
        renderAll();
      }, wait);
    }

    function finish(how) {
      if (renderTimer) { root.clearTimeout(renderTimer); renderTimer = 0; }
      bar.value = how === 'done' ? 1 : cmp.progress;
      setState(how);
      var secs = ((Date.now() - runStarted) / 1000).toFixed(1);
      var unit = cmp.plan.xAxis === 'steps' ? 'passes' : 'epochs';
      if (how === 'done') {
        var best = bestRun();
        say('Done: ' + cmp.runs.length + ' networks trained for ' + cmp.epochs + ' ' + unit + ' in ' + secs + ' s.' +
          (best ? ' Lowest test error: ' + best.label + ' (' + pct(X.last(best).testError) + ').' : ''));
      } else {
        say('Stopped after ' + cmp.pointsDone + ' of ' + cmp.epochs + ' ' + unit + '. The results so far are shown.');
      }
      renderAll();
    }

    function bestRun() {
      var best = null;
      cmp.runs.forEach(function (r) {
        var p = X.last(r);
        if (p && (!best || p.testError < X.last(best).testError)) best = r;
      });
      return best;
    }

    function stop() {
      if (cmp && state === 'running') cmp.cancel();
    }

    function disposeComparison() {
      if (cmp) { cmp.cancel(); cmp.dispose(); cmp = null; }
    }

    /* ------------------------------------------------------------- output */
    function renderAll() {
      renderChart(false);
      renderTable();
      renderExplain();
    }

    function renderNotes() {
      clear(notesList);
      if (!cmp) return;
      cmp.plan.notes.forEach(function (n) { notesList.appendChild(h('li', {text: n})); });
    }

    function metricValue(p, k) {
      var v = p[k];
      return METRICS[k].pct ? 100 * v : v;
    }

    function xTitle() {
      if (cmp && cmp.plan.xAxis === 'steps') {
        return 'Training steps, in passes over all ' + thousands(X.TRAIN_MAX) + ' training digits (' + cmp.stepsPerPoint + ' steps each)';
      }
      return 'Epoch (one pass over the training digits)';
    }

    function makeChart() {
      if (!ChartLib) return null;
      var font = {family: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif', size: 13};
      return new ChartLib(canvas, {
        type: 'line',
        data: {datasets: []},
        options: {
          // No animation: the chart follows the training (and prints) as it is; this also
          // respects prefers-reduced-motion.
          animation: false, responsive: true, maintainAspectRatio: false,
          interaction: {mode: 'nearest', axis: 'x', intersect: false},
          scales: {
            x: {type: 'linear', min: 1, title: {display: true, text: 'Epoch', font: font, color: '#1f2733'},
              ticks: {precision: 0, color: '#3b4556', font: font}, grid: {color: '#e4e7ec'}},
            y: {type: 'linear', beginAtZero: true, title: {display: true, text: '', font: font, color: '#1f2733'},
              ticks: {color: '#3b4556', font: font}, grid: {color: '#e4e7ec'}}
          },
          plugins: {
            legend: {labels: {usePointStyle: true, boxHeight: 8, boxWidth: 8, color: '#1f2733', font: font}},
            tooltip: {callbacks: {
              title: function (items) { return items.length ? (cmp && cmp.plan.xAxis === 'steps' ? 'Pass ' : 'Epoch ') + items[0].parsed.x : ''; },
              label: function (item) {
                var m = METRICS[metric];
                return item.dataset.label + ': ' + (m.pct ? item.parsed.y.toFixed(1) + '%' : item.parsed.y.toPrecision(3));
              }}}
          }
        }
      });
    }

    function renderChart(rebuild) {
      var m = METRICS[metric];
      if (ChartLib && !chart) chart = makeChart();
      var runs = cmp ? cmp.runs : [];
      if (chart) {
        if (rebuild || chart.data.datasets.length !== runs.length) {
          chart.data.datasets = runs.map(function (r, i) {
            return {label: r.label, data: [], borderColor: COLORS[i], backgroundColor: COLORS[i], borderWidth: 2.5,
              borderDash: DASHES[i], pointStyle: MARKERS[i], pointRadius: 4, pointHoverRadius: 6, tension: 0};
          });
        }
        runs.forEach(function (r, i) {
          chart.data.datasets[i].data = r.points.map(function (p) { return {x: p.x, y: metricValue(p, metric)}; });
        });
        var o = chart.options.scales;
        o.x.max = cmp ? cmp.epochs : 10;
        o.x.title.text = cmp && cmp.plan.xAxis === 'steps' ? 'Passes over the full training set (same steps for every run)' : 'Epoch';
        o.y.title.text = m.axis;
        if (m.pct) { o.y.min = 0; o.y.max = 100; } else { delete o.y.min; delete o.y.max; }
        chart.update('none');
      }
      // What the chart shows, for screen readers (and as the visible caption).
      clear(caption);
      if (!cmp) {
        canvas.setAttribute('aria-label', 'Chart of the comparison: nothing has run yet. Press “Run the comparison”.');
        caption.textContent = 'The chart appears when the comparison runs: one line per run, each with its own colour, line style and marker.';
        return;
      }
      var parts = runs.map(function (r, i) {
        var p = X.last(r);
        return r.label + ' (' + COLORS_NAMES[i] + ' ' + DASH_NAMES[i] + ' with ' + MARKER_NAMES[i] + ')' +
          (p ? ': ' + m.short + ' ' + (m.pct ? metricValue(p, metric).toFixed(1) + '%' : num(p[metric])) +
            ' after ' + p.x + (cmp.plan.xAxis === 'steps' ? ' passes' : (p.x === 1 ? ' epoch' : ' epochs'))
            : ': no points yet') + (r.status === 'diverged' ? ', then it diverged' : '');
      });
      canvas.setAttribute('aria-label', 'Line chart of ' + m.short + ' per ' + (cmp.plan.xAxis === 'steps' ? 'pass' : 'epoch') +
        (m.lowerBetter ? ' (lower is better)' : ' (higher is better)') + '. ' + parts.join('; ') + '.');
      caption.appendChild(document.createTextNode(m.label + (m.lowerBetter ? ': lower is better. ' : ': higher is better. ')));
      if ((metric === 'trainCost' || metric === 'testCost') && cmp.plan.vary === 'cost') {
        caption.appendChild(h('strong', {text: 'Careful: '}));
        caption.appendChild(document.createTextNode('squared error and cross-entropy are measured on different scales — compare the shapes of the curves, not their heights. '));
      }
      caption.appendChild(document.createTextNode('The same numbers are in the table below.'));
    }
    var COLORS_NAMES = ['blue', 'orange-red', 'black', 'green', 'pink'];

    function renderTable() {
      clear(table);
      var unit = cmp && cmp.plan.xAxis === 'steps' ? 'passes' : 'epochs';
      var done = cmp ? cmp.pointsDone : 0;
      table.appendChild(h('caption', {id: id + '-caption', text: !cmp ? 'Results (nothing has run yet)' :
        'Results after ' + done + ' of ' + cmp.epochs + ' ' + unit + (cmp.done ? '' : ' (so far)')}));
      var head = ['Run', 'Test error', 'Test digits right', 'Training digits right', 'Cost (training)', 'Cost (test)', 'Weights and biases'];
      if (opts.onUseNetwork) head.push('Use');
      table.appendChild(h('thead', null, [h('tr', null, head.map(function (t) { return h('th', {scope: 'col', text: t}); }))]));
      var body = h('tbody');
      var common = cmp ? X.commonPoints(cmp) : 0;
      (cmp ? cmp.runs : []).forEach(function (r, i) {
        var p = X.at(r, common);   // every run at the same point (the last one all have reached)
        var nameCell = h('th', {scope: 'row'}, [h('span', {class: 'nx-swatch nx-swatch-' + i, 'aria-hidden': 'true', text: SYMBOLS[i]}),
          r.label]);
        if (r.status === 'diverged') nameCell.appendChild(h('span', {class: 'nx-flag', text: ' (diverged)'}));
        var cells = [nameCell,
          h('td', {text: p ? pct(p.testError) : '–'}),
          h('td', {text: p ? p.testCorrect + ' of ' + p.testCount : '–'}),
          h('td', {text: p ? pct(p.trainAccuracy) : '–'}),
          h('td', {text: p ? num(p.trainCost) : '–'}),
          h('td', {text: p ? num(p.testCost) : '–'}),
          h('td', {text: r.net ? thousands(r.net.paramCount) : '–'})];
        if (opts.onUseNetwork) {
          var use = h('button', {type: 'button', class: 'nx-btn nx-btn-small', text: 'Use this network',
            'aria-label': 'Use this network (' + r.label + ') as the current model', disabled: state === 'running' || !p});
          use.addEventListener('click', function () { useNetwork(r); });
          cells.push(h('td', null, [use]));
        }
        body.appendChild(h('tr', null, cells));
      });
      table.appendChild(body);
    }

    function useNetwork(r) {
      if (!r.net || !opts.onUseNetwork) return;
      var p = X.last(r);
      try {
        opts.onUseNetwork({label: r.label, config: r.net.config, scale: r.data.scale, json: r.net.toJSON(),
          epochs: r.net.epoch, testAccuracy: p ? p.testAccuracy : null});
        useStatus.textContent = 'The network “' + r.label + '” is now the current model.';
      } catch (e) {
        useStatus.textContent = 'That network could not be used: ' + (e && e.message ? e.message : String(e));
      }
    }

    function renderExplain() {
      clear(explainBox);
      var key, ex;
      if (cmp) {
        ex = X.explain(cmp);
        key = cmp.plan.vary;
      } else {
        key = form.vary.value;
        ex = {why: (X.WHY[key] || []).slice(), happened: ['Run the comparison to see what happens.']};
      }
      var sub = 'h' + Math.min(6, level + 1);
      explainBox.appendChild(h(sub, {id: id + '-explain-title', class: 'nx-explain-title', text: 'What happened'}));
      ex.happened.forEach(function (t) { explainBox.appendChild(h('p', {text: t})); });
      explainBox.appendChild(h(sub, {class: 'nx-explain-title', text: 'Why'}));
      ex.why.forEach(function (t) { explainBox.appendChild(h('p', {text: t})); });
    }

    /* ------------------------------------------------------------- start */
    selectPreset(presetId);
    setState('idle');
    say(core ? 'Ready. Choose a comparison and press “Run the comparison”.' : 'Loading the network core…');
    renderChart(true);
    renderTable();

    return {
      element: el,
      get comparison() { return cmp; },
      get state() { return state; },
      run: run,
      stop: stop,
      selectPreset: function (pid) { if (presetRadios[pid] && state !== 'running') selectPreset(pid); },
      update: function (s) {
        if (destroyed || !s) return;
        if (s.digits) digits = s.digits;
        if (s.config && s.config.layers) lessonConfig = s.config;
        if (s.core && s.core !== core) {
          core = s.core;
          if (state === 'idle') { setState('idle'); say('Ready. Choose a comparison and press “Run the comparison”.'); }
        }
        // why there is no core (it could not start): said instead of "Loading the network core…"
        if (s.coreError && !core) say(s.coreError);
      },
      destroy: function () {
        if (destroyed) return;
        destroyed = true;
        if (renderTimer) { root.clearTimeout(renderTimer); renderTimer = 0; }
        disposeComparison();
        if (chart) { chart.destroy(); chart = null; }
        if (el.parentNode) el.parentNode.removeChild(el);
      }
    };
  }

  var api = {mount: mount, COLORS: COLORS, DASHES: DASHES, MARKERS: MARKERS, METRICS: METRICS};
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNExperimentsUI = api;
})(typeof window !== 'undefined' ? window : this);
