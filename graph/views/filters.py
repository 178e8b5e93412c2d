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

What each activity has comes from a few queries, once per data version, kept
as an index from each facet's values to the activities that have them (small
numbers, not a model of the graph); matching is set arithmetic on it.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace

from graph.store.base import Store
from graph.store.derived import Derived
from graph.views.labels import labels
from graph.views.network_query import short_key

FACETS = ("country", "theme", "funder", "kind", "status")


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


@dataclass
class ActivityIndex:
    """Every activity (by number) and, per facet, which activities have
    each value (by short key); one per data version, without labels."""
    activities: list[str]
    by_facet: dict[str, dict[str, frozenset[int]]]
    by_year: dict[int, frozenset[int]]
    iris: dict[str, str]  # short key -> IRI
    broader: dict[str, tuple[str, ...]]  # theme IRI -> its broader themes
    # How much each activity has to show (themes, funders, dates): the
    # richest are drawn first when a view cannot hold them all.
    richness: list[int]

    @property
    def everything(self) -> frozenset[int]:
        return frozenset(range(len(self.activities)))


_KEY = ("network", "activity index")


def activity_index(store: Store) -> ActivityIndex:
    """The index of this data version (waits only when there is none yet)."""
    return store.derived(_KEY, lambda: _build(store))


def index_state(store: Store) -> Derived[ActivityIndex] | None:
    """The index with its age, never waiting in the background mode: None
    while the first one is being built (and then its build is under way)."""
    return store.derived_state(_KEY, lambda: _build(store))


# (facet, pattern binding ?a and ?v): what an activity has of its own.
_OWN = [
    ("kind", "?a pg:kind ?v"), ("status", "?a pg:status ?v"),
    ("date", "?a pg:date ?v"), ("date", "?a pg:startDate ?v"), ("date", "?a pg:endDate ?v"),
    ("date", "?a dcterms:date ?v"),
    ("theme", "?a pg:theme ?v"), ("theme", "?a pg:priorityArea ?v"),
    ("funder", "?a pg:fundedBy ?v"),
    ("funder", "?a pg:fundingProgramme ?programme . ?programme pg:fundedBy ?v"),
    ("part", "?a ?link ?v . ?v a pg:Partnership FILTER(?a != ?v)"),
    ("country", "?a org:hasMember|pg:participant|pg:host|pg:location ?m . ?m pg:country ?v"),
]


def _build(store: Store) -> ActivityIndex:
    # Sorted here: Oxigraph's ORDER BY took four times the query's own time
    # (4.7 s against 0.9 s at 1 M triples).
    ids = {iri: i for i, iri in enumerate(sorted({row["a"].value for row in store.select_rows("""
            SELECT DISTINCT ?a WHERE { VALUES ?c { pg:Partnership pg:Project pg:Event } ?a a ?c }""")}))}
    has: dict[str, list[set[str]]] = {f: [set() for _ in ids] for f in
                                       FACETS + ("date", "part")}
    for facet, pattern in _OWN:
        for row in store.select_rows(f"SELECT DISTINCT ?a ?v WHERE {{ {pattern} }}"):
            i = ids.get(row["a"].value)
            if i is not None:
                # A facet's values are few (kinds, countries, themes) and
                # each row brings a new string of one.
                has[facet][i].add(sys.intern(row["v"].value))
    broader: dict[str, set[str]] = {}
    for row in store.select("SELECT ?t ?b WHERE { ?t skos:broader ?b }"):
        broader.setdefault(row["t"].value, set()).add(row["b"].value)
    # A project or event counts its partnership's funders, countries and
    # kind; a partnership counts the themes of its projects and events.
    for i, parts in enumerate(has["part"]):
        for part in parts:
            j = ids.get(part)
            if j is None:
                continue
            for facet in ("funder", "country", "kind"):
                has[facet][i] |= has[facet][j]
            has["theme"][j] |= has["theme"][i]
    closure = _broader_closure(broader)
    has["theme"] = [{b for t in themes for b in closure.get(t, {t})} for themes in has["theme"]]
    iris: dict[str, str] = {}
    by_facet: dict[str, dict[str, frozenset[int]]] = {}
    for facet in FACETS:
        inverted: dict[str, set[int]] = {}
        for i, values in enumerate(has[facet]):
            for v in values:
                key = short_key(v)
                iris.setdefault(key, v)
                inverted.setdefault(key, set()).add(i)
        by_facet[facet] = {k: frozenset(v) for k, v in inverted.items()}
    by_year: dict[int, set[int]] = {}
    for i, dates in enumerate(has["date"]):
        for d in dates:
            if d[:4].isdigit():
                by_year.setdefault(int(d[:4]), set()).add(i)
    for theme, ups in broader.items():
        for t in (theme, *ups):
            iris.setdefault(short_key(t), t)
    richness = [len(has["theme"][i]) + len(has["funder"][i]) + len(has["date"][i])
                for i in range(len(ids))]
    return ActivityIndex(list(ids), by_facet, {y: frozenset(v) for y, v in by_year.items()},
                         iris, {t: tuple(sorted(b)) for t, b in broader.items()}, richness)


def _broader_closure(broader: dict[str, set[str]]) -> dict[str, set[str]]:
    """Each theme with all its broader themes, itself included."""
    closure: dict[str, set[str]] = {}

    def up(theme: str, seen: frozenset = frozenset()) -> set[str]:
        if theme in closure:
            return closure[theme]
        found = {theme}
        for b in broader.get(theme, ()):
            if b not in seen:
                found |= up(b, seen | {theme})
        closure[theme] = found
        return found

    for theme in list(broader):
        up(theme)
    return closure


def _matching(index: ActivityIndex, filters: Filters, skip: str | None = None) -> frozenset[int]:
    found = index.everything
    for facet in FACETS:
        wanted = getattr(filters, facet)
        if facet != skip and wanted:
            values = index.by_facet[facet]
            found = found & frozenset().union(*(values.get(w, frozenset()) for w in wanted))
    if skip != "years" and (filters.year_from is not None or filters.year_to is not None):
        low = filters.year_from if filters.year_from is not None else -10**6
        high = filters.year_to if filters.year_to is not None else 10**6
        found = found & frozenset().union(*(ids for y, ids in index.by_year.items()
                                            if low <= y <= high))
    return found


def chosen(store: Store, filters: Filters) -> tuple[list[str], int]:
    """The activities `filters` chooses, the richest first, and how many."""
    index = activity_index(store)
    found = _matching(index, filters)
    ranked = sorted(found, key=lambda i: (-index.richness[i], index.activities[i]))
    return [index.activities[i] for i in ranked], len(found)


def facets(store: Store, filters: Filters, lang: str) -> Facets:
    """Every facet's options with counts, for the filter controls."""
    index = activity_index(store)
    result = Facets(activities=len(index.activities))
    result.matching = len(_matching(index, filters))
    keys = {k for values in index.by_facet.values() for k in values}
    names = labels(store, [index.iris[k] for k in keys], lang)
    for facet in FACETS:
        base = _matching(index, filters, skip=facet)
        options = [Option(key, index.iris[key], names[index.iris[key]], len(base & ids))
                   for key, ids in index.by_facet[facet].items()]
        if facet == "theme":
            options = _theme_tree(index, options)
        else:
            options.sort(key=lambda o: o.label.casefold())
        result.options[facet] = options
    years = sorted(index.by_year)
    result.years = (years[0], years[-1]) if years else None
    return result


def _theme_tree(index: ActivityIndex, options: list[Option]) -> list[Option]:
    """Themes in the order of their hierarchy, narrower ones under broader ones
    (a theme with two broader ones goes under the first by label)."""
    by_key = {o.key: o for o in options}
    parent = {}
    for o in options:
        ups = sorted((short_key(b) for b in index.broader.get(o.iri, ()) if short_key(b) in by_key),
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
