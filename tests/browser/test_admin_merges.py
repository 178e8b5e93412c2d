"""/admin/merges in Chromium at phone width: a steward gives the token and
confirms a merge by clicking, and the name leaves the pending list."""
from __future__ import annotations

import shutil

import pytest

from graph.ingest import datasets
from graph.ingest.bundled import open_initialised
from graph.settings import Settings
from tests.library.test_datasets import NAMESAKES, TWINS, cut_to
from tests.support.browser import browser, foreign_requests, page, start_live_server, stop_live_server  # noqa: F401

TOKEN = "browser-s3cret"
GOTEBORG = "https://w3id.org/partnergraph/id/municipality/se/goteborg"


@pytest.fixture(scope="module")
def token_server(tmp_path_factory, bundled_template):
    # A load of a few real rows of the twin towns, so that merges wait:
    # Gothenburg merged into Göteborg by another name, Löhne kept apart from Lohne.
    folder = tmp_path_factory.mktemp("merges")
    shutil.copytree(bundled_template, folder / "store")
    with pytest.MonkeyPatch.context() as monkeypatch:
        cut_to(NAMESAKES, folder / "datasets", monkeypatch)
        with open_initialised(Settings(store=str(folder / "store"))) as store:
            assert datasets.load(store, TWINS, agent="test")[0].ok
    server = start_live_server(folder, PARTNERGRAPH_TOKEN=TOKEN)
    yield server
    stop_live_server(server)


def test_a_merge_is_confirmed_by_clicking_at_390_px(page, token_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(token_server.url("/admin/merges?lang=en"))
    confirm = page.locator(f'button[value="confirm|SE|{GOTEBORG}|Gothenburg"]')
    assert confirm.is_visible()
    # Nothing is wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill('input[name="token"]', TOKEN)
    confirm.click()
    page.wait_for_selector("text=Decision recorded")
    assert page.locator(f'button[value="confirm|SE|{GOTEBORG}|Gothenburg"]').count() == 0
    assert page.locator('[role="status"]').inner_text().count("Gothenburg") == 1
    assert not page.errors and not foreign_requests(page, token_server)


def test_the_swedish_page_fits_a_phone_and_lists_the_new_places(page, token_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(token_server.url("/admin/merges?lang=sv"))
    assert page.locator("text=Skäl: hålls isär").first.is_visible()
    assert page.locator("a", has_text="Västra Götaland County").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("a", has_text="twin-towns-wikipedia").first.click()
    page.wait_for_selector("text=Fürth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.errors and not foreign_requests(page, token_server)
