"""Loading files: every format, a graph per file, replace or append, exact
error positions, and never half-loaded data."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time

import pyoxigraph
import pytest

from graph.errors import InputFileError, ParseError, UnsupportedFormat
from graph.ingest.bundled import open_initialised
from graph.ingest.load import load_files
from tests.support.processes import partnergraph_command, subprocess_env

BASE = "https://w3id.org/partnergraph/id/"
EX = "http://example.org/"

# One small dataset of two triples, written in every format the loader reads.
SAME_TRIPLES = {
    "ttl": f'<{EX}a> <{EX}name> "Alfa"@sv ; <{EX}knows> <{EX}b> .',
    "nt": f'<{EX}a> <{EX}name> "Alfa"@sv .\n<{EX}a> <{EX}knows> <{EX}b> .\n',
    "rdf": f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="{EX}">
  <rdf:Description rdf:about="{EX}a">
    <ex:name xml:lang="sv">Alfa</ex:name><ex:knows rdf:resource="{EX}b"/>
  </rdf:Description>
</rdf:RDF>""",
    "jsonld": json.dumps({"@id": f"{EX}a", f"{EX}name": {"@value": "Alfa", "@language": "sv"},
                          f"{EX}knows": {"@id": f"{EX}b"}}),
}


def graph_triples(store, graph):
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {(r["s"].value, r["p"].value, str(r["o"])) for r in rows}


def numbered_turtle(path, n, broken_line=None):
    lines = [f'<{EX}s{i}> <{EX}p> "{i}" .' for i in range(1, n + 1)]
    if broken_line:
        lines[broken_line - 1] = f'<{EX}s{broken_line}> <{EX}p> "x" "y" .'
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("extension", sorted(SAME_TRIPLES))
def test_each_triple_format_loads_into_the_graph_named_after_the_file(empty_store, tmp_path, extension):
    path = tmp_path / f"partners.{extension}"
    path.write_text(SAME_TRIPLES[extension])
    summary = load_files(empty_store, [path])
    graph = BASE + "graph/partners"
    assert summary.graphs == {graph: 2}
    assert graph_triples(empty_store, graph) == {
        (f"{EX}a", f"{EX}name", '"Alfa"@sv'),
        (f"{EX}a", f"{EX}knows", f"<{EX}b>"),
    }


@pytest.mark.parametrize("extension,text", [
    ("trig", f"<{EX}g1> {{ <{EX}a> <{EX}p> 1 }} <{EX}g2> {{ <{EX}b> <{EX}p> 2 }}"),
    ("nq", f"<{EX}a> <{EX}p> \"1\" <{EX}g1> .\n<{EX}b> <{EX}p> \"2\" <{EX}g2> .\n"),
])
def test_quad_formats_keep_their_own_graphs(empty_store, tmp_path, extension, text):
    path = tmp_path / f"two.{extension}"
    path.write_text(text)
    summary = load_files(empty_store, [path])
    assert set(summary.graphs) >= {f"{EX}g1", f"{EX}g2"}
    assert set(empty_store.graphs()) == {f"{EX}g1", f"{EX}g2"}


def test_graph_option_puts_every_file_in_one_graph(empty_store, tmp_path):
    (tmp_path / "a.ttl").write_text(f"<{EX}a> <{EX}p> 1 .")
    (tmp_path / "b.nt").write_text(f"<{EX}b> <{EX}p> \"2\" .\n")
    load_files(empty_store, [tmp_path / "a.ttl", tmp_path / "b.nt"], graph=f"{EX}partners")
    assert empty_store.graphs() == {f"{EX}partners": 2}


def test_graph_option_refuses_a_file_with_graphs_of_its_own(empty_store, tmp_path):
    path = tmp_path / "g.trig"
    path.write_text(f"<{EX}g1> {{ <{EX}a> <{EX}p> 1 }}")
    with pytest.raises(InputFileError, match="--graph"):
        load_files(empty_store, [path], graph=f"{EX}partners")
    assert empty_store.graphs() == {}


def test_loading_again_replaces_and_append_adds(empty_store, tmp_path):
    path = numbered_turtle(tmp_path / "list.ttl", 10)
    load_files(empty_store, [path])
    numbered_turtle(path, 3)
    load_files(empty_store, [path])
    assert empty_store.graphs() == {BASE + "graph/list": 3}
    other = tmp_path / "more.ttl"
    other.write_text(f'<{EX}extra> <{EX}p> "x" .')
    load_files(empty_store, [other], graph=BASE + "graph/list", replace=False)
    assert empty_store.graphs() == {BASE + "graph/list": 4}


def test_a_parse_error_is_reported_at_its_line_and_the_store_is_unchanged(store, tmp_path):
    path = numbered_turtle(tmp_path / "big.ttl", 1000, broken_line=700)
    before = (store.graphs(), store.data_version)
    with pytest.raises(ParseError) as caught:
        load_files(store, [path])
    assert caught.value.line == 700
    assert caught.value.column is not None
    assert str(caught.value).startswith(f"{path}:700:")
    assert (store.graphs(), store.data_version) == before


def test_files_of_one_load_land_together_or_not_at_all(store, tmp_path):
    good = numbered_turtle(tmp_path / "good.ttl", 5)
    bad = numbered_turtle(tmp_path / "bad.ttl", 5, broken_line=5)
    before = (store.graphs(), store.data_version)
    with pytest.raises(ParseError):
        load_files(store, [good, bad])
    assert (store.graphs(), store.data_version) == before


def test_a_missing_file_is_named_and_nothing_is_loaded(store, tmp_path):
    good = numbered_turtle(tmp_path / "good.ttl", 5)
    before = store.data_version
    with pytest.raises(InputFileError, match="No such file: .*missing.ttl"):
        load_files(store, [good, tmp_path / "missing.ttl"])
    assert store.data_version == before


def test_an_unknown_extension_is_refused_with_the_known_ones(empty_store, tmp_path):
    path = tmp_path / "partners.csv"
    path.write_text("a,b\n")
    with pytest.raises(UnsupportedFormat, match=r"\.ttl"):
        load_files(empty_store, [path])


def test_blank_nodes_of_two_files_stay_apart(empty_store, tmp_path):
    (tmp_path / "one.ttl").write_text(f'_:b1 <{EX}name> "one" .')
    (tmp_path / "two.ttl").write_text(f'_:b1 <{EX}name> "two" .')
    load_files(empty_store, [tmp_path / "one.ttl", tmp_path / "two.ttl"], graph=f"{EX}g")
    rows = empty_store.select(f"SELECT DISTINCT ?s WHERE {{ ?s <{EX}name> ?n }}")
    assert len(rows) == 2


def test_a_file_that_is_not_utf8_is_a_parse_error(empty_store, tmp_path):
    path = tmp_path / "latin1.ttl"
    path.write_bytes(f'<{EX}a> <{EX}name> "Borl\xe4nge" .'.encode("latin-1"))
    with pytest.raises(ParseError):
        load_files(empty_store, [path])
    assert empty_store.graphs() == {}


@pytest.mark.slow
def test_kill_9_during_a_large_load_leaves_the_earlier_data_intact(settings, tmp_path):
    with open_initialised(settings) as store:
        before = (store.graphs(), store.data_version)
    big = tmp_path / "big.nt"
    with big.open("w") as out:
        for i in range(1_500_000):
            out.write(f'<{EX}s{i}> <{EX}p> "value number {i}" .\n')
    process = subprocess.Popen(
        [*partnergraph_command(), "load", str(big), "--progress"],
        env=subprocess_env(PARTNERGRAPH_STORE=settings.store),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Wait until the load is under way (its progress bar has appeared).
    deadline = time.monotonic() + 60
    progress = b""
    while b"loading [" not in progress and time.monotonic() < deadline:
        progress += os.read(process.stderr.fileno(), 200)
    assert b"loading [" in progress, progress
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with open_initialised(settings) as store:
        assert (store.graphs(), store.data_version) == before


def sst_files(folder) -> int:
    return sum(1 for name in os.listdir(folder) if name.endswith(".sst"))


def test_a_large_load_leaves_the_store_as_compact_as_a_full_compaction(empty_store, settings, tmp_path):
    # The bulk loader writes each load's files beside the earlier ones; read
    # side by side they made queries four to six times slower at 10 M triples.
    # The load merges them, so no reader (nor the next snapshot) has to.
    load_files(empty_store, [numbered_turtle(tmp_path / "first.ttl", 2_000)])
    load_files(empty_store, [numbered_turtle(tmp_path / "second.ttl", 120_000)])
    assert graph_triples(empty_store, BASE + "graph/second") >= {(f"{EX}s7", f"{EX}p", '"7"')}
    empty_store.close()
    copy = tmp_path / "compacted-again"
    shutil.copytree(settings.store, copy)
    compacted = pyoxigraph.Store(str(copy))
    compacted.optimize()
    compacted.flush()
    del compacted
    assert sst_files(settings.store) == sst_files(copy)
