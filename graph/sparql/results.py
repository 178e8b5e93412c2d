"""A query's answer: its form, already serialised, and as a table for a terminal."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

# What a query answers with, named as the protocol's result kinds.
SOLUTIONS, BOOLEAN, GRAPH = "solutions", "boolean", "graph"


def form_kind(form: str | None) -> str:
    """The kind of answer a query form gives (SELECT -> solutions)."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        return GRAPH
    return BOOLEAN if form == "ASK" else SOLUTIONS


@dataclass
class QueryOutput:
    """The start of a query's serialised result and the rest as a stream.
    `kind` is SOLUTIONS, BOOLEAN or GRAPH; `row_limit` is the cap the
    service's rules put on the query, when they did."""
    kind: str
    first: bytes
    rest: Iterator[bytes]
    complete: bool = False    # `first` is the whole result
    row_limit: int | None = None

    def __iter__(self) -> Iterator[bytes]:
        if self.first:
            yield self.first
        yield from self.rest

    def read(self) -> bytes:
        return b"".join(self)


def result_form(result, result_format: str, graph_format: str):
    """The kind of a pyoxigraph result and the pyoxigraph format, named by
    `result_format` or `graph_format`, to write it in."""
    if isinstance(result, ox.QuerySolutions):
        return SOLUTIONS, getattr(ox.QueryResultsFormat, result_format)
    if isinstance(result, ox.QueryBoolean):
        return BOOLEAN, getattr(ox.QueryResultsFormat, result_format)
    return GRAPH, getattr(ox.RdfFormat, graph_format)


def text_table(result: ox.QuerySolutions | ox.QueryBoolean) -> tuple[str, int]:
    """A result as aligned columns for a terminal, and its number of rows."""
    if isinstance(result, ox.QueryBoolean):
        return ("yes" if bool(result) else "no") + "\n", 0
    names = [v.value for v in result.variables]
    rows = [[_cell(solution[name]) for name in names] for solution in result]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n", len(rows)


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)
