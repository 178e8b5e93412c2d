"""Writes over HTTP need the bearer token PARTNERGRAPH_TOKEN; without one
configured, there are no writes over HTTP at all."""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from graph.settings import Settings


def require_write_token() -> None:
    settings: Settings = current_app.config["PARTNERGRAPH"]
    if not settings.token:
        raise Forbidden("Writes over HTTP are switched off on this server: it has no "
                        "PARTNERGRAPH_TOKEN. Use the partnergraph command on the server, "
                        "or ask the operator to set a token.")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), settings.token.encode()):
        return
    challenge: dict[str, str | None] = {"realm": "partnergraph"}
    if scheme:
        challenge["error"] = "invalid_token"
    raise Unauthorized(
        "The bearer token is not the one this server takes." if scheme else
        "Writes need the header `Authorization: Bearer <token>` with the server's "
        "PARTNERGRAPH_TOKEN.",
        www_authenticate=WWWAuthenticate("bearer", challenge))


def require_form_or_bearer_token() -> str:
    """For the admin pages' forms: the token from the form's password field
    `token`, else the Authorization header. Returns who wrote, for the
    record (a fingerprint, never the token)."""
    token = current_app.config["PARTNERGRAPH"].token
    given = request.form.get("token", "")
    if given:
        if not token:
            raise Forbidden("Writes over HTTP are switched off on this server: it has no PARTNERGRAPH_TOKEN.")
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise Unauthorized("The token is not the one this server takes.")
    else:
        require_write_token()
    return "token " + hashlib.sha256(token.encode()).hexdigest()[:12]
