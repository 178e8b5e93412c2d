"""What the home page tells: how many of each main kind of resource the
graph holds, and the sources the facts come from."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pyoxigraph import NamedNode
from rdflib.namespace import ORG

from graph.rdf.namespaces import PG
from graph.store.base import Store
from graph.store.derived import Derived
from graph.views.labels import labels

# The classes a visitor counts, in the order they are shown.
MAIN_CLASSES = [PG.Municipality, PG.Partnership, PG.Project, PG.Event,
                PG.Theme, PG.Funder, PG.Country, PG.Source]


@dataclass(frozen=True)
class ClassCount:
    iri: str
    label: str
    count: int


@dataclass(frozen=True)
class SourceSummary:
    iri: str
    graph: str
    title: str
    publisher: str | None
    issued: str | None


@dataclass(frozen=True)
class Overview:
    """All of the home page's whole-graph figures, worked out together."""
    counts: list[ClassCount]
    sources: list[SourceSummary]
    municipalities: PlaceList
    graphs: dict[str, int]  # triples per named graph


def overview(store: Store, lang: str) -> Derived[Overview] | None:
    """The overview in `lang` with its age: the previous data version's while
    the new one is built in the background (graph.store.derived), None while
    there is none yet and its build is under way (in the waiting mode it is
    built here)."""
    return store.derived_state(*_overview(store, lang))


def start_overview(store: Store, lang: str) -> None:
    """Have the overview in `lang` built in the background, if it is not there yet."""
    store.derived_state(*_overview(store, lang))


def _overview(store: Store, lang: str) -> tuple[tuple[str, str], Callable[[], Overview]]:
    lang = _lang(lang)
    return ("overview", lang), lambda: Overview(class_counts(store, lang), sources(store, lang),
                                                municipalities(store, lang), store.graphs())


def class_counts(store: Store, lang: str) -> list[ClassCount]:
    values = " ".join(f"<{c}>" for c in MAIN_CLASSES)
    rows = store.select(f"""
        SELECT ?class (SAMPLE(?l) AS ?label) (SAMPLE(?count) AS ?n) WHERE {{
          VALUES ?class {{ {values} }}
          # Counted apart from the labels: joined with them, every instance
          # was paired with every label before counting (seconds on a large graph).
          OPTIONAL {{ {{ SELECT ?class (COUNT(DISTINCT ?s) AS ?count) WHERE {{ ?s a ?class }}
                        GROUP BY ?class }} }}
          OPTIONAL {{ ?class rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "{_lang(lang)}")) }}
        }} GROUP BY ?class""")
    by_class = {row["class"].value: row for row in rows}
    counts = []
    for cls in MAIN_CLASSES:
        row = by_class.get(str(cls), {})
        label = row["label"].value if "label" in row else str(cls).rsplit("#", 1)[-1]
        counts.append(ClassCount(str(cls), label, int(row["n"].value) if "n" in row else 0))
    return counts


def sources(store: Store, lang: str) -> list[SourceSummary]:
    rows = store.select(f"""
        SELECT ?source ?graph (SAMPLE(?t) AS ?title) (SAMPLE(?pl) AS ?publisher)
               (SAMPLE(?d) AS ?issued) WHERE {{
          GRAPH ?graph {{ ?graph prov:wasDerivedFrom ?source }}
          ?source dcterms:title ?t .
          OPTIONAL {{ ?source dcterms:publisher ?p .
                     ?p skos:prefLabel ?pl FILTER(LANGMATCHES(LANG(?pl), "{_lang(lang)}")) }}
          OPTIONAL {{ ?source dcterms:issued ?d }}
        }} GROUP BY ?source ?graph ORDER BY ?title""")
    return [SourceSummary(iri=r["source"].value, graph=r["graph"].value,
                          title=r["title"].value,
                          publisher=r["publisher"].value if "publisher" in r else None,
                          issued=r["issued"].value if "issued" in r else None)
            for r in rows]


def _lang(lang: str) -> str:
    return "sv" if lang == "sv" else "en"


@dataclass(frozen=True)
class Place:
    iri: str
    label: str
    country: str | None


@dataclass(frozen=True)
class PlaceList:
    places: list[Place]
    total: int            # municipalities in the graph, listed or not
    others: int = 0       # listed places from outside Sweden, when not all are listed
    swedish_unlisted: int = 0  # Swedish municipalities left out, when there are too many

    @property
    def hidden(self) -> int:
        return self.total - len(self.places)

    @property
    def swedish(self) -> int:
        return len(self.places) - self.others

    def __iter__(self):
        return iter(self.places)


# Places from outside Sweden listed on the home page. With a world-wide data
# set there are tens of thousands: the most connected are listed, and search
# finds the rest.
OTHER_PLACES = 100
# Swedish municipalities listed on the home page: all of them (Sweden has
# 290), unless a graph holds more than real data ever will; then the most
# connected, and search finds the rest.
SWEDISH_PLACES = 400


def municipalities(store: Store, lang: str, others: int = OTHER_PLACES,
                   swedish_bound: int | None = None) -> PlaceList:
    """Every Swedish municipality (or the `swedish_bound` with the most
    partnerships, when there are more), and the other municipalities (all of
    them, or the `others` with the most partnerships), for a reader who starts
    from a place they know; Swedish ones first."""
    swedish_bound = SWEDISH_PLACES if swedish_bound is None else swedish_bound
    total = _count(store, f"?m a <{PG.Municipality}>")
    sweden = [r["c"].value for r in store.select(
        f'SELECT DISTINCT ?c WHERE {{ ?c <{PG.isoAlpha2}> "SE" }}')]
    in_sweden = " UNION ".join(f"{{ ?m <{PG.country}> <{c}> }}" for c in sweden) or "FILTER(false)"
    swedish_total = _count(store, f"?m a <{PG.Municipality}> {{ {in_sweden} }}")
    if swedish_total <= swedish_bound:
        swedish = {r["m"].value: r["c"].value for r in store.select(f"""
            SELECT DISTINCT ?m ?c WHERE {{ ?m a <{PG.Municipality}> ; <{PG.country}> ?c .
                                          ?c <{PG.isoAlpha2}> "SE" }}""")}
    else:
        swedish = dict.fromkeys(_most_connected(store, swedish_bound, f"FILTER EXISTS {{ {in_sweden} }}"),
                                sweden[0])
    if total - swedish_total <= others:
        rows = store.select(f"""
            SELECT ?m (SAMPLE(?c) AS ?country) WHERE {{
              ?m a <{PG.Municipality}> FILTER NOT EXISTS {{ {in_sweden} }}
              OPTIONAL {{ ?m <{PG.country}> ?c }}
            }} GROUP BY ?m""")
        chosen = {r["m"].value: r["country"].value if "country" in r else None for r in rows}
    else:
        top = _most_connected(store, others, f"FILTER NOT EXISTS {{ {in_sweden} }}")
        values = " ".join(f"<{m}>" for m in top)
        chosen = dict.fromkeys(top)
        if top:  # a hundred IRIs: a VALUES block that size is quick
            chosen.update({r["m"].value: r["c"].value for r in store.select(
                f"SELECT ?m ?c WHERE {{ VALUES ?m {{ {values} }} ?m <{PG.country}> ?c }}")})
    chosen.update(swedish)
    names = labels(store, [*chosen, *{c for c in chosen.values() if c}], lang)

    places = [(m not in swedish, Place(m, names[m], names[c] if c else None))
              for m, c in chosen.items()]
    return PlaceList([p for _, p in sorted(places, key=lambda x: (x[0], x[1].label.casefold()))], total,
                     others=sum(1 for other, _ in places if other),
                     swedish_unlisted=swedish_total - len(swedish))


def _count(store: Store, pattern: str) -> int:
    return int(store.select(f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ {pattern} }}")[0]["n"].value)


def _most_connected(store: Store, count: int, where: str) -> list[str]:
    """The `count` municipalities that meet `where` (a filter on ?m) with the
    most partnerships, ties broken by IRI so that the list is the same each
    time. Oxigraph counts members quickly, and filters the counted rows
    quickly, but sorts by count and IRI slowly (and joins a long VALUES block
    very slowly): so the rows are sorted by count alone, and the ties at the
    cut sorted here, asking again for every row at the cut's count when the
    first answer may not hold them all."""
    def ranked(at_least: int, clause: str) -> list[tuple[int, str]]:
        having = f"HAVING (COUNT(DISTINCT ?p) >= {at_least})" if at_least > 1 else ""
        rows = store.select(f"""
            SELECT ?m ?n WHERE {{
              {{ SELECT ?m (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p <{ORG.hasMember}> ?m }} GROUP BY ?m {having} }}
              FILTER EXISTS {{ ?m a <{PG.Municipality}> }}
              {where}
            }} {clause}""")
        return [(int(r["n"].value), r["m"].value) for r in rows if isinstance(r["m"], NamedNode)]

    asked = 2 * count
    found = ranked(1, f"ORDER BY DESC(?n) LIMIT {asked}")
    if len(found) == asked and found[-1][0] == found[count - 1][0]:
        # Rows at the cut's count may have been left out: ask for all of them.
        found = ranked(found[count - 1][0], "")
    return [m for _, m in sorted(found, key=lambda x: (-x[0], x[1]))[:count]]
