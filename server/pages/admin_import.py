"""/admin/import: upload a spreadsheet or RDF file with the token, read the
dry run (the summary first, the triples folded away), then confirm.

The token is asked once. The check leaves the upload on the server under a
random id, with what it was checked for: the file's sha256, the graph, the
token's name and when the confirmation expires. Confirming names the id
only, so what is written is the file that was checked, into the graph it
was checked for, recorded as written by that token, which must still be
allowed to write the graph."""
from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from werkzeug.exceptions import BadRequest, Forbidden, HTTPException, Unauthorized

from graph.errors import PartnergraphError
from graph.ingest.importer import SHEET_EXTENSIONS, apply_import, prepare_import
from graph.ingest.progress import ProgressCallback
from graph.ingest.report import ImportReport
from graph.iris import graph_for
from graph.store.write_tokens import WriteToken
from graph.views.import_summary import ImportSummary, import_summary
from server.support.auth import page_may_write, page_writer, tokens
from server.support.i18n import TEXT, error_text, text
from server.support.store import get_store
from server.support.work_progress import finished, state, tracker

bp = Blueprint("admin_import", __name__)
_UPLOAD_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")
DIFF_LINES = 200
# Long enough to read a report and ask a colleague; short enough that a
# confirmation left in an open tab is not written days later.
CONFIRM_WITHIN = 3600


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
    work_id = request.form.get("progress_id")
    try:
        return _upload(tracker(work_id))
    finally:
        finished(work_id)


@bp.get("/admin/import/progress/<work_id>")
def progress(work_id: str):
    """How far the check or write sent with `work_id` has come, for the page
    waiting on it (admin-import.js)."""
    now = state(work_id)
    if now is None:
        abort(404)
    return jsonify(stage=now.stage, label=_stage_label(now.stage), done=now.done, total=now.total,
                   passed=[_stage_label(stage) for stage in now.passed if stage != "starting"])


def _stage_label(stage: str) -> str:
    key = "adm_stage_" + stage
    return text(key) if key in TEXT else stage


def _upload(progress: ProgressCallback | None):
    if "upload_id" in request.form:
        return _confirm(request.form["upload_id"], progress)
    try:
        writer = page_writer()
        file = request.files.get("file")
        if file is None or not file.filename:
            raise BadRequest(text("adm_choose_file"))
        filename = Path(file.filename).name
        graph = request.form.get("graph", "").strip() or None
        # An RDF file may name its own graph; that is checked once it is read.
        page_may_write(writer, graph or graph_for(Path(filename), get_store().base_iri))
        data = file.read()
        prepared = _prepare(data, filename, graph, progress)
        page_may_write(writer, prepared.report.graph)
    except (Unauthorized, Forbidden, BadRequest) as refusal:
        return _refused(refusal)
    report = prepared.report
    upload_id = _keep(data, filename, graph, report.graph, writer) if report.ok else None
    return _report("review", report, import_summary(get_store(), report), upload_id=upload_id)


def _confirm(upload_id: str, progress: ProgressCallback | None):
    folder = _uploads() / upload_id
    meta_file = folder / "meta.json"
    if not _UPLOAD_ID.fullmatch(upload_id) or not meta_file.is_file():
        return _refused(_Gone())
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    data = (folder / "data").read_bytes()
    try:
        if meta["expires"] < time.time() or hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise _Gone()
        writer = next((token for token in tokens() if token.name == meta["token"]), None)
        if writer is None:
            raise Forbidden(text("adm_token_gone") % meta["token"])
        page_may_write(writer, meta["target"])
    except (Forbidden, _Gone) as refusal:
        shutil.rmtree(folder, ignore_errors=True)
        return _refused(refusal)
    prepared = _prepare(data, meta["filename"], meta["graph"], progress)
    summary = import_summary(get_store(), prepared.report)
    report = (apply_import(get_store(), prepared, agent=writer.name, progress=progress)
              if prepared.report.ok else prepared.report)
    shutil.rmtree(folder, ignore_errors=True)
    return _report("done", report, summary)


def _report(stage: str, report: ImportReport, summary: ImportSummary, **more):
    return render_template("admin_import.html", stage=stage, report=report, summary=summary,
                           sheet=report.source.lower().endswith(SHEET_EXTENSIONS),
                           diff_lines=DIFF_LINES, **more), 200 if report.ok else 422


def _keep(data: bytes, filename: str, graph: str | None, target: str, writer: WriteToken) -> str:
    """Leave a checked upload on the server for its confirmation; returns its id."""
    _clear_expired()
    upload_id = secrets.token_urlsafe(24)
    folder = _uploads() / upload_id
    folder.mkdir()
    (folder / "data").write_bytes(data)
    (folder / "meta.json").write_text(json.dumps({
        "filename": filename, "graph": graph, "target": target,
        "sha256": hashlib.sha256(data).hexdigest(), "token": writer.name,
        "expires": time.time() + CONFIRM_WITHIN}), encoding="utf-8")
    return upload_id


def _clear_expired() -> None:
    """Uploads never confirmed go when their confirmation would have expired."""
    for folder in _uploads().iterdir():
        try:
            expires = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["expires"]
        except (OSError, ValueError, KeyError):
            expires = folder.stat().st_mtime + CONFIRM_WITHIN
        if expires < time.time():
            shutil.rmtree(folder, ignore_errors=True)


class _Gone(HTTPException):
    code = 410

    def __init__(self):
        super().__init__(text("adm_upload_gone"))


def _refused(refusal: HTTPException):
    """The upload form again, with why the request was refused, in the page's language."""
    response = current_app.make_response((
        render_template("admin_import.html", stage="upload", refusal=refusal.description,
                        graph=request.form.get("graph", "")),
        refusal.code or 400))
    if isinstance(refusal, Unauthorized) and refusal.www_authenticate:
        for challenge in refusal.www_authenticate:
            response.headers.add("WWW-Authenticate", challenge.to_header())
    return response


def _prepare(data: bytes, filename: str, graph: str | None, progress: ProgressCallback | None):
    try:
        return prepare_import(get_store(), data, filename, graph, progress=progress)
    except PartnergraphError as error:
        raise BadRequest(error_text(error)) from None
