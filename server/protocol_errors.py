"""Errors of the protocol endpoints (/sparql, /store) as plain text, the way
SPARQL clients show them, with the status each kind of error deserves."""
from __future__ import annotations

from flask import Blueprint, Response
from werkzeug.exceptions import HTTPException

from graph.errors import Forbidden, ParseError, PartnergraphError, QueryTimeout, StoreUnavailable

STATUS = [(ParseError, 400), (Forbidden, 403), (QueryTimeout, 503), (StoreUnavailable, 503)]


def register(bp: Blueprint) -> None:
    bp.register_error_handler(PartnergraphError, library_error)
    bp.register_error_handler(HTTPException, http_error)


def library_error(error: PartnergraphError) -> Response:
    status = next((s for cls, s in STATUS if isinstance(error, cls)), 500)
    return plain(str(error), status)


def http_error(error: HTTPException) -> Response:
    response = plain(error.description or error.name, error.code)
    for name, value in error.get_headers():
        if name != "Content-Type":
            response.headers[name] = value
    return response


def plain(message: str, status: int) -> Response:
    response = Response(message.rstrip() + "\n", status=status,
                        content_type="text/plain; charset=utf-8")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
