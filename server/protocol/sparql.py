"""/sparql: the SPARQL 1.1 Protocol (query and update) and a Service Description.

Errors here are answered as plain text, the way SPARQL clients show them.
"""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request, stream_with_context
from werkzeug.exceptions import BadRequest, MethodNotAllowed, UnsupportedMediaType

from graph.sparql.text import read_query
from graph.sparql.update_targets import written_graphs
from server.protocol import protocol_errors
from server.protocol.cors import READ_CORS, preflight
from server.protocol.service_description import service_description
from server.support import negotiation
from server.support.auth import require_graphs, require_writer
from server.support.client_limits import heavy
from server.support.http_params import FORM, body_text, media_type, one, params
from server.support.store import get_store

bp = Blueprint("sparql", __name__)
protocol_errors.register(bp)

ALLOWED = ["GET", "POST", "OPTIONS"]


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def sparql():
    if request.method == "OPTIONS":
        return preflight(ALLOWED)
    if request.method not in ALLOWED:
        raise MethodNotAllowed(ALLOWED, f"/sparql answers GET and POST, not {request.method}.")
    values = params()
    kind = media_type()
    query = one(values, "query")
    update = one(values, "update")
    # A POST without a media type is refused too: its body cannot be told
    # from a form, and would otherwise be ignored.
    if request.method == "POST" and kind != FORM:
        if kind == "application/sparql-query":
            query = _body_for("query", query, update)
        elif kind == "application/sparql-update":
            update = _body_for("update", query, update)
        else:
            raise UnsupportedMediaType(
                f"POST a query as application/sparql-query, an update as "
                f"application/sparql-update, or either as {FORM}; "
                f"not {kind or 'a body without Content-Type'}.")
    if query is not None and update is not None:
        raise BadRequest("Send a query or an update, not both in one request.")
    if update is not None:
        if request.method != "POST":
            raise BadRequest("An update must be sent with POST.")
        return _update(update, values)
    if query is not None:
        return _query(query, values)
    return _description()


def _body_for(name, query, update) -> str:
    if query is not None or update is not None:
        raise BadRequest(f"With a {name} in the body, give no query or update parameter as well.")
    return body_text()


@heavy
def _query(text: str, values) -> Response:
    timeout = _timeout(one(values, "timeout"))
    form = read_query(text).form
    table = negotiation.GRAPH if form in ("CONSTRUCT", "DESCRIBE") else (
        negotiation.BOOLEAN if form == "ASK" else negotiation.SOLUTIONS)
    media, fmt = negotiation.choose(table, values.get("format"))
    answer = get_store().sparql_query(
        text,
        result_format=fmt if table is not negotiation.GRAPH else "JSON",
        graph_format=fmt if table is negotiation.GRAPH else "TURTLE",
        default_graphs=values.get("default-graph-uri"),
        named_graphs=values.get("named-graph-uri"),
        timeout=timeout)
    # A result that came whole goes out with its length, so that the client's
    # connection can be kept alive; a large one is streamed as it comes.
    body = answer.first if answer.complete else stream_with_context(iter(answer))
    response = Response(body, content_type=negotiation.content_type(media))
    if answer.cut:
        response.headers["X-Partnergraph-Row-Limit"] = str(answer.row_limit)
    response.headers["X-Partnergraph-Data-Version"] = get_store().data_version
    response.headers["Vary"] = "Accept"
    response.headers.update(READ_CORS)
    return response


def _update(text: str, values) -> Response:
    writer = require_writer()
    if not writer.writes_all:
        targets = written_graphs(text)
        require_graphs(writer, targets.graphs, default_graph=targets.default_graph,
                       unknown=targets.unknown)
    version = get_store().sparql_update(
        text, using_graphs=values.get("using-graph-uri"),
        using_named_graphs=values.get("using-named-graph-uri"))
    response = Response(status=204)
    response.headers["X-Partnergraph-Data-Version"] = version
    response.headers.update(READ_CORS)
    return response


def _description() -> Response:
    if (request.accept_mimetypes.best_match(["text/html", *[m for m, _, _ in negotiation.GRAPH]])
            == "text/html" and not request.args.get("format")):
        return Response(render_template("sparql.html", endpoint=request.base_url))
    media, fmt = negotiation.choose(negotiation.GRAPH, request.args.get("format"))
    store = get_store()
    body = service_description(request.base_url, store.graph_names(), fmt)
    response = Response(body, content_type=negotiation.content_type(media))
    response.headers["Vary"] = "Accept"
    response.headers.update(READ_CORS)
    return response


def _timeout(raw: str | None) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = 0
    if not value > 0:
        raise BadRequest(f"timeout={raw!r}: give a number of seconds above 0.")
    return value
