/* An embed frame's Tools button: unfolds the find bar, legend and list that
 * are folded away so the drawing can take the frame; Escape folds them again.
 * And names that stay readable in a small frame: fitted into an intranet
 * column the whole network would be drawn so small that its labels vanish,
 * so the labels grow and the view closes in on the centre until they can
 * be read; the reader pans and zooms for the rest. */
(function () {
  "use strict";

  // The smallest label, in screen pixels, that a reader can read.
  var READABLE_PX = 10;
  var LARGEST_FONT = 28;

  function readable(root) {
    var hook = (window.partnergraphNetworks || []).filter(function (h) { return h.root === root; })[0]
      || window.partnergraphNetwork;
    if (!hook || !hook.network) return;
    var net = hook.network;
    var scale = net.getScale();
    var first = net.body && net.body.nodes[hook.nodes.getIds()[0]];
    var font = (first && first.options.font && first.options.font.size) || 17;
    if (!scale || font * scale >= READABLE_PX) return;
    font = Math.min(LARGEST_FONT, Math.ceil(READABLE_PX / scale));
    net.setOptions({ nodes: { font: { size: font } } });
    var focus = new URLSearchParams(window.location.search).get("focus");
    var centre = focus && hook.nodes.get(focus) ? net.getPosition(focus) : net.getViewPosition();
    net.moveTo({ position: centre, scale: Math.max(scale, READABLE_PX / font) });
    root.setAttribute("data-label-px", String(Math.round(font * net.getScale())));
  }

  function whenReady(root) {
    if (root.classList.contains("net-is-ready")) { readable(root); return; }
    var watch = new MutationObserver(function () {
      if (root.classList.contains("net-is-ready")) { watch.disconnect(); readable(root); }
    });
    watch.observe(root, { attributes: true, attributeFilter: ["class"] });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".pg-embed .pg-network"), whenReady);
    var button = document.querySelector(".emb-tools");
    if (!button) return;
    function set(open) {
      document.body.classList.toggle("emb-folded", !open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true"
          && !document.querySelector(".net-panel:not([hidden])")) {
        set(false);
        button.focus();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
