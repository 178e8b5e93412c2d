"""What kind of actor a name that is no municipality seems to be: a region, a
county, an association of municipalities, or a place inside a municipality
("Ullånger (Kramfors)"). The words are data: data/reference/actor-kinds.toml."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from graph.resources import data_dir

_WORD = re.compile(r"\w+")
_INSIDE = re.compile(r"^(?P<place>.+?)\s*\((?P<municipality>[^()]+)\)\s*$")


@lru_cache(maxsize=1)
def _kinds() -> dict[str, dict]:
    return tomllib.loads((data_dir() / "reference" / "actor-kinds.toml").read_text(encoding="utf-8"))


def looks_like(name: str) -> str | None:
    """What the words of `name` say it is ("a region or county council"), or None."""
    words = " " + " ".join(_WORD.findall(name.casefold())) + " "
    for kind in _kinds().values():
        for word in kind["words"]:
            # The word with nothing beside it is the name of a place (Provins).
            if f" {word.casefold()} " in words and words.strip() != word.casefold():
                return kind["says"]
    return None


def inside(name: str) -> tuple[str, str] | None:
    """(place, municipality) of a name written "Place (Municipality)"."""
    found = _INSIDE.match(name)
    return (found["place"].strip(), found["municipality"].strip()) if found else None
