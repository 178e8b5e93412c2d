"""No write is reported as written unless it is in the store: against a real
HTTP server in front of a real `oxigraph serve` that passes queries through
and answers 204 to every update and upload without passing them on, every
kind of write fails with a message that says so and what the engine
answered, and the store is as it was. And Fuseki 4.5's known answers (an ADD
SILENT acknowledged and not done) as recorded responses: known by its Server
header, the write goes another way and lands; taken for a standard engine,
the write is reported as failed."""
from __future__ import annotations

import re

import pytest

from graph.cli.main import main
from graph.errors import WriteNotLanded
from graph.ingest.bundled import open_initialised
from graph.ingest.importer import import_file
from graph.settings import Settings
from server import create_app
from server.support.store import close
from tests.support.csv_files import GRAPH, partnership_rows, write_csv
from tests.support.engine_proxy import running_proxy
from tests.support.oxigraph_server import oxigraph_server  # noqa: F401 (a fixture)

TOKEN = "silent-loss-token"
EX = "http://example.org/"
NOT_LANDED = re.compile(r"acknowledged .*(not apply it|holds \d+ of them|holds \d+ triples, not)")


def drop_writes(path: str, body: bytes):
    """An engine that says yes to every write and keeps none."""
    return None, (204, {}, b"")


@pytest.fixture
def dropping(oxigraph_server, tmp_path):
    """(the real store, the dropping store's query URL), the real one filled
    with the bundled data and one import, so that there is something to undo."""
    oxigraph_server.clear()
    real = open_initialised(Settings(store=oxigraph_server.query_url))
    import_file(real, write_csv(tmp_path / "partners.csv", partnership_rows(6, broken=False)),
                agent="alice")
    with running_proxy(oxigraph_server.root, drop_writes) as proxy:
        yield real, proxy.query_url
    real.close()


def state(store) -> tuple:
    return store.data_version, store.graphs()


def run_cli(monkeypatch, capsys, query_url: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("PARTNERGRAPH_STORE", query_url)
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("kind", ["import", "load-dataset", "restore"])
def test_a_command_line_write_to_a_store_that_drops_it_fails_and_says_so(
        dropping, monkeypatch, capsys, tmp_path, kind):
    real, query_url = dropping
    before = state(real)
    args = {"import": ["import", str(write_csv(tmp_path / "partners.csv",
                                                partnership_rows(9, broken=False)))],
            "load-dataset": ["load-dataset", "twin-towns-wikipedia", "--limit", "5"],
            "restore": ["restore", GRAPH]}[kind]
    status, out, err = run_cli(monkeypatch, capsys, query_url, *args)
    assert status != 0
    assert NOT_LANDED.search(err), err
    assert "HTTP 204" in err
    assert "Written" not in out and "Restored" not in out
    assert state(real) == before


@pytest.fixture
def dropping_app(dropping):
    real, query_url = dropping
    app = create_app(Settings(store=query_url, token=TOKEN), test_config={"TESTING": True})
    yield real, app.test_client()
    close(app)


@pytest.mark.parametrize("method, path, body, content_type", [
    ("PUT", f"/store?graph={EX}g", f"<{EX}s> <{EX}p> \"1\" .\n", "application/n-triples"),
    ("POST", f"/store?graph={GRAPH}", f"<{EX}s> <{EX}p> \"2\" .\n", "application/n-triples"),
    ("POST", "/sparql", f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}s> <{EX}p> 3 }} }}",
     "application/sparql-update"),
    ("POST", "/sparql", f"DROP GRAPH <{GRAPH}>", "application/sparql-update"),
], ids=["store-put", "store-post", "sparql-insert", "sparql-drop"])
def test_a_protocol_write_to_a_store_that_drops_it_is_a_502_that_says_so(
        dropping_app, method, path, body, content_type):
    real, client = dropping_app
    before = state(real)
    response = client.open(path, method=method, data=body.encode(), headers={
        "Content-Type": content_type, "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 502, response.text
    assert NOT_LANDED.search(response.text) and "HTTP 204" in response.text
    assert "X-Partnergraph-Data-Version" not in response.headers
    assert state(real) == before


# -- Fuseki 4.5, from its recorded answers -------------------------------------------

FUSEKI_45 = "Apache Jena Fuseki (4.5.0)"
# What Fuseki 4.5 answers to any update it accepts, ADD SILENT or not.
FUSEKI_UPDATE_ANSWER = (200, {"Content-Type": "text/html;charset=utf-8"},
                        b"<html>\n<head>\n</head>\n<body>\n<h1>Success</h1>\n<p>\n"
                        b"Update succeeded\n</p>\n</body>\n</html>\n")
_ADD_SILENT = re.compile(rb"ADD SILENT GRAPH <[^>]*> TO (GRAPH <[^>]*>|DEFAULT) ;?")


def fuseki_45_writes(path: str, body: bytes):
    """Fuseki 4.5: every update succeeds, but ADD SILENT does nothing."""
    if path == "/update":
        return _ADD_SILENT.sub(b"", body), FUSEKI_UPDATE_ANSWER
    return body, None


@pytest.fixture
def fuseki_45(oxigraph_server):
    oxigraph_server.clear()
    with running_proxy(oxigraph_server.root, fuseki_45_writes, server_header=FUSEKI_45) as proxy:
        yield proxy.query_url


def test_on_fuseki_45_known_by_its_server_header_writes_avoid_add_and_land(fuseki_45, tmp_path):
    with open_initialised(Settings(store=fuseki_45)) as store:
        assert store.dialect.name == "fuseki"
        summary = import_file(store, write_csv(tmp_path / "partners.csv",
                                               partnership_rows(6, broken=False)), agent="alice")
        assert summary.written and store.graphs()[GRAPH] > 0
        assert store.ask(f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")


def test_on_fuseki_45_taken_for_a_standard_engine_the_lost_add_is_reported(fuseki_45):
    with pytest.raises(WriteNotLanded) as error:
        open_initialised(Settings(store=fuseki_45, store_engine="standard"))
    message = str(error.value)
    assert "holds 0 triples, not" in message and "Update succeeded" in message
