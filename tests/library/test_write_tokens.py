"""Named write tokens: `partnergraph tokens add|list|remove`, a file that
holds each token's hash and never the token, and a broken file named with
what is wrong in it."""
from __future__ import annotations

import hashlib
import re

import pytest

from graph.errors import ConfigError
from graph.settings import Settings
from graph.store.write_tokens import identify, read_tokens, server_tokens

BASE = "https://w3id.org/partnergraph/id/"


def added_token(out: str) -> str:
    return re.search(r"^  (pg_\S+)$", out, re.MULTILINE).group(1)


def test_tokens_add_prints_the_token_once_and_the_file_keeps_only_its_hash(cli, settings):
    status, out, _ = cli("tokens", "add", "anna", "--graph", "icld", "--graph", BASE + "graph/decisions")
    assert status == 0 and "cannot be shown again" in out
    secret = added_token(out)
    text = settings.tokens_path.read_text(encoding="utf-8")
    assert secret not in text and hashlib.sha256(secret.encode()).hexdigest() in text
    assert settings.tokens_path.stat().st_mode & 0o077 == 0
    anna = identify(read_tokens(settings.tokens_path).values(), secret)
    assert anna is not None and anna.name == "anna"
    assert anna.may_write(BASE + "graph/icld") and anna.may_write(BASE + "graph/decisions")
    assert not anna.may_write(BASE + "graph/twin-towns")
    status, listed, _ = cli("tokens", "list")
    assert status == 0 and "anna  may write" in listed and BASE + "graph/icld" in listed
    assert secret not in listed


def test_an_all_graphs_token_and_the_environment_token_are_listed(cli, monkeypatch):
    status, out, _ = cli("tokens", "add", "harvester", "--all")
    assert status == 0 and "may write every graph" in out
    monkeypatch.setenv("PARTNERGRAPH_TOKEN", "from-the-environment")
    _, listed, _ = cli("tokens", "list")
    assert "harvester  may write every graph" in listed
    assert "PARTNERGRAPH_TOKEN  may write every graph  (from the environment)" in listed
    assert "from-the-environment" not in listed


def test_a_removed_token_no_longer_writes(cli, settings):
    _, out, _ = cli("tokens", "add", "anna", "--all")
    secret = added_token(out)
    cli("tokens", "add", "bo", "--all")
    status, out, _ = cli("tokens", "remove", "anna")
    assert status == 0 and "Removed token 'anna'" in out
    assert identify(server_tokens(settings), secret) is None
    assert list(read_tokens(settings.tokens_path)) == ["bo"]


@pytest.mark.parametrize("args, words", [
    (("add", "anna"), "one of the arguments --graph --all is required"),
    (("add", "anna", "--graph", "not an iri"), "is no graph IRI"),
    (("add", "has space", "--all"), "cannot name a token"),
    (("add", "PARTNERGRAPH_TOKEN", "--all"), "cannot name a token"),
    (("remove", "nobody"), "There is no token named 'nobody'"),
])
def test_a_wrong_tokens_command_says_what_is_wrong_and_changes_nothing(cli, settings, capsysbinary, args, words):
    cli("tokens", "add", "bo", "--all")
    before = settings.tokens_path.read_bytes()
    try:
        status, _, err = cli("tokens", *args)
    except SystemExit as exit:
        status, err = exit.code, capsysbinary.readouterr().err.decode()
    assert status != 0 and words in err
    assert settings.tokens_path.read_bytes() == before


def test_a_name_is_given_once(cli):
    cli("tokens", "add", "anna", "--all")
    status, _, err = cli("tokens", "add", "anna", "--graph", "icld")
    assert status == 1 and "remove it first: partnergraph tokens remove anna" in err


def test_the_tokens_file_can_be_put_elsewhere_and_must_be_for_a_remote_store(cli, monkeypatch, tmp_path):
    elsewhere = tmp_path / "secrets" / "partnergraph-tokens.toml"
    monkeypatch.setenv("PARTNERGRAPH_TOKENS_FILE", str(elsewhere))
    assert cli("tokens", "add", "anna", "--all")[0] == 0 and "anna" in read_tokens(elsewhere)
    monkeypatch.delenv("PARTNERGRAPH_TOKENS_FILE")
    monkeypatch.setenv("PARTNERGRAPH_STORE", "http://127.0.0.1:9/sparql")
    status, _, err = cli("tokens", "list")
    assert status == 1 and "set PARTNERGRAPH_TOKENS_FILE" in err


SHA = "0" * 64


@pytest.mark.parametrize("content, words", [
    ('[tokens.anna\nsha256 = "x"', "cannot be read as TOML (Expected ']'"),
    (f'[tokens.anna]\nsha256 = "{SHA}"\n', "needs either graphs"),
    ('[tokens.anna]\nsha256 = "abc"\nall_graphs = true\n', "needs sha256"),
    (f'[tokens.anna]\nsha256 = "{SHA}"\nall_graphs = true\ngraphs = ["http://g"]\n', "not both"),
    (f'[tokens.anna]\nsha256 = "{SHA}"\ngraphs = ["no iri"]\n', "absolute IRIs"),
    (f'[tokens.anna]\nsha256 = "{SHA}"\nall_graphs = true\ntoken = "pg_x"\n', "does not know: token"),
    (f'[tokens."two words"]\nsha256 = "{SHA}"\nall_graphs = true\n', "a token's name is"),
    ('anna = "pg_secret"\n', "only [tokens.NAME] tables"),
    (b"\xff\xfe".decode("latin-1"), "cannot be read as TOML"),
])
def test_a_broken_tokens_file_is_refused_naming_the_file_and_what_is_wrong(cli, settings, content, words):
    settings.tokens_path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        read_tokens(settings.tokens_path)
    assert str(settings.tokens_path) in str(refused.value) and words in str(refused.value)
    status, _, err = cli("tokens", "list")
    assert status == 1 and words in err


def test_a_broken_tokens_file_stops_the_server_at_its_start(settings):
    from server import create_app
    settings.tokens_path.parent.mkdir(parents=True, exist_ok=True)
    settings.tokens_path.write_text("[tokens.anna]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="tokens file .* is broken"):
        create_app(settings)


def test_the_tokens_file_sits_beside_an_embedded_store_by_default():
    assert Settings(store="/srv/pg/store").tokens_path.as_posix() == "/srv/pg/store.tokens.toml"
    assert Settings(store="http://db:7878/query").tokens_path is None
    assert Settings.from_env({"PARTNERGRAPH_TOKENS_FILE": "/etc/pg.toml"}).tokens_path.as_posix() == "/etc/pg.toml"
