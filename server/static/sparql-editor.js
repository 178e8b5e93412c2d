/* A SPARQL editor: a textarea over a highlighted copy of its text, with line
 * numbers beside it, the bracket that matches the one at the caret marked,
 * a completion popup (prefixes, the ontology's terms, and resources by name
 * from the search index), a formatter, and a mark for a syntax error. Text
 * is only ever put in the page with textContent. Lines do not wrap, so that
 * a line number stands beside its line. */
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
  var OPEN = { "{": "}", "(": ")", "[": "]" };
  var CLOSE = { "}": "{", ")": "(", "]": "[" };

  // The same token kinds the server's lexer knows (graph/sparql/text.py).
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

  /* The text in pieces: [kind, start, end], with the gaps between tokens
   * (space, punctuation) as pieces of no kind. */
  function pieces(text) {
    var found = [];
    var last = 0, match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null) {
      if (match.index > last) found.push([null, last, match.index]);
      var kind = null;
      for (var k = 1; k < KINDS.length; k++) if (match[k] !== undefined) { kind = KINDS[k]; break; }
      if (kind === "word") kind = KEYWORD_SET[match[0].toUpperCase()] ? "keyword" : null;
      found.push([kind, match.index, match.index + match[0].length]);
      if (match[0].length === 0) TOKEN.lastIndex++;
      last = match.index + match[0].length;
    }
    if (last < text.length) found.push([null, last, text.length]);
    return found;
  }

  /* The brackets of the text outside strings, IRIs and comments, each with
   * the offset of its partner (-1 when it has none). */
  function brackets(text) {
    var partner = {};
    var stack = [];
    pieces(text).forEach(function (piece) {
      if (piece[0] !== null && piece[0] !== "keyword") return;
      for (var i = piece[1]; i < piece[2]; i++) {
        var c = text[i];
        if (OPEN[c]) stack.push(i);
        else if (CLOSE[c]) {
          var open = stack.length && text[stack[stack.length - 1]] === CLOSE[c] ? stack.pop() : -1;
          partner[i] = open;
          if (open >= 0) partner[open] = i;
        }
      }
    });
    stack.forEach(function (i) { partner[i] = -1; });
    return partner;
  }

  /* The text as spans, one per token; an error line, the error position and
   * the brackets at the caret get classes of their own. */
  function highlight(code, text, error, marks) {
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
    var marked = {};
    (marks || []).forEach(function (m) { marked[m.at] = m.cls; });
    var cuts = [errorStart, errorEnd, errorAt, errorAt + 1];
    Object.keys(marked).forEach(function (at) { cuts.push(+at, +at + 1); });
    cuts = cuts.filter(function (c, n, all) { return c >= 0 && all.indexOf(c) === n; })
      .sort(function (a, b) { return a - b; });
    var line = null;
    pieces(text).forEach(function (piece) {
      var points = [piece[1]].concat(cuts.filter(function (c) { return c > piece[1] && c < piece[2]; }), [piece[2]]);
      for (var p = 0; p < points.length - 1; p++) {
        var a = points[p], b = points[p + 1];
        var inError = error && a >= errorStart && b <= errorEnd && errorEnd >= errorStart;
        if (inError && !line) { line = span("tok-error-line", ""); code.appendChild(line); }
        if (!inError) line = null;
        var target = line || code;
        var cls = (piece[0] ? "tok-" + piece[0] : "") + (a === errorAt ? " tok-error-at" : "") +
                  (marked[a] && b === a + 1 ? " " + marked[a] : "");
        target.appendChild(cls.trim() ? span(cls.trim(), text.slice(a, b)) : document.createTextNode(text.slice(a, b)));
      }
    });
    // A final newline needs something after it, or the copy is a line short.
    code.appendChild(document.createTextNode("\n"));
  }

  /* The query as tokens for the formatter: each with whether space stood
   * before it. Marks between tokens stay whole ("!=", "^^", "@"), and a
   * token written up against the one before stays against it, unless one of
   * the two is a brace, a dot or a semicolon, which need no neighbour. */
  function layoutTokens(text) {
    var found = [];
    var spaced = true;
    pieces(text).forEach(function (piece) {
      var value = text.slice(piece[1], piece[2]);
      if (piece[0] !== null) {
        found.push({ kind: piece[0], text: value, spaced: spaced });
        spaced = false;
        return;
      }
      value.replace(/\s+|[{}();,.\[\]]|[^\s{}();,.\[\]]+/g, function (part) {
        if (/^\s/.test(part)) { spaced = true; return part; }
        found.push({ kind: "mark", text: part, spaced: spaced });
        spaced = false;
        return part;
      });
    });
    return found;
  }

  var CLAUSES = /^(WHERE|ORDER|GROUP|HAVING|LIMIT|OFFSET|VALUES|FROM|SELECT|CONSTRUCT|DESCRIBE|ASK)$/;
  var PATTERNS = /^(OPTIONAL|FILTER|BIND|MINUS|VALUES|SERVICE|GRAPH)$/;

  /* The query laid out: one clause or triple pattern a line, indented by the
   * braces it stands in, keywords in capitals (but `a`, booleans, language
   * tags). Only space between tokens and the case of keywords change: the
   * query means what it meant. */
  function format(text) {
    var out = [];
    var depth = 0, parens = 0;
    var line = "";
    function indent(extra) { return new Array(depth + (extra || 0) + 1).join("  "); }
    function newline(extra) {
      if (line.trim()) out.push(line.replace(/\s+$/, ""));
      line = indent(extra);
    }
    function add(value, space) {
      if (line.trim() && space) line += " ";
      line += value;
    }
    var tokens = layoutTokens(text);
    tokens.forEach(function (tok, n) {
      var previous = tokens[n - 1];
      var value = tok.text;
      var upper = value.toUpperCase();
      var tag = previous && previous.text === "@" && !tok.spaced;
      if (tok.kind === "keyword" && !tag && upper !== "A" && upper !== "TRUE" && upper !== "FALSE") value = upper;
      if (tok.kind === "comment") { if (line.trim()) newline(); add(value, false); newline(); return; }
      if (value === "{") { add("{", true); depth++; newline(); return; }
      if (value === "}") { depth = Math.max(0, depth - 1); newline(); add("}", false); newline(); return; }
      if ((value === "." || value === ";") && parens === 0 && depth > 0) {
        add(value, true);
        newline(value === ";" ? 1 : 0);
        return;
      }
      if (value === "(") parens++;
      if (value === ")") parens = Math.max(0, parens - 1);
      var keyword = tok.kind === "keyword" && !tag;
      if (keyword && (upper === "PREFIX" || upper === "BASE" || (depth === 0 && parens === 0 && CLAUSES.test(upper) &&
          !(previous && /^(GROUP|ORDER)$/i.test(previous.text) && upper === "BY")))) {
        newline();
      } else if (keyword && depth > 0 && parens === 0 && PATTERNS.test(upper) && line.trim()) {
        newline();
      }
      var glued = !tok.spaced && previous && !/^[{}.;]$/.test(previous.text);
      add(value, !glued);
    });
    newline();
    return out.join("\n") + "\n";
  }

  function Editor(textarea, pre, popup, gutter) {
    this.textarea = textarea;
    this.pre = pre;
    this.code = pre.querySelector("code");
    this.popup = popup;
    this.gutter = gutter;
    this.error = null;
    this.marks = [];
    this.vocabulary = { prefixes: {}, terms: [] };
    this.vocabularySource = null;  // function () -> promise of the vocabulary
    this.vocabularyLoaded = false;
    this.vocabularyLoading = null;
    this.entities = null;       // function (word) -> promise of [{iri, label, kind, country}]
    this.choices = [];
    this.active = 0;
    this.asking = 0;
    var self = this;
    textarea.addEventListener("input", function () {
      self.error = null;
      self.refresh();
      self.afterInput();
    });
    textarea.addEventListener("scroll", function () { self.syncScroll(); });
    textarea.addEventListener("keydown", function (event) { self.onKey(event); });
    ["keyup", "click", "select"].forEach(function (name) {
      textarea.addEventListener(name, function () { self.matchBrackets(); });
    });
    textarea.addEventListener("blur", function () { setTimeout(function () { self.closePopup(); }, 150); });
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(function () { self.syncScroll(); }).observe(textarea);
    }
    this.refresh();
  }

  Editor.prototype.refresh = function () {
    highlight(this.code, this.textarea.value, this.error, this.marks);
    if (this.gutter) {
      var count = this.textarea.value.split("\n").length;
      if (count !== this.lineCount) {
        this.lineCount = count;
        var numbers = [];
        for (var i = 1; i <= count; i++) numbers.push(i);
        this.gutter.textContent = numbers.join("\n") + "\n";
      }
    }
    this.syncScroll();
  };

  Editor.prototype.syncScroll = function () {
    this.pre.style.height = this.textarea.offsetHeight + "px";
    this.pre.scrollTop = this.textarea.scrollTop;
    this.pre.scrollLeft = this.textarea.scrollLeft;
    if (this.gutter) {
      this.gutter.style.height = this.textarea.offsetHeight + "px";
      this.gutter.scrollTop = this.textarea.scrollTop;
    }
  };

  /* The bracket beside the caret and its partner, or a lone one in red. */
  Editor.prototype.matchBrackets = function () {
    var ta = this.textarea;
    var text = ta.value;
    var caret = ta.selectionStart;
    var marks = [];
    if (ta.selectionStart === ta.selectionEnd) {
      var partner = brackets(text);
      var at = partner[caret - 1] !== undefined ? caret - 1 : partner[caret] !== undefined ? caret : -1;
      if (at >= 0) {
        if (partner[at] >= 0) marks = [{ at: at, cls: "tok-bracket" }, { at: partner[at], cls: "tok-bracket" }];
        else marks = [{ at: at, cls: "tok-bracket-alone" }];
      }
    }
    if (JSON.stringify(marks) === JSON.stringify(this.marks)) return;
    this.marks = marks;
    this.refresh();
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

  /* The query formatted, as one edit the browser can undo. */
  Editor.prototype.format = function () {
    var ta = this.textarea;
    var formatted = format(ta.value);
    if (formatted === ta.value) return;
    ta.focus();
    ta.select();
    if (!document.execCommand || !document.execCommand("insertText", false, formatted)) {
      ta.value = formatted;
    }
    ta.setSelectionRange(0, 0);
    ta.scrollTop = 0;
    this.refresh();
    ta.dispatchEvent(new Event("change"));
  };

  /* ---- completion ---- */

  /* The word being typed before the caret: a prefixed name or a prefix. */
  Editor.prototype.wordBefore = function () {
    var text = this.textarea.value.slice(0, this.textarea.selectionStart);
    var match = /<?[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_\-.\u00C0-\uFFFF]*:?[A-Za-z0-9_\-.]*$/.exec(text);
    return match ? match[0] : "";
  };

  Editor.prototype.candidates = function (word) {
    var found = [];
    var lower = word.replace(/^</, "").toLowerCase();
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
    return found.slice(0, 40);
  };

  Editor.prototype.afterInput = function () {
    var word = this.wordBefore();
    if (!this.popup.hidden || /:$/.test(word) && word.length > 1) this.openPopup(false);
  };

  /* The vocabulary comes from the server after the page; completion asked
   * for before it came (or after it failed to come) asks again and waits. */
  Editor.prototype.loadVocabulary = function () {
    if (this.vocabularyLoaded || !this.vocabularySource) return null;
    if (!this.vocabularyLoading) {
      var self = this;
      this.vocabularyLoading = this.vocabularySource().then(function (data) {
        self.vocabulary = data;
        self.vocabularyLoaded = true;
      }).catch(function () { /* terms stay empty until asked again */ }).then(function () {
        self.vocabularyLoading = null;
      });
    }
    return this.vocabularyLoading;
  };

  /* Terms and prefixes at once; with Ctrl+Space also resources whose names
   * match the word, asked of the server's search. */
  Editor.prototype.openPopup = function (explicit) {
    var word = this.wordBefore();
    var self = this;
    var coming = this.loadVocabulary();
    if (coming) {
      coming.then(function () {
        if (self.vocabularyLoaded && self.wordBefore() === word &&
            document.activeElement === self.textarea) self.openPopup(explicit);
      });
    }
    var choices = this.candidates(word);
    var bare = word.replace(/^</, "");
    if (explicit && this.entities && bare.length >= 2 && bare.indexOf(":") === -1) {
      var asked = ++this.asking;
      this.entities(bare).then(function (hits) {
        if (asked !== self.asking || self.wordBefore() !== word) return;
        var more = hits.map(function (hit) {
          return { text: "<" + hit.iri + ">", kind: hit.kind || "IRI",
                   note: hit.label + (hit.country ? ", " + hit.country : ""), label: hit.label };
        });
        self.show(word, choices.concat(more));
      }).catch(function () { /* terms alone */ });
    }
    if (!explicit && !word) { this.closePopup(); return; }
    // With resources still to come, an empty list waits for them.
    if (choices.length || !(explicit && bare.length >= 2)) this.show(word, choices);
  };

  Editor.prototype.show = function (word, choices) {
    if (!choices.length) { this.hidePopup(); return; }
    this.choices = choices;
    this.active = 0;
    var popup = this.popup;
    while (popup.firstChild) popup.removeChild(popup.firstChild);
    var self = this;
    choices.forEach(function (choice, i) {
      var item = document.createElement("li");
      item.setAttribute("role", "option");
      item.id = "wb-complete-" + i;
      item.appendChild(span("wb-name", choice.label || choice.text));
      item.appendChild(span("wb-kind", choice.kind + (choice.note && choice.note !== choice.label ? " · " + choice.note : "")));
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
    var left = Math.min(marker.offsetLeft - this.textarea.scrollLeft, this.textarea.clientWidth - 260);
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

  /* Closed, and resources still being asked for are not wanted. */
  Editor.prototype.closePopup = function () {
    this.asking++;
    this.hidePopup();
  };

  Editor.prototype.hidePopup = function () {
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
    } else if (event.key === "F" && event.shiftKey && event.altKey) {
      event.preventDefault();
      this.format();
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
  window.SparqlEditor.format = format;
})();
