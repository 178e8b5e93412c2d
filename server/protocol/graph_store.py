"""/store: the SPARQL 1.1 Graph Store HTTP Protocol.

`?graph=IRI` names a graph, `?default` the store's own default graph (the
sources themselves live in named graphs; queries see their union), and no
parameter the whole dataset. Reads are open; writes need the token.

Graphs minted under the base (`<base>graph/NAME`, as graph.iris names every
source graph) are also at their own address on this server, as resource pages
are (`<base path>graph/NAME`): the protocol's direct graph identification.
Only that folder of the base is taken, so no other resource's page is
shadowed; and a browser asking for HTML there still gets the graph's page.
"""
from __future__ import annotations

import uuid
from typing import cast

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, request, stream_with_context
from werkzeug.exceptions import BadRequest, MethodNotAllowed, NotFound, UnsupportedMediaType

from graph.ingest.load import parse_bytes
from graph.iris import graph_iri
from graph.store.write_tokens import WriteToken
from server.protocol import protocol_errors
from server.protocol.cors import READ_CORS, preflight
from server.support import negotiation
from server.support.auth import require_graphs, require_writer
from server.support.client_limits import heavy
from server.support.http_params import media_type, one, params
from server.support.links import base_path
from server.support.store import get_store

bp = Blueprint("graph_store", __name__)
protocol_errors.register(bp)

ALLOWED = ["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"]
DEFAULT = ""    # how the store's own default graph is named to the store interface

UPLOAD_FORMATS = {media: name for media, name, _ in negotiation.GRAPH}
MULTIPART = "multipart/form-data"


@bp.route("/store", methods=["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PATCH"])
def graph_store():
    if request.method == "OPTIONS":
        return preflight(ALLOWED)
    _method_allowed("/store")
    return _answer(_target(params()))


def register_direct(app: Flask) -> None:
    """The graphs under `<base>graph/` at their own address. The route
    follows the configured base IRI, so each application gets its own."""
    direct = Blueprint("graph_store_direct", __name__)
    protocol_errors.register(direct)
    path = base_path(app.config["PARTNERGRAPH"].base_iri)
    # The address is the graph's IRI with the base's path for the base.
    direct.add_url_rule(graph_iri(path, "<path:name>"), "by_address", by_address,
                        methods=["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PATCH"])
    app.register_blueprint(direct)


def by_address(name: str) -> Response:
    if request.method == "OPTIONS":
        return preflight(ALLOWED)
    _method_allowed("A graph's address")
    iri = _graph_named(graph_iri(get_store().base_iri, name))
    if "default" in request.args or "graph" in request.args:
        raise BadRequest("A graph's own address names the graph already; "
                         "?graph= and ?default go to /store.")
    if request.method in ("GET", "HEAD") and (_wants_page() or not _exists(iri)):
        # People (and IRIs that are no graph here) get the resource page,
        # as at any other IRI under the base.
        # Flask types views as possibly async; the resource page is not.
        return cast(Response, current_app.view_functions["resource.by_path"](rest=f"graph/{name}"))
    return _answer(iri)


def _wants_page() -> bool:
    """Whether the client asks for HTML rather than RDF: by `format=html`,
    or by an Accept that weighs text/html above every RDF format (browsers
    do; `*/*` and RDF clients get the graph)."""
    given = request.args.get("format")
    if given is not None:
        return given.strip().lower() in ("html", "text/html")
    rdf = [m for m, _, _ in negotiation.GRAPH]
    return request.accept_mimetypes.best_match([*rdf, "text/html"]) == "text/html"


def _method_allowed(where: str) -> None:
    if request.method not in ALLOWED:
        raise MethodNotAllowed(ALLOWED, f"{where} answers {', '.join(ALLOWED)}, "
                                        f"not {request.method}.")


def _answer(target: str | None) -> Response:
    if request.method in ("GET", "HEAD"):
        return _read(target)
    writer = require_writer()
    if request.method == "DELETE":
        _may_write(writer, target, [])
        return _delete(target)
    return _write(target, writer, replace=request.method == "PUT")


def _target(values) -> str | None:
    """The graph the request names: an IRI, DEFAULT, or None for the dataset."""
    graph = one(values, "graph")
    if graph is not None and "default" in values:
        raise BadRequest("Give either ?graph=IRI or ?default, not both.")
    if "default" in values:
        return DEFAULT
    if graph is None:
        return None
    return _graph_named(graph)


def _graph_named(graph: str) -> str:
    try:
        node = ox.NamedNode(graph)
    except ValueError as error:
        raise BadRequest(f"<{graph}> is not a valid graph IRI: {error}") from None
    if ":" not in node.value:
        raise BadRequest(f"graph={graph!r} must be an absolute IRI.")
    return graph


def _exists(graph: str) -> bool:
    return graph == DEFAULT or graph in get_store().graph_names()


@heavy
def _read(target: str | None) -> Response:
    values = params()
    if target is None:
        media, fmt = negotiation.choose(negotiation.DATASET, values.get("format"))
        store = get_store()
        body = ox.serialize(store.quads(), format=getattr(ox.RdfFormat, fmt))
        response = Response(body, content_type=negotiation.content_type(media))
    else:
        if not _exists(target):
            raise NotFound(f"There is no graph <{target}> in the store.")
        media, fmt = negotiation.choose(negotiation.GRAPH, values.get("format"))
        default_graphs: list[str]
        named_graphs: list[str]
        if target == DEFAULT:
            query, default_graphs, named_graphs = "CONSTRUCT WHERE { ?s ?p ?o }", [DEFAULT], []
        else:
            query, default_graphs, named_graphs = (
                "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", [], [target])
        answer = get_store().sparql_query(query, graph_format=fmt, capped=False,
                                          default_graphs=default_graphs, named_graphs=named_graphs)
        response = Response(stream_with_context(iter(answer)),
                            content_type=negotiation.content_type(media))
    response.headers["Vary"] = "Accept"
    response.headers["X-Partnergraph-Data-Version"] = get_store().data_version
    response.headers.update(READ_CORS)
    return response


def _write(target: str | None, writer: WriteToken, *, replace: bool) -> Response:
    documents = _documents()
    location = None
    if target is None:
        if replace:
            raise BadRequest("PUT needs a graph: ?graph=IRI or ?default.")
        if any(fmt not in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG) for fmt, _ in documents):
            # POST to the store itself: a new graph with a name of the server's choosing.
            target = graph_iri(get_store().base_iri, f"upload-{uuid.uuid4().hex}")
            # The graph's IRI, not a URL of /store: GSP 5.5 names the new graph
            # in Location, and ?graph= takes it as it is.
            location = target
    existed = target is not None and _exists(target)
    quads = [quad for fmt, body in documents for quad in _parse(body, fmt, target)]
    graphs = [target] if target is not None else []
    _may_write(writer, target, quads)
    summary = get_store().write_quads([quads], replace=replace, graphs=graphs)
    created = target is not None and not existed
    response = Response(status=201 if created else 204)
    if location:
        response.headers["Location"] = location
    response.headers["X-Partnergraph-Data-Version"] = summary.data_version
    response.headers.update(READ_CORS)
    return response


def _may_write(writer: WriteToken, target: str | None, quads: list[ox.Quad]) -> None:
    """Refuse a write to a graph the token may not write: the graph named,
    or, for the whole dataset, each graph the quads fall in."""
    if target is None:
        graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        default = any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
    else:
        graphs, default = ({target} if target else set()), target == DEFAULT
    require_graphs(writer, graphs, default_graph=default)


def _documents() -> list[tuple[ox.RdfFormat, bytes]]:
    """The RDF documents of the request: its body, or each file of a
    multipart/form-data body, whose triples GSP 5.5 merges into the graph."""
    if media_type() == MULTIPART:
        parts = [(part.mimetype, part.read()) for _, part in request.files.items(multi=True)]
        if not parts:
            raise BadRequest("The multipart/form-data body has no files in it.")
    else:
        parts = [(media_type(), request.get_data())]
    documents = []
    for kind, body in parts:
        if kind not in UPLOAD_FORMATS:
            offered = ", ".join(dict.fromkeys(UPLOAD_FORMATS))
            raise UnsupportedMediaType(f"Cannot read {kind or 'a body without Content-Type'}; "
                                       f"send one of {offered}, or several in {MULTIPART}.")
        documents.append((getattr(ox.RdfFormat, UPLOAD_FORMATS[kind]), body))
    return documents


def _parse(body: bytes, fmt: ox.RdfFormat, target: str | None) -> list[ox.Quad]:
    base = target or get_store().base_iri
    into = ox.DefaultGraph() if target in (None, DEFAULT) else ox.NamedNode(target)
    quads = []
    for quad in parse_bytes(body, fmt, base, source="the request body"):
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            if target is not None:
                raise BadRequest(f"The body puts triples in the graph <{quad.graph_name.value}>; "
                                 "a request for one graph takes triples only.")
            quads.append(quad)
        else:
            quads.append(ox.Quad(quad.subject, quad.predicate, quad.object, into))
    return quads


def _delete(target: str | None) -> Response:
    if target is None:
        raise BadRequest("DELETE needs a graph: ?graph=IRI or ?default.")
    if not _exists(target):
        raise NotFound(f"There is no graph <{target}> in the store.")
    version = get_store().update("DROP DEFAULT" if target == DEFAULT else f"DROP GRAPH <{target}>")
    response = Response(status=204)
    response.headers["X-Partnergraph-Data-Version"] = version
    response.headers.update(READ_CORS)
    return response
