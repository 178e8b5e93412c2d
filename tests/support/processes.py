"""Starting the service and other programs as separate processes."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

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
