"""Parties that are no municipality (a region, a county, an association of
municipalities): their pages and search hits show their kind, in Swedish and
English, and a region's page lists its partners as a municipality's does."""
from __future__ import annotations

import pytest

from graph.ingest.importer import import_file
from server.support.store import get_store
from tests.support.csv_files import partnership_rows, write_csv

REGION = "/partnergraph/id/county-council/se/region-vasternorrland"
ASSOCIATION = "/partnergraph/id/association/se/sjuharads-kommunalforbund"


@pytest.fixture
def client(app, tmp_path):
    base = dict(partnership_rows(1, broken=False)[0], kind="municipal partnership", themes="", funders="")
    rows = [dict(base, municipality="Region Västernorrland", partner_municipality="Larvik", partner_country="NO"),
            dict(base, municipality="Sjuhärads kommunalförbund", partner_municipality="Region <b>Hostile</b>",
                 partner_country="NO")]
    with app.app_context():
        report = import_file(get_store(), write_csv(tmp_path / "parties.csv", rows), agent="test")
        assert report.written, report.text()
    return app.test_client()


def text(response) -> str:
    return response.get_data(as_text=True)


def test_a_region_page_says_what_it_is_and_lists_its_partners(client):
    swedish = text(client.get(REGION + "?lang=sv"))
    assert "<h1>Region Västernorrland</h1>" in swedish
    assert ">Region eller landsting<" in swedish and ">Kommun<" not in swedish
    assert "Samarbetspartner" in swedish and ">Larvik</a>" in swedish
    english = text(client.get(REGION + "?lang=en"))
    assert ">Region or county council<" in english and "Partners" in english


def test_search_shows_the_kind_of_each_hit(client):
    swedish = text(client.get("/search?q=sjuharads&lang=sv"))
    assert ">Sjuhärads kommunalförbund</a>" in swedish and ">Kommunalförbund<" in swedish
    english = text(client.get("/search?q=vasternorrland&lang=en"))
    assert ">Region or county council<" in english


def test_a_hostile_name_is_escaped(client):
    page = text(client.get(ASSOCIATION + "?lang=en"))
    assert "<b>Hostile</b>" not in page and "Region &lt;b&gt;Hostile&lt;/b&gt;" in page


def test_the_ontology_page_documents_the_kinds(client):
    english = text(client.get("/ontology?lang=en"))
    for label in ("Region or county council", "County or province", "Association of municipalities",
                  "Other organisation"):
        assert label in english
    assert "Kommunalförbund" in text(client.get("/ontology?lang=sv"))
