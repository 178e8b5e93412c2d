"""The network in real Chromium: clicking a node, expanding it, filtering
/explore, all from this server and without console errors (a CSP violation
is one)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.support.browser import browser, foreign_requests, live_server, page  # noqa: F401 (fixtures)

BASE = "https://w3id.org/partnergraph/id/"
BORLANGE = BASE + "municipality/se/borlange"


def open_network(page, url):
    page.goto(url)
    page.wait_for_selector(".net-is-ready", timeout=30000)


def node_ids(page):
    return set(page.evaluate("() => window.partnergraphNetwork.nodes.getIds()"))


def click_node(page, iri):
    """Click the pixel where vis-network drew the node."""
    point = page.evaluate("""(id) => {
        const net = window.partnergraphNetwork.network;
        net.focus(id, {scale: 1.0});
        return net.canvasToDOM(net.getPosition(id));
    }""", iri)
    box = page.locator(".net-canvas canvas").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_click_opens_the_panel_and_expand_adds_neighbours(page, live_server):
    open_network(page, live_server.url("/explore?lang=sv&theme=democracy"))
    before = node_ids(page)
    assert BORLANGE in before
    click_node(page, BORLANGE)
    panel = page.locator(".net-panel")
    panel.wait_for(state="visible")
    assert panel.locator("h3").inner_text() == "Borlänge"
    assert panel.locator(".net-open").get_attribute("href").startswith(
        "/partnergraph/id/municipality/se/borlange")
    panel.locator(".net-expand").click()
    page.wait_for_function("(n) => window.partnergraphNetwork.nodes.length > n", arg=len(before))
    after = node_ids(page)
    assert before < after
    assert BASE + "municipality/cn/wuhan" in after
    # The text companion follows the drawing.
    page.locator(".net-text summary").click()
    assert "Wuhan" in page.locator(".net-tables").inner_text()
    assert foreign_requests(page, live_server) == []
    assert page.errors == []


def test_filtering_by_theme_is_in_the_url_and_survives_a_reload(page, live_server):
    open_network(page, live_server.url("/explore?lang=sv"))
    everything = node_ids(page)
    assert BASE + "project/nordic-culture-cooperation" in everything
    page.select_option("#f-theme", "democracy")
    page.wait_for_url("**theme=democracy**")
    page.wait_for_selector(".net-is-ready", timeout=30000)
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"lang": ["sv"], "theme": ["democracy"]}
    filtered = node_ids(page)
    activities = page.evaluate("""() => window.partnergraphNetwork.nodes.get()
        .filter(n => ['project', 'event', 'partnership'].includes(n.group)).map(n => n.label)""")
    assert sorted(activities) == ["Borlänge–Chișinău", "Kommunalt partnerskap Ljusdal–Kisumu–Mombasa",
                                  "Ungdoms- och demokratiprojekt"]
    assert BASE + "project/nordic-culture-cooperation" not in filtered
    assert page.locator(".net-matching").inner_text() == "3"

    page.reload()
    page.wait_for_selector(".net-is-ready", timeout=30000)
    assert node_ids(page) == filtered
    assert page.locator("#f-theme").input_value() == "democracy"
    assert foreign_requests(page, live_server) == []
    assert page.errors == []


def test_search_focuses_a_node_and_layout_is_the_same_each_load(page, live_server):
    open_network(page, live_server.url("/explore?lang=en"))
    first = page.evaluate("(id) => window.partnergraphNetwork.network.getPosition(id)", BORLANGE)
    page.fill(".net-find input", "wuh")
    page.locator(".net-find button").click()
    panel = page.locator(".net-panel")
    panel.wait_for(state="visible")
    assert panel.locator("h3").inner_text() == "Wuhan"
    page.reload()
    page.wait_for_selector(".net-is-ready", timeout=30000)
    again = page.evaluate("(id) => window.partnergraphNetwork.network.getPosition(id)", BORLANGE)
    assert abs(first["x"] - again["x"]) < 1 and abs(first["y"] - again["y"]) < 1
    assert page.errors == []
