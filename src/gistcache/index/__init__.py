"""Vector indexes: the VectorIndex contract, its in-process backends, and the one place where an
index URL names a backend (``gistcache.index.pgvector``, ``.qdrant`` and ``.milvus`` are imported
only when asked for)."""

from gistcache._errors import ConfigError
from gistcache.index._base import Hit, VectorIndex
from gistcache.index.flat import FlatIndex
from gistcache.index.memory import InMemoryIndex

__all__ = ["FlatIndex", "Hit", "InMemoryIndex", "VectorIndex", "open_index"]

#: the URL forms of each index backend, as the error for an unknown scheme lists them
INDEX_URLS = {
    "postgresql": "postgresql+psycopg://user@host/db (pgvector)",
    "qdrant": "qdrant://host:6333, qdrant+https://host:6333, qdrant+local:///abs/dir or "
              "qdrant+memory:// (Qdrant)",
    "milvus": "milvus://host:19530, milvus+https://host:443 or milvus+lite:///abs/file.db "
              "(Milvus)",
}


def open_index(url: str | None, dimension: int) -> VectorIndex:
    """The index an ``index_url`` setting names: none is the in-process ``InMemoryIndex``; a
    PostgreSQL URL is ``PgVectorIndex`` (pgvector, HNSW on cosine); ``qdrant...://`` is
    ``QdrantIndex``; ``milvus...://`` is ``MilvusIndex``."""
    if not url:
        return InMemoryIndex(dimension)
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    if scheme in ("postgresql", "postgres"):
        from gistcache.index.pgvector import PgVectorIndex

        return PgVectorIndex(url, dimension)
    if scheme == "qdrant":
        from gistcache.index.qdrant import QdrantIndex

        return QdrantIndex(url, dimension)
    if scheme == "milvus":
        from gistcache.index.milvus import MilvusIndex

        return MilvusIndex(url, dimension)
    raise ConfigError(f"index_url {scheme}://... names no index backend; use one of "
                      f"{'; '.join(INDEX_URLS.values())}; or leave it unset for the "
                      "in-process index")
