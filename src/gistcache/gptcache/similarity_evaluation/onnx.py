"""GPTCache's model evaluations (``OnnxModelEvaluation``, ``SbertCrossencoderEvaluation``),
on gistcache's pair verifier: a model that reads both questions and gives P(same answer)."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Mapping
from typing import Any

from .similarity_evaluation import SimilarityEvaluation

__all__ = ["OnnxModelEvaluation", "SbertCrossencoderEvaluation"]


class OnnxModelEvaluation(SimilarityEvaluation):
    """The probability, from gistcache's pair verifier, that one answer serves both questions.

    GPTCache ran an ALBERT model downloaded from a hub; gistcache ships its verifier in the
    package (nothing is downloaded), so ``model=`` is accepted and ignored with a warning. In a
    cache, ``Config(similarity_threshold=t)`` is the verifier's bar (a probability); left unset,
    the bar shipped with the model is used.
    """

    #: the name GPTCache gave the model; any other value is warned about and ignored
    default_model = "GPTCache/albert-duplicate-onnx"

    def __init__(self, model: str | None = None, **_: Any) -> None:
        if model is not None and model != self.default_model:
            warnings.warn(f"{type(self).__name__} runs gistcache's pair verifier; "
                          f"model={model!r} is ignored", UserWarning, stacklevel=2)
        self._lock = threading.Lock()
        self._evaluator: Any = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def range(self) -> tuple[float, float]:
        """A probability: 0 to 1."""
        return 0.0, 1.0

    def _verifier(self) -> Any:
        with self._lock:
            if self._evaluator is None:
                from ...evaluators import PairVerifierEvaluator

                self._evaluator = PairVerifierEvaluator()
            return self._evaluator

    def evaluation(self, src_dict: Mapping[str, Any], cache_dict: Mapping[str, Any],
                   **_: Any) -> float:
        """P(same answer) of the two questions (1 when they are equal)."""
        a, b = src_dict.get("question"), cache_dict.get("question")
        if not isinstance(a, str) or not isinstance(b, str):
            return 0.0
        if a.lower() == b.lower():
            return 1.0
        return float(self._verifier().probability(a, b))


class SbertCrossencoderEvaluation(OnnxModelEvaluation):
    """GPTCache's cross-encoder evaluation, also on gistcache's pair verifier (a cross-encoder
    downloaded from a hub is not run)."""

    default_model = "cross-encoder/quora-distilroberta-base"
