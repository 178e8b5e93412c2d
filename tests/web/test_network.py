"""The network projection, its filters and its vis-network data, on the
bundled data."""
from __future__ import annotations

from graph.views import filters as nf
from graph.views.network import aggregate, load_network, neighbourhood, whole
from graph.views.vis import vis_data

HOSTILE = "<img src=x onerror=alert(1)>"


def iri(store, path):
    return store.base_iri + path


def labels_of(view, cls=None):
    return {d["label"] for _, d in view.graph.nodes(data=True) if cls in (None, d["cls"])}


def test_borlange_neighbourhood_holds_its_six_partners(bundled_store):
    model = load_network(bundled_store, "sv")
    view = neighbourhood(model, iri(bundled_store, "municipality/se/borlange"))
    assert labels_of(view, "municipality") >= {
        "Borlänge", "Larvik", "Frederikshavn", "Västmannaöarna", "Pitești", "Chișinău", "Wuhan"}
    assert "Ljusdal" not in labels_of(view)
    assert len(labels_of(view, "partnership")) == 6


def test_partnerships_are_nodes_with_labelled_edges(bundled_store):
    model = load_network(bundled_store, "en")
    graph = model.graph
    partnership = iri(bundled_store, "partnership/ljusdal-kisumu-mombasa")
    assert graph.nodes[partnership]["cls"] == "partnership"
    edge_labels = {d["label"] for _, _, d in graph.out_edges(partnership, data=True)}
    assert {"has member", "funded by", "priority area"} <= edge_labels
    assert not any(label.startswith("http") for _, _, label in graph.edges(data="label"))
    assert graph.nodes[partnership]["degree"] > 5


def test_labels_follow_the_language(bundled_store):
    chisinau = iri(bundled_store, "municipality/md/chisinau")
    assert load_network(bundled_store, "sv").graph.nodes[chisinau]["label"] == "Chișinău"
    assert load_network(bundled_store, "en").graph.nodes[chisinau]["label"] == "Chișinău"
    country = load_network(bundled_store, "sv").label(iri(bundled_store, "country/SE"))
    assert country == "Sverige"


def test_unreferenced_countries_and_themes_are_left_out(bundled_store):
    model = load_network(bundled_store, "en")
    assert iri(bundled_store, "country/SE") in model.graph
    assert iri(bundled_store, "country/FR") not in model.graph
    assert iri(bundled_store, "theme/local-democracy") not in model.graph


def test_theme_filter_takes_in_narrower_themes(bundled_store):
    model = load_network(bundled_store, "sv")
    view = nf.apply(model, nf.Filters(theme=frozenset({"democracy"})))
    activities = labels_of(view, "project") | labels_of(view, "event") | labels_of(view, "partnership")
    # The youth-and-democracy project is under "Demokrati" through skos:broader.
    assert "Ungdoms- och demokratiprojekt" in activities
    assert "Kommunalt partnerskap Ljusdal–Kisumu–Mombasa" in activities
    assert "Kultursamarbete mellan de nordiska vänorterna" not in activities
    assert "Kostprojekt" not in activities
    assert not labels_of(view, "event")
    # What the chosen activities connect stays.
    assert {"Borlänge", "Chișinău", "Ljusdal"} <= labels_of(view, "municipality")
    assert "Sida" in labels_of(view, "funder")


def test_facet_counts(bundled_store):
    model = load_network(bundled_store, "sv")
    facets = nf.facets(model, nf.Filters(theme=frozenset({"democracy"})))
    assert facets.matching == 3
    assert facets.activities == 21
    themes = {o.key: o for o in facets.options["theme"]}
    assert themes["democracy"].count == 3
    assert themes["youth-and-democracy"].depth == 1
    countries = {o.key: o.count for o in facets.options["country"]}
    assert countries["KE"] == 1 and countries["MD"] == 2
    kinds = {o.key: o.label for o in facets.options["kind"]}
    assert kinds["TwinTown"] == "Vänort"


def test_other_filters(bundled_store):
    model = load_network(bundled_store, "en")
    kept = labels_of(nf.apply(model, nf.Filters(kind=frozenset({"TwinTown"}))), "partnership")
    assert kept == {"Borlänge–Larvik", "Borlänge–Frederikshavn", "Borlänge–Vestmannaeyjar"}
    kept = labels_of(nf.apply(model, nf.Filters(country=frozenset({"KE"}))), "municipality")
    assert kept == {"Ljusdal", "Kisumu", "Mombasa"}
    period = nf.apply(model, nf.Filters(year_from=2011, year_to=2011))
    assert labels_of(period, "event") == {"The council's decision on joining the partnership"}
    assert labels_of(nf.apply(model, nf.Filters(year_from=2015)), "event") == set()


def test_filters_from_a_query_string():
    from werkzeug.datastructures import MultiDict
    filters = nf.parse(MultiDict([("theme", "democracy"), ("theme", "culture"),
                                  ("from", "2010"), ("to", "x")]))
    assert filters.theme == {"democracy", "culture"}
    assert (filters.year_from, filters.year_to) == (2010, None)
    assert not nf.parse(MultiDict()).active


def test_large_views_are_aggregated_and_say_what_is_hidden(bundled_store):
    model = load_network(bundled_store, "en")
    view = aggregate(model, whole(model), limit=20)
    assert view.graph.number_of_nodes() < model.graph.number_of_nodes()
    assert sum(view.hidden.values()) > 0
    clusters = [d for _, d in view.graph.nodes(data=True) if d.get("cluster")]
    assert sum(d["count"] for d in clusters) == sum(view.hidden.values())
    assert aggregate(model, whole(model), limit=1000).hidden == {}


def test_vis_data(bundled_store):
    model = load_network(bundled_store, "en")
    focus = iri(bundled_store, "municipality/se/borlange")
    data = vis_data(model, neighbourhood(model, focus),
                    lambda i: "/partnergraph/id/" + i[len(bundled_store.base_iri):])
    node = next(n for n in data["nodes"] if n["id"] == focus)
    assert node["url"] == "/partnergraph/id/municipality/se/borlange"
    assert node["group"] == "municipality" and node["color"]["background"]
    assert node["title"].startswith("Borlänge\nMunicipality")
    assert data["options"]["layout"]["randomSeed"] is not None
    assert all(e["label"] and not e["label"].startswith("http") for e in data["edges"])
    assert {item["group"] for item in data["legend"]} >= {"municipality", "partnership"}


def test_page_urls_of_resources_terms_and_other_iris(app):
    from server.support.links import page_url
    base = "https://w3id.org/partnergraph/id/"
    with app.test_request_context("/"):
        assert page_url(base + "municipality/se/borlange") == "/partnergraph/id/municipality/se/borlange"
        assert page_url("https://w3id.org/partnergraph/ontology#Municipality") == "/ontology#Municipality"
        assert page_url("http://example.org/x") == "/resource?iri=http://example.org/x"


def add_hostile(store):
    theme = store.base_iri + "theme/hostile"
    project = store.base_iri + "project/hostile"
    store.update(f"""INSERT DATA {{ GRAPH <{store.base_iri}graph/hostile> {{
        <{theme}> a pg:Theme ; skos:prefLabel "{HOSTILE}"@sv, "{HOSTILE}"@en .
        <{project}> a pg:Project ; skos:prefLabel "{HOSTILE}"@en ;
            pg:theme <{theme}> ; pg:participant <{store.base_iri}municipality/se/borlange> .
    }} }}""")
    return project


def test_hostile_labels_stay_plain_text(store):
    project = add_hostile(store)
    model = load_network(store, "sv")
    data = vis_data(model, neighbourhood(model, project), lambda i: "/x")
    node = next(n for n in data["nodes"] if n["id"] == project)
    assert node["label"] == HOSTILE
    assert node["title"].startswith(HOSTILE + "\n")
    options = {o.key: o.label for o in nf.facets(model, nf.Filters()).options["theme"]}
    assert options["hostile"] == HOSTILE


def test_hostile_labels_are_escaped_on_explore_and_data_in_json(app, client):
    from server.support.store import get_store
    with app.app_context():
        project = add_hostile(get_store())
    page = client.get("/explore?lang=en").get_data(as_text=True)
    assert HOSTILE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    data = client.get("/api/neighbours", query_string={"iri": project}).get_json()
    assert any(n["label"] == HOSTILE for n in data["nodes"])


def test_endpoints(read_client):
    data = read_client.get("/api/network?theme=democracy&lang=sv").get_json()
    labels = {n["label"] for n in data["nodes"]}
    assert "Ungdoms- och demokratiprojekt" in labels
    assert "Kostprojekt" not in labels
    focus = read_client.get("/api/network", query_string={
        "focus": "https://w3id.org/partnergraph/id/municipality/se/borlange"}).get_json()
    assert "Wuhan" in {n["label"] for n in focus["nodes"]}
    assert read_client.get("/api/neighbours").status_code == 400
    js = read_client.get("/vendor/vis-network.min.js")
    assert js.status_code == 200 and b"vis" in js.data[:2000]
    assert read_client.get("/vendor/vis-network.css").mimetype == "text/css"
    assert read_client.get("/vendor/../setup.py").status_code == 404
    page = read_client.get("/explore?theme=democracy&lang=sv").get_data(as_text=True)
    assert "Demokrati (3)" in page
    assert 'value="democracy" selected' in page


def test_network_partial_renders_its_focus(app):
    from flask import render_template_string
    with app.test_request_context("/?lang=sv"):
        app.preprocess_request()
        html = render_template_string('{% set network_focus = "https://w3id.org/x?a=1&b=2" %}'
                                      '{% include "_network.html" %}')
    assert "focus=https://w3id.org/x?a%3D1%26b%3D2&amp;lang=sv" in html
    assert "/vendor/vis-network.min.js" in html


def test_requests_arriving_together_build_the_network_once(store, monkeypatch):
    # A new data version met by many requests at once (an intranet page with
    # several embeds) must not build the same model in every thread.
    import threading
    import time

    from graph.views import network
    builds = []
    real_build = network._build

    def slow_build(store_, lang):
        builds.append(lang)
        time.sleep(0.3)
        return real_build(store_, lang)

    monkeypatch.setattr(network, "_build", slow_build)
    store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 } }")
    models = []
    threads = [threading.Thread(target=lambda: models.append(load_network(store, "sv")))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert builds == ["sv"]
    assert len(models) == 6 and all(m is models[0] for m in models)
