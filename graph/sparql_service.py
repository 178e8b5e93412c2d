"""SPARQL queries and updates as the HTTP endpoint runs them: checked for
remote access, capped in size, limited in time, answered already serialised.

Both backends answer through here. The embedded store runs each query in a
worker process over a snapshot (see query_runner), so that the time limit
really stops it; a remote store is asked over HTTP with the same limit.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import QuerySyntaxError
from .namespaces import instance_prefixes
from .query_bindings import with_values
from .query_runner import QueryJob, QueryOutput, QueryRunner, result_form
from .settings import Settings
from .sparql_text import check_remote_access, limit_rows, read_query, read_update, tokens
from .store import Store


@dataclass
class Answer:
    output: QueryOutput
    form: str                 # "solutions", "boolean" or "graph"
    row_limit: int | None     # set when the service capped the result at this many rows


class SparqlService:
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings
        self._runner = QueryRunner(settings.query_workers) if hasattr(store, "snapshot") else None

    def query(self, text: str, *, result_format: str = "JSON", graph_format: str = "TURTLE",
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              timeout: float | None = None, capped: bool = True,
              bindings: dict[str, str] | None = None) -> Answer:
        """Run a query. Formats are pyoxigraph format names ("JSON", "TURTLE").
        `default_graphs`/`named_graphs` are the protocol's dataset; without them
        the query's own FROM clauses apply, and without those the union of the
        published graphs is the default graph. `capped`: apply the row limit.
        `bindings`: values of variables, each an RDF term in N-Triples form."""
        request = read_query(text)
        check_remote_access(request, self.settings.service_allow)
        capped_text, capped = (limit_rows(request, self.settings.max_rows) if capped
                               else (text, False))
        limit = min(timeout or self.settings.query_timeout, self.settings.query_timeout)
        if self._runner is None:
            if bindings:
                capped_text = with_values(capped_text, bindings)
            output = self._query_remote(capped_text, result_format, graph_format,
                                        default_graphs, named_graphs,
                                        request.has_dataset, limit)
        else:
            snapshot = self.store.snapshot()
            if snapshot.graphs is not None:
                # The copy holds a graph still being loaded: name the others.
                if default_graphs is None and not request.has_dataset:
                    default_graphs = ["", *snapshot.graphs]
                if named_graphs is None and not request.has_dataset:
                    named_graphs = list(snapshot.graphs)
            union = default_graphs is None and named_graphs is None and not request.has_dataset
            job = QueryJob(
                snapshot=snapshot.path, query=capped_text,
                result_format=result_format, graph_format=graph_format,
                prefixes=self._prefixes(), base_iri=self.settings.base_iri,
                default_graph=default_graphs, named_graphs=named_graphs, union_default=union,
                bindings=dict(bindings or {}))
            output = self._runner.run(job, limit)
        return Answer(output, output.form, self.settings.max_rows if capped else None)

    def update(self, text: str, *, using_graphs: list[str] | None = None,
               using_named_graphs: list[str] | None = None) -> str:
        """Run an update; returns the new data version."""
        request = read_update(text)
        check_remote_access(request, self.settings.service_allow)
        if using_graphs or using_named_graphs:
            text = add_using(text, using_graphs or [], using_named_graphs or [])
        # Relative IRIs resolve against the instance base, as in queries and
        # loaded files; the text's own BASE still wins. On a line of its own,
        # so that the engine's line numbers only need shifting back.
        try:
            return self.store.update(f"BASE <{self.settings.base_iri}>\n{text}")
        except QuerySyntaxError as error:
            if error.line is not None:
                error.line -= 1
            raise

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()

    def _prefixes(self) -> dict[str, str]:
        return instance_prefixes(self.settings.base_iri)

    def _query_remote(self, text, result_format, graph_format, default_graphs,
                      named_graphs, has_dataset, timeout) -> QueryOutput:
        """A store without snapshots (the remote one) answers itself, with the
        time limit as its HTTP timeout; its answer is serialised here. Without
        a dataset in the request the store shows the union of its graphs, or,
        for a query with FROM, lets the query name its own."""
        own = has_dataset and default_graphs is None and named_graphs is None
        result = self.store.query(text, default_graphs=default_graphs, named_graphs=named_graphs,
                                  own_dataset=own, timeout=timeout)
        form, fmt = result_form(result, result_format, graph_format)
        return QueryOutput(form, result.serialize(format=fmt), iter(()), complete=True)


def add_using(text: str, graphs: list[str], named: list[str]) -> str:
    """The update with the protocol's using-graph-uri / using-named-graph-uri
    as USING clauses before the WHERE of each DELETE/INSERT operation. The
    protocol forbids combining them with USING or WITH in the text."""
    toks = tokens(text)
    if any(t.kind == "word" and t.upper in ("USING", "WITH") for t in toks):
        raise QuerySyntaxError(
            "An update with USING or WITH cannot also be given using-graph-uri or "
            "using-named-graph-uri (SPARQL 1.1 Protocol, 2.2.3).")
    clause = " ".join([*(f"USING <{g}>" for g in graphs),
                       *(f"USING NAMED <{g}>" for g in named)]) + " "
    depth = 0
    inserts = []
    previous = None
    for tok in toks:
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
        elif depth == 0 and tok.kind == "word" and tok.upper == "WHERE":
            # DELETE WHERE { } is a shorthand that takes no USING.
            if not (previous is not None and previous.upper == "DELETE"):
                inserts.append(tok.start)
        previous = tok
    for at in reversed(inserts):
        text = text[:at] + clause + text[at:]
    return text

