"""Facts of the two seed pages beyond the competency questions: each lands in its
page's graph, names come in the seed's, English and native spelling, and nothing
is dated that the pages leave undated."""
from __future__ import annotations

from graph.iris import DEFAULT_BASE_IRI

BORLANGE = f"<{DEFAULT_BASE_IRI}graph/borlange>"
LJUSDAL = f"<{DEFAULT_BASE_IRI}graph/ljusdal>"


def values(store, query):
    """Rows as tuples of plain values, None where a variable is unbound."""
    result = store.query(query)
    names = [v.value for v in result.variables]
    return [tuple(None if row[n] is None else row[n].value for n in names) for row in result]


def test_borlange_page_gives_no_dates_so_its_graph_has_none(bundled_store):
    dated = values(bundled_store, f"""
        SELECT ?s ?p ?o WHERE {{ GRAPH {BORLANGE} {{ ?s ?p ?o }}
          FILTER (isLiteral(?o) && DATATYPE(?o) IN (xsd:date, xsd:dateTime, xsd:gYear, xsd:gYearMonth)) }}""")
    assert dated == []


def test_borlange_page_keeps_times_in_its_own_words(bundled_store):
    times = values(bundled_store, f"""
        SELECT DISTINCT ?t WHERE {{ GRAPH {BORLANGE} {{ ?e pg:timeDescription ?t }} }} ORDER BY ?t""")
    assert {t for (t,) in times} >= {"vecka 37", "tidigare i år", "i november"}


def test_names_in_seed_english_and_native_spelling(bundled_store):
    rows = values(bundled_store, """
        SELECT ?sv ?en ?native WHERE {
          ?m a pg:Municipality ; skos:prefLabel ?sv, ?en ; pg:nativeName ?native .
          FILTER (LANG(?sv) = "sv" && LANG(?en) = "en")
          FILTER (?sv IN ("Västmannaöarna"@sv, "Chișinău"@sv, "Pitești"@sv))
        } ORDER BY ?sv""")
    # Swedish keeps the letters of the place's own alphabet.
    assert rows == [("Chișinău", "Chișinău", "Chișinău"),
                    ("Pitești", "Pitești", "Pitești"),
                    ("Västmannaöarna", "Vestmannaeyjar", "Vestmannaeyjar")]


def test_each_seed_graph_names_its_source_and_the_ljusdal_page_its_date(bundled_store):
    rows = values(bundled_store, """
        SELECT ?graph ?title ?language ?issued WHERE {
          ?graph a pg:SourceGraph ; prov:wasDerivedFrom ?source .
          ?source dcterms:title ?title ; dcterms:language ?language ; dcterms:identifier ?id .
          OPTIONAL { ?source dcterms:issued ?issued }
          FILTER (STRENDS(?id, ".txt"))
        } ORDER BY ?graph""")
    assert rows == [
        (f"{DEFAULT_BASE_IRI}graph/borlange", "Besök från Norge, Danmark och Moldavien", "sv", None),
        (f"{DEFAULT_BASE_IRI}graph/ljusdal", "Förberedelsefas för kommunalt partnerskap", "sv",
         "2013-06-20T20:41:00"),
    ]


def test_millennium_status_of_the_three_partners(bundled_store):
    rows = values(bundled_store, """
        SELECT ?name ?status WHERE {
          ?m pg:millenniumStatus ?s ; skos:prefLabel ?name . ?s skos:prefLabel ?status .
          FILTER (LANG(?name) = "sv" && LANG(?status) = "en") } ORDER BY ?name""")
    assert rows == [
        ("Kisumu", "Millennium municipality"),
        ("Ljusdal", "In the process of becoming a millennium municipality"),
        ("Mombasa", "Ambition to pursue some of the Millennium Development Goals"),
    ]


def test_the_council_decision_is_dated_as_the_page_says(bundled_store):
    rows = values(bundled_store, f"""
        SELECT ?date ?status WHERE {{ GRAPH {LJUSDAL} {{
          ?e a pg:Event ; pg:date ?date ; pg:status ?status ;
             pg:partnership/org:hasMember/skos:prefLabel "Kisumu"@sv }} }}""")
    assert rows == [("2011-09-26", "https://w3id.org/partnergraph/ontology#Planned")]


def test_the_cooperation_with_chisinau_is_a_set_of_projects_in_its_own_graph(bundled_store):
    rows = values(bundled_store, f"""
        SELECT ?project ?status WHERE {{ GRAPH {BORLANGE} {{
          ?p a pg:Project ; pg:partnership/org:hasMember/skos:prefLabel "Chișinău"@sv ;
             skos:prefLabel ?project ; pg:status ?s .
          FILTER (LANG(?project) = "sv") }}
          ?s skos:prefLabel ?status .
          FILTER (LANG(?status) = "en") }} ORDER BY ?project""")
    assert sorted(set(rows)) == [
        ("Kostprojekt", "Ended"),
        ("Nytt och längre projekt om barn och ungdomar med autism", "Planned"),
        ("Ungdoms- och demokratiprojekt", "Ended"),
        ("Utvecklingsprojekt om barn och ungdomar med autism", "Active"),
    ]
