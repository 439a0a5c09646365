"""GPTCache's ``prompt_install``: refused — a program must never install packages at run time
(GPTCache ran ``pip install`` from inside an import)."""

from __future__ import annotations

from typing import NoReturn

from . import MissingDependency

__all__ = ["prompt_install"]


def prompt_install(package: str, warn: bool = False) -> NoReturn:
    """Raise :class:`MissingDependency` naming ``package``: install it yourself."""
    raise MissingDependency(f"{package!r} is needed: pip install {package} (gistcache never "
                            "installs packages at run time)")


prompt_install.refused = True  # type: ignore[attr-defined]
