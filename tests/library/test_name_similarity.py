"""Names compared as a steward types them: without case or accents, forgiving
a misspelling, and setting aside words such as "kommun"."""
from __future__ import annotations

from graph.views.name_similarity import NameMatcher, core, similarity
from graph.views.search import normalise


def alike(a: str, b: str) -> float:
    return similarity(normalise(a), normalise(b))


def test_the_same_name_is_one_and_a_misspelt_one_less():
    assert alike("Borlange", "Borlänge") == 1.0
    assert 0.8 < alike("Gotenburg", "Göteborg") < 0.85
    assert alike("Gotenburg", "Göteborg") > alike("Gotenburg", "Götene")


def test_designations_are_set_aside_but_do_not_bring_names_closer():
    assert core("municipality of larvik") == "larvik" and core("kommun") == "kommun"
    assert alike("Larvik kommune", "Larvik") == alike("Malmö stad", "Malmö") == 0.98
    assert alike("Göteborgs kommun", "Göteborg") == 0.98
    # Both ending in "kommun" says nothing about which place is meant.
    assert alike("Larvik kommune", "Arvika kommun") == alike("Larvik", "Arvika")
    # "City" is part of names, not a designation.
    assert alike("Mexico City", "Mexico") < 0.9


def test_the_matcher_finds_exact_names_and_the_closest_ones():
    names = [(normalise(n), n) for n in ("Göteborg", "Götene", "Borlänge", "Borås", "Sala")]
    names += [(f"town {n}", f"Town {n}") for n in range(500)]
    matcher = NameMatcher(names)
    found = matcher.closest(normalise("Gotenburg"), shortlist=5)
    assert found[0].item == "Göteborg" and len(found) <= 5
    assert [c.item for c in matcher.closest("sala", shortlist=0)] == ["Sala"]
    assert matcher.closest("") == []
