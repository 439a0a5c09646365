"""GPTCache parts that gistcache does not run, kept as names that explain the gistcache way.

Importing them works (so that old code fails where the part is built, with a message that says
what to use instead, rather than at an import line); building one raises :class:`ParamError`.
"""

from __future__ import annotations

from typing import Any, NoReturn

from .utils.error import ParamError

__all__ = ["refused"]


def refused(name: str, why: str, instead: str) -> type:
    """A class named ``name`` whose construction raises, saying ``why`` and what to use."""

    def construct(self: Any, *args: Any, **kwargs: Any) -> NoReturn:
        raise ParamError(f"{name} is not available in gistcache.gptcache: {why}. "
                         f"Instead: {instead}")

    return type(name, (), {"__init__": construct, "__doc__": f"Refused: {why}. Instead: "
                           f"{instead}.", "refused": True})
