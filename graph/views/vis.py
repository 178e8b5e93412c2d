"""A network view as vis-network data: nodes, edges and drawing options, built
with pyvis so that they are what vis-network expects. Only the data is used;
pyvis's HTML page (Bootstrap from CDNs, tooltips through innerHTML) is not.

Every text here (labels, tooltips, facts) is plain text: the browser shows it
with textContent, and vis-network 9 shows a string title as text.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable

from pyvis.network import Network

from graph.views.network import CLASSES, NetworkModel, View, key_facts

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
    "country": ("#6b7785", "triangleDown"),
    "person": ("#c2417a", "dot"),
}

# The same layout on every load: a fixed seed, and physics that stops once the
# drawing has settled (network.js switches it off at stabilisation).
OPTIONS = {
    "layout": {"randomSeed": 11, "improvedLayout": True},
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -140, "springLength": 150,
                             "springConstant": 0.05, "avoidOverlap": 0.9},
        "stabilization": {"enabled": True, "iterations": 400, "fit": True},
    },
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False,
                    "keyboard": False, "multiselect": False},
    "nodes": {"font": {"size": 17, "face": "system-ui, sans-serif", "color": "#1d2733",
                       "strokeWidth": 3, "strokeColor": "#ffffff"},
              "borderWidth": 1, "widthConstraint": {"maximum": 180}},
    "edges": {"font": {"size": 11, "color": "#4b5563", "strokeWidth": 3,
                       "strokeColor": "#ffffff", "align": "middle"},
              "color": {"color": "#9aa5b1", "highlight": "#0b5cab", "hover": "#0b5cab"},
              "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
              "smooth": {"enabled": True, "type": "continuous"}},
}

OPTIONS["groups"] = {cls: {"shape": shape, "color": {"background": colour, "border": "#ffffff"}}
                     for cls, (colour, shape) in STYLE.items()}

PageUrl = Callable[[str], str]
# Nodes of no class the network knows.
GREY = "#6b7785"


def node_size(degree: int) -> float:
    return round(10 + 5 * math.sqrt(max(degree, 0)), 1)


class VisBuilder:
    """Nodes and edges as vis-network takes them, made by pyvis, with the
    fields network.js reads (class label, degree, page URL, key facts)."""

    def __init__(self) -> None:
        self.net = Network(directed=True)
        self.net.set_options(json.dumps(OPTIONS))

    def add_node(self, node: str, *, label: str, title: str, cls: str | None,
                 class_label: str, degree: int, url: str | None,
                 facts: list[list[str]] | None = None, focus: bool = False,
                 cluster: bool = False) -> None:
        colour, shape = STYLE.get(cls or "", (GREY, "dot"))
        self.net.add_node(
            node, label=label, title=title, group=cls or "other", shape=shape,
            size=node_size(degree), borderWidth=3 if focus else 1,
            classLabel=class_label, degree=degree, cluster=cluster, url=url,
            facts=facts or [])
        # pyvis drops a node's colour when it has a group; the colour belongs
        # on the node all the same, so that it never depends on group order.
        self.net.node_map[node]["color"] = _colours(colour, focus=focus)

    def add_edge(self, source: str, target: str, *, id: str, label: str, title: str) -> None:
        self.net.add_edge(source, target, id=id, label=label, title=title)

    def payload(self, *, legend: list[dict], focus: str | None = None,
                hidden: list[dict] | None = None, total: int | None = None) -> dict:
        options = self.net.options
        options = options if isinstance(options, dict) else json.loads(options.to_json())
        return {"nodes": self.net.nodes, "edges": self.net.edges, "options": options,
                "focus": focus, "legend": legend, "hidden": hidden or [],
                "total": len(self.net.nodes) if total is None else total}


def vis_data(model: NetworkModel, view: View, page_url: PageUrl) -> dict:
    """The view as vis-network wants it, with a legend and what was hidden."""
    builder = VisBuilder()
    graph = view.graph
    for node, data in graph.nodes(data=True):
        cls = data["cls"]
        class_label = model.class_label(cls)
        cluster = bool(data.get("cluster"))
        degree = data.get("degree", 0)
        title = f"{data['label']}\n{class_label}"
        if not cluster:
            title += f" · {_connections(model.lang, degree)}"
        builder.add_node(
            node, label=data["label"], title=title, cls=cls, class_label=class_label,
            degree=degree, url=None if cluster else page_url(node),
            facts=[] if cluster else [list(f) for f in key_facts(model, node)],
            focus=node == view.focus, cluster=cluster)
    for s, o, k, data in graph.edges(keys=True, data=True):
        label = data.get("label", "")
        builder.add_edge(s, o, id=f"{s} {k} {o}", label=label,
                         title=f"{graph.nodes[s]['label']} — {label} → {graph.nodes[o]['label']}")
    return builder.payload(
        legend=legend({d["cls"] for _, d in graph.nodes(data=True)}, model.class_label),
        focus=view.focus,
        hidden=[{"class": model.class_label(c), "count": n} for c, n in sorted(view.hidden.items())],
        total=view.total_nodes)


def _colours(colour: str, focus: bool = False) -> dict:
    return {"background": colour, "border": "#1d2733" if focus else "#ffffff",
            "highlight": {"background": colour, "border": "#1d2733"},
            "hover": {"background": colour, "border": "#1d2733"}}


def legend(present: set[str], class_label: Callable[[str], str]) -> list[dict]:
    return [{"group": cls, "label": class_label(cls),
             "color": STYLE[cls][0], "shape": STYLE[cls][1]}
            for cls in CLASSES if cls in present]


def _connections(lang: str, n: int) -> str:
    if lang == "sv":
        return f"{n} {'koppling' if n == 1 else 'kopplingar'}"
    return f"{n} {'connection' if n == 1 else 'connections'}"
