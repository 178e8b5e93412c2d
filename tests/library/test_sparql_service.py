"""The query service of the embedded store: queries answer while a write is
under way, see it once it lands, and the row limit is placed where SPARQL
allows it."""
from __future__ import annotations

import json
import threading

import pyoxigraph as ox
import pytest

from graph.sparql.text import limit_rows, read_query

G = "https://w3id.org/partnergraph/id/graph/slow"



def count(store) -> int:
    answer = store.sparql_query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")
    return int(json.loads(answer.read())["results"]["bindings"][0]["n"]["value"])


def test_queries_answer_while_a_write_is_under_way_and_see_it_once_it_lands(store):
    halfway, finish = threading.Event(), threading.Event()

    def batches():
        node = ox.NamedNode(G)
        yield [ox.Quad(ox.NamedNode(f"{G}#s{i}"), ox.NamedNode(f"{G}#p"), ox.Literal(i), node)
               for i in range(100)]
        halfway.set()
        finish.wait(30)

    writer = threading.Thread(target=lambda: store.write_quads(batches(), graphs=[G]))
    writer.start()
    assert halfway.wait(10)
    try:
        assert count(store) == 0
    finally:
        finish.set()
        writer.join(30)
    assert count(store) == 100


@pytest.mark.parametrize("query, expected", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s ?p ?o } LIMIT 10 "),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 5", "SELECT * WHERE { ?s ?p ?o } LIMIT 5"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 500", "SELECT * WHERE { ?s ?p ?o } LIMIT 10"),
    ("SELECT * WHERE { ?s ?p ?o } OFFSET 3 # the rest\n", "SELECT * WHERE { ?s ?p ?o } OFFSET 3 LIMIT 10  # the rest\n"),  # noqa: E501
    ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 99 } } ORDER BY ?s",
     "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 99 } } ORDER BY ?s LIMIT 10 "),
    ("SELECT * WHERE { ?s ?p ?o } VALUES ?s { <http://x/a> }",
     "SELECT * WHERE { ?s ?p ?o }  LIMIT 10 VALUES ?s { <http://x/a> }"),
    ("CONSTRUCT { ?s ?p '}' } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p '}' } WHERE { ?s ?p ?o } LIMIT 10 "),
    ("ASK { ?s ?p ?o }", "ASK { ?s ?p ?o }"),
])
def test_the_row_limit_goes_where_sparql_allows_it(query, expected):
    text, _ = limit_rows(read_query(query), 10)
    assert text == expected
    ox.Store().query(text)  # still a query the engine takes


def test_values_for_a_query_s_variables_give_its_answer_for_those_values(bundled_store):
    borlange = "https://w3id.org/partnergraph/id/municipality/se/borlange"
    answer = bundled_store.sparql_query(
        "SELECT ?m ?partner WHERE { ?p org:hasMember ?m, ?partner FILTER (?partner != ?m) }",
        bindings={"m": f"<{borlange}>"})
    rows = json.loads(answer.read())["results"]["bindings"]
    assert rows and {r["m"]["value"] for r in rows} == {borlange}
    assert borlange not in {r["partner"]["value"] for r in rows}
    # A query with no WHERE group to open with them still gets them.
    described = bundled_store.sparql_query("DESCRIBE ?m", bindings={"m": f"<{borlange}>"},
                                           graph_format="N_TRIPLES").read().decode()
    assert described.startswith(f"<{borlange}>") and '"Borlänge"@sv' in described
