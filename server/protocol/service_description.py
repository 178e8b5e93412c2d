"""The SPARQL 1.1 Service Description of /sparql (what a plain GET answers)."""
from __future__ import annotations

import pyoxigraph as ox

from graph.rdf.formats import RDF, RESULTS

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def service_description(endpoint: str, graphs: list[str], fmt: str) -> bytes:
    """The description, serialised in the pyoxigraph RdfFormat named `fmt`."""
    def sd(name):
        return ox.NamedNode(SD + name)

    service = ox.BlankNode()
    dataset = ox.BlankNode()
    default = ox.BlankNode()
    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, sd("Graph")),
    ]
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + f))
                for f in (*(r.w3c for r in RESULTS), *(r.w3c for r in RDF))]
    for graph in graphs:
        named = ox.BlankNode()
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(graph)),
        ]
    data = ox.serialize(triples, format=getattr(ox.RdfFormat, fmt),
                        prefixes={"sd": SD, "formats": FORMATS})
    # Without an output file to write to, serialize returns the bytes.
    assert data is not None
    return data
