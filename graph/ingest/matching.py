"""How a steward's sheet names resources: the Resolver of graph/ingest/rows.py
for CSV imports.

Names are matched, without case or accents, to what the store holds outside
the sheet's own graph (that graph is about to be replaced); what matches
nothing is minted from the name, so that the same sheet always gives the same
IRIs. Every match is kept for the report, with its row; a name that cannot
be used, or a municipality or partnership a second row gives again, is
refused with its fix."""
from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

from graph.ingest import names as name_matching
from graph.ingest.names import NameIndex, fold
from graph.ingest.report import Match
from graph.ingest.rows import Funder, PartnershipNode, Place, Unresolved
from graph.iris import municipality_iri, organisation_iri, sheet_partnership_iri
from graph.store.base import Readable


class StoreMatcher:
    """Names of `store` outside graph `graph`. Set `number` to the sheet's
    row (the header is row 1) before converting it."""

    def __init__(self, store: Readable, graph: str):
        self.store, self.graph, self.base = store, graph, store.base_iri
        self.number = 0
        self.matches: list[Match] = []
        self._matched: set[tuple[str, str, str]] = set()
        self._minted: dict[str, str] = {}          # municipality IRI -> the name it was first given
        self._municipality_rows: dict[str, int] = {}
        self._partnership_rows: dict[str, int] = {}

    # The indexes are read when first needed: a municipalities sheet asks
    # for no theme, a data set for no municipality by this index's rules.
    @cached_property
    def countries(self) -> tuple[NameIndex, dict[str, str]]:
        return name_matching.countries(self.store)

    @cached_property
    def municipalities(self) -> NameIndex:
        return name_matching.municipalities(self.store, exclude_graph=self.graph)

    @cached_property
    def themes(self) -> NameIndex:
        return name_matching.themes(self.store)

    @cached_property
    def funders(self) -> NameIndex:
        return name_matching.funders(self.store, exclude_graph=self.graph)

    def country(self, text: str) -> str:
        index, codes = self.countries
        found = index.find(text)
        if len(found) != 1:
            raise Unresolved(f"{text!r} is no country the graph knows.",
                             "Give an ISO 3166-1 alpha-2 code such as NO, or a name such as 'Norge' or 'Norway'.")
        return codes[found[0]]

    def municipality(self, field: str, row: Mapping[str, str], country: str) -> Place:
        name = row[field]
        found = self.municipalities.find(name, country)
        if len(found) > 1:
            raise Unresolved(f"{name!r} could be any of " + ", ".join(f"<{iri}>" for iri in found) + ".",
                             "Spell the name as one of them does.")
        if found:
            iri = found[0]
            sv, en = self.municipalities.label(iri, "sv"), self.municipalities.label(iri, "en")
            self.match(field, name, iri, sv)
            # A municipalities sheet describes each of its municipalities,
            # known or not: its graph is the sheet, and exports back to it.
            place = Place(iri, country, sv, en, describe=field == "name", given=name)
        else:
            iri = municipality_iri(self.base, country, name)
            first = self._minted.setdefault(iri, name)
            place = Place(iri, country, first, first, describe=True, given=name)
        if field == "name":
            # A municipalities sheet has one row per municipality.
            earlier = self._municipality_rows.setdefault(iri, self.number)
            if earlier != self.number:
                raise Unresolved(f"The same municipality is on row {earlier}.", "Keep one row per municipality.")
        return place

    def theme(self, name: str) -> str:
        found = self.themes.find(name)
        if len(found) == 1:
            return found[0]
        examples = sorted({self.themes.label(iri, "en") for iri in self.themes.labels})[:6]
        raise Unresolved(f"{name!r} is not a theme of the theme scheme.",
                         "Use theme names in Swedish or English, separated by ';', such as "
                         + ", ".join(examples) + " (the list is on the ontology page).")

    def funder(self, name: str) -> Funder:
        found = self.funders.find(name)
        if found:
            self.match("funders", name, found[0], self.funders.label(found[0]))
            return Funder(found[0], name, describe=False)
        return Funder(organisation_iri(self.base, name), name, describe=True)

    def partnership(self, municipality: Place, partner: Place) -> PartnershipNode | None:
        iri = sheet_partnership_iri(self.base, municipality.iri, partner.iri)
        twin = sheet_partnership_iri(self.base, partner.iri, municipality.iri)
        earlier = self._partnership_rows.get(iri) or self._partnership_rows.get(twin)
        if earlier:
            raise Unresolved(f"The same partnership is on row {earlier}.",
                             "Keep one row per partnership: merge the two rows.")
        self._partnership_rows[iri] = self.number
        return PartnershipNode(iri, (municipality, partner), describe=True)

    def match(self, column: str, given: str, iri: str, label: str) -> None:
        key = (column, fold(given), iri)
        if key not in self._matched:
            self._matched.add(key)
            self.matches.append(Match(self.number, column, given, iri, label))
