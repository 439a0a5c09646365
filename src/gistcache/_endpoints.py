"""The endpoint table: for each cached API endpoint, everything the one request flow needs.

An :class:`Endpoint` says how a request body becomes a cache request (key text and scope), how
an upstream response becomes a storable :class:`Answer`, how streamed events are accumulated
into one, and how a stored answer is replayed, as a response or as a stream of events (and in
server-sent-event bytes). The library adapters, the GPTCache adapter and the proxy server all
look endpoints up here; none defines its own.

The upstream that answered is part of the scope (``params["upstream"]``): answers of one
provider, base URL or fake are never served for another.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from . import _wire, _wire_anthropic, _wire_responses
from ._cache import Answer, Cache
from ._errors import InvalidRequest
from ._types import CacheRequest, Entry, Scope, stable_hash
from .media import audio_request, image_request
from .requests import chat_request, completion_request, messages_request, responses_request

__all__ = [
    "CHAT",
    "COMPLETION",
    "EMBEDDINGS",
    "ENDPOINTS",
    "IMAGES",
    "MEDIA",
    "MESSAGES",
    "RESPONSES",
    "TRANSCRIPTIONS",
    "TRANSLATIONS",
    "Accumulator",
    "BadBody",
    "Endpoint",
    "KeyOptions",
    "error_body",
    "upstream_id",
]

#: the scope parameter naming the upstream that produced an entry
UPSTREAM_PARAM = "upstream"
#: the scope label of entries produced by gistcache's fake upstream (never a real model)
FAKE_UPSTREAM = "fake-openai"
#: the scope label of Anthropic answers of gistcache's fake upstream
FAKE_ANTHROPIC = "fake-anthropic"

#: Anthropic's error types for the types of OpenAI-shaped errors
_ANTHROPIC_ERROR_TYPES = {"upstream_error": "api_error", "server_error": "api_error"}


def error_body(message: str, type_: str = "invalid_request_error", param: str | None = None,
               code: str | None = None, *, provider: str = "openai") -> bytes:
    """An error response body in the provider's shape (OpenAI's, or Anthropic's)."""
    if provider == "anthropic":
        kind = _ANTHROPIC_ERROR_TYPES.get(type_, type_)
        return json.dumps({"type": "error",
                           "error": {"type": kind, "message": message}}).encode()
    return json.dumps(
        {"error": {"message": message, "type": type_, "param": param, "code": code}}).encode()


def upstream_id(base_url: object) -> str:
    """The scope label of an upstream: its base URL, normalised (scheme and host lower-case)."""
    text = str(base_url).strip().rstrip("/")
    parts = urlsplit(text)
    if not parts.scheme or not parts.netloc:
        return text
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


class BadBody(InvalidRequest):
    """A request body the API itself would refuse (the proxy answers it with a 400)."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class KeyOptions:
    """How a front end keys its requests: namespace, pre-processor, caller's bars, upstream."""

    namespace: str = "default"
    preprocess: str = "last_user"
    min_similarity: float | None = None
    max_age: float | None = None
    upstream: str = ""


class Accumulator(Protocol):
    """Folds a stream's events (plain dicts) into one answer."""

    def add(self, event: Mapping[str, Any]) -> None:
        """Fold one event in."""

    @property
    def complete(self) -> bool:
        """True once the stream has reached its normal end."""

    def answer(self) -> Answer:
        """The assembled answer (not cacheable when incomplete)."""


def with_upstream(request: CacheRequest, upstream: str) -> CacheRequest:
    """The request with its upstream in the scope (unchanged when ``upstream`` is empty)."""
    if not upstream:
        return request
    # built directly rather than with dataclasses.replace: this runs on every request
    scope = request.scope
    scope = Scope(scope.namespace, scope.model, scope.system,
                  {**scope.params, UPSTREAM_PARAM: upstream}, scope.context)
    return CacheRequest(request.key_text, scope, request.temperature, request.min_similarity,
                        request.max_age, request.exact, request.context, request.max_tokens)


@dataclass(frozen=True)
class Endpoint:
    """One cached endpoint and its wire format."""

    name: str
    #: the path under the API root, as the proxy serves it
    path: str
    #: what the endpoint is, for people (OpenAPI summaries, logs)
    title: str
    #: body + options -> the cache request (raises InvalidRequest when it cannot be keyed)
    key_of: Callable[[Mapping[str, Any], KeyOptions], CacheRequest]
    #: structural checks whose failure is the caller's error (raises :class:`BadBody`)
    check: Callable[[Mapping[str, Any]], None]
    #: an upstream response (plain data) -> the storable answer
    answer: Callable[[Any], Answer]
    #: a stored answer -> the response object (plain data), with the model name
    respond: Callable[[Entry | Answer, str], dict[str, Any]]
    #: a stored answer -> the stream events replaying it (model, request body, chunk size)
    events: Callable[[Entry | Answer, str, Mapping[str, Any], int], Iterator[dict[str, Any]]]
    #: a fresh accumulator of this endpoint's stream events
    accumulator: Callable[[], Accumulator]
    #: the data line that ends a stream (OpenAI's ``[DONE]``), None for typed event streams
    done_marker: bytes | None = b"[DONE]"
    #: how an answer is stored, when not as the entry itself (images keep their bytes apart):
    #: (cache, request, body, answer, ttl) -> anything
    keep: Callable[[Cache, CacheRequest, Mapping[str, Any], Answer, float | None], object] \
        | None = None
    #: whose API this is: "openai" or "anthropic" (its upstream, headers and error shape)
    provider: str = "openai"

    def key(self, body: Mapping[str, Any], options: KeyOptions) -> CacheRequest:
        """The cache request of a body, with the upstream in its scope."""
        return with_upstream(self.key_of(body, options), options.upstream)

    def sse(self, event: Mapping[str, Any]) -> bytes:
        """One event as server-sent-event bytes."""
        data = json.dumps(event, separators=(",", ":")).encode()
        if self.done_marker is None:
            return b"event: " + str(event.get("type", "message")).encode() + b"\ndata: " \
                + data + b"\n\n"
        return b"data: " + data + b"\n\n"

    def sse_end(self) -> bytes:
        """What closes a replayed stream."""
        return b"data: " + self.done_marker + b"\n\n" if self.done_marker is not None else b""

    def error_event(self, message: str, code: str) -> bytes:
        """An error reported inside a stream, in this endpoint's terms."""
        error = {"message": message, "type": "upstream_error", "param": None, "code": code}
        if self.done_marker is not None:
            return self.sse({"error": error})
        if self.provider == "anthropic":
            return self.sse({"type": "error", "error": {"type": "api_error", "message": message}})
        return self.sse({"type": "error", "error": error, "code": code, "message": message})

    def error_body(self, message: str, type_: str = "invalid_request_error",
                   param: str | None = None, code: str | None = None) -> bytes:
        """An error response body in this endpoint's shape."""
        return error_body(message, type_, param, code, provider=self.provider)


# -- chat completions and legacy completions -------------------------------------------------


def _check_common(body: Mapping[str, Any]) -> None:
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise BadBody("'model' must be a non-empty string", "model")
    stream = body.get("stream")
    if stream is not None and not isinstance(stream, bool):
        raise BadBody(f"'stream' must be true or false, got {stream!r}", "stream")
    temperature = body.get("temperature")
    if temperature is not None and (
        isinstance(temperature, bool) or not isinstance(temperature, (int, float))
        or not 0 <= temperature <= 2
    ):
        raise BadBody(f"'temperature' must be a number in [0, 2], got {temperature!r}",
                      "temperature")


def _check_chat(body: Mapping[str, Any]) -> None:
    _check_common(body)
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise BadBody("'messages' must be a non-empty list of message objects", "messages")
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise BadBody(f"messages[{i}] must be an object with a string 'role'", "messages")


def _check_completion(body: Mapping[str, Any]) -> None:
    _check_common(body)
    if not isinstance(body.get("prompt"), (str, list)):
        raise BadBody("'prompt' must be a string or a list", "prompt")


def include_usage(body: Mapping[str, Any]) -> bool:
    """Whether a streamed request asked for a final usage chunk."""
    options = body.get("stream_options")
    return isinstance(options, Mapping) and bool(options.get("include_usage"))


def _chat_key(body: Mapping[str, Any], opts: KeyOptions) -> CacheRequest:
    return chat_request(body, namespace=opts.namespace, preprocess=opts.preprocess,
                        min_similarity=opts.min_similarity, max_age=opts.max_age)


def _completion_key(body: Mapping[str, Any], opts: KeyOptions) -> CacheRequest:
    return completion_request(body, namespace=opts.namespace,
                              min_similarity=opts.min_similarity, max_age=opts.max_age)


def _chat_events(source: Entry | Answer, model: str, body: Mapping[str, Any], size: int
                 ) -> Iterator[dict[str, Any]]:
    return _wire.chat_chunks(source, model, chunk_chars=size, include_usage=include_usage(body))


def _completion_events(source: Entry | Answer, model: str, body: Mapping[str, Any], size: int
                       ) -> Iterator[dict[str, Any]]:
    last: dict[str, Any] | None = None
    for chunk in _wire.completion_chunks(source, model, chunk_chars=size):
        last = chunk
        yield chunk
    if include_usage(body) and last is not None:
        yield {**last, "choices": [], "usage": dict(_wire.ZERO_USAGE)}


def _chat_respond(source: Entry | Answer, model: str) -> dict[str, Any]:
    return _wire.chat_completion(source, model)


CHAT = Endpoint(
    "chat", "/v1/chat/completions", "Chat completion", _chat_key, _check_chat,
    _wire.answer_from_chat, _chat_respond, _chat_events, lambda: _wire.StreamAccumulator("chat"))
COMPLETION = Endpoint(
    "completion", "/v1/completions", "Legacy completion", _completion_key, _check_completion,
    _wire.answer_from_completion, _wire.completion, _completion_events,
    lambda: _wire.StreamAccumulator("completion"))

# -- the Responses API and Anthropic's Messages API ----------------------------------------------


def _check_responses(body: Mapping[str, Any]) -> None:
    _check_common(body)
    raw = body.get("input")
    if raw is not None and not isinstance(raw, (str, list)):
        raise BadBody("'input' must be a string or a list of input items", "input")


def _check_messages(body: Mapping[str, Any]) -> None:
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise BadBody("model: Field required", "model")
    limit = body.get("max_tokens")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise BadBody("max_tokens: must be a positive integer", "max_tokens")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise BadBody("messages: must be a non-empty list of messages", "messages")
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") not in ("user", "assistant"):
            raise BadBody(f"messages.{i}.role: must be 'user' or 'assistant'", "messages")
    stream = body.get("stream")
    if stream is not None and not isinstance(stream, bool):
        raise BadBody("stream: must be a boolean", "stream")
    temperature = body.get("temperature")
    if temperature is not None and (
        isinstance(temperature, bool) or not isinstance(temperature, (int, float))
        or not 0 <= temperature <= 1
    ):
        raise BadBody("temperature: must be a number in [0, 1]", "temperature")


def _responses_key(body: Mapping[str, Any], opts: KeyOptions) -> CacheRequest:
    return responses_request(body, namespace=opts.namespace, preprocess=opts.preprocess,
                             min_similarity=opts.min_similarity, max_age=opts.max_age)


def _messages_key(body: Mapping[str, Any], opts: KeyOptions) -> CacheRequest:
    return messages_request(body, namespace=opts.namespace, preprocess=opts.preprocess,
                            min_similarity=opts.min_similarity, max_age=opts.max_age)


def _responses_events(source: Entry | Answer, model: str, body: Mapping[str, Any], size: int
                      ) -> Iterator[dict[str, Any]]:
    return _wire_responses.response_events(source, model, chunk_chars=size)


def _messages_events(source: Entry | Answer, model: str, body: Mapping[str, Any], size: int
                     ) -> Iterator[dict[str, Any]]:
    return _wire_anthropic.message_events(source, model, chunk_chars=size)


#: OpenAI's Responses API: the answer is the stored response itself (its id included)
RESPONSES = Endpoint(
    "responses", "/v1/responses", "Response (Responses API)", _responses_key, _check_responses,
    _wire_responses.answer_from_response, _wire_responses.response, _responses_events,
    _wire_responses.ResponsesAccumulator, done_marker=None)
#: Anthropic's Messages API
MESSAGES = Endpoint(
    "messages", "/v1/messages", "Message (Anthropic Messages API)", _messages_key,
    _check_messages, _wire_anthropic.answer_from_message, _wire_anthropic.message,
    _messages_events, _wire_anthropic.MessageAccumulator, done_marker=None,
    provider="anthropic")

# -- images and audio ----------------------------------------------------------------------------


def _media_controls(request: CacheRequest, opts: KeyOptions) -> CacheRequest:
    return dataclasses.replace(request, min_similarity=opts.min_similarity,
                               max_age=opts.max_age)


def _image_key(body: Mapping[str, Any], opts: KeyOptions) -> CacheRequest:
    return _media_controls(image_request(body, namespace=opts.namespace), opts)


def _check_image(body: Mapping[str, Any]) -> None:
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise BadBody("'prompt' must be a non-empty string", "prompt")
    fmt = body.get("response_format") or "url"
    if fmt not in ("url", "b64_json"):
        raise BadBody(f"'response_format' must be 'url' or 'b64_json', got {fmt!r}",
                      "response_format")


def _image_answer(data: Any) -> Answer:
    # The response as the upstream gave it: shared with coalesced followers as it is; the
    # entry itself is written by ``keep`` (the images' bytes go to the object store).
    if not isinstance(data, Mapping) or not isinstance(data.get("data"), list):
        raise ValueError("not an images response")
    return Answer("", {"response": dict(data)})


def _shared_response(source: Entry | Answer, model: str) -> dict[str, Any]:
    response = (source.payload or {}).get("response")
    if not isinstance(response, Mapping):
        raise ValueError("no stored response to replay")
    return dict(response)


def _no_events(source: Entry | Answer, model: str, body: Mapping[str, Any], size: int
               ) -> Iterator[dict[str, Any]]:
    raise ValueError("this endpoint does not stream")


class _NoStream:
    """The accumulator of an endpoint that never streams."""

    def add(self, event: Mapping[str, Any]) -> None:
        raise ValueError("this endpoint does not stream")

    @property
    def complete(self) -> bool:
        return False

    def answer(self) -> Answer:
        return Answer("", cacheable=False)


def _audio_key(endpoint: str) -> Callable[[Mapping[str, Any], KeyOptions], CacheRequest]:
    def key(body: Mapping[str, Any], opts: KeyOptions) -> CacheRequest:
        if "file" not in body:
            raise InvalidRequest("an audio request needs its 'file'")
        return _media_controls(audio_request(body["file"], body, endpoint=endpoint,
                                             namespace=opts.namespace), opts)

    return key


def _check_audio(body: Mapping[str, Any]) -> None:
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise BadBody("'model' must be a non-empty string", "model")


def _audio_answer(data: Any) -> Answer:
    """``data`` is the upstream's JSON object, or its text for the text formats."""
    if isinstance(data, str):
        return Answer(data, {"kind": "audio", "response": None})
    text = data.get("text") if isinstance(data, Mapping) else None
    if not isinstance(text, str):
        raise ValueError("not a transcription")
    return Answer(text, {"kind": "audio", "response": dict(data)})


def _audio_respond(source: Entry | Answer, model: str) -> dict[str, Any]:
    stored = (source.payload or {}).get("response")
    text = source.answer if isinstance(source, Entry) else source.text
    return dict(stored) if isinstance(stored, Mapping) else {"text": text}


IMAGES = Endpoint(
    "images", "/v1/images/generations", "Image generation", _image_key, _check_image,
    _image_answer, _shared_response, _no_events, _NoStream)
TRANSCRIPTIONS = Endpoint(
    "transcriptions", "/v1/audio/transcriptions", "Audio transcription",
    _audio_key("transcriptions"), _check_audio, _audio_answer, _audio_respond, _no_events,
    _NoStream)
TRANSLATIONS = dataclasses.replace(
    TRANSCRIPTIONS, name="translations", path="/v1/audio/translations",
    title="Audio translation", key_of=_audio_key("translations"))

# -- embeddings ----------------------------------------------------------------------------------

#: embedding call arguments that do not change the vectors
_EMBEDDING_NEUTRAL = frozenset({"input", "model", "encoding_format", "user", "timeout",
                                "extra_headers", "extra_query", "extra_body", "max_retries"})


def embedding_inputs(body: Mapping[str, Any]) -> list[str | list[int]]:
    """The input items of an embeddings request (a string, token ids, or a list of either)."""
    raw = body.get("input")
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list) and raw and all(isinstance(x, int) and not isinstance(x, bool)
                                             for x in raw):
        return [list(raw)]
    if isinstance(raw, list) and raw and all(
            isinstance(x, str) or (isinstance(x, list) and all(isinstance(t, int) for t in x))
            for x in raw):
        return list(raw)
    raise InvalidRequest("input must be a string, a list of strings, or token ids")


def embedding_request(item: str | list[int], body: Mapping[str, Any], opts: KeyOptions
                      ) -> CacheRequest:
    """The exact-only cache request of one input item: keyed by a hash of its exact text (an
    embedding changes with case and spacing, which the exact tier's normal form folds)."""
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise InvalidRequest("model must be a non-empty string")
    text = item if isinstance(item, str) else json.dumps(item)
    params = {k: v for k, v in body.items() if k not in _EMBEDDING_NEUTRAL and v is not None}
    params["endpoint"] = "embeddings"
    if not isinstance(item, str):
        params["tokens"] = True
    request = CacheRequest(stable_hash(text), Scope(namespace=opts.namespace, model=model,
                                                    params=params), exact=True)
    return with_upstream(request, opts.upstream)


def _check_embeddings(body: Mapping[str, Any]) -> None:
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise BadBody("'model' must be a non-empty string", "model")
    try:
        embedding_inputs(body)
    except InvalidRequest as exc:
        raise BadBody(f"'input' {str(exc).removeprefix('input ')}", "input") from None


def _embeddings_key(body: Mapping[str, Any], opts: KeyOptions) -> CacheRequest:
    raise InvalidRequest("an embeddings batch is keyed item by item (embedding_request)")


#: the embeddings endpoint: answered item by item by :meth:`Flow.embed` (no streams)
EMBEDDINGS = Endpoint(
    "embeddings", "/v1/embeddings", "Embeddings", _embeddings_key, _check_embeddings,
    lambda data: Answer("", cacheable=False), _shared_response, _no_events, _NoStream)

#: every endpoint the one flow serves, by name
ENDPOINTS: dict[str, Endpoint] = {e.name: e for e in (CHAT, COMPLETION, EMBEDDINGS, RESPONSES,
                                                       MESSAGES)}
#: the media endpoints (their answers are bytes or keyed by bytes; multipart bodies for audio)
MEDIA: dict[str, Endpoint] = {e.name: e for e in (IMAGES, TRANSCRIPTIONS, TRANSLATIONS)}
