"""/query: the analysts' workbench (editor, results, gallery), and the small
JSON answers its script needs: the vocabulary for completion, labels and
page links for IRIs in results, and a result as a network."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, render_template, request, url_for
from werkzeug.exceptions import BadRequest

from graph.rdf.namespaces import PG, PREFIXES
from graph.sparql.stored import examples
from graph.views.answer_network import answer_network, edges_of
from graph.views.labels import labels
from server.support.links import page_url
from server.support.store import get_store

bp = Blueprint("workbench", __name__)

LABEL_LIMIT = 2000
_KINDS = {"http://www.w3.org/2002/07/owl#Class": "class",
          "http://www.w3.org/2002/07/owl#ObjectProperty": "property",
          "http://www.w3.org/2002/07/owl#DatatypeProperty": "property",
          "http://www.w3.org/2004/02/skos/core#Concept": "concept"}


@bp.get("/query")
def editor():
    return render_template(
        "query.html", q=request.args.get("query") or request.args.get("q", ""),
        examples=examples(),
        endpoint=url_for("sparql.sparql", _external=True))


@bp.get("/query/vocabulary.json")
def vocabulary():
    """The prefixes a query may use undeclared, and the ontology's terms."""
    store = get_store()
    values = " ".join(f"<{k}>" for k in _KINDS)
    rows = store.select(f"""SELECT DISTINCT ?term ?kind WHERE {{
        VALUES ?kind {{ {values} }} ?term a ?kind
        FILTER (STRSTARTS(STR(?term), "{PG}")) }}""")
    found = {row["term"].value: _KINDS[row["kind"].value] for row in rows}
    names = labels(store, found, g.lang)
    terms = [{"name": "pg:" + iri[len(str(PG)):], "kind": kind, "label": names[iri]}
             for iri, kind in sorted(found.items())]
    response = jsonify(prefixes=PREFIXES, terms=terms)
    response.headers["Vary"] = "Accept-Language"
    return response


@bp.post("/query/labels")
def iri_labels():
    """Labels and page links for the IRIs of a result table."""
    iris = (request.get_json(silent=True) or {}).get("iris")
    if not isinstance(iris, list) or not all(isinstance(i, str) for i in iris):
        raise BadRequest("Send {\"iris\": [...]} as JSON.")
    iris = iris[:LABEL_LIMIT]
    try:
        names = labels(get_store(), iris, g.lang)
    except ValueError as error:
        raise BadRequest(str(error)) from None
    return jsonify({iri: {"label": names[iri], "url": page_url(iri)} for iri in names})


@bp.get("/query/network.json")
def network():
    text = request.args.get("q", "")
    if not text.strip():
        raise BadRequest("q= is missing")
    answer = get_store().sparql_query(text, result_format="JSON", graph_format="N_TRIPLES")
    data = answer_network(get_store(), edges_of(answer), g.lang, page_url)
    return jsonify(data)
