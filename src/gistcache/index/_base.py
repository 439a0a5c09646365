"""The VectorIndex contract: add, remove and search vectors, each in a partition.

A partition is an opaque string (the hash of a request's scope); a search never returns an id
from another partition. Vectors are float32, L2-normalised by the embedder, and every backend
reports **cosine similarity in [-1, 1]** (higher is closer) whatever it uses inside, so that a
threshold means the same thing on every backend.

The index is derived data: the entry store holds every vector, and the cache rebuilds or
reconciles the index from the store when it is missing or stale.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from gistcache._errors import ConfigError

__all__ = ["Hit", "VectorIndex", "check_graph_settings"]

Vector = npt.NDArray[np.float32]

#: (entry id, cosine similarity)
Hit = tuple[int, float]


class VectorIndex(ABC):
    """Approximate (or exact) nearest-neighbour search over entry vectors, by partition."""

    #: dimension of every vector; checked against the embedder when a cache is built
    dimension: int
    #: False for an index that cannot rank by meaning (none today); checked at construction
    semantic: bool = True

    @abstractmethod
    def add(self, partition: str, ids: Sequence[int], vectors: Vector) -> None:
        """Add (or replace) vectors ``vectors[i]`` under ``ids[i]`` in ``partition``."""

    @abstractmethod
    def remove(self, ids: Iterable[int]) -> None:
        """Remove ids wherever they are; unknown ids are ignored. Removed means gone from search."""

    @abstractmethod
    def search(self, partition: str, vector: Vector, k: int) -> list[Hit]:
        """The up to ``k`` nearest ids in ``partition``, best first, with cosine similarity."""

    @abstractmethod
    def ids(self) -> set[int]:
        """Every id the index holds (used to reconcile with the store)."""

    def __len__(self) -> int:
        return len(self.ids())

    def maintain(self) -> int:
        """Periodic upkeep (an in-process index re-checks that entries stay reachable); returns
        how many entries it repaired. Meant for the cache's background thread; cheap to call."""
        return 0

    def save(self, path: Path) -> None:  # noqa: B027 - optional for remote backends
        """Persist to ``path`` (a directory). Remote backends persist by themselves."""

    def load(self, path: Path) -> bool:
        """Load from ``path``; False when nothing usable is there (the caller rebuilds)."""
        return False

    def close(self) -> None:  # noqa: B027
        """Release resources."""


def check_graph_settings(backend: str, dimension: int,
                         settings: Sequence[tuple[str, int, int, int]]) -> None:
    """Refuse a non-positive dimension, or an HNSW setting outside what ``backend`` accepts:
    ``settings`` are (name, value, lowest, highest)."""
    if dimension <= 0:
        raise ConfigError(f"dimension must be positive, got {dimension}")
    for name, value, low, high in settings:
        if not low <= value <= high:
            raise ConfigError(f"{backend} {name} must be in [{low}, {high}], got {value}")
