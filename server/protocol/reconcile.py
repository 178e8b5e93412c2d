"""/reconcile: the W3C Entity Reconciliation API, version 0.2 (what OpenRefine 3
speaks), so that a data steward can match a spreadsheet's names to the
graph's IRIs before importing it.

- GET /reconcile: the service manifest;
- GET or POST /reconcile with queries=JSON (form-encoded, as OpenRefine sends
  it): {"q0": {"result": [candidates]}, ...} (graph.views.reconcile says how
  candidates are found and scored);
- /reconcile/preview?id=IRI: a small HTML card for the client's iframe;
- /reconcile/suggest/entity|type|property?prefix=: {"result": [...]}.

Every answer carries CORS headers, as the API requires, and a GET may ask for
JSONP with callback= (which the API allows, for clients older than CORS).
Names come in the reader's language: ?lang=sv|en on the service's URL, or
the browser's. Errors are JSON, {"error": message}, with a 4xx status.
"""
from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, g, jsonify, render_template, request, url_for
from werkzeug.exceptions import BadRequest, HTTPException

from graph.errors import PartnergraphError
from graph.rdf.namespaces import PG
from graph.views.reconcile import (
    DEFAULT_LIMIT,
    MAX_BATCH,
    offered_types,
    preview,
    read_batch,
    reconcile,
    suggest_entities,
    suggest_properties,
    suggest_types,
)
from server.support.errors import status_for
from server.support.http_params import one, params
from server.support.i18n import TEXT
from server.support.store import get_store

bp = Blueprint("reconcile", __name__)

CORS = {"Access-Control-Allow-Origin": "*"}
# The iframe size the manifest asks clients for; the card's CSS fits it.
PREVIEW_WIDTH, PREVIEW_HEIGHT = 400, 160
# A JSONP callback is a JavaScript name (dotted at most), never code.
CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")


@bp.after_request
def _cors(response: Response) -> Response:
    response.headers.update(CORS)
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        response.headers["Access-Control-Max-Age"] = "600"
    return response


@bp.errorhandler(PartnergraphError)
def _library_error(error: PartnergraphError):
    return jsonify(error=str(error)), status_for(error)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    return jsonify(error=error.description), error.code


@bp.route("/reconcile", methods=["GET", "POST", "OPTIONS"])
def service():
    """The manifest, or the answers to a batch of queries."""
    if request.method == "OPTIONS":
        return Response(status=204)
    values = params()
    queries = one(values, "queries")
    if "extend" in values:
        raise BadRequest("This service offers no data extension (extend=); "
                         "it reconciles names (queries=), previews and suggests.")
    if queries is None:
        if request.method == "POST":
            raise BadRequest('POST a batch of queries as the form field queries, such as '
                             'queries={"q0": {"query": "Borlänge"}}.')
        return _answer(_manifest(), values)
    results = reconcile(get_store(), read_batch(queries), g.lang)
    return _answer({key: {"result": [c.as_json() for c in candidates]}
                    for key, candidates in results.items()}, values)


@bp.route("/reconcile/preview", methods=["GET", "OPTIONS"])
def preview_card():
    """A resource as a small card, for the client's iframe."""
    if request.method == "OPTIONS":
        return Response(status=204)
    iri = (request.args.get("id") or "").strip()
    if not iri:
        raise BadRequest("Give the resource's IRI: /reconcile/preview?id=...")
    card = preview(get_store(), iri, g.lang)
    # The card is read-only and has nothing to click but links to public
    # pages, so it may be framed by any page: the client's origin is unknown.
    g.frame_anywhere = True
    html = render_template("reconcile_preview.html", card=card, iri=iri)
    return Response(html, status=200 if card else 404, content_type="text/html; charset=utf-8")


@bp.route("/reconcile/suggest/entity", methods=["GET", "OPTIONS"])
def suggest_entity():
    """Resources whose name begins with the prefix (or has a word that does)."""
    if request.method == "OPTIONS":
        return Response(status=204)
    values = params()
    types = [t for t in values.get("type", []) if t.strip()]
    found = suggest_entities(get_store(), one(values, "prefix") or "", g.lang, types=types,
                             cursor=_number(values, "cursor", 0),
                             limit=max(1, _number(values, "limit", DEFAULT_LIMIT)))
    return _answer({"result": [s.as_json() for s in found]}, values)


@bp.route("/reconcile/suggest/type", methods=["GET", "OPTIONS"])
def suggest_type():
    """The offered types whose name begins with the prefix."""
    if request.method == "OPTIONS":
        return Response(status=204)
    values = params()
    found = suggest_types(get_store(), one(values, "prefix") or "", g.lang)
    return _answer({"result": [t.as_json() for t in found]}, values)


@bp.route("/reconcile/suggest/property", methods=["GET", "OPTIONS"])
def suggest_property():
    """The properties a query may give whose name begins with the prefix."""
    if request.method == "OPTIONS":
        return Response(status=204)
    values = params()
    found = suggest_properties(get_store(), one(values, "prefix") or "", g.lang)
    return _answer({"result": [p.as_json() for p in found]}, values)


def _manifest() -> dict[str, Any]:
    store = get_store()
    root = url_for("reconcile.service", _external=True)
    # The reader's language stays with the templates when it was asked for
    # in the service's URL, as links on the site keep it.
    lang = f"&lang={g.lang}" if "lang" in request.args else ""
    suffix = f"?lang={g.lang}" if lang else ""
    return {
        "versions": ["0.1", "0.2"],
        "name": TEXT["rec_service_name"][g.lang],
        "identifierSpace": store.base_iri,
        "schemaSpace": str(PG),
        "defaultTypes": [t.as_json() for t in offered_types(store, g.lang)],
        "view": {"url": url_for("resource.by_iri", _external=True) + "?iri={{id}}" + lang},
        "preview": {"url": url_for("reconcile.preview_card", _external=True) + "?id={{id}}" + lang,
                    "width": PREVIEW_WIDTH, "height": PREVIEW_HEIGHT},
        "suggest": {kind: {"service_url": root, "service_path": f"/suggest/{kind}{suffix}"}
                    for kind in ("entity", "type", "property")},
        "batchSize": MAX_BATCH,
    }


def _answer(data: dict[str, Any], values: dict[str, list[str]]) -> Response:
    """JSON, or JSONP when a GET gives callback=."""
    callback = one(values, "callback")
    if callback is None or request.method != "GET":
        return jsonify(data)
    if not CALLBACK.fullmatch(callback):
        raise BadRequest("callback must be a JavaScript function name, such as handle or jQuery123_456.")
    # ASCII only: U+2028 and U+2029 are valid in JSON but ended a line in
    # JavaScript before ES2019.
    body = f"/**/{callback}({json.dumps(data)});"
    return Response(body, content_type="application/javascript; charset=utf-8")


def _number(values: dict[str, list[str]], name: str, default: int) -> int:
    text = one(values, name)
    if text is None or text == "":
        return default
    if not text.strip().isdigit():
        raise BadRequest(f"{name} must be a whole number, 0 or more, not {text!r}.")
    return int(text)
