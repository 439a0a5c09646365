"""Entry stores: the rows of the cache (``gistcache.stores.redis`` is imported when asked for)."""

from ._base import EntryStore, InflightMarkers, NewEntry, StoreStats
from .sql import SQLStore, sqlite_url

__all__ = ["EntryStore", "InflightMarkers", "NewEntry", "SQLStore", "StoreStats", "sqlite_url"]
