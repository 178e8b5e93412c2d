"""What is kept of known cheap answers, and for how long
(graph/store/cheap_answers.py)."""
from __future__ import annotations

import pytest

from graph.store.cheap_answers import Answer, CheapAnswers


def answer(size: int) -> Answer:
    return Answer("solutions", b"x" * size, False)


def test_answers_are_kept_per_snapshot_and_all_dropped_for_a_new_one():
    kept = CheapAnswers()
    kept.keep("v1", "a", "ASK {}", answer(3))
    assert kept.get("v1", "a") == answer(3)
    assert kept.get("v2", "a") is None
    kept.keep("v2", "b", "ASK {}", answer(4))
    assert kept.get("v1", "a") is None
    assert kept.get("v2", "b") == answer(4)


def test_the_least_recently_given_go_first_once_the_bytes_are_spent():
    kept = CheapAnswers(max_bytes=10, max_answer=10)
    kept.keep("v", "a", "q", answer(4))
    kept.keep("v", "b", "q", answer(4))
    assert kept.get("v", "a") is not None        # now b is the oldest
    kept.keep("v", "c", "q", answer(4))
    assert kept.get("v", "b") is None
    assert kept.get("v", "a") is not None and kept.get("v", "c") is not None


def test_a_long_answer_is_not_kept():
    kept = CheapAnswers(max_bytes=100, max_answer=10)
    kept.keep("v", "a", "q", answer(11))
    assert kept.get("v", "a") is None


@pytest.mark.parametrize("query", [
    "SELECT (NOW() AS ?t) {}", "SELECT (rand() AS ?r) {}", "SELECT (UUID() AS ?u) {}",
    "SELECT (STRUUID() AS ?u) {}", "SELECT (BNODE() AS ?b) {}",
    "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"])
def test_answers_that_may_differ_between_runs_are_never_kept(query):
    kept = CheapAnswers()
    kept.keep("v", "a", query, answer(3))
    assert kept.get("v", "a") is None
