"""The browsable tables in real Chromium: choosing facet values, sorting by a
column, searching in a column, paging, the view as JSON, and a page that
fits a phone."""
from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.support.browser import (  # noqa: F401 (fixtures)
    browser,
    foreign_requests,
    live_server,
    overflow,
    page,
    screenshot,
)


def total(page) -> int:
    return int(page.locator(".tb-total").get_attribute("data-total"))


def names(page) -> list[str]:
    return page.locator(".tb-table tbody th a").all_inner_texts()


def test_facets_narrow_the_table_and_a_header_sorts_it(page, live_server):
    page.goto(live_server.url("/partnerships?lang=sv"))
    assert total(page) == 7
    page.locator('.tb-facet[data-facet=country] a[data-value=SE]').click()
    page.wait_for_url("**country=SE**")
    page.locator('.tb-facet[data-facet=kind] a[data-value=twin-town]').click()
    page.wait_for_url("**kind=twin-town**")
    assert total(page) == 3
    assert names(page) == ["Borlänge–Frederikshavn", "Borlänge–Larvik", "Borlänge–Västmannaöarna"]
    assert page.locator(".tb-chip").count() == 2
    # The counts of a facet and its rows without a value add up to the rows shown.
    counts = page.locator('.tb-facet[data-facet=status] .tb-n').all_inner_texts()
    assert sum(map(int, counts)) == 3
    page.locator('th a[data-sort=name]').click()
    page.wait_for_url("**sort=-name**")
    assert names(page)[0] == "Borlänge–Västmannaöarna"
    assert page.locator('th[aria-sort=descending] a[data-sort=name]').count() == 1
    as_json = json.loads(urllib.request.urlopen(
        live_server.url(page.locator("a.tb-as[data-format=json]").get_attribute("href"))).read())
    assert [r["name"] for r in as_json["rows"]] == names(page)
    page.locator('.tb-chip[data-facet=kind]').click()
    page.wait_for_url(lambda url: "kind=" not in url)
    assert total(page) == 7
    assert foreign_requests(page, live_server) == [] and page.errors == []


def test_text_is_found_in_the_column_chosen(page, live_server):
    page.goto(live_server.url("/partnerships?lang=en"))
    page.select_option("#tb-column", "members")
    page.fill("#tb-text", "frederik")
    page.locator(".tb-filter button").click()
    page.wait_for_url("**members__contains=frederik**")
    assert names(page) == ["Borlänge–Frederikshavn"]
    assert page.errors == []


def test_pages_go_forward_and_back(page, live_server):
    page.goto(live_server.url("/municipalities?lang=en&size=25"))
    first = names(page)
    page.locator(".tb-pager a[rel=next]").click()
    page.wait_for_url("**page=2**")
    assert "Page 2 of 12" in page.locator(".tb-page").inner_text()
    assert not set(first) & set(names(page))
    page.locator(".tb-pager a[rel=prev]").click()
    page.wait_for_url(lambda url: "page=2" not in url)
    # The rows are read once the first page has been drawn, not mid-navigation.
    expect(page.locator(".tb-table tbody th a")).to_have_text(first)
    assert "Page 1 of 12" in page.locator(".tb-page").inner_text()


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_table_fits_the_window(page, live_server, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url(f"/partnerships?lang={lang}&country=SE"))
    assert overflow(page) == 0
    folded = not page.locator(".tb-facets-fold").evaluate("d => d.open")
    assert folded == (width == 390)     # on a phone the rows come first
    screenshot(page, f"table-partnerships-{lang}-{width}")
    assert foreign_requests(page, live_server) == [] and page.errors == []
