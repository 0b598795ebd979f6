/* nnmath — the "Embed this" button of every part of the main page, and its dialog (browser only;
 * global NNEmbedDialog).  The dialog shows the code a teacher pastes into another page: an
 * <iframe data-nnmath-embed> of embed.html?part=<id> (with this page's settings, if wanted) and the
 * <script> of js/embed/embed.js that sizes it.  A native <dialog> (showModal): focus moves into
 * it, Tab stays inside, Escape closes it, and focus goes back to the button that opened it.
 * Copy uses the clipboard when the browser allows it; otherwise (e.g. from file://) the code is
 * selected and the dialog says to press Ctrl+C. */
(function (root) {
  'use strict';
  var doc = root.document;
  var dialog = null, els = {}, opener = null;

  function h(tag, attrs, kids) {
    var e = doc.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) e.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    });
    (kids || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c); });
    return e;
  }

  function parts() { return root.NNPagePartList ? root.NNPagePartList.PARTS : []; }
  function partOf(id) { return root.NNPagePartList ? root.NNPagePartList.get(id) : null; }

  /* Where this copy of the lesson lives: the folder of this page. */
  function baseUrl() {
    var u = root.location.href.split('#')[0].split('?')[0];
    return u.slice(0, u.lastIndexOf('/') + 1);
  }

  /* This page's settings, short: the preset, then only what differs from it. */
  function settings() {
    var S = root.NNPageState, app = root.NNPageApp;
    if (!S || !app) return '';
    var st = app.debug().state;
    var basis = st.preset === 'custom' ? S.defaults() : S.applyPreset(S.defaults(), st.preset);
    var out = st.preset === 'custom' ? [] : ['preset=' + st.preset];
    S.FIELDS.forEach(function (f) {
      if (f.key === 'preset') return;
      var a = st[f.key], b = basis[f.key];
      var same = Array.isArray(a) ? Array.isArray(b) && a.join(',') === b.join(',') : a === b;
      if (!same) out.push(f.key + '=' + encodeURIComponent(Array.isArray(a) ? (a.length ? a.join(',') : 'none') : String(a)));
    });
    return out.join('&');
  }

  function escapeAttr(s) {
    return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  function embedUrl(id, withSettings) {
    var q = withSettings ? settings() : '';
    return baseUrl() + 'embed.html?part=' + id + (q ? '&' + q : '');
  }

  function snippet(id, withSettings) {
    var p = partOf(id) || {title: id, height: 900};
    return '<iframe src="' + escapeAttr(embedUrl(id, withSettings)) + '" data-nnmath-embed title="' +
      escapeAttr('nnmath: ' + p.title) + '" width="100%" height="' + (p.height || 900) + '" loading="lazy"></iframe>\n' +
      '<script src="' + escapeAttr(baseUrl() + 'js/embed/embed.js') + '"></script>';
  }

  function refresh() {
    var id = els.part.value;
    els.code.value = snippet(id, els.withState.checked);
    els.preview.setAttribute('href', embedUrl(id, els.withState.checked));
    els.status.textContent = '';
  }

  function build() {
    dialog = h('dialog', {class: 'embed-dialog', 'aria-labelledby': 'embed-dialog-title',
      'aria-describedby': 'embed-dialog-intro', 'data-testid': 'embed-dialog'});
    els.part = h('select', {id: 'embed-part', 'data-testid': 'embed-part'});
    parts().forEach(function (p) {
      if (!doc.getElementById(p.id)) return;
      els.part.appendChild(h('option', {value: p.id}, [p.title + ' (' + p.id + ')']));
    });
    els.withState = h('input', {type: 'checkbox', id: 'embed-with-state', checked: true});
    els.code = h('textarea', {id: 'embed-code', class: 'embed-code', readonly: true, rows: '6', spellcheck: 'false',
      'data-testid': 'embed-code', 'aria-describedby': 'embed-code-help'});
    els.copy = h('button', {type: 'button', class: 'btn btn-primary', 'data-testid': 'embed-copy'}, ['Copy the code']);
    els.preview = h('a', {class: 'btn embed-preview', href: 'embed.html', target: '_blank', rel: 'noopener'}, ['Preview']);
    els.close = h('button', {type: 'button', class: 'btn', 'data-testid': 'embed-close'}, ['Close']);
    els.status = h('p', {class: 'embed-status', role: 'status'});
    var fileNote = root.location.protocol === 'file:'
      ? h('p', {class: 'embed-file-note'}, ['This copy of the lesson is opened from a file, so the addresses in the code ' +
        'start with file://. Put the lesson’s folder on a web server and open “Embed this” there to get addresses ' +
        'that work on other computers.']) : null;
    dialog.appendChild(h('div', {class: 'embed-dialog-body'}, [
      h('h2', {id: 'embed-dialog-title'}, ['Embed a part of the lesson']),
      h('p', {id: 'embed-dialog-intro'}, ['Paste this code into a web page, for example an infographic. The part appears ' +
        'there alone, without the rest of the lesson, and works the same way.']),
      h('div', {class: 'field'}, [h('label', {for: 'embed-part'}, ['Part']), els.part]),
      h('div', {class: 'check'}, [els.withState, h('label', {for: 'embed-with-state'},
        ['With this page’s settings (the network, the chosen digit, …)'])]),
      h('div', {class: 'field'}, [h('label', {for: 'embed-code'}, ['Code to paste']), els.code,
        h('span', {class: 'hint', id: 'embed-code-help'}, ['The first line is the part; the second makes its frame ' +
          'exactly as tall as the part (it needs to be on the page once, however many parts you embed).'])]),
      fileNote,
      h('div', {class: 'embed-actions'}, [els.copy, els.preview, els.close]),
      els.status]));
    doc.body.appendChild(dialog);
    els.part.addEventListener('change', refresh);
    els.withState.addEventListener('change', refresh);
    els.copy.addEventListener('click', copy);
    els.close.addEventListener('click', close);
    els.code.addEventListener('focus', function () { els.code.select(); });
    dialog.addEventListener('close', function () {
      if (opener && doc.contains(opener)) { try { opener.focus(); } catch (e) { /* gone */ } }
      opener = null;
    });
    dialog.addEventListener('keydown', function (e) {
      // without native <dialog>: Escape still closes it
      if (e.key === 'Escape' && !dialog.showModal) { e.preventDefault(); close(); return; }
      if (e.key !== 'Tab') return;
      // Tab and Shift+Tab go round the dialog's controls (not out to the browser's address bar)
      var list = Array.prototype.filter.call(dialog.querySelectorAll('select, input, textarea, button, a[href]'),
        function (x) { return !x.disabled && x.offsetParent !== null; });
      if (!list.length) return;
      var first = list[0], last = list[list.length - 1];
      if (e.shiftKey && doc.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && doc.activeElement === last) { e.preventDefault(); first.focus(); }
    });
    dialog.addEventListener('click', function (e) { if (e.target === dialog) close(); });   // the backdrop
  }

  function open(id, from) {
    if (!dialog) build();
    opener = from || doc.activeElement;
    if (id && partOf(id)) els.part.value = id;
    refresh();
    if (typeof dialog.showModal === 'function') { if (!dialog.open) dialog.showModal(); }
    else dialog.setAttribute('open', '');
    els.part.focus();
  }

  function close() {
    if (!dialog) return;
    if (typeof dialog.close === 'function' && dialog.open) dialog.close();
    else {
      dialog.removeAttribute('open');
      if (opener) opener.focus();
      opener = null;
    }
  }

  function selectCode() { els.code.focus(); els.code.select(); els.code.setSelectionRange(0, els.code.value.length); }

  function execCopy() {
    selectCode();
    try { return doc.execCommand('copy'); } catch (e) { return false; }
  }

  function copied(ok) {
    els.status.textContent = ok ? 'Copied. Paste it into your page.'
      : 'The code is selected: press Ctrl+C (⌘C on a Mac) to copy it.';
    if (!ok) selectCode();
  }

  function copy() {
    var text = els.code.value, nav = root.navigator;
    if (nav && nav.clipboard && typeof nav.clipboard.writeText === 'function' && root.isSecureContext) {
      nav.clipboard.writeText(text).then(function () { copied(true); }, function () { copied(execCopy()); });
    } else copied(execCopy());
  }

  /* One button in the head of each part of the page. */
  function addButtons(ids) {
    (ids || []).forEach(function (id) {
      var p = partOf(id), section = doc.getElementById(id);
      var head = section && section.querySelector('.part-head');
      if (!p || !head || head.querySelector('.embed-btn')) return;
      var b = h('button', {type: 'button', class: 'btn btn-small embed-btn', 'aria-haspopup': 'dialog',
        'data-testid': 'embed-' + id, 'aria-label': 'Embed this: ' + p.title}, ['Embed this']);
      b.addEventListener('click', function () { open(id, b); });
      head.appendChild(b);
    });
  }

  function init() {
    var app = root.NNPageApp;
    if (app && app.parts && app.parts().length) addButtons(app.parts());
    doc.addEventListener('nnpage:mounted', function (e) { addButtons(e.detail && e.detail.parts); });
  }

  root.NNEmbedDialog = {open: open, close: close, snippet: snippet, embedUrl: embedUrl};
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', init);
  else init();
})(this);
