"""Other names of towns: exonyms and official alternatives (Gothenburg is
Göteborg), from GeoNames' city lists (data/reference/place-names.json,
written by tools/build_place_names.py; GeoNames data, CC BY 4.0).

The file keeps only names that are safe to match by: in Latin script, no
codes, and none that is the name or another name of a different place in the
same country (GeoNames lists "Lohne" among Löhne's names, and Lohne is
another town). Names are compared as their country writes them
(graph/ingest/place_names.py), so "Goteborg" and "Göteborg" are two names in
Sweden, each listed where GeoNames lists it.
"""
from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache

from graph.ingest.place_names import place_key
from graph.resources import data_dir


@lru_cache(maxsize=1)
def _places() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """(GeoNames name, other names) of each town, by ISO country code."""
    data = json.loads((data_dir() / "reference" / "place-names.json").read_text(encoding="utf-8"))
    by_country: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for code, name, others in data["places"]:
        by_country[code].append((name, tuple(others)))
    return dict(by_country)


@lru_cache(maxsize=256)
def _index(country: str) -> dict[str, tuple[str, frozenset[str]]]:
    """The country's towns by the key of each of their names: (GeoNames
    name, every name). A key two towns share means neither (the file has
    none, but a key is the code's, and the code may change)."""
    found: dict[str, tuple[str, frozenset[str]]] = {}
    shared: set[str] = set()
    for name, others in _places().get(country, ()):
        names = frozenset((name, *others))
        for key in {place_key(n, country) for n in names}:
            if key in found:
                shared.add(key)
            found[key] = (name, names)
    for key in shared:
        del found[key]
    return found


def other_names(name: str, country: str) -> frozenset[str]:
    """Every name GeoNames gives the town that `name` names in the country
    of ISO code `country` (its GeoNames name among them, and `name` as the
    file writes it); empty when the file knows no such town."""
    found = _index(country.upper()).get(place_key(name, country))
    return found[1] if found else frozenset()


def geonames_name(name: str, country: str) -> str:
    """The GeoNames name of the town that `name` names in `country`, or ""."""
    found = _index(country.upper()).get(place_key(name, country))
    return found[0] if found else ""
