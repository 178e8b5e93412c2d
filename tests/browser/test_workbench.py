"""The workbench (/query) in real Chromium: errors at their place, the query
kept through failures and reloads, the gallery, downloads that match the
table, and nothing fetched from elsewhere."""
from __future__ import annotations

import csv
import io
import json
import urllib.request
from urllib.parse import quote

from tests.support.browser import browser, foreign_requests, live_server, page  # noqa: F401 (fixtures)

BROKEN = "SELECT ?name WHERE {\n  ?m skos:prefLabel ?name\n  FILTER (\n}"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def run_and_wait(page):
    page.wait_for_selector(".wb.wb-is-done", timeout=30000)


def test_a_syntax_error_is_shown_at_its_line_and_the_query_survives(page, live_server):
    page.goto(live_server.url("/query?lang=en"))
    page.fill("#wb-q", BROKEN)
    page.keyboard.press("Control+Enter")
    error = page.locator(".wb-error")
    error.wait_for(state="visible")
    assert error.get_attribute("data-line") == "4"
    assert "Error on line 4" in error.inner_text()
    assert page.locator(".wb-highlight .tok-error-line").inner_text().strip() == "}"
    assert page.input_value("#wb-q") == BROKEN
    # Typed further but not run: the draft survives a reload too.
    page.fill("#wb-q", BROKEN + " # draft")
    page.reload()
    page.wait_for_selector(".wb-error:not([hidden])")
    assert page.input_value("#wb-q") == BROKEN + " # draft"
    assert foreign_requests(page, live_server) == []
    # Chromium logs every 4xx answer to a fetch; the protocol's 400 is the
    # answer the page shows, so that line is the only error allowed.
    assert all(e.startswith("Failed to load resource: the server responded with a status of 400")
               for e in page.errors)


def test_a_gallery_example_runs_and_its_permalink_reproduces_it(page, live_server):
    page.goto(live_server.url("/query?lang=en"))
    page.locator('.wb-example[data-name="01-twin-towns"] a').click()
    run_and_wait(page)
    page.wait_for_selector(".wb-panel[data-panel=table][data-labelled]")
    rows = page.locator(".wb-table tbody tr")
    first = rows.all_inner_texts()
    assert len(first) == 3 and any("Larvik" in r for r in first)
    link = page.locator(".wb-table tbody a").first
    assert link.get_attribute("href").startswith("/partnergraph/id/municipality/")
    assert page.locator(".wb-status").get_attribute("data-rows") == "3"
    permalink = page.url
    assert "q=" in permalink
    page.goto(permalink)
    run_and_wait(page)
    page.wait_for_selector(".wb-panel[data-panel=table][data-labelled]")
    assert page.locator(".wb-table tbody tr").all_inner_texts() == first
    assert foreign_requests(page, live_server) == []
    assert page.errors == []


def test_the_csv_download_holds_the_rows_of_the_json_answer(page, live_server):
    query = ("SELECT ?m ?name WHERE { ?m a pg:Municipality ; skos:prefLabel ?name "
             "FILTER (LANG(?name) = \"sv\") } ORDER BY ?name")
    page.goto(live_server.url("/query?lang=sv&q=" + quote(query)))
    run_and_wait(page)
    csv_href = page.locator(".wb-downloads a[data-format=csv]").get_attribute("href")
    json_href = page.locator(".wb-downloads a[data-format=json]").get_attribute("href")
    from_csv = [(r["m"], r["name"]) for r in csv.DictReader(io.StringIO(fetch(live_server.url(csv_href))))]
    from_json = [(b["m"]["value"], b["name"]["value"])
                 for b in json.loads(fetch(live_server.url(json_href)))["results"]["bindings"]]
    assert from_csv == from_json and len(from_json) == int(
        page.locator(".wb-status").get_attribute("data-rows"))
    assert page.errors == []


def test_completion_chart_network_and_snippets(page, live_server):
    page.goto(live_server.url("/query?lang=en"))
    page.fill("#wb-q", "SELECT * WHERE { ?m a pg:Mun")
    page.wait_for_function("() => window.partnergraphWorkbench.editor.vocabulary.terms.length > 0")
    page.focus("#wb-q")
    page.keyboard.press("End")
    page.keyboard.press("Control+Space")
    popup = page.locator("#wb-complete")
    popup.wait_for(state="visible")
    assert "pg:Municipality" in popup.inner_text()
    page.keyboard.press("Enter")
    assert page.input_value("#wb-q").endswith("pg:Municipality")

    page.locator('.wb-example[data-name="10-things-by-class"] a').click()
    run_and_wait(page)
    page.locator(".wb-tab[data-panel=chart]").click()
    assert page.locator(".wb-chart rect.bar").count() >= 5

    page.locator('.wb-example[data-name="13-theme-tree"] a').click()
    run_and_wait(page)
    page.locator(".wb-tab[data-panel=network]").click()
    page.wait_for_selector(".wb-panel .net-is-ready", timeout=30000)
    assert page.evaluate("() => window.partnergraphNetwork.nodes.length") > 3
    snippets = page.locator(".wb-snippet-list").text_content()
    assert "SPARQLWrapper(\"" + live_server.url("/sparql") in snippets
    assert "curl" in snippets and "library(httr)" in snippets and "fetch(" in snippets
    assert foreign_requests(page, live_server) == []
    assert page.errors == []
