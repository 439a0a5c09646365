"""The evaluator that asks the pair verifier whether one answer serves both questions."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from .._errors import ConfigError
from .._types import CacheRequest, Candidate
from ._base import ACCEPT, Evaluator, Verdict
from .crossmodel import JointVerifier

__all__ = ["PairVerifierEvaluator", "Verifier"]


class Verifier(Protocol):
    """What the evaluator needs of a pair verifier model."""

    threshold: float

    def probabilities(self, query: str, stored: Sequence[str]) -> list[float]:
        """P(one answer serves both) of the query against each stored question."""
        ...


class PairVerifierEvaluator(Evaluator):
    """Accepts a candidate when the pair verifier's P(same answer) reaches ``threshold``.

    The verifier (by default the token head and two cross-encoders together,
    :class:`~.crossmodel.JointVerifier`) reads the two texts
    itself, so it works with any embedder; it is loaded on first use (a cache that never sees a
    paraphrase candidate never loads it).
    """

    requires = frozenset({"key_text"})

    def __init__(self, threshold: float | None = None, *, directory: str | Path | None = None,
                 verifier: Verifier | None = None) -> None:
        if threshold is not None and not 0.0 <= threshold <= 1.0:
            raise ConfigError(f"verifier_threshold is a probability in [0, 1], got {threshold!r}")
        self._threshold = threshold
        self._directory = directory
        self._verifier = verifier
        self._lock = threading.Lock()

    @property
    def verifier(self) -> Verifier:
        """The loaded model (loaded, and its files verified, on first use)."""
        if self._verifier is None:
            with self._lock:
                if self._verifier is None:
                    self._verifier = JointVerifier(self._directory)
        return self._verifier

    @property
    def threshold(self) -> float:
        """The acceptance bar: the configured one, else the one shipped with the model."""
        return self._threshold if self._threshold is not None else self.verifier.threshold

    def offer_token_states(self, model_path: Path, texts: Sequence[str],
                           ids: Sequence[Sequence[int]], hidden: Any) -> None:
        """Hand the embedder's token states to the verifier, if it is loaded and reads the same
        model (an English question is then run through all-MiniLM-L6-v2 once per lookup, not
        twice). Before the verifier's first use there is nothing to share."""
        offer = getattr(self._verifier, "offer", None)
        if offer is not None:
            offer(model_path, texts, ids, hidden)

    def probability(self, query: str, stored: str) -> float:
        """P(one answer serves both)."""
        return self.verifier.probabilities(query, [stored])[0]

    def judge(self, request: CacheRequest, candidate: Candidate) -> Verdict:
        """Refuse a candidate the verifier finds to be another question."""
        p = self.probability(request.key_text, candidate.entry.key_text)
        bar = self.threshold
        if p >= bar:
            return ACCEPT
        return Verdict(False, f"verifier: P(same answer) {p:.2f} < {bar:.2f}")
