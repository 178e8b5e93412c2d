"""Embedding in real Chromium: the snippet copied from a page, pasted into a
page on another origin (another port), draws there when that origin is
allowed and is refused when it is not; two embeds on one page, one in a
hidden tab, both draw; nothing is requested beyond the two hosts."""
from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.browser import browser, live_server, page, start_live_server, stop_live_server  # noqa: F401 (fixtures)
from tests.support.processes import free_port

BORLANGE_PAGE = "/partnergraph/id/municipality/se/borlange?lang=sv"
TOKEN = "embed-test-token"


class HostSite:
    """A stand-in for the intranet: static pages on a port of its own."""

    def __init__(self):
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = pages.get(self.path)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "").encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def put(self, path: str, body_html: str) -> str:
        self.pages[path] = f"<!doctype html><html><head><meta charset='utf-8'><title>Intranet</title>" \
                           f"<link rel='icon' href='data:,'></head><body><h1>Intranet</h1>{body_html}</body></html>"
        return self.origin + path


@pytest.fixture(scope="module")
def host():
    site = HostSite()
    yield site
    site.server.shutdown()


@pytest.fixture(scope="module")
def allowing_server(tmp_path_factory, host, bundled_template):
    server = start_live_server(tmp_path_factory.mktemp("allowing"), bundled_template,
                               PARTNERGRAPH_FRAME_ANCESTORS=f"'self' {host.origin}",
                               PARTNERGRAPH_TOKEN=TOKEN)
    yield server
    stop_live_server(server)


def copy_snippet(page, url: str) -> str:
    """What an editor does: open the Embed disclosure and take its code; the
    preview there draws too."""
    page.goto(url)
    page.locator(".emb-share summary").click()
    page.frame_locator(".emb-preview").locator(".net-is-ready").wait_for(timeout=30000)
    return page.locator(".emb-code").input_value()


def outside(page, *origins: str) -> list[str]:
    return [u for u in page.requests
            if not u.startswith(tuple(o + "/" for o in origins) + ("data:", "blob:", "about:"))]


def test_an_allowed_origin_embeds_the_copied_snippet(page, allowing_server, host):
    snippet = copy_snippet(page, allowing_server.url(BORLANGE_PAGE))
    assert f'<iframe src="{allowing_server.url("/embed/network?")}' in snippet
    page.goto(host.put("/allowed.html", snippet))
    frame = page.frame_locator("iframe")
    frame.locator(".net-is-ready").wait_for(timeout=30000)
    assert frame.locator("h1").inner_text() == "Borlänge"
    assert frame.locator(".emb-open a").get_attribute("target") == "_blank"
    # The controls are folded so the drawing takes the frame; the Tools
    # button unfolds them, and the text companion is reachable from the keyboard.
    assert not frame.locator(".net-text").is_visible()
    frame.locator(".emb-tools").focus()
    page.keyboard.press("Enter")
    assert frame.locator(".emb-tools").get_attribute("aria-expanded") == "true"
    frame.locator(".net-text summary").focus()
    page.keyboard.press("Enter")
    assert "Borlänge" in frame.locator(".net-tables").inner_text()
    assert outside(page, allowing_server.url("/")[:-1], host.origin) == []
    assert page.errors == []


def test_by_default_another_origin_is_refused(page, live_server, host):
    snippet = copy_snippet(page, live_server.url(BORLANGE_PAGE))
    page.goto(host.put("/refused.html", snippet))
    page.wait_for_function("() => document.querySelector('iframe')")
    page.wait_for_timeout(2000)
    child = page.frames[1]
    # Chromium puts its own error page in a frame it refuses to fill.
    assert child.url.startswith(("chrome-error:", "about:blank")), child.url
    assert child.locator(".pg-network").count() == 0
    assert outside(page, live_server.url("/")[:-1], host.origin) == []


def test_two_embeds_one_in_a_hidden_tab_both_draw(page, allowing_server, host):
    network = copy_snippet(page, allowing_server.url(BORLANGE_PAGE))
    explore = copy_snippet(page, allowing_server.url("/explore?lang=en&theme=democracy"))
    # Without loading="lazy" the hidden frame loads and draws at once, in a
    # 0x0 viewport: the case that needs redrawing when the tab is shown.
    eager = explore.replace(' loading="lazy"', "")
    page.goto(host.put("/tabs.html", f"<div id='one'>{network}</div>"
                                     f"<div id='two' hidden>{eager}</div>"))
    first, second = page.frame_locator("#one iframe"), page.frame_locator("#two iframe")
    first.locator(".net-is-ready").wait_for(timeout=30000)
    second.locator(".net-is-ready").wait_for(state="attached", timeout=30000)
    page.evaluate("() => { document.getElementById('one').hidden = true;"
                  " document.getElementById('two').hidden = false; }")
    second.locator(".net-is-ready").wait_for(timeout=30000)
    page.wait_for_timeout(500)
    inside = second.locator("body").evaluate("""() => {
        const hook = window.partnergraphNetwork, net = hook.network;
        const box = document.querySelector('.net-canvas');
        const w = box.clientWidth, h = box.clientHeight;
        const spots = hook.nodes.getIds().map(id => net.canvasToDOM(net.getPosition(id)));
        return {w, h, scale: net.getScale(), n: spots.length,
                inside: spots.filter(p => p.x >= -5 && p.x <= w + 5 && p.y >= -5 && p.y <= h + 5).length};
    }""")
    assert inside["w"] > 300 and inside["h"] > 200, inside
    assert inside["n"] > 3 and inside["inside"] == inside["n"], inside
    # Each frame has its own network; the first is untouched by the second.
    page.evaluate("() => { document.getElementById('one').hidden = false; }")
    labels = first.locator("body").evaluate(
        "() => window.partnergraphNetworks.length + ':' + window.partnergraphNetwork.nodes.length")
    assert labels.startswith("1:")
    assert outside(page, allowing_server.url("/")[:-1], host.origin) == []
    assert page.errors == []


def test_revalidation_and_a_write_over_http(allowing_server):
    url = allowing_server.url("/embed/network?focus=https://w3id.org/partnergraph/id/"
                              "municipality/se/borlange&lang=sv")
    with urllib.request.urlopen(url) as first:
        tag = first.headers["ETag"]
    request = urllib.request.Request(url, headers={"If-None-Match": tag})
    with pytest.raises(urllib.error.HTTPError) as again:
        urllib.request.urlopen(request)
    assert again.value.code == 304
    write = urllib.request.Request(
        allowing_server.url("/sparql"), method="POST",
        data=b"update=INSERT+DATA+%7B+GRAPH+%3Curn%3Ax%3E+%7B+%3Curn%3Aa%3E+%3Curn%3Ab%3E+%3Curn%3Ac%3E+%7D+%7D",
        headers={"Authorization": f"Bearer {TOKEN}",
                 "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(write) as written:
        assert written.status in (200, 204)
    with urllib.request.urlopen(request) as after:
        assert after.status == 200 and after.headers["ETag"] != tag


def test_a_query_drawn_as_a_map_and_one_as_a_timeline_embed_on_another_origin(page, allowing_server, host):
    query = ("SELECT ?town ?lat ?long WHERE { VALUES (?town ?lat ?long) { "
             "(<https://w3id.org/partnergraph/id/municipality/se/borlange> 60.48 15.43) "
             "(<https://w3id.org/partnergraph/id/municipality/no/larvik> 59.05 10.03) } }")
    page.goto(allowing_server.url("/query?lang=sv&query=" + urllib.parse.quote(query)))
    page.wait_for_selector(".wb[data-shown-view=map]", timeout=30000)
    page.locator("#wb-embed summary").click()
    page.frame_locator("#wb-embed .emb-preview").locator("svg.rv-map").wait_for(timeout=30000)
    snippet = page.locator("#wb-embed .emb-code").input_value()
    assert f'<iframe src="{allowing_server.url("/embed/query?")}' in snippet
    years = ("SELECT ?partnership ?start WHERE { VALUES (?partnership ?start) { "
             "(<https://w3id.org/partnergraph/id/partnership/borlange-larvik> 1947) "
             "(<https://w3id.org/partnergraph/id/partnership/borlange-wuhan> 2009) } }")
    page.goto(allowing_server.url("/query?lang=en&query=" + urllib.parse.quote(years)))
    page.wait_for_selector(".wb[data-shown-view=timeline]", timeout=30000)
    timeline = page.locator("#wb-embed .emb-code").input_value()
    assert "view=timeline" in timeline
    page.goto(host.put("/map.html", snippet + timeline))
    map_frame, time_frame = page.frame_locator("iframe").nth(0), page.frame_locator("iframe").nth(1)
    map_frame.locator("svg.rv-map").wait_for(timeout=30000)
    assert map_frame.locator(".rv-point").count() == 2
    assert map_frame.locator(".rv-point").first.get_attribute("target") == "_blank"
    time_frame.locator("svg.rv-timeline").wait_for(timeout=30000)
    assert time_frame.locator(".rv-span").count() == 2
    assert outside(page, allowing_server.url("/")[:-1], host.origin) == []
    assert page.errors == []


def drawn_labels(frame) -> dict:
    """How the network in an embed frame is drawn: the canvas's size, the
    labels' size on screen, and how many labelled nodes are in view."""
    return frame.locator("body").evaluate("""() => {
        const hook = window.partnergraphNetwork, net = hook.network;
        const box = document.querySelector('.net-canvas');
        const w = box.clientWidth, h = box.clientHeight, scale = net.getScale();
        const ids = hook.nodes.getIds();
        const font = net.body.nodes[ids[0]].options.font.size;
        const shown = ids.filter(id => {
            const p = net.canvasToDOM(net.getPosition(id));
            return hook.nodes.get(id).label && p.x >= 0 && p.x <= w && p.y >= 0 && p.y <= h;
        });
        return {w, h, px: font * scale, labelled: shown.length};
    }""")


@pytest.mark.parametrize("column", [600, 360], ids=["column-600", "column-360"])
def test_the_copied_snippet_fits_a_column_on_another_origin_with_readable_labels(page, allowing_server, host, column):
    snippet = copy_snippet(page, allowing_server.url(BORLANGE_PAGE))
    page.set_viewport_size({"width": max(column, 390), "height": 800})
    page.goto(host.put(f"/column-{column}.html",
                       f"<div id='column' style='width:{column}px;max-width:100%'>{snippet}<p>Next</p></div>"))
    frame = page.frame_locator("iframe")
    frame.locator(".net-is-ready").wait_for(timeout=30000)
    page.wait_for_timeout(500)
    frame_box = page.locator("iframe").bounding_box()
    column_box = page.locator("#column").bounding_box()
    assert frame_box["width"] <= column_box["width"] + 0.5, (frame_box, column_box)
    assert frame_box["x"] >= column_box["x"] - 0.5
    assert page.evaluate("document.scrollingElement.scrollWidth") <= max(column, 390)
    # Height by the aspect ratio, never less than a drawing can be read in.
    assert frame_box["height"] >= min(320, column * 3 / 4) - 1, frame_box
    # It says what it shows and where it comes from.
    caption = page.locator("figcaption")
    assert "Nätverket kring Borlänge" in caption.inner_text()
    assert caption.locator("a").get_attribute("href").startswith(allowing_server.url("/partnergraph/id/"))
    drawn = drawn_labels(frame)
    assert drawn["w"] >= column - 40 and drawn["h"] >= 200, drawn
    assert drawn["px"] >= 9.5, drawn
    assert drawn["labelled"] >= 5, drawn
    assert outside(page, allowing_server.url("/")[:-1], host.origin) == []
    assert page.errors == []
