"""Cached image generation and audio transcription/translation routes.

Images: the prompt is compared by meaning, the other parameters are scope; the images' bytes
live in a content-addressed object store in the data directory. A hit is answered in the
format the caller asked for: ``b64_json``, or a URL this server serves at
``/v1/files/images/{key}`` (it does not expire while the entry lives). A miss is passed
through as the upstream answered it, and stored (URLs are downloaded first).

Audio: matched by the exact bytes of the file (sha256), with model, language, prompt and
response format as scope. Multipart bodies are parsed here with the standard library.
"""

from __future__ import annotations

import asyncio
import dataclasses
import email.parser
import email.policy
import json
import logging
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response

from .._cache import Answer, Cache
from .._errors import CacheFault, InvalidRequest
from .._types import CacheRequest, HitKind, Lookup
from ..media import (
    AudioCache,
    ImageCache,
    LocalObjectStore,
    audio_request,
    check_key,
    image_request,
)
from ._http import ApiError, Controls, parse_json_object
from ._llm import hit_headers, timed_out
from ._upstream import UpstreamError, passthrough_headers

if TYPE_CHECKING:
    from .app import ServerState

__all__ = ["MediaState", "parse_multipart", "register_media"]

log = logging.getLogger("gistcache.server")

_IMAGES = "/v1/images/generations"
_IMAGE_TYPES = {".png": "image/png", ".jpeg": "image/jpeg", ".webp": "image/webp",
                ".gif": "image/gif"}


@dataclass
class MediaState:
    """The image and audio caches of one worker, on the server's cache."""

    images: ImageCache
    audio: AudioCache

    @classmethod
    def for_cache(cls, cache: Cache) -> MediaState:
        """Objects go to ``<data_dir>/objects`` (a temporary directory for in-memory caches)."""
        if cache.config.in_memory:
            root = Path(tempfile.mkdtemp(prefix="gistcache-objects-"))
        else:
            root = Path(cache.config.data_dir).expanduser() / "objects"
        return cls(ImageCache(cache, LocalObjectStore(root)), AudioCache(cache))


@dataclass(frozen=True)
class Upload:
    """A multipart/form-data body: its text fields and its one file."""

    fields: dict[str, str | list[str]]
    file: bytes
    filename: str
    content_type: str


def parse_multipart(raw: bytes, content_type: str) -> Upload:
    """Parse a multipart/form-data body (standard library only); 400 when it is malformed."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise ApiError(400, "audio requests must be multipart/form-data with a 'file' part",
                       param="file")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    if not message.is_multipart():
        raise ApiError(400, "the multipart body could not be parsed (check the boundary)",
                       param="file")
    fields: dict[str, str | list[str]] = {}
    file: tuple[bytes, str, str] | None = None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None or name == "file":
            if name == "file":
                file = (data, filename or "audio", part.get_content_type())
            continue
        value = data.decode("utf-8", errors="replace")
        key = name.removesuffix("[]")
        if name.endswith("[]"):
            have = fields.setdefault(key, [])
            if isinstance(have, list):
                have.append(value)
        else:
            fields[key] = value
    if file is None or not file[0]:
        raise ApiError(400, "the request has no audio in its 'file' part", param="file")
    return Upload(fields, *file)


def _audio_kwargs(fields: Mapping[str, str | list[str]]) -> dict[str, Any]:
    kwargs: dict[str, Any] = dict(fields)
    if "temperature" in kwargs:
        try:
            kwargs["temperature"] = float(str(kwargs["temperature"]))
        except ValueError:
            raise ApiError(400, f"'temperature' must be a number, got "
                                f"{kwargs['temperature']!r}", param="temperature") from None
    return kwargs


def _controlled(request: CacheRequest, controls: Controls) -> CacheRequest:
    """The request with the caller's stricter bar and maximum age."""
    return dataclasses.replace(request, min_similarity=controls.min_similarity,
                               max_age=controls.max_age)


def register_media(app: FastAPI) -> None:
    """Add the image, file and audio routes."""

    def state_of(request: Request) -> ServerState:
        from .app import _state

        return _state(request)

    @app.post(_IMAGES, tags=["OpenAI"], summary="Image generation (cached)",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": {"type": "object"}}}}})
    async def images(request: Request) -> Response:
        state = state_of(request)
        start = time.perf_counter()
        raw = await request.body()
        body = parse_json_object(raw)
        prompt = body.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            raise ApiError(400, "'prompt' must be a non-empty string", param="prompt")
        fmt = body.get("response_format") or "url"
        if fmt not in ("url", "b64_json"):
            raise ApiError(400, f"'response_format' must be 'url' or 'b64_json', got {fmt!r}",
                           param="response_format")
        controls = state.gateway.controls(request.headers)
        base: CacheRequest | None = None
        try:
            base = _controlled(image_request(body, namespace=controls.namespace), controls)
        except InvalidRequest as exc:
            lookup = Lookup(HitKind.BYPASS, reason=f"not cacheable: {exc}")
        if base is not None:
            lookup = Lookup(HitKind.BYPASS, reason="Cache-Control: no-cache") \
                if controls.no_cache else await state.gateway.lookup(base)
        if lookup.hit and lookup.entry is not None:
            entry = lookup.entry
            keys = (entry.payload or {}).get("images")
            revised = (entry.payload or {}).get("revised_prompts")
            public = state.settings.public_url or str(request.base_url).rstrip("/")
            media = state.media

            def answer(keys: list[str]) -> dict[str, Any]:
                return media.images.response(
                    keys, response_format="url" if fmt == "url" else "b64_json",
                    revised_prompts=revised if isinstance(revised, list) else None,
                    url_for=lambda key: f"{public}/v1/files/images/{key}")

            try:
                if not isinstance(keys, list):
                    raise InvalidRequest("entry is not an image answer")
                data = await asyncio.to_thread(answer, keys)
            except (InvalidRequest, CacheFault) as exc:
                # the entry outlived its bytes: answer from the upstream instead
                log.warning("cached images unusable, serving as a miss: %s", exc)
                state.cache.metrics.fault("objects")
                lookup = Lookup(HitKind.MISS, reason="stored images unusable")
            else:
                state.stats.hit_entry(entry)
                state.stats.response(_IMAGES, lookup.kind.value, time.perf_counter() - start)
                return Response(json.dumps(data).encode(), media_type="application/json",
                                headers=hit_headers(lookup))
        forward = state.upstream.headers_for(request.headers, "application/json")
        store = base is not None and not controls.no_store and not timed_out(lookup)
        got: list[httpx.Response] = []

        async def call() -> Answer:
            response = await state.upstream.send("POST", _IMAGES, content=raw, headers=forward)
            if response.status_code != 200:
                raise UpstreamError(response.status_code, response.content,
                                    passthrough_headers(response.headers))
            got.append(response)
            return Answer("", {"response": json.loads(response.content)}, cacheable=False)

        try:
            if base is None:
                answer_ = await call()
            else:
                answer_, _ = await state.cache.aget_or_call(base, call, lookup=False,
                                                            store=False)
        except UpstreamError as exc:
            state.stats.response(_IMAGES, f"upstream-{exc.status}", time.perf_counter() - start)
            return Response(exc.body, status_code=exc.status,
                            headers={**exc.headers, **hit_headers(lookup)})
        except ValueError:
            raise ApiError(502, "the upstream's image answer is not JSON",
                           type_="upstream_error", code="upstream_bad_answer") from None
        upstream_json = (answer_.payload or {}).get("response")
        if got and store and isinstance(upstream_json, dict):
            await state.media.images.astore_response(body, upstream_json,
                                                     namespace=controls.namespace)
        state.stats.response(_IMAGES, lookup.kind.value if got else HitKind.EXACT.value,
                             time.perf_counter() - start)
        if got:
            return Response(got[0].content, status_code=200,
                            headers={**passthrough_headers(got[0].headers),
                                     **hit_headers(lookup)})
        return Response(json.dumps(upstream_json).encode(), media_type="application/json",
                        headers={**hit_headers(Lookup(HitKind.EXACT)),
                                 "x-gistcache-coalesced": "1"})

    @app.get("/v1/files/images/{key}", tags=["OpenAI"], summary="A cached image")
    async def image_file(request: Request, key: str) -> Response:
        state = state_of(request)
        try:
            check_key(key)
        except InvalidRequest:
            raise ApiError(404, f"no image {key!r}", code="file_not_found") from None
        path = await asyncio.to_thread(state.media.images.objects.path, key)
        if path is None:
            raise ApiError(404, f"no image {key}", code="file_not_found")
        media_type = _IMAGE_TYPES.get(Path(key).suffix, "application/octet-stream")
        return FileResponse(path, media_type=media_type,
                            headers={"cache-control": "public, max-age=86400, immutable"})

    async def audio(request: Request, endpoint: str) -> Response:
        state = state_of(request)
        path = f"/v1/audio/{endpoint}"
        start = time.perf_counter()
        raw = await request.body()
        content_type = request.headers.get("content-type", "")
        upload = await asyncio.to_thread(parse_multipart, raw, content_type)
        kwargs = _audio_kwargs(upload.fields)
        model = kwargs.get("model")
        if not isinstance(model, str) or not model:
            raise ApiError(400, "'model' must be a non-empty string", param="model")
        controls = state.gateway.controls(request.headers)
        request_: CacheRequest | None = None
        try:
            request_ = _controlled(await asyncio.to_thread(
                audio_request, upload.file, kwargs, endpoint=endpoint,
                namespace=controls.namespace), controls)
        except InvalidRequest as exc:
            lookup = Lookup(HitKind.BYPASS, reason=f"not cacheable: {exc}")
        if request_ is not None:
            lookup = Lookup(HitKind.BYPASS, reason="Cache-Control: no-cache") \
                if controls.no_cache else await state.gateway.lookup(request_)
        fmt = str(kwargs.get("response_format") or "json")
        if lookup.hit and lookup.entry is not None:
            state.stats.hit_entry(lookup.entry)
            state.stats.response(path, lookup.kind.value, time.perf_counter() - start)
            if fmt in ("json", "verbose_json"):
                stored = AudioCache.response_of(lookup) or {"text": lookup.entry.answer}
                return Response(json.dumps(stored).encode(), media_type="application/json",
                                headers=hit_headers(lookup))
            return Response(lookup.entry.answer.encode(), media_type="text/plain; charset=utf-8",
                            headers=hit_headers(lookup))
        forward = state.upstream.headers_for(request.headers, content_type)
        store = request_ is not None and not controls.no_store and not timed_out(lookup)
        got: list[httpx.Response] = []

        async def call() -> Answer:
            response = await state.upstream.send("POST", path, content=raw, headers=forward)
            if response.status_code != 200:
                raise UpstreamError(response.status_code, response.content,
                                    passthrough_headers(response.headers))
            got.append(response)
            if response.headers.get("content-type", "").startswith("application/json"):
                data = json.loads(response.content)
                text = data.get("text") if isinstance(data, dict) else None
                return Answer(text if isinstance(text, str) else "",
                              {"response": data if isinstance(data, dict) else None},
                              cacheable=isinstance(text, str))
            return Answer(response.text, {"response": None})

        try:
            if request_ is None:
                answer = await call()
            else:
                answer, _ = await state.cache.aget_or_call(request_, call, lookup=False,
                                                           store=False)
        except UpstreamError as exc:
            state.stats.response(path, f"upstream-{exc.status}", time.perf_counter() - start)
            return Response(exc.body, status_code=exc.status,
                            headers={**exc.headers, **hit_headers(lookup)})
        except ValueError:
            raise ApiError(502, "the upstream's audio answer is not JSON",
                           type_="upstream_error", code="upstream_bad_answer") from None
        if got and store and request_ is not None and answer.cacheable:
            await state.media.audio.astore(request_, answer.text,
                                           response=(answer.payload or {}).get("response"))
        state.stats.response(path, lookup.kind.value if got else HitKind.EXACT.value,
                             time.perf_counter() - start)
        if got:
            return Response(got[0].content, status_code=200,
                            headers={**passthrough_headers(got[0].headers),
                                     **hit_headers(lookup)})
        body: bytes
        if fmt in ("json", "verbose_json"):
            body = json.dumps((answer.payload or {}).get("response")
                              or {"text": answer.text}).encode()
            media_type = "application/json"
        else:
            body, media_type = answer.text.encode(), "text/plain; charset=utf-8"
        return Response(body, media_type=media_type,
                        headers={**hit_headers(Lookup(HitKind.EXACT)),
                                 "x-gistcache-coalesced": "1"})

    _multipart: dict[str, Any] = {"requestBody": {"required": True, "content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"}, "model": {"type": "string"}}}}}}}

    @app.post("/v1/audio/transcriptions", tags=["OpenAI"],
              summary="Audio transcription (cached by the exact audio)", openapi_extra=_multipart)
    async def transcriptions(request: Request) -> Response:
        return await audio(request, "transcriptions")

    @app.post("/v1/audio/translations", tags=["OpenAI"],
              summary="Audio translation (cached by the exact audio)", openapi_extra=_multipart)
    async def translations(request: Request) -> Response:
        return await audio(request, "translations")
