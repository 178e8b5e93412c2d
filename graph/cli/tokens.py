"""`partnergraph tokens add|list|remove`: the named write tokens of the
server (graph/store/write_tokens.py)."""
from __future__ import annotations

import argparse
from pathlib import Path

from graph.errors import ConfigError, PartnergraphError
from graph.settings import Settings
from graph.store.write_tokens import ENVIRONMENT_TOKEN, add_token, graph_names, read_tokens, remove_token


def add_tokens_command(commands: argparse._SubParsersAction) -> None:
    tokens = commands.add_parser(
        "tokens", help="give, list and take back the tokens that write over HTTP",
        description="Each steward or system writing over HTTP (/sparql updates, /store, "
                    "/admin/import, /admin/merges) gets a token of its own, for the graphs "
                    "it is given or for all. The tokens file (PARTNERGRAPH_TOKENS_FILE, "
                    "default STORE.tokens.toml beside the store folder) keeps each token's "
                    "SHA-256, never the token; the history names the token as who wrote. "
                    "A running server sees a change at its next request.")
    steps = tokens.add_subparsers(dest="step", metavar="add|list|remove", required=True)
    add = steps.add_parser(
        "add", help="make a token and print it, once",
        description="Make a token NAME that may write the graphs given with --graph "
                    "(an IRI, or a name such as icld for <base>graph/icld; repeat for "
                    "more) or, with --all, every graph. The token is printed once: "
                    "give it to its holder, as it cannot be shown again.")
    add.add_argument("name", metavar="NAME")
    scope = add.add_mutually_exclusive_group(required=True)
    scope.add_argument("--graph", action="append", metavar="IRI", dest="graphs",
                       help="a graph the token may write (repeat for more)")
    scope.add_argument("--all", action="store_true", help="every graph")
    add.set_defaults(run=cmd_tokens_add)
    listing = steps.add_parser("list", help="the tokens by name, with what each may write")
    listing.set_defaults(run=cmd_tokens_list)
    remove = steps.add_parser("remove", help="take a token back",
                              description="Remove token NAME; it writes nothing from the next request on.")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(run=cmd_tokens_remove)


def cmd_tokens_add(args: argparse.Namespace, settings: Settings) -> int:
    graphs = None if args.all else graph_names(args.graphs, settings.base_iri)
    token, secret = add_token(_path(settings), args.name, graphs)
    print(f"Token {token.name!r} may write {token.scope()}.")
    print("Give it to its holder now; it is not kept and cannot be shown again:\n")
    print(f"  {secret}\n")
    print("Send it as `Authorization: Bearer <token>`, or type it into /admin/import.")
    return 0


def cmd_tokens_list(args: argparse.Namespace, settings: Settings) -> int:
    path = _path(settings)
    found = read_tokens(path)
    print(f"tokens file: {path}" + ("" if path.exists() else " (none yet)"))
    for token in found.values():
        print(f"  {token.name}  may write {token.scope()}  (added {token.created or 'at an unknown time'})")
    if settings.token:
        print(f"  {ENVIRONMENT_TOKEN}  may write every graph  (from the environment)")
    if not found and not settings.token:
        print("No tokens: nothing can be written over HTTP. Add one with "
              "`partnergraph tokens add NAME --graph IRI` or `--all`.")
    return 0


def cmd_tokens_remove(args: argparse.Namespace, settings: Settings) -> int:
    if args.name == ENVIRONMENT_TOKEN:
        raise PartnergraphError(f"{ENVIRONMENT_TOKEN} is set in the environment, not kept in the "
                                "tokens file: unset it where the server is started.")
    removed = remove_token(_path(settings), args.name)
    print(f"Removed token {removed.name!r}, which could write {removed.scope()}.")
    return 0


def _path(settings: Settings) -> Path:
    path = settings.tokens_path
    if path is None:
        raise ConfigError("A remote store has no folder to keep tokens beside: set "
                          "PARTNERGRAPH_TOKENS_FILE to the file that should hold them, "
                          "for the server and for this command alike.")
    return path
