"""What a resource page shows: a resource's names, types, facts grouped by
property with labels from the ontology, where each fact comes from, the links
that point at it, and, for a municipality, its partners.

Everything comes back as plain data, so a page (or anything else) can lay it
out without knowing SPARQL or RDF terms.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pyoxigraph import BlankNode, Literal, NamedNode
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS

from graph.ingest.actor_kinds import party_classes
from graph.rdf.namespaces import PG
from graph.store.base import Store
from graph.views.labels import _safe_iri, labels, pick_literal

INCOMING_PER_PAGE = 50
# A hub of the twin-town list has hundreds of partners: they come a page at
# a time, on the same ?page= as the links pointing here.
PARTNERS_PER_PAGE = 50

# Shown first, in this order; other properties follow by label.
_LEADING = [str(SKOS.prefLabel), str(SKOS.altLabel), str(PG.nativeName), str(RDF.type),
            str(PG.kind), str(PG.status), str(PG.country)]


@dataclass
class Value:
    """One object of a fact: an IRI (with its label, and whether it has a
    page here), a literal (with language or datatype), or a blank node whose
    own facts are shown in place."""
    kind: str                      # "iri", "literal" or "blank"
    value: str
    label: str
    language: str | None = None
    datatype: str | None = None
    local: bool = False
    facts: list[PropertyFacts] = field(default_factory=list)


@dataclass
class Fact:
    value: Value
    graphs: list[str]


@dataclass
class PropertyFacts:
    property: str
    label: str
    facts: list[Fact]


@dataclass
class Source:
    graph: str
    graph_title: str | None
    iri: str | None = None
    title: str | None = None
    publisher: str | None = None
    publisher_iri: str | None = None
    issued: str | None = None
    identifier: str | None = None


@dataclass
class Incoming:
    property: str
    label: str
    count: int
    subjects: list[Value]
    page: int
    pages: int


@dataclass
class KindSaid:
    """A kind of partnership, and who says so: the sources' names (their
    publishers, their titles, or the hosts of a statement's addresses)."""
    kind: str
    by: list[str]


@dataclass
class Partner:
    partner: Value
    partnership: Value
    kinds: list[KindSaid]

    @property
    def disputed(self) -> bool:
        """Whether the sources give different kinds."""
        return len(self.kinds) > 1


@dataclass
class Description:
    iri: str
    exists: bool
    label: str = ""
    alt_labels: list[str] = field(default_factory=list)
    types: list[Value] = field(default_factory=list)
    properties: list[PropertyFacts] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    incoming: list[Incoming] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)   # this page's
    partner_count: int = 0
    partner_page: int = 1
    partner_pages: int = 1

    @property
    def is_municipality(self) -> bool:
        return any(t.value == str(PG.Municipality) for t in self.types)

    @property
    def is_party(self) -> bool:
        """Whether it is a party to partnerships: a municipality, or a
        region, county, association of municipalities or other organisation."""
        classes = party_classes()
        return any(t.value in classes for t in self.types)


def exists(store: Store, iri: str) -> bool:
    node = f"<{_safe_iri(iri)}>"
    return store.ask(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}")


def describe(store: Store, iri: str, lang: str, *, page: int = 1) -> Description:
    if not exists(store, iri):
        return Description(iri=iri, exists=False)
    base = store.base_iri
    node = f"<{_safe_iri(iri)}>"
    rows = store.select(f"""
        SELECT ?p ?o ?g ?bp ?bo WHERE {{
          GRAPH ?g {{ {node} ?p ?o
                     OPTIONAL {{ FILTER(isBlank(?o)) ?o ?bp ?bo }} }}
        }}""")
    wanted = {r["p"].value for r in rows} | {r["bp"].value for r in rows if "bp" in r}
    wanted |= {t.value for r in rows for t in (r["o"], r.get("bo")) if isinstance(t, NamedNode)}
    partner_rows = _partner_rows(store, node)
    wanted |= {r[k].value for r in partner_rows for k in ("partner", "partnership", "kind") if k in r}
    wanted |= {r["g"].value for r in partner_rows if "g" in r}
    incoming_rows = _incoming_counts(store, node)
    wanted |= {r["p"].value for r in incoming_rows}
    names = labels(store, [iri, *wanted], lang)

    def value(term) -> Value:
        if isinstance(term, NamedNode):
            return Value("iri", term.value, names.get(term.value) or term.value,
                         local=term.value.startswith(base))
        if isinstance(term, Literal):
            return Value("literal", term.value, term.value, language=term.language,
                         datatype=None if term.language else term.datatype.value)
        return Value("blank", str(term), "")

    grouped: dict[str, dict[str, Fact]] = {}
    blank_facts: dict[str, dict[str, dict[str, Fact]]] = {}
    for row in rows:
        key = _term_key(row["o"])
        facts = grouped.setdefault(row["p"].value, {})
        fact = facts.setdefault(key, Fact(value(row["o"]), []))
        if row["g"].value not in fact.graphs:
            fact.graphs.append(row["g"].value)
        if isinstance(row["o"], BlankNode) and "bp" in row:
            inner = blank_facts.setdefault(key, {}).setdefault(row["bp"].value, {})
            inner.setdefault(_term_key(row["bo"]), Fact(value(row["bo"]), fact.graphs))
    for facts in grouped.values():
        for key, fact in facts.items():
            if fact.value.kind == "blank":
                fact.value.facts = _order(names, blank_facts.get(key, {}))

    description = Description(iri=iri, exists=True, label=names[iri])
    description.properties = _order(names, grouped)
    description.alt_labels = sorted(
        {f.value.value for f in grouped.get(str(SKOS.altLabel), {}).values()
         if (f.value.language or "").split("-")[0] in (lang, "")})
    description.types = sorted((f.value for f in grouped.get(str(RDF.type), {}).values()),
                               key=lambda v: (not v.value.startswith(str(PG)), v.label))
    description.sources = _sources(store, {g for fs in grouped.values()
                                           for f in fs.values() for g in f.graphs}, lang)
    description.incoming = _incoming(store, node, incoming_rows, names, page, value, lang)
    description.partners = _partners(store, partner_rows, value, names, lang)
    description.partners.sort(key=lambda p: (p.partner.label.casefold(), p.partner.value,
                                             p.partnership.value))
    description.partner_count = len(description.partners)
    description.partner_pages = max(1, -(-description.partner_count // PARTNERS_PER_PAGE))
    description.partner_page = min(max(page, 1), description.partner_pages)
    start = (description.partner_page - 1) * PARTNERS_PER_PAGE
    description.partners = description.partners[start:start + PARTNERS_PER_PAGE]
    return description


def _partner_rows(store: Store, node: str) -> list[dict]:
    # Partners are not linked to each other directly: each partnership names
    # its members, so a municipality's partners are the other members. Each
    # kind comes with the graph that says it and, where a row of a sheet
    # says it, that row's addresses.
    classes = " ".join(f"<{cls}>" for cls in party_classes())
    return store.select(f"""
        SELECT DISTINCT ?partner ?partnership ?kind ?g ?url WHERE {{
          VALUES ?class {{ {classes} }} {node} a ?class .
          ?partnership a <{PG.Partnership}> ; <{ORG.hasMember}> {node}, ?partner .
          FILTER (?partner != {node})
          OPTIONAL {{ GRAPH ?g {{ ?partnership <{PG.kind}> ?kind }}
            OPTIONAL {{ GRAPH ?g {{ ?partnership <{PG.sourceStatement}> ?said .
                                   ?said <{PG.kind}> ?kind ; <{DCTERMS.source}> ?url }} }} }}
        }}""")


def _partners(store: Store, rows: list[dict], value, names: dict[str, str], lang: str) -> list[Partner]:
    """One entry per partnership, with each kind its sources give and who gives it."""
    sources = _sources(store, {r["g"].value for r in rows if "g" in r}, lang)
    said: dict[tuple[str, str], dict[str, list[str]]] = {}
    terms: dict[tuple[str, str], tuple] = {}
    for row in rows:
        key = (row["partner"].value, row["partnership"].value)
        terms.setdefault(key, (row["partner"], row["partnership"]))
        kinds = said.setdefault(key, {})
        if "kind" not in row:
            continue
        by = kinds.setdefault(names.get(row["kind"].value, row["kind"].value), [])
        name = _host(row["url"].value) if "url" in row else _source_name(sources[row["g"].value])
        if name not in by:
            by.append(name)
    return [Partner(value(partner), value(partnership),
                    [KindSaid(kind, sorted(by, key=str.casefold)) for kind, by in sorted(said[key].items())])
            for key, (partner, partnership) in terms.items()]


def _source_name(source: Source) -> str:
    return source.publisher or source.graph_title or source.title or source.graph.rsplit("/", 1)[-1]


def _host(url: str) -> str:
    return urlsplit(url).netloc.removeprefix("www.")


def _incoming_counts(store: Store, node: str) -> list[dict]:
    return store.select(f"""
        SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p {node} FILTER(isIRI(?s)) }}
        GROUP BY ?p""")


def _incoming(store: Store, node: str, counts: list[dict], names: dict[str, str],
              page: int, value, lang: str) -> list[Incoming]:
    groups = []
    for row in counts:
        prop = row["p"].value
        count = int(row["n"].value)
        pages = max(1, -(-count // INCOMING_PER_PAGE))
        current = min(max(page, 1), pages)
        subjects = [r["s"] for r in store.select(f"""
            SELECT DISTINCT ?s WHERE {{ ?s <{prop}> {node} FILTER(isIRI(?s)) }}
            ORDER BY ?s LIMIT {INCOMING_PER_PAGE}
            OFFSET {(current - 1) * INCOMING_PER_PAGE}""")]
        groups.append((prop, count, current, pages, subjects))
    subject_names = labels(store, [s.value for g in groups for s in g[4]], lang)
    result = []
    for prop, count, current, pages, subjects in groups:
        values = []
        for subject in subjects:
            v = value(subject)
            v.label = subject_names.get(subject.value, v.label)
            values.append(v)
        values.sort(key=lambda v: v.label.casefold())
        result.append(Incoming(prop, names[prop], count, values, current, pages))
    result.sort(key=lambda g: g.label.casefold())
    return result


def _sources(store: Store, graphs: set[str], lang: str) -> dict[str, Source]:
    if not graphs:
        return {}
    values = " ".join(f"<{g}>" for g in graphs)
    rows = store.select(f"""
        SELECT ?g ?gt ?source ?title ?publisher ?issued ?identifier WHERE {{
          VALUES ?g {{ {values} }}
          OPTIONAL {{ ?g <{DCTERMS.title}> ?gt }}
          OPTIONAL {{ ?g <{PROV.wasDerivedFrom}> ?source
            OPTIONAL {{ ?source <{DCTERMS.title}> ?title }}
            OPTIONAL {{ ?source <{DCTERMS.publisher}> ?publisher }}
            OPTIONAL {{ ?source <{DCTERMS.issued}> ?issued }}
            OPTIONAL {{ ?source <{DCTERMS.identifier}> ?identifier }} }}
        }}""")
    publishers = labels(store, {r["publisher"].value for r in rows if "publisher" in r}, lang)
    found: dict[str, Source] = {}
    for graph in sorted(graphs):
        mine = [r for r in rows if r["g"].value == graph]

        def pick(key: str, literal: bool = True, mine: list = mine) -> str | None:
            terms = [r[key] for r in mine if key in r]
            if not terms:
                return None
            if literal:
                return pick_literal(((t.value, getattr(t, "language", None) or "")
                                     for t in terms), lang)
            return sorted(t.value for t in terms)[0]

        publisher = pick("publisher", literal=False)
        found[graph] = Source(
            graph=graph, graph_title=pick("gt"), iri=pick("source", literal=False),
            title=pick("title"), publisher=publishers.get(publisher) if publisher else None,
            publisher_iri=publisher, issued=pick("issued"), identifier=pick("identifier"))
    return found


def _order(names: dict[str, str], grouped: dict[str, dict[str, Fact]]) -> list[PropertyFacts]:
    def rank(prop: str):
        lead = _LEADING.index(prop) if prop in _LEADING else len(_LEADING)
        return (lead, names.get(prop, prop).casefold())

    result = []
    for prop in sorted(grouped, key=rank):
        facts = sorted(grouped[prop].values(),
                       key=lambda f: (f.value.language or "", f.value.label.casefold()))
        result.append(PropertyFacts(prop, names.get(prop, prop), facts))
    return result


def _term_key(term) -> str:
    return str(term)
