"""A query's result as a network for the workbench, in the shape network.js
draws: the triples of a CONSTRUCT or DESCRIBE, or the ?source → ?target rows
of a SELECT (with ?label, if any, naming the connection)."""
from __future__ import annotations

import json

import pyoxigraph as ox

from graph.labels import labels
from graph.network import CLASSES, _node_classes
from graph.network_vis import OPTIONS, STYLE, node_size

NODE_LIMIT = 500
GREY = "#6b7785"


def edges_of(answer) -> list[tuple[str, str, str | None, str | None]]:
    """(source, target, predicate IRI, label text) from a service answer
    (graph answers in N-Triples, solutions in SPARQL JSON)."""
    data = answer.output.read()
    found = []
    if answer.form == "graph":
        literals = []
        for triple in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
            if isinstance(triple.object, ox.Literal):
                literals.append(triple)
            else:
                found.append((_id(triple.subject), _id(triple.object), triple.predicate.value, None))
        return found
    if answer.form != "solutions":
        return found
    for row in json.loads(data)["results"]["bindings"]:
        source, target = row.get("source"), row.get("target")
        if source and target and source["type"] != "literal" and target["type"] != "literal":
            label = row.get("label", {}).get("value")
            found.append((_key(source), _key(target), None, label))
    return found


def vis_network(store, edges, lang: str, page_url) -> dict:
    nodes = list(dict.fromkeys(n for s, o, _, _ in edges for n in (s, o)))[:NODE_LIMIT]
    kept = set(nodes)
    edges = [e for e in edges if e[0] in kept and e[1] in kept]
    iris = [n for n in nodes if not n.startswith("_:")]
    names = labels(store, iris + [p for _, _, p, _ in edges if p] + list(CLASSES.values()), lang)
    classes = _node_classes(store)
    degree = {n: 0 for n in nodes}
    for s, o, _, _ in edges:
        degree[s] += 1
        degree[o] += 1
    vis_nodes = []
    for node in nodes:
        cls = classes.get(node)
        colour, shape = STYLE.get(cls, (GREY, "dot"))
        vis_nodes.append({
            "id": node, "label": names.get(node, node), "group": cls or "other",
            "shape": shape, "size": node_size(degree[node]), "degree": degree[node],
            "classLabel": names[CLASSES[cls]] if cls else "", "title": names.get(node, node),
            "url": None if node.startswith("_:") else page_url(node), "facts": [],
            "color": {"background": colour, "border": "#ffffff"}})
    vis_edges = []
    for i, (s, o, p, text) in enumerate(edges):
        label = text or (names.get(p, p) if p else "")
        vis_edges.append({"id": f"e{i}", "from": s, "to": o, "label": label})
    present = {classes.get(n) for n in nodes}
    legend = [{"group": c, "label": names[CLASSES[c]], "color": STYLE[c][0], "shape": STYLE[c][1]}
              for c in CLASSES if c in present]
    return {"nodes": vis_nodes, "edges": vis_edges, "options": OPTIONS, "focus": None,
            "legend": legend, "hidden": [], "total": len(nodes)}


def _id(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _key(binding: dict) -> str:
    return f"_:{binding['value']}" if binding["type"] == "bnode" else binding["value"]
