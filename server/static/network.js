/* The interactive network (vis-network), for /explore, resource pages and
 * embeds.
 *
 * A click on a node or an edge opens the side panel (beside the drawing, or
 * under it on a phone); its "zoom in" link opens the next view (world ->
 * country -> pair of countries -> place -> partnership) as a page of its own,
 * so that the address says the view and the back button returns. A double
 * click goes there at once; Escape closes the panel. The legend's entries
 * hide and show their kind of node.
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
    if (shape === "line") {
      shapeEl = document.createElementNS(SVG, "rect");
      shapeEl.setAttribute("x", "1"); shapeEl.setAttribute("y", "8");
      shapeEl.setAttribute("width", "18"); shapeEl.setAttribute("height", "4");
    } else if (shape === "square") {
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
    this.hiddenKeys = {};
    this.drillBase = root.getAttribute("data-drill");
    this.lang = root.getAttribute("data-lang");
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
    this.drawHead(data);
    this.drawLegend(data.legend);
    this.drawHidden(data.cut);
    if (!data.nodes.length) {
      this.say(this.texts.empty);
      this.root.classList.add("net-is-empty");
      return;
    }
    var container = this.root.querySelector(".net-canvas");
    this.network = new vis.Network(container, { nodes: this.nodes, edges: this.edges }, data.options);
    // Once settled, the drawing stays put: the next visit draws the same
    // picture (fixed seed), and nodes added later do not shake the rest.
    this.rankLabels();
    this.focusId = data.focus || null;
    this.network.once("stabilizationIterationsDone", function () {
      self.network.setOptions({ physics: { enabled: false } });
      self.relabel();
      self.root.classList.add("net-is-ready");
    });
    // Whatever changed the zoom (the wheel, a pinch, "show all", a search
    // that centres a node), the labels follow once the frame is drawn;
    // relabelling draws again, at the same zoom, and stops there.
    this.network.on("afterDrawing", function () {
      if (!self.root.classList.contains("net-is-ready")) return;
      var scale = self.network.getScale();
      if (scale !== self.labelledAt) {
        self.labelledAt = scale;
        window.requestAnimationFrame(function () { self.relabel(); });
      }
    });
    this.network.on("dragEnd", function () { self.relabel(); });
    this.network.on("click", function (params) {
      if (params.nodes.length) self.open(params.nodes[0]);
      else if (params.edges.length) self.openEdge(params.edges[0]);
      else self.close();
    });
    this.network.on("doubleClick", function (params) {
      var item = params.nodes.length ? self.nodes.get(params.nodes[0])
        : params.edges.length ? self.edges.get(params.edges[0]) : null;
      if (item && item.drill) window.location.assign(self.drillUrl(item.drill));
      else if (params.nodes.length) self.expand(params.nodes[0]);
    });
    this.bindControls();
    this.refreshLists();
    this.watchSize(container);
    // For tests and the console: the network drawn last, and all of them.
    var hook = {
      root: this.root, network: this.network, nodes: this.nodes, edges: this.edges,
      open: this.open.bind(this), openEdge: this.openEdge.bind(this),
      expand: this.expand.bind(this), level: data.level
    };
    window.partnergraphNetworks = (window.partnergraphNetworks || []).concat([hook]);
    window.partnergraphNetwork = hook;
  };

  /* Labels keep one size on screen (FONT pixels) at any zoom. As many are
   * shown as the drawing has room for without two overlapping (at most one
   * per LABEL_ROOM square pixels), the largest nodes' first, counting only
   * nodes in sight: zooming in shows more. The focus and the selected node
   * always keep theirs. Edge labels (weights, relations) follow, where they
   * overlap no label. */
  var FONT = 14, EDGE_FONT = 12, LABEL_ROOM = 9000, EDGE_LABEL_ROOM = 30000;
  var NODE_MIN = 5, NODE_MAX = 26;

  Widget.prototype.rankLabels = function () {
    var byValue = function (a, b) { return (b.value || 0) - (a.value || 0); };
    var self = this;
    var nodeValue = function (id) { var n = self.nodes.get(id); return n ? n.value || 0 : 0; };
    // Edges of one weight: those between the largest nodes first.
    var edgeValue = function (e) { return (e.value || 0) * 1000 + nodeValue(e.from) + nodeValue(e.to); };
    this.labelText = {};
    this.edgeText = {};
    this.labelShown = {};
    this.labelLift = {};
    this.edgeShown = {};
    this.nodeOrder = this.nodes.get().sort(byValue).map(function (n) {
      self.labelText[n.id] = n.label; self.labelShown[n.id] = true; return n.id;
    });
    this.edgeOrder = this.edges.get().filter(function (e) { return e.label; })
      .sort(function (a, b) { return edgeValue(b) - edgeValue(a); })
      .map(function (e) { self.edgeText[e.id] = e.label; self.edgeShown[e.id] = true; return e.id; });
  };

  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }

  function textBox(text, x, y, font) {
    var lines = String(text).split("\n");
    var longest = Math.max.apply(null, lines.map(function (l) { return l.length; }));
    var w = longest * font * 0.58, h = lines.length * font * 1.25;
    return { x: x - w / 2, y: y, w: w, h: h };
  }

  Widget.prototype.relabel = function () {
    var net = this.network;
    var scale = net.getScale() || 1;
    this.labelledAt = net.getScale();
    // Sizes too stay in screen pixels: zoomed out, a node stays visible.
    net.setOptions({ nodes: { font: { size: FONT / scale },
                              scaling: { min: NODE_MIN / scale, max: NODE_MAX / scale } },
                     edges: { font: { size: EDGE_FONT / scale } } });
    var canvas = this.root.querySelector(".net-canvas");
    var width = canvas.clientWidth, height = canvas.clientHeight;
    var room = Math.max(8, Math.round(width * height / LABEL_ROOM));
    var edgeRoom = Math.round(width * height / EDGE_LABEL_ROOM);
    var self = this;
    var shown = 0;
    var positions = net.getPositions(this.nodeOrder);
    var nodeChanges = [];
    var spot = {};
    // Each node's radius on screen, as vis-network's value scaling gives it.
    // A label keeps clear of the labels and the nodes of larger nodes (it
    // may cover a smaller node, not hide a larger one).
    var values = this.nodeOrder.map(function (id) { return self.nodes.get(id).value || 0; });
    var low = Math.min.apply(null, values.concat([0])), high = Math.max.apply(null, values.concat([1]));
    var taken = [];
    this.nodeOrder.forEach(function (id, i) {
      if (!positions[id]) return;
      var p = net.canvasToDOM(positions[id]);
      var r = high > low ? NODE_MIN + (values[i] - low) / (high - low) * (NODE_MAX - NODE_MIN) : NODE_MIN;
      spot[id] = { x: p.x, y: p.y, r: r };
    });
    var free = function (box) {
      return box.x >= 0 && box.x + box.w <= width && box.y >= 0 && box.y + box.h <= height &&
        !taken.some(function (t) { return overlaps(t, box); });
    };
    this.nodeOrder.forEach(function (id) {
      var p = spot[id];
      var want = false, lift = 0;
      if (p) {
        var text = self.labelText[id];
        // Below the node as vis-network draws it; where that is taken, above.
        var below = textBox(text, p.x, p.y + p.r + 3, FONT);
        var above = textBox(text, p.x, p.y - p.r - 3 - below.h, FONT);
        var box = null;
        if (id === self.focusId || id === self.selected) {
          box = below;
        } else if (shown < room) {
          if (free(below)) box = below;
          else if (free(above)) { box = above; lift = (2 * p.r + 6 + below.h) / scale; }
        }
        if (box) {
          want = true;
          if (box.x >= 0 && box.x + box.w <= width && box.y >= 0 && box.y + box.h <= height) shown++;
          taken.push(box);
        }
        taken.push({ x: p.x - p.r, y: p.y - p.r, w: 2 * p.r, h: 2 * p.r });
      }
      if (want !== self.labelShown[id] || lift !== (self.labelLift[id] || 0)) {
        self.labelShown[id] = want;
        self.labelLift[id] = lift;
        nodeChanges.push({ id: id, label: want ? self.labelText[id] : "", font: { vadjust: -lift } });
      }
    });
    if (nodeChanges.length) this.nodes.update(nodeChanges);
    var edgeChanges = [];
    var edgesShown = 0;
    this.edgeOrder.forEach(function (id) {
      var edge = self.edges.get(id);
      var a = spot[edge.from], b = spot[edge.to];
      var want = false;
      // Only between named nodes: a relation between two unnamed dots says little.
      if (a && b && edgesShown < edgeRoom && self.labelShown[edge.from] && self.labelShown[edge.to]) {
        var box = textBox(self.edgeText[id], (a.x + b.x) / 2, (a.y + b.y) / 2 - EDGE_FONT / 2, EDGE_FONT);
        var inSight = box.x >= 0 && box.x + box.w <= width && box.y >= 0 && box.y <= height;
        if (inSight && !taken.some(function (t) { return overlaps(t, box); })) {
          want = true;
          edgesShown++;
          taken.push(box);
        }
      }
      if (want !== self.edgeShown[id]) {
        self.edgeShown[id] = want;
        // An empty label leaves the old one drawn; a space clears it.
        edgeChanges.push({ id: id, label: want ? self.edgeText[id] : " " });
      }
    });
    if (edgeChanges.length) this.edges.update(edgeChanges);
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
      if (!hidden) {
        // The panel opening beside the drawing narrows it: draw again at
        // the new size rather than stretched.
        self.network.setSize("100%", "100%");
        self.network.redraw();
        if (wasHidden) self.network.fit();
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
    this.root.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !self.panel.hidden) {
        event.preventDefault();
        self.close();
        self.root.querySelector(".net-canvas").focus();
      }
    });
  };

  Widget.prototype.drillUrl = function (query) {
    var base = this.drillBase || window.location.pathname;
    return base + "?" + query + (this.lang ? "&lang=" + encodeURIComponent(this.lang) : "");
  };

  /* The view's title and the way back up (world > country > ...). */
  Widget.prototype.drawHead = function (data) {
    var depth = document.querySelector(".net-depth");
    if (depth && data.level === "place") depth.hidden = false;
    var head = this.root.querySelector(".net-view-head");
    if (!head) return;
    var self = this;
    clear(head);
    var crumbs = data.crumbs || [];
    if (crumbs.length && this.drillBase) {
      var nav = el("nav", { "aria-label": this.texts.path, "class": "net-crumbs" });
      var list = el("ol");
      crumbs.forEach(function (crumb) {
        var li = el("li");
        li.appendChild(el("a", { href: self.drillUrl(crumb.query) }, crumb.label));
        list.appendChild(li);
      });
      nav.appendChild(list);
      head.appendChild(nav);
    }
    if (data.title) head.appendChild(el("h2", { "class": "net-view-title" }, data.title));
    if (data.measure) head.appendChild(el("p", { "class": "net-measure" }, this.texts.sizedBy + " " + data.measure));
  };

  Widget.prototype.find = function (text) {
    var wanted = (text || "").trim().toLocaleLowerCase();
    if (!wanted) return;
    var all = this.nodes.get();
    var text = function (n) { return (n.name || n.label).toLocaleLowerCase(); };
    var tests = [
      function (n) { return text(n) === wanted; },
      function (n) { return text(n).indexOf(wanted) === 0; },
      function (n) { return text(n).indexOf(wanted) !== -1; }
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
    if (this.labelShown && this.labelShown[id] === false) {
      this.labelShown[id] = true;
      this.nodes.update({ id: id, label: this.labelText[id] });
    }
    this.fillPanel(node.classLabel || "", node.name || node.label, node.facts, node.url, node.drill,
                   moveFocus);
    this.panel.querySelector(".net-expand").hidden = false;
  };

  /* An edge: a partnership drawn as a line, or two countries' cooperation. */
  Widget.prototype.openEdge = function (id, moveFocus) {
    var edge = this.edges.get(id);
    if (!edge) return;
    this.selected = null;
    this.network.selectEdges([id]);
    this.fillPanel("", edge.title || edge.label, edge.facts, edge.url, edge.drill, moveFocus);
    this.panel.querySelector(".net-expand").hidden = true;
  };

  Widget.prototype.fillPanel = function (kind, name, factList, url, drill, moveFocus) {
    var panel = this.panel;
    panel.querySelector(".net-panel-class").textContent = kind;
    var title = panel.querySelector("h3");
    title.textContent = name;
    var facts = panel.querySelector(".net-facts");
    clear(facts);
    (factList || []).forEach(function (fact) {
      facts.appendChild(el("dt", {}, fact[0]));
      facts.appendChild(el("dd", {}, fact[1]));
    });
    var link = panel.querySelector(".net-open");
    if (url) { link.setAttribute("href", url); link.hidden = false; }
    else link.hidden = true;
    var zoom = panel.querySelector(".net-drill");
    if (drill) { zoom.setAttribute("href", this.drillUrl(drill)); zoom.hidden = false; }
    else zoom.hidden = true;
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
        self.say(fresh.length + " " + (fresh.length === 1 ? self.texts.addedOne : self.texts.added));
        return fresh.length;
      })
      .catch(function () { self.say(self.texts.failed); return 0; });
  };

  Widget.prototype.linkAttrs = function (url) {
    return this.linkTarget ? { href: url, target: this.linkTarget, rel: "noopener" } : { href: url };
  };

  /* Each entry is a switch: pressed, its kind of node is drawn. */
  Widget.prototype.drawLegend = function (legend) {
    var self = this;
    var list = this.root.querySelector(".net-legend");
    clear(list);
    (legend || []).forEach(function (item) {
      var li = el("li");
      var button = el("button", { type: "button", "class": "net-legend-item", "aria-pressed": "true",
                                  "data-key": item.key });
      button.appendChild(swatch(item.shape, item.color));
      button.appendChild(el("span", {}, item.label));
      if (item.count !== undefined) button.appendChild(el("span", { "class": "net-count" }, "(" + item.count + ")"));
      button.addEventListener("click", function () {
        var shown = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", shown ? "true" : "false");
        if (shown) delete self.hiddenKeys[item.key]; else self.hiddenKeys[item.key] = true;
        self.applyHidden();
      });
      li.appendChild(button);
      list.appendChild(li);
    });
  };

  Widget.prototype.applyHidden = function () {
    var hidden = this.hiddenKeys;
    this.nodes.update(this.nodes.get().map(function (n) {
      return { id: n.id, hidden: (n.legend || []).some(function (k) { return hidden[k]; }) };
    }));
    this.edges.update(this.edges.get().filter(function (e) { return e.url; }).map(function (e) {
      return { id: e.id, hidden: !!hidden["edge:partnership"] };
    }));
  };

  Widget.prototype.drawHidden = function (cut) {
    var note = this.root.querySelector(".net-hidden");
    if (!cut) { note.hidden = true; return; }
    var text = cut.links ? this.texts.cutLinks : this.texts.cut;
    note.textContent = text.replace("{shown}", cut.shown).replace("{of}", cut.of);
    note.hidden = false;
  };

  /* The same nodes and edges as tables, for keyboards and screen readers,
   * and the names the search box offers. */
  Widget.prototype.refreshLists = function () {
    var t = this.texts;
    var name = function (n) { return n.name || n.label; };
    var byLabel = function (a, b) { return name(a).localeCompare(name(b)); };
    var nodes = this.nodes.get().sort(byLabel);
    var edges = this.edges.get();
    var self = this;
    var names = this.root.querySelector("datalist");
    clear(names);
    nodes.forEach(function (n) { names.appendChild(el("option", { value: name(n) })); });

    var holder = this.root.querySelector(".net-tables");
    clear(holder);
    var nodeTable = el("table", { "class": "net-table" });
    nodeTable.appendChild(el("caption", {}, t.nodes + " (" + nodes.length + ")"));
    nodeTable.appendChild(headRow([t.name, t["class"], t.degree]));
    var body = el("tbody");
    nodes.forEach(function (n) {
      var row = el("tr");
      var cell = el("td");
      if (n.url) cell.appendChild(el("a", self.linkAttrs(n.url), name(n)));
      else cell.textContent = name(n);
      row.appendChild(cell);
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
    var label = function (id) { var n = self.nodes.get(id); return n ? name(n) : id; };
    edges.map(function (e) { return [label(e.from), e.label && !e.url ? e.label : e.title, label(e.to)]; })
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
