"""The web process keeps freed memory in few malloc arenas: with sixteen
request threads each would otherwise hold an arena of its own, and the
process grew by 145 MB over 100 network views at 1 M triples."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support.processes import free_port, partnergraph_command, subprocess_env, wait_for_http

# Twelve threads alive at once, each allocating: glibc gives each an arena
# of its own unless capped. malloc_info writes one <heap> element per arena.
_HEAPS = textwrap.dedent("""
    import ctypes, ctypes.util, sys, tempfile, threading
    from server.support.malloc_arenas import limit_malloc_arenas
    if sys.argv[1] == "capped":
        assert limit_malloc_arenas()
    kept, start_line = [], threading.Barrier(12)
    def allocate():
        kept.append([bytearray(2000) for _ in range(200)])
        start_line.wait()
    threads = [threading.Thread(target=allocate) for _ in range(12)]
    for t in threads: t.start()
    for t in threads: t.join()
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    with tempfile.NamedTemporaryFile(suffix=".xml") as out:
        stream = libc.fopen(out.name.encode(), b"w")
        libc.malloc_info(0, stream)
        libc.fclose(stream)
        print(open(out.name).read().count("<heap nr="))
""")


def heaps(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", _HEAPS, mode], env=subprocess_env(),
                          capture_output=True, text=True, timeout=60, check=True)
    return int(done.stdout.strip())


def test_threads_share_two_malloc_arenas_once_capped():
    assert heaps("free") > 2  # what the cap prevents
    assert heaps("capped") <= 2


def heaps_of(pid: int) -> int:
    """The arenas besides the main one that process `pid` has: glibc maps
    each as 64 MiB aligned to 64 MiB, the part in use read-write and the
    rest reserved."""
    rows = []
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        fields = line.split()
        low, high = (int(x, 16) for x in fields[0].split("-"))
        rows.append((low, high, fields[1], len(fields) > 5))
    found = 0
    for i, (low, high, mode, named) in enumerate(rows):
        if named or mode != "rw-p" or low % _HEAP:
            continue
        after = rows[i + 1] if i + 1 < len(rows) else None
        end = after[1] if after and after[0] == high and after[2] == "---p" and not after[3] else high
        found += end - low == _HEAP
    return found


_HEAP = 64 << 20


def web_process(serve: int) -> int:
    """The process that answers requests: the one child of `partnergraph
    serve` (the HTTP server's worker; the query workers are its children)."""
    found = [int(child) for path in Path(f"/proc/{serve}/task").glob("*/children")
             for child in path.read_text().split()]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.slow
def test_the_service_under_many_requests_at_once_keeps_two_arenas(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [*partnergraph_command(), "serve", "--port", str(port)],
        env=subprocess_env(PARTNERGRAPH_STORE=str(tmp_path / "store"), PARTNERGRAPH_DERIVED="wait"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", process, timeout=60)
        paths = ["/api/network?view=world", "/explore?lang=sv", "/search?q=Borl%C3%A4nge",
                 "/partnergraph/id/municipality/se/borlange?lang=en"] * 8

        def fetch(path: str) -> int:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as answer:
                answer.read()
                return answer.status

        with ThreadPoolExecutor(16) as pool:
            assert set(pool.map(fetch, paths)) == {200}
        assert heaps_of(web_process(process.pid)) <= 1
    finally:
        process.terminate()
        process.wait(timeout=30)
