"""Run SPARQL queries where they can be stopped: in worker processes.

pyoxigraph cannot interrupt a query, so a runaway query would hold a CPU and
a request thread until it ends by itself. Each query here runs in a worker
process that reads a snapshot of the embedded store (a cheap hard-linked
checkpoint, one per data version); at the time limit the worker is killed, its
CPU freed at once, and a fresh worker takes its place. Results come back
already serialised by pyoxigraph, in chunks, so large results stream.

A query already seen to finish quickly in a worker over the same snapshot
(graph.store.known_cheap) is answered in this process instead: the trip to a
worker would cost more than the query. Its answer is then kept for that
snapshot (graph.store.cheap_answers) and given again as it is.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from graph.errors import PartnergraphError, QueryTimeout, engine_syntax_error
from graph.sparql.bindings import substitutions, with_values
from graph.sparql.results import QueryOutput, result_form, within_cap
from graph.store.cheap_answers import Answer, CheapAnswers
from graph.store.known_cheap import KnownCheap

CHUNK = 64 * 1024
# Seconds after which a query's worker runs at a lower priority (niceness).
LONG_QUERY = 0.5
YIELDING_NICENESS = 10


@dataclass(frozen=True)
class QueryJob:
    """Everything a worker needs: plain values only, to cross the process line."""
    snapshot: str
    query: str
    result_format: str = "JSON"     # a QueryResultsFormat name, for SELECT and ASK
    graph_format: str = "TURTLE"    # an RdfFormat name, for CONSTRUCT and DESCRIBE
    prefixes: dict[str, str] = field(default_factory=dict)
    base_iri: str | None = None
    default_graph: list[str] | None = None   # "" is the store's default graph
    named_graphs: list[str] | None = None
    # Without a dataset: the union of all the snapshot's graphs (it holds the
    # published ones only) as the default graph.
    union_default: bool = False
    # Variable name -> an RDF term in N-Triples form, substituted by the engine.
    bindings: dict[str, str] = field(default_factory=dict)
    # The row cap, when the rules put one in (the query then asks for one more).
    row_cap: int | None = None

    @property
    def work(self) -> tuple:
        """Everything that decides the work the job takes over its snapshot
        (the prefixes and base are the store's own, the same for every job)."""
        return (self.query, self.result_format, self.graph_format, self.union_default,
                None if self.default_graph is None else tuple(self.default_graph),
                None if self.named_graphs is None else tuple(self.named_graphs),
                tuple(sorted(self.bindings.items())), self.row_cap)


class QueryRunner:
    """A pool of worker processes; `run` gives each query one worker."""

    def __init__(self, max_workers: int = 4):
        self.max_workers = max_workers
        self._idle: list[_Worker] = []
        self._busy = 0
        self._starting = 0
        self._lock = threading.Condition()
        self._closed = False
        self.cheap = KnownCheap()
        self.answers = CheapAnswers()
        self._local: tuple[str, ox.Store] | None = None

    def run(self, job: QueryJob, timeout: float) -> QueryOutput:
        """Start the job; return once the result's first chunk (or all of a
        small result) is there. Raises QuerySyntaxError, QueryTimeout, or
        PartnergraphError with the engine's message."""
        work = job.work
        if self.cheap.allows(job.snapshot, work, timeout):
            return self._run_here(job, work)
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline, timeout)
        try:
            worker.send(job)
            kind, payload = worker.receive(deadline, timeout)
        except BaseException:
            self._discard(worker)
            raise
        if kind == "error":
            self._release(worker)
            raise _error_from(payload)
        form, first, complete, cut, seconds = payload
        if complete:
            self._release(worker)
            self.cheap.record(job.snapshot, work, job.query, seconds)
            return QueryOutput(form, first, iter(()), complete=True, cut=cut)
        return QueryOutput(form, first, self._stream(worker, deadline, timeout), cut=cut)

    def run_if_cheap(self, job: QueryJob, timeout: float) -> QueryOutput | None:
        """The job's answer from this process when it is known to be cheap
        (graph.store.known_cheap), else None without running it."""
        work = job.work
        if self.cheap.allows(job.snapshot, work, timeout):
            return self._run_here(job, work)
        return None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._idle = self._idle, []
            self._local = None
        for worker in workers:
            worker.stop()

    # -- internals -------------------------------------------------------
    def _run_here(self, job: QueryJob, work: tuple) -> QueryOutput:
        """A known cheap job (whose QueryJob.work is `work`), answered in
        this process from the snapshot, whole, as a worker would have
        answered it."""
        kept = self.answers.get(job.snapshot, work)
        if kept is not None:
            return QueryOutput(kept.kind, kept.body, iter(()), complete=True, cut=kept.cut)
        with self._lock:
            if self._local is None or self._local[0] != job.snapshot:
                self._local = (job.snapshot, ox.Store.read_only(job.snapshot))
            store = self._local[1]
        try:
            kind, fmt, result, cut = _evaluate(store, job)
            body = result.serialize(format=fmt)
        except SyntaxError as error:
            raise engine_syntax_error(str(error)) from None
        except Exception as error:
            raise PartnergraphError(f"The query failed: {error}") from None
        self.answers.keep(job.snapshot, work, job.query, Answer(kind, body, cut))
        return QueryOutput(kind, body, iter(()), complete=True, cut=cut)

    def _stream(self, worker: _Worker, deadline: float, timeout: float) -> Iterator[bytes]:
        done = False
        try:
            while True:
                kind, payload = worker.receive(deadline, timeout)
                if kind == "data":
                    yield payload
                elif kind == "end":
                    done = True
                    return
                else:
                    raise _error_from(payload)
        finally:
            # A stream given up half way (client gone, time out) leaves the
            # worker mid-query: kill it rather than wait for it.
            if done:
                self._release(worker)
            else:
                self._discard(worker)

    def _acquire(self, deadline: float, timeout: float) -> _Worker:
        with self._lock:
            while not self._idle and self._busy >= self.max_workers:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise QueryTimeout(_timeout_message(timeout, busy=True))
                self._lock.wait(left)
            self._busy += 1
            if self._idle:
                worker = self._idle.pop()
                if not self._idle and self._busy + self._starting < self.max_workers:
                    # Start the next worker now, so the next query need not wait for
                    # an interpreter to start.
                    self._starting += 1
                    threading.Thread(target=self._start_spare, daemon=True).start()
                return worker
        try:
            return _Worker()
        except BaseException:
            with self._lock:
                self._busy -= 1
                self._lock.notify()
            raise

    def _start_spare(self) -> None:
        try:
            worker = _Worker()
        except OSError:
            worker = None
        with self._lock:
            self._starting -= 1
            if worker is not None and not self._closed:
                self._idle.append(worker)
                self._lock.notify()
            elif worker is not None:
                worker.stop()

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._busy -= 1
            if self._closed or worker.yielding:
                worker.stop()
            else:
                self._idle.append(worker)
            self._lock.notify()

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._busy -= 1
            self._lock.notify()


def start_python(module: str, function: str) -> tuple[subprocess.Popen, Connection]:
    """`module.function(fd)` in a fresh interpreter (not forked: the parent
    holds the store open and runs threads), and its end of the socket pair
    they talk over."""
    parent, child = socket.socketpair()
    package_root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    # -P: the folder the server was started in must not come first on the
    # child's path, or a checkout there (another `graph`) is what it runs.
    process = subprocess.Popen(
        [sys.executable, "-P", "-c", f"from {module} import {function}; {function}({child.fileno()})"],
        pass_fds=[child.fileno()], env=env, stdin=subprocess.DEVNULL)
    child.close()
    return process, Connection(parent.detach())


class _Worker:
    """One worker process, started with a fresh interpreter (not forked: the
    parent holds the store open and runs threads) and talked to over a
    socket pair."""

    def __init__(self):
        self.process, self.conn = start_python("graph.store.query_workers", "_worker_main")
        # Lowered once its query has run long; such a worker is not reused,
        # as raising a process's priority again takes a privilege.
        self.yielding = False
        self.began = time.monotonic()

    def send(self, job: QueryJob) -> None:
        self.began = time.monotonic()
        self.conn.send(job)

    def receive(self, deadline: float, timeout: float):
        if not self.yielding:
            wait = min(deadline, self.began + LONG_QUERY) - time.monotonic()
            if wait > 0 and self.conn.poll(wait):
                return self._read()
            if time.monotonic() >= self.began + LONG_QUERY:
                # A query still running after LONG_QUERY gives way to
                # everything else on the machine: with few cores, a few
                # runaway queries would otherwise slow every page and small
                # query to their pace.
                self.yield_cpu()
        left = deadline - time.monotonic()
        if left <= 0 or not self.conn.poll(left):
            raise QueryTimeout(_timeout_message(timeout))
        return self._read()

    def yield_cpu(self) -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, YIELDING_NICENESS)
            self.yielding = True
        except OSError:  # gone already, or not allowed here: it keeps its share
            pass

    def _read(self):
        try:
            return self.conn.recv()
        except EOFError:
            raise PartnergraphError(
                "The query worker stopped unexpectedly (out of memory?); "
                "the query was not answered.") from None

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        try:
            self.process.wait(1)
        except subprocess.TimeoutExpired:
            self.kill()
        self.conn.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.conn.close()


def _timeout_message(timeout: float, busy: bool = False) -> str:
    if busy:
        return (f"The server is busy: no query slot became free within the time limit "
                f"of {timeout:g} s. Try again in a moment.")
    return (f"The query was stopped at the time limit of {timeout:g} s. Make it more "
            "selective (a LIMIT, fewer unbound patterns), or ask the operator to raise "
            "PARTNERGRAPH_QUERY_TIMEOUT; a lower limit can be asked for per request "
            "with the `timeout` parameter.")


def _error_from(payload) -> PartnergraphError:
    kind, message = payload
    if kind == "syntax":
        return engine_syntax_error(message)
    return PartnergraphError(message)


# -- the worker process --------------------------------------------------

class _PipeWriter:
    """A binary file for pyoxigraph to serialise into; sends full chunks.
    A result that fits in one chunk travels whole in the 'start' message,
    with the CPU seconds the worker spent on it since `began` (time.process_time()
    as the job arrived): the query's own cost, without the trip here and back
    and whatever else the machine was doing meanwhile."""

    def __init__(self, conn: Connection, form: str, cut: bool, began: float):
        self.conn = conn
        self.began = began
        self.form = form
        self.cut = cut
        self.buffer = bytearray()
        self.started = False

    def write(self, data) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            self._send(complete=False)
        return len(data)

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        self._send(complete=True)

    def _send(self, complete: bool) -> None:
        chunk = bytes(self.buffer)
        self.buffer.clear()
        if not self.started:
            self.started = True
            seconds = time.process_time() - self.began
            self.conn.send(("start", (self.form, chunk, complete, self.cut, seconds)))
            return
        if chunk:
            self.conn.send(("data", chunk))
        if complete:
            self.conn.send(("end", None))


def end_with(parent: int) -> None:
    """End this process once `parent`, the process that started it, has
    gone (run it in a daemon thread). A query worker's query (past any time
    limit, with nobody to stop it) would otherwise keep a core busy for as
    long as it runs. pyoxigraph lets go of the interpreter while it
    evaluates, so this thread gets its turn."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def _worker_main(fd: int) -> None:
    conn = Connection(fd)
    threading.Thread(target=end_with, args=(os.getppid(),), daemon=True).start()

    opened: dict[str, ox.Store] = {}
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            store = opened.get(job.snapshot)
            if store is None:
                opened.clear()
                store = opened[job.snapshot] = ox.Store.read_only(job.snapshot)
            _answer(conn, store, job)
        except SyntaxError as error:
            conn.send(("error", ("syntax", str(error))))
        except Exception as error:  # the message goes to the client; the worker lives on
            conn.send(("error", ("engine", f"The query failed: {error}")))


def _answer(conn: Connection, store: ox.Store, job: QueryJob) -> None:
    began = time.process_time()
    kind, fmt, result, cut = _evaluate(store, job)
    writer = _PipeWriter(conn, kind, cut, began)
    result.serialize(writer, fmt)
    writer.finish()


def _evaluate(store: ox.Store, job: QueryJob):
    """The job's result, cut to its row cap, with its kind, the pyoxigraph
    format to write it in, and whether the cap left rows out."""
    def graph(name: str) -> ox.NamedNode | ox.DefaultGraph:
        return ox.DefaultGraph() if name == "" else ox.NamedNode(name)

    # Oxigraph applies substitutions to the answer of the whole pattern, not
    # while reading the store: a stored query of one municipality's partners
    # took 0.7 s at 1 M triples that way, under 1 ms with the same values as a
    # VALUES block opening its WHERE group (as a remote engine gets them).
    text, values = job.query, None
    if job.bindings:
        try:
            text = with_values(job.query, job.bindings)
        except ValueError:  # no WHERE group to open with them (DESCRIBE <x>)
            values = substitutions(job.bindings)
    # None and False are pyoxigraph's own defaults: an option the job leaves
    # unset is as if not given.
    result = store.query(
        text, prefixes=job.prefixes, base_iri=job.base_iri,
        use_default_graph_as_union=job.union_default,
        default_graph=None if job.default_graph is None else [graph(g) for g in job.default_graph],
        named_graphs=None if job.named_graphs is None else [ox.NamedNode(g) for g in job.named_graphs],
        substitutions=values)
    kind, fmt = result_form(result, job.result_format, job.graph_format)
    cut = False
    if job.row_cap is not None:
        result, cut = within_cap(result, job.row_cap)
    return kind, fmt, result, cut
