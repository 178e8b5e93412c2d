"""/query: the analysts' workbench (editor, results, gallery), and the small
JSON answers its script needs: the vocabulary for completion, labels and
page links for IRIs in results, and a result as a network."""
from __future__ import annotations

import json

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import BadRequest, NotFound, ServiceUnavailable

from graph.rdf.namespaces import PG, PREFIXES
from graph.sparql.stored import examples
from graph.views.answer_network import answer_network, edges_of
from graph.views.labels import labels
from graph.views.result_views import BUILDERS, VIEWS, asked_view, choose_view
from graph.views.search import normalise, search
from server.support import embed_snippet
from server.support.i18n import text as text_of
from server.support.links import page_url
from server.support.short_links import ShortLinks
from server.support.store import get_store

bp = Blueprint("workbench", __name__)

LABEL_LIMIT = 2000
VIEW_ROWS = 5000
ENTITY_LIMIT = 20
_KINDS = {"http://www.w3.org/2002/07/owl#Class": "class",
          "http://www.w3.org/2002/07/owl#ObjectProperty": "property",
          "http://www.w3.org/2002/07/owl#DatatypeProperty": "property",
          "http://www.w3.org/2004/02/skos/core#Concept": "concept"}


@bp.get("/query")
def editor():
    return render_template(
        "query.html", q=request.args.get("query") or request.args.get("q", ""),
        examples=examples(), blank_embed=embed_snippet.Embed(url="", title="", page=""),
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


@bp.post("/query/view")
def view():
    """The answer of `query` drawn as `view` (map, bars, lines, timeline), or
    as the query or its variables ask (`auto`): JSON with the view's name,
    its HTML, and the snippet that embeds it."""
    text = request.form.get("query", "")
    if not text.strip():
        raise BadRequest("query= is missing")
    asked = request.form.get("view", "auto")
    name, drawing = drawn_view(text, asked)
    html = render_template("result_view.html", name=name, view=drawing) if name in BUILDERS else ""
    embed = embed_snippet.for_query(text, name, title_of_query(text))
    return jsonify(view=name, html=html, snippet=embed.snippet, snippets=embed.snippets(), embed=embed.url)


def drawn_view(text: str, asked: str) -> tuple[str, object | None]:
    """(the view's name, what to draw) for the answer of `text`: the first
    VIEW_ROWS rows are drawn, which is more than a map or a chart shows."""
    if asked not in (*VIEWS, "auto"):
        raise BadRequest(f"view={asked!r}: give one of auto, {', '.join(VIEWS)}.")
    store = get_store()
    answer = store.sparql_query(text, result_format="JSON", graph_format="N_TRIPLES",
                                row_cap=VIEW_ROWS)
    names: list[str] = []
    rows: list[dict] = []
    if answer.kind != "graph":
        data = json.loads(answer.read())
        names = data.get("head", {}).get("vars", [])
        rows = data.get("results", {}).get("bindings", [])
    name = asked if asked != "auto" else choose_view(text, answer.kind, names, rows)
    drawing = BUILDERS[name](store, names, rows, g.lang) if name in BUILDERS else None
    return name, drawing


def title_of_query(text: str) -> str:
    """The query's first comment, as the title of its embed, or "SPARQL"."""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#") and not asked_view(line) and line.strip("# "):
            return line.strip("# ")[:80]
        if line and not line.startswith("#"):
            break
    return "SPARQL"


@bp.get("/query/entities.json")
def entities():
    """Resources whose names start with or hold `q`, for completion in the
    editor: each with its IRI, label, kind and country."""
    text = request.args.get("q", "").strip()
    hits = search(get_store(), text, g.lang, limit=ENTITY_LIMIT) if len(text) >= 2 else []
    # A name that is what was typed, or starts with it, comes before one that
    # holds it somewhere: "Borl" is Borlänge before a visit to Borlänge.
    typed = normalise(text)
    hits.sort(key=lambda h: (normalise(h.label) != typed, not normalise(h.label).startswith(typed)))
    response = jsonify([{"iri": h.iri, "label": h.label, "kind": ", ".join(h.type_labels[:1]),
                         "country": h.country} for h in hits])
    response.headers["Vary"] = "Accept-Language"
    return response


@bp.post("/query/short")
def shorten():
    """A short link to the query sent (the same query, the same link)."""
    links = _links()
    found = links.add(request.form.get("query", ""))
    return jsonify(id=found, url=url_for("workbench.short", found=found, _external=True))


@bp.get("/q/<found>")
def short(found: str):
    text = _links().get(found)
    if text is None:
        raise NotFound(text_of("wb_no_link") % found)
    return redirect(url_for("workbench.editor", query=text,
                            **({"lang": g.lang} if "lang" in request.args else {})))


def _links() -> ShortLinks:
    path = current_app.config["PARTNERGRAPH"].links_path
    if path is None:
        raise ServiceUnavailable("Short links need PARTNERGRAPH_LINKS_FILE on a server with a "
                                 "remote store: the file to keep them in.")
    return ShortLinks(path)


@bp.get("/query/network.json")
def network():
    text = request.args.get("q", "")
    if not text.strip():
        raise BadRequest("q= is missing")
    answer = get_store().sparql_query(text, result_format="JSON", graph_format="N_TRIPLES")
    data = answer_network(get_store(), edges_of(answer), g.lang, page_url)
    return jsonify(data)
