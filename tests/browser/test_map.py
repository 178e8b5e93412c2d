"""The partner map in real Chromium: a coordinator opens Borlänge's page, sees
its partners on the map, follows one, and nothing is fetched from elsewhere."""
from __future__ import annotations

import urllib.parse
import urllib.request

import pytest

from tests.support.browser import browser, foreign_requests, page, start_live_server, stop_live_server  # noqa: F401 (fixtures)

TOKEN = "map-test-token"
BASE = "https://w3id.org/partnergraph/id/"
BORLANGE_PAGE = "/partnergraph/id/municipality/se/borlange?lang=en"
# Coordinates as the twin-towns data set gives them; Wuhan is left without.
PLACES = {
    "se/borlange": (60.4856, 15.4364),
    "no/larvik": (59.0811, 10.0164),
    "dk/frederikshavn": (57.441, 10.534),
    "is/vestmannaeyjar": (63.4167, -20.2833),
    "ro/pitesti": (44.8606, 24.8678),
    "md/chisinau": (47.0228, 28.8353),
}


@pytest.fixture(scope="module")
def map_server(tmp_path_factory, bundled_template):
    server = start_live_server(tmp_path_factory.mktemp("map"), bundled_template, PARTNERGRAPH_TOKEN=TOKEN)
    turtle = "\n".join(
        f'<{BASE}municipality/{key}> <http://www.w3.org/2003/01/geo/wgs84_pos#lat> {lat} ; '
        f'<http://www.w3.org/2003/01/geo/wgs84_pos#long> {lon} .'
        for key, (lat, lon) in PLACES.items())
    graph = urllib.parse.quote(BASE + "graph/test-coordinates", safe="")
    request = urllib.request.Request(
        server.url(f"/store?graph={graph}"), data=turtle.encode(), method="PUT",
        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request) as response:
        assert response.status in (200, 201, 204)
    yield server
    stop_live_server(server)


def test_a_municipality_page_maps_its_partners_and_a_point_leads_to_the_partner(page, map_server):
    page.goto(map_server.url(BORLANGE_PAGE))
    figure = page.locator("#resource-map")
    figure.scroll_into_view_if_needed()
    assert figure.is_visible()
    box = figure.bounding_box()
    assert box["width"] > 500 and box["height"] > 200
    assert page.locator("#resource-map .map-land").bounding_box()["width"] > 100

    partners = page.locator("#resource-map a.map-partner")
    assert partners.count() == len(PLACES) - 1
    assert page.locator("#resource-map a.map-centre text").text_content() == "Borlänge"
    pitesti = page.locator(f'#resource-map a.map-partner[data-iri="{BASE}municipality/ro/pitesti"]')
    assert pitesti.locator("title").text_content() == "Pitești, Romania"

    pitesti.locator("circle").click()
    page.wait_for_url("**/partnergraph/id/municipality/ro/pitesti**")
    assert page.locator("h1").inner_text() == "Pitești"

    assert foreign_requests(page, map_server) == []
    assert page.errors == []


def test_the_map_page_lists_the_partner_without_coordinates(page, map_server):
    page.goto(map_server.url(BORLANGE_PAGE))
    page.locator("a.map-open").click()
    page.wait_for_url("**/map?**")
    assert page.locator("#partner-map a.map-partner").count() == len(PLACES) - 1
    assert page.locator(".map-unlocated h2").inner_text() == "1 partner has no coordinates:"
    page.locator(".map-unlocated a", has_text="Wuhan").click()
    page.wait_for_url("**/municipality/cn/wuhan**")
    assert foreign_requests(page, map_server) == []
    assert page.errors == []
