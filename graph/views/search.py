"""Finding resources by name, the way people type names: without accents,
in any case ("Chisinau" finds Chișinău, "vastmannaoarna" Västmannaöarna).

The names are read once per data version into an index of normalised text,
so a search costs no query at all until the data changes.
"""
from __future__ import annotations

import heapq
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from rdflib.namespace import FOAF, RDFS, SKOS

from graph.rdf.namespaces import PG
from graph.store.base import Store
from graph.store.derived import Derived
from graph.views.labels import labels

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


@dataclass(frozen=True)
class _Entry:
    iri: str
    name: str
    key: str


class SearchIndex:
    """Every name of every resource, normalised."""

    def __init__(self, store: Store):
        values = " ".join(f"<{p}>" for p in NAME_PROPERTIES)
        rows = store.select(f"""
            SELECT DISTINCT ?s ?name WHERE {{
              VALUES ?p {{ {values} }} ?s ?p ?name FILTER(isIRI(?s) && isLiteral(?name))
            }}""")
        self.entries = [_Entry(r["s"].value, r["name"].value, normalise(r["name"].value))
                        for r in rows]
        self.types: dict[str, list[str]] = {}
        for row in store.select("SELECT DISTINCT ?s ?t WHERE { ?s a ?t FILTER(isIRI(?s)) }"):
            self.types.setdefault(row["s"].value, []).append(row["t"].value)

    def find(self, query: str) -> dict[str, tuple[int, str]]:
        """IRI → (rank, the name that matched): 0 exact, 1 prefix of the name
        or of a word in it, 2 anywhere in it."""
        wanted = normalise(query)
        if not wanted:
            return {}
        best: dict[str, tuple[int, str]] = {}
        for entry in self.entries:
            if entry.key == wanted:
                rank = 0
            elif entry.key.startswith(wanted) or f" {wanted}" in f" {entry.key}":
                rank = 1
            elif wanted in entry.key:
                rank = 2
            else:
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
    computed: Derived[SearchIndex] | None  # the index they were found in, with its age


def search(store: Store, query: str, lang: str, *, limit: int = 100) -> list[Hit]:
    return search_state(store, query, lang, limit=limit).hits


def search_state(store: Store, query: str, lang: str, *, limit: int = 100) -> Found:
    """The `limit` best hits for `query`, found in the index of the current
    data version or, right after a write, in the previous one while the new
    one is built (then `computed.stale`). Only the hits shown are labelled:
    a short query matches tens of thousands of names in a large graph."""
    computed = store.derived_state(*_index(store), wait=True)
    assert computed is not None
    index = computed.value
    found = index.find(query)
    if not found:
        return Found([], computed)
    # The best by rank and the name that matched; among those, the reader's
    # labels decide the order shown.
    found = dict(heapq.nsmallest(limit, found.items(),
                                 key=lambda item: (item[1][0], item[1][1].casefold(), item[0])))
    names = labels(store, found, lang)
    type_iris = {t for iri in found for t in index.types.get(iri, [])}
    type_names = labels(store, type_iris, lang)
    hits = []
    for iri, (rank, matched) in found.items():
        types = tuple(sorted(index.types.get(iri, []),
                             key=lambda t: (not t.startswith(str(PG)), type_names[t])))
        hits.append(Hit(iri, names[iri], matched, types,
                        tuple(type_names[t] for t in types), rank))
    hits.sort(key=lambda h: (h.rank, h.label.casefold(), h.iri))
    countries = _countries(store, [h.iri for h in hits])
    country_names = labels(store, set(countries.values()), lang)
    return Found([replace(h, country=country_names[countries[h.iri]]) if h.iri in countries else h
                  for h in hits], computed)


def _countries(store: Store, iris: list[str]) -> dict[str, str]:
    """The country (IRI) of each of `iris` that states one."""
    if not iris:
        return {}
    values = " ".join(f"<{iri}>" for iri in iris)
    return {row["s"].value: row["c"].value for row in store.select(
        f"SELECT ?s (MIN(?country) AS ?c) WHERE {{ VALUES ?s {{ {values} }} ?s pg:country ?country }} "
        "GROUP BY ?s")}
