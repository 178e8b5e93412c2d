"""Rendered GET views kept in memory until the data changes, with an ETag so
that a browser (or an intranet page reloaded by many readers) revalidates for
the price of a 304.

Cache-Control is `public, no-cache`: a cache may keep the answer but asks each
time whether it is still current. A fixed max-age would be cheaper still, but
a correction written to the graph should show on the next load, and the
question costs one small request answered without rendering anything."""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from flask import Response, current_app, g, request

from server.support.store import get_store

# Each distinct URL is an entry, so the number is bounded: a stranger's
# endless variations of a query string must not grow the process.
MAX_ENTRIES = 512
_KEY = "partnergraph.view_cache"


class ViewCache:
    def __init__(self, size: int = MAX_ENTRIES):
        self.size = size
        self._entries: OrderedDict[tuple, tuple[bytes, str, str]] = OrderedDict()
        self._lock = threading.Lock()
        self._version: str | None = None

    def get(self, key: tuple):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: tuple[bytes, str, str]) -> None:
        with self._lock:
            if key[0] != self._version:
                self._entries.clear()
                self._version = key[0]
            self._entries[key] = entry
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def get_cache() -> ViewCache:
    return current_app.extensions.setdefault(_KEY, ViewCache())


def etag_for(version: str, url: str, lang: str) -> str:
    return hashlib.sha256(f"{version}\n{url}\n{lang}".encode()).hexdigest()[:32]


def cached(view):
    """Serve `view` from the cache, or render it once for this data version,
    URL and language; answer 304 when the client already has it."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        return cached_response(lambda: current_app.make_response(view(*args, **kwargs)))
    return wrapper


def cached_response(render: Callable[[], Response], variant: str = "") -> Response:
    """The answer `render` gives, kept as `cached` keeps a view's; `variant`
    tells apart answers of one URL (the HTML of a page that also answers
    RDF by content negotiation)."""
    version = get_store().data_version
    lang = g.get("lang", "en")
    key = (version, request.url, lang, variant)
    tag = etag_for(version, f"{request.url}\n{variant}" if variant else request.url, lang)
    if tag in request.if_none_match:
        return _finish(Response(status=304), tag)
    cache = get_cache()
    entry = cache.get(key)
    if entry is None:
        store = get_store()
        store.derived_served_stale()
        response = render()
        if store.derived_served_stale():
            # Made of the previous data version's values while the new
            # ones are built (or without values still being built):
            # neither kept nor tagged as this version's.
            response.headers["Cache-Control"] = "no-store"
            return response
        if response.status_code != 200 or response.is_streamed:
            return response
        entry = (response.get_data(), response.content_type, version)
        cache.put(key, entry)
    return _finish(Response(entry[0], content_type=entry[1]), tag)


def _finish(response: Response, tag: str) -> Response:
    response.set_etag(tag)
    response.headers["Cache-Control"] = "public, no-cache"
    response.vary.add("Accept-Language")
    return response
