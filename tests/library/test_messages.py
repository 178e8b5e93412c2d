"""The catalogue of an import's findings (graph/ingest/messages.py): every
message in Swedish and English, with the same values in each, and Swedish
that is not the English left as it was."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.ingest.messages import LANGUAGES, MESSAGES, Bilingual, counted, placeholders, words

# Texts said alike in both languages: a shape's rule is its own words in
# the reader's language (ontology/shapes.ttl), with nothing around it.
ALIKE = {("shape_violation", "fix"), ("shape_violation_value", "fix")}
PARTS = ("message", "fix")


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_is_in_swedish_and_english_with_the_same_values(key):
    texts = MESSAGES[key]
    assert set(texts) == set(LANGUAGES)
    for index, part in enumerate(PARTS):
        sv, en = texts["sv"][index], texts["en"][index]
        assert placeholders(sv) == placeholders(en), (key, part)
        assert bool(sv) == bool(en), (key, part)
        if en and (key, part) not in ALIKE:
            assert sv != en, (key, part)


def test_the_texts_said_alike_are_still_alike():
    # A list of exceptions that no longer holds would hide a new one.
    for key, part in ALIKE:
        index = PARTS.index(part)
        assert MESSAGES[key]["sv"][index] == MESSAGES[key]["en"][index]


def test_the_swedish_quotes_values_in_swedish_quotation_marks():
    for key, texts in MESSAGES.items():
        for text in texts["sv"]:
            assert "!r}" not in text and "'" not in text.replace("`", ""), key


def test_a_finding_takes_its_values_in_the_language_asked_for():
    country = Bilingual("Sverige", "Sweden")
    listed = counted(290, ("den enda kommunen", "någon av de {n} kommunerna"),
                     ("the one municipality", "one of the {n} municipalities"))
    params = {"name": "Ljusdl", "country": country, "list": "x", "listed": listed}
    assert words("not_listed", params, "sv")[0] == \
        "”Ljusdl” är inte någon av de 290 kommunerna i Sverige som <x> räknar upp."
    assert words("not_listed", params, "en")[0] == \
        "'Ljusdl' is not one of the 290 municipalities of Sweden that <x> lists."
    rows = ("{n} rad", "{n} rader"), ("{n} row", "{n} rows")
    assert [counted(n, *rows).said(lang) for n in (1, 2) for lang in ("sv", "en")] == \
        ["1 rad", "1 row", "2 rader", "2 rows"]


def test_every_key_the_library_gives_is_in_the_catalogue():
    source = "\n".join(path.read_text(encoding="utf-8") for path in Path("graph").rglob("*.py"))
    given = set(re.findall(r'(?:Problem|Unresolved)\(\s*"(\w+)"\s*[,)]', source))
    given |= set(re.findall(r'_problem\(out, [^,]+, "(\w+)"\s*[,)]', source))
    given |= set(re.findall(r'return "(\w+_workbook)"', source))
    assert len(given) > 30 and given <= set(MESSAGES), given - set(MESSAGES)
