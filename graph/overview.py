"""What the home page tells: how many of each main kind of resource the
graph holds, and the sources the facts come from."""
from __future__ import annotations

from dataclasses import dataclass

from .namespaces import PG
from .store import Store

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


def class_counts(store: Store, lang: str) -> list[ClassCount]:
    values = " ".join(f"<{c}>" for c in MAIN_CLASSES)
    rows = store.select(f"""
        SELECT ?class (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?s) AS ?n) WHERE {{
          VALUES ?class {{ {values} }}
          OPTIONAL {{ ?s a ?class }}
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


def municipalities(store: Store, lang: str) -> list[Place]:
    """Every municipality with its country, Swedish ones first, for a reader
    who starts from a place they know."""
    from .labels import labels
    rows = store.select(f"""
        SELECT ?m (SAMPLE(?c) AS ?country) (SAMPLE(?code) AS ?iso) WHERE {{
          ?m a <{PG.Municipality}> .
          OPTIONAL {{ ?m <{PG.country}> ?c OPTIONAL {{ ?c <{PG.isoAlpha2}> ?code }} }}
        }} GROUP BY ?m""")
    names = labels(store, [r[k].value for r in rows for k in ("m", "country") if k in r], lang)
    places = [(r.get("iso") and r["iso"].value != "SE",
               Place(r["m"].value, names[r["m"].value],
                     names[r["country"].value] if "country" in r else None)) for r in rows]
    return [p for _, p in sorted(places, key=lambda x: (bool(x[0]), x[1].label.casefold()))]
