"""The in-process hot tier: recently used entries by id and by exact key, bounded in bytes.

The entry store stays the source of truth; this only saves a database round trip on hits.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from ._types import Entry

__all__ = ["HotTier"]

_OVERHEAD = 600  # Python objects of an entry (dataclass, payload dict), roughly


def _cost(entry: Entry) -> int:
    # entry.size counts the vector, which the hot tier does not hold
    return len(entry.key_text) + len(entry.answer) + len(entry.context) + _OVERHEAD


class HotTier:
    """An LRU of entries bounded by ``max_bytes`` (their ``size`` plus overhead)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._by_id: OrderedDict[int, Entry] = OrderedDict()
        self._by_exact: dict[str, int] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, entry_id: int) -> Entry | None:
        """The entry with this id, if held."""
        with self._lock:
            entry = self._by_id.get(entry_id)
            if entry is not None:
                self._by_id.move_to_end(entry_id)
            return entry

    def by_exact(self, exact_key: str) -> Entry | None:
        """The entry with this exact key, if held."""
        with self._lock:
            entry_id = self._by_exact.get(exact_key)
            if entry_id is None:
                return None
            self._by_id.move_to_end(entry_id)
            return self._by_id[entry_id]

    def put(self, entry: Entry) -> None:
        """Hold an entry, dropping the least recently used ones beyond the byte budget."""
        if self.max_bytes <= 0:
            return
        cost = _cost(entry)
        with self._lock:
            self._drop_locked(entry.id)
            old = self._by_exact.get(entry.exact_key)
            if old is not None:
                self._drop_locked(old)
            self._by_id[entry.id] = entry
            self._by_exact[entry.exact_key] = entry.id
            self._bytes += cost
            while self._bytes > self.max_bytes and self._by_id:
                victim = next(iter(self._by_id))
                self._drop_locked(victim)

    def drop(self, entry_id: int) -> None:
        """Forget an entry (deleted, replaced or evicted)."""
        with self._lock:
            self._drop_locked(entry_id)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._by_id.clear()
            self._by_exact.clear()
            self._bytes = 0

    def _drop_locked(self, entry_id: int) -> None:
        entry = self._by_id.pop(entry_id, None)
        if entry is None:
            return
        self._bytes -= _cost(entry)
        if self._by_exact.get(entry.exact_key) == entry_id:
            del self._by_exact[entry.exact_key]
