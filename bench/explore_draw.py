"""The network views as a visitor sees them: how long Chromium takes from
opening /explore to the drawing being ready (the layout settled and the
labels placed), for each level from the world to one partnership, warm and
right after a write.

    python bench/explore_draw.py --store PATH [--quick] [--width 1280]

Runs `partnergraph serve` (the service as it runs) on a copy of the store
and waits until its start-up builds are done. The views: the default one,
the world, one country, a pair of countries, a municipality, the
municipality with the most partnerships and one partnership. For each, the
time from the start of the navigation to the drawing's "ready" mark, read
in the page (performance.now() when the mark appears); the baseline is the
same page's own HTML being read (DOMContentLoaded), in the same visit. After
one written triple every view is opened once more (its first visit since the
write, nothing cached), then three times warm (the median).
Writes its section of bench/RESULTS.md (not with --quick, which prints only).
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from explore import settle
from pages import HUB, MUNICIPALITY, PARTNERSHIP, replace_section, scale, select_one, start, write

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO)]

from tests.support.browser import CHROMIUM_FLAGS  # noqa: E402

BASE = "https://w3id.org/partnergraph/id/"
# When the drawing's ready mark appears, and when the HTML was read, in ms
# since the navigation started.
MARK = """
window.__drawnAt = null;
new MutationObserver(function (_, observer) {
  if (document.querySelector('.net-is-ready')) {
    window.__drawnAt = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['class']});
"""


def views(port: int) -> dict[str, str]:
    municipality = BASE + MUNICIPALITY
    hub = select_one(port, HUB)
    partnership = select_one(port, PARTNERSHIP % municipality)
    return {
        "default": "/explore",
        "world": "/explore?view=world",
        "country (SE)": "/explore?view=country&country=SE",
        "pair (DE–SE)": "/explore?view=pair&a=DE&b=SE",
        "municipality": "/explore?focus=" + quote(municipality),
        "hub": "/explore?focus=" + quote(hub),
        "partnership": "/explore?focus=" + quote(partnership),
    }


def drawn(page, url: str) -> tuple[float, float, int]:
    """(ms to the drawing, ms to the HTML, nodes drawn) for one visit."""
    page.goto(url)
    page.wait_for_function("() => window.__drawnAt !== null", timeout=120_000)
    shown, html = page.evaluate("""() => [window.__drawnAt,
        performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd]""")
    nodes = page.evaluate("() => window.partnergraphNetwork.nodes.length")
    return shown, html, nodes


def run(store: str, width: int, lang: str) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(store, os.path.join(folder, "store"))
        process, port = start(folder, "background")
        try:
            settled = settle(port)
            paths = views(port)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_FLAGS)
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.add_init_script(MARK)
                root = f"http://127.0.0.1:{port}"
                # The browser's own first start (its caches, vis-network's
                # script read once) is not any view's.
                drawn(page, f"{root}/explore?view=world&lang={lang}")
                write(port, 1)
                out: dict[str, dict] = {}
                for name, path in paths.items():
                    url = f"{root}{path}{'&' if '?' in path else '?'}lang={lang}"
                    first = drawn(page, url)
                    warm = [drawn(page, url) for _ in range(3)]
                    out[name] = {"first": first, "warm_ms": statistics.median(w[0] for w in warm),
                                 "warm_html_ms": statistics.median(w[1] for w in warm),
                                 "nodes": warm[-1][2], "path": path}
                browser.close()
            triples = int(select_one(port, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        finally:
            process.terminate()
            process.wait(30)
    return {"views": out, "triples": triples, "settled": settled, "width": width, "lang": lang}


def report(r: dict, store: str) -> list[str]:
    lines = [
        f"## Network views in Chromium: drawn after the page opens ({scale(r['triples'])})", "",
        f"Written by `python bench/explore_draw.py --store {store} --width {r['width']}` on "
        f"{datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}: {r['triples']:,} triples, `partnergraph serve` as it "
        f"runs (its start-up builds done, {r['settled']:.0f} s), Chromium at {r['width']} px, pages "
        f"in {'Swedish' if r['lang'] == 'sv' else 'English'}. Each figure runs from the start of the "
        "navigation to the drawing's ready mark (laid out, labels placed); in brackets the same "
        "visit's HTML read (DOMContentLoaded), the baseline. First after a write: each view's "
        "first visit after one written triple; warm: the median of the next three.", "",
        "| view | nodes | first after a write | warm |", "|---|--:|--:|--:|",
    ]
    for name, v in r["views"].items():
        shown, html, _ = v["first"]
        lines.append(f"| {name} | {v['nodes']} | {shown:.0f} ms ({html:.0f}; "
                     f"{shown / html:.1f}x) | {v['warm_ms']:.0f} ms ({v['warm_html_ms']:.0f}; "
                     f"{v['warm_ms'] / v['warm_html_ms']:.1f}x) |")
    slowest_first = max(v["first"][0] for v in r["views"].values())
    slowest_warm = max(v["warm_ms"] for v in r["views"].values())
    lines += ["", f"Slowest: {slowest_first / 1000:.2f} s first after a write (target: under 2 s), "
              f"{slowest_warm / 1000:.2f} s warm (target: under 1 s).", ""]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="the store folder to copy and serve")
    parser.add_argument("--width", type=int, default=1280, help="the window's width in px")
    parser.add_argument("--lang", choices=("en", "sv"), default="en")
    parser.add_argument("--quick", action="store_true", help="print only")
    args = parser.parse_args(argv)
    lines = report(run(args.store, args.width, args.lang), args.store)
    print("\n".join(lines))
    if not args.quick:
        replace_section(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
