/* The workbench: runs the editor's query against /sparql and shows the answer
 * as a table, a map, a chart, a timeline or a network, with downloads, code
 * to reuse it and a snippet to embed it.
 * The query is kept in the address (a permalink) and, while typed, in
 * sessionStorage, so that neither an error nor a reload loses it. Everything
 * from the data goes into the page with textContent, but for the drawn views,
 * which come as HTML from the server's templates, escaped there (and the
 * page's CSP runs no script in them). */
(function () {
  "use strict";


  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  /* N-Triples, one triple a line, into SPARQL JSON-like terms. */
  var NT_TERM = /^(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)\s*/;
  function ntTerm(text) {
    if (text[0] === "<") return { type: "uri", value: text.slice(1, -1) };
    if (text[0] === "_") return { type: "bnode", value: text.slice(2) };
    var end = text.lastIndexOf("\"");
    var term = { type: "literal", value: JSON.parse(text.slice(0, end + 1)) };
    var rest = text.slice(end + 1);
    if (rest[0] === "@") term["xml:lang"] = rest.slice(1);
    else if (rest) term.datatype = rest.slice(3, -1);
    return term;
  }
  function parseNTriples(text) {
    var rows = [];
    text.split("\n").forEach(function (line) {
      line = line.trim();
      if (!line || line[0] === "#") return;
      var terms = [];
      for (var i = 0; i < 3; i++) {
        var m = NT_TERM.exec(line);
        if (!m) return;
        terms.push(ntTerm(m[1]));
        line = line.slice(m[0].length);
      }
      rows.push({ subject: terms[0], predicate: terms[1], object: terms[2] });
    });
    return rows;
  }

  /* The query of the address: query= as the SPARQL protocol and other
   * workbenches write it, or q= as older links do. */
  function queryInAddress() {
    var params = new URLSearchParams(location.search);
    return params.get("query") || params.get("q");
  }

  function Workbench(root) {
    this.root = root;
    this.texts = JSON.parse(root.getAttribute("data-texts"));
    this.textarea = root.querySelector("#wb-q");
    this.editor = new window.SparqlEditor(this.textarea, root.querySelector(".wb-highlight"),
                                          root.querySelector("#wb-complete"),
                                          root.querySelector(".wb-gutter"));
    this.editor.entities = this.entities.bind(this);
    this.errorBox = root.querySelector(".wb-error");
    this.status = root.querySelector(".wb-status");
    this.results = root.querySelector(".wb-results");
    this.panels = {};
    var self = this;
    Array.prototype.forEach.call(root.querySelectorAll(".wb-panel"), function (p) {
      self.panels[p.getAttribute("data-panel")] = p;
    });
    this.bind();
    this.loadVocabulary();
    this.restore();
  }

  Workbench.prototype.draftKey = function () { return "partnergraph-query:" + location.search; };
  var LAST = "partnergraph-last-query";

  /* The query of the address, or the draft typed on it; with neither, the
   * last query written in this browser, or else the first example: the
   * editor never opens empty. */
  Workbench.prototype.restore = function () {
    var draft = null, last = null;
    try {
      draft = sessionStorage.getItem(this.draftKey());
      last = localStorage.getItem(LAST);
    } catch (e) { /* storage off */ }
    var fromUrl = queryInAddress();
    var example = this.root.querySelector(".wb-example");
    if (draft !== null && draft !== this.textarea.value) this.textarea.value = draft;
    else if (!this.textarea.value.trim() && last) this.textarea.value = last;
    else if (!this.textarea.value.trim() && example) this.textarea.value = example.getAttribute("data-query");
    this.editor.refresh();
    if (fromUrl && fromUrl.trim()) this.run(false);
  };

  Workbench.prototype.saveDraft = function () {
    try {
      sessionStorage.setItem(this.draftKey(), this.textarea.value);
      if (this.textarea.value.trim()) localStorage.setItem(LAST, this.textarea.value);
    } catch (e) { /* storage off */ }
  };

  /* Resources whose names match `word`, from the server's search. */
  Workbench.prototype.entities = function (word) {
    var url = this.root.getAttribute("data-entities") + "&q=" + encodeURIComponent(word);
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; });
  };

  /* A short link kept by the server, shown to be copied. */
  Workbench.prototype.shorten = function () {
    var self = this;
    var body = new URLSearchParams();
    body.set("query", this.textarea.value);
    fetch(this.root.getAttribute("data-shorten"), {
      method: "POST", body: body, headers: { Accept: "application/json" }
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error(data.error || String(r.status));
        return data;
      });
    }).then(function (data) {
      var holder = self.root.querySelector(".wb-short");
      var field = holder.querySelector("input");
      var lang = self.root.getAttribute("data-lang");
      field.value = data.url + (lang ? "?lang=" + lang : "");
      holder.hidden = false;
      field.focus();
      field.select();
    }).catch(function (error) { self.fail(String(error.message || error), 0); });
  };

  /* The gallery narrowed to the examples whose words hold what is typed,
   * accents and case aside. */
  Workbench.prototype.findExamples = function (text) {
    function plain(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
    var words = plain(text).split(/\s+/).filter(Boolean);
    var shown = 0;
    Array.prototype.forEach.call(this.root.querySelectorAll(".wb-example"), function (item) {
      var hay = plain(item.textContent);
      var hit = words.every(function (w) { return hay.indexOf(w) !== -1; });
      item.hidden = !hit;
      if (hit) shown++;
    });
    this.root.querySelector(".wb-gallery-none").hidden = shown > 0;
  };

  Workbench.prototype.bind = function () {
    var self = this;
    this.root.querySelector(".wb-form").addEventListener("submit", function (event) {
      event.preventDefault();
      self.run(true);
    });
    this.textarea.addEventListener("input", function () { self.saveDraft(); });
    this.root.querySelector(".wb-format").addEventListener("click", function () { self.editor.format(); });
    this.root.querySelector(".wb-shorten").addEventListener("click", function () { self.shorten(); });
    var find = this.root.querySelector("#wb-gallery-q");
    if (find) find.addEventListener("input", function () { self.findExamples(find.value); });
    this.textarea.addEventListener("change", function () { self.saveDraft(); });
    this.textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        self.run(true);
      }
    });
    Array.prototype.forEach.call(this.root.querySelectorAll(".wb-tab"), function (tab) {
      tab.addEventListener("click", function () { self.show(tab.getAttribute("data-panel")); });
    });
  };

  Workbench.prototype.loadVocabulary = function () {
    var url = this.root.getAttribute("data-vocabulary");
    this.editor.vocabularySource = function () {
      return fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
    };
    this.editor.loadVocabulary();
  };

  Workbench.prototype.show = function (name) {
    var self = this;
    Object.keys(this.panels).forEach(function (key) { self.panels[key].hidden = key !== name; });
    Array.prototype.forEach.call(this.root.querySelectorAll(".wb-tab"), function (tab) {
      tab.setAttribute("aria-selected", tab.getAttribute("data-panel") === name ? "true" : "false");
    });
    if (name === "network" && this.pendingNetwork) {
      this.pendingNetwork();
      this.pendingNetwork = null;
    }
    if (["map", "bars", "lines", "timeline"].indexOf(name) !== -1 && this.lastText && !this.drawn[name]) {
      this.drawn[name] = true;
      this.askView(this.lastText, name);
    }
  };

  /* The address holds the query, so that the page can be shared and
   * reloaded; the draft for the new address is the query itself. */
  Workbench.prototype.remember = function (text) {
    var params = new URLSearchParams(location.search);
    params.delete("q");
    params.set("query", text);
    var url = location.pathname + "?" + params.toString();
    if (url !== location.pathname + location.search) history.pushState(null, "", url);
    this.saveDraft();
  };

  Workbench.prototype.run = function (remember) {
    var self = this;
    var text = this.textarea.value;
    if (!text.trim()) return;
    if (remember) this.remember(text);
    this.errorBox.hidden = true;
    this.editor.clearError();
    this.status.textContent = this.texts.running;
    this.root.classList.add("wb-is-running");
    var started = performance.now();
    var body = new URLSearchParams();
    body.set("query", text);
    fetch(this.root.getAttribute("data-sparql"), {
      method: "POST", body: body,
      headers: { Accept: "application/sparql-results+json, application/n-triples;q=0.9",
                 "Accept-Language": this.root.getAttribute("data-lang") }
    }).then(function (response) {
      return response.text().then(function (data) {
        var ms = Math.round(performance.now() - started);
        if (!response.ok) return self.fail(data, response.status);
        self.answer(text, response, data, ms);
      });
    }).catch(function (error) {
      self.fail(String(error), 0);
    }).then(function () {
      self.root.classList.remove("wb-is-running");
      self.root.classList.add("wb-is-done");
    });
  };

  /* A query that does not parse is answered with what is wrong in the
   * reader's words, a blank line, and the parser's own text: the first is
   * shown, the second folded under it. */
  Workbench.prototype.fail = function (message, status) {
    var t = this.texts;
    var parts = message.trim().split(/\n\n/);
    var said = parts[0], raw = parts.slice(1).join("\n\n");
    var where = /(?:line|rad) (\d+), (?:column|kolumn) (\d+)/.exec(said);
    var box = this.errorBox;
    clear(box);
    box.removeAttribute("data-line");
    box.removeAttribute("data-column");
    if (where) {
      var line = parseInt(where[1], 10), column = parseInt(where[2], 10);
      this.editor.markError(line, column);
      box.setAttribute("data-line", line);
      box.setAttribute("data-column", column);
    } else {
      box.appendChild(el("strong", {}, t.failed + (status ? " (" + status + ")" : "") + ": "));
    }
    box.appendChild(el("span", { "class": "wb-error-text" }, said));
    if (raw) {
      var details = el("details", { "class": "wb-error-raw" });
      details.appendChild(el("summary", {}, t.parserSaid));
      details.appendChild(el("pre", {}, raw));
      box.appendChild(details);
    }
    box.hidden = false;
    this.status.textContent = "";
    this.results.hidden = true;
  };

  Workbench.prototype.answer = function (text, response, data, ms) {
    var t = this.texts;
    var answered = performance.now();
    var type = (response.headers.get("Content-Type") || "").split(";")[0];
    var table;
    var graph = type === "application/n-triples";
    if (graph) {
      var triples = parseNTriples(data);
      table = { vars: ["subject", "predicate", "object"], rows: triples };
    } else {
      var json = JSON.parse(data);
      if (typeof json.boolean === "boolean") table = { vars: ["boolean"], rows: [], boolean: json.boolean };
      else table = { vars: json.head.vars, rows: json.results.bindings };
    }
    var limit = response.headers.get("X-Partnergraph-Row-Limit");
    var count = table.boolean !== undefined ? 1 : table.rows.length;
    var noun = graph ? (count === 1 ? t.triple : t.triples) : (count === 1 ? t.row : t.rows);
    var summary = count + " " + noun + " · " + ms + " " + t.ms;
    if (limit) summary += " · " + t.truncated + " " + limit;
    this.status.textContent = summary;
    this.status.setAttribute("data-rows", count);
    this.results.hidden = false;
    var parsed = performance.now();
    this.drawTable(table);
    // How long the page took to show the answer once it was all in: read by
    // bench/workbench_bench.py, never by a test's assertion.
    this.timings = { server: ms, parse: parsed - answered, table: performance.now() - parsed };
    this.prepareNetwork(text, graph || (table.vars.indexOf("source") !== -1 && table.vars.indexOf("target") !== -1));
    this.lastText = text;
    this.runs = (this.runs || 0) + 1;
    this.show("table");
    this.drawViews(text);
    this.drawDownloads(text, graph, table.boolean !== undefined);
    this.drawSnippets(text);
  };

  Workbench.prototype.drawTable = function (table) {
    var panel = this.panels.table;
    clear(panel);
    panel.removeAttribute("data-labelled");
    if (table.boolean !== undefined) {
      panel.appendChild(el("p", { "class": "wb-boolean" }, table.boolean ? this.texts.yes : this.texts.no));
      return;
    }
    if (!table.rows.length) { panel.appendChild(el("p", {}, this.texts.empty)); return; }
    this.table = new window.ResultTable(panel, table, {
      texts: this.texts, labels: this.labels.bind(this)
    });
  };

  /* Labels and page links for IRIs, asked of the server. */
  Workbench.prototype.labels = function (iris) {
    return fetch(this.root.getAttribute("data-labels"), {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ iris: iris })
    }).then(function (r) { return r.ok ? r.json() : {}; });
  };

  Workbench.prototype.prepareNetwork = function (text, possible) {
    var panel = this.panels.network;
    clear(panel);
    this.pendingNetwork = null;
    if (!possible) { panel.appendChild(el("p", {}, this.texts.noNetwork)); return; }
    var root = this.root;
    this.pendingNetwork = function () {
      var template = root.querySelector(".wb-network-template");
      var widget = document.importNode(template.content, true);
      // The page loads the scripts once; the template's copies must not run.
      Array.prototype.forEach.call(widget.querySelectorAll("script"), function (s) { s.remove(); });
      var holder = widget.querySelector(".pg-network");
      holder.setAttribute("data-api", root.getAttribute("data-network") + "&q=" + encodeURIComponent(text));
      panel.appendChild(widget);
      window.partnergraphDrawNetwork(holder);
    };
  };

  /* The answer drawn by the server as a map, a chart or a timeline: the
   * view the query asks for (#defaultView:Map) or its variables suggest
   * opens first; the others are asked for when their tab is. */
  Workbench.prototype.drawViews = function (text) {
    var self = this;
    this.drawn = {};
    ["map", "bars", "lines", "timeline"].forEach(function (name) { clear(self.panels[name]); });
    this.root.removeAttribute("data-shown-view");
    this.askView(text, "auto").then(function (answer) {
      if (!answer) return;
      self.root.setAttribute("data-shown-view", answer.view);
      if (answer.view === "graph") self.show("network");
      else if (answer.view !== "table") self.show(answer.view);
    });
  };

  Workbench.prototype.askView = function (text, name) {
    var self = this;
    var body = new URLSearchParams();
    body.set("query", text);
    body.set("view", name);
    var run = this.runs;
    return fetch(this.root.getAttribute("data-views"), {
      method: "POST", body: body, headers: { Accept: "application/json" }
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (answer) {
      if (!answer || run !== self.runs) return null;     // a newer query has run since
      if (self.panels[answer.view] && answer.html) {
        self.panels[answer.view].innerHTML = answer.html;   // escaped by the server's templates
        self.drawn[answer.view] = true;
      }
      self.embed(answer);
      return answer;
    }).catch(function () { return null; });
  };

  /* The Embed disclosure: the snippet of the view on show. */
  Workbench.prototype.embed = function (answer) {
    var box = this.root.querySelector("#wb-embed");
    if (!box) return;
    box.querySelector(".emb-code").value = answer.snippet;
    Object.keys(answer.snippets || {}).forEach(function (shape) {
      box.setAttribute("data-snippet-" + shape, answer.snippets[shape]);
    });
    box.dispatchEvent(new Event("emb-snippets"));
    var preview = box.querySelector(".emb-preview");
    preview.setAttribute("data-src", answer.embed);
    if (box.open) preview.setAttribute("src", answer.embed);
    else preview.removeAttribute("src");
  };

  /* Downloads of the whole answer: each a POST of the query with the format
   * asked for, saved as a file, so that a long query needs no long address. */
  Workbench.prototype.drawDownloads = function (text, graph, ask) {
    var holder = this.root.querySelector(".wb-downloads");
    Array.prototype.forEach.call(holder.querySelectorAll("button"), function (b) { b.remove(); });
    var formats = graph ? ["turtle", "nt", "jsonld", "rdfxml"] : ask ? ["json", "xml"] : ["csv", "tsv", "json", "xml"];
    var endings = { turtle: "ttl", nt: "nt", jsonld: "jsonld", rdfxml: "rdf", csv: "csv", tsv: "tsv", json: "json", xml: "xml" };
    var base = this.root.getAttribute("data-sparql");
    var self = this;
    formats.forEach(function (f) {
      var button = el("button", { type: "button", "class": "wb-download", "data-format": f }, f);
      button.addEventListener("click", function () {
        var body = new URLSearchParams();
        body.set("query", text);
        body.set("format", f);
        button.disabled = true;
        fetch(base, { method: "POST", body: body }).then(function (r) {
          if (!r.ok) return r.text().then(function (message) { throw new Error(message); });
          return r.blob();
        }).then(function (blob) {
          var a = el("a", { href: URL.createObjectURL(blob), download: "answer." + endings[f] });
          document.body.appendChild(a);
          a.click();
          setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        }).catch(function (error) { self.fail(String(error.message || error), 0); })
          .then(function () { button.disabled = false; });
      });
      holder.appendChild(button);
    });
  };

  Workbench.prototype.drawSnippets = function (text) {
    var holder = this.root.querySelector(".wb-snippet-list");
    clear(holder);
    var endpoint = this.root.getAttribute("data-endpoint");
    var str = JSON.stringify(text);     // a valid string literal in Python, R and JavaScript
    var url = JSON.stringify(endpoint);
    var shell = "'" + text.replace(/'/g, "'\\''") + "'";
    var snippets = [
      ["Python (SPARQLWrapper)",
       "from SPARQLWrapper import SPARQLWrapper, JSON\n\nsparql = SPARQLWrapper(" + url + ")\n" +
       "sparql.setQuery(" + str + ")\nsparql.setReturnFormat(JSON)\n" +
       "for row in sparql.queryAndConvert()[\"results\"][\"bindings\"]:\n    print(row)\n"],
      ["Python (requests)",
       "import requests\n\nresponse = requests.post(\n    " + url + ",\n    data={\"query\": " + str + "},\n" +
       "    headers={\"Accept\": \"application/sparql-results+json\"},\n)\nresponse.raise_for_status()\n" +
       "print(response.json()[\"results\"][\"bindings\"])\n"],
      ["R (httr)",
       "library(httr)\n\nresponse <- POST(" + url + ",\n  body = list(query = " + str + "),\n" +
       "  encode = \"form\", accept(\"text/csv\"))\nstop_for_status(response)\n" +
       "results <- read.csv(text = content(response, \"text\", encoding = \"UTF-8\"))\nprint(results)\n"],
      ["JavaScript (fetch)",
       "const response = await fetch(" + url + ", {\n  method: \"POST\",\n" +
       "  headers: { Accept: \"application/sparql-results+json\" },\n" +
       "  body: new URLSearchParams({ query: " + str + " }),\n});\n" +
       "const data = await response.json();\nconsole.log(data.results.bindings);\n"],
      ["curl",
       "curl -H 'Accept: text/csv' --data-urlencode query=" + shell + " \\\n  " + endpoint + "\n"]
    ];
    snippets.forEach(function (s) {
      holder.appendChild(el("h3", {}, s[0]));
      holder.appendChild(el("pre", { "class": "wb-snippet" })).appendChild(el("code", {}, s[1]));
    });
  };

  function start() {
    var root = document.querySelector(".wb");
    if (root) window.partnergraphWorkbench = new Workbench(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
