/* nnmath — "Reflect": the lesson's closing questions (answers kept in this browser only), the
 * "where this fits in the curriculum" map, and a printable teacher's page.
 * Classic script: browser global NNReflect; in Node `require(...)` gives the content and the
 * storage helpers (mount needs a DOM).
 *
 *   var r = NNReflect.mount(container, {
 *     headingLevel: 2, heading: true,
 *     href: function (partId) { return '#' + partId },   // where a lesson part lives
 *     storage: window.localStorage,                      // optional (tests); null = do not save
 *     storageKey: 'nnmath.reflect.v1'
 *   });
 *   r.update(state)   // nothing to follow yet (kept for the common interface)
 *   r.print()         // print the teacher's page only (hides the rest of the page while printing)
 *   r.destroy()
 *
 * Privacy: answers are written to localStorage under one namespaced key, as JSON
 * {"version": 1, "answers": {"learned": "...", ...}, "saved": "<ISO time>"} — never sent anywhere.
 * localStorage may be missing or throw (some sandboxed frames, strict privacy settings): the
 * component then says "your answers are not saved in this browser" and works without saving.
 *
 * Printing: css/print.css.  r.print() marks everything outside this component with the class
 * nr-print-hidden for the duration of the print (so only the teacher's page prints, whatever page
 * it is embedded in); a plain Ctrl+P prints with print.css's general rules.
 */
(function (root) {
  'use strict';

  var STORAGE_KEY = 'nnmath.reflect.v1';
  var MAX_ANSWER = 20000;

  var QUESTIONS = [
    {id: 'learned', text: 'What did you learn about the mathematics of neural networks?',
      hint: 'For example: what a weight, a matrix, an activation or the cost does.'},
    {id: 'interesting', text: 'What was most interesting?', hint: ''},
    {id: 'surprised', text: 'What surprised you?', hint: ''},
    {id: 'more', text: 'What else do you want to know?', hint: 'A question you would like to explore next.'}
  ];

  var PARTS = {
    data: 'The data', network: 'The network', forward: 'Forward propagation', cost: 'The cost', training: 'Training',
    evaluation: 'Evaluation', tangent: 'The slope of a tangent', ball: 'A ball on a cost surface',
    landscape: 'The cost landscape', backprop: 'Back-propagation', experiments: 'Experiments side by side',
    draw: 'Draw your own digit'
  };

  // School mathematics → where it appears in the lesson.
  var CURRICULUM = [
    {id: 'matrices', topic: 'Matrices and matrix multiplication', formula: 'z = W·a + b',
      text: 'A layer’s weights form a matrix W with one row per neuron. Multiplying W by the column of 64 pixel values gives every neuron’s weighted sum at once; back-propagation uses the transpose Wᵀ to send the error back.',
      parts: ['network', 'forward', 'backprop']},
    {id: 'linear', topic: 'Linear functions', formula: 'y = w·x + b',
      text: 'One neuron with one input is a straight line: the weight w is the slope, the bias b moves the line up or down. With 64 inputs it is w₁x₁ + … + w₆₄x₆₄ + b — still linear.',
      parts: ['forward', 'network']},
    {id: 'composition', topic: 'Functions and composition', formula: 'a = f(w·x + b)',
      text: 'A neuron applies the activation f (sigmoid, ReLU) to the linear function. A network composes these functions layer after layer: f(W₂·f(W₁·x + b₁) + b₂).',
      parts: ['forward', 'network', 'backprop']},
    {id: 'derivative', topic: 'The slope of a tangent and the derivative', formula: 'C′(w) = lim (C(w + h) − C(w)) / h as h → 0',
      text: 'The derivative of the cost says how fast it changes when one weight changes — the slope of the tangent. The chain rule, the derivative of a composed function, is exactly back-propagation.',
      parts: ['tangent', 'training', 'backprop']},
    {id: 'several', topic: 'Functions of several variables and their minima', formula: '∇C = (∂C/∂w₁, ∂C/∂w₂, …)',
      text: 'The cost depends on every weight at once. The gradient collects the partial derivatives and points uphill; gradient descent steps the other way, looking for a minimum — sometimes only a local one.',
      parts: ['ball', 'landscape', 'training']},
    {id: 'probability', topic: 'Probability and logarithms', formula: 'C = −log p(correct digit)',
      text: 'Softmax turns ten numbers into ten probabilities that add up to 1. Cross-entropy is −log of the probability given to the right digit: 0 when it is certain and right, very large when it is sure and wrong.',
      parts: ['cost', 'experiments', 'evaluation']},
    {id: 'vectors', topic: 'Vectors, coordinates and scaling', formula: 'x = (x₁, …, x₆₄), 0 ≤ xᵢ ≤ 16',
      text: 'A digit is an 8 × 8 grid of counts — a vector of 64 numbers. Dividing by 16 scales it to 0…1. Your drawing is cropped, stretched and straightened with coordinate transformations.',
      parts: ['data', 'draw']},
    {id: 'statistics', topic: 'Percentages, statistics and fair tests', formula: 'accuracy = correct ÷ total',
      text: 'Accuracy is a percentage of the test digits; the confusion matrix is a two-way table. A fair experiment changes one thing at a time and tests on data the network has never seen.',
      parts: ['evaluation', 'experiments']}
  ];

  /* ---------------------------------------------------------------- storage (pure) */
  /** A storage that works, or null: getItem/setItem/removeItem must not throw. */
  function usableStorage(s) {
    try {
      if (!s) return null;
      var k = STORAGE_KEY + '.test';
      s.setItem(k, '1');
      var ok = s.getItem(k) === '1';
      s.removeItem(k);
      return ok ? s : null;
    } catch (e) {
      return null;
    }
  }

  /** The saved answers {id: text} (only known ids, strings, at most MAX_ANSWER characters). */
  function loadAnswers(storage, key) {
    var out = {};
    if (!storage) return out;
    var raw;
    try { raw = storage.getItem(key || STORAGE_KEY); } catch (e) { return out; }
    if (typeof raw !== 'string' || raw.length > 8 * MAX_ANSWER) return out;
    var obj;
    try { obj = JSON.parse(raw); } catch (e) { return out; }
    var ans = obj && typeof obj === 'object' && Object.prototype.hasOwnProperty.call(obj, 'answers') ? obj.answers : null;
    if (!ans || typeof ans !== 'object') return out;
    QUESTIONS.forEach(function (q) {
      if (Object.prototype.hasOwnProperty.call(ans, q.id) && typeof ans[q.id] === 'string') out[q.id] = ans[q.id].slice(0, MAX_ANSWER);
    });
    return out;
  }

  /** Save; returns true if it worked.  Empty answers remove the entry. */
  function saveAnswers(storage, answers, key) {
    if (!storage) return false;
    var clean = {}, any = false;
    QUESTIONS.forEach(function (q) {
      var v = answers[q.id];
      if (typeof v === 'string' && v !== '') { clean[q.id] = v.slice(0, MAX_ANSWER); any = true; }
    });
    try {
      if (!any) storage.removeItem(key || STORAGE_KEY);
      else storage.setItem(key || STORAGE_KEY, JSON.stringify({version: 1, answers: clean, saved: new Date().toISOString()}));
      return true;
    } catch (e) {
      return false;
    }
  }

  function answersAsText(answers) {
    var lines = ['nnmath — the mathematics of neural networks: my answers', ''];
    QUESTIONS.forEach(function (q) {
      lines.push(q.text);
      lines.push((answers[q.id] || '').trim() || '(no answer)');
      lines.push('');
    });
    return lines.join('\n');
  }

  /* ---------------------------------------------------------------- the view */
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

  function defaultStorage() {
    try { return root.localStorage; } catch (e) { return null; }
  }

  function mount(container, options) {
    var opts = options || {};
    var id = 'nr' + (++uid);
    var level = Math.max(1, Math.min(5, opts.headingLevel || 2));
    var sub = 'h' + Math.min(6, level + 1);
    var key = opts.storageKey || STORAGE_KEY;
    var storage = usableStorage(opts.storage !== undefined ? opts.storage : defaultStorage());
    var href = typeof opts.href === 'function' ? opts.href : function (p) { return '#' + p; };
    var answers = loadAnswers(storage, key);
    var timer = 0, destroyed = false, dirty = false, hiddenEls = [], afterPrint = null;
    var areas = {}, mirrors = {};

    var el = h('div', {class: 'nr', id: id, 'data-testid': 'reflect'});
    el.appendChild(h('div', {class: 'nr-print-only nr-print-head'}, [
      h('p', {class: 'nr-print-kicker', text: 'nnmath · the mathematics of neural networks'}),
      h('p', {class: 'nr-print-title', text: 'Teacher’s page: closing questions and curriculum links'})]));
    if (opts.heading !== false) el.appendChild(h('h' + level, {class: 'nr-title', text: 'Reflect'}));
    el.appendChild(h('p', {class: 'nr-intro', text: 'Look back at the lesson. Write a few sentences for each question — ' +
      'for yourself, or to share in class.'}));

    // The questions.
    var qBox = h('section', {class: 'nr-questions', 'aria-labelledby': id + '-q'});
    qBox.appendChild(h(sub, {id: id + '-q', class: 'nr-subtitle', text: 'Closing questions'}));
    var privacy = h('p', {class: 'nr-privacy', id: id + '-privacy'});
    qBox.appendChild(privacy);
    var ol = h('ol', {class: 'nr-qlist'});
    QUESTIONS.forEach(function (q, i) {
      var tid = id + '-' + q.id;
      var ta = h('textarea', {id: tid, class: 'nr-answer', rows: '4', maxlength: String(MAX_ANSWER), spellcheck: 'true',
        'data-testid': 'reflect-' + q.id, 'aria-describedby': q.hint ? tid + '-hint ' + id + '-privacy' : id + '-privacy'});
      ta.value = answers[q.id] || '';
      ta.addEventListener('input', function () { answers[q.id] = ta.value; dirty = true; mirror(q.id); schedule(); });
      ta.addEventListener('blur', flush);
      areas[q.id] = ta;
      mirrors[q.id] = h('div', {class: 'nr-print-answer', 'aria-hidden': 'true'});
      ol.appendChild(h('li', {class: 'nr-q'}, [
        h('label', {for: tid, class: 'nr-qtext', text: q.text}),
        q.hint ? h('span', {class: 'nr-hint', id: tid + '-hint', text: q.hint}) : null,
        ta, mirrors[q.id]]));
      void i;
    });
    qBox.appendChild(ol);

    var saved = h('p', {class: 'nr-saved', 'data-testid': 'reflect-saved'});
    var live = h('p', {class: 'nr-live', role: 'status', 'aria-live': 'polite', 'data-testid': 'reflect-status'});
    var clearBtn = h('button', {type: 'button', class: 'nr-btn', 'data-testid': 'reflect-clear', text: 'Clear my answers'});
    var confirmBox = h('div', {class: 'nr-confirm', hidden: true, role: 'group', 'aria-label': 'Confirm clearing the answers'});
    var yesBtn = h('button', {type: 'button', class: 'nr-btn nr-btn-danger', 'data-testid': 'reflect-clear-yes', text: 'Yes, clear all four answers'});
    var noBtn = h('button', {type: 'button', class: 'nr-btn', text: 'Keep them'});
    confirmBox.appendChild(h('p', {class: 'nr-confirm-text', text: 'Clear all your answers on this device? This cannot be undone.'}));
    confirmBox.appendChild(h('div', {class: 'nr-buttons'}, [yesBtn, noBtn]));
    var downloadBtn = h('button', {type: 'button', class: 'nr-btn', 'data-testid': 'reflect-download', text: 'Save my answers as a text file'});
    var printBtn = h('button', {type: 'button', class: 'nr-btn', 'data-testid': 'reflect-print', text: 'Print the teacher’s page'});
    qBox.appendChild(h('div', {class: 'nr-buttons nr-controls'}, [downloadBtn, clearBtn, printBtn]));
    qBox.appendChild(confirmBox);
    qBox.appendChild(saved);
    qBox.appendChild(live);
    el.appendChild(qBox);

    clearBtn.addEventListener('click', function () { confirmBox.hidden = false; noBtn.focus(); });
    noBtn.addEventListener('click', function () { confirmBox.hidden = true; clearBtn.focus(); });
    yesBtn.addEventListener('click', function () {
      QUESTIONS.forEach(function (q) { answers[q.id] = ''; areas[q.id].value = ''; mirror(q.id); });
      if (timer) { root.clearTimeout(timer); timer = 0; }
      dirty = false;
      var ok = saveAnswers(storage, answers, key);
      confirmBox.hidden = true;
      live.textContent = ok ? 'Your answers have been cleared from this device.' : 'Your answers have been cleared.';
      saved.textContent = '';
      areas[QUESTIONS[0].id].focus();
    });
    downloadBtn.addEventListener('click', download);
    printBtn.addEventListener('click', print);

    // The curriculum map.
    var cBox = h('section', {class: 'nr-curriculum', 'aria-labelledby': id + '-c', 'data-testid': 'reflect-curriculum'});
    cBox.appendChild(h(sub, {id: id + '-c', class: 'nr-subtitle', text: 'Where this fits in the curriculum'}));
    cBox.appendChild(h('p', {class: 'nr-intro', text: 'Every part of the lesson uses mathematics from school. ' +
      'Follow a link to go back to that part.'}));
    var list = h('ul', {class: 'nr-topics'});
    var sub2 = 'h' + Math.min(6, level + 2);
    CURRICULUM.forEach(function (c) {
      var links = h('ul', {class: 'nr-parts', 'aria-label': 'Parts of the lesson about ' + c.topic.toLowerCase()});
      c.parts.forEach(function (p) {
        links.appendChild(h('li', null, [h('a', {href: href(p), 'data-part': p, text: PARTS[p]})]));
      });
      list.appendChild(h('li', {class: 'nr-topic', 'data-topic': c.id}, [
        h(sub2, {class: 'nr-topic-title', text: c.topic}),
        h('p', {class: 'nr-formula', text: c.formula}),
        h('p', {class: 'nr-topic-text', text: c.text}),
        h('p', {class: 'nr-parts-label', text: 'In the lesson:'}), links]));
    });
    cBox.appendChild(list);
    el.appendChild(cBox);

    // Notes for the teacher: on paper only (the print CSS shows them).
    el.appendChild(h('section', {class: 'nr-print-only nr-teacher', 'aria-hidden': 'true'}, [
      h('p', {class: 'nr-teacher-title', text: 'Notes for the teacher'}),
      h('ul', null, [
        h('li', {text: 'Everything runs in the browser, also without an internet connection; nothing students type or draw is sent anywhere.'}),
        h('li', {text: 'Before class you can train a model and save it (“Save and load the model”); load it on the classroom computer so that everyone starts from a trained network.'}),
        h('li', {text: 'The central comparison: squared error vs cross-entropy (“Experiments side by side”). Ask why cross-entropy learns faster although its cost numbers are larger.'}),
        h('li', {text: 'The four closing questions work well as a written exit ticket or a think–pair–share; answers typed on the page stay on that device.'})])]));

    container.appendChild(el);

    /* ------------------------------------------------------------- behaviour */
    function mirror(qid) {
      var m = mirrors[qid], t = (answers[qid] || '').trim();
      m.textContent = t;
      m.classList.toggle('is-empty', !t);
    }
    QUESTIONS.forEach(function (q) { mirror(q.id); });

    function time() {
      var d = new Date();
      return (d.getHours() < 10 ? '0' : '') + d.getHours() + ':' + (d.getMinutes() < 10 ? '0' : '') + d.getMinutes();
    }

    function schedule() {
      if (!storage) return;
      if (timer) root.clearTimeout(timer);
      timer = root.setTimeout(flush, 400);
    }

    /* Save now if anything was typed since the last save (so that an untouched page never
     * overwrites what another tab saved). */
    function flush() {
      if (timer) { root.clearTimeout(timer); timer = 0; }
      if (!storage || destroyed || !dirty) return;
      dirty = false;
      if (saveAnswers(storage, answers, key)) {
        saved.textContent = 'Saved on this device at ' + time() + '.';
      } else {
        storage = null;
        privacyText();
        live.textContent = 'Your answers could not be saved in this browser (its storage is full or blocked). Copy them or save them as a text file before you leave.';
      }
    }

    function privacyText() {
      privacy.textContent = storage
        ? 'Your answers are kept only in this browser, on this device: nothing is sent anywhere. They are still here when you come back.'
        : 'Your answers are not saved in this browser (it does not allow this page to store them), and nothing is sent anywhere. ' +
          'Use “Save my answers as a text file” before you leave.';
      privacy.classList.toggle('is-warning', !storage);
    }
    privacyText();
    if (!storage) live.textContent = 'Your answers are not saved in this browser.';
    else if (Object.keys(answers).length) saved.textContent = 'Your earlier answers were loaded from this device.';

    function download() {
      var blob = new Blob([answersAsText(answers)], {type: 'text/plain;charset=utf-8'});
      var url = URL.createObjectURL(blob);
      var a = h('a', {href: url, download: 'nnmath-my-answers.txt', class: 'nr-hidden-link'});
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      root.setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
      live.textContent = 'Your answers were saved as “nnmath-my-answers.txt” in your downloads.';
    }

    /** Print only this component: hide every other branch of the page while printing. */
    function print() {
      flush();
      unmarkPrint();
      var node = el;
      while (node && node.parentElement && node !== document.body) {
        Array.prototype.forEach.call(node.parentElement.children, function (sib) {
          if (sib !== node && !sib.classList.contains('nr-print-hidden')) {
            sib.classList.add('nr-print-hidden');
            hiddenEls.push(sib);
          }
        });
        node = node.parentElement;
      }
      document.documentElement.classList.add('nr-printing');
      afterPrint = function () { unmarkPrint(); };
      root.addEventListener('afterprint', afterPrint);
      if (typeof root.print === 'function') root.print();
    }

    function unmarkPrint() {
      hiddenEls.forEach(function (e) { e.classList.remove('nr-print-hidden'); });
      hiddenEls = [];
      document.documentElement.classList.remove('nr-printing');
      if (afterPrint) { root.removeEventListener('afterprint', afterPrint); afterPrint = null; }
    }

    function onHide() { if (document.visibilityState === 'hidden') flush(); }
    document.addEventListener('visibilitychange', onHide);
    root.addEventListener('pagehide', flush);

    return {
      element: el,
      update: function () {},
      print: print,
      answers: function () { return Object.assign({}, answers); },
      destroy: function () {
        if (destroyed) return;
        flush();
        destroyed = true;
        unmarkPrint();
        document.removeEventListener('visibilitychange', onHide);
        root.removeEventListener('pagehide', flush);
        if (el.parentNode) el.parentNode.removeChild(el);
      }
    };
  }

  var api = {mount: mount, QUESTIONS: QUESTIONS, CURRICULUM: CURRICULUM, PARTS: PARTS, STORAGE_KEY: STORAGE_KEY,
    usableStorage: usableStorage, loadAnswers: loadAnswers, saveAnswers: saveAnswers, answersAsText: answersAsText};
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.NNReflect = api;
})(typeof window !== 'undefined' ? window : this);
