"""The W3C SPARQL 1.1 Protocol, Graph Store Protocol and Service Description
tests, run from their manifests against a real `partnergraph serve`, on the
embedded store and on remote ones (a real `oxigraph serve` and a real Virtuoso 7).

The manifests are copied verbatim into tests/w3c/ (tests/support/w3c/SOURCE.md says
from where; the W3C test-suite licence allows it), so that any checkout runs
them. Each entry's requests are replayed in order over plain http.client, so
bodies go out byte for byte; `/sparql/` becomes our /sparql, `/gsp` our /store,
and every request carries the write token. A graph named by the request path
(mf:DirectGraphIdentification: /gsp/person/1.ttl) is the graph
<base>graph/person/1.ttl at its own address, `<base path>graph/person/1.ttl`.

Every entry runs: 34 protocol, 13 graph store (4 of them direct), 3 service
description, each on a store emptied first and given the entry's ut:graphData
by /store PUTs; and head_non_existing_direct, which manifest-direct.ttl defines
but lists in no entries. The service-description manifest only names its
tests; the three checks are written out here.
"""
from __future__ import annotations

import contextlib
import http.client
import io
import subprocess
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from tests.support.oxigraph_server import running_oxigraph
from tests.support.processes import REPO, free_port, partnergraph_command, subprocess_env, wait_for_http
from tests.support.virtuoso_server import running_virtuoso
from tests.support.w3c_manifest import W3C, Entry, Expected, entries, entry_named

TOKEN = "w3c-test-token"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
# Where the manifests' paths go here: graphs named by the path sit at their own
# address under the default base IRI's path (https://w3id.org/partnergraph/id/).
ENDPOINTS = [("/sparql/", "/sparql"), ("/gsp/", "/partnergraph/id/graph/"), ("/gsp", "/store")]

RESULT_FORMATS = {"application/sparql-results+json": "json",
                  "application/sparql-results+xml": "xml",
                  "text/csv": "csv", "text/tab-separated-values": "tsv"}
RDF_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt",
               "application/rdf+xml": "xml", "application/ld+json": "json-ld"}
EXPECTED_FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": set(RESULT_FORMATS),
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}


def applicable(manifest: str) -> list:
    return [pytest.param(entry, id=entry.name) for entry in entries(W3C / manifest)]


@dataclass
class Server:
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def send(self, method: str, path: str, headers: dict[str, str] | None = None,
             body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body,
                               headers={**(headers or {}), "Authorization": f"Bearer {TOKEN}"})
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def reset(self, graph_data) -> None:
        """An empty store, then each data file in its graph."""
        status, _, data = self.send("POST", "/sparql",
                                    {"Content-Type": "application/sparql-update"}, b"DROP ALL")
        assert status == 204, data
        for file, graph in graph_data:
            status, _, data = self.send("PUT", "/store?" + urlencode({"graph": graph}),
                                        {"Content-Type": "application/n-triples"},
                                        file.read_bytes())
            assert status in (201, 204), data


@pytest.fixture(scope="module", params=["embedded", "remote", "virtuoso"])
def server(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"w3c-{request.param}")
    with contextlib.ExitStack() as stack:
        if request.param == "embedded":
            store = str(folder / "store")
        elif request.param == "virtuoso":
            store = stack.enter_context(running_virtuoso(folder / "virtuoso")).query_url
        else:
            store = stack.enter_context(running_oxigraph(folder / "oxigraph")).query_url
        port = free_port()
        process = subprocess.Popen(
            [*partnergraph_command(), "serve", "--port", str(port)], cwd=REPO,
            env=subprocess_env(PARTNERGRAPH_STORE=store, PARTNERGRAPH_TOKEN=TOKEN),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for_http(f"http://127.0.0.1:{port}/healthz", process, timeout=60)
            yield Server(port)
        finally:
            process.terminate()
            process.wait(30)


@pytest.mark.slow
@pytest.mark.parametrize("entry", applicable("protocol/manifest.ttl"))
def test_protocol(server, entry):
    replay(server, entry)


@pytest.mark.slow
@pytest.mark.parametrize("entry", applicable("graph-store-protocol/manifest.ttl"))
def test_graph_store_protocol(server, entry):
    replay(server, entry)


@pytest.mark.slow
def test_graph_store_protocol_head_of_a_graph_that_is_not_there(server):
    replay(server, entry_named(W3C / "graph-store-protocol/manifest-direct.ttl",
                               "head_non_existing_direct"))


@pytest.mark.slow
@pytest.mark.parametrize("entry", applicable("service-description/manifest.ttl"))
def test_service_description(server, entry):
    status, headers, data = server.send("GET", "/sparql")
    assert status == 200, data
    SERVICE_DESCRIPTION_CHECKS[entry.name](server, media_type(headers), data)


# -- replaying a manifest entry ----------------------------------------------------

def replay(server: Server, entry: Entry) -> None:
    server.reset(entry.graph_data)
    variables: dict[str, str] = {}
    for number, request in enumerate(entry.requests, 1):
        path = fill(our_path(request.path), variables)
        body = (None if request.body is None
                else fill(request.body, variables).encode(request.encoding))
        status, headers, data = server.send(request.method, path, request.headers, body)
        check(request.expected, status, headers, data, f"{entry.title}; request {number}: "
                                                       f"{request.method} {path}")
        if request.expected.location:
            variables[request.expected.location] = headers["location"]


def our_path(path: str) -> str:
    for theirs, ours in ENDPOINTS:
        if path.startswith(theirs):
            return ours + path[len(theirs):]
    raise ValueError(f"{path} is under no endpoint this server has")


def fill(text: str, variables: dict[str, str]) -> str:
    for name, value in variables.items():
        text = text.replace(name, value)
    return text


def check(expected: Expected, status: int, headers: dict[str, str], data: bytes,
          where: str) -> None:
    shown = data[:300].decode("utf-8", "replace")
    assert status_matches(status, expected.statuses), (
        f"{where}: status {status}, expected {' or '.join(expected.statuses)}\n{shown}")
    media = media_type(headers)
    if expected.format:
        assert media in EXPECTED_FORMATS[expected.format], (
            f"{where}: {media} is not {expected.format}")
        if expected.format == "RDF":
            rdf(data, media)
        else:
            form = Result.parse(io.BytesIO(data), format=RESULT_FORMATS[media]).type
            assert form == ("ASK" if expected.format == "boolean" else "SELECT"), f"{where}: {form}"
    if expected.boolean is not None:
        answer = Result.parse(io.BytesIO(data), format=RESULT_FORMATS[media]).askAnswer
        assert answer is expected.boolean, f"{where}: answered {answer}"
    if expected.location:
        assert headers.get("location"), f"{where}: no Location header"
    if expected.content_type:
        wanted = expected.content_type.split(";")[0].strip().lower()
        assert media == wanted, f"{where}: {media}, expected {wanted}"
        if expected.body is not None:
            assert isomorphic(rdf(data, media), rdf(expected.body.encode(), wanted)), (
                f"{where}: the graph differs\n{data.decode()}")


def status_matches(status: int, names: list[str]) -> bool:
    """`names` are terms of http-statusCodes: a class such as StatusCode2xx, or a
    status's reason phrase without spaces (OK, Created, NoContent, NotFound)."""
    return (f"StatusCode{status // 100}xx" in names
            or HTTPStatus(status).phrase.replace(" ", "") in names)


def media_type(headers: dict[str, str]) -> str:
    return headers.get("content-type", "").split(";")[0].strip().lower()


def rdf(data: bytes, media: str) -> Graph:
    return Graph().parse(data=data, format=RDF_FORMATS[media])


# -- the service description -----------------------------------------------------

def returns_rdf(server: Server, media: str, data: bytes) -> None:
    assert media in RDF_FORMATS, f"a plain GET on /sparql answered {media}"
    assert len(rdf(data, media)) > 0


def has_endpoint_triple(server: Server, media: str, data: bytes) -> None:
    endpoint = URIRef(f"{server.url}/sparql")
    assert (None, SD.endpoint, endpoint) in rdf(data, media), f"no sd:endpoint <{endpoint}>"


# property: (the classes one of which its subject must have, what its object must be:
# a class it must have, "IRI", or a set of allowed values)
SCHEMA = {
    SD.endpoint: ({SD.Service}, "IRI"),
    SD.supportedLanguage: ({SD.Service}, {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}),
    SD.feature: ({SD.Service}, "IRI"),
    SD.languageExtension: ({SD.Service}, "IRI"),
    SD.propertyFeature: ({SD.Service}, "IRI"),
    SD.resultFormat: ({SD.Service}, "IRI"),
    SD.inputFormat: ({SD.Service}, "IRI"),
    SD.extensionFunction: ({SD.Service}, "IRI"),
    SD.extensionAggregate: ({SD.Service}, "IRI"),
    SD.defaultEntailmentRegime: ({SD.Service}, "IRI"),
    SD.defaultSupportedEntailmentProfile: ({SD.Service}, "IRI"),
    SD.defaultDataset: ({SD.Service}, SD.Dataset),
    SD.availableGraphs: ({SD.Service}, SD.GraphCollection),
    SD.defaultGraph: ({SD.Dataset}, SD.Graph),
    SD.namedGraph: ({SD.Dataset, SD.GraphCollection}, SD.NamedGraph),
    SD.name: ({SD.NamedGraph}, "IRI"),
    SD.graph: ({SD.NamedGraph}, SD.Graph),
    SD.entailmentRegime: ({SD.NamedGraph}, "IRI"),
    SD.supportedEntailmentProfile: ({SD.NamedGraph, SD.Service}, "IRI"),
}
CLASSES = {SD.Service, SD.Feature, SD.Language, SD.Function, SD.Aggregate, SD.EntailmentRegime,
           SD.EntailmentProfile, SD.GraphCollection, SD.Dataset, SD.Graph, SD.NamedGraph}


def conforms_to_schema(server: Server, media: str, data: bytes) -> None:
    """An sd:Service with an endpoint and a query language, every sd: term one that
    the vocabulary defines, each used on the kind of node it is defined for."""
    graph = rdf(data, media)
    services = set(graph.subjects(RDF.type, SD.Service))
    assert services, "no sd:Service"
    for service in services:
        assert isinstance(graph.value(service, SD.endpoint), URIRef), f"{service}: no sd:endpoint"
        assert graph.value(service, SD.supportedLanguage), f"{service}: no sd:supportedLanguage"
    for cls in graph.objects(None, RDF.type):
        assert not cls.startswith(SD) or cls in CLASSES, f"{cls} is not a class of the vocabulary"
    for subject, predicate, value in graph:
        if not predicate.startswith(SD):
            continue
        assert predicate in SCHEMA, f"{predicate} is not a property of the vocabulary"
        domain, range_ = SCHEMA[predicate]
        assert domain & set(graph.objects(subject, RDF.type)), (
            f"{predicate} on a node that is none of {domain}")
        if range_ == "IRI":
            assert isinstance(value, URIRef), f"{predicate} {value!r} is not an IRI"
        elif isinstance(range_, set):
            assert value in range_, f"{predicate} {value} is none of {range_}"
        else:
            assert not isinstance(value, Literal) and (value, RDF.type, range_) in graph, (
                f"{predicate} {value} is no {range_}")


SERVICE_DESCRIPTION_CHECKS = {
    "returns-rdf": returns_rdf,
    "has-endpoint-triple": has_endpoint_triple,
    "conforms-to-schema": conforms_to_schema,
}
