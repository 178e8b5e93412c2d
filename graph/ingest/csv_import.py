"""A steward's spreadsheet (CSV) read, checked and turned into RDF.

The header says which template the sheet follows (partnerships or
municipalities, graph/ingest/template.py); each row then goes through the
converter of graph/ingest/rows.py, with names matched to the store as
graph/ingest/matching.py does it. Every row is checked and every broken row
reported, by row and column, each problem with its fix.

The sheet is read a row at a time and its triples kept compressed
(graph/rdf/compressed.py): a 50 MB sheet of 100,000 rows is held as its
bytes, its text and some 30 MB of triples, not as a list of rows and a
million Python objects."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from graph.ingest.markup import markup_warnings
from graph.ingest.matching import StoreMatcher
from graph.ingest.messages import Bilingual
from graph.ingest.progress import ProgressCallback, report_to
from graph.ingest.report import Match, NewPlace, Problem
from graph.ingest.rows import RowConverter
from graph.ingest.sheet_text import sheet_text
from graph.ingest.template import (
    DEFAULT_MUNICIPALITY_COUNTRY,
    MUNICIPALITY_COLUMNS,
    OPTIONAL_PARTNERSHIP_COLUMNS,
    PARTNERSHIP_COLUMNS,
    REQUIRED,
    canonical_column,
)
from graph.rdf.compressed import CompressedTriples, parts_for
from graph.store.base import Store


@dataclass
class CsvContent:
    quads: CompressedTriples
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    new_places: list[NewPlace] = field(default_factory=list)
    # Which rows each resource comes from, to place a SHACL violation on a row.
    rows_of: dict[str, list[int]] = field(default_factory=dict)


def read_csv(data: bytes, source: str, graph: str, store: Store, *,
             progress: ProgressCallback | None = None,
             index: frozenset[str] = frozenset()) -> CsvContent:
    """The sheet `data` (named `source`) as quads of `graph`, with the rows
    read, every problem found and the names matched to `store`. `progress`
    hears ("reading", bytes read, bytes) as the rows go by; `index` names
    predicates whose triples the content keeps at hand
    (graph/rdf/compressed.py)."""
    content = CsvContent(CompressedTriples(graph, parts_for(len(data)), index=index))
    sheet = sheet_text(data)
    content.warnings += sheet.warnings
    if sheet.problem:
        content.problems.append(sheet.problem)
        return _closed(content)
    lines = sheet.rows(report_to(progress, "reading", len(data)))
    header = next(lines, None)
    if not header or not any(cell.strip() for cell in header):
        content.problems.append(Problem("no_header", row=1))
        return _closed(content)
    columns = [canonical_column(h) for h in header]
    partnerships = "partner_municipality" in columns
    if partnerships:
        known = PARTNERSHIP_COLUMNS + OPTIONAL_PARTNERSHIP_COLUMNS
    elif "name" in columns:
        known = MUNICIPALITY_COLUMNS
    else:
        content.problems.append(Problem("unknown_template", row=1))
        return content
    for name in columns:
        if name not in known:
            content.problems.append(Problem("unknown_column", {"column": name, "columns": ", ".join(known)},
                                            row=1, column=name))
    for name in known:
        if name in REQUIRED and name not in columns:
            content.problems.append(Problem("missing_column", {"column": name}, row=1, column=name))
    if content.problems:
        return _closed(content)
    matcher = StoreMatcher(store, graph)
    converter = RowConverter(store.base_iri, graph, matcher, statements=True)
    convert = converter.partnership if partnerships else converter.municipality
    for number, cells in enumerate(lines, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        content.rows += 1
        row = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(columns)}
        if partnerships and not row.get("municipality_country"):
            row["municipality_country"] = DEFAULT_MUNICIPALITY_COUNTRY
        matcher.number = number
        content.warnings += markup_warnings(row, number)
        converted = convert(row)
        content.problems += [replace(problem, row=number) for problem in converted.problems]
        if content.problems:
            # Nothing will be written: the rows are read on for their problems only.
            continue
        content.quads.add(converted.quads)
        for subject in {quad.subject for quad in converted.quads}:
            if isinstance(subject, ox.NamedNode):
                content.rows_of.setdefault(subject.value, []).append(number)
    content.matches, content.new_places = matcher.matches, matcher.new_places
    if not content.rows:
        thing = Bilingual("samarbete", "partnership") if partnerships else Bilingual("kommun", "municipality")
        content.problems.append(Problem("no_rows", {"thing": thing}, row=2))
    return _closed(content)


def _closed(content: CsvContent) -> CsvContent:
    content.quads.close()
    return content
