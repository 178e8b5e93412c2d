"""What an intranet editor pastes: an <iframe> around an embed view, with an
absolute address (the page it goes into is on another site) and the sandbox
a network view needs: scripts to draw, its own origin to fetch its data, and
popups for the link to the full page."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from flask import g, request, url_for
from markupsafe import escape

from server.support.i18n import TEXT
from server.support.links import page_url

SANDBOX = "allow-scripts allow-same-origin allow-popups"
# The nominal size (oEmbed's width and height, the fixed size offered first).
WIDTH, HEIGHT = 800, 600
# The shapes an editor can choose: full column width at an aspect ratio, or
# a fixed size. Responsive frames keep a height a drawing can be read in.
RATIOS = {"wide": (4, 3), "widescreen": (16, 9)}
MIN_HEIGHT = 320
# Inline styles: the snippet lands on someone else's page, with no stylesheet
# of ours. Where a CMS strips style attributes, width="100%" and the height
# attribute still keep the frame inside its column.
FRAME_STYLE = "display:block;box-sizing:border-box;max-width:100%;border:1px solid #d9dee5;border-radius:6px"
CAPTION_STYLE = "font-size:0.85em;color:#5b6675;margin-top:0.3em"


@dataclass(frozen=True)
class Embed:
    url: str
    title: str
    page: str
    width: int = WIDTH
    height: int = HEIGHT
    # What the view shows, for the caption under the frame ("" = the title).
    caption: str = ""
    # "wide"/"widescreen": full column width at that ratio; "fixed": width x height.
    shape: str = "wide"

    @property
    def snippet(self) -> str:
        return snippet(self.url, self.title, self.width, self.height, caption=self.caption,
                       page=self.page, shape=self.shape)

    def snippets(self) -> dict[str, str]:
        """Every shape's snippet; the fixed one with __W__ and __H__ where
        the editor's width and height go."""
        found = {shape: replace(self, shape=shape).snippet for shape in RATIOS}
        found["fixed"] = snippet(self.url, self.title, 0, 0, caption=self.caption, page=self.page,
                                 shape="fixed").replace('width="0"', 'width="__W__"').replace(
                                     'height="0"', 'height="__H__"')
        return found

    def sized(self, width: int, height: int) -> Embed:
        return replace(self, width=width, height=height, shape="fixed")

    def oembed(self, fmt: str) -> str:
        return absolute(url_for("oembed.oembed")) + "?" + urlencode({"url": self.page, "format": fmt})


def absolute(path: str) -> str:
    return request.url_root.rstrip("/") + path


def snippet(url: str, title: str, width: int = WIDTH, height: int = HEIGHT, *, caption: str = "",
            page: str = "", shape: str = "fixed") -> str:
    """A <figure> with the frame and a caption saying what it shows and where
    it comes from, linked to the full page. Responsive shapes fill the
    column's width with the height by aspect ratio; "fixed" is width x
    height, yet never wider than the column."""
    if shape in RATIOS:
        across, down = RATIOS[shape]
        size = f'width="100%" height="{MIN_HEIGHT}"'
        style = f"{FRAME_STYLE};width:100%;height:auto;aspect-ratio:{across}/{down};min-height:{MIN_HEIGHT}px"
    else:
        size = f'width="{int(width)}" height="{int(height)}"'
        style = FRAME_STYLE
    frame = (f'<iframe src="{escape(url)}" title="{escape(title)}" {size} style="{style}" '
             f'loading="lazy" sandbox="{SANDBOX}"></iframe>')
    said = escape(caption or title)
    source = f'<a href="{escape(page)}">partnergraph</a>' if page else "partnergraph"
    return (f'<figure style="margin:0 0 1em;max-width:100%">{frame}'
            f'<figcaption style="{CAPTION_STYLE}">{said} · {source}</figcaption></figure>')


def title_of(label: str) -> str:
    return f"{label} · partnergraph"


def for_resource(iri: str, label: str, lang: str | None = None) -> Embed:
    lang = lang or g.lang
    return Embed(url=absolute(url_for("embed.network", focus=iri, lang=lang)),
                 title=title_of(label), page=absolute(page_url(iri, lang=lang)),
                 caption=TEXT["emb_network_of"][lang] % label)


def for_map(iri: str, label: str, lang: str | None = None) -> Embed:
    """The map of a party's partners."""
    lang = lang or g.lang
    said = TEXT["emb_map_of"][lang] % label
    return Embed(url=absolute(url_for("embed.map_view", iri=iri, lang=lang)), title=title_of(said),
                 page=absolute(url_for("partner_map.page", iri=iri, lang=lang)), caption=said)


def for_explore(args: list[tuple[str, str]], label: str, lang: str | None = None) -> Embed:
    """`args`: the filters as (name, value) pairs, in their order."""
    lang = lang or g.lang
    query = urlencode([(k, v) for k, v in args if k != "lang" and v != ""] + [("lang", lang)])
    return Embed(url=absolute(url_for("embed.explore")) + "?" + query, title=title_of(label),
                 page=absolute(url_for("network.explore")) + "?" + query,
                 caption=label)


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


def for_query(text: str, view: str, label: str, lang: str | None = None) -> Embed:
    """A query's answer drawn as `view` (or as the query asks, for auto)."""
    lang = lang or g.lang
    return Embed(url=absolute(url_for("embed.query", query=text, view=view, lang=lang)),
                 title=title_of(label),
                 page=absolute(url_for("workbench.editor", query=text, lang=lang)))
