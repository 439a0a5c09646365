"""Entry stores: the rows of the cache."""

from ._base import EntryStore, NewEntry, StoreStats
from .sql import SQLStore, sqlite_url

__all__ = ["EntryStore", "NewEntry", "SQLStore", "StoreStats", "sqlite_url"]
