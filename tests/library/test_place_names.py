"""Place names are compared the way the place's country writes them: case,
punctuation and the encodings of one letter fold; a letter of the country's
own alphabet does not."""
from __future__ import annotations

import json

import pytest

from graph.ingest.place_names import letters_of, place_key, written_without_own_letters
from graph.resources import data_dir


@pytest.mark.parametrize("one, other, country", [
    ("Lohne", "Löhne", "DE"),
    ("Munster", "Münster", "DE"),
    ("Furth", "Fürth", "DE"),
    ("Habo", "Håbo", "SE"),
    ("Kopenhamn", "Köpenhamn", "SE"),
    ("Tarnaveni", "Târnăveni", "RO"),
    ("Isiklar", "Işıklar", "TR"),
])
def test_a_letter_of_the_countrys_own_alphabet_makes_another_name(one, other, country):
    assert place_key(one, country) != place_key(other, country)


@pytest.mark.parametrize("one, other, country", [
    ("Chişinău", "Chișinău", "MD"),          # s with a cedilla and with a comma below
    ("Mureş", "Mureș", "RO"),
    ("BORLÄNGE", "Borlänge", "SE"),
    ("Frankfurt am Main", "Frankfurt-am-Main", "DE"),
    ("Saint-Étienne", "Saint Etienne", "DE"),  # é is no letter of its own in German
    ("Zürich", "Zurich", "SE"),
    ("İstanbul", "Istanbul", "TR"),
])
def test_case_punctuation_encodings_and_foreign_accents_fold(one, other, country):
    assert place_key(one, country) == place_key(other, country)


def test_without_a_known_alphabet_every_letter_is_spelt_in_ascii():
    assert place_key("Löhne", None) == place_key("Lohne", None) == "lohne"


def test_a_name_typed_without_its_own_letters_is_told_from_one_written_out():
    assert written_without_own_letters("Borlange", "SE")
    assert not written_without_own_letters("Borlänge", "SE")


def test_the_alphabets_come_from_cldr_for_every_country_with_official_languages():
    data = json.loads((data_dir() / "reference" / "alphabets.json").read_text(encoding="utf-8"))
    assert data["source"].startswith("Unicode CLDR")
    assert {"å", "ä", "ö"} <= letters_of("SE")
    assert {"ä", "ö", "ü", "ß"} <= letters_of("DE")
    assert {"ș", "ț", "ă"} <= letters_of("MD") and "ş" not in letters_of("MD")
    assert letters_of("ZZ") is None
    assert len(data["countries"]) > 200
