"""A progress bar on stderr for loads that take more than a moment."""
from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Shows bytes read of a known total, and quads so far, once `delay`
    seconds have passed; silent before that and when not enabled."""

    def __init__(self, total_bytes: int, *, label: str = "loading",
                 stream: TextIO | None = None, enabled: bool | None = None,
                 delay: float = 0.5, width: int = 30):
        self.total = max(total_bytes, 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.delay = delay
        self.width = width
        self.done = 0
        self._start = time.monotonic()
        self._last_draw = 0.0
        self._shown = False

    def advance(self, nbytes: int) -> None:
        self.done += nbytes
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._start < self.delay or now - self._last_draw < 0.1:
            return
        self._last_draw = now
        self._draw(now)

    def finish(self) -> None:
        if self._shown:
            self.done = self.total
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, now: float) -> None:
        fraction = min(self.done / self.total, 1.0)
        filled = int(fraction * self.width)
        rate = self.done / max(now - self._start, 1e-6) / 1e6
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {fraction:6.1%} "
                          f"{self.done / 1e6:.1f}/{self.total / 1e6:.1f} MB {rate:.1f} MB/s")
        self.stream.flush()
        self._shown = True
