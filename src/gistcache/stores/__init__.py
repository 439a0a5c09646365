"""Entry stores: the rows of the cache (``gistcache.stores.redis`` is imported when asked for)."""

from ._base import EntryStore, InflightMarkers, NewEntry, PutResult, StoreStats
from .sql import SQLStore, sqlite_url

__all__ = [
    "EntryStore",
    "InflightMarkers",
    "NewEntry",
    "PutResult",
    "SQLStore",
    "StoreStats",
    "sqlite_url",
]
