"""A real Virtuoso 7 (Debian's `virtuoso-opensource`, which tests/run.sh
installs) for the remote store tests, on free loopback ports, with its
database, log and virtuoso.ini in a temporary directory.

The ini is Debian's own with the paths and ports changed, so the tests meet
the limits an operator's Virtuoso has (10,000 rows to a result, 10,000 rows to
a sort). Its /sparql endpoint takes updates once the SPARQL user is granted
SPARQL_UPDATE, as an operator who lets partnergraph write does.
"""
from __future__ import annotations

import json
import re
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

from graph.store.engine_dialects import DIALECTS
from tests.support.processes import free_port, running_engine

DEBIAN_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
ISQL = "isql-vt"


@dataclass
class VirtuosoServer:
    root: str  # http://127.0.0.1:PORT
    sql_port: int
    process: subprocess.Popen
    log: Path

    @property
    def query_url(self) -> str:
        return self.root + "/sparql"

    @property
    def update_url(self) -> str:
        return self.root + "/sparql"

    def update(self, sparql: str) -> None:
        """Run an update on the server directly, around the store under test."""
        body = urllib.parse.urlencode({"query": sparql}).encode()
        with urllib.request.urlopen(urllib.request.Request(self.query_url, data=body), timeout=60):
            pass

    def sql(self, statement: str) -> str:
        """Run SQL through isql as dba, as an operator does."""
        result = subprocess.run(
            [ISQL, str(self.sql_port), "dba", "dba", f"exec={statement}"],
            capture_output=True, text=True, timeout=60)
        if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
            raise RuntimeError(f"isql: {statement}\n{result.stdout}{result.stderr}")
        return result.stdout

    def graph_names(self, *, its_own: bool = False) -> set[str]:
        """Every graph on the server, bookkeeping ones included; Virtuoso's
        own only with `its_own`."""
        body = urllib.parse.urlencode(
            {"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}).encode()
        request = urllib.request.Request(self.query_url, data=body,
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            rows = json.load(response)["results"]["bindings"]
        names = {row["g"]["value"] for row in rows}
        return names if its_own else {g for g in names if not DIALECTS["virtuoso"].own_graphs(g)}

    def clear(self) -> None:
        """Drop every graph that is not Virtuoso's own."""
        graphs = self.graph_names()
        if graphs:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))


@contextmanager
def running_virtuoso(folder: Path) -> Iterator[VirtuosoServer]:
    """Start virtuoso-t with its own ini, database and log in `folder`, wait
    until its SPARQL endpoint answers, grant the SPARQL user updates, and stop
    it on leaving."""
    executable = shutil.which("virtuoso-t")
    if executable is None or shutil.which(ISQL) is None:
        pytest.fail("The Virtuoso tests need Debian's virtuoso-opensource (virtuoso-t and "
                    "isql-vt); tests/run.sh installs it: apt-get install virtuoso-opensource",
                    pytrace=False)
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(_ini(folder, sql_port, http_port))
    log = folder / "virtuoso.log"
    root = f"http://127.0.0.1:{http_port}"
    with running_engine(
            "virtuoso-t", [executable, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
            cwd=folder, output=folder / "stdout.log", log=log, startup=120, stop_wait=30,
            probe=root + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})) as process:
        server = VirtuosoServer(root, sql_port, process, log)
        server.sql('GRANT SPARQL_UPDATE TO "SPARQL"')
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def _ini(folder: Path, sql_port: int, http_port: int) -> str:
    text = DEBIAN_INI.read_text()
    text = text.replace("/var/lib/virtuoso-opensource-7/db", str(folder))
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*1111", rf"ServerPort\g<1>= {sql_port}", text)
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*8890", rf"ServerPort\g<1>= {http_port}", text)
    return text.replace("localhost:8890", f"127.0.0.1:{http_port}")
