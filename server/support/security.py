"""Headers every response carries: no script or style from anywhere but this
server, no framing by other sites, no content-type guessing, an ETag.

Embed views (those that set `g.embeddable`) may be framed by the origins in
PARTNERGRAPH_FRAME_ANCESTORS and always by this server itself, whose pages
preview the embeds they offer; views that set `g.frame_anywhere` (the
reconciliation preview card, which a client such as OpenRefine shows in an
iframe from wherever it runs) by any page; every other page only by this
server itself."""
from __future__ import annotations

from flask import Flask, current_app, g

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)
CONTENT_SECURITY_POLICY = POLICY + "; frame-ancestors 'self'"
# What _headers gives an answer that only this server may frame, for a front
# that answers before Flask (server.protocol.small_queries).
SAME_ORIGIN_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Referrer-Policy", "same-origin"),
)


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        ancestors = "'self'"
        if g.get("frame_anywhere"):
            ancestors = "*"
        elif g.get("embeddable"):
            ancestors = with_self(current_app.config["PARTNERGRAPH"].frame_ancestors)
        response.headers.setdefault("Content-Security-Policy",
                                    f"{POLICY}; frame-ancestors {ancestors}")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # X-Frame-Options cannot name a list of origins, and browsers that know
        # CSP ignore it when frame-ancestors is present; so it is sent only
        # where it says the same thing.
        if ancestors == "'self'":
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        _revalidate(response)
        return response


def with_self(ancestors: str) -> str:
    """The frame-ancestors sources of the settings, with 'self' added: an
    intranet origin set alone must not make the service's own "Preview"
    refuse to load ('none' gives way to it, * already holds it)."""
    sources = [s for s in ancestors.split() if s.lower() != "'none'"]
    if "*" in sources or "'self'" in (s.lower() for s in sources):
        return " ".join(sources)
    return " ".join(["'self'", *sources])


def _revalidate(response) -> None:
    """Every whole GET answer carries an ETag of its content, so a reader who
    comes back gets a 304 until the page would change (with the data, the
    language or the URL). Views of server.view_cache set a cheaper one first;
    streamed answers (large query results) go out as they are."""
    from flask import request
    if (request.method in ("GET", "HEAD") and response.status_code == 200
            and not response.is_streamed and "ETag" not in response.headers):
        response.add_etag()
        response.make_conditional(request)
