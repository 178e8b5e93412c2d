"""A real `oxigraph serve` for the remote store tests, on a free loopback
port, with its data in a temporary directory.

Import the fixture into a test module (`from tests.support.oxigraph_server import
oxigraph_server`), or use `running_oxigraph` for a server of one's own; they
are not in conftest.py so that only the tests that need a server start one.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.processes import free_port, running_engine


@dataclass
class OxigraphServer:
    root: str  # http://127.0.0.1:PORT
    process: subprocess.Popen
    log: Path

    @property
    def query_url(self) -> str:
        return self.root + "/query"

    @property
    def update_url(self) -> str:
        return self.root + "/update"

    @property
    def gsp_url(self) -> str:
        return self.root + "/store"

    def update(self, sparql: str) -> None:
        """Run an update on the server directly, around the store under test."""
        request = urllib.request.Request(self.root + "/update", data=sparql.encode(),
                                         headers={"Content-Type": "application/sparql-update"})
        with urllib.request.urlopen(request, timeout=30):
            pass

    def graph_names(self) -> set[str]:
        """Every named graph on the server, bookkeeping ones included."""
        body = urllib.parse.urlencode({"query": "SELECT ?g WHERE { GRAPH ?g { } }"}).encode()
        request = urllib.request.Request(self.query_url, data=body,
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            rows = json.load(response)["results"]["bindings"]
        return {row["g"]["value"] for row in rows}

    def clear(self) -> None:
        self.update("DROP ALL")


@contextmanager
def running_oxigraph(folder: Path) -> Iterator[OxigraphServer]:
    """Start `oxigraph serve` with its data and log in `folder`, wait until it
    answers, and stop it on leaving."""
    executable = shutil.which("oxigraph")
    if executable is None:
        pytest.fail("The remote store tests need the `oxigraph` command on PATH, from "
                    "the PyPI package: pip install oxigraph==0.5.13", pytrace=False)
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "server.log"
    root = f"http://127.0.0.1:{port}"
    with running_engine(
            "oxigraph serve", [executable, "serve", "--location", str(folder / "data"),
                               "--bind", f"127.0.0.1:{port}"],
            output=log, log=log, probe=root + "/query?" + urllib.parse.urlencode(
                {"query": "ASK {}"})) as process:
        yield OxigraphServer(root, process, log)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server
