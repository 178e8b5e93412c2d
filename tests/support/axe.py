"""axe-core, the accessibility engine, for browser tests: its script comes
from the npm registry (the package `axe-core`, fetched once with `npm pack`
into a cache folder by tests/run.sh, or by `python -m tests.support.axe`) and
is run inside the page under test by Playwright; no page loads it from
anywhere.

`violations(page)` runs it on the page as it is and gives every violation,
whatever its impact, as "rule (impact): where" lines, so that a failing test
says what to fix."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest

VERSION = "4.10.2"
CACHE = Path(os.environ.get("PARTNERGRAPH_AXE_DIR",
                            Path.home() / ".cache" / "partnergraph" / f"axe-core-{VERSION}"))
SCRIPT = CACHE / "axe.min.js"


def fetch() -> Path:
    """axe.min.js of VERSION from the npm registry into CACHE (once)."""
    if SCRIPT.exists():
        return SCRIPT
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("Fetching axe-core needs npm (apt-get install npm); tests/run.sh installs it.")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([npm, "pack", f"axe-core@{VERSION}", "--silent"], cwd=folder, check=True,
                       stdout=subprocess.DEVNULL)
        with tarfile.open(Path(folder) / f"axe-core-{VERSION}.tgz") as packed:
            member = packed.extractfile("package/axe.min.js")
            assert member is not None
            CACHE.mkdir(parents=True, exist_ok=True)
            SCRIPT.write_bytes(member.read())
    return SCRIPT


def source() -> str:
    if not SCRIPT.exists():
        try:
            fetch()
        except (RuntimeError, subprocess.CalledProcessError) as problem:
            pytest.fail(f"axe-core {VERSION} is not in {CACHE} and could not be fetched ({problem}). "
                        "Run tests/run.sh, or `python -m tests.support.axe`.", pytrace=False)
    return SCRIPT.read_text(encoding="utf-8")


def violations(page, exclude: list[str] | None = None) -> list[str]:
    """Every axe-core violation on the page (WCAG 2.x A and AA and best
    practice), one line each; `exclude`: CSS selectors of parts left out."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the page's own policy allows
        # only its own scripts, and this one is the test's.
        page.evaluate(source())
    found = page.evaluate("""async (exclude) => {
        const context = exclude.length ? {exclude: exclude.map(s => [s])} : document;
        const result = await axe.run(context, {resultTypes: ['violations']});
        return result.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
            v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
    }""", exclude or [])
    return list(found)


if __name__ == "__main__":
    print(fetch())
    sys.exit(0)
