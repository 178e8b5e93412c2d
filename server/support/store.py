"""One store per application: opened when the app is built, shared by every
request thread (the store is safe for concurrent readers and a writer)."""
from __future__ import annotations

import atexit
import threading

from flask import Flask, current_app

from graph.analysis.prepared import analysis_state
from graph.ingest.bundled import open_initialised
from graph.store.base import Store
from graph.views.filters import index_state
from graph.views.network_views import start_country_links
from graph.views.overview import start_overview
from graph.views.search import start_index

_KEY = "partnergraph.store"


def init_app(app: Flask) -> None:
    store = open_initialised(app.config["PARTNERGRAPH"])
    app.extensions[_KEY] = store
    atexit.register(store.close)
    if store.settings.derived_background:
        # The whole-graph values start building now, in the background, so
        # that the first visitors find them (graph.store.derived); the first
        # of them takes the data version's snapshot.
        # Cheapest and most used first: the search index, the home page's
        # overview, the network's country links and activity index
        # (explore, embeds), then the analysis.
        start_index(store)
        for lang in ("en", "sv"):
            start_overview(store, lang)
        start_country_links(store)
        index_state(store)
        for lang in ("en", "sv"):
            analysis_state(store, lang)
    elif not store.settings.store_is_remote:
        # The first read of a data version takes its snapshot; taking it now,
        # beside the start-up, spares the first visitor the wait.
        threading.Thread(target=_warm, args=(store,), daemon=True).start()


def _warm(store: Store) -> None:
    try:
        store.ask("ASK {}")
    except Exception:  # a store closed meanwhile: the first read takes it instead
        pass


def get_store() -> Store:
    return current_app.extensions[_KEY]


def store_of(app: Flask) -> Store:
    """The app's store, outside a request (for a WSGI front of the app)."""
    return app.extensions[_KEY]


def close(app: Flask) -> None:
    """Stop the query workers and release the store (tests open many apps)."""
    app.extensions[_KEY].close()
