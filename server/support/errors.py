"""The one place that turns library errors into HTTP statuses, and the error
pages and JSON bodies of the site (the protocol endpoints answer the same
statuses as plain text: server.protocol.protocol_errors)."""
from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from graph.analysis.analysis_process import AnalysisLost
from graph.errors import (
    ConfigError,
    Forbidden,
    InputFileError,
    InvalidRequest,
    ParseError,
    PartnergraphError,
    QueryTimeout,
    RequestTooLarge,
    StoreBusy,
    StoreUnavailable,
    UnsupportedFormat,
    UpdateRefused,
    ValidationError,
    WriteNotLanded,
)
from server.support.i18n import text

# Most specific first: the first class an error is an instance of decides.
STATUS: list[tuple[type[PartnergraphError], int]] = [
    (ParseError, 400),
    (UpdateRefused, 400),
    (InputFileError, 400),
    (RequestTooLarge, 413),
    (InvalidRequest, 400),
    (Forbidden, 403),
    (UnsupportedFormat, 406),
    (ValidationError, 422),
    (QueryTimeout, 503),
    # The engine said yes to a write it did not do: a bad gateway, not a busy one.
    (WriteNotLanded, 502),
    (StoreUnavailable, 503),
    (StoreBusy, 503),
    # The analysis is being built again: the next visit finds it or says so.
    (AnalysisLost, 503),
    (ConfigError, 500),
]


def status_for(error: PartnergraphError) -> int:
    return next((status for cls, status in STATUS if isinstance(error, cls)), 500)


def message_for(error: PartnergraphError) -> str:
    """The error's message; for a query that does not parse, first what is
    wrong in the reader's language, then the parser's own words."""
    explanation = getattr(error, "explanation", None)
    if explanation is None:
        return str(error)
    return f"{explanation.text(g.lang)}\n\n{text('parser_said')}: {error}"


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" or request.path.startswith("/healthz")


def init_app(app: Flask) -> None:
    @app.errorhandler(PartnergraphError)
    def _library_error(error: PartnergraphError):
        status = status_for(error)
        if _wants_json():
            return jsonify(error=message_for(error)), status
        return render_template("error.html", status=status, message=message_for(error)), status

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if _wants_json():
            return jsonify(error=error.description), error.code
        return render_template("error.html", status=error.code,
                               message=error.description), error.code
