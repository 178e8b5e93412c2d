"""A source graph back to the spreadsheet template it came from, such that
importing the sheet again gives the same triples."""
from __future__ import annotations

import csv
import io
from collections import defaultdict

from graph.errors import PartnergraphError
from graph.ingest.actor_kinds import by_class
from graph.ingest.template import (
    KINDS,
    MUNICIPALITY_COLUMNS,
    OPTIONAL_PARTNERSHIP_COLUMNS,
    PARTNERSHIP_COLUMNS,
    STATUSES,
)
from graph.store.base import Store

_WORD = {str(term): words[0] for table in (KINDS, STATUSES) for term, words in table.items()}


def export_csv(store: Store, graph: str) -> str:
    if graph not in store.graph_names():
        raise PartnergraphError(f"The store has no graph <{graph}>; `partnergraph stats` lists the graphs.")
    out = io.StringIO()
    if store.ask(f"ASK {{ GRAPH <{graph}> {{ ?p a pg:Partnership }} }}"):
        _partnerships(store, graph, csv.writer(out, lineterminator="\n"))
    else:
        _municipalities(store, graph, csv.writer(out, lineterminator="\n"))
    return out.getvalue()


def _values(store: Store, graph: str, predicate: str, label: str | None = None) -> dict[str, list[str]]:
    """Each subject's values of `predicate` in the graph, or their Swedish /
    English label (`label` = "sv" / "en") or ISO code ("code")."""
    if label == "code":
        value = "?o pg:isoAlpha2 ?v ."
    elif label:
        value = f'?o skos:prefLabel ?v . FILTER (LANG(?v) = "{label}")'
    else:
        value = "BIND (?o AS ?v)"
    found: dict[str, set[str]] = defaultdict(set)
    for row in store.select(f"SELECT ?s ?v WHERE {{ GRAPH <{graph}> {{ ?s {predicate} ?o }} {value} }}"):
        found[row["s"].value].add(row["v"].value)
    return {s: sorted(v) for s, v in found.items()}


def _partnerships(store: Store, graph: str, writer) -> None:
    """One row per source statement (a sheet's rows), or per partnership
    where the graph gives none (a seed's, a data set's)."""
    members = _values(store, graph, "org:hasMember")
    names: dict[str, tuple[str, str]] = {}
    for row in store.select(f"""SELECT ?m ?name ?code WHERE {{
            GRAPH <{graph}> {{ ?p org:hasMember ?m }} ?m skos:prefLabel ?name ; pg:country/pg:isoAlpha2 ?code .
            FILTER (LANG(?name) = "sv") }}"""):
        names.setdefault(row["m"].value, (row["name"].value, row["code"].value))
    statements = _values(store, graph, "pg:sourceStatement")
    kinds, statuses = _values(store, graph, "pg:kind"), _values(store, graph, "pg:status")
    themes = _values(store, graph, "pg:theme", "en")
    funders, programmes = _values(store, graph, "pg:fundedBy", "sv"), _values(store, graph, "pg:fundingProgramme", "sv")
    years, sources = _values(store, graph, "pg:startDate"), _values(store, graph, "dcterms:source")
    notes = _values(store, graph, "skos:note")
    parties = _party_words(store, graph)
    writer.writerow(PARTNERSHIP_COLUMNS + OPTIONAL_PARTNERSHIP_COLUMNS)
    rows = []
    for partnership in sorted(members):
        home, partner = _oriented(members[partnership], names)
        for said in statements.get(partnership, [partnership]):
            rows.append([
                names[home][0], names[partner][0], names[partner][1],
                _WORD[kinds[said][0]], "; ".join(themes.get(said, [])),
                "; ".join(funders.get(said, [])), "; ".join(programmes.get(said, [])),
                _one(years, said), _WORD[statuses[said][0]] if said in statuses else "",
                "; ".join(sources.get(said, [])), _one(notes, said), names[home][1],
                parties.get(home, ""), parties.get(partner, "")])
    writer.writerows(sorted(rows))


def _party_words(store: Store, graph: str) -> dict[str, str]:
    """The kind's word of each member that is no municipality (a region, a
    county ...), as the columns municipality_kind and partner_kind take it."""
    found = {}
    for row in store.select(f"SELECT DISTINCT ?m ?class WHERE {{ GRAPH <{graph}> {{ ?p org:hasMember ?m }} "
                            "?m a ?class }"):
        kind = by_class(row["class"].value)
        if kind and not kind.municipality:
            found[row["m"].value] = kind.names[0]
    return found


def _oriented(members: list[str], names: dict[str, tuple[str, str]]) -> tuple[str, str]:
    # The municipality column is the Swedish side, as the template has it.
    first, second = sorted(members[:2], key=lambda m: (names[m][1] != "SE", m))
    return first, second


def _municipalities(store: Store, graph: str, writer) -> None:
    sv = {r["s"].value: r["v"].value for r in store.select(
        f'SELECT ?s ?v WHERE {{ GRAPH <{graph}> {{ ?s a pg:Municipality ; skos:prefLabel ?v }} '
        f'FILTER (LANG(?v) = "sv") }}')}
    countries = _values(store, graph, "pg:country", "code")
    codes, regions = _values(store, graph, "pg:officialCode"), _values(store, graph, "pg:region", "sv")
    lats, longs = _values(store, graph, "geo:lat"), _values(store, graph, "geo:long")
    writer.writerow(MUNICIPALITY_COLUMNS)
    for municipality in sorted(sv):
        writer.writerow([sv[municipality], countries[municipality][0], _one(codes, municipality),
                         _one(regions, municipality), _one(lats, municipality),
                         _one(longs, municipality)])


def _one(values: dict[str, list[str]], subject: str) -> str:
    return values.get(subject, [""])[0]
