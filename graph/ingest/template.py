"""The two spreadsheet templates (partnerships, municipalities): their
columns, the Swedish names a column may also go by, and the words allowed for
kind and status. docs/import-templates.md describes them for people."""
from __future__ import annotations

from graph.rdf.namespaces import PG

PARTNERSHIP_COLUMNS = ["municipality", "partner_municipality", "partner_country", "kind",
                       "themes", "funders", "programme", "start_year", "status", "source_url", "notes"]
# The municipality's own country, when it is not Sweden; what kind of actor
# each party is, when it is no municipality and its name does not say so
# (graph/ingest/actor_kinds.py: region, county, association, organisation).
OPTIONAL_PARTNERSHIP_COLUMNS = ["municipality_country", "municipality_kind", "partner_kind"]
MUNICIPALITY_COLUMNS = ["name", "country", "official_code", "region", "latitude", "longitude"]

COLUMN_ALIASES = {
    "kommun": "municipality",
    "partnerkommun": "partner_municipality",
    "partnerland": "partner_country",
    "typ": "kind",
    "teman": "themes",
    "finansiärer": "funders",
    "program": "programme",
    "finansieringsprogram": "programme",
    "startår": "start_year",
    "källa": "source_url",
    "anteckningar": "notes",
    "kommunens land": "municipality_country",
    "kommunens aktörstyp": "municipality_kind",
    "partnerns aktörstyp": "partner_kind",
    "namn": "name",
    "land": "country",
    "kommunkod": "official_code",
    "län": "region",
    "latitud": "latitude",
    "longitud": "longitude",
}

REQUIRED = {"municipality", "partner_municipality", "partner_country", "kind",
            "name", "country"}

# The first word of each list is the one an export writes.
KINDS = {
    PG.TwinTown: ["twin town", "vänort", "twin towns", "vänorter", "sister city"],
    PG.MunicipalPartnership: ["municipal partnership", "kommunalt partnerskap"],
    PG.OfficialRelation: ["official relation", "officiell förbindelse", "officiell relation"],
}
STATUSES = {
    PG.Planned: ["planned", "planerad"],
    PG.Preparation: ["preparation", "förberedelse", "förberedelsefas"],
    PG.Decided: ["decided", "beslutad"],
    PG.Active: ["active", "pågående", "aktiv"],
    PG.Ended: ["ended", "avslutad"],
}

SEPARATOR = ";"
DEFAULT_MUNICIPALITY_COUNTRY = "SE"


def canonical_column(header: str) -> str:
    name = " ".join(header.strip().lower().replace("_", " ").split())
    return COLUMN_ALIASES.get(name, name.replace(" ", "_"))
