"""The home page in real Chromium: it loads everything from this server and
runs no script that is not ours."""
from __future__ import annotations

from tests.support.browser import browser, foreign_requests, live_server, page  # noqa: F401 (fixtures)


def test_home_page_loads_only_from_this_server(page, live_server):
    page.goto(live_server.url("/?lang=sv"))
    assert page.locator("h1").inner_text() == "partnergraph"
    assert "Kommun" in page.content()
    assert foreign_requests(page, live_server) == []
    assert page.errors == []
