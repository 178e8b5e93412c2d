"""The interactive network: JSON for vis-network, the /explore page, and
vis-network itself, served from the installed pyvis package so that no copy
sits in this repository and no page loads anything from another site."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, g, jsonify, render_template, request, send_file

from graph.views import filters as network_filters
from graph.views.network import aggregate, load_network, neighbourhood, network_state
from graph.views.vis import vis_data
from server.support.links import page_url
from server.support.store import get_store
from server.support.view_cache import cached

bp = Blueprint("network", __name__)

NODE_LIMIT = 300
_VENDOR = {"vis-network.min.js": "application/javascript", "vis-network.css": "text/css"}


def _vis_folder() -> Path:
    import pyvis
    return Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"


def _limit() -> int:
    return int(current_app.config.get("NETWORK_NODE_LIMIT", NODE_LIMIT))


def _depth() -> int:
    return 2 if request.args.get("depth") == "2" else 1


def _answer(model, view):
    response = jsonify(vis_data(model, aggregate(model, view, _limit()), page_url))
    response.headers["Vary"] = "Accept-Language"
    return response


@bp.get("/api/network")
@cached
def network_json():
    """With `focus`, that resource's neighbourhood; otherwise the whole
    network as the filters in the query string choose it."""
    model = load_network(get_store(), g.lang)
    focus = request.args.get("focus")
    if focus:
        view = neighbourhood(model, focus, _depth())
    else:
        view = network_filters.apply(model, network_filters.parse(request.args))
    return _answer(model, view)


@bp.get("/api/neighbours")
@cached
def neighbours_json():
    """One node's neighbours, for adding them to a drawing already shown."""
    iri = request.args.get("iri")
    if not iri:
        abort(400, "iri= is missing")
    model = load_network(get_store(), g.lang)
    return _answer(model, neighbourhood(model, iri, 1))


@bp.get("/explore")
def explore():
    """The drawing comes from /api/network; the filters' counts need the
    whole network, so while the first one is built the page says so."""
    state = network_state(get_store(), g.lang)
    filters = network_filters.parse(request.args)
    return render_template("explore.html", filters=filters, computed=state,
                           facets=network_filters.facets(state.value, filters) if state else None,
                           query=request.query_string.decode("utf-8", "replace"))


@bp.get("/vendor/<name>")
def vendor(name: str):
    if name not in _VENDOR:
        abort(404)
    response = send_file(_vis_folder() / name, mimetype=_VENDOR[name], max_age=86400)
    return response
