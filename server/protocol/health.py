"""/healthz: is the service up, and which data does it serve."""
from __future__ import annotations

from flask import Blueprint, jsonify

from server.support.client_limits import queries_under_way
from server.support.store import get_store

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    store = get_store()
    store.ping()
    return jsonify(status="ok", store=store.kind, data_version=store.data_version,
                   **queries_under_way())
