"""/admin/merges: the merges and kept-apart names of the latest data set
loads that no steward has decided on yet, each with a confirm and a reject
button. A decision is written behind the same token as /admin/import and
takes effect on the next load (graph/ingest/decisions.py)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.exceptions import BadRequest

from graph.errors import PartnergraphError
from graph.ingest import decisions
from graph.views.merges import merges
from server.support.auth import require_form_or_bearer_token
from server.support.store import get_store

bp = Blueprint("admin_merges", __name__)
VERDICTS = {"confirm": True, "reject": False}


@bp.get("/admin/merges")
def pending():
    return _page()


@bp.post("/admin/merges")
def decide():
    agent = require_form_or_bearer_token()
    # Each button carries its decision: verdict|country|node|name (the
    # name last, as only it may hold any character).
    verdict, _, rest = request.form.get("decision", "").partition("|")
    country, _, rest = rest.partition("|")
    node, _, name = rest.partition("|")
    if verdict not in VERDICTS or not (country and node and name):
        raise BadRequest("Choose confirm or reject on one of the listed names.")
    try:
        decision = decisions.record(get_store(), name, country, node, same=VERDICTS[verdict], agent=agent)
    except PartnergraphError as error:
        raise BadRequest(str(error)) from None
    return _page(recorded=decision)


def _page(recorded: decisions.Decision | None = None):
    entries = merges(get_store())
    waiting = [entry for entry in entries if entry.pending]
    return render_template("admin_merges.html", entries=waiting, decided=len(entries) - len(waiting),
                           recorded=recorded)
