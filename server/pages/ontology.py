"""/ontology: the ontology as a readable page, or as Turtle for programs."""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, g, render_template, request

from graph.iris import graph_iri
from graph.rdf.namespaces import PREFIXES
from graph.views.ontology_doc import ontology_doc
from server.support import negotiation
from server.support.store import get_store

bp = Blueprint("ontology", __name__)

FORMATS = [("text/html", "HTML", ("html",)),
           *(e for e in negotiation.GRAPH if e[1] in ("TURTLE", "N_TRIPLES", "JSON_LD", "RDF_XML"))]


@bp.get("/ontology")
def page():
    store = get_store()
    media, name = negotiation.choose(FORMATS, request.args.getlist("format"))
    if name == "HTML":
        response = Response(render_template("ontology.html", doc=ontology_doc(store, g.lang)))
    else:
        triples = (ox.Triple(q.subject, q.predicate, q.object)
                   for q in store.quads(graph_iri(store.base_iri, "partnergraph")))
        body = ox.serialize(triples, format=getattr(ox.RdfFormat, name), prefixes=PREFIXES)
        response = Response(body, content_type=negotiation.content_type(media))
    response.vary.add("Accept")
    return response
