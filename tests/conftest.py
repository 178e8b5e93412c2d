"""Shared fixtures: stores on the bundled data, the app, and a CLI runner."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.ingest.bundled import open_initialised
from graph.settings import Settings
from graph.store.open import open_store

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory):
    """A store initialised with the bundled data, shared by read-only tests."""
    settings = Settings(store=str(tmp_path_factory.mktemp("bundled") / "store"))
    store = open_initialised(settings)
    yield store
    store.close()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(store=str(tmp_path / "store"))


@pytest.fixture
def store(settings):
    """A fresh store of this test's own, with the bundled data."""
    store = open_initialised(settings)
    yield store
    store.close()


@pytest.fixture
def empty_store(settings):
    store = open_store(settings)
    yield store
    store.close()


@pytest.fixture
def cli(monkeypatch, capsysbinary, settings):
    """Run `partnergraph ARGS...` in this process against this test's store;
    returns (exit status, stdout text, stderr text)."""
    from server.cli import main

    monkeypatch.setenv("PARTNERGRAPH_STORE", settings.store)

    def run(*args: str, stdin: str | None = None):
        if stdin is not None:
            import io
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        status = main(list(args))
        captured = capsysbinary.readouterr()
        return status, captured.out.decode("utf-8"), captured.err.decode("utf-8")

    return run


@pytest.fixture
def app(settings):
    from server import create_app
    app = create_app(settings, test_config={"TESTING": True})
    yield app
    from server.support.store import close
    close(app)


@pytest.fixture
def client(app):
    return app.test_client()


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
    env.update(extra)
    return env
