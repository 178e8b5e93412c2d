"""What the store holds: counts by class, graphs and the data version."""
from __future__ import annotations

from dataclasses import dataclass

from graph.store.base import Store


@dataclass(frozen=True)
class StoreStats:
    triples: int
    graphs: dict[str, int]
    classes: dict[str, int]
    data_version: str
    backend: str


def store_stats(store: Store) -> StoreStats:
    rows = store.select(
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } "
        "GROUP BY ?class ORDER BY DESC(?n) ?class")
    classes = {row["class"].value: int(row["n"].value) for row in rows}
    graphs = store.graphs()
    return StoreStats(triples=sum(graphs.values()), graphs=graphs, classes=classes,
                      data_version=store.data_version, backend=store.kind)
