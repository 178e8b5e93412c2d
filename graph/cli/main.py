"""The `partnergraph` command line: one function per command, each a thin
layer over the library. The web server adds its `serve` command on top
(server/cli.py), so that this module never imports the server."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox

from graph.cli.analysis import add_analyse_command
from graph.cli.query import TABLE, run_query
from graph.cli.tokens import add_tokens_command
from graph.errors import PartnergraphError, StoreBusy, ValidationError
from graph.ingest import datasets
from graph.ingest.bundled import open_initialised
from graph.ingest.csv_export import export_csv
from graph.ingest.decisions import record as record_decision
from graph.ingest.history import restore, versions
from graph.ingest.importer import import_file
from graph.ingest.load import load_files
from graph.ingest.progress import StageBars
from graph.ingest.validate import validate_files
from graph.iris import municipality_iri
from graph.rdf.formats import DATASET_FORMATS, RESULTS, TRIPLE_FORMATS, by_name, rdf_engine_format
from graph.rdf.namespaces import instance_prefixes
from graph.settings import Settings
from graph.store.open import open_store
from graph.views.merges import merges as list_merges
from graph.views.stats import store_stats

Command = Callable[[argparse.Namespace, Settings], int]

DESCRIPTION = """\
partnergraph: a knowledge graph of municipal international cooperation
(twin towns, municipal partnerships, their themes, funders and sources).

The store is chosen by PARTNERGRAPH_STORE (default ./var/store); a new store
is filled with the bundled ontology and data the first time it is opened."""


def build_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    parser = argparse.ArgumentParser(
        prog="partnergraph", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    load = commands.add_parser(
        "load", help="load RDF files into the store",
        description="Load RDF files (Turtle .ttl, TriG .trig, N-Triples .nt, "
                    "N-Quads .nq, JSON-LD .jsonld, RDF/XML .rdf) into the store. "
                    "All files land together or not at all. Each file's triples "
                    "replace the graph named after the file (<base>graph/<name>) "
                    "unless --graph names another one.")
    load.add_argument("files", nargs="+", metavar="FILE")
    load.add_argument("--graph", metavar="IRI", help="put all triples into this named graph")
    load.add_argument("--append", action="store_true",
                      help="add to the graph instead of replacing what it holds")
    load.add_argument("--validate", action="store_true",
                      help="check the files against the SHACL shapes first; load nothing on a violation")
    _progress_option(load)
    load.set_defaults(run=cmd_load)

    validate = commands.add_parser(
        "validate", help="check RDF files against the SHACL shapes",
        description="Check RDF files against ontology/shapes.ttl and print every "
                    "violation with its node, rule and how to fix it. Exits with "
                    "status 1 when there is a violation.")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(run=cmd_validate)

    query = commands.add_parser(
        "query", help="run a SPARQL query",
        description="Run a SPARQL query over all graphs of the store. QUERY is "
                    "the query text, a file holding it, or - to read standard "
                    "input. Common prefixes (pg:, org:, skos:, prov:, dcterms:, "
                    "schema:, foaf:, rdf:, rdfs:, xsd:, owl:) need no declaration.")
    query.add_argument("sparql", metavar="QUERY")
    query.add_argument("--format", choices=[TABLE, *(f.name for f in RESULTS + TRIPLE_FORMATS)],
                       help="SELECT/ASK: table (default), json, xml, csv, tsv; "
                            "CONSTRUCT/DESCRIBE: turtle (default), nt, jsonld, rdfxml")
    query.set_defaults(run=cmd_query)

    export = commands.add_parser(
        "export", help="write the whole store (or one graph) as N-Quads or TriG",
        description="Write every graph of the store, with its graph names, to "
                    "standard output or a file.")
    export.add_argument("--format", choices=[f.name for f in DATASET_FORMATS], default="nquads")
    export.add_argument("--graph", metavar="IRI", help="only this named graph")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    export.set_defaults(run=cmd_export)

    imports = commands.add_parser(
        "import", help="import a spreadsheet (CSV) or RDF file into its source graph",
        description="Read FILE (CSV by the .csv extension, else RDF), check it against "
                    "the SHACL shapes and, only if it is valid and changes something, "
                    "replace its graph (<base>graph/<file name>, or --graph) atomically, "
                    "keeping the previous content (see `history`). Exit status 1 when "
                    "the report has problems.")
    imports.add_argument("file", metavar="FILE")
    imports.add_argument("--graph", metavar="IRI", help="the graph to replace")
    imports.add_argument("--dry-run", action="store_true",
                         help="report and show the triples that would be added and removed; write nothing")
    _progress_option(imports)
    imports.set_defaults(run=cmd_import)

    history = commands.add_parser(
        "history", help="list the imports and restores of a graph (or of all graphs)",
        description="List the replacements of GRAPH, newest first, with the version "
                    "ids `restore` takes.")
    history.add_argument("graph", nargs="?", metavar="GRAPH")
    history.set_defaults(run=cmd_history)

    restore = commands.add_parser(
        "restore", help="bring back an earlier version of a graph",
        description="Replace GRAPH, atomically, with the content it held before the "
                    "replacement VERSION (default: the latest). The restore is itself "
                    "recorded, so it can be undone the same way.")
    restore.add_argument("graph", metavar="GRAPH")
    restore.add_argument("version", nargs="?", metavar="VERSION")
    _progress_option(restore)
    restore.set_defaults(run=cmd_restore)

    export_csv = commands.add_parser(
        "export-csv", help="write a source graph as a spreadsheet (CSV template)",
        description="Write GRAPH in the partnerships (or municipalities) CSV template; "
                    "importing the file again gives the same triples.")
    export_csv.add_argument("graph", metavar="GRAPH")
    export_csv.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    export_csv.set_defaults(run=cmd_export_csv)

    listing = commands.add_parser(
        "datasets", help="list the public data sets that can be loaded",
        description="The data sets shipped in data/datasets/: name, title, licence, "
                    "size, and whether the store holds them.")
    listing.set_defaults(run=cmd_datasets)

    load_dataset = commands.add_parser(
        "load-dataset", help="import a public data set into its own graph",
        description="Import data set NAME (see `datasets`) into <base>graph/NAME "
                    "through the importer: checked, atomic, recorded in the history. "
                    "Prints which names were merged into which node, and why.")
    load_dataset.add_argument("name", metavar="NAME")
    load_dataset.add_argument("--limit", type=int, metavar="ROWS",
                              help="read only the first ROWS rows of each file "
                                   "(default: PARTNERGRAPH_DATASET_LIMIT, else all)")
    load_dataset.add_argument("--dry-run", action="store_true", help="report; write nothing")
    load_dataset.add_argument("--report", metavar="FILE",
                              help="also write the merge report to FILE")
    load_dataset.set_defaults(run=cmd_load_dataset)

    merges = commands.add_parser(
        "merges", help="list the merges of data set loads, and confirm or reject them",
        description="`merges [--pending] [DATASET]` lists the names the latest load of each "
                    "data set (or of DATASET) merged into an existing node or kept apart from "
                    "one, with the reason and whether a steward has decided. "
                    "`merges confirm NAME COUNTRY NODE` records that NAME, as the source gives "
                    "it in COUNTRY (an ISO code or a name), is the node with IRI NODE; "
                    "`merges reject NAME COUNTRY NODE` that it is not, so that it gets a node of "
                    "its own. Every later import and data set load obeys the decision.",
        usage="partnergraph merges [--pending] [DATASET]\n"
              "       partnergraph merges confirm|reject NAME COUNTRY NODE")
    merges.add_argument("words", nargs="*", metavar="DATASET | confirm|reject NAME COUNTRY NODE")
    merges.add_argument("--pending", action="store_true", help="only those no steward has decided on")
    merges.set_defaults(run=cmd_merges)

    stats = commands.add_parser("stats", help="what the store holds",
                                description="Counts by class, the graphs with their "
                                            "sizes, and the data version.")
    stats.add_argument("--json", action="store_true", help="as JSON")
    stats.set_defaults(run=cmd_stats)
    add_analyse_command(commands)
    add_tokens_command(commands)
    return parser, commands


def _progress_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                         help="show progress bars (default: when stderr is a terminal)")


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    with open_initialised(settings) as store:
        if args.validate:
            report = validate_files(args.files, settings.base_iri, store)
            if not report.conforms:
                raise ValidationError(report)
        summary = load_files(store, args.files, args.graph, replace=not args.append,
                             progress=args.progress)
    verb = "Replaced" if summary.replaced else "Added to"
    print(f"{verb} {len(summary.graphs)} graph(s), {summary.triples} triples "
          f"(data version {summary.data_version}):")
    for graph, count in sorted(summary.graphs.items()):
        print(f"  {graph}  {count} triples")
    return 0


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    store = _existing_store(settings)
    try:
        report = validate_files(args.files, settings.base_iri, store)
    finally:
        if store is not None:
            store.close()
    print(report.text())
    return 0 if report.conforms else 1


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    text = _query_text(args.sparql)
    with open_initialised(settings) as store:
        output = run_query(store, text, args.format)
    sys.stdout.buffer.write(output.data)
    if output.cut_off:
        print(f"(cut off at {output.cut_off} rows: PARTNERGRAPH_MAX_ROWS; "
              "add a LIMIT and OFFSET to page)", file=sys.stderr)
    sys.stdout.flush()
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    with open_initialised(settings) as store:
        if args.graph and args.graph not in store.graphs():
            raise PartnergraphError(f"The store has no graph <{args.graph}>; "
                                    "`partnergraph stats` lists the graphs.")
        quads = store.quads(args.graph)
        fmt = rdf_engine_format(by_name(DATASET_FORMATS, args.format))
        prefixes = instance_prefixes(settings.base_iri) if fmt == ox.RdfFormat.TRIG else None
        if args.output:
            with open(args.output, "wb") as out:
                ox.serialize(quads, out, format=fmt, prefixes=prefixes)
        else:
            ox.serialize(quads, sys.stdout.buffer, format=fmt, prefixes=prefixes)
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    bars = StageBars(enabled=args.progress)
    with open_initialised(settings) as store:
        try:
            report = import_file(store, args.file, args.graph, dry_run=args.dry_run,
                                 agent=_agent(), progress=bars)
        finally:
            bars.finish()
    print(report.text())
    if args.dry_run and report.diff is not None:
        print("Dry run; nothing was written. The change would be:")
        print(report.diff.text())
    return 0 if report.ok else 1


def cmd_datasets(args: argparse.Namespace, settings: Settings) -> int:
    with open_initialised(settings) as store:
        present = datasets.loaded(store)
    for dataset in datasets.available():
        state = "loaded" if dataset.name in present else "not loaded"
        print(f"{dataset.name}  ({state}{', default' if dataset.default else ''}; "
              f"{dataset.size / 1e6:.1f} MB)\n    {dataset.title}\n    licence: {dataset.licence}")
    return 0


def cmd_load_dataset(args: argparse.Namespace, settings: Settings) -> int:
    with open_initialised(settings) as store:
        report, built = datasets.load(store, args.name, agent=_agent(), limit=args.limit,
                                      dry_run=args.dry_run)
    print(report.text())
    print(built.report())
    if args.report:
        Path(args.report).write_text(built.report(every_new_place=True) + "\n", encoding="utf-8")
    if args.dry_run:
        print("Dry run; nothing was written.")
    return 0 if report.ok else 1


def cmd_merges(args: argparse.Namespace, settings: Settings) -> int:
    verb, rest = (args.words[0], args.words[1:]) if args.words else ("", [])
    if verb in ("confirm", "reject"):
        if len(rest) != 3:
            raise PartnergraphError(f"`merges {verb}` takes NAME COUNTRY NODE, e.g. "
                                    f"merges {verb} Lohne DE {municipality_iri(settings.base_iri, 'DE', 'Lohne')}")
        with open_initialised(settings) as store:
            decision = record_decision(store, *rest, same=verb == "confirm", agent=_agent())
        print(f"Recorded: {decision.text()}. It takes effect on the next load.")
        return 0
    if len(args.words) > 1:
        raise PartnergraphError("`merges` takes at most one DATASET, or confirm|reject NAME COUNTRY NODE.")
    with open_initialised(settings) as store:
        entries = list_merges(store, args.words[0] if args.words else None, pending=args.pending)
    for entry in entries:
        print(f"{entry.dataset}: {entry.text()}")
    decided = sum(entry.decision is not None for entry in entries)
    exact = sum(entry.exact and entry.decision is None for entry in entries)
    print(f"{len(entries)} merge(s) and name(s) kept apart; {decided} decided, "
          f"{len(entries) - decided - exact} pending, {exact} exact (the node's own name: nothing to decide).")
    return 0


def cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    with open_initialised(settings) as store:
        found = versions(store, args.graph)
    if not found:
        print("No imports recorded" + (f" for <{args.graph}>." if args.graph else "."))
    for version in found:
        print(version.text())
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    bars = StageBars(enabled=args.progress)
    with open_initialised(settings) as store:
        try:
            done = restore(store, args.graph, args.version, agent=_agent(), progress=bars)
        finally:
            bars.finish()
    print(f"Restored <{args.graph}> to the content before {done.restored}: "
          f"{done.summary.graphs.get(args.graph, 0)} triples (data version {done.summary.data_version}; "
          f"this restore is {done.version}).")
    if done.kept:
        print(f"Kept the names, types and countries of {len(done.kept)} node(s) other sources still use:")
        for node in done.kept:
            print("  " + node.text())
    return 0


def cmd_export_csv(args: argparse.Namespace, settings: Settings) -> int:
    with open_initialised(settings) as store:
        text = export_csv(store, args.graph)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _agent() -> str:
    import getpass
    try:
        return f"user {getpass.getuser()}"
    except Exception:
        return "user (unknown)"


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    with open_initialised(settings) as store:
        stats = store_stats(store)
    if args.json:
        print(json.dumps(stats.__dict__, indent=2, ensure_ascii=False))
        return 0
    print(f"store:        {settings.store} ({stats.backend})")
    print(f"data version: {stats.data_version}")
    print(f"triples:      {stats.triples}")
    print(f"\ngraphs ({len(stats.graphs)}):")
    for graph, count in stats.graphs.items():
        print(f"  {count:>8}  {graph}")
    print(f"\nresources by class ({len(stats.classes)}):")
    for cls, count in stats.classes.items():
        print(f"  {count:>8}  {cls}")
    return 0


def run(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> int:
    """Parse `argv`, run the command, and turn errors into a message and an
    exit status (1 for errors, 2 for a wrong command line)."""
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if not getattr(args, "serves", False):
            # A command reads what it just wrote: whole-graph values fresh, not stale.
            settings = settings.with_(derived_background=False)
        return args.run(args, settings)
    except ValidationError as error:
        print(error.report.text(), file=sys.stderr)
        print("partnergraph: nothing was loaded.", file=sys.stderr)
        return 1
    except PartnergraphError as error:
        print(f"partnergraph: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("partnergraph: interrupted; the store is unchanged by any "
              "unfinished write.", file=sys.stderr)
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    parser, _ = build_parser()
    return run(parser, argv)


def _query_text(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    looks_like_path = not any(c in argument for c in "{}\n?")
    if looks_like_path:
        path = Path(argument)
        if path.is_file():
            return path.read_text(encoding="utf-8")
        if path.suffix in (".rq", ".sparql"):
            raise PartnergraphError(f"No such file: {argument}")
    return argument


def _existing_store(settings: Settings):
    """The store, for context, if one exists and is free; validation never
    creates one."""
    if not settings.store_is_remote and not Path(settings.store).is_dir():
        return None
    try:
        return open_store(settings)
    except StoreBusy:
        print("partnergraph: note: the store is in use, so the files are checked "
              "without its data as context.", file=sys.stderr)
        return None
