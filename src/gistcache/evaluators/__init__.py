"""Evaluators: decide whether a candidate entry truly answers a request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._base import Evaluator, Verdict
from .guarding import GuardEvaluator
from .guards import GUARDS, veto
from .judge import JudgeStats, LLMJudgeEvaluator
from .pipeline import FeedbackEvaluator, Pipeline
from .threshold import ExactEvaluator, ThresholdEvaluator
from .verifier import VerifierEvaluator

if TYPE_CHECKING:
    from ..config import Config

__all__ = [
    "GUARDS",
    "Evaluator",
    "ExactEvaluator",
    "FeedbackEvaluator",
    "GuardEvaluator",
    "JudgeStats",
    "LLMJudgeEvaluator",
    "Pipeline",
    "ThresholdEvaluator",
    "Verdict",
    "VerifierEvaluator",
    "default_evaluator",
    "veto",
]


#: the embedder whose cosines the shipped verifier was trained on
VERIFIER_EMBEDDER = "all-MiniLM-L6-v2-int8"


def default_evaluator(config: Config, embedder_name: str | None = None) -> Pipeline:
    """Cosine threshold, the meaning guards, the learned verifier, per-entry feedback bars.

    The verifier is used only with the embedder it was trained on (the default); with another
    embedder, calibrate the threshold on labelled pairs (``gistcache calibrate``).
    """
    from ..config import DEFAULT_THRESHOLD, THRESHOLD_WITHOUT_VERIFIER

    verify = config.verifier and embedder_name == VERIFIER_EMBEDDER
    threshold = config.similarity_threshold
    if threshold is None:
        threshold = DEFAULT_THRESHOLD if verify else THRESHOLD_WITHOUT_VERIFIER
    parts: list[Evaluator] = [ThresholdEvaluator(threshold), GuardEvaluator(config.guards)]
    if verify:
        parts.append(VerifierEvaluator(threshold=config.verifier_threshold))
    parts.append(FeedbackEvaluator(threshold, step=config.feedback_step,
                                   max_wrong=config.feedback_max_wrong))
    return Pipeline(parts)
