"""Queries kept as files (`queries/*.rq`, examples in `queries/examples/`),
each with a header of comment lines that says what it is:

    # title@sv: Kommunens samarbetspartner
    # title@en: Partners of a municipality
    # description@sv: …
    # description@en: …
    # tags@sv: kommun, partner
    # tags@en: municipality, partner
    # param: municipality | iri pg:Municipality | Kommun | Municipality

A parameter line gives the variable, its type (`iri CLASS`, `year`,
`integer`, `text`) and its label in Swedish and English. Values given for
parameters become RDF terms (see query_bindings); they are checked here
against their type first, so that a wrong value gets a message, not an
empty answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.errors import PartnergraphError
from graph.rdf.namespaces import PREFIXES
from graph.resources import queries_dir
from graph.sparql.text import read_query

XSD_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")
_HEADER = re.compile(r"#\s*([A-Za-z]+)(?:@(sv|en))?\s*:\s*(.*)")
_VIEW = re.compile(r"#\s*defaultView\s*:", re.IGNORECASE)
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
TYPES = ("iri", "year", "integer", "text")


class ParameterError(PartnergraphError):
    """A parameter value that does not fit its type (HTTP 400)."""


@dataclass
class Parameter:
    name: str
    type: str
    cls: str | None
    labels: dict[str, str]

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.name


@dataclass
class StoredQuery:
    name: str
    text: str
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    tags: dict[str, list[str]] = field(default_factory=dict)
    parameters: list[Parameter] = field(default_factory=list)

    @property
    def form(self) -> str | None:
        return read_query(self.text).form

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles.get("en") or self.name

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions.get("en") or ""

    def tags_in(self, lang: str) -> list[str]:
        return self.tags.get(lang) or self.tags.get("en") or []

    def body(self) -> str:
        """The text without its header, as a reader would paste it; a comment
        the workbench reads (`#defaultView:Map`) stays."""
        lines = self.text.splitlines()
        kept = []
        while lines and (lines[0].startswith("#") or not lines[0].strip()):
            line = lines.pop(0)
            if _VIEW.match(line):
                kept.append(line)
        return "\n".join(kept + lines).rstrip() + "\n"


def parse(name: str, text: str) -> StoredQuery:
    query = StoredQuery(name, text)
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if not match:
            continue
        key, lang, value = match.group(1).lower(), match.group(2) or "en", match.group(3).strip()
        if key == "title":
            query.titles[lang] = value
        elif key == "description":
            query.descriptions[lang] = (query.descriptions.get(lang, "") + " " + value).strip()
        elif key == "tags":
            query.tags[lang] = [t.strip() for t in value.split(",") if t.strip()]
        elif key == "param":
            query.parameters.append(_parameter(name, value))
    return query


def _parameter(query: str, spec: str) -> Parameter:
    parts = [p.strip() for p in spec.split("|")]
    if len(parts) < 2:
        raise ValueError(f"{query}: a parameter is `name | type | label@sv | label@en`: {spec!r}")
    name, kind = parts[0], parts[1].split()
    if kind[0] not in TYPES:
        raise ValueError(f"{query}: unknown parameter type {kind[0]!r} (use {', '.join(TYPES)})")
    cls = None
    if kind[0] == "iri":
        prefix, _, local = kind[1].partition(":")
        cls = PREFIXES[prefix] + local
    labels = {"sv": parts[2] if len(parts) > 2 else name, "en": parts[3] if len(parts) > 3 else name}
    return Parameter(name, kind[0], cls, labels)


def load_folder(folder: Path) -> dict[str, StoredQuery]:
    found = {}
    for path in sorted(folder.glob("*.rq")):
        if _NAME.fullmatch(path.stem):
            found[path.stem] = parse(path.stem, path.read_text(encoding="utf-8"))
    return found


def stored_queries() -> dict[str, StoredQuery]:
    return load_folder(queries_dir())


def examples() -> list[StoredQuery]:
    return list(load_folder(queries_dir() / "examples").values())


def bind(query: StoredQuery, given: dict[str, str], is_of_class) -> dict[str, str]:
    """The N-Triples form of each parameter's value, checked against its
    type. `is_of_class(iri, cls)` says whether the store knows the IRI as an
    instance of the class. Every parameter is required."""
    bindings = {}
    for param in query.parameters:
        raw = (given.get(param.name) or "").strip()
        if not raw:
            raise ParameterError(f"The parameter {param.name} is missing.")
        bindings[param.name] = str(_term(param, raw, is_of_class))
    return bindings


def _term(param: Parameter, raw: str, is_of_class):
    if param.type == "iri":
        # _parameter gives every iri parameter its class.
        assert param.cls is not None
        if re.search(r'[\s<>"{}|\\^`]', raw) or not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", raw):
            raise ParameterError(f"{param.name} must be an IRI, not {raw!r}.")
        if not is_of_class(raw, param.cls):
            raise ParameterError(f"{param.name}: <{raw}> is not a {_short(param.cls)} in the graph.")
        return ox.NamedNode(raw)
    if param.type == "year":
        if not re.fullmatch(r"[0-9]{4}", raw):
            raise ParameterError(f"{param.name} must be a year of four digits, not {raw!r}.")
        return ox.Literal(raw, datatype=XSD_INTEGER)
    if param.type == "integer":
        if not re.fullmatch(r"-?[0-9]{1,18}", raw):
            raise ParameterError(f"{param.name} must be a whole number, not {raw!r}.")
        return ox.Literal(raw, datatype=XSD_INTEGER)
    if len(raw) > 500:
        raise ParameterError(f"{param.name} is longer than 500 characters.")
    return ox.Literal(raw)


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri
