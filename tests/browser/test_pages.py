"""Resource pages and search in real Chromium: a person searches for a
municipality, reaches its page, sees its partners and follows them."""
from __future__ import annotations

import pytest

from tests.support.browser import browser, foreign_requests, live_server, page  # noqa: F401 (fixtures)

BORLANGE_PARTNERS = ["Larvik", "Frederikshavn", "Västmannaöarna", "Pitești", "Chișinău", "Wuhan"]


def test_from_search_to_a_municipality_and_its_partner_and_back(page, live_server):
    page.goto(live_server.url("/search?q=Borlänge&lang=sv"))
    page.locator(".results a.result-link", has_text="Borlänge").first.click()
    page.wait_for_url("**/partnergraph/id/municipality/se/borlange**")
    assert page.locator("h1").inner_text() == "Borlänge"

    partners = page.locator(".partners a.partner")
    assert sorted(partners.all_inner_texts()) == sorted(BORLANGE_PARTNERS)

    page.locator(".partners a.partner", has_text="Larvik").click()
    page.wait_for_url("**/municipality/no/larvik**")
    assert page.locator("h1").inner_text() == "Larvik"
    assert page.locator(".partners a.partner").all_inner_texts() == ["Borlänge"]
    page.locator(".partners a.partner", has_text="Borlänge").click()
    page.wait_for_url("**/municipality/se/borlange**")

    assert foreign_requests(page, live_server) == []
    assert page.errors == []
    assert page.dialogs == []


def test_the_header_search_box_works_from_any_page(page, live_server):
    page.goto(live_server.url("/ontology?lang=en"))
    page.fill("#site-q", "chisinau")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search?**")
    assert page.locator(".results a.result-link").first.inner_text() == "Chișinău"
    assert page.errors == []


@pytest.mark.parametrize("width", [1024, 1280, 390], ids=["1024", "1280", "390"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_header_search_box_shows_its_whole_hint(page, live_server, width, lang):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url(f"/?lang={lang}"))
    # The hint's width as the input draws it, against the room inside it.
    hint, room = page.evaluate("""() => {
        const box = document.querySelector('#site-q'), style = getComputedStyle(box);
        const context = document.createElement('canvas').getContext('2d');
        context.font = style.font;
        return [context.measureText(box.placeholder).width,
                box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)];
    }""")
    assert hint <= room, (hint, room)
