"""Wikipedia's Nordic twin towns (tests/data/twin-towns-nordic.csv) made into
triples by bench/dataset.py's converter, so that tests of the world-scale
views and of the analysis run on real pairs without the whole data set."""
from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "tests" / "data" / "twin-towns-nordic.csv"


def _converter():
    name = "bench_dataset_for_tests"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "dataset.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        # The sample in tests/data, so that a checkout without shared/ runs too.
        module.TWIN_TOWNS = SAMPLE
    return sys.modules[name]


def add_nordic_twin_towns(store) -> None:
    """Write the sample's towns and partnerships into `store`'s graph
    twin-towns-wikipedia."""
    dataset = _converter()
    triples = dataset.twin_town_triples(dataset._country_codes())
    graph = ox.NamedNode(dataset.BASE + "graph/twin-towns-wikipedia")
    store.write_quads([[ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]])


def rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def country(text: str) -> str:
    """"England, United Kingdom" -> "United Kingdom"."""
    return text.rsplit(",", 1)[-1].strip()


def pairs_between(one: str, other: str) -> set[frozenset[str]]:
    """The distinct pairs of towns of countries `one` and `other` (English
    names, as the CSV writes them), each a set of two town names."""
    found = set()
    for row in rows():
        countries = Counter([country(row["country1"]), country(row["country2"])])
        if countries == Counter([one, other]):
            found.add(frozenset([row["city1"], row["city2"]]))
    return found
