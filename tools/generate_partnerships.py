"""Write a synthetic partnership graph of about N triples, shaped like the real
data, in the project's vocabulary: for benchmarks at sizes the real data does
not reach.

    python tools/generate_partnerships.py --triples 1000000 -o synthetic.nt [--seed 1] [--graph IRI]

The output is N-Triples, or N-Quads in one named graph with `--graph` (or an
`.nq` file name). The same seed and size give the same bytes.

Shape:
- municipalities (pg:Municipality) with Swedish and English names and a country
  from data/reference/countries.ttl, a few countries (Sweden first) far more
  frequent than the rest;
- partnerships (pg:Partnership) of two members each: every municipality has at
  least one, and the others are drawn with a power law over the municipalities,
  so that, as in Wikipedia's list of twin towns, most have 1 to 3 partners and
  a few have 50 to several hundred (the largest hub grows with the size);
- each partnership's kind and status (the ontology's), start year (xsd:gYear),
  themes from ontology/themes.ttl, funders (Sida and the EU as in the seed
  files, and others), labels in both languages;
- the graph's source (prov:wasDerivedFrom), as every source graph has.

Streaming: triples are written as they are made; what stays in memory is one
short string per municipality, so 10 million triples need some tens of MB.
"""
from __future__ import annotations

import argparse
import random
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

REPO = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/partnergraph/id/"
PG = "https://w3id.org/partnergraph/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
GYEAR = "http://www.w3.org/2001/XMLSchema#gYear"
DEFAULT_GRAPH = BASE + "graph/synthetic-partnerships"

# Each municipality has this many partnerships on average, about as in the
# Wikipedia list (25,000 pairs among 17,000 towns).
PARTNERSHIPS_PER_MUNICIPALITY = 1.5
# Draws rank r of M with P(rank < r) = (r/M)**EXPONENT: lower means heavier
# hubs. 0.6 gives the largest town about 100 partners at Wikipedia's size.
EXPONENT = 0.6

KINDS = [("TwinTown", 70), ("OfficialRelation", 15), ("MunicipalPartnership", 15)]
STATUSES = [("Active", 60), ("Ended", 15), ("Decided", 10), ("Planned", 8), ("Preparation", 7)]
# (slug, Swedish name, English name); org/sida and org/eu are the seed files' IRIs.
FUNDERS = [
    ("sida", "Sida", "Sida"),
    ("eu", "EU", "EU"),
    ("icld", "ICLD", "ICLD"),
    ("nordiska-ministerradet", "Nordiska ministerrådet", "Nordic Council of Ministers"),
    ("svenska-institutet", "Svenska institutet", "Swedish Institute"),
    ("forum-syd", "Forum Civ", "Forum Civ"),
]
# The countries most often named, most frequent first; the rest follow in a
# seeded order with weights falling off as 1/rank.
LEADING_COUNTRIES = ["SE", "DE", "FR", "US", "PL", "GB", "IT", "RU", "CN", "NO", "FI",
                     "DK", "UA", "JP", "ES", "KE", "TZ", "MZ", "ZA", "EE", "LV", "LT"]
SYLLABLES = ["bor", "län", "ge", "ljus", "dal", "kar", "vik", "sa", "la", "mö", "sköv",
             "de", "hol", "ström", "sund", "berg", "by", "torp", "å", "lund", "nä", "fors",
             "hed", "ås", "rum", "kö", "ping", "ar", "bo", "ga", "ne", "ri"]


@dataclass
class Summary:
    """What was written, and names the benchmark's queries refer to."""
    triples: int = 0
    municipalities: int = 0
    partnerships: int = 0
    countries: dict[str, int] = field(default_factory=dict)
    hub: str = ""            # the municipality with the most partners (rank 0)
    hub_name: str = ""       # its Swedish name
    hub_partner_name: str = ""
    swedish_hub_name: str = ""   # the best-connected Swedish municipality
    themes: list[str] = field(default_factory=list)


def themes(base: str = BASE) -> list[str]:
    """IRIs of the themes of ontology/themes.ttl, in file order."""
    import pyoxigraph as ox
    seen: dict[str, None] = {}
    for quad in ox.parse(path=str(REPO / "ontology" / "themes.ttl"), base_iri=base):
        if quad.predicate.value == RDF_TYPE and quad.object.value == PG + "Theme":
            seen[quad.subject.value] = None
    return list(seen)


def country_codes() -> list[str]:
    """ISO alpha-2 codes of data/reference/countries.ttl, sorted."""
    import pyoxigraph as ox
    codes = {quad.object.value
             for quad in ox.parse(path=str(REPO / "data" / "reference" / "countries.ttl"),
                                  base_iri=BASE)
             if quad.predicate.value == PG + "isoAlpha2"}
    return sorted(codes)


def name(index: int) -> str:
    """A unique Swedish-looking name for municipality `index`: its number in
    base len(SYLLABLES), at least two syllables."""
    n = index + len(SYLLABLES)
    parts = []
    while n:
        n, digit = divmod(n, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return "".join(reversed(parts)).capitalize()


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def sizes(triples: int) -> tuple[int, int]:
    """(municipalities, partnerships) for about `triples` triples: 4 triples a
    municipality, about 9.2 a partnership (see _partnership)."""
    per_municipality = 4 + PARTNERSHIPS_PER_MUNICIPALITY * 9.2
    municipalities = max(4, int(triples / per_municipality))
    return municipalities, int(municipalities * PARTNERSHIPS_PER_MUNICIPALITY)


def _weighted(rng: random.Random, pairs):
    names = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    cumulative = []
    total = 0
    for w in weights:
        total += w
        cumulative.append(total)
    import bisect

    def draw():
        return names[bisect.bisect_right(cumulative, rng.random() * total)]
    return draw


def generate(out: TextIO, triples: int, seed: int = 1, graph: str | None = None,
             base: str = BASE) -> Summary:
    """Write about `triples` triples (never fewer) to `out`; quads in `graph` if given."""
    rng = random.Random(seed)
    end = f" <{graph}> .\n" if graph else " .\n"
    summary = Summary()
    count = 0

    def emit(s: str, p: str, o: str) -> None:
        nonlocal count
        out.write(f"<{s}> <{p}> {o}{end}")
        count += 1

    def iri(value: str) -> str:
        return f"<{value}>"

    def text(value: str, lang: str) -> str:
        return f'"{value}"@{lang}'

    theme_iris = themes(base)
    summary.themes = theme_iris
    all_codes = country_codes()
    rest = [c for c in all_codes if c not in LEADING_COUNTRIES]
    rng.shuffle(rest)
    order = [c for c in LEADING_COUNTRIES if c in all_codes] + rest
    # Sweden as often as the next three together: the data is about Swedish
    # municipalities and their partners abroad.
    country = _weighted(rng, [(c, (3.0 if i == 0 else 1.0) / (i + 1)) for i, c in enumerate(order)])
    kind = _weighted(rng, KINDS)
    status = _weighted(rng, STATUSES)

    graph_iri = graph or DEFAULT_GRAPH
    source = base + "source/synthetic-partnerships"
    publisher = base + "org/partnergraph-bench"
    emit(graph_iri, RDF_TYPE, iri(PG + "SourceGraph"))
    emit(graph_iri, PROV + "wasDerivedFrom", iri(source))
    emit(source, RDF_TYPE, iri(PG + "Source"))
    emit(source, DCTERMS + "title", text("Synthetic partnerships (generated)", "en"))
    emit(source, DCTERMS + "publisher", iri(publisher))
    emit(publisher, SKOS + "prefLabel", text("partnergraph bench", "sv"))
    emit(publisher, SKOS + "prefLabel", text("partnergraph bench", "en"))
    for slug, sv, en in FUNDERS:
        funder = base + "org/" + slug
        emit(funder, RDF_TYPE, iri(PG + "Funder"))
        emit(funder, SKOS + "prefLabel", text(sv, "sv"))
        emit(funder, SKOS + "prefLabel", text(en, "en"))

    municipalities, _ = sizes(triples)
    # One string per municipality: the IRI path after the base; names come back from name().
    paths: list[str] = []
    swedish = -1
    for i in range(municipalities):
        code = country()
        sv = name(i)
        path = f"municipality/{code.lower()}/{ascii_fold(sv).lower()}"
        paths.append(path)
        node = base + path
        emit(node, RDF_TYPE, iri(PG + "Municipality"))
        emit(node, SKOS + "prefLabel", text(sv, "sv"))
        emit(node, SKOS + "prefLabel", text(ascii_fold(sv), "en"))
        emit(node, PG + "country", iri(f"{base}country/{code}"))
        summary.countries[code] = summary.countries.get(code, 0) + 1
        if code == "SE" and swedish < 0:
            swedish = i

    def ranked() -> int:
        return min(municipalities - 1, int(municipalities * rng.random() ** (1 / EXPONENT)))

    funded_by = {"MunicipalPartnership": [("sida", 85), ("icld", 10), ("", 5)],
                 "OfficialRelation": [("", 70), ("eu", 15), ("nordiska-ministerradet", 10),
                                      ("svenska-institutet", 5)],
                 "TwinTown": [("", 85), ("eu", 10), ("forum-syd", 5)]}
    funder_of = {k: _weighted(rng, v) for k, v in funded_by.items()}
    seen_pairs: set[tuple[int, int]] = set()
    j = 0
    while count < triples:
        # The first pass gives every municipality a partner; after that both
        # members are drawn, so the hubs collect most of the extra partnerships.
        a = j if j < municipalities else ranked()
        b = ranked()
        tries = 0
        while (b == a or (min(a, b), max(a, b)) in seen_pairs) and tries < 20:
            b = ranked() if tries < 10 else rng.randrange(municipalities)
            tries += 1
        if b == a or (min(a, b), max(a, b)) in seen_pairs:
            j += 1
            continue
        seen_pairs.add((min(a, b), max(a, b)))
        if j == 0:
            summary.hub_partner_name = name(b)
        _partnership(emit, iri, text, rng, base, j, a, b, paths, kind(), status(),
                     funder_of, theme_iris)
        j += 1
    summary.triples = count
    summary.municipalities = municipalities
    summary.partnerships = len(seen_pairs)
    summary.hub = base + paths[0]
    summary.hub_name = name(0)
    summary.swedish_hub_name = name(swedish) if swedish >= 0 else ""
    return summary


def _partnership(emit, iri, text, rng, base, j, a, b, paths, kind_name, status_name,
                 funder_of, theme_iris) -> None:
    """About 9.2 triples: 8 always, themes and a funder for some."""
    node = f"{base}partnership/synthetic/{j}"
    na, nb = name(a), name(b)
    emit(node, RDF_TYPE, iri(PG + "Partnership"))
    emit(node, PG + "kind", iri(PG + kind_name))
    emit(node, PG + "status", iri(PG + status_name))
    emit(node, SKOS + "prefLabel", text(f"{na}–{nb}", "sv"))
    emit(node, SKOS + "prefLabel", text(f"{ascii_fold(na)}–{ascii_fold(nb)}", "en"))
    emit(node, ORG + "hasMember", iri(base + paths[a]))
    emit(node, ORG + "hasMember", iri(base + paths[b]))
    if kind_name == "MunicipalPartnership":
        year = rng.randint(2008, 2025)
        count = rng.choice((1, 2, 2, 3))
    else:
        # Twin towns mostly from the post-war decades, a long tail to now.
        year = min(2025, 1946 + int(rng.expovariate(1 / 22)))
        count = rng.choice((0, 0, 0, 1, 1, 2))
    emit(node, PG + "startDate", f'"{year}"^^<{GYEAR}>')
    for theme in sorted(set(rng.choice(theme_iris) for _ in range(count))):
        emit(node, PG + "theme", iri(theme))
    funder = funder_of[kind_name]()
    if funder:
        emit(node, PG + "fundedBy", iri(base + "org/" + funder))


def write(path: str | Path, triples: int, seed: int = 1, graph: str | None = None) -> Summary:
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        return generate(out, triples, seed, graph)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="about this many triples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--graph", help="write N-Quads in this named graph")
    parser.add_argument("-o", "--output", help="file (default standard output)")
    args = parser.parse_args(argv)
    graph = args.graph
    if graph is None and args.output and args.output.endswith(".nq"):
        graph = DEFAULT_GRAPH
    if args.output:
        summary = write(args.output, args.triples, args.seed, graph)
    else:
        summary = generate(sys.stdout, args.triples, args.seed, graph)
    print(f"{summary.triples} triples: {summary.municipalities} municipalities, "
          f"{summary.partnerships} partnerships; hub {summary.hub_name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
