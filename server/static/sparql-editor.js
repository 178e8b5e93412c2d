/* A SPARQL editor: a textarea over a highlighted copy of its text, a
 * completion popup for prefixes and the ontology's terms, and a mark for a
 * syntax error. Text is only ever put in the page with textContent. */
(function () {
  "use strict";

  var KEYWORDS = ("SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED " +
    "OPTIONAL UNION MINUS FILTER BIND VALUES GRAPH SERVICE SILENT GROUP BY ORDER ASC DESC " +
    "HAVING LIMIT OFFSET AS NOT EXISTS IN UNDEF A COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT " +
    "SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND " +
    "CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER " +
    "YEAR MONTH DAY HOURS MINUTES SECONDS NOW SUBSTR REPLACE REGEX COALESCE IF ISIRI ISURI " +
    "ISBLANK ISLITERAL ISNUMERIC SAMETERM STRLANG STRDT TRUE FALSE").split(" ");
  var KEYWORD_SET = {};
  KEYWORDS.forEach(function (k) { KEYWORD_SET[k] = true; });

  // The same token kinds the server's lexer knows (graph/sparql_text.py).
  var TOKEN = new RegExp([
    "(#[^\\n]*)",
    "(\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')",
    "(<[^<>\"{}|^`\\\\\\x00-\\x20]*>)",
    "([?$][A-Za-z0-9_\\u00B7-\\uFFFF]+)",
    "([A-Za-z_\\u00C0-\\uFFFF][A-Za-z0-9_\\-.\\u00B7-\\uFFFF]*:[^\\s{}()<>,;\"'\\[\\]]*|:[^\\s{}()<>,;\"'\\[\\]]*)",
    "([A-Za-z_][A-Za-z0-9_]*)",
    "([0-9]+(?:\\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)"
  ].join("|"), "g");
  var KINDS = [null, "comment", "string", "iri", "var", "pname", "word", "number"];

  function span(cls, text) {
    var node = document.createElement("span");
    node.className = cls;
    node.textContent = text;
    return node;
  }

  /* The text as spans, one per token; an error line gets a class of its own. */
  function highlight(code, text, error) {
    while (code.firstChild) code.removeChild(code.firstChild);
    var lines = text.split("\n");
    var offset = 0;
    var errorStart = -1, errorEnd = -1, errorAt = -1;
    if (error) {
      for (var i = 0; i < error.line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
      errorStart = offset;
      errorEnd = offset + (lines[error.line - 1] || "").length;
      errorAt = error.column ? Math.min(errorStart + error.column - 1, errorEnd) : -1;
    }
    var pieces = [];
    var last = 0, match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null) {
      if (match.index > last) pieces.push([null, last, match.index]);
      var kind = null;
      for (var k = 1; k < KINDS.length; k++) if (match[k] !== undefined) { kind = KINDS[k]; break; }
      if (kind === "word") kind = KEYWORD_SET[match[0].toUpperCase()] ? "keyword" : null;
      pieces.push([kind, match.index, match.index + match[0].length]);
      if (match[0].length === 0) TOKEN.lastIndex++;
      last = match.index + match[0].length;
    }
    if (last < text.length) pieces.push([null, last, text.length]);
    // Split pieces at the error line's edges and at the error position, so
    // that the line can be marked without changing the text.
    var cuts = [errorStart, errorEnd, errorAt, errorAt + 1].filter(function (c, i, all) {
      return c >= 0 && all.indexOf(c) === i;
    }).sort(function (a, b) { return a - b; });
    var target = code;
    var line = null;
    pieces.forEach(function (piece) {
      var points = [piece[1]].concat(cuts.filter(function (c) { return c > piece[1] && c < piece[2]; }), [piece[2]]);
      for (var p = 0; p < points.length - 1; p++) {
        var a = points[p], b = points[p + 1];
        var inError = error && a >= errorStart && b <= errorEnd && errorEnd >= errorStart;
        if (inError && !line) { line = span("tok-error-line", ""); code.appendChild(line); }
        if (!inError) line = null;
        target = line || code;
        var cls = (piece[0] ? "tok-" + piece[0] : "") + (a === errorAt ? " tok-error-at" : "");
        target.appendChild(cls.trim() ? span(cls.trim(), text.slice(a, b)) : document.createTextNode(text.slice(a, b)));
      }
    });
    // A final newline needs something after it, or the copy is a line short.
    code.appendChild(document.createTextNode("\n"));
  }

  function Editor(textarea, pre, popup) {
    this.textarea = textarea;
    this.pre = pre;
    this.code = pre.querySelector("code");
    this.popup = popup;
    this.error = null;
    this.vocabulary = { prefixes: {}, terms: [] };
    this.choices = [];
    this.active = 0;
    var self = this;
    textarea.addEventListener("input", function () {
      self.error = null;
      self.refresh();
      self.afterInput();
    });
    textarea.addEventListener("scroll", function () { self.syncScroll(); });
    textarea.addEventListener("keydown", function (event) { self.onKey(event); });
    textarea.addEventListener("blur", function () { setTimeout(function () { self.closePopup(); }, 150); });
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(function () { self.syncScroll(); }).observe(textarea);
    }
    this.refresh();
  }

  Editor.prototype.refresh = function () {
    highlight(this.code, this.textarea.value, this.error);
    this.syncScroll();
  };

  Editor.prototype.syncScroll = function () {
    this.pre.style.height = this.textarea.offsetHeight + "px";
    this.pre.scrollTop = this.textarea.scrollTop;
    this.pre.scrollLeft = this.textarea.scrollLeft;
  };

  Editor.prototype.markError = function (line, column) {
    this.error = { line: line, column: column };
    this.refresh();
    var mark = this.code.querySelector(".tok-error-line");
    if (mark) this.textarea.scrollTop = Math.max(0, mark.offsetTop - 40);
    this.syncScroll();
  };

  Editor.prototype.clearError = function () {
    if (!this.error) return;
    this.error = null;
    this.refresh();
  };

  /* ---- completion ---- */

  /* The word being typed before the caret: a prefixed name or a prefix. */
  Editor.prototype.wordBefore = function () {
    var text = this.textarea.value.slice(0, this.textarea.selectionStart);
    var match = /[A-Za-z_][A-Za-z0-9_\-.]*:?[A-Za-z0-9_\-.]*$/.exec(text);
    return match ? match[0] : "";
  };

  Editor.prototype.candidates = function (word) {
    var found = [];
    var lower = word.toLowerCase();
    var vocab = this.vocabulary;
    Object.keys(vocab.prefixes).forEach(function (p) {
      if ((p + ":").indexOf(lower) === 0 && word.indexOf(":") === -1) {
        found.push({ text: p + ":", kind: "PREFIX", note: vocab.prefixes[p] });
      }
    });
    vocab.terms.forEach(function (term) {
      if (term.name.toLowerCase().indexOf(lower) === 0 ||
          (word.indexOf(":") === -1 && term.label.toLowerCase().indexOf(lower) === 0 && lower)) {
        found.push({ text: term.name, kind: term.kind, note: term.label });
      }
    });
    // The shortest match first: what is typed is most often a whole term.
    found.sort(function (a, b) { return a.text.length - b.text.length || (a.text < b.text ? -1 : 1); });
    return found.slice(0, 60);
  };

  Editor.prototype.afterInput = function () {
    var word = this.wordBefore();
    if (!this.popup.hidden || /:$/.test(word) && word.length > 1) this.openPopup(false);
  };

  Editor.prototype.openPopup = function (explicit) {
    var word = this.wordBefore();
    var choices = this.candidates(word);
    if (!choices.length || (!explicit && !word)) { this.closePopup(); return; }
    this.choices = choices;
    this.active = 0;
    var popup = this.popup;
    while (popup.firstChild) popup.removeChild(popup.firstChild);
    var self = this;
    choices.forEach(function (choice, i) {
      var item = document.createElement("li");
      item.setAttribute("role", "option");
      item.id = "wb-complete-" + i;
      item.appendChild(span("wb-name", choice.text));
      item.appendChild(span("wb-kind", choice.kind + (choice.note ? " · " + choice.note : "")));
      item.addEventListener("mousedown", function (event) { event.preventDefault(); self.accept(i); });
      popup.appendChild(item);
    });
    this.placePopup();
    popup.hidden = false;
    this.textarea.setAttribute("aria-expanded", "true");
    this.highlightChoice();
  };

  /* Under the caret: the highlighted copy has the same layout, so a marker
   * put at the caret's offset there gives its position. */
  Editor.prototype.placePopup = function () {
    var text = this.textarea.value.slice(0, this.textarea.selectionStart);
    var code = this.code;
    while (code.firstChild) code.removeChild(code.firstChild);
    code.appendChild(document.createTextNode(text));
    var marker = span("", "\u200b");
    code.appendChild(marker);
    var top = marker.offsetTop + 20 - this.textarea.scrollTop;
    var left = Math.min(marker.offsetLeft, this.textarea.clientWidth - 260);
    this.refresh();
    this.popup.style.top = top + "px";
    this.popup.style.left = Math.max(0, left) + "px";
  };

  Editor.prototype.highlightChoice = function () {
    var items = this.popup.children;
    for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", i === this.active ? "true" : "false");
    if (items[this.active]) {
      items[this.active].scrollIntoView({ block: "nearest" });
      this.textarea.setAttribute("aria-activedescendant", items[this.active].id);
    }
  };

  Editor.prototype.closePopup = function () {
    this.popup.hidden = true;
    this.choices = [];
    this.textarea.setAttribute("aria-expanded", "false");
    this.textarea.removeAttribute("aria-activedescendant");
  };

  Editor.prototype.accept = function (i) {
    var choice = this.choices[i];
    if (!choice) return;
    var ta = this.textarea;
    var word = this.wordBefore();
    var start = ta.selectionStart - word.length;
    ta.setRangeText(choice.text, start, ta.selectionStart, "end");
    this.closePopup();
    this.refresh();
    ta.dispatchEvent(new Event("change"));
    ta.focus();
  };

  Editor.prototype.onKey = function (event) {
    var open = !this.popup.hidden;
    if (event.ctrlKey && (event.key === " " || event.code === "Space")) {
      event.preventDefault();
      this.openPopup(true);
    } else if (open && event.key === "ArrowDown") {
      event.preventDefault();
      this.active = (this.active + 1) % this.choices.length;
      this.highlightChoice();
    } else if (open && event.key === "ArrowUp") {
      event.preventDefault();
      this.active = (this.active - 1 + this.choices.length) % this.choices.length;
      this.highlightChoice();
    } else if (open && (event.key === "Enter" || event.key === "Tab") && !event.ctrlKey) {
      event.preventDefault();
      this.accept(this.active);
    } else if (open && event.key === "Escape") {
      event.preventDefault();
      this.closePopup();
    }
  };

  window.SparqlEditor = Editor;
})();
