"""A real HTTP server in front of a real engine that passes queries through
and handles writes its own way: to be an engine that acknowledges updates and
drops them, or one that answers as Fuseki 4.5 did (its ADD SILENT does nothing).

`running_proxy(engine_root, writes)` serves on a free loopback port;
`writes(path, body)` gets every request to a path other than /query, and
returns the body to forward to the engine (None: forward nothing) and the
answer to give: (status, headers, body). The proxy keeps what it was sent.
"""
from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = tuple[int, dict[str, str], bytes]
Writes = Callable[[str, bytes], tuple[bytes | None, Answer | None]]


@dataclass
class Sent:
    method: str
    path: str           # with its query string
    content_type: str
    body: bytes


@dataclass
class Proxy:
    root: str           # http://127.0.0.1:PORT
    sent: list[Sent] = field(default_factory=list)

    @property
    def query_url(self) -> str:
        return self.root + "/query"


@contextmanager
def running_proxy(engine_root: str, writes: Writes,
                  server_header: str = "partnergraph-test-proxy") -> Iterator[Proxy]:
    proxy = Proxy("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self._pass(None)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            proxy.sent.append(Sent(self.command, self.path,
                                   self.headers.get("Content-Type", ""), body))
            path = self.path.split("?", 1)[0]
            if path == "/query":
                self._pass(body)
                return
            forward, answer = writes(path, body)
            engine_answer = self._forward(forward) if forward is not None else None
            self._reply(*(answer or engine_answer or (204, {}, b"")))

        def do_PUT(self):
            self.do_POST()

        def _pass(self, body: bytes | None) -> None:
            self._reply(*self._forward(body))

        def _forward(self, body: bytes | None) -> Answer:
            headers = {name: value for name, value in self.headers.items()
                       if name.lower() in ("content-type", "accept")}
            request = urllib.request.Request(engine_root + self.path, data=body, headers=headers,
                                             method=self.command)
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    return response.status, {"Content-Type": response.headers.get(
                        "Content-Type", "text/plain")}, response.read()
            except urllib.error.HTTPError as error:
                return error.code, {"Content-Type": error.headers.get(
                    "Content-Type", "text/plain")}, error.read()

        def _reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def version_string(self) -> str:
            return server_header

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        proxy.root = f"http://127.0.0.1:{server.server_address[1]}"
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
