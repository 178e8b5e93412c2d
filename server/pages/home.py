"""The home page: what the graph holds and where the facts come from."""
from __future__ import annotations

from flask import Blueprint, g, render_template

from graph.views.overview import overview
from server.support.store import get_store

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    store = get_store()
    # Never waits for the overview: until its first build lands the page
    # says it is being counted (graph.store.derived).
    computed = overview(store, g.lang)
    return render_template(
        "home.html",
        computed=computed,
        graph_names=store.graph_names(),
        data_version=store.data_version,
    )
