"""The network in real Chromium: clicking a node, expanding it, filtering
/explore, going from the world to one partnership at 1280 and 390 px, all
from this server and without console errors (a CSP violation is one)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

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
    page.locator(".net-canvas").scroll_into_view_if_needed()
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
    page.locator(".net-filter-box summary").click()
    page.select_option("#f-theme", "democracy")
    page.wait_for_url("**theme=democracy**")
    page.wait_for_selector(".net-is-ready", timeout=30000)
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"lang": ["sv"], "theme": ["democracy"]}
    filtered = node_ids(page)
    activities = page.evaluate("""() => window.partnergraphNetwork.nodes.get()
        .filter(n => ['project', 'event', 'partnership'].includes(n.group)).map(n => n.name)""")
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


# -- from the world to one partnership, on Wikipedia's Nordic twin towns -----

@pytest.fixture(scope="module")
def nordic_server(tmp_path_factory, nordic_template):
    server = start_live_server(tmp_path_factory.mktemp("nordic-live"), nordic_template)
    yield server
    stop_live_server(server)


@pytest.fixture
def phone(browser):
    """A page in a 390 px phone's window, with touch."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def point_of(page, script, arg):
    page.locator(".net-canvas").scroll_into_view_if_needed()
    point = page.evaluate(script, arg)
    box = page.locator(".net-canvas canvas").bounding_box()
    return box["x"] + point["x"], box["y"] + point["y"]


NODE_POINT = """(id) => {
    const net = window.partnergraphNetwork.network;
    net.focus(id, {scale: 1.0});
    return net.canvasToDOM(net.getPosition(id));
}"""

# A point on an edge, with both its ends in sight, where a click picks that
# edge (vis-network's own hit test): on a phone another node can sit at the
# middle of a line, and a large node can cover a short one's end.
EDGE_POINT = """(id) => {
    const w = window.partnergraphNetwork, e = w.edges.get(id), net = w.network;
    net.fit({nodes: [e.from, e.to]});
    const all = net.getPositions();
    const a = net.canvasToDOM(all[e.from]), b = net.canvasToDOM(all[e.to]);
    const others = Object.keys(all).filter(k => k !== e.from && k !== e.to)
        .map(k => net.canvasToDOM(all[k]));
    let best = null, room = -1;
    for (let t = 0.05; t < 0.96; t += 0.05) {
        const p = {x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t};
        if (net.getNodeAt(p) !== undefined || net.getEdgeAt(p) !== id) continue;
        const near = Math.min(...others.map(o => Math.hypot(o.x - p.x, o.y - p.y)), 1e9);
        if (near > room) { room = near; best = p; }
    }
    return best;
}"""


def touch(page, x, y):
    if page.context.pages and page.viewport_size["width"] < 500:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


def open_item(page, script, id):
    touch(page, *point_of(page, script, id))
    panel = page.locator(".net-panel")
    panel.wait_for(state="visible")
    return panel


def go_closer(page, panel, url_part):
    panel.locator(".net-drill").click()
    page.wait_for_url(f"**{url_part}**")
    page.wait_for_selector(".net-is-ready", timeout=30000)


def edge_between(page, a, b):
    return page.evaluate("""([a, b]) => window.partnergraphNetwork.edges.get()
        .filter(e => (e.from === a && e.to === b) || (e.from === b && e.to === a))[0].id""", [a, b])


def panel_beside_the_drawing(page):
    canvas = page.locator(".net-canvas").bounding_box()
    panel = page.locator(".net-panel").bounding_box()
    apart = (panel["x"] >= canvas["x"] + canvas["width"] - 1
             or panel["y"] >= canvas["y"] + canvas["height"] - 1)
    return apart


@pytest.mark.parametrize("width", [1280, 390], ids=["1280", "390"])
def test_a_click_goes_from_the_world_to_a_country_a_pair_a_place_and_a_partnership(
        request, nordic_server, width):
    page = request.getfixturevalue("phone" if width == 390 else "page")
    open_network(page, nordic_server.url("/explore?lang=en"))
    assert page.locator(".net-view-title").inner_text() == "Cooperation between countries"
    sweden, germany = BASE + "country/SE", BASE + "country/DE"

    panel = open_item(page, NODE_POINT, sweden)
    assert panel.locator("h3").inner_text() == "Sweden"
    assert panel_beside_the_drawing(page)
    screenshot(page, f"explore-world-panel-en-{width}", full_page=False)
    go_closer(page, panel, "view=country&country=SE")
    assert page.locator(".net-view-title").inner_text() == "Sweden and the countries it cooperates with"

    panel = open_item(page, EDGE_POINT, edge_between(page, sweden, germany))
    assert panel.locator("h3").inner_text().startswith("Germany–Sweden: Twin town")
    go_closer(page, panel, "view=pair&a=DE&b=SE")
    assert page.locator(".net-view-title").inner_text() == "Cooperation Germany–Sweden"
    screenshot(page, f"explore-pair-en-{width}", full_page=False)
    names = page.evaluate("() => window.partnergraphNetwork.nodes.get().map(n => n.name)")
    assert {"Alvesta", "Lengede"} <= set(names)

    alvesta = BASE + "municipality/se/alvesta"
    panel = open_item(page, NODE_POINT, alvesta)
    assert panel.locator("h3").inner_text() == "Alvesta"
    go_closer(page, panel, "focus=")
    assert page.locator(".net-view-title").inner_text() == "Alvesta and its partners"
    assert page.locator(".net-crumbs").inner_text().split("\n")[:2] == [
        "Cooperation between countries", "Sweden"]

    lengede = BASE + "municipality/de/lengede"
    panel = open_item(page, EDGE_POINT, edge_between(page, alvesta, lengede))
    assert "Lengede" in panel.locator("h3").inner_text()
    go_closer(page, panel, "partnership")
    members = page.evaluate("() => window.partnergraphNetwork.nodes.get().map(n => n.name)")
    assert {"Alvesta", "Lengede"} <= set(members)
    screenshot(page, f"explore-partnership-en-{width}", full_page=True)

    # The back button returns to the place's view.
    page.go_back()
    page.wait_for_selector(".net-is-ready", timeout=30000)
    assert page.locator(".net-view-title").inner_text() == "Alvesta and its partners"
    assert overflow(page) == 0
    assert page.errors == []


def test_escape_closes_the_panel_and_the_legend_hides_a_kind(page, live_server):
    open_network(page, live_server.url("/explore?lang=sv"))
    click_node(page, BORLANGE)
    panel = page.locator(".net-panel")
    panel.wait_for(state="visible")
    assert panel_beside_the_drawing(page)
    page.keyboard.press("Escape")
    panel.wait_for(state="hidden")
    themes = page.locator('.net-legend-item[data-key="theme"]')
    themes.click()
    assert themes.get_attribute("aria-pressed") == "false"
    hidden = page.evaluate("""() => window.partnergraphNetwork.nodes.get()
        .filter(n => n.group === 'theme').every(n => n.hidden)""")
    assert hidden
    themes.click()
    assert page.evaluate("""() => window.partnergraphNetwork.nodes.get()
        .filter(n => n.group === 'theme').every(n => !n.hidden)""")
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 390], ids=["1280", "390"])
def test_every_country_of_the_world_is_named_at_the_fitted_zoom_or_closer(
        request, nordic_server, width):
    page = request.getfixturevalue("phone" if width == 390 else "page")
    open_network(page, nordic_server.url("/explore?view=world&lang=sv"))
    unnamed = page.evaluate("""() => window.partnergraphNetwork.nodes.get()
        .filter(n => !n.label).map(n => n.id)""")
    total = page.evaluate("() => window.partnergraphNetwork.nodes.length")
    assert len(unnamed) < total
    # Zooming in on a country, step by step as a visitor would, brings its
    # name: the labels follow each zoom once the frame is drawn.
    closest = page.evaluate("""async (ids) => {
        const w = window.partnergraphNetwork, frame = () => new Promise(
            done => requestAnimationFrame(() => requestAnimationFrame(done)));
        const needed = {};
        for (const id of ids) {
            needed[id] = null;
            for (const scale of [2, 4, 8]) {
                w.network.focus(id, {scale});
                await frame(); await frame();
                if (w.nodes.get(id).label) { needed[id] = scale; break; }
            }
        }
        return needed;
    }""", unnamed)
    assert [iri for iri, scale in closest.items() if scale is None] == []
    assert page.errors == []


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_bundled_default_view_is_labelled_where_labels_fit(page, live_server, lang):
    open_network(page, live_server.url(f"/explore?lang={lang}"))
    shown = page.evaluate("""() => window.partnergraphNetwork.nodes.get()
        .filter(n => n.label).map(n => n.name)""")
    total = page.evaluate("() => window.partnergraphNetwork.nodes.length")
    # Half the drawing or more carries its names at the fitted zoom, the
    # largest nodes' first, none on top of another.
    assert len(shown) >= total * 0.5
    assert "Borlänge" in shown
    assert "Ljusdal" in shown
    screenshot(page, f"explore-bundled-{lang}-1280", full_page=False)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_on_a_phone_the_drawing_starts_on_the_first_screen(page, live_server, lang):
    page.set_viewport_size({"width": 390, "height": 844})
    open_network(page, live_server.url(f"/explore?lang={lang}"))
    # 250 px of the drawing or more show before any scrolling.
    assert page.locator(".net-canvas").bounding_box()["y"] <= 844 - 250
    assert overflow(page) == 0
    # The find field's label is not shown there, but still names the field.
    name = "Hitta i nätverket" if lang == "sv" else "Find in the network"
    find = page.get_by_label(name, exact=True)
    assert find.is_visible() and find.get_attribute("placeholder") == name
    screenshot(page, f"explore-phone-{lang}-390", full_page=False)
