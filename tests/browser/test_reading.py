"""What every reader gets on every page, in real Chromium: no page scrolls
sideways on a 390 px phone, axe-core finds no accessibility violation of any
impact, a skip link leads past the header, and Escape closes what was opened.
Screenshots of each page in Swedish and English at 1280 and 390 px go to
tests.support.browser.SHOTS, to be looked at."""
from __future__ import annotations

import pytest

from tests.support.axe import violations
from tests.support.browser import browser, live_server, page, screenshot  # noqa: F401 (fixtures)

BORLANGE = "https://w3id.org/partnergraph/id/municipality/se/borlange"
PAGES = {
    "home": "/",
    "search": "/search?q=Ljusdal",
    "municipality": "/partnergraph/id/municipality/se/borlange",
    "partnership": "/partnergraph/id/partnership/ljusdal-kisumu-mombasa",
    "explore": "/explore",
    "analysis": "/analysis",
    "path": "/analysis/path?from=" + BORLANGE + "&to=https://w3id.org/partnergraph/id/theme/democracy",
    "map": "/map?iri=" + BORLANGE,
    "query": "/query",
    "ontology": "/ontology",
    "import": "/admin/import",
    "sparql": "/sparql",
    "theme": "/partnergraph/id/theme/democracy",
    "event": "/partnergraph/id/event/ljusdal-council-decision-2011-09-26",
}
AXE_LEFT_OUT: dict[str, list[str]] = {}


def visit(page, server, name: str, lang: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 844 if width < 800 else 900})
    path = PAGES[name]
    page.goto(server.url(path + ("&" if "?" in path else "?") + "lang=" + lang))
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_page_scrolls_sideways_on_a_phone_and_axe_finds_nothing(page, live_server, name, lang):
    for width in (390, 1280):
        visit(page, live_server, name, lang, width)
        wide = page.evaluate("document.scrollingElement.scrollWidth")
        assert wide <= width, f"{name} ({lang}) is {wide} px wide at {width} px"
        assert violations(page, AXE_LEFT_OUT.get(name)) == [], f"{name} ({lang}) at {width} px"
        screenshot(page, f"reading-{name}-{lang}-{width}")
    assert page.errors == []


def test_the_header_is_compact_on_a_phone(page, live_server):
    visit(page, live_server, "partnership", "sv", 390)
    header = page.locator("header.site").bounding_box()
    assert header["height"] <= 140, header
    # The opening sentence is on the first screen.
    assert page.locator(".summary-text").bounding_box()["y"] < 844


def test_a_skip_link_leads_past_the_header(page, live_server):
    visit(page, live_server, "municipality", "en", 1280)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["width"] > 0, "the skip link shows when it has the focus"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab goes into the content, not back into the header.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')")


def test_escape_closes_the_embed_disclosure_and_gives_back_the_focus(page, live_server):
    visit(page, live_server, "municipality", "sv", 1280)
    summary = page.locator("#embed-resource summary")
    summary.click()
    assert page.locator("#embed-resource").evaluate("d => d.open")
    page.locator("#embed-resource-code").focus()
    page.keyboard.press("Escape")
    assert not page.locator("#embed-resource").evaluate("d => d.open")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


def test_the_editor_picks_the_snippets_size(page, live_server):
    visit(page, live_server, "municipality", "en", 1280)
    page.locator("#embed-resource summary").click()
    code = page.locator("#embed-resource-code")
    assert 'width="100%"' in code.input_value() and "aspect-ratio:4/3" in code.input_value()
    page.locator("#embed-resource input[value=widescreen]").check()
    assert "aspect-ratio:16/9" in code.input_value()
    page.locator("#embed-resource input[value=fixed]").check()
    page.locator("#embed-resource .emb-width").fill("560")
    page.locator("#embed-resource .emb-height").fill("420")
    fixed = code.input_value()
    assert 'width="560" height="420"' in fixed and "__W__" not in fixed and "max-width:100%" in fixed
    assert "<figcaption" in fixed
