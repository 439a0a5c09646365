"""A cached drop-in for the modern OpenAI SDK client (``openai.OpenAI``, ``openai.AsyncOpenAI``).

    import openai
    from gistcache.openai import cache_info, wrap

    client = wrap(openai.OpenAI())          # or wrap(openai.OpenAI(), Cache(Config(...)))
    msgs = [{"role": "user", "content": "What is a semantic cache?"}]
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=msgs)
    print(reply.choices[0].message.content, cache_info(reply).kind)

``chat.completions.create``, ``completions.create`` and ``responses.create`` (plain and
``stream=True``) are cached, and ``embeddings.create`` item by item (exact inputs; a batch's
uncached items are fetched in one call and merged back in order); every other attribute of the
client passes through to the SDK untouched (``responses.stream()`` and ``responses.parse()``
too: they are not cached). Answers are the SDK's own types (``ChatCompletion``, ``Completion``,
``Response``, streams of ``ChatCompletionChunk`` or of Responses events); a hit can only be told
from a miss through :func:`cache_info` (or the ``on_lookup`` callback), and by its zero token
usage: it cost no tokens. A Responses hit keeps the id of the response it replays (the
upstream knows it: ``previous_response_id`` continues from it as from a fresh answer).
Per-call controls, removed before the upstream call:
``cache_skip_lookup``, ``cache_skip_store``, ``cache_namespace``, ``cache_ttl`` (seconds) and
``cache_min_similarity`` (may only make matching stricter).

A request the cache cannot key (no model, messages not a list, ...) goes to the SDK uncached, so
the caller gets exactly the SDK's own behaviour; upstream errors reach the caller as the SDK's
own exceptions and are never cached; a cache fault makes the call go upstream as if the cache
were off.
"""

from __future__ import annotations

import logging
import os
import sys
import weakref
from collections.abc import Callable
from typing import Any, TypeVar, cast

from gistcache._cache import Cache
from gistcache._endpoints import (
    CHAT,
    COMPLETION,
    EMBEDDINGS,
    FAKE_UPSTREAM,
    RESPONSES,
    KeyOptions,
)
from gistcache._errors import InvalidRequest, require
from gistcache._flow import Embeddings, Policy, Served
from gistcache._sdk import (
    UPSTREAM_ATTR,
    Adapter,
    AsyncResource,
    CacheInfo,
    Delegate,
    Identity,
    SyncResource,
    absent_types,
    cache_info,
    check_options,
    event_builder,
    pop_controls,
)
from gistcache._types import HitKind, Lookup

__all__ = ["CacheInfo", "CachedAsyncOpenAI", "CachedOpenAI", "cache_info", "default_client",
           "wrap"]

log = logging.getLogger("gistcache.openai")

_C = TypeVar("_C")


def _completion_chunk(sdk: Any, data: dict[str, Any]) -> Any:
    # A streamed Completion has no finish reason until its last chunk, which its type does not
    # allow: check the chunk with one filled in, then build it leniently, as the SDK does.
    probe = {**data, "choices": [{**c, "finish_reason": c.get("finish_reason") or "stop"}
                                 for c in data.get("choices") or []]}
    sdk.types.Completion.model_validate(probe)
    return sdk.types.Completion.model_construct(**data)


def _adapter(sdk: Any, cache: Cache, **options: Any) -> Adapter:
    """The adapter of the OpenAI SDK: its response and event types by endpoint."""
    responses = sdk.types.responses
    return Adapter(
        cache,
        plain={CHAT.name: sdk.types.chat.ChatCompletion.model_validate,
               COMPLETION.name: sdk.types.Completion.model_validate,
               EMBEDDINGS.name: sdk.types.CreateEmbeddingResponse.model_validate,
               # built as the SDK builds what it reads: leniently, a field it lacks is no error
               RESPONSES.name: lambda data: responses.Response.model_construct(**data)},
        event={CHAT.name: sdk.types.chat.ChatCompletionChunk.model_validate,
               COMPLETION.name: lambda data: _completion_chunk(sdk, data),
               RESPONSES.name: event_builder(responses.ResponseStreamEvent)},
        absent=absent_types(sdk), **options)


class _Embeddings(Delegate):
    """``embeddings`` of a client: each input item cached exactly, the rest fetched at once."""

    def __init__(self, inner: Any, adapter: Adapter, client: Any) -> None:
        super().__init__(inner)
        self._adapter = adapter
        self._client = Identity.of(client)

    def _batch(self, kwargs: dict[str, Any]) -> Embeddings | None:
        adapter = self._adapter
        controls = pop_controls(kwargs)
        options = KeyOptions(namespace=adapter.options(self._client, controls).namespace,
                             upstream=adapter.upstream or self._client.upstream)
        policy = Policy(lookup=not controls.skip_lookup, store=not controls.skip_store,
                        ttl=controls.ttl)
        try:
            return Embeddings(adapter.cache, adapter.given(kwargs), options, policy)
        except InvalidRequest as exc:
            log.debug("embeddings not cacheable, calling upstream uncached: %s", exc)
            adapter.cache.metrics.count("uncacheable")
            return None

    def _report(self, data: dict[str, Any], lookup: Lookup) -> Any:
        response = self._adapter.plain[EMBEDDINGS.name](data)
        return self._adapter.report(Served(response, lookup, "cache"))

    def create(self, **kwargs: Any) -> Any:
        """The SDK's ``create``, with cached items answered from the cache."""
        batch = self._batch(kwargs)
        if batch is None:
            return self._adapter.report(Served(self.__wrapped__.create(**kwargs),
                                               Lookup(HitKind.BYPASS), "upstream"))
        served = batch.embed(lambda body: self.__wrapped__.create(**{**kwargs, **body}))
        return self._report(served.value, served.lookup)


class _AsyncEmbeddings(_Embeddings):
    """``embeddings`` of an async client."""

    async def create(self, **kwargs: Any) -> Any:
        """The SDK's ``create``, with cached items answered from the cache."""
        batch = self._batch(kwargs)
        if batch is None:
            return self._adapter.report(Served(await self.__wrapped__.create(**kwargs),
                                               Lookup(HitKind.BYPASS), "upstream"))

        async def upstream(body: dict[str, Any]) -> Any:
            return await self.__wrapped__.create(**{**kwargs, **body})

        served = await batch.aembed(upstream)
        return self._report(served.value, served.lookup)


# -- the clients ------------------------------------------------------------------------------


class _Chat(Delegate):
    def __init__(self, inner: Any, completions: Delegate) -> None:
        super().__init__(inner)
        self.completions = completions


class _Client(Delegate):
    """What the sync and async wrapped clients share."""

    _resource: type[SyncResource] | type[AsyncResource]
    _embeddings: type[_Embeddings]

    def __init__(self, client: Any, adapter: Adapter) -> None:
        super().__init__(client)
        self._adapter = adapter
        self.chat = _Chat(client.chat,
                          self._resource(client.chat.completions, adapter, CHAT, client))
        self.completions = self._resource(client.completions, adapter, COMPLETION, client)
        self.responses = self._resource(client.responses, adapter, RESPONSES, client)
        self.embeddings = self._embeddings(client.embeddings, adapter, client)

    @property
    def gistcache(self) -> Cache:
        """The cache answering this client's calls."""
        return self._adapter.cache

    def with_options(self, **options: Any) -> Any:
        """The SDK's ``with_options`` (alias ``copy``), still cached."""
        copied = self.__wrapped__.with_options(**options)
        marked = getattr(self.__wrapped__, UPSTREAM_ATTR, None)
        if marked is not None and "base_url" not in options:
            setattr(copied, UPSTREAM_ATTR, marked)
        return type(self)(copied, self._adapter)

    copy = with_options


class CachedOpenAI(_Client):
    """An ``openai.OpenAI`` client whose completion calls go through a cache."""

    _resource = SyncResource
    _embeddings = _Embeddings


class CachedAsyncOpenAI(_Client):
    """An ``openai.AsyncOpenAI`` client whose completion calls go through a cache."""

    _resource = AsyncResource
    _embeddings = _AsyncEmbeddings


def wrap(
    client: _C,
    cache: Cache | None = None,
    *,
    namespace: str | None = None,
    preprocess: str | None = None,
    on_lookup: Callable[[CacheInfo], object] | None = None,
    chunk_chars: int = 16,
    upstream: str | None = None,
) -> _C:
    """A cached drop-in for an ``openai.OpenAI`` or ``openai.AsyncOpenAI`` client.

    ``cache`` defaults to ``Cache()`` (the embedded default); ``namespace`` and ``preprocess``
    default to the cache's config; ``on_lookup`` is called with the :class:`CacheInfo` of every
    cached call; a streamed hit is replayed in chunks of about ``chunk_chars`` characters.
    ``upstream`` names the upstream in the scope (default: the client's base URL), so that
    answers of one provider or server are never served for another.
    """
    sdk = require("openai", feature="the OpenAI adapter", extra="openai")
    if isinstance(client, _Client):
        raise InvalidRequest("this client is already wrapped by gistcache")
    if isinstance(client, sdk.AsyncOpenAI):
        cls: type[_Client] = CachedAsyncOpenAI
    elif isinstance(client, sdk.OpenAI):
        cls = CachedOpenAI
    else:
        raise InvalidRequest(f"wrap() needs an openai.OpenAI or openai.AsyncOpenAI client, got "
                             f"{type(client).__name__}")
    check_options(namespace, chunk_chars)
    adapter = _adapter(sdk, cache if cache is not None else Cache(), namespace=namespace,
                       preprocess=preprocess, on_lookup=on_lookup, chunk_chars=chunk_chars,
                       upstream=upstream)
    # Typed as the client it wraps: it answers every call that client does.
    return cast(_C, cls(client, adapter))


def default_client(**options: Any) -> Any:
    """``openai.OpenAI(**options)``, or, without an API key, a client of a local fake model.

    With no ``api_key`` given and no ``OPENAI_API_KEY`` set, a :class:`FakeOpenAI` server is
    started in this process (it stops with it) and the client talks to it: examples run
    offline, and a line on stderr says that the answers are canned, not a model's. Entries
    stored from it are scoped to the fake upstream: never served for a real one.
    """
    sdk = require("openai", feature="the OpenAI adapter", extra="openai")
    if options.get("api_key") or os.environ.get("OPENAI_API_KEY"):
        return sdk.OpenAI(**options)
    from .testing import FakeOpenAI

    fake = FakeOpenAI().start()
    client = sdk.OpenAI(**{**options, "base_url": fake.base_url, "api_key": fake.api_key})
    setattr(client, UPSTREAM_ATTR, FAKE_UPSTREAM)
    weakref.finalize(client, fake.stop)
    print(f"gistcache: OPENAI_API_KEY is not set, so a local FAKE model at {fake.base_url} "
          "answers (canned text, no real model); set OPENAI_API_KEY to ask OpenAI.",
          file=sys.stderr)
    return client
