"""Caching generated images and audio transcriptions.

Images are stored as bytes in a content-addressed :class:`ObjectStore`, never as the upstream's
URL (those expire within the hour); the cache entry keeps the object keys in its payload. The
prompt is compared by meaning, every other parameter (model, size, quality, n, ...) is scope.

Audio is matched exactly: the key is the sha256 of the audio bytes, computed by streaming, and
the scope holds the model, language, prompt, response format and the endpoint.

Nothing here fails the caller's model call because the cache failed: object-store and fetch
faults are logged, counted in the cache's metrics, and become misses or skipped stores.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import os
import re
import time
import urllib.error
import urllib.request
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Literal

from ._cache import Answer, Cache
from ._errors import CacheFault, InvalidRequest, StoreError
from ._types import CacheRequest, Entry, HitKind, Lookup, Scope

__all__ = [
    "AudioCache",
    "AudioFile",
    "ImageCache",
    "LocalObjectStore",
    "ObjectStore",
    "audio_digest",
    "audio_request",
    "check_key",
    "fetch_image",
    "image_request",
    "images_from_response",
]

log = logging.getLogger("gistcache")

_BLOCK = 1 << 20
_KEY = re.compile(r"[0-9a-f]{64}(\.[a-z0-9]+)?")
_SUFFIX = re.compile(r"\.[a-z0-9]{1,16}")

#: image call arguments that do not change the images (the prompt is the key text)
_IMAGE_NEUTRAL = frozenset({"prompt", "response_format", "user", "timeout", "extra_headers",
                            "extra_query", "max_retries", "stream"})
#: audio call arguments that are not scope (temperature follows the seed's bypass rule)
_AUDIO_NEUTRAL = frozenset({"file", "model", "temperature", "timeout", "extra_headers",
                            "extra_query", "max_retries", "stream", "user"})
_AUDIO_ENDPOINTS = ("transcriptions", "translations")

#: what an audio file may be given as: bytes, an open binary file, a path, or the SDK's
#: ``(filename, content[, content_type])`` tuple
AudioFile = bytes | BinaryIO | str | Path | tuple[Any, ...]


# -- object stores ------------------------------------------------------------------------------


class ObjectStore(ABC):
    """Content-addressed bytes: the key of some data is its sha256 (hex) plus a suffix."""

    @abstractmethod
    def put(self, data: bytes | BinaryIO, *, suffix: str = "") -> str:
        """Store bytes (or a binary file read to its end); returns their key."""

    @abstractmethod
    def get(self, key: str) -> bytes | None:
        """The bytes under a key, or None."""

    @abstractmethod
    def open(self, key: str) -> BinaryIO | None:
        """A binary file positioned at the start of the object, or None."""

    @abstractmethod
    def path(self, key: str) -> Path | None:
        """The local file holding the object, or None (missing, or a remote store)."""

    @abstractmethod
    def delete(self, key: str) -> bool:
        """Delete an object; True when it existed."""

    @abstractmethod
    def scan(self) -> Iterator[tuple[str, float]]:
        """Every stored key with its modification time (for garbage collection)."""


def check_key(key: str) -> str:
    """Return ``key`` if it is a well-formed object key, else raise InvalidRequest."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise InvalidRequest(f"{key!r} is not an object key (sha256 hex + optional suffix)")
    return key


def _suffix(suffix: str) -> str:
    if not suffix:
        return ""
    text = suffix.lower() if suffix.startswith(".") else "." + suffix.lower()
    if not _SUFFIX.fullmatch(text):
        raise InvalidRequest(f"object suffix {suffix!r} must be letters and digits, like '.png'")
    return text


class LocalObjectStore(ObjectStore):
    """Objects as files under ``root`` (``root/ab/abcd....png``), written atomically."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser()

    def __repr__(self) -> str:
        return f"LocalObjectStore({str(self.root)!r})"

    def _file(self, key: str) -> Path:
        check_key(key)
        return self.root / key[:2] / key

    def put(self, data: bytes | BinaryIO, *, suffix: str = "") -> str:
        """Hash while writing a temporary file, then rename it into place."""
        ext = _suffix(suffix)
        digest = hashlib.sha256()
        tmp = self.root / f".tmp-{uuid.uuid4().hex}"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as out:
                if isinstance(data, (bytes, bytearray, memoryview)):
                    digest.update(data)
                    out.write(data)
                elif callable(getattr(data, "read", None)):
                    # Streamed: a large file is never held in memory, let alone twice.
                    for block in iter(lambda: data.read(_BLOCK), b""):
                        if not isinstance(block, bytes):
                            raise InvalidRequest("the file must be opened in binary mode")
                        digest.update(block)
                        out.write(block)
                else:
                    raise InvalidRequest(
                        f"object data must be bytes or a binary file, got {type(data).__name__}")
                out.flush()
                os.fsync(out.fileno())
            key = digest.hexdigest() + ext
            final = self._file(key)
            final.parent.mkdir(exist_ok=True)
            if final.exists():
                tmp.unlink()  # same content is already there
            else:
                os.replace(tmp, final)
            return key
        except OSError as exc:
            raise StoreError(f"cannot write to the object store {self.root}: {exc}") from exc
        finally:
            if tmp.exists():
                tmp.unlink(missing_ok=True)

    def get(self, key: str) -> bytes | None:
        """Read the whole object."""
        path = self._file(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"cannot read object {key} in {self.root}: {exc}") from exc

    def open(self, key: str) -> BinaryIO | None:
        """Open the object for streaming; the caller closes it."""
        path = self._file(key)
        try:
            return path.open("rb")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"cannot open object {key} in {self.root}: {exc}") from exc

    def path(self, key: str) -> Path | None:
        """The object's file if it exists."""
        path = self._file(key)
        return path if path.is_file() else None

    def delete(self, key: str) -> bool:
        """Remove the object's file."""
        path = self._file(key)
        try:
            path.unlink()
            return True
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StoreError(f"cannot delete object {key} in {self.root}: {exc}") from exc

    def scan(self) -> Iterator[tuple[str, float]]:
        """Walk the fan-out directories."""
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if not sub.is_dir() or len(sub.name) != 2:
                continue
            for file in sorted(sub.iterdir()):
                if _KEY.fullmatch(file.name):
                    yield file.name, file.stat().st_mtime


def _image_suffix(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if data.startswith(b"\xff\xd8\xff"):
        return ".jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return ".gif"
    return ".bin"


# -- images -------------------------------------------------------------------------------------


def image_request(kwargs: Mapping[str, Any], *, namespace: str = "default") -> CacheRequest:
    """The cache request of an ``images.generate`` call: prompt by meaning, the rest as scope."""
    prompt = kwargs.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise InvalidRequest("prompt must be a non-empty string")
    model = kwargs.get("model") or ""
    if not isinstance(model, str):
        raise InvalidRequest(f"model must be a string, got {type(model).__name__}")
    n = kwargs.get("n")
    n = 1 if n is None else n
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 10:
        raise InvalidRequest(f"n must be an integer from 1 to 10, got {n!r}")
    params = {k: v for k, v in kwargs.items()
              if k not in _IMAGE_NEUTRAL and k != "model" and v is not None}
    params["n"] = n  # a missing n is OpenAI's default of 1: the same request
    params["endpoint"] = "images.generations"  # never collides with a chat entry
    return CacheRequest(key_text=prompt, scope=Scope(namespace=namespace, model=model,
                                                     params=params))


def fetch_image(url: str, *, max_bytes: int = 64 << 20, timeout: float = 30.0) -> bytes:
    """Download an image the upstream returned as a URL, so that its bytes can be cached.

    Only http(s) URLs are fetched; a download that fails, times out or is larger than
    ``max_bytes`` raises :class:`CacheFault` (the image is then simply not cached).
    """
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise InvalidRequest(f"only http(s) image URLs are fetched, got {url!r}")
    chunks: list[bytes] = []
    size = 0
    try:
        # The scheme was checked above: no file:// or other local reads.
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            declared = resp.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                raise CacheFault(f"image at {_short(url)} is {declared} bytes, over the "
                                 f"limit of {max_bytes}")
            while block := resp.read(min(_BLOCK, max_bytes + 1 - size)):
                size += len(block)
                if size > max_bytes:
                    raise CacheFault(f"image at {_short(url)} is over the limit of "
                                     f"{max_bytes} bytes")
                chunks.append(block)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise CacheFault(f"cannot fetch image from {_short(url)}: {exc}") from exc
    return b"".join(chunks)


def _short(url: str) -> str:
    # Signed URLs carry credentials in the query string: never log them.
    return url.split("?", 1)[0]


def _dump(obj: Any) -> Any:
    if hasattr(obj, "model_dump"):
        return obj.model_dump(exclude_none=True)
    return obj


def images_from_response(
    response: Any, *, max_bytes: int = 64 << 20, timeout: float = 30.0
) -> tuple[list[bytes], list[str | None]]:
    """Image bytes and revised prompts of an ``ImagesResponse`` (dict or SDK object).

    ``b64_json`` items are decoded; ``url`` items are downloaded with :func:`fetch_image`.
    """
    data = _dump(response)
    items = data.get("data") if isinstance(data, Mapping) else None
    if not isinstance(items, Sequence) or not items:
        raise InvalidRequest("an images response needs a non-empty 'data' list")
    images: list[bytes] = []
    revised: list[str | None] = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise InvalidRequest(f"images response item {i} is not an object")
        if item.get("b64_json"):
            try:
                images.append(base64.b64decode(item["b64_json"], validate=True))
            except ValueError as exc:
                raise InvalidRequest(f"images response item {i} has invalid base64") from exc
        elif item.get("url"):
            images.append(fetch_image(item["url"], max_bytes=max_bytes, timeout=timeout))
        else:
            raise InvalidRequest(f"images response item {i} has neither b64_json nor url")
        revised.append(item.get("revised_prompt"))
    return images, revised


class ImageCache:
    """Generated images by prompt: bytes in ``objects``, their keys in ``cache`` entries.

    An entry's payload is ``{"kind": "images", "images": [keys], "revised_prompts": [...]}``.
    """

    def __init__(self, cache: Cache, objects: ObjectStore) -> None:
        self.cache = cache
        self.objects = objects

    def lookup_keys(self, kwargs: Mapping[str, Any], *, namespace: str = "default"
                    ) -> tuple[list[str] | None, Lookup]:
        """The object keys of a cached answer (no image is read), and the lookup."""
        return self._keys_of(self.cache.lookup(image_request(kwargs, namespace=namespace)))

    def _keys_of(self, look: Lookup) -> tuple[list[str] | None, Lookup]:
        if not look.hit or look.entry is None:
            return None, look
        keys = (look.entry.payload or {}).get("images")
        if not isinstance(keys, list) or not keys or not all(
                isinstance(k, str) and _KEY.fullmatch(k) for k in keys):
            return None, Lookup(HitKind.MISS, reason="entry is not an image answer")
        return keys, look

    def lookup(self, kwargs: Mapping[str, Any], *, namespace: str = "default"
               ) -> tuple[list[bytes] | None, Lookup]:
        """The cached images' bytes and the lookup; (None, miss) when not cached."""
        keys, look = self.lookup_keys(kwargs, namespace=namespace)
        if keys is None:
            return None, look
        return self._read(keys, look)

    def _read(self, keys: list[str], look: Lookup) -> tuple[list[bytes] | None, Lookup]:
        images: list[bytes] = []
        try:
            for key in keys:
                data = self.objects.get(key)
                if data is None:
                    # The entry outlived its bytes (deleted by hand, or a lost disk): drop it
                    # so that it stops being found.
                    assert look.entry is not None
                    self.cache.delete([look.entry.id])
                    return None, Lookup(HitKind.MISS, reason=f"stored image {key} is missing")
                images.append(data)
        except CacheFault as exc:
            log.warning("reading cached images failed, serving as a miss: %s", exc)
            self.cache.metrics.fault("objects")
            return None, Lookup(HitKind.MISS, reason=f"cache fault: {type(exc).__name__}")
        return images, look

    def store(
        self,
        kwargs: Mapping[str, Any],
        images: Sequence[bytes],
        *,
        revised_prompts: Sequence[str | None] | None = None,
        namespace: str = "default",
        request: CacheRequest | None = None,
    ) -> Entry | None:
        """Store generated images for a request (``request``: the one built from ``kwargs``
        by a front end, e.g. with its upstream in the scope); a cache fault is logged and
        returns None."""
        request = request if request is not None else image_request(kwargs, namespace=namespace)
        if isinstance(images, (bytes, str)) or not images or not all(
                isinstance(i, (bytes, bytearray)) and i for i in images):
            raise InvalidRequest("images must be a non-empty list of non-empty bytes")
        revised = list(revised_prompts) if revised_prompts is not None else [None] * len(images)
        if len(revised) != len(images):
            raise InvalidRequest(f"{len(images)} images but {len(revised)} revised prompts")
        try:
            keys = [self.objects.put(bytes(i), suffix=_image_suffix(bytes(i))) for i in images]
        except CacheFault as exc:
            log.warning("storing images failed, answer not cached: %s", exc)
            self.cache.metrics.fault("objects")
            return None
        text = next((r for r in revised if r), None) or f"[{len(keys)} image(s)] {keys[0]}"
        payload = {"kind": "images", "images": keys, "revised_prompts": revised}
        return self.cache.store_answer(request, Answer(text, payload))

    def store_response(self, kwargs: Mapping[str, Any], response: Any, *,
                       namespace: str = "default", max_bytes: int = 64 << 20,
                       timeout: float = 30.0, request: CacheRequest | None = None
                       ) -> Entry | None:
        """Store an upstream ``ImagesResponse`` (URLs are downloaded first); never raises a
        cache fault: a failed download is logged, counted and returns None."""
        try:
            images, revised = images_from_response(response, max_bytes=max_bytes,
                                                   timeout=timeout)
        except CacheFault as exc:
            log.warning("image not cached: %s", exc)
            self.cache.metrics.fault("fetch")
            return None
        return self.store(kwargs, images, revised_prompts=revised, namespace=namespace,
                          request=request)

    def response(
        self,
        images_or_keys: Sequence[bytes | str],
        *,
        response_format: Literal["b64_json", "url"] = "b64_json",
        url_for: Callable[[str], str] | None = None,
        revised_prompts: Sequence[str | None] | None = None,
    ) -> dict[str, Any]:
        """An ``ImagesResponse`` JSON for images (bytes) or object keys.

        ``url`` responses need ``url_for(key)`` (e.g. a route of the proxy server); without it a
        ``file://`` URL of the local object is given, which only the same machine can open.
        """
        if response_format not in ("b64_json", "url"):
            raise InvalidRequest(f"response_format must be 'b64_json' or 'url', "
                                 f"got {response_format!r}")
        if isinstance(images_or_keys, (bytes, str)) or not images_or_keys:
            raise InvalidRequest("images_or_keys must be a non-empty list")
        data: list[dict[str, Any]] = []
        for i, item in enumerate(images_or_keys):
            out: dict[str, Any]
            if response_format == "b64_json":
                raw = item if isinstance(item, bytes) else self.objects.get(check_key(item))
                if raw is None:
                    raise InvalidRequest(f"no stored image under key {item!r}")
                out = {"b64_json": base64.b64encode(raw).decode("ascii")}
            else:
                key = self.objects.put(item, suffix=_image_suffix(item)) \
                    if isinstance(item, bytes) else check_key(item)
                out = {"url": url_for(key) if url_for is not None else self._file_url(key)}
            if revised_prompts is not None and i < len(revised_prompts) \
                    and revised_prompts[i] is not None:
                out["revised_prompt"] = revised_prompts[i]
            data.append(out)
        return {"created": int(time.time()), "data": data}

    def _file_url(self, key: str) -> str:
        path = self.objects.path(key)
        if path is None:
            raise InvalidRequest(f"no local file for image {key}: pass url_for to serve URLs")
        return path.resolve().as_uri()

    def sweep(self, *, min_age: float = 3600.0, now: float | None = None) -> int:
        """Delete objects no entry refers to (left by eviction); returns how many.

        Objects younger than ``min_age`` seconds are kept: their entry may be being stored.
        """
        wanted: set[str] = set()
        after = 0
        while batch := self.cache.entries(after_id=after, limit=1000):
            for entry in batch:
                keys = (entry.payload or {}).get("images")
                if isinstance(keys, list):
                    wanted.update(k for k in keys if isinstance(k, str))
            after = batch[-1].id
        cutoff = (time.time() if now is None else now) - min_age
        gone = 0
        for key, mtime in list(self.objects.scan()):
            if key not in wanted and mtime < cutoff and self.objects.delete(key):
                gone += 1
        return gone

    async def alookup(self, kwargs: Mapping[str, Any], *, namespace: str = "default"
                      ) -> tuple[list[bytes] | None, Lookup]:
        """Async :meth:`lookup` (embedding and file reads run off the event loop)."""
        return await asyncio.to_thread(self.lookup, kwargs, namespace=namespace)

    async def alookup_keys(self, kwargs: Mapping[str, Any], *, namespace: str = "default"
                           ) -> tuple[list[str] | None, Lookup]:
        """Async :meth:`lookup_keys`."""
        return await asyncio.to_thread(self.lookup_keys, kwargs, namespace=namespace)

    async def astore(
        self,
        kwargs: Mapping[str, Any],
        images: Sequence[bytes],
        *,
        revised_prompts: Sequence[str | None] | None = None,
        namespace: str = "default",
    ) -> Entry | None:
        """Async :meth:`store`."""
        return await asyncio.to_thread(self.store, kwargs, images,
                                       revised_prompts=revised_prompts, namespace=namespace)

    async def astore_response(self, kwargs: Mapping[str, Any], response: Any, *,
                              namespace: str = "default") -> Entry | None:
        """Async :meth:`store_response` (downloads run off the event loop)."""
        return await asyncio.to_thread(self.store_response, kwargs, response,
                                       namespace=namespace)


# -- audio --------------------------------------------------------------------------------------


def audio_digest(file: AudioFile) -> str:
    """sha256 (hex) of audio data, read in blocks; a file object is put back where it was."""
    digest = hashlib.sha256()
    if isinstance(file, tuple):
        if len(file) < 2:
            raise InvalidRequest("an audio file tuple is (filename, content[, content_type])")
        return audio_digest(file[1])
    if isinstance(file, (bytes, bytearray, memoryview)):
        digest.update(file)
    elif isinstance(file, (str, Path)):
        try:
            with open(file, "rb") as fh:
                for block in iter(lambda: fh.read(_BLOCK), b""):
                    digest.update(block)
        except OSError as exc:
            raise InvalidRequest(f"cannot read audio file {str(file)!r}: {exc}") from exc
    elif callable(getattr(file, "read", None)):
        seekable = getattr(file, "seekable", None)
        if not callable(seekable) or not seekable():
            raise InvalidRequest("the audio file object must be seekable, so that it can be "
                                 "sent upstream after hashing: pass bytes or a path instead")
        start = file.tell()
        try:
            for block in iter(lambda: file.read(_BLOCK), b""):
                if not isinstance(block, bytes):
                    raise InvalidRequest("the audio file must be opened in binary mode ('rb')")
                digest.update(block)
        finally:
            file.seek(start)
    else:
        raise InvalidRequest(f"audio file must be bytes, a binary file or a path, got "
                             f"{type(file).__name__}")
    return digest.hexdigest()


def audio_request(
    file: AudioFile,
    kwargs: Mapping[str, Any],
    *,
    endpoint: str = "transcriptions",
    namespace: str = "default",
) -> CacheRequest:
    """The exact-only cache request of an ``audio.transcriptions``/``translations`` call."""
    if endpoint not in _AUDIO_ENDPOINTS:
        raise InvalidRequest(f"endpoint must be one of {', '.join(_AUDIO_ENDPOINTS)}, "
                             f"got {endpoint!r}")
    model = kwargs.get("model")
    if not isinstance(model, str) or not model:
        raise InvalidRequest("model must be a non-empty string")
    temperature = kwargs.get("temperature") or 0.0
    if not isinstance(temperature, (int, float)) or isinstance(temperature, bool):
        raise InvalidRequest(f"temperature must be a number, got {type(temperature).__name__}")
    params = {k: v for k, v in kwargs.items() if k not in _AUDIO_NEUTRAL and v is not None}
    params.setdefault("response_format", "json")  # OpenAI's default: the same request
    params["endpoint"] = f"audio.{endpoint}"
    return CacheRequest(
        key_text=audio_digest(file),
        scope=Scope(namespace=namespace, model=model, params=params),
        temperature=float(temperature),
        exact=True,
    )


class AudioCache:
    """Transcriptions and translations by the exact audio bytes.

    An entry's answer is the text; its payload is ``{"kind": "audio", "response": {...}}``
    with the upstream's JSON (``verbose_json`` segments and all) when there was one.
    """

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    @staticmethod
    def request(file: AudioFile, kwargs: Mapping[str, Any], *, endpoint: str = "transcriptions",
                namespace: str = "default") -> CacheRequest:
        """See :func:`audio_request` (hash once, then lookup and store with the request)."""
        return audio_request(file, kwargs, endpoint=endpoint, namespace=namespace)

    @staticmethod
    def _check(request: CacheRequest) -> None:
        if not isinstance(request, CacheRequest) or not request.exact:
            raise InvalidRequest("pass the request built by audio_request()")

    def lookup(self, request: CacheRequest) -> tuple[str | None, Lookup]:
        """The cached text and the lookup; (None, miss) when not cached."""
        self._check(request)
        look = self.cache.lookup(request)
        return look.answer, look

    @staticmethod
    def response_of(look: Lookup) -> dict[str, Any] | None:
        """The stored response JSON of a hit (``{"text": ...}`` when none was stored)."""
        if not look.hit or look.entry is None:
            return None
        stored = (look.entry.payload or {}).get("response")
        return dict(stored) if isinstance(stored, Mapping) else {"text": look.entry.answer}

    def store(self, request: CacheRequest, text: str, *, response: Any = None) -> Entry | None:
        """Store a transcription; a cache fault is logged and returns None."""
        self._check(request)
        if not isinstance(text, str):
            raise InvalidRequest(f"the transcription must be a string, got {type(text).__name__}")
        body = _dump(response) if response is not None else None
        if body is not None and not isinstance(body, Mapping):
            raise InvalidRequest("response must be the upstream's JSON object")
        payload = {"kind": "audio", "response": dict(body) if body is not None else None}
        return self.cache.store_answer(request, Answer(text, payload))

    async def alookup(self, request: CacheRequest) -> tuple[str | None, Lookup]:
        """Async :meth:`lookup`."""
        self._check(request)
        look = await self.cache.alookup(request)
        return look.answer, look

    async def astore(self, request: CacheRequest, text: str, *, response: Any = None
                     ) -> Entry | None:
        """Async :meth:`store`."""
        return await asyncio.to_thread(self.store, request, text, response=response)
