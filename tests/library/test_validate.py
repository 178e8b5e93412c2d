"""SHACL validation: the bundled data conforms; broken data is reported node
by node with the rule it breaks."""
from __future__ import annotations

import pytest

from graph.ingest.validate import validate_files
from graph.rdf.compressed import parts_for
from graph.resources import bundled_files, data_dir

BASE = "https://w3id.org/partnergraph/id/"

BROKEN = """
@prefix pg: <https://w3id.org/partnergraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<municipality/se/nowhere> a pg:Municipality ;
    pg:country <country/SE> .

<partnership/lonely> a pg:Partnership ;
    skos:prefLabel "Ensam"@sv ;
    pg:kind pg:TwinTown ;
    org:hasMember <municipality/se/nowhere> .
"""


def test_the_bundled_data_conforms():
    files = [p for p in bundled_files() if p.is_relative_to(data_dir())]
    report = validate_files(files, BASE)
    assert report.conforms, report.text()


def test_broken_data_names_each_node_and_rule(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN)
    report = validate_files([path], BASE)
    assert not report.conforms
    found = {(v.focus_node, v.path, v.constraint.rsplit("#", 1)[-1]) for v in report.violations}
    assert (BASE + "partnership/lonely", "http://www.w3.org/ns/org#hasMember",
            "MinCountConstraintComponent") in found
    assert (BASE + "municipality/se/nowhere", "http://www.w3.org/2004/02/skos/core#prefLabel",
            "MinCountConstraintComponent") in found
    assert len(report.violations) == 2
    text = report.text()
    assert "<https://w3id.org/partnergraph/id/partnership/lonely> (Ensam)" in text
    assert "property org:hasMember" in text and "property skos:prefLabel" in text


def test_a_member_known_to_the_store_counts_as_a_municipality(tmp_path, bundled_store):
    path = tmp_path / "new.ttl"
    path.write_text("""
@prefix pg: <https://w3id.org/partnergraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<partnership/borlange-ljusdal> a pg:Partnership ; skos:prefLabel "Borlänge – Ljusdal"@sv ;
    pg:kind pg:OfficialRelation ;
    org:hasMember <municipality/se/borlange>, <municipality/se/ljusdal> .
""")
    assert not validate_files([path], BASE).conforms
    assert validate_files([path], BASE, bundled_store).conforms


def test_validate_command_prints_the_report_and_fails(cli, tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN)
    status, out, err = cli("validate", str(path))
    assert status == 1
    assert "2 violation(s) on 2 node(s)" in out
    assert "partnership/lonely" in out


def test_load_with_validate_refuses_violations_and_loads_nothing(cli, tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN)
    status, out, err = cli("load", "--validate", str(path))
    assert status == 1
    assert "nothing was loaded" in err
    assert "graph/broken" not in cli("stats")[1]


@pytest.mark.parametrize("name", ["borlange.ttl", "ljusdal.ttl"])
def test_validate_command_accepts_each_seed_file(cli, name):
    status, out, err = cli("validate", str(data_dir() / "seeds" / name))
    assert status == 0, out
    assert "conforms" in out


def test_values_outside_the_controlled_vocabularies_are_named(tmp_path):
    path = tmp_path / "odd.ttl"
    path.write_text("""
@prefix pg: <https://w3id.org/partnergraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<partnership/odd> a pg:Partnership ; skos:prefLabel "Udda"@sv ;
    pg:kind pg:Friendship ; pg:status pg:Ended ; pg:startDate "last spring" ;
    org:hasMember <municipality/se/borlange>, <municipality/se/ljusdal> .
""")
    report = validate_files([path], BASE)
    found = {(v.path.rsplit("#", 1)[-1], v.value) for v in report.violations if v.path}
    assert ("kind", "<https://w3id.org/partnergraph/ontology#Friendship>") in found
    assert ("startDate", '"last spring"') in found
    assert not any(v.path and v.path.endswith("#status") for v in report.violations)


def _many_partnerships(count: int, broken_every: int | None = None) -> str:
    """`count` partnerships of two municipalities each; every `broken_every`th
    has no kind."""
    lines = ["@prefix pg: <https://w3id.org/partnergraph/ontology#> .",
             "@prefix org: <http://www.w3.org/ns/org#> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."]
    for n in range(count + 1):
        lines.append(f'<municipality/fi/m{n}> a pg:Municipality ; skos:prefLabel "M{n}"@en ; '
                     "pg:country <country/FI> .")
    for n in range(count):
        kind = "" if broken_every and n % broken_every == 0 else "pg:kind pg:TwinTown ; "
        lines.append(f'<partnership/p{n}> a pg:Partnership ; skos:prefLabel "P{n}"@en ; {kind}'
                     f"org:hasMember <municipality/fi/m{n}>, <municipality/fi/m{n + 1}> .")
    return "\n".join(lines)


def test_every_broken_node_of_a_large_file_is_reported(tmp_path):
    # Thousands of focus nodes: each broken one is named, none is lost.
    path = tmp_path / "many.ttl"
    path.write_text(_many_partnerships(2000, broken_every=250))
    report = validate_files([path], BASE)
    missing_kind = sorted(v.focus_node for v in report.violations if v.path and v.path.endswith("#kind"))
    assert missing_kind == sorted(BASE + f"partnership/p{n}" for n in range(0, 2000, 250))
    assert len(report.violations) == 8


def test_a_rule_that_needs_facts_far_apart_in_the_file_still_holds(tmp_path):
    # The funder is stated first and misused last, thousands of nodes later;
    # the member typed nowhere is only found by following the link. The file
    # is checked in parts (graph/rdf/compressed.py), and these facts fall in
    # different ones.
    path = tmp_path / "far.ttl"
    path.write_text("""
@prefix pg: <https://w3id.org/partnergraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<org/far-funder> a pg:Funder ; skos:prefLabel "Fjärran"@sv .
""" + _many_partnerships(9000, broken_every=2500).split("\n", 3)[3] + """
<municipality/fi/m7> pg:fundedBy <org/far-funder> .
<partnership/last> a pg:Partnership ; skos:prefLabel "Sist"@en ; pg:kind pg:TwinTown ;
    org:hasMember <municipality/fi/m0>, <municipality/xx/untyped> .
""", encoding="utf-8")
    assert parts_for(path.stat().st_size, bytes_per_triple=60) > 1
    report = validate_files([path], BASE)
    found = {(v.focus_node, v.constraint.rsplit("#", 1)[-1], v.value) for v in report.violations}
    assert (BASE + "org/far-funder", "SPARQLConstraintComponent",
            f"<{BASE}municipality/fi/m7>") in found
    assert (BASE + "partnership/last", "ClassConstraintComponent",
            f"<{BASE}municipality/xx/untyped>") in found
    assert {v.focus_node for v in report.violations if v.path and v.path.endswith("#kind")} \
        == {BASE + f"partnership/p{n}" for n in (0, 2500, 5000, 7500)}
    assert len(report.violations) == 6, report.text()


PARTIES = """
@prefix pg: <https://w3id.org/partnergraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .

<county-council/se/region-x> a pg:CountyCouncil ; skos:prefLabel "Region X"@sv ; pg:country <country/SE> .
<county/ke/y-county> a pg:County ; skos:prefLabel "Y County"@en ; pg:country <country/KE> .
<partnership/region-x-y> a pg:Partnership ; skos:prefLabel "Region X–Y County"@sv ; pg:kind pg:TwinTown ;
    org:hasMember <county-council/se/region-x>, <county/ke/y-county> .
"""


def test_a_region_and_a_county_may_be_members_of_a_partnership_and_never_municipalities(tmp_path):
    path = tmp_path / "parties.ttl"
    path.write_text(PARTIES)
    report = validate_files([path], BASE)
    assert report.conforms, report.text()
    # A party typed a municipality too, and a member that is no organisation, are refused.
    path.write_text(PARTIES + """
<county/ke/y-county> a pg:Municipality .
<partnership/region-x-y> org:hasMember <person/z> .
<person/z> a foaf:Person ; foaf:name "Z" .
""")
    report = validate_files([path], BASE)
    found = {(v.focus_node, v.constraint.rsplit("#", 1)[-1]) for v in report.violations}
    assert (BASE + "county/ke/y-county", "NotConstraintComponent") in found
    assert (BASE + "partnership/region-x-y", "ClassConstraintComponent") in found
    assert "is no municipality" in report.text()


def test_every_rule_says_how_to_fix_the_data_in_swedish_and_english():
    from rdflib import Graph
    from rdflib.namespace import SH

    from graph.resources import shapes_file
    shapes = Graph().parse(shapes_file())
    for shape in set(shapes.subjects(SH.message, None)):
        said = {message.language: str(message) for message in shapes.objects(shape, SH.message)}
        assert set(said) == {"sv", "en"} and said["sv"] != said["en"], shape


def test_a_violation_carries_its_rule_in_both_languages(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN)
    (lonely,) = [v for v in validate_files([path], BASE).violations if v.focus_node.endswith("lonely")]
    assert lonely.message.startswith("A partnership needs at least two members")
    assert lonely.messages["sv"].startswith("Ett samarbete behöver minst två medlemmar")
