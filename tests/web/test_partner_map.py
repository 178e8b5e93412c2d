"""The partner map: /map?iri= and the map section of a municipality's page draw
the municipality and its partners where they have coordinates, link each point
to its page, list the partners without coordinates, and escape every name."""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from graph.views.partner_map import MIN_SPAN, frame_for

BASE = "https://w3id.org/partnergraph/id/"
BORLANGE = BASE + "municipality/se/borlange"
BORLANGE_PAGE = "/partnergraph/id/municipality/se/borlange"
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>"
HOSTILE_COUNTRY = '</title><script>alert(2)</script>"'
HOSTILE_COUNTRY_SPARQL = HOSTILE_COUNTRY.replace('"', '\\"')

# Coordinates as the twin-towns data set gives them.
PLACES = {
    "se/borlange": (60.4856, 15.4364),
    "no/larvik": (59.0811, 10.0164),
    "dk/frederikshavn": (57.441, 10.534),
    "ro/pitesti": (44.8606, 24.8678),
}


def text(response) -> str:
    return response.get_data(as_text=True)


def write(app, triples: str) -> None:
    from server.support.store import get_store
    with app.app_context():
        get_store().update(f"""
            PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
            PREFIX pg: <https://w3id.org/partnergraph/ontology#>
            PREFIX org: <http://www.w3.org/ns/org#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
            INSERT DATA {{ GRAPH <{BASE}graph/test-coordinates> {{ {triples} }} }}""")


def coordinates(places: dict[str, tuple[float, float]]) -> str:
    return " ".join(f'<{BASE}municipality/{key}> geo:lat "{lat}"^^xsd:decimal ; '
                    f'geo:long "{lon}"^^xsd:decimal .' for key, (lat, lon) in places.items())


@pytest.fixture
def located(app):
    """Borlänge and three of its six partners with coordinates."""
    write(app, coordinates(PLACES))
    return app


def svg_of(page: str, map_id: str = "partner-map") -> ET.Element:
    match = re.search(rf'<svg class="partner-map[^"]*" id="{map_id}".*?</svg>', page, re.S)
    assert match, "no map on the page"
    return ET.fromstring(match.group(0))


def points(svg: ET.Element, kind: str = "map-partner") -> dict[str, tuple[float, float]]:
    found = {}
    for link in svg.iter(f"{SVG}a"):
        if link.get("class") == kind:
            circle = link.find(f"{SVG}circle")
            found[link.get("data-iri")] = (float(circle.get("cx")), float(circle.get("cy")))
    return found


def view_box(svg: ET.Element) -> tuple[float, float]:
    _, _, width, height = map(float, svg.get("viewBox").split())
    return width, height


def test_partners_with_coordinates_are_drawn_where_the_projection_puts_them(located):
    svg = svg_of(text(located.test_client().get("/map", query_string={"iri": BORLANGE})))
    width, height = view_box(svg)
    partners = points(svg)
    (centre,) = points(svg, "map-centre").values()
    assert set(partners) == {BASE + "municipality/" + k for k in PLACES if k != "se/borlange"}
    at = {key: partners.get(BASE + "municipality/" + key, centre) for key in PLACES}
    for x, y in at.values():
        assert 0 < x < width and 0 < y < height
    # North is up, east is right.
    assert at["no/larvik"][0] < at["se/borlange"][0] < at["ro/pitesti"][0]
    north_to_south = ["se/borlange", "no/larvik", "dk/frederikshavn", "ro/pitesti"]
    assert [at[k][1] for k in north_to_south] == sorted(at[k][1] for k in north_to_south)
    # One scale for latitude; longitude shortened by the cosine of the middle latitude.
    per_degree = [(at[k][1] - at["se/borlange"][1]) / (PLACES["se/borlange"][0] - PLACES[k][0])
                  for k in ("no/larvik", "dk/frederikshavn", "ro/pitesti")]
    assert max(per_degree) - min(per_degree) < 0.01 * per_degree[0]
    middle = math.radians((44.8606 + 60.4856) / 2)
    east = (at["ro/pitesti"][0] - at["no/larvik"][0]) / (24.8678 - 10.0164)
    assert east == pytest.approx(per_degree[0] * math.cos(middle), rel=0.01)
    # Framed to the points, not to the world.
    xs, ys = [p[0] for p in at.values()], [p[1] for p in at.values()]
    assert (max(xs) - min(xs)) / width > 0.5 or (max(ys) - min(ys)) / height > 0.5


def test_a_worldwide_set_of_partners_gets_the_whole_world(app):
    write(app, coordinates({"se/borlange": (60.4856, 15.4364), "cn/wuhan": (30.5928, 114.3055),
                            "no/larvik": (59.0811, 10.0164)})
          + f' <{BASE}municipality/us/test-town> a pg:Municipality ; skos:prefLabel "Testtown"@en ;'
            f' geo:lat "40.0"^^xsd:decimal ; geo:long "-105.0"^^xsd:decimal .'
            f' <{BASE}partnership/test-world> a pg:Partnership ;'
            f' org:hasMember <{BORLANGE}>, <{BASE}municipality/us/test-town> .')
    svg = svg_of(text(app.test_client().get("/map", query_string={"iri": BORLANGE})))
    width, height = view_box(svg)
    # Plate carrée over 180°W-180°E and 58°S-84°N.
    for key, (lat, lon) in {"cn/wuhan": (30.5928, 114.3055),
                            "us/test-town": (40.0, -105.0)}.items():
        x, y = points(svg)[BASE + "municipality/" + key]
        assert x == pytest.approx((lon + 180) / 360 * width, abs=0.2)
        assert y == pytest.approx((84 - lat) / 142 * height, abs=0.2)
    assert width / height == pytest.approx(360 / 142, rel=0.01)


def test_each_point_links_to_its_page_with_name_and_country(located):
    client = located.test_client()
    svg = svg_of(text(client.get("/map", query_string={"iri": BORLANGE, "lang": "sv"})))
    links = {a.get("data-iri"): a for a in svg.iter(f"{SVG}a")}
    larvik = links[BASE + "municipality/no/larvik"]
    assert larvik.get("href") == "/partnergraph/id/municipality/no/larvik?lang=sv"
    assert larvik.find(f"{SVG}title").text == "Larvik, Norge"
    assert client.get(larvik.get("href")).status_code == 200
    assert links[BORLANGE].find(f"{SVG}title").text == "Borlänge, Sverige"
    assert links[BORLANGE].find(f"{SVG}text").text == "Borlänge"
    lines = list(svg.iter(f"{SVG}line"))
    assert len(lines) == 3


def test_partners_without_coordinates_are_named_and_counted(located):
    page = text(located.test_client().get("/map", query_string={"iri": BORLANGE, "lang": "en"}))
    assert "3 of 6 partners have coordinates." in page
    unlocated = re.search(r'<section class="map-unlocated".*?</section>', page, re.S).group(0)
    assert "3 partners have no coordinates:" in unlocated
    assert re.findall(r">([^<>]+)</a>", unlocated) == ["Chișinău", "Vestmannaeyjar", "Wuhan"]
    assert 'href="/partnergraph/id/municipality/cn/wuhan?lang=en"' in unlocated
    swedish = text(located.test_client().get("/map", query_string={"iri": BORLANGE, "lang": "sv"}))
    assert "3 samarbetspartner saknar koordinater:" in swedish


def test_the_municipality_page_shows_the_map_and_links_to_the_whole_of_it(located):
    page = text(located.test_client().get(BORLANGE_PAGE + "?lang=en"))
    svg = svg_of(page, "resource-map")
    assert len(points(svg)) == 3
    assert "Partners on the map" in page
    assert f'href="/map?iri={BORLANGE}&amp;lang=en"' in page


def test_no_map_on_a_page_when_nothing_has_coordinates(read_client):
    page = text(read_client.get(BORLANGE_PAGE))
    assert "Partners" in page and 'class="partner-map"' not in page
    only = text(read_client.get("/map", query_string={"iri": BORLANGE}))
    assert "Neither the municipality nor any of its partners has coordinates" in only
    assert "6 partners have no coordinates:" in only


def test_names_from_the_data_are_escaped_in_the_map_and_the_lists(app):
    evil, hidden = BASE + "municipality/zz/evil", BASE + "municipality/zz/hidden"
    write(app, coordinates(PLACES) + f"""
        <{BASE}country/ZZ> a pg:Country ; skos:prefLabel "{HOSTILE_COUNTRY_SPARQL}"@en .
        <{evil}> a pg:Municipality ; skos:prefLabel "{HOSTILE}"@en ; pg:country <{BASE}country/ZZ> ;
            geo:lat "50.0"^^xsd:decimal ; geo:long "20.0"^^xsd:decimal .
        <{hidden}> a pg:Municipality ; skos:prefLabel "<img src=x onerror=alert(3)>"@en .
        <{BASE}partnership/test-evil> a pg:Partnership ;
            org:hasMember <{BORLANGE}>, <{evil}>, <{hidden}> .""")
    client = app.test_client()
    for page in (text(client.get("/map", query_string={"iri": BORLANGE, "lang": "en"})),
                 text(client.get(BORLANGE_PAGE + "?lang=en"))):
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    page = text(client.get("/map", query_string={"iri": BORLANGE, "lang": "en"}))
    assert "&lt;img src=x onerror=alert(3)&gt;" in page
    svg = svg_of(page)
    point = next(a for a in svg.iter(f"{SVG}a") if a.get("data-iri") == evil)
    assert point.find(f"{SVG}title").text == f"{HOSTILE}, {HOSTILE_COUNTRY}"
    also = text(client.get("/map", query_string={"iri": evil}))
    assert "<script>alert" not in also and "&lt;script&gt;alert(1)" in also


def test_geojson_gives_the_points_in_longitude_latitude_order(located):
    data = located.test_client().get(
        "/map", query_string={"iri": BORLANGE, "format": "geojson"}).get_json(force=True)
    features = {f["id"]: f for f in data["features"]}
    assert features[BORLANGE]["properties"]["role"] == "municipality"
    larvik = features[BASE + "municipality/no/larvik"]
    assert larvik["geometry"]["coordinates"] == [10.0164, 59.0811]
    assert 330 < larvik["properties"]["distance_km"] < 350
    assert sorted(p["id"].rsplit("/", 1)[1] for p in data["unlocated"]) == [
        "chisinau", "vestmannaeyjar", "wuhan"]


def test_an_unknown_iri_is_the_not_found_page(read_client):
    response = read_client.get("/map", query_string={"iri": BASE + "municipality/se/nowhere"})
    assert response.status_code == 404
    assert "The graph holds nothing about this" in text(response)
    assert read_client.get("/map").status_code == 400
    assert read_client.get("/map", query_string={"iri": "not an iri"}).status_code == 400


def test_something_that_is_not_a_municipality_says_so(read_client):
    response = read_client.get("/map", query_string={"iri": BASE + "partnership/borlange-larvik",
                                                "lang": "en"})
    assert response.status_code == 404
    assert "partners of a municipality, region or other party" in text(response)


def test_a_single_point_is_framed_with_some_country_around_it():
    frame = frame_for([(15.4364, 60.4856)])
    assert frame.north - frame.south >= MIN_SPAN
    assert frame.west < 15.4364 < frame.east and frame.south < 60.4856 < frame.north
    assert not frame.world


def test_partners_across_the_pacific_are_framed_across_the_antimeridian():
    frame = frame_for([(174.76, -36.85), (-157.86, 21.31), (-149.57, -17.53)])
    assert not frame.world
    # Longitudes past 180 continue eastwards: Honolulu at 202.14 on this frame.
    assert frame.west < 174.76 and 360 - 157.86 < frame.east and frame.east - frame.west < 150
    x_auckland, _ = frame.project(174.76, -36.85)
    x_honolulu, _ = frame.project(-157.86, 21.31)
    assert 0 < x_auckland < x_honolulu < frame.width


def test_partners_all_round_the_world_get_the_world():
    assert frame_for([(-74.0, 40.7), (139.7, 35.7), (15.4, 60.5)]).world
    assert frame_for([]).world
