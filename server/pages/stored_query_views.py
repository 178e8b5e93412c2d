"""/queries: the stored queries of `queries/*.rq`, each at a stable URL with
a form for its parameters, and its answer as JSON, CSV or Turtle
(`/queries/NAME.json`, `.csv`, `.ttl`). Parameter values reach the engine
as RDF terms, never as query text."""
from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, g, render_template, request, url_for

from graph.sparql.stored import ParameterError, bind, stored_queries
from graph.views.labels import labels
from graph.views.search import search
from server.protocol import protocol_errors
from server.support.i18n import text
from server.support.store import get_store

bp = Blueprint("stored_queries", __name__)

# Per suffix: (media type, format for solutions, format for graphs); None
# where that form of result cannot be given in the format.
SUFFIXES = {
    "json": (("application/sparql-results+json", "JSON"), ("application/ld+json", "JSON_LD")),
    "csv": (("text/csv", "CSV"), None),
    "ttl": (None, ("text/turtle", "TURTLE")),
}


def query_or_404(name: str):
    query = stored_queries().get(name)
    if query is None:
        abort(404, f"No stored query is called {name!r}.")
    return query


def is_of_class(iri: str, cls: str) -> bool:
    return get_store().ask(f"ASK {{ <{iri}> a <{cls}> }}")


# The most instances an IRI parameter's select list offers. Above it (tens
# of thousands of municipalities in a world-wide graph, six megabytes of
# options) the field takes a name, looked up with search, or an IRI.
CHOICES = 1000


def _choices(query) -> dict[str, list[tuple[str, str]] | None]:
    """The instances of each IRI parameter's class, for its select list;
    None for a class with more than CHOICES."""
    store = get_store()
    found: dict[str, list[tuple[str, str]] | None] = {}
    for param in query.parameters:
        if param.type == "iri":
            iris = [r["s"].value for r in store.select(
                f"SELECT DISTINCT ?s WHERE {{ ?s a <{param.cls}> FILTER(isIRI(?s)) }} LIMIT {CHOICES + 1}")
                if r["s"].value.startswith(("http://", "https://"))]
            if len(iris) > CHOICES:
                found[param.name] = None
                continue
            names = labels(store, iris, g.lang)
            found[param.name] = sorted(names.items(), key=lambda item: item[1].casefold())
    return found


def _by_name(query, given: dict[str, str], choices) -> dict[str, list[tuple[str, str, str]]]:
    """Puts in `given` the IRI of each name typed for a parameter without a
    select list, when one thing of its class has that name; returns, per
    parameter, the namesakes to choose from (label, country, form URL)."""
    store = get_store()
    namesakes = {}
    # Typed as url_for's own values (see embed_snippet.for_stored_query).
    values: dict[str, Any] = given
    for param in query.parameters:
        typed = given.get(param.name, "").strip()
        if choices.get(param.name, []) is not None or not typed or ":" in typed:
            continue
        hits = [h for h in search(store, typed, g.lang) if param.cls in h.types]
        exact = [h for h in hits if h.rank == 0]
        if len(exact) == 1 or len(hits) == 1:
            given[param.name] = (exact or hits)[0].iri
            continue
        if not hits:
            raise ParameterError(text("wb_no_such_name").format(name=typed, kind=param.label(g.lang)))
        namesakes[param.name] = [
            (h.label, h.country, url_for("stored_queries.form", name=query.name, lang=g.lang,
                                         **{**values, param.name: h.iri}))
            for h in (exact or hits)[:NAMESAKES]]
    return namesakes


NAMESAKES = 20


@bp.get("/queries")
def index():
    return render_template("stored_queries.html", queries=list(stored_queries().values()))


@bp.get("/queries/<name>")
def form(name: str):
    query = query_or_404(name)
    given = {p.name: request.args.get(p.name, "") for p in query.parameters}
    typed = dict(given)
    choices = _choices(query)
    result, error, namesakes = None, None, {}
    try:
        namesakes = _by_name(query, given, choices)
        if all(given.values()) and not namesakes:
            bindings = bind(query, given, is_of_class)
            answer = get_store().sparql_query(query.text, result_format="JSON",
                                              graph_format="N_TRIPLES", bindings=bindings)
            result = result_table(answer)
    except ParameterError as problem:
        error = str(problem)
    return render_template("stored_query.html", query=query, given=given, typed=typed,
                           choices=choices, namesakes=namesakes, result=result, error=error,
                           status=400 if error else 200), 400 if error else 200


@bp.get("/queries/<name>.<suffix>")
def data(name: str, suffix: str):
    if suffix not in SUFFIXES:
        abort(404)
    query = query_or_404(name)
    given = {p.name: request.args.get(p.name, "") for p in query.parameters}
    try:
        bindings = bind(query, given, is_of_class)
    except ParameterError as problem:
        return protocol_errors.plain(str(problem), 400)
    solutions, graph = SUFFIXES[suffix]
    chosen = graph if query.is_graph else solutions
    if chosen is None:
        offered = [s for s, (a, b) in SUFFIXES.items() if (b if query.is_graph else a)]
        return protocol_errors.plain(
            f"{name} gives {'a graph' if query.is_graph else 'a table'}; "
            f"ask for .{' or .'.join(offered)} instead.", 406)
    media, fmt = chosen
    answer = get_store().sparql_query(query.text, result_format=fmt, graph_format=fmt,
                                bindings=bindings)
    response = Response(answer.read(), content_type=f"{media}; charset=utf-8")
    if answer.cut:
        response.headers["X-Partnergraph-Row-Limit"] = str(answer.row_limit)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def result_table(answer) -> dict:
    """Columns and rows of a result, each cell a (text, IRI or None)."""
    store = get_store()
    if answer.kind == "graph":
        import pyoxigraph as ox
        triples = list(ox.parse(answer.read(), format=ox.RdfFormat.N_TRIPLES))
        columns = ["subject", "predicate", "object"]
        raw = [[t.subject, t.predicate, t.object] for t in triples]
        cells = [[(c.value, c.value if isinstance(c, ox.NamedNode) else None) for c in r] for r in raw]
    else:
        data = json.loads(answer.read())
        columns = data.get("head", {}).get("vars", [])
        bindings = data.get("results", {}).get("bindings", [])
        cells = [[(row[c]["value"], row[c]["value"] if row[c]["type"] == "uri" else None)
                  if c in row else ("", None) for c in columns] for row in bindings]
    names = labels(store, [iri for row in cells for _, iri in row if iri], g.lang)
    rows = [[(names.get(iri, text) if iri else text, iri) for text, iri in row] for row in cells]
    return {"columns": columns, "rows": rows}
