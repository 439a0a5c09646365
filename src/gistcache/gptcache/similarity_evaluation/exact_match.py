"""GPTCache's ``ExactMatchEvaluation``: serve exact repeats only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .similarity_evaluation import SimilarityEvaluation

__all__ = ["ExactMatchEvaluation"]


class ExactMatchEvaluation(SimilarityEvaluation):
    """Accept only the same question (gistcache folds case, width and white space first).

    It is GPTCache's default evaluation: a cache built with it answers from gistcache's exact
    tier and never embeds anything.
    """

    def __repr__(self) -> str:
        return "ExactMatchEvaluation()"

    def range(self) -> tuple[float, float]:
        """The lowest and highest score: 0 and 1."""
        return 0.0, 1.0

    def evaluation(self, src_dict: Mapping[str, Any], cache_dict: Mapping[str, Any],
                   **_: Any) -> float:
        """1 when the two questions are equal, else 0."""
        return 1.0 if src_dict.get("question") == cache_dict.get("question") else 0.0
