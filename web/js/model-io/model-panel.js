/* nnmath — the "save and load the model" panel (browser only; global NNModelPanel).
 * Needs NNModelIO (modelio.js).
 *
 *   var panel = NNModelPanel.mount(container, {
 *     getNetwork: function () { return net or null },          // the model to save
 *     getInfo: function () { return {epochs, testAccuracy, scale} },   // optional (else from the net)
 *     core, getDataset: function (scale) { return dataset },   // to build a loaded model's network…
 *     createNetwork: function (model) { return net },          // …or build it yourself (optional)
 *     onLoad: function (net, model) {},   // the host adopts the new network (and frees the old one);
 *                                         // throw to refuse it (the panel then frees `net`)
 *     headingLevel: 2, heading: true
 *   });
 *   panel.update({busy})   // refresh the summary of the current model; busy: true disables the
 *                          // buttons (e.g. while the host trains)
 *   panel.destroy()
 *
 * Saving: the model (NNModelIO.stringify) as a Blob, downloaded through <a download> (works from
 * file:// and http).  Loading: a file chosen with the button (a real <input type=file>, or dropped on
 * the panel) is size-checked before it is read, parsed and validated by NNModelIO.parse, then a new
 * network is created and given the weights; only when all of that worked is onLoad called.  Anything
 * wrong: a message in an alert, and the current model is untouched.
 * data-testid: model-save, model-load (the file input), model-load-button, model-message, model-summary.
 */
(function (root) {
  'use strict';

  var IO = root.NNModelIO;
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
  function kb(n) { return n < 1024 ? n + ' bytes' : (n < 1048576 ? Math.round(n / 1024) + ' KB' : (n / 1048576).toFixed(1) + ' MB'); }
  function safeName(s) {
    var t = String(s || 'the file').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
    return t.length > 60 ? t.slice(0, 59) + '…' : t;
  }

  function readFileText(file) {
    if (typeof file.arrayBuffer === 'function') return file.arrayBuffer();
    return new Promise(function (resolve, reject) {
      var fr = new FileReader();
      fr.onload = function () { resolve(fr.result); };
      fr.onerror = function () { reject(fr.error || new Error('The file could not be read.')); };
      fr.readAsArrayBuffer(file);
    });
  }

  function mount(container, options) {
    if (!IO) throw new Error('NNModelPanel needs NNModelIO (js/model-io/modelio.js) loaded first');
    var opts = options || {};
    var id = 'nm' + (++uid);
    var level = Math.max(1, Math.min(5, opts.headingLevel || 2));
    var busy = false, loading = false, destroyed = false, urls = [];

    var el = h('div', {class: 'nm', id: id});
    if (opts.heading !== false) el.appendChild(h('h' + level, {class: 'nm-title', text: 'Save and load the model'}));
    el.appendChild(h('p', {class: 'nm-intro', text: 'A trained network is just its numbers: every weight and bias. ' +
      'Save them to a file and load them again later — or on another computer. A teacher can train a model before class ' +
      'and load it here, so that everyone starts from a trained network.'}));

    var summary = h('p', {class: 'nm-summary', 'data-testid': 'model-summary'});
    el.appendChild(summary);

    var saveBtn = h('button', {type: 'button', class: 'nm-btn nm-btn-primary', 'data-testid': 'model-save', text: 'Save the model (download)'});
    var loadBtn = h('button', {type: 'button', class: 'nm-btn', 'data-testid': 'model-load-button', text: 'Load a model…',
      'aria-describedby': id + '-drop'});
    var fileInput = h('input', {type: 'file', accept: '.json,application/json', class: 'nm-file', 'data-testid': 'model-load',
      tabindex: '-1', 'aria-hidden': 'true', id: id + '-file'});
    saveBtn.addEventListener('click', save);
    loadBtn.addEventListener('click', function () { fileInput.value = ''; fileInput.click(); });
    fileInput.addEventListener('change', function () {
      var f = fileInput.files && fileInput.files[0];
      if (f) load(f);
    });
    var drop = h('div', {class: 'nm-drop'}, [
      h('div', {class: 'nm-buttons'}, [saveBtn, loadBtn, fileInput]),
      h('p', {class: 'nm-hint', id: id + '-drop', text: 'You can also drop a model file (.json) here.'})]);
    el.appendChild(drop);
    drop.addEventListener('dragover', function (e) {
      if (busy || loading) return;
      e.preventDefault();
      drop.classList.add('is-over');
    });
    drop.addEventListener('dragleave', function () { drop.classList.remove('is-over'); });
    drop.addEventListener('drop', function (e) {
      e.preventDefault();
      drop.classList.remove('is-over');
      var f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (f && !busy && !loading) load(f);
    });

    var message = h('div', {class: 'nm-message', 'data-testid': 'model-message', role: 'status', 'aria-live': 'polite'});
    var alertBox = h('div', {class: 'nm-error', role: 'alert', 'data-testid': 'model-error', hidden: true});
    el.appendChild(message);
    el.appendChild(alertBox);

    el.appendChild(h('details', {class: 'nm-details'}, [h('summary', {text: 'What is in the file?'}),
      h('p', {text: 'A JSON text file: the settings of the network (layer sizes, activation, cost, learning rate …), ' +
        'how the pixels are scaled, how long it was trained and, under "layers", every weight matrix (one row per neuron) ' +
        'and bias vector. You can open it in any text editor.'}),
      h('p', {text: 'The "layers" part is the parameter format of the lesson’s command-line program, so it can continue ' +
        'from a saved model: nnmath train --init model.json with the same settings.'}),
      h('p', {text: 'Loading checks everything first — that the file is a model, that every number is a real number and that ' +
        'the weights fit the layer sizes. A file that fails is refused with a message, and the current model is kept.'})]));

    container.appendChild(el);

    function currentNet() {
      try { return opts.getNetwork ? opts.getNetwork() : null; } catch (e) { return null; }
    }

    function info(net) {
      var i = {};
      try { i = (opts.getInfo && opts.getInfo()) || {}; } catch (e) { i = {}; }
      var out = {epochs: typeof i.epochs === 'number' ? i.epochs : net.epoch, testAccuracy: i.testAccuracy, scale: i.scale};
      if (typeof out.testAccuracy !== 'number') {
        try { out.testAccuracy = net.evaluate('test').accuracy; } catch (e) { out.testAccuracy = undefined; }
      }
      return out;
    }

    function renderSummary() {
      clear(summary);
      var net = currentNet();
      if (!net) {
        summary.textContent = 'There is no model yet.';
      } else {
        var i = info(net);
        summary.appendChild(h('strong', {text: 'Current model: '}));
        summary.appendChild(document.createTextNode(IO.describeConfig(net.config) + '; trained for ' + i.epochs +
          (i.epochs === 1 ? ' epoch' : ' epochs') + (typeof i.testAccuracy === 'number' ? '; ' + pct(i.testAccuracy) + ' of the test digits right.' : '.')));
      }
      saveBtn.disabled = busy || loading || !net;
      loadBtn.disabled = busy || loading || !opts.onLoad;
    }

    function showError(text) {
      clear(alertBox);
      alertBox.appendChild(h('p', {class: 'nm-error-title', text: 'The model was not loaded — your current model is kept.'}));
      alertBox.appendChild(h('p', {text: text}));
      alertBox.hidden = false;
      message.textContent = '';
    }
    function showMessage(text) {
      alertBox.hidden = true;
      clear(alertBox);
      message.textContent = text;
    }

    function save() {
      var net = currentNet();
      if (!net) { showMessage('There is no model to save yet.'); return; }
      var text, model;
      try {
        model = IO.serialize(net, info(net));
        text = IO.stringify(model);
      } catch (e) {
        showError('The model could not be saved: ' + (e && e.message ? e.message : String(e)));
        return;
      }
      var name = IO.fileName(model);
      var blob = new Blob([text], {type: 'application/json'});
      var url = URL.createObjectURL(blob);
      urls.push(url);
      var a = h('a', {href: url, download: name, class: 'nm-file'});
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      root.setTimeout(function () {
        URL.revokeObjectURL(url);
        urls = urls.filter(function (u) { return u !== url; });
      }, 30000);
      showMessage('Saved “' + name + '” (' + kb(blob.size) + ') to your downloads.');
    }

    function buildNetwork(model) {
      if (opts.createNetwork) return opts.createNetwork(model);
      if (!opts.core || !opts.getDataset) throw new Error('This page cannot build a network yet.');
      return opts.core.network(model.config, opts.getDataset(model.data.scale));
    }

    function load(file) {
      if (loading || busy || destroyed) return;
      var name = safeName(file.name);
      if (typeof file.size === 'number' && file.size > IO.MAX_BYTES) {
        showError('“' + name + '” is ' + kb(file.size) + ': too large to be a model file (at most ' + kb(IO.MAX_BYTES) + ').');
        return;
      }
      loading = true;
      renderSummary();
      message.textContent = 'Reading “' + name + '”…';
      readFileText(file).then(function (buf) {
        if (destroyed) return;
        var model = IO.parse(buf);
        var net = buildNetwork(model), adopted = false;
        try {
          net.fromJSON({layers: model.layers});
          // A last sanity check: the loaded network gives finite answers.
          var out = net.predict(new Uint8Array(64));
          for (var i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) throw new Error('The loaded network gives answers that are not numbers.');
          opts.onLoad(net, model);
          adopted = true;
        } finally {
          if (!adopted) net.dispose();
        }
        var t = model.trained;
        showMessage('Loaded “' + name + '”: ' + IO.describeConfig(model.config) +
          (typeof t.epochs === 'number' ? ', trained for ' + t.epochs + (t.epochs === 1 ? ' epoch' : ' epochs') : '') +
          (typeof t.testAccuracy === 'number' ? ' (' + pct(t.testAccuracy) + ' of the test digits right when it was saved)' : '') + '.');
      }).catch(function (e) {
        if (destroyed) return;
        var msg = e && e.name === 'ModelIOError' ? e.message
          : (e && e.message ? e.message : String(e));
        showError('“' + name + '”: ' + msg);
      }).then(function () {
        loading = false;
        if (!destroyed) renderSummary();
      });
    }

    renderSummary();

    return {
      element: el,
      update: function (s) {
        if (destroyed) return;
        if (s && typeof s.busy === 'boolean') busy = s.busy;
        renderSummary();
      },
      load: load,
      save: save,
      destroy: function () {
        if (destroyed) return;
        destroyed = true;
        urls.forEach(function (u) { URL.revokeObjectURL(u); });
        urls = [];
        if (el.parentNode) el.parentNode.removeChild(el);
      }
    };
  }

  var api = {mount: mount};
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNModelPanel = api;
})(typeof window !== 'undefined' ? window : this);
