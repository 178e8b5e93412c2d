"""`partnergraph query`: a query run under the same rules as the SPARQL
endpoint's (time limit, row cap, allowed endpoints), written for a terminal
or in a standard format."""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from graph.errors import UnsupportedFormat
from graph.rdf.formats import BOOLEAN_RESULTS, RESULTS, TRIPLE_FORMATS, by_name
from graph.sparql.results import BOOLEAN, GRAPH, form_kind, text_table
from graph.sparql.text import read_query
from graph.store.base import Store

TABLE = "table"


@dataclass(frozen=True)
class CliAnswer:
    data: bytes
    cut_off: int | None = None   # the row cap, when it left rows out


def formats_for(kind: str) -> list[str]:
    if kind == GRAPH:
        return [f.name for f in TRIPLE_FORMATS]
    return [TABLE, *(f.name for f in (BOOLEAN_RESULTS if kind == BOOLEAN else RESULTS))]


def run_query(store: Store, sparql: str, fmt: str | None = None) -> CliAnswer:
    """Run `sparql` and write the answer: SELECT and ASK as json, xml, csv,
    tsv or a text table; CONSTRUCT and DESCRIBE as turtle, nt, jsonld or
    rdfxml. Without `fmt`: a table, or Turtle for a graph."""
    kind = form_kind(read_query(sparql).form)
    fmt = fmt or (TABLE if kind != GRAPH else "turtle")
    if fmt not in formats_for(kind):
        name = {BOOLEAN: "An ASK", GRAPH: "A CONSTRUCT or DESCRIBE"}.get(kind, "A SELECT")
        raise UnsupportedFormat(
            f"{name} query cannot be written as {fmt!r}; use one of "
            + ", ".join(formats_for(kind)))
    if fmt != TABLE:
        chosen = by_name(TRIPLE_FORMATS if kind == GRAPH else RESULTS, fmt)
        output = store.sparql_query(sparql, result_format=chosen.engine_name,
                                    graph_format=chosen.engine_name)
        return CliAnswer(output.read(), output.row_limit if output.cut else None)
    output = store.sparql_query(sparql, result_format="JSON")
    table, _ = text_table(ox.parse_query_results(output.read(),
                                                 format=ox.QueryResultsFormat.JSON))
    return CliAnswer(table.encode("utf-8"), output.row_limit if output.cut else None)
