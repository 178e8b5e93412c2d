"""One data version of the embedded store, read by a process other than the
service's (the analysis process) from its own hard-linked copy of that
version's snapshot.

Its own copy, because the store prunes superseded snapshots once queries on
them must have ended, and building the analysis of a large graph takes
longer than that; hard links make the copy cost nothing, and the files stay
as long as the copy does.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from graph.errors import PartnergraphError
from graph.rdf.namespaces import instance_prefixes
from graph.settings import Settings
from graph.sparql.results import QueryOutput
from graph.sparql.rules import QueryRequest
from graph.store.base import QueryResult, Store, WriteSummary
from graph.store.embedded import read_snapshot


class ReadOnlySnapshot(PartnergraphError):
    """A write or a protocol query was asked of a snapshot reader."""


def link_copy(snapshot: str, target: Path) -> Path:
    """`snapshot`'s files hard-linked into `target` (made here)."""
    target.mkdir(parents=True)
    for entry in Path(snapshot).iterdir():
        if entry.is_file():
            os.link(entry, target / entry.name)
    return target


class SnapshotReader(Store):
    kind = "snapshot"

    def __init__(self, settings: Settings, folder: Path, version: str,
                 graphs: tuple[str, ...] | None = None):
        # Whoever reads a snapshot waits for its own builds: nothing else
        # would build them in the background.
        super().__init__(replace(settings, derived_background=False))
        self.folder = folder
        self._version = version
        self._prefixes = instance_prefixes(settings.base_iri)
        self._ox: ox.Store | None = ox.Store.read_only(str(folder))
        self._graphs = None if graphs is None else tuple(ox.NamedNode(g) for g in graphs)

    @property
    def _store(self) -> ox.Store:
        if self._ox is None:
            raise ReadOnlySnapshot(f"The snapshot in {self.folder} has been closed.")
        return self._ox

    def query(self, sparql: str) -> QueryResult:
        return read_snapshot(self._store, sparql, self._prefixes, self._graphs)

    def execute(self, request: QueryRequest) -> QueryOutput:
        raise ReadOnlySnapshot("A snapshot reader answers the library's own queries only.")

    def graphs(self) -> dict[str, int]:
        names = self._graphs if self._graphs is not None else tuple(
            g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))
        return {g.value: sum(1 for _ in self._store.quads_for_pattern(None, None, None, g))
                for g in names}

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        if graph:
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            return
        for name in self.graphs():
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(name))

    def is_empty(self) -> bool:
        return next(iter(self._store.quads_for_pattern(None, None, None, None)), None) is None

    @property
    def data_version(self) -> str:
        return self._version

    def update(self, sparql: str) -> str:
        raise ReadOnlySnapshot("A snapshot cannot be written to.")

    def write_quads(self, batches: Iterable[Iterable[ox.Quad]], *, replace: bool = True,
                    graphs: Iterable[str] = (), add: Iterable[ox.Quad] = (),
                    keep: Mapping[str, str] | None = None,
                    progress: Callable[[str, int, int], None] | None = None) -> WriteSummary:
        raise ReadOnlySnapshot("A snapshot cannot be written to.")

    def saved(self, version: str, graph: str) -> Iterable[ox.Quad]:
        raise ReadOnlySnapshot("A snapshot keeps no earlier versions.")

    def close(self) -> None:
        """Close the copy and remove its links (the snapshot's own files stay)."""
        self._ox = None
        shutil.rmtree(self.folder, ignore_errors=True)
