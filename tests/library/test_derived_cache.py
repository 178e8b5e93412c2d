"""Values worked out from the whole store are built once per data version,
however many ask at the same moment, and built again after a write; in the
background mode nobody waits for a rebuild: the previous value is served,
marked stale, until the new one lands."""
from __future__ import annotations

import threading
import time

from graph.store.derived import DerivedCache
from graph.views.search import index_for


class Versions:
    """A data version the test moves on by hand."""

    def __init__(self) -> None:
        self.now = "1"

    def __call__(self) -> str:
        return self.now


class BlockedBuild:
    """A build that waits for the test's go, and counts its runs."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.go = threading.Event()
        self.started = threading.Event()
        self.runs = 0

    def __call__(self) -> str:
        self.runs += 1
        self.started.set()
        assert self.go.wait(10), "the test never let the build finish"
        return self.value


def test_callers_at_the_same_moment_share_one_build():
    cache = DerivedCache(lambda: "1")
    builds = []

    def build():
        builds.append(1)
        time.sleep(0.2)
        return object()

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("model", build)))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert len({id(r) for r in results}) == 1


def test_a_new_data_version_builds_again_when_waiting_is_the_mode():
    versions = Versions()
    cache = DerivedCache(versions)
    assert cache.get("index", lambda: "first") == "first"
    assert cache.get("index", lambda: "not built") == "first"
    versions.now = "2"
    assert cache.get("index", lambda: "second") == "second"


def test_without_a_value_the_state_answers_none_at_once_and_builds_in_the_background():
    cache = DerivedCache(lambda: "1", background=True)
    build = BlockedBuild("model")
    assert cache.state("model", build) is None
    assert build.started.wait(10)
    # Asked again while the build is blocked: still no wait, and no second build.
    assert cache.state("model", build) is None
    build.go.set()
    assert cache.wait(10)
    found = cache.state("model", build)
    assert found is not None and found.value == "model" and not found.stale
    assert build.runs == 1


def test_after_a_write_the_previous_value_is_served_stale_until_the_new_one_lands():
    versions = Versions()
    cache = DerivedCache(versions, background=True)
    assert cache.get("index", lambda: "first") == "first"
    cache.wait(10)
    versions.now = "2"
    second = BlockedBuild("second")
    stale = cache.state("index", second)
    assert stale is not None and stale.value == "first" and stale.stale and stale.version == "1"
    assert cache.get("index", second) == "first"
    assert second.started.wait(10)
    second.go.set()
    assert cache.wait(10)
    fresh = cache.state("index", second)
    assert fresh is not None and fresh.value == "second" and not fresh.stale
    assert second.runs == 1


def test_a_refresh_rebuilds_what_was_asked_for_before_anyone_asks_again():
    versions = Versions()
    cache = DerivedCache(versions, background=True)
    built = []
    cache.get("index", lambda: built.append(versions.now) or versions.now)
    versions.now = "2"
    cache.refresh()
    assert cache.wait(10)
    assert built == ["1", "2"]


def test_concurrent_askers_start_one_background_build():
    cache = DerivedCache(lambda: "1", background=True)
    build = BlockedBuild("model")
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(cache.state("model", build)))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert answers == [None, None]
    build.go.set()
    assert cache.wait(10)
    assert build.runs == 1


def test_a_failed_background_build_keeps_the_previous_value_and_leaves_no_thread():
    versions = Versions()
    cache = DerivedCache(versions, background=True)
    cache.get("index", lambda: "first")
    versions.now = "2"

    def broken():
        raise RuntimeError("store gone")

    assert cache.get("index", broken) == "first"
    assert cache.wait(10)
    assert not [t for t in threading.enumerate() if t.name == "derived-values"]


def test_the_store_keeps_a_search_index_until_its_data_changes(store):
    first = index_for(store)
    assert index_for(store) is first
    store.update("INSERT DATA { GRAPH <http://example.org/g> { "
                 "<http://example.org/a> <http://www.w3.org/2004/02/skos/core#prefLabel> 'Gnarp' } }")
    assert index_for(store) is not first
