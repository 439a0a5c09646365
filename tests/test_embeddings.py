"""Embeddings: each input item cached exactly; a batch split into cached and uncached items and
merged back in order. Through wrap() (sync and async) and the proxy, with the official SDK."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
from test_server_support import ServerThread

from gistcache import Cache, Config, HitKind
from gistcache.openai import cache_info, wrap
from gistcache.server import ServerSettings, create_app
from gistcache.testing import FakeOpenAI

MODEL = "text-embedding-3-small"


@pytest.fixture
def up() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    with Cache(Config(data_dir=str(tmp_path / "data")), exact_only=True,
               background=False) as made:
        yield made


def _inputs(up: FakeOpenAI) -> list[Any]:
    """The input lists the upstream received, in order."""
    return [c.body["input"] for c in up.calls if c.path.endswith("/embeddings") and c.body]


def _vectors(response: Any) -> list[list[float]]:
    return [list(row.embedding) for row in response.data]


def test_a_batch_is_split_into_cached_and_uncached_items(up: FakeOpenAI, cache: Cache) -> None:
    with openai.OpenAI(base_url=up.base_url, api_key=up.api_key, max_retries=0) as raw:
        client = wrap(raw, cache)
        plain = raw.embeddings.create(model=MODEL, input=["alpha", "beta", "gamma"])
        first = client.embeddings.create(model=MODEL, input=["alpha", "beta"])
        info = cache_info(first)
        assert info is not None and info.kind is HitKind.MISS
        mixed = client.embeddings.create(model=MODEL, input=["beta", "gamma", "alpha", "Beta"])
        again = client.embeddings.create(model=MODEL, input="gamma")
        info = cache_info(again)
        assert info is not None and info.kind is HitKind.EXACT
    # the upstream saw each new item once, and only the new ones
    assert _inputs(up)[1:] == [["alpha", "beta"], ["gamma", "Beta"]]
    by_text = dict(zip(["alpha", "beta", "gamma"], _vectors(plain), strict=True))
    assert _vectors(first) == [by_text["alpha"], by_text["beta"]]
    assert _vectors(mixed)[:3] == [by_text["beta"], by_text["gamma"], by_text["alpha"]]
    assert _vectors(mixed)[3] != by_text["beta"]  # case changes an embedding: never folded
    assert [row.index for row in mixed.data] == [0, 1, 2, 3]
    assert _vectors(again) == [by_text["gamma"]]
    assert again.usage.total_tokens == 0  # nothing was asked of the model


def test_float_and_base64_formats_share_entries(up: FakeOpenAI, cache: Cache) -> None:
    with openai.OpenAI(base_url=up.base_url, api_key=up.api_key, max_retries=0) as raw:
        client = wrap(raw, cache)
        floats = client.embeddings.create(model=MODEL, input="delta", encoding_format="float")
        packed = client.embeddings.create(model=MODEL, input="delta")  # the SDK asks base64
        other = client.embeddings.create(model=MODEL, input="delta", dimensions=8)
    assert _vectors(packed) == _vectors(floats) and len(_inputs(up)) == 2
    assert len(other.data[0].embedding) == 8  # dimensions are scope


async def test_async_embeddings(up: FakeOpenAI, cache: Cache) -> None:
    async with openai.AsyncOpenAI(base_url=up.base_url, api_key=up.api_key,
                                  max_retries=0) as raw:
        client = wrap(raw, cache)
        first, second = await asyncio.gather(
            client.embeddings.create(model=MODEL, input=["one", "two"]),
            client.embeddings.create(model=MODEL, input=["three"]))
        again = await client.embeddings.create(model=MODEL, input=["two", "three", "one"])
    assert _vectors(again) == [_vectors(first)[1], _vectors(second)[0], _vectors(first)[0]]
    assert len(_inputs(up)) == 2


def test_the_proxy_caches_embeddings_item_by_item(up: FakeOpenAI, cache: Cache) -> None:
    settings = ServerSettings(upstream=up.base_url)
    with ServerThread(create_app(cache, settings)) as server, \
            openai.OpenAI(base_url=server.base_url, api_key=up.api_key, max_retries=0) as client:
        first = client.embeddings.with_raw_response.create(model=MODEL, input=["a b", "c d"])
        assert first.headers["x-gistcache"] == "miss"
        mixed = client.embeddings.with_raw_response.create(model=MODEL, input=["c d", "e f"])
        assert mixed.headers["x-gistcache"] == "miss"
        assert mixed.headers["x-gistcache-cached-inputs"] == "1"
        hit = client.embeddings.with_raw_response.create(model=MODEL, input=["e f", "a b"])
        assert hit.headers["x-gistcache"] == "hit-exact"
        up.fail_next(429)
        with pytest.raises(openai.RateLimitError):
            client.embeddings.create(model=MODEL, input=["g h"])
    first_v, mixed_v, hit_v = (_vectors(r.parse()) for r in (first, mixed, hit))
    assert mixed_v[0] == first_v[1] and hit_v == [mixed_v[1], first_v[0]]
    assert _inputs(up) == [["a b", "c d"], ["e f"], ["g h"]]
    assert json.loads(json.dumps(hit.parse().usage.model_dump()))["total_tokens"] == 0
