"""What an import found: problems to fix (by row and column, or line),
warnings (taken as written, but worth a look), names matched to resources
already in the store, the places it gives nodes of their own, and the change
it makes."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.ingest.messages import Bilingual, line, words


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: a key of graph/ingest/messages.py
    and its values, worded in a language when asked (`words`; `message`
    and `fix` are the English). `row` is the spreadsheet's row number (the
    header is row 1) for CSV, `line` the text line for RDF."""
    key: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    row: int | None = None
    line: int | None = None
    column: str | None = None

    def words(self, lang: str = "en") -> tuple[str, str]:
        """What is wrong and how to fix it, in `lang`."""
        return words(self.key, self.params, lang)

    @property
    def message(self) -> str:
        return self.words()[0]

    @property
    def fix(self) -> str:
        return self.words()[1]

    def where(self, lang: str = "en") -> str:
        return where(self.row, self.column, lang, self.line)

    def text(self) -> str:
        return f"{self.where()}: {self.message} Fix: {self.fix}"


def where(row: int | None, column: str | None, lang: str = "en", line_number: int | None = None) -> str:
    """Where in the file something is, in `lang`: its row or line and its column."""
    parts = []
    if row is not None:
        parts.append(line("where_row", lang, row=row))
    if line_number is not None:
        parts.append(line("where_line", lang, line=line_number))
    if column:
        parts.append(line("where_column", lang, column=column))
    return ", ".join(parts) or line("where_file", lang)


@dataclass(frozen=True)
class Match:
    """A name in the input that was taken to mean a resource already in
    the store; `reason` where the name is not one of the resource's own
    ("other name", "same pair", "programme"), with what it needs to say why:
    the other name it was found by (`listed`) or the pair's kinds (`kinds`)."""
    row: int
    column: str
    given: str
    iri: str
    label: str
    reason: str = ""
    listed: str = ""
    kinds: Bilingual | str = ""

    def words(self, lang: str = "en") -> str:
        """What the name was taken to be, and why, in `lang`."""
        key = "matched_" + self.reason.replace(" ", "_") if self.reason else "matched"
        return line(key, lang, given=self.given, iri=self.iri, label=self.label, listed=self.listed,
                    kinds=self.kinds)

    def text(self, lang: str = "en") -> str:
        return f"{where(self.row, self.column, lang)}: {self.words(lang)}"


@dataclass(frozen=True)
class NewPlace:
    """A party to partnerships that matched no node and got one of its own:
    the name as given, its country (ISO code), the new node, and what it
    was imported as when it is no municipality (a Bilingual, "a region or
    county council"); for a sheet, the row and column that named it first."""
    given: str
    country: str
    iri: str
    kind: Bilingual | str = ""
    row: int | None = None
    column: str | None = None

    def words(self, lang: str = "en") -> str:
        """The name and its new node, in `lang`."""
        return line("new_place_kind" if self.kind else "new_place", lang, given=self.given,
                    country=self.country, iri=self.iri, kind=self.kind)

    def text(self, lang: str = "en") -> str:
        spot = f"{where(self.row, self.column, lang)}: " if self.row is not None else ""
        return spot + self.words(lang)


@dataclass
class Diff:
    """Triples an import adds to and removes from its graph: how many, and
    the triples themselves, all of them or (for a large change) the first
    ones in sorted order (graph/ingest/diff.py)."""
    added: list[ox.Triple] = field(default_factory=list)
    removed: list[ox.Triple] = field(default_factory=list)
    added_count: int = -1       # -1: len(added)
    removed_count: int = -1

    def __post_init__(self) -> None:
        if self.added_count < 0:
            self.added_count = len(self.added)
        if self.removed_count < 0:
            self.removed_count = len(self.removed)

    @property
    def unchanged(self) -> bool:
        return not self.added_count and not self.removed_count

    def text(self, limit: int | None = None) -> str:
        lines = [f"{self.added_count} triple(s) to add, {self.removed_count} to remove"]
        for sign, triples, count in (("+", self.added, self.added_count),
                                     ("-", self.removed, self.removed_count)):
            shown = triples if limit is None else triples[:limit]
            lines += [f"  {sign} {t.subject} {t.predicate} {t.object} ." for t in shown]
            if len(shown) < count:
                lines.append(f"  {sign} ... and {count - len(shown)} more")
        return "\n".join(lines)


@dataclass
class ImportReport:
    source: str
    graph: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Problem's shape, for what was read anyway: where, what, what to do.
    warnings: list[Problem] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    # Places (and other parties) the import gives nodes of their own: in no
    # graph but the import's own.
    new_places: list[NewPlace] = field(default_factory=list)
    diff: Diff | None = None
    written: bool = False
    data_version: str | None = None
    version: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        lines = [f"{self.source} -> <{self.graph}>: {self.rows} row(s)/triple(s) read"]
        for match in self.matches:
            lines.append("matched " + match.text())
        lines += ["warning: " + w.text() for w in self.warnings]
        if self.new_places:
            lines.append(f"{len(self.new_places)} new place(s), in no other source:")
            lines += ["  " + place.text() for place in self.new_places]
        if self.problems:
            lines.append(f"{len(self.problems)} problem(s); nothing was written:")
            lines += ["  " + p.text() for p in self.problems]
        elif self.diff is not None and self.diff.unchanged:
            lines.append("The graph already holds exactly this content; nothing was written.")
        elif self.written:
            # Only a diff with changes is written (see importer.apply_import).
            assert self.diff is not None
            lines.append(f"Written: +{self.diff.added_count} -{self.diff.removed_count} triples "
                         f"(data version {self.data_version}; import {self.version}).")
        return "\n".join(lines)
