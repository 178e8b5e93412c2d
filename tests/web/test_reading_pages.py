"""Pages people read: a resource page opens with a sentence made from its
facts and its key facts, names every fact's source by title and publisher
(linked where the source has an address, never by an internal file name),
keeps stewards' notes in a provenance section in the reader's language, and
speaks Swedish a Swedish official would sign."""
from __future__ import annotations

import html
import re

import pytest

from server.support.i18n import counted
from server.support.store import get_store

BASE = "https://w3id.org/partnergraph/id/"
PARTNERSHIP = "/partnergraph/id/partnership/ljusdal-kisumu-mombasa"
LJUSDAL = "/partnergraph/id/municipality/se/ljusdal"
BORLANGE = "/partnergraph/id/municipality/se/borlange"
SEED_FILES = ("000_c26b84a9377f466a.txt", "004_d490d7aeb097e4f1.txt")


def text(response) -> str:
    return response.get_data(as_text=True)


def opening(page: str) -> str:
    found = re.search(r'<p class="lead summary-text">(.*?)</p>', page, re.S)
    assert found, "the page has no opening summary"
    return html.unescape(found.group(1))


def section(page: str, marker: str, end: str = "</section>") -> str:
    return page.split(marker, 1)[1].split(end, 1)[0]


@pytest.mark.parametrize("lang, sentence, leader", [
    ("sv", "Kommunalt partnerskap mellan Ljusdal (SE), Kisumu och Mombasa (KE), under förberedelse, "
           "som finansieras av Sida genom Kommunalt partnerskap (ICLD), om demokrati, jämställdhet",
     "Kontaktperson: Birgitta Piippola, projektledare i Ljusdal."),
    ("en", "Municipal partnership between Ljusdal (SE), Kisumu and Mombasa (KE), in preparation, "
           "financed by Sida through the Municipal partnership programme (ICLD), on democracy, "
           "environmental issues, gender equality",
     "Contact: Birgitta Piippola, project leader in Ljusdal."),
])
def test_the_partnership_page_opens_with_what_it_is(read_client, lang, sentence, leader):
    page = text(read_client.get(f"{PARTNERSHIP}?lang={lang}"))
    said = opening(page)
    assert said.startswith(sentence), said
    assert said.endswith(leader), said
    # The summary and key facts come before the full facts.
    assert page.index("summary-text") < page.index('id="facts-heading"')
    facts = section(page, 'class="key-facts"', "</dl>")
    for theme in (("Demokrati", "Jämställdhet", "Turismutveckling", "Klimathotet") if lang == "sv"
                  else ("Democracy", "Gender equality", "Tourism development", "The climate threat")):
        assert f">{theme}</a>" in facts, theme
    assert ">Birgitta Piippola</a>" in facts and ">Sida</a>" in facts
    assert re.search(r">Kisumu</a> <abbr[^>]*>KE</abbr>", facts)
    # The council's decision, dated, on a timeline with the visit.
    timeline = section(page, 'class="timeline"', "</ol>")
    assert ('datetime="2011-09-26">26 september 2011<' if lang == "sv"
            else 'datetime="2011-09-26">26 September 2011<') in timeline
    assert timeline.count("<li>") == 2


@pytest.mark.parametrize("path, lang, start", [
    (BORLANGE, "sv", "Kommun i Sverige med 6 samarbetspartner i 6 länder: 3 officiella förbindelser och 3 vänorter."),
    (BORLANGE, "en", "Municipality in Sweden with 6 partners in 6 countries: 3 official relations and 3 twin towns."),
    (LJUSDAL, "sv", "Kommun i Sverige med 2 samarbetspartner i 1 land: 2 kommunala partnerskap."),
    ("/partnergraph/id/project/borlange-chisinau-autism", "sv",
     "Projekt inom Borlänge–Chișinău med Borlänge (SE) och Chișinău (MD), som pågår, om autism och barn och unga."),
    ("/partnergraph/id/event/visit-to-borlange-week-37", "en",
     "Event within Borlänge–Chișinău, Borlänge–Frederikshavn and Borlänge–Larvik, “vecka 37”, in Borlänge"),
    ("/partnergraph/id/org/sida", "sv",
     "Finansiär som finansierar 2 samarbetsrelationer genom Kommunalt partnerskap (ICLD)."),
    ("/partnergraph/id/programme/icld-municipal-partnership", "en",
     "Funding programme of Sida financing 2 partnerships."),
    ("/partnergraph/id/theme/youth-and-democracy", "sv", "Tema inom barn och unga och demokrati."),
], ids=["borlange-sv", "borlange-en", "ljusdal-sv", "project-sv", "event-en", "funder-sv", "programme-en", "theme-sv"])
def test_each_kind_of_page_opens_with_a_sentence_of_its_own(read_client, path, lang, start):
    assert opening(text(read_client.get(f"{path}?lang={lang}"))).startswith(start)


def test_one_and_many_are_worded_right(read_client):
    assert counted(1, "row", "sv") == "1 rad" and counted(2, "row", "sv") == "2 rader"
    assert counted(1, "new_node", "sv") == "1 ny nod" and counted(3, "new_node", "en") == "3 new nodes"
    assert counted(79, "https://w3id.org/partnergraph/ontology#Municipality", "sv") == "79 kommuner"
    assert counted(1, "https://w3id.org/partnergraph/ontology#Country", "en") == "1 country"
    home = text(read_client.get("/?lang=sv"))
    assert re.search(r'#Municipality">\d+</span>\s*<span class="what">kommuner</span>', home)
    assert re.search(r'#Country">\d+</span>\s*<span class="what">länder</span>', home)
    english = text(read_client.get("/?lang=en"))
    assert re.search(r'#Partnership">\d+</span>\s*<span class="what">partnerships</span>', english)


def test_the_preferred_label_is_the_heading_and_the_other_languages_beside_it(read_client):
    page = text(read_client.get(f"{PARTNERSHIP}?lang=sv"))
    assert "<h1>Kommunalt partnerskap Ljusdal–Kisumu–Mombasa</h1>" in page
    assert 'På engelska: <span lang="en">Municipal partnership Ljusdal–Kisumu–Mombasa</span>' in page
    assert "föredragen benämning" not in page


def test_every_fact_names_its_source_by_title_and_publisher_and_no_file(read_client):
    for path in (PARTNERSHIP, LJUSDAL, BORLANGE, "/partnergraph/id/theme/democracy"):
        for lang in ("sv", "en"):
            page = text(read_client.get(f"{path}?lang={lang}"))
            for name in SEED_FILES:
                assert name not in page, (path, lang)
            sources = section(page, 'class="source-list"', "</ol>")
            cited = set(re.findall(r'href="#source-(\d+)"', page))
            assert cited, path
            for number in cited:
                entry = section(sources, f'id="source-{number}"', "</li>")
                assert "<cite" in entry and ("utgivare" if lang == "sv" else "publisher") in entry, (path, entry)
    ljusdal = text(read_client.get(f"{LJUSDAL}?lang=sv"))
    sources = section(ljusdal, 'class="source-list"', "</ol>")
    # The seed page has no address: named, not linked, and nothing invented.
    seed = section(sources, "Förberedelsefas för kommunalt partnerskap", "</li>")
    assert "href=" not in seed.split("utgivare", 1)[0]
    assert "utgivare: <a" in seed and "20 juni 2013" in seed
    assert "källan finns inte på någon webbadress i grafen" in seed
    # The municipality list has one, and a title in the reader's language.
    assert '<a class="source-title" href="https://github.com/sjbrg/swedish-geodata" rel="noopener">' \
           "<cite>Sveriges kommuner med kommunkoder och län</cite></a>" in sources
    assert "utgivare: <a" in section(sources, "Sveriges kommuner med kommunkoder och län", "</li>")


def test_contact_details_link_to_mail_and_telephone(read_client):
    page = text(read_client.get(f"{LJUSDAL}?lang=sv"))
    assert '<a href="mailto:kommun@ljusdal.se">kommun@ljusdal.se</a>' in page
    assert '<a href="tel:0651-18000">0651-180 00</a>' in page


def test_load_notes_go_to_the_provenance_section_in_the_readers_language(client):
    note = ("twin-towns-wikipedia: 'Ljusdal' (SE) merged here (own letters left out: "
            "the name without the country's letters).")
    with client.application.app_context():
        get_store().update(f'INSERT DATA {{ GRAPH <{BASE}graph/notes> {{ <{BASE}municipality/se/ljusdal> '
                           f'<http://www.w3.org/2004/02/skos/core#editorialNote> """{note}"""@en }} }}')
    page = text(client.get(f"{LJUSDAL}?lang=sv"))
    facts = section(page, 'id="facts-heading"')
    assert "merged here" not in facts and "redaktionell" not in facts
    provenance = section(page, '<details class="provenance"', "</details>")
    assert ('twin-towns-wikipedia: namnet ”Ljusdal” (SE) slogs samman med den här resursen. '
            "Skäl: landets egna bokstäver utelämnade.") in provenance
    assert "merged here" not in page
    english = text(client.get(f"{LJUSDAL}?lang=en"))
    assert "the name “Ljusdal” (SE) was merged into this resource" in section(
        english, '<details class="provenance"', "</details>")


def test_hostile_names_stay_text_in_the_summary(client):
    hostile = '<img src=x onerror=alert(1)>'
    with client.application.app_context():
        get_store().update(f'INSERT DATA {{ GRAPH <urn:test> {{ <{BASE}municipality/ke/kisumu> '
                           f'<http://www.w3.org/2004/02/skos/core#prefLabel> """{hostile}"""@en }} }}')
    page = text(client.get(f"{PARTNERSHIP}?lang=en"))
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in section(page, "summary-text", "</p>")


def test_swedish_labels_keep_their_own_letters_and_the_right_words(read_client):
    borlange = text(read_client.get(f"{BORLANGE}?lang=sv"))
    assert ">Chișinău</a>" in borlange and ">Pitești</a>" in borlange
    assert ">gemensam finansiär</a>" in borlange and "vanlig finansiär" not in borlange
    # The page's own spelling is still found.
    search = text(read_client.get("/search?q=Pitesti&lang=sv"))
    assert ">Pitești<" in search


def test_a_path_words_broader_and_narrower_the_right_way_round(read_client):
    path = text(read_client.get("/analysis/path", query_string={
        "from": BASE + "theme/democracy", "to": BASE + "theme/youth-and-democracy", "lang": "sv"}))
    steps = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section(path, 'class="path-steps">', "</ol>"))).split())
    assert steps == "Demokrati underordnat begrepp Ungdom och demokrati"
    back = text(read_client.get("/analysis/path", query_string={
        "from": BASE + "theme/youth-and-democracy", "to": BASE + "theme/democracy", "lang": "en"}))
    steps = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section(back, 'class="path-steps">', "</ol>"))).split())
    assert steps == "Youth and democracy broader Democracy"


def test_a_partners_map_embeds_with_a_snippet_and_oembed(read_client):
    url = "/embed/map?" + "iri=" + BASE + "municipality/se/borlange&lang=sv"
    answer = read_client.get(url)
    assert answer.status_code == 200
    assert "frame-ancestors 'self'" in answer.headers["Content-Security-Policy"]
    assert 'class="emb-title">Karta över Borlänge och dess samarbetspartner<' in text(answer)
    assert read_client.get("/embed/map?iri=" + BASE + "theme/democracy").status_code == 404
    assert read_client.get("/embed/map").status_code == 400
    data = read_client.get("/oembed", query_string={
        "url": f"http://localhost/map?iri={BASE}municipality/se/borlange&lang=en"}).json
    assert '<iframe src="http://localhost/embed/map?iri=' in data["html"]
    assert "Map of Borlänge and its partners" in data["html"]
