"""The workbench in Chromium on the world's twin towns: how long a large
answer (every member of every partnership, about 49,000 rows) takes to show
once the server has answered: reading the JSON, and drawing the first rows of
the table. The page records the figures itself (window.partnergraphWorkbench
.timings); the server's time, from the request to the last byte, is the
baseline of the same run. Prints; writes nothing.

    python bench/workbench_bench.py --store /tmp/world-store

Needs Debian's chromium and a store holding the Wikipedia twin towns (see
tables_bench.py).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from urllib.parse import quote

from embed_bench import start_server

QUERY = "SELECT ?partnership ?member WHERE { ?partnership a pg:Partnership ; org:hasMember ?member }"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--times", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    process, port = start_server("", store=args.store)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            figures = []
            for _ in range(args.times + 1):
                page.goto(f"http://127.0.0.1:{port}/query?lang=en&query={quote(QUERY)}")
                page.wait_for_selector(".wb.wb-is-done", timeout=120000)
                rows = page.locator(".wb-status").get_attribute("data-rows")
                figures.append(page.evaluate("() => window.partnergraphWorkbench.timings"))
            browser.close()
    finally:
        process.terminate()
        process.wait(15)
    figures = figures[1:]   # the first run opens the store's snapshot
    server = statistics.median(f["server"] for f in figures)
    shown = statistics.median(f["parse"] + f["table"] for f in figures)
    print(f"{rows} rows: the server's answer in {server:.0f} ms; then read and first rows "
          f"drawn in {shown:.0f} ms ({shown / server:.2f}× the server's time), "
          f"median of {len(figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
