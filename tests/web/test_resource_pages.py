"""Resource pages: a page for every resource at the path of its IRI, in the
reader's language, with its facts, their sources and the links to it, and the
same URL as RDF for programs."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

BASE = "https://w3id.org/partnergraph/id/"
BORLANGE = "/partnergraph/id/municipality/se/borlange"


def text(response) -> str:
    return response.get_data(as_text=True)


def test_a_municipality_page_names_it_and_its_partners_in_swedish(read_client):
    response = read_client.get(BORLANGE + "?lang=sv")
    assert response.status_code == 200
    page = text(response)
    assert "<h1>Borlänge</h1>" in page
    assert "Samarbetspartner" in page and ">Kommun<" in page
    for partner in ["Larvik", "Frederikshavn", "Västmannaöarna", "Pitești", "Chișinău", "Wuhan"]:
        assert f">{partner}</a>" in page
    assert 'href="/partnergraph/id/municipality/no/larvik?lang=sv"' in page


def test_the_same_page_in_english_uses_english_labels(read_client):
    page = text(read_client.get(BORLANGE + "?lang=en"))
    assert "Partners" in page and ">Municipality<" in page
    assert ">Pitești</a>" in page and ">Chișinău</a>" in page
    assert ">country</a>" in page and ">Sweden</a>" in page
    swedish = text(read_client.get(BORLANGE, headers={"Accept-Language": "sv"}))
    assert ">land</a>" in swedish and ">Sverige</a>" in swedish


def test_facts_carry_their_source_with_its_title(read_client):
    page = text(read_client.get(BORLANGE + "?lang=en"))
    assert "Besök från Norge, Danmark och Moldavien" in page
    # The seed page came as a file: it is named by title and publisher, never
    # by the file's name, and given no address it does not have.
    assert "000_c26b84a9377f466a.txt" not in page
    assert 'href="#source-1"' in page and 'id="source-1"' in page
    ljusdal = text(read_client.get("/partnergraph/id/municipality/se/ljusdal?lang=en"))
    assert "Förberedelsefas för kommunalt partnerskap" in ljusdal and "20 June 2013" in ljusdal


def test_incoming_links_are_grouped_and_counted(read_client):
    page = text(read_client.get(BORLANGE + "?lang=en"))
    assert "Referred to by" in page and ">participant <" in page
    # The partnerships are the partner cards already, not listed again.
    referred = page.split('id="incoming-heading"', 1)[1].split("</section>", 1)[0]
    assert "has member" not in referred and "Borlänge–Larvik" not in referred
    assert page.count(">Borlänge–Larvik</a>") == 1


def test_a_partnership_page_links_its_members(read_client):
    page = text(read_client.get("/partnergraph/id/partnership/borlange-larvik?lang=en"))
    assert ">Partnership<" in page and ">Twin town</a>" in page
    assert f'href="{BORLANGE}?lang=en"' in page


def test_iris_outside_the_base_have_a_page_too(read_client):
    response = read_client.get("/resource", query_string={"iri": "http://www.w3.org/ns/org#hasMember",
                                                     "lang": "sv"})
    assert response.status_code == 200
    assert "har medlem" in text(response)


@pytest.mark.parametrize("accept, fmt, rdf_format", [
    ("text/turtle", "turtle", ox.RdfFormat.TURTLE),
    ("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
    ("application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", "rdfxml", ox.RdfFormat.RDF_XML),
])
def test_the_same_url_answers_rdf(read_client, accept, fmt, rdf_format):
    for response in (read_client.get(BORLANGE, headers={"Accept": accept}),
                     read_client.get(BORLANGE, query_string={"format": fmt})):
        assert response.status_code == 200
        assert response.mimetype == accept
        assert "Accept" in response.headers["Vary"]
        triples = [q.triple for q in ox.parse(response.get_data(), format=rdf_format)]
        subject = ox.NamedNode(BASE + "municipality/se/borlange")
        assert ox.Triple(subject, ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                         ox.Literal("Borlänge", language="sv")) in triples


def test_browsers_get_html_and_q_values_count(read_client):
    browser = read_client.get(BORLANGE, headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert browser.mimetype == "text/html"
    weighed = read_client.get(BORLANGE, headers={"Accept": "text/html;q=0.5, text/turtle"})
    assert weighed.mimetype == "text/turtle"


def test_an_unknown_iri_is_a_404_page_with_a_search_box(read_client):
    response = read_client.get("/partnergraph/id/municipality/se/atlantis?lang=en")
    assert response.status_code == 404
    page = text(response)
    assert 'action="/search"' in page and "municipality/se/atlantis" in page
    assert read_client.get("/resource?iri=http://example.org/nothing").status_code == 404


def test_hostile_labels_show_as_text(app, client):
    from server.support.store import get_store
    with app.app_context():
        get_store().update(f"""INSERT DATA {{ GRAPH <{BASE}graph/evil> {{
          <{BASE}municipality/xx/evil> a pg:Municipality ;
              skos:prefLabel "<img src=x onerror=alert(1)>"@en .
          <{BASE}partnership/evil> a pg:Partnership ;
              org:hasMember <{BASE}municipality/xx/evil>, <{BASE}municipality/se/borlange> }} }}""")
    for path in ["/partnergraph/id/municipality/xx/evil", BORLANGE,
                 "/search?q=img", "/partnergraph/id/partnership/evil"]:
        page = text(client.get(path + ("&" if "?" in path else "?") + "lang=en"))
        assert "<img src=x" not in page, path
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, path


def test_a_partner_several_sources_speak_of_is_listed_once_with_each_sources_kind(app, client):
    from pathlib import Path

    from graph.ingest.importer import import_file
    from server.support.store import get_store
    with app.app_context():
        sheet = Path(__file__).parents[1] / "data" / "icld-partnerships.csv"
        assert import_file(get_store(), sheet, agent="test").written
    for lang, words in (("en", ["Official relation according to Borlänge",
                                "Municipal partnership according to example.org",
                                "Twin town according to example.org"]),
                        ("sv", ["Officiell förbindelse enligt Borlänge"])):
        page = text(client.get(f"{BORLANGE}?lang={lang}"))
        partners = page.split('class="partner-list"', 1)[1].split("</ul>", 1)[0]
        assert partners.count(">Chișinău</a>") == 1
        for said in words:
            assert said in " ".join(partners.split()), said
