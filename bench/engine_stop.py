"""Does the remote engine stop computing when partnergraph gives up on a query?

For each engine (Virtuoso 7, which partnergraph tells its time limit with each
query, and `oxigraph serve`, which takes none per request: the baseline), this
starts the engine with the bundled data, a `partnergraph serve` on it with
PARTNERGRAPH_QUERY_TIMEOUT, and sends /sparql a query that runs far past the
limit. From the moment partnergraph answers 503 it samples the engine
process's CPU time (/proc) every 0.1 s, and reports after how long the engine
went idle (less than 5 % of a core over 0.5 s) and how much CPU it burnt
after the 503. Writes its section of bench/RESULTS.md (not with --quick).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from graph.ingest.bundled import open_initialised  # noqa: E402
from graph.settings import Settings  # noqa: E402
from tests.support.oxigraph_server import running_oxigraph  # noqa: E402
from tests.support.processes import (  # noqa: E402
    free_port,
    partnergraph_command,
    subprocess_env,
    wait_for_http,
)
from tests.support.virtuoso_server import running_virtuoso  # noqa: E402

RESULTS = HERE / "RESULTS.md"
# Every pair of triples, with a filter the engine must work out for each.
HEAVY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y "
         "FILTER (STRLEN(CONCAT(STR(?x), STR(?y))) > 3) }")
TICK = 0.1
IDLE_SHARE = 0.05      # of one core
IDLE_FOR = 0.5         # seconds
WATCH = 20.0           # seconds after the 503, at most


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of the process and its children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(f) for f in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(engine: str, query_url: str, pid: int, limit: float) -> dict:
    open_initialised(Settings(store=query_url)).close()
    port = free_port()
    service = subprocess.Popen(
        [*partnergraph_command(), "serve", "--port", str(port)], cwd=REPO,
        env=subprocess_env(PARTNERGRAPH_STORE=query_url, PARTNERGRAPH_QUERY_TIMEOUT=f"{limit:g}"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", service, timeout=60)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/sparql", data=HEAVY.encode(),
            headers={"Content-Type": "application/sparql-query",
                     "Accept": "application/sparql-results+json"})
        sent, at_start = time.monotonic(), cpu_seconds(pid)
        try:
            with urllib.request.urlopen(request, timeout=limit + 60) as response:
                status, said = response.status, response.read()[:200]
        except urllib.error.HTTPError as error:
            status, said = error.code, error.read()[:200]
        answered = time.monotonic()
        at_503 = cpu_seconds(pid)
        samples = [(0.0, at_503)]
        idle_since = None
        while samples[-1][0] < WATCH:
            time.sleep(TICK)
            now, cpu = time.monotonic() - answered, cpu_seconds(pid)
            busy = (cpu - samples[-1][1]) / (now - samples[-1][0])
            samples.append((now, cpu))
            if busy < IDLE_SHARE:
                idle_since = samples[-2][0] if idle_since is None else idle_since
                if now - idle_since >= IDLE_FOR:
                    break
            else:
                idle_since = None
        stopped = idle_since if idle_since is not None and \
            samples[-1][0] - idle_since >= IDLE_FOR else None
        return {"engine": engine, "status": status, "answer": said.decode("utf-8", "replace"),
                "answered_after": answered - sent, "stopped_after": stopped,
                "cpu_before": at_503 - at_start,
                "cpu_after": (samples[-1][1] - at_503) if stopped is None else
                next(cpu for t, cpu in samples if t >= stopped) - at_503}
    finally:
        service.terminate()
        service.wait(30)


def engines(folder: Path):
    yield "Virtuoso 7.2 (told the limit)", lambda: running_virtuoso(folder / "virtuoso")
    yield "oxigraph serve (not told)", lambda: running_oxigraph(folder / "oxigraph")


def row(r: dict, limit: float) -> str:
    stopped = (f"{r['stopped_after']:.1f} s" if r["stopped_after"] is not None
               else f"still busy after {WATCH:g} s")
    return (f"| {r['engine']} | {r['status']} after {r['answered_after']:.1f} s | "
            f"{r['cpu_before']:.1f} s | {stopped} | {r['cpu_after']:.1f} s |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=float, default=3.0, help="PARTNERGRAPH_QUERY_TIMEOUT")
    parser.add_argument("--quick", action="store_true", help="prints, writes nothing")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, start in engines(Path(tmp)):
            with contextlib.ExitStack() as stack:
                server = stack.enter_context(start())
                results.append(measure(name, server.query_url, server.process.pid, args.limit))
                print(row(results[-1], args.limit), flush=True)
    header = ["| engine | partnergraph answered | engine CPU until the 503 | "
              "engine idle after the 503 | engine CPU after the 503 |",
              "|---|---|--:|---|--:|"]
    lines = [*header, *(row(r, args.limit) for r in results)]
    print("\n".join(lines))
    if not args.quick:
        write_results(lines, args.limit)
    return 0


def write_results(lines: list[str], limit: float) -> None:
    title = "## Remote engines at the time limit"
    section = [
        title, "",
        f"Written by `python bench/engine_stop.py --limit {limit:g}` on "
        f"{datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} CPUs: "
        f"the bundled data on each engine, a `partnergraph serve` on it with "
        f"PARTNERGRAPH_QUERY_TIMEOUT={limit:g}, and /sparql sent a query over every pair of "
        f"triples (far past the limit). After partnergraph's answer the engine process's CPU "
        f"time is read every {TICK:g} s; it counts as idle below {IDLE_SHARE:.0%} of a core "
        f"for {IDLE_FOR:g} s. Oxigraph, which takes no time limit with a request, is the "
        f"baseline: it computes on until the query ends (an operator can bound it with "
        f"`oxigraph serve --timeout-s`).", "",
        *lines, "",
    ]
    text = RESULTS.read_text(encoding="utf-8")
    start = text.find("\n" + title + "\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + ("" if end < 0 else text[end:])
    RESULTS.write_text(text.rstrip("\n") + "\n\n" + "\n".join(section), encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    raise SystemExit(main())
