"""Every namespace IRI the project uses, spelled once.

Modules import namespaces from here and never write an IRI by hand.
"""
from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

ONTOLOGY_IRI = "https://w3id.org/partnergraph/ontology"
PG = Namespace(ONTOLOGY_IRI + "#")
PGSH = Namespace("https://w3id.org/partnergraph/shapes#")
SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

DEFAULT_BASE_IRI = "https://w3id.org/partnergraph/id/"

# The store keeps its own bookkeeping (data version, staging areas) under IRIs
# no published data can use, so that they never mix with facts.
INTERNAL_GRAPH_PREFIX = "urn:x-partnergraph:"
SYSTEM_GRAPH = "urn:x-partnergraph:system"
STAGING_GRAPH_PREFIX = "urn:x-partnergraph:staging:"
# A graph nothing is ever written to. The SPARQL protocol cannot ask for a
# dataset of no graphs, but it can ask for this one, which is empty.
EMPTY_GRAPH = "urn:x-partnergraph:empty"
# Earlier versions of source graphs, kept so that an import can be undone.
HISTORY_GRAPH_PREFIX = "urn:x-partnergraph:history:"


def is_internal_graph(iri: str) -> bool:
    """Bookkeeping graphs (version, staging, history) that queries never see."""
    return iri.startswith(INTERNAL_GRAPH_PREFIX)

# The prefixes every query may use without declaring them.
PREFIXES: dict[str, str] = {
    "pg": str(PG),
    "org": str(ORG),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "geo": str(GEO),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
}


def instance_prefixes(base_iri: str) -> dict[str, str]:
    """The query prefixes plus the ones for instance data under `base_iri`."""
    return {
        **PREFIXES,
        "id": base_iri,
        "muni": base_iri + "municipality/",
        "country": base_iri + "country/",
        "theme": base_iri + "theme/",
    }
