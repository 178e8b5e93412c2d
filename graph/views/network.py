"""The whole graph as one typed network, the model the analysis works on
(graph/analysis/projection.py): who cooperates with whom, on what, paid by
whom. The pages that draw networks do not use it: each of their views asks
the store for what it draws (graph/views/network_views.py).

The RDF is projected into a typed networkx graph. Nodes are municipalities,
partnerships, projects, events, themes, funders, funding programmes, countries
and persons; each carries its class, its label in the asked language (with the
other language, then any, as fallback), its degree and a few key facts. Edges
carry the ontology's label of the property they come from.

Partnerships stay nodes rather than being collapsed into an edge between two
municipalities: a partnership has a kind and a status that a coordinator wants
to see, projects, events, themes and funders hang off it, and some have three
members (Ljusdal–Kisumu–Mombasa), which no single edge can draw. So that a
partnership is never drawn half, a neighbourhood that reaches a partnership
also shows all of its members; a municipality's neighbourhood thus shows its
partners at depth 1.

A person is linked to a municipality by a current membership, labelled with
the person's role there.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from graph.rdf.namespaces import DCTERMS, FOAF, ORG, PG, RDF, RDFS, SKOS
from graph.store.base import Store
from graph.views.network_query import CLASSES

MEMBERSHIP = "membership"

_DATES = (PG.date, PG.startDate, PG.endDate, DCTERMS.date)
_ATTRIBUTES = {str(PG.kind): "kind", str(PG.status): "status"}
_BROADER = str(SKOS.broader)
# skos:narrower only mirrors skos:broader; drawing both doubles every arrow.
_SKIPPED = {str(RDF.type), str(SKOS.narrower)}
_DESCRIPTION_LIMIT = 280


@dataclass
class NetworkModel:
    """The whole network of the store at one data version, in one language."""
    graph: nx.MultiDiGraph
    lang: str
    labels: dict[str, str]
    broader: dict[str, set[str]] = field(default_factory=dict)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or _local_name(iri)

    def class_label(self, cls: str) -> str:
        return self.label(CLASSES[cls])


def load_network(store: Store, lang: str) -> NetworkModel:
    """The store's network in `lang` ("sv" or "en"), built once per data version."""
    return store.derived(*_network(store, lang))


def _network(store: Store, lang: str) -> tuple[tuple[str, str], Callable[[], NetworkModel]]:
    lang = "sv" if lang == "sv" else "en"
    return ("network", lang), lambda: _build(store, lang)


def _build(store: Store, lang: str) -> NetworkModel:
    labels = _labels(store, lang)
    classes = node_classes(store)
    graph = nx.MultiDiGraph()
    model = NetworkModel(graph, lang, labels)
    for iri, cls in classes.items():
        graph.add_node(iri, cls=cls, label=model.label(iri), facts=[], dates=[],
                       themes=set(), kind=None, status=None)

    broader_edges = []
    for row in store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?o)) }"):
        s, p, o = row["s"].value, row["p"].value, row["o"].value
        if s not in classes or p in _SKIPPED:
            continue
        if p in _ATTRIBUTES:
            graph.nodes[s][_ATTRIBUTES[p]] = o
        elif p == _BROADER:
            model.broader.setdefault(s, set()).add(o)
            if o in classes:
                broader_edges.append((s, o))
        elif o in classes:
            graph.add_edge(s, o, key=p, label=model.label(p), prop=p)
    _add_memberships(store, model)

    # Countries and themes nobody refers to would only be clutter.
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    for s, o in broader_edges:
        if s in graph and o in graph:
            graph.add_edge(s, o, key=_BROADER, label=model.label(_BROADER), prop=_BROADER)
    _add_literals(store, model)
    for node, data in graph.nodes(data=True):
        data["degree"] = len(set(nx.all_neighbors(graph, node)))
    return model


def _add_memberships(store: Store, model: NetworkModel) -> None:
    rows = store.select("""
        SELECT ?person ?organisation ?role WHERE {
          ?m org:member ?person ; org:organization ?organisation .
          OPTIONAL { ?m org:role ?role }
          FILTER NOT EXISTS { ?m pg:current false }
        }""")
    graph = model.graph
    for row in rows:
        person, organisation = row["person"].value, row["organisation"].value
        if person in graph and organisation in graph:
            role = row.get("role")
            label = model.label(role.value) if role else model.label(str(ORG.member))
            graph.add_edge(person, organisation, key=MEMBERSHIP + (role.value if role else ""),
                           label=label, prop=str(ORG.member))


def _add_literals(store: Store, model: NetworkModel) -> None:
    graph = model.graph
    dates = " ".join(f"<{d}>" for d in _DATES)
    for row in store.select(f"""
            SELECT ?s ?d WHERE {{ VALUES ?p {{ {dates} }} ?s ?p ?d }}"""):
        if row["s"].value in graph:
            graph.nodes[row["s"].value]["dates"].append(row["d"].value)
    descriptions: dict[str, dict[str, str]] = {}
    for row in store.select("""
            SELECT ?s ?p ?d WHERE {
              VALUES ?p { dcterms:description pg:timeDescription } ?s ?p ?d }"""):
        s = row["s"].value
        if s in graph:
            slot = descriptions.setdefault(s, {})
            key = row["p"].value
            if key not in slot or row["d"].language == model.lang:
                slot[key] = row["d"].value
    for node, data in graph.nodes(data=True):
        data["time"] = (sorted(data["dates"])[0][:10] if data["dates"]
                        else descriptions.get(node, {}).get(str(PG.timeDescription)))
        text = descriptions.get(node, {}).get(str(DCTERMS.description))
        if text and len(text) > _DESCRIPTION_LIMIT:
            text = text[:_DESCRIPTION_LIMIT].rsplit(" ", 1)[0] + " …"
        data["description"] = text


def node_classes(store: Store) -> dict[str, str]:
    values = " ".join(f"<{c}>" for c in CLASSES.values())
    by_iri = {iri: key for key, iri in CLASSES.items()}
    order = list(CLASSES)
    found: dict[str, str] = {}
    for row in store.select(f"SELECT ?s ?c WHERE {{ VALUES ?c {{ {values} }} ?s a ?c }}"):
        s, cls = row["s"].value, by_iri[row["c"].value]
        if s not in found or order.index(cls) < order.index(found[s]):
            found[s] = cls
    return found


def _labels(store: Store, lang: str) -> dict[str, str]:
    """One label per IRI: skos:prefLabel before rdfs:label before foaf:name,
    the asked language before the other, then any."""
    other = "en" if lang == "sv" else "sv"
    ranked: dict[str, tuple[int, str]] = {}
    props = [SKOS.prefLabel, RDFS.label, FOAF.name]
    values = " ".join(f"<{p}>" for p in props)
    for row in store.select(f"SELECT ?s ?p ?l WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?l }}"):
        literal = row["l"]
        language = literal.language or ""
        rank = (0 if language == lang else 1 if language == other else 2 if not language else 3)
        rank = rank * 10 + [str(p) for p in props].index(row["p"].value)
        s = row["s"].value
        if s not in ranked or rank < ranked[s][0]:
            ranked[s] = (rank, literal.value)
    return {s: label for s, (_, label) in ranked.items()}


def _local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            return iri.rstrip(sep).rsplit(sep, 1)[-1]
    return iri
