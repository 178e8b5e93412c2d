"""The land outlines under the partner maps: what tools/build_world.py makes of
world-atlas's TopoJSON, and the committed file it made. The package is not
fetched here (tests have no network): the tool pins its source by SHA-256, and
`python tools/build_world.py --check` compares a rebuild with the file."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAND = ROOT / "data" / "world" / "land-110m.json"


def load_tool():
    spec = importlib.util.spec_from_file_location("build_world", ROOT / "tools" / "build_world.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_topojson_arcs_are_dequantised_joined_and_reversed():
    tool = load_tool()
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [-10, 40]},
        "arcs": [[[0, 0], [4, 0], [0, 8]],         # (-10,40) (-8,40) (-8,42)
                 [[0, 0], [0, 8], [4, 0]]],         # (-10,40) (-10,42) (-8,42)
        "objects": {"land": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, ~1]]},
            {"type": "MultiPolygon", "arcs": [[[1]]]}]}},
    }
    square, single = tool.rings(topology)
    assert square == [(-10, 40), (-8, 40), (-8, 42), (-10, 42), (-10, 40)]
    assert single == [(-10, 40), (-10, 42), (-8, 42)]


def test_a_ring_across_the_antimeridian_becomes_one_piece_each_side():
    tool = load_tool()
    fiji_like = [(178.0, -16.0), (179.5, -16.5), (-179.5, -17.0), (-179.0, -16.0),
                 (179.0, -15.5), (178.0, -16.0)]
    pieces = tool.split_at_antimeridian(fiji_like)
    assert len(pieces) == 2
    for piece in pieces:
        assert piece[0] == piece[-1]
        lons = [lon for lon, _ in piece]
        assert min(lons) >= 0 or max(lons) <= 0
        assert 180.0 in map(abs, lons)


def test_a_ring_round_the_pole_is_closed_along_the_map_edge():
    tool = load_tool()
    around = [(-180.0, -70.0), (-60.0, -75.0), (60.0, -72.0), (179.0, -71.0), (-180.0, -70.0)]
    (piece,) = tool.split_at_antimeridian(around)
    assert (180.0, -90.0) in piece and (-180.0, -90.0) in piece


def test_the_tool_refuses_a_source_other_than_the_pinned_one():
    tool = load_tool()
    with pytest.raises(SystemExit):
        tool.build(json.dumps({"type": "Topology", "arcs": [], "objects": {
            "land": {"type": "GeometryCollection", "geometries": []}}}).encode())


def test_the_committed_outlines_are_drawable_rings_with_their_source_named():
    data = json.loads(LAND.read_text(encoding="utf-8"))
    tool = load_tool()
    assert tool.SOURCE_SHA256 in data["source"] and "world-atlas@2.0.2" in data["source"]
    assert "public domain" in data["licence"]
    rings = data["rings"]
    assert 100 < len(rings) < 200
    assert sum(len(r) for r in rings) > 4000
    for ring in rings:
        assert ring[0] == ring[-1] and len(ring) >= 4
        for lon, lat in ring:
            assert -180 <= lon <= 180 and -90 <= lat <= 90
        # No stroke across the map: consecutive points stay on one side of 180°,
        # except along the map's bottom edge where a ring round the pole closes.
        for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:]):
            assert abs(lon2 - lon1) <= 180 or lat1 == lat2 == -90
