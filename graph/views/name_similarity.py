"""How alike two names are, and which of many names come closest to one, so
that a data steward's spelling finds the graph's name ("Gotenburg" finds
Göteborg, "Borlange" Borlänge, "Larvik kommune" Larvik).

Names are compared in the search's normalised form (no case, no accents:
graph.views.search.normalise). The similarity is the standard library's
difflib ratio. rapidfuzz computes the same kind of ratio faster, but a query
here is compared with at most SHORTLIST names, picked beforehand by the
three-letter pieces it shares with them, so difflib is fast enough and the
service needs no further package.
"""
from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)

# Words that say what kind of place a name is rather than which place: a
# spreadsheet's "Borlänge kommun", "Malmö stad" or "Municipality of Larvik"
# means the place the graph calls Borlänge, Malmö or Larvik. Words that are
# part of names themselves ("City" in "Mexico City") are not among them.
DESIGNATIONS = frozenset({"kommun", "kommune", "kommunen", "stad", "municipality", "municipio",
                          "municipiul", "gmina", "kunta", "commune", "gemeinde", "of"})
# A name matched only once such words are set aside is nearly, not quite, as
# good as the same name: the exact spelling wins a tie.
DESIGNATION_WEIGHT = 0.98
# How many names a query is compared with in full: the ones sharing most
# three-letter pieces with it. Keeps the work per query bounded however large
# the graph grows.
SHORTLIST = 60
# Queries longer than this are cut: no name in the graph is that long, and the
# work per query stays bounded.
MAX_QUERY = 200


def core(name: str) -> str:
    """A normalised name without the words that only say what kind of place
    it is; the name itself when nothing else is left."""
    words = [w for w in name.split() if w not in DESIGNATIONS]
    return " ".join(words) if words else name


def _bare_forms(name: str) -> set[str]:
    """The name without designations, and, when one followed it, also without
    a genitive s (Swedish "Göteborgs kommun", "Kristinehamns kommun")."""
    bare = core(name)
    forms = {bare}
    if bare != name and bare.endswith("s") and len(bare) > 3:
        forms.add(bare[:-1])
    return forms


def similarity(query: str, name: str) -> float:
    """0 to 1: how alike two normalised names are. 1 for the same name;
    DESIGNATION_WEIGHT when they are the same but for a designation such as
    "kommun"; otherwise difflib's ratio (twice the matching letters over all
    letters) of the names without designations, so that two names do not
    come closer for both ending in "kommun"."""
    if query == name:
        return 1.0
    if not query or not name:
        return 0.0
    queries, names = _bare_forms(query), _bare_forms(name)
    if queries == {query} and names == {name}:
        return SequenceMatcher(None, query, name, autojunk=False).ratio()
    if queries & names:
        return DESIGNATION_WEIGHT
    return min(DESIGNATION_WEIGHT, max(SequenceMatcher(None, q, n, autojunk=False).ratio()
                                       for q in queries for n in names))


def trigrams(name: str) -> set[str]:
    """The three-letter pieces of a name, its start and end marked by a space."""
    padded = f" {name} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class Close(Generic[T]):
    """One item whose name came close to a query: the item, that name
    (normalised) and how alike they are (0 to 1)."""
    item: T
    name: str
    similarity: float


class NameMatcher(Generic[T]):
    """Normalised names of items, ready to say which come closest to a name."""

    def __init__(self, names: Iterable[tuple[str, T]]):
        self._names: list[str] = []
        self._items: list[T] = []
        self._sizes: list[int] = []
        self._exact: dict[str, list[int]] = defaultdict(list)
        self._pieces: dict[str, list[int]] = defaultdict(list)
        for name, item in dict.fromkeys(names):
            if not name:
                continue
            number = len(self._names)
            self._names.append(name)
            self._items.append(item)
            self._exact[name].append(number)
            # Names are found by their core, so that "Larvik kommune" and
            # "Larvik" share their pieces.
            pieces = trigrams(core(name))
            self._sizes.append(len(pieces))
            for piece in pieces:
                self._pieces[piece].append(number)

    def __len__(self) -> int:
        return len(self._names)

    def named(self, name: str) -> list[T]:
        """The items with exactly this (normalised) name."""
        return [self._items[number] for number in self._exact.get(name, ())]

    def closest(self, query: str, *, shortlist: int = SHORTLIST) -> list[Close[T]]:
        """Each item with a name like `query` (normalised), with the best of
        its names: items named exactly so, and the `shortlist` names sharing
        most three-letter pieces with it, scored by `similarity`."""
        query = query[:MAX_QUERY]
        if not query:
            return []
        chosen = set(self._exact.get(query, ()))
        pieces = trigrams(core(query))
        shared: Counter[int] = Counter()
        for piece in pieces:
            shared.update(self._pieces.get(piece, ()))
        # Dice's coefficient of the two sets of pieces ranks the shortlist:
        # short names sharing a few pieces do not crowd out long ones that
        # share many.
        ranked = heapq.nlargest(
            shortlist, shared.items(),
            key=lambda entry: entry[1] / (len(pieces) + self._sizes[entry[0]]))
        chosen.update(number for number, _ in ranked)
        best: dict[T, Close[T]] = {}
        for number in chosen:
            item, name = self._items[number], self._names[number]
            score = similarity(query, name)
            if item not in best or score > best[item].similarity:
                best[item] = Close(item, name, score)
        return sorted(best.values(), key=lambda close: -close.similarity)
