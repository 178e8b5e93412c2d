"""The kinds of actors that are parties to partnerships: municipalities, and
besides them regions and county councils, counties and provinces,
associations of municipalities and other organisations. Which kind a name
seems to be by its words ("Region Västernorrland", "Kisumu County"), which
kind a sheet's or a data set's word names ("region", "län"), and whether a
name is a place inside a municipality ("Ullånger (Kramfors)"). The kinds and
their words are data: data/reference/actor-kinds.toml."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from graph.ingest.messages import Bilingual
from graph.rdf.namespaces import PG
from graph.resources import data_dir

_WORD = re.compile(r"\w+")
_INSIDE = re.compile(r"^(?P<place>.+?)\s*\((?P<municipality>[^()]+)\)\s*$")


@dataclass(frozen=True)
class ActorKind:
    """A kind of party: its key in the data file, its ontology class (IRI),
    the path segment of its nodes' IRIs, what a report calls it, the words
    that name the kind, and the words in a name that say it is of the kind;
    `says_sv` and `name_sv` are what a report says and offers in Swedish."""
    key: str
    cls: str
    path: str
    says: str
    names: tuple[str, ...]
    words: tuple[str, ...]
    says_sv: str
    name_sv: str

    @property
    def said(self) -> Bilingual:
        """What a report calls the kind, in both languages."""
        return Bilingual(self.says_sv, self.says)

    @property
    def municipality(self) -> bool:
        return self.cls == str(PG.Municipality)


@lru_cache(maxsize=1)
def kinds() -> tuple[ActorKind, ...]:
    """Every kind, municipalities first, as the data file lists them."""
    data = tomllib.loads((data_dir() / "reference" / "actor-kinds.toml").read_text(encoding="utf-8"))
    # PG raises on a class the ontology does not define: a misspelt class
    # in the data file fails here, not as an untyped node in the store.
    return tuple(ActorKind(key, str(getattr(PG, kind["class"])), kind["path"], kind["says"],
                           tuple(kind["names"]), tuple(kind["words"]), kind["says_sv"], kind["name_sv"])
                 for key, kind in data.items())


MUNICIPALITY = "municipality"


def municipality_kind() -> ActorKind:
    return by_key(MUNICIPALITY)


def by_key(key: str) -> ActorKind:
    return next(kind for kind in kinds() if kind.key == key)


def by_class(cls: str) -> ActorKind | None:
    """The kind whose nodes are of class `cls` (IRI), or None."""
    return next((kind for kind in kinds() if kind.cls == cls), None)


def party_classes() -> tuple[str, ...]:
    """The classes (IRIs) of every kind of party, pg:Municipality first."""
    return tuple(kind.cls for kind in kinds())


def named(word: str) -> ActorKind | None:
    """The kind that `word` names ("region", "Län", "kommunalförbund"), or
    None when it names none."""
    wanted = " ".join(word.casefold().split())
    for kind in kinds():
        if wanted in (name.casefold() for name in kind.names):
            return kind
    return None


def kind_words(lang: str = "en") -> str:
    """The first word of each kind (in Swedish: its Swedish word), for a
    message that lists them."""
    return ", ".join(kind.name_sv if lang == "sv" else kind.names[0] for kind in kinds())


# A big sheet names the same places row after row: each name is read once.
@lru_cache(maxsize=65536)
def looks_like(name: str) -> ActorKind | None:
    """The kind that the words of `name` say it is (Region Västernorrland:
    a region or county council), or None when they say nothing."""
    words = " " + " ".join(_WORD.findall(name.casefold())) + " "
    for kind in kinds():
        for word in kind.words:
            # The word with nothing beside it is the name of a place (Provins).
            if f" {word.casefold()} " in words and words.strip() != word.casefold():
                return kind
    return None


def inside(name: str) -> tuple[str, str] | None:
    """(place, municipality) of a name written "Place (Municipality)"."""
    found = _INSIDE.match(name)
    return (found["place"].strip(), found["municipality"].strip()) if found else None
