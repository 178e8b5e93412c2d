"""YASGUI (the SPARQL editor many endpoints offer) for the browser tests: its
built bundle, fetched once from the npm registry with `npm pack` into a cache
folder, never from a CDN and not kept in the repository (a megabyte of
minified script).

`python -m tests.support.yasgui` fetches it (tests/run.sh does, after
installing Debian's npm when missing); a test asking for it fetches it too when
the cache is empty. PARTNERGRAPH_TEST_CACHE moves the cache (default
~/.cache/partnergraph)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@zazuko/yasgui"
VERSION = "4.6.2"
FILES = ("yasgui.min.js", "yasgui.min.css")


def cache_folder() -> Path:
    root = os.environ.get("PARTNERGRAPH_TEST_CACHE") or Path.home() / ".cache" / "partnergraph"
    return Path(root) / f"yasgui-{VERSION}"


def bundle() -> Path:
    """The folder holding yasgui.min.js and yasgui.min.css, fetched if missing."""
    folder = cache_folder()
    if all((folder / name).is_file() for name in FILES):
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("The YASGUI test needs npm to fetch YASGUI from the npm registry "
                           "(apt-get install npm); tests/run.sh installs it.")
    with tempfile.TemporaryDirectory() as tmp:
        # npm checks the tarball against the registry's integrity hash.
        done = subprocess.run([npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", tmp],
                              capture_output=True, text=True, cwd=tmp)
        if done.returncode != 0:
            raise RuntimeError(f"npm pack {PACKAGE}@{VERSION} failed:\n{done.stderr}")
        tarball = next(Path(tmp).glob("*.tgz"))
        staged = Path(tmp) / "staged"
        staged.mkdir()
        with tarfile.open(tarball) as archive:
            for name in FILES:
                source = archive.extractfile(f"package/build/{name}")
                if source is None:
                    raise RuntimeError(f"{tarball.name} holds no build/{name}")
                (staged / name).write_bytes(source.read())
        folder.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.move(str(staged), folder)
    return folder


if __name__ == "__main__":
    print(f"YASGUI {VERSION} in {bundle()}", file=sys.stderr)
