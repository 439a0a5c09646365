"""A fast lexical embedder: hashed bag of words (and word pairs). Deterministic, no model.

Texts that share most words get similar vectors, so it can stand in for a real embedder in fast
tests of the semantic tier; it knows nothing of synonyms.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .._errors import InvalidRequest
from ._base import Embedder, checked_batch

__all__ = ["WordHashEmbedder"]

_WORD = re.compile(r"\w+", re.UNICODE)


def _bucket(token: str, dimension: int) -> tuple[int, float]:
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dimension, 1.0 if (value >> 63) & 1 else -1.0


class WordHashEmbedder(Embedder):
    """Signed feature hashing of lower-cased words and adjacent word pairs."""

    def __init__(self, dimension: int = 256) -> None:
        if dimension < 8:
            raise InvalidRequest(f"WordHashEmbedder dimension must be >= 8, got {dimension}")
        self.dimension = dimension
        self.name = f"words-{dimension}"

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed a batch of texts."""
        texts = checked_batch(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            features = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
            for feature in features or ["<empty>"]:
                col, sign = _bucket(feature, self.dimension)
                out[row, col] += sign
            norm = float(np.linalg.norm(out[row]))
            if norm > 0:
                out[row] /= norm
            else:
                out[row, 0] = 1.0
        return out
