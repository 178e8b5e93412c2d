"""The sentence or two a resource page opens with, made from its key facts
(graph.views.key_facts) in Swedish or English: "Kommunalt partnerskap mellan
Ljusdal (SE), Kisumu och Mombasa (KE), under förberedelse, som finansieras av
Sida genom Kommunalt partnerskap (ICLD), om demokrati, jämställdhet …".

The words are plain text: the template escapes them like any other."""
from __future__ import annotations

from graph.rdf.namespaces import PG
from graph.views.key_facts import KeyFacts, Member, Named
from server.support.i18n import counted

# At most this many themes in the sentence; the key facts list them all.
THEMES_IN_SENTENCE = 4

# A status as part of a sentence: Swedish words that need no agreement with
# the kind's gender ("som pågår", not "pågående"/"pågåendet").
STATUS_PHRASES = {
    str(PG.Preparation): {"sv": "under förberedelse", "en": "in preparation"},
    str(PG.Planned): {"sv": "som planeras", "en": "planned"},
    str(PG.Decided): {"sv": "som har beslutats", "en": "decided"},
    str(PG.Active): {"sv": "som pågår", "en": "active"},
    str(PG.Ended): {"sv": "som har avslutats", "en": "ended"},
}

# A kind of partnership counted, in both languages.
KIND_NOUNS = {
    str(PG.TwinTown): {"sv": ("vänort", "vänorter"), "en": ("twin town", "twin towns")},
    str(PG.MunicipalPartnership): {"sv": ("kommunalt partnerskap", "kommunala partnerskap"),
                                   "en": ("municipal partnership", "municipal partnerships")},
    str(PG.OfficialRelation): {"sv": ("officiell förbindelse", "officiella förbindelser"),
                               "en": ("official relation", "official relations")},
}

WORDS: dict[str, dict[str, str]] = {
    "and": {"sv": "och", "en": "and"},
    "between": {"sv": "mellan", "en": "between"},
    "financed_by": {"sv": "som finansieras av", "en": "financed by"},
    "through": {"sv": "genom", "en": "through"},
    "on": {"sv": "om", "en": "on"},
    "more": {"sv": "ytterligare {n}", "en": "{n} more"},
    "partnership": {"sv": "Samarbetsrelation", "en": "Partnership"},
    "contact": {"sv": "Kontaktperson", "en": "Contact"},
    "contacts": {"sv": "Kontaktpersoner", "en": "Contacts"},
    "in_org": {"sv": "i", "en": "in"},
    "municipality_in": {"sv": "Kommun i {country}", "en": "Municipality in {country}"},
    "municipality": {"sv": "Kommun", "en": "Municipality"},
    "with_partners": {"sv": "med {partners} i {countries}", "en": "with {partners} in {countries}"},
    "common_funders": {"sv": "Samarbetsprojekten finansieras ofta av {funders}.",
                       "en": "Its cooperation projects are often financed by {funders}."},
    "project": {"sv": "Projekt", "en": "Project"},
    "within": {"sv": "inom", "en": "within"},
    "with": {"sv": "med", "en": "with"},
    "event": {"sv": "Händelse", "en": "Event"},
    "when": {"sv": "{when}", "en": "{when}"},
    "in_place": {"sv": "i", "en": "in"},
    "funder": {"sv": "Finansiär", "en": "Funder"},
    "funds": {"sv": "som finansierar {n}", "en": "financing {n}"},
    "programme_of": {"sv": "Finansieringsprogram från {funders}", "en": "Funding programme of {funders}"},
    "programme": {"sv": "Finansieringsprogram", "en": "Funding programme"},
    "theme": {"sv": "Tema", "en": "Theme"},
    "under": {"sv": "inom {broader}", "en": "under {broader}"},
    "narrower": {"sv": "med deltemana {narrower}", "en": "with the narrower themes {narrower}"},
    "narrower_one": {"sv": "med deltemat {narrower}", "en": "with the narrower theme {narrower}"},
    "worked_on": {"sv": "{n} i grafen handlar om det.", "en": "{n} in the graph are about it."},
    "worked_on_one": {"sv": "{n} i grafen handlar om det.", "en": "{n} in the graph is about it."},
}
# What a theme is worked on by, one and many.
THINGS = {"sv": ("samarbete, projekt eller händelse", "samarbeten, projekt och händelser"),
          "en": ("partnership, project or event", "partnerships, projects and events")}


def summary(facts: KeyFacts, lang: str) -> list[str]:
    """The opening sentences for a page with these key facts; none for a
    resource that is none of the kinds key_facts knows."""
    make = {"partnership": _partnership, "municipality": _municipality, "project": _project,
            "event": _event, "funder": _funder, "programme": _funder, "theme": _theme}.get(facts.kind or "")
    return [s for s in make(facts, lang) if s] if make else []


def listed(items: list[str], lang: str) -> str:
    """"a, b and c" ("a, b och c")."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_w('and', lang)} {items[-1]}"


def members_by_country(members: list[Member], lang: str) -> str:
    """"Ljusdal (SE), Kisumu and Mombasa (KE)": members of one country
    together, with its code after the last of them."""
    groups: list[tuple[str, list[str]]] = []
    for member in members:
        if groups and groups[-1][0] == member.country:
            groups[-1][1].append(member.label)
        else:
            groups.append((member.country, [member.label]))
    parts = [listed(names, lang) + (f" ({code})" if code else "") for code, names in groups]
    if all(len(names) == 1 for _, names in groups):
        return listed(parts, lang)
    # "and" already joins the names within a country.
    return ", ".join(parts)


def theme_words(themes: list[Named], lang: str) -> str:
    names = [_lower(t.label) for t in themes[:THEMES_IN_SENTENCE]]
    if len(themes) > THEMES_IN_SENTENCE:
        names.append(_w("more", lang).format(n=len(themes) - THEMES_IN_SENTENCE))
    return listed(names, lang)


def person_words(people, lang: str) -> str:
    """"Birgitta Piippola, projektledare i Ljusdal"."""
    said = []
    for person in people:
        role = _lower(person.role)
        where = f" {_w('in_org', lang)} {person.organisation}" if person.organisation else ""
        said.append(f"{person.label}, {role}{where}" if role else person.label)
    return "; ".join(said)


def _partnership(facts: KeyFacts, lang: str) -> list[str]:
    head = facts.partnership_kind or _w("partnership", lang)
    if facts.members:
        head += f" {_w('between', lang)} {members_by_country(facts.members, lang)}"
    parts = [head]
    if facts.status_iri in STATUS_PHRASES:
        parts.append(STATUS_PHRASES[facts.status_iri][lang])
    parts.append(_funding(facts, lang))
    if facts.themes:
        parts.append(f"{_w('on', lang)} {theme_words(facts.themes, lang)}")
    return [_sentence(", ".join(p for p in parts if p)), _people(facts, lang)]


def _funding(facts: KeyFacts, lang: str) -> str:
    if not facts.funders and not facts.programmes:
        return ""
    said = _w("financed_by", lang)
    if facts.funders:
        said += " " + listed([f.label for f in facts.funders], lang)
    if facts.programmes:
        said += (f" {_w('through', lang)} " if facts.funders else " ") + listed(
            [_programme(p.label, lang) for p in facts.programmes], lang)
    return said


def _programme(label: str, lang: str) -> str:
    # "through the Municipal partnership programme (ICLD)"; Swedish names
    # the programme bare ("genom Kommunalt partnerskap (ICLD)").
    return f"the {label}" if lang == "en" and "programme" in label.casefold() else label


def _people(facts: KeyFacts, lang: str) -> str:
    if not facts.people:
        return ""
    word = _w("contact" if len(facts.people) == 1 else "contacts", lang)
    return _sentence(f"{word}: {person_words(facts.people, lang)}")


def _municipality(facts: KeyFacts, lang: str) -> list[str]:
    head = (_w("municipality_in", lang).format(country=facts.country_label) if facts.country_label
            else _w("municipality", lang))
    if facts.partner_count:
        head += " " + _w("with_partners", lang).format(
            partners=counted(facts.partner_count, "partner", lang),
            countries=counted(len(facts.partner_countries), str(PG.Country), lang))
        kinds = [_kind_counted(kind, n, lang) for kind, n in facts.kinds_counted]
        if kinds:
            head += ": " + listed([k for k in kinds if k], lang)
    funders = (_w("common_funders", lang).format(funders=listed([f.label for f in facts.funders], lang))
               if facts.funders else "")
    return [_sentence(head), funders, _people(facts, lang)]


def _kind_counted(kind: str, n: int, lang: str) -> str:
    forms = KIND_NOUNS.get(kind)
    return f"{n} {forms[lang][0 if n == 1 else 1]}" if forms else ""


def _project(facts: KeyFacts, lang: str) -> list[str]:
    parts = [_w("project", lang)]
    if facts.partnerships:
        parts[0] += f" {_w('within', lang)} {listed([p.label for p in facts.partnerships], lang)}"
    if facts.members:
        parts[0] += f" {_w('with', lang)} {members_by_country(facts.members, lang)}"
    if facts.status_iri in STATUS_PHRASES:
        parts.append(STATUS_PHRASES[facts.status_iri][lang])
    parts.append(_funding(facts, lang))
    if facts.themes:
        parts.append(f"{_w('on', lang)} {theme_words(facts.themes, lang)}")
    return [_sentence(", ".join(p for p in parts if p))]


def _event(facts: KeyFacts, lang: str) -> list[str]:
    head = _w("event", lang)
    if facts.partnerships:
        head += f" {_w('within', lang)} {listed([p.label for p in facts.partnerships], lang)}"
    parts = [head]
    # The source's own words for when are Swedish: quoted on an English page.
    when = human_date(facts.date, lang) if facts.date else (
        facts.when if lang == "sv" or not facts.when else f"“{facts.when}”")
    if when:
        parts.append(when)
    if facts.places:
        parts.append(f"{_w('in_place', lang)} {listed([p.label for p in facts.places], lang)}")
    if facts.members:
        parts.append(f"{_w('with', lang)} {members_by_country(facts.members, lang)}")
    if facts.status_iri in STATUS_PHRASES:
        parts.append(STATUS_PHRASES[facts.status_iri][lang])
    return [_sentence(", ".join(parts))]


def _funder(facts: KeyFacts, lang: str) -> list[str]:
    if facts.kind == "programme" and facts.funders:
        head = _w("programme_of", lang).format(funders=listed([f.label for f in facts.funders], lang))
    else:
        head = _w("funder" if facts.kind == "funder" else "programme", lang)
    if facts.used_by:
        head += " " + _w("funds", lang).format(n=counted(facts.used_by, str(PG.Partnership), lang))
    if facts.kind == "funder" and facts.programmes:
        head += f" {_w('through', lang)} {listed([_programme(p.label, lang) for p in facts.programmes], lang)}"
    return [_sentence(head)]


def _theme(facts: KeyFacts, lang: str) -> list[str]:
    parts = [_w("theme", lang)]
    if facts.broader:
        parts[0] += " " + _w("under", lang).format(broader=listed([_lower(b.label) for b in facts.broader], lang))
    if facts.narrower:
        key = "narrower_one" if len(facts.narrower) == 1 else "narrower"
        parts.append(_w(key, lang).format(narrower=listed([_lower(n.label) for n in facts.narrower], lang)))
    used = ""
    if facts.used_by:
        one, many = THINGS[lang]
        key = "worked_on_one" if facts.used_by == 1 else "worked_on"
        used = _w(key, lang).format(n=f"{facts.used_by} {one if facts.used_by == 1 else many}")
        used = used[0].upper() + used[1:]
    return [_sentence(" ".join(parts)), used]


MONTHS = {
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


def human_date(iso: str, lang: str) -> str:
    """"2011-09-26" as "26 september 2011" (sv) or "26 September 2011" (en);
    a year or a year and month as far as it goes; anything else as it is."""
    parts = iso[:10].split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return iso
    if len(numbers) == 3 and 1 <= numbers[1] <= 12:
        return f"{numbers[2]} {MONTHS[lang][numbers[1] - 1]} {numbers[0]}"
    if len(numbers) == 2 and 1 <= numbers[1] <= 12:
        return f"{MONTHS[lang][numbers[1] - 1]} {numbers[0]}"
    return iso


def _w(key: str, lang: str) -> str:
    return WORDS[key][lang]


def _lower(label: str) -> str:
    """A name inside a sentence: "Demokrati" as "demokrati", but a name with
    capitals of its own ("FN:s millenniemål", "EU") as it is."""
    return label[0].lower() + label[1:] if label and not any(c.isupper() for c in label[1:]) else label


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    return text if text.endswith((".", "!", "?", "…")) else text + "."
