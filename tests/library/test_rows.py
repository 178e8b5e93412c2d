"""One converter from template fields to RDF: a steward's sheet and a public
data set that give the same row give the same triples; a partnership row
gives all its facts; a word or name that means nothing is refused, with its
fix, and never made into an IRI."""
from __future__ import annotations

import json

import pytest

from graph.ingest import datasets
from graph.ingest.importer import import_file
from graph.ingest.rows import Funder, PartnershipNode, Place, RowConverter, Unresolved
from graph.iris import organisation_iri

BASE = "https://w3id.org/partnergraph/id/"
PG = "https://w3id.org/partnergraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
MEMBER = "<http://www.w3.org/ns/org#hasMember>"


def dataset(tmp_path, monkeypatch, name: str, mapping: str, csv_text: str):
    """A data set of one file, `data.csv`, mapped by `mapping` (its
    [columns], [constants], kind...), as data/datasets/NAME/ holds one."""
    directory = tmp_path / "datasets" / name
    directory.mkdir(parents=True)
    (directory / "data.csv").write_text(csv_text, encoding="utf-8")
    (directory / "mapping.toml").write_text(
        f"name = {json.dumps(name)}\n"
        'title = "A test list"\nlicence = "https://creativecommons.org/publicdomain/zero/1.0/"\n'
        'licence_name = "CC0 1.0"\nsource = "https://example.org/list"\n'
        'derived_from = "https://example.org/list.csv"\npublisher = "Tests"\n'
        + mapping + '\n[[files]]\npath = "data.csv"\n', encoding="utf-8")
    monkeypatch.setattr(datasets, "datasets_dir", lambda: tmp_path / "datasets")
    return datasets.get(name)


def sheet_triples(store, path) -> set[str]:
    """What importing the sheet would add (a dry run), as N-Triples lines."""
    report = import_file(store, path, dry_run=True, agent="test")
    assert report.ok, report.text()
    return {str(t) for t in report.diff.added}


def dataset_triples(store, name: str) -> set[str]:
    """What loading the data set would add, without its description (its
    pg:Source and graph, and its publisher), merge notes and merge records,
    which only a data set has."""
    report, built = datasets.load(store, name, agent="test", dry_run=True)
    assert report.ok, report.text()
    publisher = organisation_iri(BASE, datasets.get(name).mapping["publisher"])
    own = (f"<{BASE}source/{name}>", f"<{BASE}graph/{name}>", f"<{BASE}merge/{name}/", f"<{publisher}>")
    return {str(t) for t in report.diff.added
            if not str(t.subject).startswith(own) and "editorialNote" not in str(t.predicate)}


def test_a_municipality_row_gives_the_same_triples_from_a_sheet_and_from_a_data_set(
        bundled_store, tmp_path, monkeypatch):
    # The sheet in Swedish, with semicolons and a decimal comma; the data set
    # in its own column names, the country given once for all rows.
    sheet = tmp_path / "kommuner.csv"
    sheet.write_text("namn;land;kommunkod;län;latitud;longitud\n"
                     "Røros;Norge;5025;Trøndelag;62,5740;11,3842\n", encoding="utf-8")
    dataset(tmp_path, monkeypatch, "kommuner", """
kind = "municipalities"
[columns]
name = "kommune"
official_code = "nummer"
region = "fylke"
latitude = "lat"
longitude = "lon"
[constants]
country = "NO"
""", "kommune,nummer,fylke,lat,lon\nRøros,5025,Trøndelag,62.574,11.3842\n")

    from_sheet, from_dataset = sheet_triples(bundled_store, sheet), dataset_triples(bundled_store, "kommuner")
    assert from_sheet == from_dataset
    roros, region = f"<{BASE}municipality/no/roros>", f"<{BASE}region/no/trondelag>"
    assert {f"{roros} {RDF_TYPE} <{PG}Municipality>",
            f'{roros} <{SKOS}prefLabel> "Røros"@sv', f'{roros} <{SKOS}prefLabel> "Røros"@en',
            f"{roros} <{PG}country> <{BASE}country/NO>",
            f'{roros} <{PG}officialCode> "5025"',
            f"{roros} <{PG}region> {region}", f"{region} {RDF_TYPE} <{PG}Region>",
            # Coordinates in the canonical form the store keeps.
            f'{roros} <http://www.w3.org/2003/01/geo/wgs84_pos#lat> '
            '"62.574"^^<http://www.w3.org/2001/XMLSchema#decimal>'} <= from_sheet


def test_a_known_municipality_keeps_its_names_in_a_data_set_and_a_sheet_describes_it(
        bundled_store, tmp_path, monkeypatch):
    # Ljusdal is in the store. A data set adds to that node (code, region,
    # coordinates); a sheet's graph also says what it is, since the sheet
    # exports back from its graph.
    sheet = tmp_path / "kommuner.csv"
    sheet.write_text("name,country,official_code,region,latitude,longitude\n"
                     "Ljusdal,SE,2161,Gävleborgs län,61.8292,16.0883\n", encoding="utf-8")
    dataset(tmp_path, monkeypatch, "kommuner", """
kind = "municipalities"
[columns]
name = "name"
country = "country"
official_code = "code"
region = "county"
latitude = "lat"
longitude = "long"
""", "name,country,code,county,lat,long\nLjusdal,Sverige,2161,Gävleborgs län,61.8292,16.0883\n")

    from_sheet, from_dataset = sheet_triples(bundled_store, sheet), dataset_triples(bundled_store, "kommuner")
    ljusdal = f"<{BASE}municipality/se/ljusdal>"
    assert from_dataset < from_sheet
    assert from_sheet - from_dataset == {
        f"{ljusdal} {RDF_TYPE} <{PG}Municipality>",
        f'{ljusdal} <{SKOS}prefLabel> "Ljusdal"@sv', f'{ljusdal} <{SKOS}prefLabel> "Ljusdal"@en',
        f"{ljusdal} <{PG}country> <{BASE}country/SE>"}


SHEET_ROW = ("municipality,partner_municipality,partner_country,kind,themes,funders,start_year,"
             "status,source_url,notes\n"
             "Ljusdal,Kuldīga,Lettland,kommunalt partnerskap,Kultur; Environment,Sida,2011,active,"
             "https://example.org/kuldiga,Skolutbyte\n")


def test_a_partnership_row_gives_both_members_kind_status_themes_year_and_source(bundled_store, tmp_path):
    sheet = tmp_path / "partners.csv"
    sheet.write_text(SHEET_ROW, encoding="utf-8")
    triples = sheet_triples(bundled_store, sheet)
    # A new partnership is named by its pair, the same from either side.
    partnership, kuldiga = f"<{BASE}partnership/lv-kuldiga--se-ljusdal>", f"<{BASE}municipality/lv/kuldiga>"
    assert {f"{partnership} {RDF_TYPE} <{PG}Partnership>",
            f"{partnership} {MEMBER} <{BASE}municipality/se/ljusdal>",
            f"{partnership} {MEMBER} {kuldiga}",
            f"{partnership} <{PG}kind> <{PG}MunicipalPartnership>",
            f"{partnership} <{PG}status> <{PG}Active>",
            f"{partnership} <{PG}theme> <{BASE}theme/culture>",
            f"{partnership} <{PG}theme> <{BASE}theme/environment>",
            f"{partnership} <{PG}fundedBy> <{BASE}org/sida>",
            f'{partnership} <{PG}startDate> "2011"^^<http://www.w3.org/2001/XMLSchema#gYear>',
            f"{partnership} <http://purl.org/dc/terms/source> <https://example.org/kuldiga>",
            f'{partnership} <{SKOS}note> "Skolutbyte"',
            f'{partnership} <{SKOS}prefLabel> "Ljusdal–Kuldīga"@sv',
            # The partner the store did not know is minted and described;
            # Ljusdal, which it knew, is not described again.
            f"{kuldiga} {RDF_TYPE} <{PG}Municipality>",
            f"{kuldiga} <{PG}country> <{BASE}country/LV>"} <= triples
    assert not any(t.startswith(f"<{BASE}municipality/se/ljusdal>") for t in triples)
    # The row's source statement says the same, with its source.
    [statement] = {t.split()[2] for t in triples if f"<{PG}sourceStatement>" in t}
    assert {f"{statement} {RDF_TYPE} <{PG}SourceStatement>",
            f"{statement} <{PG}kind> <{PG}MunicipalPartnership>",
            f'{statement} <{PG}startDate> "2011"^^<http://www.w3.org/2001/XMLSchema#gYear>',
            f"{statement} <http://purl.org/dc/terms/source> <https://example.org/kuldiga>"} <= triples


def test_a_data_set_of_pairs_gives_a_sheet_rows_facts_under_the_same_partnership_iri(
        bundled_store, tmp_path, monkeypatch):
    sheet = tmp_path / "partners.csv"
    sheet.write_text(SHEET_ROW, encoding="utf-8")
    dataset(tmp_path, monkeypatch, "partners", """
kind = "pairs"
partnership_kind = "municipal partnership"
[columns]
municipality = "a"
municipality_country = "a_country"
partner_municipality = "b"
partner_country = "b_country"
themes = "topics"
funders = "paid_by"
start_year = "since"
status = "state"
source_url = "link"
notes = "remark"
""", "a,a_country,b,b_country,topics,paid_by,since,state,link,remark\n"
     "Kuldīga,Latvia,Ljusdal,Sweden,Kultur; Environment,Sida,2011,active,https://example.org/kuldiga,Skolutbyte\n"
     # The same pair listed from the other side is the same partnership.
     "Ljusdal,Sweden,Kuldīga,Latvia,,,,,,\n")

    # A pair is named the same whichever town is listed first, and by
    # whichever source: the order of imports decides no IRI.
    pair = f"<{BASE}partnership/lv-kuldiga--se-ljusdal>"
    from_dataset = dataset_triples(bundled_store, "partners")
    # The sheet gives the same, and each row's statement (a data set is one source).
    assert {t for t in from_dataset if t.startswith(pair)} == {
        t for t in sheet_triples(bundled_store, sheet)
        if t.startswith(pair) and f"<{PG}sourceStatement>" not in t}
    assert len({t.split()[0] for t in from_dataset if f"<{PG}Partnership>" in t}) == 1


@pytest.mark.parametrize("column, word", [("kind", "twinn town"), ("status", "sleeping")])
def test_a_misspelt_kind_or_status_is_refused_not_made_into_an_iri(bundled_store, tmp_path, column, word):
    sheet = tmp_path / "partners.csv"
    row = {"kind": "twin town", "status": "active"} | {column: word}
    sheet.write_text("municipality,partner_municipality,partner_country,kind,status\n"
                     f"Ljusdal,Kuldīga,LV,{row['kind']},{row['status']}\n", encoding="utf-8")
    report = import_file(bundled_store, sheet, dry_run=True, agent="test")
    assert not report.ok and report.diff is None
    [problem] = report.problems
    assert (problem.row, problem.column) == (2, column)
    assert problem.message == f"{word!r} is not a known {column}."
    assert problem.fix.startswith("Write one of: ") and ("twin town" in problem.fix or "active" in problem.fix)


def test_a_data_set_row_with_a_misspelt_kind_is_left_out_with_the_reason(bundled_store, tmp_path, monkeypatch):
    dataset(tmp_path, monkeypatch, "partners", """
kind = "pairs"
partnership_kind = "twinn town"
[columns]
municipality = "a"
municipality_country = "a_country"
partner_municipality = "b"
partner_country = "b_country"
""", "a,a_country,b,b_country\nLjusdal,Sweden,Kuldīga,Latvia\n")
    built = datasets.build(bundled_store, datasets.get("partners"))
    assert [p.message for p in built.skipped] == ["'twinn town' is not a known kind."]
    assert not any("twinn" in str(q) or q.object.value == PG + "Partnership" for q in built.quads)


def test_out_of_range_coordinates_and_a_short_code_are_refused(bundled_store, tmp_path):
    sheet = tmp_path / "kommuner.csv"
    sheet.write_text("name,country,official_code,latitude,longitude\nRøros,NO,525,162.5,11,3\n",
                     encoding="utf-8")
    report = import_file(bundled_store, sheet, dry_run=True, agent="test")
    assert {(p.column, p.message) for p in report.problems} == {
        ("official_code", "'525' is not a municipality code."), ("latitude", "'162.5' is not a latitude.")}


class _Refusing:
    """A resolver that knows one municipality and no theme."""

    def country(self, text: str) -> str:
        return "SE"

    def municipality(self, field, row, country) -> Place:
        return Place(f"{BASE}municipality/se/{row[field].lower()}", country, row[field], row[field],
                     describe=False, given=row[field])

    def theme(self, name: str) -> str:
        raise Unresolved("unknown_theme", name=name, examples="Demokrati")

    def funder(self, name: str) -> Funder:
        raise AssertionError("no funder was asked for")

    def partnership(self, municipality: Place, partner: Place) -> PartnershipNode:
        return PartnershipNode(f"{BASE}partnership/x", (municipality, partner), describe=True)


def test_what_the_resolver_refuses_is_a_problem_of_its_field_and_the_row_gives_nothing():
    converter = RowConverter(BASE, BASE + "graph/x", _Refusing())
    row = {"municipality": "Ljusdal", "municipality_country": "SE", "partner_municipality": "Borlänge",
           "partner_country": "SE", "kind": "vänort", "themes": "Knitting"}
    converted = converter.partnership(row)
    assert converted.quads == []
    assert [(p.column, p.message, p.fix) for p in converted.problems] == [
        ("themes", "'Knitting' is not a theme of the theme scheme.",
         "Use theme names in Swedish or English, separated by ';', such as Demokrati "
         "(the list is on the ontology page).")]
    converted = converter.partnership(row | {"themes": ""})
    assert not converted.problems and len(converted.quads) == 6   # type, 2 labels, kind, 2 members
