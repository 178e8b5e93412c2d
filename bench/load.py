"""Under load: many clients at once for a minute, mixing page views, embeds
and small queries, with a few clients sending runaway queries (which run to
the time limit) several at a time. Does the service keep answering the small
requests quickly, stop the runaways at their limit, turn extra heavy work
away with 503 and Retry-After, keep its memory bounded, and fail nothing else?

    python bench/load.py [--store PATH] [--clients 50] [--runaway-clients 3]
                         [--seconds 60] [--baseline-seconds 20] [--quick]

The service (`partnergraph serve`, its defaults unless given) runs on a copy of
--store (default: a new store, which it fills with the bundled data). Each
client sends from a loopback address of its own (127.0.0.10, .11, ...), so the
service tells them apart as it tells apart people. An ordinary client sends a
request, reads the whole answer, waits --think seconds (on average; uniformly
from half to one and a half times it), and so on: a page view, an embed view or
a small query, at random. A runaway client keeps --runaway-at-once runaway
queries in flight, sending the next as soon as one is answered, and waiting
as long as Retry-After says when turned away.

First the ordinary clients alone for --baseline-seconds (the baseline), then
all of them for --seconds (the load); figures are per kind of request, and the
ratio of the load's p95 to the baseline's, both measured in this run. Memory is
the resident size of the service with its query workers, sampled each second.
Writes a section of bench/RESULTS.md (not with --quick).
"""
from __future__ import annotations

import argparse
import collections
import datetime
import http.client
import math
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from embed_bench import free_port
from pages import replace_section

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BASE = "https://w3id.org/partnergraph/id/"
LOCAL = "/partnergraph/id/"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PENDING = b"is being computed right now"
JSON = "application/sparql-results+json"


def requests_of(municipalities: list[str]) -> dict[str, list[tuple[str, str]]]:
    """The ordinary requests by kind: (path, Accept)."""
    html = "text/html"
    pages, embeds = [], []
    for iri in municipalities:
        pages += [(LOCAL + iri.removeprefix(BASE) + "?lang=en", html),
                  ("/map?iri=" + quote(iri), html)]
        embeds += [("/embed/network?focus=" + quote(iri) + "&depth=1", html),
                   ("/embed/queries/partners-of-municipality?municipality=" + quote(iri), html)]
    pages += [("/search?q=" + quote(name), html) for name in ("Borlänge", "Larvik", "Chisinau")]
    pages += [("/query", html), ("/partnerships?country=NO&kind=twin-town", html)]
    queries = [(f"/sparql?{urlencode({'query': q})}", JSON) for q in (
        "ASK { ?s a <https://w3id.org/partnergraph/ontology#Municipality> }",
        "SELECT ?name WHERE { ?m a <https://w3id.org/partnergraph/ontology#Municipality> ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?name } LIMIT 10",
        *(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT 50" for iri in municipalities),
        *(f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p <http://www.w3.org/ns/org#hasMember> <{iri}> }}"
          for iri in municipalities),
    )]
    return {"page": pages, "embed": embeds, "query": queries}


WEIGHTS = {"page": 4, "embed": 2, "query": 4}
MUNICIPALITIES = ["municipality/se/borlange", "municipality/se/ljusdal", "municipality/no/larvik",
                  "municipality/se/falun", "municipality/se/uppsala"]


@dataclass
class Outcome:
    phase: str
    kind: str
    status: int
    seconds: float
    note: str = ""


@dataclass
class Record:
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)


def send(port: int, client: str, path: str, accept: str,
         timeout: float = 600) -> tuple[int, dict[str, str], bytes, float]:
    """GET from the loopback address `client`; the seconds to the whole answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                            source_address=(client, 0))
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    seconds = time.perf_counter() - started
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body, seconds


def ordinary(port: int, client: str, paths: dict, think: float, until: float, phase: str,
             record: Record, rng: random.Random) -> None:
    kinds = [k for k, w in WEIGHTS.items() for _ in range(w)]
    while time.monotonic() < until:
        kind = rng.choice(kinds)
        path, accept = rng.choice(paths[kind])
        try:
            status, _, body, seconds = send(port, client, path, accept)
            note = ("computing" if PENDING in body else
                    "" if status == 200 else body[:120].decode(errors="replace"))
        except OSError as error:
            status, seconds, note = 0, 0.0, str(error)
        record.add(Outcome(phase, kind, status, seconds, note))
        time.sleep(rng.uniform(0.5 * think, 1.5 * think))


def runaway(port: int, client: str, until: float, record: Record, limit: float) -> None:
    path = f"/sparql?{urlencode({'query': RUNAWAY})}"
    while time.monotonic() < until:
        try:
            status, headers, body, seconds = send(port, client, path, JSON, timeout=limit + 120)
        except OSError as error:
            record.add(Outcome("load", "runaway", 0, 0.0, str(error)))
            continue
        if status == 503 and "retry-after" in headers:
            record.add(Outcome("load", "runaway", status, seconds, "busy"))
            time.sleep(min(float(headers["retry-after"]), max(0.0, until - time.monotonic())))
        elif status == 503 and b"stopped at the time limit" in body:
            record.add(Outcome("load", "runaway", status, seconds, "stopped"))
        else:
            record.add(Outcome("load", "runaway", status, seconds, body[:200].decode(errors="replace")))


def memory_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, in MB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in open(f"/proc/{current}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                todo += [int(c) for c in open(f"/proc/{current}/task/{task}/children").read().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total / 1024


def sample_memory(pid: int, stop: threading.Event, samples: list[tuple[float, float]]) -> None:
    started = time.monotonic()
    while not stop.wait(1.0):
        samples.append((time.monotonic() - started, memory_mb(pid)))


def start(folder: str, env: dict[str, str], threads: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port),
         "--threads", str(threads)],
        env={**os.environ, "PARTNERGRAPH_STORE": os.path.join(folder, "store"),
             "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""), **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        # A group of its own, so that its query workers are stopped with it.
        start_new_session=True)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if send(port, "127.0.0.1", "/healthz", "application/json", timeout=5)[0] == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("partnergraph serve did not start")


def warm(port: int, paths: dict) -> None:
    """Visit everything once, until no page says its values are being computed:
    the figures are of a service that has been up a while."""
    deadline = time.monotonic() + 1800
    for kind in paths:
        for path, accept in paths[kind]:
            while True:
                status, _, body, _ = send(port, "127.0.0.1", path, accept)
                if status != 200:
                    raise SystemExit(f"{path} answered {status} before any load: {body[:300]!r}")
                if PENDING not in body or time.monotonic() > deadline:
                    break
                time.sleep(2)


def phase(port: int, paths: dict, args, name: str, seconds: float, record: Record,
          with_runaways: bool) -> None:
    until = time.monotonic() + seconds
    threads = []
    ordinary_clients = args.clients - args.runaway_clients
    for n in range(ordinary_clients):
        rng = random.Random(n)
        threads.append(threading.Thread(target=ordinary, args=(
            port, f"127.0.0.{10 + n}", paths, args.think, until, name, record, rng)))
    if with_runaways:
        for n in range(args.runaway_clients):
            client = f"127.0.0.{10 + ordinary_clients + n}"
            threads += [threading.Thread(target=runaway, args=(port, client, until, record,
                                                               args.time_limit))
                        for _ in range(args.runaway_at_once)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(record: Record, memory: list[tuple[float, float]], args) -> dict:
    out: dict = {"kinds": {}}
    for kind in [*WEIGHTS, "small"]:
        row = {}
        for name in ("baseline", "load"):
            chosen = [o for o in record.outcomes if o.phase == name
                      and (o.kind == kind or (kind == "small" and o.kind in WEIGHTS))]
            ok = [o.seconds for o in chosen if o.status == 200]
            row[name] = {"n": len(chosen), "errors": len(chosen) - len(ok),
                         "p50": percentile(ok, 50) if ok else math.nan,
                         "p95": percentile(ok, 95) if ok else math.nan,
                         "max": max(ok) if ok else math.nan,
                         "computing": sum(1 for o in chosen if o.note == "computing")}
        out["kinds"][kind] = row
    runaways = [o for o in record.outcomes if o.kind == "runaway"]
    stopped = [o.seconds for o in runaways if o.note == "stopped"]
    out["runaway"] = {"sent": len(runaways), "stopped": len(stopped),
                      "busy": sum(1 for o in runaways if o.note == "busy"),
                      "other": [(o.status, o.note) for o in runaways
                                if o.note not in ("stopped", "busy")],
                      "stopped_min": min(stopped, default=math.nan),
                      "stopped_max": max(stopped, default=math.nan)}
    out["errors"] = [(o.phase, o.kind, o.status, o.note) for o in record.outcomes
                     if o.kind in WEIGHTS and o.status != 200]
    values = [mb for _, mb in memory]
    out["memory"] = {"start": values[0] if values else math.nan,
                     "max": max(values, default=math.nan),
                     "end": values[-1] if values else math.nan}
    return out


def show(result: dict, args) -> list[str]:
    lines = ["| requests | baseline: n | p50 | p95 | load: n | p50 | p95 | max | "
             "p95 load / baseline | failed |", "|---" * 10 + "|"]
    names = {"page": "page views", "embed": "embeds", "query": "small queries",
             "small": "**all small requests**"}
    for kind, label in names.items():
        b, m = result["kinds"][kind]["baseline"], result["kinds"][kind]["load"]
        lines.append(
            f"| {label} | {b['n']} | {b['p50'] * 1000:.0f} ms | {b['p95'] * 1000:.0f} ms | "
            f"{m['n']} | {m['p50'] * 1000:.0f} ms | {m['p95'] * 1000:.0f} ms | "
            f"{m['max'] * 1000:.0f} ms | {m['p95'] / b['p95']:.2f} | {b['errors'] + m['errors']} |")
    r = result["runaway"]
    mem = result["memory"]
    lines += [
        "",
        f"Runaway queries ({args.runaway_clients} clients, {args.runaway_at_once} at a time each, "
        f"time limit {args.time_limit:g} s): {r['sent']} answers; {r['stopped']} stopped at the "
        f"limit, after {r['stopped_min']:.1f} to {r['stopped_max']:.1f} s from sending; "
        f"{r['busy']} turned away with 503 and Retry-After; other answers: "
        f"{r['other'] or 'none'}.",
        f"Memory of the service with its query workers: {mem['start']:.0f} MB at the first "
        f"sample, at most {mem['max']:.0f} MB, {mem['end']:.0f} MB at the last.",
        "Failed small requests: " + (", ".join(
            f"{n} {kind} ({phase}) answered {status}" for (phase, kind, status), n
            in sorted(collections.Counter(e[:3] for e in result["errors"]).items()))
            or "none") + ".",
    ]
    return lines


def write_results(lines: list[str], args, triples: int, store: str) -> None:
    settings = ", ".join(f"{k}={v}" for k, v in sorted(args.env.items())) or "defaults"
    section = [
        "## Under load: 50 clients for a minute",
        "",
        f"Written by `python bench/load.py{' --store ' + store if args.store else ''}` on "
        f"{datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} CPUs "
        f"(shared with other work while it ran), Python {platform.python_version()}: "
        f"{triples:,} triples; `partnergraph serve --threads {args.threads}` (granian) with {settings}. "
        f"{args.clients} clients, each from its own loopback address: "
        f"{args.clients - args.runaway_clients} ordinary ones (page views, embeds, small "
        f"queries at {WEIGHTS['page']}:{WEIGHTS['embed']}:{WEIGHTS['query']}, about "
        f"{args.think:g} s between a client's answer and its next request) and "
        f"{args.runaway_clients} sending runaway queries. Baseline: the ordinary clients "
        f"alone for {args.baseline_seconds:g} s; load: all of them for {args.seconds:g} s, "
        f"right after. Times are to the whole answer over loopback, measured by the clients, "
        f"which run on the same two cores.",
        "",
        *lines,
        "",
    ]
    replace_section(section)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="an embedded store folder, copied (default: the bundled data)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--runaway-clients", type=int, default=3)
    parser.add_argument("--runaway-at-once", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=20)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds between an ordinary client's requests")
    parser.add_argument("--time-limit", type=float, default=10,
                        help="PARTNERGRAPH_QUERY_TIMEOUT for the service")
    parser.add_argument("--threads", type=int, default=16,
                        help="the server's threads (default 16, as `partnergraph serve`'s)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="another setting of the service, e.g. PARTNERGRAPH_CLIENT_QUERIES=1")
    parser.add_argument("--quick", action="store_true",
                        help="10 clients for 10 s after 5 s of baseline; writes nothing")
    args = parser.parse_args()
    if args.quick:
        args.clients, args.seconds, args.baseline_seconds = 10, 10, 5
    if args.clients - args.runaway_clients > 240:
        raise SystemExit("at most 240 ordinary clients (one loopback address each)")
    args.env = {"PARTNERGRAPH_QUERY_TIMEOUT": f"{args.time_limit:g}",
                **dict(item.split("=", 1) for item in args.set)}
    with tempfile.TemporaryDirectory() as folder:
        if args.store:
            shutil.copytree(args.store, os.path.join(folder, "store"))
        process, port = start(folder, args.env, args.threads)
        record, memory, stop = Record(), [], threading.Event()
        sampler = threading.Thread(target=sample_memory, args=(process.pid, stop, memory))
        try:
            paths = requests_of([BASE + m for m in MUNICIPALITIES])
            print("warming up: every request once, until nothing is being computed", flush=True)
            warm(port, paths)
            _, _, body, _ = send(port, "127.0.0.1", "/sparql?" + urlencode(
                {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}), "text/csv")
            triples = int(body.split()[-1])
            sampler.start()
            print(f"baseline: {args.clients - args.runaway_clients} clients for "
                  f"{args.baseline_seconds:g} s", flush=True)
            phase(port, paths, args, "baseline", args.baseline_seconds, record, False)
            print(f"load: {args.clients} clients for {args.seconds:g} s", flush=True)
            phase(port, paths, args, "load", args.seconds, record, True)
        finally:
            stop.set()
            if sampler.is_alive():
                sampler.join()
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)
    lines = show(summary(record, memory, args), args)
    print("\n".join(lines))
    for note, n in collections.Counter(o.note[:100] for o in record.outcomes
                                       if o.kind in WEIGHTS and o.status != 200).items():
        print(f"{n} x {note}")
    if not args.quick:
        write_results(lines, args, triples, args.store or "")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
