"""The folder beside an embedded store that holds graph contents as
compressed N-Triples files: the earlier versions of graphs (kept so that an
import can be undone) and the new content of a write that is being finished.

Kept out of the store itself so that readers never pay for them: a reader
works on a copy of the store, and a copy that held every earlier version of
every graph would cost as much to make as the versions weigh.

A file is written under a temporary name, flushed to disk and then renamed,
so that a file with its final name is always whole."""
from __future__ import annotations

import gzip
import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

_PARTIAL = ".partial-"
# Version ids and run ids are made by the project (history, embedded);
# anything else in a name is refused rather than put in a path.
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,200}")


class VersionFiles:
    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, name: str) -> Path:
        if not _NAME.fullmatch(name) or name.startswith("."):
            raise ValueError(f"{name!r} is no name for a file of graph content.")
        return self.folder / f"{name}.nt.gz"

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def writer(self, name: str) -> ContentWriter:
        """A binary file to write N-Triples to; it appears as `name` once
        closed (written whole), and not at all if aborted."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return ContentWriter(self.folder / f"{_PARTIAL}{uuid.uuid4().hex}", self.path(name))

    @contextmanager
    def writing(self, name: str) -> Iterator[BinaryIO]:
        """`writer` for a `with` block: closed at its end, aborted if it raises."""
        out = self.writer(name)
        try:
            yield out  # type: ignore[misc]  # a ContentWriter writes as a binary file does
        except BaseException:
            out.abort()
            raise
        out.close()

    def opener(self, name: str) -> Callable[[], BinaryIO]:
        path = self.path(name)
        return lambda: gzip.open(path, "rb")  # type: ignore[return-value]  # binary mode

    def size(self, name: str) -> int:
        return self.path(name).stat().st_size

    def link(self, source: str, name: str) -> None:
        """`name` as a second name of the file `source` (no copy)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        os.link(self.path(source), self.path(name))

    def remove(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    def clean(self, keep: set[str]) -> None:
        """Remove the files of names not in `keep`, and those a crash left
        half written."""
        if not self.folder.is_dir():
            return
        wanted = {self.path(name).name for name in keep}
        for entry in self.folder.iterdir():
            if entry.name.startswith(_PARTIAL) or (entry.name.endswith(".nt.gz")
                                                   and entry.name not in wanted):
                entry.unlink(missing_ok=True)
        if not any(self.folder.iterdir()):
            self.folder.rmdir()


class ContentWriter:
    """Writes compressed to a temporary file, renamed to its name when closed."""

    def __init__(self, partial: Path, final: Path):
        self.partial, self.final = partial, final
        self._raw = partial.open("wb")
        # Level 1: a tenth of the size for a tenth of level 9's time.
        self._out = gzip.GzipFile(fileobj=self._raw, mode="wb", compresslevel=1, mtime=0)

    def write(self, data) -> int:
        return self._out.write(data)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        self._out.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        self.partial.rename(self.final)

    def abort(self) -> None:
        self._out.close()
        self._raw.close()
        self.partial.unlink(missing_ok=True)
