"""Every import keeps the graph's previous content in a hidden graph and
records itself as a prov:Activity; `restore` brings a version back; a killed
import leaves the previous graph whole."""
from __future__ import annotations

import os
import signal
import subprocess

import pytest

from graph.ingest.bundled import open_initialised
from graph.ingest.history import imports_graph, restore, versions
from graph.ingest.importer import import_file
from graph.rdf.namespaces import HISTORY_GRAPH_PREFIX
from tests.support.csv_files import GRAPH, graph_triples, partnership_rows, write_csv
from tests.support.processes import partnergraph_command, subprocess_env


def test_restore_brings_back_the_previous_version(store, tmp_path):
    path = tmp_path / "partners.csv"
    import_file(store, write_csv(path, partnership_rows(10, broken=False)), agent="alice")
    first = graph_triples(store)
    import_file(store, write_csv(path, partnership_rows(5, broken=False)), agent="bob")
    assert graph_triples(store) != first
    done = restore(store, GRAPH, agent="carol")
    restored = done.restored
    assert graph_triples(store) == first and done.kept == []
    assert done.summary.data_version == store.data_version
    # The restore is itself a version: restoring again undoes it.
    history = versions(store, GRAPH)
    assert [v.action for v in history] == ["restore", "import", "import"]
    assert history[1].id == restored and history[1].agent == "bob"
    assert history[2].file == "partners.csv" and history[2].rows == 10
    assert len(history[2].sha256) == 64 and not history[2].saved
    restore(store, GRAPH, agent="carol")
    assert len(graph_triples(store)) < len(first)
    # The very first version: before it the graph did not exist.
    restore(store, GRAPH, history[2].id, agent="carol")
    assert GRAPH not in store.graph_names()


def test_history_graphs_are_hidden_from_queries(store, tmp_path):
    path = tmp_path / "partners.csv"
    import_file(store, write_csv(path, partnership_rows(6, broken=False)), agent="alice")
    import_file(store, write_csv(path, partnership_rows(3, broken=False)), agent="alice")
    assert not any(g.startswith("urn:x-partnergraph:") for g in store.graph_names())
    assert not store.ask(f'ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER STRSTARTS(STR(?g), "{HISTORY_GRAPH_PREFIX}") }}')
    assert imports_graph(store.base_iri) in store.graph_names()
    assert store.ask("ASK { ?a a prov:Activity ; prov:used/dcterms:identifier ?sha }")
    # The query workers' snapshots leave them out too.
    from graph.rdf.namespaces import is_internal_graph as _is_internal
    assert _is_internal(HISTORY_GRAPH_PREFIX + "x") and not _is_internal(GRAPH)


def test_the_cli_imports_lists_and_restores(cli, tmp_path):
    path = write_csv(tmp_path / "partners.csv", partnership_rows(8, broken=False))
    status, out, _ = cli("import", str(path), "--dry-run")
    assert status == 0 and "Dry run" in out and "to add" in out
    status, out, _ = cli("import", str(path))
    assert status == 0 and "Written" in out
    write_csv(path, partnership_rows(4, broken=False))
    assert cli("import", str(path))[0] == 0
    status, out, _ = cli("history", GRAPH)
    assert status == 0 and out.count("import of partners.csv") == 2
    status, out, _ = cli("restore", GRAPH)
    assert status == 0 and "Restored" in out
    exported = tmp_path / "partners.csv"
    assert cli("export-csv", GRAPH, "-o", str(exported))[0] == 0
    status, out, _ = cli("import", str(exported))
    assert status == 0 and "nothing was written" in out
    broken = write_csv(tmp_path / "broken.csv", partnership_rows())
    status, out, _ = cli("import", str(broken))
    assert status == 1 and "row 7" in out and "row 23" in out


@pytest.mark.slow
def test_kill_9_during_an_import_leaves_the_previous_graph_or_the_new_one_complete(settings, tmp_path):
    path = tmp_path / "partners.csv"
    with open_initialised(settings) as store:
        import_file(store, write_csv(path, partnership_rows(20, broken=False)), agent="alice")
        before = graph_triples(store)
        version = store.data_version
    # Big enough for each stage to last the half second before its bar shows.
    write_csv(path, partnership_rows(6000, broken=False))
    # Killed while it reads the sheet, before the write is decided: the store
    # is as it was. Killed while it writes, after the write is decided: the
    # next opening finishes it.
    found = []
    for stage in ("reading rows", "writing"):
        process = subprocess.Popen([*partnergraph_command(), "import", str(path), "--progress"],
                                   env=subprocess_env(PARTNERGRAPH_STORE=settings.store),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seen = b""
        assert process.stderr is not None
        while stage.encode() not in seen:
            chunk = process.stderr.read1(256)
            assert chunk, f"the import ended before {stage}: {seen.decode(errors='replace')}"
            seen += chunk
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        with open_initialised(settings) as store:
            found.append((graph_triples(store), store.data_version))
    assert found[0] == (before, version)
    with open_initialised(settings) as store:
        import_file(store, path, agent="alice")
        after = graph_triples(store)
    assert after != before and found[1][0] in (before, after)
