"""How a steward's sheet names resources: the Resolver of graph/ingest/rows.py
for CSV imports.

Names are matched to what the store holds outside the sheet's own graph (that
graph is about to be replaced): places as their country writes them
(graph/ingest/place_names.py), funders, themes and countries without case or
accents. Where a source graph lists every municipality of a country, a name
written without its own letters (Borlange) is matched to the one it can only
mean. A name that matches no node by its own letters is tried by the other
names GeoNames gives the town (graph/ingest/other_names.py: Gothenburg is
Göteborg), against the store and the places minted earlier in the sheet;
the node then keeps the name as an skos:altLabel. A party whose row's kind
column (municipality_kind, partner_kind) or whose name's words say it is a
region, a county, an association of municipalities or another organisation
(graph/ingest/actor_kinds.py), and that no municipality goes by, is a node
of that kind, found or minted, never a municipality. A name that is none of
the listed municipalities, and no other kind, is refused, not minted: a
misspelling is no new municipality. What matches nothing elsewhere is minted
from the name, so that the same sheet always gives the same IRIs. Every
match and every new place is kept for the report, with its row. A pair the
store already has a partnership of is that partnership, and several rows of
one pair are one partnership (each row is its own source statement). A name
that cannot be used, or a municipality a second row of a municipalities
sheet gives again, is refused with its fix."""
from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from graph.ingest import decisions as merge_decisions
from graph.ingest import names as name_matching
from graph.ingest.actor_kinds import ActorKind, inside, kinds, looks_like, named
from graph.ingest.messages import Bilingual, counted
from graph.ingest.names import NameIndex, fold
from graph.ingest.other_names import other_names
from graph.ingest.place_names import place_key, written_without_own_letters
from graph.ingest.report import Match, NewPlace
from graph.ingest.rows import Funder, PartnershipNode, Place, Programme, Unresolved
from graph.ingest.template import KINDS
from graph.iris import organisation_iri, pair_partnership_iri, party_iri, programme_iri
from graph.rdf.namespaces import PG
from graph.store.base import Readable


class StoreMatcher:
    """Names of `store` outside graph `graph`. Set `number` to the sheet's
    row (the header is row 1) before converting it."""

    def __init__(self, store: Readable, graph: str):
        self.store, self.graph, self.base = store, graph, store.base_iri
        self.number = 0
        self.matches: list[Match] = []
        self.new_places: list[NewPlace] = []
        self._matched: set[tuple[str, str, str]] = set()
        self._minted: dict[str, str] = {}          # municipality IRI -> the name it was first given
        self._minted_keys: dict[str, str] = {}     # municipality IRI -> the key of that name
        self._minted_at: dict[tuple[str, str], str] = {}   # (key of its name, country) -> IRI
        self._parties_at: dict[tuple[str, str, str], str] = {}   # (key, country, kind) -> IRI
        self._municipality_rows: dict[str, int] = {}

    # The indexes are read when first needed: a municipalities sheet asks
    # for no theme, a data set for no municipality by this index's rules.
    @cached_property
    def countries(self) -> tuple[NameIndex, dict[str, str]]:
        return name_matching.countries(self.store)

    @cached_property
    def municipalities(self) -> NameIndex:
        return name_matching.municipalities(self.store, exclude_graph=self.graph)

    @cached_property
    def others(self) -> dict[str, NameIndex]:
        """Parties that are no municipality (regions, counties ...), by kind."""
        return {kind.key: name_matching.parties(self.store, kind.cls, exclude_graph=self.graph)
                for kind in kinds() if not kind.municipality}

    @cached_property
    def complete(self) -> dict[str, str]:
        """Countries whose every municipality a graph other than this
        import's lists, with that graph."""
        return {code: graph for code, graph in name_matching.complete_countries(self.store).items()
                if graph != self.graph}

    @cached_property
    def decisions(self) -> merge_decisions.Decisions:
        """Stewards' decisions on which names are which nodes."""
        return merge_decisions.read(self.store)

    @cached_property
    def themes(self) -> NameIndex:
        return name_matching.themes(self.store)

    @cached_property
    def funders(self) -> NameIndex:
        return name_matching.funders(self.store, exclude_graph=self.graph)

    @cached_property
    def programmes(self) -> NameIndex:
        return name_matching.programmes(self.store, exclude_graph=self.graph)

    @cached_property
    def existing_pairs(self) -> dict[tuple[str, str], KnownPartnership]:
        return known_partnerships(self.store, self.graph)

    def country(self, text: str) -> str:
        index, codes = self.countries
        found = index.find(text)
        if len(found) != 1:
            raise Unresolved("unknown_country", value=text)
        return codes[found[0]]

    def municipality(self, field: str, row: Mapping[str, str], country: str) -> Place:
        name = row[field]
        kind = self.kind_of(field, row, name, country)
        if kind is not None and not kind.municipality:
            return self.party(field, name, country, kind)
        found = self.municipalities.find(name, country)
        confirmed = self.decisions.confirmed(name, country)
        if confirmed and confirmed.node in self.municipalities.keys_of:
            found = [confirmed.node]
        rejected = [iri for iri in found if self.decisions.rejected(name, country, iri)]
        other: tuple[str, str] | None = None
        if rejected:
            found = [iri for iri in found if iri not in rejected]
            if not found and country in self.complete:
                raise self.decided_apart(name, country, rejected[0])
        elif not found:
            if country in self.complete and written_without_own_letters(name, country):
                found = self.municipalities.find_ascii(name, country)
            if not found:
                other = self.by_other_name(name, country)
                found = [other[0]] if other else []
            if not found and country in self.complete:
                raise self.not_listed(name, country)
        if len(found) > 1:
            raise _ambiguous(name, found)
        if other:
            iri, listed = other
            first = self._minted.get(iri)
            sv = first or self.municipalities.label(iri, "sv")
            en = first or self.municipalities.label(iri, "en")
            self.match(field, name, iri, sv, "other name", listed=listed)
            place = Place(iri, country, sv, en, describe=field == "name" or first is not None,
                          given=name, other_name=name)
        elif found:
            iri = found[0]
            sv, en = self.municipalities.label(iri, "sv"), self.municipalities.label(iri, "en")
            self.match(field, name, iri, sv)
            # A municipalities sheet describes each of its municipalities,
            # known or not: its graph is the sheet, and exports back to it.
            place = Place(iri, country, sv, en, describe=field == "name", given=name)
        else:
            if field == "name":
                self.refuse_other_kinds(name)
            iri = self.mint_municipality(name, country, avoid=rejected)
            if iri not in self._minted:
                self.new_place(field, name, country, iri)
            first = self._minted.setdefault(iri, name)
            self._minted_at.setdefault((place_key(name, country), country), iri)
            place = Place(iri, country, first, first, describe=True, given=name)
        if field == "name":
            # A municipalities sheet has one row per municipality.
            earlier = self._municipality_rows.setdefault(iri, self.number)
            if earlier != self.number:
                raise Unresolved("same_municipality", row=earlier)
        return place

    # -- parties that are no municipality ---------------------------------
    def kind_of(self, field: str, row: Mapping[str, str], name: str, country: str) -> ActorKind | None:
        """The kind of the party row[field] names: what the row's kind column
        (municipality_kind, partner_kind) says, else what the name's words
        say where no municipality goes by that name (Region Gotland is a
        municipality's name); None for a municipality. The rows of a
        municipalities sheet are municipalities."""
        if field == "name":
            return None
        said = row.get(_KIND_COLUMNS.get(field, ""), "")
        if said:
            # A word that names no kind is the converter's to report, in its column.
            return named(said)
        kind = looks_like(name)
        return kind if kind and not self.is_municipality_name(name, country) else None

    def is_municipality_name(self, name: str, country: str) -> bool:
        """Whether a municipality outside this import goes by `name` in
        `country`, by a steward's decision or by one of its own names."""
        confirmed = self.decisions.confirmed(name, country)
        if confirmed and confirmed.node in self.municipalities.keys_of:
            return True
        return any(not self.decisions.rejected(name, country, iri)
                   for iri in self.municipalities.find(name, country))

    def party(self, field: str, name: str, country: str, kind: ActorKind) -> Place:
        """The party of kind `kind` (no municipality) that `name` names in
        `country`: one the store holds outside this import, by its name as
        the country writes it, or by a steward's confirmation; one named
        earlier in this import; or a new node of that kind."""
        index = self.others[kind.key]
        confirmed = self.decisions.confirmed(name, country)
        found = ([confirmed.node] if confirmed and confirmed.node in index.keys_of else
                 [iri for iri in index.find(name, country) if not self.decisions.rejected(name, country, iri)])
        if len(found) > 1:
            raise _ambiguous(name, found)
        if found:
            iri = found[0]
            sv, en = index.label(iri, "sv"), index.label(iri, "en")
            self.found_party(field, name, country, iri, sv)
            return Place(iri, country, sv, en, describe=False, given=name, kind=kind.cls)
        key = (place_key(name, country), country, kind.key)
        iri = self._parties_at.get(key) or ""
        if not iri:
            rejected = [node for node in index.find(name, country) if self.decisions.rejected(name, country, node)]
            iri = self._parties_at[key] = self.mint_municipality(name, country, avoid=rejected, kind=kind)
            self.new_place(field, name, country, iri, kind)
        first = self._minted.setdefault(iri, name)
        return Place(iri, country, first, first, describe=True, given=name, kind=kind.cls)

    def found_party(self, field: str, name: str, country: str, iri: str, label: str) -> None:
        """A party that is no municipality, found in the store."""
        self.match(field, name, iri, label)

    def new_place(self, field: str, name: str, country: str, iri: str, kind: ActorKind | None = None) -> None:
        """A party given a node of its own, for the report."""
        self.new_places.append(NewPlace(name, country, iri, kind.said if kind and not kind.municipality else "",
                                        self.number, field))

    def by_other_name(self, name: str, country: str) -> tuple[str, str] | None:
        """The one municipality (in the store, or minted earlier in this
        sheet) that another name GeoNames gives the town `name` names in
        `country` stands for, with that other name; None when none does, or
        more than one (then the other names do not say which)."""
        own = place_key(name, country)
        nodes: dict[str, str] = {}
        for other in sorted(other_names(name, country)):
            key = place_key(other, country)
            if key == own:
                continue
            minted = self._minted_at.get((key, country))
            for iri in [*self.municipalities.find(other, country), *([minted] if minted else [])]:
                if not self.decisions.rejected(name, country, iri):
                    nodes.setdefault(iri, other)
        return next(iter(nodes.items())) if len(nodes) == 1 else None

    def not_listed(self, name: str, country: str) -> Unresolved:
        """The refusal of a name that is none of the municipalities a graph
        lists for its country: what it seems to be, and the nearest names."""
        listed = self.municipalities.in_scope(country)
        names = {self.municipalities.label(iri, "sv"): iri for iri in listed}
        said = {"name": name, "country": self.country_name(country), "list": self.complete[country],
                "listed": counted(len(listed), ("den enda kommunen", "någon av de {n} kommunerna"),
                                  ("the one municipality", "one of the {n} municipalities"))}
        parts = inside(name)
        kind = looks_like(name)
        if parts and self.municipalities.find(parts[1], country):
            return Unresolved("not_listed_inside", municipality=parts[1], place=parts[0], **said)
        if kind:
            return Unresolved("not_listed_kind", kind=kind.said, word=kind.names[0], **said)
        nearest = difflib.get_close_matches(name, list(names), n=3, cutoff=0.6)
        if nearest:
            return Unresolved("not_listed_near", nearest=", ".join(nearest), **said)
        return Unresolved("not_listed", **said)

    def decided_apart(self, name: str, country: str, node: str) -> Unresolved:
        """The refusal of a name a steward decided is not `node`, in a
        country whose every municipality is listed: there is no other it can be."""
        decision = self.decisions.rejected(name, country, node)
        who = f" ({decision.agent}, {decision.time})" if decision else ""
        return Unresolved("decided_apart", name=name, node=node, who=who, country=self.country_name(country),
                          list=self.complete[country])

    def refuse_other_kinds(self, name: str) -> None:
        """Refuse to mint a municipality, in a list of municipalities, of a
        name whose words say it is another kind of actor ("Kisumu County",
        "Region Västernorrland")."""
        kind = looks_like(name)
        if kind:
            raise Unresolved("other_kind", name=name, kind=kind.said, word=kind.names[0])

    def country_name(self, code: str) -> Bilingual:
        """The country of ISO code `code` by its names in Swedish and English."""
        index, codes = self.countries
        for iri, their in codes.items():
            if their == code:
                return Bilingual(index.label(iri, "sv"), index.label(iri, "en"))
        return Bilingual(code, code)

    def mint_municipality(self, name: str, country: str, suffix: str = "",
                          avoid: Collection[str] = (), kind: ActorKind | None = None) -> str:
        """A new municipality's IRI (or a party's of another `kind`): from
        its name spelt in ASCII, unless another place (in the store or
        minted here) has that IRI; then from the name's own letters, or with
        `suffix`, or numbered. Nodes in `avoid` (those a steward decided the
        name is not) are never given."""
        key = place_key(name, country)
        index = self.others[kind.key] if kind and not kind.municipality else self.municipalities
        for iri in self._candidate_iris(name, country, suffix, kind.path if kind else "municipality"):
            if iri in avoid:
                continue
            holder = self._minted_keys.get(iri)
            known = index.keys_of.get(iri)
            if (holder is None or holder == key) and (known is None or key in known):
                self._minted_keys[iri] = key
                return iri
        raise Unresolved("too_many_places", name=name, country=country)

    def _candidate_iris(self, name: str, country: str, suffix: str, path: str) -> Iterator[str]:
        """The IRIs a new party of the kind with IRI path `path` may get, in
        the order they are tried; made one at a time, as nearly every name
        takes the first."""
        yield party_iri(self.base, path, country, name)
        if suffix:
            yield party_iri(self.base, path, country, name, suffix)
        yield party_iri(self.base, path, country, name, keep_letters=True)
        for number in range(2, 1000):
            yield party_iri(self.base, path, country, name, str(number))

    def theme(self, name: str) -> str:
        found = self.themes.find(name)
        if len(found) == 1:
            return found[0]
        examples = {lang: ", ".join(sorted({self.themes.label(iri, lang) for iri in self.themes.labels})[:6])
                    for lang in ("sv", "en")}
        raise Unresolved("unknown_theme", name=name, examples=Bilingual(**examples))

    def funder(self, name: str) -> Funder:
        found = self.funders.find(name)
        if found:
            self.match("funders", name, found[0], self.funders.label(found[0]))
            return Funder(found[0], name, describe=False)
        return Funder(organisation_iri(self.base, name), name, describe=True)

    def programme(self, name: str) -> Programme:
        found = self.programmes.find(name)
        if len(found) > 1:
            raise Unresolved("ambiguous_programme", name=name, programmes=Bilingual(
                *(", ".join(self.programmes.label(iri, lang) for iri in found) for lang in ("sv", "en"))))
        if found:
            self.match("programme", name, found[0], self.programmes.label(found[0]))
            return Programme(found[0], name, describe=False)
        return Programme(programme_iri(self.base, name), name, describe=True)

    def programme_named_as_funder(self, name: str) -> Programme | None:
        if self.funders.find(name):
            return None
        found = self.programmes.find(name)
        if len(found) != 1:
            return None
        label = self.programmes.label(found[0])
        self.match("funders", name, found[0], label, "programme")
        return Programme(found[0], name, describe=False)

    def partnership(self, municipality: Place, partner: Place) -> PartnershipNode | None:
        pair = tuple(sorted((municipality.iri, partner.iri)))
        known = self.existing_pairs.get((pair[0], pair[1]))
        if known:
            self.match("partner_municipality", f"{municipality.given} – {partner.given}", known.iri,
                       f"{municipality.sv} – {partner.sv}", "same pair",
                       kinds=Bilingual(known.kind_sv, known.kind))
            return PartnershipNode(known.iri, (municipality, partner), describe=False)
        return PartnershipNode(pair_partnership_iri(self.base, *pair), (municipality, partner))

    def match(self, column: str, given: str, iri: str, label: str, reason: str = "", *,
              listed: str = "", kinds: Bilingual | str = "") -> None:
        key = (column, fold(given), iri)
        if key not in self._matched:
            self._matched.add(key)
            self.matches.append(Match(self.number, column, given, iri, label, reason, listed, kinds))


@dataclass(frozen=True)
class KnownPartnership:
    """A partnership the store holds: its IRI and its kinds in words, in
    English and in Swedish."""
    iri: str
    kind: str
    kind_sv: str = ""


# Each kind as a report words it: the template's first word for it, and
# its second, the Swedish one.
_KIND_WORD = {str(term): words[0] for term, words in KINDS.items()}
_KIND_WORD_SV = {str(term): words[1] for term, words in KINDS.items()}


def known_partnerships(store: Readable, own_graph: str) -> dict[tuple[str, str], KnownPartnership]:
    """Partnerships of exactly two members that the store holds outside the
    graph `own_graph` (which an import is about to replace), by their sorted
    members. Where one pair has several, a twin town is preferred, then the
    first by IRI."""
    members: dict[str, set[str]] = defaultdict(set)
    said: dict[str, set[str]] = defaultdict(set)
    for row in store.select(f"""
        SELECT DISTINCT ?p ?m ?kind WHERE {{
          GRAPH ?g {{ ?p org:hasMember ?m }} FILTER (?g != <{own_graph}>)
          ?p a pg:Partnership .
          OPTIONAL {{ GRAPH ?said {{ ?p pg:kind ?kind }} FILTER (?said != <{own_graph}>) }}
        }}"""):
        iri = row["p"].value
        members[iri].add(row["m"].value)
        if "kind" in row:
            said[iri].add(row["kind"].value)
    found: dict[tuple[str, str], KnownPartnership] = {}
    for iri in sorted(members, key=lambda i: (str(PG.TwinTown) not in said[i], i)):
        if len(members[iri]) == 2:
            first, second = sorted(members[iri])
            english = sorted(_KIND_WORD.get(kind, kind) for kind in said[iri])
            swedish = sorted(_KIND_WORD_SV.get(kind, kind) for kind in said[iri])
            found.setdefault((first, second), KnownPartnership(
                iri, " and ".join(english) or "a partnership of no stated kind",
                " och ".join(swedish) or "ett samarbete utan angiven typ"))
    return found



# The column that says what kind of party each side of a partnership row is.
_KIND_COLUMNS = {"municipality": "municipality_kind", "partner_municipality": "partner_kind"}


def _ambiguous(name: str, found: list[str]) -> Unresolved:
    return Unresolved("ambiguous_name", name=name, nodes=", ".join(f"<{iri}>" for iri in found))
