"""YASGUI, self-hosted on another origin (another port) as an organisation
would host it, in real Chromium against the service's /sparql: an update with
a write token lands in the store, a query shows its rows, an update without a
token shows the server's own words, and a page that asks the browser to send
cookies along is refused by the browser."""
from __future__ import annotations

import functools
import json
import shutil
import threading
import urllib.parse
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.browser import (  # noqa: F401 (fixtures)
    browser,
    page,
    screenshot,
    start_live_server,
    stop_live_server,
)
from tests.support.yasgui import bundle

TOKEN = "yasgui-write-token"
NOTE = "https://w3id.org/partnergraph/id/note/from-yasgui"
LABEL = "Written from YASGUI"
INSERT = (f'INSERT DATA {{ GRAPH <https://w3id.org/partnergraph/id/graph/yasgui-notes> '
          f'{{ <{NOTE}> <http://www.w3.org/2000/01/rdf-schema#label> "{LABEL}" }} }}')
PAGE = Path(__file__).resolve().parents[1] / "support" / "yasgui_page"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def service(tmp_path_factory, bundled_template):
    server = start_live_server(tmp_path_factory.mktemp("yasgui-service"), bundled_template,
                               PARTNERGRAPH_TOKEN=TOKEN)
    yield server
    stop_live_server(server)


@pytest.fixture(scope="module")
def other_origin(tmp_path_factory):
    """The YASGUI page, served from a port of its own: another origin."""
    folder = tmp_path_factory.mktemp("yasgui-page")
    for source in [*PAGE.iterdir(), *bundle().iterdir()]:
        shutil.copy(source, folder / source.name)
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def open_yasgui(page, other_origin: str, service, token: str | None = None) -> None:
    params = {"endpoint": service.url("/sparql"), **({"token": token} if token else {})}
    page.goto(f"{other_origin}/index.html?{urllib.parse.urlencode(params)}")
    page.wait_for_selector(".yasqe .CodeMirror")


def run(page, text: str):
    """Type `text` into YASGUI's editor and press its run button, as a
    person does; returns the answer /sparql gave (none, so a time-out, when
    the browser blocked the request)."""
    page.evaluate("text => window.yasgui.getTab().getYasqe().setValue(text)", text)
    with page.expect_response(lambda r: r.url.endswith("/sparql") and r.request.method == "POST",
                              timeout=15000) as answer:
        page.click(".yasqe_queryButton")
    return answer.value


def labels_in_store(service) -> list[str]:
    query = f"SELECT ?label WHERE {{ <{NOTE}> ?p ?label }}"
    url = service.url("/sparql?" + urllib.parse.urlencode({"query": query}))
    with urllib.request.urlopen(url, timeout=30) as response:
        return [row["label"]["value"] for row in json.load(response)["results"]["bindings"]]


def own_or_page(page, *origins: str) -> list[str]:
    return [url for url in page.requests if not url.startswith((*origins, "data:", "blob:"))]


def test_yasgui_elsewhere_writes_with_a_token_and_then_finds_what_it_wrote(page, service,
                                                                         other_origin):
    open_yasgui(page, other_origin, service, TOKEN)
    answer = run(page, INSERT)
    assert answer.status == 204, answer.text()
    assert labels_in_store(service) == [LABEL]

    answer = run(page, f"SELECT ?label WHERE {{ <{NOTE}> ?p ?label }}")
    assert answer.status == 200
    page.wait_for_selector(".yasr table.dataTable td")
    assert LABEL in page.locator(".yasr table.dataTable").inner_text()
    screenshot(page, "yasgui-query-after-update")
    assert own_or_page(page, other_origin, service.url("/")) == []
    assert not [e for e in page.errors if "CORS" in e or "Access-Control" in e]


def test_yasgui_without_a_token_shows_which_header_to_send(page, service, other_origin):
    open_yasgui(page, other_origin, service)
    before = labels_in_store(service)
    answer = run(page, INSERT.replace("from-yasgui", "without-token"))
    assert answer.status == 401
    error = page.locator(".yasr .errorResult")
    error.wait_for()
    assert "Writes need the header `Authorization: Bearer <token>`" in error.inner_text()
    screenshot(page, "yasgui-update-without-token")
    assert labels_in_store(service) == before


def test_a_page_elsewhere_that_sends_cookies_along_is_refused_by_the_browser(page, service,
                                                                             other_origin):
    open_yasgui(page, other_origin, service, TOKEN)
    refused = page.evaluate("""([endpoint, token, update]) => fetch(endpoint, {
        method: "POST", credentials: "include",
        headers: {"Authorization": "Bearer " + token, "Content-Type": "application/sparql-update"},
        body: update}).then(() => "answered", error => String(error))""",
        [service.url("/sparql"), TOKEN, INSERT.replace("from-yasgui", "with-cookies")])
    assert refused.startswith("TypeError")
    assert any("credentials mode" in e and "'include'" in e for e in page.errors), page.errors
    query = "ASK { <https://w3id.org/partnergraph/id/note/with-cookies> ?p ?o }"
    url = service.url("/sparql?" + urllib.parse.urlencode({"query": query}))
    with urllib.request.urlopen(url, timeout=30) as response:
        assert json.load(response)["boolean"] is False


def test_a_page_elsewhere_puts_a_graph_with_a_token_by_the_graph_store(page, service,
                                                                       other_origin):
    open_yasgui(page, other_origin, service, TOKEN)
    statuses = page.evaluate("""async ([urls, token]) => {
        const answers = [];
        for (const url of urls) {
            const answer = await fetch(url, {method: "PUT", body: '<urn:x:a> <urn:x:b> "c" .',
                headers: {"Authorization": "Bearer " + token, "Content-Type": "text/turtle"}});
            answers.push(answer.status);
        }
        return answers;
    }""", [[service.url("/store?graph=https://w3id.org/partnergraph/id/graph/put-from-elsewhere"),
            service.url("/partnergraph/id/graph/put-by-address")], TOKEN])
    assert statuses == [201, 201]
    for name in ("put-from-elsewhere", "put-by-address"):
        with urllib.request.urlopen(urllib.request.Request(
                service.url(f"/partnergraph/id/graph/{name}"), headers={"Accept": "text/turtle"})) as r:
            assert b'"c"' in r.read()
