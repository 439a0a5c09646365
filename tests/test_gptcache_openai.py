"""The GPTCache OpenAI adapter's hooks and models: ``llm``, ``cache_args``, Moderation,
upstream errors as ``CacheError``, sessions, unscoped entries, images and audio."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai as openai_sdk
import pytest

from gistcache.gptcache import Cache
from gistcache.gptcache.adapter import api
from gistcache.gptcache.adapter import openai as legacy
from gistcache.gptcache.manager import manager_factory
from gistcache.gptcache.processor.pre import get_openai_moderation_input
from gistcache.gptcache.session import Session
from gistcache.gptcache.utils.error import CacheError
from gistcache.testing import FakeOpenAI

MODEL = "gpt-3.5-turbo"


def _ask(text: str, *earlier: dict[str, str]) -> list[dict[str, str]]:
    return [*earlier, {"role": "user", "content": text}]


def _content(resp: dict[str, Any]) -> str:
    return str(resp["choices"][0]["message"]["content"])


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def up(server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    server.reset()
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", server.api_key)
    monkeypatch.setattr(legacy, "api_key", None)
    monkeypatch.setattr(legacy, "api_base", None)
    yield server
    server.reset()


@pytest.fixture
def make(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.chdir(tmp_path)
    made: list[Cache] = []

    def make_one(**init: Any) -> Cache:
        obj = Cache(background=False)
        obj.init(**init)
        made.append(obj)
        return obj

    yield make_one
    for obj in made:
        obj.close()


@pytest.fixture
def hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Class hooks set by a test are put back afterwards."""
    for cls in (legacy.ChatCompletion, legacy.Completion, legacy.Moderation):
        monkeypatch.setattr(cls, "llm", None)
        monkeypatch.setattr(cls, "cache_args", {})


# -- the class hooks ----------------------------------------------------------------------------


def test_llm_replaces_the_model_call_on_a_miss(make: Any, hooks: None) -> None:
    calls: list[dict[str, Any]] = []

    def proxy(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append(kwargs)
        text = f"proxied: {kwargs['messages'][-1]['content']}"
        return {"id": "x", "object": "chat.completion", "created": 0, "model": kwargs["model"],
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": text}}],
                "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}

    c = make()
    legacy.ChatCompletion.llm = proxy
    legacy.ChatCompletion.cache_args = {"cache_obj": c}
    first = legacy.ChatCompletion.create(model=MODEL, messages=_ask("what's github"))
    again = legacy.ChatCompletion.create(model=MODEL, messages=_ask("what's github"))
    assert _content(first) == _content(again) == "proxied: what's github"
    assert again["gptcache"] is True and len(calls) == 1
    assert "cache_obj" not in calls[0]  # cache keywords never reach the model
    assert c.native.stats()["entries"] == 1


def test_fill_base_args_keeps_what_the_call_sets(hooks: None) -> None:
    legacy.ChatCompletion.cache_args = {"cache_obj": "default", "cache_skip": False}
    merged = legacy.ChatCompletion.fill_base_args(cache_skip=True, model=MODEL)
    assert merged == {"cache_skip": True, "model": MODEL, "cache_obj": "default"}
    assert legacy.Completion.fill_base_args(x=1) == {"x": 1}


def test_upstream_errors_are_their_own_type_and_a_cache_error(make: Any, up: FakeOpenAI
                                                              ) -> None:
    c = make()
    up.fail_next(429)
    with pytest.raises(openai_sdk.RateLimitError) as info:
        legacy.ChatCompletion.create(model=MODEL, messages=_ask("hi"), cache_obj=c,
                                     max_retries=0)
    assert isinstance(info.value, CacheError)
    with pytest.raises(CacheError):
        up.fail_next(500)
        legacy.Completion.create(model="gpt-3.5-turbo-instruct", prompt="x", cache_obj=c,
                                 max_retries=0)


# -- moderation ---------------------------------------------------------------------------------


def _moderation(*args: Any, **kwargs: Any) -> dict[str, Any]:
    inputs = kwargs["input"] if isinstance(kwargs["input"], list) else [kwargs["input"]]
    return {"id": "modr-1", "model": "text-moderation-007", "results": [
        {"flagged": "kill" in text, "categories": {"violence": "kill" in text}}
        for text in inputs]}


def test_moderation_is_cached_by_its_input(make: Any, hooks: None) -> None:
    c = make(pre_embedding_func=get_openai_moderation_input,
             data_manager=manager_factory("map"))
    calls: list[Any] = []

    def counted(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append(kwargs["input"])
        return _moderation(**kwargs)

    legacy.Moderation.llm = counted
    miss = legacy.Moderation.create(input="I want to kill them.", cache_obj=c)
    hit = legacy.Moderation.create(input="I want to kill them.", cache_obj=c)
    assert miss["results"][0]["flagged"] is True and "gptcache" not in miss
    assert hit["results"] == miss["results"] and hit["gptcache"] is True
    both = legacy.Moderation.create(input=["I want to kill them.", "hello"], cache_obj=c)
    assert [r["flagged"] for r in both["results"]] == [True, False]
    assert len(calls) == 2


def test_moderation_on_a_default_cache_keys_by_the_input(make: Any, hooks: None) -> None:
    c = make(data_manager=manager_factory("map"))
    legacy.Moderation.llm = _moderation
    legacy.Moderation.create(input="hello there", cache_obj=c)
    assert legacy.Moderation.create(input="hello there", cache_obj=c)["gptcache"] is True
    assert "gptcache" not in legacy.Moderation.create(input="hello there", model="other",
                                                      cache_obj=c)


# -- sessions and unscoped entries --------------------------------------------------------------


def test_a_session_gets_a_fresh_answer_to_its_repeated_question(make: Any,
                                                                up: FakeOpenAI) -> None:
    c = make()
    session, other = Session("s1"), Session("s2")
    legacy.ChatCompletion.create(model=MODEL, messages=_ask("tell me a joke"), cache_obj=c,
                                 session=session)
    legacy.ChatCompletion.create(model=MODEL, messages=_ask("tell me a joke"), cache_obj=c,
                                 session=session)
    assert up.call_count("/chat/completions") == 2
    hit = legacy.ChatCompletion.create(model=MODEL, messages=_ask("tell me a joke"),
                                       cache_obj=c, session=other)
    assert hit["gptcache"] is True and up.call_count("/chat/completions") == 2


def test_put_entries_answer_first_questions_of_any_model(make: Any, up: FakeOpenAI) -> None:
    c = make(data_manager=manager_factory("map"))
    api.put("what's github", "GitHub hosts git repositories.", cache_obj=c)
    hit = legacy.ChatCompletion.create(model=MODEL, messages=_ask("what's github"), cache_obj=c)
    assert _content(hit) == "GitHub hosts git repositories." and hit["gptcache"] is True
    system = {"role": "system", "content": "You are a helpful assistant."}
    with_system = legacy.ChatCompletion.create(model="gpt-4o", cache_obj=c,
                                               messages=_ask("what's github", system))
    assert with_system["gptcache"] is True
    follow_up = _ask("what's github", {"role": "user", "content": "I use gitlab"},
                     {"role": "assistant", "content": "ok"})
    answer = legacy.ChatCompletion.create(model=MODEL, messages=follow_up, cache_obj=c)
    assert "gptcache" not in answer  # a follow-up is never answered by an unscoped entry
    assert up.call_count("/chat/completions") == 1


def test_import_data_then_chat_like_gptcache_benchmark(make: Any, up: FakeOpenAI) -> None:
    c = make(data_manager=manager_factory("map"))
    c.import_data(questions=["what is sqlite", "what is faiss"], answers=["0", "1"])
    resp = legacy.ChatCompletion.create(model=MODEL, cache_obj=c, messages=[
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "what is faiss"}])
    assert legacy.get_message_from_openai_answer(resp) == "1"
    assert up.call_count("/chat/completions") == 0


# -- images and audio ---------------------------------------------------------------------------


def test_an_image_hit_in_url_format_is_a_local_path_at_the_asked_size(
        make: Any, up: FakeOpenAI, tmp_path: Path) -> None:
    from PIL import Image as PILImage

    c = make()
    legacy.Image.create(prompt="a white siamese cat", n=1, size="256x256", cache_obj=c)
    hit = legacy.Image.create(prompt="a white siamese cat", n=1, size="256x256", cache_obj=c)
    path = Path(hit["data"][0]["url"])
    assert hit["gptcache"] is True and path.is_absolute() and path.is_file()
    assert not hit["data"][0]["url"].startswith("file:")
    with PILImage.open(path) as img:  # the fake upstream draws 8x8 images: resized on a hit
        assert img.size == (256, 256)
    b64 = legacy.Image.create(prompt="a white siamese cat", n=1, size="256x256",
                              response_format="b64_json", cache_obj=c)
    with PILImage.open(io.BytesIO(base64.b64decode(b64["data"][0]["b64_json"]))) as img:
        assert img.size == (256, 256)


class _Unseekable(io.RawIOBase):
    """An HTTP response body: readable once, no seeking."""

    def __init__(self, data: bytes, name: str) -> None:
        self._buf = io.BytesIO(data)
        self.name = name

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, b: Any) -> int:
        return self._buf.readinto(b)


def test_audio_from_a_stream_that_cannot_seek(make: Any, up: FakeOpenAI) -> None:
    c = make()
    audio = b"RIFF" + bytes(range(256)) * 50
    miss = legacy.Audio.transcribe("whisper-1", _Unseekable(audio, "/tmp/talk.wav"),
                                   cache_obj=c)
    hit = legacy.Audio.transcribe("whisper-1", _Unseekable(audio, "talk.wav"), cache_obj=c)
    assert hit["text"] == miss["text"] and hit["gptcache"] is True
    assert up.call_count("/audio/transcriptions") == 1
