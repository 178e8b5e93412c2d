"""A query's answer: its form, already serialised, and as a table for a terminal."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO

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
    service's rules put on the query, when they did, and `cut` says whether
    the cap left rows out (the query had more than `row_limit`)."""
    kind: str
    first: bytes
    rest: Iterator[bytes]
    complete: bool = False    # `first` is the whole result
    row_limit: int | None = None
    cut: bool = False

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


class _Triples:
    """Triples already read, written out as a QueryTriples writes itself."""

    def __init__(self, triples: list[ox.Triple]):
        self.triples = triples

    def serialize(self, output: BinaryIO | None = None, format=None):
        return ox.serialize(self.triples, output, format=format)


def within_cap(result, cap: int):
    """The result cut to `cap` rows (solutions of a SELECT, triples of a
    CONSTRUCT or DESCRIBE), and whether that left any out. The rules ask
    the engine for one row more than the cap, so that one row too many
    tells a cut answer from one that fits exactly. The solutions pass
    through TSV (one row a line) to be counted and cut without a parser of
    every format; the result written from it is the same, term for term."""
    if isinstance(result, ox.QuerySolutions):
        tsv = result.serialize(format=ox.QueryResultsFormat.TSV)
        assert tsv is not None
        end = -1
        for _ in range(cap + 1):            # the header line, then `cap` rows
            end = tsv.find(b"\n", end + 1)
            if end == -1:
                break
        cut = end != -1 and end + 1 < len(tsv)
        if cut:
            tsv = tsv[:end + 1]
        return ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV), cut
    if isinstance(result, ox.QueryTriples):
        triples = list(islice(result, cap + 1))
        return _Triples(triples[:cap]), len(triples) > cap
    return result, False


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
