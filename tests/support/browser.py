"""Real Chromium for tests of what a person sees and clicks: Debian's
`chromium` driven by Playwright, against a real `partnergraph serve`.

Fixtures (import them into a test module):
- `live_server`: a running service on the embedded store with the bundled
  data, shared by a module; `.url(path)` makes an absolute URL.
- `page`: a fresh browser page whose every request is recorded in
  `page.requests` and whose console errors and page errors are collected in
  `page.errors`; `page.dialogs` records any alert/confirm (injected script).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.processes import free_port, partnergraph_command, subprocess_env, wait_for_http

CHROMIUM_FLAGS = [
    # As root in a container there is no sandbox to use; the rest keep
    # Chromium from calling home through a closed network.
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


# Where screenshots go, to be looked at by a person after the run.
SHOTS = Path(os.environ.get("PARTNERGRAPH_SCREENSHOTS", "/tmp/partnergraph-screenshots"))


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    """Save what the page shows as SHOTS/NAME.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def overflow(page) -> int:
    """How many pixels the page is wider than its window (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("The browser tests need Debian's chromium (apt-get install chromium); "
                    "tests/run.sh installs it.", pytrace=False)
    return path


@dataclass
class LiveServer:
    port: int
    process: subprocess.Popen
    store: str

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def start_live_server(folder, template=None, **env) -> LiveServer:
    """`partnergraph serve` on the store in `folder` (made there from the
    `template` store folder, when one is given)."""
    port = free_port()
    store = str(folder / "store")
    if template is not None and not (folder / "store").exists():
        shutil.copytree(template, store)
    process = subprocess.Popen(
        [*partnergraph_command(), "serve", "--port", str(port)],
        env=subprocess_env(PARTNERGRAPH_STORE=store, **env),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for_http(f"http://127.0.0.1:{port}/healthz", process, timeout=60)
    return LiveServer(port, process, store)


def stop_live_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(15)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, bundled_template):
    server = start_live_server(tmp_path_factory.mktemp("live"), bundled_template)
    yield server
    stop_live_server(server)


# Each test module that imports `browser` gets its own session fixture, but
# Playwright's sync API allows only one running instance: they share it.
_SHARED: dict = {"users": 0}


@pytest.fixture(scope="session")
def browser():
    if not _SHARED["users"]:
        from playwright.sync_api import sync_playwright
        playwright = sync_playwright().start()
        _SHARED["playwright"] = playwright
        _SHARED["browser"] = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
    _SHARED["users"] += 1
    try:
        yield _SHARED["browser"]
    finally:
        _SHARED["users"] -= 1
        if not _SHARED["users"]:
            _SHARED.pop("browser").close()
            _SHARED.pop("playwright").stop()


@dataclass
class Recorder:
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    record = Recorder()
    page.on("request", lambda request: record.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and record.errors.append(message.text))
    page.on("pageerror", lambda error: record.errors.append(str(error)))

    def on_dialog(dialog):
        record.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.requests, page.errors, page.dialogs = record.requests, record.errors, record.dialogs
    yield page
    context.close()


def foreign_requests(page, server: LiveServer) -> list[str]:
    """Requests that went anywhere but this server (data: URLs are inline)."""
    own = f"http://127.0.0.1:{server.port}/"
    return [url for url in page.requests if not url.startswith((own, "data:", "blob:"))]
