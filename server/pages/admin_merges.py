"""/admin/merges: the merges and kept-apart names of the latest data set
loads that no steward has decided on yet, each with a confirm and a reject
button. A decision is written behind a token that may write the decisions
graph, and takes effect on the next load (graph/ingest/decisions.py)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.exceptions import BadRequest, Forbidden, Unauthorized

from graph.errors import PartnergraphError
from graph.ingest import decisions
from graph.iris import decisions_graph_iri
from graph.views.merges import merges
from server.support.auth import page_may_write, page_writer
from server.support.store import get_store

bp = Blueprint("admin_merges", __name__)
VERDICTS = {"confirm": True, "reject": False}


@bp.get("/admin/merges")
def pending():
    return _page()


@bp.post("/admin/merges")
def decide():
    try:
        writer = page_writer()
        page_may_write(writer, decisions_graph_iri(get_store().base_iri))
    except (Unauthorized, Forbidden) as refusal:
        return _page(refusal=refusal.description), refusal.code
    # Each button carries its decision: verdict|country|node|name (the
    # name last, as only it may hold any character).
    verdict, _, rest = request.form.get("decision", "").partition("|")
    country, _, rest = rest.partition("|")
    node, _, name = rest.partition("|")
    if verdict not in VERDICTS or not (country and node and name):
        raise BadRequest("Choose confirm or reject on one of the listed names.")
    try:
        decision = decisions.record(get_store(), name, country, node, same=VERDICTS[verdict], agent=writer.name)
    except PartnergraphError as error:
        raise BadRequest(str(error)) from None
    return _page(recorded=decision)


def _page(recorded: decisions.Decision | None = None, refusal: str | None = None):
    entries = merges(get_store())
    waiting = [entry for entry in entries if entry.pending]
    return render_template("admin_merges.html", entries=waiting, decided=len(entries) - len(waiting),
                           recorded=recorded, refusal=refusal)
