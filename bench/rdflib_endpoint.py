"""A minimal SPARQL endpoint over rdflib's in-memory store: what users of
rdflib-endpoint and similar wrappers get. Parses an N-Quads file into
rdflib.Dataset(default_union=True) and answers POSTed queries
(application/sparql-query) at /sparql with SPARQL JSON, or N-Triples for
CONSTRUCT/DESCRIBE.

    python bench/rdflib_endpoint.py FILE.nq PORT [CAP_SECONDS]

Prints "ready" on standard output once the data is parsed. One thread:
rdflib's store is not made for concurrent queries, and the benchmark sends
them one at a time anyway. A query still running after CAP_SECONDS is
stopped and answered 503, so that one query rdflib plans badly cannot take
the whole benchmark's time; evaluation is Python code, so the alarm stops it
promptly.
"""
from __future__ import annotations

import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

import rdflib


class OverCap(Exception):
    pass


def _over_cap(signum, frame):
    raise OverCap()


def serve(path: str, port: int, cap: float = 0) -> None:
    signal.signal(signal.SIGALRM, _over_cap)
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(path, format="nquads")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"   # keep-alive, as the other servers

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            query = self.rfile.read(length).decode("utf-8")
            signal.setitimer(signal.ITIMER_REAL, cap)
            try:
                result = dataset.query(query)
                if result.type in ("CONSTRUCT", "DESCRIBE"):
                    body, kind = result.serialize(format="nt"), "application/n-triples"
                else:
                    body, kind = result.serialize(format="json"), "application/sparql-results+json"
                status = 200
            except OverCap:
                body, kind, status = f"over the cap of {cap:g} s".encode(), "text/plain", 503
            except Exception as error:  # the client sees what went wrong
                body, kind, status = str(error).encode(), "text/plain", 400
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", port), Handler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) > 3 else 0)
