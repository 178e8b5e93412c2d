"""Many sources about one partnership: a steward's rows from several pages,
the seeds and a data set, in any order, each keeping its word."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from graph.ingest import datasets
from graph.ingest.history import restore
from graph.ingest.importer import import_file
from graph.settings import Settings
from graph.store.open import open_store
from graph.views.describe import describe
from tests.conftest import copy_of_bundled
from tests.library.test_datasets import ROWS, TWINS, cut_to

BASE = "https://w3id.org/partnergraph/id/"
ICLD = Path(__file__).parents[1] / "data" / "icld-partnerships.csv"
CHISINAU = f"<{BASE}partnership/borlange-chisinau>"
ICLD_PROGRAMME = f"{BASE}programme/icld-municipal-partnership"


def union(store) -> set[tuple[str, str, str]]:
    """Every statement of the sources (the store's own records left out:
    they say when each import ran)."""
    return {(r["s"].value, r["p"].value, str(r["o"])) for r in store.select(f"""
        SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
          FILTER (?g NOT IN (<{BASE}graph/imports>, <{BASE}graph/decisions>))
          FILTER (!STRSTARTS(STR(?s), "{BASE}merge/")) }}""")}


@pytest.fixture
def two_stores(tmp_path, bundled_template, monkeypatch):
    cut_to(ROWS, tmp_path / "datasets", monkeypatch)
    opened = []
    for name in ("first", "second"):
        settings = Settings(store=str(tmp_path / name))
        copy_of_bundled(bundled_template, settings)
        opened.append(open_store(settings))
    yield opened
    for store in opened:
        store.close()


def test_the_icld_rows_import_in_one_go_before_or_after_the_twin_towns_with_the_same_graph(two_stores):
    after, before = two_stores
    datasets.load(after, TWINS, agent="test")
    report = import_file(after, ICLD, agent="test")
    assert report.written, report.text()
    report = import_file(before, ICLD, agent="test")
    assert report.written, report.text()
    loaded, _ = datasets.load(before, TWINS, agent="test")
    assert loaded.written, loaded.text()
    assert union(after) == union(before)


def test_several_rows_of_a_pair_are_one_partnership_with_each_rows_statement(store):
    report = import_file(store, ICLD, agent="test")
    assert report.written, report.text()
    # Three rows of Borlänge–Chișinău (two spellings): the seed's partnership,
    # no second one, and three statements, each with its own addresses.
    assert len(store.select(f"""SELECT DISTINCT ?p WHERE {{ ?p a pg:Partnership ;
        org:hasMember <{BASE}municipality/se/borlange>, <{BASE}municipality/md/chisinau> }}""")) == 1
    statements = store.select(f"""SELECT ?s ?kind (GROUP_CONCAT(STR(?url); separator=" ") AS ?urls)
        WHERE {{ {CHISINAU} pg:sourceStatement ?s . ?s pg:kind ?kind ; dcterms:source ?url }}
        GROUP BY ?s ?kind""")
    said = sorted((r["kind"].value.rsplit("#")[-1], sorted(r["urls"].value.split())) for r in statements)
    assert said == [
        ("MunicipalPartnership", ["https://example.org/borlange/moldavien",
                                  "https://example.org/icld/borlange-chisinau-2016"]),
        ("MunicipalPartnership", ["https://example.org/icld/borlange-chisinau"]),
        ("TwinTown", ["https://example.org/vanorter/borlange"])]
    # The partnership keeps every kind each source gives, the seed's too.
    kinds = {r["k"].value.rsplit("#")[-1]: r["g"].value for r in store.select(
        f"SELECT ?k ?g WHERE {{ GRAPH ?g {{ {CHISINAU} pg:kind ?k }} }}")}
    assert kinds["OfficialRelation"] == f"{BASE}graph/borlange"
    assert kinds["MunicipalPartnership"] == kinds["TwinTown"] == f"{BASE}graph/icld-partnerships"


def test_the_icld_rows_link_to_the_seeds_icld_programme(store):
    report = import_file(store, ICLD, agent="test")
    assert report.written, report.text()
    programmes = {r["x"].value for r in store.select(
        f"SELECT DISTINCT ?x WHERE {{ GRAPH <{BASE}graph/icld-partnerships> {{ ?p pg:fundingProgramme ?x }} }}")}
    assert programmes == {ICLD_PROGRAMME}
    assert not store.ask(f"ASK {{ GRAPH <{BASE}graph/icld-partnerships> {{ ?x a pg:Funder }} }}")


def test_a_programme_named_among_the_funders_is_linked_as_the_programme(store, tmp_path):
    sheet = tmp_path / "partners.csv"
    sheet.write_text("municipality,partner_municipality,partner_country,kind,funders\n"
                     "Ljusdal,Lodwar,KE,municipal partnership,Sida; ICLD\n", encoding="utf-8")
    report = import_file(store, sheet, agent="test")
    assert report.written, report.text()
    assert any(m.given == "ICLD" and m.reason == "programme" for m in report.matches)
    linked = store.select(f"""SELECT ?p ?x WHERE {{ GRAPH <{BASE}graph/partners> {{
        ?p pg:fundingProgramme ?x ; pg:fundedBy <{BASE}org/sida> }} }}""")
    assert {r["x"].value for r in linked} == {ICLD_PROGRAMME}
    assert not store.ask(f"ASK {{ <{BASE}org/icld> ?p ?o }}")


def test_a_new_programme_is_minted_with_its_funder(store, tmp_path):
    sheet = tmp_path / "partners.csv"
    sheet.write_text("municipality,partner_municipality,partner_country,kind,funders,programme\n"
                     "Ljusdal,Lodwar,KE,municipal partnership,Sida,Nordic Town Links\n", encoding="utf-8")
    report = import_file(store, sheet, agent="test")
    assert report.written, report.text()
    assert store.ask(f"""ASK {{ <{BASE}programme/nordic-town-links> a pg:FundingProgramme ;
        skos:prefLabel "Nordic Town Links"@en ; pg:fundedBy <{BASE}org/sida> }}""")


def test_a_row_may_give_several_addresses_and_a_wrong_one_is_named(store, tmp_path):
    sheet = tmp_path / "partners.csv"
    sheet.write_text("municipality,partner_municipality,partner_country,kind,source_url\n"
                     "Ljusdal,Lodwar,KE,municipal partnership,https://example.org/a; example.org/b\n",
                     encoding="utf-8")
    report = import_file(store, sheet, agent="test")
    [problem] = report.problems
    assert problem.message == "'example.org/b' is not a web address."
    assert "separate several with ';'" in problem.fix and not report.written


def files_of(rows: list[int], folder: Path) -> list[Path]:
    """The ICLD rows split into files of the given sizes, as a steward who
    could not import them in one go did."""
    header, *lines = list(csv.reader(io.StringIO(ICLD.read_text(encoding="utf-8"))))
    paths, start = [], 0
    for number, size in enumerate(rows, start=1):
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, *lines[start:start + size]])
        path = folder / f"icld-{number}.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        paths.append(path)
        start += size
    return paths


def nameless(store) -> list[str]:
    """Members of partnerships, and partnerships, without a type or a name."""
    return [r["n"].value for r in store.select("""
        SELECT DISTINCT ?n WHERE {
          { ?p org:hasMember ?n } UNION { ?n org:hasMember ?m }
          FILTER NOT EXISTS { ?n a ?type ; skos:prefLabel ?name } }""")]


@pytest.mark.parametrize("undone", [0, 1, 2])
def test_undoing_any_one_icld_file_leaves_no_node_without_a_name_and_type(store, tmp_path, undone):
    # Lodwar is in each of the three files; the first to come mints it.
    paths = files_of([8, 8, 8], tmp_path)
    graphs = []
    for path in paths:
        report = import_file(store, path, agent="test")
        assert report.written, report.text()
        graphs.append(report.graph)
    done = restore(store, graphs[undone], agent="test")
    assert nameless(store) == []
    lodwar = f"{BASE}municipality/ke/lodwar"
    kept = {node.iri: node for node in done.kept}
    if undone == 0:
        # The first file minted Lodwar; the others still use it, and say so.
        assert set(kept[lodwar].used_by) == {graphs[1], graphs[2]}
        assert store.ask(f'ASK {{ <{lodwar}> a pg:Municipality ; skos:prefLabel "Lodwar"@en ; '
                         f"pg:country <{BASE}country/KE> }}")
    else:
        assert lodwar not in kept
    # What the undone file said of its own partnerships is gone.
    assert not store.ask(f"ASK {{ GRAPH <{graphs[undone]}> {{ ?p pg:kind ?k }} }}")


def test_the_undo_on_the_command_line_names_the_nodes_others_still_use(cli, tmp_path):
    for path in files_of([8, 8, 8], tmp_path):
        assert cli("import", str(path))[0] == 0
    status, out, _ = cli("restore", f"{BASE}graph/icld-1")
    assert status == 0, out
    assert "Kept the names, types and countries of" in out
    assert f"Lodwar <{BASE}municipality/ke/lodwar>, used by <{BASE}graph/icld-2>, <{BASE}graph/icld-3>" in out


def test_borlanges_page_shows_chisinau_once_with_each_sources_kind(store):
    assert import_file(store, ICLD, agent="test").written
    [chisinau] = [p for p in describe(store, f"{BASE}municipality/se/borlange", "en").partners
                  if p.partner.value == f"{BASE}municipality/md/chisinau"]
    assert chisinau.disputed
    assert {k.kind: k.by for k in chisinau.kinds} == {
        "Official relation": ["Borlänge"], "Municipal partnership": ["example.org"],
        "Twin town": ["example.org"]}


def test_the_twin_towns_say_their_kind_of_a_seeds_pair(store, tmp_path, monkeypatch):
    cut_to(ROWS, tmp_path / "datasets", monkeypatch)
    assert datasets.load(store, TWINS, agent="test")[0].written
    [chisinau] = [p for p in describe(store, f"{BASE}municipality/se/borlange", "en").partners
                  if p.partner.value == f"{BASE}municipality/md/chisinau"]
    assert {k.kind for k in chisinau.kinds} == {"Official relation", "Twin town"}
