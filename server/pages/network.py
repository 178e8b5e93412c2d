"""The interactive network: JSON for vis-network, the /explore page, and
vis-network itself, served from the installed pyvis package so that no copy
sits in this repository and no page loads anything from another site.

Which view a query string asks for (the same on /explore, /api/network and
/embed/explore, so that a link to a view can be shared and the back button
goes to the previous view):
- `focus=IRI` (and `depth=2`): that resource's view (graph.views.network_views.focus);
- `view=world`; `view=country&country=SE`; `view=pair&a=SE&b=DE`;
- `view=activities` or any filter (`country`, `theme`, `funder`, `kind`,
  `status`, `from`, `to`): the activities the filters choose;
- nothing: the activities when the store holds few, else the world.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, g, jsonify, render_template, request, send_file

from graph.store.base import Store
from graph.views import filters as network_filters
from graph.views import network_views as views
from graph.views.vis import vis_data
from server.support.links import page_url
from server.support.store import get_store
from server.support.view_cache import cached

bp = Blueprint("network", __name__)

_VENDOR = {"vis-network.min.js": "application/javascript", "vis-network.css": "text/css"}
_CODE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def _vis_folder() -> Path:
    import pyvis
    return Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"


def _depth() -> int:
    return 2 if request.args.get("depth") == "2" else 1


def _code(name: str) -> str:
    """A country code from the query string (SE, DE), or a 400 saying so."""
    code = request.args.get(name, "").strip().upper()
    if not code or not set(code) <= _CODE:
        abort(400, f"{name}= must be a country code such as SE")
    return code


def _activity_count(store: Store) -> int:
    rows = store.select("""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {
        VALUES ?c { pg:Partnership pg:Project pg:Event } ?a a ?c }""")
    return int(rows[0]["n"].value)


def chosen_view(store: Store, lang: str) -> views.NetworkView:
    """The view the request's query string asks for."""
    focus = request.args.get("focus", "").strip()
    view = request.args.get("view", "")
    if focus:
        try:
            return views.focus(store, focus, lang, _depth())
        except ValueError:
            abort(400, f"Not an IRI: {focus!r}")
    if view == "world":
        return views.world(store, lang)
    if view == "country":
        return views.world(store, lang, _code("country"))
    if view == "pair":
        return views.pair(store, _code("a"), _code("b"), lang)
    filters = network_filters.parse(request.args)
    if view == "activities" or filters.active or \
            _activity_count(store) <= views.ACTIVITY_LIMIT:
        chosen, total = network_filters.chosen(store, filters)
        return views.activities(store, chosen, lang, total)
    return views.world(store, lang)


def _answer(view: views.NetworkView):
    class_labels = views.class_labels(get_store(), g.lang)
    response = jsonify(vis_data(view, class_labels.__getitem__, page_url))
    response.headers["Vary"] = "Accept-Language"
    return response


@bp.get("/api/network")
@cached
def network_json():
    return _answer(chosen_view(get_store(), g.lang))


@bp.get("/api/neighbours")
@cached
def neighbours_json():
    """One node's view, for adding its neighbours to a drawing already shown."""
    iri = request.args.get("iri")
    if not iri:
        abort(400, "iri= is missing")
    try:
        return _answer(views.focus(get_store(), iri, g.lang))
    except ValueError:
        abort(400, f"Not an IRI: {iri!r}")


@bp.get("/explore")
def explore():
    """The drawing comes from /api/network; the filters' counts come from
    the activity index, and while the first one is built the page says so."""
    store = get_store()
    state = network_filters.index_state(store)
    filters = network_filters.parse(request.args)
    return render_template(
        "explore.html", filters=filters, computed=state,
        facets=network_filters.facets(store, filters, g.lang) if state else None,
        depth=_depth(), focus=request.args.get("focus", ""),
        query=request.query_string.decode("utf-8", "replace"))


@bp.get("/vendor/<name>")
def vendor(name: str):
    if name not in _VENDOR:
        abort(404)
    response = send_file(_vis_folder() / name, mimetype=_VENDOR[name], max_age=86400)
    return response
