"""The RDF and query-result formats the project reads and writes, by name,
file extension and media type."""
from __future__ import annotations

from pathlib import Path

from pyoxigraph import QueryResultsFormat, RdfFormat

from .errors import UnsupportedFormat

# File extensions the loader accepts.
RDF_EXTENSIONS: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".turtle": RdfFormat.TURTLE,
    ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.N_TRIPLES,
    ".ntriples": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".nquads": RdfFormat.N_QUADS,
    ".jsonld": RdfFormat.JSON_LD,
    ".json": RdfFormat.JSON_LD,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
    ".xml": RdfFormat.RDF_XML,
}

QUAD_FORMATS = {RdfFormat.TRIG, RdfFormat.N_QUADS, RdfFormat.JSON_LD}

# Names for --format and ?format=.
RESULT_FORMATS: dict[str, QueryResultsFormat] = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
}
DATASET_FORMATS: dict[str, RdfFormat] = {
    "nquads": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
}


def rdf_format_for(path: Path) -> RdfFormat:
    """The RDF format of a file, from its extension (ignoring a trailing .gz is
    not supported: compressed files must be unpacked first)."""
    fmt = RDF_EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(RDF_EXTENSIONS))
        raise UnsupportedFormat(
            f"{path}: cannot tell the RDF format from the extension "
            f"{path.suffix or '(none)'!r}; use one of {known}")
    return fmt
