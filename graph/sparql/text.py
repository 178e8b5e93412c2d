"""What a SPARQL request asks for, read from its text without running it.

The service must know a few things before a query reaches the engine: its
form (for content negotiation), whether it brings its own dataset (FROM), which
remote endpoints it would contact (SERVICE, LOAD: the engine would connect to
any of them), and where a row limit can go. A lexer that knows strings, IRIs
and comments is enough for all of these; the engine still parses the text.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from graph.errors import Forbidden

_TOKEN = re.compile(r'''
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<word>[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_\-.\u00B7-\uFFFF]*(?::[^\s{}()<>,;"'\[\]]*)?
             |:[^\s{}()<>,;"'\[\]]*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)
  | (?P<other>.)
''', re.VERBOSE | re.DOTALL)

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper()


def tokens(text: str) -> list[Token]:
    """The tokens of SPARQL text, without white space and comments."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        # Every alternative of _TOKEN is a named group.
        assert kind is not None
        if kind not in ("ws", "comment"):
            found.append(Token(kind, match.group(), match.start(), match.end()))
    return found


def walk(toks: Iterable[Token]) -> Iterator[tuple[Token, int]]:
    """Each token with the depth of braces it stands at; a brace stands at
    the depth outside it, so that `{` and `}` at 0 open and close a group
    of the query's top level."""
    depth = 0
    for tok in toks:
        if tok.text == "}":
            depth -= 1
        yield tok, depth
        if tok.text == "{":
            depth += 1


@dataclass
class RequestText:
    """What the service needs to know of a query or update before running it."""
    text: str
    tokens: list[Token]
    form: str | None                      # SELECT, CONSTRUCT, DESCRIBE, ASK; None for updates
    has_dataset: bool = False             # FROM / FROM NAMED in the query
    services: list[str] = field(default_factory=list)  # SERVICE endpoints, resolved
    loads: list[str] = field(default_factory=list)     # LOAD sources


def read_query(text: str) -> RequestText:
    toks = tokens(text)
    prefixes, base, body = _prologue(toks)
    form = body[0].upper if body and body[0].upper in QUERY_FORMS else None
    request = RequestText(text, toks, form)
    request.has_dataset = any(depth == 0 and tok.kind == "word" and tok.upper == "FROM"
                              for tok, depth in walk(body))
    request.services = _service_targets(body, prefixes, base)
    return request


def read_update(text: str) -> RequestText:
    toks = tokens(text)
    prefixes, base, body = _prologue(toks)
    request = RequestText(text, toks, None)
    request.services = _service_targets(toks, prefixes, base)
    for i, tok in enumerate(toks):
        if tok.kind == "word" and tok.upper == "LOAD":
            target = iri_at(toks, i + 1, prefixes, base)
            request.loads.append(target or "?")
    return request


def check_remote_access(request: RequestText, allowed: frozenset[str]) -> None:
    """Refuse what would make the server connect anywhere but the endpoints
    the operator allows: the engine would follow SERVICE and LOAD to any host,
    the service's own network included."""
    if request.loads:
        raise Forbidden(
            "LOAD is not allowed over HTTP: the server does not fetch data from "
            "other addresses. Load files with `partnergraph load`, or PUT/POST them "
            "to /store.")
    for endpoint in request.services:
        if endpoint not in allowed:
            allowed_text = ", ".join(sorted(allowed)) or "none"
            raise Forbidden(
                f"SERVICE <{endpoint}> is not allowed: this server only queries "
                f"the endpoints in PARTNERGRAPH_SERVICE_ALLOW (now: {allowed_text}).")


def limit_rows(request: RequestText, limit: int, *, one_more: bool = False) -> tuple[str, bool]:
    """The query text with its results capped at `limit` rows, and whether the
    cap applies (False when the query's own LIMIT is within it, or for ASK).
    With `one_more` the text asks for `limit + 1` rows, so that the caller
    can tell whether the cap cut anything off."""
    written = limit + 1 if one_more else limit
    if request.form not in ("SELECT", "CONSTRUCT", "DESCRIBE"):
        return request.text, False
    _, _, body = _prologue(request.tokens)
    last_close = None
    values_at = None
    limit_number = None
    for tok, depth in walk(body):
        if depth != 0:
            continue
        if tok.text == "}":
            last_close = tok
        elif last_close is not None and tok.kind == "word" and tok.upper == "VALUES":
            values_at = tok
            break
    if last_close is None:
        return request.text, False
    tail = [t for t in body if last_close.end <= t.start and (values_at is None or t.start < values_at.start)]
    for i, tok in enumerate(tail):
        if tok.kind == "word" and tok.upper == "LIMIT" and i + 1 < len(tail):
            limit_number = tail[i + 1]
    text = request.text
    if limit_number is not None:
        if limit_number.kind == "number" and int(float(limit_number.text)) <= limit:
            return text, False
        return text[:limit_number.start] + str(written) + text[limit_number.end:], True
    at = values_at.start if values_at is not None else (tail[-1].end if tail else last_close.end)
    return f"{text[:at]} LIMIT {written} {text[at:]}", True


def _prologue(toks: list[Token]) -> tuple[dict[str, str], str | None, list[Token]]:
    """The PREFIX and BASE declarations at the start, and the tokens after them."""
    prefixes: dict[str, str] = {}
    base = None
    i = 0
    while i < len(toks):
        word = toks[i].upper
        if word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = toks[i + 1].text[1:-1]
            i += 2
        elif word == "PREFIX" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            prefixes[toks[i + 1].text.rstrip(":")] = toks[i + 2].text[1:-1]
            i += 3
        else:
            break
    return prefixes, base, toks[i:]


def _service_targets(toks: list[Token], prefixes: dict[str, str], base: str | None) -> list[str]:
    targets = []
    for i, tok in enumerate(toks):
        if tok.kind == "word" and tok.upper == "SERVICE":
            j = i + 1
            if j < len(toks) and toks[j].upper == "SILENT":
                j += 1
            targets.append(iri_at(toks, j, prefixes, base) or "?")
    return targets


def iri_at(toks: list[Token], i: int, prefixes: dict[str, str], base: str | None) -> str | None:
    """The IRI at token i, resolved; None when it is a variable or missing."""
    if i < len(toks) and toks[i].upper == "SILENT":
        i += 1
    if i >= len(toks):
        return None
    tok = toks[i]
    if tok.kind == "iri":
        iri = tok.text[1:-1]
        if base and not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
            from urllib.parse import urljoin
            iri = urljoin(base, iri)
        return iri
    if tok.kind == "word" and ":" in tok.text:
        prefix, _, local = tok.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
        return tok.text
    return None
