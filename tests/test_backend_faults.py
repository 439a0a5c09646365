"""Backends that go away mid-run: requests become bypasses served by the model (logged and
counted, never an error), and the cache recovers by itself when the backend is back. The
PostgreSQL (rows and pgvector index) is a throwaway server of this test's own, stopped and
started again; Redis is pointed at a port where nothing listens."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeClock

from gistcache import Answer, Cache, Config, HitKind
from gistcache.embedders import WordHashEmbedder
from gistcache.index.milvus import MilvusIndex
from gistcache.index.pgvector import PgVectorIndex
from gistcache.stores import SQLStore, sqlite_url
from gistcache.stores.redis import RedisExactTier

GUARD = 180.0  # seconds: a guard against hanging, not a speed claim


def answering(calls: list[str]) -> Callable[[str], Callable[[], Answer]]:
    """The upstream model of these tests: ``model(text)`` is a call that records ``text`` in
    ``calls`` and answers "answer to <text>"."""

    def model(text: str) -> Callable[[], Answer]:
        def call() -> Answer:
            calls.append(text)
            return Answer(f"answer to {text}")
        return call

    return model


@pytest.fixture
def postgres() -> Iterator[Any]:
    from gistcache._errors import MissingExtra
    from gistcache.testing.pgvector_server import EmbeddedPostgres

    try:
        server = EmbeddedPostgres()
    except MissingExtra as exc:
        pytest.skip(f"no PostgreSQL with pgvector: {exc}")
    with server:
        yield server


def test_postgresql_down_turns_requests_into_model_calls_and_recovery_is_automatic(
    postgres: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = Config(data_dir=str(tmp_path / "data"), verifier=False, similarity_threshold=0.5)
    cache = Cache(cfg, embedder=WordHashEmbedder(256), store=SQLStore(postgres.url),
                  index=PgVectorIndex(postgres.url, 256), background=False)
    calls: list[str] = []
    model = answering(calls)

    try:
        cache.put("how do I make a cup of green tea", "steep 2 minutes")
        postgres.halt()
        with caplog.at_level(logging.WARNING):
            for text in ("how do I make green tea quickly", "what is the capital of France"):
                answer, looked = cache.get_or_call(cache.request(text), model(text))
                assert answer.text == f"answer to {text}"  # the model answered
                assert looked.kind is HitKind.MISS
        assert calls == ["how do I make green tea quickly", "what is the capital of France"]
        errors = cache.metrics.snapshot()["errors"]
        assert errors.get("store", 0) >= 1 and sum(errors.values()) >= 3

        postgres.resume()  # same port: the pools reconnect by themselves
        hit = cache.lookup(cache.request("how do I make green tea quickly"))
        assert hit.kind is HitKind.SEMANTIC and hit.answer == "steep 2 minutes"
        answer, looked = cache.get_or_call(cache.request("what is the capital of Spain"),
                                           model("what is the capital of Spain"))
        again = cache.lookup(cache.request("what is the capital of Spain"))
        assert again.kind is HitKind.EXACT and again.answer == answer.text
    finally:
        cache.close()


def test_redis_down_mid_run_falls_back_to_the_store_and_comes_back(
    tmp_path: Path, redis_prefix: str, clock: FakeClock, redis_server: Any
) -> None:
    from conftest import REDIS_URL

    tier = RedisExactTier(SQLStore(sqlite_url(tmp_path / "s.db")), REDIS_URL,
                          prefix=redis_prefix, clock=clock)
    tier.retry_after = 0.0  # try Redis again at the next request (no time needs to pass)
    cfg = Config(data_dir=str(tmp_path / "data"), verifier=False)
    cache = Cache(cfg, embedder=WordHashEmbedder(64), store=tier, clock=clock, background=False)
    try:
        cache.put("first question", "first answer")
        working = tier.client
        tier.client = type(working).from_url("redis://127.0.0.1:1/0")  # Redis "goes away"
        cache.hot.clear()
        assert cache.get("first question") == "first answer"  # from the store
        cache.put("second question", "second answer")  # stored; the copy is skipped
        assert tier.faults >= 2
        tier.client.close()
        tier.client = working  # back
        cache.hot.clear()
        assert cache.get("second question") == "second answer"
        # the store's row was copied to Redis again on the way
        assert redis_server.exists(f"{redis_prefix}x:{cache.request('second question').exact_key}")
    finally:
        cache.close()


def test_milvus_server_down_turns_requests_into_model_calls_and_recovery_is_automatic(
    milvus_server: Any, milvus_server_urls: Callable[[], str], tmp_path: Path,
    caplog: pytest.LogCaptureFixture
) -> None:
    """The session's Milvus server (the milvus wheel) is stopped mid-run, as abruptly as a
    crash, and started again on its port and files. The rows are in SQLite, so exact repeats
    go on hitting; everything that needs the vectors becomes a model call. Once the server is
    back, the cache's own background sync puts back the vector it could not store. The delays
    are printed (run with -s), not asserted: the deadline only guards against a hang."""
    cfg = Config(data_dir=str(tmp_path / "data"), verifier=False, similarity_threshold=0.5,
                 sync_interval=0.2, flush_interval=0.2)
    cache = Cache(cfg, embedder=WordHashEmbedder(256),
                  store=SQLStore(sqlite_url(tmp_path / "s.db")),
                  index=MilvusIndex(milvus_server_urls(), 256))
    calls: list[str] = []
    model = answering(calls)

    tea, france = "how do I make green tea quickly", "what is the capital of France"
    try:
        cache.put("how do I make a cup of green tea", "steep 2 minutes")
        milvus_server.halt()
        try:
            with caplog.at_level(logging.WARNING):
                for text in (tea, france):
                    answer, looked = cache.get_or_call(cache.request(text), model(text))
                    assert answer.text == f"answer to {text}"  # the model answered
                    assert looked.kind is HitKind.MISS
            assert calls == [tea, france]
            errors = cache.metrics.snapshot()["errors"]
            assert errors.get("lookup", 0) == 2 and errors.get("store", 0) == 2
            assert "Milvus search failed" in caplog.text and "Milvus add failed" in caplog.text
            # an exact repeat of what was stored before needs no vector: still a hit
            before = cache.lookup(cache.request("how do I make a cup of green tea"))
            assert before.kind is HitKind.EXACT and before.answer == "steep 2 minutes"
        finally:
            milvus_server.resume()

        # back: the first search that answers, then the background sync re-adds the vectors it
        # could not store (the rows past the last id it saw), and the France entry hits by meaning
        figures: dict[str, float] = {}
        start = time.monotonic()
        longest = 0.0
        rephrased = cache.request("tell me the capital of France")
        while True:
            asked = time.monotonic()
            looked = cache.lookup(rephrased)
            longest = max(longest, time.monotonic() - asked)
            if looked.kind is HitKind.SEMANTIC:
                break
            assert looked.kind is HitKind.MISS
            if "cache fault" not in looked.reason:
                figures.setdefault("resume → a search answers", time.monotonic() - start)
            assert time.monotonic() - start < GUARD, "the cache never recovered"
            time.sleep(0.1)  # between probes; nothing waits for time to pass
        figures["resume → the France row hits by meaning"] = time.monotonic() - start
        # a restarted server may hold a search while it loads (26 s was seen): the index's
        # timeout (10 s) makes that a fault, so a caller waits at most that long
        figures["longest lookup meanwhile"] = longest
        assert looked.answer == f"answer to {france}"
        assert cache.index is not None
        assert cache.index.ids() == set(cache.store.all_ids(with_vector=True))
        answer, looked = cache.get_or_call(cache.request("what is the capital of Spain"),
                                           model("what is the capital of Spain"))
        assert looked.kind is HitKind.MISS and calls[-1] == "what is the capital of Spain"
        assert cache.lookup(cache.request("what is the capital of Spain")).kind is HitKind.EXACT
        print("\n[milvus server stopped and started again]")
        for what, seconds in figures.items():
            print(f"  {what:<45} {seconds * 1000:7.0f} ms")
    finally:
        cache.close()
