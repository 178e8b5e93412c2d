"""The W3C SPARQL 1.1 test manifests in tests/w3c/, read into plain records:
each entry's HTTP requests in order, with what each response must show."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

W3C = Path(__file__).resolve().parent / "w3c"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")


@dataclass
class Expected:
    statuses: list[str]          # names in http-statusCodes: "OK", "NotFound", "StatusCode2xx"
    boolean: bool | None = None
    format: str | None = None    # "boolean", "tabular" or "RDF"
    location: str | None = None  # the template variable that the Location header fills
    content_type: str | None = None
    body: str | None = None      # RDF, in content_type, that the response must be isomorphic to


@dataclass
class Request:
    method: str
    path: str                    # as in the manifest: /sparql/... or /gsp...
    headers: dict[str, str]
    body: str | None
    encoding: str                # of the body on the wire
    expected: Expected


@dataclass
class Entry:
    name: str                    # the entry's local name
    title: str
    requires: list[str]          # local names of mf:requires
    graph_data: list[tuple[Path, str]]   # (file, graph IRI to load it into)
    requests: list[Request]


def entries(manifest: Path) -> list[Entry]:
    """The manifest's entries in order, followed by those of the manifests it includes."""
    if not manifest.is_file():
        raise FileNotFoundError(f"The W3C test manifest {manifest} is missing; "
                                f"tests/support/w3c/SOURCE.md says where it comes from.")
    graph = Graph().parse(manifest, format="turtle")
    found = []
    for root in graph.subjects(RDF.type, MF.Manifest):
        for node in _list(graph, graph.value(root, MF.entries)):
            found.append(_entry(graph, node))
        for include in _list(graph, graph.value(root, MF.include)):
            found += entries(_path(include))
    if not found:
        raise ValueError(f"{manifest} has no test entries.")
    return found


def entry_named(manifest: Path, name: str) -> Entry:
    """An entry the manifest defines by its local name, whether or not its
    list of entries holds it."""
    graph = Graph().parse(manifest, format="turtle")
    for node in graph.subjects(MF.name, None):
        if _local(node) == name:
            return _entry(graph, node)
    raise ValueError(f"{manifest} defines no entry {name}.")


def _entry(graph: Graph, node) -> Entry:
    action = graph.value(node, MF.action)
    requests = [] if action is None else [
        _request(graph, r) for r in _list(graph, graph.value(action, HT.requests))]
    data = sorted((_path(graph.value(d, UT.graph)), str(graph.value(d, RDFS.label)))
                  for d in graph.objects(node, UT.graphData))
    return Entry(_local(node), str(graph.value(node, MF.name)),
                 sorted(_local(r) for r in graph.objects(node, MF.requires)), data, requests)


def _request(graph: Graph, node) -> Request:
    body = graph.value(node, HT.body)
    response = graph.value(node, HT.resp)
    expected_body = graph.value(response, HT.body)
    boolean = graph.value(response, MF.expectedBoolean)
    return Request(
        method=str(graph.value(node, HT.methodName)),
        path=str(graph.value(node, HT.absolutePath)),
        headers=_headers(graph, node),
        body=None if body is None else str(graph.value(body, CNT.chars)),
        encoding="UTF-8" if body is None else str(graph.value(body, CNT.characterEncoding)),
        expected=Expected(
            statuses=sorted(_local(s) for s in graph.objects(response, MF.expectedStatus)),
            boolean=None if boolean is None else boolean.toPython(),
            format=_optional(graph.value(response, MF.expectedFormat)),
            location=_optional(graph.value(response, MF.expectedLocation)),
            content_type=_headers(graph, response).get("content-type"),
            body=None if expected_body is None else str(graph.value(expected_body, CNT.chars))))


def _headers(graph: Graph, node) -> dict[str, str]:
    return {str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
            for h in _list(graph, graph.value(node, HT.headers))}


def _list(graph: Graph, head) -> list:
    return [] if head is None else list(Collection(graph, head))


def _local(node) -> str:
    return str(node).rsplit("#", 1)[-1]


def _optional(literal) -> str | None:
    return None if literal is None else str(literal)


def _path(file_iri) -> Path:
    return Path(url2pathname(urlparse(str(file_iri)).path))
