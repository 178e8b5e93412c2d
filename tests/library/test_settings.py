"""Settings from the environment: the limits on heavy work per client are
read, and a value that makes no sense stops the start with what to give."""
from __future__ import annotations

import pytest

from graph.errors import ConfigError
from graph.settings import Settings


def test_the_limits_per_client_are_read_from_the_environment():
    settings = Settings.from_env({"PARTNERGRAPH_CLIENT_QUERIES": "1", "PARTNERGRAPH_BUSY_WAIT": "0.5"})
    assert (settings.client_queries, settings.busy_wait) == (1, 0.5)
    assert (Settings.from_env({}).client_queries, Settings.from_env({}).busy_wait) == (2, 10.0)


@pytest.mark.parametrize("name, value, words", [
    ("PARTNERGRAPH_CLIENT_QUERIES", "0", "PARTNERGRAPH_CLIENT_QUERIES must be a whole number above 0"),
    ("PARTNERGRAPH_CLIENT_QUERIES", "two", "not 'two'"),
    ("PARTNERGRAPH_BUSY_WAIT", "soon", "PARTNERGRAPH_BUSY_WAIT must be a number of seconds, not 'soon'"),
    ("PARTNERGRAPH_BUSY_WAIT", "-1", "PARTNERGRAPH_BUSY_WAIT must be 0 seconds or more"),
    ("PARTNERGRAPH_QUERY_TIMEOUT", "long", "PARTNERGRAPH_QUERY_TIMEOUT must be a number of seconds"),
], ids=["queries-zero", "queries-word", "wait-word", "wait-negative", "timeout-word"])
def test_a_limit_that_makes_no_sense_is_refused_saying_what_to_give(name, value, words):
    with pytest.raises(ConfigError, match=words):
        Settings.from_env({name: value})
