"""The `partnergraph` console command: the library's commands plus `serve`."""
from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
from collections.abc import Sequence

from graph.cli.main import build_parser, run
from graph.errors import PartnergraphError
from graph.settings import Settings
from graph.store.query_workers import end_with
from server import create_app
from server.support.malloc_arenas import limit_malloc_arenas


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    # granian parses HTTP in Rust threads and hands each request to the app
    # in one of its blocking threads: a small query's way through the server
    # costs about half of what it does in a pure-Python server. While Python
    # has the interpreter lock granian keeps the app in a worker process of
    # its own, which builds it from the environment (_app below).
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    _check_port_free(args.host, args.port)
    print(f"partnergraph: serving on http://{args.host}:{args.port}/ "
          f"(store: {settings.store}); Ctrl+C stops it.", file=sys.stderr)
    server = Server("partnergraph", address=args.host, port=args.port,
                    interface=Interfaces.WSGI, workers=1, blocking_threads=args.threads,
                    websockets=False, log_level=LogLevels.error)
    # On a failed start the worker has said why; granian then exits with 1.
    server.serve(target_loader=_app, wrap_loader=False)
    return 0


def _check_port_free(host: str, port: int) -> None:
    """granian listens with SO_REUSEPORT, so a second service on a port in
    use would share its connections with the first; refuse it instead."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise PartnergraphError(f"Cannot serve on {host}: {error.strerror}.") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise PartnergraphError(
                f"Cannot serve on {host}:{port}: {error.strerror} (is another "
                f"`partnergraph serve` running there?). Stop it, or give --port.") from None


def _app(*_args, **_kwargs):
    """The application, built in granian's worker process."""
    # Killed, granian cannot stop its worker: the worker then ends by itself,
    # and its query workers with it, so that nothing keeps the port, the
    # store or a core.
    threading.Thread(target=end_with, args=(os.getppid(),), daemon=True).start()
    limit_malloc_arenas()
    try:
        return create_app(Settings.from_env())
    except PartnergraphError as error:
        print(f"partnergraph: error: {error}", file=sys.stderr, flush=True)
        os._exit(1)


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
