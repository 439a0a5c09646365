"""The EntryStore contract: the rows of the cache, its source of truth."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from .._types import Entry
from ..eviction import EvictionPolicy

__all__ = ["EntryStore", "NewEntry", "PutResult", "StoreStats"]


@dataclass
class NewEntry:
    """What a put writes; the store assigns id and size bookkeeping."""

    scope_key: str
    exact_key: str
    key_text: str
    answer: str
    scope_json: str
    payload: str | None
    embedding: bytes | None
    created_at: float
    expires_at: float | None
    size: int
    model: str
    namespace: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    context: str = ""


@dataclass(frozen=True)
class PutResult:
    """The row written, and the row it replaced (same exact key), if any."""

    entry: Entry
    replaced_id: int | None = None
    replaced_size: int = 0


@dataclass(frozen=True)
class StoreStats:
    """Totals the cache needs for budgets and syncing between processes."""

    count: int
    size: int
    max_id: int
    max_tombstone: int


class EntryStore(ABC):
    """Rows of stored answers. Every method is safe to call from several threads."""

    #: fields this store keeps (an evaluator that needs one it lacks is refused at construction)
    keeps: frozenset[str] = frozenset({"key_text", "embedding", "feedback", "context"})

    @abstractmethod
    def put(self, entry: NewEntry, *, known_new: bool = False) -> PutResult:
        """Insert, replacing (and tombstoning) any row with the same exact key.

        ``known_new``: the caller knows of no row with this exact key (a hint, not a promise).
        """

    @abstractmethod
    def get_many(self, ids: Iterable[int]) -> dict[int, Entry]:
        """The rows with these ids (missing ids are absent from the result)."""

    @abstractmethod
    def get_by_exact_key(self, exact_key: str) -> Entry | None:
        """The row with this exact key, or None."""

    @abstractmethod
    def delete(self, ids: Iterable[int]) -> list[int]:
        """Delete rows (recording tombstones for other processes); returns the ids deleted."""

    @abstractmethod
    def touch(self, hits: Mapping[int, tuple[int, float]]) -> None:
        """Add ``count`` to each row's hits and set its last access time (batched writes)."""

    @abstractmethod
    def feedback(self, entry_id: int, correct: bool) -> Entry | None:
        """Record a right or wrong hit of an entry; returns the updated row."""

    @abstractmethod
    def victims(
        self, policy: EvictionPolicy, now: float, entries_over: int, size_over: int
    ) -> list[int]:
        """Ids to drop: expired rows first, then in policy order, until ``entries_over`` rows
        and ``size_over`` bytes are freed."""

    @abstractmethod
    def expired(self, now: float, limit: int = 1000) -> list[int]:
        """Ids of rows whose expiry time has passed."""

    @abstractmethod
    def scan(
        self, *, after_id: int = 0, batch: int = 1000, with_embedding: bool = True
    ) -> Iterator[list[Entry]]:
        """All rows with id > ``after_id`` in id order, in batches."""

    @abstractmethod
    def all_ids(self, *, namespace: str | None = None, with_vector: bool = False
                ) -> dict[int, str]:
        """Ids with their scope key: all, one namespace's, or those that carry a vector."""

    @abstractmethod
    def vectors(self, ids: Iterable[int]) -> dict[int, tuple[str, bytes]]:
        """(scope key, vector bytes) of the rows with these ids that carry a vector."""

    @abstractmethod
    def exact_keys(self) -> list[str]:
        """The exact key of every row (to know, without a query, which texts are stored)."""

    @abstractmethod
    def tombstones_since(self, seq: int) -> tuple[list[int], int]:
        """Entry ids deleted after tombstone ``seq``, and the newest seq."""

    @abstractmethod
    def stats(self) -> StoreStats:
        """Row count, total size, newest id and newest tombstone."""

    def markers(self) -> tuple[int, int]:
        """Newest id and newest tombstone: cheap, polled to notice other processes' writes."""
        stats = self.stats()
        return stats.max_id, stats.max_tombstone

    @abstractmethod
    def get_meta(self, key: str) -> str | None:
        """A value of the store's metadata table."""

    @abstractmethod
    def set_meta(self, key: str, value: str) -> None:
        """Set a metadata value."""

    def close(self) -> None:  # noqa: B027
        """Release connections."""
