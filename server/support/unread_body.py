"""What is left of a request's body, read before the answer goes out.

A request can be answered before its body is read: 413 for a body over the
limit, 401 or 415 before the body matters. granian hands the body to the
app as the app reads it; answered with part of it unread, the server
closes the connection while the client may still be sending, and clients
that send the whole body before they read the answer (Python's http.client
and requests among them) then see a broken pipe instead of the answer and
its message. So, when the answer is a refusal (4xx, 5xx), the rest of the
body up to `DRAIN_MAX` bytes is read and dropped first; past that the
connection is closed unread, as a server must to stop a sender of
gigabytes.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
DRAIN_MAX = 16 * 1024 * 1024
_CHUNK = 64 * 1024


class _Counted:
    """The request body, counting what the app reads of it."""

    def __init__(self, raw):
        self._raw = raw
        self.read_so_far = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.read_so_far += len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        data = self._raw.readline(size)
        self.read_so_far += len(data)
        return data

    def __iter__(self):
        for line in self._raw:
            self.read_so_far += len(line)
            yield line

    def __getattr__(self, name):
        return getattr(self._raw, name)


class ReadUnreadBody:
    """Wraps the app's WSGI callable: `app.wsgi_app = ReadUnreadBody(app.wsgi_app)`."""

    def __init__(self, inner: WSGIApp):
        self.inner = inner

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= 0:
            return self.inner(environ, start_response)
        body = _Counted(environ["wsgi.input"])
        environ["wsgi.input"] = body
        status: list[str] = []

        def starting(code: str, headers, *rest):
            status.append(code)
            return start_response(code, headers, *rest)

        answer = self.inner(environ, starting)
        left = length - body.read_so_far
        # Only a refusal: an answer that goes on may read the body as it goes.
        if status and status[-1][:1] in "45" and 0 < left <= DRAIN_MAX:
            while left > 0 and (chunk := body._raw.read(min(_CHUNK, left))):
                left -= len(chunk)
        return answer
