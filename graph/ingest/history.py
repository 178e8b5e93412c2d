"""Replacing a source graph with its earlier content kept, and the record of it.

Every replacement is one atomic write (Store.write_quads): the source graph's
new content; its previous content, kept by the store as version
`urn:x-partnergraph:history:<version>` (out of every query's sight: the
embedded store keeps it in a file beside itself, a remote one in a hidden
graph); and a prov:Activity added to the visible graph `<base>graph/imports`,
saying when, by whom, from which file (name, sha256, rows) and which version
it saved. The record graph is added to, never rewritten. `restore` is such a
replacement too, so it can itself be undone. It keeps the names, types and
countries of the nodes other sources rely on (graph/ingest/relied_on.py), and
says which."""
from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from graph.errors import PartnergraphError
from graph.ingest.gc_pause import cycle_collection_paused
from graph.ingest.messages import WordedError
from graph.ingest.progress import ProgressCallback
from graph.ingest.relied_on import KeptNode, kept_identities
from graph.iris import agent_iri, decisions_graph_iri, graph_iri, import_iri, imported_file_iri
from graph.rdf.compressed import CompressedTriples
from graph.rdf.namespaces import HISTORY_GRAPH_PREFIX, PG, SCHEMA, is_internal_graph
from graph.store.base import Store, TriplesFile, WriteSummary


def imports_graph(base_iri: str) -> str:
    return graph_iri(base_iri, "imports")


@dataclass(frozen=True)
class FileFacts:
    name: str
    sha256: str
    rows: int


@dataclass(frozen=True)
class Version:
    """One replacement of a graph; `saved` tells whether the content it
    replaced was kept (an empty graph is not)."""
    id: str
    graph: str
    time: str
    action: str
    agent: str
    file: str | None
    sha256: str | None
    rows: int | None
    saved: bool
    restored: str | None

    def text(self) -> str:
        if self.action == "restore":
            what = f"restore of {self.restored}"
        else:
            # An import's record always names its file (see _activity).
            assert self.sha256 is not None
            what = f"import of {self.file} (sha256 {self.sha256[:12]}…, {self.rows} rows)"
        kept = "previous content kept" if self.saved else "graph was empty before"
        return f"{self.id}  {self.time}  {self.graph}\n    {what} by {self.agent}; {kept}"


def check_target(graph: str, base_iri: str) -> None:
    if is_internal_graph(graph) or graph in (imports_graph(base_iri), decisions_graph_iri(base_iri)):
        raise WordedError("reserved_graph", graph=graph)


def replace_graph(store: Store, graph: str, quads: Iterable[ox.Quad] | CompressedTriples, *,
                  agent: str, action: str = "import", file: FileFacts | None = None,
                  restored: str | None = None, also: list[ox.Quad] | None = None,
                  progress: ProgressCallback | None = None) -> tuple[WriteSummary, str]:
    """Put `quads` (and `also`, a few more) in `graph`, keep what it held,
    record the activity; all or nothing. `progress` hears the store's stages
    ("saving", "writing")."""
    check_target(graph, store.base_iri)
    version = _new_version_id()
    saved = graph in store.graph_names()
    record = ox.NamedNode(imports_graph(store.base_iri))
    activity = _activity(store.base_iri, version, graph, agent, action, file, restored,
                         saved=saved, record=record)
    batches = _batches(quads, graph, store.base_iri)
    if also:
        batches.append(_bound(also, graph))
    summary = store.write_quads(batches, replace=True,
                                graphs=[graph], add=activity,
                                keep={graph: version} if saved else None, progress=progress)
    return summary, version


def _batches(quads: Iterable[ox.Quad] | CompressedTriples, graph: str,
             base_iri: str) -> list[Iterable[ox.Quad]]:
    """The new content bound for `graph`: compressed triples as files the
    store's bulk loader reads itself, a part each (the loader holds a batch
    whole: a million triples at once took two gigabytes)."""
    if isinstance(quads, CompressedTriples):
        return [_part_file(quads, number, graph, base_iri) for number in range(quads.parts)]
    if isinstance(quads, TriplesFile) and quads.graph == graph:
        return [quads]
    return [_bound(quads, graph)]


def _bound(quads: Iterable[ox.Quad], graph: str) -> Iterator[ox.Quad]:
    target = ox.NamedNode(graph)
    return (ox.Quad(q.subject, q.predicate, q.object, target) for q in quads)


def _part_file(content: CompressedTriples, number: int, graph: str, base_iri: str) -> TriplesFile:
    def reader() -> BinaryIO:
        return content.reader(range(number, number + 1))

    def parsed() -> Iterator[ox.Quad]:
        return _bound(content.part(number), graph)

    def error(syntax: SyntaxError) -> Exception:
        return syntax

    return TriplesFile(open=reader, format=ox.RdfFormat.N_TRIPLES, graph=graph, base_iri=base_iri,
                       size=content.text_size_of(number), parsed=parsed, syntax_error=error)


def versions(store: Store, graph: str | None = None) -> list[Version]:
    """The graph's (or every graph's) replacements, newest first."""
    record = imports_graph(store.base_iri)
    if record not in store.graph_names():
        return []
    only = f"FILTER (?graph = <{graph}>)" if graph else ""
    rows = store.select(f"""
        SELECT ?id ?graph ?time ?action ?agent ?file ?sha ?rows ?saved ?restored WHERE {{
          GRAPH <{record}> {{
            ?a a prov:Activity ; dcterms:identifier ?id ; prov:generated ?graph ;
               prov:startedAtTime ?time ; dcterms:type ?action ;
               prov:wasAssociatedWith/rdfs:label ?agent .
            OPTIONAL {{ ?a prov:used ?f . ?f dcterms:title ?file ; dcterms:identifier ?sha ;
                        schema:numberOfItems ?rows }}
            OPTIONAL {{ ?a prov:invalidated ?saved }}
            OPTIONAL {{ ?a pg:restoredVersion ?restored }}
          }} {only}
        }} ORDER BY DESC(?id)""")
    return [Version(
        id=r["id"].value, graph=r["graph"].value, time=r["time"].value,
        action=r["action"].value, agent=r["agent"].value,
        file=r["file"].value if "file" in r else None,
        sha256=r["sha"].value.removeprefix("sha256:") if "sha" in r else None,
        rows=int(r["rows"].value) if "rows" in r else None,
        saved="saved" in r, restored=r["restored"].value if "restored" in r else None)
        for r in rows]


@dataclass(frozen=True)
class Restoration:
    summary: WriteSummary
    version: str                # the restore's own version
    restored: str               # the version whose earlier content came back
    kept: list[KeptNode]        # nodes other sources rely on, whose identity stayed


def restore(store: Store, graph: str, version: str | None = None, *,
            agent: str, progress: ProgressCallback | None = None) -> Restoration:
    """Bring back the content `graph` held before replacement `version`
    (default: the latest replacement, which undoes it), keeping what other
    sources rely on. `progress` hears the store's stages."""
    history = {v.id: v for v in versions(store, graph)}
    if version is None:
        if not history:
            raise PartnergraphError(f"<{graph}> has no earlier version to restore.")
        version = next(iter(history))
    elif version not in history:
        raise PartnergraphError(f"<{graph}> has no version {version!r}; "
                                "`partnergraph history GRAPH` lists them.")
    # A replacement that kept nothing found the graph empty: restoring it empties the graph.
    content = store.saved(version, graph) if history[version].saved else []
    kept, nodes = kept_identities(store, graph, content,
                                  skip=(imports_graph(store.base_iri), decisions_graph_iri(store.base_iri)))
    with cycle_collection_paused():
        summary, new_version = replace_graph(store, graph, content, agent=agent, action="restore",
                                             restored=version, also=kept, progress=progress)
    return Restoration(summary, new_version, version, nodes)


def _new_version_id() -> str:
    # Sortable by time, and unique even for two imports in the same microsecond.
    now = datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%S%f}Z-{secrets.token_hex(3)}"


def _activity(base: str, version: str, graph: str, agent: str, action: str,
              file: FileFacts | None, restored: str | None, *, saved: bool,
              record: ox.NamedNode) -> list[ox.Quad]:
    activity = ox.NamedNode(import_iri(base, version))
    agent_node = ox.NamedNode(agent_iri(base, agent))
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    triples: list[tuple[ox.NamedNode, URIRef | ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (activity, RDF.type, ox.NamedNode(str(PROV.Activity))),
        (activity, DCTERMS.identifier, ox.Literal(version)),
        (activity, DCTERMS.type, ox.Literal(action)),
        (activity, RDFS.label, ox.Literal(f"{action} of <{graph}>", language="en")),
        (activity, PROV.startedAtTime, ox.Literal(now, datatype=ox.NamedNode(str(XSD.dateTime)))),
        (activity, PROV.generated, ox.NamedNode(graph)),
        (activity, PROV.wasAssociatedWith, agent_node),
        (agent_node, RDF.type, ox.NamedNode(str(PROV.Agent))),
        (agent_node, RDFS.label, ox.Literal(agent)),
    ]
    if saved:
        triples.append((activity, PROV.invalidated, ox.NamedNode(HISTORY_GRAPH_PREFIX + version)))
    if restored:
        triples.append((activity, ox.NamedNode(str(PG.restoredVersion)),
                        ox.Literal(restored)))
    if file:
        entity = ox.NamedNode(imported_file_iri(base, version))
        triples += [
            (activity, PROV.used, entity),
            (entity, RDF.type, ox.NamedNode(str(PROV.Entity))),
            (entity, DCTERMS.title, ox.Literal(file.name)),
            (entity, DCTERMS.identifier, ox.Literal("sha256:" + file.sha256)),
            (entity, SCHEMA.numberOfItems, ox.Literal(str(file.rows),
                                                      datatype=ox.NamedNode(str(XSD.integer)))),
        ]
    return [ox.Quad(s, p if isinstance(p, ox.NamedNode) else ox.NamedNode(str(p)), o, record)
            for s, p, o in triples]
