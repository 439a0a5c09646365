"""Cached images and audio through the proxy, with the openai SDK against the fake upstream."""

from __future__ import annotations

import base64
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from test_server_support import ServerThread

from gistcache import Cache, Config
from gistcache.embedders import WordHashEmbedder
from gistcache.server import ServerSettings, create_app
from gistcache.testing import FakeOpenAI

PNG = b"\x89PNG\r\n\x1a\n"


def _images(raw: Any) -> list[Any]:
    data: list[Any] = raw.parse().data or []
    return data


@pytest.fixture
def up() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def proxy(tmp_path: Path, clock: Any, up: FakeOpenAI) -> Iterator[ServerThread]:
    cache = Cache(Config(data_dir=str(tmp_path / "data"), similarity_threshold=0.5),
                  embedder=WordHashEmbedder(256), clock=clock, background=False,
                  rng=random.Random(7))
    settings = ServerSettings(upstream=up.base_url, max_audio_bytes=64 * 1024)
    with ServerThread(create_app(cache, settings)) as server:
        yield server
    cache.close()


@pytest.fixture
def client(proxy: ServerThread, up: FakeOpenAI) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=proxy.base_url, api_key=up.api_key, max_retries=0) as sdk:
        yield sdk


def test_image_b64_miss_then_hit_returns_the_same_bytes(client: openai.OpenAI,
                                                        up: FakeOpenAI) -> None:
    ask: dict[str, Any] = {"model": "dall-e-2", "prompt": "a red fox in the snow",
                           "size": "256x256", "response_format": "b64_json"}
    first = client.images.with_raw_response.generate(**ask)
    second = client.images.with_raw_response.generate(**ask)
    assert first.headers["x-gistcache"] == "miss"
    assert second.headers["x-gistcache"] == "hit-exact"
    made = base64.b64decode(_images(first)[0].b64_json or "")
    again = base64.b64decode(_images(second)[0].b64_json or "")
    assert made.startswith(PNG) and again == made
    assert up.call_count("/images/generations") == 1


def test_image_url_hit_is_served_by_the_proxy(client: openai.OpenAI, proxy: ServerThread,
                                              up: FakeOpenAI) -> None:
    first = client.images.with_raw_response.generate(model="dall-e-2",
                                                     prompt="a lighthouse at dusk")
    upstream_url = _images(first)[0].url or ""
    original = httpx.get(upstream_url).content
    paraphrase = client.images.with_raw_response.generate(model="dall-e-2",
                                                          prompt="lighthouse at dusk")
    assert paraphrase.headers["x-gistcache"] == "hit-semantic"
    url = _images(paraphrase)[0].url or ""
    assert url.startswith(proxy.url + "/v1/files/images/")
    served = httpx.get(url)
    assert served.headers["content-type"] == "image/png"
    assert served.content == original
    assert _images(paraphrase)[0].revised_prompt == "a lighthouse at dusk"
    bigger = client.images.with_raw_response.generate(model="dall-e-2", size="512x512",
                                                      prompt="a lighthouse at dusk")
    assert bigger.headers["x-gistcache"] == "miss"  # size is scope
    assert up.call_count("/images/generations") == 2


def test_image_files_with_bad_or_unknown_keys_are_404(proxy: ServerThread) -> None:
    for key in ("../../etc/passwd", "0" * 64 + ".png", "not-a-key"):
        response = httpx.get(f"{proxy.url}/v1/files/images/{key}")
        assert response.status_code == 404
        assert "error" in response.json()


def test_image_request_without_prompt_is_400(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError, match="prompt"):
        client.images.generate(model="dall-e-2", prompt="")


def test_transcription_is_cached_by_the_exact_audio(client: openai.OpenAI,
                                                    up: FakeOpenAI) -> None:
    audio = random.Random(1).randbytes(20_000)
    first = client.audio.transcriptions.with_raw_response.create(
        model="whisper-1", file=("a.wav", audio, "audio/wav"))
    second = client.audio.transcriptions.with_raw_response.create(
        model="whisper-1", file=("renamed.wav", audio, "audio/wav"))
    assert (first.headers["x-gistcache"], second.headers["x-gistcache"]) == ("miss", "hit-exact")
    assert second.parse().text == first.parse().text and first.parse().text.startswith(
        "transcript ")
    other = client.audio.transcriptions.with_raw_response.create(
        model="whisper-1", file=("b.wav", audio[:-1] + b"\x00", "audio/wav"))
    assert other.headers["x-gistcache"] == "miss"
    # (the SDK marks translations deprecated: plain HTTP here)
    translated = httpx.post(str(client.base_url) + "audio/translations",
                            files={"file": ("a.wav", audio)}, data={"model": "whisper-1"},
                            headers={"authorization": f"Bearer {up.api_key}"})
    assert translated.headers["x-gistcache"] == "miss"  # another endpoint, another scope
    assert translated.json()["text"].startswith("translation ")
    assert up.call_count("/audio/transcriptions") == 2


def test_transcription_formats_are_scope_and_replayed(client: openai.OpenAI,
                                                      proxy: ServerThread) -> None:
    audio = b"RIFF" + bytes(range(256)) * 20
    text = client.audio.transcriptions.create(model="whisper-1", file=("a.wav", audio),
                                              response_format="text")
    raw = httpx.post(proxy.base_url + "/audio/transcriptions",
                     files={"file": ("a.wav", audio)},
                     data={"model": "whisper-1", "response_format": "text"},
                     headers={"authorization": "Bearer sk-fake"})
    assert raw.headers["x-gistcache"] == "hit-exact"
    assert raw.headers["content-type"].startswith("text/plain")
    assert raw.text == str(text)
    verbose = client.audio.transcriptions.with_raw_response.create(
        model="whisper-1", file=("a.wav", audio), response_format="verbose_json")
    again = client.audio.transcriptions.with_raw_response.create(
        model="whisper-1", file=("a.wav", audio), response_format="verbose_json")
    assert (verbose.headers["x-gistcache"], again.headers["x-gistcache"]) == ("miss", "hit-exact")
    assert again.parse().duration == verbose.parse().duration


def test_audio_limits_and_malformed_uploads(proxy: ServerThread, up: FakeOpenAI) -> None:
    auth = {"authorization": f"Bearer {up.api_key}"}
    huge = httpx.post(proxy.base_url + "/audio/transcriptions",
                      files={"file": ("big.wav", b"\x00" * 70_000)}, data={"model": "whisper-1"},
                      headers=auth)
    assert huge.status_code == 413
    as_json = httpx.post(proxy.base_url + "/audio/transcriptions", json={"model": "whisper-1"},
                         headers=auth)
    assert as_json.status_code == 400 and "multipart" in as_json.json()["error"]["message"]
    no_file = httpx.post(proxy.base_url + "/audio/transcriptions",
                         files={"other": ("x.txt", b"abc")}, data={"model": "whisper-1"},
                         headers=auth)
    assert no_file.status_code == 400 and "'file'" in no_file.json()["error"]["message"]
    no_model = httpx.post(proxy.base_url + "/audio/transcriptions",
                          files={"file": ("a.wav", b"abc")}, headers=auth)
    assert no_model.status_code == 400 and "model" in no_model.json()["error"]["message"]
    assert up.call_count("/audio/transcriptions") == 0
