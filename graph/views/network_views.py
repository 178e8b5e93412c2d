"""Who cooperates with whom, at every scale, each view asked of the store by
query: nothing here holds or walks a model of the whole graph.

The levels, from the widest:
- world: countries as nodes, cooperation between them as weighted edges
  ("Sweden–Germany: twin town 143 · municipal partnership 12"), from one
  aggregate query kept per data version (`store.derived`);
- country: one country and the countries its places cooperate with;
- pair: the places of two countries and the partnerships between them;
- place: one municipality (or other party) and its partners;
- activity: a partnership, project or event with its members, themes,
  funders, programmes, projects and events, and the people of its members;
- around: any other resource (a theme, a funder, a person) and what links to
  it;
- activities: the activities a filter chooses, with who takes part and what
  they are about (the default view when the store holds few activities).

Only what cooperates is drawn: a place with no partnership never appears,
and countries are a colour and a level, never hub nodes. A partnership with
two members and nothing more to say is drawn as an edge between them, the
partnership still one click away (the edge's `drill`). Every view is bounded:
above its limit it keeps the best-connected part and says what it left out.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.iris import country_iri
from graph.rdf.namespaces import DCTERMS, ORG, PG, SKOS
from graph.store.base import Store
from graph.views.labels import labels
from graph.views.network_query import ACTIVITIES, CLASSES, chunks, classes_of, safe_iri, short_key

NODE_LIMIT = 300
# The world level draws every country but only its strongest links: beyond
# a few hundred edges the picture is a hairball whatever the layout.
WORLD_EDGES = 300
ACTIVITY_LIMIT = 120
PEOPLE_LIMIT = 40

Query = dict[str, str]  # the query string that opens a view


@dataclass
class Node:
    id: str
    cls: str
    label: str = ""
    measure: int = 0
    country: str | None = None  # its country's code, for colour and grouping
    country_name: str | None = None
    drill: Query | None = None
    page: bool = True  # whether the resource has a page of its own
    facts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Edge:
    source: str
    target: str
    label: str = ""
    weight: int = 1
    title: str = ""
    drill: Query | None = None
    # The resource the edge stands for (a partnership drawn as an edge).
    stands_for: str | None = None
    facts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class NetworkView:
    level: str
    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    focus: str | None = None
    crumbs: list[tuple[str, Query]] = field(default_factory=list)
    # What the view measures its nodes by, in words ("partners in this view").
    measure: str = ""
    # (shown, of) when the view was cut to its limit.
    cut: tuple[int, int] | None = None
    lang: str = "en"
    # What a line standing for a partnership is called in the legend.
    edge_legend: str = ""

    def __post_init__(self) -> None:
        self.edge_legend = self.edge_legend or Words(self.lang)("edge_legend")

    def add(self, node: Node) -> Node:
        return self.nodes.setdefault(node.id, node)


@dataclass(frozen=True)
class Words:
    """The few words of the views, in the reader's language."""
    lang: str

    def __call__(self, key: str, **values) -> str:
        return _WORDS[key][0 if self.lang == "sv" else 1].format(**values)


_WORDS = {
    "world": ("Samarbete mellan länder", "Cooperation between countries"),
    "world_measure": ("partnerskap med andra länder", "partnerships with other countries"),
    "country_title": ("{country} och dess samarbetsländer", "{country} and the countries it cooperates with"),
    "pair_title": ("Samarbete {a}–{b}", "Cooperation {a}–{b}"),
    "partners_in_view": ("partner i vyn", "partners in this view"),
    "links_in_view": ("kopplingar i vyn", "connections in this view"),
    "place_title": ("{place} och dess partner", "{place} and its partners"),
    "activities": ("Aktiviteter och vilka som deltar", "Activities and who takes part"),
    "partnerships": ("Partnerskap", "Partnerships"),
    "members": ("Medlemmar", "Members"),
    "country": ("Land", "Country"),
    "pairs": ("{n} par", "{n} pairs"),
    "edge_legend": ("Samarbete mellan två (linje)", "Partnership of two (line)"),
}


def _either(subject: str, properties, obj: str, bound: str = "?prop") -> str:
    """`subject P obj` for any P of `properties`, as one UNION branch per
    property with P bound to `bound`: with the property bound by VALUES
    instead, Oxigraph scanned every triple (see graph.views.labels)."""
    return " UNION ".join(f"{{ {subject} <{p}> {obj} BIND(<{p}> AS {bound}) }}"
                          for p in properties)


def _lang(lang: str) -> str:
    return "sv" if lang == "sv" else "en"


# -- world and country ------------------------------------------------------

@dataclass(frozen=True)
class CountryLinks:
    """Cooperation between countries, without labels (one per data version):
    partnerships per (country, country, kind), and per country."""
    pairs: dict[tuple[str, str], dict[str | None, int]]
    per_country: dict[str, int]

    def weight(self, pair: tuple[str, str]) -> int:
        return sum(self.pairs[pair].values())


_LINKS = ("network", "country links")


def country_links(store: Store) -> CountryLinks:
    """Two aggregate queries, kept with the data version."""
    return store.derived(_LINKS, lambda: _country_links(store))


def start_country_links(store: Store) -> None:
    """Have the country links built in the background (the service's start)."""
    store.derived_state(_LINKS, lambda: _country_links(store))


def _country_links(store: Store) -> CountryLinks:
    # One aggregate over partnerships grouped by the set of their members'
    # countries: a self-join of members by country took three times as long
    # on the world's twin towns, and counts a partnership of three countries
    # for each of its pairs all the same.
    pairs: dict[tuple[str, str], dict[str | None, int]] = {}
    per_country: Counter[str] = Counter()
    for row in store.select("""
            SELECT ?countries ?kind (COUNT(*) AS ?n) WHERE {
              { SELECT ?p (GROUP_CONCAT(DISTINCT STR(?c); separator=" ") AS ?countries) WHERE {
                  ?p org:hasMember ?m . ?m pg:country ?c } GROUP BY ?p }
              OPTIONAL { ?p pg:kind ?kind }
            } GROUP BY ?countries ?kind"""):
        countries = sorted(set(row["countries"].value.split()))
        kind = row["kind"].value if row.get("kind") else None
        n = int(row["n"].value)
        for i, a in enumerate(countries):
            per_country[a] += n
            for b in countries[i + 1:]:
                kinds = pairs.setdefault((a, b), {})
                kinds[kind] = kinds.get(kind, 0) + n
    return CountryLinks(pairs, dict(per_country))


@dataclass(frozen=True)
class CountryPair:
    a: str
    b: str
    a_label: str
    b_label: str
    partnerships: int
    kinds: dict[str, int]  # kind's label -> partnerships

    @property
    def a_code(self) -> str:
        return short_key(self.a)

    @property
    def b_code(self) -> str:
        return short_key(self.b)

    def as_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "a_label": self.a_label, "b_label": self.b_label,
                "a_code": self.a_code, "b_code": self.b_code,
                "partnerships": self.partnerships, "kinds": self.kinds}


def country_pairs(store: Store, lang: str, country: str | None = None,
                  limit: int = 20) -> list[CountryPair]:
    """The pairs of countries that cooperate most (those of `country`, a
    code, when given), with their partnerships by kind."""
    links = country_links(store)
    chosen = country_iri(store.base_iri, country) if country else None
    pairs = sorted((p for p in links.pairs if chosen is None or chosen in p),
                   key=lambda p: (-links.weight(p), p))[:limit]
    kinds = {k for p in pairs for k in links.pairs[p] if k}
    names = labels(store, {c for p in pairs for c in p} | kinds | {CLASSES["partnership"]}, _lang(lang))
    return [CountryPair(a, b, names[a], names[b], links.weight((a, b)),
                        {names[k] if k else names[CLASSES["partnership"]]: n
                         for k, n in sorted(links.pairs[(a, b)].items(), key=lambda kn: -kn[1])})
            for a, b in pairs]


def world(store: Store, lang: str, country: str | None = None) -> NetworkView:
    """Countries and the cooperation between them; with `country` (a code
    such as SE), that country and the countries it cooperates with."""
    lang = _lang(lang)
    words = Words(lang)
    links = country_links(store)
    chosen = country_iri(store.base_iri, country) if country else None
    pairs = [p for p in links.pairs if chosen is None or chosen in p]
    pairs.sort(key=lambda p: (-links.weight(p), p))
    total = len(pairs)
    # The strongest links, and each country's strongest one: every country
    # that cooperates is drawn.
    strongest: dict[str, tuple[str, str]] = {}
    for p in pairs:
        for c in p:
            strongest.setdefault(c, p)
    pairs = list(dict.fromkeys(pairs[:WORLD_EDGES] + sorted(strongest.values(),
                                                             key=lambda p: (-links.weight(p), p))))
    iris = {c for p in pairs for c in p} | ({chosen} if chosen else set())
    kinds = {k for p in pairs for k in links.pairs[p] if k}
    names = labels(store, list(iris) + list(kinds) + [CLASSES["partnership"]], lang)
    measure: Counter[str] = Counter()
    for a, b in pairs:
        measure[a] += links.weight((a, b))
        measure[b] += links.weight((a, b))
    if chosen:
        title = words("country_title", country=names[chosen])
        crumbs = [(words("world"), {"view": "world"})]
    else:
        title, crumbs = words("world"), []
    view = NetworkView("country" if chosen else "world", title, focus=chosen, crumbs=crumbs,
                       measure=words("world_measure"), lang=lang,
                       cut=(len(pairs), total) if total > len(pairs) else None)
    for iri in sorted(iris):
        code = short_key(iri)
        view.add(Node(iri, "country", names[iri], measure=measure[iri], country=code,
                      drill={"view": "country", "country": code},
                      facts=[(words("partnerships"), str(links.per_country.get(iri, 0)))]))
    for a, b in pairs:
        counts = links.pairs[(a, b)]
        weight = links.weight((a, b))
        parts = sorted(counts.items(), key=lambda kc: (-kc[1], str(kc[0])))
        text = " · ".join(f"{names[k] if k else names[CLASSES['partnership']]} {n}"
                          for k, n in parts)
        pair_name = f"{names[a]}–{names[b]}"
        view.edges.append(Edge(a, b, label=str(weight), weight=weight,
                               title=f"{pair_name}: {text}",
                               drill={"view": "pair", "a": short_key(a), "b": short_key(b)},
                               facts=[(pair_name, text)]))
    return view


# -- pairs of countries, places, activities ---------------------------------

@dataclass
class _Partnership:
    iri: str
    members: set[str] = field(default_factory=set)
    kind: str | None = None
    more: bool = False  # has anything besides its members (themes, projects...)


_MORE = (PG.theme, PG.priorityArea, PG.fundedBy, PG.fundingProgramme)


def _partnerships(store: Store, iris: set[str]) -> dict[str, _Partnership]:
    """Members, kind and whether there is more to say, for each partnership."""
    found = {i: _Partnership(i) for i in iris}
    for values in chunks(iris):
        for row in store.select(f"""
                SELECT ?p ?m ?kind WHERE {{
                  VALUES ?p {{ {values} }}
                  {{ ?p org:hasMember ?m }} UNION {{ ?p pg:kind ?kind }}
                }}"""):
            p = found[row["p"].value]
            if row.get("m"):
                p.members.add(row["m"].value)
            if row.get("kind"):
                p.kind = row["kind"].value
        for row in store.select(f"""
                SELECT DISTINCT ?p WHERE {{
                  VALUES ?p {{ {values} }}
                  {{ {_either("?p", _MORE, "?o")} }}
                  UNION {{ ?a pg:partnership ?p }}
                }}"""):
            found[row["p"].value].more = True
    for p in found.values():
        p.more = p.more or len(p.members) != 2
    return found


def _countries_of(store: Store, iris: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for values in chunks(iris):
        for row in store.select(f"""
                SELECT ?m ?c WHERE {{ VALUES ?m {{ {values} }} ?m pg:country ?c }}"""):
            found.setdefault(row["m"].value, row["c"].value)
    return found


def _draw_partnerships(store: Store, view: NetworkView, partnerships: dict[str, _Partnership],
                       names: dict[str, str], words: Words) -> None:
    """Each partnership as an edge between its two members when it has
    nothing more to say, else as a node linked to its members."""
    for p in sorted(partnerships.values(), key=lambda p: p.iri):
        members = sorted(m for m in p.members if m in view.nodes)
        kind = names[p.kind] if p.kind else names[CLASSES["partnership"]]
        facts = [(names[str(PG.kind)], kind)] if p.kind else []
        facts.append((words("members"), ", ".join(sorted(names[m] for m in p.members))))
        if not p.more and len(members) == 2:
            view.edges.append(Edge(members[0], members[1], label="", title=f"{names[p.iri]} ({kind})",
                                   drill={"focus": p.iri}, stands_for=p.iri, facts=facts))
            continue
        if not members:
            continue
        view.add(Node(p.iri, "partnership", names[p.iri], drill={"focus": p.iri}, facts=facts))
        for m in members:
            # "has member" on every spoke would only repeat the diamond.
            view.edges.append(Edge(p.iri, m, title=f"{names[p.iri]} — {names[m]}"))


def _measure_by_links(view: NetworkView) -> None:
    """Each node's size: how many others it is linked to in this view."""
    neighbours: dict[str, set[str]] = {n: set() for n in view.nodes}
    for e in view.edges:
        if e.source in neighbours and e.target in neighbours:
            neighbours[e.source].add(e.target)
            neighbours[e.target].add(e.source)
    for node in view.nodes.values():
        node.measure = len(neighbours[node.id])


def _measure_by_partners(view: NetworkView) -> None:
    """Each place's size: how many other places it cooperates with in this
    view (through a partnership drawn as a line or as a node); any other
    node's, how many it is linked to."""
    _measure_by_links(view)
    partners: dict[str, set[str]] = {n: set() for n in view.nodes}
    members: dict[str, set[str]] = {}
    for e in view.edges:
        if e.source not in view.nodes or e.target not in view.nodes:
            continue
        if e.stands_for:
            partners[e.source].add(e.target)
            partners[e.target].add(e.source)
        elif view.nodes[e.source].cls == "partnership":
            members.setdefault(e.source, set()).add(e.target)
    for group in members.values():
        for m in group:
            partners[m] |= group - {m}
    for node in view.nodes.values():
        if node.cls == "municipality":
            node.measure = len(partners[node.id])


def _keep_best_connected(view: NetworkView, limit: int = NODE_LIMIT) -> None:
    """Above `limit` nodes, the best-connected ones (the focus first) and
    the edges among them."""
    if len(view.nodes) <= limit:
        return
    _measure_by_links(view)
    ranked = sorted(view.nodes.values(), key=lambda n: (n.id != view.focus, -n.measure, n.label))
    kept = {n.id for n in ranked[:limit]}
    view.cut = (limit, len(view.nodes))
    view.nodes = {k: v for k, v in view.nodes.items() if k in kept}
    view.edges = [e for e in view.edges if e.source in kept and e.target in kept]


def _place_nodes(view: NetworkView, places: set[str], countries: dict[str, str],
                 names: dict[str, str], classes: dict[str, str]) -> None:
    for m in sorted(places):
        country = countries.get(m)
        facts = [(names[str(PG.country)], names[country])] if country else []
        view.add(Node(m, classes.get(m, "municipality"), names[m],
                      country=short_key(country) if country else None,
                      country_name=names[country] if country else None,
                      drill={"focus": m}, facts=facts))


# The places of a pair of countries drawn, per country: those with the most
# partnerships with the other country.
PAIR_PLACES = 150


def _places_in(store: Store, country: str) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?m pg:country <{safe_iri(country)}> }}")
    return int(rows[0]["n"].value)


def _pair_links(store: Store, ca: str, cb: str) -> list[tuple[str, str, str]]:
    """(partnership, place of `ca`, place of `cb`) for every partnership
    between the two countries: one query, walked from the country with fewer
    places. Written plainly, Oxigraph may start from the larger country and
    read all its places' partnerships (1.3 s for Sweden at 1 M triples
    against 0.1 s from Poland); the country of the far side in a FILTER
    keeps the walk where it is written."""
    small, large = (ca, cb) if _places_in(store, ca) <= _places_in(store, cb) else (cb, ca)
    rows = store.select(f"""
        SELECT ?p ?near ?far WHERE {{
          ?near pg:country <{safe_iri(small)}> . ?p org:hasMember ?near .
          ?p org:hasMember ?far . ?far pg:country ?c
          FILTER(?c = <{safe_iri(large)}> && ?far != ?near)
        }}""")
    links = [(r["p"].value, r["near"].value, r["far"].value) for r in rows]
    return links if small == ca else [(p, a, b) for p, b, a in links]


def _best_partnered(links: list[tuple[str, str, str]], side: int) -> tuple[list[str], int]:
    """One side's places, the most partnered first (at most PAIR_PLACES),
    and how many there are."""
    partnerships: dict[str, set[str]] = {}
    for link in links:
        partnerships.setdefault(link[side], set()).add(link[0])
    ranked = sorted(partnerships, key=lambda m: (-len(partnerships[m]), m))
    return ranked[:PAIR_PLACES], len(ranked)


def pair(store: Store, a: str, b: str, lang: str) -> NetworkView:
    """The places of countries `a` and `b` (codes) and their partnerships:
    the best-partnered places of each side and the partnerships among them."""
    lang = _lang(lang)
    words = Words(lang)
    ca, cb = country_iri(store.base_iri, a), country_iri(store.base_iri, b)
    links = _pair_links(store, ca, cb)
    side_a, total_a = _best_partnered(links, 1)
    side_b, total_b = _best_partnered(links, 2)
    kept_a, kept_b = set(side_a), set(side_b)
    found = {p for p, m1, m2 in links if m1 in kept_a and m2 in kept_b}
    partnerships = _partnerships(store, found)
    # The other members of a partnership of three or more are drawn too:
    # a partnership is never drawn half.
    places = {m for p in partnerships.values() for m in p.members}
    countries = _countries_of(store, places)
    classes = classes_of(store, places)
    names = _names(store, places | set(partnerships) | {ca, cb}
                   | {p.kind for p in partnerships.values() if p.kind}, lang)
    view = NetworkView("pair", words("pair_title", a=names[ca], b=names[cb]),
                       crumbs=[(words("world"), {"view": "world"}),
                               (names[ca], {"view": "country", "country": a})],
                       measure=words("partners_in_view"), lang=lang)
    _place_nodes(view, places, countries, names, classes)
    _draw_partnerships(store, view, partnerships, names, words)
    _keep_best_connected(view)
    drawn = sum(n.cls != "partnership" for n in view.nodes.values())
    total = total_a + total_b if a != b else total_a
    view.cut = (drawn, total) if drawn < total else None
    _measure_by_partners(view)
    return view


def place(store: Store, iri: str, lang: str, depth: int = 1) -> NetworkView:
    """A municipality (or other party), its partnerships and activities and
    its partners; at depth 2 also its partners' partners."""
    lang = _lang(lang)
    words = Words(lang)
    node = f"<{safe_iri(iri)}>"
    partnership_iris = {r["p"].value for r in store.select(
        f"SELECT DISTINCT ?p WHERE {{ ?p org:hasMember {node} ; a pg:Partnership }} "
        f"LIMIT {NODE_LIMIT}")}
    activity_rows = store.select(f"""
        SELECT DISTINCT ?a WHERE {{
          {{ {_either("?a", (PG.participant, PG.host), node)} }}
          VALUES ?c {{ pg:Project pg:Event }} ?a a ?c
        }} LIMIT 200""")
    partnerships = _partnerships(store, partnership_iris)
    if depth > 1:
        partners = {m for p in partnerships.values() for m in p.members} - {iri}
        further: set[str] = set()
        # The view draws NODE_LIMIT nodes at most: asking for more would
        # only be thrown away.
        for values in chunks(partners):
            if len(further) >= NODE_LIMIT:
                break
            further |= {r["p"].value for r in store.select(f"""
                SELECT DISTINCT ?p WHERE {{ VALUES ?m {{ {values} }} ?p org:hasMember ?m ;
                                            a pg:Partnership }} LIMIT {NODE_LIMIT}""")}
        partnerships.update(_partnerships(store, further - set(partnerships)))
    places = {m for p in partnerships.values() for m in p.members} | {iri}
    activities = _activity_links(store, {r["a"].value for r in activity_rows})
    countries = _countries_of(store, places)
    classes = classes_of(store, places | {x for s, _, o in activities for x in (s, o)})
    names = _names(store, places | set(partnerships) | set(countries.values())
                   | {p.kind for p in partnerships.values() if p.kind}
                   | {x for t in activities for x in t}, lang)
    crumbs = [(words("world"), {"view": "world"})]
    if iri in countries:
        crumbs.append((names[countries[iri]], {"view": "country",
                                               "country": short_key(countries[iri])}))
    view = NetworkView("place", words("place_title", place=names[iri]), focus=iri,
                       crumbs=crumbs, measure=words("partners_in_view"), lang=lang)
    _place_nodes(view, places, countries, names, classes)
    _draw_partnerships(store, view, partnerships, names, words)
    _draw_links(view, activities, classes, names)
    view.nodes[iri].drill = None
    _keep_best_connected(view)
    if depth == 1:
        # Its partners in all, the ones past the bound included.
        total = int(store.select(f"""SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{
            ?p org:hasMember {node} ; org:hasMember ?m }}""")[0]["n"].value)
        drawn = sum(n.cls != "partnership" for n in view.nodes.values())
        view.cut = (drawn, total) if drawn < total else None
    _measure_by_partners(view)
    return view


# What an activity is linked to, drawn in the activity views: out of it
# (members, participants, themes, funders, its partnership) and into it
# (its projects and events).
_OUT = [ORG.hasMember, PG.participant, PG.host, PG.theme, PG.priorityArea, PG.fundedBy,
        PG.fundingProgramme, PG.partnership]
_IN = [PG.partnership]


def _activity_links(store: Store, activities: set[str]) -> list[tuple[str, str, str]]:
    """(subject, property, object) of the activities' links in the views."""
    found: list[tuple[str, str, str]] = []
    for values in chunks(activities):
        # ?a is not bound to ?s or ?o by BIND: Virtuoso 7.2 loses its
        # connection over such a query; which way a link runs comes back as ?in.
        for row in store.select(f"""
                SELECT ?a ?p ?o ?in WHERE {{
                  VALUES ?a {{ {values} }}
                  {{ {_either("?a", _OUT, "?o", "?p")} }}
                  UNION {{ {_either("?o", _IN, "?a", "?p")} BIND(true AS ?in) }}
                  FILTER(isIRI(?o))
                }}"""):
            a, p, o = row["a"].value, row["p"].value, row["o"].value
            found.append((o, p, a) if row.get("in") is not None else (a, p, o))
    return found


def _draw_links(view: NetworkView, links: list[tuple[str, str, str]], classes: dict[str, str],
                names: dict[str, str]) -> None:
    for s, p, o in links:
        for x in (s, o):
            if x not in view.nodes and x in classes:
                cls = classes[x]
                view.add(Node(x, cls, names[x],
                              drill={"focus": x} if cls in ACTIVITIES + ("municipality",) else None))
        if s in view.nodes and o in view.nodes:
            label = "" if p == str(ORG.hasMember) else names[p]
            view.edges.append(Edge(s, o, label=label, title=f"{names[s]} — {names[p]} → {names[o]}"))


def activity(store: Store, iri: str, lang: str) -> NetworkView:
    """A partnership, project or event with what it has: its members (and
    their countries as colour), themes, funders, programmes, its projects
    and events, and the people of its members."""
    lang = _lang(lang)
    words = Words(lang)
    links = _activity_links(store, {iri})
    # A project's or event's partnership brings its members along.
    partnerships = {o for s, p, o in links if p == str(PG.partnership) and s == iri}
    links += [t for t in _activity_links(store, partnerships) if t[1] == str(ORG.hasMember)]
    programmes = {o for _, p, o in links if p == str(PG.fundingProgramme)}
    for values in chunks(programmes):
        links += [(r["s"].value, str(PG.fundedBy), r["o"].value) for r in store.select(
            f"SELECT ?s ?o WHERE {{ VALUES ?s {{ {values} }} ?s pg:fundedBy ?o }}")]
    members = {o for _, p, o in links if p in (str(ORG.hasMember), str(PG.participant),
                                                 str(PG.host))}
    people: list[tuple[str, str, str]] = []
    for values in chunks(members):
        for row in store.select(f"""
                SELECT ?person ?m ?role WHERE {{
                  VALUES ?m {{ {values} }}
                  ?ms org:organization ?m ; org:member ?person .
                  OPTIONAL {{ ?ms org:role ?role }}
                  FILTER NOT EXISTS {{ ?ms pg:current false }}
                }} LIMIT {PEOPLE_LIMIT}"""):
            role = row["role"].value if row.get("role") else str(ORG.member)
            people.append((row["person"].value, role, row["m"].value))
    everything = {iri} | {x for s, _, o in links + people for x in (s, o)}
    classes = classes_of(store, everything)
    countries = _countries_of(store, members)
    names = _names(store, everything | {p for _, p, _ in links + people}
                   | set(countries.values()), lang)
    details = _details(store, iri, lang, names)
    crumbs = [(words("world"), {"view": "world"})]
    home = sorted({countries[m] for m in members if m in countries})
    if len(home) >= 2:
        crumbs.append((f"{names[home[0]]}–{names[home[1]]}",
                       {"view": "pair", "a": short_key(home[0]), "b": short_key(home[1])}))
    view = NetworkView("activity", names[iri], focus=iri, crumbs=crumbs,
                       measure=words("links_in_view"), lang=lang)
    view.add(Node(iri, classes.get(iri, "partnership"), names[iri], facts=details))
    _place_nodes(view, {m for m in members if classes.get(m) == "municipality"}, countries,
                 names, classes)
    _draw_links(view, links + people, classes, names)
    _keep_best_connected(view)
    _measure_by_links(view)
    return view


_DETAILS = (PG.kind, PG.status, PG.date, PG.startDate, PG.endDate, DCTERMS.description)


def _details(store: Store, iri: str, lang: str, names: dict[str, str]) -> list[tuple[str, str]]:
    """Kind, status, date and description of an activity, for its panel."""
    node = f"<{safe_iri(iri)}>"
    facts: list[tuple[str, str]] = []
    rows = store.select(f"""
        SELECT ?p ?v WHERE {{
          {_either(node, _DETAILS, "?v", "?p")} }}""")
    iris = [r["v"].value for r in rows if isinstance(r["v"], ox.NamedNode)]
    more = labels(store, iris + [r["p"].value for r in rows], lang)
    described = False
    for row in sorted(rows, key=lambda r: r["p"].value):
        value = row["v"]
        if row["p"].value == str(DCTERMS.description):
            if described or (getattr(value, "language", None) not in (None, "", lang)):
                continue
            described = True
            text = value.value if len(value.value) <= 280 else value.value[:280].rsplit(" ", 1)[0] + " …"
            facts.append((more[row["p"].value], text))
        else:
            facts.append((more[row["p"].value], more.get(value.value, value.value)[:40]))
    return facts


def around(store: Store, iri: str, lang: str) -> NetworkView:
    """Any other resource (a theme, a funder, a person) and the activities
    and places linked to it, either way."""
    lang = _lang(lang)
    words = Words(lang)
    node = f"<{safe_iri(iri)}>"
    rows = store.select(f"""
        SELECT ?s ?p ?o WHERE {{
          {{ {node} ?p ?o BIND({node} AS ?s) }} UNION {{ ?s ?p {node} BIND({node} AS ?o) }}
          FILTER(isIRI(?s) && isIRI(?o) && ?p != rdf:type && ?p != skos:narrower)
        }} LIMIT {NODE_LIMIT * 2}""")
    links = [(r["s"].value, r["p"].value, r["o"].value) for r in rows]
    everything = {iri} | {x for s, _, o in links for x in (s, o)}
    classes = classes_of(store, everything)
    # A person is linked through memberships, not directly.
    for row in store.select(f"""
            SELECT ?m ?role WHERE {{ ?ms org:member {node} ; org:organization ?m .
                                     OPTIONAL {{ ?ms org:role ?role }} }} LIMIT 50"""):
        links.append((iri, row["role"].value if row.get("role") else str(ORG.member),
                      row["m"].value))
        classes.update(classes_of(store, {row["m"].value}))
    links = [(s, p, o) for s, p, o in links if s in classes and o in classes
             and classes[s if o == iri else o] != "country"]
    names = _names(store, everything | {p for _, p, _ in links} | {o for _, _, o in links}, lang)
    view = NetworkView("around", names[iri], focus=iri, crumbs=[(words("world"), {"view": "world"})],
                       measure=words("links_in_view"), lang=lang)
    if iri not in classes and not links:
        return view  # nothing the network knows: an empty drawing
    view.add(Node(iri, classes.get(iri, "theme"), names[iri]))
    _draw_links(view, links, classes, names)
    _keep_best_connected(view)
    _measure_by_links(view)
    return view


def activities(store: Store, chosen: list[str], lang: str, total: int) -> NetworkView:
    """The chosen activities (at most ACTIVITY_LIMIT of `total`) with who
    takes part and what they are about; a two-member partnership with
    nothing more is an edge."""
    lang = _lang(lang)
    words = Words(lang)
    chosen = chosen[:ACTIVITY_LIMIT]
    classes = classes_of(store, chosen)
    partnerships = _partnerships(store, {a for a in chosen if classes.get(a) == "partnership"})
    bare = {p for p, d in partnerships.items() if not d.more}
    links = _activity_links(store, set(chosen) - bare)
    members = {m for p in partnerships.values() for m in p.members}
    members |= {o for _, p, o in links if p in (str(PG.participant), str(PG.host))}
    # An event's or project's partnership is drawn when it is chosen too.
    links = [(s, p, o) for s, p, o in links if p != str(PG.partnership) or
             (s in chosen and o in chosen)]
    everything = set(chosen) | members | {x for s, _, o in links for x in (s, o)}
    classes.update(classes_of(store, everything - set(classes)))
    countries = _countries_of(store, members)
    names = _names(store, everything | {p for _, p, _ in links} | set(countries.values())
                   | {d.kind for d in partnerships.values() if d.kind}, lang)
    view = NetworkView("activities", words("activities"), measure=words("links_in_view"),
                       crumbs=[(words("world"), {"view": "world"})], lang=lang,
                       cut=(len(chosen), total) if total > len(chosen) else None)
    _place_nodes(view, {m for m in members if m in classes}, countries, names, classes)
    for a in chosen:
        if a not in bare and a in classes:
            view.add(Node(a, classes[a], names[a], drill={"focus": a}))
    _draw_partnerships(store, view, {p: d for p, d in partnerships.items() if p in bare},
                       names, words)
    _draw_links(view, [t for t in links if t[1] != str(ORG.hasMember) or t[2] in view.nodes],
                classes, names)
    _keep_best_connected(view)
    _measure_by_links(view)
    return view


def focus(store: Store, iri: str, lang: str, depth: int = 1) -> NetworkView:
    """The view a resource opens: a country's, a place's, an activity's, or
    what lies around anything else. Empty when the store knows no such IRI."""
    cls = classes_of(store, [iri]).get(iri)
    if cls == "country":
        return world(store, lang, short_key(iri))
    if cls in ACTIVITIES:
        return activity(store, iri, lang)
    if cls == "municipality" or store.ask(
            f"ASK {{ ?p org:hasMember <{safe_iri(iri)}> }}"):
        return place(store, iri, lang, depth)
    return around(store, iri, lang)


def _names(store: Store, iris: set[str], lang: str) -> dict[str, str]:
    wanted = {i for i in iris if i} | set(CLASSES.values()) | {
        str(PG.kind), str(PG.country), str(ORG.hasMember), str(SKOS.broader)}
    return labels(store, wanted, lang)


def class_labels(store: Store, lang: str) -> dict[str, str]:
    names = labels(store, CLASSES.values(), _lang(lang))
    return {cls: names[iri] for cls, iri in CLASSES.items()}

