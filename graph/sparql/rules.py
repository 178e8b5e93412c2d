"""The rules a SPARQL request from outside is run under, in one place: no
connection to endpoints the operator has not allowed, a row cap, a time limit,
the protocol's dataset, relative IRIs against the instance base.

`prepare_query` turns a request into a `QueryRequest` that any backend runs
as it is (see Store.sparql_query); the HTTP endpoint, the CLI and the pages
all pass through here, so the rules cannot differ between them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from graph.errors import QuerySyntaxError
from graph.settings import Settings
from graph.sparql.text import check_remote_access, limit_rows, read_query, read_update, tokens, walk


@dataclass(frozen=True)
class QueryRequest:
    """A query ready to run: its text (with the row cap in it), how to write
    the answer, the dataset, the time limit and the values of variables."""
    text: str
    form: str | None                     # SELECT, CONSTRUCT, DESCRIBE or ASK
    timeout: float
    result_format: str = "JSON"          # a QueryResultsFormat name, for SELECT and ASK
    graph_format: str = "TURTLE"         # an RdfFormat name, for CONSTRUCT and DESCRIBE
    # The protocol's dataset; "" is the store's own default graph. Without
    # them the query's own FROM applies (`has_dataset`), and without that
    # the union of the published graphs is the default graph.
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    has_dataset: bool = False
    # Variable name -> an RDF term in N-Triples form.
    bindings: dict[str, str] = field(default_factory=dict)
    # The cap the rules put in, if they did; the text then asks for one row
    # more, and the backend cuts the answer (graph.sparql.results.within_cap).
    row_limit: int | None = None

    @property
    def uses_union(self) -> bool:
        return self.default_graphs is None and self.named_graphs is None and not self.has_dataset


def prepare_query(text: str, settings: Settings, *, result_format: str = "JSON",
                  graph_format: str = "TURTLE", default_graphs: list[str] | None = None,
                  named_graphs: list[str] | None = None, timeout: float | None = None,
                  capped: bool = True, bindings: dict[str, str] | None = None,
                  row_cap: int | None = None) -> QueryRequest:
    """Check and shape a query. `timeout` may lower the configured limit, never
    raise it, and `row_cap` the row cap; `capped` puts the row cap in (off
    for whole-graph reads of the Graph Store Protocol). Raises Forbidden for
    SERVICE or LOAD elsewhere."""
    request = read_query(text)
    check_remote_access(request, settings.service_allow)
    cap = min(settings.max_rows, row_cap or settings.max_rows)
    run_text, was_capped = (limit_rows(request, cap, one_more=True) if capped
                            else (text, False))
    limit = min(timeout or settings.query_timeout, settings.query_timeout)
    return QueryRequest(
        text=run_text, form=request.form, timeout=limit,
        result_format=result_format, graph_format=graph_format,
        default_graphs=default_graphs, named_graphs=named_graphs,
        has_dataset=request.has_dataset, bindings=dict(bindings or {}),
        row_limit=cap if was_capped else None)


def prepare_update(text: str, settings: Settings, *, using_graphs: list[str] | None = None,
                   using_named_graphs: list[str] | None = None) -> str:
    """The update as the store runs it: checked, with the protocol's USING
    graphs, and with BASE set to the instance base on a first line of its own
    (the text's own BASE still wins; `unshift_line` gives the user's line)."""
    request = read_update(text)
    check_remote_access(request, settings.service_allow)
    if using_graphs or using_named_graphs:
        text = add_using(text, using_graphs or [], using_named_graphs or [])
    return f"BASE <{settings.base_iri}>\n{text}"


def unshift_line(error: QuerySyntaxError) -> QuerySyntaxError:
    """A syntax error of a prepared update, placed in the user's own text."""
    if error.line is not None:
        error.line -= 1
    return error


def add_using(text: str, graphs: list[str], named: list[str]) -> str:
    """The update with the protocol's using-graph-uri / using-named-graph-uri
    as USING clauses before the WHERE of each DELETE/INSERT operation. The
    protocol forbids combining them with USING or WITH in the text."""
    toks = tokens(text)
    if any(tok.kind == "word" and tok.upper in ("USING", "WITH") for tok in toks):
        raise QuerySyntaxError(
            "An update with USING or WITH cannot also be given using-graph-uri or "
            "using-named-graph-uri (SPARQL 1.1 Protocol, 2.2.3).")
    clause = " ".join([*(f"USING <{g}>" for g in graphs),
                       *(f"USING NAMED <{g}>" for g in named)]) + " "
    inserts = []
    previous = None
    for tok, depth in walk(toks):
        if depth == 0 and tok.kind == "word" and tok.upper == "WHERE":
            # DELETE WHERE { } is a shorthand that takes no USING.
            if not (previous is not None and previous.upper == "DELETE"):
                inserts.append(tok.start)
        previous = tok
    for at in reversed(inserts):
        text = text[:at] + clause + text[at:]
    return text
