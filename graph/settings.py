"""Configuration: the environment (PARTNERGRAPH_*) read once into Settings.

No other module reads os.environ; Settings is passed to whoever needs it.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from graph.errors import ConfigError
from graph.iris import DEFAULT_BASE_IRI


@dataclass(frozen=True)
class Settings:
    store: str = "var/store"
    store_update: str | None = None
    store_gsp: str | None = None
    store_engine: str | None = None   # a name in graph.store.engine_dialects.DIALECTS
    token: str | None = field(default=None, repr=False)
    tokens_file: str | None = None
    links_file: str | None = None
    base_iri: str = DEFAULT_BASE_IRI
    query_timeout: float = 30.0
    frame_ancestors: str = "'self'"
    max_rows: int = 100_000
    max_body: int = 100 * 1024 * 1024
    service_allow: frozenset[str] = frozenset()
    query_workers: int = 4
    # Heavy requests (queries from outside) one client may have under way, and
    # how long one over a limit waits before a 503 (server.support.client_limits).
    client_queries: int = 2
    busy_wait: float = 10.0
    # Whole-graph values rebuilt in the background, the previous one served
    # meanwhile (the service), or built when asked for (the library, tests).
    derived_background: bool = False
    # The analysis process's memory in MB (graph.analysis.analysis_process);
    # 0: half of this machine's.
    analysis_memory: int = 0

    @property
    def store_is_remote(self) -> bool:
        return self.store.startswith(("http://", "https://"))

    @property
    def store_path(self) -> Path:
        return Path(self.store)

    @property
    def tokens_path(self) -> Path | None:
        """The file of named write tokens: PARTNERGRAPH_TOKENS_FILE, else
        `<store>.tokens.toml` beside an embedded store; a remote store has
        no folder of its own, so there the setting is needed."""
        if self.tokens_file:
            return Path(self.tokens_file)
        if self.store_is_remote:
            return None
        return self.store_path.parent / f"{self.store_path.name}.tokens.toml"

    @property
    def links_path(self) -> Path | None:
        """The workbench's short links: PARTNERGRAPH_LINKS_FILE, else
        `<store>.links.sqlite` beside an embedded store; a remote store has
        no folder of its own, so there short links need the setting."""
        if self.links_file:
            return Path(self.links_file)
        if self.store_is_remote:
            return None
        return self.store_path.parent / f"{self.store_path.name}.links.sqlite"

    def with_(self, **changes) -> Settings:
        return _checked(replace(self, **changes))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict = {}
        for name, key in _VARIABLES.items():
            raw = env.get(name)
            if raw is not None and raw.strip() != "":
                values[key] = raw.strip()
        for key in ("query_timeout", "busy_wait"):
            if key in values:
                values[key] = _seconds(key, values[key])
        for key in ("max_rows", "max_body", "query_workers", "client_queries", "analysis_memory"):
            if key in values:
                values[key] = _whole_number(key, values[key])
        mode = values.pop("derived", "background")
        if mode not in ("background", "wait"):
            raise ConfigError(f"PARTNERGRAPH_DERIVED must be background or wait, not {mode!r}")
        values["derived_background"] = mode == "background"
        if "service_allow" in values:
            values["service_allow"] = frozenset(values["service_allow"].replace(",", " ").split())
        return _checked(cls(**values))


_VARIABLES = {
    "PARTNERGRAPH_STORE": "store",
    "PARTNERGRAPH_STORE_UPDATE": "store_update",
    "PARTNERGRAPH_STORE_GSP": "store_gsp",
    "PARTNERGRAPH_STORE_ENGINE": "store_engine",
    "PARTNERGRAPH_TOKEN": "token",
    "PARTNERGRAPH_TOKENS_FILE": "tokens_file",
    "PARTNERGRAPH_LINKS_FILE": "links_file",
    "PARTNERGRAPH_BASE_IRI": "base_iri",
    "PARTNERGRAPH_QUERY_TIMEOUT": "query_timeout",
    "PARTNERGRAPH_FRAME_ANCESTORS": "frame_ancestors",
    "PARTNERGRAPH_MAX_ROWS": "max_rows",
    "PARTNERGRAPH_MAX_BODY": "max_body",
    "PARTNERGRAPH_SERVICE_ALLOW": "service_allow",
    "PARTNERGRAPH_QUERY_WORKERS": "query_workers",
    "PARTNERGRAPH_CLIENT_QUERIES": "client_queries",
    "PARTNERGRAPH_BUSY_WAIT": "busy_wait",
    "PARTNERGRAPH_DERIVED": "derived",
    "PARTNERGRAPH_ANALYSIS_MEMORY": "analysis_memory",
}
_NAMES = {key: name for name, key in _VARIABLES.items()}


def _seconds(key: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{_NAMES[key]} must be a number of seconds, not {raw!r}") from None


def _whole_number(key: str, raw: str) -> int:
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigError(f"{_NAMES[key]} must be a whole number above 0, not {raw!r}")
    return value


def _checked(settings: Settings) -> Settings:
    base = settings.base_iri
    if not base.startswith(("http://", "https://")) or not base.endswith(("/", "#")):
        raise ConfigError(
            "PARTNERGRAPH_BASE_IRI must be an http(s) IRI ending in '/' or '#', "
            f"such as {DEFAULT_BASE_IRI}; got {base!r}")
    if not settings.query_timeout > 0:
        raise ConfigError("PARTNERGRAPH_QUERY_TIMEOUT must be more than 0 seconds")
    if not settings.busy_wait >= 0:
        raise ConfigError("PARTNERGRAPH_BUSY_WAIT must be 0 seconds or more")
    for name, url, example in (("PARTNERGRAPH_STORE_UPDATE", settings.store_update, "update"),
                               ("PARTNERGRAPH_STORE_GSP", settings.store_gsp, "store")):
        if url is not None and not url.startswith(("http://", "https://")):
            raise ConfigError(f"{name} must be an http(s) URL, such as "
                              f"http://localhost:7878/{example}; got {url!r}")
    return settings
