"""Stewards' decisions on merges: a rejected merge stays rejected and a
confirmed one stays merged when the data set is loaded again, bad input
changes nothing, and the command line lists and records them."""
from __future__ import annotations

import pytest

from graph.errors import PartnergraphError
from graph.ingest import datasets, decisions
from graph.ingest.importer import import_file
from graph.iris import decisions_graph_iri
from graph.views.merges import KEPT_APART, MERGED, merges
from tests.library.test_datasets import NAMESAKES, ROWS, TWINS, cut_to
from tests.support.csv_files import GRAPH, partnership_rows, write_csv

BASE = "https://w3id.org/partnergraph/id/"
CHISINAU = BASE + "municipality/md/chisinau"
LOHNE = BASE + "municipality/de/lohne"
CEDILLA = "Chişinău"        # with s and t written with a cedilla


def nodes(store, name: str) -> set[str]:
    return {r["m"].value for r in store.select(f"""
        SELECT ?m WHERE {{ ?m a pg:Municipality ; skos:prefLabel "{name}"@en }}""")}


def entry(store, name: str, node: str):
    found = [e for e in merges(store, TWINS) if e.name == name and e.node == node]
    assert len(found) == 1, found
    return found[0]


def test_a_rejected_merge_stays_rejected_after_the_data_set_is_loaded_again(tmp_path, monkeypatch, store):
    cut_to(ROWS, tmp_path, monkeypatch)
    report, _ = datasets.load(store, TWINS, agent="test")
    assert report.ok
    merged = entry(store, CEDILLA, CHISINAU)
    assert merged.kind == MERGED and merged.reason == "encoding" and merged.pending
    assert merged in merges(store, pending=True)

    decisions.record(store, CEDILLA, "MD", CHISINAU, same=False, agent="user steward")
    stored = store.select(f"""SELECT ?who ?when WHERE {{ GRAPH <{decisions_graph_iri(BASE)}> {{
        ?d a pg:RejectedMerge ; pg:nameGiven "{CEDILLA}" ; pg:matchedNode <{CHISINAU}> ;
           prov:wasAttributedTo/rdfs:label ?who ; prov:generatedAtTime ?when }} }}""")
    assert [r["who"].value for r in stored] == ["user steward"]

    for _ in range(2):
        report, built = datasets.load(store, TWINS, agent="test")
        assert report.ok, report.problems
        own = nodes(store, CEDILLA)
        assert len(own) == 1 and CHISINAU not in own
        apart = entry(store, CEDILLA, CHISINAU)
        assert apart.kind == KEPT_APART and not apart.pending and not apart.decision.same
        assert "a steward decided so (user steward" in apart.detail
        assert not [m for m in built.merges if m.given == CEDILLA]
        assert store.ask(f"""ASK {{ GRAPH <{BASE}graph/{TWINS}> {{
            ?p org:hasMember <{own.pop()}>, <{BASE}municipality/se/borlange> }} }}""")
    # The same files and the same decisions: the second load wrote nothing.
    assert not report.written


def test_a_confirmed_merge_stays_merged(tmp_path, monkeypatch, store):
    cut_to(NAMESAKES, tmp_path, monkeypatch)
    datasets.load(store, TWINS, agent="test")
    apart = entry(store, "Löhne", LOHNE)
    assert apart.kind == KEPT_APART and apart.pending
    decisions.record(store, "Löhne", "Germany", LOHNE, same=True, agent="user steward")
    decisions.record(store, "Gothenburg", "SE", BASE + "municipality/se/goteborg", same=True, agent="user steward")

    for _ in range(2):
        report, built = datasets.load(store, TWINS, agent="test")
        assert report.ok, report.problems
        assert not nodes(store, "Löhne") and nodes(store, "Lohne") == {LOHNE}
        merged = entry(store, "Löhne", LOHNE)
        assert merged.kind == MERGED and merged.reason == "confirmed" and merged.decision.same
        assert not entry(store, "Gothenburg", BASE + "municipality/se/goteborg").pending
        # The other namesakes are still two places each, and still pending.
        assert nodes(store, "Munster") != nodes(store, "Münster")
        assert entry(store, "Munster", BASE + "municipality/de/munster").pending
    assert not report.written


def test_a_later_decision_replaces_the_earlier_one(store):
    decisions.record(store, CEDILLA, "MD", CHISINAU, same=False, agent="one")
    decisions.record(store, CEDILLA, "Moldova", CHISINAU, same=True, agent="two")
    found = decisions.read(store).all
    assert [(d.same, d.agent) for d in found] == [(True, "two")]


@pytest.mark.parametrize("name, country, node, says", [
    ("Lohne", "Atlantis", CHISINAU, "'Atlantis' is no country"),
    ("Lohne", "DE", BASE + "municipality/de/nowhere", "is no municipality of the store"),
    ("Lohne", "DE", "not an iri", "is not an IRI"),
    ("  ", "DE", CHISINAU, "Give the name"),
])
def test_bad_input_is_refused_and_changes_nothing(store, name, country, node, says):
    version = store.data_version
    with pytest.raises(PartnergraphError, match=says):
        decisions.record(store, name, country, node, same=False, agent="test")
    assert store.data_version == version
    assert decisions_graph_iri(BASE) not in store.graph_names()


def test_the_decisions_graph_is_no_import_target(store, tmp_path):
    path = tmp_path / "x.ttl"
    path.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    with pytest.raises(PartnergraphError, match="kept by partnergraph itself"):
        import_file(store, path, decisions_graph_iri(BASE), agent="test")


def test_merges_are_listed_and_decided_on_the_command_line(tmp_path, monkeypatch, cli, store):
    store.close()
    cut_to(NAMESAKES, tmp_path, monkeypatch)
    status, out, err = cli("load-dataset", TWINS)
    assert status == 0, out + err
    status, out, err = cli("merges", "--pending", TWINS)
    assert status == 0, err
    assert f"'Löhne' (DE) kept apart from <{LOHNE}> 'Lohne'" in out and "[pending]" in out

    status, out, err = cli("merges", "reject", "Gothenburg", "Atlantis", BASE + "municipality/se/goteborg")
    assert status == 1 and "'Atlantis' is no country" in err
    status, out, err = cli("merges", "confirm", "Löhne", "DE", BASE + "municipality/de/nowhere")
    assert status == 1 and "is no municipality of the store" in err
    status, out, err = cli("merges", "confirm", "Löhne")
    assert status == 1 and "takes NAME COUNTRY NODE" in err

    status, out, err = cli("merges", "confirm", "Löhne", "DE", LOHNE)
    assert status == 0, err
    assert "'Löhne' (DE) is <" in out and "takes effect on the next load" in out
    status, out, _ = cli("merges", TWINS)
    assert "[confirmed by user" in out
    assert "'Löhne'" not in cli("merges", "--pending")[1]
    status, out, err = cli("load-dataset", TWINS)
    assert status == 0 and "'Löhne' (Germany) -> <" + LOHNE + "> 'Lohne': confirmed" in out
    assert "nothing was written" in cli("load-dataset", TWINS)[1]


def test_a_stewards_sheet_obeys_decisions_too(store, tmp_path):
    # Seed Chișinău (comma below) is the node a cedilla spelling folds to.
    row = partnership_rows(1, broken=False)[0] | {"municipality": "Borlänge", "partner_country": "MD",
                                                  "partner_municipality": CEDILLA}
    path = write_csv(tmp_path / "partners.csv", [row])
    report = import_file(store, path, agent="test")
    assert report.ok and [m.iri for m in report.matches if m.given == CEDILLA] == [CHISINAU]

    decisions.record(store, CEDILLA, "MD", CHISINAU, same=False, agent="user steward")
    report = import_file(store, path, agent="test")
    assert report.ok, report.problems
    assert not [m for m in report.matches if m.given == CEDILLA]
    partners = {r["x"].value for r in store.select(f"""SELECT ?x WHERE {{ GRAPH <{GRAPH}> {{
        ?p org:hasMember <{BASE}municipality/se/borlange>, ?x FILTER (?x != <{BASE}municipality/se/borlange>) }} }}""")}
    assert len(partners) == 1 and CHISINAU not in partners
