"""The workbench (/query) in real Chromium: errors at their place, the query
kept through failures and reloads, the gallery, downloads that match the
table, and nothing fetched from elsewhere."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.support.browser import (  # noqa: F401 (fixtures)
    browser,
    foreign_requests,
    live_server,
    overflow,
    page,
    screenshot,
    start_live_server,
    stop_live_server,
)

BROKEN = "SELECT ?name WHERE {\n  ?m skos:prefLabel ?name\n  FILTER (\n}"


def run_and_wait(page):
    page.wait_for_selector(".wb.wb-is-done", timeout=30000)


def test_a_syntax_error_is_shown_at_its_line_and_the_query_survives(page, live_server):
    page.goto(live_server.url("/query?lang=en"))
    page.fill("#wb-q", BROKEN)
    page.keyboard.press("Control+Enter")
    error = page.locator(".wb-error")
    error.wait_for(state="visible")
    assert error.get_attribute("data-line") == "3" and error.get_attribute("data-column") == "10"
    assert page.locator(".wb-error-text").inner_text().startswith(
        "The '(' at line 3, column 10 is not closed before the '}' at line 4, column 1.")
    # The parser's own words are there, folded.
    raw = page.locator(".wb-error-raw")
    assert not raw.locator("pre").is_visible()
    raw.locator("summary").click()
    assert "line 4" in raw.locator("pre").inner_text()
    assert page.locator(".wb-highlight .tok-error-line").inner_text().strip() == "FILTER ("
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
    rows = page.locator(".rt-body .rt-row")
    first = rows.all_inner_texts()
    assert len(first) == 3 and any("Larvik" in r for r in first)
    link = page.locator(".rt-body a").first
    assert link.get_attribute("href").startswith("/partnergraph/id/municipality/")
    assert page.locator(".wb-status").get_attribute("data-rows") == "3"
    permalink = page.url
    assert "query=" in permalink
    page.goto(permalink)
    run_and_wait(page)
    page.wait_for_selector(".wb-panel[data-panel=table][data-labelled]")
    assert page.locator(".rt-body .rt-row").all_inner_texts() == first
    assert foreign_requests(page, live_server) == []
    assert page.errors == []


def download(page, fmt: str) -> str:
    with page.expect_download() as info:
        page.locator(f".wb-downloads button[data-format={fmt}]").click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_the_csv_download_holds_the_rows_of_the_json_answer(page, live_server):
    query = ("SELECT ?m ?name WHERE { ?m a pg:Municipality ; skos:prefLabel ?name "
             "FILTER (LANG(?name) = \"sv\") } ORDER BY ?name")
    page.goto(live_server.url("/query?lang=sv&query=" + quote(query)))
    run_and_wait(page)
    from_csv = [(r["m"], r["name"]) for r in csv.DictReader(io.StringIO(download(page, "csv")))]
    from_json = [(b["m"]["value"], b["name"]["value"])
                 for b in json.loads(download(page, "json"))["results"]["bindings"]]
    assert from_csv == from_json and len(from_json) == int(
        page.locator(".wb-status").get_attribute("data-rows"))
    assert page.errors == []


FIFTY_THOUSAND = ("SELECT ?a ?b WHERE { VALUES ?a { " + " ".join(map(str, range(250))) + " } "
                  "VALUES ?b { " + " ".join(map(str, range(200))) + " } }")


def test_an_answer_of_50000_rows_shows_sorts_finds_and_downloads_whole(page, live_server):
    page.goto(live_server.url("/query?lang=en"))
    page.fill("#wb-q", FIFTY_THOUSAND)
    page.keyboard.press("Control+Enter")
    run_and_wait(page)
    assert page.locator(".wb-status").get_attribute("data-rows") == "50000"
    # Only the rows in view are in the page.
    drawn = page.locator(".rt-body .rt-row").count()
    assert 10 < drawn < 100
    assert all(n.isdigit() for n in page.locator(".rt-body .rt-row").first.inner_text().split())
    timings = page.evaluate("() => window.partnergraphWorkbench.timings")
    print(f"50,000 rows: server {timings['server']} ms, then parse {timings['parse']:.0f} ms, "
          f"table {timings['table']:.0f} ms")
    page.locator(".rt-sort[data-var=b]").click()
    page.locator(".rt-sort[data-var=b]").click()
    assert page.locator(".rt-head [aria-sort=descending] .rt-sort").inner_text() == "b"
    assert page.locator(".rt-body .rt-row").first.inner_text().split()[1] == "199"
    page.locator(".rt-box").evaluate("box => { box.scrollTop = 30 * 25000; }")
    page.wait_for_function("() => document.querySelector('.rt-body .rt-row')"
                           ".getAttribute('aria-rowindex') > 24000")
    page.fill(".rt-filter", "137")
    page.wait_for_function("() => document.querySelector('.rt-count').dataset.shown !== '50000'")
    shown = int(page.locator(".rt-count").get_attribute("data-shown"))
    assert shown == 200 + 250 - 1       # a = 137 in 200 rows, b = 137 in 250, one both
    lines = download(page, "csv").strip().split("\n")
    assert len(lines) == 50001 and lines[0].strip() == "a,b"
    tsv = download(page, "tsv").strip().split("\n")
    assert len(tsv) == 50001
    assert len(json.loads(download(page, "json"))["results"]["bindings"]) == 50000
    assert page.errors == []


def test_completion_bars_network_and_snippets(page, live_server):
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
    # Names and numbers open as a bar chart.
    page.wait_for_selector(".wb[data-shown-view=bars]")
    assert page.locator(".wb-tab[data-panel=bars]").get_attribute("aria-selected") == "true"
    assert page.locator(".wb-panel[data-panel=bars] rect.rv-bar").count() >= 5

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


@pytest.fixture(scope="module")
def capped_server(tmp_path_factory, bundled_template):
    server = start_live_server(tmp_path_factory.mktemp("capped"), bundled_template,
                               PARTNERGRAPH_MAX_ROWS="5")
    yield server
    stop_live_server(server)


@pytest.mark.parametrize("lang, note", [("en", "cut off at 5"), ("sv", "avkortat till 5")])
def test_only_an_answer_the_cap_cut_carries_the_note(page, capped_server, lang, note):
    three = "SELECT ?n WHERE { VALUES ?n { 1 2 3 } }"
    page.goto(capped_server.url(f"/query?lang={lang}&query=" + quote(three)))
    run_and_wait(page)
    assert page.locator(".wb-status").get_attribute("data-rows") == "3"
    assert note not in page.locator(".wb-status").inner_text()
    five = "SELECT ?n WHERE { VALUES ?n { 1 2 3 4 5 } }"
    page.goto(capped_server.url(f"/query?lang={lang}&query=" + quote(five)))
    run_and_wait(page)
    assert note not in page.locator(".wb-status").inner_text()
    six = "SELECT ?n WHERE { VALUES ?n { 1 2 3 4 5 6 } }"
    page.goto(capped_server.url(f"/query?lang={lang}&query=" + quote(six)))
    run_and_wait(page)
    assert page.locator(".wb-status").get_attribute("data-rows") == "5"
    assert note in page.locator(".wb-status").inner_text()
    assert page.errors == []


@pytest.mark.parametrize("param", ["query", "q"])
def test_a_link_in_either_common_form_opens_and_runs_the_query(page, live_server, param):
    query = "SELECT ?n WHERE { VALUES ?n { 1 2 } }"
    page.goto(live_server.url(f"/query?lang=en&{param}=" + quote(query)))
    run_and_wait(page)
    assert page.input_value("#wb-q") == query
    assert page.input_value("#site-q") == ""
    assert page.locator(".wb-status").get_attribute("data-rows") == "2"


@pytest.mark.parametrize("lang", ["en", "sv"])
@pytest.mark.parametrize("width", [1280, 390])
def test_an_unknown_prefix_is_told_in_a_sentence_that_fits_the_window(page, live_server, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url(f"/query?lang={lang}"))
    page.fill("#wb-q", "SELECT ?s WHERE {\n  ?s foo:name ?o\n}")
    page.keyboard.press("Control+Enter")
    page.locator(".wb-error").wait_for(state="visible")
    said = page.locator(".wb-error-text").inner_text()
    assert said.startswith({"en": "Unknown prefix 'foo:' at line 2, column 6.",
                            "sv": "Okänt prefix 'foo:' på rad 2, kolumn 6."}[lang])
    page.locator(".wb-error-raw summary").click()
    assert overflow(page) == 0
    screenshot(page, f"workbench-error-{lang}-{width}")


BORLANGE = "https://w3id.org/partnergraph/id/municipality/se/borlange"
ON_A_MAP = f"""SELECT ?town ?lat ?long ?partner ?partnerLat ?partnerLong WHERE {{
  VALUES (?town ?lat ?long ?partner ?partnerLat ?partnerLong) {{
    (<{BORLANGE}> 60.48 15.43 <https://w3id.org/partnergraph/id/municipality/no/larvik> 59.05 10.03)
    (<{BORLANGE}> 60.48 15.43 <https://w3id.org/partnergraph/id/municipality/dk/frederikshavn> 57.44 10.54)
    (<{BORLANGE}> 60.48 15.43 <https://w3id.org/partnergraph/id/municipality/cn/wuhan> 30.59 114.31)
  }} }}"""
IN_TIME = """SELECT ?partnership ?start ?end WHERE { VALUES (?partnership ?start ?end) {
  (<https://w3id.org/partnergraph/id/partnership/borlange-larvik> 1947 UNDEF)
  (<https://w3id.org/partnergraph/id/partnership/borlange-wuhan> 2009 2019) } }"""


@pytest.mark.parametrize("lang", ["en", "sv"])
@pytest.mark.parametrize("width", [1280, 390])
def test_coordinates_open_as_a_map_and_years_as_a_timeline(page, live_server, lang, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url(f"/query?lang={lang}&query=" + quote(ON_A_MAP)))
    run_and_wait(page)
    page.wait_for_selector(".wb[data-shown-view=map]")
    panel = page.locator(".wb-panel[data-panel=map]")
    assert panel.is_visible() and panel.locator(".rv-point").count() == 4
    assert panel.locator(".map-routes line").count() == 3
    assert panel.locator(".map-land").get_attribute("d").startswith("M")
    assert overflow(page) == 0
    panel.scroll_into_view_if_needed()
    screenshot(page, f"workbench-map-{lang}-{width}", full_page=False)
    # The embed code follows the view on show.
    assert "view=map" in page.locator("#wb-embed .emb-code").input_value()
    page.locator("#wb-q").fill(IN_TIME)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".wb[data-shown-view=timeline]")
    timeline = page.locator(".wb-panel[data-panel=timeline]")
    assert timeline.locator(".rv-span").count() == 2 and timeline.locator(".rv-span-bar").count() == 1
    assert overflow(page) == 0
    timeline.scroll_into_view_if_needed()
    screenshot(page, f"workbench-timeline-{lang}-{width}", full_page=False)
    assert foreign_requests(page, live_server) == [] and page.errors == []


def test_the_editor_numbers_lines_matches_brackets_and_formats(page, live_server):
    query = ('select ?m ?name where { ?m a pg:Municipality ; skos:prefLabel ?name . '
             'filter(lang(?name) = "sv" && strstarts(?name, "B")) } order by ?name')
    page.goto(live_server.url("/query?lang=en"))
    page.fill("#wb-q", query)
    assert page.locator(".wb-gutter").inner_text().split() == ["1"]
    page.keyboard.press("Control+Enter")
    run_and_wait(page)
    # Names come after the rows: compare the tables once both are named.
    page.wait_for_selector(".wb-panel[data-panel=table][data-labelled]")
    before = page.locator(".rt-body .rt-row").all_inner_texts()
    rows = page.locator(".wb-status").get_attribute("data-rows")
    # The caret just after the first brace: it and its partner are marked.
    page.evaluate("() => { const ta = document.getElementById('wb-q'); ta.focus(); "
                  "ta.setSelectionRange(ta.value.indexOf('{') + 1, ta.value.indexOf('{') + 1); }")
    page.keyboard.press("Shift")
    assert page.locator(".wb-highlight .tok-bracket").all_inner_texts() == ["{", "}"]
    page.locator(".wb-format").click()
    formatted = page.input_value("#wb-q")
    assert formatted.startswith("SELECT ?m ?name\nWHERE {\n  ?m a pg:Municipality ;\n")
    assert "  FILTER(LANG(?name) = \"sv\" && STRSTARTS(?name, \"B\"))\n}\nORDER BY ?name" in formatted
    lines = formatted.split("\n")    # the line after the last newline counts too
    assert page.locator(".wb-gutter").inner_text().split() == [str(n) for n in range(1, len(lines) + 1)]
    page.locator(".wb-run").click()
    page.wait_for_function("() => document.querySelector('.wb-status').dataset.rows")
    run_and_wait(page)
    assert page.locator(".wb-status").get_attribute("data-rows") == rows
    # The previous run's table may still be marked as named: wait for the rows themselves.
    page.wait_for_function("""want => Array.from(document.querySelectorAll('.rt-body .rt-row'))
        .map(r => r.innerText).join('\\n--\\n') === want""", arg="\n--\n".join(before))
    assert page.locator(".rt-body .rt-row").all_inner_texts() == before
    assert page.errors == []


def test_resources_are_completed_by_name(page, live_server):
    page.goto(live_server.url("/query?lang=sv"))
    page.fill("#wb-q", "SELECT ?p WHERE { ?p org:hasMember Borl")
    page.focus("#wb-q")
    page.keyboard.press("End")
    page.keyboard.press("Control+Space")
    page.locator("#wb-complete .wb-name", has_text="Borlänge").first.wait_for()
    # The name that starts with what was typed comes first.
    first = page.locator("#wb-complete li").first
    assert first.locator(".wb-name").inner_text() == "Borlänge" and "Kommun" in first.inner_text()
    first.dispatch_event("mousedown")
    assert page.input_value("#wb-q").endswith(
        "?p org:hasMember <https://w3id.org/partnergraph/id/municipality/se/borlange>")
    page.keyboard.type(" }")
    page.keyboard.press("Control+Enter")
    run_and_wait(page)
    assert int(page.locator(".wb-status").get_attribute("data-rows")) >= 6
    assert page.errors == []


@pytest.mark.parametrize("lang, word, title", [
    ("sv", "sida", "Samarbeten som Sida finansierar"),
    ("en", "kenya", "Swedish municipalities with partners in a given country"),
])
def test_the_gallery_is_searchable(page, live_server, lang, word, title):
    page.goto(live_server.url(f"/query?lang={lang}"))
    page.fill("#wb-gallery-q", word)
    shown = page.locator(".wb-example:visible a").all_inner_texts()
    assert shown == [title]
    page.fill("#wb-gallery-q", "xyzzy")
    assert page.locator(".wb-example:visible").count() == 0
    assert page.locator(".wb-gallery-none").is_visible()
    page.fill("#wb-gallery-q", "")
    assert page.locator(".wb-example:visible").count() == page.locator(".wb-example").count()


def test_a_short_link_opens_the_same_query_and_a_huge_one_is_refused(page, live_server):
    query = "SELECT ?n WHERE { VALUES ?n { 1 2 3 } } # short"
    page.goto(live_server.url("/query?lang=en"))
    page.fill("#wb-q", query)
    page.locator(".wb-shorten").click()
    link = page.locator(".wb-short-url")
    link.wait_for()
    url = link.input_value()
    assert url.startswith(live_server.url("/q/")) and len(url.split("/q/")[1].split("?")[0]) == 10
    page.goto(url)
    run_and_wait(page)
    assert page.input_value("#wb-q") == query
    assert page.locator(".wb-status").get_attribute("data-rows") == "3"
    page.fill("#wb-q", "# " + "x" * 30000)
    page.locator(".wb-shorten").click()
    page.locator(".wb-error").wait_for(state="visible")
    assert "a short link keeps at most 20,000" in page.locator(".wb-error").inner_text()


def test_the_last_query_comes_back_and_a_first_visit_opens_an_example(page, live_server):
    page.goto(live_server.url("/query?lang=en"))
    first_example = page.locator(".wb-example").first.get_attribute("data-query")
    assert page.input_value("#wb-q") == first_example
    query = "SELECT ?n WHERE { VALUES ?n { 7 } }"
    page.fill("#wb-q", query)
    page.keyboard.press("Control+Enter")
    run_and_wait(page)
    page.goto(live_server.url("/query?lang=sv"))
    assert page.input_value("#wb-q") == query


def test_suggestions_asked_before_the_vocabulary_came_show_when_it_comes(page, live_server):
    # The page's first request for the vocabulary fails (a server restarting,
    # a dropped connection); Ctrl+Space asks again and shows the terms once
    # they come, instead of leaving completion empty for the page's life.
    asked = []

    def vocabulary(route):
        asked.append(route.request.url)
        if len(asked) == 1:
            route.abort()
        else:
            route.continue_()

    page.route("**/query/vocabulary.json*", vocabulary)
    page.goto(live_server.url("/query?lang=en"))
    page.wait_for_function("() => window.performance.getEntriesByType('resource').length > 0")
    page.focus("#wb-q")
    page.keyboard.press("Control+End")
    page.keyboard.type("\n# pg:Mun")
    page.keyboard.press("Control+Space")
    page.locator("#wb-complete").wait_for(state="visible")
    assert "pg:Municipality" in page.locator("#wb-complete").inner_text()
    assert len(asked) == 2


@pytest.mark.parametrize("lang", ["en", "sv"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_editor_with_its_suggestions_fits_the_window(page, live_server, lang, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url(f"/query?lang={lang}&query=" + quote(
        "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 8")))
    run_and_wait(page)
    page.wait_for_selector(".wb[data-shown-view=bars]")
    if width == 1280:
        # The answer starts on the first screen.
        assert page.locator(".wb-tabs").bounding_box()["y"] < 800
    page.focus("#wb-q")
    page.keyboard.press("Control+End")
    page.keyboard.type("\n# pg:Mun")
    page.keyboard.press("Control+Space")
    page.locator("#wb-complete").wait_for(state="visible")
    assert overflow(page) == 0
    screenshot(page, f"workbench-editor-{lang}-{width}", full_page=False)
    assert page.errors == []
