"""The analysis of one data version, with its whole-graph measures
(centrality, communities, statistics, similarity profiles) worked out at
build time, so that a page that shows them has nothing left to compute.

It goes through `store.derived`: the service builds it in the background
after each write and serves the previous one meanwhile (graph.store.derived).
"""
from __future__ import annotations

from graph.analysis.centrality import centrality
from graph.analysis.communities import communities
from graph.analysis.projection import Projection, load_projection
from graph.analysis.similarity import similarity_index
from graph.analysis.stats import statistics
from graph.store.base import Store
from graph.store.derived import Derived


def _key(lang: str) -> tuple[str, str]:
    return ("analysis", "sv" if lang == "sv" else "en")


def _build(store: Store, lang: str) -> Projection:
    projection = load_projection(store, lang)
    if store.settings.derived_background:
        # Built where nobody waits for it: worked out now, not by the first
        # page that shows one of them. Built in a request, each measure waits
        # for the page that needs it.
        for measure in (centrality, communities, statistics, similarity_index):
            measure(projection)
    return projection


def load_analysis(store: Store, lang: str) -> Projection:
    """The analysis in `lang`; waits only when none has been built yet."""
    return store.derived(_key(lang), lambda: _build(store, lang))


def analysis_state(store: Store, lang: str) -> Derived[Projection] | None:
    """The analysis with its age, never waiting: None while the first one
    is being built."""
    return store.derived_state(_key(lang), lambda: _build(store, lang))
