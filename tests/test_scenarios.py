"""One scenario list, run through every front end: the same requests give the same results.

Front ends: ``wrap(openai.OpenAI())``, ``wrap(openai.AsyncOpenAI())``, the GPTCache adapter
(``ChatCompletion.create``) and the proxy server (the official SDK in front of it) for chat;
``wrap()`` and the proxy for OpenAI's Responses API and for Anthropic's Messages API (the
official ``anthropic`` SDK as their client). Each talks to the real fake upstream over HTTP;
each reply is reduced to (text, kind, error status, usage chunk) so that one assertion holds
for all of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest
from test_server_support import ServerThread

from gistcache import Cache, Config, StreamIncomplete
from gistcache.anthropic import wrap as wrap_anthropic
from gistcache.embedders import WordHashEmbedder
from gistcache.gptcache import Cache as LegacyCache
from gistcache.gptcache import Config as LegacyConfig
from gistcache.gptcache.adapter import openai as legacy
from gistcache.gptcache.manager import manager_factory
from gistcache.gptcache.similarity_evaluation import SearchDistanceEvaluation
from gistcache.openai import cache_info, wrap
from gistcache.server import ServerSettings, create_app
from gistcache.testing import FakeOpenAI

MODEL = "gpt-4o-mini"
CLAUDE = "claude-sonnet-4-5"
TIMEOUT = 1.5  # the upstream timeout of the timeout scenario (the fake hangs for longer); the
# burst scenarios keep their fake model's latency well inside it, so a loaded machine cannot turn
# a slow answer into a timeout


@dataclass(frozen=True)
class Reply:
    """One answer, as every front end can report it."""

    text: str | None = None
    #: hit-exact, hit-semantic, hit (a front end that cannot tell which), miss, bypass
    kind: str = ""
    #: the error's HTTP status ("timeout" for a timeout), None on success
    error: int | str | None = None
    #: a stream: did it end with a usage-only chunk
    usage_chunk: bool | None = None

    @property
    def hit(self) -> bool:
        return self.kind.startswith("hit")


def _kind_from_metrics(cache: Cache, before: dict[str, int]) -> str:
    after = cache.metrics.counters
    for name, kind in (("exact_hits", "hit-exact"), ("semantic_hits", "hit-semantic"),
                       ("misses", "miss"), ("bypasses", "bypass")):
        if after.get(name, 0) > before.get(name, 0):
            return kind
    return ""


def _error(exc: Exception) -> int | str:
    if isinstance(exc, (openai.APITimeoutError, anthropic.APITimeoutError)):
        return "timeout"
    if isinstance(exc, (openai.APIStatusError, anthropic.APIStatusError)):
        if exc.status_code == 200:  # an error event inside a stream (Anthropic's SDK)
            return "stream"
        return "timeout" if exc.status_code == 504 else exc.status_code
    if isinstance(exc, (StreamIncomplete, openai.APIError, anthropic.APIError)):
        return "stream"
    raise exc


def _sdk_text(obj: Any) -> str | None:
    choices = getattr(obj, "choices", None)
    return choices[0].message.content if choices else None


def _chunks_reply(chunks: list[Any], kind: str) -> Reply:
    def part(c: Any) -> Any:
        return c if isinstance(c, dict) else c.model_dump()

    data = [part(c) for c in chunks]
    text = "".join((c["choices"][0].get("delta") or {}).get("content") or ""
                   for c in data if c.get("choices"))
    last = data[-1] if data else {}
    return Reply(text, kind, usage_chunk=not last.get("choices") and bool(last.get("usage")))


class Driver:
    """A front end: ``ask`` one question, or a ``burst`` of them at once."""

    name = ""
    no_store = True  # whether the front end has a "do not store" control
    usage_chunk = True  # whether its streams can end with a usage-only chunk
    path = "/chat/completions"  # the upstream endpoint it calls

    def calls(self) -> int:
        """The upstream calls made so far."""
        return self.up.call_count(self.path)

    def __init__(self, cache: Cache, up: FakeOpenAI) -> None:
        self.cache = cache
        self.up = up

    def ask(self, text: str, *, stream: bool = False, usage: bool = False,
            key: str | None = None, skip_lookup: bool = False, no_store: bool = False) -> Reply:
        before = dict(self.cache.metrics.counters)
        reply = self._ask(text, stream=stream, usage=usage, key=key or self.up.api_key,
                          skip_lookup=skip_lookup, no_store=no_store)
        if reply.error is None and reply.kind != "hit":
            # the front end's own report agrees with what the cache counted
            assert reply.kind == _kind_from_metrics(self.cache, before), (self.name, reply)
        return reply

    def burst(self, asks: list[tuple[str, str]]) -> list[Reply]:
        with ThreadPoolExecutor(len(asks)) as pool:
            return list(pool.map(lambda a: self._ask(a[0], stream=False, usage=False,
                                                     key=a[1], skip_lookup=False,
                                                     no_store=False), asks))

    def _ask(self, text: str, *, stream: bool, usage: bool, key: str, skip_lookup: bool,
             no_store: bool) -> Reply:
        raise NotImplementedError


class WrapSync(Driver):
    name = "wrap"

    def _ask(self, text: str, *, stream: bool, usage: bool, key: str, skip_lookup: bool,
             no_store: bool) -> Reply:
        extra: dict[str, Any] = {"stream_options": {"include_usage": True}} if usage else {}
        with openai.OpenAI(base_url=self.up.base_url, api_key=key, max_retries=0,
                           timeout=TIMEOUT) as raw:
            client = wrap(raw, self.cache)
            try:
                got = client.chat.completions.create(
                    model=MODEL, messages=[{"role": "user", "content": text}], stream=stream,
                    cache_skip_lookup=skip_lookup, cache_skip_store=no_store, **extra)
                kind = _sdk_kind(got)
                if stream:
                    return _chunks_reply(list(got), kind)
            except Exception as exc:
                return Reply(error=_error(exc))
        return Reply(_sdk_text(got), kind)


def _sdk_kind(obj: Any) -> str:
    info = cache_info(obj)
    assert info is not None
    return info.kind.value


class WrapAsync(Driver):
    name = "wrap-async"

    async def _aask(self, text: str, *, stream: bool, usage: bool, key: str,
                    skip_lookup: bool, no_store: bool) -> Reply:
        extra: dict[str, Any] = {"stream_options": {"include_usage": True}} if usage else {}
        async with openai.AsyncOpenAI(base_url=self.up.base_url, api_key=key, max_retries=0,
                                      timeout=TIMEOUT) as raw:
            client = wrap(raw, self.cache)
            try:
                got = await client.chat.completions.create(
                    model=MODEL, messages=[{"role": "user", "content": text}], stream=stream,
                    cache_skip_lookup=skip_lookup, cache_skip_store=no_store, **extra)
                kind = _sdk_kind(got)
                if stream:
                    return _chunks_reply([c async for c in got], kind)
            except Exception as exc:
                return Reply(error=_error(exc))
        return Reply(_sdk_text(got), kind)

    def _ask(self, text: str, **kw: Any) -> Reply:
        return asyncio.run(self._aask(text, **kw))

    def burst(self, asks: list[tuple[str, str]]) -> list[Reply]:
        async def run() -> list[Reply]:
            return list(await asyncio.gather(*(
                self._aask(t, stream=False, usage=False, key=k, skip_lookup=False,
                           no_store=False) for t, k in asks)))

        return asyncio.run(run())


class GPTCacheAdapter(Driver):
    name = "gptcache"
    no_store = False  # GPTCache's adapter has cache_skip (no lookup) only

    def __init__(self, cache: Cache, up: FakeOpenAI, legacy_cache: LegacyCache) -> None:
        super().__init__(cache, up)
        self.legacy = legacy_cache

    def _ask(self, text: str, *, stream: bool, usage: bool, key: str, skip_lookup: bool,
             no_store: bool) -> Reply:
        extra: dict[str, Any] = {"stream_options": {"include_usage": True}} if usage else {}
        try:
            got = legacy.ChatCompletion.create(
                model=MODEL, messages=[{"role": "user", "content": text}], stream=stream,
                cache_obj=self.legacy, cache_skip=skip_lookup, api_key=key,
                api_base=self.up.base_url, request_timeout=TIMEOUT, max_retries=0, **extra)
            if stream:
                chunks = list(got)
                kind = "hit" if chunks and chunks[0].get("gptcache") else "miss"
                return _chunks_reply(chunks, kind)
        except Exception as exc:
            return Reply(error=_error(exc))
        choices = got.get("choices")
        text_ = choices[0]["message"]["content"] if choices else None
        return Reply(text_, "hit" if got.get("gptcache") else
                     ("bypass" if skip_lookup else "miss"))


class Proxy(Driver):
    name = "server"

    def __init__(self, cache: Cache, up: FakeOpenAI, base_url: str) -> None:
        super().__init__(cache, up)
        self.base_url = base_url

    def _ask(self, text: str, *, stream: bool, usage: bool, key: str, skip_lookup: bool,
             no_store: bool) -> Reply:
        control = ", ".join(n for n, on in (("no-cache", skip_lookup), ("no-store", no_store))
                            if on)
        extra: dict[str, Any] = {"stream_options": {"include_usage": True}} if usage else {}
        with openai.OpenAI(base_url=self.base_url, api_key=key, max_retries=0,
                           timeout=10) as client:
            try:
                raw = client.chat.completions.with_raw_response.create(
                    model=MODEL, messages=[{"role": "user", "content": text}], stream=stream,
                    extra_headers={"cache-control": control} if control else None, **extra)
                kind = raw.headers["x-gistcache"]
                got = raw.parse()
                if stream:
                    return _chunks_reply(list(got), kind)
            except Exception as exc:
                return Reply(error=_error(exc))
        return Reply(_sdk_text(got), kind)


def _response_text(obj: Any) -> str | None:
    """The output text of a Responses ``Response`` (None for one that is not an answer)."""
    output = getattr(obj, "output", None)
    if not output:
        return None
    return "".join(part.text for item in output if getattr(item, "type", "") == "message"
                   for part in item.content if part.type == "output_text")


def _responses_reply(events: list[Any], kind: str) -> Reply:
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    return Reply(text, kind, usage_chunk=False)


class WrapResponses(Driver):
    name = "wrap-responses"
    usage_chunk = False
    path = "/responses"

    def _ask(self, text: str, *, stream: bool, usage: bool, key: str, skip_lookup: bool,
             no_store: bool) -> Reply:
        with openai.OpenAI(base_url=self.up.base_url, api_key=key, max_retries=0,
                           timeout=TIMEOUT) as raw:
            client = wrap(raw, self.cache)
            try:
                got = client.responses.create(
                    model=MODEL, input=text, stream=stream, cache_skip_lookup=skip_lookup,
                    cache_skip_store=no_store)
                kind = _sdk_kind(got)
                if stream:
                    return _responses_reply(list(got), kind)
            except Exception as exc:
                return Reply(error=_error(exc))
        return Reply(_response_text(got), kind)


class ProxyResponses(Driver):
    name = "server-responses"
    usage_chunk = False
    path = "/responses"

    def __init__(self, cache: Cache, up: FakeOpenAI, base_url: str) -> None:
        super().__init__(cache, up)
        self.base_url = base_url

    def _ask(self, text: str, *, stream: bool, usage: bool, key: str, skip_lookup: bool,
             no_store: bool) -> Reply:
        with openai.OpenAI(base_url=self.base_url, api_key=key, max_retries=0,
                           timeout=10) as client:
            try:
                raw = client.responses.with_raw_response.create(
                    model=MODEL, input=text, stream=stream,
                    extra_headers=_cache_control(skip_lookup, no_store))
                kind = raw.headers["x-gistcache"]
                got = raw.parse()
                if stream:
                    return _responses_reply(list(got), kind)
            except Exception as exc:
                return Reply(error=_error(exc))
        return Reply(_response_text(got), kind)


def _cache_control(skip_lookup: bool, no_store: bool) -> dict[str, str] | None:
    control = ", ".join(n for n, on in (("no-cache", skip_lookup), ("no-store", no_store)) if on)
    return {"cache-control": control} if control else None


def _message_text(obj: Any) -> str | None:
    """The text of an Anthropic ``Message`` (None for one that is not an answer)."""
    content = getattr(obj, "content", None)
    if not content:
        return None
    return "".join(block.text for block in content if block.type == "text")


def _anthropic_reply(events: list[Any], kind: str) -> Reply:
    text = "".join(e.delta.text for e in events
                   if e.type == "content_block_delta" and e.delta.type == "text_delta")
    return Reply(text, kind, usage_chunk=False)


class WrapAnthropic(Driver):
    name = "wrap-anthropic"
    usage_chunk = False
    path = "/v1/messages"

    def _ask(self, text: str, *, stream: bool, usage: bool, key: str, skip_lookup: bool,
             no_store: bool) -> Reply:
        with anthropic.Anthropic(base_url=self.up.url, api_key=key, max_retries=0,
                                 timeout=TIMEOUT) as raw:
            client = wrap_anthropic(raw, self.cache)
            try:
                got = client.messages.create(
                    model=CLAUDE, max_tokens=256, messages=[{"role": "user", "content": text}],
                    stream=stream, cache_skip_lookup=skip_lookup, cache_skip_store=no_store)
                kind = _sdk_kind(got)
                if stream:
                    return _anthropic_reply(list(got), kind)
            except Exception as exc:
                return Reply(error=_error(exc))
        return Reply(_message_text(got), kind)


class ProxyAnthropic(Driver):
    name = "server-anthropic"
    usage_chunk = False
    path = "/v1/messages"

    def __init__(self, cache: Cache, up: FakeOpenAI, url: str) -> None:
        super().__init__(cache, up)
        self.url = url

    def _ask(self, text: str, *, stream: bool, usage: bool, key: str, skip_lookup: bool,
             no_store: bool) -> Reply:
        with anthropic.Anthropic(base_url=self.url, api_key=key, max_retries=0,
                                 timeout=10) as client:
            try:
                raw = client.messages.with_raw_response.create(
                    model=CLAUDE, max_tokens=256, messages=[{"role": "user", "content": text}],
                    stream=stream, extra_headers=_cache_control(skip_lookup, no_store))
                kind = raw.headers["x-gistcache"]
                got = raw.parse()
                if stream:
                    return _anthropic_reply(list(got), kind)
            except Exception as exc:
                return Reply(error=_error(exc))
        return Reply(_message_text(got), kind)


FRONT_ENDS = ["wrap", "wrap-async", "gptcache", "server", "wrap-responses", "server-responses",
              "wrap-anthropic", "server-anthropic"]


@pytest.fixture
def up() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture(params=FRONT_ENDS)
def driver(request: pytest.FixtureRequest, tmp_path: Path, up: FakeOpenAI,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Driver]:
    name = request.param
    with contextlib.ExitStack() as stack:
        if name == "gptcache":
            monkeypatch.chdir(tmp_path)
            legacy_cache = LegacyCache(background=False)
            stack.callback(legacy_cache.close)
            legacy_cache.init(
                embedding_func=WordHashEmbedder(256),
                data_manager=manager_factory("sqlite,faiss", data_dir=str(tmp_path / "g"),
                                             vector_params={"dimension": 256}),
                similarity_evaluation=SearchDistanceEvaluation(),
                config=LegacyConfig(similarity_threshold=0.75))
            yield GPTCacheAdapter(legacy_cache.native, up, legacy_cache)
            return
        cache = Cache(Config(data_dir=str(tmp_path / "data"), similarity_threshold=0.5),
                      embedder=WordHashEmbedder(256), background=False, rng=random.Random(7))
        stack.callback(cache.close)
        if name.startswith("server"):
            settings = ServerSettings(upstream=up.base_url, upstream_timeout=TIMEOUT,
                                      anthropic_upstream=up.url)
            server = stack.enter_context(ServerThread(create_app(cache, settings)))
            if name == "server-anthropic":
                yield ProxyAnthropic(cache, up, server.url)
            else:
                yield (Proxy if name == "server" else ProxyResponses)(cache, up, server.base_url)
        else:
            yield {"wrap": WrapSync, "wrap-async": WrapAsync, "wrap-responses": WrapResponses,
                   "wrap-anthropic": WrapAnthropic}[name](cache, up)


def _same_kind(got: Reply, want: str) -> bool:
    """``want`` as this front end reports it (the GPTCache adapter only knows "a hit")."""
    return got.kind == want or (got.kind == "hit" and want.startswith("hit"))


# -- the scenarios ----------------------------------------------------------------------------

Q = "what is a semantic cache"


def miss(d: Driver, up: FakeOpenAI) -> None:
    r = d.ask(Q)
    assert r.kind == "miss" and r.text is not None and Q in r.text
    assert d.calls() == 1


def exact_hit(d: Driver, up: FakeOpenAI) -> None:
    first, again = d.ask(Q), d.ask("What is a  semantic cache")
    assert _same_kind(again, "hit-exact") and again.text == first.text
    assert d.calls() == 1


def paraphrase_hit(d: Driver, up: FakeOpenAI) -> None:
    first = d.ask("how do I make a cup of green tea")
    again = d.ask("can you tell me how to make a cup of green tea")
    assert _same_kind(again, "hit-semantic") and again.text == first.text
    assert d.calls() == 1


def _streamed(usage: bool) -> Callable[[Driver, FakeOpenAI], None]:
    def scenario(d: Driver, up: FakeOpenAI) -> None:
        if usage and not d.usage_chunk:
            pytest.skip(f"{d.name} has no usage-only chunk")
        first = d.ask(Q, stream=True, usage=usage)
        assert first.kind == "miss" and first.text and Q in first.text
        assert first.usage_chunk is usage
        again = d.ask(Q, stream=True, usage=usage)
        assert _same_kind(again, "hit-exact") and again.text == first.text
        assert again.usage_chunk is usage  # a replayed hit ends as the upstream's stream did
        plain = d.ask(Q)
        assert _same_kind(plain, "hit-exact") and plain.text == first.text
        assert d.calls() == 1

    scenario.__name__ = f"streamed_{'with' if usage else 'without'}_usage"
    return scenario


def _upstream_error(status: int) -> Callable[[Driver, FakeOpenAI], None]:
    def scenario(d: Driver, up: FakeOpenAI) -> None:
        up.fail_next(status)
        assert d.ask(Q).error == status
        r = d.ask(Q)  # the error was not stored
        assert r.kind == "miss" and r.text and Q in r.text and d.calls() == 2

    scenario.__name__ = f"upstream_{status}"
    return scenario


def upstream_timeout(d: Driver, up: FakeOpenAI) -> None:
    up.hang_next(TIMEOUT * 3)
    assert d.ask(Q).error == "timeout"
    r = d.ask(Q)
    assert r.kind == "miss" and r.text and Q in r.text


def upstream_garbage(d: Driver, up: FakeOpenAI) -> None:
    up.garbage_next()
    r = d.ask(Q)
    assert r.error is None and r.text is None  # passed on as it came, not as an answer
    r = d.ask(Q)  # and never stored
    assert r.kind == "miss" and r.text and Q in r.text and d.calls() == 2


def stream_without_end(d: Driver, up: FakeOpenAI) -> None:
    up.drop_stream_after(3, clean=True)
    assert d.ask(Q, stream=True).error == "stream"  # a partial answer is reported as such
    r = d.ask(Q)
    assert r.kind == "miss" and d.calls() == 2


def coalesced_burst(d: Driver, up: FakeOpenAI) -> None:
    up.latency = 0.6  # all five are in flight while the first is answered
    replies = d.burst([(Q, up.api_key)] * 5)
    assert d.calls() == 1
    assert len({r.text for r in replies}) == 1 and replies[0].text
    assert [r.kind for r in replies].count("miss") == 1
    assert all(r.hit for r in replies if r.kind != "miss")


def burst_with_a_bad_key(d: Driver, up: FakeOpenAI) -> None:
    up.latency = 0.6
    replies = d.burst([(Q, "sk-wrong")] + [(Q, up.api_key)] * 5)
    assert replies[0].error == 401  # the bad key's 401 is its own ...
    assert all(r.error is None and r.text and Q in r.text for r in replies[1:])  # ... only
    assert d.calls() == 2


def leader_fails(d: Driver, up: FakeOpenAI) -> None:
    up.latency = 0.6
    up.fail_next(429)
    replies = d.burst([(Q, up.api_key)] * 4)
    # the leader got the 429; its followers made their own calls and were answered
    assert sorted(str(r.error) for r in replies) == ["429", "None", "None", "None"]
    assert d.calls() == 4


def leader_gets_garbage(d: Driver, up: FakeOpenAI) -> None:
    up.latency = 0.6
    up.garbage_next()
    replies = d.burst([(Q, up.api_key)] * 3)
    texts = sorted(r.text or "" for r in replies)
    assert texts[0] == "" and all(Q in t for t in texts[1:])  # no made-up empty completion
    assert d.calls() == 3


def skip_lookup(d: Driver, up: FakeOpenAI) -> None:
    d.ask(Q)
    r = d.ask(Q, skip_lookup=True)
    assert r.kind == "bypass" and r.text and d.calls() == 2
    assert _same_kind(d.ask(Q), "hit-exact")


def no_store(d: Driver, up: FakeOpenAI) -> None:
    if not d.no_store:
        pytest.skip(f"{d.name} has no do-not-store control")
    assert d.ask(Q, no_store=True).kind == "miss"
    assert d.ask(Q).kind == "miss" and d.calls() == 2


SCENARIOS: list[Callable[[Driver, FakeOpenAI], None]] = [
    miss, exact_hit, paraphrase_hit, _streamed(False), _streamed(True), _upstream_error(400),
    _upstream_error(503), upstream_timeout, upstream_garbage, stream_without_end,
    coalesced_burst, burst_with_a_bad_key, leader_fails, leader_gets_garbage, skip_lookup,
    no_store,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_scenario(driver: Driver, up: FakeOpenAI,
                  scenario: Callable[[Driver, FakeOpenAI], None]) -> None:
    scenario(driver, up)
