"""How many partnerships there are per country (of a member), theme (of the
partnership or of its projects and events), funder (directly or through a
programme), kind and start decade (of its earliest date)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from graph.analysis.projection import Projection
from graph.analysis.words import word
from graph.rdf.namespaces import ORG, PG

BREAKDOWNS = ("country", "theme", "funder", "kind", "decade")


@dataclass(frozen=True)
class Bar:
    key: str     # an IRI, or a decade such as "1990s"
    label: str
    count: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def statistics(projection: Projection) -> dict[str, list[Bar]]:
    return projection.memoised("statistics", lambda: _compute(projection))


def _compute(projection: Projection) -> dict[str, list[Bar]]:
    graph = projection.model.graph
    counts: dict[str, Counter[str]] = {name: Counter() for name in BREAKDOWNS}
    themes_of = _activity_themes(projection)
    funded, programme = str(PG.fundedBy), str(PG.fundingProgramme)
    unknown = "unknown"
    for node, data in graph.nodes(data=True):
        if data["cls"] != "partnership":
            continue
        countries: set[str] = set()
        funders: set[str] = set()
        for _, o, k in graph.out_edges(node, keys=True):
            if k == str(ORG.hasMember):
                countries.update(c for _, c, k2 in graph.out_edges(o, keys=True) if k2 == str(PG.country))
            elif k == funded:
                funders.add(o)
            elif k == programme:
                funders.update(f for _, f, k2 in graph.out_edges(o, keys=True) if k2 == funded)
        counts["country"].update(countries)
        counts["funder"].update(funders)
        counts["theme"].update(themes_of.get(node, set()))
        counts["kind"][data.get("kind") or unknown] += 1
        years = sorted(d[:4] for d in data["dates"] if d[:4].isdigit())
        counts["decade"][f"{years[0][:3]}0s" if years else unknown] += 1
    result = {}
    for name, counter in counts.items():
        bars = [Bar(key, _label(projection, key, unknown), n) for key, n in counter.items()]
        if name == "decade":
            bars.sort(key=lambda b: (b.key == unknown, b.key))
        else:
            bars.sort(key=lambda b: (-b.count, b.label.casefold()))
        result[name] = bars
    return result


def _label(projection: Projection, key: str, unknown: str) -> str:
    if key == unknown:
        return word("unknown", projection.lang)
    if key.endswith("0s") and key[:4].isdigit():
        return key if projection.lang == "en" else key[:4] + "-talet"
    return projection.label(key)


def _activity_themes(projection: Projection) -> dict[str, set[str]]:
    """Each partnership's themes, its projects' and events' included."""
    graph = projection.model.graph
    props = {str(PG.theme), str(PG.priorityArea)}
    themes: dict[str, set[str]] = {}
    for node, data in graph.nodes(data=True):
        if data["cls"] not in ("partnership", "project", "event"):
            continue
        own = {o for _, o, k in graph.out_edges(node, keys=True) if k in props}
        targets = [node] if data["cls"] == "partnership" else \
            [o for _, o, k in graph.out_edges(node, keys=True) if k == str(PG.partnership)]
        for target in targets:
            themes.setdefault(target, set()).update(own)
    return themes
