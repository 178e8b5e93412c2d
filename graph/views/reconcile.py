"""Reconciliation: a steward's names matched to the graph's resources, as the
W3C Entity Reconciliation API (version 0.2, what OpenRefine 3 speaks) asks.

A batch of queries comes in as the API's JSON ({"q0": {"query": "Gotenburg",
"type": "Municipality", "limit": 5, "properties": [{"pid": "country", "v": "SE"}]}});
each gets its candidates: the resource's IRI, its name in the reader's
language, its types, a score from 0 to 100 and a match flag that is true only
for a clear, unambiguous best match.

How a candidate is scored:
- the name: the best of the resource's names (skos:prefLabel, skos:altLabel,
  rdfs:label, foaf:name, pg:nativeName, in any language) compared with the
  query (graph.views.name_similarity). A place's names (a resource with a
  country) are compared as its country writes them, as the import matchers
  do (graph/ingest/place_names.py): 100 for the same name (Habo is Habo, and
  Håbo another name in Sweden), 99 for the name typed without the letters of
  the country's alphabet ("Borlange"), 98 for another name GeoNames gives the
  town ("Gotenburg" for Göteborg, graph/ingest/other_names.py) or when only a
  designation such as "kommun" differs, otherwise 100 times difflib's ratio
  of the names without such designations. Other resources' names are
  compared without case or accents: 100 for the same name, 99 for the same
  but for accents;
- the country, when the query gives one: a resource in another country loses
  COUNTRY_MISMATCH points, one whose country is unknown, or when the given
  country is not recognised, UNCONFIRMED points;
- a type, when given, narrows: only resources of that type are candidates.
Candidates scoring under MIN_SCORE are left out.

The match flag is set on the first candidate when it is the only one that
scores MATCH_SCORE or more (the same name as the query but for case, the
country's letters, or a designation, or another name of the town, and in the
country given, if one is), or when it is the only one named exactly so: a
place as its country writes the name (Habo, not Håbo), anything else with
the accents the query writes.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib.namespace import RDFS, SKOS

from graph.errors import InvalidRequest, RequestTooLarge
from graph.rdf.namespaces import PG
from graph.store.base import Store
from graph.views.labels import labels, pick_literal
from graph.views.reconcile_index import OFFERED_TYPES, OTHER_NAME, ReconcileIndex, spelling
from graph.views.search import index_for, normalise

# The properties a query may give: their names as the API's `pid`.
PROPERTIES = {"country": str(PG.country)}
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
# A batch bigger than this is refused (the API allows a 413): the answer would
# take the service minutes, and OpenRefine sends ten at a time.
MAX_BATCH = 1000
# Candidates less alike than this are noise to a steward, not suggestions.
MIN_SCORE = 60.0
# A name the same as the query but for accents (Borlange, Borlänge): nearly
# the same name, but the one spelt as the query comes first.
SAME_BUT_ACCENTS = 0.99
# Only the same name (but for case, accents or a designation), in the country
# given, is a match: a misspelt one is for the steward to confirm.
MATCH_SCORE = 97.0
COUNTRY_MISMATCH = 30.0
UNCONFIRMED = 10.0


@dataclass(frozen=True)
class Query:
    """One reconciliation query: the name (none: no candidates, as this
    service matches by name), the type IRIs it is narrowed to (none: every
    offered type), how many candidates, and the countries given as the
    steward wrote them (None when no country was given)."""
    text: str
    types: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT
    countries: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Named:
    """A type, a property or a country: its IRI and its name."""
    id: str
    name: str
    description: str = ""

    def as_json(self) -> dict[str, str]:
        found = {"id": self.id, "name": self.name}
        if self.description:
            found["description"] = self.description
        return found


@dataclass(frozen=True)
class Candidate:
    """A resource proposed for a query, scored from 0 to 100."""
    id: str
    name: str
    types: tuple[Named, ...]
    score: float
    match: bool
    description: str = ""
    features: dict[str, float | bool] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The candidate as the API's JSON."""
        found: dict[str, Any] = {
            "id": self.id, "name": self.name, "type": [t.as_json() for t in self.types],
            "score": self.score, "match": self.match,
            "features": [{"id": key, "value": value} for key, value in self.features.items()],
        }
        if self.description:
            found["description"] = self.description
        return found


def index(store: Store) -> ReconcileIndex:
    """The reconciliation index of the store, built once per data version."""
    return store.derived("reconcile index", lambda: ReconcileIndex(store))


# -- reading a batch --------------------------------------------------------

def read_batch(text: str) -> dict[str, Query]:
    """The queries of a batch given as JSON text (the `queries` parameter)."""
    try:
        # Python's json would take NaN and Infinity, which JSON has not.
        batch = json.loads(text, parse_constant=_not_json)
    except ValueError as error:
        raise InvalidRequest(f"queries must be a JSON object of queries, such as "
                             f'{{"q0": {{"query": "Borlänge"}}}}; this is not JSON ({error}).') from None
    return parse_batch(batch)


def _not_json(constant: str) -> object:
    raise ValueError(f"{constant} is not a JSON value")


def parse_batch(batch: object) -> dict[str, Query]:
    """The queries of a batch given as decoded JSON: an object of query
    objects, keyed by the client's names for them."""
    if not isinstance(batch, dict):
        raise InvalidRequest(f"queries must be a JSON object of queries keyed by name, such as "
                             f'{{"q0": {{"query": "Borlänge"}}}}, not {_kind(batch)}.')
    if len(batch) > MAX_BATCH:
        raise RequestTooLarge(f"A batch holds at most {MAX_BATCH} queries, not {len(batch)}: "
                              f"send them in several batches.")
    return {str(key): parse_query(str(key), value) for key, value in batch.items()}


def parse_query(key: str, value: object) -> Query:
    """One query of a batch; `key` names it in error messages."""
    where = f"query {key!r}"
    if not isinstance(value, dict):
        raise InvalidRequest(f"{where} must be an object such as {{\"query\": \"Borlänge\"}}, "
                             f"not {_kind(value)}.")
    text = value.get("query", "")
    if not isinstance(text, str):
        raise InvalidRequest(f"{where}: 'query' must be text, not {_kind(text)}.")
    limit = value.get("limit", DEFAULT_LIMIT)
    if (isinstance(limit, bool) or not isinstance(limit, int | float) or not math.isfinite(limit)
            or limit != int(limit) or limit < 1):
        raise InvalidRequest(f"{where}: 'limit' must be a whole number of candidates, 1 or more, "
                             f"not {json.dumps(limit, ensure_ascii=False)}.")
    types = value.get("type")
    # No type, an empty one or an empty list all mean every offered type.
    type_list = [t for t in (types if isinstance(types, list) else [types]) if t not in (None, "")]
    countries: list[str] | None = None
    properties = value.get("properties", [])
    if not isinstance(properties, list):
        raise InvalidRequest(f"{where}: 'properties' must be a list of {{\"pid\": ..., \"v\": ...}}, "
                             f"not {_kind(properties)}.")
    for given in properties:
        if not isinstance(given, dict) or "pid" not in given or "v" not in given:
            raise InvalidRequest(f"{where}: each property must be an object with 'pid' and 'v', "
                                 f"such as {{\"pid\": \"country\", \"v\": \"SE\"}}.")
        if property_name(given["pid"], where) == "country":
            countries = (countries or []) + _values(given["v"], where)
    return Query(text=text.strip(), types=tuple(type_iri(t, where) for t in type_list),
                 limit=min(int(limit), MAX_LIMIT),
                 countries=tuple(countries) if countries is not None else None)


def type_iri(value: object, where: str = "the type") -> str:
    """An offered type's IRI from its IRI, `pg:Name` or `Name` (any case)."""
    if isinstance(value, dict) and "id" in value:
        value = value["id"]
    if isinstance(value, str):
        wanted = value.strip()
        for offered in OFFERED_TYPES:
            local = offered[len(str(PG)):]
            if wanted in (str(offered), f"pg:{local}") or wanted.casefold() == local.casefold():
                return str(offered)
    names = ", ".join(t[len(str(PG)):] for t in OFFERED_TYPES)
    raise InvalidRequest(f"{where}: the type {json.dumps(value, ensure_ascii=False)} is not one this "
                         f"service offers; give one of {names} (or its IRI, {PG.Municipality} for example).")


def property_name(value: object, where: str = "the property") -> str:
    """An offered property's short name from its name, `pg:name` or IRI."""
    if isinstance(value, dict) and "id" in value:
        value = value["id"]
    if isinstance(value, str):
        wanted = value.strip()
        for name, iri in PROPERTIES.items():
            if wanted in (iri, f"pg:{name}") or wanted.casefold() == name:
                return name
    raise InvalidRequest(f"{where}: the property {json.dumps(value, ensure_ascii=False)} is not one this "
                         f"service knows; give {', '.join(PROPERTIES)} (an ISO code, IRI or name of a country).")


def _values(value: object, where: str) -> list[str]:
    """A property's values as text: strings, numbers, {"id": ...} objects, or a list of them."""
    found: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            item = item.get("id", item.get("name"))
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise InvalidRequest(f"{where}: a country must be given as text (an ISO code, IRI or name), "
                                 f"not {_kind(item)}.")
        # A code given as a number (752.0 from a spreadsheet) is the same code.
        found.append(str(int(item)) if isinstance(item, float) and item.is_integer() else str(item))
    return found


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return json.dumps(value, ensure_ascii=False)[:60]


# -- answering --------------------------------------------------------------

@dataclass
class _Found:
    iri: str
    similarity: float
    matched: str
    score: float = 0.0
    country_match: bool | None = None
    place: bool = False      # compared as its country writes names


def reconcile(store: Store, queries: Mapping[str, Query], lang: str) -> dict[str, list[Candidate]]:
    """Candidates for each query of a batch, best first; names, types and
    countries in `lang`. Each query is answered on its own, as the API asks."""
    recon = index(store)
    found = {key: _candidates(recon, query) for key, query in queries.items()}
    iris = {f.iri for hits in found.values() for f, _ in hits}
    type_iris = {t for iri in iris for t in recon.types[iri]}
    country_iris = {c for iri in iris for c in recon.countries.get(iri, ())}
    names = labels(store, [*iris, *type_iris, *country_iris], lang)
    answer: dict[str, list[Candidate]] = {}
    for key, hits in found.items():
        candidates = []
        for hit, match in hits:
            types = tuple(Named(t, names[t]) for t in recon.types[hit.iri])
            places = sorted(names[c] for c in recon.countries.get(hit.iri, ()) if c != hit.iri)
            features: dict[str, float | bool] = {"name_similarity": round(hit.similarity, 3)}
            if hit.country_match is not None:
                features["country_match"] = hit.country_match
            candidates.append(Candidate(
                id=hit.iri, name=names[hit.iri], types=types, score=hit.score, match=match,
                description=", ".join([types[0].name, *places]) if types else ", ".join(places),
                features=features))
        answer[key] = candidates
    return answer


def _candidates(recon: ReconcileIndex, query: Query) -> list[tuple[_Found, bool]]:
    """A query's best candidates with their match flags, best first."""
    wanted = normalise(query.text)
    hits: dict[str, _Found] = {}
    if query.text in recon.types and (not query.types or set(query.types) & set(recon.types[query.text])):
        # The API expects a resource's identifier to find that resource.
        hits[query.text] = _Found(query.text, 1.0, query.text)
    for matcher in recon.matchers(query.types):
        for close in matcher.closest(wanted):
            if close.item not in hits or close.similarity > hits[close.item].similarity:
                hits[close.item] = _Found(close.item, close.similarity, close.name)
    countries = None
    if query.countries is not None:
        countries = set().union(*(recon.country(c) for c in query.countries))
    # Other names of the town: in the countries given, or else in those of
    # the places whose names came close.
    other_named = set()
    for code in recon.country_codes(countries or {c for iri in hits for c in recon.countries.get(iri, ())}):
        for iri in recon.by_other_name(query.text, code):
            if not query.types or set(query.types) & set(recon.types[iri]):
                other_named.add(iri)
                hits.setdefault(iri, _Found(iri, 0.0, ""))
    written = spelling(query.text)
    for hit in hits.values():
        place = recon.place_similarity(query.text, hit.iri, hit.similarity) if hit.iri != query.text else None
        if place is not None:
            # A place's names are compared as its country writes them.
            hit.similarity, hit.place = place, True
        elif hit.similarity == 1.0 and written not in recon.spellings[hit.iri] and hit.iri != query.text:
            hit.similarity = SAME_BUT_ACCENTS
        if hit.iri in other_named:
            hit.similarity = max(hit.similarity, OTHER_NAME)
        hit.score = 100.0 * hit.similarity
        if countries is not None:
            theirs = recon.countries.get(hit.iri, frozenset())
            if countries and theirs:
                hit.country_match = bool(countries & theirs)
                hit.score -= 0.0 if hit.country_match else COUNTRY_MISMATCH
            else:
                hit.score -= UNCONFIRMED
        hit.score = round(max(hit.score, 0.0), 1)
    ranked = sorted((h for h in hits.values() if h.score >= MIN_SCORE),
                    key=lambda h: (-h.score, h.matched, h.iri))
    # The flag looks at every candidate, not only those within the limit: a
    # namesake just past the limit still makes the best one ambiguous.
    clear = bool(ranked) and ranked[0].score >= MATCH_SCORE and (
        len(ranked) == 1 or ranked[1].score < MATCH_SCORE
        # The name as the place's country writes it, or as written with its
        # accents, singles one out: "Habo" is Habo, not Håbo, as the import
        # matchers take it, and a funder's "Miljö" is not "Miljo".
        or ((ranked[0].place or written != wanted) and ranked[0].similarity == 1.0
            and ranked[1].similarity < 1.0))
    return [(hit, clear and n == 0) for n, hit in enumerate(ranked[:query.limit])]


# -- what the service offers ------------------------------------------------

def _terms(store: Store) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """Labels and definitions of the offered types and properties, in every
    language: {IRI: {"label": [(text, lang)], "definition": [...]}}."""
    def build() -> dict[str, dict[str, list[tuple[str, str]]]]:
        iris = " ".join(f"<{t}>" for t in (*OFFERED_TYPES, *PROPERTIES.values()))
        found: dict[str, dict[str, list[tuple[str, str]]]] = {}
        for row in store.select(f"""
                SELECT ?t ?p ?v WHERE {{
                  VALUES ?t {{ {iris} }} VALUES ?p {{ <{RDFS.label}> <{SKOS.definition}> }}
                  ?t ?p ?v FILTER(isLiteral(?v)) }}"""):
            kind = "label" if row["p"].value == str(RDFS.label) else "definition"
            entry = found.setdefault(row["t"].value, {"label": [], "definition": []})
            entry[kind].append((row["v"].value, row["v"].language or ""))
        return found
    return store.derived("reconcile terms", build)


def _named(store: Store, iri: str, lang: str, fallback: str) -> Named:
    term = _terms(store).get(iri, {})
    label = pick_literal(term.get("label", []), lang) or fallback
    # The ontology writes property labels in lower case; a heading wants a capital.
    return Named(iri, label[:1].upper() + label[1:], pick_literal(term.get("definition", []), lang) or "")


def offered_types(store: Store, lang: str) -> list[Named]:
    """The types queries may name, with their names and definitions in `lang`."""
    return [_named(store, str(t), lang, t[len(str(PG)):]) for t in OFFERED_TYPES]


def offered_properties(store: Store, lang: str) -> list[Named]:
    """The properties queries may give, by IRI, named in `lang`."""
    return [_named(store, iri, lang, name) for name, iri in PROPERTIES.items()]


def _matches_prefix(prefix: str, names: Iterable[str]) -> bool:
    wanted = normalise(prefix)
    for name in names:
        key = normalise(name)
        if not wanted or key.startswith(wanted) or f" {wanted}" in f" {key}":
            return True
    return False


def suggest_types(store: Store, prefix: str, lang: str) -> list[Named]:
    """Offered types whose name (in Swedish or English), local name or IRI
    begins with `prefix`, or one of whose words does; all for no prefix."""
    terms = _terms(store)
    return [t for t in offered_types(store, lang)
            if _matches_prefix(prefix, [t.id, t.id[len(str(PG)):], f"pg:{t.id[len(str(PG)):]}",
                                        *(text for text, _ in terms.get(t.id, {}).get("label", []))])]


def suggest_properties(store: Store, prefix: str, lang: str) -> list[Named]:
    """Offered properties whose name, short name or IRI begins with `prefix`."""
    terms = _terms(store)
    return [p for p, short in zip(offered_properties(store, lang), PROPERTIES)
            if _matches_prefix(prefix, [p.id, short, f"pg:{short}",
                                        *(text for text, _ in terms.get(p.id, {}).get("label", []))])]


@dataclass(frozen=True)
class Suggestion:
    """An entity suggested for a prefix, with its notable types."""
    id: str
    name: str
    notable: tuple[Named, ...]
    description: str = ""

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"id": self.id, "name": self.name,
                                 "notable": [t.as_json() for t in self.notable]}
        if self.description:
            found["description"] = self.description
        return found


def suggest_entities(store: Store, prefix: str, lang: str, *, types: Iterable[str] = (),
                     cursor: int = 0, limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
    """Resources of the offered types (or of `types`) with a name that begins
    with `prefix`, or has a word that does, without case or accents;
    a resource's IRI as prefix finds it. Exact names first, then shorter ones."""
    recon = index(store)
    wanted = {type_iri(t) for t in types}
    found: dict[str, tuple[int, str]] = {}
    text = prefix.strip()
    if text in recon.types:
        found[text] = (-1, text)
    for iri, (rank, name) in index_for(store).find(text).items():
        if rank <= 1 and iri in recon.types:
            found.setdefault(iri, (rank, name))
    if wanted:
        found = {iri: hit for iri, hit in found.items() if wanted & set(recon.types[iri])}
    ordered = sorted(found, key=lambda iri: (found[iri][0], len(found[iri][1]), found[iri][1], iri))
    chosen = ordered[cursor:cursor + min(limit, MAX_LIMIT)]
    names = labels(store, [*chosen, *(t for iri in chosen for t in recon.types[iri]),
                           *(c for iri in chosen for c in recon.countries.get(iri, ()))], lang)
    suggestions = []
    for iri in chosen:
        places = sorted(names[c] for c in recon.countries.get(iri, ()) if c != iri)
        notable = tuple(Named(t, names[t]) for t in recon.types[iri])
        suggestions.append(Suggestion(iri, names[iri], notable, ", ".join(places)))
    return suggestions


@dataclass(frozen=True)
class Preview:
    """What a preview card shows of a resource."""
    id: str
    name: str
    types: tuple[Named, ...]
    countries: tuple[Named, ...]


def preview(store: Store, iri: str, lang: str) -> Preview | None:
    """A resource of an offered type as a preview card shows it; None for
    anything else."""
    recon = index(store)
    if iri not in recon.types:
        return None
    countries = sorted(c for c in recon.countries.get(iri, ()) if c != iri)
    names = labels(store, [iri, *recon.types[iri], *countries], lang)
    return Preview(iri, names[iri], tuple(Named(t, names[t]) for t in recon.types[iri]),
                   tuple(Named(c, names[c]) for c in countries))
