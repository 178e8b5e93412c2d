"""The remote backend: any SPARQL 1.1 server (Oxigraph, Fuseki, GraphDB...),
reached through the SPARQL 1.1 Protocol and, where there is one, the Graph
Store Protocol.

Endpoints: PARTNERGRAPH_STORE is the query URL, PARTNERGRAPH_STORE_UPDATE the
update URL (writes need it), PARTNERGRAPH_STORE_GSP the Graph Store Protocol
URL (uploads go there when there is one, else as INSERT DATA to the update
URL). When the query URL ends in /query, as with `oxigraph serve`
(http://host:7878/query) or Fuseki (http://host:3030/ds/query), the other two
default to .../update and .../store, Oxigraph's names; a guessed /store that
does not exist (Fuseki calls it /data) is given up for INSERT DATA.

Every query names its dataset with default-graph-uri and named-graph-uri,
listing the published graphs, because that is what every SPARQL 1.1 server
understands, whatever its own default graph is; it keeps the bookkeeping
graphs out of sight. The server's own default graph is therefore no part of
the knowledge graph: quads without a graph (the Graph Store's ?default) and
updates that write to the default graph land where no query looks unless it
asks for that graph alone.

The data version lives in the system graph on the server, so that every
process sharing the server sees every write. It is read, with the list of
graphs, in one small query each time it is needed, so that a write by any
process is seen at once by all.

Each write is one update request, as atomic as the server makes it. How
writes from several processes at the same moment interleave is the server's
isolation: Fuseki (TDB2) and GraphDB let one writer in at a time; Oxigraph
serve runs them side by side, so two processes replacing the same graph at
the same moment may leave the triples of both. Writes through one store
object are one at a time.

Writes go through staging graphs as in the embedded store: upload, then one
update moves them into place and bumps the version. Each upload request gets
fresh blank nodes from the server, so a blank node is one node within a batch
(the loader sends one file per batch and renames blank nodes per file anyway).
"""
from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from graph.errors import (
    ConfigError,
    PartnergraphError,
    QueryTimeout,
    StoreUnavailable,
    UpdateRefused,
    is_update_refusal,
)
from graph.rdf.namespaces import (
    EMPTY_GRAPH,
    HISTORY_GRAPH_PREFIX,
    PG,
    PREFIXES,
    STAGING_GRAPH_PREFIX,
    SYSTEM_GRAPH,
    instance_prefixes,
    is_internal_graph,
)
from graph.settings import Settings
from graph.sparql.bindings import with_values
from graph.sparql.results import QueryOutput, result_form, within_cap
from graph.sparql.rules import QueryRequest
from graph.store.base import QueryResult, Store, WriteSummary, move_into_place
from graph.store.remote_http import FORM, Endpoint, form, post, with_prefixes

_VERSION = str(PG.dataVersion)
# Uploads and the final move of a large write may well outlast a query.
WRITE_TIMEOUT = 600.0
# Triples per upload request (a POST to the Graph Store appends).
UPLOAD_TRIPLES = 50_000
# Other processes may be writing to their staging graphs right now, so only
# those old enough to be a crashed writer's are dropped (by the next write).
STALE_STAGING_SECONDS = 24 * 3600
_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
           "text/turtle;q=0.8, application/sparql-results+xml;q=0.7")


@dataclass(frozen=True)
class _State:
    version: str
    graphs: tuple[str, ...]     # published, sorted
    staging: tuple[str, ...]
    read_at: float


class RemoteStore(Store):
    kind = "remote"
    # Several processes (web workers) share the server: a graph list kept for
    # any time would hide, in this process, a graph another one has just
    # written. The state query is small; it is read afresh each time.
    state_ttl = 0.0

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.query_endpoint = Endpoint(settings.store, "PARTNERGRAPH_STORE")
        root = settings.store[:-len("/query")] if settings.store.endswith("/query") else None
        update = settings.store_update or (root and root + "/update")
        gsp = settings.store_gsp or (root and root + "/store")
        self.update_endpoint = Endpoint(update, "PARTNERGRAPH_STORE_UPDATE") if update else None
        self.gsp_endpoint = Endpoint(gsp, "PARTNERGRAPH_STORE_GSP") if gsp else None
        self._gsp_guessed = gsp is not None and not settings.store_gsp
        self._prefixes = instance_prefixes(settings.base_iri)
        self._timeout = settings.query_timeout
        self._write_lock = threading.Lock()
        self._cached: _State | None = None

    # -- reading ---------------------------------------------------------
    def execute(self, request: QueryRequest) -> QueryOutput:
        """On the server, with the time limit as the HTTP timeout; the answer
        is written here in the format asked for. Without a dataset in the
        request the server is shown the union of the published graphs, or,
        for a query with FROM, left to the query's own."""
        text = request.text
        if request.bindings:
            text = with_values(text, request.bindings)
        own = request.has_dataset and request.default_graphs is None and request.named_graphs is None
        result = self._query(text, default_graphs=request.default_graphs,
                             named_graphs=request.named_graphs, own_dataset=own,
                             timeout=request.timeout)
        kind, fmt = result_form(result, request.result_format, request.graph_format)
        cut = False
        if request.row_limit is not None:
            result, cut = within_cap(result, request.row_limit)
        data = result.serialize(format=fmt)
        # Without an output file to write to, serialize returns the bytes.
        assert data is not None
        return QueryOutput(kind, data, iter(()), complete=True, cut=cut)

    def query(self, sparql: str) -> QueryResult:
        return self._query(sparql)

    def _query(self, sparql: str, *, default_graphs: Iterable[str] | None = None,
               named_graphs: Iterable[str] | None = None, own_dataset: bool = False,
               timeout: float | None = None) -> QueryResult:
        """`default_graphs` and `named_graphs`, when either is given, are the
        whole dataset instead of the published graphs ("", the server's own
        default graph, cannot be named over the protocol and is left out);
        `own_dataset` sends no dataset at all, for a query whose FROM clauses
        name its own; `timeout` replaces PARTNERGRAPH_QUERY_TIMEOUT."""
        if own_dataset or (list(default_graphs or ()) == [""] and not named_graphs):
            # The server's own default graph alone is the dataset of a request
            # that names none.
            own_dataset = True
            default = named = []
        elif default_graphs is None and named_graphs is None:
            default = named = list(self._state().graphs)
        else:
            default = [g for g in default_graphs or () if g]
            named = list(named_graphs or ())
        text, shift = with_prefixes(sparql, self._prefixes)
        body = (form(query=text) if own_dataset else
                form(query=text, default_graph_uri=default or [EMPTY_GRAPH],
                     named_graph_uri=named or [EMPTY_GRAPH]))
        with post(self.query_endpoint, body, FORM, timeout=timeout or self._timeout,
                  accept=_ACCEPT, sparql_shift=shift) as response:
            media_type, data = response.headers.get_content_type(), response.read()
        return self._result(media_type, data)

    def graphs(self) -> dict[str, int]:
        published = self._state().graphs
        counts = self._counts(published)
        return {graph: counts.get(graph, 0) for graph in published}

    def graph_names(self) -> list[str]:
        return list(self._state().graphs)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        names = [graph] if graph else list(self._state().graphs)
        if not names:
            return
        body = form(query="SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                    default_graph_uri=EMPTY_GRAPH, named_graph_uri=names)
        # Streamed, so that exporting a large store does not hold it in memory.
        with post(self.query_endpoint, body, FORM, timeout=self._timeout,
                  accept="application/sparql-results+json") as response:
            fmt = ox.QueryResultsFormat.from_media_type(response.headers.get_content_type())
            try:
                for row in self._solutions(ox.parse_query_results(response, format=fmt)):
                    yield ox.Quad(row["s"], row["p"], row["o"], row["g"])
            except SyntaxError as error:
                raise self._garbled(error) from None

    def is_empty(self) -> bool:
        # No dataset: the server's own, which holds every graph there is. Staging
        # graphs do not count: another process may be filling a new store right now
        # and this one must then fill it too, not serve it half filled.
        return not self._ask(
            "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } "
            f"FILTER (!STRSTARTS(STR(?g), \"{STAGING_GRAPH_PREFIX}\")) }} }}")

    @property
    def data_version(self) -> str:
        return self._state().version

    # -- writing ---------------------------------------------------------
    def update(self, sparql: str) -> str:
        self._writable()
        text, shift = with_prefixes(sparql.rstrip().rstrip(";"), self._prefixes)
        with self._write_lock:
            # A newline first, in case the text ends in a comment.
            self._run_update(text + "\n;\n" + _bump_version(), shift=shift)
            return self._after_write()

    def write_quads(self, batches: Iterable[Iterable[ox.Quad]], *,
                    replace: bool = True, graphs: Iterable[str] = (),
                    add: Iterable[ox.Quad] = (), keep: Mapping[str, str] | None = None,
                    progress: Callable[[str, int, int], None] | None = None) -> WriteSummary:
        """As Store.write_quads; a kept version is a hidden graph on the
        server, copied there by the same update that moves the new content
        into place."""
        self._writable()
        with self._write_lock:
            run = f"{STAGING_GRAPH_PREFIX}{int(time.time())}-{uuid.uuid4().hex[:16]}:"
            staging: dict[str, str] = {}

            def staged(graph: str) -> str:
                return staging.setdefault(graph, f"{run}{len(staging)}")

            for name in graphs:
                staged(name)
            try:
                for batch in batches:
                    self._upload(batch, staged)
                counts = self._counts(tuple(staging.values()))
                published = set(self._state().graphs)
                steps = [f"COPY SILENT GRAPH <{graph}> TO GRAPH <{HISTORY_GRAPH_PREFIX}{version}>"
                         for graph, version in (keep or {}).items() if graph in published]
                # "" is the server's own default graph (the Graph Store's ?default).
                steps += move_into_place(staging, replace=replace)
                added = list(add)
                if added:
                    steps.append("INSERT DATA {\n" + "".join(
                        f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}\n"
                        for q in added) + "}")
                steps += [f"DROP SILENT GRAPH <{g}>" for g in self._stale_staging()]
                steps.append(_bump_version())
                self._run_update(" ;\n".join(steps))
            except BaseException:
                self._drop_quietly(staging.values())
                raise
            version = self._after_write()
        return WriteSummary(graphs={t: counts.get(s, 0) for t, s in staging.items()},
                            data_version=version, replaced=replace)

    def saved(self, version: str, graph: str) -> Iterable[ox.Quad]:
        hidden = HISTORY_GRAPH_PREFIX + version
        if not self._ask(f"ASK {{ GRAPH <{hidden}> {{ ?s ?p ?o }} }}"):
            raise PartnergraphError(f"The content of version {version} is not kept on the server "
                                    f"any more (no graph <{hidden}>); it cannot be restored.")
        target = ox.NamedNode(graph)
        body = form(query=f"SELECT ?s ?p ?o WHERE {{ GRAPH <{hidden}> {{ ?s ?p ?o }} }}")
        with post(self.query_endpoint, body, FORM, timeout=self._timeout,
                  accept="application/sparql-results+json") as response:
            fmt = ox.QueryResultsFormat.from_media_type(response.headers.get_content_type())
            rows = [ox.Quad(row["s"], row["p"], row["o"], target)
                    for row in self._solutions(ox.parse_query_results(response, format=fmt))]
        return rows

    def close(self) -> None:
        # Every request has its own connection; there is nothing to release.
        self._derived.close()
        self._cached = None

    # -- internals -------------------------------------------------------
    def _state(self) -> _State:
        state = self._cached
        if state is None or time.monotonic() - state.read_at >= self.state_ttl:
            state = self._read_state()
            self._cached = state
        return state

    def _read_state(self) -> _State:
        rows = self._select(
            f"SELECT ?g ?v WHERE {{ {{ GRAPH ?g {{ }} }} UNION "
            f"{{ GRAPH <{SYSTEM_GRAPH}> {{ <{SYSTEM_GRAPH}> <{_VERSION}> ?v }} }} }}",
            dataset=False)
        names = {row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode)}
        # Oxigraph serve lets updates from two processes run side by side: both
        # see the same version, and each adds its own next one. The version is
        # then all of them, so that it still changes with each of those writes;
        # the next write leaves one again.
        versions = sorted({row["v"].value for row in rows if row["v"] is not None})
        return _State(
            version="+".join(versions) or "0",
            graphs=tuple(sorted(n for n in names if not is_internal_graph(n))),
            staging=tuple(n for n in names if n.startswith(STAGING_GRAPH_PREFIX)),
            read_at=time.monotonic())

    def _after_write(self) -> str:
        self._cached = None
        version = self._state().version
        self._derived.refresh()
        return version

    def _counts(self, graphs: Iterable[str]) -> dict[str, int]:
        graphs = list(graphs)
        if not graphs:
            return {}
        rows = self._select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", named=graphs)
        return {row["g"].value: int(row["n"].value) for row in rows}

    def _select(self, sparql: str, *, named: list[str] | None = None,
                dataset: bool = True) -> list[ox.QuerySolution]:
        fields: dict[str, str | list[str]] = {"query": sparql}
        if dataset:
            fields.update(default_graph_uri=EMPTY_GRAPH, named_graph_uri=named or [EMPTY_GRAPH])
        with post(self.query_endpoint, form(**fields), FORM, timeout=self._timeout,
                  accept=_ACCEPT) as response:
            result = self._result(response.headers.get_content_type(), response.read())
        return list(self._solutions(result))

    def _ask(self, sparql: str) -> bool:
        with post(self.query_endpoint, form(query=sparql), FORM, timeout=self._timeout,
                  accept=_ACCEPT) as response:
            return bool(self._result(response.headers.get_content_type(), response.read()))

    def _result(self, media_type: str, data: bytes) -> QueryResult:
        try:
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            if results_format is not None:
                # Solutions are parsed lazily: read them all once here, so that
                # a broken answer fails now and not in the caller's loop.
                result = ox.parse_query_results(data, format=results_format)
                if isinstance(result, ox.QuerySolutions):
                    for _ in result:
                        pass
                    result = ox.parse_query_results(data, format=results_format)
                return result
            rdf_format = ox.RdfFormat.from_media_type(media_type)
            if rdf_format is not None:
                return _query_triples(ox.parse(data, format=rdf_format))
        except SyntaxError as error:
            tail = data[-300:].decode("utf-8", errors="replace")
            if any(word in tail.lower() for word in ("cancel", "timeout", "timed out")):
                raise QueryTimeout(f"The SPARQL endpoint {self.query_endpoint.url} stopped "
                                   f"the query midway: {tail.strip()[-120:]}") from None
            raise self._garbled(error) from None
        raise StoreUnavailable(
            f"The SPARQL endpoint {self.query_endpoint.url} answered in {media_type}, "
            "which is no SPARQL result format; is PARTNERGRAPH_STORE its query URL?")

    def _solutions(self, result: QueryResult) -> ox.QuerySolutions:
        """The rows of the answer to a SELECT query, checked, since any server
        may be at the other end."""
        if not isinstance(result, ox.QuerySolutions):
            raise StoreUnavailable(
                f"The SPARQL endpoint {self.query_endpoint.url} answered a SELECT query "
                "with something other than rows.")
        return result

    def _garbled(self, error: SyntaxError) -> StoreUnavailable:
        # Oxigraph, for one, starts a 200 answer and breaks it off (saying so
        # in the body) when its own time limit stops the query.
        return StoreUnavailable(
            f"The SPARQL endpoint {self.query_endpoint.url} sent a result that does not "
            f"parse, perhaps broken off by the server ({error})")

    def _writable(self) -> Endpoint:
        if self.update_endpoint is None:
            raise ConfigError(
                f"The remote store {self.settings.store} takes no writes without an update "
                "URL: set PARTNERGRAPH_STORE_UPDATE to its SPARQL Update endpoint (it is "
                "only guessed when PARTNERGRAPH_STORE ends in /query).")
        return self.update_endpoint

    def _run_update(self, sparql: str, *, shift: int | None = None) -> None:
        endpoint = self._writable()
        try:
            with post(endpoint, sparql.encode("utf-8"), "application/sparql-update",
                      timeout=WRITE_TIMEOUT, sparql_shift=shift) as response:
                response.read()
        except StoreUnavailable as error:
            if error.status is not None and is_update_refusal(error.answer):
                raise UpdateRefused(f"The update was refused: {error.answer}") from None
            raise
        except QueryTimeout:
            raise StoreUnavailable(
                f"The SPARQL endpoint {endpoint.url} did not confirm an update "
                f"within {WRITE_TIMEOUT:g} seconds; it may or may not have been applied.") from None

    def _upload(self, batch: Iterable[ox.Quad], staged: Callable[[str], str]) -> None:
        """Upload a batch to its staging graphs, in requests of at most
        UPLOAD_TRIPLES triples, so that a large batch is never held whole."""
        lines: dict[str, list[str]] = {}
        held = 0
        for quad in batch:
            name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
            lines.setdefault(staged(name), []).append(
                f"{quad.subject} {quad.predicate} {quad.object} .\n")
            held += 1
            if held >= UPLOAD_TRIPLES:
                self._send(lines)
                lines, held = {}, 0
        self._send(lines)

    def _send(self, lines: dict[str, list[str]]) -> None:
        gsp = self.gsp_endpoint
        if gsp is not None:
            try:
                for graph, triples in lines.items():
                    self._post_graph(gsp, graph, "".join(triples).encode("utf-8"))
                return
            except StoreUnavailable as error:
                if not (self._gsp_guessed and error.status in (404, 405)):
                    raise
                self.gsp_endpoint = None
        if lines:
            self._run_update("INSERT DATA {\n" + "".join(
                f"GRAPH <{graph}> {{\n{''.join(triples)}}}\n" for graph, triples in lines.items())
                + "}")

    def _post_graph(self, endpoint: Endpoint, graph: str, ntriples: bytes) -> None:
        with post(endpoint, ntriples, "application/n-triples",
                  timeout=WRITE_TIMEOUT, params=[("graph", graph)]) as response:
            response.read()

    def _stale_staging(self) -> list[str]:
        cutoff = time.time() - STALE_STAGING_SECONDS
        stale = []
        for name in self._read_state().staging:
            started = name[len(STAGING_GRAPH_PREFIX):].split("-", 1)[0]
            if started.isdigit() and int(started) < cutoff:
                stale.append(name)
        return stale

    def _drop_quietly(self, graphs: Iterable[str]) -> None:
        graphs = list(graphs)
        if not graphs:
            return
        try:
            self._run_update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
        except Exception:
            # The error that stopped the write is the one worth reporting; a
            # staging graph left behind is invisible and goes with age.
            pass


def _bump_version() -> str:
    """The update that replaces the data version by the next one. The counter
    is worked out on the server, in the same transaction as the write, so that
    writers in several processes never step back; the random part keeps
    versions of two stores (or of a store rebuilt) from ever looking alike."""
    system, version = f"<{SYSTEM_GRAPH}>", f"<{_VERSION}>"
    return (
        f"DELETE {{ GRAPH {system} {{ {system} {version} ?old }} }}\n"
        f"INSERT {{ GRAPH {system} {{ {system} {version} ?new }} }}\n"
        "WHERE {\n"
        f"  {{ SELECT (CONCAT(STR(COALESCE(MAX(<{PREFIXES['xsd']}integer>"
        f"(STRBEFORE(?v, \"-\"))), 0) + 1), \"-{secrets.token_hex(4)}\") AS ?new)\n"
        f"    WHERE {{ OPTIONAL {{ GRAPH {system} {{ {system} {version} ?v }} }} }} }}\n"
        f"  OPTIONAL {{ GRAPH {system} {{ {system} {version} ?old }} }}\n"
        "}")


def _query_triples(quads: Iterable[ox.Quad]) -> ox.QueryTriples:
    # pyoxigraph makes QueryTriples only as a query's answer: ask a scratch
    # store holding the triples for all of them.
    scratch = ox.Store()
    scratch.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result
