"""Stewards' decisions on merges, kept as data that every later import and
data set load obeys.

A decision says that a name, as a source gives it with its country, is (a
pg:ConfirmedMerge) or is not (a pg:RejectedMerge) a node, with who decided
and when. Decisions live in their own graph, `<base>graph/decisions`, one
resource per name, country and node, so that deciding again on the same
three replaces the earlier decision; loading a data set never touches them.
The matchers (graph/ingest/matching.py, dataset_matching.py) read them: a
rejected merge gives the name a node of its own, a confirmed one puts the
name on the node even where the names' letters would keep them apart."""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, RDFS, XSD

from graph.ingest import names as name_matching
from graph.ingest.actor_kinds import party_classes
from graph.ingest.messages import WordedError
from graph.iris import agent_iri, country_iri, decision_iri, decisions_graph_iri
from graph.rdf.namespaces import PG
from graph.store.base import Readable, Store


def name_key(name: str) -> str:
    """The form in which a name given twice is the same given name: the
    same letters, whatever the Unicode composition and outer spaces."""
    return unicodedata.normalize("NFC", name.strip())


@dataclass(frozen=True)
class Decision:
    """That `name` in country `country` (ISO alpha-2) is `node` (`same`) or
    is not, decided by `agent` at `time`."""
    iri: str
    name: str
    country: str
    node: str
    same: bool
    agent: str
    time: str

    def text(self) -> str:
        verb = "is" if self.same else "is not"
        return f"{self.name!r} ({self.country}) {verb} <{self.node}>: decided by {self.agent} at {self.time}"


class Decisions:
    """The decisions of a store, looked up by name and country."""

    def __init__(self, decisions: Iterable[Decision] = ()):
        self.all = sorted(decisions, key=lambda d: (d.time, d.iri))
        self._by_name: dict[tuple[str, str], list[Decision]] = defaultdict(list)
        for decision in self.all:
            self._by_name[name_key(decision.name), decision.country.upper()].append(decision)

    def about(self, name: str, country: str, node: str) -> Decision | None:
        """The decision on whether `name` in `country` is `node`, if any."""
        for decision in self._by_name.get((name_key(name), country.upper()), ()):
            if decision.node == node:
                return decision
        return None

    def rejected(self, name: str, country: str, node: str) -> Decision | None:
        decision = self.about(name, country, node)
        return decision if decision and not decision.same else None

    def confirmed(self, name: str, country: str) -> Decision | None:
        """The node `name` in `country` is to land on, by the latest
        confirmation."""
        found = [d for d in self._by_name.get((name_key(name), country.upper()), ()) if d.same]
        return found[-1] if found else None


def read(store: Readable) -> Decisions:
    """Every decision the store holds."""
    graph = decisions_graph_iri(store.base_iri)
    rows = store.select(f"""
        SELECT ?d ?type ?name ?code ?node ?agent ?time WHERE {{
          GRAPH <{graph}> {{
            ?d a ?type ; pg:nameGiven ?name ; pg:nameCountry ?country ; pg:matchedNode ?node ;
               prov:generatedAtTime ?time ; prov:wasAttributedTo/rdfs:label ?agent .
            FILTER (?type IN (pg:ConfirmedMerge, pg:RejectedMerge))
          }}
          ?country pg:isoAlpha2 ?code .
        }}""")
    return Decisions(Decision(r["d"].value, r["name"].value, r["code"].value, r["node"].value,
                              r["type"].value == str(PG.ConfirmedMerge), r["agent"].value, r["time"].value)
                     for r in rows)


def country_code(store: Readable, text: str) -> str:
    """The ISO alpha-2 code of a country given by code or name; an error
    naming the input when the graph knows no such country."""
    index, codes = name_matching.countries(store)
    found = index.find(text.strip())
    if len(found) != 1:
        raise WordedError("decision_unknown_country", value=text)
    return codes[found[0]]


def record(store: Store, name: str, country: str, node: str, *, same: bool, agent: str) -> Decision:
    """Record that `name` in `country` (a code or name) is `node` (`same`)
    or is not, by `agent`. It replaces an earlier decision on the same name,
    country and node; a confirmation also replaces earlier confirmations of
    the name for other nodes, as a name means one place. Bad input (no name,
    an unknown country, a node that is no municipality of the store) raises
    PartnergraphError and writes nothing. Takes effect on the next load."""
    name = name_key(name)
    if not name:
        raise WordedError("decision_no_name")
    code = country_code(store, country)
    try:
        node_term = ox.NamedNode(node)
    except ValueError:
        raise WordedError("decision_not_iri", value=node) from None
    classes = " ".join(f"<{cls}>" for cls in party_classes())
    if not store.ask(f"ASK {{ VALUES ?class {{ {classes} }} {node_term} a ?class }}"):
        raise WordedError("decision_not_party", node=node)
    base, graph = store.base_iri, decisions_graph_iri(store.base_iri)
    decision = Decision(decision_iri(base, name, code, node), name, code, node, same, agent,
                        datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"))
    replaced = {decision.iri}
    if same:
        replaced |= {d.iri for d in read(store).all
                     if d.same and name_key(d.name) == name and d.country == code}
    gone = {ox.NamedNode(iri) for iri in replaced}
    kept = [q for q in store.quads(graph) if q.subject not in gone] if graph in store.graph_names() else []
    store.write_quads([kept + _quads(base, decision, ox.NamedNode(graph))], replace=True, graphs=[graph])
    return decision


def _quads(base: str, decision: Decision, graph: ox.NamedNode) -> list[ox.Quad]:
    subject, agent = ox.NamedNode(decision.iri), ox.NamedNode(agent_iri(base, decision.agent))
    verb = "is" if decision.same else "is not"
    facts: list[tuple[ox.NamedNode, object, ox.NamedNode | ox.Literal]] = [
        (subject, RDF.type, ox.NamedNode(str(PG.ConfirmedMerge if decision.same else PG.RejectedMerge))),
        (subject, RDFS.label, ox.Literal(f"{decision.name} ({decision.country}) {verb} <{decision.node}>",
                                         language="en")),
        (subject, PG.nameGiven, ox.Literal(decision.name)),
        (subject, PG.nameCountry, ox.NamedNode(country_iri(base, decision.country))),
        (subject, PG.matchedNode, ox.NamedNode(decision.node)),
        (subject, PROV.wasAttributedTo, agent),
        (subject, PROV.generatedAtTime, ox.Literal(decision.time, datatype=ox.NamedNode(str(XSD.dateTime)))),
        (agent, RDF.type, ox.NamedNode(str(PROV.Agent))),
        (agent, RDFS.label, ox.Literal(decision.agent)),
    ]
    return [ox.Quad(s, ox.NamedNode(str(p)), o, graph) for s, p, o in facts]
