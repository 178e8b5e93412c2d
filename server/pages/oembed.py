"""oEmbed (https://oembed.com): given the address of one of our pages, the
snippet that embeds it, as JSON or XML, so that a CMS that knows oEmbed turns
a pasted link into a live view."""
from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit
from xml.sax.saxutils import escape

from flask import Blueprint, Response, abort, current_app, g, jsonify, request

from graph.views.describe import exists
from graph.views.labels import label
from graph.views.partner_map import is_party
from server.pages.workbench import title_of_query
from server.support import embed_snippet
from server.support.i18n import LANGUAGES, TEXT
from server.support.links import base_path
from server.support.store import get_store

bp = Blueprint("oembed", __name__)

PROVIDER = "partnergraph"


@bp.get("/oembed")
def oembed():
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "xml"):
        abort(501, "format must be json or xml")
    embed = _embed_of(request.args.get("url", ""))
    if embed is None:
        abort(404, "Not a page of this service")
    # The snippet the page offers, full column width; a consumer that gives
    # a largest size gets a frame of that size instead.
    if "maxwidth" in request.args or "maxheight" in request.args:
        embed = embed.sized(_size("maxwidth", embed_snippet.WIDTH), _size("maxheight", embed_snippet.HEIGHT))
    answer = {
        "type": "rich", "version": "1.0", "title": embed.title,
        "provider_name": PROVIDER, "provider_url": request.url_root,
        "html": embed.snippet, "width": embed.width, "height": embed.height,
    }
    if fmt == "json":
        response = jsonify(answer)
    else:
        fields = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in answer.items())
        response = Response('<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n'
                            f"<oembed>{fields}</oembed>\n", content_type="text/xml; charset=utf-8")
    # Consumers ask from their own pages' scripts as well as from servers.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _size(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    return max(100, min(default, int(raw))) if raw.isdigit() else default


def _embed_of(url: str):
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != request.host_url:
        return None
    args = parse_qsl(parts.query)
    asked = dict(args).get("lang")
    lang = asked if asked in LANGUAGES else g.lang
    if parts.path in ("/explore", "/embed/explore"):
        return embed_snippet.for_explore(args, TEXT["net_explore"][lang], lang)
    if parts.path in ("/query", "/embed/query"):
        found = dict(args)
        text = found.get("query") or found.get("q") or ""
        if not text.strip():
            return None
        return embed_snippet.for_query(text, found.get("view") or "auto", title_of_query(text), lang)
    base = current_app.config["PARTNERGRAPH"].base_iri
    if parts.path in ("/map", "/embed/map"):
        iri = dict(args).get("iri", "")
        store = get_store()
        try:
            if not iri or not exists(store, iri) or not is_party(store, iri):
                return None
        except ValueError:
            return None
        return embed_snippet.for_map(iri, label(store, iri, lang), lang)
    if parts.path in ("/resource", "/embed/network"):
        iri = dict(args).get("iri" if parts.path == "/resource" else "focus", "")
    elif parts.path.startswith(base_path(base)) and parts.path != base_path(base):
        iri = base + unquote(parts.path[len(base_path(base)):])
    else:
        return None
    store = get_store()
    try:
        if not iri or not exists(store, iri):
            return None
    except ValueError:
        return None
    return embed_snippet.for_resource(iri, label(store, iri, lang), lang)
