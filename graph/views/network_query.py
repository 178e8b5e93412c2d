"""Small pieces the network views share: IRIs safe to put in a query, VALUES
blocks in bounded chunks, the class of each IRI, and labels.

Every view asks the store for what it draws through these, so that no view
needs a model of the whole graph."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from graph.rdf.namespaces import FOAF, PG
from graph.store.base import Store
from graph.views.labels import _safe_iri as safe_iri

# Node classes, in the order a resource with several of them is classed by.
CLASSES: dict[str, str] = {
    "partnership": str(PG.Partnership),
    "project": str(PG.Project),
    "event": str(PG.Event),
    "municipality": str(PG.Municipality),
    "theme": str(PG.Theme),
    "funder": str(PG.Funder),
    "programme": str(PG.FundingProgramme),
    "country": str(PG.Country),
    "person": str(FOAF.Person),
}
ACTIVITIES = ("partnership", "project", "event")

# A VALUES block of at most this many IRIs per query.
CHUNK = 400


def chunks(iris: Iterable[str], size: int = CHUNK) -> Iterator[str]:
    """The IRIs as VALUES bodies ("<a> <b> ..."), `size` at a time."""
    wanted = list(dict.fromkeys(iris))
    for start in range(0, len(wanted), size):
        yield " ".join(f"<{safe_iri(i)}>" for i in wanted[start:start + size])


def classes_of(store: Store, iris: Iterable[str]) -> dict[str, str]:
    """The network class of each IRI that has one (the first in CLASSES order)."""
    by_iri = {iri: key for key, iri in CLASSES.items()}
    order = list(CLASSES)
    found: dict[str, str] = {}
    for values in chunks(iris):
        for row in store.select(f"SELECT ?s ?c WHERE {{ VALUES ?s {{ {values} }} ?s a ?c }}"):
            cls = by_iri.get(row["c"].value)
            s = row["s"].value
            if cls and (s not in found or order.index(cls) < order.index(found[s])):
                found[s] = cls
    return found


def short_key(iri: str) -> str:
    """The part of an IRI a URL names it by (its last segment): country/SE -> SE."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
