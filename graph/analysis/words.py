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


# A relation on a path read against its direction: the triple says "Ungdom
# och demokrati broader Demokrati", so a path from Demokrati to Ungdom och
# demokrati goes by "underordnat begrepp", not "överordnat begrepp". Keyed
# by the property's local name; a property not here is shown with an arrow
# back ("← label").
INVERSE = {
    "broader": {"sv": "underordnat begrepp", "en": "narrower"},
    "hasMember": {"sv": "medlem i", "en": "member of"},
    "partnership": {"sv": "omfattar", "en": "includes"},
    "project": {"sv": "omfattar", "en": "includes"},
    "isPartOf": {"sv": "omfattar", "en": "includes"},
    "participant": {"sv": "deltar i", "en": "takes part in"},
    "host": {"sv": "är värd för", "en": "hosts"},
    "resultOf": {"sv": "ledde till", "en": "led to"},
    "theme": {"sv": "tema för", "en": "theme of"},
    "priorityArea": {"sv": "prioriterat område för", "en": "priority area of"},
    "location": {"sv": "plats för", "en": "place of"},
    "fundingProgramme": {"sv": "finansierar", "en": "funds"},
    "fundedBy": {"sv": "finansierar", "en": "funds"},
    "commonFunder": {"sv": "finansierar ofta", "en": "often funds"},
    "country": {"sv": "land för", "en": "country of"},
}


def inverse(prop: str, label: str, lang: str) -> str:
    """The words for `prop` (labelled `label`) read from its object to its subject."""
    local = prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    found = INVERSE.get(local)
    return found["sv" if lang == "sv" else "en"] if found else f"← {label}"


def word(key: str, lang: str, **values) -> str:
    return WORDS[key]["sv" if lang == "sv" else "en"].format(**values)


def listing(items: list[str], lang: str) -> str:
    """"A, B och C" / "A, B and C"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word('and', lang)} " + items[-1]
