"""Triples held compressed in memory, in parts by subject: what an import
will write to its graph, or a graph's content being compared with it, so
that a file of 100,000 rows neither fills the memory nor needs a temporary
file.

The triples are kept as N-Triples text, compressed: a million take some
30 MB here, against a gigabyte as Python objects. A triple goes to the part
of its subject, so that each part holds every triple of its subjects: a part can be checked against the
shapes on its own (graph/ingest/validate.py), and two sets of triples split
into the same number of parts are compared part by part (`changes`). Each
part is read back (parsed) when it is needed, as often as it is needed.

The types of the nodes are kept as they come, since checking one part needs
the types of the nodes it points at, wherever they are stated."""
from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import pyoxigraph as ox
from rdflib.namespace import RDF

_TYPE_NODE = ox.NamedNode(str(RDF.type))
# About the triples of 2,000 spreadsheet rows: a part is held as Python
# objects at once (to check it, to compare it), so its size bounds memory.
PART_TRIPLES = 30_000
# Triples gathered before they are written out and compressed.
_CHUNK = 4096


def parts_for(size: int, bytes_per_triple: int = 30) -> int:
    """How many parts an input of `size` bytes wants, at `bytes_per_triple`
    (a spreadsheet row of some 450 bytes gives about 15 triples)."""
    return max(1, size // (bytes_per_triple * PART_TRIPLES) + 1)


def node_key(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A node as N-Triples writes it (<iri>, _:b1): the key of `types`."""
    return str(term)


class CompressedTriples:
    """The triples bound for `graph`, split into `parts` parts by subject."""

    def __init__(self, graph: str | None, parts: int = 1, *, index: frozenset[str] = frozenset()):
        # None: triples only looked at, never written (graph/ingest/validate.py).
        self.graph: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        self.parts = max(1, parts)
        self._pending: list[list[ox.Quad]] = [[] for _ in range(self.parts)]
        self._compressors = [zlib.compressobj(1) for _ in range(self.parts)]
        self._chunks: list[list[bytes]] = [[] for _ in range(self.parts)]
        self._closed = False
        self.added = 0
        self.text_size = 0          # bytes of N-Triples text, uncompressed
        self._sizes = [0] * self.parts
        # Node (as node_key writes it) -> the IRIs of its types in this import.
        self.types: dict[str, set[str]] = {}
        self.has_blank_nodes = False
        # The triples of the predicates in `index`, by the node they point at
        # (node_key): kept as they come, to spare a pass over every part.
        self.index = frozenset(ox.NamedNode(p) for p in index)
        self.indexed: dict[str, list[ox.Quad]] = {}

    @classmethod
    def of(cls, quads: Iterable[ox.Quad], graph: str | None, parts: int = 1, *,
           index: frozenset[str] = frozenset()) -> CompressedTriples:
        content = cls(graph, parts, index=index)
        content.add(quads)
        return content.close()

    def add(self, quads: Iterable[ox.Quad]) -> None:
        if self._closed:
            raise ValueError("The content is closed; nothing can be added.")
        # Run for every triple of an import: what the loop reads is bound once.
        parts, all_pending, types, index, indexed = self.parts, self._pending, self.types, self.index, self.indexed
        blank = ox.BlankNode
        for quad in quads:
            subject, predicate, obj = quad.subject, quad.predicate, quad.object
            if predicate == _TYPE_NODE and isinstance(obj, ox.NamedNode):
                types.setdefault(node_key(subject), set()).add(obj.value)
            if not self.has_blank_nodes and (isinstance(subject, blank) or isinstance(obj, blank)):
                self.has_blank_nodes = True
            if index and predicate in index:
                indexed.setdefault(node_key(obj), []).append(quad)
            # hash(), not a digest: parts only ever meet parts made in the same process.
            part = hash(subject) % parts
            pending = all_pending[part]
            pending.append(quad)
            if len(pending) >= _CHUNK:
                self.added += len(pending)
                self._flush(part)

    def close(self) -> CompressedTriples:
        """End the adding; returns the content, for chaining."""
        if not self._closed:
            for part in range(self.parts):
                self.added += len(self._pending[part])
                self._flush(part)
                self._chunks[part].append(self._compressors[part].flush())
            self._compressors = []
            self._closed = True
        return self

    def __len__(self) -> int:
        """Triples added, a triple added twice counted twice."""
        return self.added + sum(len(pending) for pending in self._pending)

    def __iter__(self) -> Iterator[ox.Quad]:
        """Every triple, as a quad of the graph, part after part."""
        graph = self.graph
        for part in range(self.parts):
            for triple in self.part(part):
                yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)

    def part(self, number: int) -> Iterator[ox.Quad]:
        """The triples of one part, as quads of the default graph (each
        once, in the order they first came)."""
        # A triple is written the same way each time it comes (a blank node
        # keeps its label within the content): the lines are told apart
        # as text, which spares hashing each quad.
        lines = dict.fromkeys(self.text(number).split(b"\n"))
        return iter(ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES))

    def text(self, number: int) -> bytes:
        """The N-Triples of one part, duplicates included."""
        self.close()
        return zlib.decompress(b"".join(self._chunks[number]))

    def reader(self, parts: range | None = None) -> BinaryIO:
        """The parts (all, or those in `parts`) as one N-Triples stream, for a bulk loader."""
        return _PartsReader(self, parts or range(self.parts))

    def text_size_of(self, number: int) -> int:
        return self._sizes[number]

    @property
    def compressed_size(self) -> int:
        return sum(len(chunk) for chunks in self._chunks for chunk in chunks)

    def _flush(self, part: int) -> None:
        pending = self._pending[part]
        if pending:
            # pyoxigraph writes N-Triples twice as fast as formatting each here.
            text = ox.serialize([q.triple for q in pending], format=ox.RdfFormat.N_TRIPLES) or b""
            self.text_size += len(text)
            self._sizes[part] += len(text)
            self._chunks[part].append(self._compressors[part].compress(text))
            pending.clear()


class _PartsReader(io.RawIOBase, BinaryIO):
    """The parts' text one after the other, each decompressed when reached."""

    def __init__(self, content: CompressedTriples, parts: range):
        self._texts = (content.text(part) for part in parts)
        self._buffer = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._buffer:
            text = next(self._texts, None)
            if text is None:
                return 0
            self._buffer = memoryview(text)
        n = min(len(buffer), len(self._buffer))
        buffer[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


@dataclass
class PartChange:
    """How one part of the new triples differs from the same part of the
    old: triples without blank nodes compared as they are; those with one
    given apart (blank nodes are named anew by each parse, so only the
    caller can compare them, as a whole). Triples come as quads of the
    default graph, as parts give them."""
    added: set[ox.Quad]
    removed: set[ox.Quad]
    blank_old: list[ox.Quad]
    blank_new: list[ox.Quad]


def changes(old: CompressedTriples, new: CompressedTriples) -> Iterator[PartChange]:
    """Part by part, how `new` differs from `old` (split alike)."""
    if old.parts != new.parts:
        raise ValueError("Only triples split into the same number of parts compare part by part.")
    for number in range(new.parts):
        yield compare(old.part(number), new.part(number))


def compare(old: Iterable[ox.Quad], new: Iterable[ox.Quad]) -> PartChange:
    """How the triples of `new` differ from those of `old` (quads of one
    graph each: parts give the default graph)."""
    old_part, blank_old = _split(old)
    new_part, blank_new = _split(new)
    return PartChange(new_part - old_part, old_part - new_part, blank_old, blank_new)


def _split(quads: Iterable[ox.Quad]) -> tuple[set[ox.Quad], list[ox.Quad]]:
    ground: set[ox.Quad] = set()
    blank: list[ox.Quad] = []
    for quad in quads:
        if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
            blank.append(quad)
        else:
            ground.add(quad)
    return ground, blank
