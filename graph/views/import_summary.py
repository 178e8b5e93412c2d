"""What an import would do, in the few numbers a steward reads first: rows,
triples added and removed, names matched to what the store holds, places
new to the store, warnings and problems (/admin/import leads with these)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.ingest.report import ImportReport
from graph.rdf.namespaces import PG
from graph.store.base import Store

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
_BATCH = 500


@dataclass(frozen=True)
class NewPlace:
    iri: str
    label: str


@dataclass
class ImportSummary:
    rows: int
    added: int
    removed: int
    matched: int
    warnings: int
    problems: int
    new_places: list[NewPlace] = field(default_factory=list)


def import_summary(store: Store, report: ImportReport) -> ImportSummary:
    """The summary of `report`, worked out before it is written: a place is
    new when the store holds nothing of its type yet (looked for among the
    triples the diff lists, all of them but for a very large change)."""
    diff = report.diff
    added = diff.added if diff is not None else []
    return ImportSummary(rows=report.rows, added=diff.added_count if diff is not None else 0,
                         removed=diff.removed_count if diff is not None else 0,
                         matched=len(report.matches), warnings=len(report.warnings),
                         problems=len(report.problems), new_places=_new_places(store, added))


def _new_places(store: Store, added: list[ox.Triple]) -> list[NewPlace]:
    municipality = str(PG.Municipality)
    places = [t.subject.value for t in added
              if isinstance(t.subject, ox.NamedNode) and t.predicate.value == RDF_TYPE
              and isinstance(t.object, ox.NamedNode) and t.object.value == municipality]
    if not places:
        return []
    known: set[str] = set()
    for start in range(0, len(places), _BATCH):
        values = " ".join(f"<{iri}>" for iri in places[start:start + _BATCH])
        known |= {row["s"].value for row in store.select(
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {values} }} ?s a ?type }}")}
    labels: dict[str, str] = {}
    for t in added:
        if (t.predicate.value == PREF_LABEL and isinstance(t.subject, ox.NamedNode)
                and isinstance(t.object, ox.Literal)):
            labels.setdefault(t.subject.value, t.object.value)
    return sorted((NewPlace(iri, labels.get(iri, iri)) for iri in places if iri not in known),
                  key=lambda place: place.label)
