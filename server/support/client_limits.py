"""How much heavy work each client may have under way: SPARQL queries from
outside and whole-graph reads, which hold a query slot (a worker process of
the embedded store, or a connection to the remote one) until they end or
reach their time limit.

At most PARTNERGRAPH_QUERY_WORKERS such requests run at once, and one client
at most PARTNERGRAPH_CLIENT_QUERIES of them. A client's first request takes
any free slot; each more it starts needs as many slots left free for others
as it already holds. A client whose query held its slot a quarter of the
time limit or more (a long one: small queries take milliseconds) counts as
heavy for one time limit after; heavy clients together hold at most a quarter of the slots (one at
least). So a few clients
whose queries run to the time limit cannot take every slot and leave
everyone else's small queries waiting behind them.

A request over these limits gets 503 with Retry-After (when the soonest of
the queries in its way ends or reaches its time limit); one from a client
with nothing under way and not heavy first waits up to PARTNERGRAPH_BUSY_WAIT
seconds for a slot. Waiting holds one of the server's threads, which pages
need too, so only twice as many requests wait at once as there are slots:
heavy work holds at most three times as many threads as there are slots (the
README's production recipes give the server 16 for 4 slots).

A client is its IP address (the server's REMOTE_ADDR: behind a reverse proxy,
have the proxy pass on the client's address, or every client counts as one).
"""
from __future__ import annotations

import functools
import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import ParamSpec, cast

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import ServiceUnavailable

from graph.settings import Settings

P = ParamSpec("P")


@dataclass
class _Running:
    """The deadlines of the heavy requests under way, by client."""
    by_client: dict[str, list[float]] = field(default_factory=dict)

    def total(self) -> int:
        return sum(len(deadlines) for deadlines in self.by_client.values())


class ClientLimits:
    """The slots of one application (see the module's docstring)."""

    def __init__(self, slots: int, per_client: int, wait: float, time_limit: float):
        self.slots = slots
        self.per_client = per_client
        self.wait = wait
        self.time_limit = time_limit
        # A query that holds its slot this long makes its client heavy: far
        # beyond a small query, even one slowed down by a busy machine.
        self.long = time_limit / 4
        # Heavy clients may hold a quarter of the slots: on a machine with as
        # many cores as there are slots, the rest of its cores stay free for
        # everyone else.
        self.for_heavy = max(1, slots // 4)
        self.waiting_at_most = 2 * slots
        self._running = _Running()
        self._waiting = 0
        self._heavy_until: dict[str, float] = {}
        self._changed = threading.Condition()

    def take(self, client: str) -> Callable[[], None]:
        """A slot for `client`, or ServiceUnavailable with Retry-After (after
        waiting, for a client that may wait); returns what gives it back."""
        give_up = time.monotonic() + self.wait
        with self._changed:
            blocked = self._blocked_by(client)
            if blocked is not None and not self._may_wait(client):
                raise self._busy(client, blocked)
            self._waiting += 1
            try:
                while blocked is not None:
                    left = give_up - time.monotonic()
                    if left <= 0:
                        raise self._busy(client, blocked)
                    self._changed.wait(left)
                    blocked = self._blocked_by(client)
            finally:
                self._waiting -= 1
            started = time.monotonic()
            deadline = started + self.time_limit
            self._running.by_client.setdefault(client, []).append(deadline)
        given_back = threading.Event()

        def give_back() -> None:
            if not given_back.is_set():
                given_back.set()
                self._give_back(client, deadline, time.monotonic() - started)
        return give_back

    def under_way(self) -> tuple[int, int]:
        """(requests holding a slot, requests waiting for one)."""
        with self._changed:
            return self._running.total(), self._waiting

    def _heavy(self, client: str) -> bool:
        return self._heavy_until.get(client, 0.0) > time.monotonic()

    def _may_wait(self, client: str) -> bool:
        return (client not in self._running.by_client and not self._heavy(client)
                and self._waiting < self.waiting_at_most)

    def _blocked_by(self, client: str) -> list[float] | None:
        """The deadlines of the requests in the client's way, or None when it
        may start one now."""
        by_client = self._running.by_client
        own = by_client.get(client, [])
        if len(own) >= self.per_client:
            return own
        if self.slots - self._running.total() <= len(own):
            return [d for deadlines in by_client.values() for d in deadlines]
        if self._heavy(client):
            heavy = [d for c, deadlines in by_client.items() if self._heavy(c) for d in deadlines]
            if len(heavy) >= self.for_heavy:
                return heavy
        return None

    def _busy(self, client: str, blocked: list[float]) -> ServiceUnavailable:
        retry = max(1, math.ceil(min(blocked) - time.monotonic()))
        own = len(self._running.by_client.get(client, []))
        if own >= self.per_client:
            why = (f"You have {own} queries running, as many as one client may have at once "
                   f"(PARTNERGRAPH_CLIENT_QUERIES={self.per_client}).")
        elif self.slots - self._running.total() <= own:
            why = (f"All {self.slots} query slots are taken or kept for other clients "
                   f"(PARTNERGRAPH_QUERY_WORKERS={self.slots}); you have {own} running.")
        else:
            why = (f"Your recent queries ran long, and clients whose queries run long share "
                   f"{self.for_heavy} of the {self.slots} query slots, which are taken.")
        return ServiceUnavailable(
            f"The server is busy. {why} Try again in {retry} s (Retry-After), when the "
            f"soonest of them ends or reaches its time limit.", retry_after=retry)

    def _give_back(self, client: str, deadline: float, held: float) -> None:
        with self._changed:
            own = self._running.by_client[client]
            own.remove(deadline)
            if not own:
                del self._running.by_client[client]
            now = time.monotonic()
            if held >= self.long:
                self._heavy_until[client] = now + self.time_limit
            # Forget the clients no longer heavy, so that the table stays small.
            self._heavy_until = {c: t for c, t in self._heavy_until.items() if t > now}
            self._changed.notify_all()


def init_app(app: Flask) -> None:
    settings: Settings = app.config["PARTNERGRAPH"]
    app.extensions["partnergraph.client_limits"] = ClientLimits(
        settings.query_workers, settings.client_queries, settings.busy_wait,
        settings.query_timeout)


def _limits() -> ClientLimits:
    return current_app.extensions["partnergraph.client_limits"]


def queries_under_way() -> dict[str, int]:
    """How many heavy requests hold a slot now, and how many wait (for /healthz)."""
    running, waiting = _limits().under_way()
    return {"queries_under_way": running, "queries_waiting": waiting}


def heavy(view: Callable[P, Response]) -> Callable[P, Response]:
    """Run `view` (which gives a Response, possibly streamed) in a slot of
    the requesting client, held until the answer is whole or, streamed, sent."""
    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        give_back = _limits().take(request.remote_addr or "unknown")
        try:
            response = view(*args, **kwargs)
        except BaseException:
            give_back()
            raise
        if not response.is_streamed:
            # The answer is whole: its query is over.
            give_back()
            return response
        # The protocol endpoints stream bytes only.
        response.response = _until_done(cast(Iterable[bytes], response.response), give_back)
        response.call_on_close(give_back)
        return response
    return wrapper


def _until_done(body: Iterable[bytes], done: Callable[[], None]) -> Iterator[bytes]:
    """`body`, calling `done` once it has all been read or its reading
    stopped (a client gone half way); the server's close() of the response
    calls it too, for a body never started."""
    try:
        yield from body
    finally:
        done()
