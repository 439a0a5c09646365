"""Composite evaluators: a pipeline of checks, and per-entry bars learned from feedback."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .._errors import ConfigError
from .._types import CacheRequest, Candidate
from ._base import ACCEPT, Evaluator, Verdict

__all__ = ["FeedbackEvaluator", "Pipeline"]


class Pipeline(Evaluator):
    """Accepts a candidate only when every evaluator accepts it (first refusal wins)."""

    def __init__(self, evaluators: Sequence[Evaluator]) -> None:
        if not evaluators:
            raise ConfigError("a Pipeline needs at least one evaluator")
        self.evaluators = list(evaluators)
        self.requires = frozenset().union(*(e.requires for e in self.evaluators))
        self.floor = max(e.floor for e in self.evaluators)

    def judge(self, request: CacheRequest, candidate: Candidate) -> Verdict:
        """Run each evaluator in order."""
        for evaluator in self.evaluators:
            verdict = evaluator.judge(request, candidate)
            if not verdict.accepted:
                return verdict
        return ACCEPT

    def walk(self) -> Iterable[Evaluator]:
        """Every evaluator in the pipeline, nested pipelines included."""
        for evaluator in self.evaluators:
            if isinstance(evaluator, Pipeline):
                yield from evaluator.walk()
            else:
                yield evaluator


class FeedbackEvaluator(Evaluator):
    """Raises an entry's bar after each reported wrong hit; enough of them stop paraphrases.

    Each wrong hit adds ``step`` to the cosine an entry needs; after ``max_wrong`` wrong hits the
    entry is served for exact repeats only.
    """

    requires = frozenset({"feedback"})

    def __init__(self, base_threshold: float, *, step: float = 0.03, max_wrong: int = 3) -> None:
        if step <= 0 or max_wrong < 1:
            raise ConfigError("FeedbackEvaluator needs step > 0 and max_wrong >= 1")
        self.base = base_threshold
        self.step = step
        self.max_wrong = max_wrong

    def judge(self, request: CacheRequest, candidate: Candidate) -> Verdict:
        """Refuse paraphrase hits on entries reported wrong too often."""
        wrong = candidate.entry.wrong_hits
        if wrong <= 0:
            return ACCEPT
        if wrong >= self.max_wrong:
            return Verdict(False, f"entry had {wrong} wrong hits: exact repeats only")
        bar = min(1.0, self.base + self.step * wrong)
        if candidate.similarity >= bar:
            return ACCEPT
        return Verdict(False, f"similarity {candidate.similarity:.3f} < {bar:.3f} after feedback")
