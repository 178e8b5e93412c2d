"""The one place that turns library errors into HTTP responses."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from graph.errors import (Forbidden, ParseError, PartnergraphError, QueryTimeout,
                          StoreUnavailable, UnsupportedFormat, ValidationError)

STATUS = {
    ParseError: 400,
    ValidationError: 422,
    UnsupportedFormat: 406,
    Forbidden: 403,
    QueryTimeout: 503,
    StoreUnavailable: 503,
}


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" or request.path.startswith("/healthz")


def init_app(app: Flask) -> None:
    @app.errorhandler(PartnergraphError)
    def _library_error(error: PartnergraphError):
        status = next((s for cls, s in STATUS.items() if isinstance(error, cls)), 500)
        if _wants_json():
            return jsonify(error=str(error)), status
        return render_template("error.html", status=status, message=str(error)), status

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if _wants_json():
            return jsonify(error=error.description), error.code
        return render_template("error.html", status=error.code,
                               message=error.description), error.code
