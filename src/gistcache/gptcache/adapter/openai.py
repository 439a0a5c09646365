"""The legacy OpenAI call shape of GPTCache's adapter, on the modern ``openai`` SDK.

``ChatCompletion.create(model=..., messages=[...])`` returns a plain dict, so the seed's
``response['choices'][0]['message']['content']`` works; with ``stream=True`` it returns an
iterator of chunk dicts. ``acreate`` is the async pair. ``Completion``, ``Image`` and
``Audio.transcribe/translate`` follow the same pattern. A cached answer carries
``"gptcache": True``. On a miss the upstream is called through ``openai.OpenAI`` with the key
from ``api_key`` (set it, or call ``cache.set_openai_key()``) or ``OPENAI_API_KEY``, and the
base URL from ``api_base`` or ``OPENAI_BASE_URL``.

Extra keyword arguments, as in GPTCache: ``cache_obj`` (which cache), ``cache_skip=True``
(call the model, store its answer), ``cache_context``; and the legacy per-call ``api_key``,
``api_base``, ``organization`` and ``request_timeout``, and ``max_retries`` (the SDK's
retries of a failed call, 2 by default). A request the cache cannot key (for
instance one without a user message) is sent upstream uncached rather than refused.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..._cache import Answer
from ..._cache import Cache as NativeCache
from ..._coalesce import caller_id
from ..._endpoints import (
    CHAT,
    COMPLETION,
    IMAGES,
    TRANSCRIPTIONS,
    TRANSLATIONS,
    Endpoint,
    KeyOptions,
    upstream_id,
    with_upstream,
)
from ..._errors import InvalidRequest, require
from ..._flow import AsyncRecordingStream, Flow, Policy, RecordingStream
from ..._types import CacheRequest, Entry
from ...media import AudioFile, ImageCache
from ..core import Cache, cache

__all__ = ["Audio", "ChatCompletion", "Completion", "Image", "api_base", "api_key"]

log = logging.getLogger("gistcache")

#: the upstream API key (legacy ``openai.api_key``); None = the ``OPENAI_API_KEY`` variable
api_key: str | None = None
#: the upstream base URL (legacy ``openai.api_base``); None = ``OPENAI_BASE_URL`` or OpenAI
api_base: str | None = None

#: the key a cached answer carries, as GPTCache's did
HIT_KEY = "gptcache"
#: the upstream when neither ``api_base`` nor ``OPENAI_BASE_URL`` names one
_OPENAI = "https://api.openai.com/v1"


@dataclass
class _Call:
    """The cache controls and client settings taken out of a call's keyword arguments."""

    cache: Cache
    skip: bool
    context: Mapping[str, Any] | None
    key: str | None
    base: str | None
    organization: str | None
    retries: int | None = None

    @classmethod
    def take(cls, kwargs: dict[str, Any]) -> _Call:
        obj = kwargs.pop("cache_obj", None) or cache
        if not isinstance(obj, Cache):
            raise InvalidRequest(f"cache_obj must be a gistcache.gptcache.Cache, got "
                                 f"{type(obj).__name__}")
        kwargs.pop("cache_factor", None)  # GPTCache's threshold scaling: thresholds are fixed
        timeout = kwargs.pop("request_timeout", None)
        if timeout is not None:
            kwargs.setdefault("timeout", timeout)
        return cls(
            cache=obj,
            skip=bool(kwargs.pop("cache_skip", False)),
            context=kwargs.pop("cache_context", None),
            key=kwargs.pop("api_key", None) or api_key,
            base=kwargs.pop("api_base", None) or api_base,
            organization=kwargs.pop("organization", None),
            retries=kwargs.pop("max_retries", None),
        )

    def enabled(self, kwargs: Mapping[str, Any]) -> bool:
        return self.cache.enabled(**kwargs)


# -- upstream clients ---------------------------------------------------------------------------

_CLIENTS: OrderedDict[tuple[str, str, str, int | None], Any] = OrderedDict()
_CLIENTS_LOCK = threading.Lock()


def _openai() -> Any:
    return require("openai", feature="the GPTCache-style OpenAI adapter", extra="openai")


def _client(call: _Call) -> Any:
    """A shared sync client per (key, base URL, organization); the key is kept only there."""
    digest = hashlib.sha256((call.key or "").encode()).hexdigest()
    ident = (digest, call.base or "", call.organization or "", call.retries)
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(ident)
        if client is not None:
            _CLIENTS.move_to_end(ident)
            return client
    client = _openai().OpenAI(api_key=call.key, base_url=call.base,
                              organization=call.organization, **_retries(call))
    with _CLIENTS_LOCK:
        _CLIENTS[ident] = client
        while len(_CLIENTS) > 8:
            _CLIENTS.popitem(last=False)[1].close()
    return client


def _async_client(call: _Call) -> Any:
    # One per call: an async client is bound to the event loop that first used it.
    return _openai().AsyncOpenAI(api_key=call.key, base_url=call.base,
                                 organization=call.organization, **_retries(call))


def _retries(call: _Call) -> dict[str, int]:
    return {} if call.retries is None else {"max_retries": call.retries}


def _plain(obj: Any) -> Any:
    """An SDK response as the plain JSON data the server sent."""
    if hasattr(obj, "model_dump"):
        return obj.model_dump(exclude_unset=True)
    return obj


def _hit(data: dict[str, Any]) -> dict[str, Any]:
    data[HIT_KEY] = True
    return data


# -- chat and completions ----------------------------------------------------------------------


def _resource(endpoint: Endpoint, client: Any) -> Any:
    return client.chat.completions if endpoint is CHAT else client.completions


def _key(endpoint: Endpoint, call: _Call, kwargs: Mapping[str, Any]) -> CacheRequest:
    """The cache request of a call, keyed by the cache's own pre-processor for chat."""
    if endpoint is CHAT:
        return call.cache.chat_request(kwargs, call.context)
    if endpoint is COMPLETION:
        return call.cache.completion_request(kwargs, call.context)
    return endpoint.key_of(kwargs, KeyOptions(namespace=call.cache.native.config.namespace))


def _upstream(call: _Call) -> str:
    return upstream_id(call.base or os.environ.get("OPENAI_BASE_URL") or _OPENAI)


def _caller(call: _Call) -> str:
    return caller_id(call.key or os.environ.get("OPENAI_API_KEY"))


def _flow(endpoint: Endpoint, call: _Call, kwargs: Mapping[str, Any]) -> Flow:
    """The flow of one call; its request is None when this call is not to be cached."""
    request: CacheRequest | None = None
    if call.enabled(kwargs):
        try:
            request = with_upstream(_key(endpoint, call, kwargs), _upstream(call))
        except InvalidRequest as exc:
            # Not something the cache can key; the upstream judges whether it is valid.
            log.debug("request not cached: %s", exc)
    return Flow(call.cache.native, endpoint, request, model=str(kwargs.get("model", "")),
                body=kwargs, caller=_caller(call), policy=Policy(lookup=not call.skip))


def _hits(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [_hit(e) for e in events]


def _create(endpoint: Endpoint, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if args:
        raise TypeError(f"{endpoint.name} create() takes keyword arguments only")
    call = _Call.take(kwargs)
    flow = _flow(endpoint, call, kwargs)

    def upstream() -> Any:
        response = _resource(endpoint, _client(call)).create(**kwargs)
        return response if kwargs.get("stream") else _plain(response)

    if kwargs.get("stream"):
        served = flow.stream(upstream, _hits)
        if served.origin == "cache":
            return iter(served.value)
        return _relay(RecordingStream(served.value, flow.recorder(), convert=_plain))
    return flow.call(upstream, _hit, read=lambda data: data).value


def _relay(stream: RecordingStream) -> Iterator[dict[str, Any]]:
    """Pass the upstream's chunks on (stored only if the stream finished), then close it."""
    with stream:
        yield from stream


async def _acreate(endpoint: Endpoint, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if args:
        raise TypeError(f"{endpoint.name} acreate() takes keyword arguments only")
    call = _Call.take(kwargs)
    flow = _flow(endpoint, call, kwargs)
    if kwargs.get("stream"):
        client = _async_client(call)

        async def open_stream() -> Any:
            try:
                return await _resource(endpoint, client).create(**kwargs)
            except BaseException:
                await client.close()
                raise

        served = await flow.astream(open_stream, _hits)
        if served.origin == "cache":
            await client.close()
            return _replay(served.value)
        return _arelay(AsyncRecordingStream(served.value, flow.recorder(), convert=_plain,
                                            on_close=client.close))

    async def upstream() -> Any:
        async with _async_client(call) as client:
            return _plain(await _resource(endpoint, client).create(**kwargs))

    return (await flow.acall(upstream, _hit, read=lambda data: data)).value


async def _replay(chunks: list[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    for chunk in chunks:
        yield chunk


async def _arelay(stream: AsyncRecordingStream) -> AsyncIterator[dict[str, Any]]:
    async with stream:
        async for chunk in stream:
            yield chunk


class ChatCompletion:
    """``openai.ChatCompletion`` of the legacy SDK, cached."""

    @classmethod
    def create(cls, *args: Any, **kwargs: Any) -> Any:
        """A ``chat.completion`` dict, or an iterator of chunk dicts when ``stream=True``."""
        return _create(CHAT, args, kwargs)

    @classmethod
    async def acreate(cls, *args: Any, **kwargs: Any) -> Any:
        """Async :meth:`create`; with ``stream=True`` an async iterator of chunk dicts."""
        return await _acreate(CHAT, args, kwargs)


class Completion:
    """``openai.Completion`` of the legacy SDK, cached (the prompt is the key text)."""

    @classmethod
    def create(cls, *args: Any, **kwargs: Any) -> Any:
        """A ``text_completion`` dict, or an iterator of chunk dicts when ``stream=True``."""
        return _create(COMPLETION, args, kwargs)

    @classmethod
    async def acreate(cls, *args: Any, **kwargs: Any) -> Any:
        """Async :meth:`create`."""
        return await _acreate(COMPLETION, args, kwargs)


# -- images and audio ---------------------------------------------------------------------------


class Image:
    """``openai.Image`` of the legacy SDK: generated images cached as bytes, by prompt.

    A hit in ``url`` format points at the stored file (``file://``), never at the upstream's
    URL, which expires.
    """

    @classmethod
    def create(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """An ``ImagesResponse`` dict."""
        if args:
            raise TypeError("Image.create() takes keyword arguments only")
        call = _Call.take(kwargs)
        images = ImageCache(call.cache.native, call.cache.objects)
        fmt: Literal["b64_json", "url"] = \
            "b64_json" if kwargs.get("response_format") == "b64_json" else "url"

        def respond(source: Entry | Answer, model: str) -> dict[str, Any]:
            payload = source.payload or {}
            keys = payload.get("images")
            if not isinstance(keys, list):  # a coalesced call's answer: the upstream's JSON
                return IMAGES.respond(source, model)
            revised = payload.get("revised_prompts")
            return images.response(keys, response_format=fmt, revised_prompts=revised
                                   if isinstance(revised, list) else None)

        def keep(cache: NativeCache, key: CacheRequest, body: Mapping[str, Any],
                 answer: Answer, ttl: float | None) -> None:
            images.store_response(body, (answer.payload or {}).get("response"),
                                  namespace=key.scope.namespace, request=key)

        flow = _flow(dataclasses.replace(IMAGES, respond=respond, keep=keep), call, kwargs)

        def upstream() -> dict[str, Any]:
            data: dict[str, Any] = _plain(_client(call).images.generate(**kwargs))
            return data

        result: dict[str, Any] = flow.call(upstream, _hit, read=lambda data: data).value
        return result


class Audio:
    """``openai.Audio`` of the legacy SDK: transcriptions cached by the exact audio bytes."""

    @classmethod
    def transcribe(cls, model: str, file: AudioFile, **kwargs: Any) -> dict[str, Any]:
        """A transcription dict (``{"text": ...}``, or the verbose JSON)."""
        return _audio("transcriptions", model, file, kwargs)

    @classmethod
    def translate(cls, model: str, file: AudioFile, **kwargs: Any) -> dict[str, Any]:
        """An English translation dict (``{"text": ...}``, or the verbose JSON)."""
        return _audio("translations", model, file, kwargs)


def _audio(endpoint: str, model: str, file: AudioFile, kwargs: dict[str, Any]
           ) -> dict[str, Any]:
    call = _Call.take(kwargs)
    params = {"model": model, **kwargs}
    kind = TRANSCRIPTIONS if endpoint == "transcriptions" else TRANSLATIONS
    request = None
    if call.enabled(params):
        # Bad input (an unreadable file, a wrong type) is refused here with a clear error.
        request = with_upstream(
            kind.key_of({**params, "file": file},
                        KeyOptions(namespace=call.cache.native.config.namespace)),
            _upstream(call))
    flow = Flow(call.cache.native, kind, request, model=model, body=params,
                caller=_caller(call), policy=Policy(lookup=not call.skip))

    def upstream() -> dict[str, Any]:
        result = getattr(_client(call).audio, endpoint).create(model=model, file=file, **kwargs)
        data = {"text": result} if isinstance(result, str) else _plain(result)
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            return {"text": str(result)}
        return data

    answer: dict[str, Any] = flow.call(upstream, _hit, read=lambda data: data).value
    return answer
