/* Keyboard help on every page: Escape closes the open disclosure (Embed,
 * provenance, a list) that holds the focus, or the last one opened, and
 * puts the focus back on its summary. The network's own panel handles its
 * own Escape, so keys inside a network are left to it. */
(function () {
  "use strict";
  var opened = [];

  document.addEventListener("toggle", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLDetailsElement)) return;
    opened = opened.filter(function (b) { return b !== box && b.open; });
    if (box.open) opened.push(box);
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    var focus = document.activeElement;
    if (focus && focus.closest && focus.closest(".pg-network")) return;
    var box = (focus && focus.closest && focus.closest("details[open]")) || opened.filter(function (b) { return b.open; }).pop();
    if (!box || box.closest(".pg-network")) return;
    box.open = false;
    var summary = box.querySelector("summary");
    if (summary) summary.focus();
  });
})();
