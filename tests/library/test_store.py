"""The embedded store: bundled data on first open, one graph per source, the
union for queries, a data version that moves on every write, atomic writes,
and readers beside a writer."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import StoreBusy
from graph.ingest.bundled import open_initialised
from graph.rdf.namespaces import PG, STAGING_GRAPH_PREFIX, SYSTEM_GRAPH
from graph.store.open import open_store
from tests.conftest import copy_of_bundled
from tests.support.processes import subprocess_env

BASE = "https://w3id.org/partnergraph/id/"


def quads(graph: str, n: int, offset: int = 0) -> list[ox.Quad]:
    g = ox.NamedNode(graph)
    return [ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                    ox.Literal(str(i)), g) for i in range(offset, offset + n)]


def count(store, graph: str) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"].value)


def test_a_new_store_holds_the_bundled_graphs(store):
    assert set(store.graphs()) == {BASE + "graph/" + name for name in
                                   ("partnergraph", "themes", "countries", "borlange", "ljusdal",
                                    "se-municipalities")}
    assert all(n > 0 for n in store.graphs().values())


def test_reopening_a_store_neither_reloads_nor_changes_it(settings):
    with open_initialised(settings) as first:
        version, graphs = first.data_version, first.graphs()
    with open_initialised(settings) as again:
        assert again.data_version == version
        assert again.graphs() == graphs


def test_the_default_graph_is_the_union_of_the_source_graphs(store):
    # Borlänge's partnerships come from one graph, country names from another.
    rows = store.select("""
        SELECT ?name WHERE { ?p a pg:Partnership ; org:hasMember/pg:country/pg:isoAlpha2 "KE" ;
                             skos:prefLabel ?name }""")
    assert rows


def test_bookkeeping_graphs_are_invisible_to_queries(store):
    assert not store.ask(f"ASK {{ GRAPH <{SYSTEM_GRAPH}> {{ ?s ?p ?o }} }}")
    assert not store.ask("ASK { ?s pg:dataVersion ?v }")
    assert SYSTEM_GRAPH not in store.graphs()


def test_every_write_moves_the_data_version_and_it_survives_reopening(settings):
    with open_initialised(settings) as store:
        first = store.data_version
        second = store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 } }")  # noqa: E501
        assert second != first
        third = store.write_quads([quads("http://example.org/g", 3)]).data_version
        assert third not in (first, second)
        assert store.data_version == third
    with open_initialised(settings) as reopened:
        assert reopened.data_version == third


def test_replacing_a_graph_leaves_exactly_the_new_triples(store):
    store.write_quads([quads("http://example.org/g", 10)])
    store.write_quads([quads("http://example.org/g", 4, offset=100)])
    assert count(store, "http://example.org/g") == 4
    store.write_quads([quads("http://example.org/g", 2, offset=200)], replace=False)
    assert count(store, "http://example.org/g") == 6


def test_a_failed_write_changes_nothing(store):
    before = store.data_version, store.graphs()

    def batches():
        yield quads("http://example.org/g", 100)
        raise ValueError("the source broke off")

    with pytest.raises(ValueError):
        store.write_quads(batches())
    assert (store.data_version, store.graphs()) == before
    assert not [g for g in store._ox.named_graphs() if g.value.startswith(STAGING_GRAPH_PREFIX)]


def test_data_being_written_is_not_seen_until_the_write_completes(store):
    seen_during_write = []

    def batches():
        yield quads("http://example.org/g", 50)
        seen_during_write.append(store.ask("ASK { <http://example.org/s1> ?p ?o }"))
        yield quads("http://example.org/g", 50, offset=50)

    store.write_quads(batches())
    assert seen_during_write == [False]
    assert store.ask("ASK { <http://example.org/s1> ?p ?o }")


def loading_markers(store) -> list:
    return list(store._ox.quads_for_pattern(None, ox.NamedNode(str(PG.beingLoaded)), None,
                                            ox.NamedNode(SYSTEM_GRAPH)))


def test_a_new_graph_is_seen_by_no_reader_until_its_load_completes(store, settings):
    # A new graph is bulk-loaded under its own name: every way of reading,
    # including the query workers' snapshot taken halfway, must skip it.
    graph = "http://example.org/new"
    seen = {}

    def rows(query: str) -> list[dict]:
        return json.loads(store.sparql_query(query).read())["results"]["bindings"]

    def triples() -> int:
        return int(rows("SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }")
                   [0]["n"]["value"])

    def batches():
        yield quads(graph, 500)
        seen["ask"] = store.ask("ASK { <http://example.org/s1> ?p ?o }")
        seen["graphs"] = graph in store.graphs()
        seen["export"] = sum(1 for q in store.quads() if q.graph_name.value == graph)
        seen["worker, union"] = triples()
        seen["worker, GRAPH ?g"] = rows(
            "SELECT ?g WHERE { GRAPH ?g { <http://example.org/s1> ?p ?o } }")
        yield quads(graph, 500, offset=500)

    try:
        summary = store.write_quads(batches())
        assert triples() == 1000
    finally:
        assert seen == {"ask": False, "graphs": False, "export": 0,
                    "worker, union": 0, "worker, GRAPH ?g": []}
    assert summary.graphs == {graph: 1000}
    assert count(store, graph) == 1000
    assert loading_markers(store) == []


def test_a_write_to_a_new_and_an_existing_graph_fails_or_lands_whole(store):
    store.write_quads([quads("http://example.org/old", 10)])
    before = store.data_version, store.graphs()

    def batches():
        yield quads("http://example.org/new", 100) + quads("http://example.org/old", 5, offset=50)
        raise ValueError("the source broke off")

    with pytest.raises(ValueError):
        store.write_quads(batches())
    assert (store.data_version, store.graphs()) == before
    assert ox.NamedNode("http://example.org/new") not in set(store._ox.named_graphs())
    assert loading_markers(store) == []

    store.write_quads([quads("http://example.org/new", 100) + quads("http://example.org/old", 5)])
    assert count(store, "http://example.org/new") == 100
    assert count(store, "http://example.org/old") == 5


def test_a_first_load_cut_off_by_a_crash_is_dropped_on_open(settings):
    # What a kill -9 halfway through a first load leaves behind.
    graph = ox.NamedNode("http://example.org/half")
    with open_initialised(settings) as store:
        before = store.data_version, store.graphs()
        store._ox.add(ox.Quad(graph, ox.NamedNode(str(PG.beingLoaded)), ox.Literal("run"),
                              ox.NamedNode(SYSTEM_GRAPH)))
        store._ox.bulk_extend(quads(graph.value, 300))
    with open_initialised(settings) as store:
        assert (store.data_version, store.graphs()) == before
        assert graph not in set(store._ox.named_graphs())
        assert loading_markers(store) == []


def test_readers_never_see_a_half_replaced_graph(store):
    graph = "http://example.org/g"
    store.write_quads([quads(graph, 1000)])
    seen: set[int] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def read():
        try:
            while not stop.is_set():
                seen.add(count(store, graph))
        except BaseException as error:  # a reader failing must fail the test
            errors.append(error)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    for round_ in range(10):
        store.write_quads([quads(graph, 2000 if round_ % 2 == 0 else 1000)])
    stop.set()
    for reader in readers:
        reader.join()
    assert not errors
    assert seen <= {1000, 2000}
    assert count(store, graph) == 1000


def test_leftover_staging_graphs_are_dropped_on_open(settings):
    with open_initialised(settings) as store:
        store._ox.add(quads(STAGING_GRAPH_PREFIX + "crashed:0", 1)[0])
    with open_initialised(settings) as store:
        assert not [g for g in store._ox.named_graphs() if g.value.startswith(STAGING_GRAPH_PREFIX)]


def test_a_store_open_in_another_process_gives_a_clear_message(store, settings):
    probe = ("import sys; from graph.settings import Settings; from graph.ingest.bundled import open_initialised\n"
             "from graph.errors import StoreBusy\n"
             f"try: open_initialised(Settings(store={settings.store!r}))\n"
             "except StoreBusy as e: print(e); sys.exit(3)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env=subprocess_env(), timeout=60)
    assert result.returncode == 3, result.stderr
    assert "open in another process" in result.stdout
    assert "partnergraph serve" in result.stdout


def test_opening_a_store_twice_in_one_process_is_refused_clearly(store, settings):
    with pytest.raises(StoreBusy):
        open_initialised(settings)


def test_rdflib_sees_the_same_facts(store):
    dataset = store.rdflib_dataset()
    rows = dataset.query("""
        PREFIX pg: <https://w3id.org/partnergraph/ontology#>
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p pg:kind pg:TwinTown ; org:hasMember ?m }""")
    assert [int(row.n) for row in rows] == [3]


def test_old_snapshots_stay_while_a_query_may_read_them_then_go(store, monkeypatch):
    # Quick writes must not remove a snapshot a reader opened a moment ago;
    # once the time limit has long passed, all but the newest few go.
    from graph.store import embedded as store_embedded
    graph = "http://example.org/g"
    old_reader, _ = store._reader()
    for round_ in range(6):
        store.write_quads([quads(graph, 10 + round_)])
        store.snapshot()
    assert sum(1 for _ in old_reader.quads_for_pattern(None, None, None, None)) > 1000
    folders = [p for p in store._snapshots.iterdir() if not p.name.startswith(".")]
    assert len(folders) == 7
    later = store_embedded.time.time() + store.settings.query_timeout + 31
    monkeypatch.setattr(store_embedded.time, "time", lambda: later)
    store.write_quads([quads(graph, 99)])
    store.snapshot()
    folders = [p for p in store._snapshots.iterdir() if not p.name.startswith(".")]
    assert len(folders) == 3
    assert count(store, graph) == 99


def test_a_health_check_does_not_wait_for_a_snapshot(store):
    # After a write the next read takes a snapshot (a second at a million
    # triples); the health check asks the live store instead.
    store.write_quads([quads("http://example.org/g", 5)])
    store.ping()
    assert not (store._snapshots / store.data_version).exists()
    assert store.ask("ASK { <http://example.org/s1> ?p ?o }")
    assert (store._snapshots / store.data_version).is_dir()


def test_in_the_service_a_write_answers_once_its_data_version_can_be_read(settings, bundled_template):
    # The first page after a write (most often the writer's own) finds the
    # new version's snapshot taken: the writer waited for it, not the reader.
    copy_of_bundled(bundled_template, settings)
    store = open_store(settings.with_(derived_background=True))
    try:
        snapshots = Path(f"{settings.store}.snapshots")
        version = store.update("INSERT DATA { GRAPH <http://example.org/g> { "
                               "<http://example.org/a> <http://example.org/p> 1 } }")
        assert (snapshots / version).is_dir()
        summary = store.write_quads([[ox.Quad(ox.NamedNode("http://example.org/b"),
                                              ox.NamedNode("http://example.org/p"),
                                              ox.Literal("2"), ox.NamedNode("http://example.org/g2"))]])
        assert (snapshots / summary.data_version).is_dir()
    finally:
        store.close()
    # The library's own writes (a command, a notebook) take none they do not read.
    copy_of_bundled(bundled_template, settings)
    with open_store(settings) as store:
        version = store.update("INSERT DATA { GRAPH <http://example.org/g> { "
                               "<http://example.org/a> <http://example.org/p> 3 } }")
        assert not (Path(f"{settings.store}.snapshots") / version).exists()
