/* The Embed disclosure: copy the snippet, and load the preview only once
 * someone opens it. */
(function () {
  "use strict";

  function copy(area) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(area.value);
    }
    // Plain http on an intranet has no clipboard API: select and copy.
    area.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function bind(box) {
    var area = box.querySelector(".emb-code");
    var button = box.querySelector(".emb-copy");
    var status = box.querySelector(".emb-share-status");
    var preview = box.querySelector(".emb-preview");
    area.addEventListener("focus", function () { area.select(); });
    button.addEventListener("click", function () {
      copy(area).then(function () { status.textContent = button.getAttribute("data-copied"); },
                      function () { area.focus(); area.select(); });
    });
    box.addEventListener("toggle", function () {
      if (box.open && !preview.getAttribute("src")) {
        preview.setAttribute("src", preview.getAttribute("data-src"));
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("details.emb-share"), bind);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
