"""Errors of the protocol endpoints (/sparql, /store) as plain text, the way
SPARQL clients show them, with the status each kind of error deserves."""
from __future__ import annotations

from flask import Blueprint, Response
from werkzeug.exceptions import HTTPException

from graph.errors import PartnergraphError
from server.protocol.cors import READ_CORS
from server.support.errors import message_for, status_for


def register(bp: Blueprint) -> None:
    bp.register_error_handler(PartnergraphError, library_error)
    bp.register_error_handler(HTTPException, http_error)


def library_error(error: PartnergraphError) -> Response:
    return plain(message_for(error), status_for(error))


def http_error(error: HTTPException) -> Response:
    response = plain(error.description or error.name, error.code)
    for name, value in error.get_headers():
        if name != "Content-Type":
            response.headers[name] = value
    return response


def plain(message: str, status: int | None) -> Response:
    response = Response(message.rstrip() + "\n", status=status,
                        content_type="text/plain; charset=utf-8")
    # A page elsewhere must be able to read why it was refused (no token,
    # a busy server and when to come back), not just that it was.
    response.headers.update(READ_CORS)
    return response
