/* A query's answer as a table of any size: only the rows in view are in the
 * page (a window of rows of one height inside a scrolling box), so that the
 * first rows of 50,000 show as soon as the answer is read. A click on a
 * heading sorts by that column (again: the other way), the field above finds
 * text in any cell; both work on the whole answer, in the browser. IRIs are
 * shown by label, asked of the server for the rows in view. Everything from
 * the data goes into the page with textContent. */
(function () {
  "use strict";

  var ROW = 30;             // px: the height of every row (see workbench.css)
  var EXTRA = 10;           // rows drawn above and below the visible ones
  var NUMERIC = /#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger|negativeInteger|nonPositiveInteger|unsignedInt|unsignedLong|unsignedShort)$/;
  var DATE = /#(date|dateTime|gYear|gYearMonth)$/;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function isNumber(term) {
    return term && term.type === "literal" && term.datatype && NUMERIC.test(term.datatype);
  }

  /* `holder` gets the table; `options.labels(iris)` is a promise of
   * {iri: {label, url}}; `options.texts` the words it shows. */
  function ResultTable(holder, table, options) {
    this.holder = holder;
    this.vars = table.vars;
    this.rows = table.rows;
    this.texts = options.texts;
    this.labelsOf = options.labels;
    this.known = {};          // iri -> {label, url}, as the server gave them
    this.asked = {};          // iris asked for already
    this.order = null;        // indices of the rows shown, in order
    this.sortVar = null;
    this.descending = false;
    this.filterText = "";
    this.build();
    this.apply();
  }

  ResultTable.prototype.build = function () {
    var self = this;
    var t = this.texts;
    while (this.holder.firstChild) this.holder.removeChild(this.holder.firstChild);
    var bar = el("div", { "class": "rt-bar" });
    var label = el("label", { "class": "rt-find" });
    label.appendChild(el("span", {}, t.find));
    this.input = el("input", { type: "search", "class": "rt-filter", autocomplete: "off" });
    label.appendChild(this.input);
    bar.appendChild(label);
    this.count = el("span", { "class": "rt-count", role: "status" });
    bar.appendChild(this.count);
    this.holder.appendChild(bar);
    var timer = null;
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.filterText = self.input.value.trim().toLowerCase(); self.apply(); }, 120);
    });

    this.box = el("div", { "class": "rt-box", role: "table", "aria-label": t.table,
                           "aria-rowcount": String(this.rows.length + 1) });
    var columns = "repeat(" + this.vars.length + ", minmax(9rem, 1fr))";
    var head = el("div", { "class": "rt-row rt-head", role: "row", "aria-rowindex": "1" });
    head.style.gridTemplateColumns = columns;
    this.heads = this.vars.map(function (v) {
      var cell = el("div", { role: "columnheader", "class": "rt-cell", "aria-sort": "none" });
      var button = el("button", { type: "button", "class": "rt-sort", "data-var": v }, v);
      button.addEventListener("click", function () { self.sortBy(v); });
      cell.appendChild(button);
      head.appendChild(cell);
      return cell;
    });
    this.box.appendChild(head);
    this.spacer = el("div", { "class": "rt-spacer" });
    this.body = el("div", { "class": "rt-body", role: "rowgroup" });
    this.spacer.appendChild(this.body);
    this.box.appendChild(this.spacer);
    this.columns = columns;
    this.holder.appendChild(this.box);
    var pending = false;
    this.box.addEventListener("scroll", function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; self.draw(); });
    });
  };

  /* The text a cell is found and sorted by: an IRI's label once known. */
  ResultTable.prototype.text = function (term) {
    if (!term) return "";
    if (term.type === "uri" && this.known[term.value]) return this.known[term.value].label;
    return term.value;
  };

  ResultTable.prototype.apply = function () {
    var rows = this.rows, vars = this.vars, self = this;
    var order = [];
    var needle = this.filterText;
    for (var i = 0; i < rows.length; i++) {
      if (needle) {
        var hit = false;
        for (var j = 0; j < vars.length && !hit; j++) {
          var term = rows[i][vars[j]];
          if (term && (term.value.toLowerCase().indexOf(needle) !== -1 ||
                       self.text(term).toLowerCase().indexOf(needle) !== -1)) hit = true;
        }
        if (!hit) continue;
      }
      order.push(i);
    }
    if (this.sortVar) {
      var v = this.sortVar;
      var numeric = rows.length && rows.every(function (r) { return !r[v] || isNumber(r[v]); });
      var keys = new Array(rows.length);
      order.forEach(function (i) {
        var term = rows[i][v];
        keys[i] = !term ? null : numeric ? parseFloat(term.value) : self.text(term).toLowerCase();
      });
      var sign = this.descending ? -1 : 1;
      order.sort(function (a, b) {
        var x = keys[a], y = keys[b];
        if (x === y) return a - b;
        if (x === null) return 1;            // rows without a value last, either way
        if (y === null) return -1;
        return (x < y ? -1 : 1) * sign;
      });
    }
    this.order = order;
    this.count.textContent = order.length === rows.length
      ? rows.length + " " + this.texts.rows
      : order.length + " " + this.texts.of + " " + rows.length + " " + this.texts.rows;
    this.count.setAttribute("data-shown", order.length);
    this.spacer.style.height = (order.length * ROW) + "px";
    this.box.scrollTop = 0;
    this.first = -1;
    this.draw();
  };

  ResultTable.prototype.sortBy = function (v) {
    this.descending = this.sortVar === v ? !this.descending : false;
    this.sortVar = v;
    var self = this;
    this.heads.forEach(function (cell, i) {
      cell.setAttribute("aria-sort", self.vars[i] !== v ? "none" : self.descending ? "descending" : "ascending");
    });
    this.apply();
  };

  /* The rows in view, and a few around them. */
  ResultTable.prototype.draw = function () {
    var height = this.box.clientHeight || 480;
    var top = Math.max(0, this.box.scrollTop - ROW);   // the heading is one row
    var first = Math.max(0, Math.floor(top / ROW) - EXTRA);
    var last = Math.min(this.order.length, Math.ceil((top + height) / ROW) + EXTRA);
    if (first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    var body = this.body, vars = this.vars, rows = this.rows, self = this;
    while (body.firstChild) body.removeChild(body.firstChild);
    body.style.transform = "translateY(" + (first * ROW) + "px)";
    var wanted = [];
    for (var n = first; n < last; n++) {
      var index = this.order[n];
      var row = el("div", { "class": "rt-row", role: "row", "aria-rowindex": String(n + 2) });
      row.style.gridTemplateColumns = this.columns;
      vars.forEach(function (v) {
        var term = rows[index][v];
        var cell = el("div", { "class": "rt-cell", role: "cell" });
        if (term && term.type === "uri") {
          var info = self.known[term.value];
          var a = el("a", { href: info ? info.url : term.value, "data-iri": term.value, title: term.value },
                     info ? info.label : term.value);
          cell.appendChild(a);
          if (!info && !self.asked[term.value]) wanted.push(term.value);
        } else if (term) {
          cell.textContent = term.value;
          cell.title = term.value;
          if (isNumber(term)) cell.className += " rt-num";
          if (term["xml:lang"]) cell.setAttribute("lang", term["xml:lang"]);
        }
        row.appendChild(cell);
      });
      body.appendChild(row);
    }
    if (wanted.length) this.label(wanted);
  };

  ResultTable.prototype.label = function (iris) {
    var self = this;
    iris.forEach(function (i) { self.asked[i] = true; });
    this.labelsOf(iris).then(function (found) {
      Object.keys(found || {}).forEach(function (i) { self.known[i] = found[i]; });
      Array.prototype.forEach.call(self.body.querySelectorAll("a[data-iri]"), function (a) {
        var info = self.known[a.getAttribute("data-iri")];
        if (info) { a.textContent = info.label; a.setAttribute("href", info.url); }
      });
      self.holder.setAttribute("data-labelled", "true");
    }).catch(function () { /* raw IRIs stay */ });
  };

  window.ResultTable = ResultTable;
})();
