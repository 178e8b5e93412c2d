"""The benchmark's data: the bundled ontology and data plus two public data
sets from shared/data turned into RDF, each in its own named graph.

The CSVs become triples in the project's own vocabulary (pg:Municipality,
pg:Partnership with org:hasMember, skos:prefLabel, pg:country), with IRIs
built the way the seed files build them (<municipality/se/borlange>), so that
the bundled data and the public data join: Borlänge's twin towns from
Wikipedia sit beside those of its own page.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.iris import DEFAULT_BASE_IRI as BASE
from graph.iris import graph_for
from graph.resources import bundled_files, data_dir

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TWIN_TOWNS = SHARED / "twin-towns-wikipedia" / "twin_cities_geocoded.csv"
MUNICIPALITIES = SHARED / "se-municipalities" / "municipality_county.csv"

PG = "https://w3id.org/partnergraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")

# Wikipedia's country names that are not an English name of countries.ttl.
# Kosovo and Northern Cyprus have no ISO 3166-1 code: their towns get no country.
COUNTRY_ALIASES = {
    "England": "GB", "Scotland": "GB", "Wales": "GB", "Russia": "RU", "Turkey": "TR",
    "Republic of Ireland": "IE", "Palestine": "PS", "West Bank": "PS",
    "Georgia (country)": "GE", "Cape Verde": "CV", "Ivory Coast": "CI",
    "São Tomé and Príncipe": "ST", "Democratic Republic of the Congo": "CD",
    "Moldavia": "MD", "Falkland Islands": "FK", "East Timor": "TL",
    "Bosnia and Hercegovina": "BA", "Surinam": "SR", "Brunei": "BN",
    "Madagaskar": "MG", "Grece": "GR", "Kazakhstah": "KZ", "Micronesia": "FM",
}


@dataclass
class Dataset:
    graphs: dict[str, Path]   # graph IRI -> N-Triples file of the public data
    nquads: Path              # everything, bundled data included, as N-Quads
    quads: int


def n(path: str) -> ox.NamedNode:
    """An IRI; a relative one is resolved against the base, as in the seed files."""
    return ox.NamedNode(BASE + path) if "://" not in path else ox.NamedNode(path)


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "x"


def build(directory: Path, sample: int = 1) -> Dataset:
    """Write the data to `directory`; `sample` > 1 keeps only every so many
    Wikipedia rows, for a quick run. Triples are written sorted, so that two
    runs load the same files."""
    bundled = [ox.Quad(q.subject, q.predicate, q.object, n(graph_for(path, BASE)))
               for path in bundled_files()
               for q in ox.parse(path=str(path), base_iri=BASE, rename_blank_nodes=True)]
    public = {BASE + "graph/twin-towns-wikipedia": twin_town_triples(_country_codes(), sample),
              BASE + "graph/se-municipalities": municipality_triples()}
    graphs = {}
    for iri, triples in public.items():
        graphs[iri] = directory / (iri.rsplit("/", 1)[1] + ".nt")
        ox.serialize(triples, str(graphs[iri]), format=ox.RdfFormat.N_TRIPLES)
    everything = bundled + [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                            for g, triples in public.items() for t in triples]
    nquads = directory / "all.nq"
    ox.serialize(everything, str(nquads), format=ox.RdfFormat.N_QUADS)
    return Dataset(graphs, nquads, len(set(everything)))


def _country_codes() -> dict[str, str]:
    """English country name -> ISO alpha-2, from the bundled countries."""
    codes = dict(COUNTRY_ALIASES)
    for q in ox.parse(path=str(data_dir() / "reference" / "countries.ttl"), base_iri=BASE):
        if q.predicate.value in (SKOS + "prefLabel", SKOS + "altLabel") and q.object.language == "en":
            codes[q.object.value] = q.subject.value.rsplit("/", 1)[1]
    return codes


def twin_town_triples(codes: dict[str, str], sample: int = 1) -> list[ox.Triple]:
    triples: set[ox.Triple] = set()

    def town(name: str, country: str, lat: str, lng: str) -> ox.NamedNode:
        # "England, United Kingdom": the country is the last part.
        code = codes.get(country.rsplit(",", 1)[-1].strip())
        # A town whose country is unknown still needs an IRI of the same shape.
        node = n(f"municipality/{code.lower() if code else 'xx'}/{slug(name)}")
        triples.update([
            ox.Triple(node, RDF_TYPE, n(PG + "Municipality")),
            ox.Triple(node, n(SKOS + "prefLabel"), ox.Literal(name, language="en")),
        ])
        if code:
            triples.add(ox.Triple(node, n(PG + "country"), n(f"country/{code}")))
        if lat and lng:
            triples.add(ox.Triple(node, n(GEO + "lat"), ox.Literal(lat, datatype=DECIMAL)))
            triples.add(ox.Triple(node, n(GEO + "long"), ox.Literal(lng, datatype=DECIMAL)))
        return node

    source = n("source/wikipedia-twin-towns")
    triples.update([
        ox.Triple(source, RDF_TYPE, n(PG + "Source")),
        ox.Triple(source, n(DCTERMS + "title"),
                  ox.Literal("List of twin towns and sister cities (Wikipedia)", language="en")),
        ox.Triple(n("graph/twin-towns-wikipedia"), RDF_TYPE, n(PG + "SourceGraph")),
        ox.Triple(n("graph/twin-towns-wikipedia"), n(PROV + "wasDerivedFrom"), source),
    ])
    with TWIN_TOWNS.open(encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if i % sample:
                continue
            a = town(row["city1"], row["country1"], row["lat1"], row["lng1"])
            b = town(row["city2"], row["country2"], row["lat2"], row["lng2"])
            if a == b:
                continue
            # A pair listed on both countries' pages is one partnership.
            (a, an), (b, bn) = sorted([(a, row["city1"]), (b, row["city2"])], key=lambda x: x[0].value)
            p = n(f"partnership/wikipedia/{_key(a)}--{_key(b)}")
            triples.update([
                ox.Triple(p, RDF_TYPE, n(PG + "Partnership")),
                ox.Triple(p, n(PG + "kind"), n(PG + "TwinTown")),
                ox.Triple(p, n(ORG + "hasMember"), a),
                ox.Triple(p, n(ORG + "hasMember"), b),
                ox.Triple(p, n(SKOS + "prefLabel"), ox.Literal(f"{an}–{bn}", language="en")),
            ])
    return sorted(triples, key=str)


def _key(town: ox.NamedNode) -> str:
    """<municipality/se/borlange> -> se-borlange"""
    return "-".join(town.value.rsplit("/", 2)[-2:])


def municipality_triples() -> list[ox.Triple]:
    triples: set[ox.Triple] = set()
    with MUNICIPALITIES.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            m = n(f"municipality/se/{slug(row['municipality_name_short'])}")
            region = n(f"region/se/{slug(row['county_name_short'])}")
            triples.update([
                ox.Triple(m, RDF_TYPE, n(PG + "Municipality")),
                ox.Triple(m, n(SKOS + "prefLabel"), ox.Literal(row["municipality_name_short"], language="sv")),
                ox.Triple(m, n(SKOS + "altLabel"), ox.Literal(row["municipality_name"], language="sv")),
                ox.Triple(m, n(PG + "officialCode"), ox.Literal(row["municipality_code"])),
                ox.Triple(m, n(PG + "country"), n("country/SE")),
                ox.Triple(m, n(PG + "region"), region),
                ox.Triple(region, RDF_TYPE, n(PG + "Region")),
                ox.Triple(region, n(SKOS + "prefLabel"), ox.Literal(row["county_name"], language="sv")),
                ox.Triple(region, n(PG + "officialCode"), ox.Literal(row["county_code"])),
                ox.Triple(region, n(PG + "country"), n("country/SE")),
            ])
    return sorted(triples, key=str)
