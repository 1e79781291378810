// The page viewer without a mouse: ← and → keys and a swipe go to the previous or next page.
// The links do the same without JavaScript; this only listens and follows them.
(function () {
  "use strict";
  function go(which) {
    var link = document.querySelector('a[data-viewer="' + which + '"]');
    if (link) { window.location.href = link.href; }
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    if (event.key === "ArrowLeft") { go("prev"); }
    if (event.key === "ArrowRight") { go("next"); }
  });
  var figure = document.querySelector(".digital-figure");
  if (!figure) { return; }
  var startX = null, startY = null;
  figure.addEventListener("touchstart", function (event) {
    if (event.touches.length !== 1) { startX = null; return; }
    startX = event.touches[0].clientX; startY = event.touches[0].clientY;
  }, { passive: true });
  figure.addEventListener("touchend", function (event) {
    if (startX === null) { return; }
    var dx = event.changedTouches[0].clientX - startX;
    var dy = event.changedTouches[0].clientY - startY;
    startX = null;
    // A clear sideways swipe only; a scroll or a pinch is left alone.
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) { go(dx < 0 ? "next" : "prev"); }
  }, { passive: true });
})();
