"""The web service as it stands on the foundation: health, and a home page
that tells what the graph holds."""
from __future__ import annotations

import re
import subprocess

import pytest

from graph.rdf.formats import RDF, RESULTS
from server.support import negotiation
from tests.support.processes import free_port, partnergraph_command, subprocess_env, wait_for_http


def test_healthz_reports_ok_and_the_data_version(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["store"] == "embedded"
    from server.support.store import get_store
    with app.app_context():
        assert body["data_version"] == get_store().data_version


def counts_on(page: str) -> dict[str, int]:
    return {cls.rsplit("#", 1)[-1]: int(n) for cls, n in
            re.findall(r'data-class="([^"]+)">(\d+)<', page)}


def test_home_counts_what_the_graph_holds(read_client):
    page = read_client.get("/?lang=en").get_data(as_text=True)
    counts = counts_on(page)
    # The seeds' 10 municipalities and the 290 Swedish ones (Borlänge and Ljusdal in both).
    assert counts["Municipality"] == 298
    assert counts["Partnership"] == 7
    assert counts["Funder"] == 2
    assert counts["Country"] == 249
    assert "Besök från Norge, Danmark och Moldavien" in page
    assert "Förberedelsefas för kommunalt partnerskap" in page


def test_home_speaks_swedish_when_asked(read_client):
    swedish = read_client.get("/?lang=sv").get_data(as_text=True)
    assert '<html lang="sv">' in swedish and "Källor" in swedish and "Kommun" in swedish
    by_header = read_client.get("/", headers={"Accept-Language": "sv-SE,sv;q=0.9,en;q=0.5"})
    assert '<html lang="sv">' in by_header.get_data(as_text=True)
    assert '<html lang="en">' in read_client.get("/").get_data(as_text=True)


def test_pages_forbid_foreign_scripts_and_framing(read_client):
    response = read_client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'self'" in policy
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_load_nothing_from_other_hosts(read_client):
    page = read_client.get("/").get_data(as_text=True)
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert not re.match(r"(https?:)?//", url), url


def test_an_unknown_page_is_a_404_page(read_client):
    response = read_client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_labels_from_data_are_escaped(app, client, tmp_path):
    from server.support.store import get_store
    with app.app_context():
        get_store().update("""INSERT DATA { GRAPH <http://example.org/evil> {
          <http://example.org/s> a pg:Source ; dcterms:title "<script>alert(1)</script>" .
          <http://example.org/evil> prov:wasDerivedFrom <http://example.org/s> } }""")
    page = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.slow
def test_serve_command_answers_healthz_on_a_new_store(tmp_path):
    import json
    import urllib.request
    port = free_port()
    process = subprocess.Popen(
        [*partnergraph_command(), "serve", "--port", str(port)],
        env=subprocess_env(PARTNERGRAPH_STORE=str(tmp_path / "store")),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", process, timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
            assert json.load(response)["status"] == "ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?lang=sv") as response:
            assert "Borlänge" in response.read().decode()
        # A second service on the same port is refused, not let in to share it.
        second = subprocess.run(
            [*partnergraph_command(), "serve", "--port", str(port)],
            env=subprocess_env(PARTNERGRAPH_STORE=str(tmp_path / "other")),
            capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert f"Cannot serve on 127.0.0.1:{port}: Address already in use" in second.stderr
        assert not (tmp_path / "other").exists()
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.slow
def test_serve_says_why_it_cannot_open_a_store_in_use(tmp_path):
    from graph.settings import Settings
    from graph.store.open import open_store

    holder = open_store(Settings(store=str(tmp_path / "store")))
    try:
        done = subprocess.run(
            [*partnergraph_command(), "serve", "--port", str(free_port())],
            env=subprocess_env(PARTNERGRAPH_STORE=str(tmp_path / "store")),
            capture_output=True, text=True, timeout=60)
    finally:
        holder.close()
    assert done.returncode == 1
    assert "partnergraph: error: The store in" in done.stderr
    assert "is open in another process" in done.stderr


def test_pages_carry_an_etag_and_answer_304_until_the_data_changes(app, client):
    from server.support.store import get_store
    first = client.get("/partnergraph/id/municipality/se/borlange?lang=en")
    etag = first.headers["ETag"]
    again = client.get("/partnergraph/id/municipality/se/borlange?lang=en",
                       headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    with app.app_context():
        get_store().update('INSERT DATA { GRAPH <https://w3id.org/partnergraph/id/graph/x> { '
                           '<https://w3id.org/partnergraph/id/municipality/se/borlange> '
                           '<http://www.w3.org/2004/02/skos/core#altLabel> "Borlänge stad"@sv } }')
    changed = client.get("/partnergraph/id/municipality/se/borlange?lang=en",
                         headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_the_site_search_box_keeps_only_what_was_searched(read_client):
    workbench = read_client.get("/query?q=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D&lang=en")
    box = re.search(r'<input id="site-q"[^>]*value="([^"]*)"', workbench.get_data(as_text=True))
    assert box and box.group(1) == ""
    searched = read_client.get("/search?q=borl&lang=en")
    box = re.search(r'<input id="site-q"[^>]*value="([^"]*)"', searched.get_data(as_text=True))
    assert box and box.group(1) == "borl"


def test_content_negotiation_offers_the_formats_of_the_one_format_table():
    assert {media for media, _, _ in negotiation.GRAPH} == {m for f in RDF for m in f.media_types}
    assert {media for media, _, _ in negotiation.SOLUTIONS} == {m for f in RESULTS for m in f.media_types}
    assert {name for _, _, names in negotiation.GRAPH for name in names} == {n for f in RDF for n in f.names}


def test_a_kept_page_is_never_given_for_another_format_and_a_write_shows_at_once(app, client):
    from server.support.store import get_store
    url = "/partnergraph/id/municipality/se/borlange?lang=en"
    html = [client.get(url, headers={"Accept": "text/html"}) for _ in range(2)]
    assert all(r.status_code == 200 and r.mimetype == "text/html" for r in html)
    assert html[0].data == html[1].data
    turtle = client.get(url, headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle" and b"<html" not in turtle.data
    assert client.get(url, headers={"Accept": "text/html"}).data == html[0].data
    with app.app_context():
        get_store().update('INSERT DATA { GRAPH <https://w3id.org/partnergraph/id/graph/x> { '
                           '<https://w3id.org/partnergraph/id/municipality/se/borlange> '
                           '<http://www.w3.org/2004/02/skos/core#altLabel> "Borlänge stad"@sv } }')
    assert "Borlänge stad" in client.get(url, headers={"Accept": "text/html"}).get_data(as_text=True)
