"""Public data sets shipped in data/datasets/<name>/: the CSV files as
published, their licence, and a mapping (mapping.toml) of their columns to
the fields of the import templates. This module reads any such mapping; what
is particular to one data set is in its mapping, not here.

Two kinds of data set: `municipalities` (a row is a municipality) and `pairs`
(a row is a partnership of two towns). Town names are matched to the
municipalities already in the store without case or accents, so that a real
place is one node; each merge is recorded with its reason."""
from __future__ import annotations

import csv
import hashlib
import math
import os
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS, XSD

from graph.errors import PartnergraphError
from graph.ingest import names as name_matching
from graph.ingest.importer import apply_import, prepare_quads
from graph.ingest.names import fold
from graph.ingest.report import Problem
from graph.ingest.template import KINDS
from graph.iris import country_iri, graph_iri, municipality_iri, partnership_iri, region_iri, source_iri
from graph.rdf.namespaces import GEO, PG
from graph.resources import data_dir
from graph.store.base import Store

# Two spellings that are not the same folded name are taken for one place
# only when one name begins with the other and they lie this close.
COORDINATE_MERGE_KM = 2.0
LIMIT_VARIABLE = "PARTNERGRAPH_DATASET_LIMIT"


def datasets_dir() -> Path:
    return data_dir() / "datasets"


@dataclass
class Dataset:
    name: str
    directory: Path
    mapping: dict

    @property
    def title(self) -> str:
        return self.mapping["title"]

    @property
    def licence(self) -> str:
        return self.mapping.get("licence_name") or self.mapping["licence"]

    @property
    def default(self) -> bool:
        return bool(self.mapping.get("default"))

    @property
    def files(self) -> list[Path]:
        return [self.directory / f["path"] for f in self.mapping["files"]]

    @property
    def size(self) -> int:
        return sum(path.stat().st_size for path in self.files)

    def graph(self, base_iri: str) -> str:
        return graph_iri(base_iri, self.name)

    def sha256(self) -> str:
        digest = hashlib.sha256()
        digest.update((self.directory / "mapping.toml").read_bytes())
        for path in self.files:
            digest.update(path.read_bytes())
        return digest.hexdigest()


def available() -> list[Dataset]:
    return [_read(path.parent) for path in sorted(datasets_dir().glob("*/mapping.toml"))]


def get(name: str) -> Dataset:
    for dataset in available():
        if dataset.name == name:
            return dataset
    names = ", ".join(d.name for d in available())
    raise PartnergraphError(f"No data set {name!r}; the data sets are: {names}.")


def _read(directory: Path) -> Dataset:
    with (directory / "mapping.toml").open("rb") as handle:
        mapping = tomllib.load(handle)
    return Dataset(mapping.get("name", directory.name), directory, mapping)


@dataclass(frozen=True)
class Merge:
    """A name in the data taken to mean a node that another name (in the store
    or earlier in the data) already stands for."""
    given: str
    country: str
    iri: str
    label: str
    reason: str          # exact, accent-folded, alias, coordinates
    detail: str

    def text(self) -> str:
        return f"{self.given!r} ({self.country}) -> <{self.iri}> {self.label!r}: {self.reason}; {self.detail}"


@dataclass
class Built:
    dataset: Dataset
    graph: str
    quads: list[ox.Quad] = field(default_factory=list)
    rows: int = 0
    towns: int = 0
    partnerships: int = 0
    merges: list[Merge] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"{self.dataset.name}: {self.rows} rows, {self.towns} places, "
                 f"{self.partnerships} partnerships into <{self.graph}>",
                 f"{len(self.merges)} name(s) merged into an existing node:"]
        lines += ["  " + m.text() for m in sorted(self.merges, key=lambda m: (m.iri, m.given))]
        by_reason: dict[str, int] = defaultdict(int)
        for problem in self.skipped:
            by_reason[problem.message] += 1
        if self.skipped:
            lines.append(f"{len(self.skipped)} row(s) left out:")
            lines += [f"  {n} x {reason}" for reason, n in sorted(by_reason.items(), key=lambda x: -x[1])]
        return "\n".join(lines)


def build(store: Store, dataset: Dataset, limit: int | None = None) -> Built:
    """The data set as quads of its graph. `limit` reads only so many rows of
    each file (tests use it; so does PARTNERGRAPH_DATASET_LIMIT)."""
    built = Built(dataset, dataset.graph(store.base_iri))
    converter = _Converter(store, built)
    converter.source_graph()
    rows = converter.municipality_row if dataset.mapping["kind"] == "municipalities" else converter.pair_row
    columns = dataset.mapping["columns"]
    for path in dataset.files:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                if limit is not None and number - 1 > limit:
                    break
                built.rows += 1
                rows(number, {field_: (row.get(column) or "").strip()
                              for field_, column in columns.items()}, path.name)
    converter.finish()
    built.quads = sorted(set(built.quads), key=str)
    return built


class _Converter:
    def __init__(self, store: Store, built: Built):
        self.store, self.built, self.base = store, built, store.base_iri
        self.mapping = built.dataset.mapping
        self.graph = ox.NamedNode(built.graph)
        self.countries, self.country_codes = name_matching.countries(store)
        self.aliases = {fold(k): v for k, v in self.mapping.get("country_aliases", {}).items()}
        self.name_aliases = {k.split("|")[0] + "|" + k.split("|")[1]: v
                             for k, v in self.mapping.get("name_aliases", {}).items()}
        self.qualifiers = [q.casefold() for q in self.mapping.get("qualifiers", {}).get("drop", [])]
        self.existing = _existing_towns(store, built.graph)
        self.existing_pairs = _existing_pairs(store, built.graph)
        # Lookups by key, not scans: a scan per new town made the full data
        # set's 20,000 towns cost minutes.
        self.existing_by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
        for iri, facts in self.existing.items():
            for existing_key in facts["keys"]:
                self.existing_by_key[existing_key].append(iri)
        self.place_words = {fold(w) for w in self.mapping.get("merge", {}).get("same_place_words", [])}
        self.towns: dict[tuple[str, str], str] = {}          # (folded name, code) -> IRI
        self.labels: dict[str, str] = {}                     # IRI -> label
        self.coordinates: dict[str, tuple[float, float]] = {}
        # (code, core of the folded name) -> [(folded name, IRI)], in the order found
        self.by_core: dict[tuple[str, tuple[str, ...]], list[tuple[str, str]]] = defaultdict(list)
        self.merged: set[tuple[str, str]] = set()
        self.pairs: set[tuple[str, str]] = set()

    def add(self, subject: str, predicate, obj) -> None:
        if isinstance(obj, str):
            obj = ox.NamedNode(obj)
        self.built.quads.append(ox.Quad(ox.NamedNode(subject), ox.NamedNode(str(predicate)),
                                        obj, self.graph))

    def source_graph(self) -> None:
        m, graph = self.mapping, self.built.graph
        source = source_iri(self.base, self.built.dataset.name)
        self.add(source, RDF.type, str(PG.Source))
        self.add(source, DCTERMS.title, ox.Literal(m["title"], language="en"))
        self.add(source, DCTERMS.identifier, ox.Literal(m["derived_from"]))
        self.add(source, DCTERMS.source, m["source"])
        self.add(source, DCTERMS.license, m["licence"])
        self.add(source, DCTERMS.rights, ox.Literal(
            f"{m['licence_name']}. Publisher: {m['publisher']}.", language="en"))
        self.add(graph, RDF.type, str(PG.SourceGraph))
        self.add(graph, DCTERMS.title, ox.Literal(m["title"], language="en"))
        if m.get("title_sv"):
            self.add(graph, DCTERMS.title, ox.Literal(m["title_sv"], language="sv"))
        self.add(graph, DCTERMS.source, m["source"])
        self.add(graph, DCTERMS.license, m["licence"])
        self.add(graph, PROV.wasDerivedFrom, source)

    # -- countries -----------------------------------------------------
    def country(self, text: str) -> str | None:
        """ISO alpha-2 code of a country as the data writes it, or None."""
        for candidate in (text, text.rsplit(",", 1)[-1]):
            key = fold(candidate)
            if key in self.aliases:
                return self.aliases[key] or None
            found = self.countries.find(candidate.strip())
            if len(found) == 1:
                return self.country_codes[found[0]]
        return None

    # -- towns ---------------------------------------------------------
    def town(self, given: str, country_text: str, code: str, lat: str = "", lng: str = "") -> str:
        name = given
        for qualifier in self.qualifiers:
            if name.casefold().endswith(" " + qualifier):
                name = name[: -len(qualifier) - 1].strip()
        reason, detail = None, ""
        alias = self.name_aliases.get(f"{fold(name)}|{code}")
        if alias:
            reason, detail, name = "alias", f"the mapping's name alias for {alias!r}", alias
        key = (fold(name), code)
        point = _point(lat, lng)
        iri = self.towns.get(key)
        if iri is None:
            iri, found_reason, found_detail = self._find(name, key, code, point)
            reason, detail = reason or found_reason, detail or found_detail
            self.towns[key] = iri
            if iri not in self.labels:
                self.labels[iri] = self.existing.get(iri, {}).get("label") or name
                if iri not in self.existing:
                    self.add(iri, RDF.type, str(PG.Municipality))
                    self.add(iri, SKOS.prefLabel, ox.Literal(name, language="en"))
                    self.add(iri, SKOS.prefLabel, ox.Literal(name, language="sv"))
                    self.add(iri, PG.country, country_iri(self.base, code))
                self.by_core[code, self._core(fold(name))].append((fold(name), iri))
        elif given != self.labels[iri] and reason is None:
            if given in self.existing.get(iri, {}).get("names", ()):
                reason, detail = "exact", "a name of the node"
            elif fold(given) == fold(self.labels[iri]):
                reason, detail = "accent-folded", f"same name as {self.labels[iri]!r} without case and accents"
            else:
                reason, detail = "spelling", f"same letters and digits as {self.labels[iri]!r}"
        if reason and (given, iri) not in self.merged:
            self.merged.add((given, iri))
            self.built.merges.append(Merge(given, country_text, iri, self.labels[iri], reason, detail))
        if point and iri not in self.coordinates and not self.existing.get(iri, {}).get("located"):
            self.coordinates[iri] = point
        return iri

    def _find(self, name: str, key: tuple[str, str], code: str,
              point: tuple[float, float] | None) -> tuple[str, str | None, str]:
        candidates = sorted(self.existing_by_key.get(key, ()))
        if candidates:
            # Håbo and Habo are two municipalities: the exact spelling wins.
            exact = [iri for iri in candidates if name in self.existing[iri]["names"]]
            iri = (exact or candidates)[0]
            names = self.existing[iri]["names"]
            if name in names:
                return iri, "exact", f"a name of the node in <{'>, <'.join(self.existing[iri]['graphs'])}>"
            return iri, "accent-folded", (f"{name!r} is {sorted(names)[0]!r} without case and accents "
                                          f"(node in <{'>, <'.join(self.existing[iri]['graphs'])}>)")
        if point:
            for other_key, other in self.by_core.get((code, self._core(key[0])), ()):
                near = self.coordinates.get(other) or self.existing.get(other, {}).get("point")
                if near and self._same_place_words(key[0], other_key) and _km(point, near) <= COORDINATE_MERGE_KM:
                    return other, "coordinates", (f"{self.labels[other]!r} lies {_km(point, near):.1f} km "
                                                  "away and the names differ only by "
                                                  "words the mapping lists as naming the same place")
        return municipality_iri(self.base, code, name), None, ""

    def _core(self, folded: str) -> tuple[str, ...]:
        """The name without the mapping's words at its start and end. Two
        names that _same_place_words takes for one place have the same core,
        so only towns of the same core need comparing."""
        words = folded.split()
        while words and words[0] in self.place_words:
            words.pop(0)
        while words and words[-1] in self.place_words:
            words.pop()
        return tuple(words)

    def _same_place_words(self, one: str, other: str) -> bool:
        # "Frederikshavn Municipality" is Frederikshavn, but "Orange County"
        # is not the town of Orange although the geocoder puts both on one
        # point: only the mapping's words make two names one place.
        shorter, longer = sorted((one.split(), other.split()), key=len)
        if shorter == longer or not shorter:
            return False
        words = self.place_words
        for start in (0, len(longer) - len(shorter)):
            if longer[start:start + len(shorter)] == shorter:
                rest = longer[:start] + longer[start + len(shorter):]
                if all(word in words for word in rest):
                    return True
        return False

    # -- rows ----------------------------------------------------------
    def skip(self, number: int, file: str, message: str) -> None:
        self.built.skipped.append(Problem(message, "", row=number, column=file))

    def pair_row(self, number: int, row: dict[str, str], file: str) -> None:
        sides = []
        for side in ("municipality", "partner_municipality"):
            prefix = "municipality" if side == "municipality" else "partner"
            name, country_text = row.get(side, ""), row.get(f"{prefix}_country", "")
            if not name or not country_text:
                return self.skip(number, file, "a town or country is empty")
            code = self.country(country_text)
            if code is None:
                return self.skip(number, file, f"no ISO 3166-1 country for {country_text!r}")
            sides.append((name, country_text, code, row.get(f"{prefix}_latitude", ""),
                          row.get(f"{prefix}_longitude", "")))
        a, b = (self.town(*side) for side in sides)
        if a == b:
            return self.skip(number, file, "both towns are the same place")
        pair = tuple(sorted((a, b)))
        if pair in self.pairs:
            return
        self.pairs.add(pair)
        if pair in self.existing_pairs:
            return self._same_partnership(pair, sides)
        iri = partnership_iri(self.base, self.built.dataset.name, f"{_key(pair[0])}--{_key(pair[1])}")
        kind = next(term for term, words in KINDS.items()
                    if self.mapping.get("partnership_kind", "twin town") in words)
        self.add(iri, RDF.type, str(PG.Partnership))
        self.add(iri, PG.kind, str(kind))
        for member in pair:
            self.add(iri, ORG.hasMember, member)
        label = f"{self.labels[pair[0]]}–{self.labels[pair[1]]}"
        self.add(iri, SKOS.prefLabel, ox.Literal(label, language="en"))
        self.add(iri, SKOS.prefLabel, ox.Literal(label, language="sv"))

    def _same_partnership(self, pair: tuple[str, str], sides: list[tuple]) -> None:
        """A pair the store already has a partnership of (a seed's twin town
        listed by Wikipedia too) is that partnership, not a second one: this
        source states its members, and the rest (name, kind, themes) stays
        with the source that gave them, so the page shows one partnership
        with both sources."""
        iri, kind = self.existing_pairs[pair]
        for member in pair:
            self.add(iri, ORG.hasMember, member)
        listed = self.mapping.get("partnership_kind", "twin town")
        detail = f"a partnership of these two towns is already in the store (as {kind})"
        if kind != listed:
            detail += f"; this source lists them as {listed}"
        given = f"{sides[0][0]} – {sides[1][0]}"
        self.built.merges.append(Merge(given, f"{sides[0][2]}/{sides[1][2]}", iri,
                                       f"{self.labels[pair[0]]} – {self.labels[pair[1]]}",
                                       "same pair", detail))

    def municipality_row(self, number: int, row: dict[str, str], file: str) -> None:
        code = self.mapping.get("constants", {}).get("country") or self.country(row.get("country", ""))
        if not row.get("name") or not code:
            return self.skip(number, file, "the name or country is empty")
        key = (fold(row["name"]), code)
        if key in self.towns and self.labels.get(self.towns[key]) != row["name"]:
            # Each row of a municipality list is a municipality of its own
            # (Håbo and Habo), so a folded name seen before is not a merge.
            iri = municipality_iri(self.base, code, row['name'], str(row.get('official_code', number)))
            self.labels[iri] = row["name"]
            self.add(iri, RDF.type, str(PG.Municipality))
            self.add(iri, SKOS.prefLabel, ox.Literal(row["name"], language="en"))
            self.add(iri, SKOS.prefLabel, ox.Literal(row["name"], language="sv"))
            self.add(iri, PG.country, country_iri(self.base, code))
        else:
            iri = self.town(row["name"], code, code)
        if row.get("alt_name"):
            self.add(iri, SKOS.altLabel, ox.Literal(row["alt_name"], language="sv"))
        if row.get("official_code"):
            self.add(iri, PG.officialCode, ox.Literal(row["official_code"]))
        if row.get("region"):
            region = region_iri(self.base, code, row['region'])
            self.add(region, RDF.type, str(PG.Region))
            self.add(region, SKOS.prefLabel, ox.Literal(row["region"], language="sv"))
            if row.get("region_code"):
                self.add(region, PG.officialCode, ox.Literal(row["region_code"]))
            self.add(iri, PG.region, region)

    def finish(self) -> None:
        decimal = ox.NamedNode(str(XSD.decimal))
        for iri, (lat, lng) in self.coordinates.items():
            self.add(iri, GEO.lat, ox.Literal(_decimal(lat), datatype=decimal))
            self.add(iri, GEO.long, ox.Literal(_decimal(lng), datatype=decimal))
        # The reason of each merge is kept beside the data, so that a page
        # can say why a name from this source landed on it.
        for merge in self.built.merges:
            self.add(merge.iri, SKOS.editorialNote, ox.Literal(
                f"{self.built.dataset.name}: {merge.given!r} ({merge.country}) merged here "
                f"({merge.reason}: {merge.detail}).", language="en"))
        self.built.towns = len(self.labels)
        self.built.partnerships = len(self.pairs)


def _existing_pairs(store: Store, own_graph: str) -> dict[tuple[str, str], tuple[str, str]]:
    """Partnerships of exactly two members that the store holds outside the
    data set's own graph: (sorted members) -> (IRI, kind's local name). Where
    one pair has several, a twin town is preferred, then the first by IRI."""
    members: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, str] = {}
    for row in store.select(f"""
        SELECT ?p ?m ?kind WHERE {{
          GRAPH ?g {{ ?p org:hasMember ?m }} FILTER (?g != <{own_graph}>)
          ?p a pg:Partnership .
          OPTIONAL {{ ?p pg:kind ?kind }}
        }}"""):
        members[row["p"].value].add(row["m"].value)
        if "kind" in row:
            kinds[row["p"].value] = row["kind"].value.rsplit("#", 1)[-1]
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for iri in sorted(members, key=lambda i: (kinds.get(i) != "TwinTown", i)):
        if len(members[iri]) == 2:
            found.setdefault(tuple(sorted(members[iri])), (iri, _kind_words(kinds.get(iri))))
    return found


def _kind_words(local_name: str | None) -> str:
    """pg:TwinTown as "twin town", for a merge report."""
    if not local_name:
        return "a partnership of no stated kind"
    return "".join(" " + c.lower() if c.isupper() else c for c in local_name).strip()


def _existing_towns(store: Store, own_graph: str) -> dict[str, dict]:
    """Municipalities the store holds outside the data set's own graph, with
    their names, folded keys, graphs and coordinates."""
    towns: dict[str, dict] = {}
    for row in store.select(f"""
        SELECT ?r ?name ?code ?g ?lat ?long WHERE {{
          GRAPH ?g {{ ?r a pg:Municipality }} FILTER (?g != <{own_graph}>)
          ?r skos:prefLabel|skos:altLabel|pg:nativeName ?name .
          OPTIONAL {{ ?r pg:country/pg:isoAlpha2 ?code }}
          OPTIONAL {{ GRAPH ?located {{ ?r geo:lat ?lat ; geo:long ?long }}
                      FILTER (?located != <{own_graph}>) }}
        }}"""):
        iri = row["r"].value
        facts = towns.setdefault(iri, {"names": set(), "keys": set(), "graphs": set(),
                                       "label": None, "located": False, "point": None})
        name, code = row["name"].value, row["code"].value if "code" in row else ""
        facts["names"].add(name)
        facts["keys"].add((fold(name), code))
        facts["graphs"].add(row["g"].value)
        if facts["label"] is None or (row["name"].language == "en" and not facts.get("en")):
            facts["label"], facts["en"] = name, row["name"].language == "en"
        if "lat" in row:
            facts["located"] = True
            facts["point"] = (float(row["lat"].value), float(row["long"].value))
    for facts in towns.values():
        facts["graphs"] = sorted(facts["graphs"])
    return towns


def _point(lat: str, lng: str) -> tuple[float, float] | None:
    try:
        point = float(lat), float(lng)
    except ValueError:
        return None
    return point if -90 <= point[0] <= 90 and -180 <= point[1] <= 180 else None


def _decimal(value: float) -> str:
    # The store keeps xsd:decimal in canonical form ("40.9", "15"); writing
    # it so makes a re-import compare equal to what it replaces.
    text = format(Decimal(f"{value:.4f}").normalize(), "f")
    return text


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 12742 * math.asin(math.sqrt(h))


def _key(iri: str) -> str:
    """<municipality/se/borlange> -> se-borlange"""
    return "-".join(iri.rsplit("/", 2)[-2:])


def loaded(store: Store) -> set[str]:
    names = store.graph_names()
    return {d.name for d in available() if d.graph(store.base_iri) in names}


def initial_quads(store: Store) -> list[ox.Quad]:
    """The default data sets, for a new store that already holds the bundled files."""
    quads: list[ox.Quad] = []
    for dataset in available():
        if dataset.default:
            quads += build(store, dataset).quads
    return quads


def load(store: Store, name: str, *, agent: str, limit: int | None = None,
         dry_run: bool = False):
    """Import a data set through the importer (checked against the shapes,
    one atomic replacement of its graph, recorded in the history). Returns the
    import report and the conversion, whose report() explains the merges."""
    if limit is None and os.environ.get(LIMIT_VARIABLE, "").strip():
        limit = int(os.environ[LIMIT_VARIABLE])
    dataset = get(name)
    built = build(store, dataset, limit)
    sha = dataset.sha256() + (f"-first-{limit}-rows" if limit is not None else "")
    prepared = prepare_quads(store, built.quads, f"data/datasets/{dataset.name}",
                             built.graph, rows=built.rows, sha256=sha)
    report = prepared.report if dry_run else apply_import(store, prepared, agent=agent)
    return report, built
