"""Views made to sit in an iframe on an intranet page: the network around a
resource (/embed/network?focus=IRI), the network of a filter
(/embed/explore?theme=..., or any view of /explore: ?view=world, ?view=pair&a=SE&b=DE),
whose clicks go closer inside the frame, a stored query's answer
(/embed/queries/NAME?param=...), a party's partners on a map (/embed/map?iri=IRI), or a
query's answer drawn (/embed/query?query=...), filling the frame, with a link to the full page.
They use the same widget and script as the full pages."""
from __future__ import annotations

from functools import wraps
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, abort, g, render_template, request, url_for

from graph.sparql.stored import ParameterError, bind
from graph.views.describe import exists
from graph.views.labels import label
from graph.views.partner_map import is_party, partner_map
from server.pages.oembed import bp as oembed_bp
from server.pages.stored_query_views import is_of_class, query_or_404, result_table
from server.pages.workbench import drawn_view, title_of_query
from server.support import embed_snippet
from server.support.i18n import TEXT
from server.support.links import page_url
from server.support.store import get_store
from server.support.view_cache import cached

bp = Blueprint("embed", __name__, url_prefix="/embed")

# An embedded table shows the start of an answer; the workbench has the rest.
EMBED_ROWS = 500
# A map in a column of an intranet page: names of the nearest partners only.
MAP_LABELS = 15


def embeddable(view):
    """Lets server.security allow the origins of PARTNERGRAPH_FRAME_ANCESTORS
    to frame this view's answer, cached or not."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        g.embeddable = True
        return view(*args, **kwargs)
    return wrapper


@bp.get("/network")
@embeddable
@cached
def network():
    focus = request.args.get("focus", "").strip()
    if not focus:
        abort(400, "focus= is missing")
    store = get_store()
    try:
        found = exists(store, focus)
    except ValueError:
        abort(400, f"Not an IRI: {focus!r}")
    if not found:
        abort(404)
    depth = "2" if request.args.get("depth") == "2" else None
    return render_template(
        "embed.html", title=label(store, focus, g.lang),
        api_url=url_for("network.network_json", focus=focus, depth=depth, lang=g.lang),
        drill=url_for("embed.explore"), full_url=embed_snippet.absolute(page_url(focus, lang=g.lang)))


@bp.get("/explore")
@embeddable
@cached
def explore():
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang" and v != ""]
    query = urlencode(args + [("lang", g.lang)])
    return render_template(
        "embed.html", title=TEXT["net_explore"][g.lang],
        api_url=url_for("network.network_json") + "?" + query,
        drill=url_for("embed.explore"), full_url=embed_snippet.absolute(url_for("network.explore")) + "?" + query)


@bp.get("/map")
@embeddable
@cached
def map_view():
    """The map of a municipality's (or other party's) partners."""
    iri = request.args.get("iri", "").strip()
    if not iri:
        abort(400, "iri= is missing")
    store = get_store()
    try:
        found = exists(store, iri)
    except ValueError:
        abort(400, f"Not an IRI: {iri!r}")
    if not found or not is_party(store, iri):
        abort(404)
    found_map = partner_map(store, iri, g.lang, max_labels=MAP_LABELS)
    return render_template("embed_map.html", title=TEXT["emb_map_of"][g.lang] % found_map.centre.label,
                           m=found_map, full_url=embed_snippet.absolute(
                               url_for("partner_map.page", iri=iri, lang=g.lang)))


@bp.get("/queries/<name>")
@embeddable
@cached
def stored_query(name: str):
    """A stored query's answer as a table, with its parameters from the URL."""


    query = query_or_404(name)
    # Typed as url_for's own values (see embed_snippet.for_stored_query).
    given: dict[str, Any] = {p.name: request.args.get(p.name, "") for p in query.parameters}
    try:
        bindings = bind(query, given, is_of_class)
    except ParameterError as problem:
        abort(400, str(problem))
    answer = get_store().sparql_query(query.text, result_format="JSON", graph_format="N_TRIPLES",
                                bindings=bindings)
    full = url_for("stored_queries.form", name=name, lang=g.lang, **given)
    return render_template("embed_query.html", title=query.title(g.lang),
                           result=result_table(answer), full_url=embed_snippet.absolute(full))


@bp.get("/query")
@embeddable
@cached
def query():
    """A query's answer drawn as `view=` (map, bars, lines, timeline, graph,
    table; auto or none: as the query or its variables ask)."""
    text = request.args.get("query", "")
    if not text.strip():
        abort(400, "query= is missing")
    name, drawing = drawn_view(text, request.args.get("view") or "auto")
    title = title_of_query(text)
    full = embed_snippet.absolute(url_for("workbench.editor", query=text, lang=g.lang))
    if name == "graph":
        return render_template("embed.html", title=title, full_url=full,
                               api_url=url_for("workbench.network", q=text, lang=g.lang))
    if name == "table":
        answer = get_store().sparql_query(text, result_format="JSON", graph_format="N_TRIPLES",
                                          row_cap=EMBED_ROWS)
        return render_template("embed_query.html", title=title, result=result_table(answer),
                               full_url=full)
    return render_template("embed_result.html", title=title, name=name, view=drawing,
                           full_url=full)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(oembed_bp)

    @app.context_processor
    def _embeds():
        return {"embed_for_resource": embed_snippet.for_resource,
                "embed_for_explore": embed_snippet.for_explore,
                "embed_for_stored_query": embed_snippet.for_stored_query,
                "embed_for_map": embed_snippet.for_map}
