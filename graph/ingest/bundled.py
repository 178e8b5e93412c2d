"""How a new store gets the ontology and data shipped with the service.

Bundled files use relative IRIs; they are resolved against the configured
base IRI when loaded, so the same files serve any deployment. A file goes into
the named graph `<base>graph/<file stem>`.
"""
from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from graph.ingest.datasets import initial_quads
from graph.ingest.load import parse_file
from graph.iris import graph_for
from graph.rdf.namespaces import instance_prefixes
from graph.resources import bundled_files
from graph.settings import Settings
from graph.store.base import Store
from graph.store.open import open_store


def initialise_if_empty(store: Store) -> bool:
    """Load the bundled files and the default data sets into an empty store,
    all in one transaction, so that no reader (another web worker sharing a
    remote store, say) ever sees the one without the others.
    Returns True when it loaded them."""
    if not store.is_empty():
        return False
    quads, targets = bundled_quads(store.base_iri)
    store.write_quads([quads], replace=True, graphs=targets)
    return True


@lru_cache(maxsize=2)
def bundled_quads(base_iri: str) -> tuple[tuple[ox.Quad, ...], frozenset[str]]:
    """What a new store under `base_iri` is filled with, and the graphs it
    goes into. Worked out once per process: the shipped files do not change
    while it runs, and each new store (a test's, a remote one) would
    otherwise parse and match them again."""
    bundled: list[ox.Quad] = []
    targets = set()
    for path in bundled_files():
        target = ox.NamedNode(graph_for(path, base_iri))
        targets.add(target.value)
        bundled += [ox.Quad(q.subject, q.predicate, q.object,
                            target if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name)
                    for q in parse_file(path, base_iri)]
    # The default data sets are matched against the bundled data (Borlänge of
    # the seeds is Borlänge of the municipality list), which is not written yet.
    datasets = initial_quads(_InMemory(bundled, base_iri))
    targets |= {q.graph_name.value for q in datasets if isinstance(q.graph_name, ox.NamedNode)}
    return tuple(bundled + datasets), frozenset(targets)


class _InMemory:
    """Quads held in memory, answering `select` as a store does (the union of
    the graphs as default graph, the usual prefixes)."""

    def __init__(self, quads, base_iri: str):
        self.base_iri = base_iri
        self._prefixes = instance_prefixes(base_iri)
        self._ox = ox.Store()
        self._ox.extend(quads)

    def select(self, sparql: str) -> list[dict]:
        result = self._ox.query(sparql, prefixes=self._prefixes, use_default_graph_as_union=True)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]


def open_initialised(settings: Settings) -> Store:
    """The store the settings name; an empty one is first filled with the
    bundled ontology and data."""
    store = open_store(settings)
    try:
        initialise_if_empty(store)
    except BaseException:
        store.close()
        raise
    return store
