"""The merges and kept-apart names of the latest load of each data set
(graph/ingest/merge_records.py), with the stewards' decisions on them, and
the new places each load minted: what `partnergraph merges` prints and
/admin/merges shows."""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from graph.errors import PartnergraphError
from graph.ingest import datasets
from graph.ingest import decisions as merge_decisions
from graph.ingest.actor_kinds import party_classes
from graph.ingest.messages import LANGUAGES
from graph.rdf.namespaces import PG
from graph.store.base import Store

MERGED, KEPT_APART = "merged", "kept apart"
# A name that is one of the node's own names: merged, with nothing to decide.
EXACT = "exact"


@dataclass(frozen=True)
class MergeEntry:
    """A name of data set `dataset` merged into `node` (`kind` MERGED) or
    given a node of its own beside it (KEPT_APART), with why, and the
    decision on it if a steward made one."""
    dataset: str
    kind: str
    name: str
    country: str
    node: str
    node_label: str
    reason: str
    detail: str
    decision: merge_decisions.Decision | None
    detail_lang: str = "en"     # the language the detail is in: the one asked for, or English

    @property
    def exact(self) -> bool:
        """A merge of a name that is the node's own: no decision is needed."""
        return self.kind == MERGED and self.reason == EXACT

    @property
    def pending(self) -> bool:
        """Whether it waits for a steward's decision."""
        return self.decision is None and not self.exact

    def text(self) -> str:
        state = ("pending" if self.pending else "exact, nothing to decide" if self.decision is None else
                 ("confirmed" if self.decision.same else "rejected")
                 + f" by {self.decision.agent} at {self.decision.time}")
        arrow = "->" if self.kind == MERGED else "kept apart from"
        return (f"{self.name!r} ({self.country}) {arrow} <{self.node}> {self.node_label!r}: "
                f"{self.reason}; {self.detail} [{state}]")


def _language(lang: str) -> str:
    # Put into the query's text: only a language the catalogue has.
    return lang if lang in LANGUAGES else "en"


def merges(store: Store, dataset: str | None = None, *, pending: bool = False,
           lang: str = "en") -> list[MergeEntry]:
    """The entries of data set `dataset` (of every loaded one if None), or
    only those no steward has decided on with `pending`, by data set, name
    and node; each detail in `lang`, or in English where the load that
    recorded it gave it in English only."""
    graphs = {d.graph(store.base_iri): d.name for d in datasets.available()}
    if dataset is not None:
        graphs = {graph: name for graph, name in graphs.items() if name == datasets.get(dataset).name}
    if not graphs:
        raise PartnergraphError("No data set to list.")
    decided = merge_decisions.read(store)
    values = " ".join(f"<{graph}>" for graph in graphs)
    rows = store.select(f"""
        SELECT ?g ?type ?name ?code ?node ?reason ?detail ?english (SAMPLE(?label) AS ?nodeLabel) WHERE {{
          VALUES ?g {{ {values} }}
          GRAPH ?g {{
            ?r a ?type ; pg:nameGiven ?name ; pg:nameCountry ?country ; pg:matchedNode ?node ;
               pg:mergeReason ?reason .
            OPTIONAL {{ ?r rdfs:comment ?detail FILTER (LANG(?detail) = "{_language(lang)}") }}
            OPTIONAL {{ ?r rdfs:comment ?english FILTER (LANG(?english) = "en") }}
            FILTER (?type IN (pg:NameMerge, pg:NameKeptApart))
          }}
          ?country pg:isoAlpha2 ?code .
          OPTIONAL {{ ?node skos:prefLabel ?label FILTER (LANG(?label) IN ("en", "sv", "")) }}
        }} GROUP BY ?g ?type ?name ?code ?node ?reason ?detail ?english""")
    found = []
    for row in rows:
        name, code, node = row["name"].value, row["code"].value, row["node"].value
        entry = MergeEntry(
            graphs[row["g"].value], MERGED if row["type"].value.endswith("NameMerge") else KEPT_APART,
            name, code, node, row["nodeLabel"].value if "nodeLabel" in row else node,
            row["reason"].value, (row["detail"] if "detail" in row else row["english"] if "english" in row
                                  else ox.Literal("")).value,
            decided.about(name, code, node), lang if "detail" in row else "en")
        if not pending or entry.pending:
            found.append(entry)
    return sorted(found, key=lambda e: (e.dataset, e.name, e.country, e.node))


@dataclass(frozen=True)
class NewPlace:
    """A party that the latest load of data set `dataset` gave a node of its
    own: its name, country (ISO code), node, and its kind (the class's IRI)."""
    dataset: str
    name: str
    country: str
    node: str
    kind: str

    @property
    def municipality(self) -> bool:
        return self.kind == str(PG.Municipality)


@dataclass(frozen=True)
class NewPlaces:
    """A page of the new places of the latest loads: those on it, how many
    there are in all, and how many of them are municipalities, by data set."""
    places: list[NewPlace]
    total: int
    municipalities: dict[str, int]
    others: dict[str, int]


def new_places(store: Store, dataset: str | None = None, *, municipalities: bool | None = None,
               offset: int = 0, limit: int = 100) -> NewPlaces:
    """The places (and other parties) the latest load of data set `dataset`
    (of every loaded one if None) minted, which its graph describes: only
    municipalities or only the other kinds with `municipalities` True or
    False; `limit` of them from `offset`, by data set, country and name."""
    graphs = {d.graph(store.base_iri): d.name for d in datasets.available()}
    if dataset is not None:
        graphs = {graph: name for graph, name in graphs.items() if name == datasets.get(dataset).name}
    values = " ".join(f"<{graph}>" for graph in graphs)
    classes = " ".join(f"<{cls}>" for cls in party_classes())
    where = f"""VALUES ?g {{ {values} }} VALUES ?class {{ {classes} }}
                GRAPH ?g {{ ?node a ?class ; pg:country ?country }}"""
    municipality = str(PG.Municipality)
    counts: dict[str, dict[str, int]] = {"municipalities": {}, "others": {}}
    for row in store.select(f"SELECT ?g ?class (COUNT(DISTINCT ?node) AS ?n) WHERE {{ {where} }} "
                            "GROUP BY ?g ?class"):
        side = "municipalities" if row["class"].value == municipality else "others"
        name = graphs[row["g"].value]
        counts[side][name] = counts[side].get(name, 0) + int(row["n"].value)
    wanted = {None: "", True: f"FILTER (?class = <{municipality}>)", False: f"FILTER (?class != <{municipality}>)"}
    rows = store.select(f"""
        SELECT ?g ?node ?class ?code (SAMPLE(?label) AS ?name) WHERE {{
          {where} {wanted[municipalities]}
          ?country pg:isoAlpha2 ?code .
          GRAPH ?g {{ ?node skos:prefLabel ?label }}
        }} GROUP BY ?g ?node ?class ?code ORDER BY ?g ?code ?name ?node
        LIMIT {int(limit)} OFFSET {int(offset)}""")
    places = [NewPlace(graphs[r["g"].value], r["name"].value if "name" in r else r["node"].value,
                       r["code"].value, r["node"].value, r["class"].value) for r in rows]
    chosen = [counts[side] for side, keep in (("municipalities", municipalities is not False),
                                              ("others", municipalities is not True)) if keep]
    return NewPlaces(places, sum(n for side in chosen for n in side.values()),
                     counts["municipalities"], counts["others"])
