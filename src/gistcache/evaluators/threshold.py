"""Similarity thresholds: the first and cheapest evaluators."""

from __future__ import annotations

from collections.abc import Mapping

from .._errors import ConfigError
from .._types import CacheRequest, Candidate, normalize_text
from ._base import ACCEPT, Evaluator, Verdict
from .spelling import align_spelling, spelling_similarity

__all__ = ["ExactEvaluator", "ThresholdEvaluator"]


class ThresholdEvaluator(Evaluator):
    """Accepts a candidate whose cosine similarity is at least ``threshold``.

    The threshold is a cosine similarity in [-1, 1] on every backend (1 = identical meaning).
    ``by_route`` gives another bar to requests of an embedder route (the multilingual model's
    cosines sit higher than the English one's: unrelated Korean questions score about 0.8).
    A request's ``min_similarity`` may raise the bar for that request, never lower it.

    ``spelling``: a candidate below the bar also passes when its text is a spelling variant of
    the request's (:func:`~.spelling.spelling_similarity` of the two texts, misspelt words read as
    meant (:func:`~.spelling.align_spelling`), at least ``spelling``) and its cosine is at least
    ``spelling_floor`` — typos move an embedding far more than they move the meaning. Only for a
    pipeline with the pair verifier after it (which judges such pairs letter by letter), and
    never for a request with its own ``min_similarity``.
    """

    def __init__(self, threshold: float, by_route: Mapping[str, float] | None = None, *,
                 spelling: float | None = None, spelling_floor: float = 0.4) -> None:
        bars = {"": threshold, **(by_route or {})}
        for route, bar in bars.items():
            if not -1.0 <= bar <= 1.0:
                raise ConfigError(f"similarity threshold{' of route ' + route if route else ''}"
                                  f" is a cosine in [-1, 1], got {bar!r}")
        if spelling is not None and not 0.0 < spelling <= 1.0:
            raise ConfigError(f"spelling similarity is a share in (0, 1], got {spelling!r}")
        if not -1.0 <= spelling_floor <= 1.0:
            raise ConfigError(f"spelling_floor is a cosine in [-1, 1], got {spelling_floor!r}")
        self.threshold = float(threshold)
        self.by_route = {k: float(v) for k, v in (by_route or {}).items()}
        self.spelling = spelling
        self.spelling_floor = float(spelling_floor)
        self.floor = min(bars.values())
        if spelling is not None:
            self.floor = min(self.floor, self.spelling_floor)
            self.requires = frozenset({"key_text"})

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
        if (self.spelling is not None and request.min_similarity is None
                and candidate.similarity >= self.spelling_floor
                and spelling_similarity(*align_spelling(request.key_text,
                                                        candidate.entry.key_text))
                >= self.spelling):
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
