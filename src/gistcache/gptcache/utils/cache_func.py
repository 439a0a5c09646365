"""GPTCache's ``cache_all``: the default ``cache_enable_func``."""

from __future__ import annotations

from typing import Any

__all__ = ["cache_all"]


def cache_all(*_: Any, **__: Any) -> bool:
    """Cache every request."""
    return True
