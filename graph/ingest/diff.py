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
        self.added_count = self.removed_count = 0
        # The first `shown` of each, as quads of the default graph, each
        # with its text (the order), in order.
        self.added: list[tuple[str, ox.Quad]] = []
        self.removed: list[tuple[str, ox.Quad]] = []
        self.blank_old: list[ox.Quad] = []
        self.blank_new: list[ox.Quad] = []

    def add_part(self, number: int, quads: Iterable[ox.Quad]) -> None:
        change = compare(self.before.part(number), quads)
        self.blank_old += change.blank_old
        self.blank_new += change.blank_new
        self._count(change.added, change.removed)

    def result(self) -> Diff:
        if self.blank_old or self.blank_new:
            old_canonical, new_canonical = _canonical(self.blank_old), _canonical(self.blank_new)
            self._count(new_canonical - old_canonical, old_canonical - new_canonical)
            self.blank_old, self.blank_new = [], []
        return Diff(added=[_triple(q) for _, q in self.added], removed=[_triple(q) for _, q in self.removed],
                    added_count=self.added_count, removed_count=self.removed_count)

    def _count(self, added: set[ox.Quad], removed: set[ox.Quad]) -> None:
        self.added_count += len(added)
        self.removed_count += len(removed)
        self.added = _first(self.added, added, self.shown)
        self.removed = _first(self.removed, removed, self.shown)


def _first(kept: list[tuple[str, ox.Quad]], more: set[ox.Quad],
           shown: int) -> list[tuple[str, ox.Quad]]:
    """The `shown` first of both in the order of their text, with their
    text; `kept` is such a list. A quad's text begins with its subject's:
    once `kept` is full, a subject whose text sorts after the last kept has
    no triple that could take a place, and its triples are not written out
    (a big import would otherwise write each of its million triples, and
    the kept ones again for every part)."""
    if len(kept) >= shown:
        bound = kept[-1][0]
        by_subject: dict[object, list[ox.Quad]] = {}
        for quad in more:
            by_subject.setdefault(quad.subject, []).append(quad)
        candidates = [quad for subject, quads in by_subject.items() if str(subject) <= bound for quad in quads]
    else:
        candidates = list(more)
    return heapq.nsmallest(shown, [*kept, *((str(quad), quad) for quad in candidates)], key=_text)


def _text(item: tuple[str, ox.Quad]) -> str:
    return item[0]


def _triple(quad: ox.Quad) -> ox.Triple:
    return ox.Triple(quad.subject, quad.predicate, quad.object)


def _canonical(quads: list[ox.Quad]) -> set[ox.Quad]:
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)
