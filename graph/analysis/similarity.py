"""Who is alike: municipalities compared by the themes of their cooperation,
its funders and the countries of their partners, and candidate partners
among them.

A municipality's profile:
- themes: of its partnerships and of the projects and events in them or that
  it takes part in, each with its broader themes (so "Youth and democracy"
  meets "Democracy");
- funders: of its partnerships, directly or through a programme, and those it
  names as its common funders;
- partner countries: the countries of its partners.
Two profiles are compared facet by facet with Jaccard's index (shared over
all), and the facets averaged with themes counting double, over the facets
that either has at all; a facet neither has says nothing either way.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from graph.analysis.projection import Projection, country_of, partners
from graph.analysis.words import word
from graph.rdf.namespaces import ORG, PG

FACETS = {"themes": 2.0, "funders": 1.0, "countries": 1.0}
_REASON = {"themes": "shared_themes", "funders": "shared_funders", "countries": "shared_countries"}
_ACTIVITY = ("partnership", "project", "event")


@dataclass
class Profile:
    themes: set[str] = field(default_factory=set)
    funders: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Similar:
    iri: str
    label: str
    score: float
    shared: dict[str, list[str]]   # facet -> labels shared
    reason: str
    partner: bool

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def profiles(projection: Projection) -> dict[str, Profile]:
    return projection.memoised("profiles", lambda: _profiles(projection))


def _profiles(projection: Projection) -> dict[str, Profile]:
    model, graph = projection.model, projection.model.graph
    member, programme, funded = str(ORG.hasMember), str(PG.fundingProgramme), str(PG.fundedBy)
    theme_props = {str(PG.theme), str(PG.priorityArea)}
    broader = _broader_closure(model.broader)
    activity_themes: dict[str, set[str]] = {}
    activity_funders: dict[str, set[str]] = {}
    for node, data in graph.nodes(data=True):
        if data["cls"] not in _ACTIVITY:
            continue
        themes, funders = set(), set()
        for _, o, k in graph.out_edges(node, keys=True):
            if k in theme_props:
                themes |= broader.get(o, {o})
            elif k == funded:
                funders.add(o)
            elif k == programme:
                funders.update(f for _, f, k2 in graph.out_edges(o, keys=True) if k2 == funded)
        activity_themes[node], activity_funders[node] = themes, funders
    # Projects and events bring their themes to their partnerships.
    for node in activity_themes:
        for _, o, k in graph.out_edges(node, keys=True):
            if k == str(PG.partnership) and o in activity_themes:
                activity_themes[o] |= activity_themes[node]

    result: dict[str, Profile] = {}
    for m in projection.municipalities:
        p = result[m] = Profile()
        for activity, _, k in graph.in_edges(m, keys=True):
            if activity not in activity_themes:
                continue
            if k == member or k in (str(PG.participant), str(PG.host)):
                p.themes |= activity_themes[activity]
                p.funders |= activity_funders[activity]
        p.funders.update(o for _, o, k in graph.out_edges(m, keys=True)
                         if k == str(PG.commonFunder))
        p.countries = {c for c in (country_of(projection, x) for x in partners(projection, m)) if c}
    return result


def _broader_closure(broader: dict[str, set[str]]) -> dict[str, set[str]]:
    closure: dict[str, set[str]] = {}

    def up(theme: str, seen: frozenset) -> set[str]:
        found = {theme}
        for b in broader.get(theme, ()):
            if b not in seen:
                found |= up(b, seen | {theme})
        return found

    for theme in broader:
        closure[theme] = up(theme, frozenset())
    return closure


def similar(projection: Projection, iri: str, limit: int = 10) -> list[Similar]:
    """Municipalities most like `iri`, best first; those sharing nothing are left out."""
    return alike(projection, iri, limit)[0]


def candidate_partners(projection: Projection, iri: str, limit: int = 10) -> list[Similar]:
    """Municipalities alike in profile that are not yet partners of `iri`, in
    another country than it (twinning and partnerships cross borders)."""
    return alike(projection, iri, limit)[1]


def alike(projection: Projection, iri: str, limit: int = 10) -> tuple[list[Similar], list[Similar]]:
    """similar() and candidate_partners() from one ranking. Everything that
    shares a theme or a country with `iri` is scored (tens of thousands in a
    large graph); only the few shown are described, which costs far more
    than scoring."""
    ranked = _ranked(projection, iri)
    theirs = partners(projection, iri)
    home = country_of(projection, iri)

    def described(entry) -> Similar:
        score, _, other, shared = entry
        return Similar(other, projection.label(other), -score,
                       {f: sorted((projection.label(v) for v in vs), key=str.casefold)
                        for f, vs in shared.items() if vs},
                       _reason(projection, shared), other in theirs)

    most_alike = [described(entry) for entry in ranked[:limit]]
    candidates: list[Similar] = []
    for entry in ranked:
        if len(candidates) == limit:
            break
        other = entry[2]
        if other not in theirs and (home is None or country_of(projection, other) != home):
            candidates.append(described(entry))
    return most_alike, candidates


def _ranked(projection: Projection, iri: str) -> list[tuple[float, str, str, dict[str, set[str]]]]:
    """(minus the score, the name folded, the IRI, what is shared) of every
    municipality sharing something with `iri`, best first; ties by name."""
    all_profiles = profiles(projection)
    mine = all_profiles.get(iri)
    if mine is None:
        return []
    index = similarity_index(projection)
    candidates: set[str] = set()
    for facet in FACETS:
        for value in getattr(mine, facet):
            candidates |= index[facet].get(value, set())
    candidates.discard(iri)
    ranked = []
    for other in candidates:
        score, shared = _compare(mine, all_profiles[other])
        if score > 0:
            ranked.append((-round(score, 4), projection.label(other).casefold(), other, shared))
    ranked.sort(key=lambda entry: entry[:3])
    return ranked


def _compare(a: Profile, b: Profile) -> tuple[float, dict[str, set[str]]]:
    total = weight = 0.0
    shared = {}
    for facet, w in FACETS.items():
        x, y = getattr(a, facet), getattr(b, facet)
        union = x | y
        if not union:
            continue
        shared[facet] = x & y
        total += w * len(shared[facet]) / len(union)
        weight += w
    return (total / weight if weight else 0.0), shared


def _reason(projection: Projection, shared: dict[str, set[str]], most: int = 4) -> str:
    parts = []
    for facet, values in shared.items():
        if values:
            names = sorted((projection.label(v) for v in values), key=str.casefold)
            shown = ", ".join(names[:most]) + (" …" if len(names) > most else "")
            parts.append(word(_REASON[facet], projection.lang, items=shown))
    return "; ".join(parts)


def similarity_index(projection: Projection) -> dict[str, dict[str, set[str]]]:
    def build():
        index: dict[str, dict[str, set[str]]] = {f: defaultdict(set) for f in FACETS}
        for m, p in profiles(projection).items():
            for facet in FACETS:
                for value in getattr(p, facet):
                    index[facet][value].add(m)
        return index
    return projection.memoised("similarity-index", build)
