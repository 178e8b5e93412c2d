"""A big partnerships spreadsheet as a steward would import it: the columns
of data/templates/partnerships.csv, real town names, several countries.

    python bench/partnerships_csv.py --rows 107451 -o big.csv [--seed 1]

Rows are of two sorts, both of names the importer accepts:

- a Swedish municipality (one of the 290 the store lists: a name outside that
  list is refused) with a town abroad, taken from the towns of Wikipedia's
  twin-town lists (data/datasets/twin-towns-wikipedia), which the importer
  matches or mints; a few Swedish municipalities have many partners, most a
  few hundred, as a national register would have it;
- a pair of two towns abroad as those lists give it, with the municipality's
  own country in `municipality_country`.

Every pair is given once (a file may not give a partnership twice), kinds,
statuses, themes and funders come in the words the template allows (Swedish
or English), and most rows have a source address and a note of a few
sentences, so that 100,000 rows come to about 50 MB. The same seed gives the
same bytes."""
from __future__ import annotations

import argparse
import csv
import random
import sys
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from graph.ingest.actor_kinds import inside, looks_like
from graph.ingest.names import fold
from graph.ingest.other_names import other_names
from graph.iris import municipality_iri
from graph.resources import data_dir, themes_file

COLUMNS = ["municipality", "municipality_country", "partner_municipality", "partner_country",
           "kind", "themes", "funders", "start_year", "status", "source_url", "notes"]
KINDS = ["twin town", "vänort", "municipal partnership", "kommunalt partnerskap",
         "official relation", "sister city"]
STATUSES = ["", "", "active", "aktiv", "ended", "avslutad", "preparation", "planned", "decided"]
FUNDERS = ["Sida", "ICLD", "Europeiska unionen", "Nordiska ministerrådet", "Svenska Institutet",
           "Region Dalarna", "Interreg Baltic Sea Region"]
SENTENCES = [
    "Samarbetet mellan {a} och {b} inleddes {year} efter ett besök av en delegation från {b}.",
    "The partnership between {a} and {b} focuses on {theme} and exchanges between schools.",
    "Politiker och tjänstepersoner från båda kommunerna träffas ungefär två gånger om året.",
    "A joint steering group meets every spring; minutes are published on the municipality's website.",
    "Projektet har finansierats i omgångar och omfattar bland annat {theme}.",
    "Youth exchanges, study visits and a shared cultural festival have been held in {b}.",
    "Kontaktperson finns på kommunledningskontoret i {a}; frågor om vänorten skickas dit.",
    "The agreement was renewed in {year} and extended to cover {theme} as well.",
    "Enligt kommunens webbplats är samarbetet vilande sedan pandemin men ska tas upp igen.",
    "Local associations in {a} keep contact with sports clubs and choirs in {b}.",
]


def swedish_municipalities() -> list[str]:
    path = data_dir() / "datasets" / "se-municipalities" / "municipality_county.csv"
    with path.open(encoding="utf-8") as handle:
        return [row["municipality_name_short"] for row in csv.DictReader(handle)]


# ISO code to the country's English name, filled by country_codes().
ENGLISH: dict[str, str] = {}


def country_codes() -> dict[str, str]:
    """Country names (English and Swedish, folded) and the data set's
    aliases, to ISO codes; the code itself as well."""
    iso, codes = "https://w3id.org/partnergraph/ontology#isoAlpha2", {}
    quads = list(ox.parse(path=str(data_dir() / "reference" / "countries.ttl"),
                          base_iri="https://w3id.org/partnergraph/id/"))
    code_of = {q.subject: q.object.value for q in quads if q.predicate.value == iso}
    for q in quads:
        if q.subject in code_of and q.predicate.value.endswith(("#prefLabel", "#altLabel")):
            codes[fold(q.object.value)] = code_of[q.subject]
            if q.predicate.value.endswith("#prefLabel") and q.object.language == "en":
                ENGLISH[code_of[q.subject]] = q.object.value
    mapping = tomllib.loads((data_dir() / "datasets" / "twin-towns-wikipedia" / "mapping.toml")
                            .read_text(encoding="utf-8"))
    for name, code in mapping["country_aliases"].items():
        if code:
            codes[fold(name)] = code
    return codes


def wikipedia_pairs(codes: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(town, country name, partner, partner's country name) of the lists,
    of towns outside Sweden whose country is known and whose name is a
    town's, not a region's or a "Place (Municipality)"."""
    path = data_dir() / "datasets" / "twin-towns-wikipedia" / "twin_cities_geocoded.csv"
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            sides = [(row["city1"].strip(), row["country1"].strip()),
                     (row["city2"].strip(), row["country2"].strip())]
            if all(_usable(name, country, codes) for name, country in sides):
                pairs.append((sides[0][0], sides[0][1], sides[1][0], sides[1][1]))
    return pairs


def _usable(name: str, country: str, codes: dict[str, str]) -> bool:
    code = codes.get(fold(country.rsplit(",", 1)[-1]))
    return bool(code and code != "SE" and name and name.isprintable() and not looks_like(name)
                and not inside(name) and not any(c in name for c in "()[],;/\"")
                and unicodedata.normalize("NFC", name) == name)


def rows(count: int, seed: int = 1) -> Iterator[dict[str, str]]:
    """`count` rows of the partnerships template, each pair once."""
    rng = random.Random(seed)
    codes = country_codes()
    home_towns = swedish_municipalities()
    pairs = wikipedia_pairs(codes)
    towns = one_name_per_town(sorted({(name, country) for a, ca, b, cb in pairs
                                      for name, country in ((a, ca), (b, cb))}), codes)
    pairs = [pair for pair in pairs if (pair[0], pair[1]) in towns and (pair[2], pair[3]) in towns]
    themes = _theme_names()
    # Partnerships are between nodes: two spellings of one town (Lodz,
    # Łódź) are one node, and a pair is given once in either order.
    seen: set[frozenset[str]] = set()

    def code(country: str) -> str:
        return codes[fold(country.rsplit(",", 1)[-1])]

    def node(name: str, country: str) -> str:
        return municipality_iri("x:", code(country), name)

    def written(country: str) -> str:
        # As stewards write it: the ISO code, or the name in English.
        return code(country) if rng.random() < 0.5 else ENGLISH[code(country)]

    def fresh(a: str, ca: str, b: str, cb: str) -> bool:
        one, other = node(a, ca), node(b, cb)
        pair = frozenset((one, other))
        if one == other or pair in seen:
            return False
        seen.add(pair)
        return True

    abroad = iter(rng.sample(pairs, len(pairs)))
    ordered = sorted(towns)
    # Heavy-tailed: the first municipalities in this order have the most partners.
    weights = [1 / (rank + 3) ** 0.8 for rank in range(len(home_towns))]
    order = rng.sample(home_towns, len(home_towns))
    made = 0
    while made < count:
        # About one row in five is a pair abroad, while the lists last.
        pair = next(abroad, None) if rng.random() < 0.2 else None
        if pair is not None:
            a, ca, b, cb = pair
        else:
            a, ca = rng.choices(order, weights)[0], "Sweden"
            b, cb = rng.choice(ordered)
        if not fresh(a, ca, b, cb):
            continue
        made += 1
        yield _row(rng, a, written(ca), b, written(cb), themes)


def one_name_per_town(towns: list[tuple[str, str]], codes: dict[str, str]) -> set[tuple[str, str]]:
    """The towns, each by one of its names: the importer takes a name that
    GeoNames gives as another name of a town met earlier in the sheet
    (Eleusis, Elefsina) to be that town, and a pair would then come twice."""
    claimed: set[str] = set()
    kept = set()
    for name, country in towns:
        code = codes[fold(country.rsplit(",", 1)[-1])]
        keys = {municipality_iri("x:", code, other)
                for other in (name, *other_names(name, code))}
        if not keys & claimed:
            kept.add((name, country))
        claimed |= keys
    return kept


def _row(rng: random.Random, a: str, ca: str, b: str, cb: str, themes: list[str]) -> dict[str, str]:
    year = str(rng.randint(1950, 2024)) if rng.random() < 0.7 else ""
    chosen = rng.sample(themes, rng.choice([0, 0, 1, 1, 2, 3]))
    words = {"a": a, "b": b, "year": year or "1990", "theme": (chosen or ["kultur"])[0].lower()}
    notes = " ".join(s.format(**words) for s in rng.sample(SENTENCES, rng.randint(1, 7))) \
        if rng.random() < 0.9 else ""
    slug = "".join(c for c in unicodedata.normalize("NFKD", a.lower()) if c.isascii() and c.isalnum())
    source = (f"https://www.{slug}.se/kommun-och-politik/internationellt/vanorter/{rng.randint(1, 9999)}"
              if rng.random() < 0.8 else "")
    return {
        "municipality": a,
        "municipality_country": "" if ca in ("SE", "Sweden") and rng.random() < 0.7 else ca,
        "partner_municipality": b,
        "partner_country": cb,
        "kind": rng.choice(KINDS),
        "themes": "; ".join(chosen),
        "funders": "; ".join(rng.sample(FUNDERS, 1 + (rng.random() < 0.2))) if rng.random() < 0.3 else "",
        "start_year": year,
        "status": rng.choice(STATUSES),
        "source_url": source,
        "notes": notes,
    }


def _theme_names() -> list[str]:
    label = "http://www.w3.org/2004/02/skos/core#prefLabel"
    names = [q.object.value for q in ox.parse(path=str(themes_file()), base_iri="https://w3id.org/partnergraph/id/")
             if q.predicate.value == label and q.object.value not in ("Teman", "Themes")]
    return sorted(names)


def write(out: TextIO, count: int, seed: int = 1) -> None:
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(count, seed))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=107_451)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    with args.output.open("w", encoding="utf-8", newline="") as out:
        write(out, args.rows, args.seed)
    print(f"{args.output}: {args.rows} rows, {args.output.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
