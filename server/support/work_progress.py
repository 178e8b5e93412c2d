"""How far a long request has come, for the page that waits on it.

A browser import sends, with its file, an id of its own making; the request
reports its stages here under that id (graph/ingest/progress.py's callback)
and the page asks /admin/import/progress/<id> while it waits. The service
runs as one process with threads, so the states live in its memory;
they hold only stage names and counts, go an hour after their last report,
and are never more than `_MOST` at once. `tracker` starts a state anew, so
an id used twice reports its latest request only."""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from graph.ingest.progress import ProgressCallback

_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
_KEEP = 3600
_MOST = 1000


@dataclass(frozen=True)
class State:
    stage: str                      # "done" once the request has answered
    done: int
    total: int
    at: float
    passed: tuple[str, ...] = ()    # the stages before this one, in order


_lock = threading.Lock()
_states: dict[str, State] = {}


def tracker(work_id: str | None) -> ProgressCallback | None:
    """A progress callback that keeps its latest report under `work_id`;
    None when the id is missing or malformed (the work then goes unreported)."""
    if not work_id or not _ID.fullmatch(work_id):
        return None
    with _lock:
        _states.pop(work_id, None)

    def report(stage: str, done: int, total: int) -> None:
        _report(work_id, stage, done, total)

    report("starting", 0, 1)
    return report


def state(work_id: str) -> State | None:
    """The latest report under `work_id`, or None when there is none."""
    with _lock:
        return _states.get(work_id) if _ID.fullmatch(work_id) else None


def finished(work_id: str | None) -> None:
    """Say that the request sent with `work_id` has answered: a page that
    asks once more learns that it is done, and which stages it went through."""
    if work_id and _ID.fullmatch(work_id):
        _report(work_id, "done", 1, 1)


def _report(work_id: str, stage: str, done: int, total: int) -> None:
    now = time.monotonic()
    with _lock:
        before = _states.get(work_id)
        if before is None and len(_states) >= _MOST:
            for key in [key for key, s in _states.items() if now - s.at > _KEEP]:
                del _states[key]
            if len(_states) >= _MOST:
                return
        passed = before.passed if before else ()
        if before and before.stage != stage and before.stage not in passed:
            passed += (before.stage,)
        _states[work_id] = State(stage, done, total, now, passed)
