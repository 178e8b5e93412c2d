"""The network views at scale: the web process's memory after 100 different
views, and each view's first visit right after a write.

    python bench/explore.py --store PATH [--quick] [--mode background|wait]

Runs `partnergraph serve` on a copy of the store. In the background mode (the
service as it runs) it first waits until the values built at start are ready
(the analysis among them), so that what follows measures the views and not
the start; in the wait mode nothing is built at start, and the process holds
only what the views themselves ask for (the analysis is never asked for).
Then: the web process's memory (VmRSS); 100 different views of
/api/network, found as a visitor finds them, by following each view's drill
links from the world (countries, pairs of countries, places, partnerships);
the memory again; one written triple; every view again, once each, the first
visit of each since the write; once the rebuilds after the write are done,
the views twice more (the second time from the view cache) and the memory. Times are to the whole answer over loopback,
also as ratios to /healthz measured in the same run.
Writes its section of bench/RESULTS.md (not with --quick, which asks 20 views).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

from pages import PENDING, get, healthz, scale, select_one, start, write

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
# One section per mode: a run of one mode keeps the other's figures.
HEADING = "## Network views: memory and the first visit after a write"


def web_process(serve: int) -> int:
    """The process that answers requests: `partnergraph serve`'s one child
    (the HTTP server's worker; the query workers are its children)."""
    children = [int(child) for path in Path(f"/proc/{serve}/task").glob("*/children")
                for child in path.read_text().split()]
    if len(children) != 1:
        raise SystemExit(f"partnergraph serve ({serve}) has {len(children)} child processes, not 1")
    return children[0]


def rss_mb(pid: int) -> tuple[float, float]:
    """The process's resident memory in MB: all of it (VmRSS) and the part
    that is its own heap (RssAnon), without the store's files mapped in."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon"):
            found[key] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["RssAnon"]


def views(port: int, wanted: int) -> list[str]:
    """`wanted` different view URLs, breadth first from the world by each
    view's drill links (the queries its nodes and edges open)."""
    found: list[str] = []
    queue = deque(["view=world"])
    seen = set(queue)
    while queue and len(found) < wanted:
        query = queue.popleft()
        url = f"/api/network?{query}&lang=en"
        _, status, body = get(port, url, accept="application/json")
        if status != 200:
            raise SystemExit(f"{url} answered {status}: {body[:300]!r}")
        found.append(url)
        data = json.loads(body)
        for item in sorted(data["nodes"] + data["edges"], key=lambda i: -(i.get("value") or 0)):
            drill = item.get("drill")
            if drill and drill not in seen:
                seen.add(drill)
                queue.append(drill)
    return found


def settle(port: int, limit: float = 3600) -> float:
    """Seconds until neither /explore's filters nor /analysis is being computed."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if not any(PENDING in get(port, path)[2] or b"being computed right now" in get(port, path)[2]
                   for path in ("/explore?lang=en", "/analysis?lang=en")):
            return time.perf_counter() - started
        time.sleep(2)
    raise SystemExit("the values built at start were not ready within the limit")


def run(store: str, wanted: int, mode: str) -> dict:
    background = mode == "background"
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(store, os.path.join(folder, "store"))
        process, port = start(folder, mode)
        try:
            settled = settle(port) if background else 0.0
            # The first read opens the data version's snapshot in the process:
            # part of starting, not of any view.
            get(port, "/api/network?focus=urn:x:none&lang=en", accept="application/json")
            base = healthz(port, 30)
            web = web_process(process.pid)
            at_start = rss_mb(web)
            started = time.perf_counter()
            urls = views(port, wanted)
            first_round = time.perf_counter() - started
            after_views = rss_mb(web)
            write(port, 1)
            after_write = [(get(port, url, accept="application/json")[0], url) for url in urls]
            # The values rebuilt after the write (the analysis among them)
            # hold memory of their own while they are built: measured once
            # they are done.
            resettled = settle(port) if background else 0.0
            for url in urls:
                get(port, url, accept="application/json")
            again = [get(port, url, accept="application/json")[0] for url in urls]
            after_all = rss_mb(web)
            triples = int(select_one(port, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        finally:
            process.terminate()
            process.wait(30)
    return {"mode": mode, "triples": triples, "settled": settled, "healthz": base, "views": len(urls),
            "rss_start": at_start, "rss_views": after_views, "rss_end": after_all,
            "first_round": first_round, "after_write": after_write, "again": again,
            "resettled": resettled}


def report(r: dict, store: str) -> list[str]:
    times = sorted(t for t, _ in r["after_write"])
    slowest, slowest_url = max(r["after_write"])
    kinds: dict[str, list[float]] = {}
    for t, url in r["after_write"]:
        kind = ("world" if "view=world" in url else "country" if "view=country" in url
                else "pair" if "view=pair" in url else "focus")
        kinds.setdefault(kind, []).append(t)
    lines = [
        f"{HEADING} ({r['mode']} mode, {scale(r['triples'])})", "",
        f"Written by `python bench/explore.py --store {store} --mode {r['mode']}` on "
        f"{datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}: {r['triples']:,} triples, `partnergraph serve` in "
        f"the {r['mode']} mode on a copy of the store"
        + (f", once the values built at start were ready ({r['settled']:.0f} s after the start)"
           if r["mode"] == "background" else ", nothing built at start")
        + f". {r['views']} different views of /api/network, "
        "found by following each view's drill links from the world; memory is the web "
        "process's (the query workers are processes of their own), read after its first read "
        "of the store: VmRSS, and RssAnon, its own heap without the store's files mapped in.", "",
        "| | figure |", "|---|---|",
        f"| web process at start (VmRSS; RssAnon) | {_mb(r['rss_start'])} |",
        f"| after {r['views']} different views | {_mb(r['rss_views'], r['rss_start'])} |",
        f"| after a write, its rebuilds and the same views twice more | "
        f"{_mb(r['rss_end'], r['rss_start'])} |",
        f"| first round of views (each its first visit) | {r['first_round']:.1f} s in all |",
        f"| first visit after a write: median | {statistics.median(times):.3f} s "
        f"({statistics.median(times) / r['healthz']:.0f}x /healthz) |",
        f"| first visit after a write: slowest | {slowest:.3f} s "
        f"({slowest / r['healthz']:.0f}x /healthz), `{slowest_url}` |",
        f"| warm (from the view cache): median | {statistics.median(r['again']):.3f} s |",
        f"| /healthz (baseline) | {r['healthz'] * 1000:.1f} ms |", "",
        "First visit after a write, by level (slowest): " + ", ".join(
            f"{k} {max(v):.3f} s ({len(v)} views)" for k, v in sorted(kinds.items())) + ".", "",
    ]
    return lines


def _mb(now: tuple[float, float], start: tuple[float, float] | None = None) -> str:
    if start is None:
        return f"{now[0]:.0f} MB; {now[1]:.0f} MB"
    return (f"{now[0]:.0f} MB (+{now[0] - start[0]:.0f}); "
            f"{now[1]:.0f} MB (+{now[1] - start[1]:.0f})")


def write_results(lines: list[str]) -> None:
    text = RESULTS.read_text(encoding="utf-8")
    heading = lines[0]
    if heading in text:
        start_at = text.index(heading)
        end = text.find("\n## ", start_at + len(heading))
        text = text[:start_at] + "\n".join(lines) + (text[end + 1:] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines)
    RESULTS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="the store folder to copy and serve")
    parser.add_argument("--quick", action="store_true", help="20 views, print only")
    parser.add_argument("--mode", choices=("background", "wait"), default="background",
                        help="PARTNERGRAPH_DERIVED of the service")
    args = parser.parse_args(argv)
    result = run(args.store, 20 if args.quick else 100, args.mode)
    lines = report(result, args.store)
    print("\n".join(lines))
    if not args.quick:
        write_results(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
