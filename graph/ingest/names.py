"""Names as people type them, matched to resources already in the store.

Stewards write "sida" for Sida and "miljo" for Miljö, so the names of funders,
themes and countries are compared without case or accents. Places are
compared the way their country writes them (graph/ingest/place_names.py):
Håbo is not Habo. Where the store lists every municipality of a country, a
name written without its own letters (Borlange) is a near miss that can only
mean one of them."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from graph.ingest.place_names import ascii_key, place_key
from graph.iris import ascii_fold
from graph.rdf.namespaces import PG
from graph.store.base import Readable

# Names are compared in the folded form IRIs are minted from, so that a name
# that matches gives the IRI it would have been minted as.
fold = ascii_fold


def _folded(name: str, scope: str) -> str:
    return fold(name)


class NameIndex:
    """Resources of one kind in the store, by the key of their labels (and,
    for places, by country). `key` makes the key of a name in a scope."""

    def __init__(self, key: Callable[[str, str], str] = _folded):
        self.key = key
        self._by_key: dict[tuple, set[str]] = defaultdict(set)
        self._by_ascii: dict[tuple, set[str]] = defaultdict(set)
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)
        self.scopes: dict[str, str] = {}
        self.keys_of: dict[str, set[str]] = defaultdict(set)

    def add(self, iri: str, label: str, lang: str | None, scope: str = "") -> None:
        key = self.key(label, scope)
        self._by_key[(key, scope)].add(iri)
        self.keys_of[iri].add(key)
        self._by_ascii[(ascii_key(label), scope)].add(iri)
        self.scopes.setdefault(iri, scope)
        if lang and lang not in self.labels[iri]:
            self.labels[iri][lang] = label

    def find(self, name: str, scope: str = "") -> list[str]:
        return sorted(self._by_key.get((self.key(name, scope), scope), ()))

    def find_ascii(self, name: str, scope: str = "") -> list[str]:
        """Resources whose label, spelt in ASCII, is `name` spelt in ASCII."""
        return sorted(self._by_ascii.get((ascii_key(name), scope), ()))

    def in_scope(self, scope: str) -> list[str]:
        return sorted(iri for iri, their in self.scopes.items() if their == scope)

    def label(self, iri: str, lang: str = "sv") -> str:
        labels = self.labels.get(iri, {})
        return labels.get(lang) or labels.get("en") or next(iter(labels.values()), iri)


def _label_rows(store: Readable, cls: str, exclude_graph: str | None, extra: str = "") -> list[dict]:
    # Resources the import's own graph defines are left out: that graph is
    # about to be replaced, and matching its own earlier content would make a
    # re-import come out different from the first.
    where = f"GRAPH ?g {{ ?r a {cls} }} GRAPH ?named {{ ?r skos:prefLabel|skos:altLabel ?label }}"
    if exclude_graph:
        where += f" FILTER (?g != <{exclude_graph}> && ?named != <{exclude_graph}>)"
    return store.select(
        f"SELECT DISTINCT ?r ?label ?scope WHERE {{ {where} {extra} }}")


def municipalities(store: Readable, exclude_graph: str | None = None) -> NameIndex:
    """Municipalities, scoped by their country's ISO code, by their names as
    that country writes them."""
    return parties(store, str(PG.Municipality), exclude_graph)


def parties(store: Readable, cls: str, exclude_graph: str | None = None) -> NameIndex:
    """Parties to partnerships of class `cls` (IRI: pg:Municipality,
    pg:CountyCouncil ...), scoped by their country's ISO code, by their
    names as that country writes them."""
    index = NameIndex(key=place_key)
    for row in _label_rows(store, f"<{cls}>", exclude_graph,
                           "OPTIONAL { ?r pg:country/pg:isoAlpha2 ?scope }"):
        index.add(row["r"].value, row["label"].value, row["label"].language,
                  row["scope"].value if "scope" in row else "")
    return index


def funders(store: Readable, exclude_graph: str | None = None) -> NameIndex:
    return _by_label(store, "pg:Funder", exclude_graph)


def programmes(store: Readable, exclude_graph: str | None = None) -> NameIndex:
    return _by_label(store, "pg:FundingProgramme", exclude_graph)


def _by_label(store: Readable, cls: str, exclude_graph: str | None) -> NameIndex:
    index = NameIndex()
    for row in _label_rows(store, cls, exclude_graph):
        index.add(row["r"].value, row["label"].value, row["label"].language)
    return index


def themes(store: Readable) -> NameIndex:
    index = NameIndex()
    for row in store.select("SELECT ?r ?label WHERE { ?r a pg:Theme ; skos:prefLabel|skos:altLabel ?label }"):
        index.add(row["r"].value, row["label"].value, row["label"].language)
    return index


def countries(store: Readable) -> tuple[NameIndex, dict[str, str]]:
    """Countries by name, and their ISO alpha-2 codes by IRI."""
    index, codes = NameIndex(), {}
    for row in store.select("SELECT ?r ?code ?label WHERE { ?r a pg:Country ; pg:isoAlpha2 ?code ; "
                            "skos:prefLabel|skos:altLabel ?label }"):
        iri, code = row["r"].value, row["code"].value
        codes[iri] = code
        index.add(iri, row["label"].value, row["label"].language)
        index.add(iri, code, None)
    return index, codes


def complete_countries(store: Readable) -> dict[str, str]:
    """Countries (ISO code) whose every municipality a source graph lists
    (pg:listsEveryMunicipalityOf), with the graph that lists them."""
    return {row["code"].value: row["g"].value for row in store.select(
        "SELECT ?code ?g WHERE { ?g pg:listsEveryMunicipalityOf/pg:isoAlpha2 ?code }")}
