"""The merges and kept-apart names of the latest load of each data set
(graph/ingest/merge_records.py), with the stewards' decisions on them: what
`partnergraph merges` prints and /admin/merges shows."""
from __future__ import annotations

from dataclasses import dataclass

from graph.errors import PartnergraphError
from graph.ingest import datasets
from graph.ingest import decisions as merge_decisions
from graph.store.base import Store

MERGED, KEPT_APART = "merged", "kept apart"


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

    @property
    def pending(self) -> bool:
        return self.decision is None

    def text(self) -> str:
        state = "pending" if self.decision is None else (
            ("confirmed" if self.decision.same else "rejected")
            + f" by {self.decision.agent} at {self.decision.time}")
        arrow = "->" if self.kind == MERGED else "kept apart from"
        return (f"{self.name!r} ({self.country}) {arrow} <{self.node}> {self.node_label!r}: "
                f"{self.reason}; {self.detail} [{state}]")


def merges(store: Store, dataset: str | None = None, *, pending: bool = False) -> list[MergeEntry]:
    """The entries of data set `dataset` (of every loaded one if None), or
    only those no steward has decided on with `pending`, by data set, name
    and node."""
    graphs = {d.graph(store.base_iri): d.name for d in datasets.available()}
    if dataset is not None:
        graphs = {graph: name for graph, name in graphs.items() if name == datasets.get(dataset).name}
    if not graphs:
        raise PartnergraphError("No data set to list.")
    decided = merge_decisions.read(store)
    values = " ".join(f"<{graph}>" for graph in graphs)
    rows = store.select(f"""
        SELECT ?g ?type ?name ?code ?node ?reason ?detail (SAMPLE(?label) AS ?nodeLabel) WHERE {{
          VALUES ?g {{ {values} }}
          GRAPH ?g {{
            ?r a ?type ; pg:nameGiven ?name ; pg:nameCountry ?country ; pg:matchedNode ?node ;
               pg:mergeReason ?reason .
            OPTIONAL {{ ?r rdfs:comment ?detail }}
            FILTER (?type IN (pg:NameMerge, pg:NameKeptApart))
          }}
          ?country pg:isoAlpha2 ?code .
          OPTIONAL {{ ?node skos:prefLabel ?label FILTER (LANG(?label) IN ("en", "sv", "")) }}
        }} GROUP BY ?g ?type ?name ?code ?node ?reason ?detail""")
    found = []
    for row in rows:
        name, code, node = row["name"].value, row["code"].value, row["node"].value
        entry = MergeEntry(
            graphs[row["g"].value], MERGED if row["type"].value.endswith("NameMerge") else KEPT_APART,
            name, code, node, row["nodeLabel"].value if "nodeLabel" in row else node,
            row["reason"].value, row["detail"].value if "detail" in row else "",
            decided.about(name, code, node))
        if not pending or entry.pending:
            found.append(entry)
    return sorted(found, key=lambda e: (e.dataset, e.name, e.country, e.node))
