"""Shared fixtures: stores on the bundled data, the app, and a CLI runner.

Tests live in tiers, one folder each, each marked with its folder's name:
library, web, protocol, browser (`python -m pytest -m library`, or the folder).
"""
from __future__ import annotations

import sys

import pytest

from graph.ingest.bundled import open_initialised
from graph.settings import Settings
from graph.store.open import open_store

TIERS = ("library", "web", "protocol", "browser")


def pytest_collection_modifyitems(items):
    for item in items:
        tier = item.path.parent.name
        if tier in TIERS:
            item.add_marker(tier)


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory):
    """A store initialised with the bundled data, shared by read-only tests."""
    settings = Settings(store=str(tmp_path_factory.mktemp("bundled") / "store"))
    store = open_initialised(settings)
    yield store
    store.close()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(store=str(tmp_path / "store"))


@pytest.fixture
def store(settings):
    """A fresh store of this test's own, with the bundled data."""
    store = open_initialised(settings)
    yield store
    store.close()


@pytest.fixture
def empty_store(settings):
    store = open_store(settings)
    yield store
    store.close()


@pytest.fixture
def cli(monkeypatch, capsysbinary, settings):
    """Run `partnergraph ARGS...` in this process against this test's store;
    returns (exit status, stdout text, stderr text)."""
    from server.cli import main

    monkeypatch.setenv("PARTNERGRAPH_STORE", settings.store)

    def run(*args: str, stdin: str | None = None):
        if stdin is not None:
            import io
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        status = main(list(args))
        captured = capsysbinary.readouterr()
        return status, captured.out.decode("utf-8"), captured.err.decode("utf-8")

    return run


@pytest.fixture
def app(settings):
    from server import create_app
    app = create_app(settings, test_config={"TESTING": True})
    yield app
    from server.support.store import close
    close(app)


@pytest.fixture
def client(app):
    return app.test_client()
