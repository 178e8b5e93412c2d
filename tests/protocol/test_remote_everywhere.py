"""With PARTNERGRAPH_STORE=http://..., the command line and the pages work
against the remote server just as they do on the embedded store."""
from __future__ import annotations

import json

import pytest

from graph.settings import Settings
from tests.support.oxigraph_server import oxigraph_server  # noqa: F401 (a fixture)

TWIN_TOWNS = """SELECT ?name WHERE {
  ?p pg:kind pg:TwinTown ; org:hasMember ?m . ?m skos:prefLabel ?name
  FILTER(LANG(?name) = "sv" && ?name != "Borlänge"@sv) } ORDER BY ?name"""


@pytest.fixture
def remote_cli(cli, monkeypatch, oxigraph_server):
    oxigraph_server.clear()
    monkeypatch.setenv("PARTNERGRAPH_STORE", oxigraph_server.query_url)
    return cli


def test_query_stats_load_and_export_on_a_remote_store(remote_cli, tmp_path):
    status, out, err = remote_cli("query", TWIN_TOWNS, "--format", "json")
    assert status == 0, err
    assert [b["name"]["value"] for b in json.loads(out)["results"]["bindings"]] == [
        "Frederikshavn", "Larvik", "Västmannaöarna"]
    path = tmp_path / "extra.ttl"
    path.write_text('<https://example.org/a> <https://example.org/b> "c" .\n')
    status, out, err = remote_cli("load", str(path))
    assert status == 0, err
    status, out, err = remote_cli("stats", "--json")
    stats = json.loads(out)
    assert status == 0 and "https://w3id.org/partnergraph/id/graph/extra" in stats["graphs"]
    status, out, err = remote_cli("export", "--format", "nquads",
                                  "--graph", "https://w3id.org/partnergraph/id/graph/extra")
    assert status == 0 and out.strip().endswith("<https://w3id.org/partnergraph/id/graph/extra> .")


def test_pages_answer_from_a_remote_store(oxigraph_server):
    from server import create_app
    from server.support.store import close
    oxigraph_server.clear()
    app = create_app(Settings(store=oxigraph_server.query_url), test_config={"TESTING": True})
    try:
        client = app.test_client()
        page = client.get("/?lang=en")
        assert page.status_code == 200
        assert b'data-class="https://w3id.org/partnergraph/ontology#Municipality">298<' in page.data
        health = client.get("/healthz").get_json()
        assert health["store"] == "remote" and health["status"] == "ok"
    finally:
        close(app)
