"""The home page: what the graph holds and where the facts come from."""
from __future__ import annotations

from flask import Blueprint, g, render_template

from graph.views.overview import overview
from server.support.store import get_store

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    store = get_store()
    computed = overview(store, g.lang)
    return render_template(
        "home.html",
        counts=computed.value.counts,
        sources=computed.value.sources,
        municipalities=computed.value.municipalities,
        computed=computed,
        graphs=store.graphs(),
        data_version=store.data_version,
    )
