"""Which view an answer opens in, as the Wikidata Query Service chooses:
the query's #defaultView comment, else its variables."""
from __future__ import annotations

import pytest

from graph.views.result_views import choose_view, coordinate_pairs, time_columns

XSD = "http://www.w3.org/2001/XMLSchema#"


def lit(value, datatype="string"):
    return {"type": "literal", "value": str(value), "datatype": XSD + datatype}


def uri(value):
    return {"type": "uri", "value": value}


@pytest.mark.parametrize("text, names, rows, view", [
    ("#defaultView:Map\nSELECT ?x WHERE {}", ["x"], [{"x": lit("a")}], "map"),
    ("  # defaultView: LineChart\nSELECT", ["x"], [{"x": lit("a")}], "lines"),
    ("#defaultView:BarChart", ["x"], [], "bars"),
    ("#defaultView:Timeline", ["x"], [], "timeline"),
    ("SELECT", ["m", "lat", "long"], [{"m": uri("u"), "lat": lit(59, "decimal"), "long": lit(15, "decimal")}], "map"),
    ("SELECT", ["p", "partnerLat", "partnerLon"], [{"p": uri("u")}], "map"),
    ("SELECT", ["e", "date"], [{"e": uri("u"), "date": lit("2011-05-04", "date")}], "timeline"),
    ("SELECT", ["p", "year"], [{"p": uri("u"), "year": lit(1995, "integer")}], "timeline"),
    ("SELECT", ["c", "n"], [{"c": uri("u"), "n": lit(3, "integer")}], "bars"),
    ("SELECT", ["source", "target"], [{"source": uri("a"), "target": uri("b")}], "graph"),
    ("SELECT", ["a", "b"], [{"a": uri("a"), "b": lit("b")}], "table"),
    ("SELECT", ["n"], [{"n": lit(3, "integer")}], "table"),
])
def test_the_view_is_the_one_asked_for_or_the_one_the_variables_suggest(text, names, rows, view):
    assert choose_view(text, "solutions", names, rows) == view


def test_a_graph_opens_as_a_network_and_an_unknown_view_name_is_ignored():
    assert choose_view("CONSTRUCT {} WHERE {}", "graph", [], []) == "graph"
    assert choose_view("#defaultView:Dimensions\nSELECT", "solutions", ["a"], [{"a": uri("u")}]) == "table"


def test_coordinate_pairs_are_matched_by_what_surrounds_lat_and_long():
    assert coordinate_pairs(["town", "lat", "long", "partner", "partnerLat", "partnerLong"]) == [
        ("lat", "long", ""), ("partnerLat", "partnerLong", "partner")]
    assert coordinate_pairs(["latitude", "longitude"]) == [("latitude", "longitude", "")]
    assert coordinate_pairs(["lat"]) == []


def test_a_column_is_a_time_column_only_if_every_value_is_a_date_or_a_year():
    rows = [{"year": lit(1990, "integer"), "n": lit(4, "integer")}, {"year": lit(2001, "integer")}]
    assert time_columns(["year", "n"], rows) == ["year"]
    assert time_columns(["year"], [{"year": lit("soon")}]) == []
