"""Write data/world/land-110m.json: the outlines of the world's land as rings of
[longitude, latitude] pairs, for the partner maps. The source is Natural Earth's
1:110m land (public domain) as TopoJSON in the npm package world-atlas 2.0.2.

    python tools/build_world.py                      # fetch the package with `npm pack`
    python tools/build_world.py world-atlas-2.0.2.tgz
    python tools/build_world.py path/to/land-110m.json
    python tools/build_world.py --check [SOURCE]     # exit 1 if the file is out of date

The output depends only on the source file, which is pinned by its SHA-256: any
other input is refused, so a rebuild gives the same bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "data" / "world" / "land-110m.json"
PACKAGE = "world-atlas@2.0.2"
MEMBER = "package/land-110m.json"
SOURCE_SHA256 = "ead5f68119c49a9250902e7da303bcb209341bbb8fefe7369a439b48b704658a"
# Hundredths of a degree (about a kilometre) are finer than the 1:110m data itself.
DIGITS = 2


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as absolute [lon, lat] points (undoing quantisation
    and delta encoding when the topology has a transform)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    """One closed ring from arc indices; ~i is arc i walked backwards, and each
    arc after the first starts where the last one ended."""
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def rings(topology: dict, name: str = "land") -> list[list[tuple[float, float]]]:
    """Every ring (outer and hole) of the named object's polygons."""
    arcs = decode_arcs(topology)

    def polygons(geometry: dict):
        if geometry["type"] == "GeometryCollection":
            for child in geometry["geometries"]:
                yield from polygons(child)
        elif geometry["type"] == "Polygon":
            yield geometry["arcs"]
        elif geometry["type"] == "MultiPolygon":
            yield from geometry["arcs"]

    return [ring(arcs, indices) for polygon in polygons(topology["objects"][name])
            for indices in polygon]


def split_at_antimeridian(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses longitude ±180 as pieces that each stay on one side,
    closed along the meridian (or, for a ring around a pole, through the pole),
    so that every ring can be drawn on a flat map without a stroke across it."""
    open_ring = points[:-1] if points[0] == points[-1] else points
    n = len(open_ring)
    crossings = [i for i in range(n)
                 if abs(open_ring[i][0] - open_ring[(i + 1) % n][0]) > 180]
    if not crossings:
        return [points]
    start = crossings[0] + 1
    order = [open_ring[(start + k) % n] for k in range(n)]
    first = _on_meridian(open_ring[crossings[0]], open_ring[start % n])[1]
    pieces, piece = [], [first]
    for k, point in enumerate(order):
        piece.append(point)
        following = order[(k + 1) % n]
        if abs(point[0] - following[0]) > 180:
            leave, enter = _on_meridian(point, following)
            piece.append(leave)
            pieces.append(piece)
            piece = [enter]
    if len(crossings) == 1:
        # The ring goes round a pole: the one piece is closed along the map's edge.
        (piece,) = pieces
        pole = -90.0 if sum(lat for _, lat in piece) < 0 else 90.0
        piece += [(piece[-1][0], pole), (piece[0][0], pole)]
    return [p + [p[0]] for p in pieces]


def _on_meridian(a: tuple[float, float], b: tuple[float, float]):
    """Where the segment a-b crosses ±180: as a point on a's side and on b's."""
    side = 180.0 if a[0] > 0 else -180.0
    b_lon = b[0] + (360.0 if side > 0 else -360.0)
    span = b_lon - a[0]
    lat = a[1] if span == 0 else a[1] + (side - a[0]) / span * (b[1] - a[1])
    return (side, lat), (-side, lat)


def rounded(points: list[tuple[float, float]]) -> list[list[float]]:
    """Points rounded to DIGITS, without the repeats that rounding makes."""
    result: list[list[float]] = []
    for lon, lat in points:
        point = [round(lon, DIGITS), round(lat, DIGITS)]
        if not result or point != result[-1]:
            result.append(point)
    return result


def build(source: bytes) -> str:
    """The output file's text from the bytes of land-110m.json."""
    digest = hashlib.sha256(source).hexdigest()
    if digest != SOURCE_SHA256:
        raise SystemExit(f"land-110m.json has SHA-256 {digest}, not the pinned {SOURCE_SHA256} "
                         f"of {PACKAGE}")
    pieces = [piece for r in rings(json.loads(source)) for piece in split_at_antimeridian(r)]
    kept = [r for r in (rounded(piece) for piece in pieces) if len(r) >= 4]
    head = {
        "source": f"Natural Earth 1:110m land, version 4.1.0, from the npm package {PACKAGE} "
                  f"({MEMBER.split('/')[-1]}, SHA-256 {SOURCE_SHA256})",
        "licence": "Natural Earth data: public domain. world-atlas package: ISC.",
        "generator": "tools/build_world.py",
        "coordinates": "rings of [longitude, latitude] in degrees (WGS84), cut at longitude 180 "
                       "so that none crosses it; holes are rings too",
    }
    lines = [json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "rings": [']
    lines += [json.dumps(r, separators=(",", ":")) + "," for r in kept]
    lines[-1] = lines[-1].rstrip(",")
    lines.append("]}")
    return "\n".join(lines) + "\n"


def read_source(given: str | None) -> bytes:
    if given and given.endswith(".json"):
        return Path(given).read_bytes()
    if given:
        return _from_tarball(Path(given))
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["npm", "pack", PACKAGE], cwd=folder, check=True,
                       stdout=subprocess.DEVNULL)
        return _from_tarball(next(Path(folder).glob("*.tgz")))


def _from_tarball(path: Path) -> bytes:
    with tarfile.open(path) as tar:
        return tar.extractfile(MEMBER).read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?",
                        help=f"{PACKAGE}'s .tgz or its land-110m.json (default: npm pack)")
    parser.add_argument("--check", action="store_true",
                        help="compare with the file on disk instead of writing it")
    args = parser.parse_args(argv)
    text = build(read_source(args.source))
    if args.check:
        if not OUTPUT.is_file() or OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is out of date: run python tools/build_world.py", file=sys.stderr)
            return 1
        print(f"{OUTPUT} is up to date.")
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(json.loads(text)['rings'])} rings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
