"""Which queries may skip the killable worker: those already seen to finish
quickly in one, over the same snapshot.

A query from outside runs in a worker process so that the time limit can kill
it (graph.store.query_workers). For the small queries dashboards and embeds
send again and again, the trip to the worker costs more than the query. The
same text over the same read-only snapshot, with the same dataset, bindings
and row cap, does the same work each time; so once a query has finished in a
worker within `CHEAP_S` of CPU time (CPU, not the clock: on a busy machine a
clock would count other processes' turns), its next runs over that snapshot
are answered in the web process. A runaway query never finishes within
`CHEAP_S`, so it never qualifies and is always stopped at its limit. Queries whose work may differ
from one run to the next (random numbers, new identifiers, remote endpoints)
never qualify either.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Hashable

# A query that took more CPU seconds than this in a worker keeps going to
# workers: a request thread a query here holds is held no longer than a
# few trips to a worker would take, far below any time limit a person sets.
CHEAP_S = 0.01
# How many queries are remembered per snapshot; the oldest goes first.
ENTRIES = 2048
# What is kept of each small query once read (its prepared job, its kind of
# answer), per data version: texts up to this length, up to this many.
PREPARED_TEXT_MAX = 8192
PREPARED_ENTRIES = 1024
# Words whose results, and so whose work, may change between runs of the
# same text. Matched anywhere in the text, strings and comments included:
# a false match only sends a query to a worker.
VARYING_WORK = ("RAND", "UUID", "STRUUID", "SERVICE")
_VARYING = re.compile(rf"\b(?:{'|'.join(VARYING_WORK)})\b", re.IGNORECASE)


class KnownCheap:
    """Queries seen to finish within `limit` seconds in a worker, for the
    snapshot they ran over, each under a key of everything that decides its
    work (QueryJob.work). Safe for concurrent request threads."""

    def __init__(self, limit: float = CHEAP_S, entries: int = ENTRIES):
        self.limit = limit
        self.entries = entries
        self._snapshot: str | None = None
        self._seen: OrderedDict[Hashable, float] = OrderedDict()
        self._lock = threading.Lock()

    def allows(self, snapshot: str, work: Hashable, timeout: float) -> bool:
        """Whether the query may run in this process under a limit of `timeout` s."""
        with self._lock:
            if snapshot != self._snapshot:
                return False
            seconds = self._seen.get(work)
            if seconds is None:
                return False
            self._seen.move_to_end(work)
        return seconds < timeout

    def record(self, snapshot: str, work: Hashable, query: str, seconds: float) -> None:
        """Note that the query `work` stands for (its text `query`) took
        `seconds` of CPU in a worker over `snapshot`, answering in full."""
        if seconds >= self.limit or _VARYING.search(query):
            return
        with self._lock:
            if snapshot != self._snapshot:
                # A new data version: what was cheap may no longer be.
                self._snapshot = snapshot
                self._seen.clear()
            self._seen[work] = seconds
            self._seen.move_to_end(work)
            while len(self._seen) > self.entries:
                self._seen.popitem(last=False)

    def forget(self) -> None:
        """Forget every query seen: each goes to a worker again."""
        with self._lock:
            self._seen.clear()
