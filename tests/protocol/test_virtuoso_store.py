"""Virtuoso 7 (Debian's virtuoso-opensource, with Debian's own virtuoso.ini)
as the remote store: a fresh one is seen as empty and filled, the pages show
what they show on the embedded store, an import and its undo work, and what
Virtuoso does its own way (its system graphs, its row and sort limits, its
time limit, DROP ALL, BASE) comes out as on any other engine. The W3C
protocol suites run on it in test_w3c_protocol.py."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from graph.errors import QueryTimeout, StoreUnavailable
from graph.ingest.bundled import open_initialised
from graph.ingest.history import restore
from graph.ingest.importer import import_file
from graph.settings import Settings
from server import create_app
from server.support.store import close
from tests.support.csv_files import GRAPH, graph_triples, partnership_rows, write_csv
from tests.support.virtuoso_server import virtuoso_server  # noqa: F401 (a fixture)

BASE = "https://w3id.org/partnergraph/id/"
BUNDLED = {BASE + "graph/" + name for name in ("partnergraph", "themes", "countries", "borlange",
                                              "ljusdal", "se-municipalities")}
BIG = "http://example.org/big"
PARTNERS = ["Larvik", "Frederikshavn", "Västmannaöarna", "Pitești", "Chișinău", "Wuhan"]


@pytest.fixture(scope="module")
def virtuoso(virtuoso_server):
    """A store on a fresh Virtuoso, filled with the bundled data on opening."""
    virtuoso_server.clear()
    fresh = open_initialised(Settings(store=virtuoso_server.query_url))
    yield fresh
    fresh.close()


def test_a_fresh_virtuoso_is_seen_as_empty_and_filled(virtuoso, virtuoso_server, bundled_store):
    assert virtuoso.dialect.name == "virtuoso"
    assert set(virtuoso.graphs()) == BUNDLED
    assert virtuoso.graphs() == {g: n for g, n in bundled_store.graphs().items() if g in BUNDLED}
    # Its own graphs are still there, and none of them is shown.
    assert any(g.startswith("http://www.openlinksw.com/") for g in virtuoso_server.graph_names(its_own=True))
    with open_initialised(Settings(store=virtuoso_server.query_url)) as again:
        assert again.data_version == virtuoso.data_version


def test_borlanges_page_shows_its_six_partners_and_every_page_answers(virtuoso):
    app = create_app(virtuoso.settings, test_config={"TESTING": True})
    try:
        client = app.test_client()
        page = client.get("/partnergraph/id/municipality/se/borlange?lang=sv")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "<h1>Borlänge</h1>" in text
        for partner in PARTNERS:
            assert f">{partner}</a>" in text
        home = client.get("/?lang=en")
        assert b'data-class="https://w3id.org/partnergraph/ontology#Municipality">298<' in home.data
        for path in ("/explore", "/analysis", "/analysis/path", "/ontology", "/queries", "/query",
                     "/search?q=Larvik", "/api/network", "/api/network?view=world",
                     "/api/network?focus=" + BASE + "municipality/se/borlange",
                     "/map?iri=" + BASE + "municipality/se/borlange",
                     "/partnergraph/id/partnership/borlange-larvik", "/healthz"):
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.get_data(as_text=True)[-1500:])
    finally:
        close(app)


def test_an_import_and_its_undo(virtuoso, tmp_path):
    path = tmp_path / "partners.csv"
    import_file(virtuoso, write_csv(path, partnership_rows(10, broken=False)), agent="alice")
    first = graph_triples(virtuoso)
    report = import_file(virtuoso, write_csv(path, partnership_rows(5, broken=False)), agent="bob")
    assert report.written and graph_triples(virtuoso) != first
    restore(virtuoso, GRAPH, agent="carol")
    assert graph_triples(virtuoso) == first


def test_more_rows_than_virtuoso_sorts_are_cut_and_said_so(virtuoso):
    quads = [ox.Quad(ox.NamedNode(f"{BIG}/s{i}"), ox.NamedNode(BIG + "/p"), ox.Literal(i),
                     ox.NamedNode(BIG)) for i in range(12_000)]
    virtuoso.write_quads([quads])
    try:
        assert virtuoso.graphs()[BIG] == 12_000
        sorted_rows = virtuoso.sparql_query(
            f"SELECT ?s WHERE {{ GRAPH <{BIG}> {{ ?s ?p ?o }} }} ORDER BY ?o")
        answer = json.loads(sorted_rows.read())
        assert sorted_rows.cut and len(answer["results"]["bindings"]) == 9_999
        # The library's own reads need every row: a cut answer is an error.
        with pytest.raises(StoreUnavailable, match="cut its answer at 10000 rows.*ResultSetMaxRows"):
            virtuoso.select(f"SELECT ?s WHERE {{ GRAPH <{BIG}> {{ ?s ?p ?o }} }}")
    finally:
        virtuoso.write_quads([], graphs=[BIG])


def test_virtuoso_is_told_the_time_limit_and_stops(virtuoso):
    heavy = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y "
             "FILTER (STRLEN(CONCAT(STR(?x), STR(?y))) > 3) }")
    # Virtuoso's own answer, that it stopped, not the HTTP wait running out.
    with pytest.raises(QueryTimeout, match="stopped the query at its time limit.*timeout"):
        virtuoso.sparql_query(heavy, timeout=1)


# Last, since it empties the server that the tests above share.
def test_an_update_may_open_with_base_and_drop_all_drops_all(virtuoso_server):
    with open_initialised(Settings(store=virtuoso_server.query_url)) as store:
        store.update(f"BASE <{BASE}>\nINSERT DATA {{ GRAPH <graph/based> {{ <x> a pg:Thing }} }}")
        assert store.ask(f"ASK {{ <{BASE}x> a pg:Thing }}")
        store.update("DROP ALL")
        assert store.graphs() == {}
        assert virtuoso_server.graph_names(its_own=True)  # Virtuoso's own graphs stay
    virtuoso_server.clear()
