"""Image and audio caching: the object store, request keys, ImageCache and AudioCache."""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gistcache import Cache, CacheFault, HitKind, InvalidRequest, StoreError
from gistcache.media import (
    AudioCache,
    ImageCache,
    LocalObjectStore,
    audio_digest,
    audio_request,
    fetch_image,
    image_request,
    images_from_response,
)
from gistcache.testing import FakeOpenAI

PNG = b"\x89PNG\r\n\x1a\n" + b"pixels" * 50
JPEG = b"\xff\xd8\xff\xe0" + b"jpeg" * 40


class RecordingReader(io.BytesIO):
    """A binary file that remembers the largest read it was asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.largest = 0

    def read(self, size: int | None = -1) -> bytes:
        self.largest = max(self.largest, size if size is not None and size >= 0 else 1 << 62)
        return super().read(size)


class FailingReader(io.RawIOBase):
    """A file whose second read fails, like a disk or a socket going away."""

    def __init__(self) -> None:
        self.reads = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.reads += 1
        if self.reads > 1:
            raise OSError("device went away")
        return b"x" * 10


@pytest.fixture
def objects(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "objects")


@pytest.fixture
def cache(make_cache: Any) -> Cache:
    return make_cache(similarity_threshold=0.5)  # type: ignore[no-any-return]


@pytest.fixture
def images(cache: Cache, objects: LocalObjectStore) -> ImageCache:
    return ImageCache(cache, objects)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def up(server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    server.reset()
    yield server
    server.url_ttl = None
    server.reset()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


# -- object store -------------------------------------------------------------------------------


def test_put_returns_the_sha256_key_and_reads_back(objects: LocalObjectStore) -> None:
    key = objects.put(PNG, suffix=".png")
    assert key == hashlib.sha256(PNG).hexdigest() + ".png"
    assert objects.get(key) == PNG
    path = objects.path(key)
    assert path is not None and path.read_bytes() == PNG
    fh = objects.open(key)
    assert fh is not None
    with fh:
        assert fh.read() == PNG
    assert [k for k, _ in objects.scan()] == [key]


def test_same_content_is_stored_once_and_suffix_is_normalised(objects: LocalObjectStore) -> None:
    first = objects.put(PNG, suffix="PNG")
    second = objects.put(io.BytesIO(PNG), suffix=".png")
    assert first == second
    assert len(_files(objects.root)) == 1


def test_file_objects_are_hashed_in_blocks_not_read_whole(objects: LocalObjectStore) -> None:
    data = bytes(range(256)) * (12 * 1024)  # 3 MiB
    reader = RecordingReader(data)
    key = objects.put(reader)
    assert key == hashlib.sha256(data).hexdigest()
    assert reader.largest <= 1 << 20
    assert objects.get(key) == data


def test_a_failed_write_leaves_nothing_behind(objects: LocalObjectStore) -> None:
    with pytest.raises(StoreError, match="device went away"):
        objects.put(FailingReader())  # type: ignore[arg-type]
    assert _files(objects.root) == []


@pytest.mark.parametrize("key", [
    "../../etc/passwd", "ab/cd", "..", "A" * 64, "a" * 63, "a" * 64 + "/x", "a" * 64 + ".PNG",
    "a" * 64 + ".", "a" * 64 + "..png",
])
def test_keys_that_could_escape_the_root_are_refused(objects: LocalObjectStore, key: str) -> None:
    for op in (objects.get, objects.open, objects.path, objects.delete):
        with pytest.raises(InvalidRequest, match="not an object key"):
            op(key)


def test_bad_data_and_suffix_are_refused(objects: LocalObjectStore) -> None:
    with pytest.raises(InvalidRequest, match="bytes or a binary file"):
        objects.put("text")  # type: ignore[arg-type]
    with pytest.raises(InvalidRequest, match="binary mode"):
        objects.put(io.StringIO("text"))  # type: ignore[arg-type]
    with pytest.raises(InvalidRequest, match="suffix"):
        objects.put(PNG, suffix="../png")


def test_delete_and_missing_keys(objects: LocalObjectStore) -> None:
    key = objects.put(PNG)
    assert objects.delete(key) is True
    assert objects.delete(key) is False
    assert objects.get(key) is None
    assert objects.open(key) is None
    assert objects.path(key) is None


def test_an_unwritable_root_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(StoreError, match="cannot write"):
        LocalObjectStore(blocker).put(PNG)


# -- image requests -----------------------------------------------------------------------------


def test_image_request_keys_the_prompt_and_scopes_the_rest() -> None:
    base = {"model": "dall-e-3", "prompt": "a red fox in the snow", "size": "1024x1024"}
    req = image_request(base)
    assert req.key_text == "a red fox in the snow"
    assert req.scope.model == "dall-e-3"
    assert req.scope.params["size"] == "1024x1024"
    same = image_request({**base, "response_format": "b64_json", "user": "u1", "n": 1})
    assert same.exact_key == req.exact_key
    for change in ({"size": "512x512"}, {"quality": "hd"}, {"style": "vivid"}, {"n": 2},
                   {"model": "dall-e-2"}, {"background": "transparent"}):
        assert image_request({**base, **change}).scope.key != req.scope.key, change
    assert image_request(base, namespace="t2").scope.key != req.scope.key


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"prompt": ""}, "prompt"), ({"prompt": 3}, "prompt"), ({}, "prompt"),
    ({"prompt": "x", "n": 0}, "n must be"), ({"prompt": "x", "n": "2"}, "n must be"),
    ({"prompt": "x", "model": 5}, "model"),
])
def test_image_request_refuses_bad_input(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        image_request(kwargs)


# -- image cache --------------------------------------------------------------------------------


def test_store_then_lookup_serves_the_bytes_not_a_url(images: ImageCache) -> None:
    kwargs = {"model": "dall-e-2", "prompt": "a red fox sitting in the snow", "size": "256x256"}
    assert images.lookup(kwargs)[0] is None
    entry = images.store(kwargs, [PNG, JPEG], revised_prompts=["a fox", None])
    assert entry is not None
    payload = entry.payload or {}
    assert payload["images"] == [hashlib.sha256(PNG).hexdigest() + ".png",
                                 hashlib.sha256(JPEG).hexdigest() + ".jpeg"]
    assert "http" not in str(payload)
    got, look = images.lookup(kwargs)
    assert got == [PNG, JPEG]
    assert look.kind is HitKind.EXACT


def test_a_paraphrased_prompt_hits_in_the_same_scope_only(images: ImageCache) -> None:
    kwargs = {"model": "dall-e-2", "prompt": "a red fox sitting in the snow", "size": "256x256"}
    images.store(kwargs, [PNG])
    got, look = images.lookup({**kwargs, "prompt": "a red fox sitting in snow"})
    assert got == [PNG] and look.kind is HitKind.SEMANTIC
    got, look = images.lookup({**kwargs, "size": "512x512"})
    assert got is None and look.kind is HitKind.MISS


def test_response_formats(images: ImageCache, objects: LocalObjectStore) -> None:
    b64 = images.response([PNG], response_format="b64_json", revised_prompts=["fox"])
    assert base64.b64decode(b64["data"][0]["b64_json"]) == PNG
    assert b64["data"][0]["revised_prompt"] == "fox"
    key = objects.put(PNG, suffix=".png")
    served = images.response([key], response_format="url",
                             url_for=lambda k: f"https://cache.example/v1/files/{k}")
    assert served["data"] == [{"url": f"https://cache.example/v1/files/{key}"}]
    local = images.response([key], response_format="url")
    assert local["data"][0]["url"] == objects.root.joinpath(key[:2], key).resolve().as_uri()
    from_bytes = images.response([JPEG], response_format="url")
    assert from_bytes["data"][0]["url"].endswith(hashlib.sha256(JPEG).hexdigest() + ".jpeg")
    assert isinstance(b64["created"], int)


def test_response_refuses_bad_arguments(images: ImageCache) -> None:
    with pytest.raises(InvalidRequest, match="response_format"):
        images.response([PNG], response_format="png")  # type: ignore[arg-type]
    with pytest.raises(InvalidRequest, match="non-empty list"):
        images.response([], response_format="b64_json")
    with pytest.raises(InvalidRequest, match="no stored image"):
        images.response(["a" * 64], response_format="b64_json")


def test_store_refuses_bad_images(images: ImageCache) -> None:
    kwargs = {"prompt": "a fox"}
    with pytest.raises(InvalidRequest, match="non-empty list"):
        images.store(kwargs, [])
    with pytest.raises(InvalidRequest, match="non-empty list"):
        images.store(kwargs, ["not bytes"])  # type: ignore[list-item]
    with pytest.raises(InvalidRequest, match="revised prompts"):
        images.store(kwargs, [PNG], revised_prompts=["a", "b"])


def test_a_lost_image_file_is_a_miss_and_drops_the_entry(
        images: ImageCache, objects: LocalObjectStore, cache: Cache) -> None:
    kwargs = {"prompt": "a lighthouse at dusk"}
    entry = images.store(kwargs, [PNG])
    assert entry is not None
    objects.delete(hashlib.sha256(PNG).hexdigest() + ".png")
    got, look = images.lookup(kwargs)
    assert got is None and look.kind is HitKind.MISS and "missing" in look.reason
    assert cache.entries() == []


def test_an_object_store_fault_never_raises_from_store(cache: Cache, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_bytes(b"")
    broken = ImageCache(cache, LocalObjectStore(blocker))
    assert broken.store({"prompt": "a fox"}, [PNG]) is None
    assert cache.stats()["errors"]["objects"] == 1
    assert cache.entries() == []


def test_sweep_deletes_only_unreferenced_old_objects(
        images: ImageCache, objects: LocalObjectStore, cache: Cache, clock: Any) -> None:
    kept = images.store({"prompt": "a fox"}, [PNG])
    gone = images.store({"prompt": "a whale"}, [JPEG])
    assert kept is not None and gone is not None
    cache.delete([gone.id])
    orphan = hashlib.sha256(JPEG).hexdigest() + ".jpeg"
    assert images.sweep(min_age=3600) == 0  # too young: its entry may be being written
    assert images.sweep(min_age=0, now=4e9) == 1
    assert objects.get(orphan) is None
    assert images.lookup({"prompt": "a fox"})[0] == [PNG]


def test_store_response_from_the_fake_upstream(images: ImageCache, up: FakeOpenAI) -> None:
    import openai

    client = openai.OpenAI(base_url=up.base_url, api_key=up.api_key)
    kwargs: dict[str, Any] = {"model": "dall-e-2", "prompt": "a watercolor lighthouse", "n": 2}
    resp = client.images.generate(**kwargs, response_format="url")
    upstream_bytes = [fetch_image(str(d.url)) for d in resp.data or []]
    assert all(b.startswith(b"\x89PNG") for b in upstream_bytes)
    assert images.store_response(kwargs, resp) is not None
    got, _ = images.lookup({**kwargs, "response_format": "b64_json"})
    assert got == upstream_bytes
    b64 = client.images.generate(model="dall-e-2", prompt="an owl", response_format="b64_json")
    assert images.store_response({"model": "dall-e-2", "prompt": "an owl"}, b64) is not None
    assert images.lookup({"model": "dall-e-2", "prompt": "an owl"})[0] == [
        base64.b64decode(str((b64.data or [])[0].b64_json))]


def test_an_expired_upstream_url_is_not_cached_and_not_raised(
        images: ImageCache, cache: Cache, up: FakeOpenAI) -> None:
    import openai

    client = openai.OpenAI(base_url=up.base_url, api_key=up.api_key)
    up.url_ttl = 0.0  # every URL is expired as soon as it is made
    resp = client.images.generate(prompt="a ship", response_format="url")
    assert images.store_response({"prompt": "a ship"}, resp) is None
    assert cache.stats()["errors"]["fetch"] == 1
    assert images.lookup({"prompt": "a ship"})[0] is None


def test_fetch_image_limits(up: FakeOpenAI) -> None:
    import openai

    client = openai.OpenAI(base_url=up.base_url, api_key=up.api_key)
    url = str((client.images.generate(prompt="a cat").data or [])[0].url)
    with pytest.raises(CacheFault, match="over the limit"):
        fetch_image(url, max_bytes=10)
    with pytest.raises(InvalidRequest, match="http"):
        fetch_image("file:///etc/passwd")
    with pytest.raises(CacheFault, match="cannot fetch"):
        fetch_image(f"{up.url}/files/none.png")


def test_images_from_response_refuses_malformed_responses() -> None:
    with pytest.raises(InvalidRequest, match="non-empty 'data'"):
        images_from_response({"data": []})
    with pytest.raises(InvalidRequest, match="neither"):
        images_from_response({"data": [{"revised_prompt": "x"}]})
    with pytest.raises(InvalidRequest, match="base64"):
        images_from_response({"data": [{"b64_json": "%%%"}]})


async def test_async_image_lookup_and_store(images: ImageCache) -> None:
    kwargs = {"prompt": "a quiet harbour at night"}
    assert await images.astore(kwargs, [PNG]) is not None
    got, look = await images.alookup(kwargs)
    assert got == [PNG] and look.hit
    keys, _ = await images.alookup_keys(kwargs)
    assert keys == [hashlib.sha256(PNG).hexdigest() + ".png"]


# -- audio --------------------------------------------------------------------------------------


AUDIO = bytes(range(256)) * 5000  # 1.2 MiB


def test_audio_digest_of_bytes_paths_tuples_and_files(tmp_path: Path) -> None:
    want = hashlib.sha256(AUDIO).hexdigest()
    path = tmp_path / "talk.wav"
    path.write_bytes(AUDIO)
    assert audio_digest(AUDIO) == want
    assert audio_digest(path) == want
    assert audio_digest(str(path)) == want
    assert audio_digest(("talk.wav", AUDIO, "audio/wav")) == want
    reader = RecordingReader(b"HEAD" + AUDIO)
    reader.seek(4)
    assert audio_digest(reader) == want
    assert reader.tell() == 4  # put back: the same file can still be sent upstream
    assert reader.largest <= 1 << 20


def test_audio_digest_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(InvalidRequest, match="cannot read audio file"):
        audio_digest(tmp_path / "missing.wav")
    with pytest.raises(InvalidRequest, match="binary mode"):
        audio_digest(io.StringIO("text"))  # type: ignore[arg-type]
    with pytest.raises(InvalidRequest, match="must be bytes"):
        audio_digest(42)  # type: ignore[arg-type]

    class Pipe(io.RawIOBase):
        def readable(self) -> bool:
            return True

    with pytest.raises(InvalidRequest, match="seekable"):
        audio_digest(Pipe())  # type: ignore[arg-type]


def test_audio_request_is_exact_and_scoped() -> None:
    base = {"model": "whisper-1", "language": "en"}
    req = audio_request(AUDIO, base)
    assert req.exact and req.key_text == hashlib.sha256(AUDIO).hexdigest()
    assert req.scope.params == {"language": "en", "response_format": "json",
                                "endpoint": "audio.transcriptions"}
    assert audio_request(AUDIO, {**base, "response_format": "json"}).exact_key == req.exact_key
    warm = audio_request(AUDIO, {**base, "temperature": 0.4})
    assert warm.exact_key == req.exact_key and warm.temperature == 0.4
    for other in (audio_request(AUDIO, {**base, "language": "de"}),
                  audio_request(AUDIO, {**base, "prompt": "names: Ana"}),
                  audio_request(AUDIO, {**base, "response_format": "verbose_json"}),
                  audio_request(AUDIO, {**base, "model": "gpt-4o-transcribe"}),
                  audio_request(AUDIO, base, endpoint="translations"),
                  audio_request(AUDIO + b"!", base)):
        assert other.exact_key != req.exact_key
    with pytest.raises(InvalidRequest, match="endpoint"):
        audio_request(AUDIO, base, endpoint="speech")
    with pytest.raises(InvalidRequest, match="model"):
        audio_request(AUDIO, {})


def test_audio_cache_round_trip(cache: Cache) -> None:
    audio = AudioCache(cache)
    req = audio.request(AUDIO, {"model": "whisper-1", "response_format": "verbose_json"})
    text, look = audio.lookup(req)
    assert text is None and AudioCache.response_of(look) is None
    verbose = {"text": "hello there", "language": "english", "segments": [{"id": 0}]}
    assert audio.store(req, "hello there", response=verbose) is not None
    text, look = audio.lookup(audio.request(io.BytesIO(AUDIO), {
        "model": "whisper-1", "response_format": "verbose_json"}))
    assert text == "hello there" and look.kind is HitKind.EXACT
    assert AudioCache.response_of(look) == verbose
    other = audio.request(AUDIO[:-1], {"model": "whisper-1", "response_format": "verbose_json"})
    assert audio.lookup(other)[0] is None


def test_audio_cache_refuses_requests_not_built_for_audio(cache: Cache) -> None:
    audio = AudioCache(cache)
    with pytest.raises(InvalidRequest, match="audio_request"):
        audio.lookup(cache.request("hello"))
    req = audio.request(AUDIO, {"model": "whisper-1"})
    with pytest.raises(InvalidRequest, match="string"):
        audio.store(req, b"bytes")  # type: ignore[arg-type]


async def test_async_audio_cache(cache: Cache) -> None:
    audio = AudioCache(cache)
    req = audio.request(AUDIO, {"model": "whisper-1"})
    assert await audio.astore(req, "spoken words") is not None
    text, look = await audio.alookup(req)
    assert text == "spoken words"
    assert AudioCache.response_of(look) == {"text": "spoken words"}
