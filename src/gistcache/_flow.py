"""The one request flow every front end calls: look up; on a hit replay the stored answer (as a
stream if asked); on a miss call the upstream, pass a stream through while accumulating it,
store the answer on a normal end; coalesce identical concurrent misses of one caller.

    flow = Flow(cache, CHAT, request, model=..., body=..., caller=caller_id(key))
    served = flow.call(upstream, build)            # plain, sync   (acall: async)
    served = flow.stream(upstream, build_events)   # streamed      (astream: async)

A front end supplies only its transport: ``upstream()`` makes its own call (raising its own
errors), ``build`` turns a replayed response (plain data) into its type, ``read`` turns its
upstream response into plain data. Everything else (lookup, replay, accumulation, the store
decision, coalescing, fault handling) happens here, once, for the SDK adapters, the GPTCache
adapter and the proxy server alike.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import struct
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
)
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar

from . import _trace
from ._cache import Answer, Cache
from ._endpoints import (
    Accumulator,
    Endpoint,
    KeyOptions,
    embedding_inputs,
    embedding_request,
)
from ._errors import GistcacheError
from ._types import CacheRequest, Entry, HitKind, Lookup

__all__ = [
    "DATA_ERRORS",
    "UNUSABLE",
    "AsyncRecordingStream",
    "AsyncReplayStream",
    "Embeddings",
    "Flow",
    "Policy",
    "Recorder",
    "RecordingStream",
    "ReplayStream",
    "SSEDecoder",
    "Served",
    "StreamIncomplete",
    "plain_data",
]

log = logging.getLogger("gistcache")

T = TypeVar("T")
R = TypeVar("R")

#: what stored or upstream data that is not in the expected shape raises (pydantic's
#: ValidationError is a ValueError): such data is a fault, never a crash of the caller's call
DATA_ERRORS = (ValueError, TypeError, KeyError, AttributeError)

#: how a call whose stored answer could not be replayed is reported (it went upstream)
UNUSABLE = Lookup(HitKind.MISS, reason="stored answer unusable")


class StreamIncomplete(GistcacheError):
    """The upstream's stream ended without its end (no finish reason, no closing event): the
    answer is partial. Raised where the stream ends; the partial answer is never stored."""


def _ended(recorder: Recorder) -> None:
    if not recorder.complete and not recorder.broken:
        recorder.flow.cache.metrics.fault("stream_incomplete")
        raise StreamIncomplete(f"the upstream's {recorder.flow.endpoint.name} stream ended "
                               "before its answer was complete")


@dataclass(frozen=True)
class Policy:
    """The caller's controls: look up at all, store the answer, and for how long."""

    lookup: bool = True
    store: bool = True
    ttl: float | None = None


@dataclass(frozen=True)
class Served(Generic[T]):
    """What a flow answered with, how it was looked up, and where the answer came from."""

    value: T
    lookup: Lookup
    #: "cache" (a stored answer), "shared" (a coalesced call's answer), "upstream" (own call)
    origin: str


def plain_data(obj: Any) -> Any:
    """An SDK object (pydantic) or plain data, as plain data."""
    if hasattr(obj, "model_dump"):
        return obj.model_dump(exclude_unset=False, exclude_none=True)
    return obj


def _with_model(answer: Answer, model: object) -> Answer:
    # Keep the model name the upstream answered with (e.g. a dated snapshot) for replays.
    if not isinstance(model, str) or not model or answer.payload is None:
        return answer
    return Answer(answer.text, {**answer.payload, "model": model}, answer.prompt_tokens,
                  answer.completion_tokens, answer.cacheable)


def _model_of(source: Entry | Answer, requested: str) -> str:
    stored = (source.payload or {}).get("model")
    return stored if isinstance(stored, str) and stored else requested


class Flow:
    """One request of one endpoint through one cache (``request`` None: not cacheable)."""

    def __init__(
        self,
        cache: Cache,
        endpoint: Endpoint,
        request: CacheRequest | None,
        *,
        model: str,
        body: Mapping[str, Any],
        caller: str = "",
        policy: Policy = Policy(),
        chunk_chars: int = 16,
        bypass: str = "request not cacheable",
    ) -> None:
        self.cache = cache
        self.endpoint = endpoint
        self.request = request
        self.model = model
        self.body = body
        self.caller = caller
        self.policy = policy
        self.chunk_chars = chunk_chars
        self.bypass = bypass

    # -- lookups --------------------------------------------------------------------------

    def _skip(self) -> Lookup | None:
        if self.request is None:
            self.cache.metrics.count("uncacheable")
            self.cache.metrics.count("bypasses")
            return Lookup(HitKind.BYPASS, reason=self.bypass)
        if not self.policy.lookup:
            self.cache.metrics.count("bypasses")
            return Lookup(HitKind.BYPASS, reason="lookup skipped")
        return None

    def lookup(self) -> Lookup:
        """The lookup of this request (a bypass when it is not cacheable or skipped)."""
        skip = self._skip()
        if skip is not None or self.request is None:
            return skip or Lookup(HitKind.BYPASS)
        return self.cache.lookup(self.request)

    async def alookup(self) -> Lookup:
        """Async :meth:`lookup`."""
        skip = self._skip()
        if skip is not None or self.request is None:
            return skip or Lookup(HitKind.BYPASS)
        return await self.cache.alookup(self.request)

    def keep(self, answer: Answer) -> None:
        """Store an answer the front end got by itself (LangChain calls its model itself)."""
        if self.request is None or not self.policy.store or not answer.cacheable:
            return
        keep = self._keep()
        if keep is not None:
            keep(self.request, answer, self.policy.ttl)
        else:
            self.cache.store_answer(self.request, answer, ttl=self.policy.ttl)

    async def akeep(self, answer: Answer) -> None:
        """Async :meth:`keep` (the store runs off the event loop)."""
        await asyncio.to_thread(self.keep, answer)

    # -- answers and replays --------------------------------------------------------------

    def answer_of(self, response: R, read: Callable[[R], Any] = plain_data) -> Answer:
        """The storable answer of an upstream response (not cacheable if unreadable)."""
        try:
            data = read(response)
            answer = self.endpoint.answer(data)
            model = data.get("model") if isinstance(data, Mapping) else None
        except DATA_ERRORS as exc:
            log.warning("cannot read the upstream %s response, not caching it: %s",
                        self.endpoint.name, exc)
            self.cache.metrics.fault("answer")
            return Answer("", cacheable=False)
        return _with_model(answer, model)

    def _unusable(self, source: Entry | Answer, exc: Exception) -> None:
        where = f"entry {source.id}" if isinstance(source, Entry) else "a shared answer"
        log.warning("stored answer (%s) cannot be replayed, calling upstream: %s", where, exc)
        self.cache.metrics.fault("replay")

    def respond(self, source: Entry | Answer, build: Callable[[dict[str, Any]], T]) -> T | None:
        """A stored (or shared) answer as the front end's response; None if unusable."""
        try:
            return build(self.endpoint.respond(source, _model_of(source, self.model)))
        except DATA_ERRORS as exc:
            self._unusable(source, exc)
            return None

    def replay(self, source: Entry | Answer, build: Callable[[list[dict[str, Any]]], T]
               ) -> T | None:
        """A stored answer as the front end's stream of events; None if unusable."""
        try:
            events = list(self.endpoint.events(source, _model_of(source, self.model), self.body,
                                               self.chunk_chars))
            return build(events)
        except DATA_ERRORS as exc:
            self._unusable(source, exc)
            return None

    # -- the upstream ---------------------------------------------------------------------

    def _up(self, upstream: Callable[[], R]) -> R:
        with _trace.upstream_span(self.endpoint.name):
            return upstream()

    async def _aup(self, upstream: Callable[[], Awaitable[R]]) -> R:
        with _trace.upstream_span(self.endpoint.name):
            return await upstream()

    # -- plain calls ----------------------------------------------------------------------

    def _keep(self) -> Callable[[CacheRequest, Answer, float | None], object] | None:
        keep = self.endpoint.keep
        if keep is None:
            return None
        cache, body = self.cache, self.body
        return lambda request, answer, ttl: keep(cache, request, body, answer, ttl)

    def call(
        self,
        upstream: Callable[[], R],
        build: Callable[[dict[str, Any]], T],
        *,
        read: Callable[[R], Any] = plain_data,
        looked: Lookup | None = None,
    ) -> Served[R | T]:
        """Answer a plain request: from the cache, a coalesced call, or ``upstream()``."""
        look = looked if looked is not None else self.lookup()
        if self.request is None:
            return Served(self._up(upstream), look, "upstream")
        if look.hit and look.entry is not None:
            built = self.respond(look.entry, build)
            if built is not None:
                return Served(built, look, "cache")
            look = UNUSABLE
        own: list[R] = []

        def ask() -> Answer:
            response = self._up(upstream)
            own.append(response)
            return self.answer_of(response, read)

        answer, got = self.cache.get_or_call(
            self.request, ask, lookup=False, store=self.policy.store, ttl=self.policy.ttl,
            caller=self.caller, keep=self._keep())
        if own:
            return Served(own[0], look, "upstream")
        shared = self.respond(answer, build)
        if shared is not None:
            return Served(shared, got, "shared")
        return Served(self._up(upstream), UNUSABLE, "upstream")

    async def acall(
        self,
        upstream: Callable[[], Awaitable[R]],
        build: Callable[[dict[str, Any]], T],
        *,
        read: Callable[[R], Any] = plain_data,
        looked: Lookup | None = None,
    ) -> Served[R | T]:
        """Async :meth:`call` (embedding and database work run off the event loop)."""
        look = looked if looked is not None else await self.alookup()
        if self.request is None:
            return Served(await self._aup(upstream), look, "upstream")
        if look.hit and look.entry is not None:
            built = self.respond(look.entry, build)
            if built is not None:
                return Served(built, look, "cache")
            look = UNUSABLE
        own: list[R] = []

        async def ask() -> Answer:
            response = await self._aup(upstream)
            own.append(response)
            return self.answer_of(response, read)

        answer, got = await self.cache.aget_or_call(
            self.request, ask, lookup=False, store=self.policy.store, ttl=self.policy.ttl,
            caller=self.caller, keep=self._keep())
        if own:
            return Served(own[0], look, "upstream")
        shared = self.respond(answer, build)
        if shared is not None:
            return Served(shared, got, "shared")
        return Served(await self._aup(upstream), UNUSABLE, "upstream")

    # -- streams --------------------------------------------------------------------------

    def stream(
        self,
        upstream: Callable[[], R],
        build: Callable[[list[dict[str, Any]]], T],
        *,
        looked: Lookup | None = None,
    ) -> Served[R | T]:
        """A streamed request: a hit replayed (built by ``build``), or the upstream's stream
        (origin "upstream") for the front end to pass through a :meth:`recorder`."""
        look = looked if looked is not None else self.lookup()
        if look.hit and look.entry is not None:
            replayed = self.replay(look.entry, build)
            if replayed is not None:
                return Served(replayed, look, "cache")
            look = UNUSABLE
        return Served(self._up(upstream), look, "upstream")

    async def astream(
        self,
        upstream: Callable[[], Awaitable[R]],
        build: Callable[[list[dict[str, Any]]], T],
        *,
        looked: Lookup | None = None,
    ) -> Served[R | T]:
        """Async :meth:`stream`."""
        look = looked if looked is not None else await self.alookup()
        if look.hit and look.entry is not None:
            replayed = self.replay(look.entry, build)
            if replayed is not None:
                return Served(replayed, look, "cache")
            look = UNUSABLE
        return Served(await self._aup(upstream), look, "upstream")

    def recorder(self) -> Recorder:
        """An accumulator for this request's streamed miss that stores it on a normal end."""
        return Recorder(self)


class Embeddings:
    """An embeddings batch: each input item cached exactly, the uncached ones fetched in one
    upstream call, the whole merged back in the request's order.

    Raises :class:`InvalidRequest` when the body cannot be keyed (the front end then passes
    the call through uncached).
    """

    def __init__(self, cache: Cache, body: Mapping[str, Any], options: KeyOptions,
                 policy: Policy = Policy()) -> None:
        self.cache = cache
        self.body = body
        self.policy = policy
        self.items = embedding_inputs(body)
        self.requests = [embedding_request(item, body, options) for item in self.items]
        self.format = "base64" if body.get("encoding_format") == "base64" else "float"

    def _found(self, looks: list[Lookup]) -> tuple[dict[str, Any], list[int]]:
        """The stored vectors by exact key, and the positions of the first of each missing."""
        found: dict[str, Any] = {}
        missing: list[int] = []
        for i, (request, look) in enumerate(zip(self.requests, looks, strict=True)):
            key = request.exact_key
            if key in found or any(self.requests[j].exact_key == key for j in missing):
                continue
            vector = _stored_vector(look, self.format)
            if vector is None:
                missing.append(i)
            else:
                found[key] = vector
        return found, missing

    def _skipped(self) -> list[Lookup]:
        self.cache.metrics.count("bypasses")
        return [Lookup(HitKind.BYPASS, reason="lookup skipped")] * len(self.requests)

    def _subset(self, missing: list[int]) -> dict[str, Any]:
        return {**self.body, "input": [self.items[i] for i in missing]}

    def _merge(self, found: dict[str, Any], missing: list[int], data: Any
               ) -> tuple[Served[dict[str, Any]], list[tuple[CacheRequest, Any]]]:
        """The response in the request's order, and the fresh vectors to store."""
        usage = {"prompt_tokens": 0, "total_tokens": 0}
        model = str(self.body.get("model", ""))
        fresh: list[tuple[CacheRequest, Any]] = []
        if missing:
            rows = sorted(data["data"], key=lambda row: row["index"])
            if len(rows) != len(missing):
                raise ValueError(f"{len(rows)} embeddings for {len(missing)} inputs")
            for i, row in zip(missing, rows, strict=True):
                found[self.requests[i].exact_key] = row["embedding"]
                fresh.append((self.requests[i], row["embedding"]))
            usage = {k: int((data.get("usage") or {}).get(k) or 0) for k in usage}
            model = str(data.get("model") or model)
        out = [{"object": "embedding", "index": i, "embedding": found[r.exact_key]}
               for i, r in enumerate(self.requests)]
        hits = len(self.requests) - len(missing)
        kind = HitKind.EXACT if not missing else HitKind.MISS
        look = Lookup(kind, reason=f"{hits} of {len(self.requests)} inputs cached")
        return Served({"object": "list", "data": out, "model": model, "usage": usage}, look,
                      "cache" if not missing else "upstream"), fresh

    def _store(self, fresh: list[tuple[CacheRequest, Any]]) -> None:
        if not self.policy.store:
            return
        for request, vector in fresh:
            payload = {"kind": "embedding", "format": self.format, "embedding": vector}
            self.cache.store_answer(request, Answer(f"[embedding of {request.key_text[:12]}]",
                                                    payload), ttl=self.policy.ttl)

    def embed(self, upstream: Callable[[dict[str, Any]], R],
              read: Callable[[R], Any] = plain_data) -> Served[dict[str, Any]]:
        """The merged response; ``upstream(body)`` is called with the uncached inputs only."""
        looks = [self.cache.lookup(r) for r in self.requests] if self.policy.lookup \
            else self._skipped()
        found, missing = self._found(looks)
        data = None
        if missing:
            with _trace.upstream_span("embeddings"):
                data = read(upstream(self._subset(missing)))
        served, fresh = self._merge(found, missing, data)
        self._store(fresh)
        return served

    async def aembed(self, upstream: Callable[[dict[str, Any]], Awaitable[R]],
                     read: Callable[[R], Any] = plain_data) -> Served[dict[str, Any]]:
        """Async :meth:`embed`."""
        if self.policy.lookup:
            looks = [await self.cache.alookup(r) for r in self.requests]
        else:
            looks = self._skipped()
        found, missing = self._found(looks)
        data = None
        if missing:
            with _trace.upstream_span("embeddings"):
                data = read(await upstream(self._subset(missing)))
        served, fresh = self._merge(found, missing, data)
        await asyncio.to_thread(self._store, fresh)
        return served


def _stored_vector(look: Lookup, fmt: str) -> Any:
    """The stored vector of a hit in the format asked for, or None."""
    if not look.hit or look.entry is None:
        return None
    payload = look.entry.payload or {}
    vector, stored = payload.get("embedding"), payload.get("format")
    if vector is None:
        return None
    if stored == fmt:
        return vector
    if fmt == "base64":  # floats -> little-endian float32, as the API encodes them
        return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
    raw = base64.b64decode(vector)
    return list(struct.unpack(f"<{len(raw) // 4}f", raw))


class Recorder:
    """Accumulates a streamed answer; stores it once, only if the stream ended normally.

    A chunk that cannot be read marks the answer unstorable (the caller still gets every chunk).
    """

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.acc: Accumulator = flow.endpoint.accumulator()
        self.broken = False
        self.finished = False
        self._model: object = None

    def spoil(self) -> None:
        """Mark the answer unstorable (the stream carried an error or unreadable data)."""
        self.broken = True

    def add(self, event: Any) -> None:
        """Fold one event (an SDK object or plain data) in."""
        if self.broken:
            return
        try:
            data = plain_data(event)
            self._model = data.get("model") or self._model
            self.acc.add(data)
        except DATA_ERRORS as exc:
            log.warning("cannot fold a streamed event, the answer will not be cached: %s", exc)
            self.flow.cache.metrics.fault("stream")
            self.broken = True

    @property
    def complete(self) -> bool:
        """True when the accumulated events make a whole answer."""
        return not self.broken and self.acc.complete

    def _storable(self) -> Answer | None:
        flow = self.flow
        if self.finished or self.broken or flow.request is None or not flow.policy.store:
            return None
        self.finished = True
        answer = self.acc.answer()
        return _with_model(answer, self._model) if answer.cacheable else None

    def finish(self) -> None:
        """The stream ended normally: store its answer (once) if it may be stored."""
        answer = self._storable()
        if answer is not None and self.flow.request is not None:
            self.flow.cache.store_answer(self.flow.request, answer, ttl=self.flow.policy.ttl)

    async def afinish(self) -> None:
        """Async :meth:`finish`."""
        answer = self._storable()
        if answer is not None and self.flow.request is not None:
            await self.flow.cache.astore_answer(self.flow.request, answer,
                                                ttl=self.flow.policy.ttl)


class SSEDecoder:
    """Reads server-sent-event bytes, split anywhere, into events (dicts).

    ``done`` is set by a ``[DONE]`` data line; ``failed`` by data that is not a JSON object or
    by an error event (such a stream is relayed, never stored).
    """

    def __init__(self) -> None:
        self.done = False
        self.failed = False
        self._buffer = b""
        self._data: list[bytes] = []

    def feed(self, data: bytes) -> list[dict[str, Any]]:
        """The events completed by these bytes."""
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        out: list[dict[str, Any]] = []
        for line in lines:
            line = line.rstrip(b"\r")
            if not line:
                event = self._dispatch()
                if event is not None:
                    out.append(event)
            elif line.startswith(b"data:"):
                self._data.append(line[5:].lstrip(b" "))
        return out

    def _dispatch(self) -> dict[str, Any] | None:
        if not self._data:
            return None
        payload, self._data = b"\n".join(self._data), []
        if payload.strip() == b"[DONE]":
            self.done = True
            return None
        try:
            event = json.loads(payload)
        except ValueError:
            self.failed = True
            return None
        if not isinstance(event, dict) or event.get("error") or event.get("type") == "error":
            self.failed = True
            return None
        return event


# -- stream objects for the SDK adapters --------------------------------------------------------


class ReplayStream:
    """A cache hit as a ``Stream``-like iterator of SDK events."""

    def __init__(self, events: list[Any]) -> None:
        self._events = iter(events)
        self._closed = False

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        if self._closed:
            raise StopIteration
        return next(self._events)

    def close(self) -> None:
        """Stop the replay."""
        self._closed = True

    def __enter__(self) -> ReplayStream:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class RecordingStream:
    """An SDK stream passed through event by event; stored only if it ends normally."""

    def __init__(self, upstream: Any, recorder: Recorder,
                 convert: Callable[[Any], Any] | None = None) -> None:
        self._upstream = upstream
        self._recorder = recorder
        self._convert = convert
        self._gen = self._run()

    def _run(self) -> Generator[Any, None, None]:
        for event in self._upstream:
            self._recorder.add(event)
            yield self._convert(event) if self._convert is not None else event
        # Reached only when the upstream ended: not on close(), break or an error.
        _ended(self._recorder)
        self._recorder.finish()

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        return next(self._gen)

    def close(self) -> None:
        """Stop reading and release the upstream connection; nothing is stored."""
        self._gen.close()
        close = getattr(self._upstream, "close", None)
        if callable(close):
            close()

    def __enter__(self) -> RecordingStream:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        # the rest of the SDK stream (``response``, ...) as it is
        if name == "_upstream":  # not set yet (a half-built object): no recursion
            raise AttributeError(name)
        return getattr(self._upstream, name)


class AsyncReplayStream:
    """A cache hit as an ``AsyncStream``-like iterator of SDK events."""

    def __init__(self, events: list[Any]) -> None:
        self._events = iter(events)
        self._closed = False

    def __aiter__(self) -> AsyncReplayStream:
        return self

    async def __anext__(self) -> Any:
        if self._closed:
            raise StopAsyncIteration
        try:
            return next(self._events)
        except StopIteration:
            raise StopAsyncIteration from None

    async def close(self) -> None:
        """Stop the replay."""
        self._closed = True

    async def aclose(self) -> None:
        """Alias of :meth:`close`, as on the SDK's ``AsyncStream``."""
        await self.close()

    async def __aenter__(self) -> AsyncReplayStream:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()


class AsyncRecordingStream:
    """An SDK async stream passed through; stored only if it ends normally."""

    def __init__(self, upstream: Any, recorder: Recorder,
                 convert: Callable[[Any], Any] | None = None,
                 on_close: Callable[[], Awaitable[object]] | None = None) -> None:
        self._upstream = upstream
        self._recorder = recorder
        self._convert = convert
        self._on_close = on_close
        self._gen = self._run()

    async def _run(self) -> AsyncGenerator[Any, None]:
        async for event in self._upstream:
            self._recorder.add(event)
            yield self._convert(event) if self._convert is not None else event
        _ended(self._recorder)  # only after the upstream ended, as in the sync stream
        await self._recorder.afinish()

    def __aiter__(self) -> AsyncIterator[Any]:
        return self

    async def __anext__(self) -> Any:
        return await self._gen.__anext__()

    async def close(self) -> None:
        """Stop reading and release the upstream connection; nothing is stored."""
        await self._gen.aclose()
        close = getattr(self._upstream, "close", None)
        if callable(close):
            await close()
        if self._on_close is not None:
            await self._on_close()

    async def aclose(self) -> None:
        """Alias of :meth:`close`, as on the SDK's ``AsyncStream``."""
        await self.close()

    async def __aenter__(self) -> AsyncRecordingStream:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    def __getattr__(self, name: str) -> Any:
        if name == "_upstream":
            raise AttributeError(name)
        return getattr(self._upstream, name)
