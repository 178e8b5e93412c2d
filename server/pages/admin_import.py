"""/admin/import: upload a spreadsheet or RDF file, see the dry run (report
and diff), then confirm. The upload waits on the server under a random id
between the two steps, so the confirmed file is the one that was checked."""
from __future__ import annotations

import json
import re
import secrets
import tempfile
from pathlib import Path

from flask import Blueprint, current_app, render_template, request
from werkzeug.exceptions import BadRequest, NotFound

from graph.errors import PartnergraphError
from graph.ingest.importer import apply_import, prepare_import
from server.support.auth import require_form_or_bearer_token
from server.support.store import get_store

bp = Blueprint("admin_import", __name__)
_UPLOAD_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")
DIFF_LINES = 200


def _uploads() -> Path:
    folder = Path(current_app.config.get("PARTNERGRAPH_UPLOADS")
                  or Path(tempfile.gettempdir()) / "partnergraph-uploads")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@bp.get("/admin/import")
def form():
    return render_template("admin_import.html", stage="upload")


@bp.post("/admin/import")
def upload():
    agent = require_form_or_bearer_token()
    graph = request.form.get("graph", "").strip() or None
    if "upload_id" in request.form:
        upload_id = request.form["upload_id"]
        if not _UPLOAD_ID.fullmatch(upload_id):
            raise BadRequest("That upload id is not one this server gives out.")
        folder = _uploads() / upload_id
        if not folder.is_dir():
            raise NotFound("That upload is gone; upload the file again.")
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        data = (folder / "data").read_bytes()
        prepared = _prepare(data, meta["filename"], meta["graph"])
        report = apply_import(get_store(), prepared, agent=agent) if prepared.report.ok else prepared.report
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
        return render_template("admin_import.html", stage="done", report=report,
                               diff_lines=DIFF_LINES), 200 if report.ok else 422
    file = request.files.get("file")
    if file is None or not file.filename:
        raise BadRequest("Choose a file to import.")
    filename = Path(file.filename).name
    data = file.read()
    prepared = _prepare(data, filename, graph)
    new_id = None
    if prepared.report.ok:
        new_id = secrets.token_urlsafe(24)
        folder = _uploads() / new_id
        folder.mkdir()
        (folder / "data").write_bytes(data)
        (folder / "meta.json").write_text(json.dumps({"filename": filename, "graph": graph}),
                                          encoding="utf-8")
    return render_template("admin_import.html", stage="review", report=prepared.report,
                           upload_id=new_id, graph=graph or "",
                           diff_lines=DIFF_LINES), 200 if prepared.report.ok else 422


def _prepare(data: bytes, filename: str, graph: str | None):
    try:
        return prepare_import(get_store(), data, filename, graph)
    except PartnergraphError as error:
        raise BadRequest(str(error)) from None
