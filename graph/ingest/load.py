"""Loading RDF files into the store: all files of one call land together or
not at all, each in its named graph, replacing what that graph held."""
from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from graph.errors import InputFileError, ParseError
from graph.ingest.progress import Progress
from graph.iris import graph_for
from graph.rdf.formats import rdf_format_for
from graph.store.base import Store, TriplesFile, WriteSummary


def load_files(store: Store, paths: Sequence[str | Path], graph: str | None = None, *,
               replace: bool = True, progress: bool | None = False) -> WriteSummary:
    """Parse `paths` and write them to the store in one transaction.

    Triples go to `graph`, or else to the graph named after each file
    (`<base>graph/<stem>`); quads in TriG, N-Quads or JSON-LD keep their
    graphs. With `replace` (the default) each graph written is replaced
    whole; otherwise the triples are added. A missing file, an unknown
    extension or a syntax error anywhere leaves the store as it was.
    `progress`: True shows a bar on stderr, None shows one if stderr is a
    terminal, False never."""
    files = [Path(p) for p in paths]
    if not files:
        raise InputFileError("No file to load was given.")
    if graph is not None:
        _check_graph_iri(graph)
    formats = {path: rdf_format_for(path) for path in _existing(files)}
    total = sum(path.stat().st_size for path in files)
    bar = Progress(total, label="loading", enabled=progress)
    targets = [graph or graph_for(path, store.base_iri) for path in files]
    batches = (_batch(path, formats[path], target, store.base_iri, bar,
                      forced=graph is not None)
               for path, target in zip(files, targets))
    summary = store.write_quads(batches, replace=replace, graphs=set(targets))
    bar.finish()
    return summary


def parse_file(path: Path, base_iri: str) -> Iterator[ox.Quad]:
    """Every quad of one file (triples in the default graph), with syntax
    errors raised as ParseError naming the file, line and column."""
    fmt = rdf_format_for(path)
    with path.open("rb") as handle:
        yield from _parsed(path, handle, fmt, base_iri)


def parse_bytes(data: bytes, fmt: ox.RdfFormat, base_iri: str, *,
                source: str) -> Iterator[ox.Quad]:
    """Every quad of RDF text held in memory (an HTTP body), with syntax
    errors raised as ParseError naming `source`, line and column."""
    yield from _parsed(source, io.BytesIO(data), fmt, base_iri)


def _batch(path: Path, fmt: ox.RdfFormat, target: str, base_iri: str, bar: Progress, *,
           forced: bool) -> Iterable[ox.Quad]:
    def quads():
        return _quads(path, fmt, target, base_iri, bar, forced=forced)

    if fmt.supports_datasets:
        return quads()
    return TriplesFile(open=lambda: _CountingReader(path.open("rb"), bar.advance),
                       format=fmt, graph=target, base_iri=base_iri, parsed=quads,
                       syntax_error=lambda error: _parse_error(path, error))


def _quads(path: Path, fmt: ox.RdfFormat, target: str, base_iri: str,
           bar: Progress, *, forced: bool) -> Iterator[ox.Quad]:
    target_node = ox.NamedNode(target)
    with path.open("rb") as raw:
        reader = _CountingReader(raw, bar.advance)
        for quad in _parsed(path, reader, fmt, base_iri):
            name = quad.graph_name
            if isinstance(name, ox.DefaultGraph):
                name = target_node
            elif forced:
                raise InputFileError(
                    f"{path} puts triples in its own graph <{name.value}>; --graph "
                    "can only be used with files whose triples are all in the "
                    "default graph. Leave out --graph to keep the file's graphs.")
            yield ox.Quad(quad.subject, quad.predicate, quad.object, name)


def _parsed(path: Path | str, handle, fmt: ox.RdfFormat, base_iri: str) -> Iterator[ox.Quad]:
    try:
        # Blank nodes are renamed so that two files' _:b1 never merge.
        yield from ox.parse(handle, format=fmt, base_iri=base_iri,
                            rename_blank_nodes=True)
    except SyntaxError as error:
        raise _parse_error(path, error) from None
    except UnicodeDecodeError as error:
        raise ParseError(f"the text is not valid UTF-8 ({error.reason})",
                         source=str(path)) from None


def _parse_error(path: Path | str, error: SyntaxError) -> ParseError:
    message = str(error.msg if hasattr(error, "msg") else error)
    # pyoxigraph starts its messages with "Parser error at line L column C: ".
    if message.startswith("Parser error at "):
        message = message.split(": ", 1)[-1]
    return ParseError(message, source=str(path), line=error.lineno, column=error.offset)


def _existing(files: Iterable[Path]) -> list[Path]:
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise InputFileError("No such file: " + ", ".join(missing))
    return list(files)


def _check_graph_iri(iri: str) -> None:
    try:
        node = ox.NamedNode(iri)
    except ValueError as error:
        raise InputFileError(f"--graph {iri!r} is not a valid IRI: {error}") from None
    if ":" not in node.value:
        raise InputFileError(f"--graph {iri!r} must be an absolute IRI, such as "
                             "https://example.org/graph/partners")


class _CountingReader(io.RawIOBase, BinaryIO):
    """A binary reader that reports how many bytes were read, for progress.
    A BinaryIO too, as io.FileIO is to type checkers, so that it can go
    wherever a binary file can."""

    def __init__(self, raw, on_read):
        self._raw = raw
        self._on_read = on_read

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._raw.close()
        super().close()

    def readinto(self, buffer) -> int:
        n = self._raw.readinto(buffer)
        if n:
            self._on_read(n)
        return n
