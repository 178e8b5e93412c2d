"""The network analyses on the bundled data, and the centrality ranking on
Wikipedia's Nordic twin towns checked against a count made straight from the
CSV file."""
from __future__ import annotations

import csv
import io
from collections import defaultdict

import networkx as nx
import pytest

from graph.analysis.centrality import centrality
from graph.analysis.communities import communities
from graph.analysis.export import export, export_graph
from graph.analysis.paths import paths
from graph.analysis.projection import EDGES, load_projection
from graph.analysis.similarity import candidate_partners, similar
from graph.analysis.stats import statistics
from graph.settings import Settings
from graph.store.open import open_store
from tests.support.twin_towns import SAMPLE, add_nordic_twin_towns


def iri(store, path):
    return store.base_iri + path


@pytest.mark.parametrize("lang, words", [
    ("sv", ["Ljusdal", "partnerskap med Kisumu och Mombasa", "tema Demokrati",
            "tema Ungdom och demokrati", "Borlänge"]),
    ("en", ["Ljusdal", "partnership with Kisumu and Mombasa", "theme Democracy",
            "theme Youth and democracy", "Borlänge"]),
])
def test_ljusdal_reaches_borlange_through_democracy(bundled_store, lang, words):
    projection = load_projection(bundled_store, lang)
    found = paths(projection, iri(bundled_store, "municipality/se/ljusdal"),
                  iri(bundled_store, "municipality/se/borlange"))
    assert found
    for path in found:
        assert iri(bundled_store, "theme/democracy") in [s.iri for s in path.steps]
        parts = path.text.split(" — ")
        assert parts[0] == "Ljusdal" and parts[-1] == "Borlänge"
    text = found[0].text
    positions = [text.index(w) for w in words]
    assert positions == sorted(positions), text


def test_no_path_between_unknown_entities(bundled_store):
    projection = load_projection(bundled_store, "en")
    assert paths(projection, "urn:x:nothing", iri(bundled_store, "municipality/se/borlange")) == []


def test_projection_is_cached_per_data_version(bundled_store):
    assert load_projection(bundled_store, "en") is load_projection(bundled_store, "en")
    assert load_projection(bundled_store, "sv") is not load_projection(bundled_store, "en")


def test_the_costly_measures_are_computed_once_for_both_languages(store, monkeypatch):
    runs = {"betweenness": 0, "louvain": 0}
    betweenness, louvain = nx.betweenness_centrality, nx.community.louvain_communities

    def counted(name, real):
        def run(*args, **kwargs):
            runs[name] += 1
            return real(*args, **kwargs)
        return run
    monkeypatch.setattr(nx, "betweenness_centrality", counted("betweenness", betweenness))
    monkeypatch.setattr(nx.community, "louvain_communities", counted("louvain", louvain))
    sv, en = centrality(load_projection(store, "sv")), centrality(load_projection(store, "en"))
    communities(load_projection(store, "sv"))
    communities(load_projection(store, "en"))
    assert runs == {"betweenness": 1, "louvain": 1}
    # The scores are shared, the names each language's own.
    assert [(r.iri, r.betweenness) for r in sv] == [(r.iri, r.betweenness) for r in en]
    assert {r.country_label for r in sv} != {r.country_label for r in en}
    store.update("INSERT DATA { GRAPH <http://example.org/g> { "
                 "<http://example.org/a> <http://www.w3.org/2004/02/skos/core#prefLabel> 'Gnarp' } }")
    centrality(load_projection(store, "en"))
    assert runs["betweenness"] == 2  # a new data version computes them anew


def test_every_edge_comes_from_the_table(bundled_store):
    projection = load_projection(bundled_store, "en")
    assert {d["prop"] for _, _, d in projection.entities.edges(data=True)} <= set(EDGES)
    assert not any(d["cls"] == "person" for _, d in projection.entities.nodes(data=True))


def test_borlange_is_most_central(bundled_store):
    ranking = centrality(load_projection(bundled_store, "sv"))
    assert ranking[0].label == "Borlänge" and ranking[0].degree == 6
    assert {r.label for r in ranking[1:4]} == {"Ljusdal", "Kisumu", "Mombasa"}
    assert ranking[0].betweenness > 0


def test_communities_are_stable_and_carry_their_themes(bundled_store):
    projection = load_projection(bundled_store, "en")
    found = communities(projection)
    assert found == communities(projection)
    ljusdal = next(c for c in found if any(n == "Ljusdal" for _, n in c.municipalities))
    assert {n for _, n in ljusdal.municipalities} == {"Ljusdal", "Kisumu", "Mombasa"}
    assert "Democracy" in [name for _, name, _ in ljusdal.themes]


def test_similar_municipalities_with_reasons(bundled_store):
    projection = load_projection(bundled_store, "sv")
    alike = similar(projection, iri(bundled_store, "municipality/se/ljusdal"))
    assert [s.label for s in alike[:2]] == ["Kisumu", "Mombasa"]
    assert all(s.partner for s in alike[:2])
    candidates = candidate_partners(projection, iri(bundled_store, "municipality/se/ljusdal"))
    assert candidates and candidates[0].label == "Chișinău"
    assert "Demokrati" in candidates[0].reason and "Sida" in candidates[0].reason
    assert not any(c.partner for c in candidates)


def test_statistics(bundled_store):
    stats = statistics(load_projection(bundled_store, "en"))
    assert {b.label: b.count for b in stats["country"]}["Sweden"] == 7
    assert {b.label: b.count for b in stats["kind"]} == {
        "Twin town": 3, "Official relation": 3, "Municipal partnership": 1}
    assert {b.label: b.count for b in stats["funder"]} == {"Sida": 2}
    assert sum(b.count for b in stats["decade"]) == 7
    assert "Democracy" in {b.label for b in stats["theme"]}


@pytest.mark.parametrize("fmt, read", [
    ("graphml", nx.read_graphml),
    ("gexf", lambda f: nx.read_gexf(f, relabel=False)),
])
def test_exports_read_back(bundled_store, fmt, read):
    projection = load_projection(bundled_store, "sv")
    original = export_graph(projection)
    back = read(io.BytesIO(export(projection, fmt)))
    assert back.number_of_nodes() == original.number_of_nodes()
    assert back.number_of_edges() == original.number_of_edges()
    for node, data in original.nodes(data=True):
        assert {k: back.nodes[node][k] for k in data} == data
    for a, b, data in original.edges(data=True):
        got = back.get_edge_data(a, b)
        assert {k: got[k] for k in data} == data


def test_node_link_json_reads_back(bundled_store):
    import json
    projection = load_projection(bundled_store, "en")
    back = nx.node_link_graph(json.loads(export(projection, "json")), edges="links")
    original = export_graph(projection)
    assert (back.number_of_nodes(), back.number_of_edges()) == \
        (original.number_of_nodes(), original.number_of_edges())


# -- the larger data set -------------------------------------------------

@pytest.fixture
def twin_town_store(tmp_path):
    store = open_store(Settings(store=str(tmp_path / "store")))
    add_nordic_twin_towns(store)
    yield store
    store.close()


def _partners_from_csv() -> dict[str, set[str]]:
    """Each town's distinct partners, straight from the CSV: a town is its
    name and its country (the last part of "England, United Kingdom")."""
    partners: dict[tuple, set[tuple]] = defaultdict(set)
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            a = (row["city1"], row["country1"].rsplit(",", 1)[-1].strip())
            b = (row["city2"], row["country2"].rsplit(",", 1)[-1].strip())
            if a != b:
                partners[a].add(b)
                partners[b].add(a)
    return partners


def test_ten_most_connected_match_the_csv(twin_town_store):
    ranking = centrality(load_projection(twin_town_store, "en"))
    counted = sorted(((len(p), town[0]) for town, p in _partners_from_csv().items()),
                     key=lambda x: (-x[0], x[1]))
    expected = counted[:10]
    tenth = expected[-1][0]
    assert [r.degree for r in ranking[:10]] == [n for n, _ in expected]
    # Towns tied with the tenth may be in either order; those above it may not.
    above = {name for n, name in counted if n > tenth}
    assert above <= {r.label for r in ranking[:10]}
    tied = {name for n, name in counted if n == tenth}
    assert {r.label for r in ranking[:10] if r.degree == tenth} <= tied


def test_betweenness_on_a_large_graph_is_estimated_from_fewer_sources_and_still_finds_the_bridge():
    import networkx as nx

    from graph.analysis.centrality import BETWEENNESS_SAMPLE, MIN_BETWEENNESS_SAMPLE, betweenness_sample
    assert betweenness_sample(1_600) == BETWEENNESS_SAMPLE
    assert MIN_BETWEENNESS_SAMPLE < betweenness_sample(17_000) < BETWEENNESS_SAMPLE
    assert betweenness_sample(1_000_000) == MIN_BETWEENNESS_SAMPLE
    # Two hubs of 10,000 towns each, joined through one town: from the smaller
    # sample the hubs and the town between them must still come first.
    graph = nx.Graph()
    graph.add_edges_from(("left", f"l{i}") for i in range(10_000))
    graph.add_edges_from(("right", f"r{i}") for i in range(10_000))
    graph.add_edges_from([("left", "bridge"), ("bridge", "right")])
    between = nx.betweenness_centrality(graph, k=betweenness_sample(graph.number_of_nodes()), seed=8)
    ranked = sorted(between, key=between.get, reverse=True)
    assert set(ranked[:3]) == {"left", "right", "bridge"}
    assert between[ranked[3]] == 0


def test_eigenvector_centrality_of_a_large_disconnected_graph_comes_from_the_sparse_solver():
    import networkx as nx

    from graph.analysis.centrality import EXACT_BETWEENNESS_LIMIT, _eigenvector
    # A big star and many pairs of towns, as the twin-town list has.
    graph = nx.star_graph(1_000)
    graph.add_edges_from((f"a{i}", f"b{i}") for i in range(EXACT_BETWEENNESS_LIMIT))
    values = _eigenvector(graph, large=True)
    assert max(values, key=values.get) == 0
    assert values["a0"] < values[1] < values[0]
