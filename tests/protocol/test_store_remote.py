"""The remote store against a real `oxigraph serve`: the same behaviour as the
embedded store (bundled data on first open, the union as default graph,
hidden bookkeeping, atomic writes, a version that moves on every write) plus
what only a remote store meets: other processes writing to the same server,
and a server that is down, slow or elsewhere."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest

from graph.analysis.analysis_process import AnalysisHandle
from graph.analysis.prepared import analysis_process, load_analysis
from graph.errors import ConfigError, QuerySyntaxError, QueryTimeout, StoreUnavailable
from graph.ingest.bundled import open_initialised
from graph.ingest.history import imports_graph, restore, versions
from graph.ingest.importer import import_file
from graph.rdf.namespaces import PG, STAGING_GRAPH_PREFIX, SYSTEM_GRAPH
from graph.settings import Settings
from graph.store.open import open_store
from graph.store.remote_http import Endpoint, syntax_error
from tests.support.csv_files import GRAPH, graph_triples, partnership_rows, write_csv
from tests.support.oxigraph_server import oxigraph_server  # noqa: F401 (a fixture)
from tests.support.processes import free_port, subprocess_env
from tests.support.readme import competency_queries

BASE = "https://w3id.org/partnergraph/id/"
G = "http://example.org/g"
EX = "http://example.org/"


@pytest.fixture
def remote_settings(oxigraph_server) -> Settings:
    oxigraph_server.clear()
    return Settings(store=oxigraph_server.query_url)


@pytest.fixture
def remote(remote_settings):
    store = open_initialised(remote_settings)
    yield store
    store.close()


@pytest.fixture
def bare(remote_settings):
    """A store on the server without the bundled data, for tests that need none."""
    store = open_store(remote_settings)
    yield store
    store.close()


def quads(graph: str, n: int, offset: int = 0) -> list[ox.Quad]:
    g = ox.NamedNode(graph)
    return [ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i)), g)
            for i in range(offset, offset + n)]


def count(store, graph: str) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"].value)


def counter(version: str) -> int:
    return int(version.split("-", 1)[0])


def eventually(check, within: float) -> bool:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


# -- reading ---------------------------------------------------------------

def test_a_new_remote_store_gets_the_bundled_data(remote):
    assert set(remote.graphs()) == {BASE + "graph/" + name for name in
                                    ("partnergraph", "themes", "countries", "borlange", "ljusdal",
                                     "se-municipalities")}
    rows = remote.select(competency_queries()["Twin towns of a municipality"])
    assert [row["name"].value for row in rows] == ["Frederikshavn", "Larvik", "Vestmannaeyjar"]
    assert remote.kind == "remote"


def test_reopening_neither_reloads_nor_changes_it(remote, remote_settings):
    with open_initialised(remote_settings) as again:
        assert again.data_version == remote.data_version
        assert again.graphs() == remote.graphs()


def test_every_competency_question_answers_as_on_the_embedded_store(remote, bundled_store):
    for title, sparql in competency_queries().items():
        assert remote.select(sparql) == bundled_store.select(sparql), title


def test_results_come_as_pyoxigraph_objects(remote):
    graph = remote.query("CONSTRUCT WHERE { ?m a pg:Municipality ; skos:prefLabel ?name }")
    assert isinstance(graph, ox.QueryTriples)
    assert b"Borl\xc3\xa4nge" in graph.serialize(format=ox.RdfFormat.TURTLE)
    assert remote.ask("ASK { ?m a pg:Municipality }") is True
    assert remote.ask("ASK { ?m a pg:Nothing }") is False


def test_quads_come_with_their_graphs(remote):
    borlange = BASE + "graph/borlange"
    mine = list(remote.quads(borlange))
    assert mine and {q.graph_name.value for q in mine} == {borlange}
    assert len(mine) == remote.graphs()[borlange]
    assert len(list(remote.quads())) == sum(remote.graphs().values())


def test_a_query_can_be_given_its_own_dataset(remote):
    borlange, countries = BASE + "graph/borlange", BASE + "graph/countries"
    towns = "SELECT (COUNT(*) AS ?n) WHERE { ?m a pg:Municipality }"

    def answer(query: str, **dataset):
        return json.loads(remote.sparql_query(query, **dataset).read())

    def n(**dataset) -> int:
        return int(answer(towns, **dataset)["results"]["bindings"][0]["n"]["value"])

    assert 0 < n(default_graphs=["", borlange]) < n()
    assert n(default_graphs=[countries]) == 0
    assert n(named_graphs=[borlange]) == 0
    assert remote.ask(f"ASK {{ GRAPH <{borlange}> {{ ?s ?p ?o }} }}")
    assert not answer(f"ASK {{ GRAPH <{borlange}> {{ ?s ?p ?o }} }}",
                      named_graphs=[countries])["boolean"]


def test_the_implicit_prefixes_work_and_the_querys_own_win(remote):
    assert remote.ask("ASK { ?m a pg:Municipality ; pg:country country:SE }")
    # Its own pg: (in lower case) replaces the implicit one, without being
    # declared twice, which some servers refuse.
    assert not remote.ask("prefix pg: <http://example.org/other#>\n"
                          "ASK { ?m a pg:Municipality }")
    assert remote.ask(f"BASE <{BASE}>\nASK {{ <municipality/no/larvik> a pg:Municipality }}")
    remote.update("INSERT DATA { GRAPH <http://example.org/g> { id:x a pg:Municipality } }")
    assert remote.ask(f"ASK {{ <{BASE}x> a pg:Municipality }}")


def test_bookkeeping_graphs_are_invisible(remote, oxigraph_server):
    oxigraph_server.update(f'INSERT DATA {{ GRAPH <{STAGING_GRAPH_PREFIX}crashed:0> '
                           f'{{ <{EX}s> <{EX}p> "staged" }} }}')
    remote.update(f'INSERT DATA {{ GRAPH <{G}> {{ <{EX}s> <{EX}p> "published" }} }}')
    assert SYSTEM_GRAPH in oxigraph_server.graph_names()
    assert not remote.ask(f"ASK {{ GRAPH <{SYSTEM_GRAPH}> {{ ?s ?p ?o }} }}")
    assert not remote.ask("ASK { ?s pg:dataVersion ?v }")
    assert not remote.ask('ASK { ?s ?p "staged" }')
    assert not remote.ask('ASK { GRAPH ?g { ?s ?p "staged" } }')
    assert {g for g in remote.graphs() if g.startswith("urn:")} == set()
    assert not [q for q in remote.quads() if q.graph_name.value.startswith("urn:")]


def test_an_empty_store_shows_nothing(bare):
    assert bare.is_empty()
    assert bare.graphs() == {}
    assert bare.select("SELECT * WHERE { ?s ?p ?o }") == []
    assert list(bare.quads()) == []
    assert bare.data_version == "0"


# -- writing ---------------------------------------------------------------

def test_a_write_moves_the_version_for_every_store_on_the_server(remote, remote_settings):
    with open_initialised(remote_settings) as other:
        before = other.data_version
        assert before == remote.data_version
        after = remote.update(f"INSERT DATA {{ GRAPH <{G}> {{ <{EX}a> <{EX}b> 1 }} }}")
        assert after != before and remote.data_version == after
        assert eventually(lambda: other.data_version == after, other.state_ttl + 5)
        assert other.ask(f"ASK {{ <{EX}a> ?p ?o }}")
        # The counter is kept on the server, so writers never step back.
        third = other.write_quads([quads(G, 3)]).data_version
        assert counter(third) == counter(after) + 1
        assert remote.data_version == third or eventually(
            lambda: remote.data_version == third, remote.state_ttl + 5)


def test_writes_racing_from_two_processes_still_move_the_version(remote, oxigraph_server):
    # What two updates running side by side on Oxigraph serve leave behind:
    # each saw the same version and added its own next one.
    first = remote.update(f"INSERT DATA {{ GRAPH <{G}> {{ <{EX}a> <{EX}b> 1 }} }}")
    rival = f"{counter(first)}-rival"
    oxigraph_server.update(f'INSERT DATA {{ GRAPH <{SYSTEM_GRAPH}> {{ <{SYSTEM_GRAPH}> '
                           f'<{PG.dataVersion}> "{rival}" }} }}')
    with open_initialised(remote.settings) as other:
        both = other.data_version
    assert both not in (first, rival) and set(both.split("+")) == {first, rival}
    after = remote.update(f"INSERT DATA {{ GRAPH <{G}> {{ <{EX}a> <{EX}b> 2 }} }}")
    assert "+" not in after and counter(after) == counter(first) + 1


def test_a_write_from_another_process_is_seen(remote, remote_settings):
    before = remote.data_version
    writer = ("from graph.settings import Settings; from graph.ingest.bundled import open_initialised\n"
              f"store = open_initialised(Settings(store={remote_settings.store!r}))\n"
              f"print(store.write_quads([[]], graphs=[{G!r}]).data_version)\n")
    result = subprocess.run([sys.executable, "-c", writer], capture_output=True, text=True,
                            env=subprocess_env(), timeout=60)
    assert result.returncode == 0, result.stderr
    written = result.stdout.strip()
    assert written != before
    assert eventually(lambda: remote.data_version == written, remote.state_ttl + 5)


def test_replacing_a_graph_leaves_exactly_the_new_triples(remote):
    summary = remote.write_quads([quads(G, 10)])
    assert summary.graphs == {G: 10} and summary.replaced
    remote.write_quads([quads(G, 4, offset=100)])
    assert count(remote, G) == 4
    summary = remote.write_quads([quads(G, 2, offset=200)], replace=False)
    assert count(remote, G) == 6 and not summary.replaced
    # A graph named but given no quads is emptied.
    remote.write_quads([], graphs=[G])
    assert count(remote, G) == 0 and G not in remote.graphs()


def test_a_failed_write_changes_nothing(remote, oxigraph_server):
    before = remote.data_version, remote.graphs()

    def batches():
        yield quads(G, 100)
        raise ValueError("the source broke off")

    with pytest.raises(ValueError, match="broke off"):
        remote.write_quads(batches(), graphs=[BASE + "graph/borlange"])
    assert (remote.data_version, remote.graphs()) == before
    assert not [g for g in oxigraph_server.graph_names() if g.startswith(STAGING_GRAPH_PREFIX)]


def test_data_being_written_is_not_seen_until_the_write_completes(remote):
    seen_during_write = []

    def batches():
        yield quads(G, 50)
        seen_during_write.append(remote.ask(f"ASK {{ <{EX}s1> ?p ?o }}"))
        yield quads(G, 50, offset=50)

    remote.write_quads(batches())
    assert seen_during_write == [False]
    assert count(remote, G) == 100


def test_a_crashed_writers_staging_graphs_go_once_they_are_old(remote, oxigraph_server):
    old = f"{STAGING_GRAPH_PREFIX}1000-dead:0"
    recent = f"{STAGING_GRAPH_PREFIX}{int(time.time())}-busy:0"
    for graph in (old, recent):
        oxigraph_server.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <{EX}s> <{EX}p> 1 }} }}")
    remote.write_quads([quads(G, 1)])
    names = oxigraph_server.graph_names()
    assert old not in names and recent in names


TRICKY = [ox.Literal('quote " backslash \\ newline \n tab \t'),
          ox.Literal("Borlänge 🏠", language="sv"),
          ox.Literal("2013-06-20", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))]


@pytest.mark.parametrize("route", ["graph store protocol", "insert data", "guessed /store missing"])
def test_terms_and_blank_nodes_arrive_intact(remote, oxigraph_server, route):
    if route == "insert data":
        remote.gsp_endpoint = None
    elif route == "guessed /store missing":
        # As on Fuseki, whose Graph Store Protocol endpoint is /data.
        remote.gsp_endpoint = Endpoint(oxigraph_server.root + "/data", "PARTNERGRAPH_STORE_GSP")
    g, p, node = ox.NamedNode(G), ox.NamedNode(EX + "p"), ox.BlankNode()
    sent = [ox.Quad(node, p, literal, g) for literal in TRICKY]
    sent.append(ox.Quad(ox.NamedNode(EX + "s"), p, node, g))
    remote.write_quads([sent])
    back = list(remote.quads(G))
    assert sorted(str(q.object) for q in back if isinstance(q.object, ox.Literal)) == \
        sorted(str(lit) for lit in TRICKY)
    # The blank node is still one node, used in all four triples.
    assert len({str(t) for q in back for t in (q.subject, q.object)
                if isinstance(t, ox.BlankNode)}) == 1
    if route == "guessed /store missing":
        assert remote.gsp_endpoint is None


def test_quads_without_a_graph_go_to_the_servers_own_default_graph_out_of_sight(remote):
    quad = ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("x"))
    remote.write_quads([[quad]], graphs=[""])
    assert not remote.ask(f"ASK {{ <{EX}s> <{EX}p> \"x\" }}")
    def rows(query: str) -> list:
        answer = remote.sparql_query(query, default_graphs=[""])
        return json.loads(answer.read())["results"]["bindings"]

    assert [row["o"]["value"] for row in rows(f"SELECT ?o WHERE {{ <{EX}s> <{EX}p> ?o }}")] == ["x"]
    remote.write_quads([[]], graphs=[""])
    assert rows("SELECT * WHERE { ?s ?p ?o }") == []


def test_an_update_may_end_in_a_comment_or_a_semicolon(remote):
    remote.update(f"INSERT DATA {{ GRAPH <{G}> {{ <{EX}a> <{EX}b> 1 }} }} # the first")
    remote.update(f"INSERT DATA {{ GRAPH <{G}> {{ <{EX}a> <{EX}b> 2 }} }} ;\n")
    assert count(remote, G) == 2


# -- errors ----------------------------------------------------------------

@pytest.mark.parametrize("sparql, line", [
    ("SELEC * WHERE { ?s ?p ?o }", 1),
    ("SELECT * WHERE { ?s pg:kind }", 1),
    ("SELECT * WHERE {\n  ?s ?p\n}", 3),
    ("# a comment\nPREFIX ex: <http://example.org/>\nSELECT * WHERE { ex:a ?p ?o FILTER( }", 3),
    ("BASE <http://example.org/>\nSELECT * WHERE { <a> ?p ?o ) }", 2),
])
def test_syntax_errors_point_where_the_embedded_store_does(bare, bundled_store, sparql, line):
    with pytest.raises(QuerySyntaxError) as remote_error:
        bare.query(sparql)
    with pytest.raises(QuerySyntaxError) as embedded_error:
        bundled_store.query(sparql)
    found, expected = remote_error.value, embedded_error.value
    assert found.line == line
    assert (found.line, found.column, found.message) == \
        (expected.line, expected.column, expected.message)


def test_an_update_with_a_syntax_error_changes_nothing(bare):
    bad = "INSERT DATA { GRAP <http://example.org/g> { } }"
    with pytest.raises(QuerySyntaxError) as error:
        bare.update(bad)
    with pytest.raises(SyntaxError) as local:
        ox.Store().update(bad)
    assert f"error at {error.value.line}:{error.value.column}: " in str(local.value)
    assert error.value.line == 1
    assert bare.data_version == "0"


def test_an_unreachable_server_gets_a_clear_message():
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreUnavailable) as error:
        open_initialised(Settings(store=url))
    assert f"Cannot reach the SPARQL endpoint {url}: connection refused" in str(error.value)
    assert "PARTNERGRAPH_STORE" in str(error.value)


def test_a_wrong_path_on_the_server_gets_a_clear_message(oxigraph_server):
    url = oxigraph_server.root + "/nowhere/query"
    with pytest.raises(StoreUnavailable, match=f"{url} answered 404.*PARTNERGRAPH_STORE"):
        open_initialised(Settings(store=url))


def test_a_server_that_does_not_answer_in_time_gives_a_timeout():
    # A socket that listens but never answers: the connection is made, the
    # request sent, and no reply ever comes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        store = open_store(Settings(store=url, query_timeout=0.3))
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match=r"within 0\.3 seconds.*PARTNERGRAPH_QUERY_TIMEOUT"):
            store.query("ASK {}")
        assert time.monotonic() - started < 5


def test_a_query_the_server_breaks_off_for_time_is_a_timeout():
    # What oxigraph serve --timeout-s sends: a 200 answer, broken off.
    store = open_store(Settings(store="http://db:7878/query"))
    broken = b'{"head":{"vars":["n"]},"results":{"bindings":[The SPARQL operation has been cancelled'
    with pytest.raises(QueryTimeout, match="stopped the query midway"):
        store._result("application/sparql-results+json", broken)
    with pytest.raises(StoreUnavailable, match="does not parse"):
        store._result("application/sparql-results+json", b'{"head":')


def test_java_servers_syntax_errors_get_the_users_own_position():
    # Jena and RDF4J word it so; 100 characters of prefixes went in front.
    error = syntax_error('Encountered " "}" "} "" at line 1, column 117.', 100)
    assert (error.line, error.column) == (1, 17)
    assert "at line 1, column 17." in error.message
    error = syntax_error("Lexical error at line 3, column 5.", 100)
    assert (error.line, error.column) == (3, 5)


def test_writes_without_an_update_url_say_which_setting_to_set(oxigraph_server):
    store = open_store(Settings(store=oxigraph_server.root + "/sparql"))
    with pytest.raises(ConfigError, match="PARTNERGRAPH_STORE_UPDATE"):
        store.update(f"INSERT DATA {{ GRAPH <{G}> {{ <{EX}a> <{EX}b> 1 }} }}")
    with pytest.raises(ConfigError, match="PARTNERGRAPH_STORE_UPDATE"):
        store.write_quads([quads(G, 1)])


def test_the_endpoint_urls_are_guessed_only_from_a_query_url():
    oxigraph = open_store(Settings(store="http://db:7878/query"))
    assert (oxigraph.update_endpoint.url, oxigraph.gsp_endpoint.url) == \
        ("http://db:7878/update", "http://db:7878/store")
    other = open_store(Settings(store="https://db/repositories/pg",
                                store_update="https://db/repositories/pg/statements"))
    assert other.update_endpoint.url == "https://db/repositories/pg/statements"
    assert other.gsp_endpoint is None


def test_endpoint_settings_must_be_urls():
    with pytest.raises(ConfigError, match="PARTNERGRAPH_STORE_UPDATE must be an http"):
        Settings.from_env({"PARTNERGRAPH_STORE": "http://db:7878/query",
                           "PARTNERGRAPH_STORE_UPDATE": "db:7878/update"})


def test_imports_keep_their_versions_on_the_server_and_undo_brings_them_back(remote, tmp_path):
    path = tmp_path / "partners.csv"
    assert import_file(remote, write_csv(path, partnership_rows(12, broken=False)), agent="a").written
    first = graph_triples(remote)
    assert import_file(remote, write_csv(path, partnership_rows(5, broken=False)), agent="b").written
    records = count(remote, imports_graph(BASE))
    restore(remote, GRAPH, agent="c")
    assert graph_triples(remote) == first
    # The record graph is added to, never rewritten; kept versions stay hidden.
    assert count(remote, imports_graph(BASE)) > records
    assert [v.action for v in versions(remote, GRAPH)] == ["restore", "import", "import"]
    assert not [g for g in remote.graph_names() if g.startswith("urn:x-partnergraph:")]


def test_the_services_analysis_of_a_remote_store_is_built_in_its_own_process(remote_settings):
    store = open_initialised(remote_settings.with_(derived_background=True))
    try:
        analysis = load_analysis(store, "sv")
        assert isinstance(analysis, AnalysisHandle)
        assert analysis_process(store).pid() not in (None, os.getpid())
        assert analysis.ask("resolve", "Borlänge") == BASE + "municipality/se/borlange"
        alike, _ = analysis.ask("alike", BASE + "municipality/se/borlange", 3)
        assert alike and all(s.label for s in alike)
    finally:
        store.close()
