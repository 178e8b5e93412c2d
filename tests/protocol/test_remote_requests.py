"""How queries reach a remote engine: a large one as an application/sparql-query
body (a form that large is refused by Fuseki's Jetty), and with the engine's
own time limit where it takes one, so that the engine stops when partnergraph
gives up. Seen from a real HTTP proxy in front of a real `oxigraph serve`."""
from __future__ import annotations

import json
import urllib.parse

import pytest

from graph.settings import Settings
from graph.store.open import open_store
from tests.support.engine_proxy import running_proxy
from tests.support.oxigraph_server import oxigraph_server  # noqa: F401 (a fixture)


def untouched(path: str, body: bytes):
    return body, None


@pytest.fixture
def proxy(oxigraph_server):
    oxigraph_server.clear()
    with running_proxy(oxigraph_server.root, untouched) as proxy:
        yield proxy


def queries_sent(proxy) -> list:
    return [sent for sent in proxy.sent if sent.path.startswith("/query")]


def test_a_10_mb_query_reaches_the_engine_as_a_query_body(proxy):
    values = 850_000
    text = ("SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { "
            + " ".join(f'"v{i:08d}"' for i in range(values)) + " } }")
    assert len(text) > 10_000_000
    store = open_store(Settings(store=proxy.query_url))
    answer = json.loads(store.sparql_query(text).read())
    assert answer["results"]["bindings"][0]["n"]["value"] == str(values)
    big = [sent for sent in queries_sent(proxy) if len(sent.body) > 10_000_000]
    assert [sent.content_type for sent in big] == ["application/sparql-query"]
    # The dataset goes in the URL, the query text as it is in the body.
    assert "default-graph-uri=" in big[0].path and text.encode() in big[0].body


def test_small_queries_stay_forms(proxy):
    store = open_store(Settings(store=proxy.query_url))
    store.sparql_query("ASK { ?s ?p ?o }").read()
    assert {sent.content_type for sent in queries_sent(proxy)} == {
        "application/x-www-form-urlencoded"}


@pytest.mark.parametrize("engine, sent_limit", [
    ("fuseki", "timeout=2.5"),       # Fuseki: seconds
    ("virtuoso", "timeout=2500"),    # Virtuoso: milliseconds
    ("oxigraph", None),              # only its own --timeout-s
])
def test_the_engines_own_time_limit_goes_with_each_query(proxy, engine, sent_limit):
    store = open_store(Settings(store=proxy.query_url, store_engine=engine))
    store.sparql_query("SELECT * WHERE { ?s ?p ?o }", timeout=2.5).read()
    user_query = [sent for sent in queries_sent(proxy) if b"%3Fs+%3Fp+%3Fo" in sent.body]
    assert user_query
    fields = urllib.parse.parse_qs(user_query[-1].body.decode())
    if sent_limit is None:
        assert "timeout" not in fields
    else:
        name, value = sent_limit.split("=")
        assert fields[name] == [value]
