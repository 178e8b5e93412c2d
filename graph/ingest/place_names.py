"""Place names compared the way the place's country writes them.

Case, spacing, punctuation and the encodings of one letter fold; a letter
that is a letter of its own in the country's alphabet does not. In Sweden
Håbo and Habo are two municipalities, in Germany Lohne and Löhne are two
towns, while Chişinău with a cedilla is Chișinău with a comma below.

The alphabets are the exemplar characters of each country's official
languages in the Unicode CLDR (data/reference/alphabets.json, written by
tools/build_alphabets.py). Letters outside the country's alphabet are
accents on a name written in another language's spelling, and fold to ASCII
by anyascii's transliteration tables.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from graph.iris import ascii_fold
from graph.resources import data_dir

# Legacy encodings (ISO 8859-2, Windows-1250) had no s or t with a comma
# below, so Romanian text written in them uses the cedilla forms: the same
# letter in two encodings (The Unicode Standard, 7.1, under "Romanian").
_ONE_LETTER = str.maketrans("şŞţŢ", "șȘțȚ")
_BETWEEN_WORDS = re.compile(r"[\W_]+")


def one_encoding(text: str) -> str:
    """`text` with each letter that has two encodings in its one encoding."""
    return unicodedata.normalize("NFC", text).translate(_ONE_LETTER)


@lru_cache(maxsize=1)
def _alphabets() -> tuple[dict[str, list[str]], dict[str, str]]:
    data = json.loads((data_dir() / "reference" / "alphabets.json").read_text(encoding="utf-8"))
    return data["countries"], data["languages"]


@lru_cache(maxsize=512)
def letters_of(country: str) -> frozenset[str] | None:
    """The letters of the official languages of the country with ISO code
    `country`, or None when the alphabets do not know it."""
    countries, languages = _alphabets()
    spoken = countries.get(country.upper())
    if not spoken:
        return None
    return frozenset(letter for language in spoken for letter in languages[language])


# A big sheet gives the same names again and again (290 Swedish ones, row
# after row): each is worked out once.
@lru_cache(maxsize=65536)
def place_key(name: str, country: str | None) -> str:
    """The form in which two names of places in `country` (ISO code) are the
    same name: lower case, one space between words, no punctuation, letters
    of the country's alphabet kept and any other letter spelt in ASCII.
    Without a known alphabet, every letter is spelt in ASCII."""
    own = letters_of(country) if country else None
    # Names are capitalised, so Turkish I and İ both come out as i: the
    # country's own casing rule (I to dotless ı) would set the English
    # spelling Istanbul apart from İstanbul.
    text = unicodedata.normalize("NFC", name).translate(_ONE_LETTER).lower()
    # A mark left apart from its letter after composing (the dot that
    # lower-casing Turkish İ leaves on i) belongs to no letter of any alphabet.
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    if own is None:
        folded = anyascii(text).lower()
    else:
        folded = "".join(ch if ch.isascii() or ch in own else anyascii(ch).lower() for ch in text)
    return " ".join(_BETWEEN_WORDS.sub(" ", folded).split())


def written_without_own_letters(name: str, country: str | None) -> bool:
    """Whether `name` is spelt in plain ASCII letters, as someone types a name
    whose own letters (å, ä, ö ...) their keyboard lacks."""
    return place_key(name, country) == ascii_key(name)


def ascii_key(name: str) -> str:
    """The name with every letter spelt in ASCII, for a near miss: Borlange
    is Borlänge written without its ä."""
    return " ".join(_BETWEEN_WORDS.sub(" ", ascii_fold(anyascii(name))).split())
