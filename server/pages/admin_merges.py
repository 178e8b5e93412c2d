"""/admin/merges: the merges and kept-apart names of the latest data set
loads that no steward has decided on yet, each with a confirm and a reject
button, and what the loads minted (/admin/merges/new lists every new place).
A decision is written behind a token that may write the decisions graph,
and takes effect on the next load (graph/ingest/decisions.py). Merges of a name that
is the node's own need no decision: they are counted, not listed."""
from __future__ import annotations

from flask import Blueprint, g, render_template, request
from werkzeug.exceptions import BadRequest, Forbidden, Unauthorized

from graph.errors import PartnergraphError
from graph.ingest import decisions
from graph.ingest.actor_kinds import party_classes
from graph.iris import decisions_graph_iri
from graph.views.labels import labels
from graph.views.merges import merges, new_places
from server.support.auth import page_may_write, page_writer
from server.support.i18n import error_text, text
from server.support.store import get_store

bp = Blueprint("admin_merges", __name__)
VERDICTS = {"confirm": True, "reject": False}
NEW_PER_PAGE = 200
OTHERS_SHOWN = 500


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
        raise BadRequest(text("adm_merges_choose"))
    try:
        decision = decisions.record(get_store(), name, country, node, same=VERDICTS[verdict], agent=writer.name)
    except PartnergraphError as error:
        raise BadRequest(error_text(error)) from None
    return _page(recorded=decision)


@bp.get("/admin/merges/new")
def new_places_page():
    """Every new place of the latest loads, a page at a time."""
    store = get_store()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    dataset = request.args.get("dataset") or None
    try:
        found = new_places(store, dataset, offset=(page - 1) * NEW_PER_PAGE, limit=NEW_PER_PAGE)
    except PartnergraphError as error:
        raise BadRequest(error_text(error)) from None
    pages = max(1, -(-found.total // NEW_PER_PAGE))
    return render_template("admin_merges_new.html", new=found, page=page, pages=pages, dataset=dataset,
                           start=(page - 1) * NEW_PER_PAGE, kinds=_kind_names(store))


def _page(recorded: decisions.Decision | None = None, refusal: str | None = None):
    store = get_store()
    entries = merges(store, lang=g.lang)
    waiting = [entry for entry in entries if entry.pending]
    # The parties that are no municipality are few and each worth a look;
    # the new towns are counted here and listed on their own pages.
    return render_template("admin_merges.html", entries=waiting, recorded=recorded, refusal=refusal,
                           decided=sum(entry.decision is not None for entry in entries),
                           exact=sum(entry.exact and entry.decision is None for entry in entries),
                           new=new_places(store, municipalities=False, limit=OTHERS_SHOWN),
                           kinds=_kind_names(store))


def _kind_names(store) -> dict[str, str]:
    """The name of each kind of party (its class), in the reader's language."""
    return labels(store, party_classes(), g.lang)
