"""The Redis exact tier beyond the store contract (tests/test_stores.py runs that one on it):
copies shared between replicas, native TTLs, tombstones against stale copies, in-flight markers
that coalesce identical misses across caches, and Redis faults that never fail a request.
Runs on this machine's Redis, each test under a key prefix of its own (deleted afterwards)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REDIS_URL, FakeClock

from gistcache import Answer, Cache, Config, HitKind
from gistcache.stores import NewEntry, SQLStore, sqlite_url
from gistcache.stores.redis import RedisExactTier


def new(key: str, *, answer: str = "an answer", expires: float | None = None,
        created: float = 1_000_000.0) -> NewEntry:
    return NewEntry(scope_key="s", exact_key=key, key_text=f"text {key}", answer=answer,
                    scope_json="{}", payload='{"finish_reason": "stop"}', embedding=None,
                    created_at=created, expires_at=expires, size=10, model="m",
                    namespace="default")


@pytest.fixture
def tiers(redis_prefix: str, clock: FakeClock, tmp_path: Path) -> Iterator[Any]:
    """Makes tiers under this test's prefix, each over its own SQLite file unless given one."""
    made: list[RedisExactTier] = []

    def make(store: Any = None, url: str = REDIS_URL, **kwargs: Any) -> RedisExactTier:
        if store is None:
            store = SQLStore(sqlite_url(tmp_path / f"store{len(made)}.db"))
        tier = RedisExactTier(store, url, prefix=redis_prefix, clock=clock, **kwargs)
        made.append(tier)
        return tier

    yield make
    for tier in made:
        tier.close()


def test_a_copy_serves_another_replica_without_its_store(tiers: Any) -> None:
    a, b = tiers(), tiers()  # b's own store is empty: what it finds can only come from Redis
    put = a.put(new("k1", answer="from a"))
    got = b.get_by_exact_key("k1")
    assert got is not None and (got.id, got.answer) == (put.entry.id, "from a")
    assert got.payload == {"finish_reason": "stop"}
    assert b.store.get_by_exact_key("k1") is None


def test_copies_carry_native_ttls(tiers: Any, redis_server: Any, redis_prefix: str,
                                  clock: FakeClock) -> None:
    tier = tiers(ttl=60.0)
    tier.put(new("expiring", expires=clock() + 2.5))
    tier.put(new("lasting"))
    tier.put(new("gone", expires=clock() - 1))
    assert 0 < redis_server.pttl(f"{redis_prefix}x:expiring") <= 2500
    assert 2500 < redis_server.pttl(f"{redis_prefix}x:lasting") <= 60_000
    assert redis_server.exists(f"{redis_prefix}x:gone") == 0
    forever = tiers(ttl=None)
    forever.put(new("no-expiry"))
    assert redis_server.pttl(f"{redis_prefix}x:no-expiry") == -1  # no TTL: until deleted


def test_a_replaced_row_never_comes_back_through_a_late_copy(tiers: Any) -> None:
    tier = tiers()
    old = tier.put(new("k", answer="old")).entry
    newer = tier.put(new("k", answer="new")).entry
    tier._copy(old)  # a replica that read the old row before the replacement writes it late
    got = tier.get_by_exact_key("k")
    assert got is not None and (got.id, got.answer) == (newer.id, "new")


def test_a_deleted_row_is_buried_against_late_copies(tiers: Any, redis_server: Any,
                                                     redis_prefix: str) -> None:
    a, b = tiers(), tiers()
    row = a.put(new("k")).entry
    assert a.delete([row.id]) == [row.id]
    b._copy(row)  # fetched before the delete, written after it
    assert b.get_by_exact_key("k") is None
    assert redis_server.get(f"{redis_prefix}x:k") == f"{row.id} -".encode()
    again = a.put(new("k", answer="stored again")).entry  # a newer id replaces the tombstone
    got = b.get_by_exact_key("k")
    assert got is not None and (got.id, got.answer) == (again.id, "stored again")


def test_feedback_refreshes_the_copy(tiers: Any) -> None:
    a, b = tiers(), tiers()
    row = a.put(new("k")).entry
    a.feedback(row.id, correct=False)
    got = b.get_by_exact_key("k")
    assert got is not None and got.wrong_hits == 1


def test_clear_tier_removes_only_this_prefix(tiers: Any, redis_server: Any,
                                             redis_prefix: str) -> None:
    tier = tiers()
    for i in range(3):
        tier.put(new(f"k{i}"))
    redis_server.set(f"{redis_prefix[:-1]}-other:x", "kept")  # another cache's key
    try:
        assert tier.clear_tier() == 3
        assert tier.get_by_exact_key("k1") is not None  # from the store, copied again
        assert redis_server.get(f"{redis_prefix[:-1]}-other:x") == b"kept"
    finally:
        redis_server.delete(f"{redis_prefix[:-1]}-other:x")


def test_redis_down_is_logged_once_and_the_store_answers(
    tiers: Any, caplog: pytest.LogCaptureFixture
) -> None:
    tier = tiers(url="redis://someone:s3cret@127.0.0.1:1/0")
    with caplog.at_level(logging.WARNING, logger="gistcache.store.redis"):
        row = tier.put(new("k")).entry
        got = tier.get_by_exact_key("k")
        assert got is not None and got.id == row.id
        assert tier.delete([row.id]) == [row.id]
        assert tier.inflight.claim("k") is not None  # no markers: this process calls
        assert tier.inflight.wait("k") is None
    assert tier.faults >= 1
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1  # then quiet while it stays down
    assert "the store answers instead" in warnings[0] and "s3cret" not in warnings[0]


# --- whole caches -------------------------------------------------------------------------------


@pytest.fixture
def replicas(tmp_path: Path, redis_prefix: str, clock: FakeClock) -> Iterator[Any]:
    """Caches with their own data directories on one SQLite store and one Redis prefix."""
    made: list[Cache] = []

    def make(**settings: Any) -> Cache:
        cfg = Config(data_dir=str(tmp_path / f"replica{len(made)}"),
                     store_url=sqlite_url(tmp_path / "shared.db"), redis_url=REDIS_URL,
                     redis_prefix=redis_prefix, verifier=False, **settings)
        from gistcache.embedders import WordHashEmbedder

        cache = Cache(cfg, embedder=WordHashEmbedder(64), clock=clock, background=False)
        made.append(cache)
        return cache

    yield make
    for cache in made:
        cache.close()


def test_config_builds_the_tier_and_replicas_hit_without_syncing(replicas: Any) -> None:
    a, b = replicas(), replicas()
    assert isinstance(a.store, RedisExactTier)
    a.put("what is the capital of France?", "Paris")
    got = b.lookup(b.request("what is the capital of France?"))  # b has not synced
    assert got.kind is HitKind.EXACT and got.answer == "Paris"


def test_a_replacement_or_delete_through_one_replica_is_seen_by_the_other_at_once(
    replicas: Any,
) -> None:
    """Memory is not trusted over the shared tier: the id a replica reports is a live row."""
    a, b = replicas(), replicas()
    question = "what is the capital of France?"
    first = a.put(question, "Paris")
    assert a.lookup(a.request(question)).entry.id == first.id  # now in a's memory too
    second = b.put(question, "Paris, France")  # b replaces it; a has not synced
    got = a.lookup(a.request(question))
    assert got.kind is HitKind.EXACT and got.entry is not None
    assert (got.entry.id, got.answer) == (second.id, "Paris, France")
    assert b.delete([second.id]) == [second.id]
    # neither exactly (Redis holds a tombstone) nor by meaning (a's index still holds the id
    # until its sync, but the row is fetched from the store, which no longer has it)
    gone = a.lookup(a.request(question))
    assert gone.kind is HitKind.MISS, gone


def _race(a: Cache, b: Cache, fail_leader: bool = False) -> tuple[list[str], Any, Any]:
    """a calls the model and is held there until b waits on a's marker; returns who called."""
    calls: list[str] = []
    a_called, b_waiting = threading.Event(), threading.Event()
    assert b.store.inflight is not None
    wait = b.store.inflight.wait

    def watched_wait(key: str) -> Any:
        b_waiting.set()
        return wait(key)

    b.store.inflight.wait = watched_wait  # type: ignore[method-assign]

    def call_a() -> Answer:
        calls.append("a")
        a_called.set()
        assert b_waiting.wait(30)
        if fail_leader:
            raise RuntimeError("upstream 500")
        return Answer("from a")

    def call_b() -> Answer:
        calls.append("b")
        return Answer("from b")

    request = a.request("an identical question", model="m")
    out: dict[str, Any] = {}

    def run_a() -> None:
        try:
            out["a"] = a.get_or_call(request, call_a)
        except RuntimeError as exc:
            out["a"] = exc

    thread = threading.Thread(target=run_a)
    thread.start()
    assert a_called.wait(30)
    out["b"] = b.get_or_call(b.request("an identical question", model="m"), call_b)
    thread.join(30)
    return calls, out["a"], out["b"]


def test_identical_misses_on_two_replicas_make_one_call(replicas: Any) -> None:
    a, b = replicas(), replicas()
    calls, (answer_a, _), (answer_b, look_b) = _race(a, b)
    assert calls == ["a"]
    assert answer_a.text == answer_b.text == "from a"
    assert look_b.reason == "coalesced across processes"
    assert b.metrics.snapshot()["counters"].get("coalesced", 0) == 1


def test_a_failed_leader_lets_the_waiting_replica_call(replicas: Any) -> None:
    a, b = replicas(), replicas()
    calls, result_a, (answer_b, _) = _race(a, b, fail_leader=True)
    assert isinstance(result_a, RuntimeError)
    assert calls == ["a", "b"] and answer_b.text == "from b"


def test_a_marker_left_by_a_dead_replica_expires(replicas: Any, redis_server: Any,
                                                 redis_prefix: str) -> None:
    b = replicas()
    request = b.request("asked by a replica that died", model="m")
    redis_server.set(f"{redis_prefix}f:{b.routed(request).exact_key}", "dead", px=300)
    answer, _ = b.get_or_call(request, lambda: Answer("own call"))
    assert answer.text == "own call"


def test_markers_that_fail_never_fail_the_call(tmp_path: Path, clock: FakeClock) -> None:
    """A fault injected into the markers: the model is called, the answer stored, the fault
    counted."""
    from gistcache._errors import StoreError
    from gistcache.embedders import WordHashEmbedder
    from gistcache.stores import InflightMarkers

    class Broken(InflightMarkers):
        def claim(self, exact_key: str) -> str | None:
            raise StoreError("markers unreachable")

        def release(self, exact_key: str, token: str) -> None:
            raise StoreError("markers unreachable")

        def wait(self, exact_key: str) -> Any:
            raise StoreError("markers unreachable")

    store = SQLStore(sqlite_url(tmp_path / "s.db"))
    store.inflight = Broken()
    cache = Cache(Config(data_dir=str(tmp_path / "d"), verifier=False),
                  embedder=WordHashEmbedder(64), store=store, clock=clock, background=False)
    try:
        answer, looked = cache.get_or_call(cache.request("a question"), lambda: Answer("fine"))
        assert answer.text == "fine" and looked.kind is HitKind.MISS
        assert cache.get("a question") == "fine"
        assert cache.metrics.snapshot()["errors"].get("inflight") == 1
    finally:
        cache.close()
