"""One benchmark run on generated data: loading, the analyst query mix, embed
views, memory and cold start, each against its baselines, on the same data.

    python bench/run.py --triples 100000 --json OUT.json [--seed 1]

Generates about N triples with tools/generate_partnerships.py (plus the bundled
ontology and data, which every partnergraph store holds), then measures:

- load: `partnergraph load FILE --graph IRI` as a subprocess on a store that
  holds only the bundled data, against pyoxigraph's Store(path).bulk_load in
  this process, alone and followed by `optimize` (the merge of its files that
  `partnergraph load` does too), and `oxigraph load`, which fills the store
  `oxigraph serve` uses; and how long the first query waits after the load;
- query latency, p50 and p95, of the query mix through `/sparql` of
  `partnergraph serve`, against pyoxigraph in this process (the floor),
  `oxigraph serve --union-default-graph` and rdflib's in-memory Dataset behind
  bench/rdflib_endpoint.py; each request's text made new by a comment, so
  that partnergraph answers none from what an earlier request left (its
  p50 on the same text again, as a dashboard sends it, is shown beside, for
  the queries under a second);
- embed views per second, 8 concurrent clients, from the view cache and
  rendered each time, against `oxigraph serve` answering the equivalent query;
- resident memory of each server after the query mix, per million triples;
- cold start of `partnergraph serve` on the stored data, until /healthz answers.

Writes OUT as JSON (ratios, raw figures, machine facts) and prints a table.
bench/RESULTS.md says what limits each figure.
"""
from __future__ import annotations

import argparse
import datetime
import http.client
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "tools"), str(REPO)]

import embed_bench  # noqa: E402
import generate_partnerships as gen  # noqa: E402
import pyoxigraph as ox  # noqa: E402
from sparql_bench import JSON, NTRIPLES, Server, disk_size, free_port, p95, request, rows  # noqa: E402

GRAPH = gen.DEFAULT_GRAPH
PREFIXES = """PREFIX pg: <https://w3id.org/partnergraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
# Per query and system: up to `repeat` timed requests after `warmup`, fewer
# once `budget` seconds are spent (at least `least`). rdflib gets fewer and a
# time cap, or one slow query would take the whole run.
FAST = dict(warmup=1, repeat=20, budget=2.0, least=3)
RDFLIB = dict(warmup=0, repeat=5, budget=3.0, least=1)
# A query rdflib has not answered after this many seconds (--rdflib-cap) is
# stopped; its time counts as the cap, so the speed-up over rdflib is then a
# lower bound.
RDFLIB_CAP_S = 10.0
EMBED_SECONDS = 3.0
# Only a query known to be cheap (under 10 ms of CPU in a worker) has its
# answer kept; one slower than this is not timed again on the same text.
SAME_TEXT_BELOW_MS = 1000.0
# rdflib holds the whole graph in Python objects (1.8 GB at 1 M triples):
# above this size (--rdflib-max-triples) it is left out of the run, which
# says so, rather than take the shared machine's memory. The embed views ask
# the store for what each draws, so they run at every size unless
# --embed-max-triples says otherwise.
RDFLIB_MAX_TRIPLES = 2_000_000
EMBED_MAX_TRIPLES: int | None = None


def _partners_of_kind(municipality: str, kind: str) -> str:
    """The README's question of a municipality's partners of one kind."""
    return f"""
SELECT ?partner ?name ?country WHERE {{
  ?municipality skos:prefLabel "{municipality}"@sv .
  ?partnership a pg:Partnership ; pg:kind {kind} ; org:hasMember ?municipality, ?partner .
  FILTER (?partner != ?municipality)
  ?partner skos:prefLabel ?name ; pg:country/skos:prefLabel ?country .
  FILTER (LANG(?name) = "en" && LANG(?country) = "en")
}} ORDER BY ?name"""


def queries(s: gen.Summary) -> list[tuple[str, str, str]]:
    """(name, Accept, query): the README's competency questions, adapted to
    the generated municipalities (its hub stands in for Borlänge, the best
    connected Swedish one for Ljusdal), and the usual analyst's aggregates."""
    hub, partner, swede = s.hub_name, s.hub_partner_name, s.swedish_hub_name
    return [
        ("point lookup", JSON, f"SELECT ?p ?o WHERE {{ <{s.hub}> ?p ?o }}"),
        ("twin towns of a municipality (README)", JSON, _partners_of_kind(hub, "pg:TwinTown")),
        ("other official relations (README)", JSON, _partners_of_kind(hub, "pg:OfficialRelation")),
        ("partnerships funded by Sida (README)", JSON, """
SELECT ?partnership ?name (GROUP_CONCAT(DISTINCT ?memberName; separator=", ") AS ?members) WHERE {
  ?sida a pg:Funder ; skos:prefLabel "Sida"@sv .
  ?partnership a pg:Partnership ; pg:fundedBy|pg:fundingProgramme/pg:fundedBy ?sida ;
               skos:prefLabel ?name ; org:hasMember ?member .
  ?member skos:prefLabel ?memberName .
  FILTER (LANG(?name) = "en" && LANG(?memberName) = "en")
} GROUP BY ?partnership ?name ORDER BY ?name"""),
        ("themes of a municipality's partnerships (README, adapted)", JSON, f"""
SELECT DISTINCT ?theme ?label ?priority WHERE {{
  ?m skos:prefLabel "{swede}"@sv .
  ?partnership a pg:Partnership ; org:hasMember ?m .
  {{ ?partnership pg:theme|pg:priorityArea ?theme }}
  UNION {{ ?project pg:partnership ?partnership ; pg:theme ?theme }}
  ?theme skos:prefLabel ?label .
  FILTER (LANG(?label) = "sv")
  BIND (EXISTS {{ ?partnership pg:priorityArea ?theme }} AS ?priority)
}} ORDER BY DESC(?priority) ?label"""),
        ("Swedish municipalities with partners in Kenya (README)", JSON, """
SELECT DISTINCT ?municipality ?name ?partnerName WHERE {
  ?partner pg:country/pg:isoAlpha2 "KE" ; skos:prefLabel ?partnerName .
  ?partnership a pg:Partnership ; org:hasMember ?municipality, ?partner .
  ?municipality a pg:Municipality ; pg:country/pg:isoAlpha2 "SE" ; skos:prefLabel ?name .
  FILTER (LANG(?name) = "sv" && LANG(?partnerName) = "sv")
} ORDER BY ?name ?partnerName"""),
        ("partnerships in preparation (README)", JSON, """
SELECT ?partnership ?name ?partnerName WHERE {
  ?partnership a pg:Partnership ; pg:status pg:Preparation ;
               skos:prefLabel ?name ; org:hasMember ?partner .
  ?partner skos:prefLabel ?partnerName .
  FILTER (LANG(?name) = "sv" && LANG(?partnerName) = "sv")
} ORDER BY ?partnerName"""),
        ("themes shared by two municipalities (README, adapted)", JSON, f"""
SELECT DISTINCT ?theme ?label WHERE {{
  {{ SELECT DISTINCT ?theme WHERE {{
    ?a skos:prefLabel "{hub}"@sv .
    ?pa a pg:Partnership ; org:hasMember ?a .
    {{ ?pa pg:theme|pg:priorityArea ?ta }} UNION {{ ?xa pg:partnership ?pa ; pg:theme ?ta }}
    ?ta skos:broader* ?theme .
  }} }}
  {{ SELECT DISTINCT ?theme WHERE {{
    ?b skos:prefLabel "{swede}"@sv .
    ?pb a pg:Partnership ; org:hasMember ?b .
    {{ ?pb pg:theme|pg:priorityArea ?tb }} UNION {{ ?xb pg:partnership ?pb ; pg:theme ?tb }}
    ?tb skos:broader* ?theme .
  }} }}
  ?theme skos:prefLabel ?label .
  FILTER (LANG(?label) = "sv")
}} ORDER BY ?label"""),
        ("the source of a fact (README, adapted)", JSON, f"""
SELECT ?source ?title ?publisher WHERE {{
  ?a skos:prefLabel "{hub}"@sv .
  ?b skos:prefLabel "{partner}"@sv .
  GRAPH ?graph {{ ?partnership org:hasMember ?a, ?b }}
  ?graph prov:wasDerivedFrom ?source .
  ?source dcterms:title ?title ; dcterms:publisher/skos:prefLabel ?publisher .
  FILTER (LANG(?publisher) = "sv")
}}"""),
        ("GROUP BY: partnerships per country", JSON, """
SELECT ?country (COUNT(DISTINCT ?partnership) AS ?partnerships) WHERE {
  ?partnership a pg:Partnership ; org:hasMember ?town .
  ?town pg:country/pg:isoAlpha2 ?country .
} GROUP BY ?country ORDER BY DESC(?partnerships) ?country"""),
        ("GROUP BY: kind and start decade", JSON, """
SELECT ?kind ?decade (COUNT(*) AS ?n) WHERE {
  ?partnership a pg:Partnership ; pg:kind ?kind ; pg:startDate ?start .
  BIND (FLOOR(xsd:integer(STR(?start)) / 10) * 10 AS ?decade)
} GROUP BY ?kind ?decade ORDER BY ?kind ?decade"""),
        ("ASK: the hub has a partner in China", JSON, f"""
ASK {{ ?partnership org:hasMember <{s.hub}>, ?partner .
      ?partner pg:country/pg:isoAlpha2 "CN" }}"""),
        ("1,000 rows as JSON", JSON, """
SELECT ?town ?name ?country WHERE {
  ?town a pg:Municipality ; skos:prefLabel ?name ; pg:country ?country .
  FILTER (LANG(?name) = "sv")
} ORDER BY ?town LIMIT 1000"""),
    ]


def embed_query(hub: str) -> str:
    """What the embed network view around `hub` shows, as one query: its
    neighbours either way, their class and their Swedish label."""
    return PREFIXES + f"""
SELECT ?p ?n ?class ?label WHERE {{
  {{ <{hub}> ?p ?n FILTER(isIRI(?n)) }} UNION {{ ?n ?p <{hub}> }}
  OPTIONAL {{ ?n a ?class }}
  OPTIONAL {{ ?n skos:prefLabel ?label FILTER(LANG(?label) = "sv") }}
}}"""


# -- the systems under test ------------------------------------------------

class InProcess:
    """pyoxigraph in this process, answering as the servers do (serialised
    JSON or N-Triples): the floor under every server."""
    name = "pyoxigraph"

    def __init__(self, store: ox.Store):
        self.store = store

    def once(self, query: str, accept: str) -> tuple[int, bytes]:
        result = self.store.query(query, use_default_graph_as_union=True)
        if accept == NTRIPLES:
            return 200, ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
        return 200, result.serialize(format=ox.QueryResultsFormat.JSON)


def timed_runs(send, settings: dict) -> list[float]:
    """Milliseconds of each timed `send(n)`, n counting every request."""
    sent = itertools.count()
    for _ in range(settings["warmup"]):
        send(next(sent))
    times: list[float] = []
    began = time.perf_counter()
    while len(times) < settings["repeat"] and (
            len(times) < settings["least"] or time.perf_counter() - began < settings["budget"]):
        n = next(sent)
        start = time.perf_counter()
        send(n)
        times.append((time.perf_counter() - start) * 1000)
    return times


def asked_once(query: str, n: int) -> str:
    """The query with a comment of its own: for partnergraph a text never
    seen, so that no answer kept from an earlier request (graph.store.
    cheap_answers) and no knowledge of it being cheap counts in its time."""
    return f"{query}\n# request {n}\n"


def latencies(system, query: str, accept: str, settings: dict, *,
              same_text: bool = False) -> list[float]:
    """Each request a text of its own, unless `same_text`."""
    def text(n: int) -> str:
        return query if same_text else asked_once(query, n)

    if isinstance(system, InProcess):
        return timed_runs(lambda n: system.once(text(n), accept), settings)
    conn = system.connect()

    def send(n: int):
        status, body = request(conn, system.path, text(n), accept)
        if status != 200:
            raise SystemExit(f"{system.name} answered {status}: {body[:300]!r}")

    try:
        return timed_runs(send, settings)
    finally:
        conn.close()


def concurrent_rate(server: Server, query: str, clients: int, seconds: float) -> float:
    """Answers per second of `query` with `clients` threads, each on its own connection."""
    done = [0] * clients
    errors: list[str] = []
    stop = time.monotonic() + seconds

    def client(slot: int) -> None:
        conn = server.connect()
        while time.monotonic() < stop:
            status, _ = request(conn, server.path, query, JSON)
            if status != 200:
                errors.append(str(status))
            done[slot] += 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{server.name}: {errors[:3]}")
    return sum(done) / (time.monotonic() - started)


# -- memory and processes --------------------------------------------------

def status_kb(pid: int, key: str) -> int:
    """A kB figure of /proc/PID/status (or smaps_rollup for Pss), 0 if gone."""
    source = "smaps_rollup" if key == "Pss" else "status"
    try:
        for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, []))
    return tree


def memory_mb(pid: int) -> dict:
    tree = process_tree(pid)
    return {"processes": len(tree),
            "rss_mb": sum(status_kb(p, "VmRSS") for p in tree) / 1024,
            "rss_mb_each": [round(status_kb(p, "VmRSS") / 1024, 1) for p in tree],
            "pss_mb": sum(status_kb(p, "Pss") for p in tree) / 1024}


# -- steps -----------------------------------------------------------------

def run_cmd(argv: list[str], env=None) -> float:
    """Seconds the command took; stops the run if it fails."""
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")
    return elapsed


def write_data(tmp: Path, triples: int, seed: int, env) -> tuple[gen.Summary, Path, Path, int]:
    """The generated triples (N-Triples, for `partnergraph load --graph`) and
    everything a partnergraph store then holds as N-Quads, for the baselines:
    what a new store starts with is taken from one (`partnergraph export`),
    so the baselines hold the same whatever the initial data becomes."""
    nt = tmp / "synthetic.nt"
    summary = gen.write(nt, triples, seed)
    nq = tmp / "all.nq"
    run_cmd(["partnergraph", "export", "--format", "nquads", "-o", str(nq)], env)
    initial = sum(1 for _ in nq.open(encoding="utf-8"))
    with nq.open("a", encoding="utf-8") as out, nt.open(encoding="utf-8") as source:
        for line in source:
            out.write(line[:-2] + f"<{GRAPH}> .\n")
    return summary, nt, nq, initial


def load_phases(nt: Path, tmp: Path) -> dict:
    """The steps `partnergraph load` takes for a graph the store does not hold
    yet (graph/store_embedded.py write_quads), timed one by one on a scratch
    store: where its time goes."""
    phases = {}
    start = time.perf_counter()
    done = subprocess.run(["partnergraph", "--help"], capture_output=True)
    phases["cli_start_s"] = time.perf_counter() - start
    assert done.returncode == 0
    store = ox.Store(str(tmp / "phases-store"))
    target = ox.NamedNode(GRAPH)
    system = ox.NamedNode("urn:bench:system")
    start = time.perf_counter()
    store.add(ox.Quad(target, ox.NamedNode("urn:bench:beingLoaded"), ox.Literal("run"), system))
    phases["mark_graph_s"] = time.perf_counter() - start
    start = time.perf_counter()
    with nt.open("rb") as handle:
        store.bulk_load(handle, format=ox.RdfFormat.N_TRIPLES, base_iri=gen.BASE, to_graph=target)
    phases["bulk_load_s"] = time.perf_counter() - start
    start = time.perf_counter()
    n = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                  default_graph=target)))["n"].value)
    phases["count_s"] = time.perf_counter() - start
    start = time.perf_counter()
    store.update("DELETE WHERE { GRAPH <urn:bench:system> { ?g <urn:bench:beingLoaded> ?run } } ; "
                 "INSERT DATA { GRAPH <urn:bench:system> { <urn:bench:system> "
                 "<urn:bench:version> \"2\" } }")
    phases["publish_s"] = time.perf_counter() - start
    phases["triples"] = n
    del store
    shutil.rmtree(tmp / "phases-store", ignore_errors=True)
    return phases


def wait_healthz(port: int, process: subprocess.Popen, seconds: float = 300) -> float:
    start = time.perf_counter()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("partnergraph serve stopped while starting")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit("partnergraph serve did not answer /healthz")


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")), 0)
    oxigraph_cli = subprocess.run(["oxigraph", "--version"], capture_output=True, text=True).stdout.strip()
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem / 2**20, 1),
            "system": platform.platform(), "python": platform.python_version(),
            "pyoxigraph": version("pyoxigraph"), "oxigraph_cli": oxigraph_cli,
            "rdflib": version("rdflib"), "partnergraph": version("partnergraph"),
            "granian": version("granian"),
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds")}


def geomean(values):
    return statistics.geometric_mean(values) if values else None


def embed_views(out: dict, servers: dict[str, Server], summary: gen.Summary, pg_port: int) -> None:
    """Embed views per second from the cache and rendered each time, against
    `oxigraph serve` answering the equivalent query."""
    hub = quote(summary.hub, safe=":/")
    paths = (f"/embed/network?focus={hub}&lang=sv", f"/api/network?focus={hub}&lang=sv")
    start = time.perf_counter()
    for path in paths:  # each path's first visit, apart from the rates
        warm = http.client.HTTPConnection("127.0.0.1", pg_port, timeout=1800)
        warm.request("GET", path)
        assert warm.getresponse().status == 200, path
        warm.close()
    embed = {"first_view_s": time.perf_counter() - start, "clients": embed_bench.CLIENTS,
             "seconds": EMBED_SECONDS, "view": paths[0]}
    embed["cached_views_per_s"] = embed_bench.run(pg_port, paths, "cached", EMBED_SECONDS)
    embed["rendered_views_per_s"] = embed_bench.run(pg_port, paths, "rendered", EMBED_SECONDS)
    equivalent = embed_query(summary.hub)
    embed["oxigraph_equivalent_query"] = equivalent
    embed["oxigraph_queries_per_s"] = concurrent_rate(
        servers["oxigraph"], equivalent, embed_bench.CLIENTS, EMBED_SECONDS)
    out["embed"] = embed
    out["memory_after_embed"] = {"partnergraph": memory_mb(servers["partnergraph"].process.pid)}


# -- the run ---------------------------------------------------------------

def bench(triples: int, seed: int, tmp: Path, log=print,
          rdflib_cap_s: float = RDFLIB_CAP_S, rdflib_max_triples: int = RDFLIB_MAX_TRIPLES,
          embed_max_triples: int | None = EMBED_MAX_TRIPLES) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNERGRAPH_")}
    pg_store = tmp / "partnergraph-store"
    env["PARTNERGRAPH_STORE"] = str(pg_store)
    # Oxigraph and rdflib's endpoint have no time limit of their own to match
    # partnergraph's 30 s default; at 1 M and above a query may need longer.
    env["PARTNERGRAPH_QUERY_TIMEOUT"] = "600"
    # The service builds the pages' whole-graph values (the analysis, the
    # search index) in the background after its start: left on, they would
    # run beside the query mix and be measured with it. Here they are built
    # only when a page asks, which no part of this run does; bench/pages.py
    # measures the pages.
    env["PARTNERGRAPH_DERIVED"] = "wait"
    out: dict = {"triples_requested": triples, "seed": seed, "machine": machine()}
    with_rdflib = triples <= rdflib_max_triples
    with_embed = embed_max_triples is None or triples <= embed_max_triples
    out["left_out"] = {
        "rdflib_memory": None if with_rdflib else f"not run above {rdflib_max_triples:,} triples",
        "embed": None if with_embed else f"not run above {embed_max_triples:,} triples"}

    log("generating ...")
    load: dict = {}
    # A new store gets the bundled data on first open; that is not the load measured.
    load["init_bundled_s"] = run_cmd(["partnergraph", "stats"], env)
    start = time.perf_counter()
    summary, nt, nq, bundled_quads = write_data(tmp, triples, seed, env)
    out["generate_s"] = time.perf_counter() - start
    out["data"] = {"generated_triples": summary.triples, "municipalities": summary.municipalities,
                   "partnerships": summary.partnerships, "bundled_quads": bundled_quads,
                   "total_quads": summary.triples + bundled_quads,
                   "nquads_mb": nq.stat().st_size / 1e6, "hub": summary.hub}
    total_quads = summary.triples + bundled_quads

    log("loading ...")
    load["triples"] = summary.triples
    load["partnergraph_s"] = run_cmd(["partnergraph", "load", str(nt), "--graph", GRAPH], env)
    start = time.perf_counter()
    floor_store = ox.Store(str(tmp / "pyoxigraph-store"))
    floor_store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, base_iri=gen.BASE,
                          to_graph=ox.NamedNode(GRAPH))
    load["pyoxigraph_bulk_load_s"] = time.perf_counter() - start
    # The files of a bulk load overlap until they are merged, and reads on
    # them ran four to six times slower at 10 M triples: the store as the
    # bulk loader leaves it is not yet the store the queries below read.
    # `partnergraph load` merges them; this is the same step for the baseline.
    start = time.perf_counter()
    floor_store.optimize()
    floor_store.flush()
    load["pyoxigraph_compact_s"] = time.perf_counter() - start
    load["oxigraph_cli_all_nquads_s"] = run_cmd(
        ["oxigraph", "load", "--location", str(tmp / "oxigraph-store"), "--file", str(nq)])
    load["partnergraph_triples_per_s"] = summary.triples / load["partnergraph_s"]
    load["pyoxigraph_triples_per_s"] = summary.triples / load["pyoxigraph_bulk_load_s"]
    load["pyoxigraph_compacted_triples_per_s"] = summary.triples / (
        load["pyoxigraph_bulk_load_s"] + load["pyoxigraph_compact_s"])
    load["oxigraph_cli_quads_per_s"] = total_quads / load["oxigraph_cli_all_nquads_s"]
    load["phases"] = load_phases(nt, tmp)
    load["disk_mb"] = {"partnergraph": disk_size(pg_store), "oxigraph": disk_size(tmp / "oxigraph-store")}
    out["load"] = load
    # The floor answers over the same quads as the servers: add the bundled ones.
    floor_store.bulk_extend(q for q in ox.parse(path=str(nq)) if q.graph_name.value != GRAPH)
    floor = InProcess(floor_store)

    servers: dict[str, Server] = {}
    try:
        log("starting the servers ...")
        pg_port, ox_port, rl_port = free_port(), free_port(), free_port()
        servers["partnergraph"] = Server(
            "partnergraph", ["partnergraph", "serve", "--port", str(pg_port)],
            pg_port, "/sparql", tmp / "partnergraph.log", env)
        # The first start on the loaded data, alone on the machine: how long
        # its first query waits for the first snapshot of the data.
        out["first_start_s"] = wait_healthz(pg_port, servers["partnergraph"].process)
        start = time.perf_counter()
        servers["partnergraph"].once(PREFIXES + "ASK { ?s a pg:Partnership }", JSON)
        out["first_query_after_load_s"] = time.perf_counter() - start
        servers["oxigraph"] = Server(
            "oxigraph", ["oxigraph", "serve", "--location", str(tmp / "oxigraph-store"),
                         "--union-default-graph", "--bind", f"127.0.0.1:{ox_port}"],
            ox_port, "/query", tmp / "oxigraph.log")
        start = time.perf_counter()
        if with_rdflib:
            servers["rdflib"] = Server(
                "rdflib", [sys.executable, str(HERE / "rdflib_endpoint.py"), str(nq), str(rl_port),
                           str(rdflib_cap_s)],
                rl_port, "/sparql", tmp / "rdflib.log")
        for server in servers.values():
            server.wait_ready(1800)
        out["rdflib_parse_and_start_s"] = time.perf_counter() - start

        systems: dict = {"partnergraph": servers["partnergraph"], "oxigraph_serve": servers["oxigraph"],
                         "pyoxigraph": floor}
        if with_rdflib:
            systems["rdflib_memory"] = servers["rdflib"]
        results = []
        mismatches = []
        for name, accept, text in queries(summary):
            log(f"  {name}")
            query = PREFIXES + text.strip()
            r: dict = {"name": name, "accept": accept, "query": text.strip(), "rows": {}}
            for key, system in systems.items():
                status, body = system.once(query, accept)
                if status == 503 and key == "rdflib_memory":
                    r["rows"][key] = None
                    r[key] = {"p50_ms": rdflib_cap_s * 1000, "p95_ms": rdflib_cap_s * 1000,
                              "n": 0, "capped": True}
                    continue
                if status != 200:
                    raise SystemExit(f"{key} answered {status} to {name}: {body[:300]!r}")
                r["rows"][key] = rows(body, accept)
                settings = RDFLIB if key == "rdflib_memory" else FAST
                times = latencies(system, query, accept, settings)
                r[key] = {"p50_ms": statistics.median(times), "p95_ms": p95(times), "n": len(times)}
                if key == "partnergraph" and r[key]["p50_ms"] < SAME_TEXT_BELOW_MS:
                    times = latencies(system, query, accept, settings, same_text=True)
                    r["partnergraph_same_text"] = {"p50_ms": statistics.median(times),
                                                   "p95_ms": p95(times), "n": len(times)}
            if len({str(v) for v in r["rows"].values() if v is not None}) > 1:
                mismatches.append(name)
            results.append(r)
        out["queries"] = results
        out["row_count_mismatches"] = mismatches
        out["query_settings"] = {"default": FAST, "rdflib_memory": dict(RDFLIB, cap_s=rdflib_cap_s)}
        out["rdflib_capped_queries"] = [r["name"] for r in results
                                        if r.get("rdflib_memory", {}).get("capped")]

        out["memory_after_queries"] = {
            "partnergraph": memory_mb(servers["partnergraph"].process.pid),
            "oxigraph_serve": memory_mb(servers["oxigraph"].process.pid)}
        if with_rdflib:
            out["memory_after_queries"]["rdflib_memory"] = memory_mb(servers["rdflib"].process.pid)
            servers.pop("rdflib").stop()
        if with_embed:
            log("embed views ...")
            embed_views(out, servers, summary, pg_port)

        log("cold start ...")
        servers.pop("partnergraph").stop()
        pg_port = free_port()
        restarted = Server("partnergraph", ["partnergraph", "serve", "--port", str(pg_port)],
                           pg_port, "/sparql", tmp / "partnergraph-2.log", env)
        servers["partnergraph"] = restarted
        out["cold_start_s"] = wait_healthz(pg_port, restarted.process)
        start = time.perf_counter()
        status, _ = restarted.once(PREFIXES + "ASK { ?s a pg:Partnership }", JSON)
        out["cold_first_query_s"] = time.perf_counter() - start
    finally:
        for server in servers.values():
            server.stop()

    ratios(out, total_quads)
    return out


def ratios(out: dict, total_quads: int) -> None:
    q = out["queries"]
    load, mem, embed = out["load"], out["memory_after_queries"], out.get("embed")
    out["load_vs_pyoxigraph"] = load["partnergraph_triples_per_s"] / load["pyoxigraph_triples_per_s"]
    out["load_vs_pyoxigraph_compacted"] = (load["partnergraph_triples_per_s"]
                                           / load["pyoxigraph_compacted_triples_per_s"])
    out["query_p50_vs_oxigraph_serve"] = geomean(
        [r["partnergraph"]["p50_ms"] / r["oxigraph_serve"]["p50_ms"] for r in q])
    out["query_p50_vs_pyoxigraph"] = geomean(
        [r["partnergraph"]["p50_ms"] / r["pyoxigraph"]["p50_ms"] for r in q])
    out["query_speedup_vs_rdflib_memory"] = geomean(
        [r["rdflib_memory"]["p50_ms"] / r["partnergraph"]["p50_ms"] for r in q if "rdflib_memory" in r])
    out["embed_cached_vs_oxigraph_serve"] = (
        embed["cached_views_per_s"] / embed["oxigraph_queries_per_s"] if embed else None)
    out["rss_vs_rdflib_memory"] = (mem["partnergraph"]["rss_mb"] / mem["rdflib_memory"]["rss_mb"]
                                   if "rdflib_memory" in mem else None)
    out["rss_vs_oxigraph_serve"] = mem["partnergraph"]["rss_mb"] / mem["oxigraph_serve"]["rss_mb"]
    millions = total_quads / 1e6
    out["rss_mb_per_million_triples"] = {k: v["rss_mb"] / millions for k, v in mem.items()}
    out["targets"] = {
        "load_vs_pyoxigraph": ">= 0.8", "query_p50_vs_oxigraph_serve": "<= 1.3",
        "query_speedup_vs_rdflib_memory": ">= 20", "embed_cached_vs_oxigraph_serve": ">= 1",
        "rss_vs_rdflib_memory": "<= 0.5", "cold_start_s": "< 2"}


def table(out: dict) -> str:
    d = out["data"]
    lines = [f"{d['total_quads']:,} quads ({d['generated_triples']:,} generated, "
             f"{d['municipalities']:,} municipalities, {d['partnerships']:,} partnerships), "
             f"{out['machine']['cpus']} CPUs",
             "",
             "| query | rows | partnergraph p50 / p95 ms | the same text again | oxigraph serve | "
             "pyoxigraph | rdflib memory (n) |",
             "|---|--:|--:|--:|--:|--:|--:|"]
    cap = out["query_settings"]["rdflib_memory"]["cap_s"]
    left_out = out["left_out"]
    for r in out["queries"]:
        def cell(k: str, r: dict = r) -> str:
            return f"{r[k]['p50_ms']:.1f} / {r[k]['p95_ms']:.1f}"
        if "rdflib_memory" not in r:
            rdflib = f"{left_out['rdflib_memory']} |"
        elif r["rdflib_memory"].get("capped"):
            rdflib = f"> {cap:g} s (capped) |"
        else:
            rdflib = f"{cell('rdflib_memory')} ({r['rdflib_memory']['n']}) |"
        lines.append(f"| {r['name']} | {r['rows']['partnergraph']} | {cell('partnergraph')} | "
                     f"{cell('partnergraph_same_text') if 'partnergraph_same_text' in r else '—'} | "
                     f"{cell('oxigraph_serve')} | {cell('pyoxigraph')} | " + rdflib)
    load, embed = out["load"], out.get("embed")
    mem = out["memory_after_queries"]
    if out["query_speedup_vs_rdflib_memory"] is None:
        speedup = f"| query speed-up over rdflib (p50) | | rdflib memory | {left_out['rdflib_memory']} | ≥ 20× |"
    else:
        speedup = (f"| query speed-up over rdflib (p50) | | rdflib memory | "
                   f"{out['query_speedup_vs_rdflib_memory']:.1f}×"
                   f"{' (at least: some capped)' if out['rdflib_capped_queries'] else ''} | ≥ 20× |")
    if embed is None:
        views = f"| embed views/s, cached | | oxigraph serve, equivalent query | {left_out['embed']} | ≥ 1 |"
    else:
        views = (f"| embed views/s, cached ({embed['clients']} clients) | {embed['cached_views_per_s']:.0f} "
                 f"(rendered {embed['rendered_views_per_s']:.0f}) | {embed['oxigraph_queries_per_s']:.0f} "
                 f"(oxigraph serve, equivalent query) | {out['embed_cached_vs_oxigraph_serve']:.2f} | ≥ 1 |")
    rdflib_rss = (f"{mem['rdflib_memory']['rss_mb']:.0f} (rdflib) | {out['rss_vs_rdflib_memory']:.2f}"
                  if "rdflib_memory" in mem else f"rdflib {left_out['rdflib_memory']} |")
    lines += [
        "",
        "| figure | partnergraph | baseline | ratio | target (at 1 M) |",
        "|---|--:|--:|--:|--:|",
        f"| load, triples/s | {load['partnergraph_triples_per_s']:,.0f} | "
        f"{load['pyoxigraph_triples_per_s']:,.0f} (pyoxigraph bulk_load) | "
        f"{out['load_vs_pyoxigraph']:.2f} | ≥ 0.8 |",
        f"| load, triples/s, to a merged store | {load['partnergraph_triples_per_s']:,.0f} | "
        f"{load['pyoxigraph_compacted_triples_per_s']:,.0f} (pyoxigraph bulk_load + optimize) | "
        f"{out['load_vs_pyoxigraph_compacted']:.2f} | |",
        f"| first query after the load, s (first start) | {out['first_query_after_load_s']:.2f} | | | |",
        f"| query p50, geometric mean of ratios | | oxigraph serve | "
        f"{out['query_p50_vs_oxigraph_serve']:.2f} | ≤ 1.3 |",
        speedup,
        views,
        f"| RSS after the query mix, MB | {mem['partnergraph']['rss_mb']:.0f} "
        f"({mem['partnergraph']['processes']} processes; PSS {mem['partnergraph']['pss_mb']:.0f}) | "
        + rdflib_rss + " | ≤ 0.5 |",
        f"| RSS against oxigraph serve | {mem['partnergraph']['rss_mb']:.0f} | "
        f"{mem['oxigraph_serve']['rss_mb']:.0f} (oxigraph serve) | {out['rss_vs_oxigraph_serve']:.2f} | |",
        f"| cold start, s | {out['cold_start_s']:.2f} | | | < 2 |",
    ]
    if out["row_count_mismatches"]:
        lines += ["", "row counts differ between systems for: " + ", ".join(out["row_count_mismatches"])]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="about this many generated triples")
    parser.add_argument("--json", required=True, help="write the figures here")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rdflib-cap", type=float, default=RDFLIB_CAP_S,
                        help="seconds after which an rdflib query counts as capped")
    parser.add_argument("--rdflib-max-triples", type=int, default=RDFLIB_MAX_TRIPLES,
                        help="leave rdflib out of runs above this many triples (it holds the "
                             "graph in Python objects: about 1.8 GB per million)")
    parser.add_argument("--embed-max-triples", type=int, default=EMBED_MAX_TRIPLES,
                        help="leave the embed views out of runs above this many triples "
                             "(by default they run at every size)")
    parser.add_argument("--smoke", action="store_true",
                        help="time each query and view only once or twice: checks that every "
                             "part runs, in a fraction of the time; its figures are not results")
    args = parser.parse_args(argv)
    if args.smoke:
        global EMBED_SECONDS
        FAST.update(warmup=0, repeat=2, budget=0.2, least=1)
        RDFLIB.update(repeat=1, budget=0.2, least=1)
        EMBED_SECONDS = 0.5
        args.rdflib_cap = min(args.rdflib_cap, 1.0)
    tmp = Path(tempfile.mkdtemp(prefix="partnergraph-run-"))
    began = time.perf_counter()
    try:
        out = bench(args.triples, args.seed, tmp, log=lambda m: print(m, file=sys.stderr, flush=True),
                    rdflib_cap_s=args.rdflib_cap, rdflib_max_triples=args.rdflib_max_triples,
                    embed_max_triples=args.embed_max_triples)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out["run_s"] = time.perf_counter() - began
    Path(args.json).write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(out))
    print(f"\nwrote {args.json} ({out['run_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
