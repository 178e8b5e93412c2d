"""Cells that hold text looking like HTML (`<b>`, `<script>`): kept as
written, since every page shows data escaped, but worth a warning, as a name
with tags in it is most likely pasted from a web page by mistake."""
from __future__ import annotations

import re
from collections.abc import Mapping

from graph.ingest.report import Problem

_TAG = re.compile(r"<\s*(?:/\s*)?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?\s*>|<!--|<!\[CDATA\[|<![A-Za-z]")


def markup_warnings(row: Mapping[str, str], number: int) -> list[Problem]:
    """A warning for each cell of spreadsheet row `number` with a tag in it."""
    warnings = []
    for column, value in row.items():
        tag = _TAG.search(value)
        if tag:
            warnings.append(Problem("markup", {"value": value, "tag": tag.group()}, row=number, column=column))
    return warnings
