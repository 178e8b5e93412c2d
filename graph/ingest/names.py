"""Names as people type them, matched to resources already in the store.

Stewards write "Borlange" for Borlänge and "sida" for Sida, so names are
compared without case or accents; IRIs are minted from the same folded form,
so that the same name always gives the same IRI."""
from __future__ import annotations

from collections import defaultdict

from graph.iris import ascii_fold
from graph.store.base import Readable

# Names are compared in the folded form IRIs are minted from, so that a name
# that matches gives the IRI it would have been minted as.
fold = ascii_fold


class NameIndex:
    """Resources of one kind in the store, by folded label (and, for places, country)."""

    def __init__(self):
        self._by_key: dict[tuple, set[str]] = defaultdict(set)
        self.labels: dict[str, dict[str, str]] = defaultdict(dict)

    def add(self, iri: str, label: str, lang: str | None, scope: str = "") -> None:
        self._by_key[(fold(label), scope)].add(iri)
        if lang and lang not in self.labels[iri]:
            self.labels[iri][lang] = label

    def find(self, name: str, scope: str = "") -> list[str]:
        return sorted(self._by_key.get((fold(name), scope), ()))

    def label(self, iri: str, lang: str = "sv") -> str:
        labels = self.labels.get(iri, {})
        return labels.get(lang) or labels.get("en") or next(iter(labels.values()), iri)


def _label_rows(store: Readable, cls: str, exclude_graph: str | None, extra: str = "") -> list[dict]:
    # Resources the import's own graph defines are left out: that graph is
    # about to be replaced, and matching its own earlier content would make a
    # re-import come out different from the first.
    where = f"GRAPH ?g {{ ?r a {cls} }}"
    if exclude_graph:
        where += f" FILTER (?g != <{exclude_graph}>)"
    return store.select(
        f"SELECT DISTINCT ?r ?label ?scope WHERE {{ {where} "
        f"?r skos:prefLabel|skos:altLabel ?label . {extra} }}")


def municipalities(store: Readable, exclude_graph: str | None = None) -> NameIndex:
    """Municipalities, scoped by their country's ISO code."""
    index = NameIndex()
    for row in _label_rows(store, "pg:Municipality", exclude_graph,
                           "OPTIONAL { ?r pg:country/pg:isoAlpha2 ?scope }"):
        index.add(row["r"].value, row["label"].value, row["label"].language,
                  row["scope"].value if "scope" in row else "")
    return index


def funders(store: Readable, exclude_graph: str | None = None) -> NameIndex:
    index = NameIndex()
    for row in _label_rows(store, "pg:Funder", exclude_graph):
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
