"""The embedded backend: an Oxigraph store in a directory on this machine.

A write is decided by one small transaction that also bumps the data
version; a reader sees all of the write or none of it, and a crash at any
point leaves either the old or the new data, never a mix:

- a graph the store does not hold yet is bulk-loaded under its own name at
  the speed of Oxigraph's bulk loader, while a marker in the system graph
  keeps it out of every query; the transaction removes the marker;
- a graph that exists gets its new content written to a file beside the
  store first (graph/store/version_files.py); the transaction records that
  the graph is to hold that file's content, and the store then changes the
  graph to it, triple by triple where they differ, in steps of bounded
  size. Readers wait for that (the version they read is the old one until
  it is done); a crash in between is finished when the store is next
  opened. Oxigraph holds a whole transaction in memory, and removing a
  million triples in one took gigabytes; so the big work is kept out of it.

The content a write replaces can be kept (`keep`), as a file in the same
folder, for `restore` (graph/ingest/history.py). Readers work on a copy of
the store (`snapshot`) that never holds those versions.

On open, leftover staging graphs and marked graphs of an interrupted write
are dropped, a recorded write is finished, and files no record names are
removed.
"""
from __future__ import annotations

import io
import itertools
import secrets
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from graph.errors import PartnergraphError, StoreBusy, StoreUnavailable, UpdateRefused, engine_syntax_error
from graph.rdf.compressed import PART_TRIPLES, CompressedTriples, changes
from graph.rdf.namespaces import (
    HISTORY_GRAPH_PREFIX,
    PG,
    STAGING_GRAPH_PREFIX,
    SYSTEM_GRAPH,
    instance_prefixes,
    is_internal_graph,
)
from graph.settings import Settings
from graph.sparql.results import QueryOutput
from graph.sparql.rules import QueryRequest, prepare_query
from graph.store.base import QueryResult, Store, TriplesFile, WriteSummary
from graph.store.known_cheap import PREPARED_ENTRIES, PREPARED_TEXT_MAX
from graph.store.query_workers import QueryJob, QueryRunner
from graph.store.version_files import VersionFiles

_SYSTEM = ox.NamedNode(SYSTEM_GRAPH)
_VERSION = ox.NamedNode(str(PG.dataVersion))
# `<graph> pg:beingLoaded "run"` in the system graph: the graph is still
# being written and must not be shown.
_BEING_LOADED = ox.NamedNode(str(PG.beingLoaded))
# `<graph> pg:pendingContent "file replace|add"`: a write that is decided
# but not finished; the graph is to hold (or be added) the file's content.
_PENDING = ox.NamedNode(str(PG.pendingContent))
# `<urn:x-partnergraph:history:ID> pg:savedContent "ID"`: an earlier
# version kept in the file ID.
_SAVED = ox.NamedNode(str(PG.savedContent))
_DEFAULT = "(default graph)"
# Triples removed per step when a graph is emptied or changed in place.
_STEP = 10_000
# Triples changed between flushes of Oxigraph's write buffer to disk.
_FLUSH_EVERY = 100_000
# Triples a write must add, replace or remove for the store to be compacted after it.
_COMPACT_AFTER = 100_000
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Snapshot:
    """A read-only copy of the store for query workers. `graphs` is None when
    every graph in the copy is published (the union of all its graphs is the
    default graph); otherwise the copy caught a first load halfway and
    `graphs` lists the published graphs, which workers must name."""
    path: str
    graphs: tuple[str, ...] | None = None

    @property
    def version(self) -> str:
        return Path(self.path).name


def read_snapshot(store: ox.Store, sparql: str, prefixes: dict[str, str],
                  graphs: tuple[ox.NamedNode, ...] | None) -> QueryResult:
    """A query over a snapshot: the union of its graphs as the default graph,
    or, where it holds more than the published graphs, those graphs named."""
    try:
        if graphs is None:
            return store.query(sparql, prefixes=prefixes, use_default_graph_as_union=True)
        return store.query(sparql, prefixes=prefixes, default_graph=[ox.DefaultGraph(), *graphs],
                           named_graphs=list(graphs))
    except SyntaxError as error:
        raise engine_syntax_error(str(error)) from None


class EmbeddedStore(Store):
    kind = "embedded"

    def __init__(self, settings: Settings, *, read_only: bool = False):
        super().__init__(settings)
        self.path = Path(settings.store)
        self._prefixes = instance_prefixes(settings.base_iri)
        self._write_lock = threading.Lock()
        self._snapshot_lock = threading.Lock()
        self._opened: ox.Store | None
        try:
            if read_only:
                self._opened = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._opened = ox.Store(str(self.path))
        except OSError as error:
            if "lock" in str(error).lower():
                raise StoreBusy(
                    f"The store in {self.path} is open in another process "
                    "(is `partnergraph serve` running?). Stop that process, or "
                    "point PARTNERGRAPH_STORE at another directory.") from None
            raise
        self._snapshots = self.path.parent / f"{self.path.name}.snapshots"
        self._snapshot_of: dict[str, Snapshot] = {}
        self._files = VersionFiles(self.path.parent / f"{self.path.name}.history")
        self._read_only = read_only
        self._current_reader: tuple[str | None, tuple] = (None, (None, None))
        self._runner: QueryRunner | None = None
        self._prepared: tuple[str | None, dict[tuple[str, str, str], QueryJob]] = (None, {})
        # Cleared while a decided write is being finished: readers wait.
        self._settled = threading.Event()
        self._settled.set()
        self._unfinished: str | None = None
        if read_only:
            if self._pending():
                raise StoreBusy(f"A write to the store in {self.path} is being finished; "
                                "open it again in a moment.")
        else:
            self._drop_staging_leftovers()
            self._version = self._read_version()
            self._finish_pending()
            self._move_history_out()
            self._files.clean(self._kept_files())
            # Snapshots of an earlier run may be of data written since.
            shutil.rmtree(self._snapshots, ignore_errors=True)
        self._version = self._read_version()
        self._graphs = self._published_graphs()

    @property
    def _ox(self) -> ox.Store:
        if self._opened is None:
            raise StoreUnavailable(f"The store in {self.path} has been closed.")
        return self._opened

    # -- reading ---------------------------------------------------------
    def execute(self, request: QueryRequest) -> QueryOutput:
        """In a query worker over the snapshot of the current data version,
        so that the time limit can stop the query and free its CPU."""
        return self._query_runner().run(self._job(request), request.timeout)

    def cheap_query(self, text: str, *, result_format: str = "JSON",
                    graph_format: str = "TURTLE") -> QueryOutput | None:
        # The same small query comes again and again: its prepared job is
        # kept for the data version rather than read and checked each time.
        key = (text, result_format, graph_format)
        version, prepared = self._prepared
        job = prepared.get(key) if version == self._version else None
        if job is None:
            request = prepare_query(text, self.settings, result_format=result_format,
                                    graph_format=graph_format)
            job = self._job(request)
            if len(text) <= PREPARED_TEXT_MAX:
                if version != self._version:
                    prepared = {}
                    self._prepared = (self._version, prepared)
                if len(prepared) >= PREPARED_ENTRIES:
                    prepared.clear()
                prepared[key] = job
        output = self._query_runner().run_if_cheap(job, self.settings.query_timeout)
        if output is not None:
            output.row_limit = job.row_cap
        return output

    def _job(self, request: QueryRequest) -> QueryJob:
        snapshot = self.snapshot()
        default_graphs, named_graphs = request.default_graphs, request.named_graphs
        if snapshot.graphs is not None and request.uses_union:
            # The copy holds a graph still being loaded: name the others.
            default_graphs, named_graphs = ["", *snapshot.graphs], list(snapshot.graphs)
        return QueryJob(
            snapshot=snapshot.path, query=request.text,
            result_format=request.result_format, graph_format=request.graph_format,
            prefixes=self._prefixes, base_iri=self.settings.base_iri,
            default_graph=default_graphs, named_graphs=named_graphs,
            union_default=default_graphs is None and named_graphs is None
            and not request.has_dataset,
            bindings=request.bindings, row_cap=request.row_limit)

    def _query_runner(self) -> QueryRunner:
        with self._snapshot_lock:
            if self._runner is None:
                self._runner = QueryRunner(self.settings.query_workers)
            return self._runner

    def query(self, sparql: str) -> QueryResult:
        """Answered from the snapshot of the current data version, where the
        union of all graphs is the default graph: Oxigraph answers that four
        to five times faster than the same query over a list of graphs, which
        the live store needs to leave its bookkeeping graphs out."""
        store, graphs = self._reader()
        return read_snapshot(store, sparql, self._prefixes, graphs)

    def ping(self) -> None:
        # The live store, not the snapshot: taking the first snapshot of a
        # new data version (a second at a million triples) is no health check.
        self._ox.query("ASK {}")

    def _reader(self) -> tuple[ox.Store, tuple[ox.NamedNode, ...] | None]:
        """The store to read and, when it holds more than the published
        graphs, the graphs to name."""
        if self._read_only:
            return self._ox, self._graphs
        version, reader = self._current_reader
        if version != self._version:
            snapshot = self.snapshot()
            with self._snapshot_lock:
                version, reader = self._current_reader
                if version != snapshot.version:
                    graphs = (None if snapshot.graphs is None
                              else tuple(ox.NamedNode(g) for g in snapshot.graphs))
                    reader = (ox.Store.read_only(snapshot.path), graphs)
                    self._current_reader = (snapshot.version, reader)
        return reader

    def graphs(self) -> dict[str, int]:
        self._settled.wait()
        return {graph.value: self._count(graph) for graph in self._graphs}

    def graph_names(self) -> list[str]:
        return [g.value for g in self._graphs]

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        self._settled.wait()
        wanted: list[ox.NamedNode | ox.DefaultGraph] = (
            [ox.NamedNode(graph)] if graph else [ox.DefaultGraph(), *self._graphs])
        for name in wanted:
            yield from self._ox.quads_for_pattern(None, None, None, name)

    def is_empty(self) -> bool:
        return next(iter(self._ox.quads_for_pattern(None, None, None, None)), None) is None

    @property
    def data_version(self) -> str:
        return self._version

    def snapshot(self) -> Snapshot:
        """A directory holding a read-only copy of the store as it is now, for
        the query workers in other processes and for this process's own
        reads. One per data version; it costs hard links and a compaction of
        the copy, not a copy. Older ones stay while a reader may still use them.

        The copy holds the published graphs only: with the bookkeeping graphs
        gone, workers can take the union of all graphs as the default graph,
        which Oxigraph answers several times faster than a list of graphs.

        Not under the write lock, so that a long load does not hold up queries:
        a snapshot taken while a write is staging shows the data as it was,
        and one taken just as the write lands shows the newer data, which is
        no harm. While a decided write is being finished, the store is
        neither the old data nor the new: a new snapshot waits for it."""
        while True:
            self._settled.wait()
            with self._snapshot_lock:
                if self._settled.is_set():
                    return self._take_snapshot()

    def _take_snapshot(self) -> Snapshot:
        self._usable()
        target = self._snapshots / self._version
        if target.is_dir():
            # Made by another opening of this folder (a read-only one
            # beside a server), whose graph list is not known here.
            return self._snapshot_of.get(target.name) or Snapshot(str(target))
        self._snapshots.mkdir(parents=True, exist_ok=True)
        partial = self._snapshots / f".partial-{uuid.uuid4().hex}"
        self._ox.backup(str(partial))
        published = _drop_bookkeeping(partial)
        partial.rename(target)
        self._snapshot_of[target.name] = Snapshot(str(target), published)
        self._prune_snapshots(keep=3)
        return self._snapshot_of[target.name]

    def _prune_snapshots(self, keep: int) -> None:
        """Remove snapshots past the newest `keep`, once they have been out of
        date long enough for any query still reading them to have ended: a
        reader opens its files as it goes, and a folder removed under it
        fails the query. The time limit bounds the workers' queries; pages
        read the newest snapshot and move on with the next version."""
        done = sorted(((p.stat().st_mtime, p) for p in self._snapshots.iterdir()
                       if not p.name.startswith(".")), reverse=True)
        grace = self.settings.query_timeout + 30
        now = time.time()
        for (superseded, _), (_, old) in zip(done[keep - 1:], done[keep:]):
            if now - superseded > grace:
                shutil.rmtree(old, ignore_errors=True)
                self._snapshot_of.pop(old.name, None)

    def rdflib_dataset(self):
        """The same data as an rdflib Dataset (through oxrdflib), for code that
        speaks rdflib; the default graph is the union. It is a live view of the
        whole store, so it also shows the store's bookkeeping graph."""
        import rdflib
        from oxrdflib import OxigraphStore
        return rdflib.Dataset(store=OxigraphStore(store=self._ox), default_union=True)

    # -- writing ---------------------------------------------------------
    def update(self, sparql: str) -> str:
        with self._write_lock:
            self._usable()
            statement = sparql.rstrip().rstrip(";")
            try:
                self._ox.update(statement + " ;\n" + self._bump_version(),
                                prefixes=self._prefixes)
            except SyntaxError as error:
                raise engine_syntax_error(str(error)) from None
            except RuntimeError as error:
                # Oxigraph's refusals (CREATE GRAPH of a graph that exists,
                # DROP GRAPH of one that does not) come as RuntimeError.
                raise UpdateRefused(f"The update was refused: {error}") from None
            self._after_write()
            version = self._version
        self._ready_for_readers()
        return version

    def write_quads(self, batches: Iterable[Iterable[ox.Quad]], *,
                    replace: bool = True, graphs: Iterable[str] = (),
                    add: Iterable[ox.Quad] = (), keep: Mapping[str, str] | None = None,
                    progress: Progress | None = None) -> WriteSummary:
        with self._write_lock:
            self._usable()
            run = uuid.uuid4().hex
            existing = set(self._ox.named_graphs())
            fresh: dict[str, ox.NamedNode] = {}
            # Graphs that exist: their new content goes to a file first.
            pending: dict[str, _PendingFile] = {}
            marker = ox.Literal(run)
            kept: dict[str, str] = {}

            def node_of(key: str) -> ox.NamedNode | ox.DefaultGraph:
                return ox.NamedNode(key) if key else ox.DefaultGraph()

            def fresh_graph(key: str) -> bool:
                """Whether the key's graph is new (bulk-loaded in place),
                marking it so before its first quad."""
                if key in fresh:
                    return True
                if key in pending or not key or ox.NamedNode(key) in existing:
                    if key not in pending:
                        pending[key] = _PendingFile(self._files, f"pending-{run}-{len(pending)}")
                    return False
                # Marked before its first quad, so that neither a query nor
                # a crash ever takes the half-written graph for data.
                self._ox.add(ox.Quad(ox.NamedNode(key), _BEING_LOADED, marker, _SYSTEM))
                fresh[key] = ox.NamedNode(key)
                return True

            def route(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
                """The quads of new graphs, for the bulk loader; the others
                go to their graph's file on the way."""
                for quad in quads:
                    name = quad.graph_name
                    key = name.value if isinstance(name, ox.NamedNode) else ""
                    if fresh_graph(key):
                        yield quad
                    else:
                        pending[key].write(quad)

            if isinstance(batches, list | tuple):
                # Progress over all of them, where their sizes are known.
                total = sum(b.size for b in batches if isinstance(b, TriplesFile))
            else:
                total = 0
            loaded = [0]
            try:
                kept = self._keep(keep or {}, existing, progress)
                for name in graphs:
                    # "" names the store's own default graph. Only graphs that
                    # exist need a step: a new graph with no quads stays absent.
                    if name == "" or ox.NamedNode(name) in existing:
                        fresh_graph(name)
                for batch in batches:
                    if isinstance(batch, TriplesFile) and fresh_graph(batch.graph):
                        self._bulk_load(batch, fresh[batch.graph], progress, loaded, total)
                    elif isinstance(batch, _SavedFile) and pending[batch.graph].empty:
                        pending[batch.graph].take(batch.version)
                    else:
                        self._ox.bulk_extend(route(batch))
                for file in pending.values():
                    file.close()
                steps = [f"DELETE WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{ ?g <{_BEING_LOADED.value}> \"{run}\" }} }}"]
                system = [ox.Quad(ox.NamedNode(key) if key else _SYSTEM, _PENDING,
                                  ox.Literal(f"{file.name} {'replace' if replace else 'add'}"
                                             + ("" if key else " default")), _SYSTEM)
                          for key, file in pending.items()]
                system += [ox.Quad(ox.NamedNode(HISTORY_GRAPH_PREFIX + version), _SAVED,
                                   ox.Literal(version), _SYSTEM) for version in kept.values()]
                steps += [_insert_data([*system, *add])]
                steps.append(self._bump_version())
                with self._snapshot_lock:
                    # No snapshot is under way, and none starts until the write is finished.
                    self._settled.clear()
                self._ox.update(" ;\n".join(step for step in steps if step))
            except BaseException:
                self._settled.set()
                for graph in fresh.values():
                    self._drop(graph)
                self._clear_markers(run)
                for file in pending.values():
                    file.discard()
                for version in kept.values():
                    self._files.remove(version)
                raise
            try:
                changed = self._finish_pending(progress, kept)
                # Counted once: counting a big graph reads all of it.
                fresh_counts = {key: self._count(graph) for key, graph in fresh.items()}
                # A new graph counts too: the bulk loader leaves its files
                # overlapping, which made reads four to six times slower at
                # 10 M triples until they were merged. Left to the next
                # snapshot, that merge (18 s there) held up the first query
                # after the write or the start; here readers go on with the
                # previous version while it runs.
                changed += sum(fresh_counts.values())
                if changed >= _COMPACT_AFTER:
                    self._compact(progress)
                # Readers read the old version until here, and wait for the new one.
                self._after_write()
            except BaseException as error:
                self._unfinished = str(error)
                raise StoreUnavailable(
                    f"A write to the store in {self.path} was recorded but could not be "
                    f"finished ({error}); it is finished when the store is next opened: "
                    "restart the service or the command.") from error
            finally:
                self._settled.set()
            counts = {key or _DEFAULT: fresh_counts[key] if key in fresh_counts else self._count(node_of(key))
                      for key in [*fresh, *pending]}
            for name in graphs:
                counts.setdefault(name or _DEFAULT, 0)
            summary = WriteSummary(graphs=counts, data_version=self._version, replaced=replace)
        self._ready_for_readers()
        return summary

    def saved(self, version: str, graph: str) -> Iterable[ox.Quad]:
        """The kept content as a batch that the bulk loader reads from its
        file, or, for a graph that exists, that write_quads takes over as is."""
        if not self._files.exists(version):
            raise PartnergraphError(
                f"The content of version {version} is not kept any more (no file "
                f"{self._files.path(version)}); it cannot be restored.")
        opener = self._files.opener(version)

        def parsed() -> Iterator[ox.Quad]:
            target = ox.NamedNode(graph)
            with opener() as handle:
                for quad in ox.parse(handle, format=ox.RdfFormat.N_TRIPLES):
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, target)

        return _SavedFile(open=opener, format=ox.RdfFormat.N_TRIPLES, graph=graph,
                          base_iri=self.settings.base_iri, parsed=parsed,
                          syntax_error=lambda error: error, version=version)

    def _keep(self, keep: Mapping[str, str], existing: set, progress: Progress | None) -> dict[str, str]:
        """Write the content of the graphs in `keep` that exist to their files."""
        kept: dict[str, str] = {}
        for graph, version in keep.items():
            node = ox.NamedNode(graph)
            if node not in existing:
                continue
            total = self._count(node)
            with self._files.writing(version) as out:
                self._ox.dump(_CountingWriter(out, "saving", total, progress),
                              format=ox.RdfFormat.N_TRIPLES, from_graph=node)
            kept[graph] = version
        return kept

    def _finish_pending(self, progress: Progress | None = None,
                        kept: Mapping[str, str] | None = None) -> int:
        """Make each graph a recorded write left pending hold its new content,
        then drop the record and the file. Run again after a crash, it
        carries on from where the graph stands. Returns about how many
        triples it added and removed. `kept` names, by graph, the file the
        write just saved its content to (an undo empties a graph by it)."""
        changed = 0
        for quad in self._pending():
            assert isinstance(quad.object, ox.Literal)
            name, mode, *where = quad.object.value.split(" ")
            graph = ox.DefaultGraph() if where else quad.subject
            assert isinstance(graph, ox.NamedNode | ox.DefaultGraph)
            if mode == "add":
                changed += self._load_file(name, graph, progress)
            else:
                copy = (kept or {}).get(graph.value) if isinstance(graph, ox.NamedNode) else None
                changed += self._replace_content(graph, name, progress, copy)
            self._ox.remove(quad)
            self._files.remove(name)
        return changed

    def _compact(self, progress: Progress | None) -> None:
        """Merge the store's files after a large write. A bulk load leaves
        files side by side and removals leave markers, which every reader
        would otherwise walk over, and the next process (a command right after
        an undo) would compact them itself, for a minute: it is done here,
        once, as part of the write."""
        if progress is not None:
            progress("compacting", 0, 1)
        self._ox.optimize()
        # And written out: a log to replay would slow the next opening.
        self._ox.flush()
        if progress is not None:
            progress("compacting", 1, 1)

    def _replace_content(self, graph: ox.NamedNode | ox.DefaultGraph, name: str,
                         progress: Progress | None, copy: str | None = None) -> int:
        """Change `graph` to the content of file `name`: only the triples
        that differ are removed and added, a part at a time. `copy` names a
        file that holds the graph's present content, if one does."""
        old_count = self._count(graph)
        if not old_count:
            return self._load_file(name, graph, progress)
        with self._files.opener(name)() as handle:
            new_count = sum(1 for _ in ox.parse(handle, format=ox.RdfFormat.N_TRIPLES))
        if not new_count:
            if copy is not None and isinstance(graph, ox.NamedNode):
                self._delete_listed(graph, copy, old_count, progress)
            self._empty(graph, old_count, progress)
            if isinstance(graph, ox.NamedNode):
                # An empty graph is no graph: gone from the list, as it was before.
                self._ox.remove_graph(graph)
            return old_count
        parts = (old_count + new_count) // PART_TRIPLES + 1
        old, new = CompressedTriples(None, parts), CompressedTriples(None, parts)
        old.add(self._ox.quads_for_pattern(None, None, None, graph))
        with self._files.opener(name)() as handle:
            new.add(ox.parse(handle, format=ox.RdfFormat.N_TRIPLES))
        old.close()
        new.close()
        if old.has_blank_nodes or new.has_blank_nodes:
            # A blank node of the file is no node of the store: replace whole.
            self._empty(graph, old_count, progress)
            return old_count + self._load_file(name, graph, progress)
        added: list[ox.Quad] = []
        changed = 0
        flushing = _Flushing(self._ox)
        for number, change in enumerate(changes(old, new), start=1):
            for triple in change.removed:
                self._ox.remove(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
            added += [ox.Quad(t.subject, t.predicate, t.object, graph) for t in change.added]
            changed += len(change.removed) + len(change.added)
            if len(added) >= _STEP:
                self._ox.extend(added)
                added = []
            flushing.changed(changed)
            if progress is not None:
                progress("writing", number, parts)
        self._ox.extend(added)
        return changed

    def _delete_listed(self, graph: ox.NamedNode, name: str, total: int, progress: Progress | None) -> None:
        """Remove from `graph` the triples file `name` lists, as DELETE DATA
        a step at a time: Oxigraph reads the text itself, which takes a
        third less time than removing quads one by one from Python. Lines
        with a blank node (which DELETE DATA cannot name) are left, as is a
        step Oxigraph will not read: the caller removes what is left."""
        flushing = _Flushing(self._ox)
        done = 0
        with self._files.opener(name)() as handle:
            while step := list(itertools.islice(handle, _STEP)):
                lines = b"".join(line for line in step if b"_:" not in line).decode("utf-8")
                try:
                    self._ox.update(f"DELETE DATA {{ GRAPH {graph} {{\n{lines}}} }}")
                except SyntaxError:
                    pass
                done += len(step)
                flushing.changed(done)
                if progress is not None:
                    progress("writing", min(done, total), total)

    def _empty(self, graph: ox.NamedNode | ox.DefaultGraph, total: int, progress: Progress | None) -> None:
        """Remove every triple of the graph, a step at a time (one iterator:
        starting again from the top would walk over what was removed)."""
        quads = self._ox.quads_for_pattern(None, None, None, graph)
        flushing = _Flushing(self._ox)
        done = 0
        while step := list(itertools.islice(quads, _STEP)):
            for quad in step:
                self._ox.remove(quad)
            done += len(step)
            flushing.changed(done)
            if progress is not None:
                progress("writing", done, total)

    def _load_file(self, name: str, graph: ox.NamedNode | ox.DefaultGraph, progress: Progress | None) -> int:
        size = self._files.size(name)
        before = self._count(graph)
        with self._files.opener(name)() as handle:
            reader = _CountingReader(handle, "writing", size, progress, compressed=True)
            self._ox.bulk_load(reader, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        return self._count(graph) - before

    def _pending(self) -> list[ox.Quad]:
        return list(self._ox.quads_for_pattern(None, _PENDING, None, _SYSTEM))

    def _kept_files(self) -> set[str]:
        """The files records name: kept versions and pending content."""
        names = {q.object.value for q in self._ox.quads_for_pattern(None, _SAVED, None, _SYSTEM)
                 if isinstance(q.object, ox.Literal)}
        names |= {q.object.value.split(" ")[0] for q in self._pending() if isinstance(q.object, ox.Literal)}
        return names

    def _move_history_out(self) -> None:
        """Stores made before versions were kept in files held them in hidden
        graphs, which every snapshot had to drop: move them to files."""
        for graph in list(self._ox.named_graphs()):
            if not (isinstance(graph, ox.NamedNode) and graph.value.startswith(HISTORY_GRAPH_PREFIX)):
                continue
            version = graph.value[len(HISTORY_GRAPH_PREFIX):]
            marker = ox.Quad(graph, _SAVED, ox.Literal(version), _SYSTEM)
            if not (self._files.exists(version) and marker in self._ox):
                # Not yet, or not whole: an earlier move may have stopped emptying the graph.
                with self._files.writing(version) as out:
                    self._ox.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
                self._ox.add(marker)
            self._drop(graph)

    def _usable(self) -> None:
        if self._unfinished is not None:
            raise StoreUnavailable(
                f"A write to the store in {self.path} could not be finished ({self._unfinished}); "
                "restart the service or the command, which finishes it.")

    def _bulk_load(self, batch: TriplesFile, graph: ox.NamedNode, progress: Progress | None,
                   loaded: list[int], total: int) -> None:
        """A whole file parsed by Oxigraph itself, which is as fast as loading
        gets: no quad crosses into Python. It renames blank nodes, as parsing
        for `bulk_extend` does, so two files' _:b1 stay apart. `loaded`
        holds the bytes loaded so far of `total`, for progress."""
        with batch.open() as reader:
            counting = _CountingReader(reader, "writing", total or batch.size, progress,
                                       offset=loaded[0])
            try:
                self._ox.bulk_load(counting, format=batch.format, base_iri=batch.base_iri,
                                   to_graph=graph)
            except SyntaxError as error:
                raise batch.syntax_error(error) from None
            loaded[0] += counting.done

    def close(self) -> None:
        self._derived.close()
        if self._runner is not None:
            self._runner.close()
            self._runner = None
        # pyoxigraph releases the directory lock when the object is freed.
        self._opened = None
        self._current_reader = (None, (None, None))
        # This process's readers and workers are gone: so may its snapshots be
        # (a crash leaves them to the next opening, which removes them).
        with self._snapshot_lock:
            for name in list(self._snapshot_of):
                shutil.rmtree(self._snapshots / name, ignore_errors=True)
            self._snapshot_of.clear()
            if self._snapshots.is_dir() and not any(self._snapshots.iterdir()):
                self._snapshots.rmdir()

    # -- internals -------------------------------------------------------
    def _count(self, graph: ox.NamedNode | ox.DefaultGraph) -> int:
        result = self._ox.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                default_graph=graph)
        assert isinstance(result, ox.QuerySolutions)
        return int(next(iter(result))["n"].value)

    def _published_graphs(self) -> tuple[ox.NamedNode, ...]:
        return tuple(sorted(
            (g for g in self._ox.named_graphs()
             if isinstance(g, ox.NamedNode) and not is_internal_graph(g.value)),
            key=lambda g: g.value))

    def _read_version(self) -> str:
        for quad in self._ox.quads_for_pattern(_SYSTEM, _VERSION, None, _SYSTEM):
            # _bump_version writes the version, always as a literal.
            assert isinstance(quad.object, ox.Literal)
            return quad.object.value
        return "0"

    def _bump_version(self) -> str:
        counter = int(self._version.split("-", 1)[0]) + 1
        # The random part keeps versions from two stores (or a store rebuilt
        # from scratch) from ever looking alike to a cache.
        self._pending_version = f"{counter}-{secrets.token_hex(4)}"
        return (f"DELETE WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{ <{SYSTEM_GRAPH}> <{_VERSION.value}> ?v }} }} ;\n"
                f"INSERT DATA {{ GRAPH <{SYSTEM_GRAPH}> {{ <{SYSTEM_GRAPH}> <{_VERSION.value}> "
                f"\"{self._pending_version}\" }} }}")

    def _ready_for_readers(self) -> None:
        """In the service, the new data version's snapshot is taken before the
        write answers: the writer waits for it (a second or more at a million
        triples), not the first reader after the write, who is most often
        the person who wrote, opening a page to see it."""
        if self.settings.derived_background:
            self.snapshot()

    def _after_write(self) -> None:
        self._version = self._pending_version
        self._graphs = self._published_graphs()
        self._derived.refresh()

    def _drop_staging_leftovers(self) -> None:
        for graph in list(self._ox.named_graphs()):
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(STAGING_GRAPH_PREFIX):
                self._drop(graph)
        for quad in list(self._ox.quads_for_pattern(None, _BEING_LOADED, None, _SYSTEM)):
            # Only a graph name is ever marked (see write_quads).
            assert isinstance(quad.subject, ox.NamedNode)
            self._drop(quad.subject)
            self._ox.remove(quad)

    def _drop(self, graph: ox.NamedNode) -> None:
        """Remove a graph in bounded steps: Oxigraph's own removal of a graph
        is one transaction, which for a million triples held two gigabytes."""
        self._empty(graph, 0, None)
        self._ox.remove_graph(graph)

    def _clear_markers(self, run: str) -> None:
        for quad in list(self._ox.quads_for_pattern(None, _BEING_LOADED, ox.Literal(run), _SYSTEM)):
            self._ox.remove(quad)


def _drop_bookkeeping(path: Path) -> tuple[str, ...] | None:
    """Drop the bookkeeping graphs from the copy in `path`. Returns None when
    every graph left is published, else the published ones (the copy caught
    a first load halfway: that graph stays, as dropping it could take as long
    as loading it, and workers leave it out by naming the others)."""
    copy = ox.Store(str(path))
    loading = {q.subject for q in copy.quads_for_pattern(None, _BEING_LOADED, None, _SYSTEM)}
    for graph in list(copy.named_graphs()):
        if isinstance(graph, ox.NamedNode) and is_internal_graph(graph.value):
            copy.remove_graph(graph)
    published = None
    if loading:
        published = tuple(sorted(g.value for g in copy.named_graphs() if g not in loading))
    # Compacting the copy merges the files that bulk loads, transactions and
    # the drops above left side by side: reads then look in fewer places
    # (the twin-town data's heavy queries run about 15 % faster). It costs a
    # fraction of a second per data version, and touches only the copy.
    copy.optimize()
    copy.flush()
    # Dropping the last reference closes the copy and frees its lock for the workers.
    del copy
    return published


class _Flushing:
    """Told how many triples a change has removed or added so far, writes
    Oxigraph's in-memory buffer to disk every _FLUSH_EVERY of them: it
    otherwise grows with every removal (800 MB for a million)."""

    def __init__(self, store: ox.Store):
        self.store, self.next = store, _FLUSH_EVERY

    def changed(self, done: int) -> None:
        if done >= self.next:
            self.store.flush()
            self.next = done + _FLUSH_EVERY


def _insert_data(quads: list[ox.Quad]) -> str:
    if not quads:
        return ""
    body = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}"
                     if isinstance(q.graph_name, ox.NamedNode)
                     else f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    return f"INSERT DATA {{ {body} }}"


@dataclass(frozen=True)
class _SavedFile(TriplesFile):
    """A kept version as a batch: write_quads takes its file over as the
    new content of a graph that exists, instead of copying it."""
    version: str = ""


class _PendingFile:
    """The new content of a graph that exists, written to a file beside the
    store (opened on the first triple)."""

    def __init__(self, files: VersionFiles, name: str):
        self.files, self.name = files, name
        self._out: BinaryIO | None = None
        self._lines: list[str] = []
        self._taken = False

    def write(self, quad: ox.Quad) -> None:
        self._lines.append(f"{quad.subject} {quad.predicate} {quad.object} .\n")
        if len(self._lines) >= 4096:
            self._flush()

    def take(self, version: str) -> None:
        """The kept version's file, as it is, for the content."""
        self.files.link(version, self.name)
        self._taken = True

    @property
    def empty(self) -> bool:
        return self._out is None and not self._lines and not self._taken

    def close(self) -> None:
        if self._taken:
            return
        self._flush(force=True)
        assert self._out is not None
        self._out.close()

    def discard(self) -> None:
        if self._out is not None and not self._out.closed:
            self._out.abort()  # type: ignore[attr-defined]  # a ContentWriter
        self.files.remove(self.name)

    def _flush(self, force: bool = False) -> None:
        if self._out is None and (self._lines or force):
            self._out = self.files.writer(self.name)  # type: ignore[assignment]  # writes as a binary file
        if self._lines:
            assert self._out is not None
            self._out.write("".join(self._lines).encode())
            self._lines.clear()


class _CountingWriter(io.RawIOBase, BinaryIO):
    """Passes writes on, telling `progress` how many lines (triples) are written."""

    def __init__(self, out: BinaryIO, stage: str, total: int, progress: Progress | None):
        self._out, self._stage, self._total, self._progress = out, stage, total, progress
        self._lines = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._out.write(data)
        if self._progress is not None:
            self._lines += bytes(data).count(b"\n")
            self._progress(self._stage, self._lines, self._total)
        return len(data)


class _CountingReader(io.RawIOBase, BinaryIO):
    """Passes reads on, telling `progress` how far they are: bytes of
    `total`, or with `compressed`, of the compressed file under a gzip one."""

    def __init__(self, raw, stage: str, total: int, progress: Progress | None, *,
                 compressed: bool = False, offset: int = 0):
        self._raw, self._stage, self._total, self._progress = raw, stage, total, progress
        self._compressed, self._offset = compressed, offset
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.done += n
        if n and self._progress is not None:
            done = self._offset + (self._raw.fileobj.tell() if self._compressed else self.done)
            self._progress(self._stage, done, max(self._total, done))
        return n
