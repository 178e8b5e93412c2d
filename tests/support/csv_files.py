"""Spreadsheets of partnerships for import tests: valid rows, rows broken in
known ways, and how to read back the graph they were imported into."""
from __future__ import annotations

import csv

from graph.ingest.template import OPTIONAL_PARTNERSHIP_COLUMNS, PARTNERSHIP_COLUMNS

BASE = "https://w3id.org/partnergraph/id/"
GRAPH = BASE + "graph/partners"
COUNTRIES = ["NO", "Danmark", "Finland", "Germany", "EE", "Kenya", "Namibia", "LV"]

# Each broken row, the column it breaks, and a word the report must use.
BREAKAGE = {
    7: ("partner_country", "Atlantis", "country"),
    23: ("start_year", "nineteen-ninety", "year"),
    41: ("kind", "best friends", "kind"),
    58: ("themes", "Kultur; Knitting", "theme"),
    77: ("partner_municipality", "", "empty"),
    96: ("source_url", "www.example.org/page", "web address"),
    120: ("status", "sleeping", "status"),
    141: ("partner_municipality", "Borlänge", "itself"),
    166: ("partner_country", "", "country"),
    190: ("kind", "", "empty"),
}


def partnership_rows(n=200, broken=True):
    rows = []
    for i in range(n):
        rows.append({
            "municipality": "Borlange" if i % 2 else "ljusdal",
            "partner_municipality": f"Partnerort {i}",
            "partner_country": COUNTRIES[i % len(COUNTRIES)],
            "kind": ["twin town", "kommunalt partnerskap", "Official relation"][i % 3],
            "themes": "Culture; Miljö" if i % 4 == 0 else "",
            "funders": "Sida" if i % 5 == 0 else ("Nordiska rådet" if i % 7 == 0 else ""),
            "start_year": str(1950 + i % 70) if i % 3 else "",
            "status": ["active", "avslutad", ""][i % 3],
            "source_url": f"https://example.org/partners/{i}" if i % 6 == 0 else "",
            "notes": f"Anteckning, \"citat\" {i}" if i % 9 == 0 else "",
        })
    if broken:
        for spreadsheet_row, (column, value, _) in BREAKAGE.items():
            rows[spreadsheet_row - 2][column] = value
        rows[141 - 2]["partner_country"] = "SE"
    return rows


def write_csv(path, rows, delimiter=","):
    # The optional columns (municipality_kind ...) that any row fills in.
    extra = [column for column in OPTIONAL_PARTNERSHIP_COLUMNS if any(column in row for row in rows)]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=PARTNERSHIP_COLUMNS + extra, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def graph_triples(store, graph=GRAPH):
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in store.quads(graph)} \
        if graph in store.graph_names() else set()


def total(store):
    return sum(store.graphs().values())
