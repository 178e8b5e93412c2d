"""Stored queries (queries/*.rq) over the Flask client: their pages and data
URLs, typed parameters, and values that try to become query text."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from graph.sparql.bindings import with_values
from graph.sparql.stored import examples, stored_queries

BASE = "https://w3id.org/partnergraph/id/"
BORLANGE = BASE + "municipality/se/borlange"
INJECTION = '" } ; DROP ALL ; #'


def triple_count(client) -> tuple[int, str]:
    response = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    n = int(response.get_json()["results"]["bindings"][0]["n"]["value"])
    return n, response.headers["X-Partnergraph-Data-Version"]


def test_every_file_has_titles_descriptions_and_tags_in_both_languages():
    found = list(stored_queries().values()) + examples()
    assert len(examples()) >= 12
    for query in found:
        for lang in ("sv", "en"):
            assert query.titles.get(lang) and query.descriptions.get(lang) and query.tags.get(lang), query.name


def test_a_stored_query_answers_as_json_and_csv_with_the_same_rows(read_client):
    args = {"municipality": BORLANGE}
    data = read_client.get("/queries/partners-of-municipality.json", query_string=args)
    assert data.status_code == 200
    rows = data.get_json()["results"]["bindings"]
    names = sorted(r["name"]["value"] for r in rows)
    assert "Larvik" in names
    table = read_client.get("/queries/partners-of-municipality.csv", query_string=args)
    assert table.content_type.startswith("text/csv")
    assert sorted(r["name"] for r in csv.DictReader(io.StringIO(table.get_data(as_text=True)))) == names


def test_the_form_page_offers_municipalities_and_shows_the_answer(read_client):
    page = read_client.get("/queries/partners-of-municipality", query_string={"municipality": BORLANGE, "lang": "sv"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'<option value="{BORLANGE}" selected>Borlänge</option>' in html
    assert "Larvik" in html and "/queries/partners-of-municipality.csv?" in html


def test_a_construct_query_gives_turtle_and_a_select_query_refuses_it(read_client):
    graph = read_client.get("/queries/network-of-municipality.ttl", query_string={"municipality": BORLANGE})
    assert graph.status_code == 200 and graph.content_type.startswith("text/turtle")
    assert "borlange" in graph.get_data(as_text=True)
    table = read_client.get("/queries/partners-of-municipality.ttl", query_string={"municipality": BORLANGE})
    assert table.status_code == 406
    assert ".json or .csv" in table.get_data(as_text=True)


@pytest.mark.parametrize("path, args, status", [
    ("/queries/names-containing.json", {"text": INJECTION}, 200),
    ("/queries/partners-of-municipality.json", {"municipality": INJECTION}, 400),
    ("/queries/partners-of-municipality", {"municipality": INJECTION}, 400),
    ("/queries/dated-in-year.json", {"year": INJECTION}, 400),
])
def test_a_value_that_looks_like_sparql_stays_a_value(read_client, path, args, status):
    before = triple_count(read_client)
    response = read_client.get(path, query_string=args)
    assert response.status_code == status
    if status == 200:
        assert response.get_json()["results"]["bindings"] == []
    assert triple_count(read_client) == before


def test_typed_parameters_are_checked(read_client):
    wrong_class = read_client.get("/queries/partners-of-municipality.json",
                             query_string={"municipality": BASE + "org/sida"})
    assert wrong_class.status_code == 400
    assert "is not a pg:Municipality" in wrong_class.get_data(as_text=True)
    missing = read_client.get("/queries/dated-in-year.json")
    assert missing.status_code == 400 and "year is missing" in missing.get_data(as_text=True)
    year = read_client.get("/queries/dated-in-year.json", query_string={"year": "2011"})
    assert year.status_code == 200 and year.get_json()["results"]["bindings"]


def test_unknown_queries_and_suffixes_are_404(read_client):
    assert read_client.get("/queries/nothing-here").status_code == 404
    assert read_client.get("/queries/names-containing.xlsx?text=a").status_code == 404


def test_values_for_a_remote_store_are_serialised_terms_inside_the_where_group():
    text = "SELECT ?name WHERE { ?s skos:prefLabel ?name FILTER (CONTAINS(?name, ?text)) } LIMIT 5"
    bound = with_values(text, {"text": json.dumps(INJECTION)})
    assert bound.startswith('SELECT ?name WHERE { VALUES (?text) { ("\\" } ; DROP ALL ; #") } ')
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert with_values(construct, {"s": "<urn:x>"}) == \
        "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<urn:x>) }  ?s ?p ?o }"
    with pytest.raises(ValueError):
        with_values(text, {"text": '"a" } ; DROP ALL ; #'})


def test_the_workbench_json_helpers(client):
    vocabulary = client.get("/query/vocabulary.json").get_json()
    assert vocabulary["prefixes"]["pg"] == "https://w3id.org/partnergraph/ontology#"
    assert {"name": "pg:Municipality", "kind": "class"}.items() <= next(
        t for t in vocabulary["terms"] if t["name"] == "pg:Municipality").items()
    found = client.post("/query/labels?lang=sv", json={"iris": [BORLANGE]}).get_json()
    assert found[BORLANGE]["label"] == "Borlänge"
    assert client.post("/query/labels", json={"iris": ["a b"]}).status_code == 400
    network = client.get("/query/network.json", query_string={
        "q": "CONSTRUCT { ?p org:hasMember ?m } WHERE { ?p org:hasMember ?m }"}).get_json()
    assert BORLANGE in {n["id"] for n in network["nodes"]} and network["edges"]


def test_a_class_with_more_instances_than_a_list_holds_is_chosen_by_name(client, monkeypatch):
    from server.pages import stored_query_views
    monkeypatch.setattr(stored_query_views, "CHOICES", 10)
    empty = client.get("/queries/partners-of-municipality?lang=en").get_data(as_text=True)
    assert '<select id="p-municipality"' not in empty and 'type="search"' in empty
    assert "Type a name or an IRI." in empty
    by_name = client.get("/queries/partners-of-municipality",
                         query_string={"municipality": "borlange", "lang": "en"})
    html = by_name.get_data(as_text=True)
    assert by_name.status_code == 200 and "Larvik" in html and 'value="borlange"' in html
    # The downloads carry the IRI the name stands for.
    assert "/queries/partners-of-municipality.csv?municipality=https" in html
    assert client.get("/queries/partners-of-municipality",
                      query_string={"municipality": BORLANGE}).status_code == 200
    missing = client.get("/queries/partners-of-municipality",
                         query_string={"municipality": "Nowhereville", "lang": "sv"})
    assert missing.status_code == 400
    assert "Inget av slaget Kommun i grafen heter ”Nowhereville”" in missing.get_data(as_text=True)


def test_namesakes_are_offered_to_choose_from(client, monkeypatch):
    from server.pages import stored_query_views
    monkeypatch.setattr(stored_query_views, "CHOICES", 10)
    other = BASE + "municipality/xx/borlange"
    client.application.extensions["partnergraph.store"].update(f"""
        INSERT DATA {{ GRAPH <{BASE}graph/namesake> {{
          <{other}> a pg:Municipality ; skos:prefLabel "Borlänge"@sv . }} }}""")
    page = client.get("/queries/partners-of-municipality",
                      query_string={"municipality": "Borlänge", "lang": "en"}).get_data(as_text=True)
    assert "More than one has that name. Choose one:" in page and "Larvik" not in page
    links = [link.replace("&amp;", "&") for link in
             re.findall(r'<li><a href="([^"]+)">Borlänge</a>', page.split('class="wb-namesakes"', 1)[1])]
    assert len(links) == 2
    chosen = client.get(next(link for link in links if "/se/borlange" in link)).get_data(as_text=True)
    assert "Larvik" in chosen
