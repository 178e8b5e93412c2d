"""The one table of formats the project reads and writes: each with its short
name (for --format and ?format=), its media types (the first is what an
answer says it is), the engine's name for it, and the file extensions it is
read from.

The CLI, the loader, the SPARQL endpoint's content negotiation, the Graph
Store and the resource pages all take their formats from here.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import QueryResultsFormat, RdfFormat

from graph.errors import UnsupportedFormat


@dataclass(frozen=True)
class Format:
    name: str
    media_types: tuple[str, ...]
    engine_name: str                      # the pyoxigraph format's attribute name
    aliases: tuple[str, ...] = ()         # other names ?format= takes
    extensions: tuple[str, ...] = ()
    w3c: str = ""                         # its name under http://www.w3.org/ns/formats/

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


# SELECT and ASK results.
RESULTS: tuple[Format, ...] = (
    Format("json", ("application/sparql-results+json", "application/json"), "JSON", ("srj",),
           w3c="SPARQL_Results_JSON"),
    Format("xml", ("application/sparql-results+xml", "application/xml", "text/xml"), "XML",
           ("srx",), w3c="SPARQL_Results_XML"),
    Format("csv", ("text/csv",), "CSV", w3c="SPARQL_Results_CSV"),
    Format("tsv", ("text/tab-separated-values",), "TSV", w3c="SPARQL_Results_TSV"),
)
# ASK answers have no table to write as CSV or TSV.
BOOLEAN_RESULTS = tuple(f for f in RESULTS if f.name in ("json", "xml"))

# Triples (CONSTRUCT, DESCRIBE, graphs) and quads (datasets).
RDF: tuple[Format, ...] = (
    Format("turtle", ("text/turtle", "application/x-turtle"), "TURTLE", ("ttl", "n3"),
           (".ttl", ".turtle"), "Turtle"),
    Format("nt", ("application/n-triples", "text/plain"), "N_TRIPLES", ("ntriples", "n-triples"),
           (".nt", ".ntriples"), "N-Triples"),
    Format("jsonld", ("application/ld+json", "application/json"), "JSON_LD", ("json-ld", "json"),
           (".jsonld", ".json"), "JSON-LD"),
    Format("rdfxml", ("application/rdf+xml",), "RDF_XML", ("rdf", "xml"),
           (".rdf", ".owl", ".xml"), "RDF_XML"),
    Format("nquads", ("application/n-quads",), "N_QUADS", ("nq",), (".nq", ".nquads"), "N-Quads"),
    Format("trig", ("application/trig",), "TRIG", (), (".trig",), "TriG"),
)
# What a graph is written as for a person's download or the CLI: one graph's triples.
TRIPLE_FORMATS = tuple(f for f in RDF if f.name in ("turtle", "nt", "jsonld", "rdfxml"))
# A whole dataset with its graph names.
DATASET_FORMATS = tuple(f for f in RDF if f.name in ("nquads", "trig"))


def by_name(formats: tuple[Format, ...], name: str) -> Format:
    for fmt in formats:
        if name in fmt.names:
            return fmt
    raise UnsupportedFormat(f"{name!r} is not one of the formats "
                            + ", ".join(f.name for f in formats))


def rdf_engine_format(fmt: Format) -> RdfFormat:
    return getattr(RdfFormat, fmt.engine_name)


def results_engine_format(fmt: Format) -> QueryResultsFormat:
    return getattr(QueryResultsFormat, fmt.engine_name)


def rdf_format_for(path: Path) -> RdfFormat:
    """The RDF format of a file, from its extension (compressed files must be
    unpacked first)."""
    suffix = path.suffix.lower()
    for fmt in RDF:
        if suffix in fmt.extensions:
            return rdf_engine_format(fmt)
    raise UnsupportedFormat(
        f"{path}: cannot tell the RDF format from the extension "
        f"{path.suffix or '(none)'!r}; use one of {rdf_extensions()}")


def rdf_extensions() -> str:
    """Every RDF file extension, for a message that lists them."""
    return ", ".join(sorted(e for f in RDF for e in f.extensions))

