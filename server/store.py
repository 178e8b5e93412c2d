"""One store per application: opened when the app is built, shared by every
request thread (the store is safe for concurrent readers and a writer)."""
from __future__ import annotations

import atexit

from flask import Flask, current_app

from graph.store import Store, open_store

_KEY = "partnergraph.store"


def init_app(app: Flask) -> None:
    store = open_store(app.config["PARTNERGRAPH"])
    app.extensions[_KEY] = store
    atexit.register(store.close)


def get_store() -> Store:
    return current_app.extensions[_KEY]
