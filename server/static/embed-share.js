/* The Embed disclosure: choose the snippet's size (full column width at 4:3
 * or 16:9, or a fixed width and height), copy it, and load the preview only
 * once someone opens it. The snippets come from the server in the box's
 * data-snippet-* attributes; the workbench puts new ones there and sends
 * "emb-snippets" when its view changes. */
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
    var width = box.querySelector(".emb-width");
    var height = box.querySelector(".emb-height");
    function chosen() {
      var radio = box.querySelector(".emb-sizes input[type=radio]:checked");
      return radio ? radio.value : "wide";
    }
    function number(input, fallback) {
      var n = parseInt(input && input.value, 10);
      return isFinite(n) && n >= 100 && n <= 4000 ? String(n) : fallback;
    }
    function update() {
      var shape = chosen();
      var code = box.getAttribute("data-snippet-" + shape);
      if (!code) return;
      if (shape === "fixed") {
        code = code.replace("__W__", number(width, "800")).replace("__H__", number(height, "600"));
      }
      area.value = code;
      box.querySelector(".emb-fixed").hidden = shape !== "fixed";
    }
    Array.prototype.forEach.call(box.querySelectorAll(".emb-sizes input"), function (input) {
      input.addEventListener("change", update);
      input.addEventListener("input", update);
    });
    box.addEventListener("emb-snippets", update);
    box.querySelector(".emb-fixed").hidden = chosen() !== "fixed";
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
