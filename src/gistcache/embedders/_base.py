"""The Embedder contract: text in, L2-normalised float32 vectors out, in batches."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .._errors import InvalidRequest

__all__ = ["Embedder", "checked_batch", "unit_rows"]


def checked_batch(texts: Sequence[str]) -> list[str]:
    """The texts of one ``embed`` call as a list; anything but strs is refused with an error."""
    if isinstance(texts, str):
        raise InvalidRequest("embed() takes a sequence of strings, not one string")
    batch = list(texts)
    for i, text in enumerate(batch):
        if not isinstance(text, str):
            raise InvalidRequest(f"text {i} to embed is {type(text).__name__}, not str")
    return batch


def unit_rows(rows: Any) -> npt.NDArray[np.float32]:
    """Rows scaled to norm 1 (a zero row stays zero), as float32."""
    out = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    result: npt.NDArray[np.float32] = (out / np.maximum(norms, 1e-12)).astype(np.float32)
    return result


class Embedder(ABC):
    """Turns texts into unit vectors whose dot product is their cosine similarity."""

    #: length of every vector
    dimension: int
    #: a stable name; stored with the index so that vectors of another model are not mixed in
    name: str
    #: False for embedders whose vectors carry no meaning (hash embedder: exact matches only)
    semantic: bool = True
    #: names of other embedders whose stored vectors this one can continue
    compatible: frozenset[str] = frozenset()

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed a batch: an array of shape ``(len(texts), dimension)``, each row of norm 1."""

    def route(self, text: str) -> str:
        """Which of the embedder's vector spaces ``text`` goes to; ``""`` for its only one.

        Vectors of different routes are not comparable: the cache keeps each route in its own
        scope (see :class:`~gistcache.embedders.routed.RoutedEmbedder`).
        """
        return ""

    def embed_one(self, text: str) -> npt.NDArray[np.float32]:
        """Embed one text: an array of shape ``(dimension,)``."""
        vec: npt.NDArray[np.float32] = self.embed([text])[0]
        return vec

    def close(self) -> None:  # noqa: B027
        """Release resources."""
