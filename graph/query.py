"""Running a SPARQL query and writing its result in a standard format."""
from __future__ import annotations

import pyoxigraph as ox

from .errors import UnsupportedFormat
from .formats import GRAPH_FORMATS, RESULT_FORMATS
from .store import QueryResult, Store

TABLE = "table"


def query_kind(result: QueryResult) -> str:
    if isinstance(result, ox.QueryBoolean):
        return "ask"
    if isinstance(result, ox.QuerySolutions):
        return "select"
    return "construct"


def formats_for(kind: str) -> list[str]:
    if kind == "construct":
        return list(GRAPH_FORMATS)
    return [TABLE, *RESULT_FORMATS]


def run_query(store: Store, sparql: str, fmt: str | None = None) -> bytes:
    """Run `sparql` and serialise the result: SELECT and ASK as json, xml,
    csv, tsv or a text table; CONSTRUCT and DESCRIBE as turtle, nt, jsonld
    or rdfxml. Without `fmt`: a table, or Turtle for a graph."""
    result = store.query(sparql)
    kind = query_kind(result)
    fmt = fmt or (TABLE if kind != "construct" else "turtle")
    if fmt not in formats_for(kind):
        name = {"ask": "An ASK", "select": "A SELECT"}.get(kind, "A CONSTRUCT or DESCRIBE")
        raise UnsupportedFormat(
            f"{name} query cannot be written as {fmt!r}; use one of "
            + ", ".join(formats_for(kind)))
    if fmt == TABLE:
        return text_table(result).encode("utf-8")
    if kind == "construct":
        return result.serialize(format=GRAPH_FORMATS[fmt])
    return result.serialize(format=RESULT_FORMATS[fmt])


def text_table(result: QueryResult) -> str:
    """A result as aligned columns for a terminal."""
    if isinstance(result, ox.QueryBoolean):
        return ("yes" if bool(result) else "no") + "\n"
    names = [v.value for v in result.variables]
    rows = [[_cell(solution[name]) for name in names] for solution in result]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)
