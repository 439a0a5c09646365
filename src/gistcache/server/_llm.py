"""The cached LLM endpoints of the endpoint table, plain and streamed, over the one flow.

    request -> controls (headers) -> cache request -> lookup (with a deadline) -> Flow
        hit  -> the stored answer in the wire format (a stream is replayed in small chunks)
        miss -> upstream (identical requests of one caller coalesced) -> store -> upstream's bytes

A streamed miss is relayed chunk by chunk as it arrives and stored only when the upstream
finished it normally. Upstream errors are returned unchanged and never stored.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import httpx
from starlette.responses import Response, StreamingResponse

from .. import _trace
from .._cache import Cache
from .._coalesce import caller_id
from .._endpoints import EMBEDDINGS, BadBody, Endpoint, KeyOptions, upstream_id
from .._errors import InvalidRequest
from .._flow import Embeddings, Flow, Policy, Served, SSEDecoder
from .._types import CacheRequest, HitKind, Lookup
from ._http import ApiError, Controls, caller_key, parse_controls, parse_json_object
from ._observe import ServerStats
from ._upstream import Upstream, UpstreamError, passthrough_headers
from .settings import ServerSettings

__all__ = ["DEADLINE", "Gateway", "hit_headers", "timed_out"]

log = logging.getLogger("gistcache.server")

HEADER = "x-gistcache"
#: how a lookup that ran out of time is reported (its request then stores nothing: the store
#: would wait for the same slow part)
DEADLINE = "lookup deadline"


def timed_out(lookup: Lookup) -> bool:
    """True for the bypass of a lookup that missed its deadline."""
    return lookup.kind is HitKind.BYPASS and lookup.reason.startswith(DEADLINE)


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


class Gateway:
    """Answers the cached LLM endpoints from the cache or the upstream, through the one flow."""

    def __init__(self, cache: Cache, settings: ServerSettings, upstream: Upstream,
                 stats: ServerStats, anthropic: Upstream | None = None) -> None:
        self.cache = cache
        self.settings = settings
        #: the OpenAI-compatible upstream
        self.upstream = upstream
        self.stats = stats
        #: the upstream of each provider's endpoints
        self.upstreams = {"openai": upstream, "anthropic": anthropic or upstream}
        #: the upstream as the scope names it: entries of another upstream are never served
        self.upstream_scope = settings.upstream_scope or upstream_id(settings.upstream)
        self.scopes = {"openai": self.upstream_scope,
                       "anthropic": settings.anthropic_upstream_scope
                       or upstream_id(settings.anthropic_upstream)}
        self._server_keys = {"openai": settings.upstream_key,
                             "anthropic": settings.anthropic_upstream_key}

    # -- request parsing --------------------------------------------------------------------

    def controls(self, headers: Mapping[str, str]) -> Controls:
        """The caller's cache controls (400 on a bad header)."""
        return parse_controls(headers, default_namespace=self.cache.config.namespace,
                              namespace_from_key=self.settings.namespace_from_key)

    def key_options(self, controls: Controls, provider: str = "openai") -> KeyOptions:
        """How this server keys a caller's requests (to one provider's upstream)."""
        return KeyOptions(namespace=controls.namespace, preprocess=self.cache.config.preprocess,
                          min_similarity=controls.min_similarity, max_age=controls.max_age,
                          upstream=self.scopes[provider])

    def caller(self, headers: Mapping[str, str], provider: str = "openai") -> str:
        """The caller's identity for coalescing: a hash of the key its call is made with."""
        return caller_id(caller_key(headers) or self._server_keys[provider])

    def cache_request(self, endpoint: Endpoint, body: Mapping[str, Any], controls: Controls
                      ) -> CacheRequest | str:
        """The cache request of a body, or why this request cannot use the cache."""
        try:
            return endpoint.key(body, self.key_options(controls, endpoint.provider))
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

    async def begin(self, endpoint: Endpoint, body: Mapping[str, Any], controls: Controls,
                    headers: Mapping[str, str], *, keyed: Mapping[str, Any] | None = None
                    ) -> tuple[Flow, Lookup]:
        """The flow of one request and its lookup (under the deadline, or a bypass).

        ``keyed`` is what the request is keyed by when that is not the body (an audio file:
        hashed off the event loop).
        """
        if keyed is None:
            request = self.cache_request(endpoint, body, controls)
        else:
            request = await asyncio.to_thread(self.cache_request, endpoint, keyed, controls)
        if isinstance(request, str):
            lookup = Lookup(HitKind.BYPASS, reason=request)
            self.cache.metrics.count("bypasses")
        elif controls.no_cache:
            lookup = Lookup(HitKind.BYPASS, reason="Cache-Control: no-cache")
            self.cache.metrics.count("bypasses")
        else:
            lookup = await self.lookup(request)
        policy = Policy(lookup=not controls.no_cache, ttl=controls.ttl,
                        store=not controls.no_store and not timed_out(lookup))
        flow = Flow(self.cache, endpoint, None if isinstance(request, str) else request,
                    model=str(body.get("model", "")), body=body,
                    caller=self.caller(headers, endpoint.provider),
                    policy=policy, bypass=request if isinstance(request, str) else "")
        return flow, lookup

    # -- the full path --------------------------------------------------------------------

    async def handle(self, endpoint: Endpoint, headers: Mapping[str, str], raw: bytes
                     ) -> Response:
        """Answer one request of a cached endpoint with a JSON body."""
        start = time.perf_counter()
        try:
            body = parse_json_object(raw)
        except ApiError:
            self.stats.response(endpoint.path, "error", time.perf_counter() - start)
            raise
        return await self.serve(endpoint, headers, raw, body, start=start)

    async def serve(
        self, endpoint: Endpoint, headers: Mapping[str, str], raw: bytes,
        body: Mapping[str, Any], *, start: float, keyed: Mapping[str, Any] | None = None,
        content_type: str = "application/json", read: Callable[[httpx.Response], Any] | None
        = None, build: Callable[[dict[str, Any]], tuple[bytes, str]] | None = None,
    ) -> Response:
        """Answer a parsed request: check it, look it up, then replay, share or forward.

        ``raw`` is forwarded as it came (``content_type``); ``read`` turns the upstream's
        answer into plain data (default JSON), ``build`` a replayed response into (bytes,
        media type) (default JSON).
        """
        # the span of the whole request: the lookup's stages and the upstream call are its
        # children, the hit kind its attribute
        with _trace.request_span(endpoint.name, str(body.get("model", ""))):
            try:
                endpoint.check(body)
                controls = self.controls(headers)
            except BadBody as exc:
                self.stats.response(endpoint.path, "error", time.perf_counter() - start)
                raise ApiError(400, str(exc), param=exc.param) from None
            except ApiError:
                self.stats.response(endpoint.path, "error", time.perf_counter() - start)
                raise
            forward = self.upstreams[endpoint.provider].headers_for(headers, content_type)
            if endpoint is EMBEDDINGS:
                return await self._embeddings(body, controls, forward, start)
            flow, lookup = await self.begin(endpoint, body, controls, headers, keyed=keyed)
            try:
                if body.get("stream") is True:
                    return await self._stream(flow, lookup, raw, forward, start)
                return await self._plain(flow, lookup, raw, forward, start, read or _read_json,
                                         build or _json_response)
            except UpstreamError as exc:
                self.stats.response(endpoint.path, f"upstream-{exc.status}",
                                    time.perf_counter() - start)
                return Response(exc.body, status_code=exc.status,
                                headers={**exc.headers, **hit_headers(lookup)})

    async def _embeddings(self, body: Mapping[str, Any], controls: Controls,
                          forward: dict[str, str], start: float) -> Response:
        """An embeddings batch: cached items from the cache, the rest in one upstream call."""
        policy = Policy(lookup=not controls.no_cache, store=not controls.no_store,
                        ttl=controls.ttl)
        path = EMBEDDINGS.path
        try:
            batch = Embeddings(self.cache, body, self.key_options(controls), policy)
        except InvalidRequest as exc:
            response = await self._send(path, json.dumps(body).encode(), forward)
            lookup = Lookup(HitKind.BYPASS, reason=f"not cacheable: {exc}")
            self.stats.response(path, lookup.kind.value, time.perf_counter() - start)
            return Response(response.content, headers={**passthrough_headers(response.headers),
                                                       **hit_headers(lookup)})

        async def upstream(part: dict[str, Any]) -> httpx.Response:
            with _trace.upstream_span(EMBEDDINGS.name):
                return await self._send(path, json.dumps(part).encode(), forward)

        try:
            served = await batch.aembed(upstream, read=_read_json)
        except UpstreamError as exc:
            self.stats.response(path, f"upstream-{exc.status}", time.perf_counter() - start)
            return Response(exc.body, status_code=exc.status, headers=exc.headers)
        self.stats.response(path, served.lookup.kind.value, time.perf_counter() - start)
        _trace.set_hit_kind(_trace.current(), served.lookup.kind.value)
        return Response(json.dumps(served.value).encode(), media_type="application/json",
                        headers={**hit_headers(served.lookup),
                                 "x-gistcache-cached-inputs": served.lookup.reason.split()[0]})

    async def _send(self, path: str, raw: bytes, forward: dict[str, str], *,
                    stream: bool = False, provider: str = "openai") -> httpx.Response:
        """One upstream call; a non-200 answer is raised as an :class:`UpstreamError`."""
        response = await self.upstreams[provider].send("POST", path, content=raw,
                                                       headers=forward, stream=stream)
        if response.status_code != 200:
            try:
                content = await response.aread() if stream else response.content
            finally:
                if stream:
                    await response.aclose()
            raise UpstreamError(response.status_code, content,
                                passthrough_headers(response.headers))
        return response

    def _served(self, flow: Flow, served: Served[Any], start: float) -> str:
        """Account one answer; returns its outcome label."""
        outcome = HitKind.EXACT.value if served.origin == "shared" else served.lookup.kind.value
        _trace.set_hit_kind(_trace.current(), outcome)
        if served.origin == "cache" and served.lookup.entry is not None:
            self.stats.hit_entry(served.lookup.entry)
        self.stats.response(flow.endpoint.path, outcome, time.perf_counter() - start)
        return outcome

    async def _plain(self, flow: Flow, lookup: Lookup, raw: bytes, forward: dict[str, str],
                     start: float, read: Callable[[httpx.Response], Any],
                     build: Callable[[dict[str, Any]], tuple[bytes, str]]) -> Response:
        path, provider = flow.endpoint.path, flow.endpoint.provider

        async def upstream() -> httpx.Response:
            return await self._send(path, raw, forward, provider=provider)

        served = await flow.acall(upstream, build, read=read, looked=lookup)
        self._served(flow, served, start)
        response = served.value
        if isinstance(response, httpx.Response):
            return Response(response.content, status_code=response.status_code,
                            headers={**passthrough_headers(response.headers),
                                     **hit_headers(served.lookup)})
        headers = hit_headers(served.lookup)
        if served.origin == "shared":
            # another identical request of this caller was in flight: its answer is ours
            headers = {**hit_headers(Lookup(HitKind.EXACT)), "x-gistcache-coalesced": "1"}
        content, media_type = response
        return Response(content, media_type=media_type, headers=headers)

    async def _stream(self, flow: Flow, lookup: Lookup, raw: bytes, forward: dict[str, str],
                      start: float) -> Response:
        endpoint = flow.endpoint

        async def upstream() -> httpx.Response:
            return await self._send(endpoint.path, raw, forward, stream=True,
                                    provider=endpoint.provider)

        served = await flow.astream(upstream, lambda events: events, looked=lookup)
        self._served(flow, served, start)
        response = served.value
        if not isinstance(response, httpx.Response):
            return StreamingResponse(_sse(endpoint, response), media_type="text/event-stream",
                                     headers={**hit_headers(served.lookup),
                                              "cache-control": "no-cache"})
        return StreamingResponse(_relay(flow, response), status_code=200,
                                 headers={**passthrough_headers(response.headers),
                                          **hit_headers(served.lookup)})


def _json_response(data: dict[str, Any]) -> tuple[bytes, str]:
    return json.dumps(data).encode(), "application/json"


def _read_json(response: httpx.Response) -> Any:
    return json.loads(response.content)


async def _sse(endpoint: Endpoint, events: list[dict[str, Any]]) -> AsyncIterator[bytes]:
    for event in events:
        yield endpoint.sse(event)
    end = endpoint.sse_end()
    if end:
        yield end


async def _relay(flow: Flow, response: httpx.Response) -> AsyncIterator[bytes]:
    """Relay the upstream's bytes as they come; store the answer when the stream completes.

    The answer is stored before the end marker is passed on (once the client has the whole
    answer, the next identical request finds it). A stream that breaks off, or closes before
    its end marker, ends with an error event in the stream's own terms and is not stored.
    """
    endpoint = flow.endpoint
    decoder = SSEDecoder()
    recorder = flow.recorder()
    ended = False
    try:
        async for data in response.aiter_bytes():
            for event in decoder.feed(data):
                recorder.add(event)
            if decoder.failed:
                recorder.spoil()
            done = decoder.done if endpoint.done_marker is not None else recorder.complete
            if done and not ended:
                ended = True
                await recorder.afinish()
            yield data
        if not ended and not decoder.failed:
            log.warning("upstream stream of %s closed before its end", endpoint.path)
            yield endpoint.error_event("the upstream stream closed before it was complete",
                                       "upstream_stream_incomplete")
    except httpx.HTTPError as exc:
        # the upstream broke the stream off: tell the client in the stream's own terms
        log.warning("upstream stream of %s broke off: %s", endpoint.path, exc)
        yield endpoint.error_event(f"the upstream stream broke off: {type(exc).__name__}",
                                   "upstream_stream_error")
    finally:
        await response.aclose()
