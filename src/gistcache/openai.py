"""A cached drop-in for the modern OpenAI SDK client (``openai.OpenAI``, ``openai.AsyncOpenAI``).

    import openai
    from gistcache.openai import cache_info, wrap

    client = wrap(openai.OpenAI())          # or wrap(openai.OpenAI(), Cache(Config(...)))
    msgs = [{"role": "user", "content": "What is a semantic cache?"}]
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=msgs)
    print(reply.choices[0].message.content, cache_info(reply).kind)

``chat.completions.create`` and ``completions.create`` (plain and ``stream=True``) are cached;
every other attribute of the client passes through to the SDK untouched. Answers are the SDK's
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
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar, cast

from gistcache import _wire
from gistcache._cache import Answer, Cache
from gistcache._errors import InvalidRequest, require
from gistcache._types import CacheRequest, Entry, HitKind, Lookup
from gistcache.requests import chat_request, completion_request

__all__ = ["CacheInfo", "CachedAsyncOpenAI", "CachedOpenAI", "cache_info", "wrap"]

log = logging.getLogger("gistcache.openai")

_C = TypeVar("_C")

#: the attribute of a response or stream that holds its :class:`CacheInfo`
_INFO_ATTR = "_gistcache"

#: what stored data that cannot be turned back into an SDK object raises (pydantic's
#: ValidationError is a ValueError); such an entry is treated as a fault and skipped
_DATA_ERRORS = (ValueError, TypeError, KeyError, AttributeError)

_CHAT = "chat"
_COMPLETION = "completion"


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


#: the info of a call whose stored answer could not be replayed (it went upstream)
_UNUSABLE = CacheInfo(HitKind.MISS, reason="stored answer unusable")


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


class _Adapter:
    """What the sync and async wrappers share: request building, replay, reporting."""

    def __init__(
        self,
        cache: Cache,
        *,
        namespace: str | None,
        preprocess: str | None,
        on_lookup: Callable[[CacheInfo], object] | None,
        chunk_chars: int,
    ) -> None:
        sdk = require("openai", feature="the OpenAI adapter", extra="openai")
        self.cache = cache
        self.namespace = namespace
        self.preprocess = preprocess
        self.on_lookup = on_lookup
        self.chunk_chars = chunk_chars
        self.sdk = sdk
        self._types = {_CHAT: sdk.types.chat.ChatCompletion, _COMPLETION: sdk.types.Completion}
        self._chunk_types = {_CHAT: sdk.types.chat.ChatCompletionChunk,
                             _COMPLETION: sdk.types.Completion}
        omit = getattr(sdk, "Omit", None)
        self._absent: tuple[type, ...] = (sdk.NotGiven, omit) if omit is not None \
            else (sdk.NotGiven,)

    # -- requests --

    def given(self, kwargs: Mapping[str, Any]) -> dict[str, Any]:
        """The arguments actually given (the SDK's NOT_GIVEN / omit sentinels dropped)."""
        return {k: v for k, v in kwargs.items() if not isinstance(v, self._absent)}

    def request(self, kind: str, given: Mapping[str, Any], controls: _Controls
                ) -> CacheRequest | None:
        """The cache request of a call, or None when the cache cannot key it."""
        namespace = controls.namespace or self.namespace or self.cache.config.namespace
        try:
            if kind == _CHAT:
                return chat_request(given, namespace=namespace,
                                    preprocess=self.preprocess or self.cache.config.preprocess,
                                    min_similarity=controls.min_similarity)
            return completion_request(given, namespace=namespace,
                                      min_similarity=controls.min_similarity)
        except InvalidRequest as exc:
            # Not ours to reject: the SDK (or the API) answers it exactly as it would uncached.
            log.debug("request not cacheable, calling upstream uncached: %s", exc)
            self.cache.metrics.count("adapter_uncacheable")
            return None

    # -- answers and responses --

    def answer_of(self, kind: str, response: Any) -> Answer:
        """The storable answer of an upstream response (not cacheable if unreadable)."""
        try:
            answer = (_wire.answer_from_chat(response) if kind == _CHAT
                      else _wire.answer_from_completion(response))
        except _DATA_ERRORS as exc:
            log.warning("cannot read the upstream %s response, not caching it: %s", kind, exc,
                        exc_info=exc)
            self.cache.metrics.fault("adapter_answer")
            return Answer("", cacheable=False)
        return _with_model(answer, getattr(response, "model", None))

    def build(self, kind: str, source: Entry | Answer, model: str) -> Any | None:
        """An SDK response object for a stored answer, or None if its data is unusable."""
        try:
            if kind == _CHAT:
                data = _wire.chat_completion(source, _model_of(source, model))
            else:
                data = _wire.completion(source, _model_of(source, model))
            return self._types[kind].model_validate(data)
        except _DATA_ERRORS as exc:
            self._unusable(source, exc)
            return None

    def build_served(self, kind: str, answer: Answer, result: Lookup, model: str) -> Any | None:
        """The response for a hit or a shared answer of a concurrent call, or None if unusable."""
        if result.entry is not None:
            return self.build(kind, result.entry, model)
        if answer.cacheable:  # a follower of a coalesced call: the leader's fresh answer
            return self.build(kind, answer, model)
        return None

    def replay(self, kind: str, source: Entry | Answer, model: str, include_usage: bool
               ) -> list[Any] | None:
        """The SDK chunk objects replaying a stored answer, or None if its data is unusable."""
        chunk_type = self._chunk_types[kind]
        name = _model_of(source, model)
        try:
            if kind == _CHAT:
                dicts = list(_wire.chat_chunks(source, name, chunk_chars=self.chunk_chars,
                                               include_usage=include_usage))
            else:
                dicts = list(_wire.completion_chunks(source, name, chunk_chars=self.chunk_chars))
                if include_usage and dicts:
                    last = dicts[-1]
                    dicts.append({**last, "choices": [], "usage": {
                        "prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}})
                # A streamed Completion has no finish reason until its last chunk, which its
                # type does not allow: check the stored data as a whole answer, then build the
                # chunks leniently, as the SDK itself does.
                self._types[kind].model_validate(_wire.completion(source, name))
                return [chunk_type.model_construct(**d) for d in dicts]
            return [chunk_type.model_validate(d) for d in dicts]
        except _DATA_ERRORS as exc:
            self._unusable(source, exc)
            return None

    def _unusable(self, source: Entry | Answer, exc: Exception) -> None:
        where = f"entry {source.id}" if isinstance(source, Entry) else "a shared answer"
        log.warning("stored answer (%s) cannot be replayed, calling upstream: %s", where, exc,
                    exc_info=exc)
        self.cache.metrics.fault("adapter_replay")

    def report(self, obj: Any, info: CacheInfo) -> Any:
        """Attach the cache info to a response or stream and tell ``on_lookup``."""
        _tag(obj, info)
        if self.on_lookup is not None:
            self.on_lookup(info)
        return obj

    def accumulator(self, kind: str) -> _SafeAccumulator:
        """A stream accumulator for ``kind`` whose faults are counted, never raised."""
        return _SafeAccumulator(kind, self.cache)


def _with_model(answer: Answer, model: object) -> Answer:
    # Keep the model name the upstream answered with (e.g. a dated snapshot) for replays.
    if not isinstance(model, str) or not model or answer.payload is None:
        return answer
    return Answer(answer.text, {**answer.payload, "model": model}, answer.prompt_tokens,
                  answer.completion_tokens, answer.cacheable)


def _model_of(source: Entry | Answer, requested: str) -> str:
    stored = (source.payload or {}).get("model")
    return stored if isinstance(stored, str) and stored else requested


def _include_usage(given: Mapping[str, Any]) -> bool:
    options = given.get("stream_options")
    return isinstance(options, Mapping) and bool(options.get("include_usage"))


class _SafeAccumulator:
    """A :class:`_wire.StreamAccumulator` that turns a fault into "do not store"."""

    def __init__(self, kind: str, cache: Cache) -> None:
        self._acc = _wire.StreamAccumulator(kind)
        self._cache = cache
        self._broken = False
        self._model: object = None

    def add(self, chunk: Any) -> None:
        """Fold one chunk in (a chunk that cannot be read marks the answer unstorable)."""
        if self._broken:
            return
        self._model = getattr(chunk, "model", None) or self._model
        try:
            self._acc.add(chunk)
        except _DATA_ERRORS as exc:  # the caller still gets every chunk; we just don't store
            log.warning("cannot fold a streamed chunk, the answer will not be cached: %s", exc,
                        exc_info=exc)
            self._cache.metrics.fault("adapter_stream")
            self._broken = True

    def answer(self) -> Answer | None:
        """The assembled answer if it may be stored, else None."""
        if self._broken:
            return None
        answer = self._acc.answer()
        return _with_model(answer, self._model) if answer.cacheable else None


# -- streams --------------------------------------------------------------------------------------


class _ReplayStream:
    """A cache hit as a ``Stream``-like iterator of SDK chunks."""

    def __init__(self, chunks: list[Any]) -> None:
        self._chunks = iter(chunks)
        self._closed = False

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        if self._closed:
            raise StopIteration
        return next(self._chunks)

    def close(self) -> None:
        """Stop the replay."""
        self._closed = True

    def __enter__(self) -> _ReplayStream:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class _RecordingStream:
    """The SDK's stream, passed through chunk by chunk; stored only if it ends normally."""

    def __init__(self, upstream: Any, acc: _SafeAccumulator,
                 on_end: Callable[[Answer], object]) -> None:
        self._upstream = upstream
        self._acc = acc
        self._on_end = on_end
        self._gen = self._run()

    def _run(self) -> Generator[Any, None, None]:
        for chunk in self._upstream:
            self._acc.add(chunk)
            yield chunk
        # Reached only when the upstream ended normally: not on close(), break or an error.
        answer = self._acc.answer()
        if answer is not None:
            self._on_end(answer)

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        return next(self._gen)

    def close(self) -> None:
        """Stop reading and release the upstream connection; nothing is stored."""
        self._gen.close()
        self._upstream.close()

    def __enter__(self) -> _RecordingStream:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        # the rest of the SDK stream (``response``, ...) as it is
        if name == "_upstream":  # not set yet (a half-built object): no recursion
            raise AttributeError(name)
        return getattr(self._upstream, name)


class _AsyncReplayStream:
    """A cache hit as an ``AsyncStream``-like iterator of SDK chunks."""

    def __init__(self, chunks: list[Any]) -> None:
        self._chunks = iter(chunks)
        self._closed = False

    def __aiter__(self) -> _AsyncReplayStream:
        return self

    async def __anext__(self) -> Any:
        if self._closed:
            raise StopAsyncIteration
        try:
            return next(self._chunks)
        except StopIteration:
            raise StopAsyncIteration from None

    async def close(self) -> None:
        """Stop the replay."""
        self._closed = True

    async def aclose(self) -> None:
        """Alias of :meth:`close`, as on the SDK's ``AsyncStream``."""
        await self.close()

    async def __aenter__(self) -> _AsyncReplayStream:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()


class _AsyncRecordingStream:
    """The SDK's async stream, passed through; stored only if it ends normally."""

    def __init__(self, upstream: Any, acc: _SafeAccumulator,
                 on_end: Callable[[Answer], Awaitable[object]]) -> None:
        self._upstream = upstream
        self._acc = acc
        self._on_end = on_end
        self._gen = self._run()

    async def _run(self) -> AsyncGenerator[Any, None]:
        async for chunk in self._upstream:
            self._acc.add(chunk)
            yield chunk
        answer = self._acc.answer()  # only after a normal end, as in the sync stream
        if answer is not None:
            await self._on_end(answer)

    def __aiter__(self) -> _AsyncRecordingStream:
        return self

    async def __anext__(self) -> Any:
        return await self._gen.__anext__()

    async def close(self) -> None:
        """Stop reading and release the upstream connection; nothing is stored."""
        await self._gen.aclose()
        await self._upstream.close()

    async def aclose(self) -> None:
        """Alias of :meth:`close`, as on the SDK's ``AsyncStream``."""
        await self.close()

    async def __aenter__(self) -> _AsyncRecordingStream:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    def __getattr__(self, name: str) -> Any:
        if name == "_upstream":
            raise AttributeError(name)
        return getattr(self._upstream, name)


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

    def __init__(self, inner: Any, adapter: _Adapter, kind: str) -> None:
        super().__init__(inner)
        self._adapter = adapter
        self._kind = kind

    def create(self, **kwargs: Any) -> Any:
        """The SDK's ``create``, answered from the cache when it can be."""
        adapter, kind = self._adapter, self._kind
        controls = _pop_controls(kwargs)
        upstream = self.__wrapped__.create
        given = adapter.given(kwargs)
        request = adapter.request(kind, given, controls)
        if request is None:
            return adapter.report(upstream(**kwargs),
                                  CacheInfo(HitKind.BYPASS, reason="request not cacheable"))
        if given.get("stream"):
            return self._stream(request, kwargs, given, controls)
        return self._plain(request, kwargs, given, controls)

    def _plain(self, request: CacheRequest, kwargs: dict[str, Any], given: Mapping[str, Any],
               controls: _Controls) -> Any:
        adapter, kind, cache = self._adapter, self._kind, self._adapter.cache
        responses: list[Any] = []

        def call() -> Answer:
            response = self.__wrapped__.create(**kwargs)
            responses.append(response)
            return adapter.answer_of(kind, response)

        answer, result = cache.get_or_call(request, call, lookup=not controls.skip_lookup,
                                           store=not controls.skip_store, ttl=controls.ttl)
        if responses:
            return adapter.report(responses[0], _info_of(result))
        built = adapter.build_served(kind, answer, result, given["model"])
        if built is not None:
            return adapter.report(built, _info_of(result))
        # The stored (or shared) answer is unusable: answer as if the cache were off; the fresh
        # answer replaces an exact entry.
        response = self.__wrapped__.create(**kwargs)
        fresh = adapter.answer_of(kind, response)
        if not controls.skip_store and fresh.cacheable:
            cache.store_answer(request, fresh, ttl=controls.ttl)
        return adapter.report(response, _UNUSABLE)

    def _stream(self, request: CacheRequest, kwargs: dict[str, Any], given: Mapping[str, Any],
                controls: _Controls) -> Any:
        adapter, kind, cache = self._adapter, self._kind, self._adapter.cache
        if controls.skip_lookup:
            info = CacheInfo(HitKind.BYPASS, reason="cache_skip_lookup")
        else:
            result = cache.lookup(request)
            info = _info_of(result)
            if result.hit and result.entry is not None:
                chunks = adapter.replay(kind, result.entry, given["model"], _include_usage(given))
                if chunks is not None:
                    return adapter.report(_ReplayStream(chunks), info)
                info = _UNUSABLE
        upstream = self.__wrapped__.create(**kwargs)

        def store(answer: Answer) -> None:
            if not controls.skip_store:
                cache.store_answer(request, answer, ttl=controls.ttl)

        return adapter.report(_RecordingStream(upstream, adapter.accumulator(kind), store), info)


class _AsyncResource(_Delegate):
    """``chat.completions`` or ``completions`` of an async client, with a cached ``create``."""

    def __init__(self, inner: Any, adapter: _Adapter, kind: str) -> None:
        super().__init__(inner)
        self._adapter = adapter
        self._kind = kind

    async def create(self, **kwargs: Any) -> Any:
        """The SDK's ``create``, answered from the cache when it can be (never blocks the loop)."""
        adapter, kind = self._adapter, self._kind
        controls = _pop_controls(kwargs)
        given = adapter.given(kwargs)
        request = adapter.request(kind, given, controls)
        if request is None:
            return adapter.report(await self.__wrapped__.create(**kwargs),
                                  CacheInfo(HitKind.BYPASS, reason="request not cacheable"))
        if given.get("stream"):
            return await self._stream(request, kwargs, given, controls)
        return await self._plain(request, kwargs, given, controls)

    async def _plain(self, request: CacheRequest, kwargs: dict[str, Any],
                     given: Mapping[str, Any], controls: _Controls) -> Any:
        adapter, kind, cache = self._adapter, self._kind, self._adapter.cache
        responses: list[Any] = []

        async def call() -> Answer:
            response = await self.__wrapped__.create(**kwargs)
            responses.append(response)
            return adapter.answer_of(kind, response)

        answer, result = await cache.aget_or_call(
            request, call, lookup=not controls.skip_lookup, store=not controls.skip_store,
            ttl=controls.ttl)
        if responses:
            return adapter.report(responses[0], _info_of(result))
        built = adapter.build_served(kind, answer, result, given["model"])
        if built is not None:
            return adapter.report(built, _info_of(result))
        response = await self.__wrapped__.create(**kwargs)  # as in the sync client
        fresh = adapter.answer_of(kind, response)
        if not controls.skip_store and fresh.cacheable:
            await cache.astore_answer(request, fresh, ttl=controls.ttl)
        return adapter.report(response, _UNUSABLE)

    async def _stream(self, request: CacheRequest, kwargs: dict[str, Any],
                      given: Mapping[str, Any], controls: _Controls) -> Any:
        adapter, kind, cache = self._adapter, self._kind, self._adapter.cache
        if controls.skip_lookup:
            info = CacheInfo(HitKind.BYPASS, reason="cache_skip_lookup")
        else:
            result = await cache.alookup(request)
            info = _info_of(result)
            if result.hit and result.entry is not None:
                chunks = adapter.replay(kind, result.entry, given["model"], _include_usage(given))
                if chunks is not None:
                    return adapter.report(_AsyncReplayStream(chunks), info)
                info = _UNUSABLE
        upstream = await self.__wrapped__.create(**kwargs)

        async def store(answer: Answer) -> None:
            if not controls.skip_store:
                await cache.astore_answer(request, answer, ttl=controls.ttl)

        return adapter.report(
            _AsyncRecordingStream(upstream, adapter.accumulator(kind), store), info)


# -- the clients ------------------------------------------------------------------------------


class _Chat(_Delegate):
    def __init__(self, inner: Any, completions: _Delegate) -> None:
        super().__init__(inner)
        self.completions = completions


class _Client(_Delegate):
    """What the sync and async wrapped clients share."""

    _resource: type[_SyncResource] | type[_AsyncResource]

    def __init__(self, client: Any, adapter: _Adapter) -> None:
        super().__init__(client)
        self._adapter = adapter
        self.chat = _Chat(client.chat, self._resource(client.chat.completions, adapter, _CHAT))
        self.completions = self._resource(client.completions, adapter, _COMPLETION)

    @property
    def gistcache(self) -> Cache:
        """The cache answering this client's calls."""
        return self._adapter.cache

    def with_options(self, **options: Any) -> Any:
        """The SDK's ``with_options`` (alias ``copy``), still cached."""
        return type(self)(self.__wrapped__.with_options(**options), self._adapter)

    copy = with_options


class CachedOpenAI(_Client):
    """An ``openai.OpenAI`` client whose completion calls go through a cache."""

    _resource = _SyncResource


class CachedAsyncOpenAI(_Client):
    """An ``openai.AsyncOpenAI`` client whose completion calls go through a cache."""

    _resource = _AsyncResource


def wrap(
    client: _C,
    cache: Cache | None = None,
    *,
    namespace: str | None = None,
    preprocess: str | None = None,
    on_lookup: Callable[[CacheInfo], object] | None = None,
    chunk_chars: int = 16,
) -> _C:
    """A cached drop-in for an ``openai.OpenAI`` or ``openai.AsyncOpenAI`` client.

    ``cache`` defaults to ``Cache()`` (the embedded default); ``namespace`` and ``preprocess``
    default to the cache's config; ``on_lookup`` is called with the :class:`CacheInfo` of every
    cached call; a streamed hit is replayed in chunks of about ``chunk_chars`` characters.
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
                       preprocess=preprocess, on_lookup=on_lookup, chunk_chars=chunk_chars)
    # Typed as the client it wraps: it answers every call that client does.
    return cast(_C, cls(client, adapter))
