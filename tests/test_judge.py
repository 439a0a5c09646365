"""The LLM judge against a real local OpenAI-compatible server (FakeOpenAI) and plain callables."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from gistcache._errors import ConfigError
from gistcache._types import CacheRequest, Candidate, Entry
from gistcache.evaluators import Evaluator, Pipeline, ThresholdEvaluator
from gistcache.evaluators.judge import JUDGE_PROMPT, LLMJudgeEvaluator, parse_yes
from gistcache.testing import FakeOpenAI

MODEL = "gpt-4o-mini"
SAME = {
    frozenset({"How do I boil an egg?", "what's the way to boil eggs"}),
    frozenset({"Capital of France?", "What is the capital city of France?"}),
}


def _questions(body: dict[str, Any]) -> tuple[str, str]:
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    first, second = user.split("\n", 1)
    return first.removeprefix("Question 1: "), second.removeprefix("Question 2: ")


def _answer(body: dict[str, Any]) -> str:
    return "YES" if frozenset(_questions(body)) in SAME else "NO"


@pytest.fixture
def up() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(answer_fn=_answer) as fake:
        yield fake


@pytest.fixture
def client(up: FakeOpenAI) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=up.base_url, api_key=up.api_key) as sdk:
        yield sdk


def _judge(judge: Evaluator, query: str, cached: str, similarity: float,
           **request: Any) -> bool:
    entry = Entry(id=1, scope_key="s", exact_key="e", key_text=cached, answer="stored")
    return judge.judge(CacheRequest(query, **request), Candidate(entry, similarity)).accepted


def test_in_band_asks_the_model_with_a_strict_prompt(up: FakeOpenAI,
                                                     client: openai.OpenAI) -> None:
    judge = LLMJudgeEvaluator(client, model=MODEL, band=(0.7, 0.95))
    assert _judge(judge, "what's the way to boil eggs", "How do I boil an egg?", 0.85)
    assert not _judge(judge, "How do I fry an egg?", "How do I boil an egg?", 0.85)
    assert up.call_count("/chat/completions") == 2
    body = up.calls[0].body
    assert body is not None
    assert body["model"] == MODEL
    assert body["temperature"] == 0
    assert body["messages"][0] == {"role": "system", "content": JUDGE_PROMPT}
    assert "one word: YES or NO" in JUDGE_PROMPT
    assert _questions(body) == ("what's the way to boil eggs", "How do I boil an egg?")
    assert judge.stats.asked == 2 and judge.stats.yes == 1 and judge.stats.no == 1


def test_outside_the_band_the_model_is_not_asked(up: FakeOpenAI, client: openai.OpenAI) -> None:
    judge = LLMJudgeEvaluator(client, model=MODEL, band=(0.7, 0.95))
    assert judge.floor == 0.7
    assert _judge(judge, "How do I fry an egg?", "How do I boil an egg?", 0.96)  # above: accept
    assert _judge(judge, "How do I fry an egg?", "How do I boil an egg?", 0.95)  # high included
    assert not _judge(judge, "what's the way to boil eggs", "How do I boil an egg?", 0.69)
    # a request's min_similarity is a stricter bar, checked before asking
    assert not _judge(judge, "what's the way to boil eggs", "How do I boil an egg?", 0.85,
                      min_similarity=0.9)
    assert up.call_count() == 0
    assert judge.stats.accepted_above_band == 2
    assert judge.stats.refused_below_band == 2


def test_in_a_pipeline_the_threshold_and_the_judge_split_the_work(up: FakeOpenAI,
                                                                  client: openai.OpenAI) -> None:
    pipeline = Pipeline([ThresholdEvaluator(0.8),
                         LLMJudgeEvaluator(client, model=MODEL, band=(0.8, 0.95))])
    assert pipeline.floor == 0.8
    assert not _judge(pipeline, "How do I fry an egg?", "How do I boil an egg?", 0.75)
    assert up.call_count() == 0
    assert not _judge(pipeline, "How do I fry an egg?", "How do I boil an egg?", 0.9)
    assert up.call_count() == 1


def test_verdicts_are_cached_by_unordered_normalized_pair_and_model(
        up: FakeOpenAI, client: openai.OpenAI) -> None:
    judge = LLMJudgeEvaluator(client, model=MODEL, band=(0.7, 0.95))
    assert _judge(judge, "Capital of France?", "What is the capital city of France?", 0.8)
    assert _judge(judge, "What is the capital city of France?", "Capital of France?", 0.8)
    assert _judge(judge, "  capital OF france? ", "what is the capital city of france?", 0.9)
    assert not _judge(judge, "How do I fry an egg?", "How do I boil an egg?", 0.9)
    assert not _judge(judge, "How do I boil an egg?", "How do I fry an egg?", 0.9)
    assert up.call_count() == 2
    assert judge.stats.cached == 3
    # another model is another judge: the verdict is asked again
    other = LLMJudgeEvaluator(client, model="gpt-4o", band=(0.7, 0.95))
    assert _judge(other, "Capital of France?", "What is the capital city of France?", 0.8)
    assert up.call_count() == 3


def test_the_verdict_cache_is_bounded_lru() -> None:
    asked: list[tuple[str, str]] = []

    def same(q1: str, q2: str) -> bool:
        asked.append((q1, q2))
        return True

    judge = LLMJudgeEvaluator(same, model="fn", band=(0.5, 0.99), cache_size=2)
    for q in ("q one", "q two", "q one", "q three", "q two"):
        assert _judge(judge, q, "cached", 0.8)
    # "q one" was refreshed before "q three" came in, so "q two" was the one evicted
    assert [q for q, _ in asked] == ["q one", "q two", "q three", "q two"]
    no_cache = LLMJudgeEvaluator(same, model="fn", band=(0.5, 0.99), cache_size=0)
    assert _judge(no_cache, "q", "c", 0.8) and _judge(no_cache, "q", "c", 0.8)
    assert no_cache.stats.asked == 2


@pytest.mark.parametrize(
    ("reply", "accepted"),
    [("YES", True), ("Yes.", True), ("yes", True), (" **YES** \n", True), ("'yes'!", True),
     ("NO", False), ("no", False), ("No.", False), ("I think so", False), ("", False),
     ("Yes, but the numbers differ", False), ("yes no", False), ("Maybe", False),
     ("YESNO", False), ("nyes", False)],
)
def test_odd_replies_parse_strictly(up: FakeOpenAI, client: openai.OpenAI, reply: str,
                                    accepted: bool) -> None:
    assert parse_yes(reply) is accepted
    up.answer_fn = lambda body: reply
    judge = LLMJudgeEvaluator(client, model=MODEL, band=(0.7, 0.95))
    assert _judge(judge, "How do I fry an egg?", "How do I boil an egg?", 0.9) is accepted


def test_parse_yes_of_nothing() -> None:
    assert parse_yes(None) is False


@pytest.mark.parametrize("status", [500, 503, 429, 401])
def test_an_error_status_is_a_refusal_logged_counted_and_not_cached(
        up: FakeOpenAI, client: openai.OpenAI, status: int,
        caplog: pytest.LogCaptureFixture) -> None:
    judge = LLMJudgeEvaluator(client, model=MODEL, band=(0.7, 0.95))
    up.fail_next(status)
    with caplog.at_level(logging.WARNING, logger="gistcache.evaluators.judge"):
        assert not _judge(judge, "Capital of France?", "What is the capital city of France?",
                          0.8)
    assert up.call_count() == 1  # no retry: a failed judge costs a miss, not more latency
    assert judge.stats.failures == 1
    assert "LLM judge gpt-4o-mini failed" in caplog.text
    # the failure was not cached: the next lookup asks again and gets the real verdict
    assert _judge(judge, "Capital of France?", "What is the capital city of France?", 0.8)
    assert up.call_count() == 2


def test_a_timeout_is_a_refusal(up: FakeOpenAI, client: openai.OpenAI) -> None:
    judge = LLMJudgeEvaluator(client, model=MODEL, band=(0.7, 0.95), timeout=0.2)
    up.hang_next(2.0)
    assert not _judge(judge, "Capital of France?", "What is the capital city of France?", 0.8)
    assert judge.stats.failures == 1


def test_a_refused_connection_is_a_refusal() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and is now closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="sk-x") as sdk:
        judge = LLMJudgeEvaluator(sdk, model=MODEL, band=(0.7, 0.95), timeout=2.0)
        assert not _judge(judge, "Capital of France?", "What is the capital city of France?",
                          0.8)
    assert judge.stats.failures == 1


def test_a_callable_judge_and_its_failures() -> None:
    def same(q1: str, q2: str) -> bool:
        if "boom" in q1:
            raise RuntimeError("judge exploded")
        return q1.lower().startswith("capital") or q2.lower().startswith("capital")

    judge = LLMJudgeEvaluator(same, model="rules", band=(0.7, 0.95))
    assert _judge(judge, "Capital of France?", "What is the capital city of France?", 0.8)
    assert not _judge(judge, "How do I fry an egg?", "How do I boil an egg?", 0.8)
    assert not _judge(judge, "boom", "How do I boil an egg?", 0.8)
    assert judge.stats.failures == 1
    # identical texts (after normalisation) never need a judge
    assert _judge(judge, "boom", " BOOM ", 0.8)


def test_bad_settings_are_config_errors(client: openai.OpenAI) -> None:
    with pytest.raises(ConfigError, match="band"):
        LLMJudgeEvaluator(client, model=MODEL, band=(0.95, 0.7))
    with pytest.raises(ConfigError, match="band"):
        LLMJudgeEvaluator(client, model=MODEL, band=(0.5, 1.5))
    with pytest.raises(ConfigError, match="cache_size"):
        LLMJudgeEvaluator(client, model=MODEL, cache_size=-1)
    with pytest.raises(ConfigError, match="model"):
        LLMJudgeEvaluator(client, model="")
    with pytest.raises(ConfigError, match="OpenAI client or a callable"):
        LLMJudgeEvaluator(42, model=MODEL)


async def test_an_async_client_is_refused(up: FakeOpenAI) -> None:
    async with openai.AsyncOpenAI(base_url=up.base_url, api_key=up.api_key) as sdk:
        with pytest.raises(ConfigError, match="sync client"):
            LLMJudgeEvaluator(sdk, model=MODEL)
