"""/sparql's small queries, answered in front of Flask.

Dashboards and embeds send the same small queries all day; for them the
request's way through Flask (request context, hooks, negotiation, headers)
costs more than the query. This WSGI front answers a query the store knows
to be cheap (Store.cheap_query: seen to finish quickly in a killable worker
over the same data) straight away, with the headers server.protocol.sparql
and server.support.security would give it. Everything else, and anything
unusual about a request (other parameters, a conditional GET, an Accept
header that needs weighing, an error), goes on to Flask untouched, so that
the rules, the errors and the limits there stay the only ones.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl

from flask import Flask
from werkzeug.http import generate_etag, http_date, quote_etag

from graph.sparql.results import BOOLEAN, GRAPH, SOLUTIONS, form_kind
from graph.sparql.text import read_query
from graph.store.known_cheap import PREPARED_ENTRIES, PREPARED_TEXT_MAX
from server.protocol.cors import READ_CORS
from server.support import negotiation
from server.support.security import SAME_ORIGIN_HEADERS
from server.support.store import store_of

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
QUERY_TYPE = "application/sparql-query"
# A request with any of these is left to Flask: it answers them in full
# (304, 412, ranges), which this front does not.
_CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE",
                "HTTP_IF_UNMODIFIED_SINCE", "HTTP_RANGE")


def _by_accept(table: list[negotiation.Entry]) -> dict[str, tuple[str, str]]:
    """Accept headers naming one media type (or none, or anything) and what
    negotiation.choose gives for them: (media type, format name)."""
    found = {"": table[0][:2], "*/*": table[0][:2]}
    for media, name, _ in table:
        found.setdefault(media, (media, name))
        found.setdefault(negotiation.content_type(media), (media, name))
    return found


_TABLES = {kind: (_by_accept(table), table is negotiation.GRAPH) for kind, table in (
    (SOLUTIONS, negotiation.SOLUTIONS), (BOOLEAN, negotiation.BOOLEAN), (GRAPH, negotiation.GRAPH))}


class SmallQueries:
    """Wraps the app's WSGI callable: `app.wsgi_app = SmallQueries(app, app.wsgi_app)`."""

    def __init__(self, app: Flask, inner: WSGIApp):
        self.app = app
        self.inner = inner
        self.max_body = app.config["PARTNERGRAPH"].max_body
        # The kind of answer of each small query seen, so that it is read once.
        self._kinds: dict[str, str] = {}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/sparql":
            answered = self._answer(environ)
            if answered is not None:
                status, headers, body = answered
                start_response(status, headers)
                return [body]
        return self.inner(environ, start_response)

    def _answer(self, environ: dict) -> tuple[str, list[tuple[str, str]], bytes] | None:
        text = self._query(environ)
        if text is None:
            return None
        found = _TABLES.get(self._kind(text))
        chosen = found and found[0].get(environ.get("HTTP_ACCEPT", "").strip())
        if not found or not chosen:
            return None
        media, fmt = chosen
        is_graph = found[1]
        store = store_of(self.app)
        try:
            answer = store.cheap_query(text, result_format="JSON" if is_graph else fmt,
                                       graph_format=fmt if is_graph else "TURTLE")
        except Exception:  # Flask runs it again and answers the error as it should
            return None
        if answer is None:
            return None
        body = answer.first
        headers = [("Content-Type", negotiation.content_type(media)),
                   ("Content-Length", str(len(body)))]
        if answer.cut:
            headers.append(("X-Partnergraph-Row-Limit", str(answer.row_limit)))
        headers += [("X-Partnergraph-Data-Version", store.data_version), ("Vary", "Accept"),
                    *READ_CORS.items(), *SAME_ORIGIN_HEADERS]
        if environ["REQUEST_METHOD"] == "GET":
            headers += [("ETag", quote_etag(generate_etag(body))), ("Date", http_date())]
        return "200 OK", headers, body

    def _kind(self, text: str) -> str:
        kind = self._kinds.get(text)
        if kind is None:
            kind = form_kind(read_query(text).form)
            if len(text) <= PREPARED_TEXT_MAX:
                if len(self._kinds) >= PREPARED_ENTRIES:
                    self._kinds.clear()
                self._kinds[text] = kind
        return kind

    def _query(self, environ: dict) -> str | None:
        """The query of a plain query request: a GET with only `query`, or a
        POST of application/sparql-query with no parameters; else None."""
        if any(environ.get(name) for name in _CONDITIONAL):
            return None
        method = environ.get("REQUEST_METHOD")
        raw_params = environ.get("QUERY_STRING", "")
        if method == "GET":
            try:
                pairs = parse_qsl(raw_params, keep_blank_values=True, encoding="utf-8",
                                  errors="strict")
            except UnicodeDecodeError:
                return None
            return pairs[0][1] if len(pairs) == 1 and pairs[0][0] == "query" else None
        if method != "POST" or raw_params:
            return None
        media = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
        try:
            length = int(environ.get("CONTENT_LENGTH") or -1)
        except ValueError:
            return None
        if media != QUERY_TYPE or not 0 < length <= self.max_body:
            return None
        raw = environ["wsgi.input"].read(length)
        # Flask reads the body again if the query goes on to it.
        environ["wsgi.input"] = io.BytesIO(raw)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
