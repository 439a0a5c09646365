"""Vector indexes: the VectorIndex contract and its in-process backends."""

from gistcache.index._base import Hit, VectorIndex
from gistcache.index.flat import FlatIndex
from gistcache.index.memory import InMemoryIndex

__all__ = ["FlatIndex", "Hit", "InMemoryIndex", "VectorIndex"]
