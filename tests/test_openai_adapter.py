"""The OpenAI SDK adapter, driven by the official SDK against the FakeOpenAI HTTP server."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
import sqlalchemy as sa
from openai.types import Completion, CreateEmbeddingResponse
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from gistcache import Answer, Cache, HitKind, InvalidRequest, MissingExtra, chat_request
from gistcache._endpoints import upstream_id, with_upstream
from gistcache.openai import CachedAsyncOpenAI, CachedOpenAI, CacheInfo, cache_info, wrap
from gistcache.stores import SQLStore
from gistcache.testing import FakeOpenAI, free_port

MODEL = "gpt-4o-mini"
TOOLS = [{"type": "function", "function": {
    "name": "search", "description": "Search the web",
    "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}}]


def _user(text: str, system: str | None = None) -> list[Any]:
    head = [{"role": "system", "content": system}] if system is not None else []
    return [*head, {"role": "user", "content": text}]


def _scoped(up: FakeOpenAI) -> dict[str, str]:
    """The scope parameters of entries stored through the fake upstream."""
    return {"upstream": upstream_id(up.base_url)}


def _chats(up: FakeOpenAI) -> int:
    return up.call_count("/chat/completions")


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def up(server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    """The shared fake upstream, reset before and restored after each test."""
    server.reset()
    yield server
    server.latency = server.stream_chunk_delay = 0.0
    server.answer_fn = None
    server.reset()


@pytest.fixture
def cache(make_cache: Any) -> Cache:
    made: Cache = make_cache(similarity_threshold=0.5)
    return made


@pytest.fixture
def sdk(up: FakeOpenAI) -> Iterator[Any]:
    with openai.OpenAI(base_url=up.base_url, api_key=up.api_key, max_retries=0) as client:
        yield client


@pytest.fixture
def infos() -> list[CacheInfo]:
    return []


@pytest.fixture
def client(sdk: Any, cache: Cache, infos: list[CacheInfo]) -> Any:
    return wrap(sdk, cache, on_lookup=infos.append)


@pytest.fixture
async def aclient(up: FakeOpenAI, cache: Cache) -> AsyncIterator[Any]:
    async with openai.AsyncOpenAI(base_url=up.base_url, api_key=up.api_key,
                                  max_retries=0) as raw:
        yield wrap(raw, cache)


def _info(obj: object) -> CacheInfo:
    info = cache_info(obj)
    assert info is not None
    return info


def _text(response: ChatCompletion) -> str | None:
    return response.choices[0].message.content


# -- the basic promise ------------------------------------------------------------------------


def test_repeated_question_never_reaches_the_upstream(
    up: FakeOpenAI, client: Any, cache: Cache, infos: list[CacheInfo]
) -> None:
    first = client.chat.completions.create(model=MODEL, messages=_user("What is SQLite?"))
    second = client.chat.completions.create(model=MODEL, messages=_user("What is SQLite?"))
    assert _chats(up) == 1
    assert isinstance(first, ChatCompletion) and isinstance(second, ChatCompletion)
    assert _text(second) == _text(first) and "What is SQLite?" in (_text(first) or "")
    assert second.choices[0].finish_reason == "stop" and second.model == first.model
    assert second.usage is not None and second.usage.total_tokens == 0  # a hit cost no tokens
    assert first.usage is not None and first.usage.total_tokens > 0
    assert _info(first).kind is HitKind.MISS and not _info(first).hit
    assert _info(second).kind is HitKind.EXACT and _info(second).entry_id is not None
    assert [i.kind for i in infos] == [HitKind.MISS, HitKind.EXACT]
    assert cache.stats()["entries"] == 1


def test_paraphrase_hits_the_semantic_tier(up: FakeOpenAI, client: Any) -> None:
    client.chat.completions.create(model=MODEL, messages=_user("how do I make a cup of green tea"))
    reply = client.chat.completions.create(
        model=MODEL, messages=_user("how do I make a cup of green tea quickly"))
    assert _chats(up) == 1
    info = _info(reply)
    assert info.kind is HitKind.SEMANTIC and info.similarity is not None
    assert "make a cup of green tea (ctx" in (_text(reply) or "")


def test_wrapped_client_is_not_the_sdk_client_but_answers_like_it(
    sdk: Any, client: Any, cache: Cache
) -> None:
    assert isinstance(client, CachedOpenAI)
    assert client.__wrapped__ is sdk
    assert client.gistcache is cache
    assert client.base_url == sdk.base_url
    with pytest.raises(InvalidRequest, match="already wrapped"):
        wrap(client, cache)
    with pytest.raises(InvalidRequest, match=r"openai\.OpenAI or openai\.AsyncOpenAI"):
        wrap(object(), cache)


def test_missing_sdk_names_the_extra(monkeypatch: pytest.MonkeyPatch, cache: Cache) -> None:
    monkeypatch.setitem(sys.modules, "openai", None)  # as if the SDK were not installed
    with pytest.raises(MissingExtra, match=r"pip install 'gistcache\[openai\]'"):
        wrap(object(), cache)


# -- the real default embedder ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def default_cached(server: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[Any]:
    """``wrap(client)`` with no cache: the embedded default (all-MiniLM ONNX, SQLite)."""
    data = tmp_path_factory.mktemp("default-cache")
    with pytest.MonkeyPatch.context() as patch, \
            openai.OpenAI(base_url=server.base_url, api_key=server.api_key, max_retries=0) as raw:
        patch.setenv("GISTCACHE_DATA_DIR", str(data))
        client: Any = wrap(raw)
        cache: Cache = client.gistcache
        assert Path(cache.config.data_dir) == data
        yield client
        cache.close()


def test_paraphrase_hit_with_the_default_onnx_embedder(
    up: FakeOpenAI, default_cached: Any
) -> None:
    first = default_cached.chat.completions.create(
        model=MODEL, messages=_user("What is the capital city of Australia?"))
    reply = default_cached.chat.completions.create(
        model=MODEL, messages=_user("Which city is the capital of Australia?"))
    other = default_cached.chat.completions.create(
        model=MODEL, messages=_user("How do I bake sourdough bread at home?"))
    assert _chats(up) == 2  # the paraphrase was answered by meaning, the new topic was not
    assert _info(reply).kind is HitKind.SEMANTIC and _text(reply) == _text(first)
    assert _info(other).kind is HitKind.MISS and _text(other) != _text(first)


# -- streaming ------------------------------------------------------------------------------------


class _Gate(httpx2.BaseTransport):
    """A real HTTP transport that holds a response body after its first block until released."""

    def __init__(self) -> None:
        self.inner = httpx2.HTTPTransport()
        self.release = threading.Event()
        self.blocks = 0
        self.finished = False

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = self.inner.handle_request(request)
        assert isinstance(response.stream, httpx2.SyncByteStream)
        return httpx2.Response(response.status_code, headers=response.headers,
                               stream=_GatedBody(response.stream, self),
                               extensions=response.extensions, request=request)

    def close(self) -> None:
        self.inner.close()


class _GatedBody(httpx2.SyncByteStream):
    def __init__(self, inner: httpx2.SyncByteStream, gate: _Gate) -> None:
        self.inner, self.gate = inner, gate

    def __iter__(self) -> Iterator[bytes]:
        for block in self.inner:
            if self.gate.blocks:
                # bounded, so that a buffering adapter fails the test instead of hanging it
                self.gate.release.wait(10)
            self.gate.blocks += 1
            yield block
        self.gate.finished = True

    def close(self) -> None:
        self.inner.close()


def test_streaming_miss_delivers_chunks_as_they_arrive_and_stores_at_the_end(
    up: FakeOpenAI, cache: Cache
) -> None:
    up.answer_fn = lambda body: "a long answer, " * 12 + "the end"
    up.stream_chunk_delay = 0.005  # the first event reaches the client alone
    gate = _Gate()
    with openai.OpenAI(base_url=up.base_url, api_key=up.api_key, max_retries=0,
                       http_client=httpx2.Client(transport=gate)) as raw:
        client = wrap(raw, cache)
        stream = client.chat.completions.create(model=MODEL, messages=_user("tell me a story"),
                                                stream=True)
        first = next(stream)
        # the caller holds a chunk while the upstream body has not been read to its end
        assert isinstance(first, ChatCompletionChunk)
        assert not gate.finished and gate.blocks == 1
        assert cache.stats()["entries"] == 0
        gate.release.set()
        chunks = [first]
        while not chunks[-1].choices[0].finish_reason:
            chunks.append(next(stream))
        assert cache.stats()["entries"] == 0  # finished, but the stream has not ended yet
        with pytest.raises(StopIteration):
            next(stream)
        assert gate.blocks > 1
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == "a long answer, " * 12 + "the end"
    assert cache.stats()["entries"] == 1
    assert cache.get("tell me a story", model=MODEL, params=_scoped(up)) == text


def test_abandoned_stream_is_not_stored(up: FakeOpenAI, client: Any,
                                        cache: Cache) -> None:
    up.answer_fn = lambda body: "one two three four five six seven eight nine ten"
    stream = client.chat.completions.create(model=MODEL, messages=_user("count"), stream=True)
    got = []
    for chunk in stream:
        got.append(chunk)
        if len(got) == 2:
            break
    stream.close()
    assert len(got) == 2 and cache.stats()["entries"] == 0
    again = client.chat.completions.create(model=MODEL, messages=_user("count"))
    assert _chats(up) == 2 and _info(again).kind is HitKind.MISS


def test_stream_closed_by_its_context_manager_is_not_stored(
    client: Any, cache: Cache
) -> None:
    with client.chat.completions.create(model=MODEL, messages=_user("hello there"),
                                        stream=True) as stream:
        assert next(stream).choices[0].delta.role == "assistant"
    assert cache.stats()["entries"] == 0


def test_upstream_stream_broken_off_is_not_stored(up: FakeOpenAI, client: Any,
                                                  cache: Cache) -> None:
    up.drop_stream_after(3)
    stream = client.chat.completions.create(model=MODEL, messages=_user("what is Rust?"),
                                            stream=True)
    got = []
    with pytest.raises(openai.APIConnectionError):
        for chunk in stream:
            got.append(chunk)
    assert len(got) == 3
    assert cache.stats()["entries"] == 0


def test_streaming_hit_replays_in_chunks_with_a_finish_reason(
    up: FakeOpenAI, client: Any
) -> None:
    plain = client.chat.completions.create(model=MODEL, messages=_user("what is Python?"))
    stream = client.chat.completions.create(model=MODEL, messages=_user("what is Python?"),
                                            stream=True)
    assert _info(stream).kind is HitKind.EXACT
    with stream:
        chunks = list(stream)
    assert _chats(up) == 1
    assert all(isinstance(c, ChatCompletionChunk) for c in chunks)
    assert len(chunks) > 3  # small chunks, not one huge one
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == _text(plain)
    assert len({c.id for c in chunks}) == 1


def test_streamed_answer_is_served_to_a_plain_call_and_usage_chunk_replayed(
    up: FakeOpenAI, client: Any
) -> None:
    options = {"include_usage": True}
    first = list(client.chat.completions.create(
        model=MODEL, messages=_user("what is Go?"), stream=True, stream_options=options))
    text = "".join(c.choices[0].delta.content or "" for c in first if c.choices)
    plain = client.chat.completions.create(model=MODEL, messages=_user("what is Go?"))
    replay = list(client.chat.completions.create(
        model=MODEL, messages=_user("what is Go?"), stream=True, stream_options=options))
    assert _chats(up) == 1
    assert _text(plain) == text
    assert replay[-1].choices == [] and replay[-1].usage is not None
    assert replay[-1].usage.total_tokens == 0


# -- tool calls, n, scope ---------------------------------------------------------------------


def test_tool_calls_are_cached_and_replayed(up: FakeOpenAI, client: Any) -> None:
    ask = {"model": MODEL, "messages": _user("please use tool to find the weather"),
           "tools": TOOLS}
    first = client.chat.completions.create(**ask)
    again = client.chat.completions.create(**ask)
    streamed = list(client.chat.completions.create(stream=True, **ask))
    assert _chats(up) == 1
    calls = first.choices[0].message.tool_calls
    assert calls and calls[0].function.name == "search"
    assert again.choices[0].finish_reason == "tool_calls"
    assert again.choices[0].message.tool_calls == calls
    assert _info(again).hit
    deltas = [t for c in streamed for t in (c.choices[0].delta.tool_calls or [])]
    assert [(d.id, d.function.name, d.function.arguments) for d in deltas if d.function] == [
        (calls[0].id, "search", calls[0].function.arguments)]
    assert streamed[-1].choices[0].finish_reason == "tool_calls"


def test_streamed_tool_call_is_stored_whole(up: FakeOpenAI, client: Any) -> None:
    ask = {"model": MODEL, "messages": _user("use tool for news"), "tools": TOOLS}
    list(client.chat.completions.create(stream=True, **ask))
    hit = client.chat.completions.create(**ask)
    assert _chats(up) == 1
    calls = hit.choices[0].message.tool_calls
    assert calls and calls[0].function.name == "search"
    assert "use tool for news" in calls[0].function.arguments


def test_n_choices_are_cached_whole(up: FakeOpenAI, client: Any) -> None:
    first = client.chat.completions.create(model=MODEL, messages=_user("name a color"), n=3)
    again = client.chat.completions.create(model=MODEL, messages=_user("name a color"), n=3)
    assert _chats(up) == 1
    assert [c.message.content for c in again.choices] == [c.message.content for c in first.choices]
    assert len({c.message.content for c in again.choices}) == 3


@pytest.mark.parametrize(
    "change",
    [
        {"model": "gpt-4o"},
        {"messages": _user("what is a cache?", system="Answer in French.")},
        {"tools": TOOLS},
        {"response_format": {"type": "json_object"}},
        {"n": 2},
        {"seed": 42},
        {"logprobs": True},
        {"stop": ["\n"]},
    ],
    ids=["model", "system", "tools", "response_format", "n", "seed", "logprobs", "stop"],
)
def test_scope_changes_are_misses(up: FakeOpenAI, client: Any,
                                  change: dict[str, Any]) -> None:
    base = {"model": MODEL, "messages": _user("what is a cache?")}
    client.chat.completions.create(**base)
    changed = client.chat.completions.create(**{**base, **change})
    assert _chats(up) == 2 and _info(changed).kind is HitKind.MISS
    repeat = client.chat.completions.create(**{**base, **change})
    assert _chats(up) == 2 and _info(repeat).kind is HitKind.EXACT


def test_max_tokens_in_the_same_bucket_share_answers(up: FakeOpenAI,
                                                      client: Any) -> None:
    client.chat.completions.create(model=MODEL, messages=_user("explain DNS"), max_tokens=100)
    client.chat.completions.create(model=MODEL, messages=_user("explain DNS"), max_tokens=120)
    client.chat.completions.create(model=MODEL, messages=_user("explain DNS"), max_tokens=10)
    assert _chats(up) == 2


def test_temperature_two_always_calls_the_model(up: FakeOpenAI, client: Any) -> None:
    for _ in range(2):
        reply = client.chat.completions.create(model=MODEL, messages=_user("a poem"),
                                               temperature=2.0)
        assert _info(reply).kind is HitKind.BYPASS
    assert _chats(up) == 2


def test_sdk_not_given_sentinels_do_not_change_the_scope(up: FakeOpenAI,
                                                         client: Any) -> None:
    client.chat.completions.create(model=MODEL, messages=_user("what is TLS?"))
    reply = client.chat.completions.create(model=MODEL, messages=_user("what is TLS?"),
                                           seed=openai.NOT_GIVEN, tools=openai.omit)
    assert _chats(up) == 1 and _info(reply).hit


# -- per-call controls ----------------------------------------------------------------------


def test_cache_skip_lookup_calls_upstream_and_refreshes_the_entry(
    up: FakeOpenAI, client: Any, cache: Cache
) -> None:
    client.chat.completions.create(model=MODEL, messages=_user("what is HTTP?"))
    up.answer_fn = lambda body: "a fresher answer"
    fresh = client.chat.completions.create(model=MODEL, messages=_user("what is HTTP?"),
                                           cache_skip_lookup=True)
    served = client.chat.completions.create(model=MODEL, messages=_user("what is HTTP?"))
    assert _chats(up) == 2
    assert _info(fresh).kind is HitKind.BYPASS and _text(fresh) == "a fresher answer"
    assert _text(served) == "a fresher answer" and cache.stats()["entries"] == 1


def test_cache_skip_store(up: FakeOpenAI, client: Any, cache: Cache) -> None:
    client.chat.completions.create(model=MODEL, messages=_user("what is UDP?"),
                                   cache_skip_store=True)
    list(client.chat.completions.create(model=MODEL, messages=_user("what is UDP?"),
                                        stream=True, cache_skip_store=True))
    assert cache.stats()["entries"] == 0
    client.chat.completions.create(model=MODEL, messages=_user("what is UDP?"))
    assert _chats(up) == 3 and cache.stats()["entries"] == 1


def test_cache_namespace_separates_answers(up: FakeOpenAI, client: Any) -> None:
    client.chat.completions.create(model=MODEL, messages=_user("what is IP?"),
                                   cache_namespace="tenant-a")
    other = client.chat.completions.create(model=MODEL, messages=_user("what is IP?"),
                                           cache_namespace="tenant-b")
    same = client.chat.completions.create(model=MODEL, messages=_user("what is IP?"),
                                          cache_namespace="tenant-a")
    default = client.chat.completions.create(model=MODEL, messages=_user("what is IP?"))
    assert _info(other).kind is HitKind.MISS and _info(same).kind is HitKind.EXACT
    assert _info(default).kind is HitKind.MISS and _chats(up) == 3


def test_wrap_namespace_is_the_default_of_its_calls(
    up: FakeOpenAI, sdk: Any, cache: Cache
) -> None:
    a, b = wrap(sdk, cache, namespace="a"), wrap(sdk, cache, namespace="b")
    a.chat.completions.create(model=MODEL, messages=_user("what is ARP?"))
    b.chat.completions.create(model=MODEL, messages=_user("what is ARP?"))
    hit = b.chat.completions.create(model=MODEL, messages=_user("what is ARP?"),
                                    cache_namespace="a")
    assert _chats(up) == 2 and _info(hit).hit
    assert {e.namespace for e in cache.entries()} == {"a", "b"}


def test_cache_ttl_expires_the_entry(up: FakeOpenAI, client: Any, clock: Any) -> None:
    client.chat.completions.create(model=MODEL, messages=_user("today's news"), cache_ttl=60)
    assert _info(client.chat.completions.create(
        model=MODEL, messages=_user("today's news"))).hit
    clock.advance(61)
    late = client.chat.completions.create(model=MODEL, messages=_user("today's news"))
    assert _info(late).kind is HitKind.MISS and _chats(up) == 2


def test_cache_min_similarity_only_makes_matching_stricter(
    up: FakeOpenAI, client: Any
) -> None:
    client.chat.completions.create(model=MODEL, messages=_user("how do I make a cup of green tea"))
    strict = client.chat.completions.create(
        model=MODEL, messages=_user("how do I make a cup of green tea quickly"),
        cache_min_similarity=0.99, cache_skip_store=True)
    assert _info(strict).kind is HitKind.MISS and _chats(up) == 2
    loose = client.chat.completions.create(
        model=MODEL, messages=_user("what is the capital of France"), cache_min_similarity=-1.0)
    assert _info(loose).kind is HitKind.MISS and _chats(up) == 3
    normal = client.chat.completions.create(
        model=MODEL, messages=_user("how do I make a cup of green tea quickly"))
    assert _info(normal).kind is HitKind.SEMANTIC and _chats(up) == 3


@pytest.mark.parametrize(
    ("control", "message"),
    [
        ({"cache_skip_lookup": "yes"}, "cache_skip_lookup must be True or False"),
        ({"cache_ttl": 0}, "cache_ttl must be > 0"),
        ({"cache_ttl": "1h"}, "cache_ttl must be a number"),
        ({"cache_namespace": ""}, "cache_namespace must be a non-empty string"),
        ({"cache_min_similarity": 1.5}, r"cache_min_similarity is a cosine similarity"),
        ({"cache_skip": True}, "unknown cache control cache_skip"),
    ],
)
def test_bad_controls_are_named(up: FakeOpenAI, client: Any,
                                control: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        client.chat.completions.create(model=MODEL, messages=_user("hi"), **control)
    assert _chats(up) == 0


# -- errors --------------------------------------------------------------------------------------




@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("429", openai.RateLimitError),
        ("500", openai.InternalServerError),
        ("401", openai.AuthenticationError),
        ("timeout", openai.APITimeoutError),
        ("refused", openai.APIConnectionError),
    ],
)
@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_upstream_errors_are_the_sdks_own_and_never_cached(
    up: FakeOpenAI, cache: Cache, fault: str, error: type[Exception], stream: bool
) -> None:
    base_url, key, timeout = up.base_url, up.api_key, 10.0
    if fault in ("429", "500"):
        up.fail_next(int(fault))
    elif fault == "401":
        key = "sk-wrong"
    elif fault == "timeout":
        up.hang_next(2.0)
        timeout = 0.2
    else:
        base_url = f"http://127.0.0.1:{free_port()}/v1"
    with openai.OpenAI(base_url=base_url, api_key=key, max_retries=0, timeout=timeout) as raw:
        client = wrap(raw, cache)
        with pytest.raises(error):
            reply = client.chat.completions.create(model=MODEL, messages=_user("what is TCP?"),
                                                   stream=stream)
            list(reply) if stream else None
    assert cache.stats()["entries"] == 0
    if fault != "refused":
        with openai.OpenAI(base_url=up.base_url, api_key=up.api_key, max_retries=0) as ok:
            reply = wrap(ok, cache).chat.completions.create(model=MODEL,
                                                            messages=_user("what is TCP?"))
            assert _info(reply).kind is HitKind.MISS


def test_uncacheable_input_gets_the_sdks_own_behaviour(
    up: FakeOpenAI, sdk: Any, client: Any, cache: Cache
) -> None:
    with pytest.raises(openai.BadRequestError) as ours:
        client.chat.completions.create(model=MODEL, messages="not a list")
    with pytest.raises(openai.BadRequestError) as theirs:
        sdk.chat.completions.create(model=MODEL, messages="not a list")
    assert ours.value.status_code == theirs.value.status_code == 400
    with pytest.raises(TypeError) as missing_ours:
        client.chat.completions.create(messages=_user("hi"))
    with pytest.raises(TypeError) as missing_theirs:
        sdk.chat.completions.create(messages=_user("hi"))
    assert str(missing_ours.value) == str(missing_theirs.value)
    # content parts we cannot key go upstream uncached, every time
    odd = [{"role": "user", "content": [42]}]
    for _ in range(2):
        reply = client.chat.completions.create(model=MODEL, messages=odd)
        assert isinstance(reply, ChatCompletion) and _info(reply).kind is HitKind.BYPASS
    assert cache.stats()["entries"] == 0
    assert cache.metrics.counters["uncacheable"] == 4


def test_a_callback_error_is_not_swallowed(sdk: Any, cache: Cache) -> None:
    def broken(info: CacheInfo) -> None:
        raise RuntimeError("bug in the caller's callback")

    client = wrap(sdk, cache, on_lookup=broken)
    with pytest.raises(RuntimeError, match="bug in the caller's callback"):
        client.chat.completions.create(model=MODEL, messages=_user("hi"))


def test_store_fault_makes_the_call_go_upstream(up: FakeOpenAI, client: Any,
                                                cache: Cache) -> None:
    store = cache.store
    assert isinstance(store, SQLStore)
    client.chat.completions.create(model=MODEL, messages=_user("what is DNS?"))
    cache.hot.clear()  # the next lookups must read the store, which is about to break
    with store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE gistcache_entries"))
    for _ in range(2):
        reply = client.chat.completions.create(model=MODEL, messages=_user("what is DNS?"))
        assert "what is DNS?" in (_text(reply) or "") and _info(reply).kind is HitKind.MISS
    stream = client.chat.completions.create(model=MODEL, messages=_user("what is DNS?"),
                                            stream=True)
    assert "what is DNS?" in "".join(c.choices[0].delta.content or "" for c in stream)
    assert _chats(up) == 4
    assert cache.metrics.errors["lookup"] == 3 and cache.metrics.errors["store"] == 3


def _corrupt(cache: Cache, text: str, up: FakeOpenAI) -> None:
    """Store an entry for ``text`` whose payload cannot become a ChatCompletion."""
    request = with_upstream(chat_request({"model": MODEL, "messages": _user(text)}),
                            upstream_id(up.base_url))
    bad = {"kind": "chat", "choices": [{"index": 0, "finish_reason": "stop",
                                        "message": {"role": "assistant", "content": 123}}]}
    cache.put_request(request, Answer("broken", payload=bad))


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_unusable_stored_answer_falls_back_to_upstream(
    up: FakeOpenAI, client: Any, cache: Cache, stream: bool
) -> None:
    _corrupt(cache, "what is NTP?", up)
    reply = client.chat.completions.create(model=MODEL, messages=_user("what is NTP?"),
                                           stream=stream)
    text = ("".join(c.choices[0].delta.content or "" for c in reply) if stream
            else _text(reply))
    assert text is not None and "what is NTP?" in text
    assert _info(reply).kind is HitKind.MISS and "unusable" in _info(reply).reason
    assert cache.metrics.errors["replay"] == 1
    healed = client.chat.completions.create(model=MODEL, messages=_user("what is NTP?"))
    assert _info(healed).hit and _text(healed) == text and _chats(up) == 1


def test_identical_concurrent_misses_make_one_upstream_call(up: FakeOpenAI, client: Any) -> None:
    up.latency = 0.3  # the calls overlap: all five are in flight while the first is answered

    def ask(_: int) -> Any:
        return client.chat.completions.create(model=MODEL, messages=_user("what is Scala?"))

    with ThreadPoolExecutor(5) as pool:
        replies = list(pool.map(ask, range(5)))
    assert _chats(up) == 1
    assert len({_text(r) for r in replies}) == 1
    assert [_info(r).kind is HitKind.MISS for r in replies].count(True) == 1


# -- legacy completions ---------------------------------------------------------------------


def test_completions_plain_and_stream(up: FakeOpenAI, client: Any) -> None:
    ask = {"model": "gpt-3.5-turbo-instruct", "prompt": "Say hello"}
    first = client.completions.create(**ask)
    again = client.completions.create(**ask)
    chunks = list(client.completions.create(stream=True, **ask))
    assert up.call_count("/v1/completions") == 1
    assert isinstance(again, Completion) and again.choices[0].text == first.choices[0].text
    assert all(isinstance(c, Completion) for c in chunks) and len(chunks) > 1
    assert "".join(c.choices[0].text for c in chunks) == first.choices[0].text
    assert chunks[-1].choices[0].finish_reason == "stop"
    # a completion never answers a chat request with the same words
    chat = client.chat.completions.create(model="gpt-3.5-turbo-instruct",
                                          messages=_user("Say hello"))
    assert _info(chat).kind is HitKind.MISS


def test_streamed_completion_miss_is_stored(up: FakeOpenAI, client: Any) -> None:
    ask = {"model": "gpt-3.5-turbo-instruct", "prompt": "Count to three"}
    text = "".join(c.choices[0].text for c in client.completions.create(stream=True, **ask))
    hit = client.completions.create(**ask)
    assert hit.choices[0].text == text and _info(hit).hit
    assert up.call_count("/v1/completions") == 1


# -- pass-through ---------------------------------------------------------------------------


def test_other_endpoints_pass_through(up: FakeOpenAI, client: Any) -> None:
    models = client.models.list()
    assert MODEL in {m.id for m in models}
    emb = client.embeddings.create(model="text-embedding-3-small", input="hello")
    assert isinstance(emb, CreateEmbeddingResponse) and len(emb.data[0].embedding) == 64
    raw = client.chat.completions.with_raw_response.create(model=MODEL, messages=_user("hi"))
    assert raw.http_response.status_code == 200
    assert [c.path for c in up.calls] == ["/v1/models", "/v1/embeddings", "/v1/chat/completions"]


def test_with_options_stays_cached(up: FakeOpenAI, client: Any) -> None:
    client.chat.completions.create(model=MODEL, messages=_user("what is a CDN?"))
    quick = client.with_options(timeout=5.0)
    assert isinstance(quick, CachedOpenAI) and quick.timeout == 5.0
    reply = quick.chat.completions.create(model=MODEL, messages=_user("what is a CDN?"))
    assert _info(reply).hit and _chats(up) == 1


# -- async ---------------------------------------------------------------------------------------


async def test_async_plain_and_stream(up: FakeOpenAI, aclient: Any,
                                      cache: Cache) -> None:
    assert isinstance(aclient, CachedAsyncOpenAI)
    first = await aclient.chat.completions.create(model=MODEL, messages=_user("what is Zig?"))
    again = await aclient.chat.completions.create(model=MODEL, messages=_user("what is Zig?"))
    assert isinstance(again, ChatCompletion) and _text(again) == _text(first)
    assert _info(first).kind is HitKind.MISS and _info(again).kind is HitKind.EXACT
    stream = await aclient.chat.completions.create(model=MODEL, messages=_user("what is Zig?"),
                                                   stream=True)
    async with stream:
        chunks = [c async for c in stream]
    assert _info(stream).hit and len(chunks) > 3
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == _text(first)
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert _chats(up) == 1


async def test_async_stream_miss_is_stored_only_when_it_ends(
    up: FakeOpenAI, aclient: Any, cache: Cache
) -> None:
    abandoned = await aclient.chat.completions.create(model=MODEL, messages=_user("what is C?"),
                                                      stream=True)
    got = [await abandoned.__anext__(), await abandoned.__anext__()]
    await abandoned.aclose()
    assert len(got) == 2 and cache.stats()["entries"] == 0
    up.drop_stream_after(2)
    broken = await aclient.chat.completions.create(model=MODEL, messages=_user("what is C?"),
                                                   stream=True)
    with pytest.raises(openai.APIConnectionError):
        _ = [c async for c in broken]
    assert cache.stats()["entries"] == 0
    full = await aclient.chat.completions.create(model=MODEL, messages=_user("what is C?"),
                                                 stream=True)
    text = "".join([c.choices[0].delta.content or "" async for c in full])
    assert _info(full).kind is HitKind.MISS and cache.stats()["entries"] == 1
    hit = await aclient.chat.completions.create(model=MODEL, messages=_user("what is C?"))
    assert _text(hit) == text and _chats(up) == 3


async def test_async_identical_concurrent_misses_make_one_upstream_call(
    up: FakeOpenAI, aclient: Any
) -> None:
    up.latency = 0.3  # the calls overlap: all five are in flight while the first is answered
    replies = await asyncio.gather(*(
        aclient.chat.completions.create(model=MODEL, messages=_user("what is Kotlin?"))
        for _ in range(5)))
    assert _chats(up) == 1
    assert len({_text(r) for r in replies}) == 1
    assert [_info(r).kind is HitKind.MISS for r in replies].count(True) == 1


async def test_async_completions_and_pass_through(up: FakeOpenAI,
                                                  aclient: Any) -> None:
    ask = {"model": "gpt-3.5-turbo-instruct", "prompt": "Say bye"}
    first = await aclient.completions.create(**ask)
    stream = await aclient.completions.create(stream=True, **ask)
    text = "".join([c.choices[0].text async for c in stream])
    assert text == first.choices[0].text and up.call_count("/v1/completions") == 1
    models = await aclient.models.list()
    assert MODEL in {m.id async for m in models}


async def test_async_unusable_stored_answer_falls_back(
    up: FakeOpenAI, aclient: Any, cache: Cache
) -> None:
    _corrupt(cache, "what is SMTP?", up)
    reply = await aclient.chat.completions.create(model=MODEL, messages=_user("what is SMTP?"))
    assert "what is SMTP?" in (_text(reply) or "") and _chats(up) == 1
    assert cache.metrics.errors["replay"] == 1
