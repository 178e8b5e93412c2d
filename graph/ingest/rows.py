"""Rows in the fields of the import templates (graph/ingest/template.py) to
RDF, in the terms of data/seeds/*.ttl: the one place that decides which
triples a field gives, for a steward's sheet and a public data set alike.

A municipality row (name, country, official_code, region, latitude,
longitude; a data set's mapping may also give alt_name, other names
separated by ";", and region_code)
states one pg:Municipality. A partnership row (municipality,
municipality_country, partner_municipality, partner_country, kind, themes,
funders, start_year, status, source_url, notes) states one pg:Partnership
with both members, and the members it mints: municipalities, or parties of
another kind (a region, a county ...) where municipality_kind or
partner_kind, or the name's words, say so (graph/ingest/actor_kinds.py).

Which node a name means is not decided here: the caller's Resolver matches
names its own way (a sheet against the store, a data set with its aliases and
merge rules) and mints what matches nothing, through graph/iris.py. A row
with any problem gives no triples, only its problems, each with a fix."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS, XSD

from graph.ingest.actor_kinds import kind_words, named
from graph.ingest.names import fold
from graph.ingest.report import Problem
from graph.ingest.template import KINDS, SEPARATOR, STATUSES
from graph.iris import country_iri, region_iri
from graph.rdf.namespaces import GEO, PG

T = TypeVar("T")

_DECIMAL = ox.NamedNode(str(XSD.decimal))
_YEAR = ox.NamedNode(str(XSD.gYear))
# Each coordinate field, its predicate and how far from zero it may lie.
_COORDINATES = (("latitude", GEO.lat, 90), ("longitude", GEO.long, 180))


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
class PartnershipNode:
    """A row's partnership: its IRI, its members in the order its name gives
    them, and whether this import describes it; if not, the store already
    holds it and the row only states that the two are its members."""
    iri: str
    members: tuple[Place, Place]
    describe: bool


class Unresolved(Exception):
    """A resolver's refusal of a name: what is wrong and how to fix it."""

    def __init__(self, message: str, fix: str = ""):
        super().__init__(message)
        self.message, self.fix = message, fix


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

    def __init__(self, base_iri: str, graph: str, resolver: Resolver):
        self.base, self.graph, self.resolver = base_iri, ox.NamedNode(graph), resolver

    def municipality(self, row: Mapping[str, str]) -> Converted:
        """A municipality row: the municipality (type, Swedish and English
        labels, country, other name, official code, region, coordinates)."""
        out = Converted()
        name = row.get("name", "")
        if not name:
            self._problem(out, "name", "The name is empty.", "Fill in the municipality's name.")
        country = self._country(out, "country", row)
        code = row.get("official_code", "")
        if code and not re.fullmatch(r"[0-9]{4}", code):
            self._problem(out, "official_code", f"{code!r} is not a municipality code.",
                          "Write the four-digit code (kommunkod), such as 2081; keep its leading zero.")
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
            self._add(out, place.iri, SKOS.altLabel, ox.Literal(other, language="sv"))
        if code:
            self._add(out, place.iri, PG.officialCode, ox.Literal(code))
        if row.get("region"):
            region = region_iri(self.base, place.country, row["region"])
            self._add(out, region, RDF.type, PG.Region)
            self._add(out, region, SKOS.prefLabel, ox.Literal(row["region"], language="sv"))
            if row.get("region_code"):
                self._add(out, region, PG.officialCode, ox.Literal(row["region_code"]))
            self._add(out, place.iri, PG.region, region)
        self._located(out, place.iri, coordinates)
        return out

    def partnership(self, row: Mapping[str, str]) -> Converted:
        """A partnership row: the partnership (type, labels, kind, both
        members, status, themes, funders, start year, source, note) and the
        members and funders this import mints."""
        out = Converted()
        for column in ("municipality", "partner_municipality", "kind"):
            if not row.get(column):
                words = column.replace("_", " ")
                self._problem(out, column, f"The {words} is empty.", f"Fill in the {words}.")
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
                self._problem(out, column, f"{row[column]!r} is not a kind of actor.",
                              f"Write one of: {kind_words()}; or leave it empty, and the name says "
                              "(a municipality, unless its words say region, county ...).")
        kind = self._word(out, "kind", row.get("kind", ""), KINDS)
        status = self._word(out, "status", row.get("status", ""), STATUSES)
        themes = [theme for name in _split(row.get("themes", ""))
                  if (theme := self._ask(out, "themes", self.resolver.theme, name))]
        funders = [funder for name in _split(row.get("funders", ""))
                   if (funder := self._ask(out, "funders", self.resolver.funder, name))]
        year = row.get("start_year", "")
        if year and not re.fullmatch(r"[0-9]{4}", year):
            self._problem(out, "start_year", f"{year!r} is not a year.",
                          "Write the year with four digits, such as 2011.")
        url = row.get("source_url", "")
        if url and not _is_web_address(url):
            self._problem(out, "source_url", f"{url!r} is not a web address.",
                          "Give the full address, starting with https://.")
        node = None
        if home and partner:
            if home.iri == partner.iri:
                self._problem(out, "partner_municipality", "The partner is the municipality itself.",
                              "Name the other municipality of the partnership.")
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
            self._partnership(out, node, row, str(kind), status, themes, funders)
        return out

    def _partnership(self, out: Converted, node: PartnershipNode, row: Mapping[str, str], kind: str,
                     status: str | None, themes: list[str], funders: list[Funder]) -> None:
        """The partnership's facts, its fields checked; of a partnership the
        store already holds, only its members."""
        for member in node.members:
            self._add(out, node.iri, ORG.hasMember, member.iri)
        if not node.describe:
            return
        first, second = node.members
        self._add(out, node.iri, RDF.type, PG.Partnership)
        self._add(out, node.iri, SKOS.prefLabel, ox.Literal(f"{first.sv}–{second.sv}", language="sv"))
        self._add(out, node.iri, SKOS.prefLabel, ox.Literal(f"{first.en}–{second.en}", language="en"))
        self._add(out, node.iri, PG.kind, kind)
        if status:
            self._add(out, node.iri, PG.status, status)
        for theme in themes:
            self._add(out, node.iri, PG.theme, theme)
        for funder in funders:
            if funder.describe:
                self._add(out, funder.iri, RDF.type, PG.Funder)
                self._add(out, funder.iri, SKOS.prefLabel, ox.Literal(funder.name, language="sv"))
                self._add(out, funder.iri, SKOS.prefLabel, ox.Literal(funder.name, language="en"))
            self._add(out, node.iri, PG.fundedBy, funder.iri)
        if row.get("start_year"):
            self._add(out, node.iri, PG.startDate, ox.Literal(row["start_year"], datatype=_YEAR))
        if row.get("source_url"):
            self._add(out, node.iri, DCTERMS.source, row["source_url"])
        if row.get("notes"):
            self._add(out, node.iri, SKOS.note, ox.Literal(row["notes"]))

    # -- fields ----------------------------------------------------------
    def _country(self, out: Converted, column: str, row: Mapping[str, str]) -> str | None:
        text = row.get(column, "")
        if not text:
            self._problem(out, column, "The country is empty.",
                          "Give an ISO 3166-1 alpha-2 code such as SE, or the country's name in Swedish or English.")
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
        self._problem(out, column, f"{value!r} is not a known {column}.",
                      "Write one of: " + ", ".join(w for allowed in words.values() for w in allowed[:2]) + ".")
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
                self._problem(out, column or name, f"{value!r} is not a {name}.",
                              f"Write decimal degrees between -{limit} and {limit}, such as 60.4858.")
            else:
                found[name] = degrees
        return found

    # -- statements ------------------------------------------------------
    def _identity(self, out: Converted, place: Place) -> None:
        self._add(out, place.iri, RDF.type, place.kind)
        self._add(out, place.iri, SKOS.prefLabel, ox.Literal(place.sv, language="sv"))
        self._add(out, place.iri, SKOS.prefLabel, ox.Literal(place.en, language="en"))
        self._add(out, place.iri, PG.country, country_iri(self.base, place.country))

    def _other_name(self, out: Converted, place: Place) -> None:
        # Without a language tag: the source of other names (GeoNames' city
        # lists) does not say which language a name is in.
        if place.other_name:
            self._add(out, place.iri, SKOS.altLabel, ox.Literal(place.other_name))

    def _located(self, out: Converted, iri: str, coordinates: dict[str, str]) -> None:
        for name, predicate, _ in _COORDINATES:
            if name in coordinates:
                self._add(out, iri, predicate, ox.Literal(coordinates[name], datatype=_DECIMAL))

    def _add(self, out: Converted, subject: str, predicate: URIRef, obj: str | ox.Literal) -> None:
        out.quads.append(quad(subject, predicate, obj, self.graph))

    def _ask(self, out: Converted, column: str, question: Callable[..., T], *args: Any) -> T | None:
        try:
            return question(*args)
        except Unresolved as refusal:
            self._problem(out, column, refusal.message, refusal.fix)
            return None

    @staticmethod
    def _problem(out: Converted, column: str, message: str, fix: str) -> None:
        out.problems.append(Problem(message, fix, column=column))


def quad(subject: str, predicate: URIRef, obj: str | ox.Literal, graph: ox.NamedNode) -> ox.Quad:
    """One statement in `graph`; an object given as text is an IRI."""
    node = ox.NamedNode(obj) if isinstance(obj, str) else obj
    return ox.Quad(ox.NamedNode(subject), ox.NamedNode(str(predicate)), node, graph)


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
