"""Opening the store that the settings name: one table of backends by the
scheme of PARTNERGRAPH_STORE (a directory for the embedded store)."""
from __future__ import annotations

from collections.abc import Callable

from graph.errors import ConfigError
from graph.settings import Settings
from graph.store.base import Store
from graph.store.embedded import EmbeddedStore
from graph.store.remote import RemoteStore

BACKENDS: dict[str, Callable[[Settings], Store]] = {
    "": EmbeddedStore,
    "http": RemoteStore,
    "https": RemoteStore,
}


def open_store(settings: Settings) -> Store:
    """The store the settings name, as it is (see graph.ingest.bundled for a
    store filled with the bundled data on first use)."""
    scheme = settings.store.split("://", 1)[0] if "://" in settings.store else ""
    factory = BACKENDS.get(scheme)
    if factory is None:
        raise ConfigError(
            f"PARTNERGRAPH_STORE={settings.store!r}: no backend for {scheme}:// "
            "stores; give a directory for the embedded store, or an http(s):// "
            "SPARQL endpoint")
    return factory(settings)
