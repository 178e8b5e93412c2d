"""Every page and view in real Chromium, with hostile labels in the store:
the labels show as text, no script of theirs runs, and no request leaves
this server."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.support.browser import browser, foreign_requests, page, start_live_server, stop_live_server  # noqa: F401
from tests.support.processes import partnergraph_command, subprocess_env

BASE = "https://w3id.org/partnergraph/id/"
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_THEME = "<script>alert(2)</script>"
EVIL = f"""
@prefix pg: <https://w3id.org/partnergraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<municipality/se/evil> a pg:Municipality ; skos:prefLabel "{HOSTILE}"@sv, "{HOSTILE}"@en ;
    pg:country <country/SE> .
<theme/evil> a pg:Theme, skos:Concept ; skos:prefLabel "{HOSTILE_THEME}"@sv, "{HOSTILE_THEME}"@en ;
    skos:broader <theme/democracy> .
<partnership/evil> a pg:Partnership ; skos:prefLabel "{HOSTILE}"@sv ;
    pg:kind pg:TwinTown ; pg:theme <theme/evil> ;
    org:hasMember <municipality/se/evil>, <municipality/se/borlange> .
"""

PAGES = [
    "/?lang=sv",
    "/?lang=en",
    "/search?q=img&lang=sv",
    "/search?q=script&lang=en",
    "/partnergraph/id/municipality/se/evil?lang=sv",
    "/partnergraph/id/partnership/evil?lang=en",
    "/partnergraph/id/theme/evil?lang=sv",
    "/partnergraph/id/municipality/se/borlange?lang=sv",
    "/explore?lang=sv",
    "/explore?lang=en&theme=democracy",
    "/ontology?lang=sv",
    "/sparql",
    "/partnergraph/id/nothing/here?lang=sv",
    "/embed/network?focus=https://w3id.org/partnergraph/id/municipality/se/evil&lang=sv",
    "/embed/explore?lang=en&theme=democracy",
]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory, bundled_template):
    folder = tmp_path_factory.mktemp("hostile")
    shutil.copytree(bundled_template, folder / "store")
    evil = folder / "evil.ttl"
    evil.write_text(EVIL, encoding="utf-8")
    store = str(folder / "store")
    loaded = subprocess.run([*partnergraph_command(), "load", str(evil)], capture_output=True,
                            text=True, env=subprocess_env(PARTNERGRAPH_STORE=store), timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    server = start_live_server(folder)
    yield server
    stop_live_server(server)


@pytest.mark.parametrize("path", PAGES)
def test_hostile_labels_are_text_and_nothing_leaves_the_server(page, hostile_server, path):
    page.goto(hostile_server.url(path))
    if page.locator(".net-canvas").count():
        page.wait_for_selector(".net-is-ready", timeout=30000)
        if page.locator(".emb-tools").count():
            page.locator(".emb-tools").click()  # an embed folds its list away
        page.locator(".net-text summary").first.click()
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("() => document.querySelectorAll('script:not([src])').length") == 0
    assert foreign_requests(page, hostile_server) == []
    assert not any(url.endswith("/x") for url in page.requests)
    shown = page.locator("body").inner_text()
    if "evil" in path or "search" in path or "embed" in path:
        assert HOSTILE in shown or HOSTILE_THEME in shown


def test_the_network_tooltip_and_panel_show_hostile_labels_as_text(page, hostile_server):
    page.goto(hostile_server.url("/partnergraph/id/municipality/se/evil?lang=sv"))
    page.wait_for_selector(".net-is-ready", timeout=30000)
    evil = BASE + "municipality/se/evil"
    title = page.evaluate("(id) => window.partnergraphNetwork.nodes.get(id).title", evil)
    assert isinstance(title, str) and title.startswith(HOSTILE)
    page.evaluate("""(id) => {
        const net = window.partnergraphNetwork.network;
        net.selectNodes([id]);
        net.body.emitter.emit('click', {nodes: [id], edges: [], event: {}, pointer: {}});
    }""", evil)
    panel = page.locator(".net-panel")
    panel.wait_for(state="visible")
    assert panel.locator("h3").inner_text() == HOSTILE
    assert page.locator("img[src='x']").count() == 0
    assert page.dialogs == []
