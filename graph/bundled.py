"""The ontology and data shipped with the service, and how a new store gets them.

Bundled files use relative IRIs; they are resolved against the configured
base IRI when loaded, so the same files serve any deployment. A file goes into
the named graph `<base>graph/<file stem>`.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .namespaces import instance_prefixes
from .store import Store

_PACKAGE = Path(__file__).resolve().parent


def _root() -> Path:
    # An installed wheel carries the folders inside the package; a checkout
    # (or an editable install) has them at the top of the repository.
    installed = _PACKAGE / "_bundled"
    return installed if installed.is_dir() else _PACKAGE.parent


def ontology_dir() -> Path:
    return _root() / "ontology"


def data_dir() -> Path:
    return _root() / "data"


def queries_dir() -> Path:
    return _root() / "queries"


def ontology_file() -> Path:
    return ontology_dir() / "partnergraph.ttl"


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"


def themes_file() -> Path:
    return ontology_dir() / "themes.ttl"


def bundled_files() -> list[Path]:
    """Every file a new store is loaded with: the ontology, the theme scheme,
    then the reference data and the seed facts."""
    return [ontology_file(), themes_file(), *sorted(data_dir().rglob("*.ttl"))]


def reference_files() -> list[Path]:
    """The files that give context to validation: vocabulary and reference data."""
    return [themes_file(), *sorted((data_dir() / "reference").glob("*.ttl"))]


def graph_for(path: Path, base_iri: str) -> str:
    """The named graph a file is loaded into unless the user names one."""
    return f"{base_iri}graph/{path.stem}"


def initialise_if_empty(store: Store) -> bool:
    """Load the bundled files and the default data sets into an empty store,
    all in one transaction, so that no reader (another web worker sharing a
    remote store, say) ever sees the one without the others.
    Returns True when it loaded them."""
    if not store.is_empty():
        return False
    from .datasets import initial_quads
    from .load import parse_file

    bundled: list[ox.Quad] = []
    targets = set()
    for path in bundled_files():
        target = ox.NamedNode(graph_for(path, store.base_iri))
        targets.add(target.value)
        bundled += [ox.Quad(q.subject, q.predicate, q.object,
                            target if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name)
                    for q in parse_file(path, store.base_iri)]
    # The default data sets are matched against the bundled data (Borlänge of
    # the seeds is Borlänge of the municipality list), which is not written yet.
    datasets = initial_quads(_InMemory(bundled, store.base_iri))
    targets |= {q.graph_name.value for q in datasets}
    store.write_quads([bundled, datasets], replace=True, graphs=targets)
    return True


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
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]
