"""GPTCache's ``string`` embedding: the text itself, which means exact matching only."""

from __future__ import annotations

from typing import Any

__all__ = ["to_embeddings"]


def to_embeddings(data: str, **_: Any) -> str:
    """The text unchanged; given as ``embedding_func`` it selects gistcache's exact tier."""
    return data
