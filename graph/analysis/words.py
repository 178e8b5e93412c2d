"""The few words the analyses say in Swedish and English. The library has no
web code, so its sentences carry their own words rather than the site's."""
from __future__ import annotations

WORDS = {
    "partnership_with": {"sv": "partnerskap med {names}", "en": "partnership with {names}"},
    "partnership": {"sv": "partnerskapet {label}", "en": "the partnership {label}"},
    "project": {"sv": "projektet {label}", "en": "the project {label}"},
    "event": {"sv": "händelsen {label}", "en": "the event {label}"},
    "theme": {"sv": "tema {label}", "en": "theme {label}"},
    "funder": {"sv": "finansiär {label}", "en": "funder {label}"},
    "programme": {"sv": "programmet {label}", "en": "the programme {label}"},
    "country": {"sv": "land {label}", "en": "country {label}"},
    "municipality": {"sv": "{label}", "en": "{label}"},
    "and": {"sv": "och", "en": "and"},
    "shared_themes": {"sv": "gemensamma teman: {items}", "en": "shared themes: {items}"},
    "shared_funders": {"sv": "samma finansiärer: {items}", "en": "the same funders: {items}"},
    "shared_countries": {"sv": "partner i samma länder: {items}",
                         "en": "partners in the same countries: {items}"},
    "not_partners": {"sv": "ännu inte partner", "en": "not yet partners"},
    "unknown": {"sv": "okänt", "en": "unknown"},
    "no_path": {"sv": "Ingen väg mellan {a} och {b} i grafen.",
                "en": "No path between {a} and {b} in the graph."},
}


def word(key: str, lang: str, **values) -> str:
    return WORDS[key]["sv" if lang == "sv" else "en"].format(**values)


def listing(items: list[str], lang: str) -> str:
    """"A, B och C" / "A, B and C"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word('and', lang)} " + items[-1]
