"""/admin/import: behind the token, a dry run with its diff, then a confirm
that carries the upload by a server-side id."""
from __future__ import annotations

import dataclasses
import re

import pytest

from tests.support.csv_files import GRAPH, graph_triples, partnership_rows, write_csv

TOKEN = "s3cret-token"


@pytest.fixture
def app(settings, tmp_path):
    from server import create_app
    from server.support.store import close
    app = create_app(dataclasses.replace(settings, token=TOKEN),
                     test_config={"TESTING": True, "PARTNERGRAPH_UPLOADS": str(tmp_path / "uploads")})
    yield app
    close(app)


def upload(client, path, **fields):
    with path.open("rb") as handle:
        return client.post("/admin/import?lang=en", data={"file": (handle, path.name), **fields},
                           content_type="multipart/form-data")


def test_the_form_is_in_swedish_and_english(client):
    assert "Importera data" in client.get("/admin/import?lang=sv").get_data(as_text=True)
    assert 'type="password" name="token"' in client.get("/admin/import?lang=en").get_data(as_text=True)


def test_writes_need_the_token(client, tmp_path):
    path = write_csv(tmp_path / "partners.csv", partnership_rows(3, broken=False))
    assert upload(client, path).status_code == 401
    assert upload(client, path, token="wrong").status_code == 401


def test_dry_run_then_confirm_by_upload_id(app, client, tmp_path):
    store = app.extensions["partnergraph.store"]
    path = write_csv(tmp_path / "partners.csv", partnership_rows(6, broken=False))
    version = store.data_version
    review = upload(client, path, token=TOKEN)
    page = review.get_data(as_text=True)
    assert review.status_code == 200 and "Confirm import" in page and "+ &lt;" in page
    assert store.data_version == version and GRAPH not in store.graph_names()
    upload_id = re.search(r'name="upload_id" value="([^"]+)"', page).group(1)
    done = client.post("/admin/import?lang=en", data={"upload_id": upload_id, "token": TOKEN},
                       headers={})
    assert done.status_code == 200 and "Imported" in done.get_data(as_text=True)
    assert len(graph_triples(store)) > 0 and store.data_version != version
    # The upload is used once.
    again = client.post("/admin/import", data={"upload_id": upload_id, "token": TOKEN})
    assert again.status_code == 404


def test_bearer_header_works_and_problems_are_escaped(app, client, tmp_path):
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


def test_the_review_lists_the_new_places_with_their_kind(client, tmp_path):
    row = dict(partnership_rows(1, broken=False)[0], partner_municipality="Region <i>Ny</i>", partner_country="NO")
    page = upload(client, write_csv(tmp_path / "partners.csv", [row]), token=TOKEN).get_data(as_text=True)
    assert "New places, in no other source (1)" in page
    assert "&#39;Region &lt;i&gt;Ny&lt;/i&gt;&#39; (NO) -&gt;" in page
    assert "imported as a region or county council" in page
