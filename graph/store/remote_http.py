"""Talking to a SPARQL 1.1 server over HTTP: requests, the errors they can
end in, and the query text the server is sent.

Only the standard library is used, so the remote store adds no dependency.
"""
from __future__ import annotations

import http.client
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from graph.errors import PartnergraphError, QuerySyntaxError, QueryTimeout, StoreUnavailable


@dataclass(frozen=True)
class Endpoint:
    url: str
    setting: str  # the environment variable that gives the URL, for messages


Params = Iterable[tuple[str, str]]


@contextmanager
def post(endpoint: Endpoint, body: bytes, content_type: str, *, timeout: float,
         accept: str | None = None, params: Params = (),
         sparql_shift: int | None = None) -> Iterator[http.client.HTTPResponse]:
    """POST `body` and yield the response; every way the exchange can fail,
    while sending or while the caller reads, ends as a PartnergraphError.

    `sparql_shift` is set when the body is the user's SPARQL text: a 400
    answer is then their syntax error, whose column on line 1 is moved back
    by that many characters (the prefixes put in front of their text)."""
    url = endpoint.url
    if params:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(list(params))
    headers = {"Content-Type": content_type}
    if accept:
        headers["Accept"] = accept
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            yield response
    except urllib.error.HTTPError as error:
        raise _answer_error(endpoint, error, sparql_shift) from None
    except TimeoutError:
        raise _timeout(endpoint, timeout) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _timeout(endpoint, timeout) from None
        raise _unreachable(endpoint, error.reason) from None
    except (OSError, http.client.HTTPException) as error:
        raise _unreachable(endpoint, error) from None


def form(**fields: str | list[str]) -> bytes:
    """An application/x-www-form-urlencoded body; a list repeats the field."""
    pairs = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name.replace("_", "-"), item))
    return urllib.parse.urlencode(pairs).encode("utf-8")


FORM = "application/x-www-form-urlencoded"


def with_prefixes(text: str, prefixes: dict[str, str], base: str | None = None) -> tuple[str, int]:
    """The text with PREFIX declarations for the prefixes it does not declare
    itself, and how many characters were put in front.

    They go on the text's own first line, so that the server's line numbers
    stay the user's; after its BASE when it opens with one, since Virtuoso
    takes BASE only first. Declaring a prefix the text declares again would
    be an error on some servers (RDF4J, GraphDB), so those are left out.
    Prefix IRIs are absolute, so a BASE in the text does not change them.
    `base`, when given, is the BASE of a text that opens with none: engines
    differ in what they resolve relative IRIs against, when they do."""
    declared = set(_DECLARED.findall(text))
    head = "".join(f"PREFIX {name}: <{iri}> " for name, iri in prefixes.items()
                   if name not in declared)
    opening = _OPENING_BASE.match(text)
    if base is not None and not opening:
        head = f"BASE <{base}> " + head
    if opening:
        return text[:opening.end()] + " " + head + text[opening.end():], len(head) + 1
    return head + text, len(head)


# BASE <iri> at the very start of the text, on its first line.
_OPENING_BASE = re.compile(r"[ \t]*BASE[ \t]*<[^>\s]*>", re.IGNORECASE)
# A false match (in a comment or a string) only leaves one default prefix out.
_DECLARED = re.compile(r"(?<![\w:])PREFIX\s+([^\s:<]*):", re.IGNORECASE)


def _answer_error(endpoint: Endpoint, error: urllib.error.HTTPError,
                  sparql_shift: int | None) -> PartnergraphError:
    message = _text(error)
    if error.code == 400 and sparql_shift is not None:
        return syntax_error(message, sparql_shift)
    if error.code in (503, 504) and "time" in message.lower():
        return QueryTimeout(f"The SPARQL endpoint {endpoint.url} stopped the query: {message}")
    hint = {404: f" (is {endpoint.setting} right?)",
            401: " (it wants credentials, which this service does not send)",
            403: " (it wants credentials, which this service does not send)"}
    return StoreUnavailable(
        f"The SPARQL endpoint {endpoint.url} answered {error.code} {error.reason}"
        f"{hint.get(error.code, '')}" + (f": {message}" if message else ""),
        status=error.code, answer=message)


# Oxigraph says "error at 3:14: ...", Jena and RDF4J "... at line 3, column 14".
_OXIGRAPH_AT = re.compile(r"error at (\d+):(\d+): ")
_JAVA_AT = re.compile(r"line (\d+), column (\d+)")


def syntax_error(message: str, shift: int) -> QuerySyntaxError:
    """The server's syntax error message, with the position it names given
    back in the user's own text."""
    def place(line: int, column: int) -> tuple[int, int]:
        return line, (column - shift if line == 1 and column > shift else column)

    match = _OXIGRAPH_AT.search(message)
    if match:
        line, column = place(int(match.group(1)), int(match.group(2)))
        return QuerySyntaxError(message[match.end():], line=line, column=column)
    match = _JAVA_AT.search(message)
    if match:
        line, column = place(int(match.group(1)), int(match.group(2)))
        message = (message[:match.start()] + f"line {line}, column {column}"
                   + message[match.end():])
        return QuerySyntaxError(message, line=line, column=column)
    return QuerySyntaxError(message)


def _text(error: urllib.error.HTTPError) -> str:
    try:
        raw = error.read(4000)
    except (OSError, http.client.HTTPException):
        return ""
    return raw.decode("utf-8", errors="replace").strip()


def _timeout(endpoint: Endpoint, seconds: float) -> QueryTimeout:
    return QueryTimeout(
        f"The SPARQL endpoint {endpoint.url} did not answer within {seconds:g} seconds "
        "(PARTNERGRAPH_QUERY_TIMEOUT sets the limit for queries).")


def _unreachable(endpoint: Endpoint, reason: object) -> StoreUnavailable:
    if isinstance(reason, ConnectionRefusedError):
        why = "connection refused"
    elif isinstance(reason, socket.gaierror):
        why = "unknown host"
    elif isinstance(reason, (ConnectionResetError, http.client.RemoteDisconnected)):
        why = "the server closed the connection"
    else:
        why = str(reason) or type(reason).__name__
    return StoreUnavailable(
        f"Cannot reach the SPARQL endpoint {endpoint.url}: {why}. "
        f"Is the server running, and is {endpoint.setting} right?")
