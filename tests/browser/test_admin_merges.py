"""/admin/merges in Chromium at phone width: a steward gives the token and
confirms a merge by clicking, and the name leaves the pending list."""
from __future__ import annotations

import pytest

from tests.support.browser import browser, foreign_requests, page, start_live_server, stop_live_server  # noqa: F401

TOKEN = "browser-s3cret"
BORLANGE = "https://w3id.org/partnergraph/id/municipality/se/borlange"


@pytest.fixture(scope="module")
def token_server(tmp_path_factory, bundled_template):
    server = start_live_server(tmp_path_factory.mktemp("merges"), bundled_template, PARTNERGRAPH_TOKEN=TOKEN)
    yield server
    stop_live_server(server)


def test_a_merge_is_confirmed_by_clicking_at_390_px(page, token_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(token_server.url("/admin/merges?lang=en"))
    confirm = page.locator(f'button[value="confirm|SE|{BORLANGE}|Borlänge"]')
    assert confirm.is_visible()
    # Nothing is wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill('input[name="token"]', TOKEN)
    confirm.click()
    page.wait_for_selector("text=Decision recorded")
    assert page.locator(f'button[value="confirm|SE|{BORLANGE}|Borlänge"]').count() == 0
    assert page.locator('[role="status"]').inner_text().count("Borlänge") == 1
    assert not page.errors and not foreign_requests(page, token_server)
