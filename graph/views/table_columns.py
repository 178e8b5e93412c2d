"""The browsable tables (/partnerships, /municipalities, ...): one per class,
with columns read from the ontology.

A class's columns are the properties whose rdfs:domain is the class (or a
union that holds it): an object property gives a column of links, and a facet
when its values are a short list (kinds, statuses, themes, funders, countries,
regions, programmes); a date gives a column of years and a facet by decade;
long texts (goals, backgrounds) stay on the resource's page. A table may add
columns the ontology does not give its class, such as a partnership's members
and their countries.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib.namespace import ORG, SKOS

from graph.rdf.namespaces import PG
from graph.store.base import Store

# Ranges whose values are few enough to count in a facet.
FACET_RANGES = {str(c) for c in (PG.PartnershipKind, PG.Status, PG.Theme, PG.Funder, PG.Country,
                                 PG.Region, PG.FundingProgramme, PG.MillenniumStatus, PG.Role)}
# Ranges of long texts or of things a table does not show.
_SKIPPED_RANGES = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", str(PG.SourceStatement)}
_DATES = {"http://www.w3.org/2001/XMLSchema#date", "http://www.w3.org/2001/XMLSchema#gYear"}
_OWL = "http://www.w3.org/2002/07/owl#"

IRI, TEXT, YEAR, COUNT = "iri", "text", "year", "count"


Step = tuple[str, bool]          # a property, and whether it is followed backwards


@dataclass(frozen=True)
class Column:
    """One column: `key` names it in addresses, JSON and CSV; `ways` are the
    ways from the row's resource to the values (each a list of steps; the
    values of every way count); `titles` are the column's heading by
    language (from the property's rdfs:label)."""
    key: str
    ways: tuple[tuple[Step, ...], ...]
    titles: dict[str, str]
    kind: str = IRI                       # IRI, TEXT, YEAR or COUNT
    facet: bool = False

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles.get("en") or self.key

    def pattern(self, subject: str, value: str, tag: str) -> str:
        """Triple patterns from `subject` to `value`, with variables of their
        own (named after `tag`) between. Written out rather than as a
        property path: inside EXISTS, or from the value's end, Oxigraph
        follows a path through every triple of its first property."""
        branches = []
        for w, steps in enumerate(self.ways):
            here, triples = subject, []
            for n, (prop, backwards) in enumerate(steps):
                there = value if n == len(steps) - 1 else f"?{tag}_{w}_{n}"
                triples.append(f"{there} <{prop}> {here} ." if backwards else f"{here} <{prop}> {there} .")
                here = there
            branches.append(" ".join(triples))
        return branches[0] if len(branches) == 1 else " UNION ".join(f"{{ {b} }}" for b in branches)


def forward(*props) -> tuple[tuple[Step, ...], ...]:
    return (tuple((str(p), False) for p in props),)


def backward(prop, *then) -> tuple[Step, ...]:
    return ((str(prop), True), *((str(p), False) for p in then))


@dataclass(frozen=True)
class Table:
    """A browsable table: its address, its class, its headings by language,
    and the columns it adds to those of the ontology (placed first)."""
    slug: str
    cls: str
    titles: dict[str, str]
    extra: tuple[Column, ...] = ()
    hidden: frozenset[str] = field(default_factory=frozenset)   # ontology columns left out

    def title(self, lang: str) -> str:
        return self.titles.get(lang, self.titles["en"])


TABLES: dict[str, Table] = {t.slug: t for t in (
    Table("partnerships", str(PG.Partnership), {"sv": "Samarbeten", "en": "Partnerships"},
          (Column("members", forward(ORG.hasMember), {"sv": "medlemmar", "en": "members"}),
           Column("country", forward(ORG.hasMember, PG.country),
                  {"sv": "land (medlemmarnas)", "en": "country (of the members)"}, IRI, True))),
    Table("municipalities", str(PG.Municipality), {"sv": "Kommuner", "en": "Municipalities"},
          (Column("partnerships", (backward(ORG.hasMember),),
                  {"sv": "samarbeten", "en": "partnerships"}, COUNT),
           Column("kind", (backward(ORG.hasMember, PG.kind),),
                  {"sv": "samarbetsformer", "en": "kinds of partnership"}, IRI, True)),
          hidden=frozenset({"commonFunder"})),
    Table("projects", str(PG.Project), {"sv": "Projekt", "en": "Projects"}),
    Table("events", str(PG.Event), {"sv": "Händelser", "en": "Events"}),
    Table("funders", str(PG.Funder), {"sv": "Finansiärer", "en": "Funders"},
          (Column("funds", (backward(PG.fundedBy),), {"sv": "finansierar", "en": "funds"}, COUNT),
           Column("programmes", (backward(PG.fundedBy, PG.fundingProgramme),),
                  {"sv": "program", "en": "programmes"}, IRI, True))),
    Table("programmes", str(PG.FundingProgramme), {"sv": "Finansieringsprogram",
                                                   "en": "Funding programmes"}),
    Table("themes", str(PG.Theme), {"sv": "Teman", "en": "Themes"},
          (Column("broader", forward(SKOS.broader), {"sv": "bredare tema", "en": "broader theme"},
                  IRI, True),
           Column("partnerships", (backward(PG.theme), backward(PG.priorityArea)),
                  {"sv": "används av", "en": "used by"}, COUNT))),
    Table("countries", str(PG.Country), {"sv": "Länder", "en": "Countries"},
          (Column("municipalities", (backward(PG.country),),
                  {"sv": "kommuner", "en": "municipalities"}, COUNT),)),
    Table("regions", str(PG.Region), {"sv": "Regioner", "en": "Regions"}),
)}


def columns(store: Store, table: Table) -> list[Column]:
    """The table's columns: its own, then the ontology's for its class."""
    return store.derived(("table-columns", table.slug), lambda: _columns(store, table))


def _columns(store: Store, table: Table) -> list[Column]:
    # The unions are followed from each domain: a path asked for from the
    # class's end ran through every list in the store (a minute on the
    # world's twin towns).
    rows = store.select("""
        SELECT ?p ?kind ?d ?member ?range ?label WHERE {
          ?p rdfs:domain ?d ; a ?kind FILTER(?kind IN (owl:ObjectProperty, owl:DatatypeProperty))
          OPTIONAL { ?d owl:unionOf ?list . ?list rdf:rest*/rdf:first ?member }
          OPTIONAL { ?p rdfs:range ?range }
          OPTIONAL { ?p rdfs:label ?label }
        }""")
    found: dict[str, dict] = {}
    for row in rows:
        if table.cls not in (row["d"].value, row["member"].value if "member" in row else None):
            continue
        entry = found.setdefault(row["p"].value, {"kind": row["kind"].value, "ranges": set(),
                                                  "titles": {}})
        if "range" in row:
            entry["ranges"].add(row["range"].value)
        if "label" in row and row["label"].language:
            entry["titles"][row["label"].language] = row["label"].value
    made = list(table.extra)
    taken = {c.key for c in made}
    for prop, entry in sorted(found.items()):
        key = prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if key in taken or key in table.hidden or entry["ranges"] & _SKIPPED_RANGES:
            continue
        if entry["kind"] == _OWL + "ObjectProperty":
            ranges = entry["ranges"]
            made.append(Column(key, forward(prop), entry["titles"], IRI,
                               bool(ranges & FACET_RANGES)))
        elif entry["ranges"] & _DATES or key.lower().endswith("date"):
            made.append(Column(key, forward(prop), entry["titles"], YEAR, True))
        else:
            made.append(Column(key, forward(prop), entry["titles"], TEXT))
    # Facets a reader picks most first, then other links, then years, then text.
    first = {key: n for n, key in enumerate(_FIRST)}
    made[len(table.extra):] = sorted(
        made[len(table.extra):],
        key=lambda c: (first.get(c.key, len(first)), {IRI: 0, YEAR: 1, COUNT: 2, TEXT: 3}[c.kind], c.key))
    return made


_FIRST = ("kind", "status", "country", "region", "theme", "priorityArea", "fundedBy",
          "fundingProgramme", "millenniumStatus", "partnership", "project", "date", "startDate",
          "endDate")
