"""Who writes over HTTP, and what: a bearer token, named in the tokens file
or PARTNERGRAPH_TOKEN (graph/store/write_tokens.py), may write the graphs it was
given. Without any token, there are no writes over HTTP at all.

The protocols (/sparql, /store) answer in plain English with the header to
send; the admin pages, where a person types the token into a form, answer in
the page's language and never speak of headers."""
from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, current_app, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from graph.settings import Settings
from graph.store.write_tokens import WriteToken, identify, server_tokens
from server.support.i18n import text


def init_app(app: Flask) -> None:
    # A broken tokens file stops the server at its start, saying what is wrong,
    # rather than at the first write.
    server_tokens(app.config["PARTNERGRAPH"])


def tokens() -> list[WriteToken]:
    """The tokens as the tokens file has them now: one added or removed
    with `partnergraph tokens` counts from the next request."""
    settings: Settings = current_app.config["PARTNERGRAPH"]
    return server_tokens(settings)


def require_writer() -> WriteToken:
    """The token of the request's `Authorization: Bearer` header."""
    known = tokens()
    if not known:
        raise Forbidden("Writes over HTTP are switched off on this server: it has no write "
                        "tokens. Use the partnergraph command on the server, or ask the "
                        "operator for a token (`partnergraph tokens add NAME`).")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        found = identify(known, given.strip())
        if found is not None:
            return found
    challenge: dict[str, str | None] = {"realm": "partnergraph"}
    if scheme:
        challenge["error"] = "invalid_token"
    raise Unauthorized(
        "The bearer token is not one this server takes." if scheme else
        "Writes need the header `Authorization: Bearer <token>` with a write token "
        "of this server.",
        www_authenticate=WWWAuthenticate("bearer", challenge))


def require_graphs(writer: WriteToken, graphs: Iterable[str], *, default_graph: bool = False,
                   unknown: Iterable[str] = ()) -> None:
    """Refuse (403) a write by `writer` to graphs it may not write. A token
    of some graphs only may not write the store's default graph, nor what
    cannot be known before it runs."""
    if writer.writes_all:
        return
    limited = f"The token {writer.name!r} may write only {writer.scope()}"
    for reason in unknown:
        raise Forbidden(f"{limited}, and which graphs this update writes cannot be known before it "
                        f"runs ({reason}). Name each graph: GRAPH <IRI> {{ ... }}.")
    if default_graph:
        raise Forbidden(f"{limited}, not the store's default graph, which triples outside "
                        "GRAPH <IRI> { ... } (or ?default) go to. Put them in one of its graphs.")
    for graph in sorted(graphs):
        if not writer.may_write(graph):
            raise Forbidden(f"The token {writer.name!r} may not write <{graph}>; "
                            f"it may write only {writer.scope()}.")


def page_writer() -> WriteToken:
    """For the admin pages: the token typed into the form's field `token`
    (or a bearer header, for scripts), refused in the page's language."""
    known = tokens()
    if not known:
        raise Forbidden(text("adm_tokens_off"))
    given = request.form.get("token", "").strip()
    if not given:
        scheme, _, header = request.headers.get("Authorization", "").partition(" ")
        given = header.strip() if scheme.lower() == "bearer" else ""
    challenge = WWWAuthenticate("bearer", {"realm": "partnergraph"})
    if not given:
        raise Unauthorized(text("adm_token_missing"), www_authenticate=challenge)
    found = identify(known, given)
    if found is None:
        raise Unauthorized(text("adm_token_wrong"), www_authenticate=challenge)
    return found


def page_may_write(writer: WriteToken, graph: str) -> None:
    """Refuse (403), in the page's language, a write to `graph` that
    `writer` may not make."""
    if not writer.may_write(graph):
        scope = ", ".join(f"<{name}>" for name in sorted(writer.graphs or ()))
        raise Forbidden(text("adm_token_graph") % (writer.name, f"<{graph}>", scope))
