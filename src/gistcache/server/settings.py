"""Settings of the proxy server, from code, YAML, the environment and command-line flags.

The cache's own settings stay in :class:`gistcache.Config`; what only the server needs (the
upstream, keys, limits, deadlines) lives in :class:`ServerSettings`. Both come from the same
sources, in this order (later wins): defaults, a YAML file (safe loader; server settings at the
top level or under ``server:``), ``GISTCACHE_*`` variables, then explicit overrides (flags).
"""

from __future__ import annotations

import dataclasses
import json
import os
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .._errors import ConfigError
from ..config import Config, coerce_settings, read_yaml_settings

__all__ = ["SERVER_CACHE_DEFAULTS", "ServerSettings", "load_settings"]

#: cache settings the server changes from the library's defaults (YAML/env still win):
#: workers pick up each other's writes within half a second
SERVER_CACHE_DEFAULTS: dict[str, Any] = {"sync_interval": 0.5}

_MIB = 1024 * 1024
_LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


@dataclass
class ServerSettings:
    """Everything the proxy server needs besides the cache's :class:`~gistcache.Config`."""

    host: str = "127.0.0.1"
    port: int = 8000
    #: server processes sharing one store and index (``uvicorn --workers``)
    workers: int = 1
    #: base URL of the OpenAI-compatible API the server forwards to
    upstream: str = "https://api.openai.com/v1"
    #: how the scope names the upstream (default: its URL); entries stored from one upstream
    #: are never served for another (``--fake-upstream`` sets ``fake-openai``)
    upstream_scope: str | None = None
    #: used when the caller sends no ``Authorization``; never logged (also ``OPENAI_API_KEY``)
    upstream_key: str | None = field(default=None, repr=False)
    #: base URL of the Anthropic API that ``/v1/messages`` is forwarded to (without ``/v1``)
    anthropic_upstream: str = "https://api.anthropic.com"
    #: how the scope names the Anthropic upstream (default: its URL; ``--fake-upstream``:
    #: ``fake-anthropic``)
    anthropic_upstream_scope: str | None = None
    #: used when an Anthropic caller sends no key; never logged (also ``ANTHROPIC_API_KEY``)
    anthropic_upstream_key: str | None = field(default=None, repr=False)
    #: protects the admin endpoints (put, flush, clear, entries, feedback, stats, dashboard)
    admin_key: str | None = field(default=None, repr=False)
    #: seconds to wait for the upstream's answer (a stream: between two chunks)
    upstream_timeout: float = 600.0
    upstream_connect_timeout: float = 10.0
    #: pooled connections to the upstream, per worker
    upstream_connections: int = 200
    #: largest JSON request body accepted
    max_body_bytes: int = 4 * _MIB
    #: largest audio upload accepted (OpenAI's own limit is 25 MB)
    max_audio_bytes: int = 26 * _MIB
    #: namespace = a hash of the caller's API key: tenants are isolated without trusting a
    #: header (``x-gistcache-namespace`` is then ignored); needs ``admin_key``
    namespace_from_key: bool = False
    #: seconds a lookup (embedding, search, database) may take before the request is
    #: served as a bypass
    embed_deadline: float = 2.0
    #: public base URL of this server, for image URLs it hands out; default: the request's
    public_url: str | None = None
    log_level: str = "info"

    def __post_init__(self) -> None:
        for name in ("upstream", "anthropic_upstream"):
            url = getattr(self, name)
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ConfigError(f"{name} must be an http(s) URL, got {url!r}")
            setattr(self, name, url.rstrip("/"))
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port must be in [0, 65535], got {self.port}")
        if self.workers < 1:
            raise ConfigError(f"workers must be >= 1, got {self.workers}")
        for name in ("upstream_timeout", "upstream_connect_timeout", "embed_deadline"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} must be > 0 seconds, got {getattr(self, name)}")
        for name in ("max_body_bytes", "max_audio_bytes", "upstream_connections"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.admin_key is not None and not self.admin_key:
            self.admin_key = None
        if self.upstream_key is not None and not self.upstream_key:
            self.upstream_key = None
        if self.anthropic_upstream_key is not None and not self.anthropic_upstream_key:
            self.anthropic_upstream_key = None
        if self.namespace_from_key and self.admin_key is None:
            # the admin routes list and delete every tenant's entries: open, they undo the
            # isolation that namespace_from_key promises
            raise ConfigError(
                "namespace_from_key isolates tenants by their API key, but without an admin "
                "key any caller can list every tenant's prompts and answers (GET /entries) and "
                "delete them (POST /clear): set admin_key (GISTCACHE_ADMIN_KEY or --admin-key)")
        self.log_level = self.log_level.lower()
        if self.log_level not in _LOG_LEVELS:
            raise ConfigError(f"log_level must be one of {', '.join(_LOG_LEVELS)}, "
                              f"got {self.log_level!r}")
        if self.public_url is not None:
            self.public_url = self.public_url.rstrip("/")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "settings"
                     ) -> ServerSettings:
        """Build from a mapping; an unknown key is an error that names it."""
        return cls(**_coerce_all(data, source))

    def to_mapping(self) -> dict[str, Any]:
        """Every setting as plain data (keys included: only for handing to worker processes)."""
        return dataclasses.asdict(self)


def _server_fields() -> dict[str, Any]:
    return typing.get_type_hints(ServerSettings)


def _coerce_all(data: Mapping[str, Any], source: str) -> dict[str, Any]:
    return coerce_settings(data, _server_fields(), source=source, kind="server setting")


def _split(data: Mapping[str, Any], source: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(cache settings, server settings) of one YAML document."""
    server_names = set(_server_fields())
    cache: dict[str, Any] = {}
    server: dict[str, Any] = {}
    for key, value in data.items():
        if key == "server":
            if not isinstance(value, Mapping):
                raise ConfigError(f"'server' in {source} must be a mapping of server settings")
            server.update(value)
        elif key in server_names:
            server[key] = value
        else:
            cache[key] = value
    return cache, server


def _server_env(environ: Mapping[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    names = set(_server_fields())
    for key, value in environ.items():
        if key.startswith("GISTCACHE_"):
            name = key[len("GISTCACHE_"):].lower()
            if name in names:
                found[name] = value
    if "upstream_key" not in found and environ.get("OPENAI_API_KEY"):
        found["upstream_key"] = environ["OPENAI_API_KEY"]
    if "anthropic_upstream_key" not in found and environ.get("ANTHROPIC_API_KEY"):
        found["anthropic_upstream_key"] = environ["ANTHROPIC_API_KEY"]
    return found


def load_settings(
    path: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cache_overrides: Mapping[str, Any] | None = None,
    server_overrides: Mapping[str, Any] | None = None,
) -> tuple[Config, ServerSettings]:
    """The cache's Config and the ServerSettings from defaults, YAML, environment, overrides."""
    env = os.environ if environ is None else environ
    source = str(path) if path is not None else "defaults"
    cache_yaml, server_yaml = ({}, {}) if path is None else _split(read_yaml_settings(path),
                                                                      source)
    base = Config.from_mapping({**SERVER_CACHE_DEFAULTS, **cache_yaml}, source=source)
    config = Config.from_env(env, base=base)
    if cache_overrides:
        config = Config.from_mapping(
            {**dataclasses.asdict(config), **cache_overrides}, source="arguments")
    merged = _coerce_all(server_yaml, source)
    merged.update(_coerce_all(_server_env(env), "environment"))
    merged.update(_coerce_all(dict(server_overrides or {}), "arguments"))
    return config, ServerSettings(**merged)


def dump_spec(config: Config, settings: ServerSettings) -> str:
    """Both settings as JSON, for handing to worker processes through their environment."""
    return json.dumps({"config": dataclasses.asdict(config), "server": settings.to_mapping()})


def load_spec(text: str) -> tuple[Config, ServerSettings]:
    """Parse :func:`dump_spec` output."""
    try:
        data = json.loads(text)
        return (Config.from_mapping(data["config"], source="worker spec"),
                ServerSettings.from_mapping(data["server"], source="worker spec"))
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"the worker settings are unreadable: {exc}") from exc
