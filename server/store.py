"""One store per application: opened when the app is built, shared by every
request thread (the store is safe for concurrent readers and a writer)."""
from __future__ import annotations

import atexit
import threading

from flask import Flask, current_app

from graph.sparql_service import SparqlService
from graph.store import Store, open_store

_KEY = "partnergraph.store"
_SPARQL = "partnergraph.sparql"


def init_app(app: Flask) -> None:
    settings = app.config["PARTNERGRAPH"]
    store = open_store(settings)
    sparql = SparqlService(store, settings)
    app.extensions[_KEY] = store
    app.extensions[_SPARQL] = sparql
    atexit.register(store.close)
    atexit.register(sparql.close)
    if hasattr(store, "snapshot"):
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


def get_sparql() -> SparqlService:
    return current_app.extensions[_SPARQL]


def close(app: Flask) -> None:
    """Stop the query workers and release the store (tests open many apps)."""
    app.extensions[_SPARQL].close()
    app.extensions[_KEY].close()
