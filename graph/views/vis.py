"""A network view as vis-network data: nodes, edges and drawing options, built
with pyvis so that they are what vis-network expects. Only the data is used;
pyvis's HTML page (Bootstrap from CDNs, tooltips through innerHTML) is not.

Every text here (labels, tooltips, facts) is plain text: the browser shows it
with textContent, and vis-network 9 shows a string title as text.

Labels are wrapped at spaces only, never inside a word. network.js keeps
them the same size on screen whatever the zoom, and shows as many as the
drawing has room for, the largest nodes' first: more appear as one zooms in.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable
from urllib.parse import urlencode

from pyvis.network import Network

from graph.views.network_query import CLASSES
from graph.views.network_views import NetworkView

# Colour and shape per class; the colours are told apart by people with the
# common forms of colour blindness, and the shape says the class as well.
STYLE: dict[str, tuple[str, str]] = {
    "municipality": ("#1f6fb5", "dot"),
    "partnership": ("#d9731a", "diamond"),
    "project": ("#2e8b57", "square"),
    "event": ("#8e44ad", "triangle"),
    "theme": ("#138d90", "hexagon"),
    "funder": ("#c9a100", "star"),
    "programme": ("#a0672b", "star"),
    "country": ("#4f6d8a", "dot"),
    "person": ("#c2417a", "dot"),
}
# Places are coloured by their country in the views of pairs of countries
# and of one place, when they hold few countries.
# No orange or gold: those are partnerships and funders.
COUNTRY_COLOURS = ["#0072b2", "#3a7d44", "#7a5195", "#56b4e9", "#8c564b", "#cc79a7",
                   "#1b5e6b", "#5b6b8c"]

# The same layout on every load: a fixed seed, and physics that stops once the
# drawing has settled (network.js switches it off at stabilisation). Kamada-
# Kawai's start (improvedLayout) and 400 iterations took 760 ms in Chromium
# for the world's 201 countries, without a better picture than 200
# iterations from the seeded start give in 260 ms (bench/explore_draw.py).
OPTIONS = {
    "layout": {"randomSeed": 11, "improvedLayout": False},
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -240, "springLength": 190,
                             "springConstant": 0.04, "avoidOverlap": 1},
        "stabilization": {"enabled": True, "iterations": 200, "fit": True},
    },
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False,
                    "keyboard": False, "multiselect": False},
    "nodes": {"font": {"size": 16, "face": "system-ui, sans-serif", "color": "#1d2733",
                       "strokeWidth": 4, "strokeColor": "#ffffff"},
              "borderWidth": 1,
              "scaling": {"min": 10, "max": 42, "label": {"enabled": False}}},
    "edges": {"font": {"size": 13, "color": "#374151", "strokeWidth": 4,
                       "strokeColor": "#ffffff", "align": "middle"},
              "color": {"color": "#9aa5b1", "highlight": "#0b5cab", "hover": "#0b5cab"},
              "arrows": {"to": {"enabled": False}},
              "scaling": {"min": 1, "max": 9, "label": {"enabled": False}},
              # Straight lines: a curve says nothing here and costs drawing time.
              "smooth": {"enabled": False}},
}

OPTIONS["groups"] = {cls: {"shape": shape, "color": {"background": colour, "border": "#ffffff"}}
                     for cls, (colour, shape) in STYLE.items()}

PageUrl = Callable[[str], str]
# Nodes of no class the network knows.
GREY = "#6b7785"
# A label longer than this many characters goes on more lines, at spaces.
LINE = 22


def node_size(degree: int) -> float:
    return round(10 + 5 * math.sqrt(max(degree, 0)), 1)


def wrap(text: str, width: int = LINE) -> str:
    """`text` on lines of about `width` characters, broken at spaces only:
    a word longer than a line keeps a line of its own, whole."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines) or text


class VisBuilder:
    """Nodes and edges as vis-network takes them, made by pyvis, with the
    fields network.js reads (class label, degree, page URL, key facts)."""

    def __init__(self, directed: bool = True) -> None:
        self.net = Network(directed=directed)
        self.net.set_options(json.dumps(OPTIONS))

    def add_node(self, node: str, *, label: str, title: str, cls: str | None,
                 class_label: str, degree: int, url: str | None,
                 facts: list[list[str]] | None = None, focus: bool = False,
                 colour: str | None = None, **extra) -> None:
        default, shape = STYLE.get(cls or "", (GREY, "dot"))
        self.net.add_node(
            node, label=wrap(label), title=title, group=cls or "other", shape=shape,
            size=node_size(degree), borderWidth=3 if focus else 1,
            classLabel=class_label, degree=degree, url=url, name=label,
            facts=facts or [], **extra)
        # pyvis drops a node's colour when it has a group; the colour belongs
        # on the node all the same, so that it never depends on group order.
        self.net.node_map[node]["color"] = _colours(colour or default, focus=focus)

    def add_edge(self, source: str, target: str, *, id: str, label: str, title: str,
                 **extra) -> None:
        self.net.add_edge(source, target, id=id, label=label, title=title, **extra)

    def payload(self, *, legend: list[dict], focus: str | None = None, **extra) -> dict:
        options = self.net.options
        options = options if isinstance(options, dict) else json.loads(options.to_json())
        return {"nodes": self.net.nodes, "edges": self.net.edges, "options": options,
                "focus": focus, "legend": legend, **extra}


def vis_data(view: NetworkView, class_label: Callable[[str], str], page_url: PageUrl) -> dict:
    """The view as vis-network wants it: nodes sized by the view's measure,
    places coloured by country when the view holds few, a legend whose
    entries filter, where each node and edge leads (`drill`, the query string
    of the next view), and the view's title, path and what it left out."""
    # Who cooperates with whom has no direction worth an arrow.
    builder = VisBuilder(directed=False)
    palette = _country_palette(view)
    names = {n.id: n.label for n in view.nodes.values()}
    # vis-network's layout follows the order nodes and edges come in; the
    # store answers in no fixed order, so one view is drawn the same way on
    # every visit and after every restart only when the order is ours.
    for node in sorted(view.nodes.values(), key=lambda n: n.id):
        klass = class_label(node.cls)
        title = f"{node.label}\n{klass}"
        if view.measure:
            title += f" · {node.measure} {view.measure}"
        colour = palette.get(node.country or "") if node.cls == "municipality" else None
        keys = [node.cls] + ([f"country:{node.country}"] if colour else [])
        builder.add_node(
            node.id, label=node.label, title=title, cls=node.cls, class_label=klass,
            degree=node.measure, url=page_url(node.id) if node.page else None,
            facts=[list(f) for f in node.facts], focus=node.id == view.focus, colour=colour,
            value=node.measure, drill=_query(node.drill), legend=keys)
    ordered = sorted(view.edges, key=lambda e: (e.source, e.target, e.label, e.stands_for or ""))
    for i, edge in enumerate(ordered):
        builder.add_edge(
            edge.source, edge.target, id=f"e{i}", label=edge.label,
            title=edge.title or f"{names[edge.source]} — {names[edge.target]}",
            value=edge.weight, drill=_query(edge.drill),
            url=page_url(edge.stands_for) if edge.stands_for else None,
            facts=[list(f) for f in edge.facts],
            **({"dashes": False, "width": 3, "color": {"color": STYLE["partnership"][0]}}
               if edge.stands_for else {}))
    present = [cls for cls in CLASSES if any(n.cls == cls for n in view.nodes.values())]
    legend = [{"key": cls, "label": class_label(cls), "color": STYLE[cls][0],
               "shape": STYLE[cls][1],
               "count": sum(n.cls == cls for n in view.nodes.values())} for cls in present]
    if any(e.stands_for for e in view.edges):
        legend.append({"key": "edge:partnership", "label": view.edge_legend,
                       "color": STYLE["partnership"][0], "shape": "line",
                       "count": sum(bool(e.stands_for) for e in view.edges)})
    country_names = {n.country: n.country_name for n in view.nodes.values()
                     if n.country in palette}
    legend += [{"key": f"country:{code}", "label": country_names[code] or code,
                "color": palette[code],
                "shape": "dot", "count": sum(n.country == code and n.cls == "municipality"
                                             for n in view.nodes.values())}
               for code in palette]
    return builder.payload(
        legend=legend, focus=view.focus, level=view.level, title=view.title,
        crumbs=[{"label": label, "query": _query(q)} for label, q in view.crumbs],
        measure=view.measure, total=len(view.nodes),
        cut=({"shown": view.cut[0], "of": view.cut[1], "links": view.level == "world"}
             if view.cut else None))


def _country_palette(view: NetworkView) -> dict[str, str]:
    """A colour per country of the view's places, the commonest first, when
    they fit the palette; none otherwise (the class colour then)."""
    if view.level not in ("pair", "place"):
        return {}
    counts: dict[str, int] = {}
    for n in view.nodes.values():
        if n.cls == "municipality" and n.country:
            counts[n.country] = counts.get(n.country, 0) + 1
    if not counts or len(counts) > len(COUNTRY_COLOURS):
        return {}
    ranked = sorted(counts, key=lambda c: (-counts[c], c))
    return dict(zip(ranked, COUNTRY_COLOURS, strict=False))


def _query(query: dict[str, str] | None) -> str | None:
    return urlencode(query) if query else None


def _colours(colour: str, focus: bool = False) -> dict:
    return {"background": colour, "border": "#1d2733" if focus else "#ffffff",
            "highlight": {"background": colour, "border": "#1d2733"},
            "hover": {"background": colour, "border": "#1d2733"}}


def legend(present: set[str], class_label: Callable[[str], str]) -> list[dict]:
    return [{"key": cls, "label": class_label(cls), "color": STYLE[cls][0],
             "shape": STYLE[cls][1]}
            for cls in CLASSES if cls in present]
