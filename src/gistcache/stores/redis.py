"""A shared exact tier in Redis (or Valkey) in front of any entry store, and in-flight markers
that let replicas coalesce identical misses.

``RedisExactTier(store, url)`` is itself an ``EntryStore``: every write goes to the store it
wraps (the source of truth) and then to Redis, where each exact key holds a JSON copy of its row
with a native TTL (the row's own expiry, capped by ``ttl``). A look-up by exact key asks Redis
first, so an answer stored through one replica is an exact hit through every other at once.

Ids only grow, so a Redis copy is written only over an older id; a delete leaves a tombstone
that outlives any late copy of the deleted row: the id Redis names is never a dead row's.

A Redis fault is logged and the store answers instead: it never fails a request. The server's
own configuration is never changed (memory limits and eviction are the operator's).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from .._errors import ConfigError, MissingExtra
from .._types import Entry
from ..eviction import EvictionPolicy
from ._base import EntryStore, InflightMarkers, NewEntry, PutResult, StoreStats

__all__ = ["RedisExactTier", "RedisInflight"]

log = logging.getLogger("gistcache.store.redis")

# KEYS[1] the exact key's slot; ARGV: id, value ("<id> <json>", or "<id> -" for a tombstone),
# ttl in ms (0: none).
# A slot only moves to a newer id; a tombstone also blocks a late copy of the id it buries.
_WRITE = """
local cur = redis.call('GET', KEYS[1])
if cur then
  local cid = tonumber(string.match(cur, '^(%d+)'))
  local new = tonumber(ARGV[1])
  if cid and (cid > new or (cid == new and string.sub(cur, -2) == ' -')) then return 0 end
end
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[2])
end
return 1
"""

# KEYS[1] a marker; ARGV[1] the token of the process that set it: only that one removes it
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

_FIELDS = [f.name for f in dataclasses.fields(Entry) if f.name != "embedding"]


def _encode(entry: Entry) -> str:
    row = {name: getattr(entry, name) for name in _FIELDS}
    return f"{entry.id} {json.dumps(row, ensure_ascii=False, separators=(',', ':'))}"


def _decode(value: bytes | str) -> Entry | None:
    text = value.decode("utf-8") if isinstance(value, bytes) else value
    _, _, body = text.partition(" ")
    if body == "-":
        return None  # a tombstone
    row = json.loads(body)
    return Entry(**{k: v for k, v in row.items() if k in _FIELDS})


class RedisInflight(InflightMarkers):
    """Markers ``SET NX PX``: the replica that sets one calls the model, the others wait."""

    def __init__(self, tier: RedisExactTier, ttl: float, poll: float) -> None:
        self._tier = tier
        self._ttl_ms = max(1, int(ttl * 1000))
        self.timeout = ttl
        self._poll = poll

    def claim(self, exact_key: str) -> str | None:
        token = secrets.token_hex(8)
        ok = self._tier._redis("claiming an in-flight marker", lambda r: r.set(
            self._tier._marker(exact_key), token, nx=True, px=self._ttl_ms), default=True)
        return token if ok else None

    def release(self, exact_key: str, token: str) -> None:
        self._tier._redis("releasing an in-flight marker", lambda r: self._tier._release(
            keys=[self._tier._marker(exact_key)], args=[token], client=r))

    def wait(self, exact_key: str) -> Entry | None:
        slot, marker = self._tier._slot(exact_key), self._tier._marker(exact_key)
        deadline = time.monotonic() + self.timeout
        while True:
            got = self._tier._redis("waiting for another replica",
                                    lambda r: r.mget([slot, marker]))
            if not got:
                return None  # Redis is down: call for ourselves
            value, held = got
            if value is not None and (entry := _decode(value)) is not None:
                return entry
            if held is None or time.monotonic() >= deadline:
                return None  # the other call failed, stored nothing, or takes too long
            time.sleep(self._poll)


class RedisExactTier(EntryStore):
    """An entry store with a shared exact tier in Redis in front of it."""

    shared = True

    def __init__(
        self,
        store: EntryStore,
        url: str = "redis://127.0.0.1:6379/0",
        *,
        prefix: str = "gistcache:",
        ttl: float | None = 3600.0,
        inflight_ttl: float = 60.0,
        poll: float = 0.02,
        clock: Callable[[], float] = time.time,
        client: Any = None,
    ) -> None:
        """Wrap ``store``; ``prefix`` keeps caches sharing one Redis database apart; ``ttl``
        caps how long a copy stays (None: until the row expires or is deleted);
        ``inflight_ttl`` is how long a replica may hold a marker, and others wait, at most."""
        try:
            import redis
        except ImportError as exc:
            raise MissingExtra("the Redis exact tier", "redis", "redis") from exc
        if not prefix:
            raise ConfigError("the Redis key prefix must not be empty")
        if ttl is not None and ttl <= 0:
            raise ConfigError(f"the Redis tier's ttl must be positive or None, got {ttl}")
        if inflight_ttl <= 0:
            raise ConfigError(f"inflight_ttl must be positive, got {inflight_ttl}")
        self.store = store
        self.keeps = store.keeps
        self.prefix = prefix
        self.ttl = ttl
        self.clock = clock
        self._errors = redis.RedisError
        self._where = _safe_redis_url(url)
        try:
            self.client = client if client is not None else redis.Redis.from_url(
                url, socket_timeout=2.0, socket_connect_timeout=2.0)
        except ValueError as exc:
            raise ConfigError(f"bad Redis URL {self._where}: {exc}") from exc
        self._write = self.client.register_script(_WRITE)
        self._release = self.client.register_script(_RELEASE)
        self.inflight = RedisInflight(self, inflight_ttl, poll)
        self._warned_at = -10.0
        #: seconds Redis is left alone after a fault; then the next request tries it again
        self.retry_after = 1.0
        self._down_until = 0.0
        self._warn_lock = threading.Lock()
        self.faults = 0

    # -- Redis, with faults turned into "not there" --------------------------------------------

    def _slot(self, exact_key: str) -> str:
        return f"{self.prefix}x:{exact_key}"

    def _marker(self, exact_key: str) -> str:
        return f"{self.prefix}f:{exact_key}"

    def _redis(self, what: str, op: Callable[[Any], Any], default: Any = None) -> Any:
        if time.monotonic() < self._down_until:
            return default  # failed a moment ago: no time-out per request while it is down
        try:
            return op(self.client)
        except self._errors as exc:
            self.faults += 1
            now = time.monotonic()
            self._down_until = now + self.retry_after
            with self._warn_lock:  # one line per 10 s, not one per request, while Redis is down
                loud = now - self._warned_at >= 10.0
                if loud:
                    self._warned_at = now
            if loud:
                log.warning("Redis %s: %s failed (%s: %s); the store answers instead",
                            self._where, what, type(exc).__name__, exc)
            return default

    def _copy(self, entry: Entry) -> None:
        """Write a row's copy unless it has expired or a newer id holds the slot."""
        px = 0
        if entry.expires_at is not None:
            left = entry.expires_at - self.clock()
            if left <= 0:
                return
            px = max(1, int(left * 1000))
        if self.ttl is not None:
            cap = int(self.ttl * 1000)
            px = min(px, cap) if px else cap
        self._redis("writing an exact-tier copy", lambda r: self._write(
            keys=[self._slot(entry.exact_key)], args=[entry.id, _encode(entry), px],
            client=r))

    def _bury(self, entries: Iterable[Entry]) -> None:
        # a tombstone lives as long as a copy could: a reader that fetched the row before the
        # delete cannot write it back afterwards
        px = int((self.ttl if self.ttl is not None else 3600.0) * 1000)

        def run(r: Any) -> None:
            pipe = r.pipeline(transaction=False)
            for e in entries:
                self._write(keys=[self._slot(e.exact_key)], args=[e.id, f"{e.id} -", px],
                            client=pipe)
            pipe.execute()

        self._redis("writing tombstones", run)

    # -- the exact tier -------------------------------------------------------------------------

    def get_by_exact_key(self, exact_key: str) -> Entry | None:
        """Redis first; on no copy (or a fault) the store, whose row is then copied."""
        value = self._redis("an exact look-up", lambda r: r.get(self._slot(exact_key)))
        if value is not None and (entry := _decode(value)) is not None:
            return entry
        row = self.store.get_by_exact_key(exact_key)
        if row is not None:
            self._copy(row)
        return row

    def put(self, entry: NewEntry, *, known_new: bool = False) -> PutResult:
        """Write through: the store, then the copy."""
        result = self.store.put(entry, known_new=known_new)
        self._copy(result.entry)
        return result

    def delete(self, ids: Iterable[int]) -> list[int]:
        """Delete in the store, then bury the Redis copies of what was deleted."""
        wanted = list(ids)
        rows = self.store.get_many(wanted)
        done = self.store.delete(wanted)
        self._bury(rows[i] for i in done if i in rows)
        return done

    def feedback(self, entry_id: int, correct: bool) -> Entry | None:
        """Count it in the store and refresh the copy (evaluators read the counts)."""
        row = self.store.feedback(entry_id, correct)
        if row is not None:
            self._copy(row)
        return row

    def clear_tier(self) -> int:
        """Remove every key under this tier's prefix (the store is untouched); returns how many."""
        def run(r: Any) -> int:
            n = 0
            for batch in _chunks(r.scan_iter(match=f"{self.prefix}*", count=500), 500):
                n += int(r.delete(*batch))
            return n

        return int(self._redis("clearing the tier", run, default=0))

    # -- everything else is the store's ---------------------------------------------------------

    def get_many(self, ids: Iterable[int]) -> dict[int, Entry]:
        return self.store.get_many(ids)

    def touch(self, hits: Mapping[int, tuple[int, float]]) -> None:
        self.store.touch(hits)

    def scan(self, *, after_id: int = 0, batch: int = 1000, with_embedding: bool = True
             ) -> Iterator[list[Entry]]:
        return self.store.scan(after_id=after_id, batch=batch, with_embedding=with_embedding)

    def tombstones_since(self, seq: int) -> tuple[list[int], int]:
        return self.store.tombstones_since(seq)

    def stats(self) -> StoreStats:
        return self.store.stats()

    def get_meta(self, key: str) -> str | None:
        return self.store.get_meta(key)

    def set_meta(self, key: str, value: str) -> None:
        self.store.set_meta(key, value)

    def victims(self, policy: EvictionPolicy, now: float, entries_over: int, size_over: int
                ) -> list[int]:
        return self.store.victims(policy, now, entries_over, size_over)

    def expired(self, now: float, limit: int = 1000) -> list[int]:
        return self.store.expired(now, limit)

    def all_ids(self, *, namespace: str | None = None, with_vector: bool = False
                ) -> dict[int, str]:
        return self.store.all_ids(namespace=namespace, with_vector=with_vector)

    def vectors(self, ids: Iterable[int]) -> dict[int, tuple[str, bytes]]:
        return self.store.vectors(ids)

    def exact_keys(self) -> list[str]:
        return self.store.exact_keys()

    def markers(self) -> tuple[int, int]:
        return self.store.markers()

    def close(self) -> None:
        """Close the store and the Redis connections."""
        try:
            self.store.close()
        finally:
            self.client.close()


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _safe_redis_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user + ':***' if ':' in creds else user}@{host}"
