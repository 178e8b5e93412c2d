"""/admin/merges: the pending merges of the latest loads, in Swedish and
English and escaped, with confirm and reject buttons behind the token."""
from __future__ import annotations

import dataclasses
import html
import re

import pytest

from graph.ingest import datasets, decisions
from server import create_app
from server.support.store import close, get_store
from tests.library.test_datasets import NAMESAKES, TWINS, cut_to

TOKEN = "s3cret-token"
BASE = "https://w3id.org/partnergraph/id/"
LOHNE = BASE + "municipality/de/lohne"


@pytest.fixture
def app(settings, tmp_path, monkeypatch):
    cut_to(NAMESAKES, tmp_path / "datasets", monkeypatch)
    app = create_app(dataclasses.replace(settings, token=TOKEN), test_config={"TESTING": True})
    with app.app_context():
        datasets.load(get_store(), TWINS, agent="test")
    yield app
    close(app)


def decide(client, verdict: str, name: str, node: str, **fields):
    return client.post("/admin/merges?lang=en", data={"decision": f"{verdict}|DE|{node}|{name}", **fields})


def recorded(app) -> list[decisions.Decision]:
    with app.app_context():
        return decisions.read(get_store()).all


def test_the_list_shows_pending_merges_in_swedish_and_english(client):
    english = client.get("/admin/merges?lang=en").get_data(as_text=True)
    assert "Merges to decide on" in english and "takes effect on the next load" in english
    assert "“Löhne”" in english and "kept apart from" in english and LOHNE in english
    assert f'value="reject|DE|{LOHNE}|Löhne"' in english
    assert 'type="password" name="token"' in english
    swedish = client.get("/admin/merges?lang=sv").get_data(as_text=True)
    assert "Sammanslagningar att besluta om" in swedish and "hölls isär från" in swedish


def test_decisions_need_the_token_and_change_nothing_without_it(app, client):
    assert decide(client, "confirm", "Löhne", LOHNE).status_code == 401
    assert decide(client, "confirm", "Löhne", LOHNE, token="wrong").status_code == 401
    assert recorded(app) == []


def test_a_post_records_the_decision_and_the_name_leaves_the_pending_list(app, client):
    answer = decide(client, "confirm", "Löhne", LOHNE, token=TOKEN)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Decision recorded" in text
    assert f'value="confirm|DE|{LOHNE}|Löhne"' not in text
    [decision] = recorded(app)
    assert (decision.name, decision.country, decision.node, decision.same) == ("Löhne", "DE", LOHNE, True)
    # The single token of the environment is recorded by its name, never itself.
    assert decision.agent == "PARTNERGRAPH_TOKEN"


def test_a_token_for_other_graphs_cannot_decide(app, client, settings, tmp_path):
    from graph.store.write_tokens import add_token, graph_names
    path = tmp_path / "tokens.toml"
    app.config["PARTNERGRAPH"] = dataclasses.replace(app.config["PARTNERGRAPH"], tokens_file=str(path))
    _, anna = add_token(path, "anna", graph_names(["icld"], BASE))
    _, clerk = add_token(path, "clerk", graph_names(["decisions"], BASE))
    refused = decide(client, "confirm", "Löhne", LOHNE, token=anna)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 403 and "“anna” may not write the graph" in text
    assert f"&lt;{BASE}graph/decisions&gt;" in text and recorded(app) == []
    assert decide(client, "confirm", "Löhne", LOHNE, token=clerk).status_code == 200
    assert [d.agent for d in recorded(app)] == ["clerk"]


def test_bad_input_is_refused_and_changes_nothing(app, client):
    assert decide(client, "confirm", "Löhne", BASE + "municipality/de/nowhere", token=TOKEN).status_code == 400
    assert client.post("/admin/merges", data={"decision": "maybe|DE|x|y", "token": TOKEN}).status_code == 400
    assert recorded(app) == []


def test_data_derived_text_is_escaped(app, client):
    with app.app_context():
        store = get_store()
        graph = BASE + f"graph/{TWINS}"
        store.update(f"""INSERT DATA {{ GRAPH <{graph}> {{
            <{BASE}merge/x> a pg:NameMerge ; pg:nameGiven "<script>alert(1)</script>" ;
              pg:nameCountry <{BASE}country/DE> ; pg:matchedNode <{LOHNE}> ;
              pg:mergeReason "<b>bold</b>" ; rdfs:comment "<img src=x>"@en }} }}""")
    text = client.get("/admin/merges?lang=en").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text
    assert "<b>bold</b>" not in text and "<img src=x>" not in text


def test_reasons_are_in_the_readers_language_and_exact_merges_are_only_counted(client):
    swedish = client.get("/admin/merges?lang=sv").get_data(as_text=True)
    # Löhne kept apart from Lohne, in Swedish words, and the load's own
    # explanation too, behind a summary.
    assert "Skäl: <strong>hålls isär</strong>. Namnen skiljer sig i bokstäver" in swedish
    assert "Inläsningens förklaring</summary>" in swedish and "kept apart" not in swedish
    assert html.escape(f"är inte ”Lohne” <{LOHNE}>: de skiljer sig i bokstäver i landets eget alfabet") in swedish
    english = client.get("/admin/merges?lang=en").get_data(as_text=True)
    assert "Reason: <strong>kept apart</strong>. The names differ in letters" in english
    assert "they differ in letters of the country&#39;s own alphabet</p>" in english
    # Göteborg's own name, met in the data, needs no decision: counted, not listed.
    assert re.search(r"\d+ names were the nodes&#39; own names and were merged with nothing to decide", english)
    assert re.search(r"\d+ namn var redan nodernas egna namn och slogs samman", swedish)
    assert "Reason: <strong>the same name</strong>" not in english


def test_the_page_lists_what_the_loads_minted(client):
    english = client.get("/admin/merges?lang=en").get_data(as_text=True)
    assert "New places" in english and re.search(r"\d+ new municipalities and towns", english)
    assert re.search(r"\d+ nya kommuner och orter", client.get("/admin/merges?lang=sv").get_data(as_text=True))
    assert ">Västra Götaland County</a> (SE)" in english and "imported as county or province" in english
    swedish = client.get("/admin/merges?lang=sv").get_data(as_text=True)
    assert "inläst som län eller provins" in swedish
    link = f"/admin/merges/new?dataset={TWINS}&amp;lang=en"
    assert f'<a href="{link}">{TWINS}</a>' in english
    every = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert ">Fürth</a> (DE)" in every and ">Löhne</a> (DE)" in every
    assert ">Västra Götaland County</a> (SE)" in every and "Page 1 / 1" in every
    assert client.get(f"/admin/merges/new?dataset={TWINS}&page=99&lang=sv").status_code == 200
    assert client.get("/admin/merges/new?dataset=nothing").status_code == 400


def test_a_refused_decision_is_told_in_the_page_s_language(app, client):
    nowhere = BASE + "municipality/de/nowhere"
    answer = client.post("/admin/merges?lang=sv", data={"decision": f"confirm|DE|{nowhere}|Löhne", "token": TOKEN})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert f"&lt;{nowhere}&gt; är varken en kommun i grafen eller en region, ett län eller en annan part." in page
    assert "Välj Bekräfta eller Avvisa" in client.post(
        "/admin/merges?lang=sv", data={"decision": "maybe|DE|x|y", "token": TOKEN}).get_data(as_text=True)
    assert recorded(app) == []
