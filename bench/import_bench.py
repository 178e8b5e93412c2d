"""A big spreadsheet imported, undone, and the store asked for its stats
before, between and after, each as a `partnergraph` command on a store of
its own: time, CPU and peak memory, as ratios against baselines measured in
the same run. Writes its section of bench/RESULTS.md and a JSON file (not
with --quick).

    python bench/import_bench.py [--rows 107451] [--quick] [--json OUT]

The sheet comes from bench/partnerships_csv.py (real names, about 470 bytes
a row: 107,451 rows are some 50 MB). The steps, each a command on the store:

1. `stats` on a new store (the bundled data): the baseline for every stats;
2. `import SHEET --graph G`, then `stats`;
3. `export --graph G` of what the import wrote, as N-Quads, and on a second
   new store `load` of that file, then `stats`: the same triples the plain
   way, the baseline for the import, and for stats on that much data;
4. `restore G` (the undo), then `stats`, which must be as quick as before.

Each command runs alone and is measured by the operating system (wait4):
wall time, CPU time (user and system, all threads) and peak resident
memory. Stats runs three times at each point; the table gives the median.
Ratios are against the baseline named in the row: the command measured in
the same run, on this machine, so that they mean more than the seconds.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO)]

import partnerships_csv  # noqa: E402

RESULTS = HERE / "RESULTS.md"
SECTION = "# Imports and undo of a big spreadsheet"
GRAPH = "https://w3id.org/partnergraph/id/graph/register"
# What the issue asks of a 100,000-row sheet on this machine.
TARGET_SECONDS, TARGET_MB = 120, 1024
# The same commands on the same 107,451-row sheet before imports streamed
# (commit bf617bf, this machine, 2026-12-01, under the load of other work):
# wall s, CPU s, peak MB.
BEFORE = {
    "stats before": (2.4, 0.9, 88),
    "import": (1090.8, 507.3, 4939),
    "stats after import": (32.3, 11.4, 138),
    "undo": (1598.3, 539.6, 2519),
    "stats after undo": (357.3, 231.1, 1866),
}


@dataclass
class Figures:
    """One command: seconds of wall time, seconds of CPU, peak memory in MB."""
    wall: float
    cpu: float
    peak_mb: float


def run(args: list[str], store: Path) -> tuple[Figures, str]:
    """`partnergraph ARGS` on `store`, measured; its output."""
    env = dict(os.environ, PARTNERGRAPH_STORE=str(store),
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "server.cli", *args], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # Read as it comes, so that a long report never fills the pipe.
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    text = output.decode("utf-8", errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"partnergraph {' '.join(args)} failed ({process.returncode}):\n{text[-3000:]}")
    return Figures(round(wall, 2), round(usage.ru_utime + usage.ru_stime, 2),
                   round(usage.ru_maxrss / 1024, 1)), text


def stats(store: Path, times: int = 3) -> Figures:
    """The median of `times` runs of `partnergraph stats`, each measure apart."""
    runs = [run(["stats"], store)[0] for _ in range(times)]
    return Figures(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
                   statistics.median(r.peak_mb for r in runs))


def size_mb(path: Path) -> float:
    if not path.exists():
        return 0.0
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def measure(rows: int, folder: Path) -> dict:
    sheet = folder / "register.csv"
    with sheet.open("w", encoding="utf-8", newline="") as out:
        partnerships_csv.write(out, rows)
    store, plain = folder / "store", folder / "plain"
    run(["stats"], store)               # a new store is filled with the bundled data first
    run(["stats"], plain)
    figures: dict[str, Figures] = {"stats before": stats(store)}
    figures["import"], report = run(["import", str(sheet), "--graph", GRAPH, "--no-progress"], store)
    written = next(line for line in report.splitlines() if line.startswith("Written:"))
    figures["stats after import"] = stats(store)
    exported = folder / "register.nq"
    run(["export", "--graph", GRAPH, "-o", str(exported)], store)
    figures["plain load"], _ = run(["load", str(exported), "--no-progress"], plain)
    figures["stats, plain load"] = stats(plain)
    kept_before = size_mb(folder / "store.history")
    figures["undo"], _ = run(["restore", GRAPH, "--no-progress"], store)
    figures["stats after undo"] = stats(store)
    return {
        "rows": rows,
        "sheet_mb": round(sheet.stat().st_size / 1e6, 1),
        "written": written,
        "triples": sum(1 for _ in exported.open("rb")),
        "figures": {name: asdict(f) for name, f in figures.items()},
        "ratios": {
            "import_wall_vs_plain_load": ratio(figures["import"].wall, figures["plain load"].wall),
            "import_peak_vs_plain_load": ratio(figures["import"].peak_mb, figures["plain load"].peak_mb),
            "undo_wall_vs_plain_load": ratio(figures["undo"].wall, figures["plain load"].wall),
            "stats_after_import_vs_before": ratio(figures["stats after import"].wall,
                                                  figures["stats before"].wall),
            "stats_after_import_vs_plain_load": ratio(figures["stats after import"].wall,
                                                      figures["stats, plain load"].wall),
            "stats_after_undo_vs_before": ratio(figures["stats after undo"].wall,
                                                figures["stats before"].wall),
        },
        "beside_the_store_mb": {
            "snapshots": size_mb(folder / "store.snapshots"),
            "kept versions before the undo": kept_before,
            "kept versions after the undo": size_mb(folder / "store.history"),
            "store after the undo": size_mb(store),
        },
        "machine": machine(),
    }


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


def machine() -> dict:
    load = os.getloadavg()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpus": os.cpu_count(), "cpu": cpu, "system": platform.platform(),
            "python": platform.python_version(), "load_average_at_end": [round(x, 2) for x in load],
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")}


def section(result: dict) -> str:
    f, r, m = result["figures"], result["ratios"], result["machine"]

    def row(name: str, baseline: str | None, note: str = "") -> str:
        x = f[name]
        versus = (f"{baseline}: {x['wall'] / f[baseline]['wall']:.2f}× the time, "
                  f"{x['peak_mb'] / f[baseline]['peak_mb']:.2f}× the memory" if baseline else "the baseline")
        return f"| {name} | {x['wall']:.1f} | {x['cpu']:.1f} | {x['peak_mb']:.0f} | {versus}{note} |"

    def met(name: str) -> str:
        return "met" if f[name]["wall"] < TARGET_SECONDS and f[name]["peak_mb"] < TARGET_MB else "not met"

    target = f"{met('import')} for the import, {met('undo')} for the undo"
    side = result["beside_the_store_mb"]
    return "\n".join([
        SECTION,
        "",
        f"Run of {m['date']}, written by `python bench/import_bench.py`; bench/README.md explains it.",
        "",
        f"- machine: {m['cpus']} × {m['cpu']}, {m['system']}, Python {m['python']}; "
        f"load average at the end {m['load_average_at_end']} (the machine is shared: wall "
        "times stretch with the load, CPU times much less)",
        f"- sheet: {result['rows']:,} rows, {result['sheet_mb']} MB, from bench/partnerships_csv.py; "
        f"{result['triples']:,} triples written ({result['written']})",
        f"- target: under {TARGET_SECONDS} s and {TARGET_MB} MB each for the import and the undo: {target}",
        "",
        "| command | wall s | CPU s | peak MB | against |",
        "|---|--:|--:|--:|---|",
        row("stats before", None),
        row("import", "plain load"),
        row("plain load", None, " (the same triples as N-Quads, `partnergraph load`, on a new store)"),
        row("stats after import", "stats before"),
        row("stats, plain load", "stats before"),
        row("undo", "plain load"),
        row("stats after undo", "stats before"),
        "",
        "Before imports streamed (the same commands and sheet on this machine, under other work's "
        "load; wall / CPU s / peak MB): "
        + "; ".join(f"{name} {w:.0f} / {c:.0f} / {p:.0f}" for name, (w, c, p) in BEFORE.items())
        + "; and a snapshots folder of 577 MB beside the store.",
        "",
        f"Stats after the import against stats on the plain load's store (the same data): "
        f"{r['stats_after_import_vs_plain_load']:.2f}×. Beside the store after the undo: "
        f"snapshots {side['snapshots']} MB, kept versions {side['kept versions after the undo']} MB "
        f"(the undone import's triples, for undoing the undo); the store {side['store after the undo']} MB.",
        "",
    ])


def write_section(text: str) -> None:
    """Replace this benchmark's section of RESULTS.md (up to the next
    heading: other benchmarks append theirs after it), keeping the others."""
    previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    RESULTS.write_text(replaced_section(previous, text), encoding="utf-8")


def replaced_section(previous: str, text: str) -> str:
    """`previous` with this benchmark's section replaced by `text` (added at the end if absent)."""
    if SECTION not in previous:
        return previous.rstrip("\n") + "\n\n" + text
    start = previous.find(SECTION)
    end = previous.find("\n#", start + len(SECTION))
    after = previous[end + 1:] if end >= 0 else ""
    return previous[:start] + text.rstrip("\n") + "\n" + ("\n" + after if after else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=107_451)
    parser.add_argument("--quick", action="store_true",
                        help="10,000 rows unless --rows says otherwise; prints, writes nothing")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    rows = 10_000 if args.quick and "--rows" not in (argv or sys.argv) else args.rows
    folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        result = measure(rows, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    text = section(result)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if not args.quick:
        write_section(text)
        (HERE / "results" / f"import-{rows // 1000}k.json").write_text(
            json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
