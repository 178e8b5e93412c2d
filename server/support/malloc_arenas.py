"""Fewer malloc arenas for the web process.

glibc's malloc gives each thread that allocates while others live an arena
of its own, up to eight per core, and keeps what is freed in each for reuse
by that arena only. The web process runs sixteen request threads, each building
views and parsing query answers of a few megabytes: at 1 M triples its
resident memory grew by 145 MB over 100 different network views, nearly all
of it freed memory held in per-thread arenas, against 29 MB with two arenas
(bench/RESULTS.md). The requests spend their time in the store and in
Python under the interpreter's lock, so two arenas cost them nothing
measurable."""
from __future__ import annotations

import ctypes
import ctypes.util

# mallopt's parameter number for the most arenas (glibc's malloc.h).
M_ARENA_MAX = -8
ARENAS = 2


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap the process's malloc arenas; True where the C library took it
    (glibc), False elsewhere (musl, macOS), where nothing changes. Call it
    before the threads start: an arena once made is kept."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(M_ARENA_MAX, arenas))
