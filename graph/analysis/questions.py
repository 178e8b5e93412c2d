"""What the analysis pages ask of one data version's analysis, each question
a function of the projection and plain arguments that answers plain data.

Plain both ways because the answers may come from another process
(graph.analysis.analysis_process): the projection of a large graph stays
there, and only what a page shows crosses over.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from graph.analysis.centrality import Centrality, centrality
from graph.analysis.communities import Community, communities
from graph.analysis.export import export
from graph.analysis.paths import Path, no_path_text, paths
from graph.analysis.projection import Projection
from graph.analysis.similarity import Similar
from graph.analysis.similarity import alike as alike_and_candidates
from graph.analysis.stats import Bar, statistics
from graph.views.network_query import short_key


def ranking(projection: Projection, country: str | None = None,
            limit: int | None = None) -> list[Centrality]:
    """The centrality ranking, of one country's municipalities when asked."""
    rows = centrality(projection)
    if country:
        rows = [r for r in rows if r.country and short_key(r.country) == country]
    return rows[:limit]


def countries(projection: Projection) -> list[tuple[str, str, int]]:
    """(code, name, municipalities ranked) for the country filter."""
    def build():
        counts: dict[str, list] = {}
        for row in centrality(projection):
            if row.country:
                entry = counts.setdefault(short_key(row.country), [row.country_label or "", 0])
                entry[1] += 1
        return sorted(((code, name, n) for code, (name, n) in counts.items()),
                      key=lambda c: c[1].casefold())
    return projection.memoised("countries ranked", build)


def community_list(projection: Projection) -> list[Community]:
    return communities(projection)


def statistic_bars(projection: Projection) -> dict[str, list[Bar]]:
    return statistics(projection)


def municipality_names(projection: Projection, most: int = 2000) -> list[str]:
    """Names for the forms' suggestion lists: those of the municipalities
    with the most partners. By degree alone: every municipality page shows
    this list, and full centrality (betweenness) takes the better part of a
    minute on the world-wide twin-town graph."""
    def names() -> list[str]:
        graph = projection.municipalities
        ranked = sorted((n for n, d in graph.degree() if d > 0),
                        key=lambda n: (-graph.degree(n), projection.label(n).casefold(), n))
        return sorted({projection.label(n) for n in ranked[:most]}, key=str.casefold)
    return projection.memoised(("names", most), names)


def resolve(projection: Projection, asked: str) -> str | None:
    """An entity of the graph from an IRI or, failing that, a municipality's
    name (case and accents ignored), as the resource page's form sends it."""
    asked = asked.strip()
    if not asked:
        return None
    if asked in projection.entities:
        return asked
    wanted = _plain(asked)
    by_name = projection.memoised("municipalities by name", lambda: _by_name(projection))
    return by_name.get(wanted)


def _by_name(projection: Projection) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in sorted(projection.municipalities):
        found.setdefault(_plain(projection.label(node)), node)
    return found


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def labels(projection: Projection, iris: list[str]) -> dict[str, str]:
    return {iri: projection.label(iri) for iri in iris}


def connections(projection: Projection, source: str, target: str) -> tuple[list[Path], str | None]:
    """The cheapest paths between two entities, or the sentence saying there are none."""
    found = paths(projection, source, target)
    return found, None if found else no_path_text(projection, source, target)


def alike(projection: Projection, iri: str, limit: int = 10) -> tuple[list[Similar], list[Similar]]:
    """The municipalities most like `iri`, and those likely to become its
    partners; kept, as a place's page is visited again and again."""
    return projection.memoised(("alike", iri, limit),
                               lambda: alike_and_candidates(projection, iri, limit))


def is_municipality(projection: Projection, iri: str) -> bool:
    return iri in projection.municipalities


def exported(projection: Projection, fmt: str) -> bytes:
    return export(projection, fmt)


QUESTIONS: dict[str, Callable[..., Any]] = {
    f.__name__: f for f in (ranking, countries, community_list, statistic_bars,
                            municipality_names, resolve, labels, connections, alike,
                            is_municipality, exported)}


class Analysis:
    """One data version's analysis as pages see it: questions by name.
    This one answers in this process; AnalysisProcess's handles answer from
    the process that holds the projection."""

    def __init__(self, projection: Projection):
        self.projection = projection

    def ask(self, question: str, *args: Any) -> Any:
        return QUESTIONS[question](self.projection, *args)
