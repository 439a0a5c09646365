"""OpenAI's Responses API through the one flow: ``wrap(OpenAI()).responses.create`` and the
proxy's ``/v1/responses``, driven by the official openai SDK against the fake upstream."""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from openai.types.responses import Response, ResponseCompletedEvent
from test_server_support import ServerThread

from gistcache import Cache, Config, HitKind, StreamIncomplete
from gistcache.embedders import WordHashEmbedder
from gistcache.openai import cache_info, wrap
from gistcache.requests import responses_request
from gistcache.server import ServerSettings, create_app
from gistcache.testing import FakeOpenAI

MODEL = "gpt-4o-mini"
TOOLS = [{"type": "function", "name": "search", "description": "Search the web",
          "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}]


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
    with openai.OpenAI(base_url=up.base_url, api_key=up.api_key, max_retries=0) as raw:
        yield wrap(raw, cache)


@pytest.fixture
async def aclient(up: FakeOpenAI, cache: Cache) -> AsyncIterator[Any]:
    async with openai.AsyncOpenAI(base_url=up.base_url, api_key=up.api_key,
                                  max_retries=0) as raw:
        yield wrap(raw, cache)


def _calls(up: FakeOpenAI) -> int:
    return up.call_count("/responses")


def _kind(obj: Any) -> HitKind:
    info = cache_info(obj)
    assert info is not None
    return info.kind


def _streamed_text(events: list[Any]) -> str:
    return "".join(e.delta for e in events if e.type == "response.output_text.delta")


# -- keying ---------------------------------------------------------------------------------------


def test_the_last_user_input_is_the_key_and_instructions_the_system_prompt() -> None:
    plain = responses_request({"model": MODEL, "input": "what is tea",
                               "instructions": "be brief"})
    items = responses_request({"model": MODEL, "instructions": "be brief", "input": [
        {"role": "user", "content": [{"type": "input_text", "text": "what is tea"}]}]})
    assert plain.key_text == "what is tea" and plain.scope.system == "be brief"
    assert plain.exact_key == items.exact_key  # a string and a one-item list: one question
    chat_like = responses_request({"model": MODEL, "input": [
        {"role": "user", "content": "who wrote Hamlet"},
        {"type": "message", "role": "assistant",
         "content": [{"type": "output_text", "text": "Shakespeare.", "annotations": []}]},
        {"role": "user", "content": "when was he born"}]})
    assert chat_like.key_text == "when was he born"
    assert "assistant: Shakespeare." in chat_like.context


def test_previous_response_and_answer_changing_params_are_scope() -> None:
    base = {"model": MODEL, "input": "and then?"}
    keys = {responses_request(body).scope.key for body in (
        base, {**base, "previous_response_id": "resp_1"},
        {**base, "previous_response_id": "resp_2"}, {**base, "tools": TOOLS},
        {**base, "text": {"format": {"type": "json_object"}}},
        {**base, "max_output_tokens": 100}, {**base, "instructions": "be brief"},
        {**base, "reasoning": {"effort": "high"}})}
    assert len(keys) == 8
    # what does not change the answer does not split the cache
    same = {responses_request(body).exact_key for body in (
        base, {**base, "metadata": {"a": "b"}}, {**base, "store": True, "user": "u1"},
        {**base, "max_output_tokens": 20}, {**base, "max_output_tokens": 30})}
    assert len(same) == 2  # 20 and 30 share the bucket of 32; the rest is one key
    # a response the upstream did not store has an id nobody can continue from: kept apart
    assert responses_request({**base, "store": False}).scope.key \
        != responses_request(base).scope.key


def test_tool_results_are_conversation_not_the_question() -> None:
    request = responses_request({"model": MODEL, "tools": TOOLS, "input": [
        {"role": "user", "content": "weather in Paris?"},
        {"type": "function_call", "call_id": "c1", "name": "search",
         "arguments": '{"query": "Paris"}'},
        {"type": "function_call_output", "call_id": "c1", "output": "sunny, 21 C"}]})
    assert request.key_text == "weather in Paris?"
    assert "tool: sunny, 21 C" in request.context


# -- wrap(): plain -------------------------------------------------------------------------------


def test_repeat_is_an_exact_hit_of_the_sdks_own_type(up: FakeOpenAI, client: Any) -> None:
    first = client.responses.create(model=MODEL, input="What is GitHub?",
                                    instructions="be brief")
    again = client.responses.create(model=MODEL, input="  what is github? ",
                                    instructions="be brief")
    assert isinstance(again, Response)
    assert _kind(first) is HitKind.MISS and _kind(again) is HitKind.EXACT
    assert again.output_text == first.output_text and "What is GitHub?" in first.output_text
    assert first.usage is not None and first.usage.total_tokens > 0
    assert again.usage is not None and again.usage.total_tokens == 0  # a hit cost nothing
    assert again.id == first.id  # the upstream's own id: it can be continued from
    assert _calls(up) == 1


def test_paraphrase_hits_and_other_instructions_miss(up: FakeOpenAI, client: Any) -> None:
    client.responses.create(model=MODEL, input="how do I make a cup of green tea")
    hit = client.responses.create(model=MODEL, input=[
        {"role": "user", "content": [{"type": "input_text",
                                      "text": "how do I make a cup of green tea quickly"}]}])
    assert _kind(hit) is HitKind.SEMANTIC
    other = client.responses.create(model=MODEL, input="how do I make a cup of green tea",
                                    instructions="answer in French")
    assert _kind(other) is HitKind.MISS and _calls(up) == 2


def test_previous_response_id_never_crosses_conversations(up: FakeOpenAI, client: Any) -> None:
    one = client.responses.create(model=MODEL, input="tell me about Marie Curie")
    two = client.responses.create(model=MODEL, input="tell me about Albert Einstein")
    follow = client.responses.create(model=MODEL, input="how old was she",
                                     previous_response_id=one.id)
    assert _kind(follow) is HitKind.MISS
    assert _kind(client.responses.create(model=MODEL, input="how old was she",
                                         previous_response_id=two.id)) is HitKind.MISS
    assert _kind(client.responses.create(model=MODEL, input="how old was she")) \
        is HitKind.MISS
    again = client.responses.create(model=MODEL, input="how old was she",
                                    previous_response_id=one.id)
    assert _kind(again) is HitKind.EXACT and again.output_text == follow.output_text
    assert _calls(up) == 5


def test_a_hit_can_be_continued_upstream(up: FakeOpenAI, client: Any) -> None:
    client.responses.create(model=MODEL, input="what is a semantic cache")
    hit = client.responses.create(model=MODEL, input="what is a semantic cache")
    assert _kind(hit) is HitKind.EXACT
    # the upstream knows the hit's id: continuing from it is an ordinary call, not a 404
    follow = client.responses.create(model=MODEL, input="and why use one",
                                     previous_response_id=hit.id)
    assert _kind(follow) is HitKind.MISS and follow.output_text


def test_function_calls_are_cached_whole(up: FakeOpenAI, client: Any) -> None:
    first = client.responses.create(model=MODEL, input="use tool to find tea", tools=TOOLS)
    again = client.responses.create(model=MODEL, input="use tool to find tea", tools=TOOLS)
    assert _kind(again) is HitKind.EXACT
    assert again.output[0].type == "function_call"
    assert again.output[0].arguments == first.output[0].arguments
    assert again.output[0].call_id == first.output[0].call_id
    assert _kind(client.responses.create(model=MODEL, input="use tool to find tea")) \
        is HitKind.MISS  # without the tools: another scope


def test_answer_cut_by_max_output_tokens_is_kept_in_its_bucket(up: FakeOpenAI,
                                                                client: Any) -> None:
    first = client.responses.create(model=MODEL, input="describe the sea", max_output_tokens=3)
    assert first.status == "incomplete"
    again = client.responses.create(model=MODEL, input="describe the sea", max_output_tokens=3)
    assert _kind(again) is HitKind.EXACT and again.status == "incomplete"
    longer = client.responses.create(model=MODEL, input="describe the sea",
                                     max_output_tokens=500)
    assert _kind(longer) is HitKind.MISS and longer.status == "completed"


@pytest.mark.parametrize("extra", [{"conversation": "conv_1"}, {"background": True}])
def test_calls_that_change_state_upstream_are_not_cached(up: FakeOpenAI, client: Any,
                                                         extra: dict[str, Any]) -> None:
    for _ in range(2):
        got = client.responses.create(model=MODEL, input="what is tea", extra_body=None,
                                      **extra)
        assert _kind(got) is HitKind.BYPASS
    assert _calls(up) == 2


def test_upstream_errors_are_the_sdks_own_and_never_cached(up: FakeOpenAI,
                                                            client: Any) -> None:
    up.fail_next(429)
    with pytest.raises(openai.RateLimitError):
        client.responses.create(model=MODEL, input="what is tea")
    with pytest.raises(openai.NotFoundError):
        client.responses.create(model=MODEL, input="x", previous_response_id="resp_unknown")
    assert _kind(client.responses.create(model=MODEL, input="what is tea")) is HitKind.MISS
    assert len(client.gistcache.entries()) == 1


# -- wrap(): streams -------------------------------------------------------------------------


def test_streamed_miss_is_stored_and_replayed_as_events(up: FakeOpenAI, client: Any) -> None:
    stream = client.responses.create(model=MODEL, input="tell me about tea", stream=True)
    assert _kind(stream) is HitKind.MISS
    relayed = list(stream)
    assert relayed[-1].type == "response.completed"
    text = _streamed_text(relayed)
    assert "tell me about tea" in text

    replay = client.responses.create(model=MODEL, input="tell me about tea", stream=True)
    assert _kind(replay) is HitKind.EXACT
    events = list(replay)
    assert [e.type for e in events[:4]] == ["response.created", "response.in_progress",
                                            "response.output_item.added",
                                            "response.content_part.added"]
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert _streamed_text(events) == text
    assert sum(e.type == "response.output_text.delta" for e in events) > 3  # small deltas
    last = events[-1]
    assert isinstance(last, ResponseCompletedEvent)
    assert last.response.output_text == text and last.response.usage.total_tokens == 0

    plain = client.responses.create(model=MODEL, input="tell me about tea")
    assert _kind(plain) is HitKind.EXACT and plain.output_text == text
    assert _calls(up) == 1


def test_plain_answer_replays_as_a_stream_with_its_function_call(up: FakeOpenAI,
                                                                  client: Any) -> None:
    first = client.responses.create(model=MODEL, input="use tool for tea", tools=TOOLS)
    events = list(client.responses.create(model=MODEL, input="use tool for tea", tools=TOOLS,
                                          stream=True))
    done = [e for e in events if e.type == "response.function_call_arguments.done"]
    assert done and done[0].arguments == first.output[0].arguments
    assert events[-1].response.output[0].call_id == first.output[0].call_id


def test_stream_without_its_closing_event_is_not_stored(up: FakeOpenAI, client: Any) -> None:
    up.drop_stream_after(4, clean=True)
    stream = client.responses.create(model=MODEL, input="tell me about tea", stream=True)
    with pytest.raises(StreamIncomplete):
        list(stream)
    assert client.gistcache.entries() == []


# -- wrap(): async -------------------------------------------------------------------------------


async def test_async_plain_and_stream(up: FakeOpenAI, aclient: Any) -> None:
    first = await aclient.responses.create(model=MODEL, input="what is oolong")
    stream = await aclient.responses.create(model=MODEL, input="what is oolong", stream=True)
    assert _kind(first) is HitKind.MISS and _kind(stream) is HitKind.EXACT
    events = [e async for e in stream]
    assert _streamed_text(events) == first.output_text
    miss = await aclient.responses.create(model=MODEL, input="how do electric trains run",
                                          stream=True)
    assert _kind(miss) is HitKind.MISS
    assert [e.type async for e in miss][-1] == "response.completed"
    again = await aclient.responses.create(model=MODEL, input="how do electric trains run")
    assert _kind(again) is HitKind.EXACT and _calls(up) == 2


# -- the proxy -------------------------------------------------------------------------------


@pytest.fixture
def proxy(tmp_path: Path, up: FakeOpenAI) -> Iterator[tuple[ServerThread, Cache]]:
    cache = Cache(Config(data_dir=str(tmp_path / "proxy"), similarity_threshold=0.5),
                  embedder=WordHashEmbedder(256), background=False, rng=random.Random(7))
    with contextlib.ExitStack() as stack:
        stack.callback(cache.close)
        thread = stack.enter_context(ServerThread(create_app(
            cache, ServerSettings(upstream=up.base_url))))
        yield thread, cache


def test_proxy_plain_miss_then_hit(up: FakeOpenAI, proxy: tuple[ServerThread, Cache]) -> None:
    thread, _ = proxy
    with openai.OpenAI(base_url=thread.base_url, api_key=up.api_key, max_retries=0) as sdk:
        first = sdk.responses.with_raw_response.create(model=MODEL, input="What is GitHub?")
        again = sdk.responses.with_raw_response.create(model=MODEL, input="what is github?")
        follow = sdk.responses.with_raw_response.create(
            model=MODEL, input="who made it", previous_response_id=again.parse().id)
    assert first.headers["x-gistcache"] == "miss"
    assert again.headers["x-gistcache"] == "hit-exact"
    assert again.parse().output_text == first.parse().output_text
    assert again.parse().usage.total_tokens == 0
    assert follow.headers["x-gistcache"] == "miss"  # continued upstream from the hit's id
    assert _calls(up) == 2


def test_proxy_streams_typed_events_and_replays_them(up: FakeOpenAI,
                                                     proxy: tuple[ServerThread, Cache]
                                                     ) -> None:
    thread, cache = proxy
    with openai.OpenAI(base_url=thread.base_url, api_key=up.api_key, max_retries=0) as sdk:
        raw = sdk.responses.with_raw_response.create(model=MODEL, input="tea history",
                                                     stream=True)
        assert raw.headers["x-gistcache"] == "miss"
        text = _streamed_text(list(raw.parse()))
        assert len(cache.entries()) == 1  # stored at response.completed
        raw = sdk.responses.with_raw_response.create(model=MODEL, input="tea history",
                                                     stream=True)
        assert raw.headers["x-gistcache"] == "hit-exact"
        events = list(raw.parse())
    assert _streamed_text(events) == text and events[-1].type == "response.completed"
    # on the wire: named events, no [DONE]
    body = {"model": MODEL, "input": "tea history", "stream": True}
    with httpx.Client(timeout=10) as http:
        wire = http.post(f"{thread.base_url}/responses", json=body,
                         headers={"authorization": f"Bearer {up.api_key}"}).text
    assert wire.startswith("event: response.created\ndata: ")
    assert "[DONE]" not in wire
    assert json.loads(wire.strip().split("\n")[-1].removeprefix("data: "))["type"] \
        == "response.completed"
    assert _calls(up) == 1


def test_proxy_refuses_a_bad_body_in_openais_shape(up: FakeOpenAI,
                                                   proxy: tuple[ServerThread, Cache]) -> None:
    thread, _ = proxy
    with httpx.Client(timeout=10) as http:
        got = http.post(f"{thread.base_url}/responses", json={"model": MODEL, "input": 42},
                        headers={"authorization": f"Bearer {up.api_key}"})
    assert got.status_code == 400 and got.json()["error"]["param"] == "input"
    assert _calls(up) == 0
