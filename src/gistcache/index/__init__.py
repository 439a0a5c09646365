"""Vector indexes: the VectorIndex contract, its in-process backends, and the one place where an
index URL names a backend (``gistcache.index.pgvector`` is imported only when asked for)."""

from gistcache._errors import ConfigError
from gistcache.index._base import Hit, VectorIndex
from gistcache.index.flat import FlatIndex
from gistcache.index.memory import InMemoryIndex

__all__ = ["FlatIndex", "Hit", "InMemoryIndex", "VectorIndex", "open_index"]


def open_index(url: str | None, dimension: int) -> VectorIndex:
    """The index an ``index_url`` setting names: none is the in-process ``InMemoryIndex``; a
    PostgreSQL URL is ``PgVectorIndex`` (pgvector, HNSW on cosine)."""
    if not url:
        return InMemoryIndex(dimension)
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    if scheme in ("postgresql", "postgres"):
        from gistcache.index.pgvector import PgVectorIndex

        return PgVectorIndex(url, dimension)
    raise ConfigError(f"index_url {scheme}://... names no index backend; use a "
                      "postgresql+psycopg:// URL (pgvector), or leave it unset for the "
                      "in-process index")
