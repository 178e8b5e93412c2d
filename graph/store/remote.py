"""The remote backend: any SPARQL 1.1 server (Oxigraph, Fuseki, GraphDB...),
reached through the SPARQL 1.1 Protocol and, where there is one, the Graph
Store Protocol.

Endpoints: PARTNERGRAPH_STORE is the query URL, PARTNERGRAPH_STORE_UPDATE the
update URL (writes need it), PARTNERGRAPH_STORE_GSP the Graph Store Protocol
URL (uploads go there when there is one, else as INSERT DATA to the update
URL). When the query URL ends in /query, as with `oxigraph serve`
(http://host:7878/query) or Fuseki (http://host:3030/ds/query), the other two
default to .../update and .../store, Oxigraph's names; a guessed /store that
does not exist is given up for INSERT DATA. What an engine does its own way
(Virtuoso, Fuseki) is its dialect, graph.store.engine_dialects, told from its
Server header or named by PARTNERGRAPH_STORE_ENGINE.

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

No write is taken on the engine's word: an engine may acknowledge what it did
not do (Fuseki 4.5's ADD SILENT, Virtuoso's DROP ALL, a proxy that drops
writes). Each staging graph is counted against the triples sent to it, the
version written by the final update (recognised by a random mark) must be
read back, and every target is counted against what it must then hold; a
difference is WriteNotLanded, with what the engine answered. (Another process
writing the same graph at that moment can make the counts differ too; the
write is then reported as failed although it may have landed.)
"""
from __future__ import annotations

import io
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from email.message import Message

import pyoxigraph as ox

from graph.errors import (
    ConfigError,
    PartnergraphError,
    QueryTimeout,
    StoreUnavailable,
    UpdateRefused,
    WriteNotLanded,
    is_update_refusal,
)
from graph.rdf.namespaces import (
    EMPTY_GRAPH,
    HISTORY_GRAPH_PREFIX,
    PG,
    STAGING_GRAPH_PREFIX,
    SYSTEM_GRAPH,
    instance_prefixes,
    is_internal_graph,
)
from graph.settings import Settings
from graph.sparql.bindings import with_values
from graph.sparql.results import QueryOutput, result_form, within_cap
from graph.sparql.rules import QueryRequest
from graph.sparql.text import limit_rows, read_query
from graph.store.base import QueryResult, Store, WriteSummary
from graph.store.engine_dialects import Dialect, detect, named
from graph.store.remote_http import FORM, Endpoint, form, post, with_prefixes

_VERSION = str(PG.dataVersion)
# Uploads and the final move of a large write may well outlast a query.
WRITE_TIMEOUT = 600.0
# Triples per upload request (a POST to the Graph Store appends).
UPLOAD_TRIPLES = 50_000
# Other processes may be writing to their staging graphs right now, so only
# those old enough to be a crashed writer's are dropped (by the next write).
STALE_STAGING_SECONDS = 24 * 3600
# A query whose form would be larger goes as the body of an
# application/sparql-query request (Jetty, under Fuseki, takes no form over 1 MB).
LARGE_QUERY = 256 * 1024
# Asked of an engine that takes a time limit: the HTTP wait is this much
# longer, so that the engine's own answer (it stopped) comes first.
ENGINE_STOP_GRACE = 2.0
_ROWS = "application/sparql-results+json, application/sparql-results+xml;q=0.7"
_TRIPLES = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_ANY = ("application/sparql-results+json, application/n-triples;q=0.9, "
        "text/turtle;q=0.8, application/sparql-results+xml;q=0.7")


@dataclass(frozen=True)
class _State:
    version: str
    graphs: tuple[str, ...]     # published, sorted
    staging: tuple[str, ...]
    every: tuple[str, ...]      # every graph on the engine but its own
    read_at: float


@dataclass(frozen=True)
class _Answer:
    media_type: str
    data: bytes
    cut: bool          # cut at the engine's own row limit


class RemoteStore(Store):
    kind = "remote"
    # Several processes (web workers) share the server: a graph list kept for
    # any time would hide, in this process, a graph another one has just
    # written. The state query is small; it is read afresh each time.
    state_ttl = 0.0

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.query_endpoint = Endpoint(settings.store, "PARTNERGRAPH_STORE")
        self._dialect: Dialect | None = named(settings.store_engine) if settings.store_engine else None
        self._guess_endpoints(self._dialect)
        self._prefixes = instance_prefixes(settings.base_iri)
        self._timeout = settings.query_timeout
        self._write_lock = threading.Lock()
        self._cached: _State | None = None

    def _guess_endpoints(self, dialect: Dialect | None) -> None:
        """The update and Graph Store URLs: as set, or else as the engine
        (or, before it is known, the standard's /query) places them."""
        guide = dialect or named("standard")
        update = self.settings.store_update or guide.update_url(self.settings.store)
        gsp = self.settings.store_gsp or guide.store_url(self.settings.store)
        self.update_endpoint = Endpoint(update, "PARTNERGRAPH_STORE_UPDATE") if update else None
        self.gsp_endpoint = Endpoint(gsp, "PARTNERGRAPH_STORE_GSP") if gsp else None
        self._gsp_guessed = gsp is not None and not self.settings.store_gsp

    @property
    def dialect(self) -> Dialect:
        """The engine's dialect, told from its Server header on first use
        unless PARTNERGRAPH_STORE_ENGINE names it."""
        if self._dialect is None:
            with post(self.query_endpoint, form(query="ASK {}"), FORM, timeout=self._timeout,
                      accept=_ROWS) as response:
                response.read()
                dialect = detect(response.headers.get("Server"))
            self._guess_endpoints(dialect)
            self._dialect = dialect
        return self._dialect

    # -- reading ---------------------------------------------------------
    def execute(self, request: QueryRequest) -> QueryOutput:
        """On the server, with the time limit as the HTTP timeout; the answer
        is written here in the format asked for. Without a dataset in the
        request the server is shown the union of the published graphs, or,
        for a query with FROM, left to the query's own."""
        text, row_limit = request.text, request.row_limit
        ceiling = self.dialect.row_ceiling
        if row_limit is not None and ceiling is not None and row_limit >= ceiling:
            # Past the engine's own limit the answer would be cut without a
            # word (or, sorted, refused): cut it here, where it says so.
            row_limit = ceiling - 1
            text, _ = limit_rows(read_query(text), row_limit, one_more=True)
        if request.bindings:
            text = with_values(text, request.bindings)
        own = request.has_dataset and request.default_graphs is None and request.named_graphs is None
        result = self._query(text, default_graphs=request.default_graphs,
                             named_graphs=request.named_graphs, own_dataset=own,
                             timeout=request.timeout, query_form=request.form)
        kind, fmt = result_form(result, request.result_format, request.graph_format)
        cut = False
        if row_limit is not None:
            result, cut = within_cap(result, row_limit)
        data = result.serialize(format=fmt)
        # Without an output file to write to, serialize returns the bytes.
        assert data is not None
        return QueryOutput(kind, data, iter(()), complete=True, cut=cut)

    def query(self, sparql: str) -> QueryResult:
        return self._query(sparql)

    def _query(self, sparql: str, *, default_graphs: Iterable[str] | None = None,
               named_graphs: Iterable[str] | None = None, own_dataset: bool = False,
               timeout: float | None = None, query_form: str | None = None) -> QueryResult:
        """`default_graphs` and `named_graphs`, when either is given, are the
        whole dataset instead of the published graphs ("" is the server's own
        default graph); `own_dataset` sends no dataset at all, for a query
        whose FROM clauses name its own; `timeout` replaces
        PARTNERGRAPH_QUERY_TIMEOUT. A query without a time limit of its own
        is the library's, which needs the whole answer."""
        own_default = self.dialect.default_graph
        dataset: tuple[list[str], list[str]] | None
        if own_dataset:
            dataset = None
        elif list(default_graphs or ()) == [""] and not named_graphs:
            # The server's own default graph alone is the dataset of a request
            # that names none.
            dataset = ([own_default], []) if own_default else None
        elif default_graphs is None and named_graphs is None:
            published = list(self._state().graphs)
            dataset = (published, published)
        else:
            default = [g or own_default for g in default_graphs or ()]
            dataset = ([g for g in default if g], list(named_graphs or ()))
        text, shift = with_prefixes(sparql, self._prefixes, self.base_iri)
        query_form = query_form or read_query(sparql).form
        accept = (_TRIPLES if query_form in ("CONSTRUCT", "DESCRIBE") else
                  _ROWS if query_form else _ANY)
        answer = self._send_query(text, dataset, timeout=timeout, accept=accept, shift=shift,
                                  whole=timeout is None)
        result = self._result(answer.media_type, answer.data)
        if query_form == "ASK" and isinstance(result, ox.QuerySolutions):
            # An engine that answers ASK with a table of one truth value.
            return _boolean(any(_true(term) for row in result for term in row))
        return result

    def _send_query(self, text: str, dataset: tuple[list[str], list[str]] | None, *,
                    timeout: float | None, accept: str, shift: int | None = None,
                    whole: bool = True) -> _Answer:
        """Send a query as the engine takes it, with its time limit where the
        engine takes one, and read the answer."""
        dialect = self.dialect
        seconds = timeout or self._timeout
        params: list[tuple[str, str]] = []
        if dataset is not None:
            params += [("default-graph-uri", g) for g in dataset[0] or [EMPTY_GRAPH]]
            params += [("named-graph-uri", g) for g in dataset[1] or [EMPTY_GRAPH]]
        params += dialect.time_limit(seconds)
        wait = seconds + ENGINE_STOP_GRACE if dialect.time_limit(seconds) else seconds
        body = urllib.parse.urlencode([("query", text), *params]).encode("utf-8")
        in_url: list[tuple[str, str]] = []
        content_type = FORM
        if len(body) > LARGE_QUERY and dialect.takes_query_body:
            body, content_type, in_url = text.encode("utf-8"), "application/sparql-query", params
        try:
            with post(self.query_endpoint, body, content_type, timeout=wait, accept=accept,
                      sparql_shift=shift, params=in_url) as response:
                cut = dialect.check_answer(self.query_endpoint.url, response.headers, whole=whole)
                return _Answer(response.headers.get_content_type(),
                               dialect.fix_answer(response.read()), cut)
        except StoreUnavailable as error:
            error.message = dialect.explain(error.message)
            error.args = (error.message,)
            raise

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
            self.dialect.check_answer(self.query_endpoint.url, response.headers, whole=True)
            fmt = ox.QueryResultsFormat.from_media_type(response.headers.get_content_type())
            source = (io.BytesIO(self.dialect.fix_answer(response.read()))
                      if self.dialect.answer_fixes else response)
            try:
                for row in self._solutions(ox.parse_query_results(source, format=fmt)):
                    yield ox.Quad(row["s"], row["p"], row["o"], row["g"])
            except SyntaxError as error:
                raise self._garbled(error) from None

    def is_empty(self) -> bool:
        # Staging graphs do not count: another process may be filling a new
        # store right now and this one must then fill it too, not serve it half
        # filled.
        if any(not g.startswith(STAGING_GRAPH_PREFIX) for g in self._read_state().every):
            return False
        if self.dialect.default_graph:
            return True
        # No dataset: the server's own, whose default graph may hold triples.
        return not self._ask("ASK { ?s ?p ?o }")

    @property
    def data_version(self) -> str:
        return self._state().version

    # -- writing ---------------------------------------------------------
    def update(self, sparql: str) -> str:
        self._writable()
        with self._write_lock:
            text = self.dialect.update_text(sparql.rstrip().rstrip(";"),
                                            lambda: list(self._read_state().every))
            text, shift = with_prefixes(text, self._prefixes)
            bump, mark = self.dialect.version_update(self._version_before())
            # A newline first, in case the text ends in a comment.
            answer = self._run_update(text + "\n;\n" + bump, shift=shift)
            return self._landed(mark, answer)

    def write_quads(self, batches: Iterable[Iterable[ox.Quad]], *,
                    replace: bool = True, graphs: Iterable[str] = (),
                    add: Iterable[ox.Quad] = (), keep: Mapping[str, str] | None = None,
                    progress: Callable[[str, int, int], None] | None = None) -> WriteSummary:
        """As Store.write_quads. The quads go to staging graphs, one per upload
        request, each counted against what was sent to it; one update then
        copies them into place, keeps each kept version in a hidden graph,
        adds `add` and writes the version mark; the targets and kept versions
        are then counted against what they must hold. Any difference is a
        WriteNotLanded."""
        self._writable()
        with self._write_lock:
            run = f"{STAGING_GRAPH_PREFIX}{int(time.time())}-{uuid.uuid4().hex[:16]}:"
            # target graph ("" the default graph) -> its staging graphs
            staging: dict[str, list[str]] = {name: [] for name in graphs}
            sent: dict[str, int] = {}
            answers: list[str] = []
            try:
                for chunk in _chunks(batches, UPLOAD_TRIPLES):
                    for name, triples in chunk.items():
                        stage = f"{run}{len(sent)}"
                        staging.setdefault(name, []).append(stage)
                        sent[stage] = len(triples)
                        answers.append(self._upload(stage, list(triples)))
                published = set(self._state().graphs)
                kept = {HISTORY_GRAPH_PREFIX + version: graph
                        for graph, version in (keep or {}).items() if graph in published}
                counts = self._counts([*sent, *kept.values()])
                self._check_staged(sent, counts, answers)
                written = {t: self._union_count(s, counts) for t, s in staging.items()}
                expected = {t: written[t] if replace else
                            self._union_count([*s, self._on_engine(t)], counts)
                            for t, s in staging.items()}
                expected_kept = {hidden: counts.get(graph, 0) for hidden, graph in kept.items()}
                steps = [self.dialect.copy_graph(graph, hidden, replace=True)
                         for hidden, graph in kept.items()]
                for target, stages in staging.items():
                    place = self._on_engine(target)
                    if replace:
                        steps.append(f"DROP SILENT GRAPH <{place}>" if place else "DROP SILENT DEFAULT")
                    steps += [self.dialect.copy_graph(stage, place) for stage in stages]
                added = list(add)
                if added:
                    steps.append("INSERT DATA {\n" + "".join(
                        f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}\n"
                        for q in added) + "}")
                steps += [f"DROP SILENT GRAPH <{g}>" for g in self._stale_staging()]
                bump, mark = self.dialect.version_update(self._version_before())
                steps.append(bump)
                answer = self._run_update(" ;\n".join(steps))
                version = self._landed(mark, answer)
                self._check_targets({**expected, **expected_kept}, added, answer)
            finally:
                self._drop_quietly(sent)
        return WriteSummary(graphs=written, data_version=version, replaced=replace)

    def saved(self, version: str, graph: str) -> Iterable[ox.Quad]:
        hidden = HISTORY_GRAPH_PREFIX + version
        target = ox.NamedNode(graph)
        rows = self._select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{hidden}> {{ ?s ?p ?o }} }}",
                            named=[hidden])
        if not rows:
            raise PartnergraphError(f"The content of version {version} is not kept on the server "
                                    f"any more (no graph <{hidden}>); it cannot be restored.")
        return [ox.Quad(row["s"], row["p"], row["o"], target) for row in rows]

    def close(self) -> None:
        # Every request has its own connection; there is nothing to release.
        self._derived.close()
        self._cached = None

    # -- checking that writes landed -----------------------------------------
    def _version_before(self) -> str:
        """The data version a write counts on, for a dialect that works the next
        one out here ("" for one that works it out on the engine)."""
        return "" if self.dialect.version_on_engine else self._read_state().version

    def _landed(self, mark: str, answer: str) -> str:
        """The new data version, once the version written with the update
        (recognised by `mark`) is read back; else WriteNotLanded."""
        self._cached = None
        version = self._state().version
        self._derived.refresh()
        if not any(v.endswith("-" + mark) for v in version.split("+")):
            raise WriteNotLanded(
                f"The SPARQL endpoint {self._writable().url} acknowledged the update but did "
                f"not apply it: the data version written in the same request is not there "
                f"(it holds {version}). Nothing is reported as written. The engine answered: "
                f"{answer}", answer=answer)
        return version

    def _check_staged(self, sent: dict[str, int], counts: dict[str, int],
                      answers: list[str]) -> None:
        short = {stage: (n, counts.get(stage, 0)) for stage, n in sent.items()
                 if counts.get(stage, 0) != n}
        if short:
            sent_total = sum(n for n, _ in short.values())
            held = sum(h for _, h in short.values())
            raise WriteNotLanded(
                f"The store {self._upload_url()} acknowledged {sent_total} triples and holds "
                f"{held} of them: the write is stopped and nothing is reported as written. "
                f"The engine answered: {'; '.join(dict.fromkeys(answers))}",
                answer="; ".join(answers))

    def _check_targets(self, expected: dict[str, int], added: list[ox.Quad],
                       answer: str) -> None:
        """Each graph holds what it must after the write, and the quads added
        to their graphs are there."""
        places = {t: self._on_engine(t) for t in expected}
        counted = self._counts(p for p in places.values() if p)
        found = {t: counted.get(p, 0) if p else self._default_graph_count()
                 for t, p in places.items()}
        # A graph that also got added quads holds at least what it must.
        added_to = {str(q.graph_name)[1:-1] for q in added}
        wrong = [f"{t or 'the default graph'} holds {found[t]} triples, not {n}"
                 for t, n in expected.items()
                 if found[t] < n or (found[t] != n and t not in added_to)]
        if added and not self._ask("ASK { " + " ".join(
                f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}"
                for q in added) + " }", named=sorted({str(q.graph_name)[1:-1] for q in added})):
            wrong.append("the record of the write is not there")
        if wrong:
            raise WriteNotLanded(
                f"The SPARQL endpoint {self._writable().url} acknowledged the update that moves "
                f"the new triples into place, but {'; '.join(wrong)}. The engine answered: "
                f"{answer}", answer=answer)

    # -- internals -------------------------------------------------------
    def _on_engine(self, graph: str) -> str:
        """The name of a graph on the engine: "" (the default graph) is a
        named graph on an engine without a default graph of its own."""
        return graph or (self.dialect.default_graph or "")

    def _state(self) -> _State:
        state = self._cached
        if state is None or time.monotonic() - state.read_at >= self.state_ttl:
            state = self._read_state()
            self._cached = state
        return state

    def _read_state(self) -> _State:
        dialect = self.dialect
        rows = self._select(
            f"SELECT ?g ?v WHERE {{ {{ {dialect.list_graphs} }} UNION "
            f"{{ GRAPH <{SYSTEM_GRAPH}> {{ <{SYSTEM_GRAPH}> <{_VERSION}> ?v }} }} }}",
            dataset=False)
        names = {row["g"].value for row in rows
                 if isinstance(row["g"], ox.NamedNode) and not dialect.own_graphs(row["g"].value)}
        # Oxigraph serve lets updates from two processes run side by side: both
        # see the same version, and each adds its own next one. The version is
        # then all of them, so that it still changes with each of those writes;
        # the next write leaves one again.
        versions = sorted({row["v"].value for row in rows if row["v"] is not None})
        return _State(
            version="+".join(versions) or "0",
            graphs=tuple(sorted(n for n in names if not is_internal_graph(n))),
            staging=tuple(n for n in names if n.startswith(STAGING_GRAPH_PREFIX)),
            every=tuple(sorted(names)),
            read_at=time.monotonic())

    def _counts(self, graphs: Iterable[str]) -> dict[str, int]:
        graphs = list(graphs)
        if not graphs:
            return {}
        rows = self._select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", named=graphs)
        return {row["g"].value: int(row["n"].value) for row in rows}

    def _default_graph_count(self) -> int:
        """The triples in the engine's own default graph (asked with no dataset)."""
        rows = self._select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", dataset=False)
        return int(rows[0]["n"].value)

    def _union_count(self, graphs: list[str], counts: dict[str, int]) -> int:
        """The distinct triples in the union of these graphs (which need not exist)."""
        if not graphs:
            return 0
        if len(graphs) == 1 and graphs[0] in counts:
            return counts[graphs[0]]
        named = [g for g in graphs if g]
        pattern = "GRAPH ?g { ?s ?p ?o }"
        if "" in graphs:
            # The engine's own default graph is only seen with no dataset.
            pattern = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } " + (
                "FILTER (?g IN (" + ", ".join(f"<{g}>" for g in named) + ")) }" if named
                else "FILTER (false) }")
        rows = self._select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {pattern} }} }}",
            named=named, dataset="" not in graphs)
        return int(rows[0]["n"].value)

    def _select(self, sparql: str, *, named: list[str] | None = None,
                dataset: bool = True) -> list[ox.QuerySolution]:
        answer = self._send_query(sparql, ([], named or []) if dataset else None,
                                  timeout=None, accept=_ROWS)
        return list(self._solutions(self._result(answer.media_type, answer.data)))

    def _ask(self, sparql: str, *, named: list[str] | None = None) -> bool:
        """No dataset unless `named` graphs are given."""
        answer = self._send_query(sparql, None if named is None else ([], named),
                                  timeout=None, accept=_ROWS)
        result = self._result(answer.media_type, answer.data)
        if isinstance(result, ox.QuerySolutions):
            return any(_true(term) for row in result for term in row)
        return bool(result)

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
                "only guessed when PARTNERGRAPH_STORE ends in /query, or in /sparql "
                "on Virtuoso).")
        return self.update_endpoint

    def _run_update(self, sparql: str, *, shift: int | None = None) -> str:
        """Send an update; returns what the engine answered, for messages."""
        endpoint = self._writable()
        preamble = self.dialect.update_preamble
        if shift is not None:
            shift += len(preamble)
        try:
            with post(endpoint, (preamble + sparql).encode("utf-8"), "application/sparql-update",
                      timeout=WRITE_TIMEOUT, sparql_shift=shift) as response:
                return _answered(response.status, response.headers, response.read())
        except StoreUnavailable as error:
            if error.status is not None and is_update_refusal(error.answer):
                raise UpdateRefused(f"The update was refused: {error.answer}") from None
            error.message = self.dialect.explain(error.message)
            error.args = (error.message,)
            raise
        except QueryTimeout:
            raise StoreUnavailable(
                f"The SPARQL endpoint {endpoint.url} did not confirm an update "
                f"within {WRITE_TIMEOUT:g} seconds; it may or may not have been applied.") from None

    def _upload_url(self) -> str:
        return (self.gsp_endpoint or self._writable()).url

    def _upload(self, stage: str, triples: list[str]) -> str:
        """Put triples (N-Triples lines) in a staging graph; returns what the
        engine answered."""
        gsp = self.gsp_endpoint
        if gsp is not None:
            try:
                return self._post_graph(gsp, stage, "".join(triples).encode("utf-8"))
            except StoreUnavailable as error:
                if not (self._gsp_guessed and error.status in (404, 405)):
                    raise
                self.gsp_endpoint = None
        chunk = self.dialect.insert_chunk or len(triples) or 1
        answers = [self._run_update(f"INSERT DATA {{ GRAPH <{stage}> {{\n"
                                    + "".join(triples[at:at + chunk]) + "} }")
                   for at in range(0, len(triples), chunk)]
        return "; ".join(dict.fromkeys(answers))

    def _post_graph(self, endpoint: Endpoint, graph: str, ntriples: bytes) -> str:
        with post(endpoint, ntriples, "application/n-triples",
                  timeout=WRITE_TIMEOUT, params=[("graph", graph)]) as response:
            return _answered(response.status, response.headers, response.read())

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


def _chunks(batches: Iterable[Iterable[ox.Quad]], size: int) -> Iterator[dict[str, dict[str, None]]]:
    """The quads of each batch as N-Triples lines by graph name ("" the default
    graph), each line once, in pieces of at most `size` quads, so that a large
    batch is never held whole."""
    for batch in batches:
        lines: dict[str, dict[str, None]] = {}
        held = 0
        for quad in batch:
            name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
            lines.setdefault(name, {})[f"{quad.subject} {quad.predicate} {quad.object} .\n"] = None
            held += 1
            if held >= size:
                yield lines
                lines, held = {}, 0
        if lines:
            yield lines


def _answered(status: int, headers: Message, body: bytes) -> str:
    """What an engine answered to a write, in a few words for a message."""
    said = body[:300].decode("utf-8", errors="replace").strip()
    return f"HTTP {status}" + (f" {said!r}" if said else " with no body")


def _true(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> bool:
    return isinstance(term, ox.Literal) and term.value.lower() in ("1", "true")


def _boolean(value: bool) -> ox.QueryBoolean:
    # pyoxigraph makes QueryBoolean only as a query's answer.
    answer = ox.Store().query("ASK {}" if value else "ASK { FILTER (false) }")
    assert isinstance(answer, ox.QueryBoolean)
    return answer


def _query_triples(quads: Iterable[ox.Quad]) -> ox.QueryTriples:
    # pyoxigraph makes QueryTriples only as a query's answer: ask a scratch
    # store holding the triples for all of them.
    scratch = ox.Store()
    scratch.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result
