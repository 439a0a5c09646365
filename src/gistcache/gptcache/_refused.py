"""GPTCache parts that gistcache does not run, kept as names that explain the gistcache way.

Importing them works (so that old code fails where the part is built, with a message that says
what to use instead, rather than at an import line); building one raises :class:`ParamError`.
"""

from __future__ import annotations

from typing import Any, NoReturn

from .utils.error import ParamError

__all__ = ["refused", "refused_function"]


def refused(name: str, why: str, instead: str, constructors: tuple[str, ...] = ()) -> type:
    """A class named ``name`` whose construction (and each classmethod of ``constructors``,
    such as ``from_pretrained``) raises, saying ``why`` and what to use."""
    message = f"{name} is not available in gistcache.gptcache: {why}. Instead: {instead}"

    def construct(self: Any, *args: Any, **kwargs: Any) -> NoReturn:
        raise ParamError(message)

    def alternative(cls: type, *args: Any, **kwargs: Any) -> NoReturn:
        raise ParamError(message)

    body: dict[str, Any] = {"__init__": construct, "__doc__": f"Refused: {why}. Instead: "
                            f"{instead}.", "refused": True}
    body.update({c: classmethod(alternative) for c in constructors})
    return type(name, (), body)


def refused_function(name: str, why: str, instead: str) -> Any:
    """A function named ``name`` whose call raises, saying ``why`` and what to use."""

    def call(*args: Any, **kwargs: Any) -> NoReturn:
        raise ParamError(f"{name} is not available in gistcache.gptcache: {why}. "
                         f"Instead: {instead}")

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"Refused: {why}. Instead: {instead}."
    call.refused = True  # type: ignore[attr-defined]
    return call
