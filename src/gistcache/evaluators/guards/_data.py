"""The guards' word lists, read from ``data/<kind>.json`` on first use, and their fingerprint."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..._errors import ConfigError

__all__ = ["fingerprint", "rows", "strings", "table", "words"]


@cache
def _load(kind: str) -> dict[str, Any]:
    """Every list of one kind of guard, read once (the files are part of the package)."""
    source = resources.files(__package__).joinpath("data").joinpath(f"{kind}.json")
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the guards' word lists data/{kind}.json: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"the guards' word lists data/{kind}.json must hold a JSON object")
    return data


def _get(kind: str, key: str) -> Any:
    data = _load(kind)
    if key not in data:
        raise ConfigError(f"the guards' word lists data/{kind}.json have no {key!r}")
    return data[key]


def strings(kind: str, key: str) -> list[str]:
    """The list of strings ``key`` of ``data/<kind>.json``, in file order."""
    value = _get(kind, key)
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ConfigError(f"{key!r} of the guards' data/{kind}.json must be a list of strings")
    return value


def words(kind: str, key: str) -> frozenset[str]:
    """The list ``key`` of ``data/<kind>.json`` as a set."""
    return frozenset(strings(kind, key))


def table(kind: str, key: str) -> dict[str, Any]:
    """The object ``key`` of ``data/<kind>.json``."""
    value = _get(kind, key)
    if not isinstance(value, dict):
        raise ConfigError(f"{key!r} of the guards' data/{kind}.json must be a JSON object")
    return value


def fingerprint(root: str | Path | None = None) -> str:
    """sha256 of the guards' code and word lists (default: this package's own files).

    Covers every ``*.py`` of the package and every ``data/*.json``, each named by its path
    relative to ``root`` and taken in sorted order, with line endings made ``\\n`` so that a
    checkout on Windows hashes the same. A threshold chosen with the guards in the pipeline is
    recorded with this value, so that a change to a word list or to a guard shows up as a
    difference (``tests/test_guards_fingerprint.py``) instead of silently moving the figures.
    """
    base = Path(root) if root is not None else Path(__file__).parent
    files = sorted((*base.glob("*.py"), *base.glob("data/*.json")),
                   key=lambda p: p.relative_to(base).as_posix())
    digest = hashlib.sha256()
    for path in files:
        name = path.relative_to(base).as_posix().encode()
        body = path.read_bytes().replace(b"\r\n", b"\n")
        # lengths first: no two different sets of files can feed the hash the same bytes
        digest.update(b"%d:%s %d:" % (len(name), name, len(body)))
        digest.update(body)
    return digest.hexdigest()


def rows(kind: str, key: str) -> list[list[Any]]:
    """The list of lists ``key`` of ``data/<kind>.json`` (a table of rows)."""
    value = _get(kind, key)
    if not isinstance(value, list) or not all(isinstance(x, list) for x in value):
        raise ConfigError(f"{key!r} of the guards' data/{kind}.json must be a list of lists")
    return value
