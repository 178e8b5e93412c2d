"""/reconcile: the W3C Entity Reconciliation API (0.2, what OpenRefine speaks).

Requests are sent the way OpenRefine sends them (a form-encoded `queries`
field); answers are held to the specification's own JSON Schemas, and a
published client of the API, `reconciler`, reconciles a column against a
live `partnergraph serve`."""
from __future__ import annotations

import csv
import json
import re

import pandas as pd
import pytest
from reconciler import reconcile

from graph.rdf.namespaces import PG
from graph.resources import data_dir
from server.support.store import get_store
from tests.support.browser import start_live_server, stop_live_server
from tests.support.reconciliation_schemas import problems

BASE = "https://w3id.org/partnergraph/id/"
GOTEBORG = BASE + "municipality/se/goteborg"
BORLANGE = BASE + "municipality/se/borlange"
SWEDEN = BASE + "country/SE"


def ask(client, batch: dict, *, path: str = "/reconcile") -> dict:
    """POST a batch as OpenRefine does; the batch and the answer must both
    follow the specification's schemas."""
    assert problems("reconciliation-query-batch", batch) == []
    response = client.post(path, data={"queries": json.dumps(batch)})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    answer = response.json
    assert problems("reconciliation-result-batch", answer) == []
    return answer


def first(answer: dict, key: str = "q0") -> dict:
    return answer[key]["result"][0]


# -- the manifest -----------------------------------------------------------

def test_the_manifest_follows_the_specification(read_client):
    response = read_client.get("/reconcile")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    manifest = response.json
    assert problems("manifest", manifest) == []
    assert "0.2" in manifest["versions"]
    assert manifest["identifierSpace"] == BASE
    assert manifest["schemaSpace"] == str(PG)
    types = {t["id"]: t["name"] for t in manifest["defaultTypes"]}
    assert list(types)[0] == str(PG.Municipality)
    assert {str(PG.Municipality), str(PG.Partnership), str(PG.Funder), str(PG.Country)} <= set(types)
    assert manifest["view"]["url"] == "http://localhost/resource?iri={{id}}"
    assert manifest["preview"]["url"] == "http://localhost/reconcile/preview?id={{id}}"
    for kind in ("entity", "type", "property"):
        suggest = manifest["suggest"][kind]
        assert suggest["service_url"] + suggest["service_path"] == f"http://localhost/reconcile/suggest/{kind}"


def test_the_manifest_speaks_swedish_when_asked_and_keeps_the_language(read_client):
    manifest = read_client.get("/reconcile?lang=sv").json
    assert problems("manifest", manifest) == []
    assert manifest["name"].startswith("partnergraph: kommunalt")
    assert manifest["defaultTypes"][0]["name"] == "Kommun"
    assert manifest["preview"]["url"].endswith("?id={{id}}&lang=sv")
    english = read_client.get("/reconcile", headers={"Accept-Language": "en"}).json
    assert english["defaultTypes"][0]["name"] == "Municipality"


def test_the_view_template_leads_to_the_resource_page(read_client):
    template = read_client.get("/reconcile").json["view"]["url"]
    url = template.replace("{{id}}", GOTEBORG).replace("http://localhost", "")
    page = read_client.get(url)
    assert page.status_code == 200 and "Göteborg" in page.get_data(as_text=True)


# -- queries ------------------------------------------------------------------

def test_gotenburg_as_a_swedish_municipality_ranks_goteborg_first(read_client):
    for country in ("SE", "SWE", SWEDEN, "Sverige", "Sweden", {"id": SWEDEN, "name": "Sweden"}):
        answer = ask(read_client, {"q0": {"query": "Gotenburg", "type": str(PG.Municipality),
                                          "type_strict": "should",
                                          "properties": [{"pid": "country", "v": country}]}})
        best = first(answer)
        assert best["id"] == GOTEBORG, country
        assert best["name"] == "Göteborg"
        assert best["type"][0] == {"id": str(PG.Municipality), "name": "Municipality"}
        assert {"id": "country_match", "value": True} in best["features"]
        # GeoNames gives Göteborg the name Gotenburg: a clear match.
        assert best["match"] is True and best["score"] == 98
        scores = [c["score"] for c in answer["q0"]["result"]]
        assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)


def test_a_misspelt_name_is_for_the_steward_to_confirm(read_client):
    answer = ask(read_client, {"q0": {"query": "Gotebrog", "type": "Municipality",
                                      "properties": [{"pid": "country", "v": "SE"}]}})
    best = first(answer)
    assert best["id"] == GOTEBORG and best["match"] is False and best["score"] < 97


def test_places_are_compared_as_their_country_writes_names(read_client):
    # In Sweden å, ä and ö are letters: "Hobo" is no spelling of Håbo, while
    # in a country whose alphabet lacks them they are accents.
    answer = ask(read_client, {
        "q0": {"query": "Borlänge", "properties": [{"pid": "country", "v": "SE"}]},
        "q1": {"query": "Borlånge", "properties": [{"pid": "country", "v": "SE"}]},
        "q2": {"query": "Chisinau", "properties": [{"pid": "country", "v": "MD"}]},
        "q3": {"query": "Chişinău", "properties": [{"pid": "country", "v": "MD"}]}})
    assert (first(answer, "q0")["id"], first(answer, "q0")["match"]) == (BORLANGE, True)
    # å is not ä in Swedish: a near name, not the same one.
    assert first(answer, "q1")["id"] == BORLANGE and first(answer, "q1")["match"] is False
    for key in ("q2", "q3"):
        assert (first(answer, key)["id"], first(answer, key)["match"]) == (BASE + "municipality/md/chisinau", True)


def test_types_are_named_by_iri_prefixed_name_or_local_name(read_client):
    for given in (str(PG.Municipality), "pg:Municipality", "Municipality", "municipality",
                  [str(PG.Municipality)]):
        assert first(ask(read_client, {"q0": {"query": "Gotenburg", "type": given}}))["id"] == GOTEBORG
    # An empty type is no type: every offered type may answer.
    anything = ask(read_client, {"q0": {"query": "Sverige", "type": ""}, "q1": {"query": "Sverige", "type": []}})
    assert first(anything, "q0")["id"] == first(anything, "q1")["id"] == SWEDEN


def test_borlange_without_accents_finds_borlange_with_a_match(read_client):
    answer = ask(read_client, {"q0": {"query": "Borlange"},
                               "q1": {"query": "borlange kommun", "type": "Municipality",
                                      "properties": [{"pid": "pg:country", "v": "SE"}]}})
    for key in ("q0", "q1"):
        best = first(answer, key)
        assert (best["id"], best["name"], best["match"]) == (BORLANGE, "Borlänge", True)
        assert [c["match"] for c in answer[key]["result"]].count(True) == 1


def test_the_letters_of_the_countrys_alphabet_tell_namesakes_apart(read_client):
    answer = ask(read_client, {"q0": {"query": "Håbo"}, "q1": {"query": "HÅBO kommun"},
                               "q2": {"query": "Habo"}, "q3": {"query": "habo"}})
    for key in ("q0", "q1"):
        assert (first(answer, key)["id"], first(answer, key)["match"]) == (BASE + "municipality/se/habo", True)
    for key in ("q2", "q3"):
        # Habo and Håbo are two municipalities: Habo is Habo, as the import
        # matchers take it; Håbo, typed without its å, comes next.
        assert (first(answer, key)["id"], first(answer, key)["match"]) == (BASE + "municipality/se/habo-0643", True)
        assert [c["name"] for c in answer[key]["result"][:2]] == ["Habo", "Håbo"]


def test_a_name_in_another_country_than_the_one_given_is_no_match(read_client):
    best = first(ask(read_client, {"q0": {"query": "Borlänge", "type": "Municipality",
                                          "properties": [{"pid": "country", "v": "NO"}]}}))
    assert best["id"] == BORLANGE
    assert best["match"] is False and best["score"] <= 70
    assert {"id": "country_match", "value": False} in best["features"]


def test_an_unknown_name_gets_no_match(read_client):
    answer = ask(read_client, {"q0": {"query": "Xqzwvyk"},
                               "q1": {"query": "Nowhereville Upon Sea", "type": "Municipality"},
                               "q2": {"query": ""}})
    for key in ("q0", "q1", "q2"):
        assert not any(c["match"] for c in answer[key]["result"]), key
    assert answer["q0"]["result"] == [] and answer["q2"]["result"] == []


def test_a_resource_iri_as_query_finds_that_resource(read_client):
    best = first(ask(read_client, {"q0": {"query": GOTEBORG, "type": "Municipality"}}))
    assert (best["id"], best["score"], best["match"]) == (GOTEBORG, 100, True)


def test_other_types_are_reconciled_too(read_client):
    answer = ask(read_client, {"q0": {"query": "SIDA", "type": "Funder"},
                               "q1": {"query": "Moldavia", "type": "Country"},
                               "q2": {"query": "Halsingland", "type": "Region"}})
    assert first(answer, "q0")["name"] == "Sida" and first(answer, "q0")["match"] is True
    assert first(answer, "q1")["id"] == BASE + "country/MD"
    assert first(answer, "q2")["name"] == "Hälsingland"


def test_names_come_in_the_language_asked_for(read_client):
    batch = {"q0": {"query": "Sweden", "type": "Country"}}
    assert first(ask(read_client, batch, path="/reconcile?lang=sv"))["name"] == "Sverige"
    assert first(ask(read_client, batch, path="/reconcile?lang=en"))["name"] == "Sweden"
    best = first(ask(read_client, {"q0": {"query": "Göteborg"}}, path="/reconcile?lang=sv"))
    assert best["type"][0]["name"] == "Kommun" and best["description"] == "Kommun, Sverige"


def test_the_limit_caps_the_candidates(read_client):
    answer = ask(read_client, {"q0": {"query": "Borlänge", "limit": 1},
                               "q1": {"query": "Borlänge", "limit": 3}})
    assert len(answer["q0"]["result"]) == 1 and len(answer["q1"]["result"]) == 3


def test_a_batch_of_a_hundred_names_answers_every_key(read_client):
    with open(data_dir() / "datasets/se-municipalities/municipality_county.csv", encoding="utf-8") as f:
        names = [row["municipality_name_short"] for row in csv.DictReader(f)][:100]
    batch = {f"q{n}": {"query": name.upper(), "type": "Municipality",
                       "properties": [{"pid": "country", "v": "SE"}]}
             for n, name in enumerate(names)}
    answer = ask(read_client, batch)
    assert set(answer) == set(batch)
    for n, name in enumerate(names):
        best = first(answer, f"q{n}")
        assert (best["name"], best["match"]) == (name, True), name


def test_queries_may_be_sent_by_get_and_as_jsonp(read_client):
    batch = json.dumps({"q0": {"query": "Gotenburg", "type": "Municipality"}})
    plain = read_client.get("/reconcile", query_string={"queries": batch})
    assert plain.status_code == 200 and first(plain.json)["id"] == GOTEBORG
    wrapped = read_client.get("/reconcile", query_string={"queries": batch, "callback": "jQuery123_456"})
    assert wrapped.content_type.startswith("application/javascript")
    text = wrapped.get_data(as_text=True)
    match = re.fullmatch(r"/\*\*/jQuery123_456\((.*)\);", text, re.S)
    assert match and json.loads(match.group(1)) == plain.json
    manifest = read_client.get("/reconcile?callback=cb").get_data(as_text=True)
    assert manifest.startswith("/**/cb(") and problems("manifest", json.loads(manifest[7:-2])) == []


def test_the_index_follows_the_data(client):
    batch = {"q0": {"query": "Gnarpberga", "type": "Municipality"}}
    assert not any(c["match"] for c in ask(client, batch)["q0"]["result"])
    with client.application.app_context():
        get_store().update(f"""INSERT DATA {{ GRAPH <urn:test> {{
            <{BASE}municipality/se/gnarpberga> a pg:Municipality ;
                skos:prefLabel "Gnarpberga"@sv ; pg:country <{SWEDEN}> }} }}""")
    best = first(ask(client, batch))
    assert (best["name"], best["match"]) == ("Gnarpberga", True)


# -- bad input ----------------------------------------------------------------

@pytest.mark.parametrize("queries, says", [
    ("not json", "not JSON"),
    ('{"q0": {"query": "Borlänge", "limit": Infinity}}', "not JSON"),
    ("[1, 2]", "JSON object of queries"),
    ('"Borlänge"', "JSON object of queries"),
    ('{"q0": "Borlänge"}', "must be an object"),
    ('{"q0": {"query": 42}}', "'query' must be text"),
    ('{"q0": {"query": "Borlänge", "limit": "ten"}}', "'limit' must be a whole number"),
    ('{"q0": {"query": "Borlänge", "limit": 0}}', "'limit' must be a whole number"),
    ('{"q0": {"query": "Borlänge", "limit": 2.5}}', "'limit' must be a whole number"),
    ('{"q0": {"query": "Borlänge", "type": "Person"}}', "not one this service offers"),
    ('{"q0": {"query": "Borlänge", "properties": [{"pid": "mayor", "v": "x"}]}}', "not one this service knows"),
    ('{"q0": {"query": "Borlänge", "properties": {"pid": "country"}}}', "'properties' must be a list"),
])
def test_bad_batches_get_400_with_a_clear_message(read_client, queries, says):
    response = read_client.post("/reconcile", data={"queries": queries})
    assert response.status_code == 400
    assert says in response.json["error"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_other_bad_requests_get_400(read_client):
    for response in (read_client.post("/reconcile", data={}),
                     read_client.get("/reconcile?callback=alert(1)//"),
                     read_client.get("/reconcile?extend=%7B%7D"),
                     read_client.get("/reconcile/preview"),
                     read_client.get("/reconcile/suggest/entity?prefix=bor&cursor=x")):
        assert response.status_code == 400 and response.json["error"]
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_batch_over_the_size_limit_gets_413(read_client):
    batch = {f"q{n}": {"query": "Borlänge"} for n in range(1001)}
    response = read_client.post("/reconcile", data={"queries": json.dumps(batch)})
    assert response.status_code == 413 and "at most 1000" in response.json["error"]


# -- preview and suggest ------------------------------------------------------

def test_the_preview_is_a_small_card_that_any_client_may_frame(read_client):
    response = read_client.get("/reconcile/preview", query_string={"id": GOTEBORG, "lang": "sv"})
    assert response.status_code == 200 and response.content_type.startswith("text/html")
    page = response.get_data(as_text=True)
    assert "Göteborg" in page and "Kommun" in page and "Sverige" in page
    assert 'href="/partnergraph/id/municipality/se/goteborg?lang=sv"' in page
    assert "<script" not in page and "http" not in page.replace(GOTEBORG, "")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    missing = read_client.get("/reconcile/preview", query_string={"id": BASE + "nothing/here"})
    assert missing.status_code == 404 and "no municipality" in missing.get_data(as_text=True)


def test_the_preview_escapes_a_hostile_label(client):
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    with client.application.app_context():
        get_store().update(f"""INSERT DATA {{ GRAPH <urn:test> {{
            <{BORLANGE}> skos:prefLabel '''{hostile}'''@en }} }}""")
    page = client.get("/reconcile/preview", query_string={"id": BORLANGE, "lang": "en"}).get_data(as_text=True)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    iri = client.get("/reconcile/preview", query_string={"id": "<b>x</b>"}).get_data(as_text=True)
    assert "<b>" not in iri and "&lt;b&gt;" in iri


def test_entities_are_suggested_by_prefix(read_client):
    response = read_client.get("/reconcile/suggest/entity", query_string={"prefix": "borl", "lang": "sv"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    found = response.json
    assert problems("suggest-entities-response", found) == []
    best = found["result"][0]
    assert (best["id"], best["name"], best["description"]) == (BORLANGE, "Borlänge", "Sverige")
    assert best["notable"][0] == {"id": str(PG.Municipality), "name": "Kommun"}
    # A word of the name counts, without accents; a type narrows; the IRI finds itself.
    names = [s["name"] for s in read_client.get("/reconcile/suggest/entity?prefix=vasby").json["result"]]
    assert "Upplands Väsby" in names
    regions = read_client.get("/reconcile/suggest/entity?prefix=got&type=Region").json["result"]
    assert regions and all(s["notable"][0]["id"] == str(PG.Region) for s in regions)
    itself = read_client.get("/reconcile/suggest/entity", query_string={"prefix": GOTEBORG}).json
    assert itself["result"][0]["id"] == GOTEBORG
    assert read_client.get("/reconcile/suggest/entity?prefix=xqzw").json == {"result": []}


def test_suggest_pages_with_cursor_and_limit(read_client):
    whole = read_client.get("/reconcile/suggest/entity?prefix=s&limit=6").json["result"]
    second = read_client.get("/reconcile/suggest/entity?prefix=s&limit=3&cursor=3").json["result"]
    assert len(whole) == 6 and second == whole[3:]


def test_types_and_properties_are_suggested_by_prefix(read_client):
    types = read_client.get("/reconcile/suggest/type", query_string={"prefix": "kom", "lang": "sv"}).json
    assert problems("suggest-types-response", types) == []
    assert [t["id"] for t in types["result"]] == [str(PG.Municipality), str(PG.AssociationOfMunicipalities)]
    assert [t["name"] for t in types["result"]] == ["Kommun", "Kommunalförbund"]
    every = read_client.get("/reconcile/suggest/type?prefix=").json["result"]
    assert len(every) == 13
    found = read_client.get("/reconcile/suggest/property?prefix=coun").json
    assert problems("suggest-properties-response", found) == []
    assert found["result"] == [{"id": str(PG.country), "name": "Country",
                                "description": "The country that the municipality, region, county or "
                                               "organisation lies in."}]
    assert read_client.get("/reconcile/suggest/property?prefix=la&lang=sv").json["result"][0]["name"] == "Land"
    assert read_client.get("/reconcile/suggest/property?prefix=zz").json == {"result": []}


def test_cross_origin_preflight_is_allowed(read_client):
    for path in ("/reconcile", "/reconcile/preview", "/reconcile/suggest/entity"):
        response = read_client.open(path, method="OPTIONS", headers={
            "Origin": "http://127.0.0.1:3333", "Access-Control-Request-Method": "POST"})
        assert response.status_code == 204
        assert response.headers["Access-Control-Allow-Origin"] == "*"


# -- a published client -------------------------------------------------------

@pytest.mark.slow
# reconciler 0.2.2 calls DataFrame.drop(inplace=True), which pandas 3 warns of.
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.drop")
def test_the_reconciler_client_reconciles_a_column_against_a_live_service(tmp_path, bundled_template):
    server = start_live_server(tmp_path, bundled_template)
    try:
        sheet = pd.DataFrame({"town": ["Gotenburg", "Borlange", "Ljusdals kommun", "Larvik"],
                              "country": ["SE", "Sverige", "SE", "NO"]})
        found = reconcile(sheet["town"], type_id="Municipality", top_res=1,
                          property_mapping={"country": sheet["country"]},
                          reconciliation_endpoint=server.url("/reconcile"))
        best = {row.input_value: row for row in found.itertuples()}
        assert best["Gotenburg"].id == GOTEBORG and best["Gotenburg"].match
        assert best["Borlange"].id == BORLANGE and best["Borlange"].match
        assert best["Ljusdals kommun"].id == BASE + "municipality/se/ljusdal" and best["Ljusdals kommun"].match
        assert best["Larvik"].id == BASE + "municipality/no/larvik" and best["Larvik"].match
        assert best["Larvik"].type_id == str(PG.Municipality)
    finally:
        stop_live_server(server)
