"""What an intranet editor pastes: an <iframe> around an embed view, with an
absolute address (the page it goes into is on another site) and the sandbox
a network view needs: scripts to draw, its own origin to fetch its data, and
popups for the link to the full page."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import g, request, url_for
from markupsafe import escape

from server.support.links import page_url

SANDBOX = "allow-scripts allow-same-origin allow-popups"
WIDTH, HEIGHT = 800, 600


@dataclass(frozen=True)
class Embed:
    url: str
    title: str
    page: str
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def snippet(self) -> str:
        return snippet(self.url, self.title, self.width, self.height)

    def oembed(self, fmt: str) -> str:
        return absolute(url_for("oembed.oembed")) + "?" + urlencode({"url": self.page, "format": fmt})


def absolute(path: str) -> str:
    return request.url_root.rstrip("/") + path


def snippet(url: str, title: str, width: int = WIDTH, height: int = HEIGHT) -> str:
    return (f'<iframe src="{escape(url)}" title="{escape(title)}" width="{int(width)}" '
            f'height="{int(height)}" loading="lazy" sandbox="{SANDBOX}"></iframe>')


def title_of(label: str) -> str:
    return f"{label} · partnergraph"


def for_resource(iri: str, label: str, lang: str | None = None,
                 size: tuple[int, int] = (WIDTH, HEIGHT)) -> Embed:
    lang = lang or g.lang
    return Embed(url=absolute(url_for("embed.network", focus=iri, lang=lang)),
                 title=title_of(label), page=absolute(page_url(iri, lang=lang)),
                 width=size[0], height=size[1])


def for_explore(args: list[tuple[str, str]], label: str, lang: str | None = None,
                size: tuple[int, int] = (WIDTH, HEIGHT)) -> Embed:
    """`args`: the filters as (name, value) pairs, in their order."""
    lang = lang or g.lang
    query = urlencode([(k, v) for k, v in args if k != "lang" and v != ""] + [("lang", lang)])
    return Embed(url=absolute(url_for("embed.explore")) + "?" + query, title=title_of(label),
                 page=absolute(url_for("network.explore")) + "?" + query,
                 width=size[0], height=size[1])


def for_stored_query(name: str, given: dict[str, str], label: str,
                     lang: str | None = None) -> Embed:
    """A stored query's answer, with the parameter values it was run with."""
    lang = lang or g.lang
    # Typed as url_for's own values: a str would also be checked against its
    # keyword arguments, _external among them.
    values: dict[str, Any] = given
    return Embed(url=absolute(url_for("embed.stored_query", name=name, lang=lang, **values)),
                 title=title_of(label),
                 page=absolute(url_for("stored_queries.form", name=name, lang=lang, **values)))


def for_query(text: str, view: str, label: str, lang: str | None = None,
              size: tuple[int, int] = (WIDTH, HEIGHT)) -> Embed:
    """A query's answer drawn as `view` (or as the query asks, for auto)."""
    lang = lang or g.lang
    return Embed(url=absolute(url_for("embed.query", query=text, view=view, lang=lang)),
                 title=title_of(label),
                 page=absolute(url_for("workbench.editor", query=text, lang=lang)),
                 width=size[0], height=size[1])
