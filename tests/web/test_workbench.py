"""The workbench's page (/query) and what /sparql tells it, through Flask's
test client: links in either common form open the query, the site search
box stays the site's, and a query that does not parse is told in the
reader's language with the parser's text after it."""
from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest

QUERY = 'SELECT ?m WHERE { ?m a pg:Municipality ; skos:prefLabel "Borlänge"@sv }'


def editor_text(page: str) -> str:
    match = re.search(r'<textarea id="wb-q"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert match
    return html.unescape(match.group(1))


@pytest.mark.parametrize("param", ["query", "q"])
def test_a_link_with_query_or_q_opens_the_query_in_the_editor(read_client, param):
    page = read_client.get(f"/query?{param}={quote(QUERY)}&lang=en").get_data(as_text=True)
    assert editor_text(page) == QUERY
    box = re.search(r'<input id="site-q"[^>]*value="([^"]*)"', page)
    assert box and box.group(1) == ""


def test_a_hostile_query_in_the_link_stays_text(read_client):
    hostile = '</textarea><script>alert(1)</script>'
    page = read_client.get(f"/query?query={quote(hostile)}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and editor_text(page) == hostile


@pytest.mark.parametrize("lang, start", [
    ("en", "The '(' at line 3, column 10 is not closed before the '}' at line 4, column 1."),
    ("sv", "'(' på rad 3, kolumn 10 stängs inte före '}' på rad 4, kolumn 1."),
])
def test_a_query_that_does_not_parse_is_told_in_the_readers_language(read_client, lang, start):
    broken = "SELECT ?name WHERE {\n  ?m skos:prefLabel ?name\n  FILTER (\n}"
    answer = read_client.post("/sparql", data={"query": broken}, headers={"Accept-Language": lang})
    friendly, _, raw = answer.get_data(as_text=True).partition("\n\n")
    assert answer.status_code == 400 and friendly.startswith(start)
    assert raw.startswith({"en": "The parser's own words: ", "sv": "Parserns eget besked: "}[lang])
    assert "line 4" in raw


@pytest.mark.parametrize("query, start", [
    ("SELCT ?s WHERE { ?s ?p ?o }", "Unknown word 'SELCT' at line 1, column 1. Did you mean SELECT?"),
    ("SELECT * WHERE { ?s ?p ?o  ?a ?b ?c }", "A '.' is missing before '?a' at line 1, column 28"),
    ("SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o }",
     "?s at line 1, column 8 is selected but neither grouped nor counted. Add it to GROUP BY"),
    ('SELECT * WHERE { ?s ?p "open }', "The text that starts with \" at line 1, column 24 is never closed"),
    ("SELECT * WHERE { ?s ?p ?o }}", "The '}' at line 1, column 28 closes nothing"),
    ("SELECT (1 AS ?y) ?y WHERE { }", "?y at line 1, column 18 is named twice in SELECT"),
    ("", "The query is empty."),
])
def test_common_mistakes_get_a_short_message_with_the_fix(read_client, query, start):
    answer = read_client.post("/sparql?lang=en", data={"query": query})
    assert answer.status_code == 400
    assert answer.get_data(as_text=True).startswith(start)


BORLANGE = "https://w3id.org/partnergraph/id/municipality/se/borlange"
LARVIK = "https://w3id.org/partnergraph/id/municipality/no/larvik"
ON_A_MAP = f"""SELECT ?town ?lat ?long ?partner ?partnerLat ?partnerLong WHERE {{
  VALUES (?town ?lat ?long ?partner ?partnerLat ?partnerLong) {{
    (<{BORLANGE}> 60.48 15.43 <{LARVIK}> 59.05 10.03)
    (<{BORLANGE}> 60.48 15.43 <https://w3id.org/partnergraph/id/municipality/dk/frederikshavn> 57.44 10.54)
  }} }}"""
IN_TIME = """SELECT ?partnership ?start ?end WHERE { VALUES (?partnership ?start ?end) {
  (<https://w3id.org/partnergraph/id/partnership/borlange-larvik> 1947 UNDEF)
  (<https://w3id.org/partnergraph/id/partnership/borlange-wuhan> 2009 2019)
  ("A meeting" "2011-09-26"^^xsd:date UNDEF) } }"""


def test_coordinates_open_as_a_map_with_a_line_per_pair(read_client):
    answer = read_client.post("/query/view?lang=sv", data={"query": ON_A_MAP, "view": "auto"}).get_json()
    assert answer["view"] == "map"
    html = answer["html"]
    assert html.count('class="rv-point"') == 3 and html.count("<line ") == 2
    assert "<title>Larvik</title>" in html and 'class="map-land"' in html
    assert '<iframe src="http://localhost/embed/query?query=' in answer["snippet"]
    assert "view=map" in answer["snippet"]


def test_dates_open_as_a_timeline_and_any_view_can_be_asked_for(read_client):
    answer = read_client.post("/query/view?lang=en", data={"query": IN_TIME, "view": "auto"}).get_json()
    assert answer["view"] == "timeline" and answer["html"].count('class="rv-span"') == 3
    # A span from its start to its end, a mark for a start alone, labels by name.
    assert answer["html"].count('class="rv-span-bar"') == 1
    assert "Borlänge–Larvik <tspan" in answer["html"] and "2009 – 2019" in answer["html"]
    bars = read_client.post("/query/view?lang=en", data={"query": IN_TIME, "view": "bars"}).get_json()
    assert "A bar chart needs one column of names and one of numbers." in bars["html"]
    asked = read_client.post("/query/view", data={"query": "#defaultView:Table\n" + ON_A_MAP,
                                                  "view": "auto"}).get_json()
    assert asked["view"] == "table" and asked["html"] == ""
    refused = read_client.post("/query/view", data={"query": IN_TIME, "view": "pie"})
    assert refused.status_code == 400


def test_counts_open_as_bars_and_years_with_numbers_as_lines(read_client):
    counts = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 5"
    bars = read_client.post("/query/view?lang=en", data={"query": counts, "view": "auto"}).get_json()
    assert bars["view"] == "bars" and bars["html"].count('class="rv-bar"') == 5
    series = ("SELECT ?x ?y ?s WHERE { VALUES (?x ?y ?s) { (1 2 'a') (2 3 'a') (3 5 'a') "
              "(1 1 'b') (2 2 'b') } }")
    lines = read_client.post("/query/view?lang=en", data={"query": series, "view": "lines"}).get_json()
    assert lines["html"].count("<path d=") == 2 and '<li class="rv-series-1">b</li>' in lines["html"]


def test_a_view_embeds_and_its_link_is_known_to_oembed(read_client):
    embed = read_client.get("/embed/query", query_string={"query": ON_A_MAP, "lang": "en"})
    assert embed.status_code == 200 and b'class="rv-map"' in embed.data
    assert "frame-ancestors" in embed.headers["Content-Security-Policy"]
    table = read_client.get("/embed/query", query_string={"query": IN_TIME, "view": "table"})
    assert table.status_code == 200 and table.data.count(b"<tr>") == 4
    found = read_client.get("/oembed", query_string={
        "url": "http://localhost/query?query=" + quote(ON_A_MAP) + "&lang=sv"}).get_json()
    assert found["type"] == "rich" and "/embed/query?query=" in found["html"]


def test_hostile_labels_stay_text_in_a_drawn_view(read_client):
    query = 'SELECT ?name ?n WHERE { VALUES (?name ?n) { ("<script>alert(1)</script>" 3) } }'
    html = read_client.post("/query/view", data={"query": query, "view": "bars"}).get_json()["html"]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_short_link_keeps_the_query_and_refuses_an_abusive_length(client):
    query = "SELECT ?n WHERE { VALUES ?n { 1 } }"
    made = client.post("/query/short", data={"query": query}).get_json()
    again = client.post("/query/short", data={"query": query}).get_json()
    assert made == again and made["url"] == f"http://localhost/q/{made['id']}"
    opened = client.get(f"/q/{made['id']}?lang=sv")
    assert opened.status_code == 302
    assert editor_text(client.get(opened.headers["Location"]).get_data(as_text=True)) == query
    too_long = client.post("/query/short", data={"query": "#" * 20001}, headers={"Accept": "application/json"})
    assert too_long.status_code == 413 and "at most 20,000" in too_long.get_json()["error"]
    empty = client.post("/query/short", data={"query": "  "}, headers={"Accept": "application/json"})
    assert empty.status_code == 400
    missing = client.get("/q/nosuchlink?lang=en")
    assert missing.status_code == 404 and "There is no short link nosuchlink" in missing.get_data(as_text=True)


def test_resources_are_found_by_name_for_completion(read_client):
    found = read_client.get("/query/entities.json?q=borl&lang=sv").get_json()
    assert found[0] == {"iri": BORLANGE, "label": "Borlänge", "kind": "Kommun", "country": "Sverige"}
    assert read_client.get("/query/entities.json?q=b").get_json() == []
