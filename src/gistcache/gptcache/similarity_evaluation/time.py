"""GPTCache's ``TimeEvaluation``: another evaluation, for entries younger than ``time_range``."""

from __future__ import annotations

import time as _time
from collections.abc import Mapping
from typing import Any

from ..utils.error import ParamError
from .similarity_evaluation import SimilarityEvaluation

__all__ = ["TimeEvaluation"]


class TimeEvaluation(SimilarityEvaluation):
    """Score 0 (the lowest) for an entry created more than ``time_range`` seconds ago, else
    the score of ``evaluation`` (a name: "distance", "np", "exact", "onnx", ...)."""

    def __init__(self, evaluation: str, evaluation_config: Mapping[str, Any] | None = None,
                 time_range: float = 86400.0) -> None:
        from ..adapter.api import _get_eval

        if isinstance(time_range, bool) or not isinstance(time_range, (int, float)) \
                or time_range <= 0:
            raise ParamError(f"time_range must be a positive number of seconds, "
                             f"got {time_range!r}")
        self.inner = _get_eval(evaluation, dict(evaluation_config or {}))
        self.time_range = float(time_range)

    def __repr__(self) -> str:
        return f"TimeEvaluation({self.inner!r}, time_range={self.time_range})"

    def range(self) -> tuple[float, float]:
        """The inner evaluation's range."""
        lo, hi = self.inner.range()
        return float(lo), float(hi)

    def evaluation(self, src_dict: Mapping[str, Any], cache_dict: Mapping[str, Any],
                   **kwargs: Any) -> float:
        """The inner score, or the lowest for an entry too old or of unknown age."""
        data = cache_dict.get("cache_data")
        created = getattr(data, "create_on", None)
        if created is None:
            return self.range()[0]
        if _time.time() - created.timestamp() > self.time_range:
            return self.range()[0]
        return float(self.inner.evaluation(src_dict, cache_dict, **kwargs))
