"""Similarity thresholds: the first and cheapest evaluators."""

from __future__ import annotations

from .._errors import ConfigError
from .._types import CacheRequest, Candidate, normalize_text
from ._base import ACCEPT, Evaluator, Verdict

__all__ = ["ExactEvaluator", "ThresholdEvaluator"]


class ThresholdEvaluator(Evaluator):
    """Accepts a candidate whose cosine similarity is at least ``threshold``.

    The threshold is a cosine similarity in [-1, 1] on every backend (1 = identical meaning).
    A request's ``min_similarity`` may raise it for that request, never lower it.
    """

    def __init__(self, threshold: float) -> None:
        if not -1.0 <= threshold <= 1.0:
            raise ConfigError(f"similarity threshold is a cosine in [-1, 1], got {threshold!r}")
        self.threshold = float(threshold)
        self.floor = self.threshold

    def judge(self, request: CacheRequest, candidate: Candidate) -> Verdict:
        """Compare the candidate's similarity with the (request's) threshold."""
        bar = self.threshold
        if request.min_similarity is not None:
            bar = max(bar, request.min_similarity)
        if candidate.similarity >= bar:
            return ACCEPT
        return Verdict(False, f"similarity {candidate.similarity:.3f} < {bar:.3f}")


class ExactEvaluator(Evaluator):
    """Accepts only a candidate whose normalized text equals the request's."""

    requires = frozenset({"key_text"})
    floor = 0.0

    def judge(self, request: CacheRequest, candidate: Candidate) -> Verdict:
        """Compare normalized texts."""
        if normalize_text(candidate.entry.key_text) == request.normalized:
            return ACCEPT
        return Verdict(False, "text differs")
