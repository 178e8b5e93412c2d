"""The change an import shows: every added and removed triple counted, and
the first of each in the order of their text, whichever parts of the content
they come from."""
from __future__ import annotations

import random

import pyoxigraph as ox

from graph.ingest.diff import diff
from graph.rdf.compressed import CompressedTriples

EX = "http://example.org/"


def _quads(seed: int, count: int) -> list[ox.Quad]:
    """Triples with subjects whose IRIs are prefixes of one another and
    hold characters that sort before `>` (`!`, `#`, `-`), so that an IRI's
    order and its written form's order part."""
    chance = random.Random(seed)
    found = []
    for _ in range(count):
        subject = ox.NamedNode(EX + chance.choice(["a", "a!", "a#b", "ab", "a-1", "b", "z"])
                               + str(chance.randrange(300)))
        obj = chance.choice([ox.Literal(str(chance.randrange(50))),
                             ox.Literal("x" * chance.randrange(4), language="sv"),
                             ox.NamedNode(EX + "o" + str(chance.randrange(20)))])
        found.append(ox.Quad(subject, ox.NamedNode(EX + "p" + str(chance.randrange(3))), obj))
    return found


def test_the_first_triples_shown_are_the_first_in_text_order_across_parts():
    old, new = _quads(1, 3000), _quads(2, 3000)
    content = CompressedTriples.of(new, None, parts=7)
    change = diff(old, content, shown=150)
    added = set(new) - set(old)
    removed = set(old) - set(new)
    assert (change.added_count, change.removed_count) == (len(added), len(removed))
    assert [str(t) for t in change.added] == sorted(str(ox.Triple(q.subject, q.predicate, q.object))
                                                    for q in added)[:150]
    assert [str(t) for t in change.removed] == sorted(str(ox.Triple(q.subject, q.predicate, q.object))
                                                      for q in removed)[:150]


def test_a_change_smaller_than_what_is_shown_is_shown_whole():
    new = _quads(3, 200)
    change = diff([], CompressedTriples.of(new, None, parts=3), shown=10_000)
    assert change.added_count == len(set(new))
    assert sorted(str(t) for t in change.added) == sorted(
        str(ox.Triple(q.subject, q.predicate, q.object)) for q in set(new))
    assert change.removed == []
