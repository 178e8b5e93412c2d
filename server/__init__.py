"""partnergraph's web face: a Flask application over the graph library.

`from server import create_app` builds it (server/app.py). The application
is imported when first asked for, not with the package: every `partnergraph`
command starts from server.cli, and all but `serve` would otherwise spend
about half a second importing the pages they never show.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from server.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from server.app import create_app
        return create_app
    raise AttributeError(f"module 'server' has no attribute {name!r}")
