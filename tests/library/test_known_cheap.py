"""Small queries skip the killable worker only once a worker has answered
them quickly over the same data (graph/store/known_cheap.py)."""
from __future__ import annotations

import json
import time

import pytest

from graph.errors import QueryTimeout
from graph.settings import Settings
from graph.store.open import open_store
from tests.conftest import copy_of_bundled

SMALL = ("SELECT ?label WHERE { <https://w3id.org/partnergraph/id/municipality/se/borlange> "
         "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?label")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/g> { ?s ?p ?o } }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_a_small_query_runs_in_a_worker_first_then_here_with_the_same_answer(store):
    assert store.cheap_query(SMALL) is None
    first = store.sparql_query(SMALL).read()
    again = store.cheap_query(SMALL)
    assert again is not None and again.read() == first
    assert b"Borl\xc3\xa4nge" in first
    # Another format is other work: it has not been seen yet.
    assert store.cheap_query(SMALL, result_format="CSV") is None


def test_a_query_stopped_at_its_time_limit_never_skips_the_worker(store):
    with pytest.raises(QueryTimeout):
        store.sparql_query(RUNAWAY, timeout=1).read()
    assert store.cheap_query(RUNAWAY) is None


def test_after_a_write_a_small_query_goes_to_a_worker_again_and_sees_the_write(store):
    def count(output) -> int:
        return int(json.loads(output.read())["results"]["bindings"][0]["n"]["value"])

    assert count(store.sparql_query(COUNT)) == 0
    assert store.cheap_query(COUNT) is not None
    store.update("INSERT DATA { GRAPH <https://example.org/g> { <urn:a> <urn:b> 'c' } }")
    assert store.cheap_query(COUNT) is None
    assert count(store.sparql_query(COUNT)) == 1
    assert count(store.cheap_query(COUNT)) == 1


@pytest.mark.parametrize("query", [
    "SELECT (RAND() AS ?r) WHERE {}",
    "SELECT (STRUUID() AS ?id) WHERE {}",
], ids=["rand", "struuid"])
def test_queries_whose_work_may_vary_always_go_to_a_worker(store, query):
    store.sparql_query(query).read()
    assert store.cheap_query(query) is None


def test_a_small_answer_over_the_row_cap_is_cut_the_same_way_here(tmp_path, bundled_template):
    settings = Settings(store=str(tmp_path / "store"), max_rows=2)
    copy_of_bundled(bundled_template, settings)
    store = open_store(settings)
    try:
        query = "SELECT ?s WHERE { ?s a <https://w3id.org/partnergraph/ontology#Municipality> } ORDER BY ?s"
        first = store.sparql_query(query)
        body = first.read()
        again = store.cheap_query(query)
        assert again is not None
        assert (again.read(), again.cut, again.row_limit) == (body, True, 2)
        assert first.cut and len(json.loads(body)["results"]["bindings"]) == 2
    finally:
        store.close()


def test_a_known_cheap_answer_is_given_again_without_asking_the_engine(store, monkeypatch):
    from graph.store import query_workers

    first = store.sparql_query(SMALL).read()
    assert store.cheap_query(SMALL).read() == first
    evaluated = []
    real = query_workers._evaluate
    monkeypatch.setattr(query_workers, "_evaluate",
                        lambda *args: evaluated.append(args) or real(*args))
    for _ in range(3):
        assert store.cheap_query(SMALL).read() == first
        assert store.sparql_query(SMALL).read() == first
    assert evaluated == []


def test_a_kept_answer_is_dropped_at_a_write(store):
    def labels(output) -> list[str]:
        return sorted(row["label"]["value"] for row in json.loads(output.read())["results"]["bindings"])

    before = labels(store.sparql_query(SMALL))
    assert "Borlänge" in before and "Borlänge kommun" not in before
    assert labels(store.cheap_query(SMALL)) == before
    store.update("INSERT DATA { GRAPH <https://example.org/g> { "
                 "<https://w3id.org/partnergraph/id/municipality/se/borlange> "
                 "<http://www.w3.org/2004/02/skos/core#prefLabel> 'Borlänge kommun'@sv } }")
    after = sorted([*before, "Borlänge kommun"])
    assert labels(store.sparql_query(SMALL)) == after
    assert labels(store.cheap_query(SMALL)) == after


def test_the_answer_to_now_is_worked_out_at_each_request(store):
    query = "SELECT (STR(NOW()) AS ?t) WHERE {}"
    seen = {store.sparql_query(query).read()}
    for _ in range(3):
        time.sleep(0.01)
        answer = store.cheap_query(query)
        assert answer is not None
        seen.add(answer.read())
    assert len(seen) == 4
