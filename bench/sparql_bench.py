"""SPARQL over HTTP: partnergraph's /sparql against a plain `oxigraph serve`,
same data, same queries, same run. Writes bench/RESULTS.md (not with --quick).

    python bench/sparql_bench.py [--quick]

See bench/README.md for what the figures mean.
"""
from __future__ import annotations

import argparse
import datetime
import http.client
import json
import math
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from pathlib import Path

import dataset

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
RUN_SECTION = "# One command: partnergraph against its baselines"
BORLANGE = dataset.BASE + "municipality/se/borlange"

PREFIXES = f"""PREFIX pg: <{dataset.PG}>
PREFIX org: <{dataset.ORG}>
PREFIX skos: <{dataset.SKOS}>
PREFIX geo: <{dataset.GEO}>
PREFIX country: <{dataset.BASE}country/>
"""
JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"

# (name, Accept, query). Prefixes are spelled out: a plain Oxigraph knows none.
QUERIES = [
    ("point lookup", JSON, f"SELECT ?p ?o WHERE {{ <{BORLANGE}> ?p ?o }}"),
    ("twin towns of Borlänge (README)", JSON, """
SELECT ?partner ?name ?country WHERE {
  ?municipality skos:prefLabel "Borlänge"@sv .
  ?partnership a pg:Partnership ; pg:kind pg:TwinTown ; org:hasMember ?municipality, ?partner .
  FILTER (?partner != ?municipality)
  ?partner skos:prefLabel ?name ; pg:country/skos:prefLabel ?country .
  FILTER (LANG(?name) = "en" && LANG(?country) = "en")
} ORDER BY ?name"""),
    ("Swedish municipalities with German partners (README, adapted)", JSON, """
SELECT DISTINCT ?municipality ?name ?partnerName WHERE {
  ?partner pg:country/pg:isoAlpha2 "DE" ; skos:prefLabel ?partnerName .
  ?partnership a pg:Partnership ; org:hasMember ?municipality, ?partner .
  ?municipality a pg:Municipality ; pg:country/pg:isoAlpha2 "SE" ; skos:prefLabel ?name .
  FILTER (LANG(?name) = "sv" && LANG(?partnerName) = "en")
} ORDER BY ?name ?partnerName"""),
    ("GROUP BY: partnerships per country", JSON, """
SELECT ?country (COUNT(DISTINCT ?partnership) AS ?partnerships) WHERE {
  ?partnership a pg:Partnership ; org:hasMember ?town .
  ?town pg:country/pg:isoAlpha2 ?country .
} GROUP BY ?country ORDER BY DESC(?partnerships) ?country"""),
    ("CONSTRUCT: Sweden's twin-town network", NTRIPLES, """
CONSTRUCT { ?partnership org:hasMember ?swedish, ?partner . ?partner skos:prefLabel ?name }
WHERE {
  ?swedish pg:country country:SE .
  ?partnership org:hasMember ?swedish, ?partner .
  FILTER (?partner != ?swedish)
  ?partner skos:prefLabel ?name .
}"""),
    ("ASK: Borlänge has a partner in China", JSON, f"""
ASK {{ ?partnership org:hasMember <{BORLANGE}>, ?partner .
      ?partner pg:country/pg:isoAlpha2 "CN" }}"""),
    ("10,000 rows as JSON", JSON, """
SELECT ?town ?name ?lat ?long WHERE {
  ?town a pg:Municipality ; skos:prefLabel ?name ; geo:lat ?lat ; geo:long ?long .
} LIMIT 10000"""),
]
COUNT_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"

# Each measurement stops at its count or once `budget` seconds are spent, so
# that a slow query costs minutes, not an hour. `sample` > 1 thins the
# Wikipedia data: a quick run only checks that everything works.
FULL = dict(sample=1, warmup=3, repeat=50, requests=200, clients=4, budget=20.0)
QUICK = dict(sample=5, warmup=1, repeat=5, requests=20, clients=4, budget=1.0)


class Server:
    """A server process in its own process group, so that stopping it also
    stops the query workers it started."""

    def __init__(self, name: str, argv: list[str], port: int, path: str, log: Path, env=None):
        self.name, self.port, self.path, self.log = name, port, path, log
        with log.open("wb") as out:
            self.process = subprocess.Popen(argv, stdout=out, stderr=out, env=env,
                                            stdin=subprocess.DEVNULL, start_new_session=True)

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def once(self, query: str, accept: str) -> tuple[int, bytes]:
        conn = self.connect()
        try:
            return request(conn, self.path, query, accept)
        finally:
            conn.close()

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if self.once("ASK {}", JSON)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} did not start; its log says:\n"
                         + self.log.read_text(errors="replace")[-2000:])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def request(conn: http.client.HTTPConnection, path: str, query: str, accept: str) -> tuple[int, bytes]:
    """POST the query; http.client reopens the connection by itself when the
    server closed it after the previous answer (waitress does, after a streamed one)."""
    def send():
        conn.request("POST", path, body=query.encode(),
                     headers={"Content-Type": "application/sparql-query", "Accept": accept})
        response = conn.getresponse()
        return response.status, response.read()

    try:
        return send()
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        # An idle keep-alive connection may have been dropped meanwhile: once more.
        conn.close()
        return send()


def rows(body: bytes, accept: str):
    """What the answer holds: rows of a SELECT, the value of an ASK, triples of a CONSTRUCT."""
    if accept == NTRIPLES:
        return sum(1 for line in body.splitlines() if line.strip())
    answer = json.loads(body)
    return answer["boolean"] if "boolean" in answer else len(answer["results"]["bindings"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(argv: list[str], env=None) -> str:
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def timed(send, count: int, budget: float, least: int = 1) -> list[float]:
    """Milliseconds of up to `count` calls of `send`; fewer once `budget`
    seconds are spent, but at least `least`."""
    times = []
    began = time.perf_counter()
    while len(times) < count and (len(times) < least or time.perf_counter() - began < budget):
        start = time.perf_counter()
        send()
        times.append((time.perf_counter() - start) * 1000)
    return times


def latency(server: Server, query: str, accept: str, settings: dict) -> list[float]:
    """Sequential requests on one keep-alive connection, after a warm-up."""
    conn = server.connect()

    def send():
        status, _ = request(conn, server.path, query, accept)
        if status != 200:
            raise SystemExit(f"{server.name} answered {status}")

    timed(send, settings["warmup"], settings["budget"] / 10)
    times = timed(send, settings["repeat"], settings["budget"], least=3)
    conn.close()
    return times


def throughput(server: Server, query: str, accept: str, requests: int, clients: int) -> float:
    """Requests per second: `clients` threads, each on its own keep-alive
    connection, share `requests` requests."""
    return throughput_of(server, [query] * requests, accept, clients)


def throughput_of(server: Server, queries: list[str], accept: str, clients: int,
                  addresses: list[str] | None = None) -> float:
    """Requests per second: `clients` threads, each on its own keep-alive
    connection (from `addresses[i]` when given), send each query once
    between them."""
    remaining = iter(queries)
    lock = threading.Lock()
    failures = []
    start_line = threading.Barrier(clients + 1)

    def client(i: int):
        conn = (server.connect() if addresses is None else http.client.HTTPConnection(
            "127.0.0.1", server.port, timeout=120, source_address=(addresses[i], 0)))
        start_line.wait()
        while True:
            with lock:
                query = next(remaining, None)
            if query is None:
                break
            status, _ = request(conn, server.path, query, accept)
            if status != 200:
                failures.append(status)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    start_line.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{server.name}: {len(failures)} requests failed ({failures[0]})")
    return len(queries) / elapsed


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def graph_counts(server: Server) -> dict[str, int]:
    status, body = server.once(COUNT_BY_GRAPH, JSON)
    if status != 200:
        raise SystemExit(f"{server.name} answered {status} to the triple count: {body[:300]!r}")
    return {b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(body)["results"]["bindings"]}


def disk_size(directory: Path) -> float:
    """Megabytes."""
    return sum(f.stat().st_size for f in directory.rglob("*") if f.is_file()) / 1e6


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    return {
        "CPUs": f"{os.cpu_count()} × {cpu}",
        "system": platform.platform(),
        "Python": platform.python_version(),
        "pyoxigraph (partnergraph's engine)": version("pyoxigraph"),
        "oxigraph (server)": run(["oxigraph", "--version"]).strip(),
        "partnergraph": version("partnergraph"),
        "granian": version("granian"),
    }


def report(results, facts, data, counts, sizes, settings, quick: bool) -> str:
    def ratio(a, b):
        return f"{a / b:.2f}"

    lines = [
        "# /sparql: partnergraph against Oxigraph",
        "",
        f"Run of {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
        f"{' (--quick: too few repetitions to trust)' if quick else ''}, "
        "written by `python bench/sparql_bench.py`; bench/README.md explains it.",
        "",
        *[f"- {k}: {v}" for k, v in facts.items()],
        f"- dataset: {data.quads:,} quads in {len(counts)} named graphs, the same in both "
        f"stores (N-Quads {data.nquads.stat().st_size / 1e6:.0f} MB): the bundled ontology and data, "
        f"{'every ' + str(settings['sample']) + 'th row of ' if settings['sample'] > 1 else ''}"
        "Wikipedia's twin towns and Sweden's municipalities",
        f"- stores on disk after loading: partnergraph {sizes['partnergraph']:.0f} MB, "
        f"Oxigraph {sizes['oxigraph']:.0f} MB",
        f"- latency: up to {settings['repeat']} sequential requests on one keep-alive connection "
        f"(fewer once {settings['budget']:g} s are spent, at least 3) after up to "
        f"{settings['warmup']} for warm-up; throughput: up to {settings['requests']} requests "
        f"(the same number for both) from {settings['clients']} concurrent clients, "
        "each on its own keep-alive connection; n in the table gives the counts",
        "- partnergraph: `partnergraph serve` (granian, 16 threads, 4 query worker processes); "
        "Oxigraph: `oxigraph serve --union-default-graph`",
        "",
        "Ratios are partnergraph / Oxigraph: for latency above 1 means partnergraph is slower, "
        "for throughput below 1 means it is slower.",
        "",
        "| query | rows | partnergraph median / p95 ms | Oxigraph median / p95 ms | latency ratio (median) "
        "| partnergraph req/s | Oxigraph req/s | throughput ratio | n (latency pg/ox; throughput) |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['rows']} | {r['pg_median']:.1f} / {r['pg_p95']:.1f} "
            f"| {r['ox_median']:.1f} / {r['ox_p95']:.1f} | {ratio(r['pg_median'], r['ox_median'])} "
            f"| {r['pg_rps']:.1f} | {r['ox_rps']:.1f} | {ratio(r['pg_rps'], r['ox_rps'])} "
            f"| {r['pg_n']}/{r['ox_n']}; {r['requests']} |")
    lat = statistics.geometric_mean([r["pg_median"] / r["ox_median"] for r in results])
    rps = statistics.geometric_mean([r["pg_rps"] / r["ox_rps"] for r in results])
    lines += [
        f"| **geometric mean** | | | | **{lat:.2f}** | | | **{rps:.2f}** | |",
        "",
        "## Queries",
        "",
        "Each is sent as `application/sparql-query` with the Accept header shown, "
        "after these prefixes:",
        "",
        "```sparql",
        PREFIXES.strip(),
        "```",
    ]
    for name, accept, query in QUERIES:
        lines += ["", f"### {name}", "", f"Accept: `{accept}`", "", "```sparql", query.strip(), "```"]
    return "\n".join(lines) + "\n"


def measure(servers: list[Server], name: str, accept: str, query: str, settings: dict) -> dict:
    """One query on both servers: first the same answer from both, then the figures."""
    answers = []
    for server in servers:
        status, body = server.once(query, accept)
        if status != 200:
            raise SystemExit(f"{server.name} answered {status} to {name}: {body[:500]!r}")
        answers.append(rows(body, accept))
    if answers[0] != answers[1]:
        raise SystemExit(f"{name}: partnergraph gave {answers[0]}, Oxigraph {answers[1]}")
    result = {"name": name, "rows": answers[0]}
    for key, server in zip(("pg", "ox"), servers):
        times = latency(server, query, accept, settings)
        result[f"{key}_n"] = len(times)
        result[f"{key}_median"], result[f"{key}_p95"] = statistics.median(times), p95(times)
    # The same number of requests for both: about as many as the slower one
    # answers in the budget one after the other, within the set bounds.
    slower = max(result["pg_median"], result["ox_median"]) / 1000
    result["requests"] = min(settings["requests"],
                             max(2 * settings["clients"], int(settings["budget"] / slower)))
    for key, server in zip(("pg", "ox"), servers):
        result[f"{key}_rps"] = throughput(server, query, accept, result["requests"], settings["clients"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="a fifth of the data, few repetitions, only printed: to check that it works")
    args = parser.parse_args()
    settings = QUICK if args.quick else FULL

    tmp = Path(tempfile.mkdtemp(prefix="partnergraph-bench-"))
    servers: list[Server] = []
    try:
        print("building the dataset ...", file=sys.stderr)
        data = dataset.build(tmp, settings["sample"])
        # Only this store's settings: none of the caller's PARTNERGRAPH_* leak in.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNERGRAPH_")}
        env["PARTNERGRAPH_STORE"] = str(tmp / "partnergraph-store")
        print("loading both stores ...", file=sys.stderr)
        for graph, path in data.graphs.items():
            run(["partnergraph", "load", str(path), "--graph", graph], env)
        run(["oxigraph", "load", "--location", str(tmp / "oxigraph-store"), "--file", str(data.nquads)])
        sizes = {name: disk_size(tmp / f"{name}-store") for name in ("partnergraph", "oxigraph")}

        pg_port, ox_port = free_port(), free_port()
        servers.append(Server("partnergraph", ["partnergraph", "serve", "--port", str(pg_port)],
                              pg_port, "/sparql", tmp / "partnergraph.log", env))
        servers.append(Server("oxigraph", ["oxigraph", "serve", "--location", str(tmp / "oxigraph-store"),
                                           "--union-default-graph", "--bind", f"127.0.0.1:{ox_port}"],
                              ox_port, "/query", tmp / "oxigraph.log"))
        for server in servers:
            server.wait_ready()

        counts = [graph_counts(server) for server in servers]
        if counts[0] != counts[1] or sum(counts[0].values()) != data.quads:
            raise SystemExit(f"the stores differ: partnergraph {counts[0]}, Oxigraph {counts[1]}, "
                             f"expected {data.quads} quads")

        results = []
        for name, accept, text in QUERIES:
            print(f"{name} ...", file=sys.stderr)
            results.append(measure(servers, name, accept, PREFIXES + text.strip(), settings))

        text = report(results, machine(), data, counts[0], sizes, settings, args.quick)
        print(text)
        # A quick run's figures mean little; they must not replace a real run's.
        if not args.quick:
            # bench/run.py's section follows this one in the same file; keep it.
            previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
            kept = previous[previous.find(RUN_SECTION):] if RUN_SECTION in previous else ""
            RESULTS.write_text(text + ("\n" + kept if kept else ""), encoding="utf-8")
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
