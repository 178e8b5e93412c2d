"""Finding resources by name, the way people type names: without accents,
in any case ("Chisinau" finds Chișinău, "vastmannaoarna" Västmannaöarna).

The names are read once per data version into an index of normalised text,
so a search costs no query at all until the data changes.
"""
from __future__ import annotations

import heapq
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import FOAF, RDFS, SKOS

from graph.rdf.namespaces import PG
from graph.store.base import Store
from graph.store.derived import Derived
from graph.views.labels import LABEL_PROPERTIES, labels, language_rank, local_name

NAME_PROPERTIES = [SKOS.prefLabel, SKOS.altLabel, RDFS.label, FOAF.name, PG.nativeName]


def normalise(text: str) -> str:
    """Text as a search compares it: accents dropped, case folded, spaces tidy."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Letters that do not decompose but that people type without their stroke.
    plain = plain.translate(_UNSTROKED)
    return " ".join(plain.casefold().split())


_UNSTROKED = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "đ": "d", "Đ": "D",
                            "ł": "l", "Ł": "L", "ß": "ss", "þ": "th", "Þ": "Th",
                            "ð": "d", "Ð": "D", "œ": "oe", "Œ": "OE", "ı": "i"})


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    matched: str
    types: tuple[str, ...]
    type_labels: tuple[str, ...]
    rank: int
    # The country of a place or partner, so that namesakes (Lohne, Löhne,
    # and the Lohne of another country) can be told apart in a list.
    country: str = ""


@dataclass(frozen=True, slots=True)
class _Entry:
    iri: str
    name: str
    key: str


class SearchIndex:
    """Every name of every resource, normalised; and what a list of hits
    shows of each (its label in Swedish and English, its types and country,
    with theirs), so that a search reads nothing from the store: right after
    a write it answers from the previous data version's index without
    waiting for the new version's snapshot."""

    def __init__(self, store: Store):
        properties = list(dict.fromkeys([*map(str, NAME_PROPERTIES), *LABEL_PROPERTIES]))
        # One branch per property: with ?p bound by VALUES the labels also
        # need, Oxigraph scans every triple (see graph.views.labels).
        union = " UNION ".join(f"{{ ?s <{p}> ?name BIND(<{p}> AS ?p) }}" for p in properties)
        searched = {str(p) for p in NAME_PROPERTIES}
        self.entries = []
        seen: set[tuple[str, str]] = set()
        best: dict[str, dict[str, tuple[tuple[int, int, str], str]]] = {"sv": {}, "en": {}}
        # Each answer row brings a new string for the same IRI: one object
        # per IRI, and the rows read one at a time, made the index 250 MB
        # instead of 343 at 1 M triples.
        one: dict[str, str] = {}
        for row in store.select_rows(
                f"SELECT ?s ?p ?name WHERE {{ {union} FILTER(isIRI(?s) && isLiteral(?name)) }}"):
            prop, literal = row["p"].value, row["name"]
            iri = one.setdefault(row["s"].value, row["s"].value)
            name = literal.value
            if prop in searched and (iri, name) not in seen:
                seen.add((iri, name))
                self.entries.append(_Entry(iri, name, normalise(name)))
            if prop in LABEL_PROPERTIES:
                order = LABEL_PROPERTIES.index(prop)
                for lang, found in best.items():
                    key = (language_rank(literal.language or "", lang), order, name)
                    if iri not in found or key < found[iri][0]:
                        found[iri] = (key, name)
        self._labels = {lang: {iri: name for iri, (_, name) in found.items()}
                        for lang, found in best.items()}
        # Classes and countries are few, their IRIs repeated on every row.
        self.types: dict[str, list[str]] = {}
        for row in store.select_rows("SELECT DISTINCT ?s ?t WHERE { ?s a ?t FILTER(isIRI(?s)) }"):
            iri = one.setdefault(row["s"].value, row["s"].value)
            self.types.setdefault(iri, []).append(sys.intern(row["t"].value))
        self.countries = {one.setdefault(row["s"].value, row["s"].value): sys.intern(row["c"].value)
                          for row in store.select_rows(
            "SELECT ?s (MIN(?country) AS ?c) WHERE { ?s pg:country ?country FILTER(isIRI(?country)) } "
            "GROUP BY ?s")}

    def label(self, iri: str, lang: str) -> str:
        """As graph.views.labels gives it, for the index's data version."""
        found = self._labels["sv" if lang == "sv" else "en"].get(iri)
        return found if found is not None else local_name(iri)

    def find(self, query: str) -> dict[str, tuple[int, str]]:
        """IRI → (rank, the name that matched): 0 exact, 1 prefix of the name
        or of a word in it, 2 anywhere in it."""
        wanted = normalise(query)
        if not wanted:
            return {}
        best: dict[str, tuple[int, str]] = {}
        for entry in self.entries:
            rank = _rank(entry.key, wanted)
            if rank is None:
                continue
            if entry.iri not in best or (rank, len(entry.name)) < (best[entry.iri][0],
                                                                  len(best[entry.iri][1])):
                best[entry.iri] = (rank, entry.name)
        return best


def index_for(store: Store) -> SearchIndex:
    """The store's index, built once per data version."""
    return store.derived(*_index(store))


def start_index(store: Store) -> None:
    """Have the index built in the background, if it is not there yet."""
    store.derived_state(*_index(store))


def _index(store: Store) -> tuple[str, Callable[[], SearchIndex]]:
    return "search index", lambda: SearchIndex(store)


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    # The index they were found in, with its age; None when they were found
    # in the store itself, matching case but not accents, while the first
    # index is being built.
    computed: Derived[SearchIndex] | None


def search(store: Store, query: str, lang: str, *, limit: int = 100) -> list[Hit]:
    return search_state(store, query, lang, limit=limit).hits


def search_state(store: Store, query: str, lang: str, *, limit: int = 100) -> Found:
    """The `limit` best hits for `query`, found in the index of the current
    data version or, right after a write, in the previous one while the new
    one is built (then `computed.stale`): what a hit shows comes from that
    index, and a search asks the store nothing. Before the first index is
    there, the store is asked (`computed` is None)."""
    computed = store.derived_state(*_index(store))
    if computed is None:
        return Found(_in_store(store, query, lang, limit), None)
    index = computed.value
    return Found(_hits(_best(index.find(query), limit), index.types, index.countries,
                       lambda iri: index.label(iri, lang)), computed)


def _best(found: dict[str, tuple[int, str]], limit: int) -> list[tuple[str, tuple[int, str]]]:
    """The `limit` best by rank and the name that matched; among those, the
    reader's labels decide the order shown."""
    return heapq.nsmallest(limit, found.items(),
                           key=lambda item: (item[1][0], item[1][1].casefold(), item[0]))


def _hits(chosen: list[tuple[str, tuple[int, str]]], types: dict[str, list[str]],
          countries: dict[str, str], label: Callable[[str], str]) -> list[Hit]:
    hits = []
    for iri, (rank, matched) in chosen:
        kinds = tuple(sorted(types.get(iri, []), key=lambda t: (not t.startswith(str(PG)), label(t))))
        country = countries.get(iri)
        hits.append(Hit(iri, label(iri), matched, kinds, tuple(label(t) for t in kinds), rank,
                        label(country) if country else ""))
    hits.sort(key=lambda h: (h.rank, h.label.casefold(), h.iri))
    return hits


def _in_store(store: Store, query: str, lang: str, limit: int) -> list[Hit]:
    """Hits for the resources named `query` as a whole name, spelt as in the
    store but in any of the usual cases (ljusdal, Ljusdal, LJUSDAL), in
    Swedish, English or no language: lookups by value, which cost the same
    in any size of graph, where a scan of every name would not."""
    wanted = " ".join(query.split())
    if not wanted:
        return []
    forms = dict.fromkeys([wanted, wanted.lower(), wanted.capitalize(), wanted.title(), wanted.upper()])
    # The text goes in as literals serialised by pyoxigraph, never as query text.
    literals = " ".join(str(ox.Literal(form, language=tag) if tag else ox.Literal(form))
                        for form in forms for tag in ("", "sv", "en"))
    union = " UNION ".join(f"{{ ?s <{p}> ?name }}" for p in NAME_PROPERTIES)
    best: dict[str, tuple[int, str]] = {}
    key = normalise(wanted)
    for row in store.select(f"SELECT DISTINCT ?s ?name WHERE {{ VALUES ?name {{ {literals} }} {union} "
                            "FILTER(isIRI(?s)) }"):
        iri, name = row["s"].value, row["name"].value
        rank = _rank(normalise(name), key)
        if rank is not None:
            best[iri] = (rank, name)
    chosen = _best(best, limit)
    iris = [iri for iri, _ in chosen]
    if not iris:
        return []
    values = " ".join(f"<{iri}>" for iri in iris)
    types: dict[str, list[str]] = {}
    countries: dict[str, str] = {}
    for row in store.select(f"SELECT ?s ?t WHERE {{ VALUES ?s {{ {values} }} ?s a ?t FILTER(isIRI(?t)) }}"):
        types.setdefault(row["s"].value, []).append(row["t"].value)
    for row in store.select(f"SELECT ?s (MIN(?c) AS ?country) WHERE {{ VALUES ?s {{ {values} }} "
                            "?s pg:country ?c FILTER(isIRI(?c)) } GROUP BY ?s"):
        countries[row["s"].value] = row["country"].value
    names = labels(store, [*iris, *(t for ts in types.values() for t in ts), *countries.values()], lang)
    return _hits(chosen, types, countries, names.__getitem__)


def _rank(key: str, wanted: str) -> int | None:
    """0 exact, 1 prefix of the name or of a word in it, 2 anywhere in it."""
    if key == wanted:
        return 0
    if key.startswith(wanted) or f" {wanted}" in f" {key}":
        return 1
    if wanted in key:
        return 2
    return None
