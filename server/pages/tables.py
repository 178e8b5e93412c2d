"""/partnerships, /municipalities, /projects, ...: each class as a table with
facets, sort, filters and pages, the state in the address; the same view as
JSON (`.json` or `?format=json`: this page, with links to the next) and CSV
(`.csv` or `?format=csv`: every row of the view, up to the row cap)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request, url_for

from graph.errors import InvalidRequest
from graph.views.table_columns import IRI, TABLES, Column, columns
from graph.views.table_view import (
    NAME,
    PAGE_SIZES,
    Facet,
    Row,
    TableView,
    Value,
    all_rows,
    read_request,
    table_view,
)
from server.support.i18n import text
from server.support.links import page_url
from server.support.store import get_store
from server.support.view_cache import cached

bp = Blueprint("tables", __name__)

SLUGS = ",".join(TABLES)
FORMATS = ("json", "csv")
# Facet values shown before the rest are folded away.
SHOWN_VALUES = 10


@bp.get(f"/<any({SLUGS}):slug>")
@cached
def page(slug: str):
    fmt = request.args.get("format")
    if fmt is not None and fmt not in FORMATS and fmt != "html":
        abort(406, f"format={fmt}: give json or csv, or leave it out for the page.")
    if fmt in FORMATS:
        return _answer(slug, fmt)
    view = _view(slug)
    headings = [(NAME, text("tb_name"))] + [(c.key, c.title(g.lang)) for c in view.columns]
    sort_options = [(f"{'-' if down else ''}{key}", f"{heading} {'↓' if down else '↑'}")
                    for key, heading in headings for down in (False, True)]
    current = ("-" if view.request.descending else "") + view.request.sort
    return render_template("table.html", view=view, links=Links(view), shown=SHOWN_VALUES,
                           sort_options=sort_options, current_sort=current,
                           page_sizes=PAGE_SIZES, name_key=NAME, iri_kind=IRI, tables=TABLES,
                           filled={key for row in view.rows for key in row.cells},
                           title=view.table.title(g.lang))


@bp.get(f"/<any({SLUGS}):slug>.<any(json,csv):fmt>")
@cached
def data(slug: str, fmt: str):
    return _answer(slug, fmt)


def _answer(slug: str, fmt: str):
    """The view as data; an address it cannot answer is told in that format
    too, as a program reading it expects."""
    try:
        if fmt == "csv":
            return _csv(slug)
        view = _view(slug)
    except InvalidRequest as error:
        if fmt == "csv":
            return Response(f"{error}\n", status=400, content_type="text/plain; charset=utf-8")
        return jsonify(error=str(error)), 400
    links = Links(view)
    response = jsonify(_json(view, links))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _args() -> dict[str, list[str]]:
    return {k: v for k, v in request.args.to_dict(flat=False).items() if k not in ("lang", "format")}


def _view(slug: str) -> TableView:
    store = get_store()
    table = TABLES[slug]
    return table_view(store, table, read_request(_args(), columns(store, table)), g.lang)


class Links:
    """Addresses of this view with one thing changed, keeping the rest."""

    def __init__(self, view: TableView):
        self.view = view
        self.args = _args()
        self.slug = view.table.slug

    def url(self, fmt: str | None = None, **changes: Any) -> str:
        # Typed as url_for's own values: lists would also be checked against
        # its keyword arguments.
        args: dict[str, Any] = {k: list(v) for k, v in self.args.items()}
        for key, value in changes.items():
            if value is None:
                args.pop(key, None)
            else:
                args[key] = value if isinstance(value, list) else [str(value)]
        if "lang" in request.args:
            args["lang"] = [g.lang]
        if fmt:
            return url_for("tables.data", slug=self.slug, fmt=fmt, **args)
        return url_for("tables.page", slug=self.slug, **args)

    def toggle(self, column: Column, key: str) -> str:
        """This view with the facet value chosen, or no longer chosen."""
        chosen = list(self.view.request.chosen.get(column.key, ()))
        chosen = [k for k in chosen if k != key] if key in chosen else [*chosen, key]
        changes: dict[str, Any] = {column.key: chosen or None, "page": None}
        return self.url(**changes)

    def sort(self, key: str) -> str:
        """Sorted by `key`; by it the other way when it is the sort already."""
        request_ = self.view.request
        descending = request_.sort == key and not request_.descending
        return self.url(sort=("-" if descending else "") + key if key != NAME or descending else None,
                        page=None)

    def page(self, number: int) -> str:
        return self.url(page=number if number > 1 else None)

    def without_contains(self, key: str) -> str:
        return self.url(**{("q" if key == NAME else f"{key}__contains"): None, "page": None})

    def cleared(self) -> str:
        return url_for("tables.page", slug=self.slug, **({"lang": g.lang} if "lang" in request.args else {}))

    def next(self) -> str | None:
        return self.page(self.view.request.page + 1) if self.view.request.page < self.view.pages else None

    def previous(self) -> str | None:
        return self.page(self.view.request.page - 1) if self.view.request.page > 1 else None


def _value(value: Value) -> dict[str, Any]:
    if value.iri:
        return {"key": value.key, "label": value.label, "iri": value.iri, "url": page_url(value.iri)}
    return {"value": value.label}


def _json(view: TableView, links: Links) -> dict[str, Any]:
    lang = g.lang
    request_ = view.request
    return {
        "table": view.table.slug, "title": view.table.title(lang), "class": view.table.cls,
        "total": view.total, "page": request_.page, "pages": view.pages, "size": request_.size,
        "sort": ("-" if request_.descending else "") + request_.sort,
        "chosen": {k: list(v) for k, v in request_.chosen.items()},
        "contains": dict(request_.contains),
        "columns": [{"key": NAME, "title": name_title(lang), "kind": "name", "facet": False}] + [
            {"key": c.key, "title": c.title(lang), "kind": c.kind, "facet": c.facet}
            for c in view.columns],
        "rows": [{"iri": row.iri, "url": page_url(row.iri), "name": row.name,
                  "cells": {k: [_value(v) for v in vs] for k, vs in row.cells.items()}}
                 for row in view.rows],
        "facets": [_facet_json(f, links) for f in view.facets],
        "links": {"html": links.url(), "json": links.url("json"), "csv": links.url("csv"),
                  "next": links.next() and links.url("json", page=request_.page + 1),
                  "previous": links.previous() and links.url(
                      "json", page=request_.page - 1 if request_.page > 2 else None)},
    }


def _facet_json(facet: Facet, links: Links) -> dict[str, Any]:
    return {
        "key": facet.column.key, "title": facet.column.title(g.lang), "counted": facet.counted,
        "none": facet.none, "cut": facet.cut,
        "values": [{**_value(fv.value), "key": fv.value.key, "label": fv.value.label, "count": fv.count,
                    "chosen": fv.chosen, "toggle": links.toggle(facet.column, fv.value.key)}
                   for fv in facet.values]}


def name_title(lang: str) -> str:
    return "namn" if lang == "sv" else "name"


def _csv(slug: str) -> Response:
    store = get_store()
    table = TABLES[slug]
    cols = columns(store, table)
    table_request = read_request(_args(), cols)
    limit = current_app.config["PARTNERGRAPH"].max_rows
    rows = all_rows(store, table, table_request, g.lang, limit)
    response = Response(_csv_lines(cols, rows), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _csv_lines(cols: list[Column], rows: Iterator[Row]) -> Iterator[str]:
    """The header, then a line per row: a column of IRIs gives its labels and,
    in KEY_iri, the IRIs themselves; several values are joined by '; '."""
    out = io.StringIO()
    writer = csv.writer(out)

    def flush() -> str:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    header = ["iri", NAME]
    for column in cols:
        header += [column.key, f"{column.key}_iri"] if column.kind == IRI else [column.key]
    writer.writerow(header)
    yield flush()
    for row in rows:
        line = [row.iri, row.name]
        for column in cols:
            values = row.cells.get(column.key, [])
            line.append("; ".join(v.label for v in values))
            if column.kind == IRI:
                line.append("; ".join(v.iri or "" for v in values))
        writer.writerow(line)
        yield flush()
