"""A municipality's partners on a map: who has coordinates (geo:lat/geo:long,
WGS84) and who has none, placed on a flat projection framed to fit them, with
the world's land drawn underneath and the labels that fit without overlapping.

Everything comes back as numbers and plain text for a template to draw; the
only strings made here are SVG path data, which hold nothing but numbers.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib.namespace import ORG

from graph.ingest.actor_kinds import party_classes
from graph.rdf.namespaces import GEO, PG
from graph.resources import data_dir
from graph.store.base import Store
from graph.views.labels import _safe_iri, labels

WIDTH = 960.0
# Height as a share of the width: a map taller or flatter than this is framed
# wider or taller instead, so that it neither towers nor shrinks to a strip.
MIN_ASPECT, MAX_ASPECT = 0.45, 0.75
# The smallest view, in degrees of latitude, so that one town and its neighbour
# are still shown with some country around them.
MIN_SPAN = 8.0
MARGIN = 0.15
# Beyond this many degrees of longitude a regional view says less than the world.
WORLD_LON_SPAN = 180.0
WORLD = (-180.0, 180.0, -58.0, 84.0)
MAX_LAT = 85.0
LABEL_SIZE = 12.0
CHAR_WIDTH = 0.6 * LABEL_SIZE
POINT_RADIUS = 4.0
CENTRE_RADIUS = 6.5
EARTH_RADIUS_KM = 6371.0


@dataclass
class Place:
    iri: str
    label: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    x: float = 0.0
    y: float = 0.0
    distance_km: int | None = None
    # Where the label goes: "start" (right of the point), "end" (left) or None.
    anchor: str | None = None
    label_x: float = 0.0
    label_y: float = 0.0

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None

    def lon_lat(self) -> tuple[float, float]:
        """Where a located place is."""
        assert self.lon is not None and self.lat is not None
        return self.lon, self.lat


@dataclass
class Frame:
    """The part of the world shown: longitudes may run past 180 when the view
    spans the antimeridian (the Pacific), and the scale turns degrees into
    SVG units."""
    west: float
    east: float
    south: float
    north: float
    lon_scale: float
    scale: float
    width: float
    height: float
    world: bool = False

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        lon = self.unwrap(lon)
        x = (lon - self.west) * self.lon_scale * self.scale
        y = (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)

    def unwrap(self, lon: float) -> float:
        return lon + 360.0 if lon < self.west - 1e-9 and not self.world else lon


@dataclass
class PartnerMap:
    centre: Place
    located: list[Place]
    unlocated: list[Place]
    frame: Frame
    land: list[str] = field(default_factory=list)

    @property
    def partner_count(self) -> int:
        return len(self.located) + len(self.unlocated)

    @property
    def has_points(self) -> bool:
        return self.centre.located or bool(self.located)

    def as_geojson(self) -> dict:
        """The located places as a GeoJSON FeatureCollection (lon, lat order)."""
        def feature(place: Place, role: str) -> dict:
            return {"type": "Feature", "id": place.iri,
                    "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                    "properties": {"name": place.label, "country": place.country,
                                   "role": role, "distance_km": place.distance_km}}
        features = [feature(self.centre, "municipality")] if self.centre.located else []
        features += [feature(p, "partner") for p in self.located]
        return {"type": "FeatureCollection", "features": features,
                "unlocated": [{"id": p.iri, "name": p.label, "country": p.country}
                              for p in self.unlocated]}


def is_party(store: Store, iri: str) -> bool:
    """Whether `iri` is a party to partnerships (a municipality, a region ...)."""
    classes = " ".join(f"<{cls}>" for cls in party_classes())
    return store.ask(f"ASK {{ VALUES ?class {{ {classes} }} <{_safe_iri(iri)}> a ?class }}")


def partner_map(store: Store, iri: str, lang: str, *, max_labels: int = 60) -> PartnerMap:
    """The map of `iri`'s partners (the other members of the partnerships it
    belongs to), in `lang`. Partners without coordinates are listed apart."""
    node = f"<{_safe_iri(iri)}>"
    rows = store.select(f"""
        SELECT ?place ?lat ?long ?country WHERE {{
          {{ BIND({node} AS ?place) }} UNION {{
            ?partnership a <{PG.Partnership}> ; <{ORG.hasMember}> {node}, ?place .
            FILTER (?place != {node}) }}
          OPTIONAL {{ ?place <{GEO.lat}> ?lat ; <{GEO.long}> ?long }}
          OPTIONAL {{ ?place <{PG.country}> ?country }}
        }}""")
    coordinates: dict[str, list[tuple[float, float]]] = {}
    countries: dict[str, set[str]] = {}
    for row in rows:
        member = row["place"].value
        coordinates.setdefault(member, [])
        countries.setdefault(member, set())
        point = _point(row.get("lat"), row.get("long"))
        if point:
            coordinates[member].append(point)
        if "country" in row:
            countries[member].add(row["country"].value)
    coordinates.setdefault(iri, [])
    names = labels(store, [*coordinates, *{c for cs in countries.values() for c in cs}], lang)

    def place(key: str) -> Place:
        found = sorted(coordinates[key])
        country = sorted(countries.get(key, ()))
        lat, lon = found[0] if found else (None, None)
        return Place(key, names[key], names[country[0]] if country else None, lat, lon)

    centre = place(iri)
    partners = sorted((place(k) for k in coordinates if k != iri),
                      key=lambda p: (p.label.casefold(), p.iri))
    located = [p for p in partners if p.located]
    shown = ([centre] if centre.located else []) + located
    frame = frame_for([p.lon_lat() for p in shown])
    for p in shown:
        lon, lat = p.lon_lat()
        p.x, p.y = frame.project(lon, lat)
        if centre.located and p is not centre:
            centre_lon, centre_lat = centre.lon_lat()
            p.distance_km = round(distance_km(centre_lat, centre_lon, lat, lon))
    result = PartnerMap(centre, located, [p for p in partners if not p.located], frame,
                        land_paths(frame))
    place_labels(result, max_labels)
    return result


def _point(lat_term, lon_term) -> tuple[float, float] | None:
    try:
        lat, lon = float(lat_term.value), float(lon_term.value)
    except (AttributeError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def frame_for(points: list[tuple[float, float]], width: float = WIDTH) -> Frame:
    """The view that shows every (lon, lat) point with a margin: the smallest
    stretch of longitude that holds them (across the antimeridian if that is
    shorter), at least MIN_SPAN high, the whole world when they span it."""
    if not points:
        return _fit(*WORLD, lon_scale=1.0, width=width, world=True)
    west, lon_span = _longitude_window([lon for lon, _ in points])
    south = min(lat for _, lat in points)
    north = max(lat for _, lat in points)
    if lon_span > WORLD_LON_SPAN:
        # The world's usual frame leaves out the polar seas, unless a partner is there.
        return _fit(WORLD[0], WORLD[1], max(min(WORLD[2], south - 2), -MAX_LAT),
                    min(max(WORLD[3], north + 2), MAX_LAT), lon_scale=1.0, width=width, world=True)
    lon_scale = max(math.cos(math.radians((south + north) / 2)), 0.2)
    lat_pad = max((north - south) * MARGIN, (MIN_SPAN - (north - south)) / 2, 0)
    lon_pad = max(lon_span * MARGIN, (MIN_SPAN / lon_scale - lon_span) / 2, 0)
    return _fit(west - lon_pad, west + lon_span + lon_pad, south - lat_pad, north + lat_pad,
                lon_scale=lon_scale, width=width)


def _longitude_window(lons: list[float]) -> tuple[float, float]:
    """(west edge, span): the arc of longitude that holds all `lons` and leaves
    out the widest empty gap between them."""
    ordered = sorted(lons)
    gaps = [(ordered[0] + 360 - ordered[-1], 0)]
    gaps += [(ordered[i + 1] - ordered[i], i + 1) for i in range(len(ordered) - 1)]
    gap, start = max(gaps)
    return ordered[start], 360.0 - gap if len(ordered) > 1 else 0.0


def _fit(west: float, east: float, south: float, north: float, *, lon_scale: float,
         width: float, world: bool = False) -> Frame:
    """Widen the shorter side until the map's proportions lie within the
    limits, keep it between the poles' usable latitudes, and scale to `width`."""
    units_wide = (east - west) * lon_scale
    units_high = north - south
    if not world:
        if units_high < units_wide * MIN_ASPECT:
            grow = (units_wide * MIN_ASPECT - units_high) / 2
            south, north = south - grow, north + grow
        elif units_high > units_wide * MAX_ASPECT:
            grow = (units_high / MAX_ASPECT / lon_scale - (east - west)) / 2
            west, east = west - grow, east + grow
        if north > MAX_LAT:
            south, north = south - (north - MAX_LAT), MAX_LAT
        if south < -MAX_LAT:
            south, north = -MAX_LAT, north + (-MAX_LAT - south)
        north = min(north, MAX_LAT)
        if east - west > 360:
            return _fit(*WORLD, lon_scale=1.0, width=width, world=True)
    scale = width / ((east - west) * lon_scale)
    return Frame(west, east, south, north, lon_scale, scale, width,
                 round((north - south) * scale, 1), world)


@lru_cache(maxsize=1)
def land_rings() -> tuple[tuple[tuple[float, float, float, float], tuple], ...]:
    """The land outlines of data/world/land-110m.json (see tools/build_world.py),
    each with its bounding box (west, south, east, north)."""
    with open(data_dir() / "world" / "land-110m.json", encoding="utf-8") as f:
        rings = json.load(f)["rings"]
    result = []
    for ring in rings:
        lons = [p[0] for p in ring]
        lats = [p[1] for p in ring]
        result.append(((min(lons), min(lats), max(lons), max(lats)),
                       tuple((p[0], p[1]) for p in ring)))
    return tuple(result)


def land_paths(frame: Frame) -> list[str]:
    """SVG path data for the land in view, a point dropped where it would lie
    within half a unit of the one before."""
    paths = []
    shifts = (0.0,) if frame.world else (-360.0, 0.0, 360.0)
    for (w, s, e, n), ring in land_rings():
        if n < frame.south or s > frame.north:
            continue
        for shift in shifts:
            if e + shift < frame.west or w + shift > frame.east:
                continue
            parts: list[str] = []
            last = None
            for lon, lat in ring:
                x = round((lon + shift - frame.west) * frame.lon_scale * frame.scale, 1)
                y = round((frame.north - lat) * frame.scale, 1)
                if last and abs(x - last[0]) < 0.5 and abs(y - last[1]) < 0.5:
                    continue
                parts.append(f"{x:g},{y:g}")
                last = (x, y)
            if len(parts) >= 3:
                paths.append("M" + "L".join(parts) + "Z")
    return paths


def place_labels(m: PartnerMap, most: int) -> None:
    """Give labels to the municipality (always) and to as many partners as fit
    without covering another label or point, the most remote first."""
    taken: list[tuple[float, float, float, float]] = []
    points = [(p.x, p.y) for p in ([m.centre] if m.centre.located else []) + m.located]
    if m.centre.located:
        _label(m.centre, taken, [], m.frame, force=True, radius=CENTRE_RADIUS)
    others = sorted(m.located, key=lambda p: -(p.distance_km or 0))
    placed = 0
    for partner in others:
        if placed >= most:
            break
        if _label(partner, taken, points, m.frame):
            placed += 1


def _label(place: Place, taken: list, points: list, frame: Frame, *, force: bool = False,
           radius: float = POINT_RADIUS) -> bool:
    width = len(place.label) * CHAR_WIDTH
    half = (LABEL_SIZE + 2) / 2
    gap = radius + 3

    def box(anchor: str):
        left = place.x + gap if anchor == "start" else place.x - gap - width
        return (left, place.y - half, left + width, place.y + half)

    def fits(b) -> bool:
        return (b[0] >= 0 and b[2] <= frame.width and b[1] >= 0 and b[3] <= frame.height
                and not any(_overlap(b, other) for other in taken)
                and not any(b[0] - POINT_RADIUS < x < b[2] + POINT_RADIUS
                            and b[1] - POINT_RADIUS < y < b[3] + POINT_RADIUS
                            for x, y in points if (x, y) != (place.x, place.y)))

    anchor = next((a for a in ("start", "end") if fits(box(a))), None)
    if anchor is None and force:
        anchor = "start" if place.x < frame.width / 2 else "end"
    if anchor is None:
        return False
    place.anchor = anchor
    place.label_x = round(place.x + gap if anchor == "start" else place.x - gap, 1)
    place.label_y = round(place.y + LABEL_SIZE / 3, 1)
    taken.append(box(anchor))
    return True


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) on a sphere of the Earth's mean radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))
