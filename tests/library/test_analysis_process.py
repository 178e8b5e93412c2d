"""The service's analysis lives in a process of its own: the web process
holds no model of the whole graph, gets the same answers as a local build,
serves the previous analysis after a write until the new one lands, and
starts the process again when it ends."""
from __future__ import annotations

import gc
import os
import signal
import types
from pathlib import Path

import networkx as nx
import pytest

from graph.analysis.analysis_process import AnalysisHandle, AnalysisLost
from graph.analysis.prepared import Unavailable, analysis_process, analysis_state, load_analysis
from graph.analysis.projection import Projection
from graph.store.open import open_store
from tests.conftest import copy_of_bundled

BORLANGE = "https://w3id.org/partnergraph/id/municipality/se/borlange"
CHISINAU = "https://w3id.org/partnergraph/id/municipality/md/chisinau"


@pytest.fixture
def service_store(settings, bundled_template):
    """The store as the service opens it: whole-graph values in the background."""
    copy_of_bundled(bundled_template, settings)
    store = open_store(settings.with_(derived_background=True))
    yield store
    store.close()


def _whole_graph_models(root) -> list:
    """The models of the graph reachable from `root` (other tests' stores
    may hold theirs in this process)."""
    seen, found, todo = set(), [], [root]
    while todo:
        item = todo.pop()
        # Code and modules lead to everything in the process, not to what
        # the store holds.
        if id(item) in seen or isinstance(item, (type, types.ModuleType, types.FunctionType,
                                                  types.FrameType, types.CodeType)):
            continue
        seen.add(id(item))
        if isinstance(item, Projection) or (isinstance(item, nx.Graph) and len(item) > 50):
            found.append(item)
            continue
        todo.extend(gc.get_referents(item))
    return found


def test_the_analysis_is_built_and_kept_in_another_process(service_store, bundled_store):
    analysis = load_analysis(service_store, "en")
    assert isinstance(analysis, AnalysisHandle)
    pid = analysis_process(service_store).pid()
    assert pid is not None and pid != os.getpid()
    # What a page shows crosses over; the model of the graph stays there.
    assert _whole_graph_models(service_store) == []
    local = load_analysis(bundled_store, "en")
    assert _whole_graph_models(bundled_store)  # built here, it is found here
    assert [r.iri for r in analysis.ask("ranking", None, 10)] == \
        [r.iri for r in local.ask("ranking", None, 10)]
    assert analysis.ask("resolve", "borlänge") == BORLANGE
    alike, candidates = analysis.ask("alike", BORLANGE, 5)
    assert [s.iri for s in alike] == [s.iri for s in local.ask("alike", BORLANGE, 5)[0]]
    found, message = analysis.ask("connections", BORLANGE, CHISINAU)
    assert found and message is None and found[0].steps[0].label == "Borlänge"
    assert analysis.ask("exported", "graphml").startswith(b"<?xml")


def test_a_question_the_analysis_cannot_answer_says_why(service_store):
    analysis = load_analysis(service_store, "en")
    with pytest.raises(ValueError, match="unknown export format"):
        analysis.ask("exported", "pdf")
    # The process lives on after a failed question.
    assert analysis.ask("is_municipality", BORLANGE)


def test_after_a_write_the_previous_analysis_serves_until_the_new_one_lands(service_store):
    old = load_analysis(service_store, "en")
    service_store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> "
                         "<http://www.w3.org/2004/02/skos/core#prefLabel> 'Gnarp' } }")
    state = analysis_state(service_store, "en")
    assert state is not None and state.stale and state.value is old
    assert old.ask("is_municipality", BORLANGE)
    assert service_store.derived_ready(120)
    new = analysis_state(service_store, "en").value
    assert new.version == service_store.data_version != old.version
    assert new.ask("is_municipality", BORLANGE)


def test_a_process_that_ended_is_started_again(service_store):
    first = load_analysis(service_store, "sv")
    process = analysis_process(service_store)
    killed = process.pid()
    os.kill(killed, signal.SIGKILL)
    with pytest.raises(AnalysisLost):
        for _ in range(100):  # until the answers' reader has seen the end
            first.ask("is_municipality", BORLANGE)
    assert not first.alive
    # The copy of the snapshot it read is not left behind.
    snapshots = Path(f"{service_store.settings.store}.snapshots")
    assert not any(p.name.startswith(f".analysis-{killed}-") for p in snapshots.iterdir())
    again = load_analysis(service_store, "sv")
    assert again.alive and again.ask("resolve", "Borlänge") == BORLANGE
    assert process.pid() is not None


def test_closing_the_store_ends_the_process_and_leaves_no_snapshot_copies(settings, bundled_template):
    copy_of_bundled(bundled_template, settings)
    store = open_store(settings.with_(derived_background=True))
    load_analysis(store, "en")
    pid = analysis_process(store).pid()
    snapshots = Path(f"{settings.store}.snapshots")
    assert any(p.name.startswith(".analysis-") for p in snapshots.iterdir())
    store.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not snapshots.exists() or not any(
        p.name.startswith(".analysis-") for p in snapshots.iterdir())


def test_an_analysis_too_large_for_its_memory_says_so_and_is_not_built_again(settings, bundled_template):
    copy_of_bundled(bundled_template, settings)
    # Less than an interpreter with networkx holds: the process ends at once.
    store = open_store(settings.with_(derived_background=True, analysis_memory=40))
    try:
        found = load_analysis(store, "en")
        assert isinstance(found, Unavailable)
        assert "40 MB" in found.reason and "PARTNERGRAPH_ANALYSIS_MEMORY" in found.reason
        with pytest.raises(AnalysisLost):
            found.ask("is_municipality", BORLANGE)
        # Kept for this data version: asking again starts no new process.
        assert load_analysis(store, "en") is found
        assert analysis_process(store).pid() is None
    finally:
        store.close()
