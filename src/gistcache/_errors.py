"""The one exception tree of gistcache.

    GistcacheError
    ├── ConfigError            bad settings or a bad pairing of parts (raised at construction)
    │   └── IncompatibleParts  parts that cannot work together (dimension mismatch, ...)
    ├── InvalidRequest         bad input from the caller (empty prompt, wrong type, wrong dimension)
    ├── MissingExtra           an optional dependency is not installed (also an ImportError)
    └── CacheFault             the cache itself failed (store, index, embedder): callers of the
        ├── StoreError         LLM path turn these into a miss, log them and count them
        ├── IndexError_
        └── EmbedderError

Errors of the libraries underneath are translated where they are called (``raise X from exc``).
"""

from __future__ import annotations

from types import ModuleType

__all__ = [
    "CacheFault",
    "ConfigError",
    "EmbedderError",
    "GistcacheError",
    "IncompatibleParts",
    "IndexError_",
    "InvalidRequest",
    "MissingExtra",
    "StoreError",
]


class GistcacheError(Exception):
    """Base of every error gistcache raises on purpose."""


class ConfigError(GistcacheError, ValueError):
    """A setting is invalid."""


class IncompatibleParts(ConfigError):
    """The parts given to a cache cannot work together."""


class InvalidRequest(GistcacheError, ValueError):
    """The caller's input is not something the cache can handle."""


class MissingExtra(GistcacheError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""

    def __init__(self, feature: str, extra: str, module: str) -> None:
        super().__init__(
            f"{feature} needs the optional dependency {module!r}: "
            f"pip install 'gistcache[{extra}]'"
        )
        self.extra = extra


class CacheFault(GistcacheError):
    """The cache failed; on the LLM path this becomes a miss, never a failed call."""


class StoreError(CacheFault):
    """The entry store failed (database down, locked, corrupt)."""


class IndexError_(CacheFault):  # noqa: N801 - trailing underscore avoids the builtin
    """The vector index failed or its file is unreadable."""


class EmbedderError(CacheFault):
    """The embedder failed to turn text into vectors."""


def require(module: str, *, feature: str, extra: str) -> ModuleType:
    """Import an optional module, or raise :class:`MissingExtra` naming the extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(feature, extra, module) from exc
