"""/sparql's small queries, answered in front of Flask once the store knows
them to be cheap (server/protocol/small_queries.py), the same as Flask would."""
from __future__ import annotations

import json

import pytest

from server.support.store import get_store

BORLANGE = "https://w3id.org/partnergraph/id/municipality/se/borlange"
SMALL = f"SELECT ?p ?o WHERE {{ <{BORLANGE}> ?p ?o }} ORDER BY ?p ?o"
ASK = f"ASK {{ <{BORLANGE}> ?p ?o }}"
DIRECT = {"Content-Type": "application/sparql-query"}


@pytest.fixture
def flask_requests(app):
    """How many requests reached Flask's own handling."""
    seen: list[str] = []
    app.before_request(lambda: seen.append("flask") and None)
    return seen


def answers(client, query, accept="application/sparql-results+json", n=3):
    return [client.post("/sparql", data=query, headers={**DIRECT, "Accept": accept})
            for _ in range(n)]


@pytest.mark.parametrize("query, accept", [
    (SMALL, "application/sparql-results+json"),
    (SMALL, "text/csv"),
    (ASK, "application/sparql-results+xml"),
], ids=["select-json", "select-csv", "ask-xml"])
def test_a_repeated_small_query_skips_flask_and_answers_the_same(client, flask_requests, query, accept):
    first, *again = answers(client, query, accept)
    assert flask_requests == ["flask"]
    assert first.status_code == 200 and first.data
    for later in again:
        assert later.status_code == 200
        assert later.data == first.data
        assert dict(later.headers) == dict(first.headers)
    assert first.headers["Content-Type"].startswith(accept)
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert "frame-ancestors 'self'" in first.headers["Content-Security-Policy"]


def test_a_small_get_carries_an_etag_and_a_revalidation_gets_304(client):
    url = "/sparql?query=" + ASK.replace(" ", "%20")
    headers = {"Accept": "application/sparql-results+json"}
    first = client.get(url, headers=headers)
    second = client.get(url, headers=headers)
    assert second.data == first.data and json.loads(second.data)["boolean"] is True
    assert second.headers["ETag"] == first.headers["ETag"] and "Date" in second.headers
    revalidated = client.get(url, headers={**headers, "If-None-Match": second.headers["ETag"]})
    assert revalidated.status_code == 304


def test_a_small_query_after_a_write_answers_with_the_written_data(app, client):
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/g> { ?s ?p ?o } }"

    def n() -> int:
        response = answers(client, count, n=1)[0]
        return int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"])

    assert [n(), n()] == [0, 0]
    with app.app_context():
        get_store().update("INSERT DATA { GRAPH <https://example.org/g> { <urn:a> <urn:b> 'c' } }")
    assert [n(), n()] == [1, 1]


def test_what_needs_weighing_or_refusing_is_still_answered_by_flask(client, flask_requests):
    weighed = answers(client, SMALL, "text/csv;q=0.5, application/sparql-results+xml")
    assert {r.headers["Content-Type"] for r in weighed} == {"application/sparql-results+xml; charset=utf-8"}
    refused = answers(client, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert {r.status_code for r in refused} == {403}
    assert b"PARTNERGRAPH_SERVICE_ALLOW" in refused[-1].data
    unacceptable = answers(client, SMALL, "image/png")
    assert {r.status_code for r in unacceptable} == {406}
    assert len(flask_requests) == 9
