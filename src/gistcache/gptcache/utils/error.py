"""GPTCache's errors, inside gistcache's exception tree.

    GistcacheError
    └── CacheError                 GPTCache's base error
        ├── NotInitError           the cache was used before ``init``
        ├── NotFoundError          an unknown store or part name
        ├── ParamError             a bad parameter (also a gistcache ConfigError)
        └── PipInstallError        kept for ``except`` clauses: gistcache never installs packages

:func:`wrap_error` marks an upstream error (an ``openai.APIError``...) as a ``CacheError`` too,
keeping its own type, so both ``except openai.APIError`` and ``except CacheError`` catch it.
"""

from __future__ import annotations

from ..._errors import ConfigError, GistcacheError

__all__ = [
    "CacheError",
    "NotFoundError",
    "NotInitError",
    "ParamError",
    "PipInstallError",
    "wrap_error",
]


class CacheError(GistcacheError):
    """GPTCache's base error."""


class NotInitError(CacheError):
    """The cache was used before it was initialised."""

    def __init__(self) -> None:
        super().__init__("The cache should be inited before using")


class NotFoundError(CacheError):
    """An unsupported store or part was named."""

    def __init__(self, store_type: str, current_type_name: str) -> None:
        super().__init__(f"Unsupported {store_type}: {current_type_name}")


class ParamError(CacheError, ConfigError):
    """A parameter is invalid (caught by ``except CacheError`` and ``except ConfigError``)."""


class PipInstallError(CacheError):
    """Never raised by gistcache, which installs nothing at run time; kept for old code."""

    def __init__(self, package: str) -> None:
        super().__init__(f"Ran into error installing {package}.")


_WRAPPED: dict[type[BaseException], type[BaseException]] = {}


def wrap_error(e: BaseException) -> BaseException:
    """``e``, made an instance of :class:`CacheError` as well as of its own type."""
    if isinstance(e, CacheError):
        return e
    cls = type(e)
    wrapped = _WRAPPED.get(cls)
    if wrapped is None:
        try:
            wrapped = type(cls.__name__, (CacheError, cls), {"__module__": cls.__module__})
        except TypeError:  # a type that cannot be a base (final or with a C layout conflict)
            return e
        _WRAPPED[cls] = wrapped
    try:
        e.__class__ = wrapped
    except TypeError:  # instance layout differs (a C-level exception type)
        return e
    return e
