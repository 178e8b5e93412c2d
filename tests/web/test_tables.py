"""The browsable tables (/partnerships, /municipalities, ...) through Flask's
test client: the rows a filter leaves, facet counts that add up, sort and
pages, the same view as JSON and CSV, both languages, escaping, and clear
refusals of addresses that name no column."""
from __future__ import annotations

import csv
import io
import re

import pytest

from graph.views.table_columns import TABLES

SE_TWIN_TOWNS = ["Borlänge–Frederikshavn", "Borlänge–Larvik", "Borlänge–Västmannaöarna"]
G = "https://w3id.org/partnergraph/id/graph/table-test"
P = "https://w3id.org/partnergraph/id/partnership/"


def rows(client, url: str) -> list[str]:
    return [row["name"] for row in client.get(url).get_json()["rows"]]


def facet(data: dict, key: str) -> dict:
    return next(f for f in data["facets"] if f["key"] == key)


def test_swedens_twin_towns_are_listed_with_facet_counts_that_add_up(read_client):
    data = read_client.get("/partnerships.json?country=SE&kind=twin-town&lang=sv").get_json()
    assert [row["name"] for row in data["rows"]] == SE_TWIN_TOWNS
    assert data["total"] == 3 and data["pages"] == 1
    countries = {v["key"]: v["count"] for v in facet(data, "country")["values"]}
    # Every row has a Swedish member, and one each in Denmark, Norway, Iceland.
    assert countries == {"SE": 3, "DK": 1, "NO": 1, "IS": 1}
    for key in ("kind", "status", "fundedBy"):
        counts = facet(data, key)
        # One value a row in these data: the values and the rows without add up.
        assert sum(v["count"] for v in counts["values"]) + counts["none"] == data["total"], key
    assert {v["label"]: v["count"] for v in facet(data, "status")["values"]} == {"Pågående": 3}
    twin_town = facet(data, "kind")["values"][0]
    assert {k: twin_town[k] for k in ("key", "label", "iri", "count", "chosen")} == {
        "key": "twin-town", "label": "Vänort", "iri": "https://w3id.org/partnergraph/ontology#TwinTown",
        "count": 3, "chosen": True}
    # Choosing it again takes it away.
    assert "kind=" not in twin_town["toggle"] and "country=SE" in twin_town["toggle"]

def test_the_page_the_json_and_the_csv_show_the_same_rows(read_client):
    query = "country=SE&kind=twin-town&sort=-name&lang=sv"
    page = read_client.get(f"/partnerships?{query}").get_data(as_text=True)
    on_page = re.findall(r'<th scope="row" data-label="Namn"><a href="[^"]+">([^<]+)</a>', page)
    as_json = rows(read_client, f"/partnerships.json?{query}")
    as_csv = [r["name"] for r in csv.DictReader(io.StringIO(
        read_client.get(f"/partnerships.csv?{query}").get_data(as_text=True)))]
    also_json = rows(read_client, f"/partnerships?{query}&format=json")
    assert on_page == as_json == as_csv == also_json == list(reversed(SE_TWIN_TOWNS))
    assert 'data-total="3"' in page


def test_the_csv_gives_labels_and_iris_of_every_column(read_client):
    text = read_client.get("/partnerships.csv?country=SE&kind=twin-town&lang=en").get_data(as_text=True)
    first = next(csv.DictReader(io.StringIO(text)))
    assert first["iri"] == P + "borlange-frederikshavn"
    assert first["members"] == "Borlänge; Frederikshavn"
    assert first["kind"] == "Twin town" and first["kind_iri"].endswith("#TwinTown")


def test_pages_follow_one_another_without_overlap(read_client):
    first = read_client.get("/municipalities.json?size=25").get_json()
    second = read_client.get(first["links"]["next"]).get_json()
    assert first["total"] == second["total"] == 298 and first["pages"] == 12
    assert len(first["rows"]) == len(second["rows"]) == 25
    names = [r["iri"] for r in first["rows"] + second["rows"]]
    assert len(set(names)) == 50
    assert second["page"] == 2 and second["links"]["previous"]


def test_every_chosen_value_narrows(read_client):
    assert rows(read_client, "/partnerships.json?country=SE&country=NO") == ["Borlänge–Larvik"]
    assert rows(read_client, "/partnerships.json?q=larv") == ["Borlänge–Larvik"]
    assert rows(read_client, "/partnerships.json?members__contains=frederik") == ["Borlänge–Frederikshavn"]
    assert rows(read_client, "/partnerships.json?kind=no-such-kind") == []


def test_sorting_by_a_column_orders_by_its_values(read_client):
    data = read_client.get("/themes.json?sort=-partnerships&size=25").get_json()
    used = [int(r["cells"].get("partnerships", [{"value": "0"}])[0]["value"]) for r in data["rows"]]
    assert used == sorted(used, reverse=True) and used[0] > 0


@pytest.mark.parametrize("lang, heading, value", [
    ("sv", "samarbetsform", "Vänort"), ("en", "kind of partnership", "Twin town")])
def test_columns_are_named_by_the_ontology_in_the_readers_language(read_client, lang, heading, value):
    page = read_client.get(f"/partnerships?lang={lang}&kind=twin-town").get_data(as_text=True)
    assert f'data-sort="kind">{heading}</a>' in page
    assert f">{value}</a>" in page


@pytest.mark.parametrize("slug", list(TABLES))
def test_every_table_answers_in_both_languages(read_client, slug):
    for lang in ("sv", "en"):
        response = read_client.get(f"/{slug}?lang={lang}")
        assert response.status_code == 200, slug
    data = read_client.get(f"/{slug}.json").get_json()
    assert data["total"] >= 1 and len(data["rows"]) == min(data["total"], 50)


@pytest.mark.parametrize("query, message", [
    ("sort=bogus", "'bogus' is no column of this table; its columns are name, members"),
    ("size=7", "size=7: give one of 25, 50, 100, 200, 500."),
    ("page=0", "page='0': give a whole number from 1."),
    ("kind=%3Cscript%3E", "is not a value of kind"),
    ("bogus__contains=x", "'bogus' is no column of this table"),
])
def test_an_address_the_table_cannot_answer_says_what_to_send(read_client, query, message):
    response = read_client.get(f"/partnerships.json?{query}")
    assert response.status_code == 400 and message in response.get_json()["error"]


def test_several_kinds_and_a_start_year_count_once_per_partnership(app, client):
    from server.support.store import get_store
    with app.app_context():
        get_store().update(f"""INSERT DATA {{ GRAPH <{G}> {{
          <{P}borlange-larvik> pg:kind pg:OfficialRelation ; pg:startDate "1995"^^xsd:gYear .
          <{P}borlange-wuhan> pg:startDate "2009-05-01"^^xsd:date ;
              skos:prefLabel "<script>alert(1)</script>"@en }} }}""")
    data = client.get("/partnerships.json?country=SE").get_json()
    assert data["total"] == 7
    kinds = {v["key"]: v["count"] for v in facet(data, "kind")["values"]}
    assert kinds == {"official-relation": 4, "twin-town": 3, "municipal-partnership": 1}
    assert sum(kinds.values()) == data["total"] + 1      # Larvik counts under both
    decades = facet(data, "startDate")
    assert {v["key"]: v["count"] for v in decades["values"]} == {"1990": 1, "2000": 1}
    assert decades["none"] == 5
    assert rows(client, "/partnerships.json?startDate=1990") == ["Borlänge–Larvik"]
    page = client.get("/partnerships?lang=en&country=CN").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
