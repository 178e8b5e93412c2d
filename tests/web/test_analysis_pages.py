"""The /analysis pages, their JSON, the exports over HTTP, the resource
page's part, and the `analyse` command."""
from __future__ import annotations

import io
import json
from urllib.parse import quote

import networkx as nx

from tests.support.twin_towns import pairs_between

HOSTILE = "<img src=x onerror=alert(1)>"
BASE = "https://w3id.org/partnergraph/id/"
LJUSDAL, BORLANGE = BASE + "municipality/se/ljusdal", BASE + "municipality/se/borlange"


def test_overview_draws_charts_and_table(read_client):
    html = read_client.get("/analysis?lang=sv").get_data(as_text=True)
    assert html.count("<svg class=\"bar-chart\"") == 5
    assert "Borlänge" in html and "Samarbeten per land" in html
    assert "cdn" not in html.lower()


def test_overview_as_json(read_client):
    data = read_client.get("/analysis?format=json").get_json()
    assert data["centrality"][0]["label"] == "Borlänge"
    assert set(data["statistics"]) == {"country", "theme", "funder", "kind", "decade"}
    assert read_client.get("/api/analysis/communities").get_json()


def test_path_page_in_both_languages(read_client):
    url = f"/analysis/path?from={quote(LJUSDAL)}&to={quote(BORLANGE)}"
    sv = read_client.get(url + "&lang=sv").get_data(as_text=True)
    assert "partnerskap med Kisumu och Mombasa — tema Demokrati" in sv
    en = read_client.get(url + "&lang=en").get_data(as_text=True)
    assert "partnership with Kisumu and Mombasa — theme Democracy" in en
    data = read_client.get("/api/analysis/path?from=Ljusdal&to=borlange&lang=en").get_json()
    assert data["to"] == BORLANGE and "theme Democracy" in data["paths"][0]["text"]


def test_unknown_names_are_said_and_escaped(read_client):
    html = read_client.get("/analysis/path?from=" + quote(HOSTILE) + "&to=Borlänge&lang=en").get_data(as_text=True)
    assert "Nothing of that name" in html
    assert HOSTILE not in html
    assert read_client.get("/api/analysis/similar?iri=nobody").status_code == 400


def test_similar_page(read_client):
    html = read_client.get(f"/analysis/similar?iri={quote(LJUSDAL)}&lang=sv").get_data(as_text=True)
    assert "Kisumu" in html and "gemensamma teman" in html and "Chișinău" in html
    data = read_client.get(f"/analysis/similar?iri={quote(LJUSDAL)}&format=json").get_json()
    assert data["candidates"][0]["label"] == "Chișinău"


def test_exports_over_http_read_back(read_client):
    graphml = read_client.get("/analysis/export.graphml")
    gexf = read_client.get("/analysis/export.gexf")
    a = nx.read_graphml(io.BytesIO(graphml.data))
    b = nx.read_gexf(io.BytesIO(gexf.data), relabel=False)
    assert (a.number_of_nodes(), a.number_of_edges()) == (b.number_of_nodes(), b.number_of_edges())
    assert json.loads(read_client.get("/analysis/export.json").data)["nodes"]
    assert read_client.get("/analysis/export.pdf").status_code == 404


def test_municipality_page_shows_similar_and_path_form(read_client):
    html = read_client.get("/partnergraph/id/municipality/se/ljusdal?lang=en").get_data(as_text=True)
    assert "Similar municipalities" in html and "How is this connected to" in html
    assert 'action="/analysis/path"' in html
    other = read_client.get("/partnergraph/id/theme/democracy?lang=en").get_data(as_text=True)
    assert "Similar municipalities" not in other


def test_analyse_command(cli):
    status, out, _ = cli("analyse", "--lang", "sv", "path", LJUSDAL, BORLANGE)
    assert status == 0 and "tema Demokrati" in out
    status, out, _ = cli("analyse", "--json", "centrality", "--top", "1")
    assert json.loads(out)[0]["label"] == "Borlänge"
    for args in (["communities"], ["similar", LJUSDAL], ["stats"]):
        assert cli("analyse", *args)[0] == 0
    status, out, _ = cli("analyse", "export", "graphml")
    assert status == 0 and out.startswith("<?xml")


def test_a_countrys_top_ten_comes_without_the_worlds_list(nordic_app):
    client = nordic_app.test_client()
    everyone = client.get("/api/analysis/centrality?lang=en").get_json()
    swedes = client.get("/api/analysis/centrality?country=se&limit=10&lang=en").get_json()
    assert len(swedes) == 10
    assert all(row["country_label"] == "Sweden" for row in swedes)
    # The same order as the world's ranking, Swedish rows only.
    assert swedes == [row for row in everyone if row["country_label"] == "Sweden"][:10]
    assert client.get("/api/analysis/centrality?limit=zero").status_code == 400
    page = client.get("/analysis?country=SE&lang=sv").get_data(as_text=True)
    ranked = page.split('class="centrality"', 1)[1].split("</table>", 1)[0]
    assert ranked.count("<td>Sverige</td>") == ranked.count("<tr><td>")
    assert '<option value="SE" selected>Sverige' in page


def test_cooperation_between_countries_is_listed_and_leads_to_the_pair(nordic_app):
    client = nordic_app.test_client()
    pairs = client.get("/api/analysis/countries?country=SE&lang=en").get_json()
    sweden_germany = next(p for p in pairs if {p["a_code"], p["b_code"]} == {"SE", "DE"})
    assert sweden_germany["partnerships"] == len(pairs_between("Sweden", "Germany"))
    assert all("SE" in (p["a_code"], p["b_code"]) for p in pairs)
    page = client.get("/analysis?lang=en").get_data(as_text=True)
    assert "Cooperation between countries" in page
    assert "/explore?view=pair&amp;a=DE&amp;b=SE&amp;lang=en" in page
