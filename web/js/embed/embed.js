/* nnmath embed.js — for the page that embeds parts of the lesson (an infographic, a school's
 * site).  No dependencies, a classic script; load it once, after the frames:
 *
 *   <iframe src="https://…/nnmath/embed.html?part=forward&amp;preset=simple" data-nnmath-embed
 *           title="nnmath: Forward propagation" width="100%" height="1000" loading="lazy"></iframe>
 *   <script src="https://…/nnmath/js/embed/embed.js"></script>
 *
 * Every <iframe data-nnmath-embed> gets the height of its content: the embedded part posts
 *   {type: 'nnmath:height', part: 'forward', height: 812, id: ''}
 * to this page whenever its height changes; a message is used only if it comes from one of
 * these frames (event.source is the frame's window) and has that shape, with a height from 0 to
 * 20,000 px.  The origin is not checked: the lesson may be hosted anywhere, and a height is all
 * a message can change.  This script also sends {type: 'nnmath:hello'} to each frame (when it
 * starts and when a frame loads) so that a part that loaded first repeats its height.
 * Frames added later: call NNMathEmbed.scan().  Each resize also fires an 'nnmath:resize' event
 * on the iframe (event.detail = the message). */
(function (root) {
  'use strict';
  if (root.NNMathEmbed) { root.NNMathEmbed.scan(); return; }   // loaded twice: one listener is enough
  var doc = root.document, MAX = 20000;

  function frames() { return doc.querySelectorAll('iframe[data-nnmath-embed]'); }

  function hello(frame) {
    try { if (frame.contentWindow) frame.contentWindow.postMessage({type: 'nnmath:hello'}, '*'); }
    catch (e) { /* not loaded yet: its own first message will come */ }
  }

  function prepare(frame) {
    if (frame.getAttribute('data-nnmath-ready') === '1') return;
    frame.setAttribute('data-nnmath-ready', '1');
    frame.style.border = '0';
    frame.style.display = 'block';
    frame.style.width = '100%';
    frame.style.maxWidth = '100%';
    frame.addEventListener('load', function () { hello(frame); });
    hello(frame);
  }

  function scan() { Array.prototype.forEach.call(frames(), prepare); }

  function onMessage(event) {
    var d = event.data;
    if (!d || typeof d !== 'object' || d.type !== 'nnmath:height') return;
    var height = d.height;
    if (typeof height !== 'number' || !isFinite(height) || height < 0 || height > MAX) return;
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      if (list[i].contentWindow !== event.source) continue;
      var px = Math.ceil(height) + 'px';
      if (list[i].style.height !== px) list[i].style.height = px;
      var ev;
      try { ev = new root.CustomEvent('nnmath:resize', {detail: {part: String(d.part || ''), height: height, id: String(d.id || '')}}); }
      catch (e) { ev = null; }
      if (ev) list[i].dispatchEvent(ev);
      return;
    }
  }

  root.addEventListener('message', onMessage);
  root.NNMathEmbed = {scan: scan};
  scan();
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', scan);
})(this);
