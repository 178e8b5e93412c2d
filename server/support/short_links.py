"""Short links to queries: /q/ID opens the workbench on the query kept under
ID. Kept in a small SQLite file beside the store (not in the graph: a link
is no fact, and a write to the graph would empty every page cache).

An ID is the start of the query's SHA-256, so the same query always gets the
same link and a link cannot be guessed into another; a query longer than
MAX_QUERY characters, or one more link than MAX_LINKS, is refused.
"""
from __future__ import annotations

import base64
import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

from graph.errors import InvalidRequest, RequestTooLarge

MAX_QUERY = 20_000
MAX_LINKS = 100_000
ID_LENGTH = 10


def link_id(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:ID_LENGTH]


class ShortLinks:
    """The links in the file at `path` (made on the first link)."""

    def __init__(self, path: Path):
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10)
        connection.execute("CREATE TABLE IF NOT EXISTS links (id TEXT PRIMARY KEY, query TEXT NOT NULL, "
                           "made TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")
        return connection

    def add(self, text: str) -> str:
        """The ID of `text`, kept if it was not already."""
        if not text.strip():
            raise InvalidRequest("The query is empty: there is nothing to link to.")
        if len(text) > MAX_QUERY:
            raise RequestTooLarge(
                f"The query is {len(text):,} characters long; a short link keeps at most "
                f"{MAX_QUERY:,}. Share the query as a file, or store it as queries/NAME.rq.")
        found = link_id(text)
        with closing(self._connect()) as connection, connection:
            if connection.execute("SELECT 1 FROM links WHERE id = ?", (found,)).fetchone():
                return found
            (count,) = connection.execute("SELECT COUNT(*) FROM links").fetchone()
            if count >= MAX_LINKS:
                raise RequestTooLarge(
                    f"This server keeps at most {MAX_LINKS:,} short links and has them all; "
                    "share the address with the query in it instead.")
            connection.execute("INSERT INTO links (id, query) VALUES (?, ?)", (found, text))
        return found

    def get(self, found: str) -> str | None:
        if not self.path.exists():
            return None
        with closing(self._connect()) as connection:
            row = connection.execute("SELECT query FROM links WHERE id = ?", (found,)).fetchone()
        return row[0] if row else None
