"""Where the files shipped with the service are: the ontology, the data and
the stored queries.

An installed wheel carries the folders inside the package; a checkout (or an
editable install) has them at the top of the repository.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _root() -> Path:
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
