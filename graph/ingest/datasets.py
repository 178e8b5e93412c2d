"""Public data sets shipped in data/datasets/<name>/: the CSV files as
published, their licence, and a mapping (mapping.toml) of their columns to
the fields of the import templates. This module reads any such mapping; what
is particular to one data set is in its mapping, not here.

Two kinds of data set: `municipalities` (a row is a municipality) and `pairs`
(a row is a partnership of two towns). Each row, in template fields, goes
through the converter of graph/ingest/rows.py, as a steward's sheet does;
names are matched by the data set's merge rules (graph/ingest/dataset_matching.py),
so that a real place is one node, and each merge is reported with its reason."""
from __future__ import annotations

import csv
import hashlib
import os
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS

from graph.errors import PartnergraphError
from graph.ingest.dataset_matching import DatasetMatcher, KeptApart, Merge
from graph.ingest.importer import apply_import, prepare_quads
from graph.ingest.merge_records import record_quads
from graph.ingest.report import NewPlace, Problem
from graph.ingest.rows import RowConverter, quad
from graph.ingest.template import SEPARATOR
from graph.iris import country_iri, graph_iri, organisation_iri, source_iri
from graph.rdf.namespaces import PG
from graph.resources import data_dir
from graph.store.base import Readable, Store

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


@dataclass
class Built:
    dataset: Dataset
    graph: str
    quads: list[ox.Quad] = field(default_factory=list)
    rows: int = 0
    towns: int = 0
    partnerships: int = 0
    merges: list[Merge] = field(default_factory=list)
    kept_apart: list[KeptApart] = field(default_factory=list)
    minted: list[NewPlace] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    def report(self, *, every_new_place: bool = False) -> str:
        """What the data set did to the graph's places: the names merged into
        an existing node and why, the names kept apart from a node of the same
        ASCII spelling, the new places (counted, or listed with
        `every_new_place`; those that are no municipality always, with
        their kind), and the rows left out and why."""
        lines = [f"{self.dataset.name}: {self.rows} rows, {self.towns} places, "
                 f"{self.partnerships} partnerships into <{self.graph}>",
                 f"{len(self.merges)} name(s) merged into an existing node:"]
        lines += ["  " + m.text() for m in sorted(self.merges, key=lambda m: (m.iri, m.given))]
        if self.kept_apart:
            lines.append(f"{len(self.kept_apart)} name(s) kept apart from a node of the same letters in ASCII:")
            lines += ["  " + k.text() for k in sorted(self.kept_apart, key=lambda k: (k.iri, k.other))]
        towns = [m for m in self.minted if not m.kind]
        lines.append(f"{len(towns)} new place(s)" + (":" if every_new_place and towns else
                                                    " (--report FILE lists them)"))
        if every_new_place:
            lines += ["  " + m.text() for m in sorted(towns, key=lambda m: m.iri)]
        others = [m for m in self.minted if m.kind]
        if others:
            # Few, and each a name a steward may want to check: always listed.
            lines.append(f"{len(others)} new part(ies) that are no municipality, each imported as its kind:")
            lines += ["  " + m.text() for m in sorted(others, key=lambda m: (str(m.kind), m.iri))]
        by_reason: dict[str, int] = defaultdict(int)
        for problem in self.skipped:
            by_reason[problem.message] += 1
        if self.skipped:
            lines.append(f"{len(self.skipped)} row(s) left out:")
            lines += [f"  {n} x {reason}" for reason, n in sorted(by_reason.items(), key=lambda x: -x[1])]
        return "\n".join(lines)


def build(store: Readable, dataset: Dataset, limit: int | None = None) -> Built:
    """The data set as quads of its graph, with its report. `limit` reads
    only so many rows of each file (tests use it; so does
    PARTNERGRAPH_DATASET_LIMIT)."""
    built = Built(dataset, dataset.graph(store.base_iri))
    matcher = DatasetMatcher(store, built.graph, dataset.name, dataset.mapping)
    converter = RowConverter(store.base_iri, built.graph, matcher)
    convert = converter.municipality if dataset.mapping["kind"] == "municipalities" else converter.partnership
    graph = ox.NamedNode(built.graph)
    quads = _description(dataset, store.base_iri, graph)
    for file, number, row in _rows(dataset, limit):
        built.rows += 1
        matcher.number = number
        converted = convert(row)
        quads += converted.quads
        if converted.problems:
            built.skipped.append(replace(converted.problems[0], row=number, column=file))
    built.merges, built.towns, built.partnerships = matcher.merges, len(matcher.labels), len(matcher.pairs)
    built.kept_apart, built.minted = matcher.kept_apart, matcher.minted
    # The reason of each merge of a name is kept beside the data, so that a
    # page can say why a name from this source landed on it. A name that is
    # the node's own name needs none, nor a pair's partnership (this
    # source's kind of it is stated on it): which source came first would
    # otherwise decide what the graph says.
    for merge in (merge for merge in built.merges if merge.reason not in ("exact", "same pair")):
        quads.append(quad(merge.iri, SKOS.editorialNote, ox.Literal(
            f"{dataset.name}: {merge.given!r} ({merge.country}) merged here "
            f"({merge.reason}: {merge.detail}).", language="en"), graph))
    quads += record_quads(store.base_iri, dataset.name, built.graph, built.merges, built.kept_apart)
    built.quads = sorted(set(quads), key=str)
    return built


def _rows(dataset: Dataset, limit: int | None) -> Iterator[tuple[str, int, dict[str, str]]]:
    """(file name, row number, the row in template fields) of each file, as
    the mapping's [columns] and [constants] give them; a pairs data set's
    kind is its partnership_kind. The mapping's [other_names], by official
    code, are the row's other names (alt_name) too."""
    columns = dataset.mapping["columns"]
    constants = dict(dataset.mapping.get("constants", {}))
    other_names = dataset.mapping.get("other_names", {})
    if dataset.mapping["kind"] == "pairs":
        constants.setdefault("kind", dataset.mapping.get("partnership_kind", "twin town"))
    for path in dataset.files:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                if limit is not None and number - 1 > limit:
                    break
                fields = {name: (row.get(column) or "").strip() for name, column in columns.items()}
                more = other_names.get(fields.get("official_code", ""), [])
                if more:
                    fields["alt_name"] = f"{SEPARATOR} ".join(filter(None, [fields.get("alt_name"), *more]))
                yield path.name, number, fields | constants


def _description(dataset: Dataset, base_iri: str, graph: ox.NamedNode) -> list[ox.Quad]:
    """The data set's pg:Source and its graph's pg:SourceGraph, with title,
    licence and where it comes from."""
    m, source = dataset.mapping, source_iri(base_iri, dataset.name)
    facts = [
        (source, RDF.type, str(PG.Source)),
        (source, DCTERMS.title, ox.Literal(m["title"], language="en")),
        (source, DCTERMS.identifier, ox.Literal(m["derived_from"])),
        (source, DCTERMS.source, m["source"]),
        (source, DCTERMS.license, m["licence"]),
        (source, DCTERMS.rights, ox.Literal(f"{m['licence_name']}. Publisher: {m['publisher']}.", language="en")),
        (graph.value, RDF.type, str(PG.SourceGraph)),
        (graph.value, DCTERMS.title, ox.Literal(m["title"], language="en")),
        (graph.value, DCTERMS.source, m["source"]),
        (graph.value, DCTERMS.license, m["licence"]),
        (graph.value, PROV.wasDerivedFrom, source),
    ]
    if m.get("title_sv"):
        facts.append((graph.value, DCTERMS.title, ox.Literal(m["title_sv"], language="sv")))
        facts.append((source, DCTERMS.title, ox.Literal(m["title_sv"], language="sv")))
    # The publisher as an organisation of its own, so that a page names the
    # source by title and publisher like any other.
    publisher = organisation_iri(base_iri, m["publisher"])
    facts += [(source, DCTERMS.publisher, publisher), (publisher, RDF.type, str(ORG.Organization)),
              (publisher, SKOS.prefLabel, ox.Literal(m["publisher"], language="en"))]
    if m.get("complete"):
        country = m.get("constants", {}).get("country")
        if not country:
            raise PartnergraphError(f"data/datasets/{dataset.name}/mapping.toml: `complete = true` "
                                    "needs the list's country in [constants] country = \"XX\".")
        facts.append((graph.value, PG.listsEveryMunicipalityOf, country_iri(base_iri, country)))
    return [quad(subject, predicate, obj, graph) for subject, predicate, obj in facts]


def loaded(store: Store) -> set[str]:
    names = store.graph_names()
    return {d.name for d in available() if d.graph(store.base_iri) in names}


def initial_quads(store: Readable) -> list[ox.Quad]:
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
