"""GPTCache's ``time_cal``: time a call, and tell ``Config.log_time_func`` and a report."""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["time_cal"]

R = TypeVar("R")


def time_cal(func: Callable[..., R], func_name: str | None = None,
             report_func: Callable[[float], Any] | None = None) -> Callable[..., R]:
    """``func`` wrapped so that each call's duration goes to the default cache's
    ``config.log_time_func(name, seconds)`` (when set) and to ``report_func(seconds)``."""
    name = func_name if func_name is not None else getattr(func, "__name__", "func")

    def inner(*args: Any, **kwargs: Any) -> R:
        start = _time.perf_counter()
        result = func(*args, **kwargs)
        delta = _time.perf_counter() - start
        from ..core import cache

        config = cache.config
        log_time = getattr(config, "log_time_func", None)
        if log_time is not None:
            log_time(name, delta)
        if report_func is not None:
            report_func(delta)
        return result

    return inner
