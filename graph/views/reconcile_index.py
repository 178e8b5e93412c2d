"""What the reconciliation service matches against, read once per data
version: the resources of the types it offers, their names in every language,
their types and countries, and the countries by code and by name.

It is built on the search index (graph.views.search), which has read every
name and type already, and adds one query for the countries. The names of a
place (a resource with a country) are also kept as its country writes them
(graph/ingest/place_names.py), as the import matchers compare them: Håbo is
not Habo, Lohne not Löhne; and a place is found by the other names GeoNames
gives the town (graph/ingest/other_names.py: Gotenburg is Göteborg).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rdflib import URIRef

from graph.ingest.other_names import other_names
from graph.ingest.place_names import ascii_key, place_key, written_without_own_letters
from graph.rdf.namespaces import PG
from graph.store.base import Store
from graph.views.name_similarity import NameMatcher, similarity
from graph.views.search import index_for, normalise

# The types a steward reconciles against, most often wanted first. Every one
# is a term of the closed PG namespace, so a type the ontology drops fails
# here at once instead of offering a type nothing has.
OFFERED_TYPES: tuple[URIRef, ...] = (
    PG.Municipality, PG.Partnership, PG.Funder, PG.FundingProgramme, PG.Theme,
    PG.Country, PG.Region, PG.CountyCouncil, PG.County, PG.AssociationOfMunicipalities,
    PG.OtherOrganisation, PG.Project, PG.Event,
)
# Names of a country close enough to this are taken as that country
# ("Swedn" is Sweden); anything less is not guessed at.
COUNTRY_NAME_SIMILARITY = 0.85
# A place's name typed without the letters of its country's alphabet
# ("Borlange"): nearly the same name, but one spelt as the query comes first.
SAME_BUT_OWN_LETTERS = 0.99
# Another name GeoNames gives the town (Gotenburg for Göteborg): as good as
# the same name but for a word such as "kommun".
OTHER_NAME = 0.98
# Names this alike without accents may be the same name: only then are they
# compared letter by letter as the place's country writes them.
MATCHING = 0.97


# A query meets a few dozen places, mostly of one country: its own keys are
# made once, not once per place.
_query_key = lru_cache(maxsize=4096)(place_key)
_query_ascii = lru_cache(maxsize=4096)(ascii_key)
_query_plain = lru_cache(maxsize=4096)(written_without_own_letters)


def spelling(name: str) -> str:
    """A name compared as written, accents and all, but for case and spaces."""
    return " ".join(name.casefold().split())


class ReconcileIndex:
    """The resources of the offered types with their names, types and
    countries; one NameMatcher per type and one over all of them."""

    def __init__(self, store: Store):
        search = index_for(store)
        offered = {str(t) for t in OFFERED_TYPES}
        # Every type of each offered resource (for showing), ontology terms first.
        self.types: dict[str, tuple[str, ...]] = {}
        for iri, types in search.types.items():
            if offered.intersection(types):
                self.types[iri] = tuple(sorted(types, key=lambda t: (t not in offered, t)))
        self.names: dict[str, list[str]] = defaultdict(list)
        # The names as written, but for case: where accents tell two
        # resources apart that are no places, a query that writes them picks one.
        self.spellings: dict[str, set[str]] = defaultdict(set)
        self._written: dict[str, set[str]] = defaultdict(set)
        for entry in search.entries:
            if entry.iri in self.types:
                if entry.key not in self.names[entry.iri]:
                    self.names[entry.iri].append(entry.key)
                self.spellings[entry.iri].add(spelling(entry.name))
                self._written[entry.iri].add(entry.name)
        self.countries: dict[str, frozenset[str]] = _countries_of(store, self.types)
        self._country_codes = _country_codes(store)
        self._alpha2 = {iri: code for code, iri in self._country_codes.items() if len(code) == 2 and code.isalpha()}
        # A place's names as its country writes them, made when first asked
        # for: a query meets a few dozen places, not the graph's thousands.
        self._place_keys: dict[str, tuple[dict[str, frozenset[str]], frozenset[str]]] = {}
        self.by_type: dict[str, NameMatcher[str]] = {
            t: NameMatcher((key, iri) for iri, keys in self.names.items() if t in self.types[iri]
                           for key in keys)
            for t in offered}
        self.everything: NameMatcher[str] = NameMatcher(
            (key, iri) for iri, keys in self.names.items() for key in keys)
        self._country_names = self.by_type[str(PG.Country)]

    def _keys(self, iri: str) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
        """A place's names as each of its countries (ISO code) writes them,
        and spelt in ASCII; no countries for a resource that is no place."""
        found = self._place_keys.get(iri)
        if found is None:
            codes = {self._alpha2[c] for c in self.countries.get(iri, ()) if c != iri and c in self._alpha2}
            names = self._written[iri]
            found = self._place_keys[iri] = (
                {code: frozenset(place_key(name, code) for name in names) for code in codes},
                frozenset(ascii_key(name) for name in names) if codes else frozenset())
        return found

    def place_similarity(self, query: str, iri: str, alike: float) -> float | None:
        """How alike `query` is to the names of place `iri` (0 to 1) as its
        country writes them, given how `alike` they are without case or
        accents: 1 for the same name, SAME_BUT_OWN_LETTERS when the query is
        the name typed without the letters of the country's alphabet
        (Borlange), and where only such letters tell them apart (Habo and
        Håbo are two names in Sweden) the similarity of the names as the
        country writes them. None for a resource that is no place."""
        places, plain = self._keys(iri)
        if not places:
            return None
        wanted = {code: _query_key(query, code) for code in places}
        if any(wanted[code] in keys for code, keys in places.items()):
            return 1.0
        if _query_ascii(query) in plain and any(_query_plain(query, code) for code in places):
            return SAME_BUT_OWN_LETTERS
        if alike < MATCHING:
            # Far enough apart either way: their letters change no flag.
            return alike
        return max(similarity(wanted[code], key) for code, keys in places.items() for key in keys)

    def by_other_name(self, query: str, code: str) -> set[str]:
        """The places in the country of ISO code `code` that another name
        GeoNames gives the town `query` names is a name of."""
        own = place_key(query, code)
        found: set[str] = set()
        for name in other_names(query, code):
            key = place_key(name, code)
            if key == own:
                continue
            for iri in self.everything.named(normalise(name)):
                if key in self._keys(iri)[0].get(code, ()):
                    found.add(iri)
        return found

    def country_codes(self, countries: Iterable[str]) -> set[str]:
        """The ISO alpha-2 codes of countries given by IRI."""
        return {self._alpha2[c] for c in countries if c in self._alpha2}

    def matchers(self, types: Iterable[str]) -> list[NameMatcher[str]]:
        """The matchers to search for resources of any of `types` (offered
        type IRIs); all resources when none is given."""
        wanted = list(types)
        return [self.by_type[t] for t in wanted] if wanted else [self.everything]

    def country(self, value: str) -> set[str]:
        """The countries a steward's value names: an ISO 3166-1 code (SE, SWE,
        752), a country's IRI, or its name in any language, spelt a little
        wrong at most. Empty when it names none."""
        text = value.strip()
        if text in self.types and str(PG.Country) in self.types[text]:
            return {text}
        if text.upper() in self._country_codes:
            return {self._country_codes[text.upper()]}
        if text.isdigit() and text.zfill(3) in self._country_codes:
            return {self._country_codes[text.zfill(3)]}
        close = self._country_names.closest(normalise(text), shortlist=10)
        exact = {c.item for c in close if c.similarity == 1.0}
        return exact or {c.item for c in close if c.similarity >= COUNTRY_NAME_SIMILARITY}


def _countries_of(store: Store, types: dict[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    """Each offered resource's countries (pg:country); a country is its own."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in store.select(f"SELECT DISTINCT ?s ?c WHERE {{ ?s <{PG.country}> ?c FILTER(isIRI(?c)) }}"):
        if row["s"].value in types:
            found[row["s"].value].add(row["c"].value)
    for iri, kinds in types.items():
        if str(PG.Country) in kinds:
            found[iri].add(iri)
    return {iri: frozenset(countries) for iri, countries in found.items()}


def _country_codes(store: Store) -> dict[str, str]:
    """Countries (IRIs) by ISO code: alpha-2, alpha-3, numeric."""
    codes: dict[str, str] = {}
    rows = store.select(f"""
        SELECT ?c ?code WHERE {{
          ?c a <{PG.Country}> .
          {{ ?c <{PG.isoAlpha2}> ?code }} UNION {{ ?c <{PG.isoAlpha3}> ?code }}
          UNION {{ ?c <{PG.isoNumeric}> ?code }}
        }}""")
    for row in rows:
        codes.setdefault(row["code"].value.upper(), row["c"].value)
    return codes
