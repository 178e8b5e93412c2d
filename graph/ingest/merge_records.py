"""The record of a data set load's merges, kept in the data set's own graph
so that the command line and /admin/merges can list them and a steward can
decide on each.

Each place name merged into an existing node is a pg:NameMerge, and each
name given a node of its own beside a node of the same ASCII spelling (or
beside a node a steward said it is not) a pg:NameKeptApart: the name as
given, its country, the node, the reason and its detail (in Swedish and
English, as rdfs:comment). The data set's
graph is replaced on every load, so the records are always those of the
latest load; a reload with the same files and decisions gives the same
records. Merges of pairs of towns into one partnership are in the load's
report only: a decision is about a name and a place."""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from graph.ingest.dataset_matching import KeptApart, Merge
from graph.ingest.messages import LANGUAGES, Bilingual
from graph.iris import country_iri, merge_record_iri
from graph.rdf.namespaces import PG

KEPT_APART = "kept apart"
DECIDED_APART = "decided apart"


def record_quads(base_iri: str, dataset: str, graph: str, merges: Iterable[Merge],
                 kept_apart: Iterable[KeptApart]) -> list[ox.Quad]:
    """The records of `merges` and `kept_apart` as quads of `graph`."""
    facts: list[tuple[str, str, str, str, str, str, Bilingual | str]] = []
    for merge in merges:
        if merge.code:
            facts.append((merge_record_iri(base_iri, dataset, "merge", merge.given, merge.code, merge.iri),
                          str(PG.NameMerge), merge.given, merge.code, merge.iri, merge.reason, merge.detail))
    for apart in kept_apart:
        facts.append((merge_record_iri(base_iri, dataset, "apart", apart.given, apart.country, apart.other),
                      str(PG.NameKeptApart), apart.given, apart.country, apart.other,
                      DECIDED_APART if apart.decided else KEPT_APART, apart.words()))
    node = ox.NamedNode(graph)
    quads = []
    for iri, kind, given, code, target, reason, detail in facts:
        subject = ox.NamedNode(iri)
        said: list[tuple[URIRef, ox.NamedNode | ox.Literal]] = [
            (RDF.type, ox.NamedNode(kind)),
            (PG.nameGiven, ox.Literal(given)),
            (PG.nameCountry, ox.NamedNode(country_iri(base_iri, code))),
            (PG.matchedNode, ox.NamedNode(target)),
            (PG.mergeReason, ox.Literal(reason)),
            *((RDFS.comment, comment) for comment in _in_each_language(detail))]
        for predicate, obj in said:
            quads.append(ox.Quad(subject, ox.NamedNode(str(predicate)), obj, node))
    return quads


def _in_each_language(detail: Bilingual | str) -> list[ox.Literal]:
    if isinstance(detail, Bilingual):
        return [ox.Literal(detail.said(lang), language=lang) for lang in LANGUAGES]
    return [ox.Literal(detail, language="en")]
