"""Rows in the fields of the import templates (graph/ingest/template.py) to
RDF, in the terms of data/seeds/*.ttl: the one place that decides which
triples a field gives, for a steward's sheet and a public data set alike.

A municipality row (name, country, official_code, region, latitude,
longitude; a data set's mapping may also give alt_name, other names
separated by ";", and region_code)
states one pg:Municipality. A partnership row (municipality,
municipality_country, partner_municipality, partner_country, kind, themes,
funders, programme, start_year, status, source_url, notes) states one
pg:Partnership with both members, and the members it mints: municipalities,
or parties of another kind (a region, a county ...) where municipality_kind
or partner_kind, or the name's words, say so (graph/ingest/actor_kinds.py).
Sources may say different things of one partnership, and a sheet may have
several rows of one pair: each row of a steward's sheet also gives a
pg:SourceStatement, what that row's sources say (kind, year, themes,
funders, programme, status, addresses), so that a page can tell who says
what.

What the store already holds keeps its names: a row states the type, names
and country of the members it mints and the type and names of a partnership
it mints, and of others only what it says of them. (Undo keeps what other
sources rely on: graph/ingest/history.py.)

Which node a name means is not decided here: the caller's Resolver matches
names its own way (a sheet against the store, a data set with its aliases and
merge rules) and mints what matches nothing, through graph/iris.py. A row
with any problem gives no triples, only its problems, each with a fix."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Protocol, TypeVar

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS, XSD

from graph.ingest.actor_kinds import kind_words, named
from graph.ingest.messages import Bilingual
from graph.ingest.names import fold
from graph.ingest.report import Problem
from graph.ingest.template import KINDS, SEPARATOR, STATUSES
from graph.iris import country_iri, region_iri, statement_iri
from graph.rdf.namespaces import GEO, PG

T = TypeVar("T")

_DECIMAL = ox.NamedNode(str(XSD.decimal))
_YEAR = ox.NamedNode(str(XSD.gYear))
# Each coordinate field, its predicate and how far from zero it may lie.
_COORDINATES = (("latitude", ox.NamedNode(str(GEO.lat)), 90), ("longitude", ox.NamedNode(str(GEO.long)), 180))
# The terms a row's triples use, made once: an rdflib namespace's attribute
# and an rdflib term's hash are Python code, and a big sheet asks for them
# half a million times.
_ALT_LABEL = ox.NamedNode(str(SKOS.altLabel))
_COUNTRY = ox.NamedNode(str(PG.country))
_FUNDED_BY = ox.NamedNode(str(PG.fundedBy))
_FUNDER = ox.NamedNode(str(PG.Funder))
_FUNDING_PROGRAMME = ox.NamedNode(str(PG.FundingProgramme))
_HAS_MEMBER = ox.NamedNode(str(ORG.hasMember))
_KIND = ox.NamedNode(str(PG.kind))
_NOTE = ox.NamedNode(str(SKOS.note))
_OFFICIAL_CODE = ox.NamedNode(str(PG.officialCode))
_PARTNERSHIP = ox.NamedNode(str(PG.Partnership))
_PREF_LABEL = ox.NamedNode(str(SKOS.prefLabel))
_PROGRAMME = ox.NamedNode(str(PG.fundingProgramme))
_REGION = ox.NamedNode(str(PG.region))
_REGION_CLASS = ox.NamedNode(str(PG.Region))
_SOURCE = ox.NamedNode(str(DCTERMS.source))
_SOURCE_STATEMENT = ox.NamedNode(str(PG.sourceStatement))
_SOURCE_STATEMENT_CLASS = ox.NamedNode(str(PG.SourceStatement))
_START_DATE = ox.NamedNode(str(PG.startDate))
_STATUS = ox.NamedNode(str(PG.status))
_THEME = ox.NamedNode(str(PG.theme))
_TYPE = ox.NamedNode(str(RDF.type))


@dataclass(frozen=True)
class Place:
    """A party a row names (a municipality, or a region, county ...), as
    the resolver found or minted it."""
    iri: str
    country: str            # ISO 3166-1 alpha-2 code
    sv: str                 # its names, for its labels and its partnerships' labels
    en: str
    # Whether this import says what the place is (type, labels, country):
    # one it mints, or one its caller's graph must describe.
    describe: bool
    given: str = ""         # the name as the row writes it
    latitude: str = ""      # coordinates the import gives it, if any
    longitude: str = ""
    # A name the place was found by that is none of its own (an exonym such
    # as Gothenburg for Göteborg): the import keeps it as an other name.
    other_name: str = ""
    # The class of the party (graph/ingest/actor_kinds.py): a region, county
    # or association of municipalities is a party too, never a municipality.
    kind: str = str(PG.Municipality)


@dataclass(frozen=True)
class Funder:
    """A funder a row names, as the resolver found or minted it."""
    iri: str
    name: str
    describe: bool          # minted by this import, which says what it is


@dataclass(frozen=True)
class Programme:
    """A funding programme a row names, as the resolver found or minted it."""
    iri: str
    name: str
    describe: bool          # minted by this import, which says what it is


@dataclass(frozen=True)
class PartnershipNode:
    """A row's partnership: its IRI, its members, and whether this import
    names it; one the store already holds keeps its name and type, and the
    row states its members and what it says of it."""
    iri: str
    members: tuple[Place, Place]
    describe: bool = True


class Unresolved(Exception):
    """A resolver's refusal of a name: a key of graph/ingest/messages.py
    (what is wrong and how to fix it) and its values."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key, self.params = key, params


class Resolver(Protocol):
    """How an importer's names become IRIs. Each method raises Unresolved
    for a name it cannot use; the converter reports it as the row's problem
    in the field it came from."""

    def country(self, text: str) -> str:
        """The ISO 3166-1 alpha-2 code of the country `text` names."""
        ...

    def municipality(self, field: str, row: Mapping[str, str], country: str) -> Place:
        """The municipality that row[field] names, in the country of ISO code `country`."""
        ...

    def theme(self, name: str) -> str:
        """The IRI of the theme `name` names."""
        ...

    def funder(self, name: str) -> Funder:
        """The funder `name` names, found or minted."""
        ...

    def programme(self, name: str) -> Programme:
        """The funding programme `name` names, found or minted."""
        ...

    def programme_named_as_funder(self, name: str) -> Programme | None:
        """The programme a name in the funders field stands for, when it
        names no funder but a programme ("ICLD"); else None."""
        ...

    def partnership(self, municipality: Place, partner: Place) -> PartnershipNode | None:
        """The partnership of the two, or None when an earlier row of the
        import already gave it (the row then states only its members)."""
        ...


@dataclass
class Converted:
    """What one row gives: its quads, or its problems (row number not set)."""
    quads: list[ox.Quad] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class RowConverter:
    """Rows to quads in graph `graph`, names resolved by `resolver`."""

    def __init__(self, base_iri: str, graph: str, resolver: Resolver, *, statements: bool = False):
        self.base, self.graph, self.resolver = base_iri, ox.NamedNode(graph), resolver
        # A steward's sheet gives each row's statement; a data set is one
        # source, its graph, and its rows need none.
        self.statements = statements

    def municipality(self, row: Mapping[str, str]) -> Converted:
        """A municipality row: the municipality (type, Swedish and English
        labels, country, other name, official code, region, coordinates)."""
        out = Converted()
        name = row.get("name", "")
        if not name:
            self._problem(out, "name", "empty_name")
        country = self._country(out, "country", row)
        code = row.get("official_code", "")
        if code and not re.fullmatch(r"[0-9]{4}", code):
            self._problem(out, "official_code", "not_municipality_code", value=code)
        coordinates = self._coordinates(out, {column: row.get(column, "") for column, _, _ in _COORDINATES})
        place = None
        if name and country:
            place = self._ask(out, "name", self.resolver.municipality, "name", row, country)
        if out.problems or place is None:
            return Converted(problems=out.problems)
        if place.describe:
            self._identity(out, place)
        self._other_name(out, place)
        for other in _split(row.get("alt_name", "")):
            self._add(out, place.iri, _ALT_LABEL, ox.Literal(other, language="sv"))
        if code:
            self._add(out, place.iri, _OFFICIAL_CODE, ox.Literal(code))
        if row.get("region"):
            region = region_iri(self.base, place.country, row["region"])
            self._add(out, region, _TYPE, _REGION_CLASS)
            self._add(out, region, _PREF_LABEL, ox.Literal(row["region"], language="sv"))
            if row.get("region_code"):
                self._add(out, region, _OFFICIAL_CODE, ox.Literal(row["region_code"]))
            self._add(out, place.iri, _REGION, region)
        self._located(out, place.iri, coordinates)
        return out

    def partnership(self, row: Mapping[str, str]) -> Converted:
        """A partnership row: the partnership (type, labels, kind, both
        members, status, themes, funders, programmes, start year, sources,
        note), the row's source statement, its members, and the funders and
        programmes this import mints."""
        out = Converted()
        for column in ("municipality", "partner_municipality", "kind"):
            if not row.get(column):
                self._problem(out, column, "empty_" + column)
        home_country = self._country(out, "municipality_country", row)
        partner_country = self._country(out, "partner_country", row)
        home = partner = None
        # Both sides or neither: a resolver may remember what it was asked
        # (a data set's towns), and a row that cannot be a partnership
        # should leave no trace there.
        if row.get("municipality") and row.get("partner_municipality") and home_country and partner_country:
            home = self._ask(out, "municipality", self.resolver.municipality,
                             "municipality", row, home_country)
            partner = self._ask(out, "partner_municipality", self.resolver.municipality,
                                "partner_municipality", row, partner_country)
        for column in ("municipality_kind", "partner_kind"):
            if row.get(column) and named(row[column]) is None:
                self._problem(out, column, "not_actor_kind", value=row[column],
                              kinds=Bilingual(kind_words("sv"), kind_words("en")))
        kind = self._word(out, "kind", row.get("kind", ""), KINDS)
        status = self._word(out, "status", row.get("status", ""), STATUSES)
        themes = [theme for name in _split(row.get("themes", ""))
                  if (theme := self._ask(out, "themes", self.resolver.theme, name))]
        funders: list[Funder] = []
        programmes: list[Programme] = []
        for name in _split(row.get("funders", "")):
            programme = self._ask(out, "funders", self.resolver.programme_named_as_funder, name)
            if programme:
                programmes.append(programme)
            elif funder := self._ask(out, "funders", self.resolver.funder, name):
                funders.append(funder)
        programmes += [programme for name in _split(row.get("programme", ""))
                       if (programme := self._ask(out, "programme", self.resolver.programme, name))]
        year = row.get("start_year", "")
        if year and not re.fullmatch(r"[0-9]{4}", year):
            self._problem(out, "start_year", "not_year", value=year)
        sources = _split(row.get("source_url", ""))
        for url in sources:
            if not _is_web_address(url):
                self._problem(out, "source_url", "not_web_address", value=url, separator=SEPARATOR)
        node = None
        if home and partner:
            if home.iri == partner.iri:
                self._problem(out, "partner_municipality", "partner_is_self")
            elif not out.problems:
                node = self._ask(out, "partner_municipality", self.resolver.partnership, home, partner)
        if out.problems or home is None or partner is None:
            return Converted(problems=out.problems)
        for member, column in ((home, "municipality"), (partner, "partner_municipality")):
            if member.describe:
                self._identity(out, member)
            self._other_name(out, member)
            self._located(out, member.iri, self._coordinates(
                out, {"latitude": member.latitude, "longitude": member.longitude}, column))
        if node is not None:
            facts = _Facts(str(kind), status, themes, funders, programmes, row.get("start_year", ""),
                           sources, row.get("notes", ""))
            self._partnership(out, node, facts)
        return out

    def _partnership(self, out: Converted, node: PartnershipNode, facts: _Facts) -> None:
        """The partnership's names, members and facts; with statements, the
        row's statement of the same facts, with its sources."""
        if node.describe:
            first, second = named_order(node.members)
            self._add(out, node.iri, _TYPE, _PARTNERSHIP)
            self._add(out, node.iri, _PREF_LABEL, ox.Literal(f"{first.sv}–{second.sv}", language="sv"))
            self._add(out, node.iri, _PREF_LABEL, ox.Literal(f"{first.en}–{second.en}", language="en"))
        for member in node.members:
            self._add(out, node.iri, _HAS_MEMBER, member.iri)
        self._facts(out, node.iri, facts)
        for funder in facts.funders:
            if funder.describe:
                self._named(out, funder.iri, _FUNDER, funder.name)
        for programme in facts.programmes:
            if programme.describe:
                self._named(out, programme.iri, _FUNDING_PROGRAMME, programme.name)
                for funder in facts.funders:
                    self._add(out, programme.iri, _FUNDED_BY, funder.iri)
        if self.statements:
            statement = statement_iri(self.base, self.graph.value, node.iri, facts.key())
            self._add(out, node.iri, _SOURCE_STATEMENT, statement)
            self._add(out, statement, _TYPE, _SOURCE_STATEMENT_CLASS)
            self._facts(out, statement, facts)

    def _facts(self, out: Converted, subject: str, facts: _Facts) -> None:
        self._add(out, subject, _KIND, facts.kind)
        if facts.status:
            self._add(out, subject, _STATUS, facts.status)
        for theme in facts.themes:
            self._add(out, subject, _THEME, theme)
        for funder in facts.funders:
            self._add(out, subject, _FUNDED_BY, funder.iri)
        for programme in facts.programmes:
            self._add(out, subject, _PROGRAMME, programme.iri)
        if facts.year:
            self._add(out, subject, _START_DATE, ox.Literal(facts.year, datatype=_YEAR))
        for url in facts.sources:
            self._add(out, subject, _SOURCE, url)
        if facts.notes:
            self._add(out, subject, _NOTE, ox.Literal(facts.notes))

    def _named(self, out: Converted, iri: str, cls: ox.NamedNode, name: str) -> None:
        # A name in a sheet is in no stated language; it is the thing's name in both.
        self._add(out, iri, _TYPE, cls)
        self._add(out, iri, _PREF_LABEL, ox.Literal(name, language="sv"))
        self._add(out, iri, _PREF_LABEL, ox.Literal(name, language="en"))

    # -- fields ----------------------------------------------------------
    def _country(self, out: Converted, column: str, row: Mapping[str, str]) -> str | None:
        text = row.get(column, "")
        if not text:
            self._problem(out, column, "empty_country")
            return None
        return self._ask(out, column, self.resolver.country, text)

    def _word(self, out: Converted, column: str, value: str, words: dict[URIRef, list[str]]) -> str | None:
        """The term of a vocabulary (kind, status) the word names; a word
        of none is refused, never made into an IRI."""
        if not value:
            return None
        for term, allowed in words.items():
            if fold(value) in {fold(w) for w in allowed}:
                return str(term)
        self._problem(out, column, f"unknown_{column}", value=value,
                      words=", ".join(w for allowed in words.values() for w in allowed[:2]))
        return None

    def _coordinates(self, out: Converted, given: dict[str, str], column: str | None = None) -> dict[str, str]:
        """Decimal degrees in canonical form, by field. A value that is no
        number of degrees in range is a problem of its field, or of
        `column` for a place's coordinates."""
        found = {}
        for name, _, limit in _COORDINATES:
            value = given.get(name, "")
            if not value:
                continue
            degrees = _degrees(value, limit)
            if degrees is None:
                self._problem(out, column or name, f"not_{name}", value=value)
            else:
                found[name] = degrees
        return found

    # -- statements ------------------------------------------------------
    def _identity(self, out: Converted, place: Place) -> None:
        self._add(out, place.iri, _TYPE, place.kind)
        self._add(out, place.iri, _PREF_LABEL, ox.Literal(place.sv, language="sv"))
        self._add(out, place.iri, _PREF_LABEL, ox.Literal(place.en, language="en"))
        self._add(out, place.iri, _COUNTRY, country_iri(self.base, place.country))

    def _other_name(self, out: Converted, place: Place) -> None:
        # Without a language tag: the source of other names (GeoNames' city
        # lists) does not say which language a name is in.
        if place.other_name:
            self._add(out, place.iri, _ALT_LABEL, ox.Literal(place.other_name))

    def _located(self, out: Converted, iri: str, coordinates: dict[str, str]) -> None:
        for name, predicate, _ in _COORDINATES:
            if name in coordinates:
                self._add(out, iri, predicate, ox.Literal(coordinates[name], datatype=_DECIMAL))

    def _add(self, out: Converted, subject: str, predicate: ox.NamedNode,
             obj: str | ox.NamedNode | ox.Literal) -> None:
        out.quads.append(quad(subject, predicate, obj, self.graph))

    def _ask(self, out: Converted, column: str, question: Callable[..., T], *args: Any) -> T | None:
        try:
            return question(*args)
        except Unresolved as refusal:
            self._problem(out, column, refusal.key, **refusal.params)
            return None

    @staticmethod
    def _problem(out: Converted, column: str, key: str, **params: Any) -> None:
        out.problems.append(Problem(key, params, column=column))


@dataclass(frozen=True)
class _Facts:
    """What one row says of its partnership, fields checked."""
    kind: str
    status: str | None
    themes: list[str]
    funders: list[Funder]
    programmes: list[Programme]
    year: str
    sources: list[str]
    notes: str

    def key(self) -> str:
        """The facts in a fixed form, for the statement's IRI."""
        return "|".join([self.kind, self.status or "", *sorted(self.themes),
                         *sorted(f.iri for f in self.funders), *sorted(p.iri for p in self.programmes),
                         self.year, *sorted(self.sources), self.notes])


def named_order(members: tuple[Place, Place]) -> tuple[Place, Place]:
    """A new partnership's members in the order its name gives them: a
    Swedish municipality first, as the seeds name theirs (the graph is about
    Swedish municipalities' cooperation), else by IRI. It depends on the pair
    alone, so that whichever source names it first, the name is the same."""
    first, second = sorted(members, key=lambda place: (place.country != "SE", place.iri))
    return first, second


def quad(subject: str, predicate: URIRef | ox.NamedNode, obj: str | ox.NamedNode | ox.Literal,
         graph: ox.NamedNode) -> ox.Quad:
    """One statement in `graph`; an object given as text is an IRI."""
    # str(): an rdflib term is a str whose hash is Python code.
    node = _named(str(obj)) if isinstance(obj, str) else obj
    verb = predicate if isinstance(predicate, ox.NamedNode) else _named(str(predicate))
    return ox.Quad(_named(subject), verb, node, graph)


@lru_cache(maxsize=4096)
def _named(iri: str) -> ox.NamedNode:
    # A row names its partnership a dozen times, and every row the same
    # predicates: checking and building each IRI once is a third of a row's time.
    return ox.NamedNode(iri)


def _degrees(text: str, limit: int) -> str | None:
    # A decimal comma is accepted: spreadsheets set to Swedish write one.
    # The store keeps xsd:decimal in canonical form ("60.4", "15"); writing
    # it so makes a re-import compare equal to what it replaces.
    try:
        value = Decimal(text.replace(",", "."))
        if not -limit <= value <= limit:
            return None
    except InvalidOperation:
        return None
    return format(value.normalize(), "f")


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(SEPARATOR) if part.strip()]


def _is_web_address(text: str) -> bool:
    if not re.match(r"https?://[^\s/]+", text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True
