"""Progress of long work: a bar on stderr for the command line, and the
callback through which imports and restores tell any caller (the command
line, a web page) how far they are.

A callback is called as `progress(stage, done, total)`: the stage's name
("reading", "checking", "saving", "writing", "compacting"), and how much of
it is done out of `total` (rows, parts or triples, whatever the stage
counts). It is called often; a caller that draws keeps its own pace."""
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

ProgressCallback = Callable[[str, int, int], None]

# What each stage is called on the command line.
STAGE_LABELS = {
    "reading": "reading rows",
    "checking": "checking shapes",
    "comparing": "comparing",
    "saving": "keeping the old content",
    "writing": "writing",
    "compacting": "compacting the store",
}


class Progress:
    """Shows how much of a known total is done, once `delay` seconds have
    passed; silent before that and when not enabled. `unit` "MB" counts
    bytes; any other unit is a word for what is counted ("parts"); with
    none, the bar shows the seconds gone instead."""

    def __init__(self, total: int, *, label: str = "loading",
                 stream: TextIO | None = None, enabled: bool | None = None,
                 delay: float = 0.5, width: int = 30, unit: str = "MB"):
        self.total = max(total, 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.delay = delay
        self.width = width
        self.unit = unit
        self.done = 0
        self._start = time.monotonic()
        self._last_draw = 0.0
        self._shown = False

    def advance(self, amount: int) -> None:
        self.update(self.done + amount)

    def update(self, done: int) -> None:
        self.done = done
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
        bar = "#" * filled + "-" * (self.width - filled)
        if self.unit == "MB":
            rate = self.done / max(now - self._start, 1e-6) / 1e6
            amount = f"{self.done / 1e6:.1f}/{self.total / 1e6:.1f} MB {rate:.1f} MB/s"
        elif self.unit:
            amount = f"{self.done:,}/{self.total:,} {self.unit}"
        else:
            amount = f"{now - self._start:.0f} s"
        self.stream.write(f"\r{self.label} [{bar}] {fraction:6.1%} {amount}")
        self.stream.flush()
        self._shown = True


class StageBars:
    """A ProgressCallback that draws one bar per stage on stderr, ending
    each stage's line when the next stage starts (or at `finish`)."""

    def __init__(self, *, enabled: bool | None = None, stream: TextIO | None = None,
                 delay: float = 0.5):
        self.enabled, self.stream, self.delay = enabled, stream, delay
        self._stage: str | None = None
        self._bar: Progress | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage or self._bar is None:
            self.finish()
            self._stage = stage
            self._bar = Progress(total, label=STAGE_LABELS.get(stage, stage), stream=self.stream,
                                 enabled=self.enabled, delay=self.delay, unit="")
        self._bar.total = max(total, 1)
        self._bar.update(done)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.finish()
        self._bar, self._stage = None, None


def report_to(progress: ProgressCallback | None, stage: str, total: int) -> Callable[[int], None]:
    """An `advance(amount)` that adds up what is done of `stage` and tells
    `progress`, at most every `total / 200` (a callback per row would cost
    more than the row); does nothing without a callback."""
    if progress is None:
        return _nothing
    step = max(total // 200, 1)
    state = {"done": 0, "told": 0}

    def advance(amount: int) -> None:
        state["done"] += amount
        if state["done"] - state["told"] >= step or state["done"] >= total:
            state["told"] = state["done"]
            progress(stage, min(state["done"], total), total)

    return advance


def _nothing(amount: int) -> None:
    pass
