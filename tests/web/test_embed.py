"""Embed views, the snippet, oEmbed, framing headers and revalidation, through
the Flask test client."""
from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest

from server import create_app
from server.support.store import close

BASE = "https://w3id.org/partnergraph/id/"
BORLANGE = BASE + "municipality/se/borlange"
PAGE = "http://localhost/partnergraph/id/municipality/se/borlange?lang=sv"
TOKEN = "s3cret-token"


@pytest.fixture
def make_client(settings, tmp_path):
    apps = []

    def make(**changes):
        # Each app opens a store of its own: an embedded store has one owner.
        store = str(tmp_path / f"store{len(apps)}")
        app = create_app(settings.with_(store=store, **changes), test_config={"TESTING": True})
        apps.append(app)
        return app.test_client()

    yield make
    for app in apps:
        close(app)


def snippet_on(page_html: str) -> str:
    found = re.search(r'<textarea[^>]*class="emb-code"[^>]*>(.*?)</textarea>', page_html, re.S)
    return html.unescape(found.group(1))


def test_embed_views_answer_and_link_to_the_full_page(read_client):
    answer = read_client.get(f"/embed/network?focus={BORLANGE}&depth=2&lang=sv")
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    assert 'target="_blank"' in text and "http://localhost/partnergraph/id/municipality/se/borlange?lang=sv" in text
    assert "depth=2" in text and 'class="net-text"' in text
    explore = read_client.get("/embed/explore?theme=democracy&lang=en")
    assert explore.status_code == 200
    assert "/api/network?theme=democracy&amp;lang=en" in explore.get_data(as_text=True)
    assert read_client.get("/embed/network?focus=" + BASE + "nothing/here").status_code == 404
    assert read_client.get("/embed/network").status_code == 400


def test_framing_follows_the_setting_on_embed_views_only(make_client):
    default = make_client()
    embed = default.get(f"/embed/network?focus={BORLANGE}")
    assert "frame-ancestors 'self'" in embed.headers["Content-Security-Policy"]
    assert embed.headers["X-Frame-Options"] == "SAMEORIGIN"

    allowed = make_client(frame_ancestors="https://intranet.example https://cms.example")
    for path in (f"/embed/network?focus={BORLANGE}", "/embed/explore?theme=democracy"):
        for _ in range(2):  # rendered, then from the cache
            answer = allowed.get(path)
            # The service's own page previews the embed it offers.
            assert answer.headers["Content-Security-Policy"].endswith(
                "frame-ancestors 'self' https://intranet.example https://cms.example")
            assert "X-Frame-Options" not in answer.headers
    for path in ("/", "/explore", "/partnergraph/id/municipality/se/borlange", "/api/network"):
        answer = allowed.get(path)
        assert answer.headers["Content-Security-Policy"].endswith("frame-ancestors 'self'")
        assert answer.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_snippet_is_absolute_sandboxed_and_shown_as_text(read_client):
    page = read_client.get("/partnergraph/id/municipality/se/borlange?lang=sv").get_data(as_text=True)
    assert '<textarea' in page and "&lt;iframe" in page
    snippet = snippet_on(page)
    assert snippet.startswith('<figure ')
    assert '<iframe src="http://localhost/embed/network?focus=' in snippet
    for part in ('title="Borlänge · partnergraph"', 'sandbox="allow-scripts allow-same-origin allow-popups"',
                 'loading="lazy"', 'width="100%"', "aspect-ratio:4/3",
                 # What it shows and where it comes from, linked to the page.
                 "<figcaption", "Nätverket kring Borlänge: samarbeten, teman och finansiärer",
                 '<a href="http://localhost/partnergraph/id/municipality/se/borlange?lang=sv">partnergraph</a>'):
        assert part in snippet, part
    assert 'width="800"' not in snippet
    explore = read_client.get("/explore?theme=democracy&lang=en").get_data(as_text=True)
    assert 'src="http://localhost/embed/explore?theme=democracy&amp;lang=en"' in snippet_on(explore)


def test_oembed_json_and_xml_carry_the_snippet(read_client):
    page = read_client.get("/partnergraph/id/municipality/se/borlange?lang=sv").get_data(as_text=True)
    snippet = snippet_on(page)
    links = re.findall(r'<link rel="alternate" type="(\w+/[\w+]+oembed)" href="([^"]+)"', page)
    assert [kind for kind, _ in links] == ["application/json+oembed", "text/xml+oembed"]

    answer = read_client.get(html.unescape(links[0][1]).replace("http://localhost", ""))
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    data = json.loads(answer.get_data(as_text=True))
    assert data["type"] == "rich" and data["version"] == "1.0"
    assert data["html"] == snippet
    assert data["title"] == "Borlänge · partnergraph" and data["provider_name"] == "partnergraph"
    assert (data["width"], data["height"]) == (800, 600)

    answer = read_client.get(html.unescape(links[1][1]).replace("http://localhost", ""))
    assert answer.mimetype == "text/xml"
    root = ET.fromstring(answer.get_data())
    assert root.tag == "oembed" and root.findtext("html") == snippet and root.findtext("type") == "rich"


def test_oembed_sizes_and_refusals(read_client):
    small = read_client.get("/oembed", query_string={"url": PAGE, "maxwidth": "400", "maxheight": "300"}).json
    assert (small["width"], small["height"]) == (400, 300) and 'width="400"' in small["html"]
    explore = read_client.get("/oembed", query_string={"url": "http://localhost/explore?theme=democracy"}).json
    assert "/embed/explore?theme=democracy" in explore["html"]
    for url in ("http://elsewhere.example/partnergraph/id/municipality/se/borlange",
                "http://localhost/sparql", "http://localhost/partnergraph/id/nothing/here", ""):
        assert read_client.get("/oembed", query_string={"url": url}).status_code == 404, url
    assert read_client.get("/oembed", query_string={"url": PAGE, "format": "yaml"}).status_code == 501


def test_hostile_labels_stay_text_in_the_snippet(client):
    hostile = '"><script>alert(1)</script>'
    update = f'INSERT DATA {{ GRAPH <urn:test> {{ <{BORLANGE}> <http://www.w3.org/2004/02/skos/core#prefLabel> ' \
             f'"""{hostile}"""@en }} }}'
    from server.support.store import get_store
    with client.application.app_context():
        get_store().update(update)
    data = client.get("/oembed", query_string={"url": PAGE.replace("sv", "en")}).json
    assert "<script>" not in data["html"] and "&lt;script&gt;" in data["html"]
    page = client.get("/partnergraph/id/municipality/se/borlange?lang=en").get_data(as_text=True)
    assert "<script>alert" not in page


def test_revalidation_gives_304_until_the_data_changes(make_client):
    client = make_client(token=TOKEN)
    for path in (f"/embed/network?focus={BORLANGE}&lang=sv", f"/api/network?focus={BORLANGE}&lang=sv"):
        first = client.get(path)
        tag = first.headers["ETag"]
        assert first.headers["Cache-Control"] == "public, no-cache"
        again = client.get(path, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.get_data() == b""
        other = client.get(path, headers={"If-None-Match": tag, "Accept-Language": "en"})
        assert other.status_code == 304  # ?lang= wins over the header
        english = client.get(path.replace("lang=sv", "lang=en"), headers={"If-None-Match": tag})
        assert english.status_code == 200 and english.headers["ETag"] != tag

    tag = client.get(f"/embed/network?focus={BORLANGE}&lang=sv").headers["ETag"]
    written = client.post("/sparql", data={"update": "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"},
                          headers={"Authorization": f"Bearer {TOKEN}"})
    assert written.status_code in (200, 204)
    after = client.get(f"/embed/network?focus={BORLANGE}&lang=sv", headers={"If-None-Match": tag})
    assert after.status_code == 200 and after.headers["ETag"] != tag


def test_the_cache_serves_the_same_bytes_and_stays_bounded(app):
    from server.support.view_cache import ViewCache
    client = app.test_client()
    first = client.get(f"/api/network?focus={BORLANGE}").get_data()
    assert client.get(f"/api/network?focus={BORLANGE}").get_data() == first
    cache = ViewCache(size=3)
    for n in range(10):
        cache.put(("v1", f"u{n}", "en"), (b"", "text/plain", "v1"))
    assert cache.get(("v1", "u9", "en")) and not cache.get(("v1", "u0", "en"))
    cache.put(("v2", "u", "en"), (b"", "text/plain", "v2"))
    assert not cache.get(("v1", "u9", "en"))


def test_a_stored_query_embeds_as_a_table_that_may_be_framed_and_is_cached(read_client):
    borlange = "https://w3id.org/partnergraph/id/municipality/se/borlange"
    url = "/embed/queries/partners-of-municipality?" + urlencode({"municipality": borlange, "lang": "sv"})
    first = read_client.get(url)
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    for partner in ("Larvik", "Frederikshavn", "Västmannaöarna", "Pitești", "Chișinău", "Wuhan"):
        assert partner in page
    assert "/queries/partners-of-municipality?" in page
    assert "frame-ancestors 'self'" in first.headers["Content-Security-Policy"]
    again = read_client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    hostile = read_client.get("/embed/queries/partners-of-municipality?municipality=%22%20%7D%20%3B%20DROP%20ALL%20%3B%20%23")  # noqa: E501
    assert hostile.status_code == 400


def test_a_stored_querys_page_offers_its_embed_snippet(read_client):
    borlange = "https://w3id.org/partnergraph/id/municipality/se/borlange"
    page = read_client.get("/queries/partners-of-municipality?" + urlencode(
        {"municipality": borlange, "lang": "en"})).get_data(as_text=True)
    snippet = html.unescape(re.search(r'<textarea[^>]*class="emb-code"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    assert '<iframe src="http://localhost/embed/queries/partners-of-municipality?' in snippet
    assert 'sandbox="allow-scripts allow-same-origin allow-popups"' in snippet
