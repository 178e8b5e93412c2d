"""Every namespace IRI the project uses, spelled once.

Modules import namespaces from here and never write an IRI by hand.
"""
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, DefinedNamespace

from graph.iris import instance_prefix_iris

ONTOLOGY_IRI = "https://w3id.org/partnergraph/ontology"


class PG(DefinedNamespace):
    """The partnergraph ontology (ontology/partnergraph.ttl): a closed
    namespace, so that a misspelt term raises instead of minting an IRI.
    tests/library/test_namespaces.py holds it to the ontology file."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # Classes and individuals
    Active: URIRef
    AssociationOfMunicipalities: URIRef
    ConfirmedMerge: URIRef
    Country: URIRef
    County: URIRef
    CountyCouncil: URIRef
    Decided: URIRef
    Document: URIRef
    Ended: URIRef
    Event: URIRef
    Funder: URIRef
    FundingProgramme: URIRef
    InternationalCoordinator: URIRef
    MergeDecision: URIRef
    MillenniumAmbition: URIRef
    MillenniumMunicipality: URIRef
    MillenniumProcess: URIRef
    MillenniumStatus: URIRef
    MillenniumStatuses: URIRef
    MunicipalPartnership: URIRef
    Municipality: URIRef
    NameKeptApart: URIRef
    NameMerge: URIRef
    OfficialRelation: URIRef
    OtherOrganisation: URIRef
    Partnership: URIRef
    PartnershipKind: URIRef
    PartnershipKinds: URIRef
    Planned: URIRef
    Preparation: URIRef
    Project: URIRef
    ProjectLeader: URIRef
    Region: URIRef
    RejectedMerge: URIRef
    Role: URIRef
    Roles: URIRef
    Source: URIRef
    SourceGraph: URIRef
    SourceStatement: URIRef
    Status: URIRef
    Statuses: URIRef
    Theme: URIRef
    TwinTown: URIRef
    YouthStrategist: URIRef
    # Properties
    background: URIRef
    commonFunder: URIRef
    country: URIRef
    current: URIRef
    date: URIRef
    endDate: URIRef
    fundedBy: URIRef
    fundingProgramme: URIRef
    goal: URIRef
    host: URIRef
    isoAlpha2: URIRef
    isoAlpha3: URIRef
    isoNumeric: URIRef
    listsEveryMunicipalityOf: URIRef
    kind: URIRef
    location: URIRef
    matchedNode: URIRef
    mergeReason: URIRef
    millenniumStatus: URIRef
    nameCountry: URIRef
    nameGiven: URIRef
    nativeName: URIRef
    officialCode: URIRef
    organisationNumber: URIRef
    pageDate: URIRef
    participant: URIRef
    partnership: URIRef
    priorityArea: URIRef
    project: URIRef
    region: URIRef
    relatedDocument: URIRef
    restoredVersion: URIRef
    resultOf: URIRef
    sourceStatement: URIRef
    startDate: URIRef
    status: URIRef
    theme: URIRef
    timeDescription: URIRef
    visited: URIRef
    # The store's own bookkeeping (never in published graphs)
    dataVersion: URIRef
    beingLoaded: URIRef
    pendingContent: URIRef
    savedContent: URIRef


# Internal terms: kept out of the ontology, as no published graph uses them.
PG_INTERNAL_TERMS = ("dataVersion", "beingLoaded", "pendingContent", "savedContent")

PGSH = Namespace("https://w3id.org/partnergraph/shapes#")


class SCHEMA(DefinedNamespace):
    """The schema.org terms the project uses."""

    _NS = Namespace("https://schema.org/")
    _fail = True

    name: URIRef
    numberOfItems: URIRef


class GEO(DefinedNamespace):
    """W3C Basic Geo (WGS84) positions."""

    _NS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
    _fail = True

    lat: URIRef
    long: URIRef

# The store keeps its own bookkeeping (data version, staging areas) under IRIs
# no published data can use, so that they never mix with facts.
INTERNAL_GRAPH_PREFIX = "urn:x-partnergraph:"
SYSTEM_GRAPH = "urn:x-partnergraph:system"
STAGING_GRAPH_PREFIX = "urn:x-partnergraph:staging:"
# A graph nothing is ever written to. The SPARQL protocol cannot ask for a
# dataset of no graphs, but it can ask for this one, which is empty.
EMPTY_GRAPH = "urn:x-partnergraph:empty"
# Earlier versions of source graphs, kept so that an import can be undone:
# the name of a kept version (`Store.saved`); a remote store keeps it as a
# graph of that name, the embedded one in a file beside the store.
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
    return {**PREFIXES, **instance_prefix_iris(base_iri)}
