"""Evaluators: decide whether a candidate entry truly answers a request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._base import Evaluator, Verdict
from .guarding import GuardEvaluator
from .guards import GUARDS, veto
from .identifiers import IdentifierEvaluator
from .judge import JudgeStats, LLMJudgeEvaluator
from .pair import PairVerifierEvaluator
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
    "IdentifierEvaluator",
    "JudgeStats",
    "LLMJudgeEvaluator",
    "PairVerifierEvaluator",
    "Pipeline",
    "ThresholdEvaluator",
    "Verdict",
    "default_evaluator",
    "veto",
]


def default_evaluator(config: Config, embedder_name: str | None = None) -> Pipeline:
    """Cosine threshold, identifiers compared exactly, the word-list guards, the pair verifier,
    per-entry feedback bars.

    The pair verifier reads both questions with its own encoder, so it runs with any embedder.
    ``config.guards`` names the word-list guards run as a first pass (None: all; empty: none).
    ``embedder_name`` is accepted for callers of the previous signature and not needed.
    """
    from ..config import (
        DEFAULT_MULTILINGUAL_THRESHOLD,
        DEFAULT_SPELLING,
        DEFAULT_THRESHOLD,
        SPELLING_FLOOR,
        THRESHOLD_WITHOUT_VERIFIER,
    )

    threshold = config.similarity_threshold
    if threshold is None:
        threshold = DEFAULT_THRESHOLD if config.verifier else THRESHOLD_WITHOUT_VERIFIER
    multilingual = config.multilingual_threshold
    if multilingual is None:
        multilingual = max(threshold, DEFAULT_MULTILINGUAL_THRESHOLD)
    # misspelt questions reach the verifier below the cosine bar, only when the verifier runs
    spelling = DEFAULT_SPELLING if config.verifier else None
    parts: list[Evaluator] = [ThresholdEvaluator(threshold, {"multilingual": multilingual},
                                                 spelling=spelling, spelling_floor=SPELLING_FLOOR),
                              IdentifierEvaluator()]
    # the word-list guards are a cheap first pass (every figure in benchmarks/results/quality.md
    # was measured with them); the pair verifier does not read their output, so a change to a
    # word list cannot shift the model's weights, but it moves what reaches the verifier's bar:
    # the manifests record the guards' fingerprint (tests/test_guards_fingerprint.py)
    guards = config.guards if config.guards is not None else list(GUARDS)
    if guards:
        parts.append(GuardEvaluator(guards))
    if config.verifier:
        parts.append(PairVerifierEvaluator(config.verifier_threshold))
    parts.append(FeedbackEvaluator(threshold, step=config.feedback_step,
                                   max_wrong=config.feedback_max_wrong))
    return Pipeline(parts)
