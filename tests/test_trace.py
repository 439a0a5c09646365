"""OpenTelemetry spans (the ``otel`` extra): a span per request, its stages as children, the hit
kind as an attribute; without OpenTelemetry nothing changes. Real SDK, in-memory exporter."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
from test_server_support import ServerThread

from gistcache import Cache, Config, _trace
from gistcache.embedders import WordHashEmbedder
from gistcache.openai import cache_info, wrap
from gistcache.server import ServerSettings, create_app
from gistcache.testing import FakeOpenAI

sdk_trace = pytest.importorskip("opentelemetry.sdk.trace")
export = pytest.importorskip("opentelemetry.sdk.trace.export")
in_memory = pytest.importorskip("opentelemetry.sdk.trace.export.in_memory_span_exporter")

MODEL = "gpt-4o-mini"


@pytest.fixture
def spans() -> Iterator[Any]:
    """gistcache traced by a provider of its own, exporting to memory."""
    exporter = in_memory.InMemorySpanExporter()
    provider = sdk_trace.TracerProvider()
    provider.add_span_processor(export.SimpleSpanProcessor(exporter))
    _trace.use_tracer_provider(provider)
    yield exporter
    _trace.use_tracer_provider(None)
    provider.shutdown()


@pytest.fixture
def up() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    made = Cache(Config(data_dir=str(tmp_path / "data"), similarity_threshold=0.5),
                 embedder=WordHashEmbedder(256), background=False, rng=random.Random(7))
    yield made
    made.close()


def _requests(exporter: Any) -> list[Any]:
    return [s for s in exporter.get_finished_spans() if s.name == _trace.REQUEST_SPAN]


def _children(exporter: Any, parent: Any) -> list[str]:
    return sorted(s.name for s in exporter.get_finished_spans()
                  if s.parent is not None and s.parent.span_id == parent.context.span_id)


def _ask(client: Any, text: str) -> Any:
    return client.chat.completions.create(model=MODEL,
                                          messages=[{"role": "user", "content": text}])


def test_a_span_per_call_with_its_stages_and_hit_kind(spans: Any, up: FakeOpenAI,
                                                      cache: Cache) -> None:
    with openai.OpenAI(base_url=up.base_url, api_key=up.api_key, max_retries=0) as raw:
        client = wrap(raw, cache)
        _ask(client, "how do I make a cup of green tea")
        _ask(client, "how do I make a cup of green tea")
        semantic = _ask(client, "hey, how do I make a cup of green tea")
    assert cache_info(semantic) is not None and cache_info(semantic).kind.value == "hit-semantic"
    miss, exact, hit = _requests(spans)
    assert [s.attributes["gistcache.hit_kind"] for s in (miss, exact, hit)] == [
        "miss", "hit-exact", "hit-semantic"]
    assert miss.attributes["gistcache.endpoint"] == "chat"
    assert miss.attributes["gen_ai.request.model"] == MODEL
    assert _children(spans, miss) == ["gistcache.embed", "gistcache.search",
                                      "gistcache.store", "gistcache.upstream"]
    assert _children(spans, exact) == []  # from memory: no stage ran
    assert {"gistcache.embed", "gistcache.search", "gistcache.verify"} <= set(
        _children(spans, hit))
    for span in spans.get_finished_spans():  # children lie within their request
        parent = next((r for r in _requests(spans) if span.parent is not None
                       and span.parent.span_id == r.context.span_id), None)
        if parent is not None:
            assert parent.start_time <= span.start_time <= span.end_time <= parent.end_time


def test_upstream_errors_are_recorded_on_the_request_span(spans: Any, up: FakeOpenAI,
                                                          cache: Cache) -> None:
    up.fail_next(429)
    with openai.OpenAI(base_url=up.base_url, api_key=up.api_key, max_retries=0) as raw, \
            pytest.raises(openai.RateLimitError):
        _ask(wrap(raw, cache), "what is tea")
    (request,) = _requests(spans)
    assert not request.status.is_ok
    assert _children(spans, request) == ["gistcache.embed", "gistcache.search",
                                         "gistcache.upstream"]


def test_the_proxy_traces_its_requests(spans: Any, up: FakeOpenAI, cache: Cache) -> None:
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(ServerThread(create_app(
            cache, ServerSettings(upstream=up.base_url))))
        client = stack.enter_context(openai.OpenAI(base_url=server.base_url,
                                                   api_key=up.api_key, max_retries=0))
        client.responses.create(model=MODEL, input="what is tea")
        client.responses.create(model=MODEL, input="what is tea")
    miss, hit = _requests(spans)
    assert miss.attributes["gistcache.endpoint"] == "responses"
    assert (miss.attributes["gistcache.hit_kind"], hit.attributes["gistcache.hit_kind"]) == (
        "miss", "hit-exact")
    assert "gistcache.upstream" in _children(spans, miss)


def test_without_a_provider_or_opentelemetry_nothing_is_traced(
        up: FakeOpenAI, cache: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _trace._tracer() is None  # the global provider was never set in this process
    exporter = in_memory.InMemorySpanExporter()
    provider = sdk_trace.TracerProvider()
    provider.add_span_processor(export.SimpleSpanProcessor(exporter))
    _trace.use_tracer_provider(provider)
    monkeypatch.setattr(_trace, "_otel", None)  # as if opentelemetry were not installed
    monkeypatch.setattr(_trace, "_looked", True)
    try:
        with openai.OpenAI(base_url=up.base_url, api_key=up.api_key, max_retries=0) as raw:
            client = wrap(raw, cache)
            _ask(client, "what is tea")
            assert cache_info(_ask(client, "what is tea")).kind.value == "hit-exact"
    finally:
        _trace.use_tracer_provider(None)
        provider.shutdown()
    assert exporter.get_finished_spans() == ()
    with _trace.request_span("chat") as span:
        assert span is None
