"""Python's cycle collector paused for work that makes millions of short-lived
objects (an import's rows, quads and checks).

The collector runs every few hundred thousand allocations and then walks
every object the process holds, the import's own among them: on a large
import it took a third of the checking time, to find nothing, since none of
those objects form cycles. Paused for the work and run once after it, it
finds the same garbage, once."""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0
_was_enabled = True


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause the collector for the `with` block (blocks may nest, and run in
    several threads: it runs again when the last one ends)."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
        _paused += 1
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
