"""GPTCache's ``NumpyNormEvaluation``: 2 minus the L2 distance of the (normalised) embeddings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from ..utils.error import ParamError
from .similarity_evaluation import SimilarityEvaluation

__all__ = ["NumpyNormEvaluation"]


class NumpyNormEvaluation(SimilarityEvaluation):
    """Score ``2 - ||a - b||`` of the two embeddings (normalised when ``enable_normal``).

    Equal questions (ignoring case) score 2. Without embeddings in the dicts, the questions are
    embedded by ``question_embedding_function``. In a cache the embeddings are unit vectors, so
    a threshold ``t`` means ``cos >= 1 - 2 (1 - t)^2`` (see :meth:`cosine_threshold`).
    """

    def __init__(self, enable_normal: bool = True,
                 question_embedding_function: Callable[[str], Any] | None = None) -> None:
        self.enable_normal = bool(enable_normal)
        self.question_encoder = question_embedding_function

    def __repr__(self) -> str:
        return f"NumpyNormEvaluation(enable_normal={self.enable_normal})"

    @staticmethod
    def normalize(vec: Any) -> npt.NDArray[np.float64]:
        """``vec`` scaled to length 1."""
        arr = np.asarray(vec, dtype=np.float64)
        out: npt.NDArray[np.float64] = arr / np.linalg.norm(arr)
        return out

    def range(self) -> tuple[float, float]:
        """The lowest and highest score: 0 and 2."""
        return 0.0, 2.0

    def cosine_threshold(self, similarity_threshold: float) -> float:
        """The cosine of unit vectors that a threshold ``t`` stands for: ``1 - 2 (1 - t)^2``."""
        t = float(similarity_threshold)
        if not 0.0 <= t <= 1.0:
            raise ParamError(f"similarity_threshold is a score in [0, 1], got {t!r}")
        distance = 2.0 * (1.0 - t)  # the score 2 - d reaches 2t
        return max(-1.0, 1.0 - distance * distance / 2.0)

    def evaluation(self, src_dict: Mapping[str, Any], cache_dict: Mapping[str, Any],
                   **_: Any) -> float:
        """The score of the pair."""
        src_q, cache_q = src_dict.get("question"), cache_dict.get("question")
        if isinstance(src_q, str) and isinstance(cache_q, str) and src_q.lower() == cache_q.lower():
            return self.range()[1]
        a, b = src_dict.get("embedding"), cache_dict.get("embedding")
        if a is None or b is None:
            if self.question_encoder is None or not isinstance(src_q, str) \
                    or not isinstance(cache_q, str):
                raise ParamError("NumpyNormEvaluation needs both embeddings, or both questions "
                                 "and a question_embedding_function")
            a, b = self.question_encoder(src_q), self.question_encoder(cache_q)
        if self.enable_normal:
            a, b = self.normalize(a), self.normalize(b)
        diff = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
        return float(self.range()[1] - np.linalg.norm(diff))
