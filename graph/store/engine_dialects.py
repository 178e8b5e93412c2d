"""What each SPARQL engine needs that the standard does not say, in one place:
how its graphs are listed, which of them are its own, how a query is sent and
given a time limit, how its answers are read, which update forms it takes, how
large an upload may be. The remote store asks its dialect and knows no engine
by name; the next engine is one more entry in DIALECTS (and, when it can be
told by its Server header, in `detect`).

The engine is named by PARTNERGRAPH_STORE_ENGINE, or else told from the
Server header of the store's first answer; an engine nobody described gets
the standard's own behaviour ("standard").
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message

from graph.errors import ConfigError, QueryTimeout, StoreUnavailable, UpdateRefused
from graph.rdf.namespaces import EMPTY_GRAPH, INTERNAL_GRAPH_PREFIX, PG, PREFIXES, SYSTEM_GRAPH
from graph.sparql.text import tokens, walk

_VERSION = str(PG.dataVersion)
_SYSTEM = f"<{SYSTEM_GRAPH}>"


@dataclass(frozen=True)
class Dialect:
    name: str
    # SELECT ?g: every named graph there is (the empty ones too, where the
    # engine keeps empty graphs).
    list_graphs: str = "SELECT ?g WHERE { GRAPH ?g { } }"
    # Graphs the engine keeps for itself, which no store of ours holds.
    own_graphs: Callable[[str], bool] = lambda iri: False
    # Whether the engine answers a query POSTed as application/sparql-query
    # (large queries go so; a form may be capped, as Jetty's at 1 MB is).
    takes_query_body: bool = True
    # The request parameters that tell the engine to stop at `seconds`.
    time_limit: Callable[[float], list[tuple[str, str]]] = lambda seconds: []
    # The named graph that stands for the engine's own default graph, for an
    # engine whose default graph is the union of all (None: it has one).
    default_graph: str | None = None
    # Whether the data version is worked out on the engine, in the update
    # that writes it, or here from the version read before.
    version_on_engine: bool = True
    # Whether DROP/CLEAR ALL and NAMED must be spelled out graph by graph
    # (Virtuoso answers them with success and does nothing).
    spells_out_graph_sets: bool = False
    # Triples per INSERT DATA request, for an engine that cannot compile more.
    insert_chunk: int | None = None
    # ADD GRAPH ... TO ... may be written so (False: as INSERT ... WHERE,
    # for an engine whose ADD is broken).
    takes_add: bool = True
    # The Graph Store Protocol endpoint beside a query URL, when there is one.
    store_url: Callable[[str], str | None] = lambda query_url: None
    update_url: Callable[[str], str | None] = lambda query_url: None
    # (pattern, replacement) pairs that make the engine's answers standard.
    answer_fixes: tuple[tuple[bytes, bytes], ...] = ()
    # The most rows the engine returns or sorts as it is usually set up.
    row_ceiling: int | None = None
    notes: dict[str, str] = field(default_factory=dict)

    def version_update(self, current: str) -> tuple[str, str]:
        """The update that replaces the data version by the next one, and the
        mark (the random part) by which the write is recognised as landed."""
        mark = secrets.token_hex(4)
        version = f"<{_VERSION}>"
        if not self.version_on_engine:
            counter = max((int(v.split("-", 1)[0]) for v in current.split("+")
                           if v.split("-", 1)[0].isdigit()), default=0) + 1
            return (f"DELETE WHERE {{ GRAPH {_SYSTEM} {{ {_SYSTEM} {version} ?old }} }} ;\n"
                    f"INSERT DATA {{ GRAPH {_SYSTEM} {{ {_SYSTEM} {version} "
                    f"\"{counter}-{mark}\" }} }}"), mark
        # The counter is worked out on the server, in the same transaction as
        # the write, so that writers in several processes never step back.
        return (
            f"DELETE {{ GRAPH {_SYSTEM} {{ {_SYSTEM} {version} ?old }} }}\n"
            f"INSERT {{ GRAPH {_SYSTEM} {{ {_SYSTEM} {version} ?new }} }}\n"
            "WHERE {\n"
            f"  {{ SELECT (CONCAT(STR(COALESCE(MAX(<{PREFIXES['xsd']}integer>"
            f"(STRBEFORE(?v, \"-\"))), 0) + 1), \"-{mark}\") AS ?new)\n"
            f"    WHERE {{ OPTIONAL {{ GRAPH {_SYSTEM} {{ {_SYSTEM} {version} ?v }} }} }} }}\n"
            f"  OPTIONAL {{ GRAPH {_SYSTEM} {{ {_SYSTEM} {version} ?old }} }}\n"
            "}"), mark

    def copy_graph(self, source: str, target: str, *, replace: bool = False) -> str:
        """The update step that adds the triples of `source` to `target`
        (a graph IRI, or "" for the default graph), or with `replace`
        makes `target` hold them alone."""
        place = f"GRAPH <{target}>" if target else "DEFAULT"
        if self.takes_add:
            return f"{'COPY' if replace else 'ADD'} SILENT GRAPH <{source}> TO {place}"
        into = f"GRAPH <{target}> {{ ?s ?p ?o }}" if target else "?s ?p ?o"
        insert = f"INSERT {{ {into} }} WHERE {{ GRAPH <{source}> {{ ?s ?p ?o }} }}"
        return f"DROP SILENT {place} ;\n{insert}" if replace else insert

    def update_text(self, text: str, graphs: Callable[[], list[str]]) -> str:
        """The update as the engine takes it; `graphs` lists every graph on it."""
        if self.spells_out_graph_sets:
            text = _spell_out_graph_sets(text, graphs, self.default_graph)
        return text

    @property
    def update_preamble(self) -> str:
        """What goes before every update, on its first line."""
        if self.default_graph:
            # Virtuoso's way to give an update a default graph of its own.
            return f"define input:default-graph-uri <{self.default_graph}> "
        return ""

    def fix_answer(self, data: bytes) -> bytes:
        for pattern, replacement in self.answer_fixes:
            data = re.sub(pattern, replacement, data)
        return data

    def check_answer(self, url: str, headers: Message, *, whole: bool) -> bool:
        """Raise when the answer's headers say the engine stopped the query or
        cut its answer; returns whether it was cut at the engine's row limit,
        which only a caller that may cut (`whole` False) gets to know."""
        if headers.get("X-SQL-State") == "S1TAT":
            # Virtuoso's "anytime" answer: what it had at its time limit, as 200.
            raise QueryTimeout(f"The SPARQL endpoint {url} stopped the query at its time "
                               f"limit: {headers.get('X-SQL-Message', '').strip()[:200]}")
        limit = headers.get("X-SPARQL-MaxRows")
        if limit is None:
            return False
        if whole:
            raise StoreUnavailable(
                f"The SPARQL endpoint {url} cut its answer at {limit} rows, its own limit "
                "(ResultSetMaxRows in the [SPARQL] section of virtuoso.ini): raise it above "
                "the number of triples in the store.")
        return True

    def explain(self, message: str) -> str:
        """The engine's error message, with what to do about it where known."""
        for code, fix in self.notes.items():
            if code in message:
                return f"{message.strip()} ({fix})"
        return message


def _spell_out_graph_sets(text: str, graphs: Callable[[], list[str]],
                          default_graph: str | None) -> str:
    """DROP/CLEAR [SILENT] ALL/NAMED/DEFAULT at the top level of an update, as
    one DROP/CLEAR SILENT per graph; DROP/CLEAR GRAPH as DROP/CLEAR SILENT
    GRAPH, once this side has checked that the graph is there (Virtuoso
    refuses a graph that was filled without CREATE GRAPH)."""
    found = []
    toks = tokens(text)
    for i, (tok, depth) in enumerate(walk(toks)):
        if depth or tok.upper not in ("DROP", "CLEAR") or i + 1 >= len(toks):
            continue
        silent = toks[i + 1].upper == "SILENT"
        which = toks[i + 1 + silent] if i + 1 + silent < len(toks) else None
        if which is not None and which.upper in ("ALL", "NAMED", "DEFAULT", "GRAPH"):
            found.append((tok, silent, which, toks[i + 2 + silent] if which.upper == "GRAPH"
                          and i + 2 + silent < len(toks) else None))
    if not found:
        return text
    every = graphs()
    for verb, silent, which, graph in reversed(found):
        if which.upper == "GRAPH":
            if silent:
                continue
            if graph is not None and graph.kind == "iri" and graph.text[1:-1] not in every:
                raise UpdateRefused(f"The update was refused: the graph {graph.text} does not exist")
            text = text[:verb.start] + f"{verb.upper} SILENT" + text[verb.end:]
            continue
        options: dict[str, list[str | None]] = {
            "ALL": [*every, default_graph], "NAMED": [g for g in every if g != default_graph],
            "DEFAULT": [default_graph]}
        # An operation on no graph at all still has to be one.
        steps = [f"{verb.upper} SILENT GRAPH <{g}>" for g in dict.fromkeys(options[which.upper])
                 if g] or [f"DROP SILENT GRAPH <{EMPTY_GRAPH}>"]
        text = text[:verb.start] + " ;\n".join(steps) + text[which.end:]
    return text


def _virtuoso_own(iri: str) -> bool:
    # Its schemas and, named after the host as its ini calls it, the graphs of
    # its service description and its WebDAV folders.
    return (iri.startswith(("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#",
                            "http://www.w3.org/2002/07/owl#", "urn:activitystreams-owl:"))
            or _VIRTUOSO_HOST_GRAPH.match(iri) is not None)


_VIRTUOSO_HOST_GRAPH = re.compile(r"^https?://[^/]+/(sparql|DAV/|sparql-auth)")


def _root(query_url: str, tail: str) -> str | None:
    return query_url[:-len(tail)] if query_url.endswith(tail) else None


STANDARD = Dialect("standard", store_url=lambda url: (r := _root(url, "/query")) and r + "/store",
                   update_url=lambda url: (r := _root(url, "/query")) and r + "/update")

DIALECTS: dict[str, Dialect] = {
    "standard": STANDARD,
    # oxigraph serve takes no time limit per request; its --timeout-s is the
    # operator's to set.
    "oxigraph": Dialect("oxigraph", store_url=STANDARD.store_url, update_url=STANDARD.update_url),
    "virtuoso": Dialect(
        "virtuoso",
        # GRAPH ?g { } finds nothing on Virtuoso, whose graphs are never empty.
        list_graphs="SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        own_graphs=_virtuoso_own,
        # 7.2 never answers a query sent as application/sparql-query.
        takes_query_body=False,
        time_limit=lambda seconds: [("timeout", str(max(1, round(seconds * 1000))))],
        default_graph=INTERNAL_GRAPH_PREFIX + "default",
        spells_out_graph_sets=True,
        # The server-side counter is SQ156 ("Internal Optimized compiler error").
        version_on_engine=False,
        # Past a few hundred triples INSERT DATA is SP031 or "memory exhausted".
        insert_chunk=400,
        store_url=lambda url: (r := _root(url, "/sparql")) and r + "/sparql-graph-crud",
        update_url=lambda url: url if url.endswith("/sparql") else None,
        row_ceiling=10_000,
        # Its blank nodes in JSON results are "nodeID://b10006", no blank node
        # label; in N-Triples they are _:b10006.
        answer_fixes=((rb'("type": "bnode", "value": ")nodeID://', rb"\1"),),
        notes={"SR353": "Virtuoso sorts at most MaxSortedTopRows rows, 10000 unless its "
                        "virtuoso.ini says more: ask for fewer rows or raise it",
               "SR578": "Virtuoso takes no query text of 10 MB or more"}),
    "fuseki": Dialect(
        "fuseki",
        time_limit=lambda seconds: [("timeout", f"{seconds:g}")],
        # Fuseki 4.5's ADD SILENT answers 200 and does nothing (fixed in 4.6).
        takes_add=False,
        store_url=lambda url: (r := _root(url, "/query")) and r + "/data",
        update_url=STANDARD.update_url),
}


def named(name: str) -> Dialect:
    """The dialect PARTNERGRAPH_STORE_ENGINE names."""
    try:
        return DIALECTS[name.lower()]
    except KeyError:
        raise ConfigError(f"PARTNERGRAPH_STORE_ENGINE={name!r} is none of "
                          f"{', '.join(sorted(DIALECTS))}") from None


def detect(server_header: str | None) -> Dialect:
    """The dialect of the engine that sent this Server header."""
    header = (server_header or "").lower()
    for word, name in (("virtuoso", "virtuoso"), ("fuseki", "fuseki"), ("oxigraph", "oxigraph")):
        if word in header:
            return DIALECTS[name]
    return STANDARD
