"""The bundled country list is what tools/build_countries.py makes of ISO 3166-1."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_tool():
    spec = importlib.util.spec_from_file_location("build_countries", ROOT / "tools" / "build_countries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_countries_file_is_up_to_date_with_its_generator():
    tool = load_tool()
    assert (ROOT / "data" / "reference" / "countries.ttl").read_text(encoding="utf-8") == tool.build()


def test_countries_carry_swedish_and_english_names_and_all_three_codes(bundled_store):
    rows = bundled_store.select("""
        SELECT ?sv ?en ?a3 ?num WHERE {
          ?c pg:isoAlpha2 "MD" ; pg:isoAlpha3 ?a3 ; pg:isoNumeric ?num ;
             skos:prefLabel ?sv, ?en .
          FILTER (LANG(?sv) = "sv" && LANG(?en) = "en")
        }""")
    assert [(r["sv"].value, r["en"].value, r["a3"].value, r["num"].value) for r in rows] == [
        ("Moldavien", "Moldova", "MDA", "498")]


def test_swedish_name_of_the_united_kingdom_is_the_everyday_one(bundled_store):
    rows = bundled_store.select("""
        SELECT ?sv WHERE { ?c pg:isoAlpha2 "GB" ; skos:prefLabel ?sv . FILTER (LANG(?sv) = "sv") }""")
    assert [r["sv"].value for r in rows] == ["Storbritannien"]
