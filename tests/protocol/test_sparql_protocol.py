"""/sparql and /store as clients see them, over real HTTP, on both backends:
the embedded store, and a real `oxigraph serve` behind the service."""
from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
from dataclasses import dataclass

import pyoxigraph as ox
import pytest
from rdflib import Dataset, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

from tests.support.oxigraph_server import running_oxigraph
from tests.support.processes import free_port, partnergraph_command, subprocess_env, wait_for_http

TOKEN = "s3cret-token"
BASE = "https://w3id.org/partnergraph/id/"
TWIN_TOWNS = """SELECT ?name WHERE {
  ?p pg:kind pg:TwinTown ; org:hasMember ?m . ?m skos:prefLabel ?name
  FILTER(LANG(?name) = "sv" && ?name != "Borlänge"@sv) } ORDER BY ?name"""
TWIN_TOWN_NAMES = ["Frederikshavn", "Larvik", "Västmannaöarna"]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@dataclass
class Service:
    host: str
    port: int
    process: object

    def request(self, method, path, body=None, headers=None, token=False, timeout=60):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {TOKEN}"
        if isinstance(body, str):
            body = body.encode("utf-8")
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def get(self, path, params=None, **kw):
        if params:
            path += "?" + urllib.parse.urlencode(params, doseq=True)
        return self.request("GET", path, **kw)

    def query(self, text, accept=None, **params):
        headers = {"Accept": accept} if accept else {}
        return self.get("/sparql", {"query": text, **params}, headers=headers)

    def version(self):
        return json.loads(self.get("/healthz")[2])["data_version"]


def start_service(tmp_path, **env) -> Service:
    import subprocess
    port = free_port()
    process = subprocess.Popen(
        [*partnergraph_command(), "serve", "--port", str(port)],
        env=subprocess_env(PARTNERGRAPH_TOKEN=TOKEN, PARTNERGRAPH_QUERY_TIMEOUT="5",
                           PARTNERGRAPH_MAX_BODY=str(1024 * 1024), **env),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for_http(f"http://127.0.0.1:{port}/healthz", process, timeout=60)
    return Service("127.0.0.1", port, process)


@pytest.fixture(scope="module", params=["embedded", "remote"])
def service(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "embedded":
        env = {"PARTNERGRAPH_STORE": str(tmp / "store")}
        context = None
    else:
        context = running_oxigraph(tmp / "oxigraph")
        endpoint = context.__enter__()
        env = {"PARTNERGRAPH_STORE": endpoint.query_url,
               "PARTNERGRAPH_STORE_UPDATE": endpoint.update_url,
               "PARTNERGRAPH_STORE_GSP": endpoint.gsp_url}
    service = start_service(tmp, **env)
    service.backend = request.param
    yield service
    service.process.terminate()
    service.process.wait(10)
    if context is not None:
        context.__exit__(None, None, None)


def names(data: bytes) -> list[str]:
    return [b["name"]["value"] for b in json.loads(data)["results"]["bindings"]]


# -- queries -----------------------------------------------------------------

def test_query_by_get_post_form_and_post_direct_agree(service):
    status, headers, data = service.query(TWIN_TOWNS)
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+json")
    assert names(data) == TWIN_TOWN_NAMES
    form = urllib.parse.urlencode({"query": TWIN_TOWNS})
    status, _, data = service.request("POST", "/sparql", form, {
        "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and names(data) == TWIN_TOWN_NAMES
    status, _, data = service.request("POST", "/sparql", TWIN_TOWNS, {
        "Content-Type": "application/sparql-query"})
    assert status == 200 and names(data) == TWIN_TOWN_NAMES


@pytest.mark.parametrize("accept, media, check", [
    ("application/sparql-results+xml", "application/sparql-results+xml", b"<sparql"),
    ("text/csv", "text/csv", b"name\r\nFrederikshavn"),
    ("text/tab-separated-values", "text/tab-separated-values", b"?name\n"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", b"<sparql"),
    ("text/html;q=1, text/tab-separated-values;q=0.2", "text/tab-separated-values", b"?name"),
])
def test_select_results_follow_accept_and_its_q_values(service, accept, media, check):
    status, headers, data = service.query(TWIN_TOWNS, accept=accept)
    assert status == 200, data
    assert headers["content-type"].startswith(media)
    assert check in data


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/n-quads", ox.RdfFormat.N_QUADS),
    ("application/trig", ox.RdfFormat.TRIG),
])
def test_construct_results_in_every_rdf_format(service, accept, fmt):
    query = "CONSTRUCT { ?p org:hasMember ?m } WHERE { ?p pg:kind pg:TwinTown ; org:hasMember ?m }"
    status, headers, data = service.query(query, accept=accept)
    assert status == 200, data
    assert headers["content-type"].split(";")[0] == accept
    assert len(list(ox.parse(data, format=fmt))) == 6


def test_format_parameter_serves_browsers(service):
    status, headers, data = service.query(TWIN_TOWNS, accept="text/html", format="csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    status, _, data = service.query(TWIN_TOWNS, format="yaml")
    assert status == 400 and b"json" in data


def test_ask_answers_true_and_false(service):
    assert json.loads(service.query("ASK { ?m a pg:Municipality }")[2])["boolean"] is True
    assert json.loads(service.query("ASK { ?m a pg:Spaceship }")[2])["boolean"] is False


def test_nothing_acceptable_is_406(service):
    status, _, data = service.query(TWIN_TOWNS, accept="image/png")
    assert status == 406 and b"application/sparql-results+json" in data


def test_syntax_error_is_400_with_the_position(service):
    status, headers, data = service.query("SELECT * WHERE {\n  ?s ?p \n}")
    assert status == 400
    assert headers["content-type"].startswith("text/plain")
    assert b"line " in data or b"3:" in data


def test_an_unknown_prefix_is_named_with_its_place_and_the_fix(service):
    query = "SELECT * WHERE {\n  ?s foo:bar ?o }"
    status, headers, data = service.query(query)
    friendly, _, raw = data.decode().partition("\n\n")
    assert status == 400 and headers["content-type"].startswith("text/plain")
    assert friendly == ("Unknown prefix 'foo:' at line 2, column 6. "
                        "Declare it with PREFIX foo: <...>")
    assert raw.startswith("The parser's own words: line 2")
    _, _, data = service.get("/sparql", {"query": query}, headers={"Accept-Language": "sv"})
    assert data.decode().startswith("Okänt prefix 'foo:' på rad 2, kolumn 6. Deklarera det med PREFIX foo:")


def test_other_methods_are_405_with_allow(service):
    status, headers, _ = service.request("DELETE", "/sparql")
    assert status == 405 and "POST" in headers["allow"]


def test_query_and_update_together_is_400(service):
    form = urllib.parse.urlencode({"query": "ASK {}", "update": "CLEAR DEFAULT"})
    status, _, data = service.request("POST", "/sparql", form, {
        "Content-Type": "application/x-www-form-urlencoded"}, token=True)
    assert status == 400 and b"not both" in data


def test_unknown_body_type_is_415(service):
    status, _, _ = service.request("POST", "/sparql", "ASK {}", {"Content-Type": "text/plain"})
    assert status == 415


def test_malformed_utf8_is_400(service):
    status, _, _ = service.request("POST", "/sparql", b"ASK { ?s ?p \xff }", {
        "Content-Type": "application/sparql-query"})
    assert status == 400
    status, _, _ = service.request("GET", "/sparql?query=ASK%20%7B%7D%FF")
    assert status == 400


def test_a_body_over_the_limit_is_413(service):
    status, _, _ = service.request("POST", "/sparql", b"#" * (2 * 1024 * 1024), {
        "Content-Type": "application/sparql-query"})
    assert status == 413


def test_a_client_sending_a_body_far_over_the_limit_reads_the_413(service):
    # The answer comes before the body is read; a client that sends all of
    # it first (http.client) must still get it, not a broken pipe.
    for _ in range(3):
        status, _, _ = service.request("POST", "/sparql", b"#" * (8 * 1024 * 1024), {
            "Content-Type": "application/sparql-query"})
        assert status == 413


def test_reads_carry_cors_and_preflight_allows_get_and_post(service):
    _, headers, _ = service.query("ASK {}")
    assert headers["access-control-allow-origin"] == "*"
    status, headers, _ = service.request("OPTIONS", "/sparql", headers={
        "Origin": "https://intranet.example", "Access-Control-Request-Method": "POST"})
    assert status == 204 and "POST" in headers["access-control-allow-methods"]


def test_dataset_parameters_pick_the_graphs(service):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a pg:Municipality }"

    def count(**p) -> int:
        return int(json.loads(service.query(query, **p)[2])["results"]["bindings"][0]["n"]["value"])
    # The seeds' 10 and the Swedish municipalities of the default data set.
    assert count() == 298
    assert count(**{"default-graph-uri": BASE + "graph/ljusdal"}) == 3
    assert count(**{"default-graph-uri": [BASE + "graph/ljusdal", BASE + "graph/borlange"]}) == 10
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a pg:Municipality } }"
    rows = json.loads(service.query(named, **{"named-graph-uri": BASE + "graph/borlange"})[2])
    assert [b["g"]["value"] for b in rows["results"]["bindings"]] == [BASE + "graph/borlange"]


@pytest.fixture(scope="module", params=["embedded", "remote"])
def capped_service(request, tmp_path_factory):
    """A service on either backend that answers at most 4 rows."""
    tmp = tmp_path_factory.mktemp("capped-" + request.param)
    with contextlib.ExitStack() as stack:
        if request.param == "embedded":
            env = {"PARTNERGRAPH_STORE": str(tmp / "store")}
        else:
            endpoint = stack.enter_context(running_oxigraph(tmp / "oxigraph"))
            env = {"PARTNERGRAPH_STORE": endpoint.query_url,
                   "PARTNERGRAPH_STORE_UPDATE": endpoint.update_url,
                   "PARTNERGRAPH_STORE_GSP": endpoint.gsp_url}
        service = start_service(tmp, PARTNERGRAPH_MAX_ROWS="4", **env)
        yield service
        service.process.terminate()
        service.process.wait(10)


def numbers(count: int) -> str:
    return "SELECT ?n WHERE { VALUES ?n { " + " ".join(map(str, range(count))) + " } }"


def test_an_answer_the_cap_cut_says_so_and_one_that_fits_does_not(capped_service):
    status, headers, data = capped_service.query(numbers(5))
    assert status == 200 and headers["x-partnergraph-row-limit"] == "4"
    assert len(json.loads(data)["results"]["bindings"]) == 4
    for fitting, rows in ((numbers(3), 3), (numbers(4), 4), (numbers(9) + " LIMIT 2", 2)):
        status, headers, data = capped_service.query(fitting)
        assert status == 200 and "x-partnergraph-row-limit" not in headers, fitting
        assert len(json.loads(data)["results"]["bindings"]) == rows
    # In any format, the rows are cut the same way.
    _, headers, data = capped_service.query(numbers(5), accept="text/csv")
    assert headers["x-partnergraph-row-limit"] == "4" and data.decode().split() == ["n", "0", "1", "2", "3"]
    _, headers, data = capped_service.query(numbers(4), accept="text/tab-separated-values")
    assert "x-partnergraph-row-limit" not in headers and len(data.decode().split("\n")) == 6


def test_a_construct_is_capped_at_as_many_triples(capped_service):
    template = ("CONSTRUCT { ?n <http://example.org/is> ?v } WHERE { VALUES ?v { %s } "
                "BIND(IRI(CONCAT('http://example.org/', STR(?v))) AS ?n) }")
    _, headers, data = capped_service.query(template % "1 2 3 4 5", accept="application/n-triples")
    assert headers["x-partnergraph-row-limit"] == "4" and len(data.decode().strip().split("\n")) == 4
    _, headers, data = capped_service.query(template % "1 2 3", accept="application/n-triples")
    assert "x-partnergraph-row-limit" not in headers and len(data.decode().strip().split("\n")) == 3


# -- safety ------------------------------------------------------------------

@pytest.fixture
def listener():
    """A port that records whether anybody connects to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(0.2)
    seen = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = sock.accept()
                seen.append(True)
                connection.close()
            except (TimeoutError, OSError):
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/data", seen
    stop.set()
    thread.join(2)
    sock.close()


def test_service_load_and_from_never_make_the_server_connect(service, listener):
    url, seen = listener
    status, _, data = service.query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert status == 403 and b"PARTNERGRAPH_SERVICE_ALLOW" in data
    status, _, data = service.request("POST", "/sparql", f"LOAD <{url}>", {
        "Content-Type": "application/sparql-update"}, token=True)
    assert status == 403 and b"LOAD" in data
    status, _, _ = service.query(f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}")
    assert status == 200
    status, _, _ = service.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1", **{"default-graph-uri": url})
    assert status == 200
    time.sleep(0.5)
    assert seen == []


def test_a_runaway_query_is_stopped_and_others_are_served_meanwhile(service):
    outcome = {}

    def runaway():
        started = time.monotonic()
        outcome["status"], _, outcome["body"] = service.query(RUNAWAY)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(1)
    status, _, data = service.query("ASK {}")
    # Served meanwhile: answered while the runaway still runs (its limit is 5 s);
    # on the embedded store its worker has given way to everything else since
    # it ran long.
    runaway_still_running = thread.is_alive()
    if service.backend == "embedded":
        assert any(niceness(pid) > 0 for pid in children(service.process.pid))
    thread.join(30)
    assert status == 200 and json.loads(data)["boolean"] is True
    assert runaway_still_running
    assert outcome["status"] == 503 and outcome["seconds"] < 10
    assert b"5 s" in outcome["body"] and b"PARTNERGRAPH_QUERY_TIMEOUT" in outcome["body"]
    assert service_cpu_seconds(service, over=1.0) < 0.3


def test_a_lower_timeout_can_be_asked_for(service):
    started = time.monotonic()
    status, _, data = service.query(RUNAWAY, timeout="1")
    assert status == 503 and b"1 s" in data
    assert time.monotonic() - started < 5


def service_cpu_seconds(service, over: float) -> float:
    """CPU time the service and its child processes use during `over` seconds."""
    def total():
        seconds = 0.0
        for pid in [service.process.pid, *children(service.process.pid)]:
            try:
                fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            seconds += (int(fields[11]) + int(fields[12])) / os_clock_ticks()
        return seconds
    before = total()
    time.sleep(over)
    return total() - before


def niceness(pid: int) -> int:
    try:
        return int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[16])
    except FileNotFoundError:
        return 0


def children(pid: int) -> list[int]:
    import glob
    found = []
    for path in glob.glob(f"/proc/{pid}/task/*/children"):
        for child in open(path).read().split():
            found += [int(child), *children(int(child))]
    return found


def os_clock_ticks() -> int:
    import os
    return os.sysconf("SC_CLK_TCK")


# -- updates and writes -------------------------------------------------------

INSERT = f"INSERT DATA {{ GRAPH <{BASE}graph/test> {{ <{BASE}a> <{BASE}b> \"c\" }} }}"


def test_updates_need_the_token(service):
    status, headers, _ = service.request("POST", "/sparql", INSERT, {
        "Content-Type": "application/sparql-update"})
    assert status == 401 and headers["www-authenticate"].lower().startswith("bearer")
    status, headers, _ = service.request("POST", "/sparql", INSERT, {
        "Content-Type": "application/sparql-update", "Authorization": "Bearer wrong"})
    assert status == 401 and "invalid_token" in headers["www-authenticate"]


def test_updates_by_form_and_direct_post_bump_the_version(service):
    before = service.version()
    status, _, _ = service.request("POST", "/sparql", INSERT, {
        "Content-Type": "application/sparql-update"}, token=True)
    assert status in (200, 204)
    middle = service.version()
    assert middle != before
    assert json.loads(service.query(f"ASK {{ <{BASE}a> <{BASE}b> \"c\" }}")[2])["boolean"]
    form = urllib.parse.urlencode({"update": f"DROP GRAPH <{BASE}graph/test>"})
    status, _, _ = service.request("POST", "/sparql", form, {
        "Content-Type": "application/x-www-form-urlencoded"}, token=True)
    assert status in (200, 204) and service.version() not in (before, middle)
    assert not json.loads(service.query(f"ASK {{ <{BASE}a> <{BASE}b> \"c\" }}")[2])["boolean"]


def test_update_with_using_graph_uri(service):
    graph = f"{BASE}graph/ljusdal"
    update = (f"INSERT {{ GRAPH <{BASE}graph/copy> {{ ?m a <{BASE}Copied> }} }} "
              "WHERE { ?m a pg:Municipality }")
    status, _, data = service.request(
        "POST", "/sparql?" + urllib.parse.urlencode({"using-graph-uri": graph}), update,
        {"Content-Type": "application/sparql-update"}, token=True)
    assert status in (200, 204), data
    rows = json.loads(service.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?m a <{BASE}Copied> }}")[2])
    assert rows["results"]["bindings"][0]["n"]["value"] == "3"
    service.request("POST", "/sparql", f"DROP GRAPH <{BASE}graph/copy>",
                    {"Content-Type": "application/sparql-update"}, token=True)


def test_a_page_elsewhere_may_send_an_update_with_the_token(service):
    # What a browser asks before YASGUI on another site posts an update.
    status, headers, _ = service.request("OPTIONS", "/sparql", headers={
        "Origin": "https://yasgui.example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert status == 204
    allowed = {h.strip().lower() for h in headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    status, headers, _ = service.request("POST", "/sparql", INSERT, {
        "Content-Type": "application/sparql-update", "Origin": "https://yasgui.example.org"}, token=True)
    assert status == 204 and headers["access-control-allow-origin"] == "*"


def test_creating_a_graph_that_exists_is_a_client_error_that_says_so(service):
    # What rdflib's SPARQLUpdateStore sends for Dataset.graph(IRI): the
    # engine refuses it, and the client is told why, not "internal error".
    borlange = f"{BASE}graph/borlange"
    store = SPARQLUpdateStore(f"{service.url('/sparql')}", f"{service.url('/sparql')}",
                              headers={"Authorization": f"Bearer {TOKEN}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        Dataset(store=store).graph(URIRef(borlange))
    assert refused.value.code == 400
    assert "already exists" in refused.value.read().decode()
    status, _, data = service.request("POST", "/sparql", f"CREATE GRAPH <{borlange}>",
                                      {"Content-Type": "application/sparql-update"}, token=True)
    assert status == 400 and b"already exists" in data
    status, _, _ = service.request("POST", "/sparql", f"CREATE SILENT GRAPH <{borlange}>",
                                   {"Content-Type": "application/sparql-update"}, token=True)
    assert status == 204


def test_dropping_a_graph_that_does_not_exist_is_a_client_error_that_says_so(service):
    status, _, data = service.request("POST", "/sparql", f"DROP GRAPH <{BASE}graph/nothing-here>",
                                      {"Content-Type": "application/sparql-update"}, token=True)
    assert status == 400 and b"does not exist" in data


# -- Graph Store Protocol ------------------------------------------------------

TURTLE = f"<{BASE}x> <{BASE}y> \"z\" .\n"


@pytest.mark.parametrize("media, fmt", [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
])
def test_graph_store_put_get_post_head_delete(service, media, fmt):
    graph = f"{BASE}graph/gsp-{fmt.file_extension}"
    path = "/store?" + urllib.parse.urlencode({"graph": graph})
    body = ox.serialize(ox.parse(TURTLE.encode(), format=ox.RdfFormat.TURTLE), format=fmt)
    assert service.request("PUT", path, body, {"Content-Type": media})[0] == 401
    before = service.version()
    assert service.request("PUT", path, body, {"Content-Type": media}, token=True)[0] == 201
    assert service.request("PUT", path, body, {"Content-Type": media}, token=True)[0] == 204
    assert service.version() != before
    status, headers, data = service.request("GET", path, headers={"Accept": media})
    assert status == 200 and headers["content-type"].startswith(media)
    assert len(list(ox.parse(data, format=fmt))) == 1
    more = ox.serialize(ox.parse(TURTLE.replace('"z"', '"w"').encode(), format=ox.RdfFormat.TURTLE),
                        format=fmt)
    assert service.request("POST", path, more, {"Content-Type": media}, token=True)[0] in (200, 204)
    status, headers, data = service.request("HEAD", path, headers={"Accept": media})
    assert status == 200 and data == b""
    assert len(list(ox.parse(service.request("GET", path, headers={"Accept": media})[2], format=fmt))) == 2
    assert service.request("DELETE", path, token=True)[0] == 204
    assert service.request("GET", path)[0] == 404
    assert service.request("DELETE", path, token=True)[0] == 404


def test_graph_store_default_graph_and_whole_dataset(service):
    status, _, _ = service.request("PUT", "/store?default", TURTLE, {"Content-Type": "text/turtle"}, token=True)
    assert status in (201, 204)
    status, _, data = service.request("GET", "/store?default", headers={"Accept": "application/n-triples"})
    assert status == 200 and len(list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))) == 1
    for media, fmt in [("application/n-quads", ox.RdfFormat.N_QUADS), ("application/trig", ox.RdfFormat.TRIG)]:
        status, _, data = service.request("GET", "/store", headers={"Accept": media})
        graphs = {q.graph_name.value for q in ox.parse(data, format=fmt)
                  if isinstance(q.graph_name, ox.NamedNode)}
        assert status == 200 and BASE + "graph/borlange" in graphs
    assert service.request("DELETE", "/store?default", token=True)[0] == 204


def test_graph_store_post_to_the_store_creates_a_graph(service):
    status, headers, _ = service.request("POST", "/store", TURTLE, {"Content-Type": "text/turtle"}, token=True)
    assert status == 201
    # The Location of a new graph is the graph's IRI (Graph Store Protocol 5.5).
    assert headers["location"].startswith(BASE + "graph/")
    path = "/store?" + urllib.parse.urlencode({"graph": headers["location"]})
    assert service.request("GET", path)[0] == 200
    assert service.request("DELETE", path, token=True)[0] == 204


def test_graph_store_rejects_bad_bodies_and_types(service):
    path = "/store?" + urllib.parse.urlencode({"graph": BASE + "graph/bad"})
    status, _, data = service.request("PUT", path, "<a> <b> .", {"Content-Type": "text/turtle"}, token=True)
    assert status == 400 and b"1:" in data
    status, _, _ = service.request("PUT", path, TURTLE, {"Content-Type": "text/x-unknown"}, token=True)
    assert status == 415
    assert service.request("GET", path)[0] == 404


# -- the service description -----------------------------------------------------

def test_plain_get_describes_the_service(service):
    status, headers, data = service.request("GET", "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    endpoint = f"http://127.0.0.1:{service.port}/sparql"
    assert any(t.predicate.value.endswith("#endpoint") and t.object.value == endpoint for t in triples)


# -- SPARQLWrapper as the client ---------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select_in_every_format(service, fmt):
    from SPARQLWrapper import SPARQLWrapper
    client = SPARQLWrapper(f"http://127.0.0.1:{service.port}/sparql")
    client.setQuery("PREFIX pg: <https://w3id.org/partnergraph/ontology#>\n"
                    "PREFIX org: <http://www.w3.org/ns/org#>\n"
                    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" + TWIN_TOWNS)
    client.setReturnFormat(fmt)
    result = client.query().convert()
    if fmt == "json":
        found = [b["name"]["value"] for b in result["results"]["bindings"]]
    elif fmt == "xml":
        found = [n.firstChild.data for n in result.getElementsByTagName("literal")]
    else:
        text = result.decode("utf-8") if isinstance(result, bytes) else result
        found = [line.strip('"') for line in text.splitlines()[1:] if line]
        found = [f.split("@")[0].strip('"') for f in found]
    assert found == TWIN_TOWN_NAMES


@pytest.mark.parametrize("fmt", ["turtle", "n3", "xml", "json-ld"])
def test_sparqlwrapper_construct_in_every_format(service, fmt):
    from SPARQLWrapper import SPARQLWrapper
    client = SPARQLWrapper(f"http://127.0.0.1:{service.port}/sparql")
    client.setQuery("CONSTRUCT { ?p <http://www.w3.org/ns/org#hasMember> ?m } WHERE { "
                    "?p <https://w3id.org/partnergraph/ontology#kind> "
                    "<https://w3id.org/partnergraph/ontology#TwinTown> ; "
                    "<http://www.w3.org/ns/org#hasMember> ?m }")
    client.setReturnFormat(fmt)
    result = client.query().convert()
    if hasattr(result, "__len__") and not isinstance(result, (bytes, str)):
        assert len(result) == 6
    else:
        import rdflib
        graph = rdflib.Graph().parse(data=result, format={"n3": "turtle", "json-ld": "json-ld"}.get(fmt, fmt))
        assert len(graph) == 6


def test_sparqlwrapper_ask_and_update(service):
    from SPARQLWrapper import POST, SPARQLWrapper
    client = SPARQLWrapper(f"http://127.0.0.1:{service.port}/sparql")
    client.setQuery("ASK { ?s ?p ?o }")
    client.setReturnFormat("json")
    assert client.query().convert()["boolean"] is True
    client.setMethod(POST)
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    client.setQuery(INSERT)
    client.query()
    client.setQuery(f"DROP GRAPH <{BASE}graph/test>")
    client.query()


def test_bookkeeping_is_invisible_over_http(service):
    rows = json.loads(service.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")[2])
    graphs = {b["g"]["value"] for b in rows["results"]["bindings"]}
    assert BASE + "graph/borlange" in graphs
    assert not any(g.startswith("urn:x-partnergraph:") for g in graphs)
    hidden = "ASK { ?s <https://w3id.org/partnergraph/ontology#dataVersion> ?v }"
    assert json.loads(service.query(hidden)[2])["boolean"] is False


def test_a_service_that_dies_mid_query_leaves_no_worker_computing(tmp_path):
    service = start_service(tmp_path, PARTNERGRAPH_STORE=str(tmp_path / "store"))
    try:
        thread = threading.Thread(target=lambda: service.query(RUNAWAY), daemon=True)
        thread.start()
        time.sleep(2)  # the runaway runs to the service's 5 s limit
        workers = children(service.process.pid)
        assert workers, "the runaway query should be running in a worker"
    finally:
        service.process.kill()
        service.process.wait(10)
    # Orphaned, each worker sees its parent gone and ends, its query with it.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers)


def alive(pid: int) -> bool:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
