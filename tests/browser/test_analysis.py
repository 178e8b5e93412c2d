"""The analysis pages in real Chromium: charts drawn, tables filled, the path
found from a municipality's page, nothing fetched from elsewhere."""
from __future__ import annotations

from tests.support.browser import browser, foreign_requests, live_server, page  # noqa: F401 (fixtures)


def test_overview_draws(page, live_server):
    page.goto(live_server.url("/analysis?lang=en"))
    assert page.locator("svg.bar-chart").count() == 5
    assert page.locator("svg.bar-chart rect").count() > 5
    assert page.locator("table.centrality tbody tr").count() >= 10
    assert page.locator("table.centrality tbody tr").first.locator("a").first.inner_text() == "Borlänge"
    assert page.locator("ol.communities li.community").count() >= 2
    assert foreign_requests(page, live_server) == []
    assert page.errors == []


def test_from_a_municipality_to_the_path(page, live_server):
    page.goto(live_server.url("/partnergraph/id/municipality/se/ljusdal?lang=sv"))
    assert page.locator(".analysis-resource .similar-list li").count() >= 2
    page.locator(".analysis-resource input[name=to]").fill("Borlänge")
    page.locator(".analysis-resource button[type=submit]").click()
    page.wait_for_url("**/analysis/path?**")
    text = page.locator(".path-text").first.inner_text()
    assert text.startswith("Ljusdal — partnerskap med Kisumu och Mombasa")
    assert "tema Demokrati" in text and text.endswith("Borlänge")
    page.locator(".path-steps a", has_text="Demokrati").first.click()
    page.wait_for_url("**/theme/democracy**")
    assert foreign_requests(page, live_server) == []
    assert page.errors == []


def test_similar_page(page, live_server):
    page.goto(live_server.url("/analysis/similar?iri=Borlänge&lang=en"))
    assert page.locator("ol.alike li").count() >= 3
    assert page.locator("ol.candidates li").count() >= 1
    assert foreign_requests(page, live_server) == []
    assert page.errors == []
