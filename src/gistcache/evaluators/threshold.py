"""Similarity thresholds: the first and cheapest evaluators."""

from __future__ import annotations

from collections.abc import Mapping

from .._errors import ConfigError
from .._types import CacheRequest, Candidate, normalize_text
from ._base import ACCEPT, Evaluator, Verdict

__all__ = ["ExactEvaluator", "ThresholdEvaluator"]


class ThresholdEvaluator(Evaluator):
    """Accepts a candidate whose cosine similarity is at least ``threshold``.

    The threshold is a cosine similarity in [-1, 1] on every backend (1 = identical meaning).
    ``by_route`` gives another bar to requests of an embedder route (the multilingual model's
    cosines sit higher than the English one's: unrelated Korean questions score about 0.8).
    A request's ``min_similarity`` may raise the bar for that request, never lower it.
    """

    def __init__(self, threshold: float, by_route: Mapping[str, float] | None = None) -> None:
        bars = {"": threshold, **(by_route or {})}
        for route, bar in bars.items():
            if not -1.0 <= bar <= 1.0:
                raise ConfigError(f"similarity threshold{' of route ' + route if route else ''}"
                                  f" is a cosine in [-1, 1], got {bar!r}")
        self.threshold = float(threshold)
        self.by_route = {k: float(v) for k, v in (by_route or {}).items()}
        self.floor = min(bars.values())

    def bar(self, request: CacheRequest) -> float:
        """The cosine this request's candidates need."""
        route = request.scope.params.get("route", "")
        bar = self.by_route.get(route, self.threshold) if route else self.threshold
        if request.min_similarity is not None:
            bar = max(bar, request.min_similarity)
        return bar

    def judge(self, request: CacheRequest, candidate: Candidate) -> Verdict:
        """Compare the candidate's similarity with the (request's) threshold."""
        bar = self.bar(request)
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
