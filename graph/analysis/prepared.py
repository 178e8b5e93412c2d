"""The analysis of one data version, with its whole-graph measures
(centrality, communities, statistics, similarity profiles) worked out at
build time, so that a page that shows them has nothing left to compute.

It goes through `store.derived`: the service builds it in the background
after each write and serves the previous one meanwhile (graph.store.derived),
and builds it in a process of its own (graph.analysis.analysis_process), so
that the web process never holds a model of the whole graph. The library and
the tests build it here, when first asked.
"""
from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass
from typing import Any

from graph.analysis.analysis_process import (
    AnalysisHandle,
    AnalysisLost,
    AnalysisProcess,
    AnalysisTooLarge,
    Source,
)
from graph.analysis.projection import load_projection
from graph.analysis.questions import Analysis
from graph.store.base import Store
from graph.store.derived import Derived
from graph.store.embedded import EmbeddedStore

_log = logging.getLogger(__name__)

_PROCESSES: weakref.WeakKeyDictionary[Store, AnalysisProcess] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Unavailable:
    """An analysis that could not be built for its data version, and why;
    the next write tries again."""
    reason: str

    def ask(self, question: str, *args: Any) -> Any:
        raise AnalysisLost(self.reason)


Built = Analysis | AnalysisHandle | Unavailable


def _key(lang: str) -> tuple[str, str]:
    return ("analysis", "sv" if lang == "sv" else "en")


def _build(store: Store, lang: str) -> Built:
    if not store.settings.derived_background:
        projection = load_projection(store, lang)
        return Analysis(projection)
    process = analysis_process(store)
    if isinstance(store, EmbeddedStore):
        snapshot = store.snapshot()
        version, source = snapshot.version, Source(snapshot.path, snapshot.graphs)
    else:
        version, source = store.data_version, Source()
    try:
        return process.build(lang, version, source)
    except AnalysisTooLarge as error:
        # Kept for this data version: building it again would only fail again.
        _log.warning("%s", error)
        return Unavailable(str(error))


def analysis_process(store: Store) -> AnalysisProcess:
    """The store's analysis process (started when first asked for)."""
    found = _PROCESSES.get(store)
    if found is None:
        found = _PROCESSES[store] = AnalysisProcess(store.settings)
        store.on_close(found.close)
    return found


def load_analysis(store: Store, lang: str) -> Built:
    """The analysis in `lang`; waits only when none has been built yet."""
    found = analysis_state(store, lang, wait=True)
    assert found is not None
    return found.value


def analysis_state(store: Store, lang: str, *, wait: bool = False) -> Derived[Built] | None:
    """The analysis with its age, never waiting unless asked to: None while
    the first one is being built. One whose process has ended since is
    built again."""
    found = store.derived_state(_key(lang), lambda: _build(store, lang), wait=wait)
    if found is not None and isinstance(found.value, AnalysisHandle) and not found.value.alive:
        store.derived_forget(_key(lang))
        found = store.derived_state(_key(lang), lambda: _build(store, lang), wait=wait)
    return found

