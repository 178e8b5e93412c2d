/* An embed frame's Tools button: unfolds the find bar, legend and list that
 * are folded away so the drawing can take the frame; Escape folds them again.
 * And names that can be read in a small frame: labels keep one size on
 * screen (network.js) and are shown only where they overlap no other, so a
 * network fitted into an intranet column, its nodes close together, would
 * keep few of them; the view steps in a quarter on its centre, spreading the
 * nodes apart, and the reader pans and zooms for the rest. */
(function () {
  "use strict";

  var CLOSER = 1.25;

  function readable(root) {
    var hook = (window.partnergraphNetworks || []).filter(function (h) { return h.root === root; })[0]
      || window.partnergraphNetwork;
    if (!hook || !hook.network) return;
    var net = hook.network;
    net.moveTo({ position: net.getViewPosition(), scale: net.getScale() * CLOSER });
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
