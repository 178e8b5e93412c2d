"""Imports and undo of sheets too big to check in one piece: the content is
held compressed and checked a part at a time, written in bounded steps, and
kept versions live beside the store; none of it may change what lands in
the graph, what is reported, or what undo brings back."""
from __future__ import annotations

import csv
import functools
import gc
import gzip
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.cli import main
from graph.ingest.bundled import open_initialised
from graph.ingest.history import restore, versions
from graph.ingest.importer import import_file, prepare_import
from graph.ingest.matching import StoreMatcher
from graph.ingest.progress import StageBars
from graph.ingest.rows import RowConverter
from graph.ingest.shape_screen import Facts
from graph.ingest.template import DEFAULT_MUNICIPALITY_COUNTRY
from graph.ingest.validate import (
    _reference_context,
    _run_pyshacl,
    _screen,
    inverse_predicates,
    validate_files,
    validate_quads,
)
from graph.rdf.compressed import CompressedTriples
from graph.rdf.namespaces import HISTORY_GRAPH_PREFIX, PG, SYSTEM_GRAPH
from graph.store.open import open_store
from tests.support.csv_files import graph_triples
from tests.support.processes import partnergraph_command, subprocess_env

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

import partnerships_csv  # noqa: E402  # the benchmark's generator of big sheets

BASE = "https://w3id.org/partnergraph/id/"
GRAPH = BASE + "graph/register"


def sheet(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, partnerships_csv.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def register() -> list[dict[str, str]]:
    """4,000 rows of real names: about 60,000 triples, several parts."""
    return list(partnerships_csv.rows(4000, seed=3))


def converted(store, rows: list[dict[str, str]]) -> set[tuple[str, str, str]]:
    """The triples the rows give, converted one by one and gathered in a set,
    as an import did before it streamed."""
    matcher = StoreMatcher(store, GRAPH)
    converter = RowConverter(store.base_iri, GRAPH, matcher, statements=True)
    found = set()
    for number, row in enumerate(rows, start=2):
        row = {name: value.strip() for name, value in row.items()}
        row["municipality_country"] = row["municipality_country"] or DEFAULT_MUNICIPALITY_COUNTRY
        matcher.number = number
        result = converter.partnership(row)
        assert not result.problems, (number, result.problems)
        found |= {(str(q.subject), str(q.predicate), str(q.object)) for q in result.quads}
    return found


def test_a_sheet_of_thousands_of_rows_lands_as_its_rows_convert(store, tmp_path, register):
    path = tmp_path / "register.csv"
    path.write_bytes(sheet(register))
    prepared = prepare_import(store, path.read_bytes(), path.name, GRAPH)
    assert prepared.quads.parts > 1
    expected = converted(store, register)
    report = import_file(store, path, GRAPH, agent="steward")
    assert report.ok and report.written, report.text()
    assert graph_triples(store, GRAPH) == expected
    assert report.diff is not None and report.diff.added_count == len(expected)
    # The report shows the first of them, not a million lines.
    assert len(report.diff.added) <= report.diff.added_count


def test_broken_rows_late_in_a_sheet_of_several_parts_are_reported_and_nothing_is_written(
        store, tmp_path, register):
    rows = [dict(row) for row in register]
    rows[3900]["kind"] = "best friends"
    rows[3950]["partner_country"] = "Atlantis"
    version, graphs = store.data_version, store.graphs()
    path = tmp_path / "register.csv"
    path.write_bytes(sheet(rows))
    report = import_file(store, path, GRAPH, agent="steward")
    assert not report.ok and not report.written
    assert [problem.row for problem in report.problems] == [3902, 3952]
    assert (store.data_version, store.graphs()) == (version, graphs)


def test_a_rule_broken_late_in_a_sheet_of_several_parts_is_reported_with_its_row(store, tmp_path, register):
    # A row late in the sheet names Göteborg by another name, so the import
    # adds that name to the store's Göteborg and checks it whole: with its
    # store facts, which here break a rule (two countries).
    rows = [dict(row) for row in register]
    rows[3990].update(municipality="Gothenburg", municipality_country="SE",
                      partner_municipality="Aarhus", partner_country="DK")
    store.update(f"INSERT DATA {{ GRAPH <{BASE}graph/mistake> {{ <{BASE}municipality/se/goteborg> "
                 f"<https://w3id.org/partnergraph/ontology#country> <{BASE}country/NO> }} }}")
    version = store.data_version
    path = tmp_path / "register.csv"
    path.write_bytes(sheet(rows))
    report = import_file(store, path, GRAPH, agent="steward")
    assert not report.ok and not report.written
    (country,) = report.problems
    assert country.row == 3992 and country.column == "pg:country" and "goteborg" in country.message
    assert store.data_version == version and GRAPH not in store.graph_names()


BROKEN = """
@prefix pg: <https://w3id.org/partnergraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
<municipality/fi/a> a pg:Municipality ; skos:prefLabel "A"@sv , "Ä"@sv ; pg:country <country/FI> ;
    geo:lat "91"^^xsd:decimal ; geo:long "east"^^xsd:decimal ; pg:officialCode "12" ;
    skos:altLabel "7"^^xsd:integer .
<municipality/fi/b> a pg:Municipality ; skos:prefLabel ""@en ; pg:country <country/FI>, <country/SE> ;
    schema:founder "someone" ; pg:region <country/FI> .
<municipality/fi/c> a pg:Municipality ; skos:prefLabel "C"@en ; pg:country "Finland" ;
    pg:fundedBy <org/f> .
<org/f> a pg:Funder ; skos:prefLabel "F"@sv .
<partnership/x> a pg:Partnership ; skos:prefLabel "X"@en ; pg:kind pg:Municipality ;
    pg:startDate "last spring" ; pg:status pg:Nonsense ;
    org:hasMember <municipality/fi/a>, "b" .
<theme/t> a pg:Theme ; skos:prefLabel "T"@en .
<merge/m> a pg:NameMerge ; pg:nameGiven "M" ; pg:nameCountry "FI" ; pg:matchedNode <municipality/fi/a> .
<municipality/fi/ok> a pg:Municipality ; skos:prefLabel "Ok"@sv ; pg:country <country/FI> ;
    geo:lat "60.1"^^xsd:decimal ; skos:altLabel "Okej" .
<partnership/ok> a pg:Partnership ; skos:prefLabel "Ok"@sv ; pg:kind pg:TwinTown ;
    pg:startDate "1999"^^xsd:gYear ; org:hasMember <municipality/fi/ok>, <municipality/fi/c> .
"""


def test_the_screen_and_pyshacl_report_the_same_violations(tmp_path):
    # The screen names suspects and pyshacl checks only those: its report must
    # be what pyshacl finds checking every node.
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN, encoding="utf-8")
    screened = validate_files([path], BASE)
    quads = list(ox.parse(BROKEN.encode(), format=ox.RdfFormat.TURTLE, base_iri=BASE))
    everything = _run_pyshacl(quads, {q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}, BASE)

    def key(v):
        return (v.focus_node, v.path, v.constraint, v.value)

    assert len(everything) >= 15
    assert sorted(map(key, screened.violations)) == sorted(map(key, everything))
    # And it is a screen: the nodes that keep every rule are not suspects.
    focus = {q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}
    suspects = _screen().suspects(Facts(quads + _reference_context(BASE).quads, frozenset({
        "https://w3id.org/partnergraph/ontology#fundedBy"})), focus)
    assert {n.value for n in suspects} == {v.focus_node for v in everything}


STATEMENTS = """
@prefix pg: <https://w3id.org/partnergraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<municipality/fi/a> a pg:Municipality ; skos:prefLabel "A"@sv ; pg:country <country/FI> .
<municipality/fi/b> a pg:Municipality ; skos:prefLabel "B"@sv ; pg:country <country/FI> .
<partnership/a--b> a pg:Partnership ; skos:prefLabel "A–B"@sv ; pg:kind pg:TwinTown ;
    org:hasMember <municipality/fi/a>, <municipality/fi/b> ; pg:sourceStatement <statement/1> .
<statement/1> a pg:SourceStatement ; pg:kind pg:TwinTown .
"""


def test_a_statement_met_twice_in_a_batch_and_its_context_is_no_suspect():
    # A sheet's statement and the partnership pointing at it fall in parts of
    # their own, and the pointing triple comes with both: counted once, as
    # SHACL counts value nodes, it keeps the rule of one partnership per
    # statement, and pyshacl is not asked about every row.
    quads = list(ox.parse(STATEMENTS.encode(), format=ox.RdfFormat.TURTLE, base_iri=BASE))
    pointing = [q for q in quads if q.predicate.value.endswith("#sourceStatement")]
    focus = {q.subject for q in quads if isinstance(q.subject, ox.NamedNode)}
    facts = Facts(quads + pointing + _reference_context(BASE).quads, inverse_predicates())
    assert not _screen().suspects(facts, focus)
    # Two partnerships stating one statement are still found.
    other = ox.Quad(ox.NamedNode(BASE + "partnership/other"), pointing[0].predicate, pointing[0].object)
    facts = Facts(quads + pointing + [other] + _reference_context(BASE).quads, inverse_predicates())
    assert ox.NamedNode(BASE + "statement/1") in _screen().suspects(facts, focus)


def test_undo_of_large_imports_brings_back_each_version_exactly(store, tmp_path, register):
    path = tmp_path / "register.csv"
    path.write_bytes(sheet(register))
    import_file(store, path, GRAPH, agent="steward")
    first = graph_triples(store, GRAPH)
    changed = [dict(row, notes="") if n % 3 else dict(row) for n, row in enumerate(register[:3000])]
    path.write_bytes(sheet(changed))
    assert import_file(store, path, GRAPH, agent="steward").written
    second = graph_triples(store, GRAPH)
    assert second != first
    restore(store, GRAPH, agent="steward")
    assert graph_triples(store, GRAPH) == first
    restore(store, GRAPH, agent="steward")        # undoing the undo
    assert graph_triples(store, GRAPH) == second
    history = versions(store, GRAPH)
    restore(store, GRAPH, history[-1].id, agent="steward")
    assert GRAPH not in store.graph_names()
    # Kept versions are no graphs: queries never meet them.
    assert not [g for g in store._ox.named_graphs() if g.value.startswith(HISTORY_GRAPH_PREFIX)]


def test_a_store_with_versions_in_hidden_graphs_moves_them_out_and_still_restores(store, settings, tmp_path):
    graph = BASE + "graph/a"
    for value in ("first", "second"):
        path = tmp_path / "a.ttl"
        path.write_text(f'<x:a> <x:b> "{value}" .', encoding="utf-8")
        assert import_file(store, path, agent="steward").written
    latest = versions(store, graph)[0]
    # As a store written before versions were kept in files holds it: in a
    # hidden graph, with no file and no record of one.
    saved = store._files.path(latest.id)
    hidden = ox.NamedNode(HISTORY_GRAPH_PREFIX + latest.id)
    store._ox.load(gzip.decompress(saved.read_bytes()), format=ox.RdfFormat.N_TRIPLES, to_graph=hidden)
    for marker in store._ox.quads_for_pattern(hidden, None, None, ox.NamedNode(SYSTEM_GRAPH)):
        store._ox.remove(marker)
    saved.unlink()
    store.close()
    with open_store(settings) as reopened:
        assert hidden not in set(reopened._ox.named_graphs())
        assert saved.is_file()
        restore(reopened, graph, agent="steward")
        assert {q.object.value for q in reopened.quads(graph)} == {"first"}


def test_an_undo_removes_every_kind_of_triple_and_only_its_graphs(store, tmp_path):
    # The undo removes what its saved copy lists as text; blank nodes, which
    # that text cannot name, and a literal that reads like one are removed too.
    graph = BASE + "graph/odd"
    path = tmp_path / "odd.ttl"
    lines = [f'<x:n{i}> <x:p> "row {i}" .' for i in range(25_000)]
    lines += ['<x:a> <x:q> "quote \\" and\\nnew line, å, 𝄞" .', '<x:a> <x:q> "_:b1 is no node"@sv .',
              '<x:a> <x:r> "2024-01-02"^^<http://www.w3.org/2001/XMLSchema#date> .',
              '<x:a> <x:s> _:b .', '_:b <x:t> "in a blank node" .', '<x:a> <x:u> <x:b%20c> .']
    path.write_text("\n".join(lines), encoding="utf-8")
    # Another graph states some of the same triples: they stay there.
    same = tmp_path / "same.ttl"
    same.write_text("\n".join(lines[:3] + lines[-6:-4]), encoding="utf-8")
    assert import_file(store, same, agent="steward").written
    before = {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in store.quads()}
    assert import_file(store, path, agent="steward").written
    written = store.graphs()[graph]
    assert written == len(lines)
    done = restore(store, graph, agent="steward")
    assert graph not in store.graph_names() and done.summary.graphs[graph] == 0
    assert not list(store._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    assert store.graphs()[BASE + "graph/same"] == 5
    assert {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in store.quads()
            if not q.graph_name.value.endswith("/imports")} == {t for t in before if not t[3].endswith("/imports>")}
    # And the undo of the undo brings every triple back.
    restore(store, graph, agent="steward")
    assert store.graphs()[graph] == written
    assert {str(q.object) for q in store.quads(graph) if q.subject == ox.NamedNode("x:a")} == {
        '"quote \\" and\\nnew line, å, 𝄞"', '"_:b1 is no node"@sv', "<x:b%20c>",
        '"2024-01-02"^^<http://www.w3.org/2001/XMLSchema#date>',
        *(str(q.object) for q in store.quads(graph) if q.predicate == ox.NamedNode("x:s"))}


def stages(calls: list[tuple[str, int, int]]) -> list[str]:
    """The stages in the order they started."""
    return list(dict.fromkeys(stage for stage, _, _ in calls))


def test_import_and_undo_tell_how_far_they_are(store, tmp_path, register):
    path = tmp_path / "register.csv"
    path.write_bytes(sheet(register[:2500]))
    calls: list[tuple[str, int, int]] = []
    import_file(store, path, GRAPH, agent="steward", progress=lambda *call: calls.append(call))
    assert stages(calls) == ["reading", "checking", "writing"]
    for stage in ("reading", "checking", "writing"):
        done, total = [(d, t) for s, d, t in calls if s == stage][-1]
        assert 0 < total and done == total, stage
    assert all(0 <= d <= t for _, d, t in calls)
    calls.clear()
    restore(store, GRAPH, agent="steward", progress=lambda *call: calls.append(call))
    assert stages(calls) == ["saving", "writing"]
    assert calls[-1][1] == calls[-1][2]


def test_the_command_line_draws_a_bar_for_each_stage(cli, tmp_path, monkeypatch):
    # Bars show only for stages that take half a second; here, at once.
    monkeypatch.setattr(main, "StageBars", functools.partial(StageBars, delay=0))
    path = tmp_path / "register.csv"
    path.write_bytes(sheet(list(partnerships_csv.rows(300, seed=5))))
    status, out, err = cli("import", str(path), "--graph", GRAPH, "--progress")
    assert status == 0 and "Written" in out
    for label in ("reading rows", "checking shapes", "writing"):
        assert f"{label} [##############################] 100.0%" in err
    status, _, err = cli("restore", GRAPH, "--progress")
    assert status == 0 and "writing [" in err
    status, out, err = cli("import", str(path), "--graph", GRAPH, "--no-progress")
    assert status == 0 and err == ""


def test_no_snapshot_folder_is_left_beside_the_store(cli, settings, tmp_path):
    store_dir = Path(settings.store)
    snapshots = store_dir.parent / f"{store_dir.name}.snapshots"
    # One a crashed process left behind goes at the next opening.
    (snapshots / "1-deadbeef").mkdir(parents=True)
    path = tmp_path / "a.ttl"
    path.write_text('<x:a> <x:b> "one" .', encoding="utf-8")
    for command in (["stats"], ["import", str(path)], ["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"],
                    ["restore", BASE + "graph/a"], ["stats"]):
        status, _, err = cli(*command)
        assert status == 0, err
        assert not snapshots.exists(), command


@pytest.mark.slow
def test_a_kill_while_an_undo_is_finished_leaves_it_done_at_the_next_opening(settings, tmp_path, register):
    path = tmp_path / "register.csv"
    path.write_bytes(sheet(register))
    with open_initialised(settings) as store:
        assert import_file(store, path, GRAPH, agent="steward").written
    # The undo is decided (recorded) before it writes: killed while it
    # writes, it is carried through when the store is opened again.
    process = subprocess.Popen([*partnergraph_command(), "restore", GRAPH, "--progress"],
                               env=subprocess_env(PARTNERGRAPH_STORE=settings.store),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = b""
    assert process.stderr is not None
    while b"writing" not in seen:
        chunk = process.stderr.read1(256)
        assert chunk, "the undo ended before it started writing: " + seen.decode(errors="replace")
        seen += chunk
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    raw = ox.Store(settings.store)
    pending = list(raw.quads_for_pattern(None, ox.NamedNode(str(PG.pendingContent)), None,
                                         ox.NamedNode(SYSTEM_GRAPH)))
    assert pending, "the kill came after the undo had finished"
    del raw
    gc.collect()
    with open_store(settings) as store:
        assert GRAPH not in store.graph_names()
        history = versions(store, GRAPH)
        assert [v.action for v in history] == ["restore", "import"]
        assert not list(store._ox.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH)))
        # Beside the store, only the content the undo kept: no half-written file.
        assert {p.name for p in store._files.folder.iterdir()} == {store._files.path(history[0].id).name}
        restore(store, GRAPH, agent="steward")
        assert len(graph_triples(store, GRAPH)) > 50_000


def test_a_rule_that_needs_a_node_of_another_part_is_checked(tmp_path):
    # The funder and the municipality it is misused by, and a partnership and
    # its member, each in parts of their own: the check of each part must
    # fetch what the other holds.
    text = """
@prefix pg: <https://w3id.org/partnergraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<org/funder> a pg:Funder ; skos:prefLabel "F"@sv .
<municipality/fi/m> a pg:Municipality ; skos:prefLabel "M"@sv ; pg:country <country/FI> ;
    pg:fundedBy <org/funder> .
<municipality/fi/n> a pg:Municipality ; skos:prefLabel "N"@sv ; pg:country <country/FI> .
<partnership/ok> a pg:Partnership ; skos:prefLabel "Ok"@sv ; pg:kind pg:TwinTown ;
    org:hasMember <municipality/fi/m>, <municipality/fi/n> .
<partnership/bad> a pg:Partnership ; skos:prefLabel "Bad"@sv ; pg:kind pg:TwinTown ;
    org:hasMember <municipality/fi/m>, <person/p> .
<person/p> a <http://example.org/Visitor> .
"""
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE, base_iri=BASE))
    node = {name: ox.NamedNode(BASE + name) for name in
            ("org/funder", "municipality/fi/m", "municipality/fi/n", "partnership/ok", "partnership/bad",
             "person/p")}
    parts = next(n for n in range(2, 500) if len({hash(x) % n for x in node.values()}) == len(node))
    content = CompressedTriples.of(quads, None, parts, index=inverse_predicates())
    report = validate_quads(content, "apart.ttl", BASE)
    found = {(v.focus_node, v.constraint.rsplit("#", 1)[-1], v.value) for v in report.violations}
    assert found == {
        (BASE + "org/funder", "SPARQLConstraintComponent", f"<{BASE}municipality/fi/m>"),
        (BASE + "partnership/bad", "ClassConstraintComponent", f"<{BASE}person/p>"),
    }
