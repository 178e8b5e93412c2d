"""Request parameters read strictly: the URL's and, for form posts, the body's.

Werkzeug would replace bytes that are not UTF-8 with U+FFFD and go on; a query
or update changed that way must not run, so the service parses the raw bytes
itself and answers 400 instead."""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import request
from werkzeug.exceptions import BadRequest

FORM = "application/x-www-form-urlencoded"


def media_type() -> str:
    return (request.mimetype or "").lower()


def params() -> dict[str, list[str]]:
    """Every parameter, from the URL and (for a form post) the body, as lists."""
    found: dict[str, list[str]] = {}
    sources = [("the URL", request.query_string)]
    if request.method == "POST" and media_type() == FORM:
        sources.append(("the form", request.get_data(cache=True)))
    for where, raw in sources:
        try:
            pairs = parse_qsl(raw.decode("ascii", errors="strict"), keep_blank_values=True,
                              encoding="utf-8", errors="strict")
        except UnicodeDecodeError as error:
            raise BadRequest(f"The parameters in {where} are not valid UTF-8 "
                             f"(byte {error.start}).") from None
        for name, value in pairs:
            found.setdefault(name, []).append(value)
    return found


def body_text() -> str:
    """The request body as text; it must be UTF-8."""
    raw = request.get_data(cache=True)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"The request body is not valid UTF-8 (byte {error.start}).") from None


def one(values: dict[str, list[str]], name: str) -> str | None:
    given = values.get(name)
    if not given:
        return None
    if len(given) > 1:
        raise BadRequest(f"Give the parameter {name!r} once, not {len(given)} times.")
    return given[0]
