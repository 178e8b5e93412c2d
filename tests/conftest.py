"""Shared fixtures: stores on the bundled data, the app, and a CLI runner.

Tests live in tiers, one folder each, each marked with its folder's name:
library, web, protocol, browser (`python -m pytest -m library`, or the folder).
"""
from __future__ import annotations

import gc
import io
import shutil
import sys
from pathlib import Path

import pytest

from graph.ingest.bundled import open_initialised
from graph.settings import Settings
from graph.store.open import open_store
from server import create_app
from server.cli import main
from server.support.store import close
from tests.support.twin_towns import add_nordic_twin_towns

TIERS = ("library", "web", "protocol", "browser")


def pytest_collection_modifyitems(items):
    for item in items:
        tier = item.path.parent.name
        if tier in TIERS:
            item.add_marker(tier)


@pytest.fixture(scope="session")
def bundled_template(tmp_path_factory) -> Path:
    """A closed store folder holding the bundled data, made once: a test that
    needs a store of its own gets a copy, which takes a fraction of the time
    that loading the ontology, seeds and municipality list does."""
    path = tmp_path_factory.mktemp("template") / "store"
    open_initialised(Settings(store=str(path))).close()
    # pyoxigraph lets go of the folder's lock when the store object is freed.
    gc.collect()
    return path


def copy_of_bundled(template: Path, settings: Settings) -> None:
    """Give `settings.store` the bundled data, unless it has a store already."""
    if not Path(settings.store).exists():
        shutil.copytree(template, settings.store)


@pytest.fixture(scope="session")
def nordic_template(tmp_path_factory, bundled_template) -> Path:
    """A closed store folder with the bundled data and Wikipedia's Nordic
    twin towns (tests/support/twin_towns.py), made once: the world-scale
    views on real pairs, without the whole data set."""
    path = tmp_path_factory.mktemp("nordic") / "store"
    shutil.copytree(bundled_template, path)
    store = open_store(Settings(store=str(path)))
    add_nordic_twin_towns(store)
    store.close()
    gc.collect()
    return path


@pytest.fixture(scope="session")
def nordic_app(tmp_path_factory, nordic_template):
    """An application on a copy of the Nordic twin-town store, for tests
    that only read."""
    settings = Settings(store=str(tmp_path_factory.mktemp("nordic-app") / "store"))
    copy_of_bundled(nordic_template, settings)
    app = create_app(settings, test_config={"TESTING": True})
    yield app
    close(app)


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory, bundled_template):
    """A store with the bundled data, shared by read-only tests."""
    settings = Settings(store=str(tmp_path_factory.mktemp("bundled") / "store"))
    copy_of_bundled(bundled_template, settings)
    store = open_store(settings)
    yield store
    store.close()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(store=str(tmp_path / "store"))


@pytest.fixture
def store(settings, bundled_template):
    """A store of this test's own, with the bundled data."""
    copy_of_bundled(bundled_template, settings)
    store = open_store(settings)
    yield store
    store.close()


@pytest.fixture
def empty_store(settings):
    store = open_store(settings)
    yield store
    store.close()


@pytest.fixture
def cli(monkeypatch, capsysbinary, settings, bundled_template):
    """Run `partnergraph ARGS...` in this process against this test's store
    (with the bundled data); returns (exit status, stdout text, stderr text)."""
    copy_of_bundled(bundled_template, settings)
    monkeypatch.setenv("PARTNERGRAPH_STORE", settings.store)

    def run(*args: str, stdin: str | None = None):
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        status = main(list(args))
        captured = capsysbinary.readouterr()
        return status, captured.out.decode("utf-8"), captured.err.decode("utf-8")

    return run


@pytest.fixture
def app(settings, bundled_template):
    """The application on a store of this test's own: for tests that write."""
    copy_of_bundled(bundled_template, settings)
    app = create_app(settings, test_config={"TESTING": True})
    yield app
    close(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def shared_app(tmp_path_factory, bundled_template):
    """One application for every test that only reads. It has no write token,
    so nothing sent over HTTP can change its store."""
    settings = Settings(store=str(tmp_path_factory.mktemp("shared") / "store"))
    copy_of_bundled(bundled_template, settings)
    app = create_app(settings, test_config={"TESTING": True})
    yield app
    close(app)


@pytest.fixture
def read_client(shared_app):
    """A test client of the shared, read-only application."""
    return shared_app.test_client()
