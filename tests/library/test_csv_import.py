"""Spreadsheet imports: every broken row reported, nothing written unless all
is valid, the same file gives the same triples, and an export imports back."""
from __future__ import annotations

import pytest

from graph.ingest.csv_export import export_csv
from graph.ingest.importer import import_file
from tests.support.csv_files import BASE, BREAKAGE, GRAPH, graph_triples, partnership_rows, total, write_csv


def test_all_broken_rows_are_reported_and_nothing_is_written(store, tmp_path):
    path = write_csv(tmp_path / "partners.csv", partnership_rows())
    before = (total(store), store.data_version)
    report = import_file(store, path, agent="test")
    assert not report.ok
    assert {p.row for p in report.problems} == set(BREAKAGE)
    for row, (column, _, word) in BREAKAGE.items():
        found = [p for p in report.problems if p.row == row]
        assert any(p.column == column and word in (p.message + p.fix).lower() for p in found), found
        assert all(p.fix for p in found)
    assert (total(store), store.data_version) == before

    fixed = write_csv(tmp_path / "partners.csv", partnership_rows(broken=False))
    report = import_file(store, fixed, agent="test")
    assert report.ok and report.written, report.text()
    assert len([q for q in store.quads(GRAPH) if q.predicate.value.endswith("hasMember")]) == 400


def test_names_match_existing_resources_ignoring_case_and_accents(store, tmp_path):
    path = write_csv(tmp_path / "partners.csv", partnership_rows(4, broken=False))
    report = import_file(store, path, agent="test")
    matched = {(m.given, m.iri) for m in report.matches}
    assert ("Borlange", BASE + "municipality/se/borlange") in matched
    assert ("ljusdal", BASE + "municipality/se/ljusdal") in matched
    assert ("Sida", BASE + "org/sida") in matched
    members = {str(q.object) for q in store.quads(GRAPH) if q.predicate.value.endswith("hasMember")}
    assert f"<{BASE}municipality/se/borlange>" in members
    assert f"<{BASE}municipality/dk/partnerort-1>" in members


def test_a_swedish_name_that_is_none_of_the_290_is_refused_not_minted(store, tmp_path):
    rows = [dict(partnership_rows(1, broken=False)[0], municipality=name, partner_municipality="Larvik",
                 partner_country="NO", kind="twin town")
            for name in ("Nordanby", "Gotenborg", "Habo", "Borlange")]
    before = total(store)
    report = import_file(store, write_csv(tmp_path / "partners.csv", rows), agent="test")
    refused = {p.row: p for p in report.problems}
    assert sorted(refused) == [2, 3]
    assert "not one of the 290 municipalities of Sweden" in refused[2].message
    assert "partner_kind" in refused[2].fix and "Göteborg" in refused[3].fix
    assert not report.written and total(store) == before
    # Habo is a municipality of its own, and Borlange can only be Borlänge.
    fixed = import_file(store, write_csv(tmp_path / "partners.csv", rows[2:]), agent="test")
    matched = {(m.given, m.iri) for m in fixed.matches}
    assert ("Borlange", BASE + "municipality/se/borlange") in matched
    assert ("Habo", BASE + "municipality/se/habo-0643") in matched


def test_regions_counties_and_associations_are_parties_of_their_own_kind(store, tmp_path):
    base = dict(partnership_rows(1, broken=False)[0], kind="municipal partnership", themes="", funders="")
    rows = [dict(base, municipality="Region Västernorrland", partner_municipality="Kisumu County",
                 partner_country="KE"),
            dict(base, municipality="Sjuhärads kommunalförbund", partner_municipality="Larvik",
                 partner_country="NO"),
            # Said by the column where the name does not say it.
            dict(base, municipality="Borlänge", partner_municipality="Dalarna", partner_country="SE",
                 partner_kind="län"),
            dict(base, municipality="Region Västernorrland", partner_municipality="Larvik",
                 partner_country="NO", municipality_kind="region")]
    report = import_file(store, write_csv(tmp_path / "partners.csv", rows), agent="test")
    assert report.written, report.text()
    kinds = {place.given: (place.iri, str(place.kind)) for place in report.new_places}
    assert kinds == {
        "Region Västernorrland": (BASE + "county-council/se/region-vasternorrland", "a region or county council"),
        "Kisumu County": (BASE + "county/ke/kisumu-county", "a county or province"),
        "Sjuhärads kommunalförbund": (BASE + "association/se/sjuharads-kommunalforbund",
                                      "an association or federation of municipalities"),
        "Dalarna": (BASE + "county/se/dalarna", "a county or province")}
    text = report.text()
    assert ("row 2, column 'municipality': 'Region Västernorrland' (SE) -> "
            f"<{BASE}county-council/se/region-vasternorrland>, imported as a region or county council") in text
    for iri, _ in kinds.values():
        types = {r["t"].value for r in store.select(f"SELECT ?t WHERE {{ <{iri}> a ?t }}")}
        assert len(types) == 1 and "Municipality" not in types.pop()
    # One node for the region, however often it is named.
    assert len(store.select(f"""SELECT ?p WHERE {{
        ?p org:hasMember <{BASE}county-council/se/region-vasternorrland> }}""")) == 2
    # An export says each party's kind, so that it imports back the same.
    exported = tmp_path / "exported.csv"
    exported.write_text(export_csv(store, GRAPH), encoding="utf-8")
    assert "partner_kind" in exported.read_text(encoding="utf-8").splitlines()[0]
    assert import_file(store, exported, GRAPH, agent="test").diff.unchanged


def test_a_kind_word_that_names_no_kind_is_refused_in_its_column(store, tmp_path):
    row = dict(partnership_rows(1, broken=False)[0], partner_municipality="Larvik", partner_country="NO",
               partner_kind="kingdom")
    report = import_file(store, write_csv(tmp_path / "partners.csv", [row]), agent="test")
    assert [(p.row, p.column) for p in report.problems] == [(2, "partner_kind")]
    assert "region" in report.problems[0].fix and not report.written


def test_reimporting_the_same_file_changes_nothing(store, tmp_path):
    path = write_csv(tmp_path / "partners.csv", partnership_rows(30, broken=False))
    first = import_file(store, path, agent="test")
    triples, version = graph_triples(store), store.data_version
    assert first.written and version == first.data_version
    again = import_file(store, path, agent="test")
    assert not again.written and again.diff.unchanged
    assert (graph_triples(store), store.data_version) == (triples, version)

    rows = partnership_rows(30, broken=False)
    rows[3]["status"] = "ended"
    changed = import_file(store, write_csv(path, rows), agent="test")
    assert changed.written and store.data_version != version
    # What changed is that row's status: on its partnership, and in its
    # statement (named by what it says, so the changed row is a new one).
    touched = {str(t.subject) for t in changed.diff.added + changed.diff.removed}
    [partnership] = [s for s in touched if "/partnership/" in s]
    assert all("/partnership/" in s or "/statement/" in s for s in touched)
    status = "<https://w3id.org/partnergraph/ontology#status>"
    assert {str(t.object) for t in changed.diff.added if str(t.predicate) == status} == {
        "<https://w3id.org/partnergraph/ontology#Ended>"}
    assert len(changed.diff.added) == len(changed.diff.removed)


def test_semicolon_separated_sheets_and_swedish_headers(store, tmp_path):
    path = tmp_path / "vanorter.csv"
    path.write_text("kommun;partnerkommun;partnerland;typ;teman\n"
                    "Borlänge;Larvik;Norge;vänort;Kultur\n", encoding="utf-8")
    report = import_file(store, path, agent="test")
    assert report.written, report.text()


def test_the_dry_run_diff_is_what_the_import_does(store, tmp_path):
    path = write_csv(tmp_path / "partners.csv", partnership_rows(20, broken=False))
    import_file(store, path, agent="test")
    before = graph_triples(store)
    rows = partnership_rows(20, broken=False)[:15]
    rows[0]["notes"] = "ny anteckning"
    write_csv(path, rows)
    dry = import_file(store, path, dry_run=True, agent="test")
    assert graph_triples(store) == before and not dry.written
    import_file(store, path, agent="test")
    after = graph_triples(store)
    assert {(str(t.subject), str(t.predicate), str(t.object)) for t in dry.diff.added} == after - before
    assert {(str(t.subject), str(t.predicate), str(t.object)) for t in dry.diff.removed} == before - after


@pytest.mark.parametrize("template", ["partnerships.csv", "municipalities.csv"])
def test_the_templates_import_and_export_back_to_the_same_triples(store, tmp_path, template):
    from graph.resources import data_dir
    report = import_file(store, data_dir() / "templates" / template, agent="test")
    assert report.written, report.text()
    graph = report.graph
    first = graph_triples(store, graph)
    exported = tmp_path / "exported.csv"
    exported.write_text(export_csv(store, graph), encoding="utf-8")
    again = import_file(store, exported, graph, agent="test")
    assert again.ok and again.diff.unchanged, again.text()
    assert graph_triples(store, graph) == first


def test_an_exported_large_source_reimports_to_the_same_triples(store, tmp_path):
    import_file(store, write_csv(tmp_path / "partners.csv", partnership_rows(60, broken=False)),
                agent="test")
    first = graph_triples(store)
    exported = tmp_path / "exported.csv"
    exported.write_text(export_csv(store, GRAPH), encoding="utf-8")
    assert import_file(store, exported, GRAPH, agent="test").diff.unchanged
    # And into a store that never saw the original file.
    from graph.ingest.bundled import open_initialised
    from graph.settings import Settings
    with open_initialised(Settings(store=str(tmp_path / "other"))) as other:
        report = import_file(other, exported, GRAPH, agent="test")
        assert graph_triples(other) == first, report.text()
