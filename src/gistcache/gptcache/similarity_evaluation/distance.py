"""GPTCache's ``SearchDistanceEvaluation``: the score is the vector search distance, turned."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..utils.error import ParamError
from .similarity_evaluation import SimilarityEvaluation

__all__ = ["SearchDistanceEvaluation"]


class SearchDistanceEvaluation(SimilarityEvaluation):
    """Accept a cached question whose search distance is small enough.

    GPTCache scores a candidate ``max_distance - min(d, max_distance)`` (``d`` the index's
    distance, squared L2 for faiss) and accepts it when the score reaches ``similarity_threshold
    * max_distance``. On unit vectors ``d = 2 - 2 cos``, so a threshold ``t`` means
    ``cos >= 1 - max_distance * (1 - t) / 2`` (``2t - 1`` with the default ``max_distance=4``),
    which :meth:`cosine_threshold` computes. With ``positive=True`` the index returned a
    similarity, not a distance: the score is ``min(d, max_distance)`` and ``t`` means
    ``cos >= max_distance * t``.
    """

    def __init__(self, max_distance: float = 4.0, positive: bool = False) -> None:
        if isinstance(max_distance, bool) or not isinstance(max_distance, (int, float)) \
                or max_distance <= 0:
            raise ParamError(f"max_distance must be a positive number, got {max_distance!r}")
        self.max_distance = float(max_distance)
        self.positive = bool(positive)

    def __repr__(self) -> str:
        return f"SearchDistanceEvaluation(max_distance={self.max_distance}, " \
               f"positive={self.positive})"

    def range(self) -> tuple[float, float]:
        """The lowest and highest score: 0 and ``max_distance``."""
        return 0.0, self.max_distance

    def cosine_threshold(self, similarity_threshold: float) -> float:
        """The cosine similarity that GPTCache's ``similarity_threshold`` stands for."""
        t = float(similarity_threshold)
        if not 0.0 <= t <= 1.0:
            raise ParamError(f"similarity_threshold is a score in [0, 1], got {t!r}")
        cosine = self.max_distance * t if self.positive else 1.0 - self.max_distance * (1 - t) / 2
        return min(1.0, max(-1.0, cosine))

    def evaluation(self, src_dict: Mapping[str, Any], cache_dict: Mapping[str, Any],
                   **_: Any) -> float:
        """GPTCache's score of one search result ``cache_dict["search_result"] = (d, id)``."""
        distance = float(cache_dict["search_result"][0])
        if self.positive:
            return min(distance, self.max_distance)
        distance = min(max(distance, 0.0), self.max_distance)
        return self.max_distance - distance
