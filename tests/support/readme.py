"""The README's competency questions, read from the README itself."""
from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def competency_queries() -> dict[str, str]:
    """Title of each '### ' heading under 'Competency questions' -> its SPARQL."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Competency questions", 1)[1].split("\n## ", 1)[0]
    queries = {}
    for block in section.split("\n### ")[1:]:
        title = block.splitlines()[0].strip()
        match = re.search(r"```sparql\n(.*?)```", block, re.S)
        if match:
            queries[title] = match.group(1)
    return queries
