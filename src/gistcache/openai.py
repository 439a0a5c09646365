"""A cached drop-in for the modern OpenAI SDK client (``openai.OpenAI``, ``openai.AsyncOpenAI``).

    import openai
    from gistcache.openai import cache_info, wrap

    client = wrap(openai.OpenAI())          # or wrap(openai.OpenAI(), Cache(Config(...)))
    msgs = [{"role": "user", "content": "What is a semantic cache?"}]
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=msgs)
    print(reply.choices[0].message.content, cache_info(reply).kind)

``chat.completions.create`` and ``completions.create`` (plain and ``stream=True``) are cached,
and ``embeddings.create`` item by item (exact inputs; a batch's uncached items are fetched in
one call and merged back in order); every other attribute of the client passes through to the
SDK untouched. Answers are the SDK's
own types (``ChatCompletion``, ``Completion``, streams of ``ChatCompletionChunk``); a hit can
only be told from a miss through :func:`cache_info` (or the ``on_lookup`` callback), and by its
zero token usage: it cost no tokens. Per-call controls, removed before the upstream call:
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from gistcache._cache import Cache
from gistcache._coalesce import caller_id
from gistcache._endpoints import (
    CHAT,
    COMPLETION,
    FAKE_UPSTREAM,
    Endpoint,
    KeyOptions,
    upstream_id,
)
from gistcache._errors import InvalidRequest, require
from gistcache._flow import AsyncRecordingStream as _AsyncRecordingStream
from gistcache._flow import AsyncReplayStream as _AsyncReplayStream
from gistcache._flow import Embeddings, Flow, Policy, Served
from gistcache._flow import RecordingStream as _RecordingStream
from gistcache._flow import ReplayStream as _ReplayStream
from gistcache._types import CacheRequest, HitKind, Lookup

__all__ = ["CacheInfo", "CachedAsyncOpenAI", "CachedOpenAI", "cache_info", "default_client",
           "wrap"]

log = logging.getLogger("gistcache.openai")

_C = TypeVar("_C")

#: the attribute of a response or stream that holds its :class:`CacheInfo`
_INFO_ATTR = "_gistcache"

#: set on an SDK client to name its upstream in the scope (gistcache.testing marks its fake)
UPSTREAM_ATTR = "_gistcache_upstream"


@dataclass(frozen=True)
class CacheInfo:
    """How one call was answered: ``kind`` (exact/semantic hit, miss, bypass) and the entry."""

    kind: HitKind
    similarity: float | None = None
    entry_id: int | None = None
    reason: str = ""

    @property
    def hit(self) -> bool:
        """True when the answer came from the cache."""
        return self.kind in (HitKind.EXACT, HitKind.SEMANTIC)


def cache_info(response: object) -> CacheInfo | None:
    """The :class:`CacheInfo` of a response or stream returned by a wrapped client, else None."""
    info = getattr(response, _INFO_ATTR, None)
    return info if isinstance(info, CacheInfo) else None


def _info_of(result: Lookup) -> CacheInfo:
    entry_id = result.entry.id if result.entry is not None else None
    return CacheInfo(result.kind, result.similarity, entry_id, result.reason)


def _tag(obj: Any, info: CacheInfo) -> Any:
    # pydantic models and the SDK's streams accept a private attribute; it does not take part
    # in equality or model_dump, so the response stays indistinguishable from the SDK's own.
    try:
        object.__setattr__(obj, _INFO_ATTR, info)
    except (AttributeError, TypeError):  # an object with __slots__: no info, same answer
        log.debug("cannot attach cache info to %s", type(obj).__name__)
    return obj


# -- per-call controls ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Controls:
    skip_lookup: bool = False
    skip_store: bool = False
    namespace: str | None = None
    ttl: float | None = None
    min_similarity: float | None = None


_CONTROL_NAMES = ("cache_skip_lookup", "cache_skip_store", "cache_namespace", "cache_ttl",
                  "cache_min_similarity")


def _number(name: str, value: object) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise InvalidRequest(f"{name} must be a number, got {type(value).__name__}")
    return float(value)


def _pop_controls(kwargs: dict[str, Any]) -> _Controls:
    """Remove the ``cache_*`` arguments from ``kwargs`` and check them."""
    unknown = sorted(k for k in kwargs if k.startswith("cache_") and k not in _CONTROL_NAMES)
    if unknown:
        raise InvalidRequest(f"unknown cache control {', '.join(unknown)}; known: "
                             f"{', '.join(_CONTROL_NAMES)}")
    got = {name: kwargs.pop(name) for name in _CONTROL_NAMES if name in kwargs}
    for name in ("cache_skip_lookup", "cache_skip_store"):
        if name in got and not isinstance(got[name], bool):
            raise InvalidRequest(f"{name} must be True or False, got {got[name]!r}")
    namespace = got.get("cache_namespace")
    if namespace is not None and (not isinstance(namespace, str) or not namespace):
        raise InvalidRequest(f"cache_namespace must be a non-empty string, got {namespace!r}")
    ttl = got.get("cache_ttl")
    if ttl is not None:
        ttl = _number("cache_ttl", ttl)
        if ttl <= 0:
            raise InvalidRequest(f"cache_ttl must be > 0 seconds, got {ttl:g}")
    floor = got.get("cache_min_similarity")
    if floor is not None:
        floor = _number("cache_min_similarity", floor)
        if not -1.0 <= floor <= 1.0:
            raise InvalidRequest(f"cache_min_similarity is a cosine similarity in [-1, 1], "
                                 f"got {floor:g}")
    return _Controls(got.get("cache_skip_lookup", False), got.get("cache_skip_store", False),
                     namespace, ttl, floor)


# -- the shared logic of the sync and async clients -----------------------------------------------


def _completion_chunk(sdk: Any, data: dict[str, Any]) -> Any:
    # A streamed Completion has no finish reason until its last chunk, which its type does not
    # allow: check the chunk with one filled in, then build it leniently, as the SDK does.
    probe = {**data, "choices": [{**c, "finish_reason": c.get("finish_reason") or "stop"}
                                 for c in data.get("choices") or []]}
    sdk.types.Completion.model_validate(probe)
    return sdk.types.Completion.model_construct(**data)


class _Adapter:
    """What the sync and async wrappers share: keying, SDK types, reporting."""

    def __init__(
        self,
        cache: Cache,
        *,
        namespace: str | None,
        preprocess: str | None,
        on_lookup: Callable[[CacheInfo], object] | None,
        chunk_chars: int,
        upstream: str | None,
    ) -> None:
        sdk = require("openai", feature="the OpenAI adapter", extra="openai")
        self.cache = cache
        self.namespace = namespace
        self.preprocess = preprocess
        self.on_lookup = on_lookup
        self.chunk_chars = chunk_chars
        self.upstream = upstream
        self.sdk = sdk
        self.plain: dict[str, Callable[[dict[str, Any]], Any]] = {
            CHAT.name: sdk.types.chat.ChatCompletion.model_validate,
            COMPLETION.name: sdk.types.Completion.model_validate,
        }
        self.event: dict[str, Callable[[dict[str, Any]], Any]] = {
            CHAT.name: sdk.types.chat.ChatCompletionChunk.model_validate,
            COMPLETION.name: lambda data: _completion_chunk(sdk, data),
        }
        omit = getattr(sdk, "Omit", None)
        self._absent: tuple[type, ...] = (sdk.NotGiven, omit) if omit is not None \
            else (sdk.NotGiven,)

    def given(self, kwargs: Mapping[str, Any]) -> dict[str, Any]:
        """The arguments actually given (the SDK's NOT_GIVEN / omit sentinels dropped)."""
        return {k: v for k, v in kwargs.items() if not isinstance(v, self._absent)}

    def flow(self, endpoint: Endpoint, client: _Identity, given: Mapping[str, Any],
             controls: _Controls) -> Flow:
        """The flow of one call (its request None when the cache cannot key it)."""
        upstream = self.upstream or client.upstream
        options = KeyOptions(
            namespace=controls.namespace or self.namespace or self.cache.config.namespace,
            preprocess=self.preprocess or self.cache.config.preprocess,
            min_similarity=controls.min_similarity, upstream=upstream)
        request: CacheRequest | None = None
        reason = "request not cacheable"
        try:
            request = endpoint.key(given, options)
        except InvalidRequest as exc:
            # Not ours to reject: the SDK (or the API) answers it exactly as it would uncached.
            log.debug("request not cacheable, calling upstream uncached: %s", exc)
        policy = Policy(lookup=not controls.skip_lookup, store=not controls.skip_store,
                        ttl=controls.ttl)
        return Flow(self.cache, endpoint, request, model=str(given.get("model", "")),
                    body=given, caller=client.caller,
                    policy=policy, chunk_chars=self.chunk_chars, bypass=reason)

    def events(self, endpoint: Endpoint) -> Callable[[list[dict[str, Any]]], list[Any]]:
        """Builds the SDK event objects of a replay."""
        make = self.event[endpoint.name]
        return lambda events: [make(e) for e in events]

    def report(self, served: Served[Any], wrap_stream: Callable[[Any], Any] | None = None
               ) -> Any:
        """Attach the cache info to a response or stream and tell ``on_lookup``."""
        obj = served.value
        if wrap_stream is not None:
            obj = wrap_stream(obj)
        info = _info_of(served.lookup)
        _tag(obj, info)
        if self.on_lookup is not None:
            self.on_lookup(info)
        return obj


@dataclass(frozen=True)
class _Identity:
    """Who a wrapped client calls, and as whom: computed once per client, not per call."""

    upstream: str
    caller: str

    @classmethod
    def of(cls, client: Any) -> _Identity:
        return cls(_upstream_of(client), caller_id(getattr(client, "api_key", None)))


def _upstream_of(client: Any) -> str:
    marked = getattr(client, UPSTREAM_ATTR, None)
    return marked if isinstance(marked, str) and marked else upstream_id(client.base_url)


# -- the cached create methods ----------------------------------------------------------------


class _Delegate:
    """Attribute delegation to the wrapped SDK object."""

    def __init__(self, inner: Any) -> None:
        self.__wrapped__ = inner

    def __getattr__(self, name: str) -> Any:
        if name == "__wrapped__":  # not set yet (a half-built object): no recursion
            raise AttributeError(name)
        return getattr(self.__wrapped__, name)

    def __repr__(self) -> str:
        return f"<gistcache {self.__wrapped__!r}>"


class _SyncResource(_Delegate):
    """``chat.completions`` or ``completions`` of a sync client, with a cached ``create``."""

    def __init__(self, inner: Any, adapter: _Adapter, endpoint: Endpoint, client: Any) -> None:
        super().__init__(inner)
        self._adapter = adapter
        self._endpoint = endpoint
        self._client = _Identity.of(client)

    def create(self, **kwargs: Any) -> Any:
        """The SDK's ``create``, answered from the cache when it can be."""
        adapter, endpoint = self._adapter, self._endpoint
        controls = _pop_controls(kwargs)
        given = adapter.given(kwargs)
        flow = adapter.flow(endpoint, self._client, given, controls)

        def upstream() -> Any:
            return self.__wrapped__.create(**kwargs)

        if given.get("stream"):
            served = flow.stream(upstream, adapter.events(endpoint))
            wrap = _ReplayStream if served.origin == "cache" else \
                (lambda s: _RecordingStream(s, flow.recorder()))
            return adapter.report(served, wrap)
        return adapter.report(flow.call(upstream, adapter.plain[endpoint.name]))


class _AsyncResource(_Delegate):
    """``chat.completions`` or ``completions`` of an async client, with a cached ``create``."""

    def __init__(self, inner: Any, adapter: _Adapter, endpoint: Endpoint, client: Any) -> None:
        super().__init__(inner)
        self._adapter = adapter
        self._endpoint = endpoint
        self._client = _Identity.of(client)

    async def create(self, **kwargs: Any) -> Any:
        """The SDK's ``create``, answered from the cache when it can be (never blocks the loop)."""
        adapter, endpoint = self._adapter, self._endpoint
        controls = _pop_controls(kwargs)
        given = adapter.given(kwargs)
        flow = adapter.flow(endpoint, self._client, given, controls)

        async def upstream() -> Any:
            return await self.__wrapped__.create(**kwargs)

        if given.get("stream"):
            served = await flow.astream(upstream, adapter.events(endpoint))
            wrap = _AsyncReplayStream if served.origin == "cache" else \
                (lambda s: _AsyncRecordingStream(s, flow.recorder()))
            return adapter.report(served, wrap)
        return adapter.report(await flow.acall(upstream, adapter.plain[endpoint.name]))


class _Embeddings(_Delegate):
    """``embeddings`` of a client: each input item cached exactly, the rest fetched at once."""

    def __init__(self, inner: Any, adapter: _Adapter, client: Any) -> None:
        super().__init__(inner)
        self._adapter = adapter
        self._client = _Identity.of(client)

    def _batch(self, kwargs: dict[str, Any]) -> Embeddings | None:
        adapter = self._adapter
        controls = _pop_controls(kwargs)
        options = KeyOptions(
            namespace=controls.namespace or adapter.namespace or adapter.cache.config.namespace,
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
        response = self._adapter.sdk.types.CreateEmbeddingResponse.model_validate(data)
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


class _Chat(_Delegate):
    def __init__(self, inner: Any, completions: _Delegate) -> None:
        super().__init__(inner)
        self.completions = completions


class _Client(_Delegate):
    """What the sync and async wrapped clients share."""

    _resource: type[_SyncResource] | type[_AsyncResource]
    _embeddings: type[_Embeddings]

    def __init__(self, client: Any, adapter: _Adapter) -> None:
        super().__init__(client)
        self._adapter = adapter
        self.chat = _Chat(client.chat,
                          self._resource(client.chat.completions, adapter, CHAT, client))
        self.completions = self._resource(client.completions, adapter, COMPLETION, client)
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

    _resource = _SyncResource
    _embeddings = _Embeddings


class CachedAsyncOpenAI(_Client):
    """An ``openai.AsyncOpenAI`` client whose completion calls go through a cache."""

    _resource = _AsyncResource
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
    if namespace is not None and (not isinstance(namespace, str) or not namespace):
        raise InvalidRequest(f"namespace must be a non-empty string, got {namespace!r}")
    if not isinstance(chunk_chars, int) or isinstance(chunk_chars, bool) or chunk_chars < 1:
        raise InvalidRequest(f"chunk_chars must be a positive integer, got {chunk_chars!r}")
    adapter = _Adapter(cache if cache is not None else Cache(), namespace=namespace,
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
