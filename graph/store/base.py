"""The store interface: what every backend offers.

Every backend keeps facts in named graphs, one per source, and shows queries
the union of those graphs as the default graph. Terms cross the interface as
pyoxigraph terms (NamedNode, Literal, ...) whichever backend answers.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import BinaryIO, Protocol, TypeVar

from pyoxigraph import Quad, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat

from graph.errors import QuerySyntaxError
from graph.rdf.namespaces import instance_prefixes
from graph.settings import Settings
from graph.sparql.explain import explain
from graph.sparql.results import QueryOutput
from graph.sparql.rules import QueryRequest, prepare_query, prepare_update, unshift_line
from graph.store.derived import Derived, DerivedCache

T = TypeVar("T")

QueryResult = QuerySolutions | QueryBoolean | QueryTriples


@dataclass(frozen=True)
class WriteSummary:
    """What a write did: triples per graph it wrote, and the new data version."""
    graphs: dict[str, int]
    data_version: str
    replaced: bool

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


@dataclass(frozen=True)
class TriplesFile:
    """A batch for `Store.write_quads`: the triples of one file, all bound for
    `graph`. Iterating it gives its quads; a backend with a native bulk loader
    may instead hand `open()` to it, and then turns the loader's SyntaxError
    into the error to raise with `syntax_error`."""
    open: Callable[[], BinaryIO]
    format: RdfFormat
    graph: str
    base_iri: str
    parsed: Callable[[], Iterator[Quad]]
    syntax_error: Callable[[SyntaxError], Exception]
    size: int = 0       # bytes `open()` gives, where known (for progress)

    def __iter__(self) -> Iterator[Quad]:
        return self.parsed()


class Readable(Protocol):
    """What code that only looks things up needs of a store: its base IRI and
    SELECT answers. A Store is one; so is a batch of quads not written yet
    (graph.ingest.bundled matches the default data sets against the bundled
    files before either is in the store)."""

    base_iri: str

    def select(self, sparql: str) -> list[dict]: ...


class Store(ABC):
    """One interface over an embedded or a remote triple store."""

    kind: str = "abstract"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.base_iri = settings.base_iri
        self._derived = DerivedCache(lambda: self.data_version, settings.derived_background)

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """A value worked out from the whole store (by `build`), kept per data
        version; with settings.derived_background the previous version's
        while the new one is built. See graph.store.derived."""
        return self._derived.get(key, build)

    def derived_state(self, key: Hashable, build: Callable[[], T], *,
                      wait: bool = False) -> Derived[T] | None:
        """The same value with its version and age. In the background mode,
        without `wait`, it never waits: None while there is no value yet."""
        return self._derived.state(key, build, wait=wait)

    def derived_forget(self, key: Hashable) -> None:
        """Drop a derived value that no longer answers; the next ask builds it."""
        self._derived.forget(key)

    def on_close(self, closer: Callable[[], None]) -> None:
        """Have `closer` run when the store closes (what derived values hold
        outside this process, such as the analysis process)."""
        self._derived.on_close(closer)

    def derived_served_stale(self) -> bool:
        """Whether this thread got a stale derived value since it last asked
        (graph.store.derived.DerivedCache.served_stale)."""
        return self._derived.served_stale()

    def derived_ready(self, timeout: float | None = None) -> bool:
        """Wait for the background builds under way (for tests and benches)."""
        return self._derived.wait(timeout)

    # -- SPARQL from outside (the endpoint, the CLI, stored queries) ------
    def sparql_query(self, text: str, *, result_format: str = "JSON",
                     graph_format: str = "TURTLE", default_graphs: list[str] | None = None,
                     named_graphs: list[str] | None = None, timeout: float | None = None,
                     capped: bool = True, bindings: dict[str, str] | None = None,
                     row_cap: int | None = None) -> QueryOutput:
        """Run a query under the service's rules (graph.sparql.rules): checked
        for remote access, capped at PARTNERGRAPH_MAX_ROWS, stopped at the time
        limit, and answered already serialised in the pyoxigraph format named
        by `result_format` (SELECT, ASK) or `graph_format` (CONSTRUCT, DESCRIBE).
        `default_graphs`/`named_graphs` are the protocol's dataset; `bindings`
        give variables values, each an RDF term in N-Triples form; `row_cap`
        lowers the row cap for a caller that needs fewer rows."""
        try:
            request = prepare_query(text, self.settings, result_format=result_format,
                                    graph_format=graph_format, default_graphs=default_graphs,
                                    named_graphs=named_graphs, timeout=timeout, capped=capped,
                                    bindings=bindings, row_cap=row_cap)
            output = self.execute(request)
        except QuerySyntaxError as error:
            error.explanation = explain(text, error, instance_prefixes(self.base_iri))
            raise
        output.row_limit = request.row_limit
        return output

    def sparql_update(self, text: str, *, using_graphs: list[str] | None = None,
                      using_named_graphs: list[str] | None = None) -> str:
        """Run an update under the service's rules; returns the new data version."""
        prepared = prepare_update(text, self.settings, using_graphs=using_graphs,
                                  using_named_graphs=using_named_graphs)
        try:
            return self.update(prepared)
        except QuerySyntaxError as error:
            raise unshift_line(error) from None

    def cheap_query(self, text: str, *, result_format: str = "JSON",
                    graph_format: str = "TURTLE") -> QueryOutput | None:
        """The answer to a query over the default dataset, under the same
        rules as sparql_query, when the backend knows it to be cheap and can
        give it at once without a way to stop it (graph.store.known_cheap);
        None otherwise, and then nothing has run. For a front that answers
        small queries before the rest of the service is involved."""
        return None

    @abstractmethod
    def execute(self, request: QueryRequest) -> QueryOutput:
        """Run a prepared query where its time limit can stop it, and return
        its serialised answer (see sparql_query)."""

    # -- reading, for the library's own queries ---------------------------
    @abstractmethod
    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL query over the published graphs (their union is the
        default graph) and return pyoxigraph's result object. For the
        library's own queries: no row cap and no time limit."""

    def select(self, sparql: str) -> list[dict]:
        """A SELECT query's rows as dicts of variable name to term; unbound
        variables are left out of a row."""
        return list(self.select_rows(sparql))

    def select_rows(self, sparql: str) -> Iterator[dict]:
        """The rows of `select`, one at a time as the engine gives them: a
        read of the whole store then holds one row, not all of them (the
        search index's names at 10 M triples)."""
        result = self.query(sparql)
        if not isinstance(result, QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        # Zipping the solution's values is a third faster than looking each
        # variable up by name, which counts on whole-store reads.
        for solution in result:
            yield {n: v for n, v in zip(names, solution) if v is not None}

    def ask(self, sparql: str) -> bool:
        return bool(self.query(sparql))

    def ping(self) -> None:
        """Check that the store answers (raises if not), at the least cost:
        for a health check, which must stay quick whatever the data."""
        self.ask("ASK {}")

    @abstractmethod
    def graphs(self) -> dict[str, int]:
        """The published named graphs and their triple counts."""

    def graph_names(self) -> list[str]:
        """The published named graphs, without counting their triples."""
        return list(self.graphs())

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """Every published quad, or those of one graph."""

    @abstractmethod
    def is_empty(self) -> bool:
        """True when the store holds no quad at all, in any graph."""

    @property
    @abstractmethod
    def data_version(self) -> str:
        """A token that changes on every write, for ETags and caches."""

    # -- writing ---------------------------------------------------------
    @abstractmethod
    def update(self, sparql: str) -> str:
        """Run a SPARQL update atomically; returns the new data version."""

    @abstractmethod
    def write_quads(self, batches: Iterable[Iterable[Quad]], *,
                    replace: bool = True,
                    graphs: Iterable[str] = (),
                    add: Iterable[Quad] = (),
                    keep: Mapping[str, str] | None = None,
                    progress: Callable[[str, int, int], None] | None = None) -> WriteSummary:
        """Write quads (streamed in batches) atomically.

        With `replace`, every graph the quads fall in, and every graph named
        in `graphs`, ends up holding exactly the new quads; otherwise they are
        added. `add` are a few quads added to their graphs, never replacing
        them (the record of the write). `keep` maps graphs to version ids: the
        content each of those graphs held before the write is kept under its
        id (see `saved`). All of it lands together or not at all: if
        iterating the batches raises, nothing is written and the exception
        propagates. `progress` hears ("saving" | "writing", done, total)."""

    @abstractmethod
    def saved(self, version: str, graph: str) -> Iterable[Quad]:
        """A batch for `write_quads`: the content kept by `keep` under
        `version`, bound for `graph`. Raises PartnergraphError when it is
        not kept (any more)."""

    def close(self) -> None:  # noqa: B027 - a backend with nothing to release need not say so
        """Release the store (the embedded one holds a lock on its folder)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def move_into_place(staged: dict[str, str], *, replace: bool) -> list[str]:
    """SPARQL update steps that move each staging graph (value) into its target
    graph (key; "" is the store's own default graph) and drop the staging
    graph. Run as one update with the version bump, they make a write atomic."""
    steps = []
    for target, stage in staged.items():
        place = f"GRAPH <{target}>" if target else "DEFAULT"
        if replace:
            steps.append(f"DROP SILENT {place}")
        steps.append(f"ADD SILENT GRAPH <{stage}> TO {place}")
        steps.append(f"DROP SILENT GRAPH <{stage}>")
    return steps
