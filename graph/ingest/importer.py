"""One import, start to end: read a CSV or RDF file, check it against the
shapes, work out what it changes in its graph, and, only if all is well and
something changes, replace the graph (keeping the old content; see history).

Every step streams: the content is held compressed (graph/ingest/content.py),
checked a part at a time (graph/ingest/validate.py) and compared a part at a
time (graph/ingest/diff.py), so that memory stays bounded whatever the size
of the file. A `progress` callback (graph/ingest/progress.py) hears each step."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.errors import ParseError, PartnergraphError, UnsupportedFormat
from graph.ingest.csv_import import read_csv
from graph.ingest.diff import DiffBuilder
from graph.ingest.gc_pause import cycle_collection_paused
from graph.ingest.history import FileFacts, check_target, replace_graph
from graph.ingest.load import parse_bytes
from graph.ingest.messages import Bilingual
from graph.ingest.progress import ProgressCallback
from graph.ingest.report import ImportReport, Match, Problem
from graph.ingest.validate import inverse_predicates, short, validate_quads
from graph.iris import graph_for
from graph.rdf.compressed import PART_TRIPLES, CompressedTriples, parts_for
from graph.rdf.formats import rdf_extensions, rdf_format_for
from graph.store.base import Store

# Read as spreadsheets: CSV, and workbooks, which the CSV reader refuses
# with how to save them as CSV.
SHEET_EXTENSIONS = (".csv", ".xlsx", ".xls", ".ods")


@dataclass
class PreparedImport:
    report: ImportReport
    quads: CompressedTriples = field(default_factory=lambda: CompressedTriples(None).close())
    sha256: str = ""


def prepare_import(store: Store, data: bytes, filename: str,
                   graph: str | None = None, *,
                   progress: ProgressCallback | None = None) -> PreparedImport:
    """Everything up to the write: the report (problems, matches, diff)."""
    with cycle_collection_paused():
        return _prepare(store, data, filename, graph, progress)


def _prepare(store: Store, data: bytes, filename: str, graph: str | None,
             progress: ProgressCallback | None) -> PreparedImport:
    target = graph or graph_for(Path(filename), store.base_iri)
    check_target(target, store.base_iri)
    report = ImportReport(source=filename, graph=target)
    prepared = PreparedImport(report, sha256=hashlib.sha256(data).hexdigest())
    rows_of: dict[str, list[int]] = {}
    if filename.lower().endswith(SHEET_EXTENSIONS):
        content = read_csv(data, filename, target, store, progress=progress,
                           index=inverse_predicates())
        report.rows, report.matches, rows_of = content.rows, content.matches, content.rows_of
        report.new_places = content.new_places
        report.problems += content.problems
        report.warnings += content.warnings
        prepared.quads = content.quads
    else:
        prepared.quads = _read_rdf(data, filename, target, graph is not None, report,
                                   store.base_iri)
        report.rows = len(prepared.quads)
    _check(store, prepared, filename, rows_of, progress)
    return prepared


def prepare_quads(store: Store, quads: list[ox.Quad] | CompressedTriples, source: str, graph: str, *,
                  rows: int, sha256: str, problems: Iterable[Problem] = (),
                  matches: Iterable[Match] = (),
                  progress: ProgressCallback | None = None) -> PreparedImport:
    """As prepare_import, for content already turned into RDF (a data set,
    graph/ingest/datasets.py), so that it is checked, diffed and recorded
    the same way as a steward's file."""
    check_target(graph, store.base_iri)
    report = ImportReport(source=source, graph=graph, rows=rows)
    report.problems += list(problems)
    report.matches = list(matches)
    if not isinstance(quads, CompressedTriples):
        quads = CompressedTriples.of(quads, graph, len(quads) // PART_TRIPLES + 1,
                                     index=inverse_predicates())
    prepared = PreparedImport(report, quads, sha256=sha256)
    _check(store, prepared, source, {}, progress)
    return prepared


def _check(store: Store, prepared: PreparedImport, filename: str,
           rows_of: dict[str, list[int]], progress: ProgressCallback | None) -> None:
    report, target = prepared.report, prepared.report.graph
    if report.problems:
        return
    # Compared with the graph as validation reads each part: one reading, not two.
    differ = DiffBuilder(store.quads(target) if target in store.graph_names() else [],
                         prepared.quads.parts)
    validation = validate_quads(prepared.quads, filename, store.base_iri, store, progress=progress,
                                each_part=differ.add_part)
    for v in validation.violations:
        rows = rows_of.get(v.focus_node)
        report.problems.append(Problem(
            "shape_violation_value" if v.value else "shape_violation",
            {"node": v.focus_node, "label": f" ({v.focus_label})" if v.focus_label else "",
             "shape": short(v.shape), "value": v.value or "",
             "rule": Bilingual(v.messages.get("sv", v.message), v.message)},
            row=rows[0] if rows else None, column=short(v.path) if v.path else None))
    if not report.problems:
        report.diff = differ.result()


def apply_import(store: Store, prepared: PreparedImport, *, agent: str,
                 progress: ProgressCallback | None = None) -> ImportReport:
    """Write a prepared import, unless it has problems or changes nothing."""
    report = prepared.report
    if not report.ok:
        return report
    if report.diff is None or report.diff.unchanged:
        report.data_version = store.data_version
        return report
    with cycle_collection_paused():
        summary, version = replace_graph(
            store, report.graph, prepared.quads, agent=agent,
            file=FileFacts(report.source, prepared.sha256, report.rows), progress=progress)
    report.written, report.data_version, report.version = True, summary.data_version, version
    return report


def import_file(store: Store, path: str | Path, graph: str | None = None, *,
                dry_run: bool = False, agent: str,
                progress: ProgressCallback | None = None) -> ImportReport:
    path = Path(path)
    if not path.is_file():
        raise PartnergraphError(f"No such file: {path}")
    prepared = prepare_import(store, path.read_bytes(), path.name, graph, progress=progress)
    return prepared.report if dry_run else apply_import(store, prepared, agent=agent,
                                                        progress=progress)


def _read_rdf(data: bytes, filename: str, target: str, forced: bool,
              report: ImportReport, base_iri: str) -> CompressedTriples:
    """The file's triples, bound for `target` or for the one named graph
    the file puts them in; an empty content, and the problem, when it puts
    them in several or cannot be read."""
    empty = CompressedTriples(target).close()
    named: set[str] = set()
    unnamed = False
    try:
        fmt = rdf_format_for(Path(filename))
        # Bound for the target until the file names its own graph (checked below).
        content = CompressedTriples(target, parts_for(len(data), bytes_per_triple=60),
                                    index=inverse_predicates())
        for quad in parse_bytes(data, fmt, base_iri, source=filename):
            if isinstance(quad.graph_name, ox.NamedNode):
                named.add(quad.graph_name.value)
            else:
                unnamed = True
            content.add((quad,))
    except ParseError as error:
        report.problems.append(Problem(
            "syntax_error", {"error": error.message},
            line=error.line, column=f"character {error.column}" if error.column else None))
        return empty
    except UnsupportedFormat:
        report.problems.append(Problem("unknown_rdf_format", {
            "file": filename, "extension": Path(filename).suffix or "(none)", "known": rdf_extensions()}))
        return empty
    if named and (forced or len(named) > 1 or unnamed):
        report.problems.append(Problem(
            "several_graphs", {"graphs": ", ".join(f"<{g}>" for g in sorted(named))}))
        return empty
    if named:
        report.graph = named.pop()
        check_target(report.graph, base_iri)
        content.graph = ox.NamedNode(report.graph)
    return content.close()
