"""A page for every resource, at the path of its own IRI (or /resource?iri=
for IRIs outside the base), as HTML for people and as RDF for programs."""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, g, render_template, request
from werkzeug.exceptions import BadRequest

from graph.rdf.namespaces import PREFIXES
from graph.store.base import Store
from graph.views.describe import describe, exists
from graph.views.key_facts import key_facts
from graph.views.labels import LABEL_PROPERTIES
from server.support import negotiation
from server.support.links import base_path
from server.support.store import get_store
from server.support.summary import human_date, summary
from server.support.view_cache import cached_response

HTML = ("text/html", "HTML", ("html",))
RDF_FORMATS = ("TURTLE", "N_TRIPLES", "JSON_LD", "RDF_XML")
FORMATS = [HTML, *(entry for entry in negotiation.GRAPH if entry[1] in RDF_FORMATS)]


def register(app: Flask) -> None:
    """The resource pages' route follows the configured base IRI, so each
    application gets a blueprint of its own."""
    bp = Blueprint("resource", __name__)
    path = base_path(app.config["PARTNERGRAPH"].base_iri)
    bp.add_url_rule(f"{path}<path:rest>", "by_path", by_path, methods=["GET"])
    bp.add_url_rule("/resource", "by_iri", by_iri, methods=["GET"])
    app.register_blueprint(bp)


def by_path(rest: str):
    return _answer(current_app.config["PARTNERGRAPH"].base_iri + rest)


def by_iri():
    iri = request.args.get("iri", "").strip()
    if not iri:
        raise BadRequest("Give the resource's IRI: /resource?iri=...")
    return _answer(iri)


def _answer(iri: str) -> Response:
    store = get_store()
    media, name = negotiation.choose(FORMATS, request.args.getlist("format"))
    try:
        found = exists(store, iri)
    except ValueError:
        raise BadRequest(f"Not an IRI: {iri!r}") from None
    if not found:
        response = Response(render_template("resource_missing.html", iri=iri), 404)
    elif name == "HTML":
        # Kept until the data changes: a hub's page asks the store and the
        # analysis a good deal, and is visited again and again.
        response = cached_response(lambda: _page(store, iri), variant="html")
    else:
        body = ox.serialize(_triples(store, iri), format=getattr(ox.RdfFormat, name),
                            prefixes={**PREFIXES, "id": store.base_iri})
        response = Response(body, content_type=negotiation.content_type(media))
    response.vary.add("Accept")
    return response


def _page(store: Store, iri: str) -> Response:
    page = request.args.get("page", "1")
    description = describe(store, iri, g.lang, page=int(page) if page.isdigit() else 1)
    numbers = {graph: n for n, graph in enumerate(description.sources, start=1)}
    facts = key_facts(store, iri, g.lang)
    return Response(render_template("resource.html", d=description, k=facts,
                                    opening=summary(facts, g.lang), human_date=human_date,
                                    source_numbers=numbers, network_focus=iri))


def _triples(store: Store, iri: str) -> list[ox.Triple]:
    names = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    result = store.query(f"""
        CONSTRUCT {{ <{iri}> ?p ?o . ?o ?bp ?bo . ?o ?lp ?label }} WHERE {{
          <{iri}> ?p ?o .
          OPTIONAL {{ FILTER(isBlank(?o)) ?o ?bp ?bo }}
          OPTIONAL {{ FILTER(isIRI(?o)) VALUES ?lp {{ {names} }} ?o ?lp ?label }}
        }}""")
    assert isinstance(result, ox.QueryTriples)
    return list(result)
