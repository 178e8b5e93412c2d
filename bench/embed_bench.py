"""Embed views per second with 8 concurrent clients, against a live
`partnergraph serve`: served from the view cache (the same addresses again and
again), rendered each time (an extra query parameter per request makes every
address new, so the cache never has it), and revalidated (If-None-Match, 304).
One embed view is what a browser fetches for it: the HTML and its network JSON.
Writes bench/EMBED_RESULTS.md (not with --quick).

    python bench/embed_bench.py [--quick]

The network model under the views is kept per data version in any case
(graph.network.load_network); "rendered" measures what the view cache saves
on top of that: the neighbourhood, the JSON and the page.
"""
from __future__ import annotations

import argparse
import datetime
import http.client
import itertools
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "EMBED_RESULTS.md"
CLIENTS = 8
FOCUS = "https://w3id.org/partnergraph/id/municipality/se/borlange"
VIEWS = {
    "network": (f"/embed/network?focus={quote(FOCUS, safe=':/')}&lang=sv",
                f"/api/network?focus={quote(FOCUS, safe=':/')}&lang=sv"),
    "explore": ("/embed/explore?theme=democracy&lang=sv", "/api/network?theme=democracy&lang=sv"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(folder: str, store: str | None = None) -> dict[str, str]:
    """The environment of `partnergraph` on the store in `folder` (or at
    `store`), from this checkout."""
    return dict(os.environ, PARTNERGRAPH_STORE=store or os.path.join(folder, "store"),
                PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def start_server(folder: str, threads: int = CLIENTS, *,
                 store: str | None = None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", str(port),
                                "--threads", str(threads)], env=environment(folder, store),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("partnergraph serve did not start")


def run(port: int, paths: tuple[str, str], mode: str, seconds: float) -> float:
    """Embed views per second: each view is its page and its data."""
    counter = itertools.count()
    done = [0] * CLIENTS
    errors: list[str] = []
    stop = time.monotonic() + seconds
    tags: dict[str, str] = {}
    if mode == "revalidated":
        connection = http.client.HTTPConnection("127.0.0.1", port)
        for path in paths:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            tags[path] = response.getheader("ETag")

    def client(slot: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            n = next(counter)
            for path in paths:
                headers = {"If-None-Match": tags[path]} if mode == "revalidated" else {}
                if mode == "rendered":
                    path = f"{path}&bench={n}"
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status not in (200, 304):
                    errors.append(f"{response.status} {path}")
            done[slot] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"errors: {errors[:3]}")
    return sum(done) / (time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run that writes nothing")
    args = parser.parse_args()
    seconds = 2.0 if args.quick else 10.0
    with tempfile.TemporaryDirectory() as folder:
        process, port = start_server(folder)
        try:
            rows = []
            for name, paths in VIEWS.items():
                run(port, paths, "cached", 1.0)  # warm: the network model, the cache
                figures = {mode: run(port, paths, mode, seconds)
                           for mode in ("rendered", "cached", "revalidated")}
                rows.append((name, paths[0], figures))
                print(f"{name}: " + ", ".join(f"{m} {v:.0f}/s" for m, v in figures.items()),
                      f"(cached/rendered {figures['cached'] / figures['rendered']:.1f}×)")
        finally:
            process.terminate()
            process.wait(15)
    if not args.quick:
        write(rows, seconds)
    return 0


def write(rows, seconds: float) -> None:
    lines = [
        "# Embed views: cached and rendered",
        "",
        f"Written by `python bench/embed_bench.py` on {datetime.date.today().isoformat()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}: "
        f"{CLIENTS} concurrent clients for {seconds:.0f} s each against one `partnergraph serve "
        f"--threads {CLIENTS}` on the bundled data. One view = its HTML and its network JSON.",
        "Absolute figures depend on the machine; the ratios are what to compare.",
        "",
        "| view | rendered each time (views/s) | from the cache | cached / rendered | "
        "revalidated (304) | revalidated / rendered |",
        "|---|---|---|---|---|---|",
    ]
    for _name, path, f in rows:
        lines.append(f"| `{path}` | {f['rendered']:.0f} | {f['cached']:.0f} | "
                     f"{f['cached'] / f['rendered']:.1f}× | {f['revalidated']:.0f} | "
                     f"{f['revalidated'] / f['rendered']:.1f}× |")
    lines += ["", "\"Rendered\" defeats the cache with a new query parameter on every request; "
              "the network model under it is still built once per data version."]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    raise SystemExit(main())
