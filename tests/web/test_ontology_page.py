"""/ontology: the terms the graph uses, readable, with an anchor each."""
from __future__ import annotations

import pyoxigraph as ox


def test_the_ontology_page_documents_classes_and_properties(read_client):
    page = read_client.get("/ontology?lang=sv").get_data(as_text=True)
    assert 'id="Municipality"' in page and "Kommun" in page
    assert "En kommun eller motsvarande lokal förvaltningsenhet" in page
    assert "Underklass till" in page and ">Organisation</a>" in page
    english = read_client.get("/ontology?lang=en").get_data(as_text=True)
    assert "A unit of local government" in english and "Subclass of" in english


def test_the_theme_tree_is_nested(read_client):
    page = read_client.get("/ontology?lang=en").get_data(as_text=True)
    culture = page.index(">Culture</a>")
    poetry = page.index(">Poetry</a>")
    assert culture < poetry
    assert "<ul>" in page[culture:poetry]


def test_ontology_terms_link_to_their_anchor(read_client):
    page = read_client.get("/partnergraph/id/municipality/se/borlange?lang=en").get_data(as_text=True)
    assert 'href="/ontology?lang=en#Municipality"' in page


def test_the_ontology_answers_turtle(read_client):
    response = read_client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    triples = [q.triple for q in ox.parse(response.get_data(), format=ox.RdfFormat.TURTLE)]
    assert ox.Triple(ox.NamedNode("https://w3id.org/partnergraph/ontology#Municipality"),
                     ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                     ox.NamedNode("http://www.w3.org/2002/07/owl#Class")) in triples
