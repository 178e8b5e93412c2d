"""Labels for IRIs in the reader's language, many at once.

A label is looked for in the asked language, then in the other of Swedish and
English, then without a language tag, then in any language; within a language
skos:prefLabel wins over rdfs:label, foaf:name and schema:name (and a
document's dcterms:title, for sources that have no other name). An IRI with no
label at all gets its local name made readable, so a page never has to show a
raw IRI where a word would do.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote

from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS

from graph.rdf.namespaces import SCHEMA
from graph.store.base import Store

LABEL_PROPERTIES = [str(SKOS.prefLabel), str(RDFS.label), str(FOAF.name), str(SCHEMA.name),
                    str(DCTERMS.title)]

# Long VALUES blocks are split so that no single query grows without bound.
_CHUNK = 400


def language_rank(tag: str, lang: str) -> int:
    """0 for the asked language, 1 for the other of sv/en, 2 for no tag, 3 else."""
    tag = tag.lower()
    primary = tag.split("-", 1)[0]
    if primary == lang:
        return 0
    if primary in ("sv", "en"):
        return 1
    if not tag:
        return 2
    return 3


def pick_literal(values: Iterable[tuple[str, str]], lang: str) -> str | None:
    """The best of (text, language tag) pairs for a reader of `lang`."""
    best = min(values, key=lambda v: (language_rank(v[1], lang), v[0]), default=None)
    return best[0] if best else None


def local_name(iri: str) -> str:
    """The end of an IRI as words: `municipality/se/borlange` → "borlange",
    `#hasMember` → "has member"."""
    tail = re.split(r"[#/:]", iri.rstrip("/#"))[-1] or iri
    tail = unquote(tail)
    tail = re.sub(r"(?<=[a-z0-9])([A-Z])(?=[a-z])", lambda m: " " + m.group(1).lower(), tail)
    words = re.sub(r"[-_]+", " ", tail).strip()
    return words or iri


def labels(store: Store, iris: Iterable[str], lang: str) -> dict[str, str]:
    """A label for every IRI given, in one query per few hundred IRIs."""
    wanted = list(dict.fromkeys(i for i in iris if i))
    found: dict[str, tuple[tuple[int, int, str], str]] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        values = " ".join(f"<{_safe_iri(i)}>" for i in chunk)
        # One branch per property, each a lookup by subject and predicate:
        # with ?p bound by VALUES instead, Oxigraph scanned every triple of
        # the store for each chunk (two seconds a chunk at 250,000 triples).
        properties = " UNION ".join(f"{{ ?s <{p}> ?l BIND(<{p}> AS ?p) }}" for p in LABEL_PROPERTIES)
        rows = store.select(f"""
            SELECT ?s ?p ?l WHERE {{
              VALUES ?s {{ {values} }}
              {{ {properties} }}
              FILTER(isLiteral(?l))
            }}""")
        for row in rows:
            literal = row["l"]
            key = (language_rank(literal.language or "", lang),
                   LABEL_PROPERTIES.index(row["p"].value), literal.value)
            subject = row["s"].value
            if subject not in found or key < found[subject][0]:
                found[subject] = (key, literal.value)
    return {iri: found[iri][1] if iri in found else local_name(iri) for iri in wanted}


def label(store: Store, iri: str, lang: str) -> str:
    return labels(store, [iri], lang)[iri]


def _safe_iri(iri: str) -> str:
    # An IRI from a URL parameter must not break out of <...> in a query.
    if re.search(r'[\s<>"{}|\\^`]', iri):
        raise ValueError(f"not an IRI: {iri!r}")
    return iri
