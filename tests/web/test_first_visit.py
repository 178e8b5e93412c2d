"""A first visit never waits for a whole-graph build: while the analysis is
being computed the page says so, after a write the previous analysis is shown
with its age until the new one is ready, and asking twice starts one build."""
from __future__ import annotations

import threading

import pytest

from graph.analysis import prepared
from graph.views import filters, network_views, overview
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
    """Wraps the analysis build so that it waits for the test's go."""

    def __init__(self, monkeypatch) -> None:
        self.go = threading.Event()
        self.started = threading.Event()
        self.langs: list[str] = []
        real = prepared._build

        def blocked(store, lang):
            self.langs.append(lang)
            self.started.set()
            assert self.go.wait(30), "the test never let the build finish"
            return real(store, lang)
        monkeypatch.setattr(prepared, "_build", blocked)


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


def test_after_a_write_the_home_page_shows_its_previous_figures_with_their_age(
        start, monkeypatch):
    app = start()
    store = _store(app)
    client = app.test_client()
    assert store.derived_ready(60)
    assert "before the latest change" not in client.get("/?lang=en").get_data(as_text=True)
    go, started = threading.Event(), threading.Event()
    real = overview.class_counts

    def blocked(store, lang):
        started.set()
        assert go.wait(30), "the test never let the build finish"
        return real(store, lang)
    monkeypatch.setattr(overview, "class_counts", blocked)
    store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> "
                 "<http://www.w3.org/2004/02/skos/core#prefLabel> 'Gnarp' } }")
    assert started.wait(30)
    home = client.get("/?lang=en")
    assert home.status_code == 200
    assert "Computed for the data before the latest change" in home.get_data(as_text=True)
    go.set()
    assert store.derived_ready(60)
    assert "before the latest change" not in client.get("/?lang=en").get_data(as_text=True)


def test_an_embed_made_of_stale_country_links_is_not_kept_as_the_new_versions(start, monkeypatch):
    app = start()
    store = _store(app)
    client = app.test_client()
    assert store.derived_ready(60)
    url = "/api/network?view=world&lang=en"
    assert client.get(url).headers["Cache-Control"] == "public, no-cache"
    go, started = threading.Event(), threading.Event()
    real = network_views._country_links

    def blocked(store):
        started.set()
        assert go.wait(30), "the test never let the build finish"
        return real(store)
    monkeypatch.setattr(network_views, "_country_links", blocked)
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
    go, started = threading.Event(), threading.Event()
    real = filters._build

    def blocked(store):
        started.set()
        assert go.wait(30), "the test never let the build finish"
        return real(store)
    monkeypatch.setattr(filters, "_build", blocked)
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
