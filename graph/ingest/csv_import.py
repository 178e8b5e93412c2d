"""Spreadsheet rows to RDF, in the terms of data/seeds/*.ttl.

A partnerships sheet gives one pg:Partnership per row, with both members
(org:hasMember), its pg:kind, pg:status, pg:theme, pg:fundedBy and
pg:startDate (xsd:gYear); a municipalities sheet gives one pg:Municipality
per row. Names are matched to resources already in the store; what is not
found is minted under the base IRI from the name, so that the same row always
gives the same IRIs. Every row is checked and every broken row reported."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS, XSD

from graph.ingest import names as name_matching
from graph.ingest.names import fold
from graph.ingest.report import Match, Problem
from graph.ingest.template import (
    DEFAULT_MUNICIPALITY_COUNTRY,
    KINDS,
    MUNICIPALITY_COLUMNS,
    OPTIONAL_PARTNERSHIP_COLUMNS,
    PARTNERSHIP_COLUMNS,
    REQUIRED,
    SEPARATOR,
    STATUSES,
    canonical_column,
)
from graph.iris import municipality_iri, organisation_iri, partnership_iri, region_iri
from graph.rdf.namespaces import GEO, PG
from graph.store.base import Store


@dataclass
class CsvContent:
    quads: list[ox.Quad] = field(default_factory=list)
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    # Which rows each resource comes from, to place a SHACL violation on a row.
    rows_of: dict[str, list[int]] = field(default_factory=dict)


def read_csv(data: bytes, source: str, graph: str, store: Store) -> CsvContent:
    content = CsvContent()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        content.problems.append(Problem(
            f"The file is not UTF-8 text ({error.reason} at byte {error.start}).",
            "Save the spreadsheet as 'CSV UTF-8'.", row=1))
        return content
    lines = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    if not lines or not any(cell.strip() for cell in lines[0]):
        content.problems.append(Problem("The file has no header row.",
                                        "Start from a template in data/templates/.", row=1))
        return content
    columns = [canonical_column(h) for h in lines[0]]
    if "partner_municipality" in columns:
        known, reader = PARTNERSHIP_COLUMNS + OPTIONAL_PARTNERSHIP_COLUMNS, _PartnershipRows
    elif "name" in columns:
        known, reader = MUNICIPALITY_COLUMNS, _MunicipalityRows
    else:
        content.problems.append(Problem(
            "The header is neither the partnerships template nor the municipalities template.",
            "Use the header of data/templates/partnerships.csv or municipalities.csv.", row=1))
        return content
    for name in columns:
        if name not in known:
            content.problems.append(Problem(
                f"Unknown column {name!r}.", "Use only the columns " + ", ".join(known) + ".",
                row=1, column=name))
    for name in known:
        if name in REQUIRED and name not in columns:
            content.problems.append(Problem(f"The column {name!r} is missing.",
                                            f"Add a column named {name!r}.", row=1, column=name))
    if content.problems:
        return content
    builder = reader(store, graph, content)
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        content.rows += 1
        row = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(columns)}
        builder.row(number, row)
    return content


def _delimiter(text: str) -> str:
    # Spreadsheets set to Swedish save CSV with semicolons.
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


class _Rows:
    def __init__(self, store: Store, graph: str, content: CsvContent):
        self.base = store.base_iri
        self.graph = ox.NamedNode(graph)
        self.content = content
        self.countries, self.country_codes = name_matching.countries(store)
        self.municipalities = name_matching.municipalities(store, exclude_graph=graph)
        self.minted: dict[str, dict[str, str]] = {}
        self.seen: dict[str, int] = {}
        self._matched: set[tuple] = set()

    # -- helpers -------------------------------------------------------
    def problem(self, number: int, column: str, message: str, fix: str) -> None:
        self.content.problems.append(Problem(message, fix, row=number, column=column))

    def add(self, number: int, subject: str, predicate, obj) -> None:
        if isinstance(obj, str):
            obj = ox.NamedNode(obj)
        self.content.quads.append(ox.Quad(ox.NamedNode(subject), ox.NamedNode(str(predicate)),
                                          obj, self.graph))
        rows = self.content.rows_of.setdefault(subject, [])
        if number not in rows:
            rows.append(number)

    def matched(self, number: int, column: str, given: str, iri: str, label: str) -> None:
        key = (column, fold(given), iri)
        if key not in self._matched:
            self._matched.add(key)
            self.content.matches.append(Match(number, column, given, iri, label))

    def country(self, number: int, column: str, value: str) -> str | None:
        if not value:
            self.problem(number, column, "The country is empty.",
                         "Give an ISO 3166-1 alpha-2 code such as SE, or the country's name in Swedish or English.")
            return None
        found = self.countries.find(value)
        if len(found) != 1:
            self.problem(number, column, f"{value!r} is no country the graph knows.",
                         "Give an ISO 3166-1 alpha-2 code such as NO, or a name such as "
                         "'Norge' or 'Norway'.")
            return None
        return found[0]

    def municipality(self, number: int, column: str, name: str, country: str) -> tuple[str, str, str] | None:
        """The municipality's IRI and its Swedish and English names."""
        code = self.country_codes[country]
        found = self.municipalities.find(name, code)
        if len(found) > 1:
            self.problem(number, column, f"{name!r} could be any of " +
                         ", ".join(f"<{iri}>" for iri in found) + ".",
                         "Spell the name as one of them does.")
            return None
        if found:
            iri = found[0]
            sv, en = self.municipalities.label(iri, "sv"), self.municipalities.label(iri, "en")
            self.matched(number, column, name, iri, sv)
            return iri, sv, en
        iri = municipality_iri(self.base, code, name)
        if iri not in self.minted:
            self.minted[iri] = {"name": name}
        return iri, self.minted[iri]["name"], self.minted[iri]["name"]

    def state_municipality(self, number: int, iri: str, sv: str, en: str, country: str) -> None:
        self.add(number, iri, RDF.type, str(PG.Municipality))
        self.add(number, iri, SKOS.prefLabel, ox.Literal(sv, language="sv"))
        self.add(number, iri, SKOS.prefLabel, ox.Literal(en, language="en"))
        self.add(number, iri, PG.country, country)

    def vocabulary(self, number: int, column: str, value: str, words: dict) -> str | None:
        for term, allowed in words.items():
            if fold(value) in {fold(w) for w in allowed}:
                return str(term)
        self.problem(number, column, f"{value!r} is not a known {column}.",
                     "Write one of: " + ", ".join(w for allowed in words.values() for w in allowed[:2]) + ".")
        return None


class _PartnershipRows(_Rows):
    def __init__(self, store: Store, graph: str, content: CsvContent):
        super().__init__(store, graph, content)
        self.themes = name_matching.themes(store)
        self.funders = name_matching.funders(store, exclude_graph=graph)

    def row(self, number: int, row: dict[str, str]) -> None:
        before = len(self.content.problems)
        for column in ("municipality", "partner_municipality", "kind"):
            if not row.get(column):
                self.problem(number, column, f"The {column.replace('_', ' ')} is empty.",
                             f"Fill in the {column.replace('_', ' ')}.")
        home_country = self.country(number, "municipality_country",
                                    row.get("municipality_country") or DEFAULT_MUNICIPALITY_COUNTRY)
        partner_country = self.country(number, "partner_country", row.get("partner_country", ""))
        home = partner = None
        if home_country and row.get("municipality"):
            home = self.municipality(number, "municipality", row["municipality"], home_country)
        if partner_country and row.get("partner_municipality"):
            partner = self.municipality(number, "partner_municipality",
                                        row["partner_municipality"], partner_country)
        kind = self.vocabulary(number, "kind", row["kind"], KINDS) if row.get("kind") else None
        status = self.vocabulary(number, "status", row["status"], STATUSES) if row.get("status") else None
        themes = [self.theme(number, name) for name in _split(row.get("themes", ""))]
        funders = [self.funder(number, name) for name in _split(row.get("funders", ""))]
        year = row.get("start_year", "")
        if year and not re.fullmatch(r"[0-9]{4}", year):
            self.problem(number, "start_year", f"{year!r} is not a year.",
                         "Write the year with four digits, such as 2011.")
        url = row.get("source_url", "")
        if url and not _is_web_address(url):
            self.problem(number, "source_url", f"{url!r} is not a web address.",
                         "Give the full address, starting with https://.")
        iri = None
        if home and partner:
            if home[0] == partner[0]:
                self.problem(number, "partner_municipality",
                             "The partner is the municipality itself.",
                             "Name the other municipality of the partnership.")
            else:
                iri = partnership_iri(self.base, f"{_last(home[0])}-{_last(partner[0])}")
                twin = partnership_iri(self.base, f"{_last(partner[0])}-{_last(home[0])}")
                earlier = self.seen.get(iri) or self.seen.get(twin)
                if earlier:
                    self.problem(number, "partner_municipality",
                                 f"The same partnership is on row {earlier}.",
                                 "Keep one row per partnership: merge the two rows.")
                self.seen.setdefault(iri, number)
        if len(self.content.problems) > before or iri is None:
            return
        for municipality, country in ((home, home_country), (partner, partner_country)):
            if municipality[0] in self.minted:
                self.state_municipality(number, municipality[0], municipality[1], municipality[2], country)
        self.add(number, iri, RDF.type, str(PG.Partnership))
        self.add(number, iri, SKOS.prefLabel, ox.Literal(f"{home[1]}–{partner[1]}", language="sv"))
        self.add(number, iri, SKOS.prefLabel, ox.Literal(f"{home[2]}–{partner[2]}", language="en"))
        self.add(number, iri, PG.kind, kind)
        self.add(number, iri, ORG.hasMember, home[0])
        self.add(number, iri, ORG.hasMember, partner[0])
        if status:
            self.add(number, iri, PG.status, status)
        for theme in themes:
            self.add(number, iri, PG.theme, theme)
        for funder, name, minted in funders:
            if minted:
                self.add(number, funder, RDF.type, str(PG.Funder))
                self.add(number, funder, SKOS.prefLabel, ox.Literal(name, language="sv"))
                self.add(number, funder, SKOS.prefLabel, ox.Literal(name, language="en"))
            self.add(number, iri, PG.fundedBy, funder)
        if year:
            self.add(number, iri, PG.startDate, ox.Literal(year, datatype=ox.NamedNode(str(XSD.gYear))))
        if url:
            self.add(number, iri, DCTERMS.source, url)
        if row.get("notes"):
            self.add(number, iri, SKOS.note, ox.Literal(row["notes"]))

    def theme(self, number: int, name: str) -> str | None:
        found = self.themes.find(name)
        if len(found) == 1:
            return found[0]
        examples = sorted({self.themes.label(iri, "en") for iri in self.themes.labels})[:6]
        self.problem(number, "themes", f"{name!r} is not a theme of the theme scheme.",
                     "Use theme names in Swedish or English, separated by ';', such as "
                     + ", ".join(examples) + " (the list is on the ontology page).")
        return None

    def funder(self, number: int, name: str) -> tuple[str, str, bool]:
        found = self.funders.find(name)
        if found:
            self.matched(number, "funders", name, found[0], self.funders.label(found[0]))
            return found[0], name, False
        return organisation_iri(self.base, name), name, True


class _MunicipalityRows(_Rows):
    def row(self, number: int, row: dict[str, str]) -> None:
        before = len(self.content.problems)
        if not row.get("name"):
            self.problem(number, "name", "The name is empty.", "Fill in the municipality's name.")
        country = self.country(number, "country", row.get("country", ""))
        found = None
        if country and row.get("name"):
            found = self.municipality(number, "name", row["name"], country)
        code = row.get("official_code", "")
        if code and not re.fullmatch(r"[0-9]{4}", code):
            self.problem(number, "official_code", f"{code!r} is not a municipality code.",
                         "Write the four-digit code (kommunkod), such as 2081; keep its leading zero.")
        coordinates = {}
        for column, limit in (("latitude", 90), ("longitude", 180)):
            value = row.get(column, "")
            if not value:
                continue
            try:
                number_value = Decimal(value.replace(",", "."))
                if not -limit <= number_value <= limit:
                    raise InvalidOperation
                coordinates[column] = number_value
            except InvalidOperation:
                self.problem(number, column, f"{value!r} is not a {column}.",
                             f"Write decimal degrees between -{limit} and {limit}, such as 60.4858.")
        if found:
            if found[0] in self.seen:
                self.problem(number, "name", f"The same municipality is on row {self.seen[found[0]]}.",
                             "Keep one row per municipality.")
            self.seen.setdefault(found[0], number)
        if len(self.content.problems) > before or not found:
            return
        iri, sv, en = found
        self.state_municipality(number, iri, sv, en, country)
        if code:
            self.add(number, iri, PG.officialCode, ox.Literal(code))
        if row.get("region"):
            region = region_iri(self.base, self.country_codes[country], row['region'])
            self.add(number, region, RDF.type, str(PG.Region))
            self.add(number, region, SKOS.prefLabel, ox.Literal(row["region"], language="sv"))
            self.add(number, iri, PG.region, region)
        for column, predicate in (("latitude", GEO.lat), ("longitude", GEO.long)):
            if column in coordinates:
                self.add(number, iri, predicate, ox.Literal(
                    str(coordinates[column]), datatype=ox.NamedNode(str(XSD.decimal))))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(SEPARATOR) if part.strip()]


def _last(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _is_web_address(text: str) -> bool:
    if not re.match(r"https?://[^\s/]+", text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True
