"""One import, start to end: read a CSV or RDF file, check it against the
shapes, work out what it changes in its graph, and, only if all is well and
something changes, replace the graph (keeping the old content; see history)."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.errors import ParseError, PartnergraphError
from graph.ingest.csv_import import read_csv
from graph.ingest.history import FileFacts, check_target, replace_graph
from graph.ingest.load import parse_bytes
from graph.ingest.report import Diff, ImportReport, Match, Problem
from graph.ingest.validate import short, validate_quads
from graph.iris import graph_for
from graph.rdf.formats import rdf_format_for
from graph.store.base import Store

# Read as spreadsheets: CSV, and workbooks, which the CSV reader refuses
# with how to save them as CSV.
SHEET_EXTENSIONS = (".csv", ".xlsx", ".xls", ".ods")


@dataclass
class PreparedImport:
    report: ImportReport
    quads: list[ox.Quad] = field(default_factory=list)
    sha256: str = ""


def prepare_import(store: Store, data: bytes, filename: str,
                   graph: str | None = None) -> PreparedImport:
    """Everything up to the write: the report (problems, matches, diff)."""
    target = graph or graph_for(Path(filename), store.base_iri)
    check_target(target, store.base_iri)
    report = ImportReport(source=filename, graph=target)
    prepared = PreparedImport(report, sha256=hashlib.sha256(data).hexdigest())
    rows_of: dict[str, list[int]] = {}
    if filename.lower().endswith(SHEET_EXTENSIONS):
        content = read_csv(data, filename, target, store)
        report.rows, report.matches, rows_of = content.rows, content.matches, content.rows_of
        report.new_places = content.new_places
        report.problems += content.problems
        report.warnings += content.warnings
        prepared.quads = content.quads
    else:
        prepared.quads = _read_rdf(data, filename, target, graph is not None, report,
                                  store.base_iri)
        report.rows = len(prepared.quads)
    _check(store, prepared, filename, rows_of)
    return prepared


def prepare_quads(store: Store, quads: list[ox.Quad], source: str, graph: str, *,
                  rows: int, sha256: str, problems: Iterable[Problem] = (),
                  matches: Iterable[Match] = ()) -> PreparedImport:
    """As prepare_import, for content already turned into RDF (a data set,
    graph/ingest/datasets.py), so that it is checked, diffed and recorded
    the same way as a steward's file."""
    check_target(graph, store.base_iri)
    report = ImportReport(source=source, graph=graph, rows=rows)
    report.problems += list(problems)
    report.matches = list(matches)
    prepared = PreparedImport(report, quads, sha256=sha256)
    _check(store, prepared, source, {})
    return prepared


def _check(store: Store, prepared: PreparedImport, filename: str,
           rows_of: dict[str, list[int]]) -> None:
    report, target = prepared.report, prepared.report.graph
    if report.problems:
        return
    validation = validate_quads(prepared.quads, filename, store.base_iri, store)
    for v in validation.violations:
        label = f" ({v.focus_label})" if v.focus_label else ""
        rows = rows_of.get(v.focus_node)
        report.problems.append(Problem(
            f"<{v.focus_node}>{label} breaks {short(v.shape)}"
            + (f" (value {v.value})" if v.value else "") + ".",
            v.message, row=rows[0] if rows else None, column=short(v.path) if v.path else None))
    if not report.problems:
        report.diff = diff(store.quads(target) if target in store.graph_names() else [],
                           prepared.quads)


def apply_import(store: Store, prepared: PreparedImport, *, agent: str) -> ImportReport:
    """Write a prepared import, unless it has problems or changes nothing."""
    report = prepared.report
    if not report.ok:
        return report
    if report.diff is None or report.diff.unchanged:
        report.data_version = store.data_version
        return report
    summary, version = replace_graph(
        store, report.graph, prepared.quads, agent=agent,
        file=FileFacts(report.source, prepared.sha256, report.rows))
    report.written, report.data_version, report.version = True, summary.data_version, version
    return report


def import_file(store: Store, path: str | Path, graph: str | None = None, *,
                dry_run: bool = False, agent: str) -> ImportReport:
    path = Path(path)
    if not path.is_file():
        raise PartnergraphError(f"No such file: {path}")
    prepared = prepare_import(store, path.read_bytes(), path.name, graph)
    return prepared.report if dry_run else apply_import(store, prepared, agent=agent)


def diff(old, new) -> Diff:
    """Triples added and removed, with blank nodes compared by structure
    (parsing gives them new names each time, so names say nothing)."""
    before, after = _canonical(old), _canonical(new)
    return Diff(added=sorted(after - before, key=str), removed=sorted(before - after, key=str))


def _canonical(quads) -> set[ox.Triple]:
    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {ox.Triple(q.subject, q.predicate, q.object) for q in dataset}


def _read_rdf(data: bytes, filename: str, target: str, forced: bool,
              report: ImportReport, base_iri: str) -> list[ox.Quad]:
    try:
        fmt = rdf_format_for(Path(filename))
        quads = list(parse_bytes(data, fmt, base_iri, source=filename))
    except ParseError as error:
        report.problems.append(Problem(
            error.message, "Correct the syntax there; nothing else can be checked until the file parses.",
            line=error.line, column=f"character {error.column}" if error.column else None))
        return []
    except PartnergraphError as error:
        report.problems.append(Problem(str(error), "Rename the file with one of those extensions."))
        return []
    named = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    if named and (forced or len(named) > 1 or any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)):
        report.problems.append(Problem(
            "The file puts triples in " + ", ".join(f"<{g}>" for g in sorted(named))
            + " as well as elsewhere; an import replaces one graph.",
            "Import one graph per file, with all triples in the default graph or in one named graph."))
        return []
    if named:
        report.graph = target = named.pop()
        check_target(target, base_iri)
    node = ox.NamedNode(target)
    return [ox.Quad(q.subject, q.predicate, q.object, node) for q in quads]
