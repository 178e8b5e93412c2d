"""Cross-origin access to the protocol endpoints (/sparql, /store and the
graphs at their own address): any page may read, and a page that holds a
write token may write.

Writes are allowed from any origin because the only credential they take is
the bearer token, which a page must put into the `Authorization` header
itself: a browser never adds it on its own, as it adds cookies. So another
site's page can write only with a token its user gave it, which is what a
self-hosted YASGUI or an intranet tool does. For the same reason credentials
are never allowed (no Access-Control-Allow-Credentials): the service sets
no cookie and takes none, and a page that asks the browser to send its
cookies along is refused by the browser rather than served."""
from __future__ import annotations

from collections.abc import Iterable

from flask import Response

READ_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers":
        "X-Partnergraph-Row-Limit, X-Partnergraph-Data-Version, Location, Retry-After",
}
# What a SPARQL or Graph Store client sets: the body's type, the formats it
# reads, and the write token.
ALLOWED_HEADERS = "Content-Type, Accept, Authorization"


def preflight(methods: Iterable[str]) -> Response:
    """The answer to a CORS preflight (OPTIONS) for an endpoint that
    answers `methods`."""
    methods = [m for m in methods if m != "OPTIONS"]
    response = Response(status=204)
    response.headers.update(READ_CORS)
    response.headers["Access-Control-Allow-Methods"] = ", ".join(methods)
    response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response.headers["Access-Control-Max-Age"] = "600"
    response.headers["Allow"] = ", ".join([*methods, "OPTIONS"])
    return response
