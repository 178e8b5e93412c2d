"""`partnergraph analyse`: the network analyses on the command line, as
text for people or --json for programs."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from graph.analysis.centrality import centrality
from graph.analysis.communities import communities
from graph.analysis.export import FORMATS, export
from graph.analysis.paths import no_path_text, paths
from graph.analysis.projection import Projection, load_projection
from graph.analysis.similarity import alike as alike_and_candidates
from graph.analysis.stats import statistics
from graph.errors import PartnergraphError
from graph.ingest.bundled import open_initialised
from graph.settings import Settings


def add_analyse_command(commands) -> None:
    analyse = commands.add_parser(
        "analyse", help="network analysis: centrality, paths, communities, similarity, statistics, export",
        description="Analyse the graph as a network of municipalities, partnerships, "
                    "projects, events, themes, funders and countries.")
    analyse.add_argument("--lang", choices=["sv", "en"], default="en", help="language of names (default en)")
    analyse.add_argument("--json", action="store_true", help="as JSON")
    what = analyse.add_subparsers(dest="analysis", metavar="ANALYSIS", required=True)
    top = what.add_parser("centrality", help="municipalities ranked by partners, betweenness, eigenvector")
    top.add_argument("--top", type=int, default=20, metavar="N")
    path = what.add_parser("path", help="how two entities connect (IRIs)")
    path.add_argument("source", metavar="A")
    path.add_argument("target", metavar="B")
    what.add_parser("communities", help="groups that work together, with their dominant themes")
    alike = what.add_parser("similar", help="municipalities like IRI, and candidate partners")
    alike.add_argument("iri", metavar="IRI")
    what.add_parser("stats", help="partnerships per country, theme, funder, kind, start decade")
    out = what.add_parser("export", help="the entity graph as graphml, gexf or json")
    out.add_argument("format", choices=list(FORMATS), metavar="FORMAT")
    out.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    analyse.set_defaults(run=cmd_analyse)


def cmd_analyse(args: argparse.Namespace, settings: Settings) -> int:
    with open_initialised(settings) as store:
        projection = load_projection(store, args.lang)
        return _RUN[args.analysis](projection, args)


def _print(args, data, lines) -> int:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for line in lines:
            print(line)
    return 0


def _centrality(projection: Projection, args) -> int:
    rows = centrality(projection)[:args.top]
    return _print(args, [r.as_dict() for r in rows],
                  [f"{r.degree:>5}  {r.betweenness:8.4f}  {r.eigenvector:8.4f}  {r.label}"
                   + (f" ({r.country_label})" if r.country_label else "") for r in rows])


def _path(projection: Projection, args) -> int:
    for iri in (args.source, args.target):
        if iri not in projection.entities:
            raise PartnergraphError(f"<{iri}> is not in the analysed graph")
    found = paths(projection, args.source, args.target)
    _print(args, [p.as_dict() for p in found],
           [p.text for p in found] or [no_path_text(projection, args.source, args.target)])
    return 0 if found else 1


def _communities(projection: Projection, args) -> int:
    found = communities(projection)
    lines = []
    for c in found:
        lines.append(f"{c.number}. " + ", ".join(name for _, name in c.municipalities))
        if c.themes:
            lines.append("   " + ", ".join(f"{name} ({n})" for _, name, n in c.themes))
    return _print(args, [c.as_dict() for c in found], lines)


def _similar(projection: Projection, args) -> int:
    if args.iri not in projection.municipalities:
        raise PartnergraphError(f"<{args.iri}> is not a municipality of the graph")
    alike, candidates = alike_and_candidates(projection, args.iri)
    lines = [f"{s.score:.3f}  {s.label}: {s.reason}" for s in alike]
    lines += ["", "candidates:" if projection.lang == "en" else "möjliga partner:"]
    lines += [f"{s.score:.3f}  {s.label}: {s.reason}" for s in candidates]
    return _print(args, {"similar": [s.as_dict() for s in alike],
                         "candidates": [s.as_dict() for s in candidates]}, lines)


def _stats(projection: Projection, args) -> int:
    stats = statistics(projection)
    lines = []
    for name, bars in stats.items():
        lines.append(f"{name}:")
        lines += [f"  {b.count:>6}  {b.label}" for b in bars]
    return _print(args, {k: [b.as_dict() for b in v] for k, v in stats.items()}, lines)


def _export(projection: Projection, args) -> int:
    data = export(projection, args.format)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


_RUN = {"centrality": _centrality, "path": _path, "communities": _communities,
        "similar": _similar, "stats": _stats, "export": _export}
