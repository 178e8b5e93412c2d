"""How two entities connect: the cheapest paths between them in the entity
graph (see the costs in analysis_projection.EDGES), told in words.

A partnership on a path is named by its members other than the municipalities
beside it, the way one would say it: "Ljusdal — partnership with Kisumu and
Mombasa — theme Democracy — …".
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

import networkx as nx

from graph.analysis.projection import Projection
from graph.analysis.words import inverse, listing, word
from graph.rdf.namespaces import ORG

SEPARATOR = " — "


@dataclass(frozen=True)
class Step:
    iri: str
    cls: str
    label: str
    phrase: str
    relation: str | None  # the property label linking it to the step before


@dataclass(frozen=True)
class Path:
    steps: list[Step]
    cost: float

    @property
    def text(self) -> str:
        return SEPARATOR.join(step.phrase for step in self.steps)

    def as_dict(self) -> dict:
        return {"text": self.text, "cost": self.cost,
                "steps": [dict(step.__dict__) for step in self.steps]}


def paths(projection: Projection, source: str, target: str, limit: int = 3) -> list[Path]:
    """Up to `limit` cheapest paths from `source` to `target`; none when either
    is not in the graph or nothing connects them."""
    graph = projection.entities
    if source not in graph or target not in graph or source == target:
        return []
    try:
        found = list(islice(nx.all_shortest_paths(graph, source, target, weight="cost"), limit))
    except nx.NetworkXNoPath:
        return []
    found.sort(key=lambda nodes: [projection.label(n).casefold() for n in nodes])
    return [_told(projection, nodes) for nodes in found]


def no_path_text(projection: Projection, source: str, target: str) -> str:
    return word("no_path", projection.lang, a=projection.label(source), b=projection.label(target))


def _told(projection: Projection, nodes: list[str]) -> Path:
    graph = projection.entities
    steps, cost = [], 0.0
    for i, node in enumerate(nodes):
        relation = None
        if i:
            edge = graph[nodes[i - 1]][node]
            cost += edge["cost"]
            relation = edge["label"]
            if edge.get("source") != nodes[i - 1]:
                relation = inverse(edge["prop"], relation, projection.lang)
        beside = {nodes[j] for j in (i - 1, i + 1) if 0 <= j < len(nodes)}
        steps.append(Step(node, graph.nodes[node]["cls"], projection.label(node),
                          _phrase(projection, node, beside), relation))
    return Path(steps, cost)


def _phrase(projection: Projection, node: str, beside: set[str]) -> str:
    lang = projection.lang
    cls = projection.entities.nodes[node]["cls"]
    label = projection.label(node)
    if cls == "partnership":
        others = sorted((projection.label(m) for _, m, k in
                         projection.model.graph.out_edges(node, keys=True)
                         if k == str(ORG.hasMember) and m not in beside),
                        key=str.casefold)
        if others and len(others) < _member_count(projection, node):
            return word("partnership_with", lang, names=listing(others, lang))
        return word("partnership", lang, label=label)
    return word(cls, lang, label=label)


def _member_count(projection: Projection, node: str) -> int:
    return sum(1 for _, _, k in projection.model.graph.out_edges(node, keys=True)
               if k == str(ORG.hasMember))
