"""The core request path on real SQLite files: tiers, scopes, temperature, TTL, faults."""

from __future__ import annotations

import asyncio
import logging
import math
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gistcache import (
    Answer,
    Cache,
    Config,
    ConfigError,
    HitKind,
    IncompatibleParts,
    InvalidRequest,
    Scope,
    chat_request,
)
from gistcache.embedders import HashEmbedder, WordHashEmbedder
from gistcache.evaluators import Evaluator, ThresholdEvaluator, Verdict
from gistcache.index import FlatIndex
from gistcache.stores import SQLStore


def test_exact_repeat_hits_without_embedding(make_cache: Any) -> None:
    cache = make_cache()
    cache.put("What is GitHub?", "a code host", model="m")
    embeds_before = cache.metrics.latency["embed"].n
    result = cache.lookup(cache.request("  what is   github? ", model="m"))
    assert result.kind is HitKind.EXACT
    assert result.answer == "a code host"
    assert cache.metrics.latency["embed"].n == embeds_before  # no embedding for an exact repeat


def test_exact_tier_reads_the_store_when_not_in_memory(make_cache: Any) -> None:
    cache = make_cache()
    cache.put("what is github", "a code host")
    cache.hot.clear()
    result = cache.lookup(cache.request("what is github"))
    assert result.kind is HitKind.EXACT and result.answer == "a code host"


def test_paraphrase_hits_semantic_tier_and_unrelated_misses(make_cache: Any) -> None:
    cache = make_cache(similarity_threshold=0.5)
    cache.put("how do I make a cup of green tea", "steep 2 minutes at 80C")
    hit = cache.lookup(cache.request("how do I make a cup of green tea quickly"))
    assert hit.kind is HitKind.SEMANTIC
    assert hit.answer == "steep 2 minutes at 80C"
    assert hit.similarity is not None and 0.5 <= hit.similarity < 1.0
    miss = cache.lookup(cache.request("what is the capital of France"))
    assert miss.kind is HitKind.MISS and miss.answer is None


def test_threshold_refuses_weak_candidates(make_cache: Any) -> None:
    cache = make_cache(similarity_threshold=0.99)
    cache.put("how do I make a cup of green tea", "steep")
    result = cache.lookup(cache.request("how do I make a cup of green tea quickly"))
    assert result.kind is HitKind.MISS
    assert "similarity" in result.reason


def test_request_min_similarity_only_makes_matching_stricter(make_cache: Any) -> None:
    cache = make_cache(similarity_threshold=0.5)
    cache.put("how do I make a cup of green tea", "steep")
    strict = cache.request("how do I make a cup of green tea quickly", min_similarity=0.99)
    assert cache.lookup(strict).kind is HitKind.MISS
    loose = cache.request("how do I make a cup of green tea quickly", min_similarity=0.1)
    assert cache.lookup(loose).kind is HitKind.SEMANTIC


@pytest.mark.parametrize(
    "other",
    [
        {"model": "gpt-b"},
        {"namespace": "tenant-2"},
        {"system": "You answer in French."},
        {"params": {"tools": [{"type": "function", "function": {"name": "f"}}]}},
    ],
)
def test_entries_never_cross_scopes(make_cache: Any, other: dict[str, Any]) -> None:
    cache = make_cache(similarity_threshold=0.5)
    base: dict[str, Any] = {"model": "gpt-a", "namespace": "tenant-1", "system": "", "params": {}}
    cache.put("what is github", "a code host", **base)
    assert cache.get("what is github", **base) == "a code host"
    assert cache.get("what is github", **{**base, **other}) is None


def test_follow_up_needs_the_same_conversation(make_cache: Any) -> None:
    cache = make_cache(similarity_threshold=0.5)
    talk_a = [
        {"role": "user", "content": "Who is Barack Obama?"},
        {"role": "assistant", "content": "The 44th US president."},
        {"role": "user", "content": "How old is he?"},
    ]
    talk_b = [
        {"role": "user", "content": "Who is Taylor Swift?"},
        {"role": "assistant", "content": "A singer."},
        {"role": "user", "content": "How old is he?"},
    ]
    req_a = chat_request({"model": "m", "messages": talk_a})
    cache.put_request(req_a, "63")
    assert cache.lookup(chat_request({"model": "m", "messages": talk_a})).answer == "63"
    assert cache.lookup(chat_request({"model": "m", "messages": talk_b})).kind is HitKind.MISS


def test_first_question_matches_across_conversations(make_cache: Any) -> None:
    cache = make_cache(similarity_threshold=0.5)
    first = chat_request({"model": "m", "messages": [{"role": "user", "content": "what is rust"}]})
    cache.put_request(first, "a language")
    again = chat_request({"model": "m", "messages": [
        {"role": "system", "content": ""}, {"role": "user", "content": "What is Rust"}]})
    assert cache.lookup(again).answer == "a language"


def test_temperature_two_always_bypasses(make_cache: Any) -> None:
    cache = make_cache()
    cache.put("q", "a")
    result = cache.lookup(cache.request("q", temperature=2.0))
    assert result.kind is HitKind.BYPASS
    assert cache.metrics.counters["bypasses"] == 1


def test_temperature_between_skips_with_growing_probability(make_cache: Any) -> None:
    cache = make_cache()
    cache.put("q", "a")
    rates = []
    for t in (0.0, 0.5, 1.0, 1.5):
        kinds = [cache.lookup(cache.request("q", temperature=t)).kind for _ in range(2000)]
        rates.append(kinds.count(HitKind.BYPASS) / len(kinds))
    assert rates[0] == 0.0
    assert rates[0] < rates[1] < rates[2] < rates[3]
    assert abs(rates[2] - 0.5) < 0.05  # skip probability is temperature / 2


def test_ttl_expires_entries(make_cache: Any, clock: Any) -> None:
    cache = make_cache(ttl=60)
    cache.put("q", "a")
    clock.advance(59)
    assert cache.get("q") == "a"
    clock.advance(2)
    assert cache.get("q") is None
    assert cache.expire() == 1
    assert cache.stats()["entries"] == 0


def test_max_age_refuses_old_entries(make_cache: Any, clock: Any) -> None:
    cache = make_cache()
    cache.put("q", "a")
    clock.advance(100)
    assert cache.lookup(cache.request("q", max_age=50)).kind is HitKind.MISS
    assert cache.lookup(cache.request("q", max_age=500)).kind is HitKind.EXACT


def test_put_replaces_the_same_question(make_cache: Any) -> None:
    cache = make_cache()
    first = cache.put("q", "old")
    second = cache.put("Q", "new")
    assert second.id != first.id
    assert cache.get("q") == "new"
    assert cache.stats()["entries"] == 1
    assert first.id not in cache.index.ids()


def test_put_many_stores_a_batch_as_puts_would(make_cache: Any) -> None:
    cache = make_cache(similarity_threshold=0.5)
    items = [(cache.request("how do I make green tea"), "steep 2 minutes"),
             (cache.request("how do I boil an egg"), Answer("9 minutes", None, 3, 4)),
             (cache.request("How do I make green tea?"), "steep 3 minutes")]  # same exact key
    first, second, third = cache.put_many(items)
    assert first.id < second.id < third.id
    assert cache.stats()["entries"] == 2
    live = {second.id, third.id}
    assert cache.index.ids() == live  # the replaced row is not indexed
    assert cache.get("how do i make green tea") == "steep 3 minutes"
    hit = cache.lookup(cache.request("how do I boil an egg quickly"))
    assert hit.kind is HitKind.SEMANTIC and hit.entry is not None and hit.entry.id == second.id
    assert hit.entry.completion_tokens == 4
    assert cache.put_many([]) == []
    with pytest.raises(InvalidRequest, match="answer"):
        cache.put_many([(cache.request("q"), 42)])


def test_bulk_defers_indexing_to_one_reconcile(make_cache: Any, tmp_path: Path) -> None:
    cache = make_cache(similarity_threshold=0.5)
    cache.put("what is the capital of france", "Paris")
    with cache.bulk():
        with cache.bulk():  # nested: indexed when the outer one ends
            cache.put_many([(cache.request(f"tell me fact number {i} about cats"), f"fact {i}")
                            for i in range(50)])
        assert len(cache.index) == 1  # stored, not yet indexed...
        assert cache.get("tell me fact number 7 about cats") == "fact 7"  # ...found exactly
    assert len(cache.index) == 51
    hit = cache.lookup(cache.request("tell me fact number 7 about cats please"))
    assert hit.kind is HitKind.SEMANTIC and hit.answer == "fact 7"


def test_bad_input_is_refused_with_a_clear_error(make_cache: Any) -> None:
    cache = make_cache()
    with pytest.raises(InvalidRequest, match="empty"):
        cache.get("   ")
    with pytest.raises(InvalidRequest, match="string"):
        cache.get(42)
    with pytest.raises(InvalidRequest, match="temperature"):
        cache.get("q", temperature=3)
    with pytest.raises(InvalidRequest, match="messages must be a list"):
        chat_request({"model": "m", "messages": "hello"})
    with pytest.raises(InvalidRequest, match="no user message"):
        chat_request({"model": "m", "messages": [{"role": "system", "content": "x"}]})
    cache.put("kept", "still here")
    with pytest.raises(InvalidRequest):
        cache.put("", "x")
    assert cache.get("kept") == "still here"


@pytest.mark.parametrize(("call", "words"), [
    (lambda c: c.put("q", None), "the answer must be a string, got NoneType"),
    (lambda c: c.put("q", b"x"), "the answer must be a string, got bytes"),
    (lambda c: c.put("q", 123), "the answer must be a string, got int"),
    (lambda c: c.put("q", "a", namespace=5), "namespace must be a string, got int"),
    (lambda c: c.put("q", "a", model=None), "model must be a string, got NoneType"),
    (lambda c: c.put("q", "a", system=["s"]), "system must be a string, got list"),
    (lambda c: c.put("q", "a", params="p"), "params must be a mapping"),
    (lambda c: c.get("q", namespace=5), "namespace must be a string"),
    (lambda c: c.put("q", "a", ttl=math.nan), "ttl must be a finite number"),
    (lambda c: c.put("q", "a", ttl=math.inf), "ttl must be a finite number"),
    (lambda c: c.put("q", "a", ttl=-1), "ttl must be a finite number"),
    (lambda c: c.put("q", "a", ttl="60"), "ttl must be a finite number"),
    (lambda c: c.put("\ud800", "a"), "the prompt holds a lone UTF-16 surrogate"),
    (lambda c: c.put("q", "a\udfff"), "the answer holds a lone UTF-16 surrogate"),
    (lambda c: c.put("q", "a", model="m\ud800"), "model holds a lone UTF-16 surrogate"),
    (lambda c: c.put("q", "a", params={"stop": "\ud800"}), "params hold a lone UTF-16"),
    (lambda c: c.get("\ud800"), "the prompt holds a lone UTF-16 surrogate"),
    (lambda c: c.delete(["1"]), "entry id must be an integer"),
    (lambda c: c.get("q", min_similarity=math.nan), "min_similarity is a cosine similarity"),
    (lambda c: c.get("q", min_similarity=2), "min_similarity is a cosine similarity"),
    (lambda c: c.get("q", max_age=math.nan), "max_age must be a number of seconds"),
    (lambda c: c.get("q", max_age=-1), "max_age must be a number of seconds"),
])
def test_wrong_input_is_invalid_request_naming_the_field(make_cache: Any, call: Any,
                                                         words: str) -> None:
    cache = make_cache()
    kept = cache.put("kept question", "still here", ttl=60)
    with pytest.raises(InvalidRequest, match=re.escape(words)):
        call(cache)
    assert [(e.id, e.answer) for e in cache.entries()] == [(kept.id, "still here")]
    assert cache.get("kept question") == "still here"


def test_ids_past_64_bits_are_no_entry(make_cache: Any) -> None:
    cache = make_cache()
    kept = cache.put("kept question", "still here")
    assert cache.delete([2**63, 10**30, -(2**70)]) == []
    assert cache.feedback(2**63, False) is None
    assert cache.entries(after_id=2**63) == []
    assert [e.id for e in cache.entries()] == [kept.id]


def test_a_zero_length_database_starts_empty_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "fresh"
    data.mkdir()
    (data / "gistcache.db").write_bytes(b"")
    with caplog.at_level(logging.WARNING, logger="gistcache"), \
            Cache(Config(data_dir=str(data), verifier=False), embedder=WordHashEmbedder(256),
                  background=False) as cache:
        assert cache.entries() == []
        cache.put("q", "a")
        assert cache.get("q") == "a"
    assert any("is empty (0 bytes)" in r.getMessage() and str(data / "gistcache.db")
               in r.getMessage() for r in caplog.records)


def test_a_zero_length_database_beside_a_saved_index_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "lost"
    cfg = Config(data_dir=str(data), verifier=False)
    with Cache(cfg, embedder=WordHashEmbedder(256), background=False) as cache:
        cache.put("what is a cache", "a store of answers")
    assert any((data / "index").iterdir())
    (data / "gistcache.db").write_bytes(b"")  # truncated: the rows are gone
    for leftover in ("gistcache.db-wal", "gistcache.db-shm"):
        (data / leftover).unlink(missing_ok=True)
    with pytest.raises(ConfigError, match=r"is empty \(0 bytes\).*rows were lost") as err:
        Cache(cfg, embedder=WordHashEmbedder(256), background=False)
    assert "delete gistcache.db and index/" in str(err.value)
    assert (data / "gistcache.db").stat().st_size == 0  # refused before SQLite touched it


def test_parts_are_validated_at_construction(tmp_path: Path) -> None:
    cfg = Config(data_dir=str(tmp_path / "d"))
    with pytest.raises(IncompatibleParts, match=r"256-dimensional.*64-dimensional"):
        Cache(cfg, embedder=WordHashEmbedder(256), index=FlatIndex(64), background=False)
    with pytest.raises(IncompatibleParts, match="exact-only"):
        Cache(cfg, embedder=HashEmbedder(64), index=FlatIndex(64), background=False)

    class NeedsFeedback(Evaluator):
        requires = frozenset({"feedback"})

        def judge(self, request: Any, candidate: Any) -> Verdict:
            return Verdict(True)

    class Forgetful(SQLStore):
        keeps = frozenset({"key_text", "embedding"})

    with pytest.raises(IncompatibleParts, match="feedback"):
        Cache(cfg, embedder=WordHashEmbedder(64), store=Forgetful(), evaluator=NeedsFeedback(),
              background=False)
    assert not (tmp_path / "d" / "gistcache.db").exists() or Cache(
        cfg, embedder=WordHashEmbedder(64), background=False).stats()["entries"] == 0


def test_store_filled_by_another_embedder_is_refused(make_cache: Any, tmp_path: Path) -> None:
    cache = make_cache(tmp_path / "shared")
    cache.put("q", "a")
    cache.close()
    with pytest.raises(IncompatibleParts, match="filled by embedder"):
        make_cache(tmp_path / "shared", embedder=WordHashEmbedder(128))


def test_exact_only_cache_needs_no_embedder(make_cache: Any) -> None:
    cache = make_cache(exact_only=True)
    assert cache.embedder is None and cache.index is None
    cache.put("what is github", "a code host")
    assert cache.get("What is GitHub") == "a code host"
    assert cache.get("what is github exactly") is None


def test_eviction_lru_by_entries_removes_from_index(make_cache: Any, clock: Any) -> None:
    cache = make_cache(max_entries=3, eviction="lru")
    for name in ("alpha", "bravo", "charlie"):
        cache.put(f"question {name}", name)
        clock.advance(1)
    assert cache.get("question alpha") == "alpha"  # alpha is now the most recent
    clock.advance(1)
    cache.put("question delta", "delta")
    assert cache.stats()["entries"] == 3
    assert cache.get("question bravo") is None
    assert cache.get("question alpha") == "alpha"
    assert len(cache.index) == 3


def test_eviction_lfu_fifo_and_bytes(make_cache: Any, clock: Any, tmp_path: Path) -> None:
    lfu = make_cache(tmp_path / "lfu", max_entries=2, eviction="lfu")
    lfu.put("question one", "1")
    clock.advance(1)
    lfu.put("question two", "2")
    for _ in range(3):
        lfu.get("question one")
    clock.advance(1)
    lfu.put("question three", "3")
    assert lfu.get("question two") is None and lfu.get("question one") == "1"

    fifo = make_cache(tmp_path / "fifo", max_entries=2, eviction="fifo")
    fifo.put("question one", "1")
    clock.advance(1)
    fifo.put("question two", "2")
    fifo.get("question one")
    clock.advance(1)
    fifo.put("question three", "3")
    assert fifo.get("question one") is None and fifo.get("question two") == "2"

    sized = make_cache(tmp_path / "bytes", max_bytes=6000)
    for i in range(10):
        sized.put(f"question number {i}", "x" * 1000)
        clock.advance(1)
    stats = sized.stats()
    assert stats["bytes"] <= 6000
    assert 0 < stats["entries"] < 10
    assert sized.get("question number 9") is not None
    assert sized.get("question number 0") is None


def test_ttl_policy_drops_soonest_expiry(make_cache: Any, clock: Any) -> None:
    cache = make_cache(max_entries=2, eviction="ttl")
    cache.put("question long", "l", ttl=1000)
    cache.put("question short", "s", ttl=10)
    cache.put("question forever", "f")
    assert cache.get("question short") is None
    assert cache.get("question long") == "l" and cache.get("question forever") == "f"


def test_reopen_keeps_entries_and_index(make_cache: Any, tmp_path: Path) -> None:
    data = tmp_path / "persist"
    cache = make_cache(data, similarity_threshold=0.5)
    cache.put("how do I make a cup of green tea", "steep")
    cache.close()
    again = make_cache(data, similarity_threshold=0.5)
    assert again.get("how do I make a cup of green tea") == "steep"
    assert again.lookup(again.request("how do I make a cup of green tea quickly")).hit


def test_missing_or_corrupt_index_is_rebuilt_from_rows(make_cache: Any, tmp_path: Path) -> None:
    data = tmp_path / "corrupt"
    cache = make_cache(data, similarity_threshold=0.5)
    for i in range(20):
        cache.put(f"how do I cook recipe number {i}", f"answer {i}")
    cache.close()
    for f in (data / "index").iterdir():
        f.write_bytes(b"garbage")
    again = make_cache(data, similarity_threshold=0.5)
    assert len(again.index) == 20
    result = again.lookup(again.request("how do I cook recipe number 7 please"))
    assert result.hit and result.answer == "answer 7"


def test_index_and_rows_agree_after_unsaved_writes(make_cache: Any, tmp_path: Path) -> None:
    data = tmp_path / "unsaved"
    cache = make_cache(data)
    cache.put("question one", "1")
    cache.save()
    cache.put("question two", "2")
    cache.delete([cache.store.get_by_exact_key(cache.request("question one").exact_key).id])
    # simulate a crash: no close(), so the saved index still has one and lacks two
    cache.store.close()
    cache._closed = True
    again = make_cache(data)
    assert again.index.ids() == set(again.store.all_ids())
    assert again.get("question two") == "2" and again.get("question one") is None


def test_store_fault_becomes_a_counted_miss_and_the_call_still_succeeds(make_cache: Any) -> None:
    cache = make_cache()
    cache.put("q", "a")
    cache.hot.clear()
    with cache.store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE gistcache_entries"))
    result = cache.lookup(cache.request("q"))
    assert result.kind is HitKind.MISS and "cache fault" in result.reason
    assert cache.metrics.errors["lookup"] == 1
    answer, _ = cache.get_or_call(cache.request("q"), lambda: "from the model")
    assert answer.text == "from the model"
    assert cache.metrics.errors["store"] == 1


def test_embedder_fault_becomes_a_miss(make_cache: Any) -> None:
    class Broken(WordHashEmbedder):
        def embed(self, texts: Any) -> Any:
            raise RuntimeError("model crashed")

    cache = make_cache(embedder=Broken(256))
    assert cache.lookup(cache.request("anything")).kind is HitKind.MISS
    assert cache.metrics.errors["lookup"] == 1


def test_get_or_call_coalesces_identical_concurrent_misses(make_cache: Any) -> None:
    cache = make_cache()
    calls = []
    gate = threading.Event()

    def slow_model() -> Answer:
        calls.append(1)
        gate.wait(5)
        return Answer("the answer", prompt_tokens=3, completion_tokens=5)

    results: list[str] = []

    def ask() -> None:
        answer, _ = cache.get_or_call(cache.request("same question"), slow_model)
        results.append(answer.text)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    gate.set()
    for t in threads:
        t.join(5)
    assert results == ["the answer"] * 8
    assert len(calls) == 1
    assert cache.get("same question") == "the answer"


def test_get_or_call_does_not_cache_errors(make_cache: Any) -> None:
    cache = make_cache()

    def failing() -> str:
        raise TimeoutError("upstream timed out")

    with pytest.raises(TimeoutError):
        cache.get_or_call(cache.request("q"), failing)
    assert cache.get("q") is None
    answer, result = cache.get_or_call(cache.request("q"), lambda: "ok")
    assert answer.text == "ok" and result.kind is HitKind.MISS
    answer, result = cache.get_or_call(cache.request("q"), lambda: "not called")
    assert answer.text == "ok" and result.kind is HitKind.EXACT


async def test_async_get_or_call_coalesces(make_cache: Any) -> None:
    cache = make_cache()
    calls = 0

    async def model() -> str:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.1)
        return "async answer"

    outs = await asyncio.gather(
        *(cache.aget_or_call(cache.request("async q"), model) for _ in range(5))
    )
    assert [a.text for a, _ in outs] == ["async answer"] * 5
    assert calls == 1
    assert await cache.aget("async q") == "async answer"
    await cache.aput("other", "x")
    assert await cache.aget("other") == "x"


def test_multi_level_consults_the_next_cache(make_cache: Any, tmp_path: Path) -> None:
    lower = make_cache(tmp_path / "l2")
    lower.put("q", "from level two")
    upper = make_cache(tmp_path / "l1", next_cache=lower)
    assert upper.get("q") == "from level two"
    assert upper.store.get_by_exact_key(upper.request("q").exact_key) is not None


def test_metrics_count_hits_and_savings(make_cache: Any) -> None:
    cache = make_cache(similarity_threshold=0.5)
    cache.put_request(cache.request("how do I make green tea", model="gpt-4o"),
                      Answer("steep", prompt_tokens=1000, completion_tokens=1000))
    cache.get("how do I make green tea", model="gpt-4o")
    cache.get("how do I make green tea now", model="gpt-4o")
    cache.get("unrelated question entirely", model="gpt-4o")
    snap = cache.stats()
    assert snap["counters"]["exact_hits"] == 1
    assert snap["counters"]["semantic_hits"] == 1
    assert snap["counters"]["misses"] == 1
    assert snap["tokens_saved"] == 4000
    assert snap["cost_saved_usd"] == pytest.approx(2 * (2.5 + 10.0) / 1000)
    assert snap["latency"]["hit"]["count"] == 2


def test_hits_are_written_in_batches(make_cache: Any) -> None:
    cache = make_cache()
    entry = cache.put("q", "a")
    for _ in range(5):
        cache.get("q")
    assert cache.store.get_many([entry.id])[entry.id].hits == 0  # nothing written per hit
    cache.flush()
    assert cache.store.get_many([entry.id])[entry.id].hits == 5


def test_feedback_raises_the_bar_then_stops_paraphrases(make_cache: Any) -> None:
    cache = make_cache(similarity_threshold=0.5, feedback_step=0.1, feedback_max_wrong=2)
    entry = cache.put("how do I make a cup of green tea", "steep")
    para = cache.request("how do I make a cup of green tea quickly")
    first = cache.lookup(para)
    assert first.hit and first.similarity is not None
    cache.feedback(entry.id, correct=False)
    cache.feedback(entry.id, correct=False)
    assert cache.lookup(para).kind is HitKind.MISS
    assert cache.get("how do I make a cup of green tea") == "steep"  # exact still served


def test_two_processes_share_writes_and_deletes(make_cache: Any, tmp_path: Path) -> None:
    data = tmp_path / "shared"
    a = make_cache(data, similarity_threshold=0.5)
    b = make_cache(data, similarity_threshold=0.5)
    entry = a.put("how do I make a cup of green tea", "steep")
    b.sync()
    assert b.lookup(b.request("how do I make a cup of green tea quickly")).hit
    a.delete([entry.id])
    b.sync()
    assert b.get("how do I make a cup of green tea") is None
    assert b.lookup(b.request("how do I make a cup of green tea quickly")).kind is HitKind.MISS


def test_custom_evaluator_and_postprocess_are_used(make_cache: Any) -> None:
    cache = make_cache(evaluator=ThresholdEvaluator(0.3), postprocess="first")
    cache.put("green tea brewing time", "3 min")
    assert cache.lookup(cache.request("green tea brewing temperature")).hit


def test_scope_hash_separates_fields() -> None:
    assert Scope(model="ab", system="c").key != Scope(model="a", system="bc").key
    assert Scope(params={"a": 1, "b": 2}).key == Scope(params={"b": 2, "a": 1}).key


def _talk(first: str, reply: str, follow_up: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": first}, {"role": "assistant", "content": reply},
            {"role": "user", "content": follow_up}]


def test_follow_up_hits_in_an_equivalent_conversation(make_cache: Any) -> None:
    cache = make_cache(similarity_threshold=0.5, context_threshold=0.6)
    stored = _talk("who is barack obama", "The 44th president of the United States.",
                   "how old is he")
    cache.put_request(chat_request({"model": "m", "messages": stored}), "63")
    same_words = _talk("Who is Barack Obama?", "The 44th president of the United States.",
                       "How old is he?")
    result = cache.lookup(chat_request({"model": "m", "messages": same_words}))
    assert result.hit and result.answer == "63"
    reworded = _talk("who is barack obama exactly", "The 44th president of the United States.",
                     "how old is he")
    assert cache.lookup(chat_request({"model": "m", "messages": reworded})).answer == "63"


def test_follow_up_never_crosses_to_another_referent(make_cache: Any) -> None:
    cache = make_cache(similarity_threshold=0.5, context_threshold=0.3)
    stored = _talk("Who is Barack Obama?", "A former president.", "how old is he")
    cache.put_request(chat_request({"model": "m", "messages": stored}), "63")
    other = _talk("Who is Joe Biden?", "A former president.", "how old is he")
    result = cache.lookup(chat_request({"model": "m", "messages": other}))
    assert result.kind is HitKind.MISS  # similar enough by words, vetoed by the entity guard
    first = [{"role": "user", "content": "how old is he"}]
    assert cache.lookup(chat_request({"model": "m", "messages": first})).kind is HitKind.MISS


def test_exact_context_mode_requires_equal_turns(make_cache: Any) -> None:
    cache = make_cache(similarity_threshold=0.5)
    stored = _talk("who is barack obama", "A former president.", "how old is he")
    cache.put_request(chat_request({"model": "m", "messages": stored}, context="exact"), "63")
    again = chat_request({"model": "m", "messages": stored}, context="exact")
    assert cache.lookup(again).answer == "63"
    reworded = _talk("who is barack obama exactly", "A former president.", "how old is he")
    miss = chat_request({"model": "m", "messages": reworded}, context="exact")
    assert cache.lookup(miss).kind is HitKind.MISS


def test_unknown_text_costs_no_exact_query_and_other_writers_are_seen(
        make_cache: Any, tmp_path: Path) -> None:
    data = tmp_path / "known"
    a = make_cache(data, exact_only=True)
    b = make_cache(data, exact_only=True)
    a.put("stored question", "yes")
    assert b.get("never stored") is None
    assert "exact_store" not in b.metrics.latency  # no database round trip for it
    assert b.get("stored question") is None  # not seen until the next sync
    b.sync()
    assert b.get("stored question") == "yes"
    a.delete([e.id for e in a.entries()])
    b.sync()
    assert b.get("stored question") is None


def test_index_save_is_skipped_while_another_process_saves(make_cache: Any, tmp_path: Path
                                                           ) -> None:
    import fcntl

    data = tmp_path / "locked"
    cache = make_cache(data)
    cache.put("question one", "1")
    with open(data / "index.lock", "a+b") as other:
        fcntl.flock(other.fileno(), fcntl.LOCK_EX)
        cache.save()  # must not block, must not write
        assert not (data / "index").exists() or not any((data / "index").iterdir())
        fcntl.flock(other.fileno(), fcntl.LOCK_UN)
    cache.save()
    assert any((data / "index").iterdir())


def test_processes_opening_a_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys; from gistcache.stores import SQLStore, sqlite_url; "
            "SQLStore(sqlite_url(sys.argv[1])).close()")
    for round_ in range(3):
        db = tmp_path / f"race{round_}.db"
        procs = [subprocess.Popen([sys.executable, "-c", code, str(db)],
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
        errors = [p.communicate(timeout=60)[1] for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0, 0], errors


class _Recording(Evaluator):
    """Accepts everything and records what it was asked to judge, in order."""

    def __init__(self) -> None:
        self.judged: list[str] = []

    def judge(self, request: Any, candidate: Any) -> Verdict:
        self.judged.append(candidate.entry.key_text)
        return Verdict(True)


@pytest.mark.parametrize(("postprocess", "temperature", "judged"),
                         [("temperature_softmax", 0.0, 1), ("best", 0.0, 1), ("first", 0.0, 1),
                          ("temperature_softmax", 0.5, 3), ("random", 0.0, 3)])
def test_judging_stops_at_the_first_accepted_candidate_when_the_choice_is_the_best(
        make_cache: Any, postprocess: str, temperature: float, judged: int) -> None:
    evaluator = _Recording()
    cache = make_cache(evaluator=evaluator, postprocess=postprocess)
    for text in ("green tea brewing time and temperature", "green tea brewing time",
                 "green tea brewing"):
        cache.put(text, text)
    hit = cache.lookup(cache.request("green tea brewing time please", temperature=temperature))
    assert hit.hit and len(evaluator.judged) == judged
    if judged == 1 and postprocess != "first":
        # best first: the one judged is the most similar, the one a full pass would choose
        assert evaluator.judged[0] == hit.answer == "green tea brewing time"
