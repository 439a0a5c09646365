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
``api_base``, ``organization`` and ``request_timeout``. A request the cache cannot key (for
instance one without a user message) is sent upstream uncached rather than refused.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..._cache import Answer
from ..._cache import Cache as NativeCache
from ..._errors import InvalidRequest, require
from ..._types import CacheRequest, Entry
from ..._wire import (
    StreamAccumulator,
    answer_from_chat,
    answer_from_completion,
    chat_chunks,
    chat_completion,
    completion,
    completion_chunks,
)
from ...media import AudioCache, AudioFile, ImageCache, image_request
from ..core import Cache, cache

__all__ = ["Audio", "ChatCompletion", "Completion", "Image", "api_base", "api_key"]

log = logging.getLogger("gistcache")

#: the upstream API key (legacy ``openai.api_key``); None = the ``OPENAI_API_KEY`` variable
api_key: str | None = None
#: the upstream base URL (legacy ``openai.api_base``); None = ``OPENAI_BASE_URL`` or OpenAI
api_base: str | None = None

#: the key a cached answer carries, as GPTCache's did
HIT_KEY = "gptcache"


@dataclass
class _Call:
    """The cache controls and client settings taken out of a call's keyword arguments."""

    cache: Cache
    skip: bool
    context: Mapping[str, Any] | None
    key: str | None
    base: str | None
    organization: str | None

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
        )

    def enabled(self, kwargs: Mapping[str, Any]) -> bool:
        return self.cache.enabled(**kwargs)


# -- upstream clients ---------------------------------------------------------------------------

_CLIENTS: OrderedDict[tuple[str, str, str], Any] = OrderedDict()
_CLIENTS_LOCK = threading.Lock()


def _openai() -> Any:
    return require("openai", feature="the GPTCache-style OpenAI adapter", extra="openai")


def _client(call: _Call) -> Any:
    """A shared sync client per (key, base URL, organization); the key is kept only there."""
    digest = hashlib.sha256((call.key or "").encode()).hexdigest()
    ident = (digest, call.base or "", call.organization or "")
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(ident)
        if client is not None:
            _CLIENTS.move_to_end(ident)
            return client
    client = _openai().OpenAI(api_key=call.key, base_url=call.base,
                              organization=call.organization)
    with _CLIENTS_LOCK:
        _CLIENTS[ident] = client
        while len(_CLIENTS) > 8:
            _CLIENTS.popitem(last=False)[1].close()
    return client


def _async_client(call: _Call) -> Any:
    # One per call: an async client is bound to the event loop that first used it.
    return _openai().AsyncOpenAI(api_key=call.key, base_url=call.base,
                                 organization=call.organization)


def _plain(obj: Any) -> Any:
    """An SDK response as the plain JSON data the server sent."""
    if hasattr(obj, "model_dump"):
        return obj.model_dump(exclude_unset=True)
    return obj


def _hit(data: dict[str, Any]) -> dict[str, Any]:
    data[HIT_KEY] = True
    return data


# -- chat and completions ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """What differs between chat completions and legacy completions."""

    name: str
    answer: Callable[[Any], Answer]
    response: Callable[[Entry | Answer, str], dict[str, Any]]
    chunks: Callable[[Entry | Answer, str], Iterator[dict[str, Any]]]
    resource: Callable[[Any], Any]

    def request(self, call: _Call, kwargs: Mapping[str, Any]) -> CacheRequest | None:
        """The cache request, or None when this call is not to be cached."""
        if not call.enabled(kwargs):
            return None
        try:
            if self.name == "chat":
                return call.cache.chat_request(kwargs, call.context)
            return call.cache.completion_request(kwargs, call.context)
        except InvalidRequest as exc:
            # Not something the cache can key; the upstream judges whether it is valid.
            log.debug("request not cached: %s", exc)
            call.cache.native.metrics.count("uncacheable")
            return None


_CHAT = _Kind("chat", answer_from_chat, chat_completion, chat_chunks,
              lambda c: c.chat.completions)
_COMPLETION = _Kind("completion", answer_from_completion, completion, completion_chunks,
                    lambda c: c.completions)


def _create(kind: _Kind, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if args:
        raise TypeError(f"{kind.name} create() takes keyword arguments only")
    call = _Call.take(kwargs)
    native = call.cache.native
    request = kind.request(call, kwargs)
    model = str(kwargs.get("model", ""))
    if kwargs.get("stream"):
        if request is not None and not call.skip:
            look = native.lookup(request)
            if look.hit and look.entry is not None:
                return (_hit(c) for c in kind.chunks(look.entry, model))
        stream = kind.resource(_client(call)).create(**kwargs)
        return _relay(kind, stream, native, request)
    if request is None:
        return _plain(kind.resource(_client(call)).create(**kwargs))
    upstream: list[Any] = []

    def ask() -> Answer:
        data = _plain(kind.resource(_client(call)).create(**kwargs))
        upstream.append(data)
        return kind.answer(data)

    answer, look = native.get_or_call(request, ask, lookup=not call.skip)
    if upstream:
        return upstream[0]
    return _hit(kind.response(look.entry if look.entry is not None else answer, model))


def _relay(kind: _Kind, stream: Any, native: NativeCache, request: CacheRequest | None
           ) -> Iterator[dict[str, Any]]:
    """Pass the upstream's chunks on; store the answer only if the stream finished."""
    acc = StreamAccumulator(kind.name)
    try:
        for chunk in stream:
            data = _plain(chunk)
            acc.add(data)
            yield data
    finally:
        close = getattr(stream, "close", None)
        if callable(close):
            close()
    if request is not None:
        answer = acc.answer()
        if answer.cacheable:
            native.store_answer(request, answer)


async def _acreate(kind: _Kind, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if args:
        raise TypeError(f"{kind.name} acreate() takes keyword arguments only")
    call = _Call.take(kwargs)
    native = call.cache.native
    request = kind.request(call, kwargs)
    model = str(kwargs.get("model", ""))
    if kwargs.get("stream"):
        if request is not None and not call.skip:
            look = await native.alookup(request)
            if look.hit and look.entry is not None:
                return _replay(kind.chunks(look.entry, model))
        client = _async_client(call)
        try:
            stream = await kind.resource(client).create(**kwargs)
        except BaseException:
            await client.close()
            raise
        return _arelay(kind, client, stream, native, request)

    async def ask() -> Answer:
        async with _async_client(call) as client:
            data = _plain(await kind.resource(client).create(**kwargs))
        upstream.append(data)
        return kind.answer(data)

    upstream: list[Any] = []
    if request is None:
        await ask()
        return upstream[0]
    answer, look = await native.aget_or_call(request, ask, lookup=not call.skip)
    if upstream:
        return upstream[0]
    return _hit(kind.response(look.entry if look.entry is not None else answer, model))


async def _replay(chunks: Iterator[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    for chunk in chunks:
        yield _hit(chunk)


async def _arelay(kind: _Kind, client: Any, stream: Any, native: NativeCache,
                  request: CacheRequest | None) -> AsyncIterator[dict[str, Any]]:
    acc = StreamAccumulator(kind.name)
    try:
        async for chunk in stream:
            data = _plain(chunk)
            acc.add(data)
            yield data
    finally:
        await stream.close()
        await client.close()
    if request is not None:
        answer = acc.answer()
        if answer.cacheable:
            await native.astore_answer(request, answer)


class ChatCompletion:
    """``openai.ChatCompletion`` of the legacy SDK, cached."""

    @classmethod
    def create(cls, *args: Any, **kwargs: Any) -> Any:
        """A ``chat.completion`` dict, or an iterator of chunk dicts when ``stream=True``."""
        return _create(_CHAT, args, kwargs)

    @classmethod
    async def acreate(cls, *args: Any, **kwargs: Any) -> Any:
        """Async :meth:`create`; with ``stream=True`` an async iterator of chunk dicts."""
        return await _acreate(_CHAT, args, kwargs)


class Completion:
    """``openai.Completion`` of the legacy SDK, cached (the prompt is the key text)."""

    @classmethod
    def create(cls, *args: Any, **kwargs: Any) -> Any:
        """A ``text_completion`` dict, or an iterator of chunk dicts when ``stream=True``."""
        return _create(_COMPLETION, args, kwargs)

    @classmethod
    async def acreate(cls, *args: Any, **kwargs: Any) -> Any:
        """Async :meth:`create`."""
        return await _acreate(_COMPLETION, args, kwargs)


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
        native = call.cache.native
        images = ImageCache(native, call.cache.objects)
        namespace = native.config.namespace
        cacheable = call.enabled(kwargs)
        if cacheable:
            try:
                image_request(kwargs, namespace=namespace)
            except InvalidRequest as exc:
                log.debug("image request not cached: %s", exc)
                cacheable = False
        if cacheable and not call.skip:
            keys, look = images.lookup_keys(kwargs, namespace=namespace)
            if keys is not None and look.entry is not None:
                revised = (look.entry.payload or {}).get("revised_prompts")
                return _hit(images.response(
                    keys, response_format=kwargs.get("response_format") or "url",
                    revised_prompts=revised if isinstance(revised, list) else None))
        data: dict[str, Any] = _plain(_client(call).images.generate(**kwargs))
        if cacheable:
            images.store_response(kwargs, data, namespace=namespace)
        return data


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
    audio = AudioCache(call.cache.native)
    params = {"model": model, **kwargs}
    request = None
    if call.enabled(params):
        # Bad input (an unreadable file, a wrong type) is refused here with a clear error.
        request = audio.request(file, params, endpoint=endpoint,
                                namespace=call.cache.native.config.namespace)
    if request is not None and not call.skip:
        _, look = audio.lookup(request)
        stored = AudioCache.response_of(look)
        if stored is not None:
            return _hit(stored)
    resource = getattr(_client(call).audio, endpoint)
    result = resource.create(model=model, file=file, **kwargs)
    data = {"text": result} if isinstance(result, str) else _plain(result)
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return {"text": str(result)}
    if request is not None:
        audio.store(request, data["text"], response=data)
    return data
