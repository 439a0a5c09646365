"""What people type is the same question; a cut-off answer serves no larger token limit."""

from __future__ import annotations

from typing import Any

import pytest

from gistcache._cache import Answer
from gistcache._types import CacheRequest, normalize_text
from gistcache.requests import chat_request


@pytest.mark.parametrize(("a", "b"), [
    ("What is the capital of Australia?", "What is the capital of Australia"),
    ("What is the capital of Australia?", "what is the capital of australia"),
    ("Who wrote Hamlet?", "who  wrote hamlet ?!"),
    ("It’s “fine”…", "it's \"fine\""),
    ("부산 인구는?", "부산 인구는？"),
    ("ＡＢＣ", "abc"),
])
def test_trivial_variants_share_the_exact_key(a: str, b: str) -> None:
    assert normalize_text(a) == normalize_text(b)
    assert CacheRequest(a).exact_key == CacheRequest(b).exact_key


def test_punctuation_alone_is_kept() -> None:
    assert normalize_text("???") == "???"
    assert normalize_text("a?b") != normalize_text("ab")


def _ask(max_tokens: int | None) -> Any:
    kwargs: dict[str, Any] = {"model": "m", "messages": [{"role": "user", "content": "Tell me"}]}
    if max_tokens is not None:
        kwargs["max_tokens"] = max_tokens
    return chat_request(kwargs)


def _cut(text: str) -> Answer:
    return Answer(text, payload={"kind": "chat", "choices": [
        {"index": 0, "message": {"role": "assistant", "content": text},
         "finish_reason": "length"}]})


def test_a_cut_off_answer_serves_only_no_larger_limits(make_cache: Any) -> None:
    cache = make_cache()
    cache.put_request(_ask(17), _cut("Once upon a time there"))
    assert cache.lookup(_ask(17)).hit
    for larger in (18, 30, 32):  # same power-of-two bucket as 17
        assert not cache.lookup(_ask(larger)).hit
    cache.put_request(_ask(300), Answer("A whole story."))  # finished normally
    assert cache.lookup(_ask(260)).hit


def test_an_answer_cut_off_without_a_limit_is_not_served_to_one_without(make_cache: Any) -> None:
    cache = make_cache()
    cache.put_request(_ask(None), _cut("partial"))
    assert not cache.lookup(_ask(None)).hit
