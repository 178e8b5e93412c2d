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
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, SKOS

from graph.ingest.actor_kinds import party_classes
from graph.rdf.namespaces import PG, SCHEMA
from graph.store.base import Store
from graph.views.labels import _safe_iri, labels, language_rank, pick_literal

INCOMING_PER_PAGE = 50
# A hub of the twin-town list has hundreds of partners: they come a page at
# a time, on the same ?page= as the links pointing here.
PARTNERS_PER_PAGE = 50

# Shown first, in this order; other properties follow by label.
_LEADING = [str(SKOS.altLabel), str(PG.nativeName), str(RDF.type),
            str(PG.kind), str(PG.status), str(PG.country)]
# Not facts for a reader: the name is the page's heading (each language's
# once, beside it), the notes go to the stewards' provenance section.
_NOT_FACTS = {str(SKOS.prefLabel), str(SKOS.editorialNote)}
# Links that import bookkeeping makes to a resource (a load's record that it
# merged a name here): for stewards, not among the links that refer to it.
_BOOKKEEPING = {str(PG.matchedNode)}
# Literals that are ways to reach someone, and the scheme of their link.
_CONTACT = {str(SCHEMA.email): "mailto:", str(FOAF.mbox): "mailto:",
            str(SCHEMA.telephone): "tel:", str(FOAF.phone): "tel:"}


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
    href: str | None = None        # a literal's link: mailto:, tel:
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
    """Where facts come from, as a reader checks it: a title (in the reader's
    language where the graph has one), the publisher, the date, and the
    address of the original where the graph has one (dcterms:source, or an
    identifier that is an address). The seed pages came as files without an
    address: they have none, and their file names are no reader's business."""
    graph: str
    graph_title: str | None
    iri: str | None = None
    title: str | None = None
    title_language: str | None = None
    publisher: str | None = None
    publisher_iri: str | None = None
    issued: str | None = None
    url: str | None = None
    licence: str | None = None


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
class Note:
    """A steward's note on the resource (skos:editorialNote, written by
    loads about merges), with the graphs that say it."""
    text: str
    language: str | None
    graphs: list[str]


@dataclass
class Description:
    iri: str
    exists: bool
    label: str = ""
    alt_labels: list[str] = field(default_factory=list)
    # The preferred label in each language it has, when they differ from
    # the page's own: (language, label).
    other_names: list[tuple[str, str]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    # Links from import bookkeeping (merge records): the stewards' part.
    records: list[Incoming] = field(default_factory=list)
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
    for prop, facts in [*grouped.items(), *((p, f) for inner in blank_facts.values() for p, f in inner.items())]:
        for fact in facts.values():
            if prop in _CONTACT and fact.value.kind == "literal":
                fact.value.href = _contact_link(_CONTACT[prop], fact.value.value)

    description = Description(iri=iri, exists=True, label=names[iri])
    description.properties = _order(names, {p: f for p, f in grouped.items() if p not in _NOT_FACTS})
    description.other_names = sorted(
        {((f.value.language or "").split("-")[0], f.value.value)
         for f in grouped.get(str(SKOS.prefLabel), {}).values()
         if f.value.value != description.label and f.value.language})
    description.notes = [Note(f.value.value, f.value.language, f.graphs)
                         for f in grouped.get(str(SKOS.editorialNote), {}).values()]
    description.alt_labels = sorted(
        {f.value.value for f in grouped.get(str(SKOS.altLabel), {}).values()
         if (f.value.language or "").split("-")[0] in (lang, "")})
    description.types = sorted((f.value for f in grouped.get(str(RDF.type), {}).values()),
                               key=lambda v: (not v.value.startswith(str(PG)), v.label))
    description.sources = _sources(store, {g for fs in grouped.values()
                                           for f in fs.values() for g in f.graphs}, lang)
    incoming = _incoming(store, node, incoming_rows, names, page, value, lang)
    # A party's partnerships are its partner cards already.
    shown = {str(ORG.hasMember)} if description.is_party else set()
    description.incoming = [i for i in incoming if i.property not in _BOOKKEEPING | shown]
    description.records = [i for i in incoming if i.property in _BOOKKEEPING]
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


def _contact_link(scheme: str, text: str) -> str:
    # A telephone link carries no spaces ("0651-180 00" dials as 0651-18000).
    address = text.strip().removeprefix(scheme)
    return scheme + ("".join(address.split()) if scheme == "tel:" else address)


def _address(text: str | None) -> str | None:
    return text if text and urlsplit(text).scheme in ("http", "https") else None


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
        SELECT ?g ?gt ?gsource ?source ?title ?publisher ?issued ?identifier ?url ?licence WHERE {{
          VALUES ?g {{ {values} }}
          OPTIONAL {{ ?g <{DCTERMS.title}> ?gt }}
          OPTIONAL {{ ?g <{DCTERMS.source}> ?gsource }}
          OPTIONAL {{ ?g <{PROV.wasDerivedFrom}> ?source
            OPTIONAL {{ ?source <{DCTERMS.title}> ?title }}
            OPTIONAL {{ ?source <{DCTERMS.publisher}> ?publisher }}
            OPTIONAL {{ ?source <{DCTERMS.issued}> ?issued }}
            OPTIONAL {{ ?source <{DCTERMS.identifier}> ?identifier }}
            OPTIONAL {{ ?source <{DCTERMS.source}> ?url }}
            OPTIONAL {{ ?source <{DCTERMS.license}> ?licence }} }}
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

        # The title in the reader's language: the source's own, else its
        # graph's (a data set's graph has a Swedish title its source lacks).
        titles = {(r[k].value, r[k].language or "", n) for r in mine
                  for n, k in enumerate(("title", "gt")) if k in r}
        best = min(titles, key=lambda t: (language_rank(t[1], lang), t[2], t[0]), default=None)
        publisher = pick("publisher", literal=False)
        found[graph] = Source(
            graph=graph, graph_title=pick("gt"), iri=pick("source", literal=False),
            title=best[0] if best else None, title_language=best[1] if best else None,
            publisher=publishers.get(publisher) if publisher else None,
            publisher_iri=publisher, issued=pick("issued"),
            url=_address(pick("url", literal=False)) or _address(pick("identifier"))
            or _address(pick("gsource", literal=False)),
            licence=_address(pick("licence", literal=False)))
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
