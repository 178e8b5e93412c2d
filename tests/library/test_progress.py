"""The load progress bar: silent for quick loads, then the share read."""
from __future__ import annotations

import io

from graph.ingest.progress import Progress


def test_a_quick_load_shows_nothing():
    stream = io.StringIO()
    bar = Progress(1000, stream=stream, enabled=True, delay=60)
    bar.advance(1000)
    bar.finish()
    assert stream.getvalue() == ""


def test_a_slow_load_shows_the_share_read_and_ends_the_line():
    stream = io.StringIO()
    bar = Progress(4_000_000, stream=stream, enabled=True, delay=0)
    bar.advance(1_000_000)
    assert "[#######-----------------------]  25.0%" in stream.getvalue()
    bar.finish()
    last = stream.getvalue().rsplit("\r", 1)[1]
    assert "100.0% 4.0/4.0 MB" in last
    assert last.endswith("\n")


def test_not_shown_when_not_enabled():
    stream = io.StringIO()
    bar = Progress(10, stream=stream, enabled=False, delay=0)
    bar.advance(10)
    bar.finish()
    assert stream.getvalue() == ""
