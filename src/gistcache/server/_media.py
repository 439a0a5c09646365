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
from typing import TYPE_CHECKING, Any, Literal

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response

from .._cache import Answer, Cache
from .._endpoints import IMAGES, TRANSCRIPTIONS, TRANSLATIONS, Endpoint
from .._errors import InvalidRequest
from .._types import CacheRequest, Entry
from ..media import AudioCache, ImageCache, LocalObjectStore, check_key
from ._http import ApiError, parse_json_object
from ._schema import REQUEST_BODIES, UPSTREAM, error_responses

if TYPE_CHECKING:
    from .app import ServerState

__all__ = ["MediaState", "parse_multipart", "register_media"]

log = logging.getLogger("gistcache.server")

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


def _audio_read(response: httpx.Response) -> Any:
    """The upstream's transcription: its JSON object, or its text for the text formats."""
    if response.headers.get("content-type", "").startswith("application/json"):
        return json.loads(response.content)
    return response.text


def register_media(app: FastAPI) -> None:
    """Add the image, file and audio routes."""

    def state_of(request: Request) -> ServerState:
        from .app import _state

        return _state(request)

    @app.post(IMAGES.path, tags=["OpenAI"], summary="Image generation (cached)",
              openapi_extra=REQUEST_BODIES["images"], responses=error_responses(*UPSTREAM))
    async def images(request: Request) -> Response:
        state = state_of(request)
        start = time.perf_counter()
        raw = await request.body()
        body = parse_json_object(raw)
        fmt: Literal["b64_json", "url"] = \
            "b64_json" if body.get("response_format") == "b64_json" else "url"
        public = state.settings.public_url or str(request.base_url).rstrip("/")
        images = state.media.images

        def respond(source: Entry | Answer, model: str) -> dict[str, Any]:
            # a stored entry keeps object keys; a coalesced call's answer is the upstream's JSON
            payload = source.payload or {}
            keys = payload.get("images")
            if not isinstance(keys, list):
                return IMAGES.respond(source, model)
            revised = payload.get("revised_prompts")
            return images.response(
                keys, response_format=fmt,
                revised_prompts=revised if isinstance(revised, list) else None,
                url_for=lambda key: f"{public}/v1/files/images/{key}")

        def keep(cache: Cache, key: CacheRequest, body: Mapping[str, Any], answer: Answer,
                 ttl: float | None) -> None:
            images.store_response(body, (answer.payload or {}).get("response"),
                                  namespace=key.scope.namespace, request=key)

        endpoint = dataclasses.replace(IMAGES, respond=respond, keep=keep)
        return await state.gateway.serve(endpoint, request.headers, raw, body, start=start)

    @app.get("/v1/files/images/{key}", tags=["OpenAI"], summary="A cached image",
             responses=error_responses(404))
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

    async def audio(request: Request, endpoint: Endpoint) -> Response:
        state = state_of(request)
        start = time.perf_counter()
        raw = await request.body()
        content_type = request.headers.get("content-type", "")
        upload = await asyncio.to_thread(parse_multipart, raw, content_type)
        kwargs = _audio_kwargs(upload.fields)
        fmt = str(kwargs.get("response_format") or "json")

        def build(data: dict[str, Any]) -> tuple[bytes, str]:
            if fmt in ("json", "verbose_json"):
                return json.dumps(data).encode(), "application/json"
            return str(data.get("text", "")).encode(), "text/plain; charset=utf-8"

        return await state.gateway.serve(
            endpoint, request.headers, raw, kwargs, start=start,
            keyed={**kwargs, "file": upload.file}, content_type=content_type,
            read=_audio_read, build=build)

    _multipart: dict[str, Any] = {"requestBody": {"required": True, "content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"}, "model": {"type": "string"}}}}}}}

    @app.post("/v1/audio/transcriptions", tags=["OpenAI"],
              summary="Audio transcription (cached by the exact audio)", openapi_extra=_multipart,
              responses=error_responses(*UPSTREAM))
    async def transcriptions(request: Request) -> Response:
        return await audio(request, TRANSCRIPTIONS)

    @app.post("/v1/audio/translations", tags=["OpenAI"],
              summary="Audio translation (cached by the exact audio)", openapi_extra=_multipart,
              responses=error_responses(*UPSTREAM))
    async def translations(request: Request) -> Response:
        return await audio(request, TRANSLATIONS)
