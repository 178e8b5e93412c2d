"""The IRI scheme of instance data: every IRI the project mints is made here.

Instance IRIs sit under the configured base (`PARTNERGRAPH_BASE_IRI`), by
kind: `municipality/se/borlange`, `partnership/...`, `region/se/...`,
`org/...`, `country/SE`, `source/...`, and named graphs under `graph/`.
IRIs are minted from an ASCII form of the name, so that the same name always
gives the same IRI, whoever writes it and however often.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

DEFAULT_BASE_IRI = "https://w3id.org/partnergraph/id/"


@lru_cache(maxsize=65536)
def ascii_fold(text: str) -> str:
    """Lower case, accents taken off, spaces squeezed."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("Ø", "O")
                                       .replace("æ", "ae").replace("ß", "ss"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def slug(text: str) -> str:
    """The path segment a name gives: `Chișinău` -> `chisinau`."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text)).strip("-")


def letter_slug(text: str) -> str:
    """The path segment a name gives with its letters kept as they are
    (`Löhne` -> `löhne`): for a place whose ASCII slug another place has."""
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-")


def graph_iri(base_iri: str, name: str) -> str:
    """The named graph `name` (a source file's stem, a data set's name)."""
    return f"{base_iri}graph/{name}"


def municipality_iri(base_iri: str, country_code: str, name: str, suffix: str = "",
                     *, keep_letters: bool = False) -> str:
    """A municipality in the country with ISO code `country_code`, by the
    ASCII slug of its name (by its own letters with `keep_letters`); `suffix`
    tells apart two places whose names give one slug (their official code)."""
    return party_iri(base_iri, "municipality", country_code, name, suffix, keep_letters=keep_letters)


def party_iri(base_iri: str, kind: str, country_code: str, name: str, suffix: str = "",
              *, keep_letters: bool = False) -> str:
    """A party to partnerships of kind `kind` (the path segment of its kind
    in data/reference/actor-kinds.toml: municipality, county-council,
    county, association, organisation), named as municipality_iri names one."""
    tail = f"-{suffix}" if suffix else ""
    segment = (letter_slug(name) if keep_letters else slug(name)) or "x"
    return f"{base_iri}{kind}/{country_code.lower()}/{segment}{tail}"


def partnership_iri(base_iri: str, *parts: str) -> str:
    """A partnership, named by the path segments that identify it."""
    return f"{base_iri}partnership/" + "/".join(parts)


# Partnerships a sheet or a data set mints are named by their pair alone,
# both members' country and slug in sorted order
# (`partnership/md-chisinau--se-borlange`): the same whichever source comes
# first and from whichever side it lists the pair, so that the order of
# imports never decides a partnership's IRI. Towns share slugs across
# countries (Paris, France and Paris, Texas), hence the country. The seed
# files name theirs by hand (`partnership/borlange-larvik`); a source that
# lists a seed's pair finds that partnership by its members and keeps it.


def pair_partnership_iri(base_iri: str, one: str, other: str) -> str:
    """The partnership of two municipalities (IRIs), the same whichever is
    given first: `partnership/{country}-{slug}--{country}-{slug}`."""
    first, second = sorted((one, other))
    return partnership_iri(base_iri, f"{_country_and_slug(first)}--{_country_and_slug(second)}")


def statement_iri(base_iri: str, graph: str, partnership: str, content: str) -> str:
    """What the source graph `graph` says of `partnership` in one row,
    `content` being the row's facts in a fixed form: the same row gives the
    same IRI on every import, so that a re-import changes nothing."""
    return f"{base_iri}statement/{_digest(graph, partnership, content)}"


def _country_and_slug(member: str) -> str:
    """<municipality/se/borlange> -> se-borlange; a party of another kind
    keeps its kind, so that its pairs are never a municipality's of the same
    slug: <county/us/maui-county> -> county-us-maui-county."""
    kind, country, name = member.rsplit("/", 3)[-3:]
    return "-".join((country, name) if kind == "municipality" else (kind, country, name))


def region_iri(base_iri: str, country_code: str, name: str) -> str:
    return f"{base_iri}region/{country_code.lower()}/{slug(name)}"


def organisation_iri(base_iri: str, name: str) -> str:
    """An organisation (a funder, say) known only by its name."""
    return f"{base_iri}org/{slug(name)}"


def programme_iri(base_iri: str, name: str) -> str:
    """A funding programme known only by its name."""
    return f"{base_iri}programme/{slug(name)}"


def country_iri(base_iri: str, code: str) -> str:
    """A country by its ISO 3166-1 alpha-2 code."""
    return f"{base_iri}country/{code}"


def source_iri(base_iri: str, name: str) -> str:
    return f"{base_iri}source/{name}"


def import_iri(base_iri: str, version: str) -> str:
    """An import or restore (a prov:Activity), by the version it wrote."""
    return f"{base_iri}import/{version}"


def imported_file_iri(base_iri: str, version: str) -> str:
    """The file an import read (a prov:Entity)."""
    return f"{import_iri(base_iri, version)}/file"


def agent_iri(base_iri: str, name: str) -> str:
    """Who ran an import (a prov:Agent), by name."""
    return f"{base_iri}agent/{slug(name) or 'unknown'}"


def decisions_graph_iri(base_iri: str) -> str:
    """The named graph of stewards' decisions on merges."""
    return graph_iri(base_iri, "decisions")


def decision_iri(base_iri: str, name: str, country_code: str, node: str) -> str:
    """The decision whether `name` in the country with ISO code
    `country_code` means `node`: one per name, country and node, so that a
    later decision on the same three replaces the earlier one. The name's
    letters are hashed in, as Lohne and Löhne share a slug."""
    return f"{base_iri}decision/{country_code.lower()}/{slug(name) or 'x'}-{_digest(name, country_code, node)}"


def merge_record_iri(base_iri: str, dataset: str, kind: str, name: str, country_code: str, node: str) -> str:
    """The record, in data set `dataset`'s graph, that its latest load merged
    `name` into `node` or kept it apart from it (`kind`: merge, apart)."""
    return f"{base_iri}merge/{dataset}/{kind}/{slug(name) or 'x'}-{_digest(name, country_code, node)}"


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:10]


def instance_prefix_iris(base_iri: str) -> dict[str, str]:
    """The query prefixes for instance data under `base_iri`."""
    return {
        "id": base_iri,
        "muni": base_iri + "municipality/",
        "country": base_iri + "country/",
        "theme": base_iri + "theme/",
    }


def graph_for(path, base_iri: str) -> str:
    """The named graph a file is loaded into unless the user names one."""
    return graph_iri(base_iri, path.stem)
