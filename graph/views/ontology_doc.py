"""The ontology as documentation: its classes, properties and concept
schemes with labels and definitions in the reader's language, and the theme
tree, read from the graphs the ontology and the themes are loaded into."""
from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import NamedNode
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from graph.iris import graph_iri
from graph.rdf.namespaces import ONTOLOGY_IRI, PG
from graph.store.base import Store
from graph.views.labels import labels, pick_literal


@dataclass
class Term:
    iri: str
    anchor: str
    label: str
    other_label: str | None
    definition: str | None
    kinds: list[str] = field(default_factory=list)
    superclasses: list[tuple[str, str]] = field(default_factory=list)   # (iri, label)
    domains: list[tuple[str, str]] = field(default_factory=list)
    ranges: list[tuple[str, str]] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)        # scheme concepts


@dataclass
class ThemeNode:
    iri: str
    label: str
    definition: str | None
    children: list[ThemeNode] = field(default_factory=list)


@dataclass
class OntologyDoc:
    iri: str
    title: str | None
    description: str | None
    version: str | None
    classes: list[Term]
    object_properties: list[Term]
    datatype_properties: list[Term]
    schemes: list[Term]
    themes: list[ThemeNode]
    theme_scheme_title: str | None


def anchor(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if iri.startswith(str(PG)) else iri


def ontology_doc(store: Store, lang: str) -> OntologyDoc:
    graph = f"<{graph_iri(store.base_iri, 'partnergraph')}>"
    other = "en" if lang == "sv" else "sv"
    rows = store.select(f"""
        SELECT ?term ?p ?o WHERE {{ GRAPH {graph} {{
          ?term ?p ?o FILTER(STRSTARTS(STR(?term), "{PG}"))
        }} }}""")
    terms: dict[str, dict[str, list]] = {}
    for row in rows:
        terms.setdefault(row["term"].value, {}).setdefault(row["p"].value, []).append(row["o"])
    referenced = {o.value for facts in terms.values() for p in
                  (RDFS.subClassOf, RDFS.domain, RDFS.range, SKOS.inScheme)
                  for o in facts.get(str(p), []) if isinstance(o, NamedNode)}
    names = labels(store, [*terms, *referenced], lang)

    def text(facts, prop, language):
        return pick_literal(((o.value, o.language or "") for o in facts.get(str(prop), [])
                             if getattr(o, "language", None) == language), language)

    def linked(facts, prop):
        return sorted(((o.value, names.get(o.value, o.value)) for o in facts.get(str(prop), [])
                       if isinstance(o, NamedNode)), key=lambda x: x[1].casefold())

    built: dict[str, Term] = {}
    for iri, facts in terms.items():
        kinds = [o.value for o in facts.get(str(RDF.type), [])]
        built[iri] = Term(
            iri=iri, anchor=anchor(iri), label=names[iri],
            other_label=text(facts, RDFS.label, other) or text(facts, SKOS.prefLabel, other),
            definition=(text(facts, SKOS.definition, lang) or text(facts, RDFS.comment, lang)
                        or text(facts, SKOS.definition, other)),
            kinds=kinds, superclasses=linked(facts, RDFS.subClassOf),
            domains=linked(facts, RDFS.domain), ranges=linked(facts, RDFS.range))
    for iri, facts in terms.items():
        for scheme in facts.get(str(SKOS.inScheme), []):
            if scheme.value in built:
                built[scheme.value].members.append((iri, names[iri]))

    def of_kind(kind) -> list[Term]:
        return sorted((t for t in built.values() if str(kind) in t.kinds),
                      key=lambda t: t.label.casefold())

    head = store.select(f"""
        SELECT ?p ?o WHERE {{ GRAPH {graph} {{ <{ONTOLOGY_IRI}> ?p ?o }} }}""")
    head_facts: dict[str, list] = {}
    for row in head:
        head_facts.setdefault(row["p"].value, []).append(row["o"])
    themes, theme_title = _theme_tree(store, lang)
    return OntologyDoc(
        iri=ONTOLOGY_IRI,
        title=text(head_facts, DCTERMS.title, lang),
        description=text(head_facts, DCTERMS.description, lang),
        version=next((o.value for o in head_facts.get(str(OWL.versionInfo), [])), None),
        classes=of_kind(OWL.Class),
        object_properties=of_kind(OWL.ObjectProperty),
        datatype_properties=of_kind(OWL.DatatypeProperty),
        schemes=of_kind(SKOS.ConceptScheme),
        themes=themes, theme_scheme_title=theme_title)


def _theme_tree(store: Store, lang: str) -> tuple[list[ThemeNode], str | None]:
    graph = f"<{graph_iri(store.base_iri, 'themes')}>"
    rows = store.select(f"""
        SELECT ?theme ?broader ?definition ?dl WHERE {{ GRAPH {graph} {{
          ?theme a <{SKOS.Concept}> .
          OPTIONAL {{ {{ ?theme <{SKOS.broader}> ?broader }}
                     UNION {{ ?broader <{SKOS.narrower}> ?theme }} }}
          OPTIONAL {{ ?theme <{SKOS.definition}> ?definition BIND(LANG(?definition) AS ?dl) }}
        }} }}""")
    titles = store.select(f"""
        SELECT ?t WHERE {{ GRAPH {graph} {{ ?s a <{SKOS.ConceptScheme}> ;
          <{SKOS.prefLabel}> ?t }} }}""")
    title = pick_literal(((r["t"].value, r["t"].language or "") for r in titles), lang)
    names = labels(store, {r["theme"].value for r in rows}, lang)
    parents: dict[str, set[str]] = {}
    definitions: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        iri = row["theme"].value
        parents.setdefault(iri, set())
        if "broader" in row:
            parents[iri].add(row["broader"].value)
        if "definition" in row:
            definitions.setdefault(iri, []).append((row["definition"].value, row["dl"].value))
    nodes = {iri: ThemeNode(iri, names[iri], pick_literal(set(definitions.get(iri, [])), lang))
             for iri in parents}
    roots = []
    for iri, ups in parents.items():
        known = [u for u in ups if u in nodes]
        for up in known:
            nodes[up].children.append(nodes[iri])
        if not known:
            roots.append(nodes[iri])
    for node in nodes.values():
        node.children.sort(key=lambda n: n.label.casefold())
    roots.sort(key=lambda n: n.label.casefold())
    return roots, title
