"""What an import changes in its graph: the triples it adds and removes.

Both sides are split into the same parts by subject (graph/rdf/compressed.py),
so a part of one is compared with the same part of the other and no more
than one part of each is held as Python objects. Blank nodes need more:
parsing names them anew each time, so the triples that hold one are
compared as a whole, by canonical form, apart from the rest."""
from __future__ import annotations

import heapq
from collections.abc import Iterable

import pyoxigraph as ox

from graph.ingest.progress import ProgressCallback
from graph.ingest.report import Diff
from graph.rdf.compressed import CompressedTriples, compare

# Triples of each side a report shows (the first, in sorted order); the
# counts are always whole.
SHOWN = 10_000


def diff(old: Iterable[ox.Quad], new: CompressedTriples, *, shown: int = SHOWN,
         progress: ProgressCallback | None = None) -> Diff:
    """The change from `old` (the graph's quads now) to `new`. `progress`
    hears ("comparing", parts done, parts)."""
    builder = DiffBuilder(old, new.parts, shown=shown)
    for number in range(new.parts):
        builder.add_part(number, new.part(number))
        if progress is not None:
            progress("comparing", number + 1, new.parts)
    return builder.result()


class DiffBuilder:
    """The change from `old` to new triples given a part at a time (as
    validation reads them: graph/ingest/validate.py), split in `parts` parts."""

    def __init__(self, old: Iterable[ox.Quad], parts: int, *, shown: int = SHOWN):
        self.before = CompressedTriples(None, parts)
        self.before.add(old)
        self.before.close()
        self.shown = shown
        self.diff = Diff(added=[], removed=[], added_count=0, removed_count=0)
        self.blank_old: list[ox.Triple] = []
        self.blank_new: list[ox.Triple] = []

    def add_part(self, number: int, quads: Iterable[ox.Quad]) -> None:
        change = compare(self.before.part(number), quads)
        self.blank_old += change.blank_old
        self.blank_new += change.blank_new
        _count(self.diff, change.added, change.removed, self.shown)

    def result(self) -> Diff:
        if self.blank_old or self.blank_new:
            old_canonical, new_canonical = _canonical(self.blank_old), _canonical(self.blank_new)
            _count(self.diff, new_canonical - old_canonical, old_canonical - new_canonical, self.shown)
            self.blank_old, self.blank_new = [], []
        return self.diff


def _count(result: Diff, added: set[ox.Triple], removed: set[ox.Triple], shown: int) -> None:
    result.added_count += len(added)
    result.removed_count += len(removed)
    result.added = _first(result.added, added, shown)
    result.removed = _first(result.removed, removed, shown)


def _first(kept: list[ox.Triple], more: set[ox.Triple], shown: int) -> list[ox.Triple]:
    """The `shown` first of both in the order of their text."""
    return heapq.nsmallest(shown, [*kept, *more], key=str)


def _canonical(triples: list[ox.Triple]) -> set[ox.Triple]:
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {ox.Triple(q.subject, q.predicate, q.object) for q in dataset}
