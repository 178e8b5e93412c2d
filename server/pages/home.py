"""The home page: what the graph holds and where the facts come from."""
from __future__ import annotations

from flask import Blueprint, g, render_template

from graph.views.overview import class_counts, municipalities, sources
from server.support.store import get_store

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    store = get_store()
    return render_template(
        "home.html",
        counts=class_counts(store, g.lang),
        sources=sources(store, g.lang),
        municipalities=municipalities(store, g.lang),
        graphs=store.graphs(),
        data_version=store.data_version,
    )
