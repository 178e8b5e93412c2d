/* The interactive network (vis-network), for /explore and resource pages.
 *
 * Everything that comes from the data is put into the page with textContent or
 * as attribute values, never as markup: a label is whatever a source said. */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /* A small picture of a class's shape and colour, as in the drawing. */
  function swatch(shape, colour) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    var points = {
      diamond: "10,1 19,10 10,19 1,10",
      triangle: "10,2 19,18 1,18",
      triangleDown: "1,2 19,2 10,18",
      star: "10,1 12.6,7 19,7.5 14,11.6 15.6,18 10,14.5 4.4,18 6,11.6 1,7.5 7.4,7",
      hexagon: "5,2 15,2 19,10 15,18 5,18 1,10"
    };
    var shapeEl;
    if (shape === "square") {
      shapeEl = document.createElementNS(SVG, "rect");
      shapeEl.setAttribute("x", "2"); shapeEl.setAttribute("y", "2");
      shapeEl.setAttribute("width", "16"); shapeEl.setAttribute("height", "16");
    } else if (points[shape]) {
      shapeEl = document.createElementNS(SVG, "polygon");
      shapeEl.setAttribute("points", points[shape]);
    } else {
      shapeEl = document.createElementNS(SVG, "circle");
      shapeEl.setAttribute("cx", "10"); shapeEl.setAttribute("cy", "10"); shapeEl.setAttribute("r", "8");
    }
    shapeEl.setAttribute("fill", colour);
    svg.appendChild(shapeEl);
    return svg;
  }

  function Widget(root) {
    this.root = root;
    this.texts = JSON.parse(root.getAttribute("data-texts") || "{}");
    this.status = root.querySelector(".net-status");
    this.panel = root.querySelector(".net-panel");
    this.selected = null;
    // In an embed view, links open the full site beside the host page
    // rather than inside the frame.
    this.linkTarget = root.getAttribute("data-link-target");
    if (this.linkTarget) {
      var open = this.panel.querySelector(".net-open");
      open.setAttribute("target", this.linkTarget);
      open.setAttribute("rel", "noopener");
    }
  }

  Widget.prototype.say = function (text) { this.status.textContent = text; };

  Widget.prototype.load = function () {
    var self = this;
    fetch(this.root.getAttribute("data-api"), { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { self.draw(data); })
      .catch(function () { self.say(self.texts.failed); });
  };

  Widget.prototype.draw = function (data) {
    var self = this;
    this.nodes = new vis.DataSet(data.nodes);
    this.edges = new vis.DataSet(data.edges);
    this.drawLegend(data.legend);
    this.drawHidden(data.hidden);
    if (!data.nodes.length) {
      this.say(this.texts.empty);
      this.root.classList.add("net-is-empty");
      return;
    }
    var container = this.root.querySelector(".net-canvas");
    this.network = new vis.Network(container, { nodes: this.nodes, edges: this.edges }, data.options);
    // Once settled, the drawing stays put: the next visit draws the same
    // picture (fixed seed), and nodes added later do not shake the rest.
    this.network.once("stabilizationIterationsDone", function () {
      self.network.setOptions({ physics: { enabled: false } });
      self.root.classList.add("net-is-ready");
    });
    this.network.on("click", function (params) {
      if (params.nodes.length) self.open(params.nodes[0]);
      else self.close();
    });
    this.network.on("doubleClick", function (params) {
      if (params.nodes.length) self.expand(params.nodes[0]);
    });
    this.bindControls();
    this.refreshLists();
    this.watchSize(container);
    // For tests and the console: the network drawn last, and all of them.
    var hook = {
      root: this.root, network: this.network, nodes: this.nodes, edges: this.edges,
      open: this.open.bind(this), expand: this.expand.bind(this)
    };
    window.partnergraphNetworks = (window.partnergraphNetworks || []).concat([hook]);
    window.partnergraphNetwork = hook;
  };

  /* vis-network lays out and fits in whatever size its container has; in a
   * hidden tab or a closed disclosure that is 0×0, and the drawing would stay
   * a dot. When the container gets a size after having none, fit again. */
  Widget.prototype.watchSize = function (container) {
    if (typeof ResizeObserver === "undefined") return;
    var self = this;
    var wasHidden = !container.clientWidth || !container.clientHeight;
    new ResizeObserver(function () {
      var hidden = !container.clientWidth || !container.clientHeight;
      if (wasHidden && !hidden) {
        self.network.setSize("100%", "100%");
        self.network.redraw();
        self.network.fit();
      }
      wasHidden = hidden;
    }).observe(container);
  };

  Widget.prototype.bindControls = function () {
    var self = this;
    this.root.querySelector(".net-find").addEventListener("submit", function (event) {
      event.preventDefault();
      self.find(event.target.elements.find.value);
    });
    this.root.querySelector(".net-fit").addEventListener("click", function () {
      self.network.fit({ animation: { duration: 300 } });
    });
    this.panel.querySelector(".net-close").addEventListener("click", function () { self.close(); });
    this.panel.querySelector(".net-expand").addEventListener("click", function () {
      if (self.selected) self.expand(self.selected);
    });
  };

  Widget.prototype.find = function (text) {
    var wanted = (text || "").trim().toLocaleLowerCase();
    if (!wanted) return;
    var all = this.nodes.get();
    var tests = [
      function (n) { return n.label.toLocaleLowerCase() === wanted; },
      function (n) { return n.label.toLocaleLowerCase().indexOf(wanted) === 0; },
      function (n) { return n.label.toLocaleLowerCase().indexOf(wanted) !== -1; }
    ];
    for (var i = 0; i < tests.length; i++) {
      var hit = all.filter(tests[i])[0];
      if (hit) {
        this.network.focus(hit.id, { scale: 1.2, animation: { duration: 400 } });
        this.open(hit.id, true);
        return;
      }
    }
    this.say(this.texts.notFound);
  };

  Widget.prototype.open = function (id, moveFocus) {
    var node = this.nodes.get(id);
    if (!node) return;
    this.selected = id;
    this.network.selectNodes([id]);
    var panel = this.panel;
    panel.querySelector(".net-panel-class").textContent = node.classLabel || "";
    var title = panel.querySelector("h3");
    title.textContent = node.label;
    var facts = panel.querySelector(".net-facts");
    clear(facts);
    (node.facts || []).forEach(function (fact) {
      facts.appendChild(el("dt", {}, fact[0]));
      facts.appendChild(el("dd", {}, fact[1]));
    });
    var link = panel.querySelector(".net-open");
    if (node.url) { link.setAttribute("href", node.url); link.hidden = false; }
    else link.hidden = true;
    panel.querySelector(".net-expand").hidden = !!node.cluster;
    panel.hidden = false;
    this.root.classList.add("net-has-panel");
    if (moveFocus) title.focus();
  };

  Widget.prototype.close = function () {
    this.selected = null;
    this.panel.hidden = true;
    this.root.classList.remove("net-has-panel");
    if (this.network) this.network.unselectAll();
  };

  /* Adds a node's neighbours around it, in a ring, without moving what is
   * already drawn. */
  Widget.prototype.expand = function (id) {
    var self = this;
    var node = this.nodes.get(id);
    if (!node || node.cluster) return Promise.resolve(0);
    var url = this.root.getAttribute("data-neighbours");
    url += (url.indexOf("?") === -1 ? "?" : "&") + "iri=" + encodeURIComponent(id);
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var centre = self.network.getPositions([id])[id] || { x: 0, y: 0 };
        var fresh = data.nodes.filter(function (n) { return !self.nodes.get(n.id); });
        fresh.forEach(function (n, i) {
          var angle = (2 * Math.PI * i) / Math.max(fresh.length, 1);
          var radius = 160 + 12 * fresh.length;
          n.x = centre.x + radius * Math.cos(angle);
          n.y = centre.y + radius * Math.sin(angle);
        });
        self.nodes.add(fresh);
        self.edges.add(data.edges.filter(function (e) { return !self.edges.get(e.id); }));
        self.refreshLists();
        self.say(fresh.length + " " + self.texts.added);
        return fresh.length;
      })
      .catch(function () { self.say(self.texts.failed); return 0; });
  };

  Widget.prototype.linkAttrs = function (url) {
    return this.linkTarget ? { href: url, target: this.linkTarget, rel: "noopener" } : { href: url };
  };

  Widget.prototype.drawLegend = function (legend) {
    var list = this.root.querySelector(".net-legend");
    clear(list);
    (legend || []).forEach(function (item) {
      var li = el("li");
      li.appendChild(swatch(item.shape, item.color));
      li.appendChild(el("span", {}, item.label));
      list.appendChild(li);
    });
  };

  Widget.prototype.drawHidden = function (hidden) {
    var note = this.root.querySelector(".net-hidden");
    if (!hidden || !hidden.length) { note.hidden = true; return; }
    note.textContent = this.texts.hidden + " " + hidden.map(function (h) {
      return h.count + " " + h["class"];
    }).join(", ");
    note.hidden = false;
  };

  /* The same nodes and edges as tables, for keyboards and screen readers,
   * and the names the search box offers. */
  Widget.prototype.refreshLists = function () {
    var t = this.texts;
    var byLabel = function (a, b) { return a.label.localeCompare(b.label); };
    var nodes = this.nodes.get().sort(byLabel);
    var edges = this.edges.get();
    var self = this;
    var names = this.root.querySelector("datalist");
    clear(names);
    nodes.forEach(function (n) { names.appendChild(el("option", { value: n.label })); });

    var holder = this.root.querySelector(".net-tables");
    clear(holder);
    var nodeTable = el("table", { "class": "net-table" });
    nodeTable.appendChild(el("caption", {}, t.nodes + " (" + nodes.length + ")"));
    nodeTable.appendChild(headRow([t.name, t["class"], t.degree]));
    var body = el("tbody");
    nodes.forEach(function (n) {
      var row = el("tr");
      var name = el("td");
      if (n.url) name.appendChild(el("a", self.linkAttrs(n.url), n.label));
      else name.textContent = n.label;
      row.appendChild(name);
      row.appendChild(el("td", {}, n.classLabel));
      row.appendChild(el("td", { "class": "num" }, n.degree));
      body.appendChild(row);
    });
    nodeTable.appendChild(body);
    holder.appendChild(nodeTable);

    var edgeTable = el("table", { "class": "net-table" });
    edgeTable.appendChild(el("caption", {}, t.edges + " (" + edges.length + ")"));
    edgeTable.appendChild(headRow([t.from, t.relation, t.to]));
    body = el("tbody");
    var label = function (id) { var n = self.nodes.get(id); return n ? n.label : id; };
    edges.map(function (e) { return [label(e.from), e.label, label(e.to)]; })
      .sort(function (a, b) { return a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]); })
      .forEach(function (cells) {
        var row = el("tr");
        cells.forEach(function (c) { row.appendChild(el("td", {}, c)); });
        body.appendChild(row);
      });
    edgeTable.appendChild(body);
    holder.appendChild(edgeTable);
    this.say(t.nodes + ": " + nodes.length + " · " + t.edges + ": " + edges.length);
  };

  function headRow(labels) {
    var head = el("thead");
    var row = el("tr");
    labels.forEach(function (l) { row.appendChild(el("th", { scope: "col" }, l)); });
    head.appendChild(row);
    return head;
  }

  /* Filters apply as soon as they change; empty ones stay out of the address
   * so that a shared link says only what was chosen. */
  function bindFilterForm(form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.value === "") field.disabled = true;
      });
    });
    form.addEventListener("change", function (event) {
      if (event.target.tagName === "SELECT") form.requestSubmit();
    });
  }

  // For a widget put into the page after load (the workbench draws query
  // results): set its data-api, then call this.
  window.partnergraphDrawNetwork = function (root) { new Widget(root).load(); };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosubmit]"), bindFilterForm);
    Array.prototype.forEach.call(document.querySelectorAll(".pg-network[data-api]"), function (root) {
      new Widget(root).load();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
