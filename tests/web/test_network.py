"""The network's views, each asked of the store by query: the bundled data's
activities, one place, one partnership, the filters; and on Wikipedia's
Nordic twin towns the world, one country and one pair of countries."""
from __future__ import annotations

from collections import Counter

import pytest

from graph.views import filters as nf
from graph.views import network_views as views
from tests.support.twin_towns import pairs_between

HOSTILE = "<img src=x onerror=alert(1)>"
BASE = "https://w3id.org/partnergraph/id/"


def iri(path):
    return BASE + path


def names(view, cls=None):
    return {n.label for n in view.nodes.values() if cls in (None, n.cls)}


def by_id(data):
    return {n["id"]: n for n in data["nodes"]}


def linked(data):
    return {x for e in data["edges"] for x in (e["from"], e["to"])}


# -- the bundled data -------------------------------------------------------

@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_default_view_draws_the_activities_and_who_takes_part(read_client, lang):
    data = read_client.get(f"/api/network?lang={lang}").get_json()
    assert data["level"] == "activities"
    groups = Counter(n["group"] for n in data["nodes"])
    # No country hubs and none of the reference list's 290 municipalities
    # without a partnership: every place drawn takes part in something.
    assert "country" not in groups
    places = [n for n in data["nodes"] if n["group"] == "municipality"]
    assert 5 < len(places) < 20
    assert all(n["id"] in linked(data) for n in places)
    assert groups["partnership"] + groups["project"] + groups["event"] >= 15
    assert {"theme", "funder"} <= set(groups)


def test_a_partnership_of_two_with_nothing_more_is_an_edge_leading_to_it(read_client):
    data = read_client.get("/api/network?lang=en").get_json()
    wuhan = iri("partnership/borlange-wuhan")
    assert wuhan not in by_id(data)
    (edge,) = [e for e in data["edges"] if e["url"] and "/partnership/borlange-wuhan?" in e["url"]]
    assert {edge["from"], edge["to"]} == {iri("municipality/se/borlange"), iri("municipality/cn/wuhan")}
    assert edge["drill"] == "focus=" + wuhan.replace(":", "%3A").replace("/", "%2F")
    assert "Borlänge–Wuhan" in edge["title"]
    # A partnership with projects and funders stays a node.
    assert by_id(data)[iri("partnership/ljusdal-kisumu-mombasa")]["group"] == "partnership"


def test_borlange_has_its_six_partners_sized_by_partners_in_the_view(bundled_store):
    view = views.focus(bundled_store, iri("municipality/se/borlange"), "sv")
    assert view.level == "place"
    assert names(view, "municipality") == {
        "Borlänge", "Larvik", "Frederikshavn", "Västmannaöarna", "Pitești", "Chișinău", "Wuhan"}
    borlange = view.nodes[iri("municipality/se/borlange")]
    assert borlange.measure == 6
    assert all(n.measure == 1 for n in view.nodes.values() if n.cls == "municipality" and n is not borlange)
    assert [label for label, _ in view.crumbs] == ["Samarbete mellan länder", "Sverige"]


def test_a_partnership_shows_its_members_themes_funders_and_people(bundled_store):
    view = views.focus(bundled_store, iri("partnership/ljusdal-kisumu-mombasa"), "en")
    assert view.level == "activity"
    assert names(view, "municipality") == {"Ljusdal", "Kisumu", "Mombasa"}
    assert {"Democracy", "Gender equality"} <= names(view, "theme")
    assert names(view, "funder") == {"Sida"}
    assert "Birgitta Piippola" in names(view, "person")
    assert view.crumbs[-1] == ("Kenya–Sweden", {"view": "pair", "a": "KE", "b": "SE"})
    facts = dict(view.nodes[view.focus].facts)
    assert "Municipal partnership" in facts.values()


def test_labels_follow_the_language(bundled_store):
    chisinau = iri("municipality/md/chisinau")
    place = iri("municipality/se/borlange")
    assert views.focus(bundled_store, place, "sv").nodes[chisinau].label == "Chișinău"
    assert views.focus(bundled_store, place, "en").nodes[chisinau].label == "Chișinău"


def test_theme_filter_takes_in_narrower_themes(bundled_store):
    chosen, total = nf.chosen(bundled_store, nf.Filters(theme=frozenset({"democracy"})))
    view = views.activities(bundled_store, chosen, "sv", total)
    activities = names(view, "project") | names(view, "event") | names(view, "partnership")
    # The youth-and-democracy project is under "Demokrati" through skos:broader.
    assert "Ungdoms- och demokratiprojekt" in activities
    assert "Kommunalt partnerskap Ljusdal–Kisumu–Mombasa" in activities
    assert "Kultursamarbete mellan de nordiska vänorterna" not in activities
    assert "Kostprojekt" not in activities
    assert not names(view, "event")
    assert {"Borlänge", "Chișinău", "Ljusdal"} <= names(view, "municipality")
    assert "Sida" in names(view, "funder")
    assert not names(view, "country")


def test_facet_counts(bundled_store):
    facets = nf.facets(bundled_store, nf.Filters(theme=frozenset({"democracy"})), "sv")
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
    def chosen_names(filters, cls):
        chosen, total = nf.chosen(bundled_store, filters)
        view = views.activities(bundled_store, chosen, "en", total)
        return names(view, cls), view

    # Twin towns with nothing more to say are lines between their members.
    _, view = chosen_names(nf.Filters(kind=frozenset({"TwinTown"})), None)
    drawn = {e.stands_for for e in view.edges} | set(view.nodes)
    assert {p for p in drawn if p and "/partnership/" in p} == {
        iri("partnership/borlange-larvik"), iri("partnership/borlange-frederikshavn"),
        iri("partnership/borlange-vestmannaeyjar")}
    assert iri("partnership/borlange-vestmannaeyjar") not in view.nodes
    kept, _ = chosen_names(nf.Filters(country=frozenset({"KE"})), "municipality")
    assert kept == {"Ljusdal", "Kisumu", "Mombasa"}
    events, _ = chosen_names(nf.Filters(year_from=2011, year_to=2011), "event")
    assert events == {"The council's decision on joining the partnership"}
    assert chosen_names(nf.Filters(year_from=2015), "event")[0] == set()


def test_filters_from_a_query_string():
    from werkzeug.datastructures import MultiDict
    filters = nf.parse(MultiDict([("theme", "democracy"), ("theme", "culture"),
                                  ("from", "2010"), ("to", "x")]))
    assert filters.theme == {"democracy", "culture"}
    assert (filters.year_from, filters.year_to) == (2010, None)
    assert not nf.parse(MultiDict()).active


def test_vis_data_has_sizes_drill_downs_and_a_legend_that_filters(read_client):
    data = read_client.get("/api/network", query_string={
        "focus": iri("municipality/se/borlange"), "lang": "en"}).get_json()
    node = by_id(data)[iri("municipality/se/borlange")]
    assert node["url"] == "/partnergraph/id/municipality/se/borlange?lang=en"
    assert node["title"].startswith("Borlänge\nMunicipality · 6 partners in this view")
    assert node["value"] == 6 and "drill" in node
    wuhan = by_id(data)[iri("municipality/cn/wuhan")]
    assert wuhan["drill"].startswith("focus=")
    assert data["options"]["layout"]["randomSeed"] is not None
    keys = {item["key"] for item in data["legend"]}
    # Places are coloured by country in a place's view, and the legend says so.
    assert {"municipality", "country:SE", "country:CN", "edge:partnership"} <= keys
    assert all("country:SE" in n["legend"] for n in data["nodes"]
               if n["id"].startswith(iri("municipality/se/")))
    assert data["title"] == "Borlänge and its partners"
    assert data["measure"] == "partners in this view"


def test_one_view_is_drawn_alike_whatever_order_the_store_answers_in(bundled_store):
    # vis-network lays out in the order it is given nodes and edges: the
    # same view must come in the same order after a restart, or the
    # picture (and which labels fit) changes from one visit to the next.
    from graph.views.vis import vis_data

    view = views.focus(bundled_store, iri("municipality/se/borlange"), "en")
    first = vis_data(view, str, lambda i: i)
    view.nodes = dict(reversed(list(view.nodes.items())))
    view.edges = list(reversed(view.edges))
    again = vis_data(view, str, lambda i: i)
    assert [n["id"] for n in first["nodes"]] == [n["id"] for n in again["nodes"]]
    assert [(e["id"], e["from"], e["to"]) for e in first["edges"]] == \
        [(e["id"], e["from"], e["to"]) for e in again["edges"]]


def test_labels_are_wrapped_at_spaces_never_inside_a_word(read_client):
    data = read_client.get("/api/network?lang=sv").get_json()
    for node in data["nodes"]:
        assert node["label"].replace("\n", " ") == node["name"]
        assert all(len(line) <= 22 or " " not in line for line in node["label"].split("\n"))
    long = by_id(data)[iri("partnership/ljusdal-kisumu-mombasa")]["label"]
    assert long == "Kommunalt partnerskap\nLjusdal–Kisumu–Mombasa"


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
    view = views.focus(store, project, "sv")
    assert view.nodes[project].label == HOSTILE
    options = {o.key: o.label for o in nf.facets(store, nf.Filters(), "sv").options["theme"]}
    assert options["hostile"] == HOSTILE


def test_hostile_labels_are_escaped_on_explore_and_data_in_json(app, client):
    from server.support.store import get_store
    with app.app_context():
        project = add_hostile(get_store())
    page = client.get("/explore?lang=en").get_data(as_text=True)
    assert HOSTILE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    data = client.get("/api/neighbours", query_string={"iri": project}).get_json()
    assert any(n["name"] == HOSTILE for n in data["nodes"])


def test_a_write_shows_in_the_next_view(app, client):
    from server.support.store import get_store
    before = client.get("/api/network?view=world&lang=en").get_json()
    assert not any("Kenya–Norway" in e["title"] for e in before["edges"])
    with app.app_context():
        get_store().update(f"""INSERT DATA {{ GRAPH <{BASE}graph/new> {{
            <{BASE}partnership/larvik-kisumu> a pg:Partnership ; pg:kind pg:TwinTown ;
              org:hasMember <{BASE}municipality/no/larvik>, <{BASE}municipality/ke/kisumu> . }} }}""")
    after = client.get("/api/network?view=world&lang=en").get_json()
    assert any(e["title"] == "Kenya–Norway: Twin town 1" for e in after["edges"])


def test_endpoints(read_client):
    data = read_client.get("/api/network?theme=democracy&lang=sv").get_json()
    labels = {n["name"] for n in data["nodes"]}
    assert "Ungdoms- och demokratiprojekt" in labels
    assert "Kostprojekt" not in labels
    focus = read_client.get("/api/network", query_string={
        "focus": iri("municipality/se/borlange")}).get_json()
    assert "Wuhan" in {n["name"] for n in focus["nodes"]}
    assert read_client.get("/api/neighbours").status_code == 400
    js = read_client.get("/vendor/vis-network.min.js")
    assert js.status_code == 200 and b"vis" in js.data[:2000]
    assert read_client.get("/vendor/vis-network.css").mimetype == "text/css"
    assert read_client.get("/vendor/../setup.py").status_code == 404
    page = read_client.get("/explore?theme=democracy&lang=sv").get_data(as_text=True)
    assert "Demokrati (3)" in page
    assert 'value="democracy" selected' in page


@pytest.mark.parametrize("query, message", [
    ({"view": "pair", "a": "SE"}, "b= must be a country code"),
    ({"view": "country", "country": "S E"}, "country= must be a country code"),
    ({"focus": "http://x/a b"}, "Not an IRI"),
], ids=["pair-without-b", "country-with-space", "iri-with-space"])
def test_a_view_asked_wrongly_says_how_to_ask(read_client, query, message):
    response = read_client.get("/api/network", query_string=query)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_network_partial_renders_its_focus(app):
    from flask import render_template_string
    with app.test_request_context("/?lang=sv"):
        app.preprocess_request()
        html = render_template_string('{% set network_focus = "https://w3id.org/x?a=1&b=2" %}'
                                      '{% include "_network.html" %}')
    assert "focus=https://w3id.org/x?a%3D1%26b%3D2&amp;lang=sv" in html
    assert 'data-drill="/explore"' in html
    assert "/vendor/vis-network.min.js" in html


def test_country_links_are_asked_once_per_data_version(store, monkeypatch):
    calls = []
    real = views._country_links
    monkeypatch.setattr(views, "_country_links", lambda s: calls.append(1) or real(s))
    views.world(store, "sv")
    views.world(store, "en")
    views.world(store, "en", "SE")
    assert calls == [1]
    store.update(f"INSERT DATA {{ GRAPH <{BASE}graph/x> {{ <{BASE}a> <{BASE}b> 1 }} }}")
    views.world(store, "en")
    assert calls == [1, 1]


# -- Wikipedia's Nordic twin towns ------------------------------------------

@pytest.fixture
def nordic(nordic_app):
    return nordic_app.test_client()


def edge_named(data, a, b):
    wanted = {f"{a}–{b}", f"{b}–{a}"}
    found = [e for e in data["edges"] if e["title"].split(":")[0] in wanted]
    assert len(found) == 1, [e["title"] for e in data["edges"]][:20]
    return found[0]


def test_the_world_view_draws_countries_and_weighs_their_cooperation(nordic):
    data = nordic.get("/api/network?lang=en").get_json()
    assert data["level"] == "world"
    assert 20 < len(data["nodes"]) <= 300
    assert {n["group"] for n in data["nodes"]} == {"country"}
    sweden_germany = edge_named(data, "Sweden", "Germany")
    pairs = len(pairs_between("Sweden", "Germany"))
    assert sweden_germany["value"] == pairs
    assert sweden_germany["title"].endswith(f": Twin town {pairs}")
    assert sweden_germany["drill"] == "view=pair&a=DE&b=SE"
    # Sizes are of this view: Sweden cooperates with more countries here
    # than Iceland does.
    nodes = {n["name"]: n for n in data["nodes"]}
    assert nodes["Sweden"]["value"] > nodes["Iceland"]["value"]


def test_a_click_on_sweden_germany_lists_the_swedish_german_pairs(nordic):
    data = nordic.get("/api/network?view=pair&a=DE&b=SE&lang=en").get_json()
    assert data["level"] == "pair"
    assert data["title"] == "Cooperation Germany–Sweden"
    names = {n["id"]: n["name"] for n in data["nodes"]}
    drawn = {frozenset([names[e["from"]], names[e["to"]]]) for e in data["edges"]}
    assert drawn == pairs_between("Sweden", "Germany")
    assert all(e["drill"].startswith("focus=") and e["url"] for e in data["edges"])
    colours = {n["color"]["background"] for n in data["nodes"]}
    assert len(colours) == 2


def test_one_countrys_view_holds_all_its_partner_countries(nordic):
    data = nordic.get("/api/network?view=country&country=IS&lang=sv").get_json()
    iceland = iri("country/IS")
    assert data["focus"] == iceland
    assert all(iceland in (e["from"], e["to"]) for e in data["edges"])
    assert data["title"] == "Island och dess samarbetsländer"
    assert data["crumbs"] == [{"label": "Samarbete mellan länder", "query": "view=world"}]


def test_a_theme_a_funder_and_an_unknown_iri(bundled_store):
    theme = views.focus(bundled_store, iri("theme/democracy"), "en")
    assert theme.level == "around"
    assert "Municipal partnership Ljusdal–Kisumu–Mombasa" in names(theme, "partnership")
    sida = views.focus(bundled_store, iri("org/sida"), "en")
    assert {"Borlänge–Chișinău", "Municipal partnership Ljusdal–Kisumu–Mombasa"} <= names(sida, "partnership")
    assert views.focus(bundled_store, iri("project/no-such-thing"), "en").nodes == {}


def test_depth_two_adds_the_partners_partners(nordic):
    # Borlänge's twin towns Larvik and Frederikshavn have twin towns of their own.
    place = iri("municipality/se/borlange")
    near = nordic.get("/api/network", query_string={"focus": place, "lang": "en"}).get_json()
    far = nordic.get("/api/network", query_string={"focus": place, "depth": "2", "lang": "en"}).get_json()
    assert near["level"] == far["level"] == "place"
    assert {n["id"] for n in near["nodes"]} < {n["id"] for n in far["nodes"]}
    page = nordic.get("/explore", query_string={"focus": place, "depth": "2", "lang": "sv"})
    html = page.get_data(as_text=True)
    assert 'class="net-depth"' in html and '<option value="2" selected>' in html
