"""Filtering the network the way a coordinator asks: by country, theme,
funder, kind of partnership, status and period.

A filter chooses activities (partnerships, projects, events); the view keeps
the chosen activities and what they connect (municipalities, themes, funders,
programmes, and the countries of those municipalities), never an activity that
was not chosen. Within a facet the values are alternatives; facets combine.

What an activity counts as having:
- theme: its own themes and priority areas, and for a partnership also the
  themes of its projects and events (as the competency question "themes of a
  partnership" has it); a theme matches its narrower themes, so "Demokrati"
  takes in "Ungdom och demokrati".
- funder: its own funders, directly or through a funding programme, and for a
  project or event those of its partnership.
- country and kind: for a project or event, also those of its partnership.
- status: only its own.
- period: the years of its dates (date, start, end); activities without a date
  drop out once a period is asked for.

Each facet's options carry counts: how many activities would match with that
option and the other facets as they are.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from graph.rdf.namespaces import PG
from graph.views.network import ACTIVITIES, NetworkModel, View, members

FACETS = ("country", "theme", "funder", "kind", "status")
_THEME_PROPS = {str(PG.theme), str(PG.priorityArea)}


@dataclass(frozen=True)
class Filters:
    country: frozenset[str] = frozenset()
    theme: frozenset[str] = frozenset()
    funder: frozenset[str] = frozenset()
    kind: frozenset[str] = frozenset()
    status: frozenset[str] = frozenset()
    year_from: int | None = None
    year_to: int | None = None

    @property
    def active(self) -> bool:
        return any(getattr(self, f) for f in FACETS) or self.year_from is not None \
            or self.year_to is not None


@dataclass(frozen=True)
class Option:
    key: str
    iri: str
    label: str
    count: int
    depth: int = 0


@dataclass
class Facets:
    options: dict[str, list[Option]] = field(default_factory=dict)
    years: tuple[int, int] | None = None
    matching: int = 0
    activities: int = 0


def short_key(iri: str) -> str:
    """The part of an IRI a filter in a URL names it by (its last segment)."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass
class _Profile:
    """What one activity has, as the short keys filters use."""
    country: set[str] = field(default_factory=set)
    theme: set[str] = field(default_factory=set)
    funder: set[str] = field(default_factory=set)
    kind: set[str] = field(default_factory=set)
    status: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)


def profiles(model: NetworkModel) -> dict[str, _Profile]:
    """What each activity has, worked out once per model (a model is one
    data version): on the twin-town graph this took seconds, and /explore
    and every filtered view asked for it anew. Callers only read it."""
    if model.filter_profiles is None:
        model.filter_profiles = _profiles(model)
    return model.filter_profiles


def _profiles(model: NetworkModel) -> dict[str, _Profile]:
    graph = model.graph
    own: dict[str, _Profile] = {}
    partnerships_of: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        if data["cls"] not in ACTIVITIES:
            continue
        p = own[node] = _Profile()
        if data.get("kind"):
            p.kind.add(data["kind"])
        if data.get("status"):
            p.status.add(data["status"])
        p.years = {int(d[:4]) for d in data["dates"] if d[:4].isdigit()}
        for _, o, k in graph.out_edges(node, keys=True):
            cls = graph.nodes[o]["cls"]
            if k in _THEME_PROPS:
                p.theme.add(o)
            elif k == str(PG.fundedBy):
                p.funder.add(o)
            elif k == str(PG.fundingProgramme):
                p.funder.update(f for _, f, k2 in graph.out_edges(o, keys=True)
                                if k2 == str(PG.fundedBy))
            elif cls == "partnership":
                partnerships_of.setdefault(node, []).append(o)
            elif cls == "municipality":
                p.country.update(_countries(graph, [o]))
        if data["cls"] == "partnership":
            p.country.update(_countries(graph, members(model, node)))
    for activity, partnerships in partnerships_of.items():
        for partnership in partnerships:
            theirs = own.get(partnership)
            if theirs is None:
                continue
            mine = own[activity]
            mine.funder |= theirs.funder
            mine.country |= theirs.country
            mine.kind |= theirs.kind
            theirs.theme |= mine.theme
    closure = _broader_closure(model)
    for p in own.values():
        p.theme = {short_key(t) for th in p.theme for t in closure.get(th, {th})}
        for name in ("country", "funder", "kind", "status"):
            setattr(p, name, {short_key(v) for v in getattr(p, name)})
    return own


def _countries(graph, municipalities) -> set[str]:
    return {o for m in municipalities for _, o, k in graph.out_edges(m, keys=True)
            if k == str(PG.country)}


def _broader_closure(model: NetworkModel) -> dict[str, set[str]]:
    """Each theme with all its broader themes, itself included."""
    closure: dict[str, set[str]] = {}

    def up(theme: str, seen: frozenset = frozenset()) -> set[str]:
        if theme in closure:
            return closure[theme]
        found = {theme}
        for b in model.broader.get(theme, ()):
            if b not in seen:
                found |= up(b, seen | {theme})
        closure[theme] = found
        return found

    for theme in list(model.broader):
        up(theme)
    return closure


def _matches(p: _Profile, filters: Filters, skip: str | None = None) -> bool:
    for facet in FACETS:
        wanted = getattr(filters, facet)
        if facet != skip and wanted and not (getattr(p, facet) & wanted):
            return False
    if skip != "years" and (filters.year_from is not None or filters.year_to is not None):
        low = filters.year_from if filters.year_from is not None else -10**6
        high = filters.year_to if filters.year_to is not None else 10**6
        if not any(low <= y <= high for y in p.years):
            return False
    return True


def apply(model: NetworkModel, filters: Filters) -> View:
    """The view that `filters` chooses (the whole network when none is set)."""
    graph = model.graph
    if not filters.active:
        return View(graph, total_nodes=graph.number_of_nodes())
    chosen = {a for a, p in profiles(model).items() if _matches(p, filters)}
    keep = set(chosen)
    for activity in chosen:
        keep.update(n for n in _neighbours(graph, activity)
                    if graph.nodes[n]["cls"] not in ACTIVITIES)
    keep.update(_countries(graph, [n for n in keep if graph.nodes[n]["cls"] == "municipality"]))
    sub = graph.subgraph(keep).copy()
    return View(sub, total_nodes=sub.number_of_nodes())


def _neighbours(graph, node):
    yield from graph.successors(node)
    yield from graph.predecessors(node)


def facets(model: NetworkModel, filters: Filters) -> Facets:
    """Every facet's options with counts, for the filter controls."""
    all_profiles = profiles(model)
    result = Facets(activities=len(all_profiles))
    result.matching = sum(_matches(p, filters) for p in all_profiles.values())
    iris = {short_key(n): n for n in model.graph}
    iris.update({short_key(d[a]): d[a] for _, d in model.graph.nodes(data=True)
                 for a in ("kind", "status") if d.get(a)})
    iris.update({short_key(t): t for t in model.broader})
    iris.update({short_key(t): t for ts in model.broader.values() for t in ts})
    for facet in FACETS:
        counts: dict[str, int] = {}
        for p in all_profiles.values():
            if _matches(p, filters, skip=facet):
                for value in getattr(p, facet):
                    counts[value] = counts.get(value, 0) + 1
        present = {v for p in all_profiles.values() for v in getattr(p, facet)}
        options = [Option(key, iris.get(key, key), model.label(iris.get(key, key)),
                          counts.get(key, 0)) for key in present]
        if facet == "theme":
            options = _theme_tree(model, options, iris)
        else:
            options.sort(key=lambda o: o.label.casefold())
        result.options[facet] = options
    years = sorted({y for p in all_profiles.values() for y in p.years})
    result.years = (years[0], years[-1]) if years else None
    return result


def _theme_tree(model: NetworkModel, options: list[Option], iris) -> list[Option]:
    """Themes in the order of their hierarchy, narrower ones under broader ones
    (a theme with two broader ones goes under the first by label)."""
    by_key = {o.key: o for o in options}
    parent = {}
    for o in options:
        ups = sorted((short_key(b) for b in model.broader.get(o.iri, ()) if short_key(b) in by_key),
                     key=lambda k: by_key[k].label.casefold())
        parent[o.key] = ups[0] if ups else None
    ordered: list[Option] = []

    def walk(key: str | None, depth: int) -> None:
        children = sorted((o for o in options if parent[o.key] == key),
                          key=lambda o: o.label.casefold())
        for child in children:
            ordered.append(replace(child, depth=depth))
            walk(child.key, depth + 1)

    walk(None, 0)
    return ordered


def parse(args) -> Filters:
    """Filters from a query string (a werkzeug MultiDict or a dict of lists):
    repeated `country`, `theme`, `funder`, `kind`, `status`; `from`, `to` years."""
    def values(name):
        got = args.getlist(name) if hasattr(args, "getlist") else args.get(name, [])
        return frozenset(v.strip() for v in got if v and v.strip())

    def year(name):
        raw = args.get(name)
        raw = raw[0] if isinstance(raw, list) and raw else raw
        try:
            return int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            return None

    return Filters(**{f: values(f) for f in FACETS},
                   year_from=year("from"), year_to=year("to"))
