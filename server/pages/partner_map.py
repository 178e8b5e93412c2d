"""The map of a municipality's partners: /map?iri= as a page (an SVG drawn on
the server, no script) or as GeoJSON (?format=geojson), and the same map as a
section of the municipality's resource page."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, g, render_template, request
from werkzeug.exceptions import BadRequest

from graph.views.describe import exists
from graph.views.labels import label
from graph.views.partner_map import PartnerMap, is_party, partner_map
from server.support.i18n import TEXT
from server.support.store import get_store
from server.support.view_cache import cached

bp = Blueprint("partner_map", __name__)

# The resource page shows the map beside much else: fewer names keep it calm.
RESOURCE_PAGE_LABELS = 25


@bp.get("/map")
@cached
def page():
    iri = request.args.get("iri", "").strip()
    if not iri:
        raise BadRequest("Give the municipality's IRI: /map?iri=...")
    store = get_store()
    try:
        found = exists(store, iri)
    except ValueError:
        raise BadRequest(f"Not an IRI: {iri!r}") from None
    if not found:
        return render_template("resource_missing.html", iri=iri), 404
    if not is_party(store, iri):
        abort(404, TEXT["map_not_municipality"][g.lang] % label(store, iri, g.lang))
    found_map = partner_map(store, iri, g.lang)
    if request.args.get("format") == "geojson":
        return Response(json.dumps(found_map.as_geojson(), ensure_ascii=False),
                        content_type="application/geo+json")
    return render_template("partner_map.html", m=found_map)


@bp.app_context_processor
def _for_resource_pages():
    def partner_map_for(iri: str) -> PartnerMap | None:
        """The map for a municipality's page, or None when nothing on it has
        coordinates."""
        found_map = partner_map(get_store(), iri, g.lang, max_labels=RESOURCE_PAGE_LABELS)
        return found_map if found_map.has_points else None
    return {"partner_map_for": partner_map_for}
