"""Conversion of pyoxigraph terms to rdflib terms, for the code (SHACL
validation) that works on rdflib graphs."""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

_XSD_STRING = str(XSD.string)


def to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # rdflib tells "x" from "x"^^xsd:string; RDF 1.1 does not.
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def rdflib_graph(quads: Iterable, graph: Graph | None = None) -> Graph:
    """All quads' triples in one rdflib Graph (graph names are dropped)."""
    graph = Graph() if graph is None else graph
    for quad in quads:
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph
