"""Search by name, forgiving of case and accents."""
from __future__ import annotations

import re

from graph.views.labels import labels
from graph.views.search import normalise, search


def test_normalising_drops_accents_and_case():
    assert normalise("Chișinău") == "chisinau"
    assert normalise("  Västmannaöarna ") == "vastmannaoarna"
    assert normalise("Borlänge") == normalise("BORLANGE")


def test_names_are_found_without_their_accents(bundled_store):
    for query, wanted in [("Chisinau", "Chișinău"), ("Borlange", "Borlänge"),
                          ("vastmannaoarna", "Vestmannaeyjar"), ("pitesti", "Pitești")]:
        hits = search(bundled_store, query, "en")
        assert hits and hits[0].label == wanted, query
        assert hits[0].rank == 0


def test_exact_matches_come_before_prefixes_and_parts(bundled_store):
    hits = search(bundled_store, "borlänge", "sv")
    assert hits[0].label == "Borlänge" and hits[0].type_labels[0] == "Kommun"
    ranks = [h.rank for h in hits]
    assert ranks == sorted(ranks) and 1 in ranks


def test_a_name_that_many_contain_shows_the_best_matches_up_to_the_limit(bundled_store):
    assert len(search(bundled_store, "a", "en")) == 100
    shown = search(bundled_store, "ale", "sv", limit=5)
    assert len(shown) == 5 and shown[0].label == "Ale" and shown[0].rank == 0
    assert [h.rank for h in shown] == sorted(h.rank for h in shown)


def test_hits_are_labelled_as_every_page_labels_them(bundled_store):
    for lang in ("sv", "en"):
        hits = search(bundled_store, "a", lang)
        names = labels(bundled_store, [h.iri for h in hits] + [t for h in hits for t in h.types], lang)
        assert [h.label for h in hits] == [names[h.iri] for h in hits]
        assert [h.type_labels for h in hits] == [tuple(names[t] for t in h.types) for h in hits]
    (kisumu,) = [h for h in search(bundled_store, "Kisumu", "sv") if h.label == "Kisumu"]
    assert kisumu.country == "Kenya"


def test_the_index_follows_the_data(store):
    assert search(store, "Gnarpberga", "sv") == []
    store.update("""INSERT DATA { GRAPH <http://example.org/g> {
      <http://example.org/m> a pg:Municipality ; skos:prefLabel "Gnarpberga"@sv } }""")
    assert [h.label for h in search(store, "gnarp", "sv")] == ["Gnarpberga"]


def test_the_search_page_links_results_to_their_pages(read_client):
    page = read_client.get("/search?q=Chisinau&lang=sv").get_data(as_text=True)
    assert 'href="/partnergraph/id/municipality/md/chisinau?lang=sv"' in page
    assert re.search(r'class="badge">Kommun<', page)
    empty = read_client.get("/search?q=zzzqqq&lang=en").get_data(as_text=True)
    assert "No matches" in empty


def test_every_page_has_a_search_box(read_client):
    for path in ["/", "/ontology", "/partnergraph/id/municipality/se/borlange", "/search"]:
        assert 'role="search"' in read_client.get(path).get_data(as_text=True), path


def test_hits_name_their_country_so_namesakes_can_be_told_apart(bundled_store, read_client):
    hits = search(bundled_store, "Larvik", "sv")
    assert hits[0].country == "Norge"
    page = read_client.get("/search?q=Larvik&lang=en").get_data(as_text=True)
    assert 'class="hit-country">Norway<' in page
