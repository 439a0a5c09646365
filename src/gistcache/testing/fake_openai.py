"""A fake OpenAI-compatible upstream HTTP server for tests, demos and benchmarks.

It speaks OpenAI's chat, completions, embeddings, images, audio and Responses APIs under
``base_url`` (``.../v1``), and Anthropic's Messages API (``POST /v1/messages``, key in
``x-api-key`` or as a bearer token) under ``url``: point
``anthropic.Anthropic(base_url=fake.url, ...)`` at it.

Standard library only. Answers are deterministic, so a test can tell which request an
answer belongs to; faults (error statuses, dropped streams, hangs) and latency are injected
on demand::

    with FakeOpenAI(latency=0.0) as up:
        client = openai.OpenAI(base_url=up.base_url, api_key=up.api_key)
        up.fail_next(429)

Run it in the foreground for demos and benchmarks::

    python -m gistcache.testing.fake_openai --port 8099 --latency 0.8
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import email.message
import email.parser
import email.utils
import hashlib
import json
import logging
import math
import socket
import struct
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

__all__ = ["AnswerFn", "FakeOpenAI", "RecordedCall", "main"]

logger = logging.getLogger(__name__)

AnswerFn = Callable[[dict[str, Any]], str]
"""Turns a request body into the answer text (chat: the whole body; completions: one prompt)."""

UNKNOWN_MODEL = "does-not-exist"
MODELS = (
    "gpt-4o-mini",
    "gpt-4o",
    "gpt-3.5-turbo",
    "gpt-3.5-turbo-instruct",
    "text-embedding-3-small",
    "text-embedding-3-large",
    "dall-e-2",
    "dall-e-3",
    "whisper-1",
)
_MODEL_CREATED = 1_700_000_000
_STREAM_PIECE_CHARS = 4
_DEFAULT_EMBEDDING_DIMENSIONS = 64
_PNG_SIDE = 8
_MAX_BODY_BYTES = 64 * 1024 * 1024
#: the paths of Anthropic's API (its key, headers and error shape)
_ANTHROPIC_PATHS = frozenset({"/v1/messages", "/v1/messages/count_tokens"})
_READ_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class RecordedCall:
    """One request the fake received; the Authorization value is never kept."""

    method: str
    path: str
    body: dict[str, Any] | None
    headers: dict[str, str]


class _ApiError(Exception):
    """An error answered in OpenAI's JSON shape."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type_: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.code = code
        self.param = param
        self.headers = headers or {}

    def to_response(self, *, anthropic: bool = False) -> _Response:
        if anthropic:
            from ._fake_anthropic import ERROR_TYPES

            kind = ERROR_TYPES.get(self.status, "api_error")
            return _Response.json({"type": "error", "error": {"type": kind,
                                                              "message": self.message}},
                                  status=self.status, headers=self.headers)
        error = {"message": self.message, "type": self.type, "param": self.param, "code": self.code}
        return _Response.json({"error": error}, status=self.status, headers=self.headers)


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(
        cls, obj: object, *, status: int = 200, headers: dict[str, str] | None = None
    ) -> _Response:
        data = json.dumps(obj).encode()
        return cls(status, data, "application/json", dict(headers or {}))


@dataclass
class _EventStream:
    events: list[dict[str, Any]]
    drop_after: int | None  # close the connection after this many events, no [DONE]
    #: end the body properly after ``drop_after`` events, still without [DONE]
    clean_drop: bool = False
    #: the data line that ends the stream (typed event streams have none)
    done: bool = True


@dataclass
class _Failure:
    status: int
    message: str
    retry_after: float


@dataclass
class _Planned:
    """One choice of a chat answer: either text or a tool call."""

    text: str | None
    tool_call: dict[str, Any] | None
    finish_reason: str


class FakeOpenAI:
    """An OpenAI-compatible HTTP server on 127.0.0.1 in a daemon thread, for tests.

    ``latency``, ``stream_chunk_delay``, ``url_ttl``, ``require_key`` and ``answer_fn`` may
    be changed at any time. ``answer_fn`` gets the chat body (or, for completions, the body
    with one ``prompt``); choices after the first get a `` [choice i]`` suffix. ``clock``
    only times image URL expiry. ``calls`` records API requests, not ``/files`` downloads.
    """

    def __init__(
        self,
        *,
        latency: float = 0.0,
        stream_chunk_delay: float = 0.0,
        api_key: str = "sk-fake",
        require_key: bool = True,
        url_ttl: float | None = None,
        answer_fn: AnswerFn | None = None,
        clock: Callable[[], float] = time.monotonic,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
    ) -> None:
        self.latency = latency
        self.stream_chunk_delay = stream_chunk_delay
        self.api_key = api_key
        self.require_key = require_key
        self.url_ttl = url_ttl
        self.answer_fn = answer_fn
        self.verbose = verbose
        self._clock = clock
        self._host = host
        self._requested_port = port
        self._lock = threading.Lock()
        self._calls: list[RecordedCall] = []
        self._failures: deque[_Failure] = deque()
        self._drops: deque[tuple[int, bool]] = deque()
        self._garbage: deque[bytes] = deque()
        self._hangs: deque[float] = deque()
        self._files: dict[str, tuple[bytes, float]] = {}
        self._responses: set[str] = set()  # ids of stored responses (previous_response_id)
        self._ids = 0
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeOpenAI:
        """Bind the port and serve in a daemon thread; returns self."""
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server((self._host, self._requested_port), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-openai-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake sleeping handlers and close open keep-alive connections."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        server.close_connections()
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeOpenAI is not running; call start() or use it as a context")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Root URL, e.g. ``http://127.0.0.1:8099``."""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What to pass as an OpenAI client's ``base_url``."""
        return f"{self.url}/v1"

    # -- inspection ------------------------------------------------------------------------

    @property
    def calls(self) -> list[RecordedCall]:
        """A snapshot of the requests received so far, oldest first."""
        with self._lock:
            return list(self._calls)

    def call_count(self, path_suffix: str | None = None) -> int:
        """Number of requests received, optionally only those whose path ends with a suffix."""
        with self._lock:
            if path_suffix is None:
                return len(self._calls)
            return sum(1 for call in self._calls if call.path.endswith(path_suffix))

    def reset(self) -> None:
        """Forget recorded calls, pending faults and served files (settings are kept)."""
        with self._lock:
            self._calls.clear()
            self._failures.clear()
            self._drops.clear()
            self._garbage.clear()
            self._hangs.clear()
            self._files.clear()
            self._responses.clear()

    # -- fault injection -------------------------------------------------------------------

    def fail_next(
        self,
        status: int = 500,
        times: int = 1,
        message: str | None = None,
        *,
        retry_after: float = 1.0,
    ) -> None:
        """Answer the next ``times`` API requests with ``status`` in OpenAI's error shape."""
        text = message or _default_failure_message(status)
        with self._lock:
            self._failures.extend(_Failure(status, text, retry_after) for _ in range(times))

    def drop_stream_after(self, n_chunks: int, *, clean: bool = False) -> None:
        """Make the next stream stop after ``n_chunks`` events, with no [DONE]: by closing the
        connection mid-body, or with ``clean=True`` by ending the body properly."""
        with self._lock:
            self._drops.append((n_chunks, clean))

    def garbage_next(self, body: bytes = b'{"object": "nonsense", "note": "not an answer"}',
                     times: int = 1) -> None:
        """Answer the next ``times`` API requests with status 200 and ``body`` (as JSON)."""
        with self._lock:
            self._garbage.extend(body for _ in range(times))

    def hang_next(self, seconds: float) -> None:
        """Make the next API request sleep ``seconds`` before it is answered."""
        with self._lock:
            self._hangs.append(seconds)

    # -- request handling (called from handler threads) ------------------------------------

    def _next_id(self, prefix: str) -> str:
        with self._lock:
            self._ids += 1
            return f"{prefix}-fake{self._ids:06d}"

    def _remember_response(self, response_id: str) -> None:
        with self._lock:
            self._responses.add(response_id)

    def _knows_response(self, response_id: str) -> bool:
        with self._lock:
            return response_id in self._responses

    def _record(self, call: RecordedCall) -> None:
        with self._lock:
            self._calls.append(call)

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def _handle_api(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        body: dict[str, Any] | None,
        files: dict[str, bytes],
        host: str,
    ) -> _Response | _EventStream:
        with self._lock:
            hang = self._hangs.popleft() if self._hangs else 0.0
        self._sleep(hang)
        self._sleep(self.latency)
        route = (method, path.rstrip("/"))
        anthropic = method == "POST" and route[1] in _ANTHROPIC_PATHS
        if anthropic and "anthropic-version" not in headers:
            raise _ApiError(400, "anthropic-version: header is required")
        # Anthropic takes its key in x-api-key or (as its SDK sends it now) as a bearer token
        keyed = headers.get("authorization") == f"Bearer {self.api_key}" or (
            anthropic and headers.get("x-api-key") == self.api_key)
        if self.require_key and not keyed:
            raise _ApiError(
                401, "Incorrect API key provided (fake server).", code="invalid_api_key"
            )
        with self._lock:
            failure = self._failures.popleft() if self._failures else None
        if failure is not None:
            raise _failure_error(failure)
        with self._lock:
            garbage = self._garbage.popleft() if self._garbage else None
        if garbage is not None:
            return _Response(200, garbage, "application/json")
        if body is None:
            raise _ApiError(
                400,
                "We could not parse the JSON body of your request. (HINT: This likely means you"
                " aren't using your HTTP library correctly.)",
            )
        if route == ("POST", "/v1/chat/completions"):
            return self._chat(body)
        if route == ("POST", "/v1/completions"):
            return self._completions(body)
        if route == ("POST", "/v1/embeddings"):
            return _embeddings(body)
        if route == ("POST", "/v1/responses"):
            from ._fake_responses import responses

            return responses(self, body)
        if anthropic:
            from ._fake_anthropic import count_tokens, messages

            return messages(self, body) if route[1] == "/v1/messages" else count_tokens(body)
        if route == ("POST", "/v1/images/generations"):
            return self._images(body, host)
        if route == ("POST", "/v1/audio/transcriptions"):
            return _audio(body, files, "transcript")
        if route == ("POST", "/v1/audio/translations"):
            return _audio(body, files, "translation")
        if route == ("GET", "/v1/models"):
            models = [_model_object(model) for model in MODELS]
            return _Response.json({"object": "list", "data": models})
        if method == "GET" and path.startswith("/v1/models/"):
            model = path.removeprefix("/v1/models/")
            if model not in MODELS:
                raise _model_not_found(model)
            return _Response.json(_model_object(model))
        raise _ApiError(404, f"Invalid URL ({method} {path})")

    def _serve_file(self, path: str) -> _Response:
        name = path.removeprefix("/files/")
        with self._lock:
            entry = self._files.get(name)
        if entry is None:
            raise _ApiError(404, f"No such file: {name}")
        data, created = entry
        if self.url_ttl is not None and self._clock() - created >= self.url_ttl:
            raise _ApiError(404, f"The URL of {name} has expired.", code="url_expired")
        return _Response(200, data, "image/png")

    def _stream(self, events: list[dict[str, Any]], *, done: bool = True) -> _EventStream:
        with self._lock:
            drop = self._drops.popleft() if self._drops else None
        if drop is None:
            return _EventStream(events, None, done=done)
        return _EventStream(events, drop[0], clean_drop=drop[1], done=done)

    # -- endpoints ---------------------------------------------------------------------------

    def _chat(self, body: dict[str, Any]) -> _Response | _EventStream:
        model = _require_model(body)
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise _ApiError(400, "'messages' must be a non-empty list.", param="messages")
        plans = self._plan_chat(body, messages, _choice_count(body))
        prompt_tokens = sum(_words(_content_text(m)) for m in messages if isinstance(m, dict))
        completion_tokens = sum(_plan_tokens(plan) for plan in plans)
        usage = _usage(prompt_tokens, completion_tokens)
        chat_id, created = self._next_id("chatcmpl"), int(time.time())
        head = {"id": chat_id, "created": created, "model": model, "system_fingerprint": "fp_fake"}
        if not body.get("stream"):
            choices = [
                {
                    "index": i,
                    "message": _chat_message(plan),
                    "logprobs": None,
                    "finish_reason": plan.finish_reason,
                }
                for i, plan in enumerate(plans)
            ]
            return _Response.json(
                {**head, "object": "chat.completion", "choices": choices, "usage": usage}
            )
        include_usage = _include_usage(body)
        events = []
        for i, plan in enumerate(plans):
            for delta, finish in _chat_deltas(plan):
                choice = {"index": i, "delta": delta, "logprobs": None, "finish_reason": finish}
                events.append({**head, "object": "chat.completion.chunk", "choices": [choice]})
        if include_usage:
            for event in events:
                event["usage"] = None
            last = {**head, "object": "chat.completion.chunk", "choices": [], "usage": usage}
            events.append(last)
        return self._stream(events)

    def _plan_chat(self, body: dict[str, Any], messages: list[Any], n: int) -> list[_Planned]:
        last_user = _last_user_text(messages)
        tools = body.get("tools")
        tool_choice = body.get("tool_choice")
        if (
            isinstance(tools, list)
            and tools
            and tool_choice != "none"
            and "use tool" in last_user.lower()
        ):
            name = _tool_name(tools, tool_choice)
            arguments = json.dumps({"query": last_user})
            return [
                _Planned(None, _tool_call(name, arguments, self._next_id("call")), "tool_calls")
                for _ in range(n)
            ]
        text = self.answer_fn(body) if self.answer_fn else _default_chat_answer(body, messages)
        plans = []
        for i in range(n):
            answer = text if i == 0 else f"{text} [choice {i}]"
            answer, finish = _truncate(answer, body)
            if _wants_json(body):
                answer = json.dumps({"answer": answer})
            plans.append(_Planned(answer, None, finish))
        return plans

    def _completions(self, body: dict[str, Any]) -> _Response | _EventStream:
        model = _require_model(body)
        prompt = body.get("prompt")
        if isinstance(prompt, str):
            prompts = [prompt]
        elif isinstance(prompt, list) and prompt and all(isinstance(p, str) for p in prompt):
            prompts = list(prompt)
        elif isinstance(prompt, list) and prompt:  # token ids, or lists of them
            prompts = [" ".join(map(str, p)) if isinstance(p, list) else str(p) for p in prompt]
        else:
            raise _ApiError(400, "'prompt' must be a string or a non-empty list.", param="prompt")
        n = _choice_count(body)
        texts: list[tuple[str, str]] = []
        for prompt_text in prompts:
            one = {**body, "prompt": prompt_text}
            base = (
                self.answer_fn(one)
                if self.answer_fn
                else f"[fake {model}] completion of: {prompt_text}"
            )
            for i in range(n):
                texts.append(_truncate(base if i == 0 else f"{base} [choice {i}]", body))
        usage = _usage(sum(_words(p) for p in prompts), sum(_words(t) for t, _ in texts))
        head = {
            "id": self._next_id("cmpl"),
            "object": "text_completion",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": "fp_fake",
        }
        if not body.get("stream"):
            choices = [
                {"index": i, "text": text, "logprobs": None, "finish_reason": finish}
                for i, (text, finish) in enumerate(texts)
            ]
            return _Response.json({**head, "choices": choices, "usage": usage})
        events = []
        for i, (text, finish) in enumerate(texts):
            steps: list[tuple[str, str | None]] = [(p, None) for p in _pieces(text)]
            for piece, step_finish in [*steps, ("", finish)]:
                choice = {"index": i, "text": piece, "logprobs": None, "finish_reason": step_finish}
                events.append({**head, "choices": [choice]})
        if _include_usage(body):
            for event in events:
                event["usage"] = None
            events.append({**head, "choices": [], "usage": usage})
        return self._stream(events)

    def _images(self, body: dict[str, Any], host: str) -> _Response:
        _require_model(body, default="dall-e-2")
        prompt = body.get("prompt")
        if not isinstance(prompt, str) or not prompt:
            raise _ApiError(400, "'prompt' is required.", param="prompt")
        n = _choice_count(body, limit=10)
        response_format = body.get("response_format") or "url"
        if response_format not in ("url", "b64_json"):
            raise _ApiError(
                400, "'response_format' must be 'url' or 'b64_json'.", param="response_format"
            )
        data = []
        for i in range(n):
            png = _png(f"{i}:{prompt}".encode())
            if response_format == "b64_json":
                data.append({"b64_json": base64.b64encode(png).decode(), "revised_prompt": prompt})
                continue
            name = f"{self._next_id('img')}-{hashlib.sha256(png).hexdigest()[:12]}.png"
            with self._lock:
                self._files[name] = (png, self._clock())
            data.append({"url": f"http://{host}/files/{name}", "revised_prompt": prompt})
        return _Response.json({"created": int(time.time()), "data": data})


# -- chat helpers ------------------------------------------------------------------------------


def _plan_tokens(plan: _Planned) -> int:
    if plan.tool_call is not None:
        return _words(plan.tool_call["function"]["arguments"])
    return _words(plan.text)


def _content_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # multimodal parts: keep the text ones
        return " ".join(
            str(part.get("text", ""))
            for part in content
            if isinstance(part, dict) and part.get("type") == "text"
        )
    return ""


def _last_user_text(messages: list[Any]) -> str:
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            return _content_text(message)
    return ""


def _default_chat_answer(body: dict[str, Any], messages: list[Any]) -> str:
    # The digest covers the model and every message, so one question asked in two
    # conversations (or of two models) gets two different answers.
    context = json.dumps([body.get("model"), messages], sort_keys=True).encode()
    digest = hashlib.sha256(context).hexdigest()[:8]
    return f"[fake {body.get('model')}] answer to: {_last_user_text(messages)} (ctx {digest})"


def _tool_name(tools: list[Any], tool_choice: object) -> str:
    if isinstance(tool_choice, dict):
        forced = tool_choice.get("function", {}).get("name")
        if isinstance(forced, str):
            return forced
    first = tools[0] if isinstance(tools[0], dict) else {}
    name = first.get("function", {}).get("name")
    return name if isinstance(name, str) else "tool"


def _tool_call(name: str, arguments: str, call_id: str) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def _chat_message(plan: _Planned) -> dict[str, Any]:
    if plan.tool_call is not None:
        return {
            "role": "assistant",
            "content": None,
            "refusal": None,
            "tool_calls": [plan.tool_call],
        }
    return {"role": "assistant", "content": plan.text, "refusal": None}


def _chat_deltas(plan: _Planned) -> Iterator[tuple[dict[str, Any], str | None]]:
    """The deltas of one streamed choice: role first, a few characters each, finish last."""
    if plan.tool_call is not None:
        call = plan.tool_call
        opening = {
            "index": 0,
            "id": call["id"],
            "type": "function",
            "function": {"name": call["function"]["name"], "arguments": ""},
        }
        yield {"role": "assistant", "content": None, "tool_calls": [opening]}, None
        for piece in _pieces(call["function"]["arguments"]):
            yield {"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}, None
    else:
        yield {"role": "assistant", "content": ""}, None
        for piece in _pieces(plan.text or ""):
            yield {"content": piece}, None
    yield {}, plan.finish_reason


def _wants_json(body: dict[str, Any]) -> bool:
    response_format = body.get("response_format")
    return isinstance(response_format, dict) and response_format.get("type") in (
        "json_object",
        "json_schema",
    )


def _include_usage(body: dict[str, Any]) -> bool:
    options = body.get("stream_options")
    return isinstance(options, dict) and bool(options.get("include_usage"))


def _truncate(text: str, body: dict[str, Any]) -> tuple[str, str]:
    """Cut the answer to max_tokens words (one word counts as one token here)."""
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    words = text.split()
    if isinstance(limit, int) and 0 < limit < len(words):
        return " ".join(words[:limit]), "length"
    return text, "stop"


def _pieces(text: str) -> list[str]:
    return [text[i : i + _STREAM_PIECE_CHARS] for i in range(0, len(text), _STREAM_PIECE_CHARS)]


def _words(text: str | None) -> int:
    return len(text.split()) if text else 0


def _usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


# -- shared validation and errors ------------------------------------------------------------


def _require_model(body: dict[str, Any], default: str | None = None) -> str:
    model = body.get("model", default)
    if not isinstance(model, str) or not model:
        raise _ApiError(400, "You must provide a model parameter.", param="model")
    if model == UNKNOWN_MODEL:
        raise _model_not_found(model)
    return model


def _model_not_found(model: str) -> _ApiError:
    return _ApiError(
        404,
        f"The model `{model}` does not exist or you do not have access to it.",
        code="model_not_found",
    )


def _choice_count(body: dict[str, Any], limit: int = 128) -> int:
    n = body.get("n") or 1
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= limit:
        raise _ApiError(400, f"'n' must be an integer between 1 and {limit}.", param="n")
    return n


def _default_failure_message(status: int) -> str:
    if status == 429:
        return "Rate limit reached for requests (injected by the fake server)."
    if status >= 500:
        return "The server had an error while processing your request (injected)."
    return f"Injected failure with status {status}."


def _failure_error(failure: _Failure) -> _ApiError:
    if failure.status == 429:
        return _ApiError(
            429,
            failure.message,
            type_="requests",
            code="rate_limit_exceeded",
            headers={"retry-after": f"{failure.retry_after:g}"},
        )
    type_ = "server_error" if failure.status >= 500 else "invalid_request_error"
    return _ApiError(failure.status, failure.message, type_=type_)


def _model_object(model: str) -> dict[str, Any]:
    return {"id": model, "object": "model", "created": _MODEL_CREATED, "owned_by": "fake-openai"}


# -- embeddings, images, audio ---------------------------------------------------------------


def _embeddings(body: dict[str, Any]) -> _Response:
    model = _require_model(body)
    raw = body.get("input")
    if isinstance(raw, str):
        texts = [raw]
    elif isinstance(raw, list) and raw and all(isinstance(x, int) for x in raw):
        texts = [" ".join(map(str, raw))]  # one input given as token ids
    elif isinstance(raw, list) and raw:
        texts = [x if isinstance(x, str) else " ".join(map(str, x)) for x in raw]
    else:
        raise _ApiError(400, "'input' must be a string or a non-empty list.", param="input")
    if any(not text for text in texts):
        raise _ApiError(400, "'input' must not contain empty strings.", param="input")
    dimensions = body.get("dimensions") or _DEFAULT_EMBEDDING_DIMENSIONS
    if not isinstance(dimensions, int) or not 1 <= dimensions <= 4096:
        raise _ApiError(400, "'dimensions' must be an integer in [1, 4096].", param="dimensions")
    as_base64 = body.get("encoding_format") == "base64"
    data = []
    for index, text in enumerate(texts):
        packed = _unit_vector_f32(text, dimensions)
        vector: object = (
            base64.b64encode(packed).decode()
            if as_base64
            else list(struct.unpack(f"<{dimensions}f", packed))
        )
        data.append({"object": "embedding", "index": index, "embedding": vector})
    tokens = sum(_words(text) for text in texts)
    usage = {"prompt_tokens": tokens, "total_tokens": tokens}
    return _Response.json({"object": "list", "data": data, "model": model, "usage": usage})


def _unit_vector_f32(text: str, dimensions: int) -> bytes:
    """A deterministic unit vector for ``text``, as little-endian float32 (the API's encoding)."""
    stream = hashlib.shake_256(text.encode()).digest(2 * dimensions)
    values = [(v / 32767.5) - 1.0 for v in struct.unpack(f"<{dimensions}H", stream)]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return struct.pack(f"<{dimensions}f", *(v / norm for v in values))


def _png(seed: bytes) -> bytes:
    """A tiny valid RGB PNG whose pixels derive from ``seed``."""
    pixels = hashlib.shake_256(seed).digest(_PNG_SIDE * _PNG_SIDE * 3)
    row = _PNG_SIDE * 3
    raw = b"".join(b"\x00" + pixels[y * row : (y + 1) * row] for y in range(_PNG_SIDE))

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", _PNG_SIDE, _PNG_SIDE, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _audio(body: dict[str, Any], files: dict[str, bytes], kind: str) -> _Response:
    audio = files.get("file")
    if audio is None:
        raise _ApiError(400, "'file' is required (multipart/form-data).", param="file")
    _require_model(body)
    text = f"{kind} {hashlib.sha256(audio).hexdigest()[:12]}"
    response_format = body.get("response_format") or "json"
    if response_format == "json":
        return _Response.json({"text": text})
    if response_format == "text":
        return _Response(200, text.encode(), "text/plain; charset=utf-8")
    if response_format == "verbose_json":
        language = body.get("language") or "english"
        seconds = round(len(audio) / 32000, 3)  # as if 16 kHz 16-bit mono
        return _Response.json(
            {
                "task": "transcribe" if kind == "transcript" else "translate",
                "language": language,
                "duration": seconds,
                "text": text,
                "segments": [],
            }
        )
    raise _ApiError(
        400, "'response_format' must be json, text or verbose_json.", param="response_format"
    )


# -- HTTP plumbing -----------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeOpenAI

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def track(self, sock: socket.socket, is_open: bool) -> None:
        with self._open_lock:
            if is_open:
                self._open.add(sock)
            else:
                self._open.discard(sock)

    def close_connections(self) -> None:
        with self._open_lock:
            open_now = list(self._open)
        for sock in open_now:
            with contextlib.suppress(OSError):  # already closed by the peer
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if self.fake.verbose:
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        self.server.track(self.connection, False)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.fake.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        fake = self.server.fake
        path = urlsplit(self.path).path
        try:
            raw = self._read_body()
        except _ApiError as exc:
            self.close_connection = True  # the rest of the body is still on the wire
            self._send(exc.to_response())
            return
        except ConnectionError:
            self.close_connection = True
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply: _Response | _EventStream
        try:
            if self.command == "GET" and path.startswith("/files/"):
                reply = fake._serve_file(path)
            else:
                body, files = self._parse_body(raw, headers.get("content-type", ""))
                recorded = {k: v for k, v in headers.items() if k != "authorization"}
                fake._record(RecordedCall(self.command, path, body, recorded))
                host = headers.get("host") or f"{fake._host}:{fake.port}"
                reply = fake._handle_api(self.command, path, headers, body, files, host)
        except _ApiError as exc:
            reply = exc.to_response(anthropic=path.rstrip("/") in _ANTHROPIC_PATHS)
        except Exception as exc:  # a bug in the fake: answer 500 and say so, don't hang
            logger.exception("fake OpenAI server failed on %s %s", self.command, path)
            reply = _ApiError(500, f"fake server bug: {exc!r}", type_="server_error").to_response()
        try:
            if isinstance(reply, _EventStream):
                self._send_stream(reply)
            else:
                self._send(reply)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (timeout, closed stream)

    def _read_body(self) -> bytes:
        try:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                return self._read_chunked()
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError as exc:
            raise _ApiError(400, f"Malformed request framing: {exc}") from exc
        if length > _MAX_BODY_BYTES:
            raise _ApiError(413, f"Request body over {_MAX_BODY_BYTES} bytes.")
        buffer = bytearray()
        while len(buffer) < length:
            block = self.rfile.read(min(_READ_BLOCK, length - len(buffer)))
            if not block:
                raise ConnectionError("client closed the connection mid-body")
            buffer += block
        return bytes(buffer)

    def _read_chunked(self) -> bytes:
        buffer = bytearray()
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip(), 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return bytes(buffer)
            if len(buffer) + size > _MAX_BODY_BYTES:
                raise _ApiError(413, f"Request body over {_MAX_BODY_BYTES} bytes.")
            buffer += self.rfile.read(size)
            self.rfile.readline()

    @staticmethod
    def _parse_body(
        raw: bytes, content_type: str
    ) -> tuple[dict[str, Any] | None, dict[str, bytes]]:
        """JSON object or multipart form fields; ``None`` body means unparseable JSON."""
        if content_type.lower().startswith("multipart/form-data"):
            return _parse_multipart(raw, content_type)
        if not raw.strip():
            return {}, {}
        try:
            parsed = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None, {}
        return (parsed if isinstance(parsed, dict) else None), {}

    def _start(self, status: int, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("x-request-id", self.server.fake._next_id("req"))
        for name, value in headers.items():
            self.send_header(name, value)

    def _send(self, reply: _Response) -> None:
        self._start(reply.status, reply.content_type, reply.headers)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def _send_stream(self, stream: _EventStream) -> None:
        fake = self.server.fake
        self._start(200, "text/event-stream; charset=utf-8", {"Cache-Control": "no-cache"})
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for sent, event in enumerate(stream.events):
            if stream.drop_after is not None and sent >= stream.drop_after:
                break
            if sent:
                fake._sleep(fake.stream_chunk_delay)
            head = b"" if stream.done else b"event: " + str(event.get("type")).encode() + b"\n"
            self._write_chunk(head + b"data: " + json.dumps(event).encode() + b"\n\n")
        if stream.drop_after is not None and stream.clean_drop:
            self.wfile.write(b"0\r\n\r\n")  # a proper end of the body, but no [DONE]
            return
        if stream.drop_after is not None:
            # Abrupt end: no [DONE], no terminating zero-size chunk, so the client
            # sees an incomplete chunked body rather than a normal end of stream.
            self.close_connection = True
            return
        if stream.done:
            self._write_chunk(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")


def _parse_multipart(
    raw: bytes, content_type: str
) -> tuple[dict[str, Any] | None, dict[str, bytes]]:
    """Form fields (files summarised) and file contents of a multipart/form-data body."""
    header = email.message.Message()
    header["content-type"] = content_type
    boundary = header.get_boundary()
    if not boundary:
        return None, {}
    fields: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    # Every delimiter is CRLF + "--" + boundary; the first one may lack the CRLF.
    parts = (b"\r\n" + raw).split(b"\r\n--" + boundary.encode())
    for part in parts[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.partition(b"\r\n\r\n")
        part_headers = email.parser.BytesHeaderParser().parsebytes(head.lstrip(b" \t\r\n"))
        name_param = part_headers.get_param("name", header="content-disposition")
        if name_param is None:
            continue
        name = email.utils.collapse_rfc2231_value(name_param)
        filename = part_headers.get_filename()
        if filename is not None:
            files[name] = content
            fields[name] = {
                "filename": filename,
                "content_type": part_headers.get_content_type(),
                "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
            continue
        value = content.decode("utf-8", errors="replace")
        previous = fields.get(name)
        if previous is None:
            fields[name] = value
        elif isinstance(previous, list):
            previous.append(value)
        else:
            fields[name] = [previous, value]
    return fields, files


# -- CLI -------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fake server in the foreground until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m gistcache.testing.fake_openai",
        description="A fake OpenAI-compatible server with deterministic answers.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099, help="0 lets the OS choose")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--stream-chunk-delay", type=float, default=0.0)
    parser.add_argument("--api-key", default="sk-fake")
    parser.add_argument("--no-auth", action="store_true", help="accept any or no API key")
    parser.add_argument("--url-ttl", type=float, default=None, help="image URL lifetime (s)")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    fake = FakeOpenAI(
        latency=args.latency,
        stream_chunk_delay=args.stream_chunk_delay,
        api_key=args.api_key,
        require_key=not args.no_auth,
        url_ttl=args.url_ttl,
        host=args.host,
        port=args.port,
        verbose=args.verbose,
    )
    with fake:
        print(f"fake OpenAI server at {fake.base_url} (api key {fake.api_key!r})", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
