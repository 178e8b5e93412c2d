"""Values worked out from the whole store (the network model, the search
index, the analysis and its measures), kept per data version.

Each store holds one DerivedCache. A value is built at most once at a time:
requests that ask for it while it is being built wait for that build rather
than each building it (all of them slower for it).

In the background mode (the service's), a write does not make anyone wait:
the values already asked for are rebuilt for the new data version by one
worker thread, and until a new one lands the previous one is served, marked
stale with its age. Only a key with no value at all makes `get` wait;
`state` never waits. The worker ends when nothing is left to build, so no
thread outlives its work. The waiting mode (the library's and the tests'
default) builds in the asking thread for the current version, as a notebook
expects after its own write.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Derived(Generic[T]):
    """A value and the data version it was worked out for."""
    value: T
    version: str
    built_at: float  # time.monotonic() when it landed
    stale: bool = False

    @property
    def age(self) -> float:
        """Seconds since the value landed."""
        return time.monotonic() - self.built_at


class DerivedCache:
    def __init__(self, current_version: Callable[[], str], background: bool = False) -> None:
        self._current_version = current_version
        self.background = background
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._values: dict[Hashable, Derived[Any]] = {}
        self._builders: dict[Hashable, Callable[[], Any]] = {}
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._queue: dict[Hashable, None] = {}  # ordered, no key twice
        self._worker: threading.Thread | None = None
        self._fresh = threading.local()
        self._served = threading.local()
        self._closed = False
        self._on_close: list[Callable[[], None]] = []

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value of `key`: fresh, or in the background mode the previous
        version's while the new one is built. Waits only when there is none."""
        found = self.state(key, build, wait=True)
        assert found is not None
        return found.value

    def state(self, key: Hashable, build: Callable[[], T], *,
              wait: bool = False) -> Derived[T] | None:
        """The value of `key` with its version and age. In the background
        mode, without `wait`, it never waits: None while no value exists yet
        (a build is then under way)."""
        version = self._current_version()
        with self._lock:
            self._builders[key] = build
            found = self._values.get(key)
            if found is not None and found.version == version:
                return found
            # A build that needs another value needs it for its own version.
            building_here = not self.background or getattr(self._fresh, "active", False)
            if not building_here:
                self._schedule(key)
                if found is not None:
                    self._served.stale = True
                    return Derived(found.value, found.version, found.built_at, stale=True)
                if not wait:
                    # What is made without it says "being computed": as
                    # short-lived as a stale value.
                    self._served.stale = True
                    return None
        return self._build(key, build, version, accept_any=not building_here)

    def served_stale(self) -> bool:
        """Whether this thread was given a stale value (or none, while the
        first is built) since it last asked; asking resets it. A cache of
        rendered answers keeps none made of one."""
        stale = getattr(self._served, "stale", False)
        self._served.stale = False
        return stale

    def refresh(self) -> None:
        """After a write: rebuild every value asked for so far, in the
        background (nothing happens in the waiting mode)."""
        if not self.background:
            return
        with self._lock:
            for key in self._builders:
                self._schedule(key)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no background build is queued or running."""
        with self._idle:
            return self._idle.wait_for(lambda: self._worker is None, timeout)

    def close(self) -> None:
        """No new background builds; the running one ends on its own. What
        the values hold outside this process (on_close) is released."""
        with self._lock:
            self._closed = True
            self._queue.clear()
            closers, self._on_close = self._on_close, []
        for closer in closers:
            closer()

    def on_close(self, closer: Callable[[], None]) -> None:
        with self._lock:
            self._on_close.append(closer)

    def forget(self, key: Hashable) -> None:
        """Drop `key`'s value (one that no longer answers): the next ask builds it."""
        with self._lock:
            self._values.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    # -- building -----------------------------------------------------------
    def _build(self, key: Hashable, build: Callable[[], T], version: str, *,
               accept_any: bool) -> Derived[T]:
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                found = self._values.get(key)
                if found is not None and (accept_any or found.version == version):
                    return Derived(found.value, found.version, found.built_at,
                                   stale=found.version != version)
            outer = getattr(self._fresh, "active", False)
            self._fresh.active = True
            try:
                value = build()
            finally:
                self._fresh.active = outer
            landed = Derived(value, version, time.monotonic())
            with self._lock:
                # One value per key: the new one drops the old.
                self._values[key] = landed
            return landed

    def _schedule(self, key: Hashable) -> None:
        """Queue `key` for the worker (the lock is held)."""
        if self._closed:
            return
        self._queue[key] = None
        if self._worker is None:
            self._worker = threading.Thread(target=self._work, name="derived-values",
                                            daemon=True)
            self._worker.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._queue or self._closed:
                    self._queue.clear()
                    self._worker = None
                    self._idle.notify_all()
                    return
                key = next(iter(self._queue))
                del self._queue[key]
                build = self._builders[key]
            try:
                self._build(key, build, self._current_version(), accept_any=False)
            except Exception:
                if not self._closed:  # a closed store fails its reads; that is no news
                    _log.exception("building %r in the background failed", key)
