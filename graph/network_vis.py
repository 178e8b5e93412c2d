"""A network view as vis-network data: nodes, edges and drawing options, built
with pyvis so that they are what vis-network expects. Only the data is used;
pyvis's HTML page (Bootstrap from CDNs, tooltips through innerHTML) is not.

Every text here (labels, tooltips, facts) is plain text: the browser shows it
with textContent, and vis-network 9 shows a string title as text.
"""
from __future__ import annotations

import json
import math
from typing import Callable

from pyvis.network import Network

from .network import CLASSES, NetworkModel, View, key_facts

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


def node_size(degree: int) -> float:
    return round(10 + 5 * math.sqrt(max(degree, 0)), 1)


def vis_data(model: NetworkModel, view: View, page_url: PageUrl) -> dict:
    """The view as vis-network wants it, with a legend and what was hidden."""
    net = Network(directed=True)
    net.set_options(json.dumps(OPTIONS))
    graph = view.graph
    for node, data in graph.nodes(data=True):
        cls = data["cls"]
        colour, shape = STYLE[cls]
        class_label = model.class_label(cls)
        cluster = bool(data.get("cluster"))
        degree = data.get("degree", 0)
        title = f"{data['label']}\n{class_label}"
        if not cluster:
            title += f" · {_connections(model.lang, degree)}"
        net.add_node(
            node, label=data["label"], title=title, group=cls, shape=shape,
            size=node_size(degree),
            borderWidth=3 if node == view.focus else 1,
            classLabel=class_label, degree=degree, cluster=cluster,
            url=None if cluster else page_url(node),
            facts=[] if cluster else [list(f) for f in key_facts(model, node)])
        # pyvis drops a node's colour when it has a group; the colour belongs
        # on the node all the same, so that it never depends on group order.
        net.node_map[node]["color"] = _colours(colour, focus=node == view.focus)
    for s, o, k, data in graph.edges(keys=True, data=True):
        label = data.get("label", "")
        net.add_edge(s, o, id=f"{s} {k} {o}", label=label,
                     title=f"{graph.nodes[s]['label']} — {label} → {graph.nodes[o]['label']}")
    options = net.options if isinstance(net.options, dict) else json.loads(net.options.to_json())
    return {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": options,
        "focus": view.focus,
        "legend": legend(model, {d["cls"] for _, d in graph.nodes(data=True)}),
        "hidden": [{"class": model.class_label(c), "count": n}
                   for c, n in sorted(view.hidden.items())],
        "total": view.total_nodes,
    }


def _colours(colour: str, focus: bool = False) -> dict:
    return {"background": colour, "border": "#1d2733" if focus else "#ffffff",
            "highlight": {"background": colour, "border": "#1d2733"},
            "hover": {"background": colour, "border": "#1d2733"}}


def legend(model: NetworkModel, present: set[str]) -> list[dict]:
    return [{"group": cls, "label": model.class_label(cls),
             "color": STYLE[cls][0], "shape": STYLE[cls][1]}
            for cls in CLASSES if cls in present]


def _connections(lang: str, n: int) -> str:
    if lang == "sv":
        return f"{n} {'koppling' if n == 1 else 'kopplingar'}"
    return f"{n} {'connection' if n == 1 else 'connections'}"
