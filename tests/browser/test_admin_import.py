"""/admin/import in Chromium, at phone and desktop width, as a steward uses
it: the token typed once, the summary first with the triples folded away,
a confirmation that asks for nothing again, the chosen language kept
throughout, a page that shows it is working, and nothing wider than the
screen."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from graph.store.write_tokens import add_token, graph_names
from tests.support.browser import (  # noqa: F401
    browser,
    foreign_requests,
    page,
    screenshot,
    start_live_server,
    stop_live_server,
)
from tests.support.browser import overflow as browser_overflow
from tests.support.csv_files import BASE, partnership_rows, write_csv

TOKEN = "browser-import-s3cret"
# Where the screenshots go, to be looked at by a person after the run.
SHOTS = Path(os.environ.get("PARTNERGRAPH_SCREENSHOTS", "/tmp/partnergraph-screenshots"))
WORDS = {
    "sv": {"check": "Kontrollera", "summary": "Sammanfattning", "confirm": "Bekräfta import",
           "done": "Importerat", "working": "Laddar upp och kontrollerar"},
    "en": {"check": "Check", "summary": "Summary", "confirm": "Confirm import",
           "done": "Imported", "working": "Uploading and checking"},
}


@pytest.fixture(scope="module")
def import_server(tmp_path_factory, bundled_template):
    folder = tmp_path_factory.mktemp("import")
    _, limited = add_token(folder / "tokens.toml", "anna", graph_names(["anna"], BASE))
    server = start_live_server(folder, bundled_template, PARTNERGRAPH_TOKEN=TOKEN,
                               PARTNERGRAPH_TOKENS_FILE=str(folder / "tokens.toml"))
    server.limited = limited
    yield server
    stop_live_server(server)


@pytest.fixture(scope="module")
def sheet(tmp_path_factory) -> Path:
    rows = partnership_rows(40, broken=False)
    rows[4]["partner_municipality"] = "<b>Partnerort</b> 4"
    rows[6]["notes"] = "En mycket lång anteckning utan mellanslag: " + "x" * 300
    return write_csv(tmp_path_factory.mktemp("sheet") / "partners.csv", rows)


def overflow(page) -> int:
    """How much wider than the window the page is, in CSS pixels."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_steward_checks_then_confirms_with_the_token_typed_once(page, import_server, sheet, lang, width):
    words = WORDS[lang]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(import_server.url(f"/admin/import?lang={lang}"))
    assert overflow(page) <= 0
    page.set_input_files('input[name="file"]', str(sheet))
    page.fill('input[name="graph"]', f"{BASE}graph/browser-{lang}-{width}")
    page.fill('input[name="token"]', TOKEN)
    page.get_by_role("button", name=words["check"]).click()
    page.wait_for_selector(".import-summary")

    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h2").first.inner_text() == words["summary"]
    summary = page.locator(".import-summary")
    assert "40" in summary.inner_text() and summary.is_visible()
    # The summary comes first; the triples are folded, and closed.
    triples = page.locator("details.fold", has=page.locator("pre.diff"))
    assert summary.bounding_box()["y"] < triples.bounding_box()["y"]
    assert not page.locator("pre.diff").is_visible()
    assert page.locator(".findings.warnings li").count() == 1
    assert overflow(page) <= 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"import-review-{lang}-{width}.png"), full_page=True)
    # Opened, the long IRIs wrap inside the page.
    triples.locator("summary").click()
    assert page.locator("pre.diff").is_visible() and overflow(page) <= 0
    page.locator("pre.diff").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"import-triples-{lang}-{width}.png"))
    # Nothing is asked again at the confirmation.
    assert page.locator('input[name="token"]').count() == 0
    page.get_by_role("button", name=words["confirm"]).click()
    page.wait_for_selector(".state.written")
    assert words["done"] in page.locator(".state.written").inner_text()
    assert page.locator("html").get_attribute("lang") == lang and overflow(page) <= 0
    page.screenshot(path=str(SHOTS / f"import-done-{lang}-{width}.png"), full_page=True)
    assert not page.errors and not foreign_requests(page, import_server)


def test_the_page_shows_how_far_the_check_has_come(page, import_server, sheet):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(import_server.url("/admin/import?lang=sv"))
    page.set_input_files('input[name="file"]', str(sheet))
    page.fill('input[name="token"]', TOKEN)
    # A slow network (1.5 kB/s down) holds the server's answer back once it
    # has come; meanwhile the page asks the server how far it has come.
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": 1500, "uploadThroughput": -1})
    page.get_by_role("button", name=WORDS["sv"]["check"]).click()
    working = page.locator(".working")
    expect(working).to_be_visible()
    assert WORDS["sv"]["working"] in working.inner_text()
    assert "partners.csv" in working.inner_text() and "MB" in working.inner_text()
    # The stages the server went through, in Swedish, each ticked off.
    stages = page.locator(".working-stages li.passed")
    expect(stages.filter(has_text="Läser raderna")).to_have_count(1, timeout=60_000)
    expect(stages.filter(has_text="Kontrollerar mot formerna")).to_have_count(1, timeout=60_000)
    expect(page.locator(".working-time")).not_to_have_text("0:00", timeout=5000)
    assert page.locator("progress").is_visible() and overflow(page) <= 0
    page.screenshot(path=str(SHOTS / "import-working-sv-390.png"))
    # Once come, the answer takes the page's place, still in Swedish.
    page.wait_for_selector(".import-summary", timeout=120_000)
    assert page.locator("h2").first.inner_text() == WORDS["sv"]["summary"]
    assert page.locator("html").get_attribute("lang") == "sv"
    assert not page.errors


def test_a_token_for_another_graph_is_told_so_in_swedish_on_the_page(page, import_server, sheet):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(import_server.url("/admin/import?lang=sv"))
    page.set_input_files('input[name="file"]', str(sheet))
    page.fill('input[name="token"]', import_server.limited)
    page.get_by_role("button", name=WORDS["sv"]["check"]).click()
    refusal = page.locator(".refusal")
    refusal.wait_for()
    assert "Token ”anna” får inte skriva grafen" in refusal.inner_text()
    assert f"{BASE}graph/partners" in refusal.inner_text()
    assert "Authorization" not in page.content() and overflow(page) <= 0
    page.screenshot(path=str(SHOTS / "import-refused-sv-390.png"))


@pytest.fixture(scope="module")
def broken_sheet(tmp_path_factory) -> Path:
    base = dict(partnership_rows(1, broken=False)[0], municipality="Ljusdal", partner_municipality="Larvik",
                partner_country="NO", kind="vänort", themes="", funders="", start_year="", status="",
                source_url="", notes="")
    rows = [dict(base, source_url="example.org/" + "lång-sökväg-utan-mellanslag-" * 8),
            dict(base, start_year="20l1"),
            dict(base, partner_country="Atlantis"),
            dict(base, kind="best friends"),
            dict(base, partner_municipality="Chișinău", partner_country="Moldavien", themes="Stickning")]
    return write_csv(tmp_path_factory.mktemp("broken") / "partners.csv", rows)


# What each language's review says of the sheet's problems, and words of
# the other language that must not be there.
SAID = {
    "sv": (["rad 2, kolumn ”source_url”", "är ingen webbadress.", "Så rättar du:", "rad 3, kolumn ”start_year”",
            "”20l1” är inget årtal.", "”Atlantis” är inget land som grafen känner till.",
            "”best friends” är ingen känd typ av samarbete.", "”Stickning” är inget tema i temaschemat."],
           ["row ", "column ", " is not ", " is no ", "How to fix it", "Fix:"]),
    "en": (["row 2, column 'source_url'", "is not a web address.", "How to fix it:", "row 3, column 'start_year'",
            "'20l1' is not a year.", "'Atlantis' is no country the graph knows.",
            "'best friends' is not a known kind.", "'Stickning' is not a theme of the theme scheme."],
           ["rad ", "kolumn ", " är ", "Så rättar du"]),
}


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_sheet_s_problems_are_told_in_the_page_s_language_and_fit_a_phone(
        page, import_server, broken_sheet, lang, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(import_server.url(f"/admin/import?lang={lang}"))
    page.set_input_files('input[name="file"]', str(broken_sheet))
    page.fill('input[name="token"]', TOKEN)
    page.get_by_role("button", name=WORDS[lang]["check"]).click()
    page.wait_for_selector(".findings.problems")
    problems = page.locator(".findings.problems")
    assert page.locator(".findings.problems li").count() == 5
    text = " ".join(problems.inner_text().split())
    expected, foreign = SAID[lang]
    for words in expected:
        assert words in text, (words, text)
    for words in foreign:
        assert words not in text, (words, text)
    # No part of the list is marked as being in another language.
    assert problems.locator("[lang]").count() == 0
    assert page.locator("html").get_attribute("lang") == lang
    assert browser_overflow(page) <= 0
    screenshot(page, f"import-problems-{lang}-{width}")
    # The browser logs the answer's status (422: the file has problems); nothing else.
    assert [error for error in page.errors if "422" not in error] == []
    assert not foreign_requests(page, import_server)
