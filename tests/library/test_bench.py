"""The synthetic data generator and the one-command benchmark (bench/run.py)."""
from __future__ import annotations

import collections
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "bench"))

import generate_partnerships as gen  # noqa: E402
import import_bench  # noqa: E402

PG = gen.PG


def _generated(triples: int, seed: int = 1, graph: str | None = None) -> tuple[str, gen.Summary]:
    out = io.StringIO()
    summary = gen.generate(out, triples, seed, graph)
    return out.getvalue(), summary


def test_same_seed_same_bytes_other_seed_other_bytes():
    a, _ = _generated(5000, seed=7)
    b, _ = _generated(5000, seed=7)
    c, _ = _generated(5000, seed=8)
    assert a == b
    assert a != c


def test_size_is_about_what_was_asked():
    for n in (2000, 20000):
        text, summary = _generated(n)
        assert summary.triples == text.count("\n")
        assert n <= summary.triples < n + 20


def test_shape_and_vocabulary():
    text, summary = _generated(60000)
    triples = list(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert len(set(triples)) == len(triples)
    by_predicate = collections.defaultdict(list)
    for t in triples:
        by_predicate[t.predicate.value].append(t)
    types = collections.Counter(t.object.value for t in by_predicate[gen.RDF_TYPE])
    assert types[PG + "Municipality"] == summary.municipalities
    assert types[PG + "Partnership"] == summary.partnerships

    degree = collections.Counter(t.object.value for t in by_predicate[gen.ORG + "hasMember"])
    degrees = sorted(degree.values(), reverse=True)
    # Heavy-tailed, like Wikipedia's twin towns: most towns have 1 to 3
    # partners, a few have dozens.
    assert degrees[0] >= 50
    assert sum(1 for d in degrees if d >= 20) < 0.01 * len(degrees)
    assert sum(1 for d in degrees if d <= 3) > 0.5 * len(degrees)
    assert statistics_median(degrees) <= 3
    assert degree[summary.hub] == degrees[0]

    kinds = {t.object.value for t in by_predicate[PG + "kind"]}
    assert kinds == {PG + "TwinTown", PG + "OfficialRelation", PG + "MunicipalPartnership"}
    statuses = {t.object.value for t in by_predicate[PG + "status"]}
    assert PG + "Preparation" in statuses and PG + "Active" in statuses
    assert {t.object.value for t in by_predicate[PG + "theme"]} <= set(gen.themes())
    countries = {t.object.value.rsplit("/", 1)[1] for t in by_predicate[PG + "country"]}
    assert countries <= set(gen.country_codes()) and "SE" in countries and len(countries) > 50
    assert gen.BASE + "org/sida" in {t.object.value for t in by_predicate[PG + "fundedBy"]}
    years = [t.object for t in by_predicate[PG + "startDate"]]
    assert all(y.datatype.value == gen.GYEAR for y in years)
    assert all(1946 <= int(y.value) <= 2025 for y in years)
    labels = {t.object.language for t in by_predicate[gen.SKOS + "prefLabel"]}
    assert labels == {"sv", "en"}
    assert all(t.subject.value.startswith(gen.BASE) for t in triples
               if not t.subject.value.startswith(PG))


def statistics_median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def test_quads_in_the_named_graph():
    text, _ = _generated(2000, graph=gen.DEFAULT_GRAPH)
    quads = list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in quads} == {gen.DEFAULT_GRAPH}


def test_command_line_writes_a_file(tmp_path):
    out = tmp_path / "g.nq"
    done = subprocess.run([sys.executable, str(REPO / "tools" / "generate_partnerships.py"),
                           "--triples", "3000", "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == _generated(3000, graph=gen.DEFAULT_GRAPH)[0]


@pytest.mark.slow
def test_benchmark_runs_and_writes_its_keys(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--triples", "2000",
                           "--smoke", "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    for key in ("load_vs_pyoxigraph", "load_vs_pyoxigraph_compacted", "first_query_after_load_s",
                "query_p50_vs_oxigraph_serve",
                "query_speedup_vs_rdflib_memory", "embed_cached_vs_oxigraph_serve",
                "rss_vs_rdflib_memory", "cold_start_s"):
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    assert len(figures["queries"]) >= 10
    assert all(q["partnergraph_same_text"]["p50_ms"] > 0 for q in figures["queries"])
    assert figures["row_count_mismatches"] == []
    assert figures["machine"]["cpus"] >= 1


@pytest.mark.slow
def test_benchmark_says_what_it_left_out_above_its_size_limits(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--triples", "2000",
                           "--smoke", "--json", str(out), "--rdflib-max-triples", "1000",
                           "--embed-max-triples", "1000"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["left_out"] == {"rdflib_memory": "not run above 1,000 triples",
                                   "embed": "not run above 1,000 triples"}
    assert figures["query_speedup_vs_rdflib_memory"] is None and "embed" not in figures
    assert figures["rss_vs_oxigraph_serve"] > 0
    assert "not run above 1,000 triples" in done.stdout


@pytest.mark.slow
def test_small_query_benchmark_measures_every_step(tmp_path):
    done = subprocess.run([sys.executable, str(REPO / "bench" / "small_queries.py"), "--triples", "2000",
                           "--quick"], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep
                               + os.environ["PATH"]})
    assert done.returncode == 0, done.stdout + done.stderr
    for row in ("engine: pyoxigraph", "the answer kept since", "the front for small queries",
                "p50 ratio", "throughput ratio"):
        line = next(line for line in done.stdout.splitlines() if row in line)
        assert line.count("|") == 4, line
    assert "point lookups, each asked once, 4 clients" in done.stdout
    ratio = next(line for line in done.stdout.splitlines() if line.startswith("| ratio |"))
    assert float(ratio.split("|")[2]) > 0


def test_the_import_benchmark_replaces_its_section_and_keeps_the_sections_after_it():
    section = import_bench.SECTION
    previous = f"# Other\n\nfigures\n\n{section}\n\nold run\n\n## Remote engines\n\nkept\n"
    assert import_bench.replaced_section(previous, f"{section}\n\nnew run\n") == (
        f"# Other\n\nfigures\n\n{section}\n\nnew run\n\n## Remote engines\n\nkept\n")
    assert import_bench.replaced_section("# Other\n", f"{section}\n\nfirst run\n") == (
        f"# Other\n\n{section}\n\nfirst run\n")
    assert import_bench.replaced_section(f"# Other\n\n{section}\n\nold\n", f"{section}\n\nnew\n") == (
        f"# Other\n\n{section}\n\nnew\n")


@pytest.mark.slow
def test_the_import_benchmark_runs_and_reports_each_command(tmp_path):
    out = tmp_path / "import.json"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "import_bench.py"), "--quick",
                           "--rows", "400", "--json", str(out)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert set(figures["figures"]) == {"stats before", "import", "stats after import", "plain load",
                                       "stats, plain load", "undo", "stats after undo"}
    for name, measured in figures["figures"].items():
        assert measured["wall"] > 0 and measured["cpu"] > 0 and measured["peak_mb"] > 0, name
    # The import wrote what the plain load loaded, and nothing is left beside the store.
    assert figures["triples"] > 5000 and figures["beside_the_store_mb"]["snapshots"] == 0
    assert "| import |" in done.stdout
