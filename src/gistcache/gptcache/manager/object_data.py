"""GPTCache's ``ObjectBase``: where generated images live (a local directory)."""

from __future__ import annotations

from typing import Any

from ..utils.error import ParamError

__all__ = ["ObjectBase"]


class ObjectBase:
    """``ObjectBase("local", path=DIR)``: images are kept as files under ``DIR``.

    ``s3`` is refused: gistcache keeps objects in a local directory (its ``ObjectStore``
    contract can take another backend, passed in by code).
    """

    def __init__(self, name: str = "local", path: str | None = None, **kwargs: Any) -> None:
        name = str(name).lower()
        if name != "local":
            raise ParamError(f"ObjectBase {name!r} is not supported: images are kept in a "
                             "local directory (ObjectBase('local', path=...))")
        unknown = set(kwargs)
        if unknown:
            raise ParamError(f"ObjectBase('local') got unknown argument(s): "
                             f"{', '.join(sorted(unknown))}")
        self.name = name
        self.path = path

    def __repr__(self) -> str:
        return f"ObjectBase({self.name!r}, path={self.path!r})"
