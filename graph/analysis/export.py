"""The entity graph for other tools: GraphML and GEXF (Gephi reads both) and
node-link JSON. Every attribute is a plain string or number, so that a file
reads back with the same attributes; node ids are the IRIs."""
from __future__ import annotations

import io
import json

import networkx as nx

from graph.analysis.centrality import centrality
from graph.analysis.projection import Projection

FORMATS = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml",
           "json": "application/json"}


def export_graph(projection: Projection) -> nx.Graph:
    """A copy of the entity graph with plain attributes, municipalities
    carrying their number of partners."""
    degree = {c.iri: c.degree for c in centrality(projection)}
    out = nx.Graph()
    for node, data in projection.entities.nodes(data=True):
        out.add_node(node, label=str(data["label"]), cls=str(data["cls"]),
                     partners=int(degree.get(node, 0)))
    for a, b, data in projection.entities.edges(data=True):
        out.add_edge(a, b, relation=str(data["label"]), prop=str(data["prop"]),
                     kind=str(data["kind"]), cost=float(data["cost"]))
    return out


def export(projection: Projection, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    graph = export_graph(projection)
    if fmt == "json":
        data = nx.node_link_data(graph, edges="links")
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buffer, encoding="utf-8")
    else:
        nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()
