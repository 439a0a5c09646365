"""The proxy server, driven by the official openai SDK and raw HTTP against a real fake upstream.

Each test runs the real app with uvicorn on a free port (in a thread) in front of a cache on a
real SQLite file, forwarding to the FakeOpenAI HTTP server.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import numpy.typing as npt
import openai
import pytest
from prometheus_client.parser import text_string_to_metric_families
from test_server_support import ServerThread

from gistcache import Cache, Config, StoreError
from gistcache.embedders import Embedder, WordHashEmbedder
from gistcache.server import ServerSettings, create_app
from gistcache.stores import SQLStore, sqlite_url
from gistcache.testing import FakeOpenAI

MODEL = "gpt-4o-mini"


def _user(text: str, system: str | None = None) -> list[Any]:
    head = [{"role": "system", "content": system}] if system is not None else []
    return [*head, {"role": "user", "content": text}]


def _chat_body(text: str, **extra: Any) -> dict[str, Any]:
    return {"model": MODEL, "messages": _user(text), **extra}


@dataclass
class Proxy:
    """A running server, its cache and the fake upstream behind it."""

    server: ServerThread
    cache: Cache
    up: FakeOpenAI
    api_key: str
    http: httpx.Client

    @property
    def url(self) -> str:
        return self.server.url

    def sdk(self, api_key: str | None = None) -> openai.OpenAI:
        return openai.OpenAI(base_url=self.server.base_url, api_key=api_key or self.api_key,
                             max_retries=0)

    def async_sdk(self) -> openai.AsyncOpenAI:
        return openai.AsyncOpenAI(base_url=self.server.base_url, api_key=self.api_key,
                                  max_retries=0)

    def post(self, path: str, body: Any = None, *, headers: dict[str, str] | None = None,
             content: bytes | None = None) -> httpx.Response:
        hdrs = {"authorization": f"Bearer {self.api_key}", **(headers or {})}
        if content is None:
            content = json.dumps(body).encode()
        return self.http.post(self.url + path, content=content,
                              headers={"content-type": "application/json", **hdrs})

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(self.url + path, **kwargs)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.request(method, self.url + path, **kwargs)

    def chat(self, text: str, *, headers: dict[str, str] | None = None, **extra: Any
             ) -> httpx.Response:
        return self.post("/v1/chat/completions", _chat_body(text, **extra), headers=headers)

    def chats(self) -> int:
        return self.up.call_count("/chat/completions")


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """One client for the module: building one per request costs more than the request."""
    with httpx.Client(timeout=30) as client:
        yield client


@pytest.fixture
def up() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def start(tmp_path: Path, clock: Any, up: FakeOpenAI, http: httpx.Client) -> Iterator[Any]:
    """Start a proxy around a fresh cache (lexical embedder, threshold 0.5)."""
    stack = contextlib.ExitStack()
    caches: list[Cache] = []

    def start(*, cache: Cache | None = None, embedder: Embedder | None = None,
              settings: dict[str, Any] | None = None, **config: Any) -> Proxy:
        if cache is None:
            cfg = Config(data_dir=str(tmp_path / f"data{len(caches)}"),
                         **{"similarity_threshold": 0.5, **config})
            cache = Cache(cfg, embedder=embedder or WordHashEmbedder(256), clock=clock,
                          background=False, rng=random.Random(7))
            caches.append(cache)
        opts = {"upstream": up.base_url, **(settings or {})}
        server = stack.enter_context(ServerThread(create_app(cache, ServerSettings(**opts),
                                                             clock=clock)))
        return Proxy(server, cache, up, up.api_key, http)

    yield start
    stack.close()
    for cache in caches:
        cache.close()


@pytest.fixture
def proxy(start: Any) -> Proxy:
    made: Proxy = start()
    return made


# -- chat completions -----------------------------------------------------------------------


def test_chat_miss_then_exact_hit_through_the_sdk(proxy: Proxy) -> None:
    with proxy.sdk() as client:
        first = client.chat.completions.with_raw_response.create(
            model=MODEL, messages=_user("What is GitHub?"))
        second = client.chat.completions.with_raw_response.create(
            model=MODEL, messages=_user("  what is   github? "))
    assert first.headers["x-gistcache"] == "miss"
    assert second.headers["x-gistcache"] == "hit-exact"
    assert second.headers["x-gistcache-entry"].isdigit()
    miss, hit = first.parse(), second.parse()
    assert hit.choices[0].message.content == miss.choices[0].message.content
    assert "What is GitHub?" in (miss.choices[0].message.content or "")
    assert miss.usage is not None and miss.usage.total_tokens > 0
    assert hit.usage is not None and hit.usage.total_tokens == 0  # a hit cost no tokens
    assert hit.model == MODEL
    assert proxy.chats() == 1


async def test_paraphrase_is_a_semantic_hit_through_the_async_sdk(proxy: Proxy) -> None:
    async with proxy.async_sdk() as client:
        await client.chat.completions.create(model=MODEL,
                                             messages=_user("how do I brew green tea"))
        raw = await client.chat.completions.with_raw_response.create(
            model=MODEL, messages=_user("hey, how do I brew green tea"))
    assert raw.headers["x-gistcache"] == "hit-semantic"
    similarity = float(raw.headers["x-gistcache-similarity"])
    assert 0.5 <= similarity < 1.0
    entry = proxy.cache.entries()[0]
    assert raw.headers["x-gistcache-entry"] == str(entry.id)
    assert raw.parse().choices[0].message.content == entry.answer
    assert proxy.chats() == 1


def test_other_model_or_system_prompt_is_a_miss(proxy: Proxy) -> None:
    assert proxy.chat("what is github").headers["x-gistcache"] == "miss"
    other_model = proxy.post("/v1/chat/completions",
                             {"model": "gpt-4o", "messages": _user("what is github")})
    other_system = proxy.post("/v1/chat/completions",
                              {"model": MODEL, "messages": _user("what is github", "be brief")})
    assert other_model.headers["x-gistcache"] == "miss"
    assert other_system.headers["x-gistcache"] == "miss"
    assert "gpt-4o]" in other_model.json()["choices"][0]["message"]["content"]
    assert proxy.chats() == 3


def test_stream_miss_is_relayed_then_replayed_as_a_stream(proxy: Proxy) -> None:
    messages = _user("tell me about the history of tea in China")
    with proxy.sdk() as client:
        raw = client.chat.completions.with_raw_response.create(model=MODEL, messages=messages,
                                                               stream=True)
        assert raw.headers["x-gistcache"] == "miss"
        relayed = [c for c in raw.parse() if c.choices]
        text = "".join(c.choices[0].delta.content or "" for c in relayed)
        assert relayed[-1].choices[0].finish_reason == "stop"
        assert len(proxy.cache.entries()) == 1  # stored when the stream completed

        raw = client.chat.completions.with_raw_response.create(model=MODEL, messages=messages,
                                                               stream=True)
        assert raw.headers["x-gistcache"] == "hit-exact"
        replayed = [c for c in raw.parse() if c.choices]
        assert "".join(c.choices[0].delta.content or "" for c in replayed) == text
        assert len(replayed) > 3  # replayed in small chunks, not one blob
        assert replayed[-1].choices[0].finish_reason == "stop"

        plain = client.chat.completions.with_raw_response.create(model=MODEL, messages=messages)
    assert plain.headers["x-gistcache"] == "hit-exact"  # stream and plain share entries
    assert plain.parse().choices[0].message.content == text
    assert proxy.chats() == 1


def test_stream_hit_reports_usage_when_asked(proxy: Proxy) -> None:
    proxy.chat("what is a kettle")
    with proxy.sdk() as client:
        chunks = list(client.chat.completions.create(
            model=MODEL, messages=_user("what is a kettle"), stream=True,
            stream_options={"include_usage": True}))
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 0


def test_broken_upstream_stream_reaches_the_client_and_is_not_stored(proxy: Proxy) -> None:
    proxy.up.drop_stream_after(3)
    with proxy.sdk() as client:
        stream = client.chat.completions.create(model=MODEL, messages=_user("a long story"),
                                                stream=True)
        with pytest.raises(openai.APIError, match="broke off"):
            for _ in stream:
                pass
        assert proxy.cache.entries() == []
        again = client.chat.completions.with_raw_response.create(
            model=MODEL, messages=_user("a long story"))
    assert again.headers["x-gistcache"] == "miss"
    assert proxy.chats() == 2


def test_client_abandoning_a_stream_stores_nothing(proxy: Proxy) -> None:
    proxy.up.stream_chunk_delay = 0.05  # the whole answer takes about a second to stream
    with proxy.sdk() as client:
        stream = client.chat.completions.create(
            model=MODEL, messages=_user("count slowly to one hundred please"), stream=True)
        next(iter(stream))
        assert proxy.cache.entries() == []  # relayed as it arrives, before the upstream ended
        stream.close()
    # the next request is answered by the upstream, then stored: the abandoned one never was
    assert proxy.chat("count slowly to one hundred please").headers["x-gistcache"] == "miss"
    assert len(proxy.cache.entries()) == 1


def test_legacy_completions_plain_and_streamed(proxy: Proxy) -> None:
    with proxy.sdk() as client:
        first = client.completions.with_raw_response.create(model="gpt-3.5-turbo-instruct",
                                                            prompt="Say this is a test")
        streamed = list(client.completions.create(model="gpt-3.5-turbo-instruct",
                                                  prompt="Say this is a test", stream=True))
        chat = client.chat.completions.with_raw_response.create(
            model="gpt-3.5-turbo-instruct", messages=_user("Say this is a test"))
    assert first.headers["x-gistcache"] == "miss"
    text = first.parse().choices[0].text
    assert "".join(c.choices[0].text for c in streamed if c.choices) == text
    assert chat.headers["x-gistcache"] == "miss"  # a completion never answers a chat
    assert proxy.up.call_count("/v1/completions") == 1


def test_several_prompts_in_one_completion_are_forwarded_as_a_bypass(proxy: Proxy) -> None:
    response = proxy.post("/v1/completions", {"model": "gpt-3.5-turbo-instruct",
                                              "prompt": ["one", "two"]})
    assert response.status_code == 200
    assert response.headers["x-gistcache"] == "bypass"
    assert "not cacheable" in response.headers["x-gistcache-reason"]
    assert len(response.json()["choices"]) == 2


# -- request controls -----------------------------------------------------------------------


def test_no_cache_skips_the_lookup_but_stores(proxy: Proxy) -> None:
    assert proxy.chat("what is rust").headers["x-gistcache"] == "miss"
    forced = proxy.chat("what is rust", headers={"cache-control": "no-cache"})
    assert forced.headers["x-gistcache"] == "bypass"
    assert proxy.chats() == 2
    assert proxy.chat("what is rust").headers["x-gistcache"] == "hit-exact"
    assert len(proxy.cache.entries()) == 1  # the fresh answer replaced the old one


def test_no_store_leaves_the_cache_untouched(proxy: Proxy) -> None:
    assert proxy.chat("secret question", headers={"cache-control": "no-store"}
                      ).headers["x-gistcache"] == "miss"
    assert proxy.cache.entries() == []
    assert proxy.chat("secret question").headers["x-gistcache"] == "miss"
    assert proxy.chats() == 2


def test_max_age_accepts_only_young_enough_entries(proxy: Proxy, clock: Any) -> None:
    proxy.chat("what is the tallest tree")
    clock.advance(100)
    young = proxy.chat("what is the tallest tree", headers={"cache-control": "max-age=500"})
    assert young.headers["x-gistcache"] == "hit-exact"
    old = proxy.chat("what is the tallest tree", headers={"Cache-Control": "max-age=50"})
    assert old.headers["x-gistcache"] == "miss"
    assert proxy.chats() == 2


def test_ttl_header_sets_the_entry_lifetime(proxy: Proxy, clock: Any) -> None:
    proxy.chat("what day is it", headers={"x-gistcache-ttl": "10"})
    assert proxy.chat("what day is it").headers["x-gistcache"] == "hit-exact"
    clock.advance(11)
    assert proxy.chat("what day is it").headers["x-gistcache"] == "miss"


def test_temperature_2_always_skips_the_cache(proxy: Proxy) -> None:
    proxy.chat("pick a random colour")
    hot = proxy.chat("pick a random colour", temperature=2)
    assert hot.headers["x-gistcache"] == "bypass"
    assert "temperature" in hot.headers["x-gistcache-reason"]
    assert proxy.chat("pick a random colour", temperature=0).headers["x-gistcache"] == \
        "hit-exact"
    assert proxy.chats() == 2


def test_namespace_header_isolates_tenants(proxy: Proxy) -> None:
    proxy.chat("what is our refund policy", headers={"x-gistcache-namespace": "shop-a"})
    other = proxy.chat("what is our refund policy", headers={"x-gistcache-namespace": "shop-b"})
    same = proxy.chat("what is our refund policy", headers={"x-gistcache-namespace": "shop-a"})
    assert other.headers["x-gistcache"] == "miss"
    assert same.headers["x-gistcache"] == "hit-exact"
    assert {e.namespace for e in proxy.cache.entries()} == {"shop-a", "shop-b"}


def test_threshold_header_can_only_make_matching_stricter(proxy: Proxy) -> None:
    proxy.chat("how do I reset my router password")
    strict = proxy.chat("how do I reset my router password today",
                        headers={"x-gistcache-threshold": "0.99"})
    assert strict.headers["x-gistcache"] == "miss"
    proxy.chat("what time does the museum open")
    # far below the configured 0.5: must not loosen the bar
    loose = proxy.chat("museum tickets for children", headers={"x-gistcache-threshold": "-1"})
    assert loose.headers["x-gistcache"] == "miss"
    normal = proxy.chat("how do I reset my router password now")
    assert normal.headers["x-gistcache"] == "hit-semantic"


@pytest.mark.parametrize(("header", "value"), [
    ("x-gistcache-ttl", "soon"), ("x-gistcache-ttl", "-5"), ("x-gistcache-threshold", "1.5"),
    ("cache-control", "max-age=-1"), ("x-gistcache-namespace", "has space"),
])
def test_bad_control_headers_are_400_naming_the_header(proxy: Proxy, header: str,
                                                      value: str) -> None:
    response = proxy.chat("hello", headers={header: value})
    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert header.split("-")[-1].lower() in error["message"].lower()
    assert proxy.chats() == 0


def test_namespace_from_key_isolates_callers_and_ignores_the_header(start: Any,
                                                                    up: FakeOpenAI) -> None:
    up.require_key = False
    proxy = start(settings={"namespace_from_key": True, "admin_key": "adm"})
    ask = {"model": MODEL, "messages": _user("what is my account balance")}
    first = proxy.post("/v1/chat/completions", ask, headers={"authorization": "Bearer sk-alice"})
    namespace = proxy.cache.entries()[0].namespace
    assert first.headers["x-gistcache"] == "miss"
    assert namespace.startswith("key:") and "sk-alice" not in namespace
    bob = proxy.post("/v1/chat/completions", ask,
                     headers={"authorization": "Bearer sk-bob", "x-gistcache-namespace": namespace})
    alice = proxy.post("/v1/chat/completions", ask, headers={"authorization": "Bearer sk-alice"})
    assert bob.headers["x-gistcache"] == "miss"
    assert alice.headers["x-gistcache"] == "hit-exact"


# -- load behaviour -------------------------------------------------------------------------


async def test_identical_concurrent_requests_make_one_upstream_call(proxy: Proxy) -> None:
    proxy.up.latency = 0.5
    async with proxy.async_sdk() as client:
        raws = await asyncio.gather(*(
            client.chat.completions.with_raw_response.create(
                model=MODEL, messages=_user("what is the speed of light"))
            for _ in range(5)))
    assert proxy.chats() == 1
    kinds = sorted(r.headers["x-gistcache"] for r in raws)
    assert kinds == ["hit-exact"] * 4 + ["miss"]
    texts = {r.parse().choices[0].message.content for r in raws}
    assert len(texts) == 1
    assert len(proxy.cache.entries()) == 1


def test_upstream_429_is_passed_through_unchanged_and_not_cached(proxy: Proxy) -> None:
    proxy.up.fail_next(429, retry_after=7)
    limited = proxy.chat("what is the capital of peru")
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "7"
    assert limited.json()["error"]["code"] == "rate_limit_exceeded"
    assert limited.headers["x-gistcache"] == "miss"
    assert proxy.cache.entries() == []
    with proxy.sdk() as client, pytest.raises(openai.RateLimitError):
        proxy.up.fail_next(429)
        client.chat.completions.create(model=MODEL, messages=_user("what is the capital of peru"))
    ok = proxy.chat("what is the capital of peru")
    assert ok.status_code == 200 and ok.headers["x-gistcache"] == "miss"
    assert proxy.chat("what is the capital of peru").headers["x-gistcache"] == "hit-exact"


def test_upstream_5xx_on_a_stream_is_passed_through(proxy: Proxy) -> None:
    proxy.up.fail_next(503)
    response = proxy.chat("stream me", stream=True)
    assert response.status_code == 503
    assert response.json()["error"]["type"] == "server_error"
    assert proxy.cache.entries() == []


def test_upstream_timeout_is_a_504_in_openai_shape(start: Any, up: FakeOpenAI) -> None:
    proxy = start(settings={"upstream_timeout": 0.3})
    up.hang_next(3)
    response = proxy.chat("are you there")
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "upstream_timeout"
    assert proxy.cache.entries() == []


def test_unreachable_upstream_is_a_502(start: Any) -> None:
    with socket_closed_port() as port:
        proxy = start(settings={"upstream": f"http://127.0.0.1:{port}/v1"})
        response = proxy.chat("hello")
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "upstream_unreachable"


@contextlib.contextmanager
def socket_closed_port() -> Iterator[int]:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    yield port


class GatedEmbedder(Embedder):
    """A lexical embedder that, once armed, blocks until released (a stuck model)."""

    def __init__(self) -> None:
        self.inner = WordHashEmbedder(256)
        self.dimension = self.inner.dimension
        self.name = "gated-" + self.inner.name
        self.armed = False
        self.release = threading.Event()

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if self.armed:
            self.release.wait(timeout=30)
        return self.inner.embed(texts)


def test_a_stuck_embedder_turns_requests_into_bypasses(start: Any) -> None:
    embedder = GatedEmbedder()
    proxy = start(embedder=embedder, settings={"embed_deadline": 1.0})
    proxy.chat("first question")  # stored while the embedder still works
    embedder.armed = True
    try:
        slow = proxy.chat("a new question the embedder cannot handle")
        exact = proxy.chat("first question")  # exact repeats need no embedder
    finally:
        embedder.release.set()
    assert slow.status_code == 200
    assert slow.headers["x-gistcache"] == "bypass"
    assert "deadline" in slow.headers["x-gistcache-reason"]
    assert "a new question" in slow.json()["choices"][0]["message"]["content"]
    assert exact.headers["x-gistcache"] == "hit-exact"
    assert proxy.cache.metrics.errors["lookup_deadline"] == 1


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "words"), [
    (b"{not json", "not valid JSON"),
    (b"", "empty"),
    (b"[1, 2]", "JSON object"),
    (b'{"model": 5, "messages": []}', "model"),
    (b'{"model": "m", "messages": "hi"}', "messages"),
    (b'{"model": "m", "messages": [{"content": "x"}]}', "role"),
    (b'{"model": "m", "messages": [{"role": "user", "content": "x"}], "temperature": "hot"}',
     "temperature"),
    (b'{"model": "m", "messages": [{"role": "user", "content": "x"}], "stream": "yes"}',
     "stream"),
    (b"\xff\xfe", "UTF-8"),
])
def test_malformed_requests_are_400_with_a_clear_message(proxy: Proxy, content: bytes,
                                                         words: str) -> None:
    response = proxy.post("/v1/chat/completions", content=content)
    assert response.status_code == 400
    error = response.json()["error"]
    assert words in error["message"]
    assert error["type"] == "invalid_request_error"
    assert proxy.chats() == 0


def test_the_sdk_sees_bad_requests_as_bad_request_errors(proxy: Proxy) -> None:
    with proxy.sdk() as client, pytest.raises(openai.BadRequestError, match="temperature"):
        client.chat.completions.create(model=MODEL, messages=_user("hi"), temperature=3)


def test_bodies_over_the_limit_are_413(start: Any) -> None:
    proxy = start(settings={"max_body_bytes": 2048})
    response = proxy.chat("x" * 4000)
    assert response.status_code == 413
    assert "2048 bytes" in response.json()["error"]["message"]

    def chunked() -> Iterator[bytes]:  # no Content-Length: counted while read
        yield b'{"model": "m", "messages": [{"role": "user", "content": "'
        for _ in range(10):
            yield b"y" * 500
        yield b'"}]}'

    streamed = proxy.http.post(proxy.url + "/v1/chat/completions", content=chunked(),
                          headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert proxy.chats() == 0


def test_unknown_routes_and_methods_answer_in_openai_shape(proxy: Proxy) -> None:
    missing = proxy.http.post(proxy.url + "/v1/nothing-here", json={})
    assert missing.status_code == 404
    assert "POST /v1/nothing-here" in missing.json()["error"]["message"]
    wrong = proxy.get("/v1/chat/completions")
    assert wrong.status_code == 405
    assert "GET" in wrong.json()["error"]["message"]


# -- pass-through and keys --------------------------------------------------------------------


def test_embeddings_are_cached_and_models_passed_through(proxy: Proxy) -> None:
    with proxy.sdk() as client:
        raw = client.embeddings.with_raw_response.create(model="text-embedding-3-small",
                                                         input=["hello", "world"])
        models = [m.id for m in client.models.list()]
        model = client.models.retrieve("gpt-4o")
        with pytest.raises(openai.NotFoundError):
            client.models.retrieve("does-not-exist")
    assert raw.headers["x-gistcache"] == "miss"
    vectors = raw.parse().data
    assert len(vectors) == 2 and len(vectors[0].embedding) == 64
    assert MODEL in models and model.id == "gpt-4o"
    assert proxy.up.call_count("/v1/embeddings") == 1


def test_caller_key_is_forwarded_and_server_key_fills_in(start: Any, up: FakeOpenAI) -> None:
    proxy = start(settings={"upstream_key": up.api_key})
    no_key = proxy.http.post(proxy.url + "/v1/chat/completions", json=_chat_body("who are you"))
    assert no_key.status_code == 200  # the server's key was used
    with proxy.sdk(api_key="sk-wrong") as client, pytest.raises(openai.AuthenticationError):
        client.chat.completions.create(model=MODEL, messages=_user("a question never asked"))


def test_api_keys_are_never_logged_or_stored(start: Any, up: FakeOpenAI, tmp_path: Path,
                                             caplog: pytest.LogCaptureFixture) -> None:
    up.require_key = False
    secret = "sk-live-0123456789abcdef"
    proxy = start(settings={"namespace_from_key": True, "upstream_key": "sk-server-secret",
                            "admin_key": "adm-secret"})
    caplog.set_level(logging.DEBUG)
    for text in ("what is a key", "what is a key", "something else"):
        proxy.post("/v1/chat/completions", _chat_body(text),
                   headers={"authorization": f"Bearer {secret}"})
    proxy.cache.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert secret.encode() not in stored and b"sk-server-secret" not in stored
    assert secret not in caplog.text and "sk-server-secret" not in caplog.text
    assert "sk-server-secret" not in repr(ServerSettings(upstream_key="sk-server-secret"))


# -- the GPTCache-compatible cache API ------------------------------------------------------


def test_put_get_round_trip_like_gptcache_server(proxy: Proxy) -> None:
    put = proxy.post("/put", {"prompt": "what is gistcache", "answer": "a semantic cache"})
    assert put.status_code == 200 and put.json()["status"] == "ok"
    got = proxy.post("/get", {"prompt": "what is gistcache"})
    assert got.json() == {"prompt": "what is gistcache", "answer": "a semantic cache"}
    near = proxy.post("/get", {"prompt": "what is gistcache exactly"})
    assert near.json()["answer"] == "a semantic cache"
    assert near.headers["x-gistcache"] == "hit-semantic"
    missing = proxy.post("/get", {"prompt": "how tall is everest"})
    assert missing.json() == {"prompt": "how tall is everest", "answer": None}


@pytest.mark.parametrize(("path", "body", "words"), [
    ("/put", {"prompt": 3, "answer": "x"}, "prompt"),
    ("/put", {"prompt": "x"}, "answer"),
    ("/get", {"prompt": ""}, "prompt"),
    ("/feedback", {"entry_id": "1", "correct": True}, "entry_id"),
    ("/feedback", {"entry_id": 1, "correct": "yes"}, "correct"),
    ("/put", {"prompt": "x", "answer": "y", "extra": 1}, "extra"),
])
def test_cache_api_rejects_wrong_types_with_400(proxy: Proxy, path: str, body: Any,
                                               words: str) -> None:
    response = proxy.post(path, body)
    assert response.status_code == 400
    assert words in response.json()["error"]["message"]


def test_admin_endpoints_need_the_admin_key(start: Any) -> None:
    proxy = start(settings={"admin_key": "adm-123"})
    body = {"prompt": "p", "answer": "a"}
    for path, method in (("/put", "POST"), ("/flush", "POST"), ("/clear", "POST"),
                         ("/entries", "GET"), ("/entries/1", "DELETE"), ("/stats", "GET"),
                         ("/feedback", "POST"), ("/dashboard/data", "GET")):
        response = proxy.request(method, path, json=body if method == "POST" else None,
                                 headers={"authorization": "Bearer sk-not-admin"})
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "invalid_admin_key"
    bearer = proxy.http.post(proxy.url + "/put", json=body,
                        headers={"authorization": "Bearer adm-123"})
    header = proxy.get("/stats", headers={"x-gistcache-admin-key": "adm-123"})
    assert bearer.status_code == 200 and header.status_code == 200
    assert proxy.http.post(proxy.url + "/get", json={"prompt": "p"}).json()["answer"] == "a"


def test_entries_listing_paging_delete_and_feedback(proxy: Proxy) -> None:
    for i in range(3):
        proxy.post("/put", {"prompt": f"question number {i}", "answer": f"answer {i}"})
    page = proxy.get("/entries", params={"limit": 2}).json()
    assert [e["answer"] for e in page["data"]] == ["answer 0", "answer 1"]
    rest = proxy.get("/entries",
                     params={"limit": 2, "after_id": page["next_after_id"]}).json()
    assert [e["answer"] for e in rest["data"]] == ["answer 2"] and rest["next_after_id"] is None
    assert proxy.get("/entries", params={"limit": 0}).status_code == 400

    first = page["data"][0]["id"]
    fb = proxy.post("/feedback", {"entry_id": first, "correct": False})
    assert fb.status_code == 200 and fb.json()["wrong_hits"] == 1
    assert proxy.post("/feedback", {"entry_id": 999, "correct": True}).status_code == 404

    gone = proxy.request("DELETE", f"/entries/{first}")
    assert gone.json() == {"id": first, "deleted": True}
    assert proxy.request("DELETE", f"/entries/{first}").status_code == 404
    assert proxy.post("/get", {"prompt": "question number 0"}).json()["answer"] is None


def test_flush_clear_and_stats(proxy: Proxy) -> None:
    proxy.post("/put", {"prompt": "one", "answer": "1"})
    proxy.chat("what is two")
    proxy.chat("what is two")
    assert proxy.post("/flush").json() == {"status": "ok"}
    stats = proxy.get("/stats").json()
    assert stats["cache"]["entries"] == 2
    assert stats["cache"]["counters"]["exact_hits"] == 1
    outcomes = {(r["endpoint"], r["result"]): r["count"] for r in stats["server"]["responses"]}
    assert outcomes[("/v1/chat/completions", "hit-exact")] == 1
    assert proxy.post("/clear", {}).json() == {"deleted": 2}
    assert proxy.cache.entries() == []


# -- operations -----------------------------------------------------------------------------


def test_metrics_are_prometheus_text_with_live_figures(proxy: Proxy) -> None:
    proxy.chat("what is prometheus")
    proxy.chat("what is prometheus")
    proxy.chat("hey, what is prometheus")
    text = proxy.get("/metrics").text
    families = {f.name: f for f in text_string_to_metric_families(text)}
    lookups = {s.labels["result"]: s.value for s in families["gistcache_lookups"].samples}
    assert lookups == {"hit-exact": 1, "hit-semantic": 1, "miss": 1, "bypass": 0}
    upstream = families["gistcache_upstream_responses"].samples
    assert [(s.labels["status"], s.value) for s in upstream] == [("200", 1)]
    assert families["gistcache_tokens_saved"].samples[0].value > 0
    buckets = [s for s in families["gistcache_stage_latency_seconds"].samples
               if s.name.endswith("_bucket") and s.labels["stage"] == "hit"]
    counts = [s.value for s in buckets]
    assert counts == sorted(counts) and buckets[-1].labels["le"] == "+Inf" and counts[-1] == 2
    assert "gistcache_request_latency_seconds_bucket" in text


def test_health_readiness_and_docs(proxy: Proxy) -> None:
    assert proxy.get("/healthz").json() == {"status": "ok"}
    ready = proxy.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert "swagger" in proxy.get("/docs").text.lower()
    paths = proxy.get("/openapi.json").json()["paths"]
    for path in ("/v1/chat/completions", "/v1/completions", "/put", "/get", "/metrics",
                 "/v1/audio/transcriptions", "/v1/images/generations"):
        assert path in paths


class BreakableStore(SQLStore):
    """A real SQLite store that can be made to fail like a database that went away."""

    broken = False

    def _check(self) -> None:
        if self.broken:
            raise StoreError("the database is unreachable (test)")

    def stats(self) -> Any:
        self._check()
        return super().stats()

    def get_by_exact_key(self, exact_key: str) -> Any:
        self._check()
        return super().get_by_exact_key(exact_key)

    def put(self, entry: Any, **hints: Any) -> Any:
        self._check()
        return super().put(entry)


def test_a_broken_store_fails_readiness_but_never_the_llm_call(start: Any, tmp_path: Path,
                                                                clock: Any) -> None:
    store = BreakableStore(sqlite_url(tmp_path / "breakable.db"))
    cache = Cache(Config(data_dir=str(tmp_path / "b"), similarity_threshold=0.5),
                  embedder=WordHashEmbedder(256), store=store, clock=clock, background=False)
    try:
        proxy = start(cache=cache)
        proxy.chat("is the model still reachable")  # stored while the store works
        cache.hot.clear()  # so that the next lookup must ask the store
        store.broken = True
        ready = proxy.get("/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
        assert "unreachable" in ready.json()["reason"]
        # a cache fault is a miss (and a skipped store), never a failed call
        answered = proxy.chat("is the model still reachable")
        assert answered.status_code == 200 and answered.headers["x-gistcache"] == "miss"
        assert cache.metrics.errors["lookup"] == 1 and cache.metrics.errors["store"] == 1
        assert proxy.chats() == 2
    finally:
        store.broken = False
        cache.close()


# -- the real default embedder ----------------------------------------------------------------


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cache]:
    cache = Cache(Config(data_dir=str(tmp_path_factory.mktemp("onnx"))), background=False)
    yield cache
    cache.close()


def test_default_embedder_matches_paraphrases_and_refuses_near_misses(
        start: Any, onnx_cache: Cache) -> None:
    proxy = start(cache=onnx_cache)
    assert proxy.chat("what's github").headers["x-gistcache"] == "miss"
    paraphrase = proxy.chat("can you explain what GitHub is")
    assert paraphrase.headers["x-gistcache"] == "hit-semantic"
    assert "what's github" in paraphrase.json()["choices"][0]["message"]["content"]
    other = proxy.chat("what's gitlab")
    assert other.headers["x-gistcache"] == "miss"
    assert "gitlab" in other.json()["choices"][0]["message"]["content"]


# -- the relay's event-stream reader ----------------------------------------------------------


def test_stream_reader_folds_events_split_anywhere() -> None:
    from gistcache._flow import SSEDecoder
    from gistcache._wire import StreamAccumulator

    events = [{"choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hel"}}]},
              {"choices": [{"index": 0, "delta": {"content": "lo"}, "finish_reason": "stop"}]}]
    wire = b"".join(b"data: " + json.dumps(e).encode() + b"\r\n\r\n" for e in events)
    wire += b": a comment\n\ndata: [DONE]\n\n"
    reader, acc = SSEDecoder(), StreamAccumulator("chat")
    for i in range(len(wire)):  # one byte at a time: events cut at every possible place
        for event in reader.feed(wire[i:i + 1]):
            acc.add(event)
    assert reader.done and not reader.failed
    answer = acc.answer()
    assert answer.text == "Hello" and answer.cacheable

    broken = SSEDecoder()
    broken.feed(b'data: {"error": {"message": "overloaded"}}\n\ndata: [DONE]\n\n')
    assert broken.failed  # an error event inside a 200 stream is never stored
