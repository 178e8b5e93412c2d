"""Other names of towns from GeoNames (data/reference/place-names.json, written
by tools/build_place_names.py): only names safe to match by, used by every
matcher, and found by search once a load has met them."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from graph.ingest import datasets
from graph.ingest.importer import import_file
from graph.ingest.other_names import other_names
from graph.rdf.namespaces import PG
from graph.resources import data_dir
from graph.views.reconcile import Query, reconcile
from graph.views.search import search
from tests.library.test_datasets import NAMESAKES, TWINS, cut_to
from tests.support.csv_files import BASE, GRAPH, partnership_rows, write_csv

ROOT = Path(__file__).resolve().parents[2]
GOTEBORG = BASE + "municipality/se/goteborg"


def load_tool():
    spec = importlib.util.spec_from_file_location("build_place_names", ROOT / "tools" / "build_place_names.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def places(country: str) -> dict[str, list[str]]:
    data = json.loads((data_dir() / "reference" / "place-names.json").read_text(encoding="utf-8"))
    return {name: others for code, name, others in data["places"] if code == country}


def test_the_file_holds_gothenburgs_swedish_name_and_not_a_name_of_another_town():
    sweden, germany = places("SE"), places("DE")
    assert "Göteborg" in sweden["Gothenburg"]
    assert "GOT" not in sweden["Gothenburg"]                    # an airport code
    assert "Loehne" in germany["Löhne"] and "Lohne" not in germany["Löhne"]
    head = (data_dir() / "reference" / "place-names.json").read_text(encoding="utf-8")[:800]
    assert "GeoNames" in head and "CC BY 4.0" in head


def test_other_names_are_asked_by_any_name_of_the_town_as_its_country_writes_it():
    assert "Göteborg" in other_names("Gothenburg", "SE")
    assert {"Gothenburg", "Göteborg"} <= other_names("göteborg", "se")
    assert "Lohne" not in other_names("Löhne", "DE")
    # Two towns are called Lohne: the name says nothing about which.
    assert other_names("Lohne", "DE") == frozenset()
    assert other_names("Gothenburg", "NO") == frozenset()


def test_the_tool_keeps_only_names_that_name_no_other_place():
    tool = load_tool()

    def town(ident, name, others, population=50_000):
        return {"geonameid": ident, "name": name, "countrycode": "DE", "population": population,
                "alternatenames": others}
    every = {"1": town(1, "Löhne", ["Lohne", "Loehne", "LHN", "lwnh", "Лёне"]),
             "2": town(2, "Lohne", ["Lohne (Oldenburg)"], 7_000)}
    text = tool.build({"1": every["1"]}, every)
    assert '["DE","Löhne",["Loehne"]]' in text
    assert tool.usable("Göteborg") and not tool.usable("GOT") and not tool.usable("yotebori")


def test_the_tool_refuses_a_wheel_other_than_the_pinned_one(tmp_path):
    tool = load_tool()
    fake = tmp_path / tool.WHEEL
    fake.write_bytes(b"not the wheel")
    with pytest.raises(SystemExit, match="is not the pinned"):
        tool.read_wheel(str(fake))


def test_a_sheet_naming_gothenburg_matches_goteborg_and_keeps_the_name(store, tmp_path):
    row = dict(partnership_rows(1, broken=False)[0], municipality="Gothenburg",
               partner_municipality="Larvik", partner_country="NO", kind="twin town")
    path = write_csv(tmp_path / "partners.csv", [row])
    report = import_file(store, path, agent="test")
    assert report.ok and report.written, report.text()
    (match,) = [m for m in report.matches if m.given == "Gothenburg"]
    assert match.iri == GOTEBORG and match.reason == "other name"
    assert "GeoNames lists 'Gothenburg' as a name of 'Göteborg'" in match.words()
    assert store.ask(f'ASK {{ GRAPH <{GRAPH}> {{ <{GOTEBORG}> skos:altLabel "Gothenburg" }} }}')
    assert not import_file(store, path, agent="test").written


def test_search_and_reconciliation_find_goteborg_by_the_name_a_data_set_gave_it(tmp_path, monkeypatch, store):
    assert GOTEBORG not in {hit.iri for hit in search(store, "Gothenburg", "en")}
    cut_to(NAMESAKES, tmp_path, monkeypatch)
    report, _ = datasets.load(store, TWINS, agent="test")
    assert report.ok, report.problems
    assert GOTEBORG in {hit.iri for hit in search(store, "Gothenburg", "en")}
    query = Query("Gothenburg", types=(str(PG.Municipality),), countries=("SE",))
    (best, *_) = reconcile(store, {"q0": query}, "en")["q0"]
    assert best.id == GOTEBORG and best.match


GOTLAND = BASE + "municipality/se/gotland"
VESTMANNAEYJAR = BASE + "municipality/is/vestmannaeyjar"


def test_region_gotland_is_an_other_name_of_gotland_from_the_municipality_list(bundled_store):
    # The list of municipalities' mapping says so, by Gotland's official code.
    assert bundled_store.ask(f"""ASK {{ GRAPH <{BASE}graph/se-municipalities> {{
        <{GOTLAND}> skos:altLabel "Region Gotland"@sv ; pg:officialCode "0980" }} }}""")


@pytest.mark.parametrize("name, country, node", [
    ("Region Gotland", "SE", GOTLAND), ("Västmannaöarna", "IS", VESTMANNAEYJAR),
    ("Vestmannaeyjar", "IS", VESTMANNAEYJAR)])
def test_every_matcher_knows_the_other_names_geonames_lacks(store, tmp_path, monkeypatch, name, country, node):
    # A sheet: the name lands on the node, and no region is minted for "Region Gotland".
    row = dict(partnership_rows(1, broken=False)[0], municipality="Borlänge", partner_municipality=name,
               partner_country=country, kind="twin town", themes="", funders="")
    report = import_file(store, write_csv(tmp_path / "partners.csv", [row]), agent="test")
    assert report.written and not report.new_places, report.text()
    assert (name, node) in {(m.given, m.iri) for m in report.matches}
    # A data set: a pair naming it is a partnership of the node.
    cut_to([], tmp_path / "datasets", monkeypatch)
    rows = tmp_path / "datasets" / TWINS / "twin_cities_geocoded.csv"
    rows.write_text(rows.read_text(encoding="utf-8") + f"{name},{'Sweden' if country == 'SE' else 'Iceland'},"
                    ",,Tartu,Estonia,58.38,26.72\n", encoding="utf-8")
    loaded, built = datasets.load(store, TWINS, agent="test")
    assert loaded.ok, loaded.problems
    assert not [m for m in built.minted if m.kind] and (name, node) in {(m.given, m.iri) for m in built.merges}
    # Search and reconciliation.
    assert node in {hit.iri for hit in search(store, name, "en")}
    (best, *_) = reconcile(store, {"q0": Query(name, types=(str(PG.Municipality),),
                                               countries=(country,))}, "en")["q0"]
    assert best.id == node and best.match


def test_reconciliation_compares_names_as_the_country_writes_them(tmp_path, monkeypatch, store):
    cut_to(NAMESAKES, tmp_path, monkeypatch)
    report, _ = datasets.load(store, TWINS, agent="test")
    assert report.ok, report.problems

    def best(name: str, country: str = "DE", kind=PG.Municipality):
        (found, *rest) = reconcile(store, {"q0": Query(name, types=(str(kind),), countries=(country,))},
                                   "en")["q0"]
        return found.name, found.match, [c.name for c in rest[:1]]

    # Lohne and Löhne are two towns: each is its own clear match, the other next.
    assert best("Lohne") == ("Lohne", True, ["Löhne"])
    assert best("Löhne") == ("Löhne", True, ["Lohne"])
    # GeoNames writes Löhne "Loehne" too: another name of the town.
    assert best("Loehne")[:2] == ("Löhne", True)
    assert best("Västra Götaland County", "SE", PG.County)[:2] == ("Västra Götaland County", True)
