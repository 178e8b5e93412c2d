"""Values worked out from the whole store (the network model, the search
index, the analysis projection), kept until the data version changes.

Each store holds one DerivedCache. Requests that ask for the same value at
the same time wait for one build instead of each building it (all of them
slower for it); a new data version drops every value of the old one.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class DerivedCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: str | None = None
        self._values: dict[Hashable, Any] = {}
        self._building: dict[Hashable, threading.Lock] = {}

    def get(self, version: str, key: Hashable, build: Callable[[], T]) -> T:
        """The value of `key` for data `version`, built by `build` if needed."""
        with self._lock:
            if version != self._version:
                self._version = version
                self._values.clear()
                self._building.clear()
            if key in self._values:
                return self._values[key]
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                if self._version == version and key in self._values:
                    return self._values[key]
            value = build()
            with self._lock:
                if self._version == version:
                    self._values[key] = value
            return value

    def clear(self) -> None:
        with self._lock:
            self._version = None
            self._values.clear()
            self._building.clear()
