"""The `partnergraph` console command: the library's commands plus `serve`."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from graph.cli.main import build_parser, run
from graph.settings import Settings
from server import create_app
from server.support.malloc_arenas import limit_malloc_arenas


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import waitress

    limit_malloc_arenas()
    app = create_app(settings)
    print(f"partnergraph: serving on http://{args.host}:{args.port}/ "
          f"(store: {settings.store}); Ctrl+C stops it.", file=sys.stderr)
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads,
                   ident="partnergraph")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser, commands = build_parser()
    serve = commands.add_parser(
        "serve", help="start the web service",
        description="Start the web service. On an empty store it first loads "
                    "the bundled ontology and data.")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    # Queries under way and waiting for a slot hold up to three threads per query
    # worker (server.support.client_limits); pages need the rest.
    serve.add_argument("--threads", type=int, default=16, help="worker threads (default 16)")
    serve.set_defaults(run=cmd_serve, serves=True)
    return run(parser, argv)


if __name__ == "__main__":
    sys.exit(main())
