"""Evaluators: decide whether a candidate entry truly answers a request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._base import Evaluator, Verdict
from .guarding import GuardEvaluator
from .guards import GUARDS, veto
from .pipeline import FeedbackEvaluator, Pipeline
from .threshold import ExactEvaluator, ThresholdEvaluator

if TYPE_CHECKING:
    from ..config import Config

__all__ = [
    "GUARDS",
    "Evaluator",
    "ExactEvaluator",
    "FeedbackEvaluator",
    "GuardEvaluator",
    "Pipeline",
    "ThresholdEvaluator",
    "Verdict",
    "default_evaluator",
    "veto",
]


def default_evaluator(config: Config) -> Pipeline:
    """Cosine threshold, then the meaning guards, then per-entry bars from feedback."""
    return Pipeline(
        [
            ThresholdEvaluator(config.similarity_threshold),
            GuardEvaluator(config.guards),
            FeedbackEvaluator(config.similarity_threshold, step=config.feedback_step,
                              max_wrong=config.feedback_max_wrong),
        ]
    )
