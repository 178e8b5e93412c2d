"""/search?q=: resources by name, forgiving of accents and case."""
from __future__ import annotations

from flask import Blueprint, g, render_template, request

from graph.views.search import search_state
from server.support.store import get_store

bp = Blueprint("search", __name__)


@bp.get("/search")
def results():
    query = request.args.get("q", "").strip()
    found = search_state(get_store(), query, g.lang) if query else None
    return render_template("search.html", q=query, site_q=query,
                           hits=found.hits if found else [], computed=found and found.computed,
                           preparing=found is not None and found.computed is None)
