"""What other sources rely on in a graph about to lose its content.

A node one import minted (a town, a partnership, a funder) may be used by
other sources since: a later sheet names the same town and states only its
partnership, relying on the first for the town's name, type and country.
Undoing the first import must not leave that town nameless. Its identity
(type, names, country) is kept in the graph being restored, and the undo
says which nodes and which sources use them."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import RDF, SKOS

from graph.rdf.namespaces import PG, is_internal_graph
from graph.store.base import Readable

# What makes a node known: what it is, what it is called, where it is.
IDENTITY = frozenset({str(RDF.type), str(SKOS.prefLabel), str(SKOS.altLabel), str(PG.country)})
_BATCH = 500
_TYPE = str(RDF.type)


@dataclass(frozen=True)
class KeptNode:
    """A node whose identity an undo kept, and the graphs that use it."""
    iri: str
    label: str
    used_by: tuple[str, ...]

    def text(self) -> str:
        return f"{self.label} <{self.iri}>, used by " + ", ".join(f"<{g}>" for g in self.used_by)


def kept_identities(store: Readable, graph: str, restored: Iterable[ox.Quad],
                    skip: Iterable[str] = ()) -> tuple[list[ox.Quad], list[KeptNode]]:
    """The identity quads of `graph`'s current content to keep beside its
    `restored` content: those of nodes that other graphs (but those in
    `skip`, the store's own records) use and that neither the restored
    content nor any other graph types."""
    restored_typed = {q.subject for q in restored if q.predicate.value == _TYPE}
    # The nodes the graph types, and only the identity of those kept read
    # whole: a big import's identity triples as Python objects took more
    # memory than the rest of the undo.
    candidates = sorted((node for node in _typed(store, graph) if node not in restored_typed), key=str)
    ignored = {graph, *skip}
    kept: list[ox.Quad] = []
    nodes: list[KeptNode] = []
    for start in range(0, len(candidates), _BATCH):
        batch = candidates[start:start + _BATCH]
        users, typed = _users(store, batch, ignored)
        keep = [node for node in batch if node.value in users and node.value not in typed]
        identity = _identity_quads(store, graph, keep)
        for node in keep:
            kept += identity[node]
            nodes.append(KeptNode(node.value, _label(identity[node]), tuple(sorted(users[node.value]))))
    return kept, nodes


def _typed(store: Readable, graph: str) -> set[ox.NamedNode]:
    """The IRIs the graph gives a type (none when there is no such graph)."""
    return {row["s"] for row in store.select(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph}> {{ ?s a ?type }} }}")
            if isinstance(row["s"], ox.NamedNode)}


def _identity_quads(store: Readable, graph: str, nodes: list[ox.NamedNode]) -> dict[ox.NamedNode, list[ox.Quad]]:
    """The identity triples the graph states of `nodes`, as its quads, by node."""
    found: dict[ox.NamedNode, list[ox.Quad]] = defaultdict(list)
    if not nodes:
        return found
    target = ox.NamedNode(graph)
    values = " ".join(str(node) for node in nodes)
    predicates = " ".join(f"<{p}>" for p in sorted(IDENTITY))
    for row in store.select(f"""
        SELECT ?s ?p ?o WHERE {{
          VALUES ?s {{ {values} }} VALUES ?p {{ {predicates} }} GRAPH <{graph}> {{ ?s ?p ?o }}
        }}"""):
        found[row["s"]].append(ox.Quad(row["s"], row["p"], row["o"], target))
    return found


def _users(store: Readable, nodes: list[ox.NamedNode], ignored: set[str]) -> tuple[dict[str, set[str]], set[str]]:
    """For each node, the other graphs that mention it; and the nodes another
    graph gives a type (asked only of nodes that other graphs mention)."""
    values = " ".join(str(node) for node in nodes)
    # Most nodes of a big import are its own: the graphs to ignore are left
    # out in the query, not after it.
    others = f"FILTER (?g NOT IN ({', '.join(f'<{g}>' for g in sorted(ignored))}))" if ignored else ""
    users: dict[str, set[str]] = defaultdict(set)
    for row in store.select(f"""
        SELECT DISTINCT ?n ?g WHERE {{
          VALUES ?n {{ {values} }}
          {{ GRAPH ?g {{ ?n ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?p ?n }} }}
          {others}
        }}"""):
        name = row["g"].value
        if name not in ignored and not is_internal_graph(name):
            users[row["n"].value].add(name)
    typed: set[str] = set()
    if not users:
        return users, typed
    values = " ".join(f"<{node}>" for node in sorted(users))
    for row in store.select(f"""
        SELECT DISTINCT ?n ?g WHERE {{ VALUES ?n {{ {values} }} GRAPH ?g {{ ?n a ?type }} {others} }}"""):
        if row["g"].value not in ignored and not is_internal_graph(row["g"].value):
            typed.add(row["n"].value)
    return users, typed


def _label(quads: list[ox.Quad]) -> str:
    names = {q.object.language or "": q.object.value for q in quads
             if q.predicate.value == str(SKOS.prefLabel) and isinstance(q.object, ox.Literal)}
    return names.get("en") or names.get("sv") or next(iter(names.values()), "")
