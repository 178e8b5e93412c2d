"""/admin/import: the token asked once, a dry run that leads with its
summary, a confirmation bound to the checked upload, the steward's language
kept through both posts, and files as Excel saves them."""
from __future__ import annotations

import dataclasses
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
