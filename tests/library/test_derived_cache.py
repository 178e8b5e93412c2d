"""Values worked out from the whole store are built once per data version,
however many ask at the same moment, and built again after a write."""
from __future__ import annotations

import threading
import time

from graph.store.derived import DerivedCache
from graph.views.search import index_for


def test_callers_at_the_same_moment_share_one_build():
    cache = DerivedCache()
    builds = []

    def build():
        builds.append(1)
        time.sleep(0.2)
        return object()

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("1", "model", build)))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert len({id(r) for r in results}) == 1


def test_a_new_data_version_builds_again_and_forgets_the_old_values():
    cache = DerivedCache()
    assert cache.get("1", "index", lambda: "first") == "first"
    assert cache.get("1", "index", lambda: "not built") == "first"
    assert cache.get("2", "index", lambda: "second") == "second"
    assert cache.get("2", "other", lambda: "other") == "other"
    assert cache.get("1", "index", lambda: "again") == "again"


def test_the_store_keeps_a_search_index_until_its_data_changes(store):
    first = index_for(store)
    assert index_for(store) is first
    store.update("INSERT DATA { GRAPH <http://example.org/g> { "
                 "<http://example.org/a> <http://www.w3.org/2004/02/skos/core#prefLabel> 'Gnarp' } }")
    assert index_for(store) is not first
