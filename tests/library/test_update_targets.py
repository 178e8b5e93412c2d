"""Which graphs a SPARQL Update writes, read from its text: every form of
update, prefixes and bases, and what cannot be known before it runs."""
from __future__ import annotations

import pytest

from graph.sparql.update_targets import written_graphs

G1, G2, G3 = "http://example.org/g1", "http://example.org/g2", "http://example.org/g3"


@pytest.mark.parametrize("update, graphs, default", [
    (f"INSERT DATA {{ GRAPH <{G1}> {{ <s> <p> <o> }} }}", {G1}, False),
    ("INSERT DATA { <s> <p> <o> }", set(), True),
    (f"INSERT DATA {{ <s> <p> <o> . GRAPH <{G1}> {{ <s> <p> <o> }} }}", {G1}, True),
    (f"PREFIX ex: <http://example.org/> DELETE DATA {{ GRAPH ex:g1 {{ <s> <p> 'GRAPH <{G3}> {{' }} }}",
     {G1}, False),
    (f"DELETE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }} INSERT {{ GRAPH <{G2}> {{ ?s ?p ?o }} }} "
     f"WHERE {{ GRAPH <{G3}> {{ ?s ?p ?o }} }}", {G1, G2}, False),
    (f"WITH <{G1}> DELETE {{ ?s <p> ?o }} INSERT {{ ?s <q> ?o }} WHERE {{ ?s <p> ?o }}", {G1}, False),
    (f"WITH <{G1}> INSERT {{ GRAPH <{G2}> {{ ?s ?p ?o }} }} USING <{G3}> WHERE {{ ?s ?p ?o }}", {G2}, False),
    (f"DELETE WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}", {G1}, False),
    ("DELETE WHERE { ?s ?p ?o }", set(), True),
    (f"DROP GRAPH <{G1}> ; CLEAR SILENT DEFAULT ; CREATE GRAPH <{G2}>", {G1, G2}, True),
    (f"MOVE <{G1}> TO GRAPH <{G2}>", {G1, G2}, False),
    (f"COPY DEFAULT TO <{G3}>", {G3}, False),
    (f"ADD SILENT GRAPH <{G1}> TO DEFAULT", set(), True),
    (f"LOAD <http://elsewhere.example/data.ttl> INTO GRAPH <{G1}>", {G1}, False),
    ("BASE <http://example.org/> INSERT DATA { GRAPH <g1> { <s> <p> <o> } }", {G1}, False),
    (f"insert data {{ graph <{G1}> {{ <s> <p> [ <q> <r> ] }} }} ;\n"
     "PREFIX e: <http://example.org/> delete data { graph e:g2 { <s> <p> <o> } }", {G1, G2}, False),
    (f"# GRAPH <{G3}> in a comment\nINSERT DATA {{ GRAPH <{G1}> {{ <s> <p> \"\"\"}} GRAPH <{G3}> {{\"\"\" }} }}",
     {G1}, False),
])
def test_the_graphs_an_update_writes(update, graphs, default):
    targets = written_graphs(update)
    assert (targets.graphs, targets.default_graph, targets.unknown) == (graphs, default, [])


@pytest.mark.parametrize("update, words", [
    ("INSERT { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }", "GRAPH ?g: the data chooses"),
    ("DELETE WHERE { GRAPH ?g { ?s ?p ?o } }", "GRAPH ?g"),
    ("DROP ALL", "every graph"),
    ("CLEAR NAMED", "every named graph"),
    ("SELECT * WHERE { ?s ?p ?o }", "starts with 'SELECT'"),
])
def test_what_cannot_be_known_before_it_runs_is_said_in_words(update, words):
    assert any(words in reason for reason in written_graphs(update).unknown)
