/* The table page. The filter form: the text is looked for in the column chosen
 * beside it, so the field takes that column's name (q for the name,
 * COLUMN__contains for the others); without the script it finds names. */
(function () {
  "use strict";
  // On a phone the facets start folded, so that the rows come first.
  var fold = document.querySelector(".tb-facets-fold");
  if (fold && window.matchMedia("(max-width: 40rem)").matches) fold.open = false;
  var select = document.getElementById("tb-column");
  var text = document.getElementById("tb-text");
  if (!select || !text) return;
  var nameKey = select.getAttribute("data-name-key");
  function rename() {
    text.name = select.value === nameKey ? "q" : select.value + "__contains";
  }
  select.addEventListener("change", rename);
  rename();
})();
