"""A query's answer as a network for the workbench: the triples of a
CONSTRUCT or DESCRIBE, or the ?source → ?target rows of a SELECT (with
?label, if any, naming the connection)."""
from __future__ import annotations

import json

import pyoxigraph as ox

from graph.sparql.results import GRAPH, SOLUTIONS, QueryOutput
from graph.store.base import Store
from graph.views.labels import labels
from graph.views.network_query import CLASSES, classes_of
from graph.views.vis import PageUrl, VisBuilder, legend

NODE_LIMIT = 500

Edge = tuple[str, str, str | None, str | None]


def edges_of(answer: QueryOutput) -> list[Edge]:
    """(source, target, predicate IRI, label text) from an answer (graphs in
    N-Triples, solutions in SPARQL JSON)."""
    data = answer.read()
    found: list[Edge] = []
    if answer.kind == GRAPH:
        for triple in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
            if not isinstance(triple.object, ox.Literal):
                found.append((_id(triple.subject), _id(triple.object), triple.predicate.value, None))
        return found
    if answer.kind != SOLUTIONS:
        return found
    for row in json.loads(data)["results"]["bindings"]:
        source, target = row.get("source"), row.get("target")
        if source and target and source["type"] != "literal" and target["type"] != "literal":
            label = row.get("label", {}).get("value")
            found.append((_key(source), _key(target), None, label))
    return found


def answer_network(store: Store, edges: list[Edge], lang: str, page_url: PageUrl) -> dict:
    """The first NODE_LIMIT nodes of the edges as vis-network data."""
    nodes = list(dict.fromkeys(n for s, o, _, _ in edges for n in (s, o)))[:NODE_LIMIT]
    kept = set(nodes)
    edges = [e for e in edges if e[0] in kept and e[1] in kept]
    iris = [n for n in nodes if not n.startswith("_:")]
    names = labels(store, iris + [p for _, _, p, _ in edges if p] + list(CLASSES.values()), lang)
    classes = classes_of(store, iris)
    degree = {n: 0 for n in nodes}
    for s, o, _, _ in edges:
        degree[s] += 1
        degree[o] += 1
    builder = VisBuilder()
    for node in nodes:
        cls = classes.get(node)
        builder.add_node(
            node, label=names.get(node, node), title=names.get(node, node), cls=cls,
            class_label=names[CLASSES[cls]] if cls else "", degree=degree[node],
            url=None if node.startswith("_:") else page_url(node))
    for i, (s, o, p, text) in enumerate(edges):
        label = text or (names.get(p, p) if p else "")
        builder.add_edge(s, o, id=f"e{i}", label=label, title=label)
    present = {c for n in nodes if (c := classes.get(n))}
    return builder.payload(legend=legend(present, lambda c: names[CLASSES[c]]))


def _id(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _key(binding: dict) -> str:
    return f"_:{binding['value']}" if binding["type"] == "bnode" else binding["value"]
