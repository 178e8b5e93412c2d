"""How a public data set's names become nodes: the Resolver of
graph/ingest/rows.py for data sets, with the merge rules of the data set's
mapping.toml.

One real place is one node. A town name is matched to the municipalities the
store holds outside the data set's graph, and to the towns named earlier in
the data, as the town's country writes names (graph/ingest/place_names.py:
Lohne is not Löhne), after the mapping's aliases and qualifiers; names of one
country whose coordinates lie within COORDINATE_MERGE_KM and that differ
only by the mapping's same-place words are one place too. Where the store
lists every municipality of a country, a name written without its own
letters is the one it can only mean. A name that matches no node by its
own letters is tried by the other names GeoNames gives the town
(graph/ingest/other_names.py: Gothenburg is Göteborg), and the node keeps
it as an skos:altLabel; a name that is none of the listed municipalities is
left out and reported, not minted. A region, county or association of
municipalities (by the name's words, a kind column, or the mapping's
[actor_kinds]) is a party of its own kind, as in a sheet. A pair listed
twice, or one the store already has a partnership of, is one partnership.
Every merge and every new place is kept with its reason."""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from graph.errors import PartnergraphError
from graph.ingest.actor_kinds import ActorKind, kind_words, named
from graph.ingest.decisions import Decision
from graph.ingest.matching import StoreMatcher
from graph.ingest.messages import Bilingual, kilometres, said
from graph.ingest.names import fold
from graph.ingest.other_names import other_names
from graph.ingest.place_names import ascii_key, one_encoding, place_key, written_without_own_letters
from graph.ingest.report import NewPlace
from graph.ingest.rows import PartnershipNode, Place, Unresolved
from graph.iris import municipality_iri, pair_partnership_iri
from graph.store.base import Readable

# Two spellings that are not the same folded name are taken for one place
# only when one name begins with the other and they lie this close.
COORDINATE_MERGE_KM = 2.0


@dataclass(frozen=True)
class Merge:
    """A name in the data taken to mean a node that another name (in the store
    or earlier in the data) already stands for."""
    given: str
    country: str
    iri: str
    label: str
    reason: str          # exact, accent-folded, alias, coordinates, other name, confirmed
    detail: Bilingual | str   # why, in both languages; a pair's (never recorded) in English
    code: str = ""       # the country's ISO code; "" for a pair of towns

    def text(self) -> str:
        return f"{self.given!r} ({self.country}) -> <{self.iri}> {self.label!r}: {self.reason}; {self.detail}"


@dataclass(frozen=True)
class KeptApart:
    """A name given a node of its own although a node of the same name
    spelt in ASCII exists: the letters that tell them apart are letters of
    the country's alphabet (Lohne is not Löhne)."""
    given: str
    country: str
    iri: str
    other: str
    other_label: str
    decided: str = ""    # who decided the name is not the other node, and when

    def words(self) -> Bilingual:
        """Which names were kept apart and why, in both languages."""
        return said("kept_apart_decided" if self.decided else "kept_apart", given=self.given,
                    country=self.country, iri=self.iri, label=self.other_label, other=self.other,
                    decided=self.decided)

    def text(self) -> str:
        return str(self.words())


class DatasetMatcher(StoreMatcher):
    """Names of data set `dataset` (its mapping `mapping`), matched to `store`
    outside graph `graph`. Themes and funders are matched as a sheet's are.
    Set `number` to the file's row before converting it."""

    def __init__(self, store: Readable, graph: str, dataset: str, mapping: Mapping[str, Any]):
        super().__init__(store, graph)
        self.dataset, self.mapping = dataset, mapping
        self.aliases = {fold(k): v for k, v in mapping.get("country_aliases", {}).items()}
        self.name_aliases = dict(mapping.get("name_aliases", {}))
        self.actor_kinds = _actor_kinds(dataset, mapping)
        self.qualifiers = [q.casefold() for q in mapping.get("qualifiers", {}).get("drop", [])]
        self.place_words = {fold(w) for w in mapping.get("merge", {}).get("same_place_words", [])}
        self.listing = mapping.get("kind") == "municipalities"
        self.existing = _existing_towns(store, graph)
        # Lookups by key, not scans: a scan per new town made the full data
        # set's 20,000 towns cost minutes.
        self.existing_by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.existing_by_ascii: dict[tuple[str, str], set[str]] = defaultdict(set)
        for iri, facts in self.existing.items():
            for existing_key in facts["keys"]:
                self.existing_by_key[existing_key].append(iri)
            for existing_name in facts["names"]:
                self.existing_by_ascii[ascii_key(existing_name), facts["code"]].add(iri)
        self.towns: dict[tuple[str, str], str] = {}          # (place key of a name, code) -> IRI
        self.labels: dict[str, str] = {}                     # IRI -> label
        self.coordinates: dict[str, tuple[float, float]] = {}
        # (code, core of the folded name) -> [(folded name, IRI)], in the order found
        self.by_core: dict[tuple[str, tuple[str, ...]], list[tuple[str, str]]] = defaultdict(list)
        self.merged: set[tuple[str, str]] = set()
        self.pairs: set[tuple[str, str]] = set()
        self.merges: list[Merge] = []
        self.kept_apart: list[KeptApart] = []
        self.minted: list[NewPlace] = []
        # Towns minted in this data set by their name spelt in ASCII, to
        # find the ones kept apart from each other.
        self.minted_by_ascii: dict[tuple[str, str], list[str]] = defaultdict(list)
        # (name as given, code, node a steward said it is not) -> its own node
        self.apart: dict[tuple[str, str, str], str] = {}
        # (key, code) of names found by another name of theirs -> that name
        self.other_named: dict[tuple[str, str], str] = {}
        # (name as given, node) -> the name the node keeps as an other name
        self.other_names: dict[tuple[str, str], str] = {}

    # -- the Resolver ----------------------------------------------------
    def country(self, text: str) -> str:
        """ISO alpha-2 code of a country as the data writes it."""
        index, codes = self.countries
        for candidate in (text, text.rsplit(",", 1)[-1]):
            key = fold(candidate)
            if key in self.aliases:
                if self.aliases[key]:
                    return self.aliases[key]
                break
            found = index.find(candidate.strip())
            if len(found) == 1:
                return codes[found[0]]
        raise Unresolved("no_country_code", value=text)

    def municipality(self, field: str, row: Mapping[str, str], country: str) -> Place:
        given = row[field]
        if field == "name":
            return self._place(self._listed(given, row, country), country, given)
        # The columns of each side of a pair: municipality_country, or partner_country.
        side = "municipality" if field == "municipality" else "partner"
        kind = self.kind_of(field, row, given, country)
        if kind is not None and not kind.municipality:
            party = self.party(field, given, country, kind)
            point = _point(row.get(f"{side}_latitude", ""), row.get(f"{side}_longitude", ""))
            if point and party.describe and party.iri not in self.coordinates:
                self.coordinates[party.iri] = point
            located = self.coordinates.get(party.iri) if party.describe else None
            return replace(party, latitude=_decimal(located[0]) if located else "",
                           longitude=_decimal(located[1]) if located else "")
        iri = self.town(given, row.get(f"{side}_country", ""), country,
                        row.get(f"{side}_latitude", ""), row.get(f"{side}_longitude", ""))
        return self._place(iri, country, given)

    # -- parties that are no municipality -------------------------------
    def kind_of(self, field: str, row: Mapping[str, str], name: str, country: str) -> ActorKind | None:
        """As a sheet's, but the mapping's [actor_kinds] says first."""
        said = self.actor_kinds.get(f"{fold(name)}|{country}")
        return said or super().kind_of(field, row, name, country)

    def is_municipality_name(self, name: str, country: str) -> bool:
        """Whether a municipality outside the data set, or one named earlier
        in it, goes by `name` in `country` (or the mapping's alias of it)."""
        confirmed = self.decisions.confirmed(name, country)
        if confirmed and (confirmed.node in self.existing or confirmed.node in self.labels):
            return True
        name = self.name_aliases.get(f"{fold(name)}|{country}", name)
        key = (place_key(name, country), country)
        return key in self.towns or any(not self.decisions.rejected(name, country, iri)
                                        for iri in self.existing_by_key.get(key, ()))

    def found_party(self, field: str, name: str, country: str, iri: str, label: str) -> None:
        if (name, iri) not in self.merged:
            self.merged.add((name, iri))
            reason, detail = ("exact", said("merge_own_name")) if name == label else _how_alike(name, label, country)
            self.merges.append(Merge(name, country, iri, label, reason, detail, country))
        self.labels.setdefault(iri, label)

    def new_place(self, field: str, name: str, country: str, iri: str, kind: ActorKind | None = None) -> None:
        self.minted.append(NewPlace(name, country, iri, kind.said if kind and not kind.municipality else ""))
        self.labels.setdefault(iri, name)

    def partnership(self, municipality: Place, partner: Place) -> PartnershipNode | None:
        first, second = sorted((municipality, partner), key=lambda place: place.iri)
        pair = (first.iri, second.iri)
        if pair in self.pairs:
            return None
        self.pairs.add(pair)
        if pair in self.existing_pairs:
            return self._same_partnership(pair, municipality, partner, (first, second))
        return PartnershipNode(pair_partnership_iri(self.base, *pair), (first, second))

    # -- towns -----------------------------------------------------------
    def _listed(self, given: str, row: Mapping[str, str], code: str) -> str:
        """A row of a municipality list."""
        key = (place_key(given, code), code)
        if key in self.towns and self.labels.get(self.towns[key]) != given:
            # Each row of a municipality list is a municipality of its own,
            # so a name seen before in another spelling is not a merge.
            iri = municipality_iri(self.base, code, given, row.get("official_code") or str(self.number))
            self.labels[iri] = given
            return iri
        return self.town(given, code, code, suffix=row.get("official_code") or str(self.number))

    def _place(self, iri: str, code: str, given: str) -> Place:
        point = self.coordinates.get(iri)
        latitude, longitude = (_decimal(point[0]), _decimal(point[1])) if point else ("", "")
        other_name = self.other_names.get((given, iri), "")
        if iri in self.existing:
            # The store's node keeps its names and country; this source only
            # adds to it (its code, its region, where it lies).
            return Place(iri, code, self.municipalities.label(iri, "sv"), self.municipalities.label(iri, "en"),
                         describe=False, given=given, latitude=latitude, longitude=longitude,
                         other_name=other_name)
        label = self.labels[iri]
        return Place(iri, code, label, label, describe=True, given=given, latitude=latitude, longitude=longitude,
                     other_name=other_name)

    def town(self, given: str, country_text: str, code: str, lat: str = "", lng: str = "",
             suffix: str = "") -> str:
        """The node of a town name, as found or minted (told apart from a
        place of the same slug by `suffix`, else by its own letters or a
        number); the merge is recorded."""
        point = _point(lat, lng)
        confirmed = self.decisions.confirmed(given, code)
        if confirmed and (confirmed.node in self.existing or confirmed.node in self.labels):
            return self._decided_same(given, country_text, code, confirmed, point)
        name = given
        for qualifier in self.qualifiers:
            if name.casefold().endswith(" " + qualifier):
                name = name[: -len(qualifier) - 1].strip()
        reason: str | None = None
        detail: Bilingual | str = ""
        alias = self.name_aliases.get(f"{fold(name)}|{code}")
        if alias:
            reason, detail, name = "alias", said("merge_alias", alias=alias), alias
        key = (place_key(name, code), code)
        iri = self.towns.get(key)
        if iri is None:
            iri, found_reason, found_detail = self._find(name, key, code, point, suffix)
            reason, detail = reason or found_reason, detail or found_detail
            self.towns[key] = iri
            if iri not in self.labels:
                self.labels[iri] = self.existing.get(iri, {}).get("label") or name
                self.by_core[code, self._core(key[0])].append((key[0], iri))
        elif given != self.labels[iri] and reason is None:
            if key in self.other_named:
                reason, detail = "other name", said("merge_other_name", name=name, listed=self.other_named[key])
            elif given in self.existing.get(iri, {}).get("names", ()):
                reason, detail = "exact", said("merge_own_name")
            else:
                reason, detail = _how_alike(given, self.labels[iri], code)
        # A name is not rejected from the node it was itself minted from.
        if (iri in self.existing or self.labels.get(iri) != given) and self.decisions.rejected(given, code, iri):
            return self._decided_apart(given, code, iri, point, suffix)
        if reason == "other name":
            self.other_names[given, iri] = name
        if reason and (given, iri) not in self.merged:
            self.merged.add((given, iri))
            self.merges.append(Merge(given, country_text, iri, self.labels[iri], reason, detail, code))
        if point and iri not in self.coordinates and not self.existing.get(iri, {}).get("located"):
            self.coordinates[iri] = point
        return iri

    def _find(self, name: str, key: tuple[str, str], code: str,
              point: tuple[float, float] | None, suffix: str = "") -> tuple[str, str | None, Bilingual | str]:
        candidates = sorted(self.existing_by_key.get(key, ()))
        if not candidates and code in self.complete and written_without_own_letters(name, code):
            spelt = sorted(self.existing_by_ascii.get((ascii_key(name), code), ()))
            if len(spelt) == 1:
                return spelt[0], "own letters left out", said(
                    "merge_without_letters", name=name, label=self.existing[spelt[0]]["label"],
                    list=self.complete[code], country=code)
        if candidates:
            # Håbo and Habo are two municipalities: the exact spelling wins.
            exact = [iri for iri in candidates if name in self.existing[iri]["names"]]
            iri = (exact or candidates)[0]
            names = self.existing[iri]["names"]
            graphs = f"<{'>, <'.join(self.existing[iri]['graphs'])}>"
            if name in names:
                return iri, "exact", said("merge_own_name_in", graphs=graphs)
            alike = [n for n in sorted(names) if place_key(n, code) == key[0]] or sorted(names)
            reason, detail = _how_alike(name, alike[0], code)
            return iri, reason, said("merge_in_graphs", detail=detail, graphs=graphs)
        if point:
            same_ascii = (ascii_key(name), code)
            for other in (sorted(self.existing_by_ascii.get(same_ascii, ()))
                          + self.minted_by_ascii.get(same_ascii, [])):
                other_label = self._label_of(other)
                if not (written_without_own_letters(name, code)
                        or written_without_own_letters(other_label, code)):
                    continue
                near = self.coordinates.get(other) or self.existing.get(other, {}).get("point")
                if near and _km(point, near) <= COORDINATE_MERGE_KM:
                    # Typed on a keyboard without the country's letters, and
                    # put on the same spot: Boleslawiec is Bolesławiec. Far
                    # apart they stay two places, as Lohne and Löhne are.
                    return other, "own letters left out", said(
                        "merge_without_letters_near", name=name, other=other_label, country=code,
                        km=kilometres(_km(point, near)))
            for other_key, other in self.by_core.get((code, self._core(key[0])), ()):
                near = self.coordinates.get(other) or self.existing.get(other, {}).get("point")
                if near and self._same_place_words(key[0], other_key) and _km(point, near) <= COORDINATE_MERGE_KM:
                    return other, "coordinates", said("merge_coordinates", label=self.labels[other],
                                                      km=kilometres(_km(point, near)))
        by_other_name = self._by_other_name(name, key, code)
        if by_other_name:
            iri, listed = by_other_name
            self.other_named[key] = listed
            return iri, "other name", said("merge_other_name", name=name, listed=listed)
        if code in self.complete:
            raise self.not_listed(name, code)
        if self.listing:
            self.refuse_other_kinds(name)
        iri = self.mint_municipality(name, code, suffix)
        self._record_new(name, code, iri)
        return iri, None, ""

    def _by_other_name(self, name: str, key: tuple[str, str], code: str) -> tuple[str, str] | None:
        """The one node (in the store, or a town named earlier in the data)
        that another name GeoNames gives the town `name` stands for, with
        that other name; None when none does, or more than one. In a list of
        municipalities each row is a municipality of its own, so there only
        the store's nodes count."""
        nodes: dict[str, str] = {}
        for other in sorted(other_names(name, code)):
            other_key = (place_key(other, code), code)
            if other_key == key:
                continue
            earlier = self.towns.get(other_key) if not self.listing else None
            for iri in [*sorted(self.existing_by_key.get(other_key, ())), *([earlier] if earlier else [])]:
                if not self.decisions.rejected(name, code, iri):
                    nodes.setdefault(iri, other)
        return next(iter(nodes.items())) if len(nodes) == 1 else None

    def _label_of(self, iri: str) -> str:
        """The name a node goes by: the store's, or the one this data gave it."""
        return self.existing[iri]["label"] if iri in self.existing else self.labels.get(iri, iri)

    def _record_new(self, name: str, code: str, iri: str, decided: Decision | None = None) -> None:
        spelt = (ascii_key(name), code)
        self.minted.append(NewPlace(name, code, iri))
        others = sorted(self.existing_by_ascii.get(spelt, ())) + self.minted_by_ascii[spelt]
        if decided and decided.node not in others:
            others.append(decided.node)
        for other in others:
            if other != iri:
                label = self._label_of(other)
                why = f"{decided.agent}, {decided.time}" if decided and decided.node == other else ""
                self.kept_apart.append(KeptApart(name, code, iri, other, label, why))
        self.minted_by_ascii[spelt].append(iri)

    # -- stewards' decisions ---------------------------------------------
    def _decided_same(self, given: str, country_text: str, code: str, decision: Decision,
                      point: tuple[float, float] | None) -> str:
        """The node a steward confirmed `given` is, whatever its letters say."""
        iri = decision.node
        label = self.labels.setdefault(iri, self.existing.get(iri, {}).get("label") or iri)
        if (given, iri) not in self.merged:
            self.merged.add((given, iri))
            self.merges.append(Merge(given, country_text, iri, label, "confirmed",
                                     said("merge_confirmed", agent=decision.agent, time=decision.time), code))
        if point and iri not in self.coordinates and not self.existing.get(iri, {}).get("located"):
            self.coordinates[iri] = point
        return iri

    def _decided_apart(self, given: str, code: str, rejected: str,
                       point: tuple[float, float] | None, suffix: str) -> str:
        """A node of its own for `given`, which a steward decided is not
        `rejected`: minted as a new place is, never as that node."""
        own = self.apart.get((given, code, rejected))
        if own is None:
            if code in self.complete and rejected in self.existing:
                raise self.decided_apart(given, code, rejected)
            if self.listing:
                self.refuse_other_kinds(given)
            own = self.mint_municipality(given, code, suffix, avoid={rejected})
            self.apart[given, code, rejected] = own
            if own not in self.labels:
                self.labels[own] = given
                self._record_new(given, code, own, self.decisions.rejected(given, code, rejected))
        if point and own not in self.coordinates:
            self.coordinates[own] = point
        return own

    def _core(self, folded: str) -> tuple[str, ...]:
        """The name without the mapping's words at its start and end. Two
        names that _same_place_words takes for one place have the same core,
        so only towns of the same core need comparing."""
        words = folded.split()
        while words and words[0] in self.place_words:
            words.pop(0)
        while words and words[-1] in self.place_words:
            words.pop()
        return tuple(words)

    def _same_place_words(self, one: str, other: str) -> bool:
        # "Frederikshavn Municipality" is Frederikshavn, but "Orange County"
        # is not the town of Orange although the geocoder puts both on one
        # point: only the mapping's words make two names one place.
        shorter, longer = sorted((one.split(), other.split()), key=len)
        if shorter == longer or not shorter:
            return False
        words = self.place_words
        for start in (0, len(longer) - len(shorter)):
            if longer[start:start + len(shorter)] == shorter:
                rest = longer[:start] + longer[start + len(shorter):]
                if all(word in words for word in rest):
                    return True
        return False

    # -- partnerships ----------------------------------------------------
    def _same_partnership(self, pair: tuple[str, str], municipality: Place, partner: Place,
                          members: tuple[Place, Place]) -> PartnershipNode:
        """A pair the store already has a partnership of (a seed's twin town
        listed by Wikipedia too) is that partnership, not a second one: this
        source states what it says of it (its kind) beside what the others
        say, so the page shows one partnership with each source's word."""
        known = self.existing_pairs[pair]
        listed = self.mapping.get("partnership_kind", "twin town")
        detail = f"a partnership of these two towns is already in the store (as {known.kind})"
        if known.kind != listed:
            detail += f"; this source lists them as {listed}"
        self.merges.append(Merge(f"{municipality.given} – {partner.given}",
                                 f"{municipality.country}/{partner.country}", known.iri,
                                 f"{self.labels[pair[0]]} – {self.labels[pair[1]]}", "same pair", detail))
        return PartnershipNode(known.iri, members, describe=False)


def _actor_kinds(dataset: str, mapping: Mapping[str, Any]) -> dict[str, ActorKind]:
    """The mapping's [actor_kinds]: "folded name|ISO code" = the kind's word."""
    found = {}
    for key, word in mapping.get("actor_kinds", {}).items():
        kind = named(word)
        if kind is None:
            raise PartnergraphError(f"data/datasets/{dataset}/mapping.toml: [actor_kinds] {key!r} = {word!r} "
                                    f"names no kind of actor; write one of: {kind_words()}.")
        name, _, code = key.rpartition("|")
        found[f"{fold(name)}|{code.upper()}"] = kind
    return found


def _how_alike(given: str, name: str, country: str) -> tuple[str, Bilingual]:
    """Why two names of one place key are one name: the merge's reason and
    its detail."""
    if one_encoding(given) == one_encoding(name):
        return "encoding", said("merge_encoding", given=given, name=name)
    if given.casefold() == name.casefold():
        return "case", said("merge_case", given=given, name=name)
    if fold(given).split() == fold(name).split():
        return "accent-folded", said("merge_accents", given=given, name=name, country=country)
    return "spelling", said("merge_spelling", name=name)


def _existing_towns(store: Readable, own_graph: str) -> dict[str, dict]:
    """Municipalities the store holds outside the data set's own graph, with
    their names, folded keys, graphs and coordinates."""
    towns: dict[str, dict[str, Any]] = {}
    for row in store.select(f"""
        SELECT ?r ?name ?code ?g ?lat ?long WHERE {{
          GRAPH ?g {{ ?r a pg:Municipality }} FILTER (?g != <{own_graph}>)
          # The names the data set's own graph gave (other names it found
          # a node by) are not matched against, or a reload would differ.
          GRAPH ?named {{ ?r skos:prefLabel|skos:altLabel|pg:nativeName ?name }}
          FILTER (?named != <{own_graph}>)
          OPTIONAL {{ ?r pg:country/pg:isoAlpha2 ?code }}
          OPTIONAL {{ GRAPH ?located {{ ?r geo:lat ?lat ; geo:long ?long }}
                      FILTER (?located != <{own_graph}>) }}
        }}"""):
        iri = row["r"].value
        facts = towns.setdefault(iri, {"names": set(), "keys": set(), "graphs": set(), "code": "",
                                       "label": None, "located": False, "point": None})
        name, code = row["name"].value, row["code"].value if "code" in row else ""
        facts["names"].add(name)
        facts["keys"].add((place_key(name, code), code))
        facts["code"] = code
        facts["graphs"].add(row["g"].value)
        if facts["label"] is None or (row["name"].language == "en" and not facts.get("en")):
            facts["label"], facts["en"] = name, row["name"].language == "en"
        if "lat" in row:
            facts["located"] = True
            facts["point"] = (float(row["lat"].value), float(row["long"].value))
    for facts in towns.values():
        facts["graphs"] = sorted(facts["graphs"])
    return towns


def _point(lat: str, lng: str) -> tuple[float, float] | None:
    try:
        point = float(lat), float(lng)
    except ValueError:
        return None
    return point if -90 <= point[0] <= 90 and -180 <= point[1] <= 180 else None


def _decimal(value: float) -> str:
    # Geocodes to four decimals (about ten metres), as the data set states them.
    return format(Decimal(f"{value:.4f}").normalize(), "f")


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 12742 * math.asin(math.sqrt(h))
