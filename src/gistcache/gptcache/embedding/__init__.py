"""GPTCache's ``Onnx`` embedding: gistcache's default all-MiniLM-L6-v2 ONNX embedder."""

from __future__ import annotations

import threading
import warnings
from typing import Any

import numpy as np
import numpy.typing as npt

from ...embedders.onnx import OnnxEmbedder

__all__ = ["Onnx"]


class Onnx:
    """all-MiniLM-L6-v2 (int8 ONNX, 384 dimensions), loaded on first use, offline.

    GPTCache's ``Onnx`` ran another model (768 dimensions); a ``model=`` argument is accepted
    and ignored with a warning. Pass ``to_embeddings`` to ``cache.init(embedding_func=...)``:
    the cache then runs the embedder itself, in batches.
    """

    def __init__(self, model: str | None = None, *, embedder: OnnxEmbedder | None = None
                 ) -> None:
        if model is not None:
            warnings.warn(
                f"gistcache.gptcache.embedding.Onnx always runs all-MiniLM-L6-v2 "
                f"({OnnxEmbedder.dimension} dimensions); model={model!r} is ignored",
                UserWarning, stacklevel=2)
        self._embedder = embedder
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        """Length of every vector."""
        return OnnxEmbedder.dimension

    @property
    def embedder(self) -> OnnxEmbedder:
        """The gistcache embedder (loads the model the first time)."""
        with self._lock:
            if self._embedder is None:
                self._embedder = OnnxEmbedder()
            return self._embedder

    def to_embeddings(self, data: str, **_: Any) -> npt.NDArray[np.float32]:
        """One text as a unit vector of ``dimension`` floats."""
        return self.embedder.embed_one(data)
