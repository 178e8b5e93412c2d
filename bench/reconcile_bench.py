"""How long /reconcile takes to answer a batch of 100 names, as OpenRefine
sends it (a form-encoded POST of queries=JSON), against a live
`partnergraph serve`: the first batch after a write (which builds the index
of names, once per data version) and the batches after it, for names spelt
as in the graph, names with a letter missing, and names without a type.
Writes bench/RECONCILE_RESULTS.md (not with --quick).

    python bench/reconcile_bench.py [--quick] [--dataset twin-towns-wikipedia]

--dataset loads a data set first (`partnergraph load-dataset`; about 20,000 more
towns and 25,000 partnerships for the Wikipedia twin towns, loaded in about
80 s here), to see how the time grows with the graph.
"""
from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from embed_bench import environment, start_server

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "RECONCILE_RESULTS.md"
BATCH = 100
NAMES = ("SELECT ?name ?code WHERE { ?m a pg:Municipality ; skos:prefLabel ?name ; "
         "pg:country/pg:isoAlpha2 ?code FILTER(LANG(?name) = 'en') } ORDER BY ?m")


def post(port: int, batch: dict) -> tuple[float, dict]:
    """Seconds for one batch, from sending it to having read the answer."""
    body = urlencode({"queries": json.dumps(batch)})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("POST", "/reconcile", body=body,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    data = response.read()
    seconds = time.perf_counter() - started
    if response.status != 200:
        raise SystemExit(f"/reconcile answered {response.status}: {data[:300]!r}")
    return seconds, json.loads(data)


def sample(port: int) -> list[tuple[str, str]]:
    """BATCH municipalities spread over all of them: (English name, country code)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", "/sparql?" + urlencode({"query": NAMES}),
                       headers={"Accept": "application/sparql-results+json"})
    rows = json.loads(connection.getresponse().read())["results"]["bindings"]
    step = max(1, len(rows) // BATCH)
    return [(r["name"]["value"], r["code"]["value"]) for r in rows[::step][:BATCH]]


def batches(names: list[tuple[str, str]]) -> dict[str, dict]:
    def dropped(name: str) -> str:
        middle = len(name) // 2
        return name[:middle] + name[middle + 1:]

    def batch(spell, typed: bool) -> dict:
        return {f"q{n}": {"query": spell(name), **({"type": "Municipality"} if typed else {}),
                          "properties": [{"pid": "country", "v": code}]}
                for n, (name, code) in enumerate(names)}

    return {"spelt as in the graph": batch(str, True),
            "a letter missing": batch(dropped, True),
            "a letter missing, no type": batch(dropped, False)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few batches, writes nothing")
    parser.add_argument("--dataset", help="a data set to load first (partnergraph datasets lists them)")
    args = parser.parse_args()
    repeats = 3 if args.quick else 20
    with tempfile.TemporaryDirectory() as folder:
        if args.dataset:
            subprocess.run([sys.executable, "-m", "server.cli", "load-dataset", args.dataset],
                           env=environment(folder), check=True, stdout=subprocess.DEVNULL)
        process, port = start_server(folder)
        try:
            names = sample(port)
            kinds = batches(names)
            first, answer = post(port, kinds["spelt as in the graph"])
            right = sum(answer[f"q{n}"]["result"][:1] != [] and answer[f"q{n}"]["result"][0]["name"] == name
                        for n, (name, _) in enumerate(names))
            print(f"first batch (builds the index): {first:.3f} s; first candidate right for {right} of {len(names)}")
            rows = []
            for kind, batch in kinds.items():
                times = sorted(post(port, batch)[0] for _ in range(repeats))
                rows.append((kind, statistics.median(times), times[-1]))
                print(f"{kind}: median {rows[-1][1]:.3f} s, slowest {rows[-1][2]:.3f} s ({repeats} batches)")
            size = count_triples(port)
        finally:
            process.terminate()
            process.wait(15)
    if not args.quick:
        write(args.dataset, size, first, rows, repeats, len(names))
    return 0


def count_triples(port: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", "/sparql?" + urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}),
                       headers={"Accept": "application/sparql-results+json"})
    return int(json.loads(connection.getresponse().read())["results"]["bindings"][0]["n"]["value"])


def write(dataset: str | None, size: int, first: float, rows, repeats: int, names: int) -> None:
    data = f"the bundled data and `{dataset}`" if dataset else "the bundled data"
    section = [
        f"## {data[0].upper()}{data[1:]}",
        "",
        f"Written by `python bench/reconcile_bench.py{' --dataset ' + dataset if dataset else ''}` on "
        f"{datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}: {size:,} triples; batches of {names} municipalities "
        f"with their countries, POSTed as OpenRefine does to one `partnergraph serve`, one after "
        f"the other.",
        "",
        f"First batch after a write (builds the index of names): {first:.3f} s.",
        "",
        f"| batch of {names} | median (s) | slowest of {repeats} (s) |",
        "|---|---|---|",
        *(f"| {kind} | {median:.3f} | {slowest:.3f} |" for kind, median, slowest in rows),
        "",
    ]
    title = "# /reconcile: a batch of 100 names\n\n"
    existing = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else title
    # One section per data: a run replaces its own section and keeps the others.
    parts = existing.split("\n## ")
    kept = [p for p in parts[1:] if not p.startswith(section[0][3:] + "\n")]
    text = parts[0].rstrip("\n") + "\n\n" + "\n".join("## " + p.rstrip("\n") + "\n" for p in kept)
    RESULTS.write_text(text.rstrip("\n") + "\n\n" + "\n".join(section), encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    raise SystemExit(main())
