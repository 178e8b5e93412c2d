"""What each step of /sparql costs on a small query, and the small queries
against `oxigraph serve` on the same data, in one run.

    python bench/small_queries.py [--triples 1000000 | --store PATH] [--quick]

On generated data (tools/generate_partnerships.py, loaded with `partnergraph
load` as bench/run.py does) or a copy of a given store, for the point lookup
and the ASK of bench/run.py's mix:

- the steps, in this process, as CPU microseconds per request (median; CPU
  time, not the clock, so that other processes on the machine do not count):
  the engine alone (pyoxigraph on the snapshot, answer serialised), the
  service's rules (graph.sparql.rules), a query worker's round trip, the
  same query answered here once known to be cheap (graph.store.known_cheap),
  its answer kept from the last time (graph.store.cheap_answers), the whole
  Flask route, and the front that answers small queries before Flask
  (server.protocol.small_queries);
- over HTTP, the server's CPU per request (from /proc) of `partnergraph
  serve`, of granian serving an app that does nothing, and of `oxigraph
  serve`; the latency p50 of `partnergraph serve` against `oxigraph serve`,
  the two asked in turn; requests per second with 4 clients, the same query
  again and again (a dashboard) and point lookups each asked once.

Writes its section of bench/RESULTS.md (not with --quick).
"""
from __future__ import annotations

import argparse
import datetime
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "tools"), str(REPO)]

import generate_partnerships as gen  # noqa: E402
import pyoxigraph as ox  # noqa: E402
from sparql_bench import JSON, Server, free_port, request, throughput, throughput_of  # noqa: E402

from graph.settings import Settings  # noqa: E402
from graph.sparql.rules import prepare_query  # noqa: E402
from server import create_app  # noqa: E402
from server.support.store import store_of  # noqa: E402

RESULTS = HERE / "RESULTS.md"
TITLE = "## Small queries: what each step costs"
PREFIXES = ("PREFIX pg: <https://w3id.org/partnergraph/ontology#>\n"
            "PREFIX org: <http://www.w3.org/ns/org#>\n")
HUB = """SELECT ?m WHERE { ?p <http://www.w3.org/ns/org#hasMember> ?m }
GROUP BY ?m ORDER BY DESC(COUNT(?p)) LIMIT 1"""
# An app that only answers, for the HTTP server's own share of a request:
# served as `partnergraph serve` serves the service (server/cli.py).
EMPTY_APP = textwrap.dedent("""
    def app(environ, start_response):
        environ["wsgi.input"].read()
        start_response("200 OK", [("Content-Type", "application/sparql-results+json"),
                                  ("Content-Length", "16")])
        return [b'{"boolean":true}']
""")


def queries(hub: str) -> dict[str, str]:
    """bench/run.py's point lookup and ASK."""
    return {"point lookup": PREFIXES + f"SELECT ?p ?o WHERE {{ <{hub}> ?p ?o }}",
            "ASK": PREFIXES + f'ASK {{ ?partnership org:hasMember <{hub}>, ?partner .\n'
                              f'      ?partner pg:country/pg:isoAlpha2 "CN" }}'}


def cpu_us(step: Callable[[], object], n: int) -> float:
    """Median CPU microseconds of `step` in this thread, after a warm-up."""
    for _ in range(max(5, n // 10)):
        step()
    times = []
    for _ in range(n):
        began = time.thread_time()
        step()
        times.append((time.thread_time() - began) * 1e6)
    return statistics.median(times)


def environ(query: str) -> dict:
    body = query.encode()
    return {"REQUEST_METHOD": "POST", "PATH_INFO": "/sparql", "SCRIPT_NAME": "",
            "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/sparql-query", "HTTP_ACCEPT": JSON,
            "HTTP_HOST": "127.0.0.1", "wsgi.errors": sys.stderr, "wsgi.multithread": True,
            "wsgi.multiprocess": False, "wsgi.run_once": False, "wsgi.version": (1, 0)}


def through(wsgi, query: str) -> bytes:
    status = []
    body = wsgi(environ(query), lambda s, h, e=None: status.append(s))
    data = b"".join(body)
    getattr(body, "close", lambda: None)()
    assert status == ["200 OK"], status
    return data


def steps(store_path: str, qs: dict[str, str], n: int) -> dict[str, dict[str, float]]:
    """CPU microseconds per request of each step, per query."""
    settings = Settings.from_env().with_(store=store_path, derived_background=False)
    app = create_app(settings)
    store = store_of(app)
    try:
        snapshot = ox.Store.read_only(store.snapshot().path)
        runner = store._query_runner()
        front, flask = app.wsgi_app, app.wsgi_app.inner  # type: ignore[attr-defined]
        out: dict[str, dict[str, float]] = {}
        for name, query in qs.items():
            r: dict[str, float] = {}
            r["engine"] = cpu_us(lambda q=query: snapshot.query(
                q, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON), n)
            r["rules"] = cpu_us(lambda q=query: prepare_query(q, settings), n)
            limit = runner.cheap.limit
            runner.cheap.limit = 0          # nothing is cheap: every run goes to a worker
            runner.cheap.forget()
            r["worker"] = cpu_us(lambda q=query: store.sparql_query(q).read(), n)
            r["worker_wall"] = _wall_us(lambda q=query: store.sparql_query(q).read(), n)
            runner.cheap.limit = limit
            store.sparql_query(query).read()  # seen once by a worker: cheap from now on
            r["known_cheap"] = cpu_us(
                lambda q=query: (runner.answers.forget(), store.sparql_query(q).read()), n)
            r["kept"] = cpu_us(lambda q=query: store.sparql_query(q).read(), n)
            r["flask"] = cpu_us(lambda q=query: through(flask, q), n)
            r["front"] = cpu_us(lambda q=query: through(front, q), n)
            out[name] = r
        return out
    finally:
        store.close()


def _wall_us(step: Callable[[], object], n: int) -> float:
    times = []
    for _ in range(n):
        began = time.perf_counter()
        step()
        times.append((time.perf_counter() - began) * 1e6)
    return statistics.median(times)


def tree(pid: int) -> list[int]:
    found = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if parent == pid:
                found += tree(int(entry.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def server_cpu_us(server: Server, query: str, n: int) -> float:
    """The server's CPU (its processes', its workers' too) per request, over n requests."""
    conn = server.connect()
    for _ in range(20):
        request(conn, server.path, query, JSON)
    pids = tree(server.process.pid)
    before = cpu_seconds(pids)
    for _ in range(n):
        request(conn, server.path, query, JSON)
    conn.close()
    return (cpu_seconds(pids) - before) / n * 1e6


def latencies(servers: list[Server], query: str, rounds: int) -> list[float]:
    """p50 ms of each server, asked in turn so that the machine's load falls
    on all of them alike."""
    conns = [s.connect() for s in servers]
    times: list[list[float]] = [[] for _ in servers]
    for r in range(rounds + 20):
        for i, server in enumerate(servers):
            began = time.perf_counter()
            status, body = request(conns[i], server.path, query, JSON)
            if status != 200:
                raise SystemExit(f"{server.name} answered {status}: {body[:200]!r}")
            if r >= 20:
                times[i].append((time.perf_counter() - began) * 1000)
    for conn in conns:
        conn.close()
    return [statistics.median(t) for t in times]


def make_store(tmp: Path, triples: int, env: dict) -> Path:
    nt = tmp / "synthetic.nt"
    gen.write(nt, triples, 1)
    subprocess.run(["partnergraph", "load", str(nt), "--graph", gen.DEFAULT_GRAPH],
                   env=env, check=True, capture_output=True)
    nt.unlink()
    return Path(env["PARTNERGRAPH_STORE"])


def run(store_path: Path, tmp: Path, env: dict, n: int, rounds: int, requests: int) -> dict:
    pg_port, ox_port, empty_port = free_port(), free_port(), free_port()
    (tmp / "empty_app.py").write_text(EMPTY_APP)
    settings = Settings.from_env().with_(store=str(store_path), derived_background=False)
    app = create_app(settings)
    store = store_of(app)
    hub = store.select(HUB)[0]["m"].value
    places = [row["m"].value for row in store.select(
        f"SELECT DISTINCT ?m WHERE {{ ?p <http://www.w3.org/ns/org#hasMember> ?m }} LIMIT {requests}")]
    oxigraph_copy = tmp / "oxigraph"
    shutil.copytree(store.snapshot().path, oxigraph_copy)
    triples = int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value)
    store.close()
    qs = queries(hub)
    out: dict = {"triples": triples, "hub": hub, "steps": steps(str(store_path), qs, n)}
    servers = [
        Server("partnergraph", ["partnergraph", "serve", "--port", str(pg_port)], pg_port,
               "/sparql", tmp / "partnergraph.log", env),
        Server("oxigraph", ["oxigraph", "serve", "--location", str(oxigraph_copy),
                            "--union-default-graph", "--bind", f"127.0.0.1:{ox_port}"],
               ox_port, "/query", tmp / "oxigraph.log"),
        Server("granian, an empty app",
               [sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", "1",
                "--blocking-threads", "16", "--host", "127.0.0.1", "--port", str(empty_port),
                "--log-level", "error", "empty_app:app"],
               empty_port, "/sparql", tmp / "empty.log", {**os.environ, "PYTHONPATH": str(tmp)})]
    try:
        for server in servers:
            server.wait_ready(300)
        pg, oxigraph, empty = servers
        http: dict = {}
        for name, query in qs.items():
            h: dict = {}
            h["pg_cpu_us"] = server_cpu_us(pg, query, requests)
            h["ox_cpu_us"] = server_cpu_us(oxigraph, query, requests)
            h["empty_cpu_us"] = server_cpu_us(empty, query, requests)
            h["pg_p50_ms"], h["ox_p50_ms"], h["empty_p50_ms"] = latencies(servers, query, rounds)
            h["pg_rps"] = throughput(pg, query, JSON, requests, 4)
            h["ox_rps"] = throughput(oxigraph, query, JSON, requests, 4)
            http[name] = h
        # Each request a point lookup not asked before: no answer kept, no
        # query known cheap, every one goes to a query worker. Each client
        # has an address of its own, as people do: the service gives one
        # address only some of its query workers at a time
        # (server.support.client_limits).
        new = [PREFIXES + f"SELECT ?p ?o WHERE {{ <{place}> ?p ?o }}" for place in places]
        addresses = [f"127.0.0.{10 + i}" for i in range(4)]
        out["new_lookups"] = {"queries": len(new),
                              "pg_rps": throughput_of(pg, new, JSON, 4, addresses),
                              "ox_rps": throughput_of(oxigraph, new, JSON, 4, addresses)}
        out["http"] = http
    finally:
        for server in servers:
            server.stop()
    return out


def table(out: dict) -> list[str]:
    lines = ["| step (CPU µs per request, median) | " + " | ".join(out["steps"]) + " |",
             "|---" + "|--:" * len(out["steps"]) + "|"]
    rows = [("engine: pyoxigraph on the snapshot, answer serialised", "engine"),
            ("the service's rules (graph.sparql.rules)", "rules"),
            ("rules + a query worker's round trip (the client's share; its wall time below)", "worker"),
            ("rules + a query worker's round trip, wall µs", "worker_wall"),
            ("rules + answered in the web process, known cheap", "known_cheap"),
            ("rules + the answer kept since it was last worked out (graph.store.cheap_answers)", "kept"),
            ("the Flask route /sparql, the answer kept", "flask"),
            ("the front for small queries (server.protocol.small_queries)", "front")]
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(f"{s[key]:.0f}" for s in out["steps"].values()) + " |")
    http = out["http"]
    lines += ["", "| over HTTP | " + " | ".join(http) + " |", "|---" + "|--:" * len(http) + "|"]
    rows2 = [("server CPU µs per request: partnergraph serve", "pg_cpu_us", "{:.0f}"),
             ("server CPU µs per request: granian, an app that does nothing", "empty_cpu_us", "{:.0f}"),
             ("server CPU µs per request: oxigraph serve", "ox_cpu_us", "{:.0f}"),
             ("p50 ms: partnergraph serve", "pg_p50_ms", "{:.2f}"),
             ("p50 ms: granian, an app that does nothing", "empty_p50_ms", "{:.2f}"),
             ("p50 ms: oxigraph serve", "ox_p50_ms", "{:.2f}")]
    for label, key, fmt in rows2:
        lines.append(f"| {label} | " + " | ".join(fmt.format(h[key]) for h in http.values()) + " |")
    lines.append("| **p50 ratio, partnergraph / oxigraph serve** (target ≤ 2) | " + " | ".join(
        f"**{h['pg_p50_ms'] / h['ox_p50_ms']:.2f}**" for h in http.values()) + " |")
    lines.append("| requests/s, 4 clients: partnergraph / oxigraph serve | " + " | ".join(
        f"{h['pg_rps']:.0f} / {h['ox_rps']:.0f}" for h in http.values()) + " |")
    lines.append("| **throughput ratio** (target ≥ 0.5) | " + " | ".join(
        f"**{h['pg_rps'] / h['ox_rps']:.2f}**" for h in http.values()) + " |")
    new = out["new_lookups"]
    lines += ["", f"| {new['queries']:,} point lookups, each asked once, 4 clients | requests/s |",
              "|---|--:|",
              f"| partnergraph serve | {new['pg_rps']:.0f} |",
              f"| oxigraph serve | {new['ox_rps']:.0f} |",
              f"| ratio | {new['pg_rps'] / new['ox_rps']:.2f} |"]
    return lines


def write_results(out: dict, args) -> None:
    load = os.getloadavg()[0]
    section = [
        TITLE, "",
        f"Written by `python bench/small_queries.py "
        f"{'--store ' + args.store if args.store else '--triples ' + str(args.triples)}` on "
        f"{datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} CPUs "
        f"(load average {load:.1f} at the end: the machine was shared), Python "
        f"{platform.python_version()}: {out['triples']:,} triples, bench/run.py's point lookup "
        f"and ASK. Steps in this process, {args.n} requests each; over HTTP {args.requests} "
        f"requests per figure, the latencies {args.rounds} rounds of the three servers in turn.",
        "", *table(out), ""]
    text = RESULTS.read_text(encoding="utf-8")
    start = text.find("\n" + TITLE + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + "\n".join(section)
    else:
        # In its place: the sections of other benchmarks around it stay where they are.
        ends = [i for i in (text.find("\n## ", start + 1), text.find("\n# ", start + 1)) if i >= 0]
        end = min(ends) if ends else len(text)
        text = text[:start + 1] + "\n".join(section) + text[end:]
    RESULTS.write_text(text, encoding="utf-8")
    print(f"wrote {RESULTS}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--store", help="an embedded store folder, copied, instead of generated data")
    parser.add_argument("--n", type=int, default=500, help="requests per step")
    parser.add_argument("--rounds", type=int, default=300, help="latency rounds")
    parser.add_argument("--requests", type=int, default=1000, help="requests per HTTP figure")
    parser.add_argument("--quick", action="store_true", help="a few requests each; writes nothing")
    args = parser.parse_args()
    if args.quick:
        args.n, args.rounds, args.requests = 50, 30, 100
    tmp = Path(tempfile.mkdtemp(prefix="partnergraph-small-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNERGRAPH_")}
    env.update(PARTNERGRAPH_STORE=str(tmp / "store"), PARTNERGRAPH_DERIVED="wait")
    os.environ.update(PARTNERGRAPH_DERIVED="wait")
    try:
        if args.store:
            shutil.copytree(args.store, tmp / "store")
        else:
            make_store(tmp, args.triples, env)
        out = run(tmp / "store", tmp, env, args.n, args.rounds, args.requests)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("\n".join(table(out)))
    if not args.quick:
        write_results(out, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
