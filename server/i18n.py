"""Interface text in Swedish and English, and the reader's language:
?lang=sv|en, then the browser's Accept-Language, then English."""
from __future__ import annotations

from flask import Flask, g, request

LANGUAGES = ("sv", "en")

TEXT = {
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
