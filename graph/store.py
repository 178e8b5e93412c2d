"""The store interface, and `open_store` which picks a backend from settings.

Every backend keeps facts in named graphs, one per source, and shows queries
the union of those graphs as the default graph. Terms cross the interface as
pyoxigraph terms (NamedNode, Literal, ...) whichever backend answers.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterable, Iterator

from pyoxigraph import Quad, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat

from .errors import ConfigError
from .settings import Settings

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

    def __iter__(self) -> Iterator[Quad]:
        return self.parsed()


class Store(ABC):
    """One interface over an embedded or a remote triple store."""

    kind: str = "abstract"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.base_iri = settings.base_iri

    # -- reading ---------------------------------------------------------
    @abstractmethod
    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL query over the published graphs (their union is the
        default graph) and return pyoxigraph's result object."""

    def select(self, sparql: str) -> list[dict]:
        """A SELECT query's rows as dicts of variable name to term; unbound
        variables are left out of a row."""
        result = self.query(sparql)
        if not isinstance(result, QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        # Zipping the solution's values is a third faster than looking each
        # variable up by name, which counts on whole-store reads.
        return [{n: v for n, v in zip(names, solution) if v is not None} for solution in result]

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
                    graphs: Iterable[str] = ()) -> WriteSummary:
        """Write quads (streamed in batches) atomically.

        With `replace`, every graph the quads fall in, and every graph named
        in `graphs`, ends up holding exactly the new quads; otherwise they are
        added. If iterating the batches raises, nothing is written and the
        exception propagates."""

    def close(self) -> None:
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


BackendFactory = Callable[[Settings], Store]
_BACKENDS: dict[str, BackendFactory] = {}


def register_backend(scheme: str, factory: BackendFactory) -> None:
    """Make `open_store` use `factory` for store settings starting with
    `scheme` (such as "http"); "" is the embedded default."""
    _BACKENDS[scheme] = factory


def open_store(settings: Settings, *, initialise: bool = True) -> Store:
    """Open the store the settings name; on an empty store, with `initialise`,
    first load the bundled ontology and data."""
    _import_backends()
    scheme = settings.store.split("://", 1)[0] if "://" in settings.store else ""
    factory = _BACKENDS.get(scheme)
    if factory is None:
        raise ConfigError(
            f"PARTNERGRAPH_STORE={settings.store!r}: no backend for {scheme}:// "
            "stores; give a directory for the embedded store")
    store = factory(settings)
    if initialise:
        from .bundled import initialise_if_empty
        initialise_if_empty(store)
    return store


def _import_backends() -> None:
    # Each backend module registers itself on import.
    from . import store_embedded, store_remote  # noqa: F401
