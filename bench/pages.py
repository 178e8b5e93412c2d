"""First and warm visits of every kind of page, as a visitor meets them:
right after `partnergraph serve` starts, and right after a write, on a copy
of a given store. Each figure is the time to the whole answer, and its ratio
to /healthz measured in the same run (the service's fixed cost per request).

    python bench/pages.py --store PATH [--quick] [--mode background|wait ...]

--mode runs the service with PARTNERGRAPH_DERIVED set so (both by default):
`background` is the service as it runs, whole-graph values built after each
write and at start while pages serve the previous one or say it is being
computed; `wait` builds them inside the request that first needs them, as the
service did before. A first visit is the first request of that page since the
start or the write; the warm figure is the median of the next visits.
Writes a section of bench/RESULTS.md (not with --quick).
"""
from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from embed_bench import free_port
from run import process_tree, status_kb

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "RESULTS.md"
TOKEN = "bench-pages-token"
PENDING = b"is being computed right now"  # the English note of a page whose values are not there yet
COUNTING = b"are being counted right now"  # the home page's note while its figures are not there yet
PREPARING = b"is being prepared right now"  # search's note while it reads the store, before its index
MUNICIPALITY = "municipality/se/borlange"
# The municipality with the most partnerships, and one partnership of the municipality.
HUB = """SELECT ?m WHERE { ?p <http://www.w3.org/ns/org#hasMember> ?m .
  ?m a <https://w3id.org/partnergraph/ontology#Municipality> }
  GROUP BY ?m ORDER BY DESC(COUNT(?p)) LIMIT 1"""
PARTNERSHIP = """SELECT ?p WHERE { ?p <http://www.w3.org/ns/org#hasMember> <%s> } LIMIT 1"""
WRITE = ("INSERT DATA { GRAPH <https://example.org/bench-pages> { "
         "<https://example.org/bench-pages/a> <http://www.w3.org/2000/01/rdf-schema#label> '%s' } }")


def get(port: int, path: str, accept: str = "text/html") -> tuple[float, int, bytes]:
    """Seconds from sending a GET to having read the whole answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Accept": accept})
    response = connection.getresponse()
    body = response.read()
    seconds = time.perf_counter() - started
    connection.close()
    return seconds, response.status, body


def select_one(port: int, query: str) -> str:
    _, status, body = get(port, "/sparql?" + urlencode({"query": query}),
                          accept="application/sparql-results+json")
    if status != 200:
        raise SystemExit(f"/sparql answered {status}: {body[:300]!r}")
    rows = json.loads(body)["results"]["bindings"]
    if not rows:
        raise SystemExit(f"no answer to {query}")
    return next(iter(rows[0].values()))["value"]


def write(port: int, n: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("POST", "/sparql", body=(WRITE % n).encode(),
                       headers={"Content-Type": "application/sparql-update",
                                "Authorization": f"Bearer {TOKEN}"})
    response = connection.getresponse()
    body = response.read()
    if response.status not in (200, 204):
        raise SystemExit(f"the write answered {response.status}: {body[:300]!r}")


def pages(port: int, base: str) -> dict[str, str]:
    municipality = base + MUNICIPALITY
    hub = select_one(port, HUB)
    partnership = select_one(port, PARTNERSHIP % municipality)
    local = "/partnergraph/id/"

    def page(iri: str) -> str:
        return local + iri.removeprefix(base) if iri.startswith(base) else "/resource?iri=" + quote(iri)

    return {
        "home": "/",
        "search": "/search?q=" + quote("Borlänge"),
        "municipality": page(municipality),
        "hub": page(hub),
        "partnership": page(partnership),
        "explore": "/explore",
        "analysis": "/analysis",
        "map": "/map?iri=" + quote(municipality),
        "embed": "/embed/network?focus=" + quote(municipality) + "&depth=1",
        "query (workbench)": "/query",
        "stored query": "/queries/partners-of-municipality.json?municipality=" + quote(municipality),
    }


def visit_all(port: int, paths: dict[str, str], lang: str, repeats: int) -> dict[str, tuple]:
    """Per page: (first visit s, warm median s, status, whether it said 'being computed')."""
    out = {}
    for name, path in paths.items():
        url = path + ("&" if "?" in path else "?") + "lang=" + lang
        first, status, body = get(port, url)
        print(f"  {name}: first visit {first:.3f} s", file=sys.stderr, flush=True)
        pending = ("computing" if any(note in body for note in (PENDING, COUNTING, PREPARING)) else
                   "stale" if b"before the latest change" in body else "")
        warm = statistics.median(get(port, url)[0] for _ in range(repeats))
        out[name] = (first, warm, status, pending)
    return out


def settle(port: int, longest: float) -> tuple[float, bool]:
    """Seconds until the analysis is no longer being computed (at most
    `longest`), and whether it was then ready: the write then meets a service
    that has been up a while, as most writes do."""
    started = time.perf_counter()
    while time.perf_counter() - started < longest:
        if PENDING not in get(port, "/analysis?lang=en")[2]:
            return time.perf_counter() - started, True
        time.sleep(1)
    return time.perf_counter() - started, False


def healthz(port: int, repeats: int) -> float:
    return statistics.median(get(port, "/healthz")[0] for _ in range(repeats))


def start(folder: str, mode: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = dict(os.environ, PARTNERGRAPH_STORE=os.path.join(folder, "store"),
               PARTNERGRAPH_TOKEN=TOKEN, PARTNERGRAPH_DERIVED=mode,
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    process = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz")[1] == 200:
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("partnergraph serve did not start")


def memory(serve: int) -> list[tuple[str, float, float]]:
    """Each of the service's processes: its part, its resident memory and
    its peak (VmRSS, VmHWM), in MB."""
    found = []
    for pid in process_tree(serve):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        part = ("HTTP server" if pid == serve else "query worker" if b"query_workers" in command
                else "analysis" if b"analysis_process" in command else "web process")
        found.append((part, status_kb(pid, "VmRSS") / 1024, status_kb(pid, "VmHWM") / 1024))
    return sorted(found, key=lambda p: -p[1])


def run_mode(store: str, mode: str, repeats: int, base: str, longest: float) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(store, os.path.join(folder, "store"))
        process, port = start(folder, mode)
        try:
            paths = pages(port, base)
            base_s = healthz(port, repeats * 3)
            after_start = visit_all(port, paths, "en", repeats)
            memory_at_start = memory(process.pid)
            settled, ready = settle(port, longest)
            print(f"{mode}: the analysis was {'' if ready else 'not '}ready {settled:.0f} s "
                  "after the visits", flush=True)
            print(f"service pid {process.pid}; the write", file=sys.stderr, flush=True)
            write(port, 1)
            after_write = visit_all(port, paths, "en", repeats)
            memory_at_end = memory(process.pid)
            size = int(select_one(port, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        finally:
            process.terminate()
            process.wait(30)
    return {"healthz": base_s, "start": after_start, "write": after_write, "paths": paths,
            "triples": size, "settled": settled, "ready": ready,
            "memory": {"after the first visits": memory_at_start, "at the end": memory_at_end}}


def memory_lines(results: dict[str, dict]) -> list[str]:
    lines = ["| mode | when | resident memory, all processes | each: now (peak) |",
             "|---|---|--:|---|"]
    for mode, r in results.items():
        for when, parts in r["memory"].items():
            each = "; ".join(f"{part} {now:,.0f} MB ({peak:,.0f})" for part, now, peak in parts)
            lines.append(f"| {mode} | {when} | {sum(p[1] for p in parts):,.0f} MB | {each} |")
    return lines


def table(results: dict[str, dict]) -> list[str]:
    modes = list(results)
    head = ["page"]
    for mode in modes:
        head += [f"{mode}: first after start", "warm", "first after a write", "warm"]
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for name in results[modes[0]]["start"]:
        cells = [name]
        for mode in modes:
            r = results[mode]
            for when in ("start", "write"):
                first, warm, status, pending = r[when][name]
                note = (f" ({pending})" if pending else "") + ("" if status == 200 else f" [{status}]")
                cells += [f"{first:.3f} s{note}", f"{warm:.3f} s"]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("| /healthz (baseline) | " + " | ".join(
        f"{results[m]['healthz'] * 1000:.1f} ms | | |" for m in modes) + " |")
    return lines


def write_results(store: str, results: dict[str, dict], repeats: int) -> None:
    any_mode = next(iter(results.values()))
    settled = "; ".join(
        f"{mode}: ready {r['settled']:.0f} s after the first round of visits" if r["ready"] else
        f"{mode}: still being computed {r['settled']:.0f} s after them, when the write was sent "
        f"all the same" for mode, r in results.items())
    ratios = []
    for mode, r in results.items():
        firsts = [v[0] for when in ("start", "write") for v in r[when].values()]
        ratios.append(f"{mode}: slowest first visit {max(firsts):.2f} s = "
                      f"{max(firsts) / r['healthz']:.0f}x /healthz")
    section = [
        f"## Pages: first and warm visits ({scale(any_mode['triples'])})",
        "",
        f"Written by `python bench/pages.py --store {store}` on "
        f"{datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}: {any_mode['triples']:,} triples, one "
        f"`partnergraph serve` per mode on a copy of the store, pages in English, the time to "
        f"the whole answer over loopback. A first visit is the page's first request since the "
        f"start or since a one-triple write, sent once the analysis was ready or after "
        f"`--settle` seconds ({settled}); warm is the median of the next {repeats}. "
        f"`background` is the service as it runs (PARTNERGRAPH_DERIVED=background); `wait` "
        f"builds whole-graph values inside the request that first needs them, as before. "
        f"\"(computing)\" marks a page that answered with its \"being computed\" note, "
        f"\"(stale)\" one that showed the previous data version's values with their age.",
        "",
        *table(results),
        "",
        "; ".join(ratios) + ".",
        "",
        "The service's processes' resident memory (VmRSS; in brackets each one's peak, "
        "VmHWM), after the first visits and at the end of the run:",
        "",
        *memory_lines(results),
        "",
    ]
    replace_section(section)


def scale(triples: int) -> str:
    """The data's size as a section's heading gives it: one section per
    size, so that a run at 10 M keeps the run on the world's data."""
    if triples >= 1_000_000:
        return f"{triples / 1_000_000:.0f} M triples"
    return f"{triples / 1000:.0f} k triples"


def replace_section(section: list[str]) -> None:
    """Put `section` (its lines, the first its `## ` heading) at the end of
    RESULTS.md in place of the section of that heading, if there is one."""
    text = RESULTS.read_text(encoding="utf-8")
    start = text.find("\n" + section[0] + "\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + ("" if end < 0 else text[end:])
    RESULTS.write_text(text.rstrip("\n") + "\n\n" + "\n".join(section), encoding="utf-8")
    print(f"wrote {RESULTS}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="an embedded store folder; it is copied")
    parser.add_argument("--mode", action="append", choices=("background", "wait"),
                        help="PARTNERGRAPH_DERIVED for the service (default: both)")
    parser.add_argument("--repeats", type=int, default=5, help="warm visits per page")
    parser.add_argument("--base", default="https://w3id.org/partnergraph/id/")
    parser.add_argument("--settle", type=float, default=1800,
                        help="seconds to wait at most for the analysis before the write")
    parser.add_argument("--quick", action="store_true", help="prints, writes nothing")
    args = parser.parse_args()
    results = {}
    for mode in args.mode or ["background", "wait"]:
        results[mode] = run_mode(args.store, mode, args.repeats, args.base, args.settle)
        print("\n".join(table({mode: results[mode]}) + memory_lines({mode: results[mode]})),
              flush=True)
    if not args.quick:
        write_results(args.store, results, args.repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
