"""The answers of known cheap queries, kept for the snapshot they came from.

A dashboard or an embed sends the same small query again and again, and
between two writes the answer cannot change: the snapshot a known cheap query
reads (graph.store.known_cheap) is a read-only copy of one data version, and
the query's work is the same each run. So the serialised answer is kept and
given again until the data version changes; the engine is not asked, and the
request thread keeps the interpreter's lock it would otherwise give up and
wait for while the engine runs. Queries whose answer may differ between runs
over the same data (the current time, random numbers, new identifiers,
remote endpoints) are never kept.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import NamedTuple

from graph.store.known_cheap import VARYING_WORK

# Bytes of answers kept in all; the least recently given go first.
MAX_BYTES = 32 * 1024 * 1024
# A longer answer is not kept: it costs more to send than to compute.
MAX_ANSWER = 256 * 1024
# Besides the words whose work varies, those whose answer does over the same
# work: the current time, new blank nodes. Matched anywhere in the text,
# strings and comments included: a false match only means the answer is
# computed each time.
_VARYING = re.compile(rf"\b(?:{'|'.join((*VARYING_WORK, 'NOW', 'BNODE'))})\b", re.IGNORECASE)


class Answer(NamedTuple):
    kind: str
    body: bytes
    cut: bool


class CheapAnswers:
    """Answers by (snapshot, QueryJob.work); safe for concurrent threads."""

    def __init__(self, max_bytes: int = MAX_BYTES, max_answer: int = MAX_ANSWER):
        self.max_bytes = max_bytes
        self.max_answer = max_answer
        self._snapshot: str | None = None
        self._kept: OrderedDict[Hashable, Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, snapshot: str, work: Hashable) -> Answer | None:
        with self._lock:
            if snapshot != self._snapshot:
                return None
            answer = self._kept.get(work)
            if answer is not None:
                self._kept.move_to_end(work)
            return answer

    def keep(self, snapshot: str, work: Hashable, query: str, answer: Answer) -> None:
        if len(answer.body) > self.max_answer or _VARYING.search(query):
            return
        with self._lock:
            if snapshot != self._snapshot:
                self._snapshot = snapshot
                self._kept.clear()
                self._bytes = 0
            old = self._kept.pop(work, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._kept[work] = answer
            self._bytes += len(answer.body)
            while self._bytes > self.max_bytes:
                _, dropped = self._kept.popitem(last=False)
                self._bytes -= len(dropped.body)

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()
            self._bytes = 0
