"""Each competency question of DESIGN.md, asked in the README's own SPARQL,
answers from the bundled data with exactly the rows the seed pages imply."""
from __future__ import annotations

import pytest

from tests.support.readme import competency_queries

QUERIES = competency_queries()


def ask(store, title: str) -> list[dict[str, str]]:
    rows = store.select(QUERIES[title])
    return [{k: v.value for k, v in row.items()} for row in rows]


def column(rows, name) -> list[str]:
    return [row[name] for row in rows]


def test_readme_has_every_competency_question():
    assert set(QUERIES) == {
        "Twin towns of a municipality",
        "Other official relations of a municipality",
        "Partnerships funded by Sida",
        "Themes of a partnership",
        "Swedish municipalities with partners in a given country",
        "Partnerships in preparation",
        "Contact person for a municipality's international work",
        "Themes shared by two municipalities' partnerships",
        "The source of a fact",
    }


def test_borlanges_nordic_twin_towns(bundled_store):
    rows = ask(bundled_store, "Twin towns of a municipality")
    assert sorted((r["name"], r["country"]) for r in rows) == [
        ("Frederikshavn", "Denmark"), ("Larvik", "Norway"), ("Vestmannaeyjar", "Iceland")]


def test_borlanges_other_official_relations(bundled_store):
    rows = ask(bundled_store, "Other official relations of a municipality")
    assert sorted((r["name"], r["country"]) for r in rows) == [
        ("Chișinău", "Moldova"), ("Pitești", "Romania"), ("Wuhan", "China")]


def test_sida_funds_borlanges_cooperation_with_chisinau_and_ljusdals_partnership(bundled_store):
    rows = ask(bundled_store, "Partnerships funded by Sida")
    members = sorted(sorted(r["members"].split(", ")) for r in rows)
    assert members == [["Borlänge", "Chișinău"], ["Kisumu", "Ljusdal", "Mombasa"]]


def test_themes_of_ljusdals_partnership_start_with_its_six_priority_areas(bundled_store):
    rows = ask(bundled_store, "Themes of a partnership")
    priority = {r["label"] for r in rows if r["priority"] == "true"}
    assert priority == {"Jämställdhet", "Demokrati", "Lokal ekonomisk utveckling",
                        "Turismutveckling", "Miljöfrågor", "Klimathotet"}
    others = {r["label"] for r in rows if r["priority"] == "false"}
    assert "FN:s millenniemål" in others
    assert len(rows) == len({r["theme"] for r in rows})


def test_swedish_municipality_with_partners_in_kenya_is_ljusdal(bundled_store):
    rows = ask(bundled_store, "Swedish municipalities with partners in a given country")
    assert [(r["name"], r["partnerName"]) for r in rows] == [
        ("Ljusdal", "Kisumu"), ("Ljusdal", "Mombasa")]


def test_swedish_municipality_with_partners_in_moldova_is_borlange(bundled_store):
    query = QUERIES["Swedish municipalities with partners in a given country"].replace('"KE"', '"MD"')
    rows = bundled_store.select(query)
    assert [(r["name"].value, r["partnerName"].value) for r in rows] == [("Borlänge", "Chișinău")]


def test_partnerships_in_preparation_are_ljusdals_with_kisumu_and_mombasa(bundled_store):
    rows = ask(bundled_store, "Partnerships in preparation")
    assert len({r["partnership"] for r in rows}) == 1
    assert column(rows, "partnerName") == ["Kisumu", "Ljusdal", "Mombasa"]


def test_borlanges_contact_for_international_work_is_its_coordinator(bundled_store):
    rows = ask(bundled_store, "Contact person for a municipality's international work")
    assert [(r["name"], r["role"]) for r in rows] == [
        ("Kristina Westhed", "International coordinator")]


def test_ljusdals_current_contact_is_the_project_leader(bundled_store):
    query = QUERIES["Contact person for a municipality's international work"].replace(
        '"Borlänge"@sv', '"Ljusdal"@sv')
    rows = bundled_store.select(query)
    assert [(r["name"].value, r["role"].value) for r in rows] == [
        ("Birgitta Piippola", "Project leader")]


def test_borlange_and_ljusdal_share_the_theme_of_democracy(bundled_store):
    rows = ask(bundled_store, "Themes shared by two municipalities' partnerships")
    assert column(rows, "label") == ["Demokrati"]


def test_the_source_of_the_borlange_larvik_relation_is_borlanges_page(bundled_store):
    rows = ask(bundled_store, "The source of a fact")
    assert [(r["title"], r["publisher"]) for r in rows] == [
        ("Besök från Norge, Danmark och Moldavien", "Borlänge")]


@pytest.mark.parametrize("title", sorted(QUERIES))
def test_every_readme_query_runs_on_the_bundled_data(bundled_store, title):
    assert bundled_store.select(QUERIES[title]), f"{title!r} answers nothing"
