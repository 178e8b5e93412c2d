"""The words of an import's findings, in Swedish and English: what a
problem or warning says and how to fix it, and the lines that name a match
or a new place. The library gives each finding a key of MESSAGES and its
values (row, column, the value as written ...); the CLI words it in English,
a page in its reader's language. Values are inserted as they are: a page
escapes them like any other data.

A value that is itself words (a country's name, a kind of party, a shape's
rule) comes as `Bilingual`, and is given in the language asked for.
Placeholders follow str.format: the English text quotes a value with `!r`
('Borlänge'), the Swedish one with Swedish quotation marks (”Borlänge”)."""
from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph.errors import PartnergraphError

LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class Bilingual:
    """A value that is words: the same thing said in each language."""
    sv: str
    en: str

    def __str__(self) -> str:
        return self.en

    def said(self, lang: str) -> str:
        return self.sv if lang == "sv" else self.en


def counted(n: int, sv: tuple[str, str], en: tuple[str, str]) -> Bilingual:
    """`n` things in words, singular or plural: each of `sv` and `en` is
    (the form for one, the form for many), "{n}" standing for the number."""
    form = 0 if n == 1 else 1
    return Bilingual(sv[form].format(n=n), en[form].format(n=n))


SAVE_AS_UTF8 = {
    "en": ("In Excel, choose Save As 'CSV UTF-8 (kommaavgränsad)' (CSV UTF-8, comma delimited) "
           "and import that file."),
    "sv": "Välj Spara som ”CSV UTF-8 (kommaavgränsad)” i Excel och importera den filen.",
}
_NEXT_TIME = {
    "en": ("Check that the names with å, ä and ö are spelt right; next time, save it in Excel "
           "with Save As 'CSV UTF-8 (kommaavgränsad)'."),
    "sv": ("Kontrollera att namnen med å, ä och ö är rätt stavade, och spara nästa gång i Excel "
           "med Spara som ”CSV UTF-8 (kommaavgränsad)”."),
}
_NOT_A_MUNICIPALITY = {
    "en": ("A region, county council, county, association of municipalities or other organisation "
           "is no municipality: in a partnerships sheet, say which in the column municipality_kind "
           "or partner_kind (region, county, association, organisation)."),
    "sv": ("En region, ett landsting, ett län, ett kommunalförbund eller en annan organisation är "
           "ingen kommun: ange i ett kalkylark med samarbeten vilket det är, i kolumnen "
           "”kommunens aktörstyp” eller ”partnerns aktörstyp” (region, län, kommunalförbund, "
           "annan organisation)."),
}
_OTHER_KIND_FIX = {
    "en": ("A list of municipalities holds only municipalities: name {kind} in a partnerships "
           "sheet, where it is imported as {kind} (its column municipality_kind or partner_kind "
           "empty, or {word!r}); or give the municipality it stands for."),
    "sv": ("En lista över kommuner tar bara upp kommuner: ange {kind} i ett kalkylark med "
           "samarbeten, där det läses in som {kind} (med kolumnen ”kommunens aktörstyp” eller "
           "”partnerns aktörstyp” tom, eller ”{word}”); eller ange den kommun som namnet står för."),
}
_NOT_LISTED = {
    "en": "{name!r} is not {listed} of {country} that <{list}> lists",
    "sv": "”{name}” är inte {listed} i {country} som <{list}> räknar upp",
}

# key: {language: (what is wrong, how to fix it)}; a line that is no
# finding (a match, a new place) has no fix in either language.
MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    # -- the file ---------------------------------------------------------
    "no_header": {
        "en": ("The file has no header row.", "Start from a template in data/templates/."),
        "sv": ("Filen saknar rubrikrad.", "Utgå från en av mallarna i data/templates/."),
    },
    "unknown_template": {
        "en": ("The header is neither the partnerships template nor the municipalities template.",
               "Use the header of data/templates/partnerships.csv or municipalities.csv."),
        "sv": ("Rubrikraden följer varken mallen för samarbeten eller mallen för kommuner.",
               "Använd rubrikraden i data/templates/partnerships.csv eller municipalities.csv."),
    },
    "unknown_column": {
        "en": ("Unknown column {column!r}.", "Use only the columns {columns}."),
        "sv": ("Kolumnen ”{column}” finns inte i mallen.", "Använd bara kolumnerna {columns}."),
    },
    "missing_column": {
        "en": ("The column {column!r} is missing.", "Add a column named {column!r}."),
        "sv": ("Kolumnen ”{column}” saknas.", "Lägg till en kolumn med namnet ”{column}”."),
    },
    "no_rows": {
        "en": ("The file has no rows: only the header.",
               "Add a row under the header for each {thing}, as in the template in data/templates/, "
               "and import again."),
        "sv": ("Filen har inga rader, bara rubrikraden.",
               "Lägg till en rad under rubrikraden för varje {thing}, som i mallen i data/templates/, "
               "och importera igen."),
    },
    "utf16": {
        "en": ("The file is UTF-16 text (Excel's 'Unicode text'), not UTF-8; it was read as UTF-16.",
               _NEXT_TIME["en"]),
        "sv": ("Filen är text i UTF-16 (Excels ”Unicode-text”), inte UTF-8; den lästes som UTF-16.",
               _NEXT_TIME["sv"]),
    },
    "windows_1252": {
        "en": ("The file is not UTF-8 but Windows-1252 (what Swedish Excel saves as "
               "'CSV (semikolonavgränsad)'), and was read as such: this row has {word!r}.",
               _NEXT_TIME["en"]),
        "sv": ("Filen är inte UTF-8 utan Windows-1252 (det som svenska Excel sparar som "
               "”CSV (semikolonavgränsad)”) och lästes som sådan: den här raden har ”{word}”.",
               _NEXT_TIME["sv"]),
    },
    "not_utf8": {
        "en": ("The file is not UTF-8 text: byte {byte} (0x{hex}, in {word!r}) is not UTF-8.",
               SAVE_AS_UTF8["en"]),
        "sv": ("Filen är inte text i UTF-8: byte nummer {byte} (0x{hex}, i ”{word}”) är inte UTF-8.",
               SAVE_AS_UTF8["sv"]),
    },
    "mixed_encoding": {
        "en": ("The file mixes UTF-8 with Windows-1252: byte {byte} (0x{hex}, in {word!r}) is not UTF-8.",
               SAVE_AS_UTF8["en"]),
        "sv": ("Filen blandar UTF-8 med Windows-1252: byte nummer {byte} (0x{hex}, i ”{word}”) "
               "är inte UTF-8.", SAVE_AS_UTF8["sv"]),
    },
    "ods_workbook": {
        "en": ("This is a LibreOffice (OpenDocument) spreadsheet, not CSV.",
               "In LibreOffice, choose Save As 'Text CSV (.csv)' with the character set "
               "'Unicode (UTF-8)', and import that file."),
        "sv": ("Det här är ett kalkylark från LibreOffice (OpenDocument), inte CSV.",
               "Välj Spara som ”Text CSV (.csv)” med teckenuppsättningen ”Unicode (UTF-8)” i "
               "LibreOffice och importera den filen."),
    },
    "xlsx_workbook": {
        "en": ("This is an Excel workbook (.xlsx), not CSV.", SAVE_AS_UTF8["en"]),
        "sv": ("Det här är en Excel-arbetsbok (.xlsx), inte CSV.", SAVE_AS_UTF8["sv"]),
    },
    "xls_workbook": {
        "en": ("This is an Excel workbook (.xls, from Excel 97-2003), not CSV.", SAVE_AS_UTF8["en"]),
        "sv": ("Det här är en Excel-arbetsbok (.xls, från Excel 97–2003), inte CSV.", SAVE_AS_UTF8["sv"]),
    },
    "markup": {
        "en": ("{value!r} has {tag!r} in it, which looks like web page markup. "
               "It was kept as written, and is shown as text, never as markup.",
               "If the tag is not part of the name, remove it from the cell and import again."),
        "sv": ("”{value}” innehåller ”{tag}”, som ser ut som kod från en webbsida. "
               "Värdet behölls som det är skrivet och visas som text, aldrig som kod.",
               "Om taggen inte hör till namnet: ta bort den ur cellen och importera igen."),
    },
    # -- a row's fields ---------------------------------------------------
    "empty_name": {
        "en": ("The name is empty.", "Fill in the municipality's name."),
        "sv": ("Namnet är inte ifyllt.", "Fyll i kommunens namn."),
    },
    "empty_municipality": {
        "en": ("The municipality is empty.", "Fill in the municipality."),
        "sv": ("Kommunen är inte ifylld.", "Fyll i kommunen."),
    },
    "empty_partner_municipality": {
        "en": ("The partner municipality is empty.", "Fill in the partner municipality."),
        "sv": ("Partnerkommunen är inte ifylld.", "Fyll i partnerkommunen."),
    },
    "empty_kind": {
        "en": ("The kind is empty.", "Fill in the kind."),
        "sv": ("Typen av samarbete är inte ifylld.", "Fyll i typen, till exempel vänort eller kommunalt partnerskap."),
    },
    "empty_country": {
        "en": ("The country is empty.",
               "Give an ISO 3166-1 alpha-2 code such as SE, or the country's name in Swedish or English."),
        "sv": ("Landet är inte ifyllt.",
               "Ange en landskod enligt ISO 3166-1 alpha-2, till exempel SE, eller landets namn på "
               "svenska eller engelska."),
    },
    "not_municipality_code": {
        "en": ("{value!r} is not a municipality code.",
               "Write the four-digit code (kommunkod), such as 2081; keep its leading zero."),
        "sv": ("”{value}” är ingen kommunkod.",
               "Skriv den fyrsiffriga kommunkoden, till exempel 2081, med nollan först om den har en."),
    },
    "not_actor_kind": {
        "en": ("{value!r} is not a kind of actor.",
               "Write one of: {kinds}; or leave it empty, and the name says (a municipality, unless "
               "its words say region, county ...)."),
        "sv": ("”{value}” är ingen aktörstyp.",
               "Skriv en av: {kinds}; eller lämna cellen tom, så avgör namnet (en kommun, om inte "
               "orden i namnet säger region, län …)."),
    },
    "unknown_kind": {
        "en": ("{value!r} is not a known kind.", "Write one of: {words}."),
        "sv": ("”{value}” är ingen känd typ av samarbete.", "Skriv en av: {words}."),
    },
    "unknown_status": {
        "en": ("{value!r} is not a known status.", "Write one of: {words}."),
        "sv": ("”{value}” är ingen känd status.", "Skriv en av: {words}."),
    },
    "not_year": {
        "en": ("{value!r} is not a year.", "Write the year with four digits, such as 2011."),
        "sv": ("”{value}” är inget årtal.", "Skriv året med fyra siffror, till exempel 2011."),
    },
    "not_web_address": {
        "en": ("{value!r} is not a web address.",
               "Give each address in full, starting with https://; separate several with '{separator}'."),
        "sv": ("”{value}” är ingen webbadress.",
               "Skriv varje adress i sin helhet, med https:// först; skilj flera adresser åt med ”{separator}”."),
    },
    "not_latitude": {
        "en": ("{value!r} is not a latitude.", "Write decimal degrees between -90 and 90, such as 60.4858."),
        "sv": ("”{value}” är ingen latitud.", "Skriv grader med decimaler mellan −90 och 90, till exempel 60,4858."),
    },
    "not_longitude": {
        "en": ("{value!r} is not a longitude.", "Write decimal degrees between -180 and 180, such as 15.4186."),
        "sv": ("”{value}” är ingen longitud.", "Skriv grader med decimaler mellan −180 och 180, till exempel 15,4186."),
    },
    "partner_is_self": {
        "en": ("The partner is the municipality itself.", "Name the other municipality of the partnership."),
        "sv": ("Partnern är kommunen själv.", "Ange den andra kommunen i samarbetet."),
    },
    # -- names matched to the store ---------------------------------------
    "unknown_country": {
        "en": ("{value!r} is no country the graph knows.",
               "Give an ISO 3166-1 alpha-2 code such as NO, or a name such as 'Norge' or 'Norway'."),
        "sv": ("”{value}” är inget land som grafen känner till.",
               "Ange en landskod enligt ISO 3166-1 alpha-2, till exempel NO, eller ett namn som "
               "”Norge” eller ”Norway”."),
    },
    "ambiguous_name": {
        "en": ("{name!r} could be any of {nodes}.", "Spell the name as one of them does."),
        "sv": ("”{name}” kan vara vilken som helst av {nodes}.", "Stava namnet som någon av dem gör."),
    },
    "same_municipality": {
        "en": ("The same municipality is on row {row}.", "Keep one row per municipality."),
        "sv": ("Samma kommun står redan på rad {row}.", "Ha bara en rad per kommun."),
    },
    "not_listed": {
        "en": (_NOT_LISTED["en"] + ".", "Spell it as the list does. " + _NOT_A_MUNICIPALITY["en"]),
        "sv": (_NOT_LISTED["sv"] + ".", "Stava namnet som listan gör. " + _NOT_A_MUNICIPALITY["sv"]),
    },
    "not_listed_near": {
        "en": (_NOT_LISTED["en"] + ".",
               "Spell it as the list does (the nearest: {nearest}). " + _NOT_A_MUNICIPALITY["en"]),
        "sv": (_NOT_LISTED["sv"] + ".",
               "Stava namnet som listan gör (närmast i listan: {nearest}). " + _NOT_A_MUNICIPALITY["sv"]),
    },
    "not_listed_inside": {
        "en": (_NOT_LISTED["en"] + "; it looks like a place in the municipality of {municipality}.",
               "Give the municipality, {municipality}, and name {place} in the notes."),
        "sv": (_NOT_LISTED["sv"] + "; det ser ut som en ort i kommunen {municipality}.",
               "Ange kommunen, {municipality}, och nämn {place} i anteckningarna."),
    },
    "not_listed_kind": {
        "en": (_NOT_LISTED["en"] + "; it looks like {kind}.", _OTHER_KIND_FIX["en"]),
        "sv": (_NOT_LISTED["sv"] + "; det ser ut som {kind}.", _OTHER_KIND_FIX["sv"]),
    },
    "decided_apart": {
        "en": ("{name!r} is not <{node}>, as a steward decided{who}, and no other of the "
               "municipalities of {country} that <{list}> lists.",
               "Give the municipality it stands for, or confirm the merge (`partnergraph merges confirm`)."),
        "sv": ("”{name}” är inte <{node}>, enligt en förvaltares beslut{who}, och inte heller någon "
               "annan av de kommuner i {country} som <{list}> räknar upp.",
               "Ange den kommun som namnet står för, eller bekräfta sammanslagningen "
               "(`partnergraph merges confirm`)."),
    },
    "other_kind": {
        "en": ("{name!r} looks like {kind}, which is no municipality.", _OTHER_KIND_FIX["en"]),
        "sv": ("”{name}” ser ut som {kind}, och det är ingen kommun.", _OTHER_KIND_FIX["sv"]),
    },
    "too_many_places": {
        "en": ("Too many places are named {name!r} in {country}.", "Tell them apart by name."),
        "sv": ("För många platser i {country} heter ”{name}”.", "Skilj dem åt med namnet."),
    },
    "unknown_theme": {
        "en": ("{name!r} is not a theme of the theme scheme.",
               "Use theme names in Swedish or English, separated by ';', such as {examples} "
               "(the list is on the ontology page)."),
        "sv": ("”{name}” är inget tema i temaschemat.",
               "Använd temanas namn på svenska eller engelska, åtskilda med ”;”, till exempel {examples} "
               "(listan finns på ontologisidan)."),
    },
    "ambiguous_programme": {
        "en": ("{name!r} could be any of the programmes {programmes}.", "Write the programme's full name."),
        "sv": ("”{name}” kan vara vilket som helst av programmen {programmes}.",
               "Skriv programmets fullständiga namn."),
    },
    "no_country_code": {
        "en": ("no ISO 3166-1 country for {value!r}", ""),
        "sv": ("inget land enligt ISO 3166-1 för ”{value}”", ""),
    },
    # -- RDF files and the shapes -----------------------------------------
    "syntax_error": {
        "en": ("{error}", "Correct the syntax there; nothing else can be checked until the file parses."),
        "sv": ("Filen går inte att tolka (tolkens beskrivning, på engelska): {error}",
               "Rätta syntaxen där; inget annat kan kontrolleras förrän filen går att tolka."),
    },
    "unknown_rdf_format": {
        "en": ("{file}: cannot tell the RDF format from the extension {extension!r}; use one of {known}",
               "Rename the file with one of those extensions."),
        "sv": ("{file}: filändelsen ”{extension}” säger inte vilket RDF-format filen har; "
               "använd någon av {known}", "Byt namn på filen så att den får en av de filändelserna."),
    },
    "several_graphs": {
        "en": ("The file puts triples in {graphs} as well as elsewhere; an import replaces one graph.",
               "Import one graph per file, with all triples in the default graph or in one named graph."),
        "sv": ("Filen lägger tripplar i {graphs} och på andra ställen; en import ersätter en enda graf.",
               "Importera en graf per fil, med alla tripplar i standardgrafen eller i en och samma "
               "namngivna graf."),
    },
    "shape_violation": {
        "en": ("<{node}>{label} breaks {shape}.", "{rule}"),
        "sv": ("<{node}>{label} bryter mot {shape}.", "{rule}"),
    },
    "shape_violation_value": {
        "en": ("<{node}>{label} breaks {shape} (value {value}).", "{rule}"),
        "sv": ("<{node}>{label} bryter mot {shape} (värdet {value}).", "{rule}"),
    },
    # -- lines of a report that are no finding ----------------------------
    "matched": {
        "en": ("{given!r} is <{iri}> ({label})", ""),
        "sv": ("”{given}” är <{iri}> ({label})", ""),
    },
    "matched_other_name": {
        "en": ("{given!r} is <{iri}> ({label}); other name: GeoNames lists {given!r} as a name of {listed!r}", ""),
        "sv": ("”{given}” är <{iri}> ({label}); ett annat namn: GeoNames anger ”{given}” som ett namn på "
               "”{listed}”", ""),
    },
    "matched_same_pair": {
        "en": ("{given!r} is <{iri}> ({label}); same pair: a partnership of these two is already in the "
               "store (as {kinds})", ""),
        "sv": ("”{given}” är <{iri}> ({label}); samma par: ett samarbete mellan de två finns redan i "
               "grafen (som {kinds})", ""),
    },
    "matched_programme": {
        "en": ("{given!r} is <{iri}> ({label}); programme: {given!r} names no funder but the funding "
               "programme {label!r}; it is linked as the partnership's programme (the programme "
               "column says so directly)", ""),
        "sv": ("”{given}” är <{iri}> ({label}); program: ”{given}” är ingen finansiär utan "
               "finansieringsprogrammet ”{label}”, och kopplas till samarbetet som dess program "
               "(kolumnen ”program” säger det direkt)", ""),
    },
    "new_place": {
        "en": ("{given!r} ({country}) -> <{iri}>", ""),
        "sv": ("”{given}” ({country}) → <{iri}>", ""),
    },
    "new_place_kind": {
        "en": ("{given!r} ({country}) -> <{iri}>, imported as {kind}", ""),
        "sv": ("”{given}” ({country}) → <{iri}>, inläst som {kind}", ""),
    },
    # -- refusals of a whole request --------------------------------------
    "reserved_graph": {
        "en": ("<{graph}> is kept by partnergraph itself.", "Import into another graph."),
        "sv": ("<{graph}> sköts av partnergraph självt.", "Importera till en annan graf."),
    },
    "decision_no_name": {
        "en": ("The name is empty.", "Give the name as the source writes it."),
        "sv": ("Namnet är tomt.", "Ange namnet så som källan skriver det."),
    },
    "decision_unknown_country": {
        "en": ("{value!r} is no country the graph knows.",
               "Give an ISO 3166-1 alpha-2 code such as DE, or a name such as 'Germany'."),
        "sv": ("”{value}” är inget land som grafen känner till.",
               "Ange en landskod enligt ISO 3166-1 alpha-2, till exempel DE, eller ett namn som ”Tyskland”."),
    },
    "decision_not_iri": {
        "en": ("{value!r} is not an IRI.", "Give the node's IRI, as `partnergraph merges` lists it."),
        "sv": ("”{value}” är ingen IRI.", "Ange nodens IRI så som `partnergraph merges` listar den."),
    },
    "decision_not_party": {
        "en": ("<{node}> is no municipality of the store, nor a region, county or other party.",
               "Give the node's IRI as `partnergraph merges` lists it."),
        "sv": ("<{node}> är varken en kommun i grafen eller en region, ett län eller en annan part.",
               "Ange nodens IRI så som `partnergraph merges` listar den."),
    },
    # -- why a data set's load merged a name or kept it apart -------------
    # (graph/ingest/dataset_matching.py; kept with the merge's record)
    "merge_own_name": {"en": ("a name of the node", ""), "sv": ("ett av nodens namn", "")},
    "merge_own_name_in": {"en": ("a name of the node in {graphs}", ""),
                          "sv": ("ett av namnen på noden i {graphs}", "")},
    "merge_in_graphs": {"en": ("{detail} (node in {graphs})", ""), "sv": ("{detail} (noden i {graphs})", "")},
    "merge_alias": {"en": ("the mapping's name alias for {alias!r}", ""),
                    "sv": ("mappningens alias för ”{alias}”", "")},
    "merge_other_name": {"en": ("GeoNames lists {name!r} as a name of {listed!r}", ""),
                         "sv": ("GeoNames anger ”{name}” som ett namn på ”{listed}”", "")},
    "merge_encoding": {
        "en": ("{given!r} is {name!r} with s or t written with a cedilla for the comma below: "
               "one letter in two encodings", ""),
        "sv": ("”{given}” är ”{name}” med s eller t skrivet med cedilj i stället för kommatecken under: "
               "samma bokstav i två kodningar", ""),
    },
    "merge_case": {"en": ("{given!r} is {name!r} in other capitals", ""),
                   "sv": ("”{given}” är ”{name}” med andra versaler", "")},
    "merge_accents": {
        "en": ("{given!r} is {name!r} but for accents that are no letters of {country}'s alphabet, or case", ""),
        "sv": ("”{given}” är ”{name}” så när som på accenter som inte är egna bokstäver i alfabetet för "
               "{country}, eller versaler", ""),
    },
    "merge_spelling": {"en": ("same letters and digits as {name!r}", ""),
                       "sv": ("samma bokstäver och siffror som ”{name}”", "")},
    "merge_without_letters": {
        "en": ("{name!r} is {label!r} written without its own letters; <{list}> lists every municipality "
               "of {country}, and no other", ""),
        "sv": ("”{name}” är ”{label}” skrivet utan sina egna bokstäver; <{list}> räknar upp varje kommun "
               "i {country}, och ingen annan", ""),
    },
    "merge_without_letters_near": {
        "en": ("{name!r} and {other!r} differ only in letters of {country}'s alphabet, one is written "
               "without them, and they lie {km} km apart", ""),
        "sv": ("”{name}” och ”{other}” skiljer sig bara i bokstäver i alfabetet för {country}, det ena är "
               "skrivet utan dem, och de ligger {km} km från varandra", ""),
    },
    "merge_coordinates": {
        "en": ("{label!r} lies {km} km away and the names differ only by words the mapping lists as "
               "naming the same place", ""),
        "sv": ("”{label}” ligger {km} km bort och namnen skiljer sig bara i ord som mappningen anger "
               "som namn på samma plats", ""),
    },
    "merge_confirmed": {"en": ("a steward confirmed it ({agent}, {time})", ""),
                        "sv": ("en förvaltare har bekräftat det ({agent}, {time})", "")},
    "kept_apart": {
        "en": ("{given!r} ({country}) <{iri}> is not {label!r} <{other}>: they differ in letters of "
               "the country's own alphabet", ""),
        "sv": ("”{given}” ({country}) <{iri}> är inte ”{label}” <{other}>: de skiljer sig i bokstäver "
               "i landets eget alfabet", ""),
    },
    "kept_apart_decided": {
        "en": ("{given!r} ({country}) <{iri}> is not {label!r} <{other}>: a steward decided so ({decided})", ""),
        "sv": ("”{given}” ({country}) <{iri}> är inte ”{label}” <{other}>: en förvaltare har beslutat "
               "det ({decided})", ""),
    },
    "where_row": {"en": ("row {row}", ""), "sv": ("rad {row}", "")},
    "where_line": {"en": ("line {line}", ""), "sv": ("rad {line}", "")},
    "where_column": {"en": ("column {column!r}", ""), "sv": ("kolumn ”{column}”", "")},
    "where_file": {"en": ("file", ""), "sv": ("hela filen", "")},
}


def placeholders(text: str) -> set[str]:
    """The names of the values `text` takes."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def words(key: str, params: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """Finding `key` with its values, in `lang` (English for a language
    the catalogue has not): what is wrong and how to fix it."""
    texts = MESSAGES[key]
    message, fix = texts.get(lang) or texts["en"]
    values = {name: value.said(lang) if isinstance(value, Bilingual) else value
              for name, value in params.items()}
    return message.format(**values), fix.format(**values)


def line(key: str, lang: str = "en", **params: Any) -> str:
    """A line of a report that is no finding, in `lang`."""
    return words(key, params, lang)[0]


def said(key: str, **params: Any) -> Bilingual:
    """A line of the catalogue in both languages, to be kept (a merge's
    record) and read later in either."""
    return Bilingual(line(key, "sv", **params), line(key, "en", **params))


def kilometres(distance: float) -> Bilingual:
    """A distance in kilometres to one decimal, with each language's decimal sign."""
    english = f"{distance:.1f}"
    return Bilingual(english.replace(".", ","), english)


class WordedError(PartnergraphError):
    """A refusal worded by the catalogue: its text is the English (for the
    CLI and logs); a page asks for its own language with `text`."""

    def __init__(self, key: str, **params: Any):
        self.key, self.params = key, params
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        """What is wrong and how to fix it, in `lang`."""
        return " ".join(part for part in words(self.key, self.params, lang) if part)
