"""Groups that work together: Louvain communities of the entity graph (with a
fixed seed, so the same data gives the same groups), each with its
municipalities and the themes that dominate its activities.

Countries, funders and programmes are left out of the grouping: a funder that
pays for half the partnerships would pull them all into one group."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from graph.analysis.projection import Projection

SEED = 8
_GROUPED = {"municipality", "partnership", "project", "event", "theme"}


@dataclass(frozen=True)
class Community:
    number: int
    municipalities: list[tuple[str, str]]   # (iri, label), by label
    themes: list[tuple[str, str, int]]      # (iri, label, activities with it), most first
    size: int

    def as_dict(self) -> dict:
        return {"number": self.number, "size": self.size,
                "municipalities": [{"iri": i, "label": name} for i, name in self.municipalities],
                "themes": [{"iri": i, "label": name, "count": c} for i, name, c in self.themes]}


def communities(projection: Projection, min_municipalities: int = 2) -> list[Community]:
    """Communities with at least `min_municipalities` municipalities, largest first."""
    return [c for c in projection.memoised("communities", lambda: _compute(projection))
            if len(c.municipalities) >= min_municipalities]


def _groups(projection: Projection) -> list[set[str]]:
    """The Louvain groups by IRI: the costly part, the same in every language."""
    entities = projection.entities
    graph = entities.subgraph(n for n, d in entities.nodes(data=True) if d["cls"] in _GROUPED)
    weighted = nx.Graph()
    weighted.add_nodes_from(graph)
    weighted.add_edges_from((a, b, {"weight": 1.0 / d["cost"]}) for a, b, d in graph.edges(data=True))
    return nx.community.louvain_communities(weighted, weight="weight", seed=SEED)


def _compute(projection: Projection) -> list[Community]:
    entities = projection.entities
    groups = projection.memoised_for_all_languages("communities", lambda: _groups(projection))
    found = []
    for group in groups:
        members = [n for n in group if entities.nodes[n]["cls"] == "municipality"]
        if not members:
            continue
        found.append((group, members))
    found.sort(key=lambda g: (-len(g[1]), -len(g[0]),
                              min(projection.label(m).casefold() for m in g[1])))
    result = []
    for number, (group, members) in enumerate(found, start=1):
        result.append(Community(
            number,
            sorted(((m, projection.label(m)) for m in members), key=lambda x: x[1].casefold()),
            _dominant_themes(projection, group), len(group)))
    return result


def _dominant_themes(projection: Projection, group: set[str], limit: int = 5):
    entities = projection.entities
    counts: Counter = Counter()
    for node in group:
        if entities.nodes[node]["cls"] in ("partnership", "project", "event"):
            counts.update(t for t in entities[node]
                          if entities.nodes[t]["cls"] == "theme"
                          and entities[node][t]["kind"] == "theme")
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], projection.label(kv[0]).casefold()))
    return [(t, projection.label(t), n) for t, n in ranked[:limit]]
