"""Write data/reference/alphabets.json: the letters of each country's official
languages, so that names are compared the way the country writes them
(graph/ingest/place_names.py). In Swedish, German, Turkish and many other
alphabets å ä ö ü ş ... are letters of their own, not accented forms of a o u s:
Håbo and Habo, Lohne and Löhne are different places.

The source is the Unicode Common Locale Data Repository (CLDR) 48.2, from the
npm packages cldr-misc-full (each language's exemplar characters: the letters
of its alphabet) and cldr-core (territoryInfo: the official languages of each
territory), pinned by their SHA-256.

    python tools/build_alphabets.py                     # fetch both with `npm pack`
    python tools/build_alphabets.py MISC.tgz CORE.tgz
    python tools/build_alphabets.py --check [MISC.tgz CORE.tgz]   # exit 1 if out of date
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "data" / "reference" / "alphabets.json"
VERSION = "48.2.0"
PACKAGES = {
    "misc": (f"cldr-misc-full@{VERSION}",
             "c6ba8384d7ea8701cf86935db0461379231ddd970cc41c249f4a33b9857ded3c"),
    "core": (f"cldr-core@{VERSION}",
             "5310e0c7a06c1feb83dc8e54c8584bbe0b9c2ea8320172a18d541986b124585d"),
}
# Languages a territory gives official standing, nationally or in a region:
# a place name there may be written in any of them.
OFFICIAL = ("official", "de_facto_official", "official_regional")


def letters(exemplars: str) -> str:
    """The single letters of a CLDR exemplar set such as "[aà b c {ch} å]",
    lower case, sorted; sequences in braces are made of letters listed anyway."""
    inner = re.sub(r"\{[^}]*\}", " ", exemplars.strip().removeprefix("[").removesuffix("]"))
    found = {ch.lower() for ch in inner if not ch.isspace() and ch not in "\\-"}
    return "".join(sorted(found))


def build(misc: tarfile.TarFile, core: tarfile.TarFile) -> dict:
    def load(archive: tarfile.TarFile, member: str) -> dict | None:
        try:
            handle = archive.extractfile(member)
        except KeyError:
            return None
        return json.load(handle) if handle else None

    territories = load(core, "package/supplemental/territoryInfo.json")
    assert territories is not None
    countries: dict[str, list[str]] = {}
    languages: dict[str, str] = {}
    for code, info in sorted(territories["supplemental"]["territoryInfo"].items()):
        if not re.fullmatch(r"[A-Z]{2}", code):
            continue
        spoken = []
        for language, facts in sorted(info.get("languagePopulation", {}).items()):
            if facts.get("_officialStatus") not in OFFICIAL:
                continue
            locale = language.replace("_", "-")
            if locale not in languages:
                data = load(misc, f"package/main/{locale}/characters.json")
                if data is None:
                    continue
                languages[locale] = letters(data["main"][locale]["characters"]["exemplarCharacters"])
            spoken.append(locale)
        if spoken:
            countries[code] = spoken
    return {
        "source": f"Unicode CLDR {VERSION}: exemplar characters (cldr-misc-full) and the "
                  "official languages of territories (cldr-core territoryInfo)",
        "licence": "https://www.unicode.org/license.txt",
        "countries": countries,
        "languages": dict(sorted(languages.items())),
    }


def fetch(folder: Path) -> list[Path]:
    paths = []
    for package, _ in PACKAGES.values():
        done = subprocess.run(["npm", "pack", package, "--silent"], cwd=folder,
                              capture_output=True, text=True, check=True)
        paths.append(folder / done.stdout.strip().splitlines()[-1])
    return paths


def checked(path: Path, sha256: str) -> tarfile.TarFile:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{path}: SHA-256 {digest} is not the pinned {sha256}")
    return tarfile.open(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", help="the two .tgz files, misc then core")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        sources = [Path(s) for s in args.sources] or fetch(Path(folder))
        misc, core = (checked(path, sha) for path, (_, sha) in zip(sources, PACKAGES.values()))
        text = json.dumps(build(misc, core), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    if args.check:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is out of date: run python tools/build_alphabets.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
