"""The browsable tables on the world's twin towns: how long `partnergraph
serve` takes to answer one view (/partnerships?country=SE&kind=twin-town and
others) as HTML, JSON and CSV, each rendered anew (a parameter the table
ignores makes every address new, so the view cache never has it), against a
baseline from the same run: /sparql counting the same rows. Writes
bench/TABLES_RESULTS.md (not with --quick).

    python bench/tables_bench.py --store /tmp/world-store [--quick]

The store must hold the Wikipedia twin towns; without one there, it is made
(`partnergraph load-dataset twin-towns-wikipedia`, a few minutes).
"""
from __future__ import annotations

import argparse
import datetime
import http.client
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from embed_bench import environment, start_server

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "TABLES_RESULTS.md"
BASELINE = ("/sparql?query=" + quote(
    "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p org:hasMember/pg:country "
    "<https://w3id.org/partnergraph/id/country/SE> ; pg:kind pg:TwinTown }"))
VIEWS = [
    ("Sweden's twin towns, page", "/partnerships?country=SE&kind=twin-town&lang=sv"),
    ("Sweden's twin towns, JSON", "/partnerships.json?country=SE&kind=twin-town"),
    ("Sweden's twin towns, CSV (all 720 rows)", "/partnerships.csv?country=SE&kind=twin-town"),
    ("the same, page 3 by name backwards", "/partnerships?country=SE&kind=twin-town&sort=-name&page=3"),
    ("Sweden–Germany partnerships", "/partnerships?country=SE&country=DE"),
    ("Swedish municipalities", "/municipalities?country=SE"),
    ("every partnership (24,000), page", "/partnerships"),
]


def fetch(port: int, path: str) -> float:
    """Seconds until the whole answer is in."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    took = time.perf_counter() - started
    if response.status != 200:
        raise SystemExit(f"{response.status} for {path}")
    return took


def measure(port: int, path: str, times: int, tag: str) -> tuple[float, float]:
    """The first answer and the median of `times` more, each rendered anew."""
    join = "&" if "?" in path else "?"
    first = fetch(port, f"{path}{join}bench={tag}-first")
    rest = [fetch(port, f"{path}{join}bench={tag}-{n}") for n in range(times)]
    return first, statistics.median(rest)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="a store holding the world's twin towns")
    parser.add_argument("--quick", action="store_true", help="a short run that writes nothing")
    args = parser.parse_args()
    if not Path(args.store).exists():
        subprocess.run([sys.executable, "-m", "server.cli", "load-dataset",
                        "twin-towns-wikipedia"], env=environment("", args.store), check=True)
    times = 3 if args.quick else 10
    process, port = start_server("", store=args.store)
    try:
        fetch(port, "/healthz")
        fetch(port, BASELINE)  # the first query opens the store's snapshot
        baseline = measure(port, BASELINE, times, "baseline")[1]
        print(f"baseline /sparql COUNT: {baseline * 1000:.0f} ms")
        rows = []
        for n, (name, path) in enumerate(VIEWS):
            first, median = measure(port, path, times, str(n))
            rows.append((name, path, first, median))
            print(f"{name}: first {first * 1000:.0f} ms, then {median * 1000:.0f} ms "
                  f"({median / baseline:.1f}× the baseline)")
    finally:
        process.terminate()
        process.wait(15)
    if not args.quick:
        write(rows, baseline, times)
    return 0


def write(rows, baseline: float, times: int) -> None:
    lines = [
        "# Browsable tables on the world's twin towns",
        "",
        f"Run {datetime.date.today().isoformat()} on {platform.machine()}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores (shared), by "
        "`python bench/tables_bench.py --store STORE`: the bundled data and the Wikipedia "
        "twin towns (24,393 partnerships, 17,000 places). Each view is rendered anew (the "
        "view cache never has its address); *first* is its first answer after the server "
        f"started, *then* the median of {times} more. The baseline is /sparql counting "
        f"Sweden's twin-town partnerships in the same run: {baseline * 1000:.0f} ms.",
        "",
        "| view | address | first | then | then / baseline |",
        "|---|---|---:|---:|---:|",
    ]
    for name, path, first, median in rows:
        lines.append(f"| {name} | `{path}` | {first * 1000:.0f} ms | {median * 1000:.0f} ms | "
                     f"{median / baseline:.1f}× |")
    lines += ["", "A view asks the store a count, a page (ORDER BY with LIMIT/OFFSET), two "
              "counts per facet (GROUP BY, and the rows with a value) and the page's cells and "
              "labels; none reads a whole class into Python. Oxigraph sorts strings slowly: the "
              "page of every partnership, by name, is the one view over a second; the view "
              "cache then answers it again until the data change.", ""]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
