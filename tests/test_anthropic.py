"""Anthropic's Messages API through the one flow: ``gistcache.anthropic.wrap(Anthropic())`` and
the proxy's ``/v1/messages``, driven by the official anthropic SDK against the fake upstream."""

from __future__ import annotations

import contextlib
import random
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anthropic
import httpx
import pytest
from anthropic.types import Message, RawMessageStartEvent
from test_server_support import ServerThread

from gistcache import Cache, Config, HitKind, InvalidRequest, StreamIncomplete
from gistcache.anthropic import cache_info, wrap
from gistcache.embedders import WordHashEmbedder
from gistcache.requests import chat_request, messages_request
from gistcache.server import ServerSettings, create_app
from gistcache.testing import FakeOpenAI

MODEL = "claude-sonnet-4-5"
TOOLS = [{"name": "search", "description": "Search the web",
          "input_schema": {"type": "object", "properties": {"query": {"type": "string"}}}}]


def _user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def _ask(text: str, **extra: Any) -> dict[str, Any]:
    return {"model": MODEL, "max_tokens": 256, "messages": _user(text), **extra}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def up(server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    server.reset()
    yield server
    server.reset()


@pytest.fixture
def cache(make_cache: Any) -> Cache:
    made: Cache = make_cache(similarity_threshold=0.5)
    return made


@pytest.fixture
def client(up: FakeOpenAI, cache: Cache) -> Iterator[Any]:
    with anthropic.Anthropic(base_url=up.url, api_key=up.api_key, max_retries=0) as raw:
        yield wrap(raw, cache)


@pytest.fixture
async def aclient(up: FakeOpenAI, cache: Cache) -> AsyncIterator[Any]:
    async with anthropic.AsyncAnthropic(base_url=up.url, api_key=up.api_key,
                                        max_retries=0) as raw:
        yield wrap(raw, cache)


def _calls(up: FakeOpenAI) -> int:
    return up.call_count("/v1/messages")


def _kind(obj: Any) -> HitKind:
    info = cache_info(obj)
    assert info is not None
    return info.kind


def _text(events: list[Any]) -> str:
    return "".join(e.delta.text for e in events
                   if e.type == "content_block_delta" and e.delta.type == "text_delta")


# -- keying ---------------------------------------------------------------------------------------


def test_system_tools_and_answer_changing_params_are_scope() -> None:
    base = _ask("what is tea")
    keys = {messages_request(body).scope.key for body in (
        base, {**base, "system": "be brief"},
        {**base, "system": [{"type": "text", "text": "be brief"}, {"type": "text",
                                                                    "text": "in French"}]},
        {**base, "tools": TOOLS}, {**base, "max_tokens": 4096},
        {**base, "stop_sequences": ["\n\n"]},
        {**base, "thinking": {"type": "enabled", "budget_tokens": 1024}})}
    assert len(keys) == 7
    same = {messages_request(body).exact_key for body in (
        base, {**base, "max_tokens": 200}, {**base, "metadata": {"user_id": "u1"}},
        {**base, "top_k": 5}, {**base, "stream": True}, {**base, "service_tier": "auto"})}
    assert len(same) == 1
    # a chat request with the same text is another endpoint: never the same entry
    assert messages_request(base).scope.key != chat_request(base).scope.key


def test_the_conversation_is_keyed_as_in_chat() -> None:
    request = messages_request({"model": MODEL, "max_tokens": 100, "messages": [
        {"role": "user", "content": "who wrote Hamlet"},
        {"role": "assistant", "content": [{"type": "text", "text": "Shakespeare."}]},
        {"role": "user", "content": [{"type": "text", "text": "when was he born"}]}]})
    assert request.key_text == "when was he born"
    assert request.context == "user: who wrote Hamlet\nassistant: Shakespeare."


def test_tool_results_are_context_not_the_question() -> None:
    request = messages_request({"model": MODEL, "max_tokens": 100, "tools": TOOLS,
                                "messages": [
        {"role": "user", "content": "weather in Paris?"},
        {"role": "assistant", "content": [
            {"type": "thinking", "thinking": "I should search", "signature": "sig"},
            {"type": "tool_use", "id": "t1", "name": "search", "input": {"query": "Paris"}}]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "t1", "content": "sunny, 21 C"}]}]})
    assert request.key_text == "weather in Paris?"
    assert "tool: sunny, 21 C" in request.context
    assert "I should search" not in request.context  # the model's notes are not the talk


def test_an_image_is_keyed_by_its_exact_data() -> None:
    def ask(data: str) -> Any:
        image = {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                             "data": data}}
        return messages_request({"model": MODEL, "max_tokens": 100, "messages": [
            {"role": "user", "content": [image, {"type": "text", "text": "what is this"}]}]})

    assert ask("AAAA").key_text != ask("BBBB").key_text
    with pytest.raises(InvalidRequest):
        messages_request({"model": MODEL, "max_tokens": 10, "messages": "hi"})


# -- wrap(): plain -------------------------------------------------------------------------------


def test_repeat_is_an_exact_hit_of_the_sdks_own_type(up: FakeOpenAI, client: Any) -> None:
    first = client.messages.create(**_ask("What is GitHub?", system="be brief"))
    again = client.messages.create(**_ask("  what is github? ", system="be brief"))
    assert isinstance(again, Message)
    assert _kind(first) is HitKind.MISS and _kind(again) is HitKind.EXACT
    assert again.content[0].text == first.content[0].text
    assert "What is GitHub?" in first.content[0].text
    assert again.id != first.id and again.id.startswith("msg_")
    assert first.usage.output_tokens > 0 and again.usage.output_tokens == 0
    assert again.stop_reason == "end_turn" and again.model == MODEL
    assert _calls(up) == 1


def test_paraphrase_hits_other_system_misses(up: FakeOpenAI, client: Any) -> None:
    client.messages.create(**_ask("how do I make a cup of green tea"))
    hit = client.messages.create(**_ask("how do I make a cup of green tea quickly"))
    assert _kind(hit) is HitKind.SEMANTIC
    assert _kind(client.messages.create(**_ask("how do I make a cup of green tea",
                                               system="answer in French"))) is HitKind.MISS
    assert _calls(up) == 2


def test_a_follow_up_hits_only_in_the_same_conversation(up: FakeOpenAI, client: Any) -> None:
    def follow_up(person: str) -> Any:
        first = client.messages.create(**_ask(f"tell me about {person}"))
        return client.messages.create(model=MODEL, max_tokens=256, messages=[
            {"role": "user", "content": f"tell me about {person}"},
            {"role": "assistant", "content": first.content[0].text},
            {"role": "user", "content": "how old was she"}])

    assert _kind(follow_up("Marie Curie")) is HitKind.MISS
    assert _kind(follow_up("Ada Lovelace")) is HitKind.MISS
    assert _kind(follow_up("Marie Curie")) is HitKind.EXACT


def test_tool_use_is_cached_whole(up: FakeOpenAI, client: Any) -> None:
    first = client.messages.create(**_ask("use tool to find tea", tools=TOOLS))
    again = client.messages.create(**_ask("use tool to find tea", tools=TOOLS))
    assert _kind(again) is HitKind.EXACT and again.stop_reason == "tool_use"
    assert again.content[0].input == first.content[0].input
    assert again.content[0].id == first.content[0].id


def test_max_tokens_and_stop_sequences(up: FakeOpenAI, client: Any) -> None:
    cut = client.messages.create(**_ask("describe the sea", max_tokens=3))
    assert cut.stop_reason == "max_tokens"
    assert _kind(client.messages.create(**_ask("describe the sea", max_tokens=4))) \
        is HitKind.EXACT  # the same bucket (16)
    assert _kind(client.messages.create(**_ask("describe the sea", max_tokens=500))) \
        is HitKind.MISS
    stopped = client.messages.create(**_ask("describe the sea", stop_sequences=["sea"]))
    assert _kind(stopped) is HitKind.MISS and stopped.stop_reason == "stop_sequence"


def test_upstream_errors_are_the_sdks_own_and_never_cached(up: FakeOpenAI,
                                                            client: Any) -> None:
    up.fail_next(529)
    with pytest.raises(anthropic.InternalServerError) as caught:
        client.messages.create(**_ask("what is tea"))
    assert caught.value.status_code == 529
    with anthropic.Anthropic(base_url=up.url, api_key="sk-wrong", max_retries=0) as raw, \
            pytest.raises(anthropic.AuthenticationError):
        wrap(raw, client.gistcache).messages.create(**_ask("what is tea"))
    assert _kind(client.messages.create(**_ask("what is tea"))) is HitKind.MISS
    assert len(client.gistcache.entries()) == 1


def test_helpers_other_than_create_pass_through(up: FakeOpenAI, client: Any) -> None:
    with client.messages.stream(**_ask("what is tea")) as stream:
        final = stream.get_final_message()
    assert "what is tea" in final.content[0].text
    assert client.gistcache.entries() == []  # not cached: only create is


# -- wrap(): streams -------------------------------------------------------------------------


def test_streamed_miss_is_stored_and_replayed_as_events(up: FakeOpenAI, client: Any) -> None:
    stream = client.messages.create(**_ask("tell me about tea"), stream=True)
    assert _kind(stream) is HitKind.MISS
    text = _text(list(stream))
    assert "tell me about tea" in text

    replay = client.messages.create(**_ask("tell me about tea"), stream=True)
    assert _kind(replay) is HitKind.EXACT
    events = list(replay)
    kinds = [e.type for e in events]
    assert kinds[:2] == ["message_start", "content_block_start"]
    assert kinds[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert isinstance(events[0], RawMessageStartEvent)
    assert _text(events) == text and kinds.count("content_block_delta") > 3
    assert events[-2].delta.stop_reason == "end_turn"

    plain = client.messages.create(**_ask("tell me about tea"))
    assert _kind(plain) is HitKind.EXACT and plain.content[0].text == text
    assert _calls(up) == 1


def test_streamed_tool_use_is_stored_whole(up: FakeOpenAI, client: Any) -> None:
    list(client.messages.create(**_ask("use tool for tea", tools=TOOLS), stream=True))
    plain = client.messages.create(**_ask("use tool for tea", tools=TOOLS))
    assert _kind(plain) is HitKind.EXACT
    assert plain.content[0].type == "tool_use"
    assert plain.content[0].input == {"query": "use tool for tea"}
    replay = list(client.messages.create(**_ask("use tool for tea", tools=TOOLS), stream=True))
    partial = "".join(e.delta.partial_json for e in replay if e.type == "content_block_delta")
    assert partial == '{"query": "use tool for tea"}'


def test_stream_without_message_stop_is_not_stored(up: FakeOpenAI, client: Any) -> None:
    up.drop_stream_after(5, clean=True)
    stream = client.messages.create(**_ask("tell me about tea"), stream=True)
    with pytest.raises(StreamIncomplete):
        list(stream)
    assert client.gistcache.entries() == []


async def test_async_plain_and_stream(up: FakeOpenAI, aclient: Any) -> None:
    first = await aclient.messages.create(**_ask("what is oolong"))
    stream = await aclient.messages.create(**_ask("what is oolong"), stream=True)
    assert _kind(first) is HitKind.MISS and _kind(stream) is HitKind.EXACT
    assert _text([e async for e in stream]) == first.content[0].text
    miss = await aclient.messages.create(**_ask("how do electric trains run"), stream=True)
    assert _kind(miss) is HitKind.MISS
    assert [e.type async for e in miss][-1] == "message_stop"
    again = await aclient.messages.create(**_ask("how do electric trains run"))
    assert _kind(again) is HitKind.EXACT and _calls(up) == 2


# -- the proxy -------------------------------------------------------------------------------


@pytest.fixture
def proxy(tmp_path: Path, up: FakeOpenAI) -> Iterator[tuple[ServerThread, Cache]]:
    """A proxy whose OpenAI upstream is a closed port: Anthropic requests must not go there."""
    cache = Cache(Config(data_dir=str(tmp_path / "proxy"), similarity_threshold=0.5),
                  embedder=WordHashEmbedder(256), background=False, rng=random.Random(7))
    settings = ServerSettings(upstream="http://127.0.0.1:9/v1", anthropic_upstream=up.url,
                              anthropic_upstream_key=up.api_key)
    with contextlib.ExitStack() as stack:
        stack.callback(cache.close)
        yield stack.enter_context(ServerThread(create_app(cache, settings))), cache


def test_proxy_plain_miss_then_hit(up: FakeOpenAI, proxy: tuple[ServerThread, Cache]) -> None:
    thread, cache = proxy
    with anthropic.Anthropic(base_url=thread.url, api_key=up.api_key, max_retries=0) as sdk:
        first = sdk.messages.with_raw_response.create(**_ask("What is GitHub?"))
        again = sdk.messages.with_raw_response.create(**_ask("what is github?"))
    assert first.headers["x-gistcache"] == "miss"
    assert again.headers["x-gistcache"] == "hit-exact"
    assert again.parse().content[0].text == first.parse().content[0].text
    assert again.parse().usage.output_tokens == 0
    assert "anthropic-version" in up.calls[-1].headers  # Anthropic's own headers forwarded
    assert cache.entries()[0].scope_json.count(up.url) == 1  # its upstream is its scope
    assert _calls(up) == 1


def test_proxy_streams_named_events_and_replays_them(up: FakeOpenAI,
                                                     proxy: tuple[ServerThread, Cache]
                                                     ) -> None:
    thread, cache = proxy
    with anthropic.Anthropic(base_url=thread.url, api_key=up.api_key, max_retries=0) as sdk:
        raw = sdk.messages.with_raw_response.create(**_ask("tea history"), stream=True)
        assert raw.headers["x-gistcache"] == "miss"
        text = _text(list(raw.parse()))
        assert len(cache.entries()) == 1  # stored at message_stop
        raw = sdk.messages.with_raw_response.create(**_ask("tea history"), stream=True)
        assert raw.headers["x-gistcache"] == "hit-exact"
        events = list(raw.parse())
        with sdk.messages.stream(**_ask("tea history")) as helper:  # the SDK's own helper
            assert helper.get_final_message().content[0].text == text
    assert _text(events) == text and events[-1].type == "message_stop"
    assert _calls(up) == 1


def test_proxy_takes_x_api_key_and_fills_in_the_server_key(
        up: FakeOpenAI, proxy: tuple[ServerThread, Cache]) -> None:
    thread, _ = proxy
    body = _ask("what is tea")
    with httpx.Client(timeout=10) as http:
        keyed = http.post(f"{thread.url}/v1/messages", json=body,
                          headers={"x-api-key": up.api_key, "anthropic-version": "2023-06-01"})
        keyless = http.post(f"{thread.url}/v1/messages", json=_ask("what is coffee"),
                            headers={"anthropic-version": "2023-06-01"})
        wrong = http.post(f"{thread.url}/v1/messages", json=_ask("how do electric trains run"),
                          headers={"x-api-key": "sk-wrong", "anthropic-version": "2023-06-01"})
    assert keyed.status_code == 200 and keyed.json()["type"] == "message"
    assert keyless.status_code == 200  # the server's anthropic_upstream_key filled in
    assert wrong.status_code == 401 and wrong.json()["error"]["type"] == "authentication_error"
    assert wrong.headers["x-gistcache"] == "miss"


def test_proxy_passes_count_tokens_through(up: FakeOpenAI,
                                           proxy: tuple[ServerThread, Cache]) -> None:
    thread, _ = proxy
    with anthropic.Anthropic(base_url=thread.url, api_key=up.api_key, max_retries=0) as sdk:
        counted = sdk.messages.count_tokens(model=MODEL, system="be brief",
                                            messages=_user("what is green tea"))
    assert counted.input_tokens == 6
    assert up.call_count("/v1/messages/count_tokens") == 1


def test_proxy_refuses_a_bad_body_in_anthropics_shape(
        up: FakeOpenAI, proxy: tuple[ServerThread, Cache]) -> None:
    thread, _ = proxy
    with anthropic.Anthropic(base_url=thread.url, api_key=up.api_key, max_retries=0) as sdk, \
            pytest.raises(anthropic.BadRequestError) as caught:
        sdk.messages.create(model=MODEL, max_tokens=0, messages=_user("hi"))
    assert caught.value.body == {"type": "error", "error": {
        "type": "invalid_request_error", "message": "max_tokens: must be a positive integer"}}
    assert _calls(up) == 0
