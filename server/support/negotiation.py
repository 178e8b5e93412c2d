"""Which serialisation a client gets: by the `format` parameter if given,
else by the Accept header with its q-values; 406 when nothing fits."""
from __future__ import annotations

from flask import request
from werkzeug.exceptions import BadRequest, NotAcceptable

from graph.rdf.formats import BOOLEAN_RESULTS, DATASET_FORMATS, RDF, RESULTS, Format

Entry = tuple[str, str, tuple[str, ...]]


def table(formats: tuple[Format, ...]) -> list[Entry]:
    """(media type, pyoxigraph format name, `format` parameter names) for each
    media type of the formats; the first entry is the default when the client
    accepts anything, and the main media types come before the others, which
    a client's Accept decides between in that order when it weighs them alike."""
    entries = [(f.media_type, f.engine_name, f.names) for f in formats]
    entries += [(m, f.engine_name, ()) for f in formats for m in f.media_types[1:]]
    return entries


SOLUTIONS = table(RESULTS)
BOOLEAN = table(BOOLEAN_RESULTS)
GRAPH = table(RDF)
DATASET = table(DATASET_FORMATS)

TEXT_TYPES = ("text/", "application/sparql-results+", "application/n-", "application/trig",
              "application/ld+json", "application/rdf+xml", "application/json", "application/xml")


def choose(table: list[tuple[str, str, tuple[str, ...]]],
           format_params: list[str] | str | None) -> tuple[str, str]:
    """(media type, format name) for the response. Some clients repeat the
    format parameter (SPARQLWrapper sends `format=tsv&format=text/tab-separated-values`
    for servers that know only one spelling): the first one offered wins."""
    if isinstance(format_params, str):
        format_params = [format_params]
    if format_params:
        for given in format_params:
            wanted = given.strip().lower()
            for media, name, names in table:
                if wanted in names or wanted == media:
                    return media, name
        offered = sorted({n for _, _, names in table for n in names})
        raise BadRequest(f"format={format_params[0]!r} is not offered for this result; "
                         f"use one of {', '.join(offered)}.")
    if not request.headers.get("Accept"):
        return table[0][0], table[0][1]
    # Werkzeug matches parameters exactly, so `text/turtle; charset=utf-8` in
    # Accept (what the response says it is) must be offered as such too.
    candidates: dict[str, str] = {}
    for m, _, _ in table:
        candidates.setdefault(m, m)
        candidates.setdefault(content_type(m), m)
    best = request.accept_mimetypes.best_match(list(candidates))
    if best is None:
        media_types = ", ".join(dict.fromkeys(m for m, _, _ in table))
        raise NotAcceptable(f"None of the media types in Accept can carry this result; "
                            f"this one can be sent as {media_types}.")
    media = candidates[best]
    return media, next(name for m, name, _ in table if m == media)


def content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith(TEXT_TYPES) else media
