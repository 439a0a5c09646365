"""The cached LLM endpoints: chat completions and legacy completions, plain and streamed.

    request -> controls (headers) -> cache request -> lookup (with a deadline)
        hit  -> the stored answer in the wire format (a stream is replayed in small chunks)
        miss -> upstream (identical requests in flight coalesced) -> store -> upstream's bytes

A streamed miss is relayed chunk by chunk as it arrives and stored only when the upstream
finished it normally. Upstream errors are returned unchanged and never stored.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.responses import Response, StreamingResponse

from .._cache import Answer, Cache
from .._errors import InvalidRequest
from .._types import CacheRequest, Entry, HitKind, Lookup
from .._wire import (
    StreamAccumulator,
    answer_from_chat,
    answer_from_completion,
    chat_chunks,
    chat_completion,
    completion,
    completion_chunks,
)
from ..requests import chat_request, completion_request
from ._http import ApiError, Controls, error_json, parse_controls, parse_json_object
from ._observe import ServerStats
from ._upstream import Upstream, UpstreamError, passthrough_headers
from .settings import ServerSettings

__all__ = ["CHAT", "COMPLETION", "DEADLINE", "Gateway", "Kind", "hit_headers", "timed_out"]

log = logging.getLogger("gistcache.server")

HEADER = "x-gistcache"
#: how a lookup that ran out of time is reported (its request then stores nothing: the store
#: would wait for the same slow part)
DEADLINE = "lookup deadline"


def timed_out(lookup: Lookup) -> bool:
    """True for the bypass of a lookup that missed its deadline."""
    return lookup.kind is HitKind.BYPASS and lookup.reason.startswith(DEADLINE)


@dataclass(frozen=True)
class Kind:
    """One cached endpoint and its wire format."""

    name: str
    path: str
    answer_from: Callable[[Any], Answer]
    respond: Callable[[Entry | Answer, str], dict[str, Any]]


def _chat_respond(answer: Entry | Answer, model: str) -> dict[str, Any]:
    return chat_completion(answer, model)


CHAT = Kind("chat", "/v1/chat/completions", answer_from_chat, _chat_respond)
COMPLETION = Kind("completion", "/v1/completions", answer_from_completion, completion)


def _ascii(text: str, limit: int = 200) -> str:
    # header values must be latin-1 and one line; reasons are for humans debugging
    return " ".join(text.encode("ascii", "replace").decode().split())[:limit]


def hit_headers(lookup: Lookup) -> dict[str, str]:
    """The x-gistcache headers describing how a request was answered."""
    # which worker answered: for operators (and tests) of multi-worker servers
    headers = {HEADER: lookup.kind.value, "x-gistcache-worker": str(os.getpid())}
    if lookup.entry is not None and lookup.hit:
        headers["x-gistcache-entry"] = str(lookup.entry.id)
    if lookup.kind is HitKind.SEMANTIC and lookup.similarity is not None:
        headers["x-gistcache-similarity"] = f"{lookup.similarity:.4f}"
    if lookup.kind is HitKind.BYPASS and lookup.reason:
        headers["x-gistcache-reason"] = _ascii(lookup.reason)
    return headers


def _validate(kind: Kind, body: Mapping[str, Any]) -> None:
    """The structural checks whose failure is the caller's error (400), not a cache bypass."""
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise ApiError(400, "'model' must be a non-empty string", param="model")
    if kind is CHAT:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise ApiError(400, "'messages' must be a non-empty list of message objects",
                           param="messages")
        for i, message in enumerate(messages):
            if not isinstance(message, dict) or not isinstance(message.get("role"), str):
                raise ApiError(400, f"messages[{i}] must be an object with a string 'role'",
                               param="messages")
    elif not isinstance(body.get("prompt"), (str, list)):
        raise ApiError(400, "'prompt' must be a string or a list", param="prompt")
    stream = body.get("stream")
    if stream is not None and not isinstance(stream, bool):
        raise ApiError(400, f"'stream' must be true or false, got {stream!r}", param="stream")
    temperature = body.get("temperature")
    if temperature is not None and (
        isinstance(temperature, bool) or not isinstance(temperature, (int, float))
        or not 0 <= temperature <= 2
    ):
        raise ApiError(400, f"'temperature' must be a number in [0, 2], got {temperature!r}",
                       param="temperature")


async def _sse(events: Iterator[dict[str, Any]]) -> AsyncIterator[bytes]:
    for event in events:
        yield b"data: " + json.dumps(event).encode() + b"\n\n"
    yield b"data: [DONE]\n\n"


class _SSEReader:
    """Follows a relayed event stream: folds chunks into an answer, notices [DONE]."""

    def __init__(self, kind: str) -> None:
        self.acc = StreamAccumulator(kind)
        self.done = False
        self.failed = False
        self._buffer = b""
        self._data: list[bytes] = []

    def feed(self, data: bytes) -> None:
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            line = line.rstrip(b"\r")
            if not line:
                self._dispatch()
            elif line.startswith(b"data:"):
                self._data.append(line[5:].lstrip(b" "))

    def _dispatch(self) -> None:
        if not self._data:
            return
        payload, self._data = b"\n".join(self._data), []
        if payload.strip() == b"[DONE]":
            self.done = True
            return
        try:
            event = json.loads(payload)
        except ValueError:
            self.failed = True  # not a stream we understand: relay it, never store it
            return
        if not isinstance(event, dict) or event.get("error"):
            self.failed = True
            return
        try:
            self.acc.add(event)
        except (AttributeError, TypeError, KeyError):
            self.failed = True


class Gateway:
    """Answers the cached LLM endpoints from the cache or the upstream."""

    def __init__(self, cache: Cache, settings: ServerSettings, upstream: Upstream,
                 stats: ServerStats) -> None:
        self.cache = cache
        self.settings = settings
        self.upstream = upstream
        self.stats = stats

    # -- request parsing --------------------------------------------------------------------

    def controls(self, headers: Mapping[str, str]) -> Controls:
        """The caller's cache controls (400 on a bad header)."""
        return parse_controls(headers, default_namespace=self.cache.config.namespace,
                              namespace_from_key=self.settings.namespace_from_key)

    def cache_request(self, kind: Kind, body: Mapping[str, Any], controls: Controls
                      ) -> CacheRequest | str:
        """The cache request of a body, or why this request cannot use the cache."""
        try:
            if kind is CHAT:
                return chat_request(body, namespace=controls.namespace,
                                    preprocess=self.cache.config.preprocess,
                                    min_similarity=controls.min_similarity,
                                    max_age=controls.max_age)
            return completion_request(body, namespace=controls.namespace,
                                      min_similarity=controls.min_similarity,
                                      max_age=controls.max_age)
        except InvalidRequest as exc:
            # valid for the API perhaps, but not something the cache can key: forward it
            return f"not cacheable: {exc}"

    # -- lookup ---------------------------------------------------------------------------

    async def lookup(self, request: CacheRequest) -> Lookup:
        """A lookup that takes at most ``embed_deadline`` seconds; past it, a bypass."""
        if request.temperature == 0 and self.cache.exact_lookup(request) is not None:
            return await self.cache.alookup(request)  # from memory: no thread, no deadline
        deadline = self.settings.embed_deadline
        try:
            return await asyncio.wait_for(self.cache.alookup(request), deadline)
        except TimeoutError:
            # the embedder or the store is too slow right now: answer without the cache
            log.warning("cache lookup took longer than %.3g s: serving as a bypass", deadline)
            self.cache.metrics.count("bypasses")
            self.cache.metrics.fault("lookup_deadline")
            return Lookup(HitKind.BYPASS, reason=f"{DEADLINE} of {deadline:g} s exceeded")

    def _hit_bytes(self, kind: Kind, body: Mapping[str, Any], lookup: Lookup, start: float
                   ) -> tuple[bytes, dict[str, str]]:
        assert lookup.entry is not None
        data = json.dumps(kind.respond(lookup.entry, str(body["model"]))).encode()
        self.stats.hit_entry(lookup.entry)
        self.stats.response(kind.path, lookup.kind.value, time.perf_counter() - start)
        return data, hit_headers(lookup)

    # -- the full path --------------------------------------------------------------------

    async def handle(self, kind: Kind, headers: Mapping[str, str], raw: bytes) -> Response:
        """Answer one request of a cached endpoint."""
        start = time.perf_counter()
        try:
            body = parse_json_object(raw)
            _validate(kind, body)
            controls = self.controls(headers)
        except ApiError:
            self.stats.response(kind.path, "error", time.perf_counter() - start)
            raise
        request = self.cache_request(kind, body, controls)
        if isinstance(request, str):
            lookup = Lookup(HitKind.BYPASS, reason=request)
            self.cache.metrics.count("bypasses")
        elif controls.no_cache:
            lookup = Lookup(HitKind.BYPASS, reason="Cache-Control: no-cache")
            self.cache.metrics.count("bypasses")
        else:
            lookup = await self.lookup(request)
        stream = body.get("stream") is True
        model = str(body["model"])
        if lookup.hit and lookup.entry is not None:
            if not stream:
                data, hdrs = self._hit_bytes(kind, body, lookup, start)
                return Response(data, media_type="application/json", headers=hdrs)
            self.stats.hit_entry(lookup.entry)
            self.stats.response(kind.path, lookup.kind.value, time.perf_counter() - start)
            return StreamingResponse(_sse(self._replay(kind, lookup.entry, model, body)),
                                     media_type="text/event-stream",
                                     headers={**hit_headers(lookup), "cache-control": "no-cache"})
        cacheable = None if isinstance(request, str) else request
        store = cacheable is not None and not controls.no_store and not timed_out(lookup)
        forward = self.upstream.headers_for(headers, "application/json")
        if stream:
            return await self._stream_miss(kind, raw, forward, cacheable, store, controls,
                                           lookup, start)
        return await self._call_miss(kind, raw, forward, cacheable, store, controls, lookup,
                                     model, start)

    @staticmethod
    def _replay(kind: Kind, entry: Entry, model: str, body: Mapping[str, Any]
                ) -> Iterator[dict[str, Any]]:
        if kind is CHAT:
            options = body.get("stream_options")
            usage = isinstance(options, dict) and bool(options.get("include_usage"))
            return chat_chunks(entry, model, include_usage=usage)
        return completion_chunks(entry, model)

    async def _call_miss(
        self, kind: Kind, raw: bytes, forward: dict[str, str], request: CacheRequest | None,
        store: bool, controls: Controls, lookup: Lookup, model: str, start: float,
    ) -> Response:
        got: list[httpx.Response] = []

        async def call() -> Answer:
            response = await self.upstream.send("POST", kind.path, content=raw, headers=forward)
            if response.status_code != 200:
                raise UpstreamError(response.status_code, response.content,
                                    passthrough_headers(response.headers))
            got.append(response)
            try:
                return kind.answer_from(json.loads(response.content))
            except (ValueError, AttributeError, TypeError, KeyError) as exc:
                log.warning("upstream answer of %s is not in the expected shape, not cached: "
                            "%s", kind.path, exc)
                return Answer("", cacheable=False)

        outcome = lookup.kind.value
        try:
            if request is None:
                answer = await call()
            else:
                answer, _ = await self.cache.aget_or_call(request, call, lookup=False,
                                                          store=store, ttl=controls.ttl)
        except UpstreamError as exc:
            self.stats.response(kind.path, f"upstream-{exc.status}", time.perf_counter() - start)
            return Response(exc.body, status_code=exc.status,
                            headers={**exc.headers, **hit_headers(lookup)})
        if got:
            response = got[0]
            self.stats.response(kind.path, outcome, time.perf_counter() - start)
            return Response(response.content, status_code=response.status_code,
                            headers={**passthrough_headers(response.headers),
                                     **hit_headers(lookup)})
        # another identical request was in flight: its answer is ours, no upstream call made
        self.stats.response(kind.path, HitKind.EXACT.value, time.perf_counter() - start)
        data = json.dumps(kind.respond(answer, model)).encode()
        return Response(data, media_type="application/json",
                        headers={**hit_headers(Lookup(HitKind.EXACT)),
                                 "x-gistcache-coalesced": "1"})

    async def _stream_miss(
        self, kind: Kind, raw: bytes, forward: dict[str, str], request: CacheRequest | None,
        store: bool, controls: Controls, lookup: Lookup, start: float,
    ) -> Response:
        outcome = lookup.kind.value
        response = await self.upstream.send("POST", kind.path, content=raw, headers=forward,
                                            stream=True)
        if response.status_code != 200:
            try:
                content = await response.aread()
            finally:
                await response.aclose()
            self.stats.response(kind.path, f"upstream-{response.status_code}",
                                time.perf_counter() - start)
            return Response(content, status_code=response.status_code,
                            headers={**passthrough_headers(response.headers),
                                     **hit_headers(lookup)})
        self.stats.response(kind.path, outcome, time.perf_counter() - start)
        relay = self._relay(kind, response, request if store else None, controls.ttl)
        return StreamingResponse(relay, status_code=200,
                                 headers={**passthrough_headers(response.headers),
                                          **hit_headers(lookup)})

    async def _relay(self, kind: Kind, response: httpx.Response, request: CacheRequest | None,
                     ttl: float | None) -> AsyncIterator[bytes]:
        reader = _SSEReader(kind.name)
        stored = False
        try:
            async for data in response.aiter_bytes():
                reader.feed(data)
                if reader.done and not stored and request is not None and not reader.failed:
                    # store before passing [DONE] on: once the client has the whole answer,
                    # the next identical request finds it
                    stored = True
                    answer = reader.acc.answer()
                    if answer.cacheable:
                        await self.cache.astore_answer(request, answer, ttl=ttl)
                yield data
        except httpx.HTTPError as exc:
            # the upstream broke the stream off: tell the client in the stream's own terms
            log.warning("upstream stream of %s broke off: %s", kind.path, exc)
            yield b"data: " + error_json(
                f"the upstream stream broke off: {type(exc).__name__}",
                "upstream_error", code="upstream_stream_error") + b"\n\n"
        finally:
            await response.aclose()
