"""The key facts a resource page leads with: for a partnership its members
with their countries, kind, status, dates, themes, funders, programmes and
the people who work on it; for a municipality its partners counted by kind
and country and its people; for a project, an event, a funder, a theme what
makes it what it is; for each, the dated events around it, as a timeline.

Plain data with labels in the reader's language: the words around them (the
summary sentence) are the page's to make.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib.namespace import FOAF, ORG, SKOS

from graph.rdf.namespaces import PG
from graph.store.base import Store
from graph.views.labels import _safe_iri, labels, pick_literal

# What a page is about, by its first class in this order.
KINDS = [("partnership", PG.Partnership), ("municipality", PG.Municipality),
         ("project", PG.Project), ("event", PG.Event), ("funder", PG.Funder),
         ("programme", PG.FundingProgramme), ("theme", PG.Theme)]


@dataclass
class Named:
    iri: str
    label: str


@dataclass
class Member(Named):
    country: str = ""          # ISO alpha-2, "" when the graph gives none
    country_label: str = ""


@dataclass
class Person(Named):
    role: str = ""
    organisation: str = ""
    email: str = ""
    telephone: str = ""


@dataclass
class Dated:
    """Something that happened or will: a date (ISO, as given) or the
    source's own words for when, with what it is."""
    label: str
    iri: str | None
    date: str = ""
    when: str = ""             # the source's words ("vecka 37")
    status: str = ""


@dataclass
class KeyFacts:
    kind: str | None                                  # a key of KINDS, or None
    members: list[Member] = field(default_factory=list)
    partnership_kind: str = ""
    status: str = ""
    status_iri: str = ""
    start: str = ""
    end: str = ""
    date: str = ""
    when: str = ""
    themes: list[Named] = field(default_factory=list)
    funders: list[Named] = field(default_factory=list)
    programmes: list[Named] = field(default_factory=list)
    partnerships: list[Named] = field(default_factory=list)
    places: list[Named] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    partner_count: int = 0
    partner_countries: list[str] = field(default_factory=list)
    kinds_counted: list[tuple[str, int]] = field(default_factory=list)   # (kind IRI, n)
    country_label: str = ""
    broader: list[Named] = field(default_factory=list)
    narrower: list[Named] = field(default_factory=list)
    used_by: int = 0
    timeline: list[Dated] = field(default_factory=list)


def key_facts(store: Store, iri: str, lang: str) -> KeyFacts:
    node = f"<{_safe_iri(iri)}>"
    types = {r["t"].value for r in store.select(f"SELECT ?t WHERE {{ {node} a ?t }}")}
    kind = next((name for name, cls in KINDS if str(cls) in types), None)
    facts = KeyFacts(kind)
    if kind is None:
        return facts
    objects = _objects(store, node)
    wanted = {o for values in objects.values() for o in values if o.startswith(("http", "urn"))}
    facts.status_iri = _first(objects, PG.status)
    facts.start, facts.end = _first(objects, PG.startDate), _first(objects, PG.endDate)
    facts.date, facts.when = _first(objects, PG.date), _when(store, node, lang)
    priority = objects.get(str(PG.priorityArea), [])
    themes = priority + [t for t in objects.get(str(PG.theme), []) if t not in priority]
    if kind in ("partnership", "project", "event"):
        members = objects.get(str(ORG.hasMember), []) or objects.get(str(PG.participant), [])
        facts.members = _members(store, members, lang)
    names = labels(store, wanted | set(themes), lang)
    facts.partnership_kind = names.get(_first(objects, PG.kind), "")
    facts.status = names.get(facts.status_iri, "")
    # The priority areas first: they are what the partnership is for.
    facts.themes = _named(names, priority) + _named(names, themes[len(priority):])
    facts.places = _named(names, objects.get(str(PG.location), []))
    facts.funders = _named(names, objects.get(str(PG.fundedBy), []) or objects.get(str(PG.commonFunder), []))
    facts.programmes = _named(names, objects.get(str(PG.fundingProgramme), []))
    facts.partnerships = _named(names, objects.get(str(PG.partnership), []))
    if kind == "partnership":
        facts.people = _people(store, [m.iri for m in facts.members], lang)
        facts.timeline = _timeline(store, f"?e <{PG.partnership}> {node}", lang)
    elif kind == "municipality":
        _municipality(store, node, lang, facts)
        facts.people = _people(store, [iri], lang)
        facts.timeline = _timeline(store, f"?e <{PG.participant}>|<{PG.host}> {node}", lang)
    elif kind == "project":
        facts.timeline = _timeline(store, f"?e <{PG.project}> {node}", lang)
    elif kind == "theme":
        facts.broader = _named(names, objects.get(str(SKOS.broader), []))
        narrower = [r["n"].value for r in store.select(f"SELECT ?n WHERE {{ ?n <{SKOS.broader}> {node} }}")]
        facts.narrower = _named(labels(store, narrower, lang), narrower)
        facts.used_by = _count(store, f"?s <{PG.theme}>|<{PG.priorityArea}> {node}")
    elif kind in ("funder", "programme"):
        facts.used_by = _count(store, f"?s a <{PG.Partnership}> ; <{PG.fundedBy}>|<{PG.fundingProgramme}> {node}")
        programmes = [r["p"].value for r in store.select(
            f"SELECT DISTINCT ?p WHERE {{ ?p a <{PG.FundingProgramme}> ; <{PG.fundedBy}> {node} }}")]
        facts.programmes = _named(labels(store, programmes, lang), programmes)
    if facts.start or facts.end:
        facts.timeline[:0] = [d for d in (Dated(_START[lang], None, date=facts.start),
                                          Dated(_END[lang], None, date=facts.end)) if d.date]
        facts.timeline.sort(key=_chronological)
    return facts


_START = {"sv": "Start", "en": "Start"}
_END = {"sv": "Slut", "en": "End"}


def _chronological(dated: Dated) -> tuple:
    # Dated things first in date order; those the source only words come after.
    return (not dated.date, dated.date, dated.label.casefold())


def _objects(store: Store, node: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in store.select(f"SELECT ?p ?o WHERE {{ {node} ?p ?o FILTER(!isBlank(?o)) }}"):
        values = found.setdefault(row["p"].value, [])
        if row["o"].value not in values:
            values.append(row["o"].value)
    return found


def _first(objects: dict[str, list[str]], prop) -> str:
    return sorted(objects.get(str(prop), [""]))[0]


def _when(store: Store, node: str, lang: str) -> str:
    rows = store.select(f"SELECT ?w WHERE {{ {node} <{PG.timeDescription}> ?w }}")
    return pick_literal(((r["w"].value, r["w"].language or "") for r in rows), lang) or ""


def _named(names: dict[str, str], iris) -> list[Named]:
    found = [Named(i, names.get(i, i)) for i in iris if i]
    return sorted(found, key=lambda n: n.label.casefold())


def _count(store: Store, pattern: str) -> int:
    rows = store.select(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0]["n"].value) if rows else 0


def _members(store: Store, iris: list[str], lang: str) -> list[Member]:
    if not iris:
        return []
    values = " ".join(f"<{_safe_iri(i)}>" for i in iris)
    rows = store.select(f"""
        SELECT ?m ?country ?code WHERE {{ VALUES ?m {{ {values} }}
          OPTIONAL {{ ?m <{PG.country}> ?country OPTIONAL {{ ?country <{PG.isoAlpha2}> ?code }} }} }}""")
    names = labels(store, iris + [r["country"].value for r in rows if "country" in r], lang)
    found: dict[str, Member] = {}
    for row in rows:
        iri = row["m"].value
        member = found.setdefault(iri, Member(iri, names.get(iri, iri)))
        if "country" in row and not member.country:
            member.country = row["code"].value if "code" in row else ""
            member.country_label = names.get(row["country"].value, "")
    # Swedish members first (the graph is about Swedish municipalities'
    # cooperation), then by country and name.
    return sorted(found.values(), key=lambda m: (m.country != "SE", m.country, m.label.casefold()))


def _people(store: Store, organisations: list[str], lang: str) -> list[Person]:
    """The people in a current role at the organisations, with their roles
    and the ways to reach them the graph holds."""
    if not organisations:
        return []
    values = " ".join(f"<{_safe_iri(i)}>" for i in organisations)
    rows = store.select(f"""
        SELECT DISTINCT ?person ?org ?role ?email ?phone WHERE {{ VALUES ?org {{ {values} }}
          ?m a <{ORG.Membership}> ; <{ORG.organization}> ?org ; <{ORG.member}> ?person .
          OPTIONAL {{ ?m <{ORG.role}> ?role }}
          FILTER NOT EXISTS {{ ?m <{PG.current}> false }}
          OPTIONAL {{ ?person <{FOAF.mbox}> ?email }}
          OPTIONAL {{ ?person <{FOAF.phone}> ?phone }} }}""")
    names = labels(store, {r[k].value for r in rows for k in ("person", "org", "role") if k in r}, lang)
    people = [Person(r["person"].value, names.get(r["person"].value, ""),
                     role=names.get(r["role"].value, "") if "role" in r else "",
                     organisation=names.get(r["org"].value, ""),
                     email=r["email"].value.removeprefix("mailto:") if "email" in r else "",
                     telephone=r["phone"].value.removeprefix("tel:") if "phone" in r else "")
              for r in rows]
    return sorted(people, key=lambda p: (p.label.casefold(), p.role))


def _timeline(store: Store, pattern: str, lang: str) -> list[Dated]:
    rows = store.select(f"""
        SELECT ?e ?date ?w ?status WHERE {{ {pattern} . ?e a <{PG.Event}>
          OPTIONAL {{ ?e <{PG.date}>|<{PG.startDate}> ?date }}
          OPTIONAL {{ ?e <{PG.timeDescription}> ?w }}
          OPTIONAL {{ ?e <{PG.status}> ?status }} }}""")
    names = labels(store, {r[k].value for r in rows for k in ("e", "status") if k in r}, lang)
    events: dict[str, Dated] = {}
    for row in rows:
        iri = row["e"].value
        dated = events.setdefault(iri, Dated(names.get(iri, iri), iri))
        dated.date = dated.date or (row["date"].value if "date" in row else "")
        if "w" in row and (not dated.when or (row["w"].language or "") == lang):
            dated.when = row["w"].value
        dated.status = dated.status or (names.get(row["status"].value, "") if "status" in row else "")
    return sorted(events.values(), key=_chronological)


def _municipality(store: Store, node: str, lang: str, facts: KeyFacts) -> None:
    rows = store.select(f"""
        SELECT ?partner ?kind ?code WHERE {{
          ?p a <{PG.Partnership}> ; <{ORG.hasMember}> {node}, ?partner .
          FILTER(?partner != {node})
          OPTIONAL {{ ?p <{PG.kind}> ?kind }}
          OPTIONAL {{ ?partner <{PG.country}>/<{PG.isoAlpha2}> ?code }} }}""")
    facts.partner_count = len({r["partner"].value for r in rows})
    facts.partner_countries = sorted({r["code"].value for r in rows if "code" in r})
    by_kind: dict[str, set[str]] = {}
    for row in rows:
        if "kind" in row:
            by_kind.setdefault(row["kind"].value, set()).add(row["partner"].value)
    facts.kinds_counted = sorted(((k, len(v)) for k, v in by_kind.items()), key=lambda kv: (-kv[1], kv[0]))
    country = store.select(f"SELECT ?c WHERE {{ {node} <{PG.country}> ?c }} LIMIT 1")
    if country:
        facts.country_label = labels(store, [country[0]["c"].value], lang).get(country[0]["c"].value, "")

