"""Graphs under the base at their own address (Graph Store Protocol direct
identification): a program reads and writes the graph there with a write
token, a person still gets the graph's page, and no other page moves."""
from __future__ import annotations

import pytest
from rdflib import Graph

from graph.iris import graph_iri
from graph.settings import Settings
from graph.store.write_tokens import add_token, graph_names
from server.support.store import get_store

BASE = "https://w3id.org/partnergraph/id/"
OWN = graph_iri(BASE, "anna-notes")
ADDRESS = "/partnergraph/id/graph/anna-notes"
TURTLE = {"Content-Type": "text/turtle"}
NOTE = b'<https://w3id.org/partnergraph/id/note/1> <http://www.w3.org/2000/01/rdf-schema#label> "A note" .'


@pytest.fixture
def settings(tmp_path) -> Settings:
    tokens = tmp_path / "tokens.toml"
    return Settings(store=str(tmp_path / "store"), tokens_file=str(tokens))


@pytest.fixture
def anna(settings) -> dict[str, str]:
    _, token = add_token(settings.tokens_path, "anna", graph_names([OWN], BASE))
    return {"Authorization": f"Bearer {token}"}


def triples(response) -> Graph:
    return Graph().parse(data=response.data, format="turtle")


def test_a_browser_at_a_source_graphs_address_still_gets_its_page(read_client):
    response = read_client.get("/partnergraph/id/graph/borlange", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Borlänge" in response.text


def test_a_program_at_a_source_graphs_address_gets_the_graph(read_client, shared_app):
    response = read_client.get("/partnergraph/id/graph/borlange", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    with shared_app.app_context():
        held = get_store().graphs()[graph_iri(BASE, "borlange")]
    assert len(triples(response)) == held
    assert read_client.get("/partnergraph/id/graph/borlange?format=ttl").data == response.data


def test_a_token_puts_reads_and_deletes_its_graph_at_its_address(client, anna):
    assert client.put(ADDRESS, data=NOTE, headers={**TURTLE, **anna}).status_code == 201
    read = client.get(ADDRESS, headers={"Accept": "text/turtle"})
    assert [str(o) for o in triples(read).objects()] == ["A note"]
    assert client.post(ADDRESS, data=NOTE.replace(b"/1>", b"/2>"),
                       headers={**TURTLE, **anna}).status_code == 204
    assert len(triples(client.get(ADDRESS, headers={"Accept": "text/turtle"}))) == 2
    assert client.delete(ADDRESS, headers=anna).status_code == 204
    assert client.get(ADDRESS, headers={"Accept": "text/turtle"}).status_code == 404
    assert client.head(ADDRESS, headers={"Accept": "text/turtle"}).status_code == 404


def test_a_token_may_not_write_another_graph_by_its_address(client, anna):
    before = client.get("/partnergraph/id/graph/borlange", headers={"Accept": "text/turtle"}).data
    response = client.put("/partnergraph/id/graph/borlange", data=NOTE, headers={**TURTLE, **anna})
    assert response.status_code == 403
    assert f"may not write <{graph_iri(BASE, 'borlange')}>" in response.text
    after = client.get("/partnergraph/id/graph/borlange", headers={"Accept": "text/turtle"}).data
    assert after == before


def test_a_write_without_a_token_says_which_header_to_send(client, anna):
    response = client.put(ADDRESS, data=NOTE, headers=TURTLE)
    assert response.status_code == 401
    assert "Authorization: Bearer <token>" in response.text
    assert client.get(ADDRESS, headers={"Accept": "text/turtle"}).status_code == 404


def test_other_resources_under_the_base_keep_their_pages_and_take_no_writes(client, anna):
    page = client.get("/partnergraph/id/municipality/se/borlange", headers={"Accept": "text/turtle"})
    assert page.status_code == 200 and "Borlänge" in page.text
    response = client.put("/partnergraph/id/municipality/se/borlange", data=NOTE,
                          headers={**TURTLE, **anna})
    assert response.status_code == 405


def test_a_graphs_address_refuses_a_second_graph_name(client, anna):
    response = client.get(ADDRESS + "?graph=https://example.org/g", headers={"Accept": "text/turtle"})
    assert response.status_code == 400 and "/store" in response.text


def test_a_page_elsewhere_may_write_with_a_token_but_sends_no_cookies(client):
    for path in (ADDRESS, "/store"):
        response = client.options(path, headers={
            "Origin": "https://intranet.example", "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, content-type"})
        assert response.status_code == 204
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert {"PUT", "POST", "DELETE"} <= set(response.headers["Access-Control-Allow-Methods"].split(", "))
        assert {"Authorization", "Content-Type"} <= set(
            response.headers["Access-Control-Allow-Headers"].split(", "))
        assert "Access-Control-Allow-Credentials" not in response.headers
