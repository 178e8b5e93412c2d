"""Interface text in Swedish and English, and the reader's language:
?lang=sv|en, then the browser's Accept-Language, then English."""
from __future__ import annotations

from flask import Flask, g, request

LANGUAGES = ("sv", "en")

TEXT = {
    "adm_import_title": {"sv": "Importera data", "en": "Import data"},
    "adm_import_lead": {"sv": "Ladda upp ett kalkylark (CSV enligt mallen) eller en RDF-fil. Du ser först vad som skulle ändras; inget skrivs förrän du bekräftar.",
                        "en": "Upload a spreadsheet (CSV in the template) or an RDF file. You first see what would change; nothing is written until you confirm."},
    "adm_file": {"sv": "Fil", "en": "File"},
    "adm_graph": {"sv": "Graf (IRI, frivilligt)", "en": "Graph (IRI, optional)"},
    "adm_token": {"sv": "Token", "en": "Token"},
    "adm_check": {"sv": "Kontrollera", "en": "Check"},
    "adm_rows": {"sv": "rader/tripplar lästa", "en": "rows/triples read"},
    "adm_problems": {"sv": "Problem", "en": "Problems"},
    "adm_nothing_written": {"sv": "Inget har skrivits. Rätta filen och ladda upp den igen.",
                            "en": "Nothing was written. Correct the file and upload it again."},
    "adm_where": {"sv": "Var", "en": "Where"},
    "adm_what": {"sv": "Vad är fel", "en": "What is wrong"},
    "adm_fix": {"sv": "Så rättar du", "en": "How to fix it"},
    "adm_matches": {"sv": "Namn som matchats mot befintliga resurser", "en": "Names matched to existing resources"},
    "adm_unchanged": {"sv": "Grafen innehåller redan exakt detta; inget skrivs.",
                      "en": "The graph already holds exactly this; nothing is written."},
    "adm_diff": {"sv": "Ändringar", "en": "Changes"},
    "adm_confirm": {"sv": "Bekräfta import", "en": "Confirm import"},
    "adm_written": {"sv": "Importerat. Dataversion", "en": "Imported. Data version"},
    "adm_again": {"sv": "Importera en fil till", "en": "Import another file"},
    "tagline": {
        "sv": "Kunskapsgraf över kommunalt internationellt samarbete: vänorter, "
              "kommunala partnerskap, teman, finansiärer och källor.",
        "en": "A knowledge graph of municipal international cooperation: twin towns, "
              "municipal partnerships, themes, funders and sources.",
    },
    "in_the_graph": {"sv": "I grafen", "en": "In the graph"},
    "sources": {"sv": "Källor", "en": "Sources"},
    "published": {"sv": "publicerad", "en": "published"},
    "publisher": {"sv": "utgivare", "en": "publisher"},
    "data_version": {"sv": "Dataversion", "en": "Data version"},
    "graphs": {"sv": "Namngivna grafer", "en": "Named graphs"},
    "triples": {"sv": "tripplar", "en": "triples"},
    "language": {"sv": "Språk", "en": "Language"},
    "not_found": {"sv": "Sidan finns inte", "en": "Page not found"},
    "error": {"sv": "Något gick fel", "en": "Something went wrong"},
    "home": {"sv": "Startsida", "en": "Home"},
    "sparql_lead": {
        "sv": "SPARQL 1.1-tjänst för frågor (GET och POST) och uppdateringar (POST, med token). "
              "Skicka en fråga här eller från ditt eget program.",
        "en": "SPARQL 1.1 service for queries (GET and POST) and updates (POST, with a token). "
              "Send a query here or from your own program.",
    },
    "sparql_query": {"sv": "Fråga", "en": "Query"},
    "sparql_format": {"sv": "Format", "en": "Format"},
    "sparql_run": {"sv": "Kör", "en": "Run"},
    "search_label": {"sv": "Sök", "en": "Search"},
    "search_placeholder": {"sv": "Kommun, partnerskap, tema …",
                           "en": "Municipality, partnership, theme …"},
    "search_results_for": {"sv": "Träffar för", "en": "Results for"},
    "search_none": {"sv": "Inga träffar. Pröva en del av namnet.",
                    "en": "No matches. Try part of the name."},
    "search_hint": {"sv": "Sök på namn. Stora och små bokstäver och accenter spelar ingen roll.",
                    "en": "Search by name. Case and accents do not matter."},
    "search_matched": {"sv": "träff på", "en": "matched"},
    "res_partners": {"sv": "Samarbetspartner", "en": "Partners"},
    "res_through": {"sv": "genom", "en": "through"},
    "res_facts": {"sv": "Uppgifter", "en": "Facts"},
    "res_also_called": {"sv": "Även kallad", "en": "Also known as"},
    "res_incoming": {"sv": "Nämns av", "en": "Referred to by"},
    "res_sources": {"sv": "Källor", "en": "Sources"},
    "res_source": {"sv": "källa", "en": "source"},
    "res_identifier": {"sv": "identifierare", "en": "identifier"},
    "res_graph": {"sv": "graf", "en": "graph"},
    "res_as_data": {"sv": "Som data", "en": "As data"},
    "res_page": {"sv": "Sida", "en": "Page"},
    "res_previous": {"sv": "Föregående", "en": "Previous"},
    "res_next": {"sv": "Nästa", "en": "Next"},
    "res_network": {"sv": "Nätverk", "en": "Network"},
    "res_missing": {"sv": "Det finns inget om detta i grafen",
                    "en": "The graph holds nothing about this"},
    "res_missing_lead": {"sv": "Grafen har inga uppgifter om", "en": "There are no facts about"},
    "res_missing_search": {"sv": "Sök efter namnet i stället:", "en": "Search for the name instead:"},
    "res_municipalities": {"sv": "Kommuner", "en": "Municipalities"},
    "res_start": {"sv": "Börja här", "en": "Start here"},
    "res_search_lead": {"sv": "Hitta kommuner, samarbeten, teman och finansiärer.",
                        "en": "Find municipalities, partnerships, themes and funders."},
    "res_explore": {"sv": "Utforska", "en": "Explore"},
    "res_explore_lead": {"sv": "Se samarbetena som ett nätverk.",
                         "en": "See the partnerships as a network."},
    "res_sparql_lead": {"sv": "Ställ egna frågor till grafen.",
                        "en": "Ask the graph your own questions."},
    "onto_title": {"sv": "Ontologi", "en": "Ontology"},
    "onto_lead": {"sv": "Begreppen som grafen använder: vad de betyder och hur de hänger ihop.",
                  "en": "The terms the graph uses: what they mean and how they relate."},
    "onto_contents": {"sv": "Innehåll", "en": "Contents"},
    "onto_classes": {"sv": "Klasser", "en": "Classes"},
    "onto_object_properties": {"sv": "Relationer", "en": "Relations"},
    "onto_datatype_properties": {"sv": "Egenskaper", "en": "Attributes"},
    "onto_schemes": {"sv": "Begreppslistor", "en": "Controlled vocabularies"},
    "onto_themes": {"sv": "Tematrädet", "en": "The theme tree"},
    "onto_subclass_of": {"sv": "Underklass till", "en": "Subclass of"},
    "onto_domain": {"sv": "Gäller", "en": "Applies to"},
    "onto_range": {"sv": "Värde", "en": "Value"},
    "onto_values": {"sv": "Värden", "en": "Values"},
    "onto_version": {"sv": "Version", "en": "Version"},
    "onto_download": {"sv": "Ladda ner som Turtle", "en": "Download as Turtle"},
    "net_explore": {"sv": "Utforska nätverket", "en": "Explore the network"},
    "net_explore_lead": {
        "sv": "Kommuner, samarbeten, projekt och händelser och vad som förbinder dem. "
              "Välj filter för att se en del av nätverket; adressen sparar urvalet så att det går att dela.",
        "en": "Municipalities, partnerships, projects and events and what connects them. "
              "Choose filters to see part of the network; the address keeps the choice, so it can be shared.",
    },
    "net_filters": {"sv": "Filter", "en": "Filters"},
    "net_country": {"sv": "Land", "en": "Country"},
    "net_theme": {"sv": "Tema", "en": "Theme"},
    "net_funder": {"sv": "Finansiär", "en": "Funder"},
    "net_kind": {"sv": "Samarbetsform", "en": "Kind of partnership"},
    "net_status": {"sv": "Status", "en": "Status"},
    "net_period": {"sv": "Period (år)", "en": "Period (years)"},
    "net_year_from": {"sv": "Från år", "en": "From year"},
    "net_year_to": {"sv": "Till år", "en": "To year"},
    "net_any": {"sv": "Alla", "en": "All"},
    "net_apply": {"sv": "Visa", "en": "Show"},
    "net_clear": {"sv": "Rensa filter", "en": "Clear filters"},
    "net_of": {"sv": "av", "en": "of"},
    "net_activities": {"sv": "samarbeten, projekt och händelser visas",
                       "en": "partnerships, projects and events shown"},
    "net_period_none": {"sv": "Inga datum i grafen ännu", "en": "No dates in the graph yet"},
    "net_legend": {"sv": "Förklaring", "en": "Legend"},
    "net_find": {"sv": "Hitta i nätverket", "en": "Find in the network"},
    "net_find_go": {"sv": "Hitta", "en": "Find"},
    "net_not_found": {"sv": "Inget i nätverket heter så.", "en": "Nothing in the network has that name."},
    "net_expand": {"sv": "Visa kopplingar", "en": "Show connections"},
    "net_open": {"sv": "Öppna sidan", "en": "Open page"},
    "net_close": {"sv": "Stäng", "en": "Close"},
    "net_fit": {"sv": "Visa allt", "en": "Show all"},
    "net_hint": {"sv": "Klicka på en nod för uppgifter, dubbelklicka för att visa dess kopplingar.",
                 "en": "Click a node for its facts, double-click to show its connections."},
    "net_as_list": {"sv": "Nätverket som lista", "en": "The network as a list"},
    "net_nodes": {"sv": "Noder", "en": "Nodes"},
    "net_edges": {"sv": "Kopplingar", "en": "Connections"},
    "net_name": {"sv": "Namn", "en": "Name"},
    "net_class": {"sv": "Typ", "en": "Type"},
    "net_degree": {"sv": "Kopplingar", "en": "Connections"},
    "net_from": {"sv": "Från", "en": "From"},
    "net_relation": {"sv": "Relation", "en": "Relation"},
    "net_to": {"sv": "Till", "en": "To"},
    "net_hidden": {"sv": "Samlade i grupper för att ritningen ska gå att läsa:",
                   "en": "Grouped to keep the drawing readable:"},
    "net_loading": {"sv": "Ritar nätverket …", "en": "Drawing the network …"},
    "net_failed": {"sv": "Nätverket kunde inte hämtas.", "en": "The network could not be loaded."},
    "net_empty": {"sv": "Inget i nätverket matchar filtren.",
                  "en": "Nothing in the network matches the filters."},
    "net_canvas": {"sv": "Nätverksdiagram. Samma innehåll finns som lista nedanför.",
                   "en": "Network diagram. The same content is in the list below."},
    "net_added": {"sv": "nya noder", "en": "new nodes"},
    "net_neighbourhood": {"sv": "Närmaste kopplingar", "en": "Nearest connections"},
    "emb_embed": {"sv": "Bädda in", "en": "Embed"},
    "emb_lead": {"sv": "Klistra in koden i en intranätsida (SharePoint, Sitevision, Optimizely, WordPress) för att visa den här vyn där. Den visar alltid aktuella uppgifter.",
                 "en": "Paste the code into an intranet page (SharePoint, Sitevision, Optimizely, WordPress) to show this view there. It always shows current data."},
    "emb_code": {"sv": "Kod att klistra in", "en": "Code to paste"},
    "emb_copy": {"sv": "Kopiera koden", "en": "Copy the code"},
    "emb_copied": {"sv": "Kopierad.", "en": "Copied."},
    "emb_preview": {"sv": "Så här ser den ut:", "en": "This is how it looks:"},
    "emb_open": {"sv": "Öppna i partnergraph", "en": "Open in partnergraph"},
}


def choose_language() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default="en")


def init_app(app: Flask) -> None:
    @app.before_request
    def _set_language():
        g.lang = choose_language()

    @app.context_processor
    def _text():
        lang = g.get("lang", "en")
        return {"lang": lang, "t": lambda key: TEXT[key][lang]}
