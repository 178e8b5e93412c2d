"""Named write tokens: who may write which graphs over HTTP.

Each steward or system gets a token of its own, allowed to write the graphs
it is given, or every graph. The tokens file (Settings.tokens_path) keeps
each token's SHA-256 with its name and graphs, never the token itself, which
is shown once, when it is added. The history records the token's name as
who wrote. PARTNERGRAPH_TOKEN, when set, is one more token, named
"PARTNERGRAPH_TOKEN", that may write every graph.

A token is 256 random bits, so a plain SHA-256 of it is as hard to reverse
as the token is to guess; a slow password hash would add nothing."""
from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from graph.errors import ConfigError, PartnergraphError
from graph.iris import graph_iri
from graph.settings import Settings

ENVIRONMENT_TOKEN = "PARTNERGRAPH_TOKEN"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_NAME_RULE = ("a token's name is 1 to 64 letters (a-z, A-Z), digits and . _ @ -, starting with "
              f"a letter or digit, and not {ENVIRONMENT_TOKEN}")
_HEAD = """\
# Write tokens of partnergraph, kept by `partnergraph tokens add|list|remove`.
# Each token is stored as its SHA-256; the token itself was shown once, when added.
"""


@dataclass(frozen=True)
class WriteToken:
    """A token's name and what it may write: the graphs in `graphs`, or
    every graph when `graphs` is None."""
    name: str
    sha256: str
    graphs: frozenset[str] | None
    created: str = ""

    @property
    def writes_all(self) -> bool:
        return self.graphs is None

    def may_write(self, graph: str) -> bool:
        return self.graphs is None or graph in self.graphs

    def scope(self) -> str:
        if self.graphs is None:
            return "every graph"
        return ", ".join(f"<{g}>" for g in sorted(self.graphs))


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def read_tokens(path: Path | None) -> dict[str, WriteToken]:
    """The tokens of the file at `path` by name; none when there is no file.
    A file that cannot be read as tokens raises ConfigError saying where."""
    if path is None or not path.exists():
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise _broken(path, f"it cannot be read as TOML ({error})") from None
    unknown = set(table) - {"tokens"}
    if unknown or not isinstance(table.get("tokens", {}), dict):
        raise _broken(path, "it should hold only [tokens.NAME] tables, not "
                      + ", ".join(sorted(unknown) or ["a 'tokens' value"]))
    found = {}
    for name, entry in table.get("tokens", {}).items():
        found[name] = _token(path, name, entry)
    return found


def _token(path: Path, name: str, entry: object) -> WriteToken:
    where = f"[tokens.{json.dumps(name)}]"
    if not isinstance(entry, dict):
        raise _broken(path, f"{where} is not a table")
    if not _NAME.fullmatch(name) or name == ENVIRONMENT_TOKEN:
        raise _broken(path, f"{where}: {_NAME_RULE}")
    sha = entry.get("sha256")
    if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
        raise _broken(path, f"{where} needs sha256 = the token's SHA-256 as 64 hexadecimal digits")
    graphs, every = entry.get("graphs"), entry.get("all_graphs", False)
    if every is True and graphs is None:
        scope = None
    elif (every is False and isinstance(graphs, list) and graphs
          and all(isinstance(g, str) and _is_iri(g) for g in graphs)):
        scope = frozenset(graphs)
    else:
        raise _broken(path, f"{where} needs either graphs = [\"IRI\", ...] (absolute IRIs) "
                      "or all_graphs = true, not both")
    unknown = set(entry) - {"sha256", "graphs", "all_graphs", "created"}
    if unknown:
        raise _broken(path, f"{where} has keys partnergraph does not know: {', '.join(sorted(unknown))}")
    return WriteToken(name, sha, scope, str(entry.get("created", "")))


def _broken(path: Path, what: str) -> ConfigError:
    return ConfigError(f"The tokens file {path} is broken: {what}. Correct it, or move it "
                       "away and give the tokens again with `partnergraph tokens add`.")



def server_tokens(settings: Settings) -> list[WriteToken]:
    """Every token the server takes: the file's, and PARTNERGRAPH_TOKEN."""
    tokens = list(read_tokens(settings.tokens_path).values())
    if settings.token:
        tokens.append(WriteToken(ENVIRONMENT_TOKEN, digest(settings.token), None))
    return tokens


def identify(tokens: Iterable[WriteToken], given: str) -> WriteToken | None:
    """The token `given` is, if any."""
    hashed = digest(given)
    found = None
    for token in tokens:
        # Every entry is compared, so that the time taken says nothing.
        if hmac.compare_digest(hashed, token.sha256):
            found = token
    return found


def graph_names(given: Iterable[str], base_iri: str) -> frozenset[str]:
    """Graphs as an operator names them: an IRI, or a short name for
    <base>graph/NAME."""
    names = set()
    for name in given:
        iri = name if ":" in name else graph_iri(base_iri, name)
        if not _is_iri(iri):
            raise PartnergraphError(f"{name!r} is no graph IRI; give an absolute IRI such as "
                                    f"{graph_iri(base_iri, 'icld')}, or a name such as icld.")
        names.add(iri)
    return frozenset(names)


def add_token(path: Path, name: str, graphs: frozenset[str] | None) -> tuple[WriteToken, str]:
    """A new token `name` for `graphs` (None: every graph), written to the
    file; returns it and the token itself, which is kept nowhere."""
    if not _NAME.fullmatch(name) or name == ENVIRONMENT_TOKEN:
        raise PartnergraphError(f"{name!r} cannot name a token: {_NAME_RULE}.")
    with _locked(path):
        tokens = read_tokens(path)
        if name in tokens:
            raise PartnergraphError(f"There is a token named {name!r} already. To give it a new "
                                    f"one, remove it first: partnergraph tokens remove {name}")
        secret = "pg_" + secrets.token_urlsafe(32)
        created = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        token = WriteToken(name, digest(secret), graphs, created)
        _write(path, [*tokens.values(), token])
    return token, secret


def remove_token(path: Path, name: str) -> WriteToken:
    with _locked(path):
        tokens = read_tokens(path)
        if name not in tokens:
            known = ", ".join(sorted(tokens)) or "none"
            raise PartnergraphError(f"There is no token named {name!r} in {path} (there are: {known}).")
        removed = tokens.pop(name)
        _write(path, list(tokens.values()))
    return removed


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One change to the file at a time, so two operators adding tokens at
    once both keep theirs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # The folder is locked, not the file, which is replaced on every change.
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)


def _write(path: Path, tokens: list[WriteToken]) -> None:
    lines = [_HEAD]
    for token in tokens:
        lines.append(f"[tokens.{json.dumps(token.name)}]")
        lines.append(f"sha256 = {json.dumps(token.sha256)}")
        if token.graphs is None:
            lines.append("all_graphs = true")
        else:
            lines.append("graphs = [" + ", ".join(json.dumps(g) for g in sorted(token.graphs)) + "]")
        lines.append(f"created = {json.dumps(token.created)}\n")
    # Written aside and moved into place: a reader never sees half a file.
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    partial.write_text("\n".join(lines), encoding="utf-8")
    os.chmod(partial, 0o600)
    os.replace(partial, path)


def _is_iri(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+", text))
