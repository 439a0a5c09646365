"""The EntryStore contract: the rows of the cache, its source of truth."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .._errors import InvalidRequest
from .._types import Entry
from ..eviction import EvictionPolicy

__all__ = ["EntryStore", "InflightMarkers", "NewEntry", "PutResult", "StoreStats"]


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


def known_new_hints(entries: Sequence[NewEntry], known_new: Sequence[bool] | None
                    ) -> list[bool]:
    """``put_many``'s hints, one per entry (all False when not given)."""
    hints = list(known_new) if known_new is not None else [False] * len(entries)
    if len(hints) != len(entries):
        raise InvalidRequest(f"{len(entries)} entries for {len(hints)} known_new hints")
    return hints


class InflightMarkers(ABC):
    """Markers shared by processes so that identical misses make one model call between them.

    The process whose ``claim`` succeeds calls the model, stores the answer and ``release``s;
    another one ``wait``s for the stored row (None: the call failed or took too long, so it
    calls for itself). A marker that is never released expires by itself.
    """

    @abstractmethod
    def claim(self, exact_key: str) -> str | None:
        """A token when this process may call (it holds the marker, or markers are unreachable);
        None when another process holds it."""

    @abstractmethod
    def release(self, exact_key: str, token: str) -> None:
        """Drop the marker this process holds."""

    @abstractmethod
    def wait(self, exact_key: str) -> Entry | None:
        """The row stored by the marker's holder, or None once the marker is gone or old."""


class EntryStore(ABC):
    """Rows of stored answers. Every method is safe to call from several threads.

    A backend writes eleven methods: ``put``, ``get_many``, ``get_by_exact_key``, ``delete``,
    ``touch``, ``feedback``, ``scan``, ``tombstones_since``, ``stats``, ``get_meta`` and
    ``set_meta``. The rest have plain defaults built on ``scan``/``stats``, right for any store
    and overridden by one that can answer them with a query (``SQLStore`` does).
    """

    #: fields this store keeps (an evaluator that needs one it lacks is refused at construction)
    keeps: frozenset[str] = frozenset({"key_text", "embedding", "feedback", "context"})
    #: other processes write to this store and it answers for them at once (a shared tier such
    #: as Redis in front): the cache asks it for rows instead of trusting what it holds in
    #: memory, and asks it even for texts this process has not seen stored
    shared: bool = False
    #: markers that coalesce identical misses across processes, when the store has them
    inflight: InflightMarkers | None = None

    @abstractmethod
    def put(self, entry: NewEntry, *, known_new: bool = False) -> PutResult:
        """Insert, replacing (and tombstoning) any row with the same exact key.

        ``known_new``: the caller knows of no row with this exact key (a hint, not a promise).
        """

    def put_many(self, entries: Sequence[NewEntry], *, known_new: Sequence[bool] | None = None
                 ) -> list[PutResult]:
        """:meth:`put` each entry in order (a store may do it in one transaction)."""
        hints = known_new_hints(entries, known_new)
        return [self.put(e, known_new=k) for e, k in zip(entries, hints, strict=True)]

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
    def scan(
        self, *, after_id: int = 0, batch: int = 1000, with_embedding: bool = True
    ) -> Iterator[list[Entry]]:
        """All rows with id > ``after_id`` in id order, in batches."""

    @abstractmethod
    def tombstones_since(self, seq: int) -> tuple[list[int], int]:
        """Entry ids deleted after tombstone ``seq``, and the newest seq."""

    @abstractmethod
    def stats(self) -> StoreStats:
        """Row count, total size, newest id and newest tombstone."""

    @abstractmethod
    def get_meta(self, key: str) -> str | None:
        """A value of the store's metadata table."""

    @abstractmethod
    def set_meta(self, key: str, value: str) -> None:
        """Set a metadata value."""

    # -- derived: defaults on scan/stats, overridden where a query does better ------------------

    def victims(
        self, policy: EvictionPolicy, now: float, entries_over: int, size_over: int
    ) -> list[int]:
        """Ids to drop: expired rows first, then in policy order, until ``entries_over`` rows
        and ``size_over`` bytes are freed."""
        if entries_over <= 0 and size_over <= 0:
            return []
        rows = [e for batch in self.scan(with_embedding=False) for e in batch]
        rows.sort(key=lambda e: _victim_order(e, policy, now))
        chosen: list[int] = []
        freed_b = 0
        for row in rows:
            if len(chosen) >= entries_over and freed_b >= size_over:
                break
            chosen.append(row.id)
            freed_b += row.size
        return chosen

    def expired(self, now: float, limit: int = 1000) -> list[int]:
        """Ids of rows whose expiry time has passed."""
        out: list[int] = []
        for batch in self.scan(with_embedding=False):
            out.extend(e.id for e in batch if e.expires_at is not None and e.expires_at <= now)
            if len(out) >= limit:
                return out[:limit]
        return out

    def all_ids(self, *, namespace: str | None = None, with_vector: bool = False
                ) -> dict[int, str]:
        """Ids with their scope key: all, one namespace's, or those that carry a vector."""
        return {
            e.id: e.scope_key
            for batch in self.scan(with_embedding=with_vector)
            for e in batch
            if (namespace is None or e.namespace == namespace)
            and (not with_vector or e.embedding is not None)
        }

    def vectors(self, ids: Iterable[int]) -> dict[int, tuple[str, bytes]]:
        """(scope key, vector bytes) of the rows with these ids that carry a vector."""
        wanted = set(ids)
        return {
            e.id: (e.scope_key, bytes(e.embedding))
            for batch in self.scan()
            for e in batch
            if e.id in wanted and e.embedding is not None
        }

    def exact_keys(self) -> list[str]:
        """The exact key of every row (to know, without a query, which texts are stored)."""
        return [e.exact_key for batch in self.scan(with_embedding=False) for e in batch]

    def markers(self) -> tuple[int, int]:
        """Newest id and newest tombstone: cheap, polled to notice other processes' writes."""
        stats = self.stats()
        return stats.max_id, stats.max_tombstone

    def close(self) -> None:  # noqa: B027
        """Release connections."""


def _victim_order(entry: Entry, policy: EvictionPolicy, now: float) -> tuple[Any, ...]:
    """Sort key of eviction: expired rows first, then the policy's columns (no expiry last)."""
    expired = entry.expires_at is not None and entry.expires_at <= now
    key: list[Any] = [not expired]
    for name in policy.order_by:
        value = getattr(entry, name)
        key.extend([value is None, value or 0.0] if name == "expires_at" else [value])
    return tuple(key)
