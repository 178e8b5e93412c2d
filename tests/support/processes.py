"""Starting the service and other programs as separate processes."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def partnergraph_command() -> list[str]:
    return [sys.executable, "-m", "server.cli"]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    import urllib.request
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: "
                               + process.stderr.read().decode(errors="replace"))
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(url)


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    # Pages then show whole-graph sections at once rather than "being computed".
    env.setdefault("PARTNERGRAPH_DERIVED", "wait")
    env.update(extra)
    return env


@contextmanager
def running_engine(name: str, command: list[str], *, output: Path, log: Path, probe: str,
                   cwd: Path | None = None, startup: float = 30.0,
                   stop_wait: float = 10.0) -> Iterator[subprocess.Popen]:
    """Start a database server (`command`), its output in the file `output`,
    wait until `probe` (a URL) answers, and stop it on leaving. `log` is shown
    when it does not come up."""
    with output.open("wb") as out:
        # A file rather than a pipe: nobody reads a pipe while tests run, and a
        # full one would stall the server.
        process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + startup
        while True:
            if process.poll() is not None:
                pytest.fail(f"{name} exited with status {process.returncode}:\n"
                            + _tail(log), pytrace=False)
            try:
                with urllib.request.urlopen(probe, timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail(f"{name} did not answer at {probe} within {startup:g} s:\n"
                                + _tail(log), pytrace=False)
                time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=stop_wait)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
