"""A first visit never waits for a whole-graph build: while the analysis is
being computed the page says so, after a write the previous analysis is shown
with its age until the new one is ready, and asking twice starts one build."""
from __future__ import annotations

import threading

import pytest

from graph.analysis import prepared
from graph.views import filters, network_views, overview, search
from server import create_app
from server.support.store import close, get_store
from tests.conftest import copy_of_bundled

LJUSDAL = "/partnergraph/id/municipality/se/ljusdal"


@pytest.fixture
def start(settings, bundled_template):
    """Starts the service as it runs: whole-graph values built in the background."""
    apps = []

    def started():
        copy_of_bundled(bundled_template, settings)
        app = create_app(settings.with_(derived_background=True), test_config={"TESTING": True})
        apps.append(app)
        return app
    yield started
    for app in apps:
        _store(app).derived_ready(60)
        close(app)


class Gate:
    """Wraps a build (the analysis's by default) so that it waits for the
    test's go."""

    def __init__(self, monkeypatch, owner=prepared, name: str = "_build") -> None:
        self.go = threading.Event()
        self.started = threading.Event()
        self.calls: list[tuple] = []
        real = getattr(owner, name)

        def blocked(*args):
            self.calls.append(args)
            self.started.set()
            assert self.go.wait(30), "the test never let the build finish"
            return real(*args)
        monkeypatch.setattr(owner, name, blocked)

    @property
    def langs(self) -> list[str]:
        """The languages the analysis was built for, a build each."""
        return [args[1] for args in self.calls]


def _store(app):
    with app.app_context():
        return get_store()


def test_a_first_visit_while_the_analysis_is_computed_says_so_without_waiting(
        start, monkeypatch):
    gate = Gate(monkeypatch)
    app = start()
    store = _store(app)
    client = app.test_client()
    for lang, note in (("en", "being computed"), ("sv", "räknas fram")):
        page = client.get(f"{LJUSDAL}?lang={lang}")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert note in text and "Ljusdal" in text
    overview = client.get("/analysis?lang=en")
    assert overview.status_code == 200 and "being computed" in overview.get_data(as_text=True)
    assert gate.started.wait(30) and not gate.go.is_set()  # answered while the build is blocked
    gate.go.set()
    assert store.derived_ready(60)
    page = client.get(f"{LJUSDAL}?lang=en").get_data(as_text=True)
    assert "being computed" not in page and 'id="similar-heading"' in page


def test_after_a_write_the_previous_analysis_is_shown_stale_until_the_new_one_is_ready(
        start, monkeypatch):
    app = start()
    store = _store(app)
    client = app.test_client()
    assert store.derived_ready(60)
    assert "before the latest change" not in client.get("/analysis?lang=en").get_data(as_text=True)
    gate = Gate(monkeypatch)
    store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> "
                 "<http://www.w3.org/2004/02/skos/core#prefLabel> 'Gnarp' } }")
    assert gate.started.wait(30)
    stale = client.get("/analysis?lang=en").get_data(as_text=True)
    assert "Computed for the data before the latest change" in stale
    assert "Beräknad på uppgifterna från före den senaste ändringen" in client.get(
        f"{LJUSDAL}?lang=sv").get_data(as_text=True)
    gate.go.set()
    assert store.derived_ready(60)
    fresh = client.get("/analysis?lang=en").get_data(as_text=True)
    assert "before the latest change" not in fresh and "being computed" not in fresh


def test_two_visits_at_the_same_moment_start_one_build(start, monkeypatch):
    gate = Gate(monkeypatch)
    app = start()
    store = _store(app)
    client = app.test_client()
    answers = []
    visits = [threading.Thread(target=lambda: answers.append(
        client.get("/analysis?lang=en").status_code)) for _ in range(2)]
    for visit in visits:
        visit.start()
    for visit in visits:
        visit.join(30)
    assert answers == [200, 200]
    gate.go.set()
    assert store.derived_ready(60)
    assert gate.langs.count("en") == 1


def test_the_home_page_answers_at_once_saying_its_figures_are_being_counted(start, monkeypatch):
    gate = Gate(monkeypatch, overview, "class_counts")
    go, started = gate.go, gate.started
    app = start()
    store = _store(app)
    client = app.test_client()
    assert started.wait(30)
    for lang, note in (("en", "are being counted right now"), ("sv", "räknas fram just nu")):
        home = client.get(f"/?lang={lang}")
        assert home.status_code == 200
        text = home.get_data(as_text=True)
        assert note in text and 'class="places"' not in text
        # The graphs are named without waiting for their triples to be counted.
        assert store.graph_names()[0] in text
    assert not go.is_set()  # answered while the build is blocked
    go.set()
    assert store.derived_ready(60)
    home = client.get("/?lang=en").get_data(as_text=True)
    assert "being counted" not in home and ">Borlänge</a>" in home


def test_after_a_write_the_home_page_shows_its_previous_figures_with_their_age(
        start, monkeypatch):
    app = start()
    store = _store(app)
    client = app.test_client()
    assert store.derived_ready(60)
    assert "before the latest change" not in client.get("/?lang=en").get_data(as_text=True)
    gate = Gate(monkeypatch, overview, "class_counts")
    go, started = gate.go, gate.started
    store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> "
                 "<http://www.w3.org/2004/02/skos/core#prefLabel> 'Gnarp' } }")
    assert started.wait(30)
    home = client.get("/?lang=en")
    assert home.status_code == 200
    assert "Computed for the data before the latest change" in home.get_data(as_text=True)
    go.set()
    assert store.derived_ready(60)
    assert "before the latest change" not in client.get("/?lang=en").get_data(as_text=True)


def test_a_search_before_the_first_index_is_built_finds_names_in_the_store_and_says_so(
        start, monkeypatch):
    gate = Gate(monkeypatch, search, "SearchIndex")
    go, started = gate.go, gate.started
    app = start()
    store = _store(app)
    client = app.test_client()
    assert started.wait(30)
    for lang, note, sweden in (("en", "is being prepared right now", "Sweden"),
                               ("sv", "förbereds just nu", "Sverige")):
        page = client.get(f"/search?q=LJUSDAL&lang={lang}").get_data(as_text=True)
        assert note in page and ">Ljusdal</a>" in page and f'class="hit-country">{sweden}<' in page
    # Text that looks like SPARQL is only text.
    odd = client.get('/search?q=" ) } ; DROP ALL ; #&lang=en')
    assert odd.status_code == 200 and "No matches" in odd.get_data(as_text=True)
    assert not go.is_set()
    go.set()
    assert store.derived_ready(60)
    page = client.get("/search?q=ljusdal&lang=en").get_data(as_text=True)
    assert "being prepared" not in page and ">Ljusdal</a>" in page


def test_a_search_right_after_a_write_answers_from_the_previous_index_and_says_so(
        start, monkeypatch):
    app = start()
    store = _store(app)
    client = app.test_client()
    assert store.derived_ready(60)
    gate = Gate(monkeypatch, search, "SearchIndex")
    go, started = gate.go, gate.started
    store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> "
                 "<http://www.w3.org/2004/02/skos/core#prefLabel> 'Gnarpberga' } }")
    assert started.wait(30)
    # Nor does it wait for the new data version's snapshot (seconds at a
    # million triples): it reads nothing from the store.
    snapshots = []
    real_snapshot = store._take_snapshot
    monkeypatch.setattr(store, "_take_snapshot", lambda: snapshots.append(1) or real_snapshot())
    for lang, note, sweden in (("en", "Computed for the data before the latest change", "Sweden"),
                               ("sv", "Beräknad på uppgifterna från före den senaste ändringen", "Sverige")):
        page = client.get(f"/search?q=ljusdal&lang={lang}").get_data(as_text=True)
        assert note in page and ">Ljusdal</a>" in page and f'class="hit-country">{sweden}<' in page
    assert snapshots == []
    # The name written a moment ago is not in the previous index.
    assert ">Gnarpberga</a>" not in client.get("/search?q=gnarpberga&lang=en").get_data(as_text=True)
    go.set()
    assert store.derived_ready(60)
    fresh = client.get("/search?q=gnarpberga&lang=en").get_data(as_text=True)
    assert "before the latest change" not in fresh and ">Gnarpberga</a>" in fresh


def test_an_embed_made_of_stale_country_links_is_not_kept_as_the_new_versions(start, monkeypatch):
    app = start()
    store = _store(app)
    client = app.test_client()
    assert store.derived_ready(60)
    url = "/api/network?view=world&lang=en"
    assert client.get(url).headers["Cache-Control"] == "public, no-cache"
    gate = Gate(monkeypatch, network_views, "_country_links")
    go, started = gate.go, gate.started
    store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> "
                 "<http://www.w3.org/2004/02/skos/core#prefLabel> 'Gnarp' } }")
    assert started.wait(30)
    stale = client.get(url)
    assert stale.status_code == 200 and stale.headers["Cache-Control"] == "no-store"
    go.set()
    assert store.derived_ready(60)
    assert client.get(url).headers["Cache-Control"] == "public, no-cache"


def test_explore_before_the_first_activity_index_is_built_shows_the_page_without_its_filters(
        start, monkeypatch):
    gate = Gate(monkeypatch, filters, "_build")
    go, started = gate.go, gate.started
    app = start()
    client = app.test_client()
    for lang, note in (("en", "filters and their counts are being computed"),
                       ("sv", "Filtren och deras antal räknas fram")):
        page = client.get(f"/explore?lang={lang}")
        assert page.status_code == 200
        assert note in page.get_data(as_text=True) and "net-filters" not in page.get_data(as_text=True)
    assert started.wait(30) and not go.is_set()
    go.set()
    assert _store(app).derived_ready(60)
    page = client.get("/explore?lang=en").get_data(as_text=True)
    assert "net-filters" in page and "being computed" not in page


def test_an_analysis_too_large_for_its_memory_is_said_so_and_pages_still_answer(
        settings, bundled_template):
    copy_of_bundled(bundled_template, settings)
    app = create_app(settings.with_(derived_background=True, analysis_memory=40),
                     test_config={"TESTING": True})
    try:
        store = _store(app)
        assert store.derived_ready(60)
        client = app.test_client()
        for lang, note in (("sv", "kunde inte räknas fram"), ("en", "could not be computed")):
            overview = client.get(f"/analysis?lang={lang}")
            assert overview.status_code == 200 and note in overview.get_data(as_text=True)
            page = client.get(f"{LJUSDAL}?lang={lang}")
            assert page.status_code == 200
            assert note in page.get_data(as_text=True) and "Ljusdal" in page.get_data(as_text=True)
    finally:
        close(app)
