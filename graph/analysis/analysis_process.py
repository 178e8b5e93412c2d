"""The service's analysis in a process of its own.

The analysis works on a model of the whole graph (graph.views.network,
graph.analysis.projection): about 900 MB and minutes of CPU at a million
triples. Built in the web process, it held the interpreter's lock through
every page's request while it was being built, and the process's memory grew
with the graph. Here it is built and kept in another process, which reads
the data version's snapshot; pages ask it questions by name
(graph.analysis.questions) and get plain answers back, so the web process
holds only what a page shows.

The process starts with a fresh interpreter (the web process holds the store
open and runs threads: no fork) and talks over a socket pair, as the query
workers do. It keeps, per language, the analysis last built and the one
being built; a handle asking for one since dropped, or after the process
ended, is told so (AnalysisLost) and the page says the analysis is being
built. The process ends when the web process does (its end of the socket
closes).
"""
from __future__ import annotations

import itertools
import os
import pickle
import shutil
import subprocess
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.analysis.centrality import centrality
from graph.analysis.communities import communities
from graph.analysis.projection import load_projection
from graph.analysis.questions import Analysis
from graph.analysis.similarity import similarity_index
from graph.analysis.stats import statistics
from graph.errors import PartnergraphError
from graph.settings import Settings
from graph.store.base import Store
from graph.store.open import open_store
from graph.store.query_workers import start_python
from graph.store.snapshot_reader import SnapshotReader, link_copy

# Worked out when the analysis is built, so that no page waits for one.
MEASURES = (centrality, communities, statistics, similarity_index)

BUILD_NICENESS = 10

# How the process ends when it outgrows its memory (PARTNERGRAPH_ANALYSIS_MEMORY).
OUT_OF_MEMORY = 75


def memory_limit(settings: Settings) -> int:
    """The process's memory in bytes: the setting, else half of the machine's."""
    if settings.analysis_memory:
        return settings.analysis_memory * 1024 * 1024
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2


class AnalysisLost(PartnergraphError):
    """The analysis asked for is no longer held (a newer one replaced it, or
    its process ended)."""


class AnalysisTooLarge(AnalysisLost):
    """The process outgrew the memory it may use while building."""


@dataclass(frozen=True)
class Source:
    """Where the process reads a data version: a snapshot folder of the
    embedded store (with the graphs to name, when not all are published),
    or, with `snapshot` None, the store the settings name (a remote one)."""
    snapshot: str | None = None
    graphs: tuple[str, ...] | None = None


class AnalysisProcess:
    """The web process's side: starts the process when first needed (and
    again after it ended), sends it builds and questions, and hands each
    answer to the thread that asked."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self._process: subprocess.Popen | None = None
        self._waiting: dict[int, Future] = {}
        self._ids = itertools.count()
        self.generation = 0
        # Where the process makes its snapshot copies, to remove those left
        # by a process that did not end by itself.
        self._copies_in: set[Path] = set()

    def build(self, lang: str, version: str, source: Source) -> AnalysisHandle:
        """Build the analysis of `version` in `lang` there; returns when it is
        ready (the asking thread waits on a socket, not on this interpreter)."""
        if source.snapshot is not None:
            self._copies_in.add(Path(source.snapshot).parent)
        generation = self._send("build", lang, version, source).result()
        return AnalysisHandle(self, lang, version, generation)

    def ask(self, handle: AnalysisHandle, question: str, args: tuple) -> Any:
        if handle.generation != self.generation:
            raise AnalysisLost("The analysis process was restarted; the analysis is being built again.")
        return self._send("ask", handle.lang, handle.version, question, args).result()

    def alive(self, handle: AnalysisHandle) -> bool:
        return handle.generation == self.generation and self._conn is not None

    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def close(self) -> None:
        """End the process. Told so, not by closing the socket: the thread
        reading answers holds it open while it waits."""
        with self._lock:
            conn, process = self._conn, self._process
            self._conn = self._process = None
        if conn is not None:
            try:
                conn.send(("stop", -1, self.generation))
            except OSError:
                pass
        if process is not None:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if conn is not None:
            conn.close()

    # -- the socket -----------------------------------------------------
    def _send(self, kind: str, *args: Any) -> Future:
        with self._lock:
            if self._conn is None:
                self._start()
            assert self._conn is not None
            rid = next(self._ids)
            answer: Future = Future()
            self._waiting[rid] = answer
            try:
                self._conn.send((kind, rid, self.generation, *args))
            except OSError:
                self._waiting.pop(rid, None)
                self._ended(self._conn)
                raise AnalysisLost("The analysis process ended; the analysis is being built again.") from None
        return answer

    def _start(self) -> None:
        self._process, self._conn = start_python("graph.analysis.analysis_process", "_main")
        self.generation += 1
        self._conn.send(self.settings)
        threading.Thread(target=self._receive, args=(self._conn,), daemon=True,
                         name="analysis-answers").start()

    def _receive(self, conn: Connection) -> None:
        while True:
            try:
                rid, ok, payload = conn.recv()
            except (EOFError, OSError):
                with self._lock:
                    self._ended(conn)
                return
            with self._lock:
                answer = self._waiting.pop(rid, None)
            if answer is None:
                continue
            if ok:
                answer.set_result(payload)
            else:
                answer.set_exception(payload)

    def _ended(self, conn: Connection) -> None:
        """The process behind `conn` is gone: every question still waiting is
        told so (the lock is held)."""
        code = None
        if self._conn is conn:
            self._conn = None
            if self._process is not None:
                try:
                    code = self._process.wait(5)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                for folder in self._copies_in:
                    for copy in folder.glob(f".analysis-{self._process.pid}-*"):
                        shutil.rmtree(copy, ignore_errors=True)
            self._process = None
        if code == OUT_OF_MEMORY:
            lost: AnalysisLost = AnalysisTooLarge(
                f"The analysis of the whole graph needs more than the {memory_limit(self.settings) >> 20} MB "
                "it may use (PARTNERGRAPH_ANALYSIS_MEMORY).")
        else:
            lost = AnalysisLost("The analysis process ended; the analysis is being built again.")
        waiting, self._waiting = self._waiting, {}
        for answer in waiting.values():
            answer.set_exception(lost)


@dataclass(frozen=True)
class AnalysisHandle:
    """One data version's analysis held by the analysis process, asked as
    an Analysis is: by question name."""
    process: AnalysisProcess
    lang: str
    version: str
    generation: int

    def ask(self, question: str, *args: Any) -> Any:
        return self.process.ask(self, question, args)

    @property
    def alive(self) -> bool:
        return self.process.alive(self)


# -- the process ----------------------------------------------------------

class _Held:
    """The analyses this process holds, by language and data version, and
    the readers of the versions they were built from."""

    def __init__(self, settings: Settings, generation: int):
        self.settings = settings
        self.generation = generation
        self.lock = threading.Lock()
        self.analyses: dict[tuple[str, str], Analysis] = {}
        self.readers: dict[str, Store] = {}
        self.building: dict[str, int] = {}
        self.newest: dict[str, str] = {}

    def build(self, lang: str, version: str, source: Source) -> int:
        with self.lock:
            # The last one built serves until this one lands; older ones go.
            for key in [k for k in self.analyses if k[0] == lang and k[1] != self.newest.get(lang)]:
                del self.analyses[key]
            self.building[version] = self.building.get(version, 0) + 1
            reader = self.readers.get(version)
            if reader is None:
                reader = self.readers[version] = self._open(version, source)
        try:
            projection = load_projection(reader, lang)
            for measure in MEASURES:
                measure(projection)
            with self.lock:
                self.analyses[(lang, version)] = Analysis(projection)
                self.newest[lang] = version
        finally:
            with self.lock:
                self.building[version] -= 1
                self._close_unused()
        return self.generation

    def ask(self, lang: str, version: str, question: str, args: tuple) -> Any:
        with self.lock:
            analysis = self.analyses.get((lang, version))
        if analysis is None:
            raise AnalysisLost("A newer analysis has replaced the one asked for.")
        return analysis.ask(question, *args)

    def _open(self, version: str, source: Source) -> Store:
        if source.snapshot is None:
            return open_store(self.settings)
        copy = Path(source.snapshot).parent / f".analysis-{os.getpid()}-{version}"
        return SnapshotReader(self.settings, link_copy(source.snapshot, copy), version, source.graphs)

    def close(self) -> None:
        with self.lock:
            self.analyses.clear()
            self.building.clear()
            self._close_unused()

    def _close_unused(self) -> None:
        held = {version for _, version in self.analyses}
        for version in [v for v in self.readers if v not in held and not self.building.get(v)]:
            self.readers.pop(version).close()


def _portable(error: Exception) -> Exception:
    """`error` as it can be rebuilt on the other side: an exception whose
    constructor takes other arguments than its message would fail there, in
    the thread that reads every answer."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return PartnergraphError(str(error))
    return error


def _watch_memory(limit: int) -> None:
    """End the process once it holds more than `limit` bytes: a build that
    outgrows the machine would otherwise take the web process's memory with it."""
    while True:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:") and int(line.split()[1]) * 1024 > limit:
                    os._exit(OUT_OF_MEMORY)
        time.sleep(0.25)


def _lower_priority() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BUILD_NICENESS)
    except OSError:  # not allowed here: it builds at the usual priority
        pass


def _main(fd: int) -> None:
    conn = Connection(fd)
    settings: Settings = conn.recv()
    if Path("/proc/self/status").exists():
        threading.Thread(target=_watch_memory, args=(memory_limit(settings),), daemon=True).start()
    held: _Held | None = None
    replies = threading.Lock()
    questions = ThreadPoolExecutor(max_workers=4, thread_name_prefix="analysis-questions")
    # Builds take minutes of CPU at a million triples, beside the pages
    # being served: they run at a lower priority (Linux sets it per thread).
    builds = ThreadPoolExecutor(max_workers=2, thread_name_prefix="analysis-builds",
                                initializer=_lower_priority)

    def answer(rid: int, work, args) -> None:
        try:
            reply = (rid, True, work(*args))
        except Exception as error:  # the asking page hears of it; the process lives on
            reply = (rid, False, _portable(error))
        with replies:
            try:
                conn.send(reply)
            except Exception as error:  # an answer that does not pickle
                conn.send((rid, False, PartnergraphError(f"The analysis answered badly: {error}")))

    while True:
        try:
            kind, rid, generation, *args = conn.recv()
        except (EOFError, OSError):
            # The web process closed its store or ended: so does this one,
            # taking its snapshot copies with it.
            if held is not None:
                held.close()
            os._exit(0)
        if held is None:
            held = _Held(settings, generation)
        if kind == "stop":
            held.close()
            os._exit(0)
        if kind == "build":
            builds.submit(answer, rid, held.build, args)
        else:
            questions.submit(answer, rid, held.ask, args)
