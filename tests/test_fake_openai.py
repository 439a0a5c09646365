"""The fake OpenAI upstream, driven by the official SDK and by raw HTTP."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import math
import signal
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from openai.types import Completion, CreateEmbeddingResponse, ImagesResponse, Model
from openai.types.audio import Transcription
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from gistcache.testing import FakeOpenAI, RecordedCall

MODEL = "gpt-4o-mini"


def _user(text: str) -> list[Any]:
    return [{"role": "user", "content": text}]


@pytest.fixture
def up() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def client(up: FakeOpenAI) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=up.base_url, api_key=up.api_key, max_retries=0) as sdk:
        yield sdk


def _raw(
    up: FakeOpenAI,
    path: str,
    body: bytes | None = None,
    *,
    method: str = "POST",
    key: str | None = "default",
    content_type: str = "application/json",
) -> tuple[int, dict[str, str], bytes]:
    """Send one request with urllib; returns status, headers and body, errors included."""
    headers = {"Content-Type": content_type}
    if key is not None:
        headers["Authorization"] = f"Bearer {up.api_key if key == 'default' else key}"
    request = urllib.request.Request(up.url + path, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read()


def _error_of(payload: bytes) -> dict[str, Any]:
    error = json.loads(payload)["error"]
    assert set(error) == {"message", "type", "param", "code"}
    return dict(error)


# -- chat ------------------------------------------------------------------------------------


def test_chat_completion_is_typed_and_deterministic(client: openai.OpenAI) -> None:
    first = client.chat.completions.create(model=MODEL, messages=_user("What is 2+2?"))
    again = client.chat.completions.create(model=MODEL, messages=_user("What is 2+2?"))
    assert isinstance(first, ChatCompletion)
    answer = first.choices[0].message.content
    assert answer is not None and "answer to: What is 2+2?" in answer
    assert first.choices[0].finish_reason == "stop"
    assert again.choices[0].message.content == answer
    assert first.id != again.id
    assert first.usage is not None
    assert first.usage.prompt_tokens == 3
    assert first.usage.completion_tokens == len(answer.split())


def test_chat_answer_depends_on_model_and_whole_conversation(client: openai.OpenAI) -> None:
    def ask(model: str, messages: list[Any]) -> str | None:
        reply = client.chat.completions.create(model=model, messages=messages)
        return reply.choices[0].message.content

    base = ask(MODEL, _user("How old is he?"))
    other_model = ask("gpt-4o", _user("How old is he?"))
    history = [
        {"role": "user", "content": "Who wrote Hamlet?"},
        {"role": "assistant", "content": "Shakespeare."},
        {"role": "user", "content": "How old is he?"},
    ]
    other_history = ask(MODEL, history)
    assert len({base, other_model, other_history}) == 3
    assert all("How old is he?" in (text or "") for text in (base, other_model, other_history))


def test_chat_stream_assembles_to_the_plain_answer(client: openai.OpenAI) -> None:
    plain = client.chat.completions.create(model=MODEL, messages=_user("Tell me a fact"))
    stream = client.chat.completions.create(
        model=MODEL,
        messages=_user("Tell me a fact"),
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert all(isinstance(chunk, ChatCompletionChunk) for chunk in chunks)
    with_choices = [chunk for chunk in chunks if chunk.choices]
    assert with_choices[0].choices[0].delta.role == "assistant"
    assert with_choices[-1].choices[0].finish_reason == "stop"
    pieces = [chunk.choices[0].delta.content or "" for chunk in with_choices]
    assert sum(1 for piece in pieces if piece) > 3  # a few characters per chunk
    assert "".join(pieces) == plain.choices[0].message.content
    assert chunks[-1].choices == [] and chunks[-1].usage == plain.usage
    assert all(chunk.usage is None for chunk in chunks[:-1])


def test_chat_stream_without_usage_option_has_no_usage_chunk(client: openai.OpenAI) -> None:
    chunks = list(client.chat.completions.create(model=MODEL, messages=_user("x"), stream=True))
    assert all(chunk.choices and chunk.usage is None for chunk in chunks)


def test_chat_n_gives_n_distinct_choices_plain_and_streamed(client: openai.OpenAI) -> None:
    plain = client.chat.completions.create(model=MODEL, messages=_user("Name a color"), n=3)
    assert [choice.index for choice in plain.choices] == [0, 1, 2]
    texts = [choice.message.content for choice in plain.choices]
    assert len(set(texts)) == 3
    streamed: dict[int, str] = {0: "", 1: "", 2: ""}
    for chunk in client.chat.completions.create(
        model=MODEL, messages=_user("Name a color"), n=3, stream=True
    ):
        for choice in chunk.choices:
            streamed[choice.index] += choice.delta.content or ""
    assert [streamed[i] for i in range(3)] == texts


TOOLS: list[Any] = [
    {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}},
    {"type": "function", "function": {"name": "other", "parameters": {"type": "object"}}},
]


def test_tool_call_when_asked_to_use_tool(client: openai.OpenAI) -> None:
    reply = client.chat.completions.create(
        model=MODEL, messages=_user("Please USE TOOL for Paris weather"), tools=TOOLS
    )
    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    assert choice.message.tool_calls is not None
    call = choice.message.tool_calls[0]
    assert call.type == "function" and call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"query": "Please USE TOOL for Paris weather"}

    no_tool = client.chat.completions.create(
        model=MODEL, messages=_user("Paris weather?"), tools=TOOLS
    )
    assert no_tool.choices[0].message.tool_calls is None
    assert no_tool.choices[0].finish_reason == "stop"


def test_tool_call_streamed_assembles_arguments(client: openai.OpenAI) -> None:
    name, arguments, finish = "", "", None
    for chunk in client.chat.completions.create(
        model=MODEL, messages=_user("use tool now"), tools=TOOLS, stream=True
    ):
        choice = chunk.choices[0]
        for call in choice.delta.tool_calls or []:
            assert call.function is not None
            name += call.function.name or ""
            arguments += call.function.arguments or ""
        finish = choice.finish_reason or finish
    assert (name, finish) == ("get_weather", "tool_calls")
    assert json.loads(arguments) == {"query": "use tool now"}


def test_json_mode_content_is_json(client: openai.OpenAI) -> None:
    reply = client.chat.completions.create(
        model=MODEL, messages=_user("Give JSON"), response_format={"type": "json_object"}
    )
    content = reply.choices[0].message.content
    assert content is not None
    assert "answer to: Give JSON" in json.loads(content)["answer"]


def test_max_tokens_truncates_with_length_finish(client: openai.OpenAI) -> None:
    reply = client.chat.completions.create(model=MODEL, messages=_user("long one"), max_tokens=2)
    assert reply.choices[0].finish_reason == "length"
    assert len((reply.choices[0].message.content or "").split()) == 2


def test_answer_fn_overrides_the_text(up: FakeOpenAI, client: openai.OpenAI) -> None:
    up.answer_fn = lambda body: f"{len(body['messages'])} message(s) to {body['model']}"
    reply = client.chat.completions.create(model=MODEL, messages=_user("hello"))
    assert reply.choices[0].message.content == f"1 message(s) to {MODEL}"


def test_chat_validation_errors(up: FakeOpenAI, client: openai.OpenAI) -> None:
    status, _, payload = _raw(up, "/v1/chat/completions", json.dumps({"messages": []}).encode())
    assert status == 400 and "model" in _error_of(payload)["message"]
    body = json.dumps({"model": MODEL, "messages": "hi"}).encode()
    status, _, payload = _raw(up, "/v1/chat/completions", body)
    assert status == 400 and _error_of(payload)["param"] == "messages"
    status, _, payload = _raw(up, "/v1/chat/completions", b"{not json")
    assert status == 400 and _error_of(payload)["type"] == "invalid_request_error"
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="does-not-exist", messages=_user("hi"))
    assert caught.value.code == "model_not_found"


def test_unknown_path_is_a_json_404(up: FakeOpenAI) -> None:
    status, headers, payload = _raw(up, "/v1/nothing-here", b"{}")
    assert status == 404
    assert headers["Content-Type"] == "application/json"
    assert _error_of(payload)["message"] == "Invalid URL (POST /v1/nothing-here)"


# -- completions, embeddings, models -----------------------------------------------------------


def test_completions_plain_list_and_stream(client: openai.OpenAI) -> None:
    plain = client.completions.create(model="gpt-3.5-turbo-instruct", prompt="Once upon")
    assert isinstance(plain, Completion)
    text = plain.choices[0].text
    assert "completion of: Once upon" in text

    several = client.completions.create(model="gpt-3.5-turbo-instruct", prompt=["a b", "c"])
    assert [choice.index for choice in several.choices] == [0, 1]
    assert several.choices[1].text.endswith("completion of: c")
    assert several.usage is not None and several.usage.prompt_tokens == 3

    chunks = list(
        client.completions.create(model="gpt-3.5-turbo-instruct", prompt="Once upon", stream=True)
    )
    assert all(isinstance(chunk, Completion) for chunk in chunks)
    assert "".join(chunk.choices[0].text for chunk in chunks) == text
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_embeddings_are_deterministic_unit_vectors(up: FakeOpenAI, client: openai.OpenAI) -> None:
    # The SDK asks for base64 by default and decodes it itself.
    reply = client.embeddings.create(model="text-embedding-3-small", input=["alpha", "beta"])
    assert isinstance(reply, CreateEmbeddingResponse)
    alpha, beta = (item.embedding for item in reply.data)
    assert len(alpha) == 64
    assert math.isclose(sum(x * x for x in alpha), 1.0, rel_tol=1e-5)
    assert alpha != beta
    single = client.embeddings.create(model="text-embedding-3-small", input="alpha")
    assert single.data[0].embedding == alpha
    assert up.calls[-1].body == {
        "model": "text-embedding-3-small",
        "input": "alpha",
        "encoding_format": "base64",
    }

    floats = client.embeddings.create(
        model="text-embedding-3-small", input="alpha", dimensions=16, encoding_format="float"
    )
    vector = floats.data[0].embedding
    assert len(vector) == 16
    assert math.isclose(sum(x * x for x in vector), 1.0, rel_tol=1e-5)
    status, _, payload = _raw(
        up,
        "/v1/embeddings",
        json.dumps(
            {"model": "m", "input": "alpha", "dimensions": 16, "encoding_format": "base64"}
        ).encode(),
    )
    packed = base64.b64decode(json.loads(payload)["data"][0]["embedding"])
    assert status == 200 and list(struct.unpack("<16f", packed)) == vector


def test_models_list_and_retrieve(client: openai.OpenAI) -> None:
    models = client.models.list().data
    assert all(isinstance(model, Model) for model in models)
    assert MODEL in {model.id for model in models}
    assert client.models.retrieve("whisper-1").id == "whisper-1"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("does-not-exist")


# -- images ------------------------------------------------------------------------------------


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    idat_length = struct.unpack(">I", data[33:37])[0]
    assert data[37:41] == b"IDAT"
    raw = zlib.decompress(data[41 : 41 + idat_length])
    assert len(raw) == height * (1 + 3 * width)  # filter byte + RGB per row
    return width, height


def test_image_b64_is_a_png_deterministic_per_prompt(client: openai.OpenAI) -> None:
    first = client.images.generate(prompt="a red fox", response_format="b64_json")
    again = client.images.generate(prompt="a red fox", response_format="b64_json")
    other = client.images.generate(prompt="a blue fox", response_format="b64_json")
    assert isinstance(first, ImagesResponse) and first.data is not None
    assert again.data is not None and other.data is not None
    png = base64.b64decode(first.data[0].b64_json or "")
    assert _png_size(png) == (8, 8)
    assert again.data[0].b64_json == first.data[0].b64_json
    assert other.data[0].b64_json != first.data[0].b64_json


def test_image_url_serves_the_png_until_it_expires(client: openai.OpenAI) -> None:
    now = [1000.0]
    with (
        FakeOpenAI(url_ttl=60, clock=lambda: now[0]) as up,
        openai.OpenAI(base_url=up.base_url, api_key=up.api_key, max_retries=0) as sdk,
    ):
        by_url = sdk.images.generate(prompt="a red fox", response_format="url")
        by_b64 = sdk.images.generate(prompt="a red fox", response_format="b64_json")
        assert by_url.data is not None and by_b64.data is not None
        url = by_url.data[0].url or ""
        assert url.startswith(up.url + "/files/") and url.endswith(".png")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.headers["Content-Type"] == "image/png"
            assert response.read() == base64.b64decode(by_b64.data[0].b64_json or "")
        now[0] += 59.9
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
        now[0] += 0.1
        with pytest.raises(urllib.error.HTTPError) as expired:
            urllib.request.urlopen(url, timeout=10)
        with expired.value:
            assert expired.value.code == 404
            assert _error_of(expired.value.read())["code"] == "url_expired"


# -- audio -------------------------------------------------------------------------------------


def test_transcription_of_a_3_mb_file(up: FakeOpenAI, client: openai.OpenAI) -> None:
    audio = bytes(range(256)) * (3 * 1024 * 1024 // 256) + b"\r\n--tail"
    digest = hashlib.sha256(audio).hexdigest()
    reply = client.audio.transcriptions.create(
        model="whisper-1", file=("talk.wav", audio, "audio/wav"), language="en", prompt="hi"
    )
    assert isinstance(reply, Transcription)
    assert reply.text == f"transcript {digest[:12]}"
    form = up.calls[-1].body
    assert form is not None
    assert form["file"] == {
        "filename": "talk.wav",
        "content_type": "audio/wav",
        "size": len(audio),
        "sha256": digest,
    }
    assert (form["model"], form["language"], form["prompt"]) == ("whisper-1", "en", "hi")

    as_text = client.audio.transcriptions.create(
        model="whisper-1", file=("talk.wav", audio), response_format="text"
    )
    assert as_text == f"transcript {digest[:12]}"
    with pytest.warns(DeprecationWarning):  # this SDK marks translations as deprecated
        translation = client.audio.translations.create(model="whisper-1", file=("t.wav", audio))
    assert translation.text == f"translation {digest[:12]}"


def test_transcription_without_file_is_400(client: openai.OpenAI, up: FakeOpenAI) -> None:
    status, _, payload = _raw(
        up,
        "/v1/audio/transcriptions",
        b'--XX\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--XX--\r\n',
        content_type="multipart/form-data; boundary=XX",
    )
    assert status == 400 and _error_of(payload)["param"] == "file"


# -- auth, faults, latency -----------------------------------------------------------------------


def test_requests_without_the_key_get_401(up: FakeOpenAI) -> None:
    wrong = openai.OpenAI(base_url=up.base_url, api_key="sk-wrong", max_retries=0)
    with wrong, pytest.raises(openai.AuthenticationError) as caught:
        wrong.models.list()
    assert caught.value.code == "invalid_api_key"
    status, _, payload = _raw(up, "/v1/models", method="GET", key=None)
    assert status == 401 and _error_of(payload)["code"] == "invalid_api_key"


def test_require_key_false_accepts_anything() -> None:
    with FakeOpenAI(require_key=False) as up:
        status, _, payload = _raw(up, "/v1/models", method="GET", key=None)
    assert status == 200 and json.loads(payload)["object"] == "list"


def test_fail_next_raises_the_sdk_error_then_recovers(
    client: openai.OpenAI, up: FakeOpenAI
) -> None:
    up.fail_next(429, message="slow down")
    with pytest.raises(openai.RateLimitError) as limited:
        client.chat.completions.create(model=MODEL, messages=_user("hi"))
    assert limited.value.response.headers["retry-after"] == "1"
    assert limited.value.message.endswith("slow down")

    up.fail_next(500, times=2)
    for _ in range(2):
        with pytest.raises(openai.InternalServerError):
            client.chat.completions.create(model=MODEL, messages=_user("hi"))
    assert client.chat.completions.create(model=MODEL, messages=_user("hi")).choices
    assert up.call_count("/chat/completions") == 4


def test_sdk_retries_past_an_injected_503(up: FakeOpenAI) -> None:
    up.fail_next(503)
    with openai.OpenAI(base_url=up.base_url, api_key=up.api_key, max_retries=1) as retrying:
        reply = retrying.chat.completions.create(model=MODEL, messages=_user("hi"))
    assert reply.choices[0].message.content
    assert up.call_count() == 2


def test_dropped_stream_raises_during_iteration(client: openai.OpenAI, up: FakeOpenAI) -> None:
    up.drop_stream_after(3)
    received = []
    with pytest.raises(openai.APIConnectionError):
        for chunk in client.chat.completions.create(
            model=MODEL, messages=_user("a rather long question"), stream=True
        ):
            received.append(chunk)
    assert len(received) == 3
    # Only the next stream is dropped; the client's pool recovers.
    rest = list(client.chat.completions.create(model=MODEL, messages=_user("x"), stream=True))
    assert rest[-1].choices[0].finish_reason == "stop"


def test_hang_next_lets_client_timeouts_fire(client: openai.OpenAI, up: FakeOpenAI) -> None:
    up.hang_next(5)
    started = time.perf_counter()
    with pytest.raises(openai.APITimeoutError):
        client.with_options(timeout=0.3).models.list()
    assert time.perf_counter() - started < 3
    assert client.models.list().data  # the next request is not delayed


def test_latency_is_applied_before_answers_and_between_chunks(
    client: openai.OpenAI, up: FakeOpenAI
) -> None:
    up.latency = 0.2
    started = time.perf_counter()
    client.chat.completions.create(model=MODEL, messages=_user("hi"))
    assert time.perf_counter() - started >= 0.2

    up.latency, up.stream_chunk_delay = 0.0, 0.02
    started = time.perf_counter()
    chunks = list(client.chat.completions.create(model=MODEL, messages=_user("hi"), stream=True))
    assert time.perf_counter() - started >= 0.02 * (len(chunks) - 1)


# -- recording, HTTP behaviour, lifecycle ----------------------------------------------------------


def test_calls_are_recorded_without_the_key(client: openai.OpenAI, up: FakeOpenAI) -> None:
    client.chat.completions.create(model=MODEL, messages=_user("recorded?"), temperature=0)
    client.models.list()
    calls = up.calls
    assert [(c.method, c.path) for c in calls] == [
        ("POST", "/v1/chat/completions"),
        ("GET", "/v1/models"),
    ]
    first = calls[0]
    assert isinstance(first, RecordedCall)
    assert first.body == {"model": MODEL, "messages": _user("recorded?"), "temperature": 0}
    assert "authorization" not in first.headers
    assert up.api_key not in json.dumps(first.headers)
    assert first.headers["content-type"] == "application/json"
    assert (up.call_count(), up.call_count("/models"), up.call_count("/embeddings")) == (2, 1, 0)
    up.reset()
    assert up.calls == [] and up.call_count() == 0


def test_keep_alive_serves_many_requests_on_one_connection(up: FakeOpenAI) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", up.port, timeout=10)
    headers = {"Authorization": f"Bearer {up.api_key}", "Content-Type": "application/json"}
    body = {"model": MODEL, "messages": _user("hi"), "stream": True}
    try:
        connection.request("POST", "/v1/chat/completions", json.dumps(body), headers)
        first = connection.getresponse()
        stream = first.read().decode()
        assert first.getheader("Transfer-Encoding") == "chunked"
        assert stream.endswith("data: [DONE]\n\n")
        socket_used = connection.sock
        # A chunked request body too (curl -T style).
        connection.request(
            "POST",
            "/v1/chat/completions",
            iter([json.dumps({**body, "stream": False}).encode()]),
            headers,
            encode_chunked=True,
        )
        second = connection.getresponse()
        assert second.status == 200 and json.loads(second.read())["object"] == "chat.completion"
        assert connection.sock is socket_used
    finally:
        connection.close()


async def test_async_client_gets_typed_objects(up: FakeOpenAI) -> None:
    async with openai.AsyncOpenAI(base_url=up.base_url, api_key=up.api_key, max_retries=0) as sdk:
        plain = await sdk.chat.completions.create(model=MODEL, messages=_user("async?"))
        stream = await sdk.chat.completions.create(
            model=MODEL, messages=_user("async?"), stream=True
        )
        text = "".join([chunk.choices[0].delta.content or "" async for chunk in stream])
        embedded = await sdk.embeddings.create(model="text-embedding-3-small", input="async?")
        up.fail_next(429)
        with pytest.raises(openai.RateLimitError):
            await sdk.models.list()
    assert isinstance(plain, ChatCompletion)
    assert text == plain.choices[0].message.content
    assert isinstance(embedded, CreateEmbeddingResponse) and len(embedded.data[0].embedding) == 64


def test_stop_closes_the_port_and_logs_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    with FakeOpenAI() as up:
        base = up.url
        assert _raw(up, "/v1/models", method="GET")[0] == 200
        assert _raw(up, "/v1/nope", b"{}")[0] == 404
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(base + "/v1/models", timeout=2)
    assert capfd.readouterr().err == ""
    with pytest.raises(RuntimeError):
        _ = up.base_url


def test_cli_runs_in_the_foreground_until_ctrl_c() -> None:
    command = [
        sys.executable,
        "-m",
        "gistcache.testing.fake_openai",
        "--port",
        "0",
        "--api-key",
        "sk-cli",
    ]
    pipe = subprocess.PIPE
    with subprocess.Popen(command, stdout=pipe, stderr=pipe, text=True) as proc:
        try:
            assert proc.stdout is not None
            banner = proc.stdout.readline()
            base_url = banner.split()[4]
            assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v1")
            with openai.OpenAI(base_url=base_url, api_key="sk-cli", max_retries=0) as sdk:
                assert sdk.models.retrieve("gpt-4o").id == "gpt-4o"
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
