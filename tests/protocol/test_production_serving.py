"""The README's production recipes: granian and waitress with many threads on
the embedded store, gunicorn with several worker processes on a remote store."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from tests.support.oxigraph_server import running_oxigraph
from tests.support.processes import free_port, subprocess_env, wait_for_http

QUERY = ("SELECT ?name WHERE { ?m a pg:Municipality ; skos:prefLabel ?name "
         "FILTER (LANG(?name) = 'sv') } ORDER BY ?name")


def ask_names(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": QUERY})
    with urllib.request.urlopen(url, timeout=30) as response:
        return [b["name"]["value"] for b in json.load(response)["results"]["bindings"]]


def serve(command: list[str], port: int, env: dict[str, str]):
    process = subprocess.Popen(command, env=subprocess_env(**env),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for_http(f"http://127.0.0.1:{port}/healthz", process, timeout=60)
    return process


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.slow
def test_waitress_serves_the_wsgi_app_on_the_embedded_store(tmp_path):
    port = free_port()
    process = serve([sys.executable, "-m", "waitress", "--threads=8", f"--port={port}",
                     "--host=127.0.0.1", "server.wsgi:app"], port,
                    {"PARTNERGRAPH_STORE": str(tmp_path / "store")})
    try:
        names = ask_names(port)
        assert len(names) == 298 and "Borlänge" in names
    finally:
        stop(process)


@pytest.mark.slow
def test_granian_serves_the_wsgi_app_on_the_embedded_store(tmp_path):
    port = free_port()
    process = serve([sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", "1",
                     "--blocking-threads", "16", "--host", "127.0.0.1", "--port", str(port),
                     "server.wsgi:app"], port, {"PARTNERGRAPH_STORE": str(tmp_path / "store")})
    try:
        names = ask_names(port)
        assert len(names) == 298 and "Borlänge" in names
    finally:
        stop(process)


@pytest.mark.slow
def test_gunicorn_workers_share_a_remote_store_and_see_each_others_writes(tmp_path):
    with running_oxigraph(tmp_path / "oxigraph") as oxigraph:
        port = free_port()
        process = serve([sys.executable, "-m", "gunicorn", "--workers", "3", "--threads", "2",
                         "--bind", f"127.0.0.1:{port}", "server.wsgi:app"], port,
                        {"PARTNERGRAPH_STORE": oxigraph.query_url, "PARTNERGRAPH_TOKEN": "t"})
        try:
            assert len(ask_names(port)) == 298
            update = urllib.request.Request(
                f"http://127.0.0.1:{port}/sparql",
                data=("INSERT DATA { GRAPH <https://w3id.org/partnergraph/id/graph/extra> { "
                      "<https://w3id.org/partnergraph/id/municipality/no/roros> a pg:Municipality ; "
                      "skos:prefLabel 'Røros'@sv } }").encode(),
                headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer t"},
                method="POST")
            with urllib.request.urlopen(update, timeout=30) as response:
                assert response.status in (200, 204)
            # Whichever worker answers, each one sees the write.
            for _ in range(6):
                assert "Røros" in ask_names(port)
        finally:
            stop(process)
