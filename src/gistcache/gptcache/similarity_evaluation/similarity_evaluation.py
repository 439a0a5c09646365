"""GPTCache's ``SimilarityEvaluation`` interface: score a (request, cached entry) pair."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

__all__ = ["SimilarityEvaluation"]


class SimilarityEvaluation(ABC):
    """Scores how well a cached entry answers a request; higher is more similar.

    ``src_dict`` holds the request's ``question`` and ``embedding``; ``cache_dict`` the entry's
    ``question``, ``answer``, ``embedding``, ``search_result`` (``(distance, id)``, the squared
    L2 distance of the unit vectors, ``2 - 2 cos``) and ``cache_data``. A candidate is accepted
    when its score reaches ``(max - min) * similarity_threshold`` (kept within :meth:`range`),
    as in GPTCache.
    Subclass it for a custom evaluation: gistcache calls it on each candidate of the search.
    """

    @abstractmethod
    def evaluation(self, src_dict: Mapping[str, Any], cache_dict: Mapping[str, Any],
                   **kwargs: Any) -> float:
        """The similarity score of the pair."""

    @abstractmethod
    def range(self) -> tuple[float, float]:
        """The lowest and the highest score."""
