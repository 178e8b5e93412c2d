"""One view of a browsable table: the rows that pass the filters, one page
of them in the order asked for, their count, and a count per value of each
facet, all asked of the store as bounded SPARQL (COUNT and GROUP BY for the
numbers, LIMIT/OFFSET for the page); nothing reads the whole graph.

Filters narrow, as in Datasette: every value chosen, in one facet or in
several, and every text looked for in a column, must hold of a row. For a
facet whose rows may have several values that is what a reader means: the
partnerships with a member in Sweden and one in Norway are
`country=SE&country=NO`. Facets are counted within the rows shown, and count
resources, not values: a partnership with two kinds counts once under each.
Rows without a value are counted too (`none`), so that for a facet of one
value a row, its counts and `none` add up to the rows shown.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from graph.errors import InvalidRequest
from graph.rdf.namespaces import PG
from graph.store.base import Store
from graph.views.labels import labels
from graph.views.table_columns import COUNT, IRI, TEXT, YEAR, Column, Table, columns

NAME = "name"
PAGE_SIZES = (25, 50, 100, 200, 500)
FACET_VALUES = 500       # most values of one facet counted; a longer tail is cut
# Segments of instance IRIs whose last part is a value's short key
# (country/SE -> SE, theme/democracy -> democracy).
_SEGMENTS = ("country", "theme", "org", "programme", "region", "role")
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~%-]*(?:/[A-Za-z0-9._~%-]+)*")
_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+')
_LABEL = "skos:prefLabel|rdfs:label|foaf:name"
_NOTHING = "urn:partnergraph:nothing"     # stands for a key that names nothing


@dataclass(frozen=True)
class TableRequest:
    """What the reader asked for: facet values chosen (column -> value keys),
    text to find in columns (column -> text; `name` is the resource's name),
    the sort column, its direction, and the page."""
    chosen: dict[str, tuple[str, ...]] = field(default_factory=dict)
    contains: dict[str, str] = field(default_factory=dict)
    sort: str = NAME
    descending: bool = False
    page: int = 1
    size: int = 50


@dataclass(frozen=True)
class Value:
    """A value in a cell or a facet: an IRI with its label, or a literal."""
    key: str
    label: str
    iri: str | None = None


@dataclass(frozen=True)
class FacetValue:
    value: Value
    count: int
    chosen: bool


@dataclass(frozen=True)
class Facet:
    column: Column
    values: list[FacetValue]
    none: int           # rows without a value
    counted: int        # the rows this facet is counted over: those shown
    cut: bool           # more values than FACET_VALUES


@dataclass(frozen=True)
class Row:
    iri: str
    name: str
    cells: dict[str, list[Value]]


@dataclass(frozen=True)
class TableView:
    table: Table
    columns: list[Column]
    request: TableRequest
    total: int
    rows: list[Row]
    facets: list[Facet]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.size))


def read_request(args: Mapping[str, list[str]], cols: list[Column]) -> TableRequest:
    """The request from an address's parameters (each name -> its values):
    `COLUMN=KEY` (repeated) chooses facet values, `COLUMN__contains=TEXT`
    and `q=TEXT` (the name) find text, `sort=COLUMN` or `sort=-COLUMN`,
    `page=N`, `size=N`. Raises InvalidRequest naming what to send instead."""
    by_key = {c.key: c for c in cols}
    chosen: dict[str, tuple[str, ...]] = {}
    contains: dict[str, str] = {}
    for name, values in args.items():
        values = [v for v in values if v.strip()]
        if not values:
            continue
        if name == "q":
            contains[NAME] = values[-1].strip()
        elif name.endswith("__contains"):
            column = name[:-len("__contains")]
            if column != NAME and column not in by_key:
                raise InvalidRequest(_unknown(column, cols))
            contains[column] = values[-1].strip()
        elif name in by_key and by_key[name].facet:
            for value in values:
                if not (_KEY.fullmatch(value) or _IRI.fullmatch(value)):
                    raise InvalidRequest(f"{name}={value!r} is not a value of {name}; "
                                         "use the keys the facet links give.")
            chosen[name] = tuple(dict.fromkeys(values))
    sort = (args.get("sort") or [NAME])[-1] or NAME
    descending = sort.startswith("-")
    sort = sort.lstrip("-")
    if sort != NAME and sort not in by_key:
        raise InvalidRequest(_unknown(sort, cols, "sort="))
    page = _number(args, "page", 1)
    size = _number(args, "size", 50)
    if size not in PAGE_SIZES:
        raise InvalidRequest(f"size={size}: give one of {', '.join(map(str, PAGE_SIZES))}.")
    return TableRequest(chosen, contains, sort, descending, page, size)


def table_view(store: Store, table: Table, request: TableRequest, lang: str) -> TableView:
    """The view `request` asks for, with labels in `lang`."""
    cols = columns(store, table)
    query = _Query(store, table, cols, request, lang)
    total = query.count()
    page_iris = query.page_items((request.page - 1) * request.size, request.size)
    facets = [query.facet(c, total) for c in cols if c.facet]
    rows = query.rows(page_iris)
    iris = set(page_iris) | {v.iri for r in rows.values() for vs in r.values() for v in vs if v.iri}
    iris |= {fv.value.iri for f in facets for fv in f.values if fv.value.iri}
    names = labels(store, iris, lang)
    return TableView(
        table, cols, request, total,
        [_row(iri, rows[iri], names) for iri in page_iris],
        [Facet(f.column, sorted((FacetValue(_named(fv.value, names), fv.count, fv.chosen)
                                 for fv in f.values),
                                key=lambda fv: (-fv.count, fv.value.label.casefold())),
               f.none, f.counted, f.cut)
         for f in facets])


def all_rows(store: Store, table: Table, request: TableRequest, lang: str,
             limit: int, batch: int = 500) -> Iterator[Row]:
    """Every row of the view, in its order, up to `limit`: for a download,
    asked for a batch at a time."""
    cols = columns(store, table)
    query = _Query(store, table, cols, request, lang)
    for offset in range(0, limit, batch):
        page_iris = query.page_items(offset, min(batch, limit - offset))
        if not page_iris:
            return
        rows = query.rows(page_iris)
        names = labels(store, set(page_iris) | {
            v.iri for r in rows.values() for vs in r.values() for v in vs if v.iri}, lang)
        for iri in page_iris:
            yield _row(iri, rows[iri], names)
        if len(page_iris) < batch:
            return


def value_key(iri: str, base_iri: str) -> str:
    """A value's key in addresses: TwinTown -> twin-town for ontology terms,
    the last part of an instance IRI (country/SE -> SE), else the IRI."""
    if iri.startswith(str(PG)):
        return re.sub(r"(?<!^)(?=[A-Z])", "-", iri[len(str(PG)):]).lower()
    if iri.startswith(base_iri):
        segment, _, rest = iri[len(base_iri):].partition("/")
        if segment in _SEGMENTS and rest and "/" not in rest:
            return rest
        return iri[len(base_iri):]
    return iri


def _candidates(key: str, base_iri: str) -> list[str]:
    """The IRIs a key may stand for (those that are no value match nothing)."""
    if _IRI.fullmatch(key) and "://" in key:
        return [key]
    found = [f"{base_iri}{segment}/{key}" for segment in _SEGMENTS] + [base_iri + key]
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", key):
        found.append(str(PG) + "".join(part.capitalize() for part in key.split("-")))
    return found


def _row(iri: str, cells: dict[str, list[Value]], names: dict[str, str]) -> Row:
    return Row(iri, names[iri], {
        key: sorted((_named(v, names) for v in values), key=lambda v: v.label.casefold())
        for key, values in cells.items()})


def _named(value: Value, names: dict[str, str]) -> Value:
    return Value(value.key, names.get(value.iri, value.label), value.iri) if value.iri else value


def _number(args: Mapping[str, list[str]], name: str, default: int) -> int:
    raw = (args.get(name) or [str(default)])[-1]
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidRequest(f"{name}={raw!r}: give a whole number from 1.")
    return int(raw)


def _unknown(column: str, cols: list[Column], what: str = "") -> str:
    known = ", ".join([NAME, *(c.key for c in cols)])
    return f"{what}{column!r} is no column of this table; its columns are {known}."


def _string(text: str) -> str:
    """Text as a SPARQL string literal (JSON's escapes are SPARQL's)."""
    return json.dumps(text, ensure_ascii=False)


def _year(var: str) -> str:
    return f"xsd:integer(SUBSTR(STR({var}), 1, 4))"


class _Query:
    """The SPARQL of one view."""

    def __init__(self, store: Store, table: Table, cols: list[Column],
                 request: TableRequest, lang: str):
        self.store, self.table, self.request = store, table, request
        self.by_key = {c.key: c for c in cols}
        self.lang = "sv" if lang == "sv" else "en"
        self.iris = self._resolve()

    def _resolve(self) -> dict[str, str]:
        """The IRI each chosen key stands for: the one of its candidates that
        is some triple's object. (Given all candidates at once, the engine
        looked each row's values up against every one of them.)"""
        keys = {v for key, values in self.request.chosen.items()
                if self.by_key[key].kind != YEAR for v in values}
        if not keys:
            return {}
        candidates = {key: _candidates(key, self.store.base_iri) for key in keys}
        values = " ".join(f"<{i}>" for found in candidates.values() for i in found)
        used = {row["c"].value for row in self.store.select(
            f"SELECT DISTINCT ?c WHERE {{ VALUES ?c {{ {values} }} ?x ?p ?c }}")}
        return {key: next((i for i in found if i in used), _NOTHING)
                for key, found in candidates.items()}

    # -- the rows' pattern --------------------------------------------------
    def where(self, first: str = "") -> str:
        """The rows' pattern: each chosen facet value, `first`, the text
        filters, then the class. The engine joins in the order written, so
        the chosen values, the most selective, come first; with nothing
        before it, `first` is followed from its property's end and the
        class checked on each row it finds."""
        parts = []
        chosen = [(key, value) for key, values in sorted(self.request.chosen.items())
                  for value in values]
        for n, (key, value) in enumerate(chosen):
            column = self.by_key[key]
            if column.kind == YEAR:
                decade = int(value) if value.isdigit() else -1
                parts.append(column.pattern("?item", f"?f{n}", f"f{n}") +
                             f" FILTER({_year(f'?f{n}')} >= {decade} && "
                             f"{_year(f'?f{n}')} < {decade + 10})")
            else:
                parts.append(column.pattern("?item", f"<{self.iris[value]}>", f"f{n}"))
        if first:
            parts.append(first)
        for n, (key, text) in enumerate(sorted(self.request.contains.items())):
            needle = _string(text.casefold())
            if key == NAME:
                parts.append(f"?item {_LABEL} ?t{n} FILTER(CONTAINS(LCASE(STR(?t{n})), {needle}))")
            else:
                parts.append(f"{self.by_key[key].pattern('?item', f'?t{n}', f't{n}')} "
                             f"OPTIONAL {{ ?t{n} {_LABEL} ?tl{n} }} "
                             f"FILTER(CONTAINS(LCASE(STR(COALESCE(?tl{n}, ?t{n}))), {needle}))")
        if parts:
            parts.append(f"FILTER EXISTS {{ ?item a <{self.table.cls}> }}")
        else:
            parts.append(f"?item a <{self.table.cls}> .")
        return "\n".join(parts)

    # -- what is asked ----------------------------------------------------
    def count(self) -> int:
        return self._count(self.where())

    def _count(self, pattern: str) -> int:
        rows = self.store.select(f"SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {pattern} }}")
        return int(rows[0]["n"].value) if rows else 0

    def page_items(self, offset: int, size: int) -> list[str]:
        key, pattern = self._sort_key()
        order = "DESC" if self.request.descending else "ASC"
        rows = self.store.select(f"""
            SELECT ?item ({key} AS ?key) WHERE {{
              {self.where()}
              OPTIONAL {{ {pattern} }}
            }} GROUP BY ?item
            ORDER BY DESC(BOUND(?key)) {order}(?key) ?item
            LIMIT {size} OFFSET {offset}""")
        return [row["item"].value for row in rows]

    def _sort_key(self) -> tuple[str, str]:
        """An aggregate to sort the rows by, and the pattern it reads. A
        label in the reader's language sorts before one in another."""
        ranked = (f'MIN(CONCAT(IF(LANGMATCHES(LANG(?k), "{self.lang}"), "0", "1"), '
                  f'LCASE(STR(?k))))')
        if self.request.sort == NAME:
            return ranked, f"?item {_LABEL} ?k"
        column = self.by_key[self.request.sort]
        value = column.pattern("?item", "?s", "s")
        if column.kind == COUNT:
            return "COUNT(DISTINCT ?s)", value
        if column.kind == YEAR:
            return "MIN(STR(?s))", value
        if column.kind == TEXT:
            return "MIN(LCASE(STR(?s)))", value
        return (f'MIN(CONCAT(IF(LANGMATCHES(LANG(?k), "{self.lang}"), "0", "1"), '
                f'LCASE(STR(COALESCE(?k, ?s)))))',
                f"{value} OPTIONAL {{ ?s {_LABEL} ?k }}")

    def facet(self, column: Column, total: int) -> Facet:
        """The facet's values with their counts, and the rows without one
        (the rows less those with one: the engine takes a minute over a
        NOT EXISTS of two steps)."""
        value = column.pattern("?item", "?v0" if column.kind == YEAR else "?v", "v")
        if column.kind == YEAR:
            value += f" BIND(FLOOR({_year('?v0')} / 10) * 10 AS ?v)"
        pattern = self.where(value)
        rows = self.store.select(f"""
            SELECT ?v (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {pattern} }}
            GROUP BY ?v ORDER BY DESC(?n) LIMIT {FACET_VALUES + 1}""")
        none = total - self._count(pattern) if rows else total
        chosen = set(self.request.chosen.get(column.key, ()))
        values = []
        for row in rows[:FACET_VALUES]:
            n = int(row["n"].value)
            term = row["v"].value
            if column.kind == YEAR:
                key = str(int(float(term)))
                values.append(FacetValue(Value(key, f"{key}–{int(key) + 9}"), n, key in chosen))
            else:
                key = value_key(term, self.store.base_iri)
                values.append(FacetValue(Value(key, key, term), n, key in chosen or term in chosen))
        return Facet(column, values, none, total, len(rows) > FACET_VALUES)

    def rows(self, items: list[str]) -> dict[str, dict[str, list[Value]]]:
        """The cells of the rows of `items`, column by column."""
        found: dict[str, dict[str, list[Value]]] = {i: {} for i in items}
        if not items:
            return found
        values = " ".join(f"<{i}>" for i in items)
        branches = []
        for column in self.by_key.values():
            name = _string(column.key)
            value = column.pattern("?item", "?x" if column.kind == COUNT else "?v", "c")
            if column.kind == COUNT:
                branches.append(f"{{ SELECT ?item ({name} AS ?col) (COUNT(DISTINCT ?x) AS ?v) "
                                f"WHERE {{ VALUES ?item {{ {values} }} {value} }} GROUP BY ?item }}")
            else:
                branches.append(f"{{ {value} BIND({name} AS ?col) }}")
        rows = self.store.select(f"""
            SELECT DISTINCT ?item ?col ?v WHERE {{
              VALUES ?item {{ {values} }}
              {" UNION ".join(branches)}
            }}""")
        for row in rows:
            column = self.by_key[row["col"].value]
            term = row["v"]
            if column.kind == IRI and isinstance(term, NamedNode):
                cell = Value(value_key(term.value, self.store.base_iri), term.value, term.value)
            elif column.kind == YEAR:
                cell = Value(term.value[:4], term.value[:4])
            else:
                cell = Value(term.value, term.value)
            found[row["item"].value].setdefault(column.key, []).append(cell)
        return found
