"""The partnergraph command: query in every format, stats, export, load and
validate, with clear messages and exit statuses."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from tests.support.processes import partnergraph_command, subprocess_env

TWIN_TOWNS = """SELECT ?name WHERE {
  ?p pg:kind pg:TwinTown ; org:hasMember ?m . ?m skos:prefLabel ?name
  FILTER(LANG(?name) = "sv" && ?name != "Borlänge"@sv) } ORDER BY ?name"""
EXPECTED = ["Frederikshavn", "Larvik", "Västmannaöarna"]
CONSTRUCT = "CONSTRUCT { ?p org:hasMember ?m } WHERE { ?p pg:kind pg:TwinTown ; org:hasMember ?m }"


def test_query_on_a_new_store_directory_answers_with_no_step_before(tmp_path):
    result = subprocess.run(
        [*partnergraph_command(), "query", TWIN_TOWNS, "--format", "json"],
        env=subprocess_env(PARTNERGRAPH_STORE=str(tmp_path / "new")),
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["name"]["value"] for b in bindings] == EXPECTED


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "table"])
def test_select_results_in_every_format(cli, fmt):
    status, out, err = cli("query", TWIN_TOWNS, "--format", fmt)
    assert status == 0, err
    if fmt == "json":
        names = [b["name"]["value"] for b in json.loads(out)["results"]["bindings"]]
    elif fmt == "xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        names = [e.text for e in ET.fromstring(out).findall(".//r:literal", ns)]
    elif fmt == "csv":
        names = [row["name"] for row in csv.DictReader(io.StringIO(out))]
    elif fmt == "tsv":
        names = [line.split("@")[0].strip('"') for line in out.splitlines()[1:]]
    else:
        names = [line.split("@")[0] for line in out.splitlines()[2:-1]]
        assert out.splitlines()[-1] == "(3 rows)"
    assert names == EXPECTED


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "rdfxml"])
def test_construct_results_in_every_graph_format(cli, fmt):
    status, out, err = cli("query", CONSTRUCT, "--format", fmt)
    assert status == 0, err
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                  "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
    triples = list(ox.parse(out.encode(), format=rdf_format))
    assert len(triples) == 6  # three twin-town partnerships, two members each


def test_ask_answers_yes_or_no(cli):
    assert cli("query", "ASK { ?m skos:prefLabel \"Ljusdal\"@sv }")[1] == "yes\n"
    assert cli("query", "ASK { ?m skos:prefLabel \"Atlantis\"@sv }", "--format", "json")[1].endswith("false}")


def test_a_graph_format_for_a_select_query_is_refused_with_the_choices(cli):
    status, out, err = cli("query", TWIN_TOWNS, "--format", "turtle")
    assert status == 1
    assert "A SELECT query cannot be written as 'turtle'" in err and "json" in err


def test_query_read_from_a_file_and_from_standard_input(cli, tmp_path):
    path = tmp_path / "twins.rq"
    path.write_text(TWIN_TOWNS)
    assert "Larvik" in cli("query", str(path), "--format", "csv")[1]
    assert "Larvik" in cli("query", "-", "--format", "csv", stdin=TWIN_TOWNS)[1]


def test_a_missing_query_file_is_named(cli, tmp_path):
    status, _, err = cli("query", str(tmp_path / "nothing.rq"))
    assert status == 1 and "No such file" in err


def test_a_query_syntax_error_gives_line_and_column(cli):
    status, out, err = cli("query", "SELECT ?s WHERE {\n  ?s ?p \n}")
    assert status == 1
    assert "line 3, column" in err


def test_stats_counts_classes_and_graphs(cli):
    status, out, err = cli("stats", "--json")
    assert status == 0, err
    stats = json.loads(out)
    assert stats["classes"]["https://w3id.org/partnergraph/ontology#Partnership"] == 7
    assert stats["classes"]["https://w3id.org/partnergraph/ontology#Country"] == 249
    # The bundled files and the default data set (Swedish municipalities).
    assert len(stats["graphs"]) == 6
    assert stats["triples"] == sum(stats["graphs"].values())
    text = cli("stats")[1]
    assert "data version:" in text and "graph/borlange" in text


def test_export_then_load_into_a_new_store_gives_the_same_graphs(cli, tmp_path, monkeypatch):
    out_file = tmp_path / "all.nq"
    assert cli("export", "--format", "nquads", "-o", str(out_file))[0] == 0
    original = json.loads(cli("stats", "--json")[1])["graphs"]
    monkeypatch.setenv("PARTNERGRAPH_STORE", str(tmp_path / "copy"))
    from graph.ingest.load import load_files
    from graph.settings import Settings
    from graph.store.open import open_store
    with open_store(Settings(store=str(tmp_path / "copy"))) as copy:
        load_files(copy, [out_file])
        assert copy.graphs() == original


def test_export_as_trig_keeps_graph_names(cli):
    status, out, err = cli("export", "--format", "trig", "--graph",
                           "https://w3id.org/partnergraph/id/graph/ljusdal")
    assert status == 0, err
    quads = list(ox.parse(out.encode(), format=ox.RdfFormat.TRIG))
    assert {q.graph_name.value for q in quads} == {"https://w3id.org/partnergraph/id/graph/ljusdal"}


def test_export_of_an_unknown_graph_says_so(cli):
    status, _, err = cli("export", "--graph", "http://example.org/none")
    assert status == 1 and "no graph <http://example.org/none>" in err


def test_load_reports_graphs_and_counts(cli, tmp_path):
    path = tmp_path / "partners.ttl"
    path.write_text('<http://example.org/a> <http://example.org/p> "x" .')
    status, out, err = cli("load", str(path))
    assert status == 0, err
    assert "https://w3id.org/partnergraph/id/graph/partners  1 triples" in out


def test_load_of_a_broken_file_names_the_position_and_loads_nothing(cli, tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text('<http://example.org/a> <http://example.org/p> "x" .\n<http://example.org/b> oops .\n')
    status, out, err = cli("load", str(path))
    assert status == 1
    assert f"{path}:2:" in err
    assert "graph/broken" not in cli("stats")[1]


def test_a_bad_setting_is_explained(cli, monkeypatch):
    monkeypatch.setenv("PARTNERGRAPH_BASE_IRI", "not an iri")
    status, _, err = cli("stats")
    assert status == 1 and "PARTNERGRAPH_BASE_IRI must be" in err
