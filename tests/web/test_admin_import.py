"""/admin/import: the token asked once, a dry run that leads with its
summary, a confirmation bound to the checked upload, the steward's language
kept through both posts, and files as Excel saves them."""
from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path

import pytest

from graph.ingest.history import versions
from graph.store.write_tokens import add_token, graph_names, remove_token
from tests.library.test_sheet_files import HEADER, ROWS, xlsx_bytes
from tests.support.csv_files import BASE, GRAPH, graph_triples, partnership_rows, write_csv

TOKEN = "s3cret-token"


@pytest.fixture
def tokens_file(tmp_path) -> Path:
    return tmp_path / "tokens.toml"


@pytest.fixture
def app(settings, tmp_path, tokens_file):
    from server import create_app
    from server.support.store import close
    app = create_app(dataclasses.replace(settings, token=TOKEN, tokens_file=str(tokens_file)),
                     test_config={"TESTING": True, "PARTNERGRAPH_UPLOADS": str(tmp_path / "uploads")})
    yield app
    close(app)


@pytest.fixture
def store(app):
    return app.extensions["partnergraph.store"]


def upload(client, path, lang="en", **fields):
    with path.open("rb") as handle:
        return client.post(f"/admin/import?lang={lang}", data={"file": (handle, path.name), **fields},
                           content_type="multipart/form-data")


def confirm(client, page: str, lang="en"):
    upload_id = re.search(r'name="upload_id" value="([^"]+)"', page).group(1)
    return client.post(f"/admin/import?lang={lang}", data={"upload_id": upload_id})


def csv_file(tmp_path, rows=6) -> Path:
    return write_csv(tmp_path / "partners.csv", partnership_rows(rows, broken=False))


def test_the_form_is_in_swedish_and_english(client):
    assert "Importera data" in client.get("/admin/import?lang=sv").get_data(as_text=True)
    assert 'type="password" name="token"' in client.get("/admin/import?lang=en").get_data(as_text=True)


@pytest.mark.parametrize("lang, missing, wrong", [
    ("en", "Enter your token", "does not know the token"),
    ("sv", "Skriv in din token", "känner inte igen den token"),
])
def test_without_the_right_token_a_person_is_told_in_their_language_and_nothing_is_written(
        client, store, tmp_path, lang, missing, wrong):
    path, version = csv_file(tmp_path), store.data_version
    for fields, status, words in (({}, 401, missing), ({"token": "wrong"}, 401, wrong)):
        answer = upload(client, path, lang=lang, **fields)
        page = answer.get_data(as_text=True)
        assert answer.status_code == status and words in page
        assert answer.headers["WWW-Authenticate"].lower().startswith("bearer")
        assert "Authorization" not in page and "Bearer" not in page
        assert 'name="file"' in page      # the form again, to try once more
    assert store.data_version == version


def test_the_token_is_asked_once_and_the_confirmation_carries_only_the_checked_upload(app, client, store, tmp_path):
    version = store.data_version
    review = upload(client, csv_file(tmp_path), token=TOKEN)
    page = review.get_data(as_text=True)
    assert review.status_code == 200 and "Confirm import" in page
    assert 'name="token"' not in page
    assert store.data_version == version and GRAPH not in store.graph_names()
    done = confirm(client, page)
    assert done.status_code == 200 and "Imported" in done.get_data(as_text=True)
    assert len(graph_triples(store)) > 0 and store.data_version != version
    assert versions(store, GRAPH)[0].agent == "PARTNERGRAPH_TOKEN"
    # The upload is used once.
    again = confirm(client, page)
    assert again.status_code == 410 and "Upload it again" in again.get_data(as_text=True)


def test_the_report_leads_with_the_summary_and_folds_the_triples(client, tmp_path):
    page = upload(client, csv_file(tmp_path), token=TOKEN).get_data(as_text=True)
    summary = page.index('class="import-summary"')
    assert summary < page.index('<details') < page.index('<pre class="diff">')
    head = page[summary:page.index("</dl>", summary)]
    for label in ("Rows read", "Triples added", "Triples removed", "Names matched", "New places",
                  "Warnings", "Problems"):
        assert label in head
    assert "<dd>6</dd>" in head              # the rows
    # The six partners are new places, each listed by name in a fold.
    assert re.search(r"New places</dt><dd>6</dd>", head)
    assert "New places, in no other source (6)" in page and "Partnerort 5" in page
    # The triples open only when asked for.
    assert re.search(r"<details class=\"fold\">\s*<summary>The triples: \+\d+ −0</summary>", page)


def test_a_swedish_start_stays_swedish_through_the_upload_and_the_confirmation(client, tmp_path):
    review = upload(client, csv_file(tmp_path), lang="sv", token=TOKEN)
    page = review.get_data(as_text=True)
    assert '<html lang="sv">' in page and "Sammanfattning" in page and "Bekräfta import" in page
    assert 'action="/admin/import?lang=sv"' in page
    done = confirm(client, page, lang="sv").get_data(as_text=True)
    assert '<html lang="sv">' in done and "Importerat" in done


def test_a_token_limited_to_one_graph_may_import_there_and_not_elsewhere(app, client, store, tokens_file, tmp_path):
    _, secret = add_token(tokens_file, "anna", graph_names(["partners"], BASE))
    _, other = add_token(tokens_file, "bo", graph_names(["icld"], BASE))
    path, version = csv_file(tmp_path), store.data_version
    refused = upload(client, path, token=other)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert f"The token “bo” may not write the graph &lt;{GRAPH}&gt;" in text
    assert f"may write only &lt;{BASE}graph/icld&gt;" in text
    swedish = upload(client, path, lang="sv", token=other).get_data(as_text=True)
    assert "Token ”bo” får inte skriva grafen" in swedish
    # Nor by naming another graph in the form.
    assert upload(client, path, token=secret, graph=BASE + "graph/icld").status_code == 403
    assert store.data_version == version
    done = confirm(client, upload(client, path, token=secret).get_data(as_text=True))
    assert done.status_code == 200 and versions(store, GRAPH)[0].agent == "anna"


def test_a_token_removed_after_the_check_cannot_confirm(app, client, store, tokens_file, tmp_path):
    _, secret = add_token(tokens_file, "anna", None)
    page = upload(client, csv_file(tmp_path), token=secret).get_data(as_text=True)
    remove_token(tokens_file, "anna")
    refused = confirm(client, page)
    assert refused.status_code == 403 and "“anna” was removed" in refused.get_data(as_text=True)
    assert GRAPH not in store.graph_names()


def test_a_confirmation_expires_and_a_changed_upload_is_not_written(app, client, store, tmp_path):
    page = upload(client, csv_file(tmp_path), token=TOKEN).get_data(as_text=True)
    upload_id = re.search(r'name="upload_id" value="([^"]+)"', page).group(1)
    meta_file = tmp_path / "uploads" / upload_id / "meta.json"
    meta = json.loads(meta_file.read_text())
    meta_file.write_text(json.dumps({**meta, "expires": meta["expires"] - 7200}))
    assert confirm(client, page).status_code == 410
    page = upload(client, csv_file(tmp_path), token=TOKEN).get_data(as_text=True)
    upload_id = re.search(r'name="upload_id" value="([^"]+)"', page).group(1)
    (tmp_path / "uploads" / upload_id / "data").write_bytes(b"municipality,partner_municipality\n")
    assert confirm(client, page).status_code == 410
    assert GRAPH not in store.graph_names()


def test_bearer_header_works_and_problems_are_escaped(client, tmp_path):
    rows = partnership_rows(5, broken=False)
    rows[1]["kind"] = "<script>alert(1)</script>"
    path = write_csv(tmp_path / "partners.csv", rows)
    with path.open("rb") as handle:
        response = client.post("/admin/import?lang=en", data={"file": (handle, path.name)},
                               headers={"Authorization": f"Bearer {TOKEN}"},
                               content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "row 3" in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page


# -- files as Excel saves them -------------------------------------------------

def test_a_windows_1252_sheet_is_imported_with_its_warning_shown(client, tmp_path):
    path = tmp_path / "vanorter.csv"
    path.write_bytes((HEADER + ROWS).encode("cp1252"))
    page = upload(client, path, token=TOKEN).get_data(as_text=True)
    assert re.search(r"Warnings</dt><dd>1</dd>", page) and "Windows-1252" in page
    assert "row 2" in page and "Ærøskøbing" in page and "Confirm import" in page


@pytest.mark.parametrize("name", ["partners.xlsx", "partners.csv"])
def test_a_workbook_is_named_as_one_with_how_to_save_it_as_csv(client, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes())
    answer = upload(client, path, token=TOKEN)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "This is an Excel workbook (.xlsx), not CSV." in page
    assert "CSV UTF-8 (kommaavgränsad)" in page and "not UTF-8" not in page


def test_a_header_only_sheet_is_told_it_has_no_rows(client, tmp_path):
    path = tmp_path / "partners.csv"
    path.write_text(HEADER, encoding="utf-8")
    answer = upload(client, path, lang="sv", token=TOKEN)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "Filen har inga rader" in page and "Lägg till en rad" in page
    assert "Grafen innehåller redan exakt detta" not in page


def test_a_name_with_markup_is_imported_with_a_warning_and_shown_escaped(client, store, tmp_path):
    rows = partnership_rows(3, broken=False)
    rows[1]["partner_municipality"] = "<b>Partnerort</b> <script>alert(1)</script>"
    page = upload(client, write_csv(tmp_path / "partners.csv", rows), token=TOKEN).get_data(as_text=True)
    assert re.search(r"Warnings</dt><dd>1</dd>", page) and "row 3, column &#39;partner_municipality&#39;" in page
    assert "<script>alert" not in page and "<b>Partnerort" not in page
    assert "&lt;b&gt;Partnerort&lt;/b&gt;" in page
    done = confirm(client, page).get_data(as_text=True)
    assert "Imported" in done and "<script>alert" not in done
    assert any("<script>alert(1)</script>" in o for _, _, o in graph_triples(store))


def test_the_review_lists_the_new_places_with_their_kind(client, tmp_path):
    row = dict(partnership_rows(1, broken=False)[0], partner_municipality="Region <i>Ny</i>", partner_country="NO")
    page = upload(client, write_csv(tmp_path / "partners.csv", [row]), token=TOKEN).get_data(as_text=True)
    assert "New places, in no other source (1)" in page
    assert "&#39;Region &lt;i&gt;Ny&lt;/i&gt;&#39; (NO) -&gt;" in page
    assert "imported as a region or county council" in page


def test_the_page_waiting_on_a_check_or_a_write_can_ask_how_far_it_has_come(client, store, tmp_path):
    work = "check-0123456789abcdef"
    review = upload(client, csv_file(tmp_path), lang="sv", token=TOKEN, progress_id=work)
    assert review.status_code == 200
    state = client.get(f"/admin/import/progress/{work}?lang=sv").get_json()
    assert state["stage"] == "done"
    assert state["passed"][:2] == ["Läser raderna", "Kontrollerar mot formerna"]
    # The confirmation reports under an id of its own, its write included.
    page = review.get_data(as_text=True)
    upload_id = re.search(r'name="upload_id" value="([^"]+)"', page).group(1)
    done = client.post("/admin/import?lang=en", data={"upload_id": upload_id, "progress_id": work + "-w"})
    assert done.status_code == 200 and graph_triples(store, GRAPH)
    state = client.get(f"/admin/import/progress/{work}-w?lang=en").get_json()
    assert state["stage"] == "done" and "Writing" in state["passed"]
    # An id nothing was sent with, or one no page would make, is not found.
    assert client.get("/admin/import/progress/nothing-sent-with-this-id").status_code == 404
    assert client.get("/admin/import/progress/x").status_code == 404


# -- findings in the page's language -------------------------------------------

def _partnership_sheet(tmp_path) -> Path:
    base = dict(partnership_rows(1, broken=False)[0], municipality="Ljusdal", partner_municipality="Larvik",
                partner_country="NO", kind="vänort", themes="", funders="", start_year="", status="",
                source_url="", notes="")
    rows = [dict(base, source_url="example.org/b"),
            dict(base, start_year="20l1"),
            dict(base, partner_country="Atlantis"),
            dict(base, kind="best friends"),
            dict(base, partner_municipality="Ljusdal", partner_country="SE"),
            dict(base, municipality_kind="klubb")]
    return write_csv(tmp_path / "partners.csv", rows)


def _municipality_sheet(tmp_path) -> Path:
    path = tmp_path / "municipalities.csv"
    path.write_text("name,country,official_code,region,latitude,longitude\n"
                    "Ljusdal,SE,2161,,,\nLjusdal,SE,,,,\nBollnäs,SE,821,,,\nOrsa,SE,,,95,\n"
                    "Ljusdl,SE,,,,\n", encoding="utf-8")
    return path


def _header_sheet(tmp_path) -> Path:
    path = tmp_path / "partners.csv"
    path.write_text("municipality,partner_municipality,partner_country,colour\nLjusdal,Larvik,NO,blå\n",
                    encoding="utf-8")
    return path


# Each sheet, and what its findings say in Swedish and in English: where,
# what is wrong and how to fix it, as the page shows them.
FINDINGS = {
    "partnerships": (_partnership_sheet, {
        "sv": ["rad 2, kolumn ”source_url”", "”example.org/b” är ingen webbadress.",
               "Så rättar du: Skriv varje adress i sin helhet, med https:// först; skilj flera adresser åt med ”;”.",
               "rad 3, kolumn ”start_year”", "”20l1” är inget årtal.",
               "Skriv året med fyra siffror, till exempel 2011.",
               "rad 4, kolumn ”partner_country”", "”Atlantis” är inget land som grafen känner till.",
               "rad 5, kolumn ”kind”", "”best friends” är ingen känd typ av samarbete.",
               "rad 6, kolumn ”partner_municipality”", "Partnern är kommunen själv.",
               "Ange den andra kommunen i samarbetet.",
               "rad 7, kolumn ”municipality_kind”", "”klubb” är ingen aktörstyp.",
               "Skriv en av: kommun, region, län, kommunalförbund, annan organisation;"],
        "en": ["row 2, column 'source_url'", "'example.org/b' is not a web address.",
               "How to fix it: Give each address in full, starting with https://; separate several with ';'.",
               "row 3, column 'start_year'", "'20l1' is not a year.", "Write the year with four digits, such as 2011.",
               "row 4, column 'partner_country'", "'Atlantis' is no country the graph knows.",
               "row 5, column 'kind'", "'best friends' is not a known kind.",
               "row 6, column 'partner_municipality'", "The partner is the municipality itself.",
               "Name the other municipality of the partnership.",
               "row 7, column 'municipality_kind'", "'klubb' is not a kind of actor.",
               "Write one of: municipality, region, county, association of municipalities, organisation;"]}),
    "municipalities": (_municipality_sheet, {
        "sv": ["rad 3, kolumn ”name”", "Samma kommun står redan på rad 2.", "Ha bara en rad per kommun.",
               "rad 4, kolumn ”official_code”", "”821” är ingen kommunkod.",
               "rad 5, kolumn ”latitude”", "”95” är ingen latitud.", "mellan −90 och 90, till exempel 60,4858.",
               "rad 6, kolumn ”name”", "”Ljusdl” är inte någon av de 290 kommunerna i Sverige som",
               "Stava namnet som listan gör (närmast i listan: Ljusdal, Lund)."],
        "en": ["row 3, column 'name'", "The same municipality is on row 2.", "Keep one row per municipality.",
               "row 4, column 'official_code'", "'821' is not a municipality code.",
               "row 5, column 'latitude'", "'95' is not a latitude.", "between -90 and 90, such as 60.4858.",
               "row 6, column 'name'", "'Ljusdl' is not one of the 290 municipalities of Sweden that",
               "Spell it as the list does (the nearest: Ljusdal, Lund)."]}),
    "header": (_header_sheet, {
        "sv": ["rad 1, kolumn ”colour”", "Kolumnen ”colour” finns inte i mallen.",
               "Använd bara kolumnerna municipality,",
               "rad 1, kolumn ”kind”", "Kolumnen ”kind” saknas.", "Lägg till en kolumn med namnet ”kind”."],
        "en": ["row 1, column 'colour'", "Unknown column 'colour'.", "Use only the columns municipality,",
               "row 1, column 'kind'", "The column 'kind' is missing.", "Add a column named 'kind'."]}),
}


def _findings_text(page: str) -> str:
    """The problem list's text as a reader sees it: tags out, entities read."""
    found = re.search(r'<ul class="findings problems">(.*?)</ul>', page, re.S)
    assert found, page
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


@pytest.mark.parametrize("sheet", sorted(FINDINGS))
def test_every_problem_of_a_sheet_is_told_in_the_page_s_language(client, tmp_path, sheet):
    make, said = FINDINGS[sheet]
    path = make(tmp_path)
    pages = {lang: upload(client, path, lang=lang, token=TOKEN) for lang in ("sv", "en")}
    for lang, answer in pages.items():
        assert answer.status_code == 422
        findings = _findings_text(answer.get_data(as_text=True))
        for words in said[lang]:
            assert " ".join(words.split()) in findings, (lang, words, findings)
    swedish = _findings_text(pages["sv"].get_data(as_text=True))
    # Nothing of the English wording is left on the Swedish page.
    for words in said["en"]:
        assert words not in swedish
    for english in (" is not ", " is no ", "How to fix it", "Write ", "row ", "column "):
        assert english not in swedish, english


def test_an_rdf_file_s_broken_rules_are_told_in_the_page_s_language(client, tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(f"""@prefix pg: <https://w3id.org/partnergraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{BASE}partnership/lonely> a pg:Partnership ; skos:prefLabel "Ensam <i>ö</i>"@sv ;
    pg:kind pg:TwinTown ; org:hasMember <{BASE}municipality/se/ljusdal> .
""", encoding="utf-8")
    swedish = upload(client, path, lang="sv", token=TOKEN).get_data(as_text=True)
    english = upload(client, path, lang="en", token=TOKEN).get_data(as_text=True)
    lonely = f"&lt;{BASE}partnership/lonely&gt; (Ensam &lt;i&gt;ö&lt;/i&gt;)"
    assert f"{lonely} bryter mot pgsh:Partnership-hasMember." in swedish
    assert "Så rättar du: <span>Ett samarbete behöver minst två medlemmar (org:hasMember)" in swedish
    assert "needs at least two members" not in swedish and " breaks " not in swedish
    assert f"{lonely} breaks pgsh:Partnership-hasMember." in english
    assert "How to fix it: <span>A partnership needs at least two members (org:hasMember)" in english
    sign = tmp_path / "broken.xyz"
    sign.write_text("x", encoding="utf-8")
    page = upload(client, sign, lang="sv", token=TOKEN, graph=GRAPH).get_data(as_text=True)
    assert "broken.xyz: filändelsen ”.xyz” säger inte vilket RDF-format filen har" in page
    assert "Byt namn på filen" in page


def test_a_refusal_of_the_whole_file_is_told_in_the_page_s_language(client, tmp_path):
    reserved = BASE + "graph/decisions"
    for lang, said in (("sv", f"&lt;{reserved}&gt; sköts av partnergraph självt. Importera till en annan graf."),
                       ("en", f"&lt;{reserved}&gt; is kept by partnergraph itself. Import into another graph.")):
        answer = upload(client, csv_file(tmp_path), lang=lang, token=TOKEN, graph=reserved)
        assert answer.status_code == 400 and said in answer.get_data(as_text=True)


def test_the_names_matched_and_the_new_places_are_listed_in_the_page_s_language(client, tmp_path):
    row = dict(partnership_rows(1, broken=False)[0], municipality="Gothenburg",
               partner_municipality="Region <i>Ny</i>", partner_country="NO")
    path = write_csv(tmp_path / "partners.csv", [row])
    swedish = html.unescape(upload(client, path, lang="sv", token=TOKEN).get_data(as_text=True))
    assert "Nya platser, som inte finns i någon annan källa (1)" in swedish
    assert f"rad 2, kolumn ”partner_municipality”: ”Region <i>Ny</i>” (NO) → <{BASE}" in swedish
    assert "inläst som en region eller ett landsting" in swedish
    assert ("rad 2, kolumn ”municipality”: ”Gothenburg” är <" in swedish
            and "ett annat namn: GeoNames anger ”Gothenburg” som ett namn på ”Göteborg”" in swedish)
    assert "imported as" not in swedish and "GeoNames lists" not in swedish
    english = html.unescape(upload(client, path, lang="en", token=TOKEN).get_data(as_text=True))
    assert "other name: GeoNames lists 'Gothenburg' as a name of 'Göteborg'" in english
