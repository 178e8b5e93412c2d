"""Pages on a graph the size of the world-wide twin-town list: a hub's
partners come a page at a time, the home page lists a readable number of
places and says how many more there are, and the network draws countries
first and a hub up to its limit, saying how many it left out."""
from __future__ import annotations

import re

import pytest

BASE = "https://w3id.org/partnergraph/id/"
HUB = "municipality/de/hubstadt"
PARTNERS = 410


@pytest.fixture(scope="module")
def hub_client(tmp_path_factory):
    from graph.ingest.bundled import open_initialised
    from graph.settings import Settings
    from server import create_app
    from server.support.store import close

    settings = Settings(store=str(tmp_path_factory.mktemp("hub") / "store"))
    with open_initialised(settings) as store:
        triples = [f'<{BASE}{HUB}> a pg:Municipality ; skos:prefLabel "Hubstadt"@en ; '
                   f"pg:country <{BASE}country/DE> ."]
        for n in range(PARTNERS):
            town, pair = f"{BASE}municipality/fr/ville-{n:03d}", f"{BASE}partnership/hub-{n:03d}"
            triples.append(f'<{town}> a pg:Municipality ; skos:prefLabel "Ville {n:03d}"@en ; '
                           f"pg:country <{BASE}country/FR> .")
            triples.append(f'<{pair}> a pg:Partnership ; skos:prefLabel "Hubstadt–Ville {n:03d}"@en ; '
                           f"pg:kind pg:TwinTown ; org:hasMember <{BASE}{HUB}>, <{town}> .")
        store.update(f"INSERT DATA {{ GRAPH <{BASE}graph/hub> {{ {' '.join(triples)} }} }}")
    app = create_app(settings, test_config={"TESTING": True})
    yield app.test_client()
    close(app)


def _partners(page: str) -> list[str]:
    block = page.split('class="partner-list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'class="partner" href="[^"]+">([^<]+)</a>', block)


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_a_hub_shows_its_partners_a_page_at_a_time(hub_client):
    first = hub_client.get(f"/partnergraph/id/{HUB}?lang=en").get_data(as_text=True)
    names = _partners(first)
    assert names == [f"Ville {n:03d}" for n in range(50)]
    assert f"{PARTNERS} partners" in first and "Page 1 / 9" in first
    assert _link(first, "prev") is None
    second = hub_client.get(_link(first, "next")).get_data(as_text=True)
    assert _partners(second) == [f"Ville {n:03d}" for n in range(50, 100)]
    assert "Page 2 / 9" in second
    back = hub_client.get(_link(second, "prev")).get_data(as_text=True)
    assert _partners(back) == names
    last = hub_client.get(f"/partnergraph/id/{HUB}?lang=en&page=9").get_data(as_text=True)
    assert _partners(last) == [f"Ville {n:03d}" for n in range(400, PARTNERS)]
    assert _link(last, "next") is None
    # A page past the end shows the last one, not an empty list.
    assert _partners(hub_client.get(f"/partnergraph/id/{HUB}?page=99").get_data(as_text=True))


def test_the_home_page_lists_the_best_connected_places_and_counts_the_rest(hub_client):
    page = hub_client.get("/?lang=en").get_data(as_text=True)
    block = page.split('class="places"', 1)[1].split("</ul>", 1)[0]
    listed = re.findall(r"<li>", block)
    assert ">Hubstadt</a>" in block and ">Borlänge</a>" in block
    # 290 Swedish municipalities, 100 others; the graph holds 298 + 411.
    assert len(listed) == 390
    assert "the 100 from other countries with the most partnerships; the graph holds 319 more" in page
    # Hubstadt has 410 partnerships and each French town one, as have a few
    # towns of the seeds: the ties at the cut are broken by IRI, so the same
    # towns are listed every time, the first ones by IRI.
    villes = re.findall(r">(Ville \d+)</a>", block)
    assert len(villes) > 90 and villes == [f"Ville {n:03d}" for n in range(len(villes))]


def test_more_swedish_municipalities_than_sweden_has_list_the_best_connected_and_count_the_rest(
        client, monkeypatch):
    from graph.views import overview
    monkeypatch.setattr(overview, "SWEDISH_PLACES", 3)
    # In the bundled data Borlänge has six partnerships, Ljusdal one, the
    # other Swedish municipalities none. Gnosjö gets two, Ale one: Ale ties
    # with Ljusdal at the cut and comes first by IRI.
    client.application.extensions["partnergraph.store"].update(f"""
        INSERT DATA {{ GRAPH <{BASE}graph/extra> {{
          <{BASE}partnership/x1> org:hasMember <{BASE}municipality/se/gnosjo>, <{BASE}municipality/se/ale> .
          <{BASE}partnership/x2> org:hasMember <{BASE}municipality/se/gnosjo> . }} }}""")
    english = client.get("/?lang=en").get_data(as_text=True)
    block = english.split('class="places"', 1)[1].split("</ul>", 1)[0]
    swedish = [name for name, country in re.findall(
        r'<li><a href="[^"]+">([^<]+)</a> <span class="meta">([^<]+)</span>', block) if country == "Sweden"]
    assert sorted(swedish) == ["Ale", "Borlänge", "Gnosjö"]
    found = re.search(r"Shown here: the 3 Swedish municipalities and the (\d+) from other countries "
                      r"with the most partnerships; search finds (\d+) more, 287 of them Swedish.", english)
    assert found, english
    swedish_page = client.get("/?lang=sv").get_data(as_text=True)
    assert (f"Här visas de 3 svenska och de {found[1]} utländska kommuner som har flest samarbeten; "
            f"sökningen hittar {found[2]} till, varav 287 svenska.") in swedish_page


def test_the_network_draws_countries_by_default_and_a_hub_up_to_its_limit(hub_client):
    world = hub_client.get("/api/network?lang=en").get_json()
    assert world["level"] == "world"
    (link,) = [e for e in world["edges"] if e["title"].startswith(("France–Germany", "Germany–France"))]
    assert link["value"] == PARTNERS and link["drill"] == "view=pair&a=DE&b=FR"
    hub = hub_client.get("/api/network", query_string={"focus": BASE + HUB, "lang": "en"}).get_json()
    assert len(hub["nodes"]) == 300
    assert hub["cut"] == {"shown": 300, "of": PARTNERS + 1, "links": False}
    node = next(n for n in hub["nodes"] if n["id"] == BASE + HUB)
    assert node["name"] == "Hubstadt" and node["value"] == 299


def test_a_pair_of_countries_draws_its_best_partnered_places_and_says_how_many_more(hub_client):
    data = hub_client.get("/api/network?view=pair&a=DE&b=FR&lang=en").get_json()
    places = [n for n in data["nodes"] if n["group"] == "municipality"]
    assert len(places) == 151  # Hubstadt and 150 of its 410 French partners
    assert data["cut"] == {"shown": 151, "of": PARTNERS + 1, "links": False}
    assert any(n["name"] == "Hubstadt" and n["value"] == 150 for n in places)
