"""A query's answer drawn: as a map, a bar chart, a line chart or a timeline,
chosen the way the Wikidata Query Service chooses, by a comment in the query
(`#defaultView:Map`) or else from the answer's variables.

- map: a pair of variables named lat/long (also latitude/longitude, lon, lng,
  with the same prefix or suffix: ?partnerLat ?partnerLong) gives a point per
  row; a row with two pairs gives a line between its points. Drawn on the
  land outlines of /map (data/world), framed to the points.
- timeline: a column of dates or years (xsd:date, dateTime, gYear, or whole
  numbers in a variable named year, start, end, date), with a second one as
  the end of a span; each row a mark, labelled by the first other column.
- bars: one column of names and one of numbers.
- lines: a column of numbers, years or dates along the bottom, numbers up
  the side, a line per value of a column of names when there is one.
- graph (CONSTRUCT, DESCRIBE, or ?source/?target) and table are drawn by the
  workbench's page; here they are only chosen.

The answer comes as SPARQL JSON; what goes back are numbers and texts for a
template to draw (SVG path data holds nothing but numbers).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from graph.store.base import Store
from graph.views.labels import labels
from graph.views.partner_map import frame_for, land_paths

VIEWS = ("table", "map", "bars", "lines", "timeline", "graph")
# The names the Wikidata Query Service gives its views, lower-cased, to ours.
_WDQS = {"table": "table", "map": "map", "barchart": "bars", "linechart": "lines",
         "timeline": "timeline", "graph": "graph", "bars": "bars", "lines": "lines"}
_ASKED = re.compile(r"^\s*#\s*defaultView\s*:\s*([A-Za-z]+)", re.MULTILINE | re.IGNORECASE)
_LAT = re.compile(r"^(.*?)(latitude|lat)(.*)$", re.IGNORECASE)
_LONG_NAMES = ("longitude", "long", "lon", "lng")
_NUMBER = re.compile(r"#(integer|decimal|double|float|int|long|short|byte|\w*Integer|unsigned\w+)$")
_DATES = re.compile(r"#(date|dateTime|gYear|gYearMonth)$")
_TIME_NAMES = re.compile(r"(year|start|end|date|from|to|since|until)", re.IGNORECASE)

MOST = {"map": 5000, "bars": 100, "lines": 5000, "timeline": 300}
WIDTH = 960.0


def asked_view(text: str) -> str | None:
    """The view a `#defaultView:NAME` comment asks for, if it names one."""
    match = _ASKED.search(text)
    return _WDQS.get(match.group(1).lower()) if match else None


def choose_view(text: str, kind: str, names: list[str], rows: list[dict]) -> str:
    """The view to open an answer in: the one the query asks for, else the
    one its variables suggest. `kind` is solutions, boolean or graph."""
    asked = asked_view(text)
    if asked:
        return asked
    if kind == "graph":
        return "graph"
    if kind != "solutions" or not rows:
        return "table"
    if coordinate_pairs(names):
        return "map"
    if "source" in names and "target" in names:
        return "graph"
    if time_columns(names, rows):
        return "timeline"
    if _bar_columns(names, rows):
        return "bars"
    return "table"


# -- reading the answer ----------------------------------------------------

def _number(term: dict | None) -> float | None:
    if not term or term.get("type") not in ("literal", "typed-literal"):
        return None
    try:
        value = float(term["value"])
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _is_number(term: dict | None) -> bool:
    return bool(term and _NUMBER.search(term.get("datatype", "")) and _number(term) is not None)


def _year(term: dict | None, name: str) -> float | None:
    """A date, dateTime, gYear or (in a variable named like one) a whole
    number, as a year with its fraction."""
    if not term or term.get("type") not in ("literal", "typed-literal"):
        return None
    value = term["value"]
    if _DATES.search(term.get("datatype", "")):
        match = re.match(r"(-?\d{4,})(?:-(\d\d)(?:-(\d\d))?)?", value)
        if not match:
            return None
        year, month, day = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
        try:
            start = date(year, month, day).timetuple().tm_yday
        except ValueError:
            return float(year)
        return year + (start - 1) / 366
    if _TIME_NAMES.search(name) and re.fullmatch(r"-?\d{1,4}", value):
        return float(value)
    return None


def coordinate_pairs(names: list[str]) -> list[tuple[str, str, str]]:
    """(latitude variable, longitude variable, what they place): ?lat ?long
    place the row; ?partnerLat ?partnerLong place ?partner."""
    pairs = []
    lowered = {n.lower(): n for n in names}
    for name in names:
        match = _LAT.match(name)
        if not match:
            continue
        before, _, after = match.groups()
        for long_name in _LONG_NAMES:
            other = lowered.get((before + long_name + after).lower())
            if other and other != name:
                pairs.append((name, other, (before + after).strip("_-").lower()))
                break
    return pairs


def time_columns(names: list[str], rows: list[dict]) -> list[str]:
    """The columns whose every value is a date or a year."""
    return [n for n in names
            if any(n in r for r in rows) and all(_year(r.get(n), n) is not None for r in rows if n in r)]


def _bar_columns(names: list[str], rows: list[dict]) -> tuple[str, str] | None:
    numbers = [n for n in names if all(_is_number(r.get(n)) for r in rows)]
    others = [n for n in names if n not in numbers]
    return (others[0], numbers[0]) if len(numbers) == 1 and others else None


def _label_column(names: list[str], skip: set[str], rows: list[dict], prefer: str = "") -> str | None:
    """The column that names a row's mark: `prefer` when there is one, else
    the first that is neither skipped nor all numbers."""
    lowered = {n.lower(): n for n in names}
    if prefer and prefer in lowered and lowered[prefer] not in skip:
        return lowered[prefer]
    for n in names:
        if n not in skip and not all(_is_number(r.get(n)) for r in rows if n in r):
            return n
    return None


class _Names:
    """Texts for the terms of the answer: IRIs by label (asked in one go)."""

    def __init__(self, store: Store, rows: list[dict], columns: list[str], lang: str):
        iris = {r[c]["value"] for r in rows for c in columns if c in r and r[c]["type"] == "uri"}
        self.found = labels(store, iris, lang) if iris else {}

    def __call__(self, term: dict | None) -> tuple[str, str | None]:
        """(text, IRI or None)."""
        if not term:
            return "", None
        if term["type"] == "uri":
            return self.found.get(term["value"], term["value"]), term["value"]
        return term["value"], None


# -- the views -------------------------------------------------------------

@dataclass
class Point:
    x: float
    y: float
    label: str
    iri: str | None


@dataclass
class MapView:
    width: float
    height: float
    land: list[str]
    points: list[Point]
    lines: list[tuple[float, float, float, float]]
    left_out: int = 0          # rows without coordinates


def map_view(store: Store, names: list[str], rows: list[dict], lang: str) -> MapView | None:
    pairs = coordinate_pairs(names)
    if not pairs:
        return None
    coordinates = {lat for lat, _, _ in pairs} | {lon for _, lon, _ in pairs}
    labels_of = {group: _label_column(names, coordinates, rows, group) for _, _, group in pairs}
    text = _Names(store, rows, [c for c in labels_of.values() if c], lang)
    placed: list[list[tuple[float, float, str, str | None]]] = []
    left_out = 0
    for row in rows[:MOST["map"]]:
        here = []
        for lat_name, lon_name, group in pairs:
            lat, lon = _number(row.get(lat_name)), _number(row.get(lon_name))
            if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                continue
            column = labels_of[group]
            label, iri = text(row.get(column)) if column else ("", None)
            here.append((lon, lat, label, iri))
        if not here:
            left_out += 1
        placed.append(here)
    everything = [(lon, lat) for here in placed for lon, lat, _, _ in here]
    frame = frame_for(everything, WIDTH)
    points: dict[tuple, Point] = {}
    lines = set()
    for here in placed:
        projected = []
        for lon, lat, label, iri in here:
            x, y = frame.project(lon, lat)
            points.setdefault((x, y, label), Point(x, y, label, iri))
            projected.append((x, y))
        for (x1, y1), (x2, y2) in zip(projected, projected[1:]):
            lines.add((x1, y1, x2, y2))
    return MapView(frame.width, frame.height, land_paths(frame), list(points.values()),
                   sorted(lines), left_out + max(0, len(rows) - MOST["map"]))


@dataclass
class Bar:
    label: str
    iri: str | None
    value: float
    width: float


@dataclass
class BarView:
    measure: str
    bars: list[Bar]
    left_out: int


def bar_view(store: Store, names: list[str], rows: list[dict], lang: str) -> BarView | None:
    columns = _bar_columns(names, rows)
    if not columns or not rows:
        return None
    name, measure = columns
    text = _Names(store, rows[:MOST["bars"]], [name], lang)
    shown = rows[:MOST["bars"]]
    values = [_number(r.get(measure)) or 0.0 for r in shown]
    top = max([abs(v) for v in values] + [0]) or 1.0
    bars = []
    for row, value in zip(shown, values):
        label, iri = text(row.get(name))
        bars.append(Bar(label, iri, value, round(max(value, 0) / top * 100, 2)))
    return BarView(measure, bars, max(0, len(rows) - len(shown)))


@dataclass
class Series:
    name: str
    path: str                  # SVG path data: numbers only
    points: list[tuple[float, float, str]]


@dataclass
class Axis:
    ticks: list[tuple[float, str]]


@dataclass
class LineView:
    x_name: str
    y_name: str
    width: float
    height: float
    series: list[Series]
    x_axis: Axis
    y_axis: Axis


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        return [low]
    step = 10 ** math.floor(math.log10((high - low) / count))
    for factor in (1, 2, 5, 10):
        if (high - low) / (step * factor) <= count:
            step *= factor
            break
    first = math.ceil(low / step) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step) + 1)]


def _tick_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def line_view(store: Store, names: list[str], rows: list[dict], lang: str) -> LineView | None:
    times = time_columns(names, rows)
    numbers = [n for n in names if rows and all(_is_number(r.get(n)) for r in rows if n in r)
               and any(n in r for r in rows)]
    x_name = times[0] if times else (numbers[0] if len(numbers) >= 2 else None)
    ys = [n for n in numbers if n != x_name]
    if x_name is None or not ys:
        return None
    y_name = ys[0]
    series_name = _label_column(names, {x_name, *numbers, *times}, rows)
    text = _Names(store, rows, [series_name] if series_name else [], lang)
    lines: dict[str, list[tuple[float, float]]] = {}
    for row in rows[:MOST["lines"]]:
        x = _year(row.get(x_name), x_name) if times else _number(row.get(x_name))
        y = _number(row.get(y_name))
        if x is None or y is None:
            continue
        key = text(row.get(series_name))[0] if series_name else y_name
        lines.setdefault(key, []).append((x, y))
    if not lines:
        return None
    xs = [x for pts in lines.values() for x, _ in pts]
    ys_all = [y for pts in lines.values() for _, y in pts]
    x_low, x_high = min(xs), max(xs)
    y_low, y_high = min(0.0, min(ys_all)), max(ys_all)
    width, height, left, bottom = WIDTH, 420.0, 60.0, 30.0

    def place(x: float, y: float) -> tuple[float, float]:
        px = left + (x - x_low) / ((x_high - x_low) or 1) * (width - left - 20)
        py = height - bottom - (y - y_low) / ((y_high - y_low) or 1) * (height - bottom - 20)
        return round(px, 1), round(py, 1)

    series = []
    for name, pts in sorted(lines.items()):
        pts.sort()
        placed = [place(x, y) for x, y in pts]
        path = "M" + "L".join(f"{px:g},{py:g}" for px, py in placed)
        series.append(Series(name, path, [(px, py, f"{_tick_text(x)}: {_tick_text(y)}")
                                          for (px, py), (x, y) in zip(placed, pts)]))
    x_axis = Axis([(place(t, y_low)[0], _tick_text(t)) for t in _ticks(x_low, x_high)])
    y_axis = Axis([(place(x_low, t)[1], _tick_text(t)) for t in _ticks(y_low, y_high)])
    return LineView(x_name, y_name, width, height, series, x_axis, y_axis)


@dataclass
class Span:
    label: str
    iri: str | None
    start: float
    end: float | None
    x: float
    x_end: float | None
    text: str


@dataclass
class TimelineView:
    width: float
    spans: list[Span]
    axis: Axis
    left_out: int = 0
    names: list[str] = field(default_factory=list)


def timeline_view(store: Store, names: list[str], rows: list[dict], lang: str) -> TimelineView | None:
    times = time_columns(names, rows)
    if not times:
        return None
    start_name, end_name = times[0], times[1] if len(times) > 1 else None
    label_name = _label_column(names, set(times), rows)
    shown = rows[:MOST["timeline"]]
    text = _Names(store, shown, [label_name] if label_name else [], lang)
    found = []
    for row in shown:
        start = _year(row.get(start_name), start_name)
        if start is None:
            continue
        end = _year(row.get(end_name), end_name) if end_name else None
        label, iri = text(row.get(label_name)) if label_name else ("", None)
        when = row[start_name]["value"] + (f" – {row[end_name]['value']}" if end is not None and end_name else "")
        found.append((start, end, label, iri, when))
    if not found:
        return None
    low = math.floor(min(s for s, *_ in found))
    high = math.ceil(max(max(s, e or s) for s, e, *_ in found)) + 1
    width, left, right = WIDTH, 20.0, 30.0

    def place(year: float) -> float:
        return round(left + (year - low) / ((high - low) or 1) * (width - left - right), 1)

    spans = [Span(label, iri, start, end, place(start), place(end) if end is not None else None, when)
             for start, end, label, iri, when in sorted(found, key=lambda f: (f[0], f[2]))]
    axis = Axis([(place(t), _tick_text(t)) for t in _ticks(low, high, 8)])
    return TimelineView(width, spans, axis, len(rows) - len(found),
                        [start_name] + ([end_name] if end_name else []))


BUILDERS = {"map": map_view, "bars": bar_view, "lines": line_view, "timeline": timeline_view}
