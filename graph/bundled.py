"""The ontology and data shipped with the service, and how a new store gets them.

Bundled files use relative IRIs; they are resolved against the configured
base IRI when loaded, so the same files serve any deployment. A file goes into
the named graph `<base>graph/<file stem>`.
"""
from __future__ import annotations

from pathlib import Path

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
    """Load the bundled files into an empty store, all in one transaction.
    Returns True when it loaded them."""
    if not store.is_empty():
        return False
    from .datasets import initial_quads
    from .load import load_files
    load_files(store, bundled_files())
    # The default data sets are matched against the bundled data (Borlänge of
    # the seeds is Borlänge of the municipality list), so they come second.
    quads = initial_quads(store)
    if quads:
        store.write_quads([quads], replace=True, graphs={q.graph_name.value for q in quads})
    return True
