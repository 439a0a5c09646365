"""The legacy OpenAI call shape of GPTCache's adapter, on the modern ``openai`` SDK.

``ChatCompletion.create(model=..., messages=[...])`` returns a plain dict, so the seed's
``response['choices'][0]['message']['content']`` works; with ``stream=True`` it returns an
iterator of chunk dicts. ``acreate`` is the async pair. ``Completion``, ``Moderation``,
``Image`` and ``Audio.transcribe/translate`` follow the same pattern. A cached answer carries
``"gptcache": True``. On a miss the upstream is called through ``openai.OpenAI`` with the key
from ``api_key`` (set it, or call ``cache.set_openai_key()``) or ``OPENAI_API_KEY``, and the
base URL from ``api_base`` or ``OPENAI_BASE_URL`` — or through ``<Class>.llm`` when set. An
error of the upstream reaches the caller as its own type and as a ``CacheError``.

Extra keyword arguments, as in GPTCache: ``cache_obj`` (which cache), ``cache_skip=True``
(call the model, store its answer), ``cache_context``, ``session``; the class's
``cache_args`` fill in the ones a call leaves out. And the legacy per-call ``api_key``,
``api_base``, ``organization`` and ``request_timeout``, and ``max_retries`` (the SDK's
retries of a failed call, 2 by default). A request the cache cannot key (for instance one
without a user message) is sent upstream uncached rather than refused.

A first question (no earlier conversation) that finds no entry of its own scope (model,
system prompt, parameters, upstream) is also looked up among the entries stored without a
scope (``adapter.api.put``, ``cache.import_data``, ``gistcache import --from-gptcache``),
which GPTCache served to every call.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
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
from ..._types import CacheRequest, Entry, HitKind, Lookup, Scope
from ...media import AudioFile, ImageCache
from ..core import Cache, cache
from ..processor.pre import get_openai_moderation_input
from ..session import Session, add_session
from ..utils.error import wrap_error
from ..utils.response import (
    get_audio_text_from_openai_answer,
    get_image_from_openai_b64,
    get_image_from_openai_url,
    get_message_from_openai_answer,
    get_stream_message_from_openai_answer,
    get_text_from_openai_answer,
)
from . import adapter as _adapter
from .base import BaseCacheLLM

__all__ = [
    "Audio",
    "ChatCompletion",
    "Completion",
    "Image",
    "Moderation",
    "api_base",
    "api_key",
    "get_audio_text_from_openai_answer",
    "get_image_from_openai_b64",
    "get_image_from_openai_url",
    "get_message_from_openai_answer",
    "get_stream_message_from_openai_answer",
    "get_text_from_openai_answer",
]

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
    session: Session | None = None

    @classmethod
    def take(cls, kwargs: dict[str, Any]) -> _Call:
        obj = kwargs.pop("cache_obj", None) or cache
        if not isinstance(obj, Cache):
            raise InvalidRequest(f"cache_obj must be a gistcache.gptcache.Cache, got "
                                 f"{type(obj).__name__}")
        session = kwargs.pop("session", None)
        if session is not None and not isinstance(session, Session):
            raise InvalidRequest("session must be a gistcache.gptcache.session.Session")
        if session is not None:
            session.used_with(obj)
        for name in ("cache_factor", "top_k", "hit_callback", "search_only"):
            kwargs.pop(name, None)  # GPTCache's adapt() keywords: the adapters serve one answer
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
            session=session,
        )

    def enabled(self, kwargs: Mapping[str, Any]) -> bool:
        return self.cache.enabled(**kwargs)


# -- upstream clients ---------------------------------------------------------------------------

_CLIENTS: OrderedDict[tuple[str, str, str, int | None], Any] = OrderedDict()
_CLIENTS_LOCK = threading.Lock()


def _openai() -> Any:
    return require("openai", feature="the GPTCache-style OpenAI adapter", extra="openai")


def _client(call: _Call) -> Any:
    """A shared sync client per (key, base URL, organization); the key is kept only there.

    The key and base URL are resolved now (``api_key``/``api_base``, else the environment),
    so that a changed ``OPENAI_BASE_URL`` or ``OPENAI_API_KEY`` gets a client of its own.
    """
    key = call.key or os.environ.get("OPENAI_API_KEY")
    base = call.base or os.environ.get("OPENAI_BASE_URL") or None
    digest = hashlib.sha256((key or "").encode()).hexdigest()
    ident = (digest, base or "", call.organization or "", call.retries)
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(ident)
        if client is not None:
            _CLIENTS.move_to_end(ident)
            return client
    client = _openai().OpenAI(api_key=key, base_url=base,
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


def _wrapped(func: Callable[[], Any]) -> Any:
    """``func()``, with an upstream (openai SDK) error made a ``CacheError`` as well."""
    try:
        return func()
    except Exception as exc:
        openai = _openai()
        if isinstance(exc, openai.OpenAIError):
            raise wrap_error(exc) from exc
        raise


async def _awrapped(func: Callable[[], Any]) -> Any:
    try:
        return await func()
    except Exception as exc:
        openai = _openai()
        if isinstance(exc, openai.OpenAIError):
            raise wrap_error(exc) from exc
        raise


def _timed_upstream(call: _Call, func: Callable[[], Any]) -> Any:
    return call.cache.timed("llm_request", "llm", _wrapped, func)


# -- chat and completions ----------------------------------------------------------------------


def _resource(endpoint: Endpoint, client: Any) -> Any:
    return client.chat.completions if endpoint is CHAT else client.completions


def _key(endpoint: Endpoint, call: _Call, kwargs: Mapping[str, Any]) -> CacheRequest | None:
    """The cache request of a call, keyed by the cache's own pre-processor."""
    if endpoint is CHAT:
        return call.cache.chat_request(kwargs, call.context)
    return call.cache.completion_request(kwargs, call.context)


def _upstream(call: _Call) -> str:
    return upstream_id(call.base or os.environ.get("OPENAI_BASE_URL") or _OPENAI)


def _caller(call: _Call) -> str:
    return caller_id(call.key or os.environ.get("OPENAI_API_KEY"))


def _flow(endpoint: Endpoint, call: _Call, kwargs: Mapping[str, Any]) -> Flow:
    """The flow of one call; its request is None when this call is not to be cached."""
    request: CacheRequest | None = None
    if call.enabled(kwargs):
        try:
            key = _key(endpoint, call, kwargs)
            request = with_upstream(key, _upstream(call)) if key is not None else None
        except InvalidRequest as exc:
            # Not something the cache can key; the upstream judges whether it is valid.
            log.debug("request not cached: %s", exc)
    return Flow(call.cache.native, endpoint, request, model=str(kwargs.get("model", "")),
                body=kwargs, caller=_caller(call), policy=Policy(lookup=not call.skip))


def _lookup(flow: Flow, call: _Call) -> Lookup:
    """The flow's lookup, with the session's rule, then the unscoped entries of a first
    question (see the module docstring)."""
    request = flow.request
    if request is None or not flow.policy.lookup:
        return flow.lookup()
    obj = call.cache
    if call.session is not None:
        look, candidates = obj.search(request)
        usable = _adapter.usable(obj, call.session, candidates)
        look = Lookup(look.kind, usable[0].entry, usable[0].similarity) if usable \
            else Lookup(HitKind.MISS, reason="no entry this session may be served")
    else:
        look = flow.lookup()
    if look.kind is HitKind.MISS and not look.reason.startswith("cache fault") \
            and not request.context and not request.scope.context and obj.has_unscoped:
        loose = CacheRequest(request.key_text, obj.prompt_scope(), exact=request.exact)
        found = obj.native.lookup(loose)
        if found.hit:
            return found
    return look


def _after(flow: Flow, call: _Call, look: Lookup, origin: str) -> None:
    """Count a hit, and give the answer to the call's session."""
    obj = call.cache
    if origin == "cache":
        obj.report.hint_cache()
    if call.session is None or flow.request is None:
        return
    entry = look.entry if origin == "cache" else \
        obj.native.store.get_by_exact_key(obj.native.routed(flow.request).exact_key)
    if entry is not None:
        add_session(obj, entry.id, call.session.name)


def _create(cls: type[BaseCacheLLM], endpoint: Endpoint, args: tuple[Any, ...],
            kwargs: dict[str, Any]) -> Any:
    kwargs = cls.fill_base_args(**kwargs)
    call = _Call.take(kwargs)
    flow = _flow(endpoint, call, kwargs)
    look = _lookup(flow, call)
    llm = cls.llm

    def upstream() -> Any:
        def ask() -> Any:
            if llm is not None:
                return llm(*args, **kwargs)
            if args:
                raise TypeError(f"{endpoint.name} create() takes keyword arguments only")
            return _resource(endpoint, _client(call)).create(**kwargs)

        response = _timed_upstream(call, ask)
        return response if kwargs.get("stream") else _plain(response)

    if kwargs.get("stream"):
        served = flow.stream(upstream, _hits, looked=look)
        _after(flow, call, served.lookup, served.origin)
        if served.origin == "cache":
            return iter(served.value)
        return _relay(RecordingStream(served.value, flow.recorder(), convert=_plain))
    result = flow.call(upstream, _hit, read=lambda data: data, looked=look)
    _after(flow, call, result.lookup, result.origin)
    return result.value


def _hits(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [_hit(e) for e in events]


def _relay(stream: RecordingStream) -> Iterator[dict[str, Any]]:
    """Pass the upstream's chunks on (stored only if the stream finished), then close it."""
    with stream:
        yield from stream


async def _acreate(cls: type[BaseCacheLLM], endpoint: Endpoint, args: tuple[Any, ...],
                   kwargs: dict[str, Any]) -> Any:
    kwargs = cls.fill_base_args(**kwargs)
    call = _Call.take(kwargs)
    flow = _flow(endpoint, call, kwargs)
    import asyncio

    look = await asyncio.to_thread(_lookup, flow, call)
    llm = cls.llm
    if args and llm is None:
        raise TypeError(f"{endpoint.name} acreate() takes keyword arguments only")

    if kwargs.get("stream"):
        client = None if llm is not None else _async_client(call)

        async def open_stream() -> Any:
            try:
                if llm is not None:
                    return await _awrapped(lambda: llm(*args, **kwargs))
                return await _awrapped(lambda: _resource(endpoint, client).create(**kwargs))
            except BaseException:
                if client is not None:
                    await client.close()
                raise

        async def close() -> None:
            if client is not None:
                await client.close()

        served = await flow.astream(open_stream, _hits, looked=look)
        _after(flow, call, served.lookup, served.origin)
        if served.origin == "cache":
            await close()
            return _replay(served.value)
        return _arelay(AsyncRecordingStream(served.value, flow.recorder(), convert=_plain,
                                            on_close=close))

    async def upstream() -> Any:
        start = time.perf_counter()
        try:
            if llm is not None:
                return _plain(await _awrapped(lambda: llm(*args, **kwargs)))
            async with _async_client(call) as client:
                return _plain(await _awrapped(
                    lambda: _resource(endpoint, client).create(**kwargs)))
        finally:
            call.cache.step("llm_request", time.perf_counter() - start, "llm")

    result = await flow.acall(upstream, _hit, read=lambda data: data, looked=look)
    _after(flow, call, result.lookup, result.origin)
    return result.value


async def _replay(chunks: list[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    for chunk in chunks:
        yield chunk


async def _arelay(stream: AsyncRecordingStream) -> AsyncIterator[dict[str, Any]]:
    async with stream:
        async for chunk in stream:
            yield chunk


class ChatCompletion(BaseCacheLLM):
    """``openai.ChatCompletion`` of the legacy SDK, cached."""

    @classmethod
    def create(cls, *args: Any, **kwargs: Any) -> Any:
        """A ``chat.completion`` dict, or an iterator of chunk dicts when ``stream=True``."""
        return _create(cls, CHAT, args, kwargs)

    @classmethod
    async def acreate(cls, *args: Any, **kwargs: Any) -> Any:
        """Async :meth:`create`; with ``stream=True`` an async iterator of chunk dicts."""
        return await _acreate(cls, CHAT, args, kwargs)


class Completion(BaseCacheLLM):
    """``openai.Completion`` of the legacy SDK, cached (the prompt is the key text)."""

    @classmethod
    def create(cls, *args: Any, **kwargs: Any) -> Any:
        """A ``text_completion`` dict, or an iterator of chunk dicts when ``stream=True``."""
        return _create(cls, COMPLETION, args, kwargs)

    @classmethod
    async def acreate(cls, *args: Any, **kwargs: Any) -> Any:
        """Async :meth:`create`."""
        return await _acreate(cls, COMPLETION, args, kwargs)


# -- moderation ---------------------------------------------------------------------------------


class Moderation(BaseCacheLLM):
    """``openai.Moderation`` of the legacy SDK: moderation results cached by their input.

    The input is keyed by the cache's ``pre_embedding_func`` when it is a custom one
    (GPTCache's ``get_openai_moderation_input``), else by the input's text; the model and the
    upstream are part of the scope. A cached result whose number of results does not match
    the input's is not served (the model is asked again), as in GPTCache.
    """

    @classmethod
    def create(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """A moderation dict (``{"id", "model", "results": [...]}``)."""
        kwargs = cls.fill_base_args(**kwargs)
        result = cls._create(args, dict(kwargs))
        inputs = kwargs.get("input")
        expected = len(inputs) if isinstance(inputs, list) else 1
        if len(result.get("results") or []) != expected:
            result = cls._create(args, {**kwargs, "cache_skip": True})
        return result

    @classmethod
    def _create(cls, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        obj = kwargs.get("cache_obj") or cache
        call = _Call(obj if isinstance(obj, Cache) else cache, False, None,
                     kwargs.pop("api_key", None) or api_key,
                     kwargs.pop("api_base", None) or api_base,
                     kwargs.pop("organization", None), kwargs.pop("max_retries", None))
        scope = Scope(namespace=call.cache.native.config.namespace,
                      model=str(kwargs.get("model") or ""),
                      params={"endpoint": "moderations", "upstream": _upstream(call)})
        data = {k: v for k, v in kwargs.items() if k in ("input", "model")}
        key = _adapter.UNSET if not call.cache.native_pre else get_openai_moderation_input(data)
        prepared = _adapter.prepare(args, kwargs, scope=scope, key=key)
        llm = cls.llm

        def ask(*a: Any, **k: Any) -> Any:
            if llm is not None:
                return _plain(_wrapped(lambda: llm(*a, **k)))
            return _plain(_wrapped(lambda: _client(call).moderations.create(**k)))

        def convert(stored: Any) -> dict[str, Any]:
            data = json.loads(stored) if isinstance(stored, str) else stored
            return _hit(dict(data))

        def save(llm_data: Any, update: Callable[..., None], *_: Any, **__: Any) -> Any:
            update(json.dumps(llm_data))
            return llm_data

        result: dict[str, Any] = _adapter.run(prepared, ask, convert, save, args, kwargs)
        return result


# -- images and audio ---------------------------------------------------------------------------


def _resized(data: bytes, size: str | None) -> bytes:
    """The image resized to ``size`` ("256x256") when it is another size (needs Pillow)."""
    if not size or "x" not in str(size):
        return data
    try:
        width, height = (int(x) for x in str(size).split("x", 1))
    except ValueError:
        return data
    try:
        from PIL import Image as PILImage
    except ImportError:
        log.debug("Pillow is not installed: a cached image is served at its stored size")
        return data
    with PILImage.open(io.BytesIO(data)) as img:
        if img.size == (width, height):
            return data
        out = io.BytesIO()
        img.resize((width, height)).save(out, format=img.format or "PNG")
        return out.getvalue()


class Image:
    """``openai.Image`` of the legacy SDK: generated images cached as bytes, by prompt.

    A hit in ``url`` format gives the local path of the stored image (as GPTCache gave the
    path of the file it wrote), never the upstream's URL, which expires; a hit at another
    ``size`` than stored is resized (when Pillow is installed), as in GPTCache.
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
        size = kwargs.get("size")

        def respond(source: Entry | Answer, model: str) -> dict[str, Any]:
            payload = source.payload or {}
            keys = payload.get("images")
            if not isinstance(keys, list):  # a coalesced call's answer: the upstream's JSON
                return IMAGES.respond(source, model)
            revised = payload.get("revised_prompts")
            data = []
            for i, key in enumerate(keys):
                raw = call.cache.objects.get(key)
                if raw is None:
                    raise ValueError(f"stored image {key} is missing")
                sized = _resized(raw, size)
                if fmt == "b64_json":
                    item: dict[str, Any] = {"b64_json": base64.b64encode(sized).decode()}
                else:
                    path = call.cache.objects.path(key if sized is raw else
                                                   call.cache.objects.put(sized))
                    if path is None:
                        raise ValueError(f"no local file for image {key}")
                    item = {"url": str(Path(path).resolve())}
                if isinstance(revised, list) and i < len(revised) and revised[i] is not None:
                    item["revised_prompt"] = revised[i]
                data.append(item)
            return {"created": int(time.time()), "data": data}

        def keep(native: NativeCache, key: CacheRequest, body: Mapping[str, Any],
                 answer: Answer, ttl: float | None) -> None:
            images.store_response(body, (answer.payload or {}).get("response"),
                                  namespace=key.scope.namespace, request=key)

        flow = _flow_media(dataclasses.replace(IMAGES, respond=respond, keep=keep), call, kwargs)

        def upstream() -> dict[str, Any]:
            data: dict[str, Any] = _plain(_timed_upstream(
                call, lambda: _client(call).images.generate(**kwargs)))
            return data

        result = flow.call(upstream, _hit, read=lambda data: data)
        _after(flow, call, result.lookup, result.origin)
        value: dict[str, Any] = result.value
        return value


def _flow_media(endpoint: Endpoint, call: _Call, kwargs: Mapping[str, Any]) -> Flow:
    request: CacheRequest | None = None
    if call.enabled(kwargs):
        try:
            request = with_upstream(endpoint.key_of(kwargs, KeyOptions(
                namespace=call.cache.native.config.namespace)), _upstream(call))
        except InvalidRequest as exc:
            log.debug("request not cached: %s", exc)
    return Flow(call.cache.native, endpoint, request, model=str(kwargs.get("model", "")),
                body=kwargs, caller=_caller(call), policy=Policy(lookup=not call.skip))


class Audio:
    """``openai.Audio`` of the legacy SDK: transcriptions cached by the exact audio bytes.

    A file object that cannot seek (an HTTP response...) is read once into memory, then
    hashed and sent upstream with its name.
    """

    @classmethod
    def transcribe(cls, model: str, file: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """A transcription dict (``{"text": ...}``, or the verbose JSON)."""
        return _audio("transcriptions", model, file, args, kwargs)

    @classmethod
    def translate(cls, model: str, file: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """An English translation dict (``{"text": ...}``, or the verbose JSON)."""
        return _audio("translations", model, file, args, kwargs)


def _rewindable(file: Any) -> AudioFile:
    """The file as something that can be read twice (hashed, then sent upstream)."""
    read = getattr(file, "read", None)
    if not callable(read):
        return file  # type: ignore[no-any-return]
    seekable = getattr(file, "seekable", None)
    if callable(seekable) and seekable():
        return file  # type: ignore[no-any-return]
    data = read()
    if not isinstance(data, bytes):
        raise InvalidRequest("the audio file must be opened in binary mode ('rb')")
    name = os.path.basename(str(getattr(file, "name", "") or "audio"))
    return (name, data)


def _audio(endpoint: str, model: str, file: Any, args: tuple[Any, ...],
           kwargs: dict[str, Any]) -> dict[str, Any]:
    if args:
        raise TypeError(f"Audio.{endpoint} takes model, file and keyword arguments only")
    call = _Call.take(kwargs)
    file = _rewindable(file)
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
        resource = getattr(_client(call).audio, endpoint)
        result = _timed_upstream(call, lambda: resource.create(model=model, file=file,
                                                               **kwargs))
        data = {"text": result} if isinstance(result, str) else _plain(result)
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            return {"text": str(result)}
        return data

    result = flow.call(upstream, _hit, read=lambda data: data)
    _after(flow, call, result.lookup, result.origin)
    answer: dict[str, Any] = result.value
    return answer
