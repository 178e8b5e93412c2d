"""Who is central: municipalities ranked by degree (how many partners),
betweenness (how often they lie between two others) and eigenvector
centrality (partners of well-connected partners count for more), on the
municipality graph."""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.analysis.projection import Projection, country_of

# Exact betweenness grows with nodes × edges; beyond this many nodes it is
# estimated from a fixed, seeded sample of sources. Each source costs a walk
# over the whole graph, so the sample shrinks as the graph grows, keeping the
# work near that of the exact figure at the limit: 500 sources took 30 s on
# the 17,000 towns of Wikipedia's twin-town list, 130 take 8 s.
EXACT_BETWEENNESS_LIMIT = 1500
BETWEENNESS_SAMPLE = 500
MIN_BETWEENNESS_SAMPLE = 100


def betweenness_sample(nodes: int) -> int:
    """How many sources to estimate betweenness from in a graph of `nodes`."""
    budget = EXACT_BETWEENNESS_LIMIT * EXACT_BETWEENNESS_LIMIT
    return max(MIN_BETWEENNESS_SAMPLE, min(BETWEENNESS_SAMPLE, budget // nodes))


@dataclass(frozen=True)
class Centrality:
    iri: str
    label: str
    country: str | None
    country_label: str | None
    degree: int
    betweenness: float
    eigenvector: float

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def centrality(projection: Projection) -> list[Centrality]:
    """Every municipality with a partner, most partners first (ties by
    betweenness, then name)."""
    return projection.memoised("centrality", lambda: _compute(projection))


def _compute(projection: Projection) -> list[Centrality]:
    # A copy, not a view: every step through a subgraph view runs its node
    # filter, which made betweenness several times slower on a large graph.
    graph = nx.Graph(projection.municipalities.subgraph(
        [n for n, d in projection.municipalities.degree() if d > 0]))
    if graph.number_of_nodes() == 0:
        return []
    between, eigen = projection.memoised_for_all_languages("centrality scores",
                                                           lambda: _scores(graph))
    rows = []
    for node in graph:
        country = country_of(projection, node)
        rows.append(Centrality(node, projection.label(node), country,
                               projection.label(country) if country else None,
                               graph.degree(node), round(between[node], 6),
                               round(eigen.get(node, 0.0), 6)))
    rows.sort(key=lambda r: (-r.degree, -r.betweenness, r.label.casefold(), r.iri))
    return rows


def _scores(graph: nx.Graph) -> tuple[dict[str, float], dict[str, float]]:
    """Betweenness and eigenvector centrality by IRI: the costly part, the
    same in every language."""
    if graph.number_of_nodes() > EXACT_BETWEENNESS_LIMIT:
        between = nx.betweenness_centrality(
            graph, k=betweenness_sample(graph.number_of_nodes()), seed=8)
    else:
        between = nx.betweenness_centrality(graph)
    return between, _eigenvector(graph, large=graph.number_of_nodes() > EXACT_BETWEENNESS_LIMIT)


def _eigenvector(graph: nx.Graph, large: bool = False) -> dict[str, float]:
    if large:
        # Python's power iteration takes minutes on the twin-town graph's
        # thousands of small components. The leading eigenvector of the
        # sparse adjacency matrix is what it converges to, and takes a
        # second (networkx's own sparse version refuses disconnected graphs).
        import numpy as np
        from scipy.sparse.linalg import eigsh
        nodes = list(graph)
        matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, dtype=float)
        vector = np.abs(eigsh(matrix, k=1, which="LA", tol=1e-8)[1][:, 0])
        vector /= np.linalg.norm(vector) or 1.0
        return dict(zip(nodes, vector.tolist()))
    try:
        return nx.eigenvector_centrality(graph, max_iter=1000, tol=1e-8)
    except nx.PowerIterationFailedConvergence:
        # Several components of the same size of leading eigenvalue make the
        # power iteration swing; the sparse solver settles it.
        return nx.eigenvector_centrality_numpy(graph)


def top(projection: Projection, n: int = 10) -> list[Centrality]:
    return centrality(projection)[:n]
