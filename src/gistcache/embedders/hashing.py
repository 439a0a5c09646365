"""A deterministic embedder for exact-only mode and fast tests (no meaning in its vectors)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .._errors import InvalidRequest
from ._base import Embedder, checked_batch

__all__ = ["HashEmbedder"]


class HashEmbedder(Embedder):
    """Maps each text to a pseudo-random unit vector seeded by its sha256.

    Equal texts get equal vectors and different texts nearly orthogonal ones, so only exact
    repeats match. ``semantic`` is False: a cache refuses to pair it with a similarity threshold
    below 1 unless told that exact-only is intended.
    """

    semantic = False

    def __init__(self, dimension: int = 64) -> None:
        if dimension < 2:
            raise InvalidRequest(f"HashEmbedder dimension must be >= 2, got {dimension}")
        self.dimension = dimension
        self.name = f"hash-{dimension}"

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed a batch of texts."""
        texts = checked_batch(texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")
            vec = np.random.default_rng(seed).standard_normal(self.dimension)
            out[i] = vec / np.linalg.norm(vec)
        return out
