"""The graph of entities that the analyses work on, projected from the
network model (graph/network.py), and the table that decides what goes in.

Two projections, both undirected:
- the entity graph: municipalities, partnerships, projects, events, themes,
  funders, programmes and countries, linked by the properties in EDGES; each
  edge has a cost, so that a path through shared work (a partnership, a
  project, a theme) is shorter than one through a country or a funder that
  hundreds of partnerships share: being in Sweden or paid by Sida says little
  about how two municipalities' work connects. Persons are left out: a contact
  person is no connection between municipalities' work.
- the municipality graph: municipalities, linked when they are members of the
  same partnership; this is the graph whose degree is "how many partners".

Both are built once per data version and language, beside the network model.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from graph.rdf.namespaces import DCTERMS, ORG, PG, SKOS
from graph.store.base import Store
from graph.views.network import NetworkModel, load_network

NODE_CLASSES = ("municipality", "partnership", "project", "event", "theme", "funder",
                "programme", "country")

# property -> (what kind of connection it is, its cost on a path)
EDGES: dict[str, tuple[str, float]] = {
    str(ORG.hasMember): ("member", 1),
    str(PG.partnership): ("part", 1),
    str(PG.participant): ("participant", 1),
    str(PG.host): ("participant", 1),
    str(PG.project): ("part", 1),
    str(PG.resultOf): ("part", 1),
    str(DCTERMS.isPartOf): ("part", 1),
    str(PG.theme): ("theme", 1),
    str(PG.priorityArea): ("theme", 1),
    str(SKOS.broader): ("broader", 1),
    str(PG.location): ("place", 2),
    str(PG.fundingProgramme): ("funding", 2),
    str(PG.fundedBy): ("funding", 3),
    str(PG.commonFunder): ("funding", 3),
    str(PG.country): ("country", 4),
}


@dataclass
class Projection:
    model: NetworkModel
    entities: nx.Graph
    municipalities: nx.Graph
    cache: dict = field(default_factory=dict)
    # Results that do not depend on the language, shared by the projections
    # of both languages of one data version: each is then computed once.
    shared: dict = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.model.lang

    def label(self, iri: str) -> str:
        return self.model.label(iri)

    def cls(self, iri: str) -> str | None:
        data = self.entities.nodes.get(iri) or self.model.graph.nodes.get(iri)
        return data["cls"] if data else None

    def memoised(self, key, compute):
        """An analysis result kept as long as this projection (one data version)."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def memoised_for_all_languages(self, key, compute):
        """A result without labels, such as scores by IRI, kept for both
        languages' projections of this data version."""
        if key not in self.shared:
            self.shared[key] = compute()
        return self.shared[key]


def load_projection(store: Store, lang: str) -> Projection:
    """The analysis graph in `lang`, built once per data version."""
    lang = "sv" if lang == "sv" else "en"

    def build() -> Projection:
        version = store.data_version
        model = load_network(store, lang)
        shared: dict = store.derived("analysis without labels", dict)
        if store.data_version != version:
            shared = {}  # a write landed meanwhile: the two may not be of one version
        return build_projection(model, shared)
    return store.derived(("projection", lang), build)


def build_projection(model: NetworkModel, shared: dict | None = None) -> Projection:
    source = model.graph
    entities = nx.Graph()
    for node, data in source.nodes(data=True):
        if data["cls"] in NODE_CLASSES:
            entities.add_node(node, cls=data["cls"], label=data["label"])
    for s, o, data in source.edges(data=True):
        rule = EDGES.get(data.get("prop"))
        if rule is None or s not in entities or o not in entities or s == o:
            continue
        kind, cost = rule
        current = entities.get_edge_data(s, o)
        # Two properties between the same pair: the cheaper one tells the path.
        if current is None or cost < current["cost"]:
            entities.add_edge(s, o, prop=data["prop"], kind=kind, cost=cost,
                              label=data.get("label", ""), source=s)
    municipalities = nx.Graph()
    municipalities.add_nodes_from((n, {"label": d["label"]}) for n, d in entities.nodes(data=True)
                                  if d["cls"] == "municipality")
    member = str(ORG.hasMember)
    for node, data in source.nodes(data=True):
        if data["cls"] != "partnership":
            continue
        members = sorted({o for _, o, k in source.out_edges(node, keys=True)
                          if k == member and o in municipalities})
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if municipalities.has_edge(a, b):
                    municipalities[a][b]["partnerships"].append(node)
                else:
                    municipalities.add_edge(a, b, partnerships=[node])
    return Projection(model, entities, municipalities, shared={} if shared is None else shared)


def municipalities_of(projection: Projection) -> list[str]:
    return list(projection.municipalities)


def partners(projection: Projection, iri: str) -> set[str]:
    graph = projection.municipalities
    return set(graph[iri]) if iri in graph else set()


def country_of(projection: Projection, iri: str) -> str | None:
    for _, o, k in projection.model.graph.out_edges(iri, keys=True):
        if k == str(PG.country):
            return o
    return None
