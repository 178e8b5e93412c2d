"""The workbench's page (/query) and what /sparql tells it, through Flask's
test client: links in either common form open the query, the site search
box stays the site's, and a query that does not parse is told in the
reader's language with the parser's text after it."""
from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest

QUERY = 'SELECT ?m WHERE { ?m a pg:Municipality ; skos:prefLabel "Borlänge"@sv }'


def editor_text(page: str) -> str:
    match = re.search(r'<textarea id="wb-q"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert match
    return html.unescape(match.group(1))


@pytest.mark.parametrize("param", ["query", "q"])
def test_a_link_with_query_or_q_opens_the_query_in_the_editor(read_client, param):
    page = read_client.get(f"/query?{param}={quote(QUERY)}&lang=en").get_data(as_text=True)
    assert editor_text(page) == QUERY
    box = re.search(r'<input id="site-q"[^>]*value="([^"]*)"', page)
    assert box and box.group(1) == ""


def test_a_hostile_query_in_the_link_stays_text(read_client):
    hostile = '</textarea><script>alert(1)</script>'
    page = read_client.get(f"/query?query={quote(hostile)}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and editor_text(page) == hostile


@pytest.mark.parametrize("lang, start", [
    ("en", "The '(' at line 3, column 10 is not closed before the '}' at line 4, column 1."),
    ("sv", "'(' på rad 3, kolumn 10 stängs inte före '}' på rad 4, kolumn 1."),
])
def test_a_query_that_does_not_parse_is_told_in_the_readers_language(read_client, lang, start):
    broken = "SELECT ?name WHERE {\n  ?m skos:prefLabel ?name\n  FILTER (\n}"
    answer = read_client.post("/sparql", data={"query": broken}, headers={"Accept-Language": lang})
    friendly, _, raw = answer.get_data(as_text=True).partition("\n\n")
    assert answer.status_code == 400 and friendly.startswith(start)
    assert raw.startswith({"en": "The parser's own words: ", "sv": "Parserns eget besked: "}[lang])
    assert "line 4" in raw


@pytest.mark.parametrize("query, start", [
    ("SELCT ?s WHERE { ?s ?p ?o }", "Unknown word 'SELCT' at line 1, column 1. Did you mean SELECT?"),
    ("SELECT * WHERE { ?s ?p ?o  ?a ?b ?c }", "A '.' is missing before '?a' at line 1, column 28"),
    ("SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o }",
     "?s at line 1, column 8 is selected but neither grouped nor counted. Add it to GROUP BY"),
    ('SELECT * WHERE { ?s ?p "open }', "The text that starts with \" at line 1, column 24 is never closed"),
    ("SELECT * WHERE { ?s ?p ?o }}", "The '}' at line 1, column 28 closes nothing"),
    ("SELECT (1 AS ?y) ?y WHERE { }", "?y at line 1, column 18 is named twice in SELECT"),
    ("", "The query is empty."),
])
def test_common_mistakes_get_a_short_message_with_the_fix(read_client, query, start):
    answer = read_client.post("/sparql?lang=en", data={"query": query})
    assert answer.status_code == 400
    assert answer.get_data(as_text=True).startswith(start)
