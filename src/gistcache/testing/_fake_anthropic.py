"""The fake upstream's Anthropic Messages API (``POST /v1/messages``), plain and streamed.

Anthropic's shapes throughout: the key in ``x-api-key`` (or as a bearer token), an
``anthropic-version`` header required, errors as ``{"type": "error", "error": {"type",
"message"}}``, streams of named events (message_start, ping, content_block_start/delta/stop,
message_delta, message_stop). Answers:
``[fake <model>] answer to: <last user text> (ctx <digest of model, system and messages>)``;
"use tool" with tools calls the first one; ``max_tokens`` words cut the answer (stop reason
``max_tokens``); a stop sequence found in the answer ends it there (``stop_sequence``).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from .fake_openai import _ApiError, _EventStream, _pieces, _require_model, _Response, _words

if TYPE_CHECKING:
    from .fake_openai import FakeOpenAI

__all__ = ["ERROR_TYPES", "count_tokens", "messages"]

#: Anthropic's error type for each status
ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error",
               403: "permission_error", 404: "not_found_error", 413: "request_too_large",
               429: "rate_limit_error", 500: "api_error", 529: "overloaded_error"}


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(b.get("text", "")) for b in content
                        if isinstance(b, dict) and b.get("type") == "text")
    return ""


def _last_user(messages: list[Any]) -> str:
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            text = _text_of(message.get("content"))
            if text:
                return text
    return ""


def messages(fake: FakeOpenAI, body: dict[str, Any]) -> _Response | _EventStream:
    """Answer one ``POST /v1/messages``."""
    model = _require_model(body)
    limit = body.get("max_tokens")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise _ApiError(400, "max_tokens: Field required (a positive integer)")
    turns = body.get("messages")
    if not isinstance(turns, list) or not turns or any(
            not isinstance(m, dict) or m.get("role") not in ("user", "assistant") for m in turns):
        raise _ApiError(400, "messages: a non-empty list of user and assistant messages")
    question = _last_user(turns)
    tools: list[Any] = body["tools"] if isinstance(body.get("tools"), list) else []
    stop_sequence = None
    if tools and "use tool" in question.lower():
        first = tools[0] if isinstance(tools[0], dict) else {}
        block: dict[str, Any] = {"type": "tool_use", "id": fake._next_id("toolu"),
                                 "name": first.get("name", "tool"), "input": {"query": question}}
        stop_reason, output_tokens = "tool_use", 1
    else:
        if fake.answer_fn is not None:
            text = fake.answer_fn(body)
        else:
            context = json.dumps([model, body.get("system"), turns], sort_keys=True).encode()
            text = (f"[fake {model}] answer to: {question} "
                    f"(ctx {hashlib.sha256(context).hexdigest()[:8]})")
        stop_reason = "end_turn"
        for sequence in body.get("stop_sequences") or []:
            if isinstance(sequence, str) and sequence and sequence in text:
                text, stop_reason, stop_sequence = text.split(sequence)[0], "stop_sequence", \
                    sequence
                break
        words = text.split()
        if len(words) > limit:
            text, stop_reason, stop_sequence = " ".join(words[:limit]), "max_tokens", None
        block = {"type": "text", "text": text}
        output_tokens = _words(text)
    input_tokens = sum(_words(_text_of(m.get("content"))) for m in turns) \
        + _words(_text_of(body.get("system")))
    whole = {"id": fake._next_id("msg"), "type": "message", "role": "assistant",
             "model": model, "content": [block], "stop_reason": stop_reason,
             "stop_sequence": stop_sequence,
             "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens}}
    if not body.get("stream"):
        return _Response.json(whole)
    return fake._stream(_events(whole), done=False)


def count_tokens(body: dict[str, Any]) -> _Response:
    """Answer one ``POST /v1/messages/count_tokens`` (a word is a token here)."""
    _require_model(body)
    turns = body.get("messages")
    if not isinstance(turns, list) or not turns:
        raise _ApiError(400, "messages: a non-empty list of user and assistant messages")
    words = sum(_words(_text_of(m.get("content"))) for m in turns if isinstance(m, dict))
    return _Response.json({"input_tokens": words + _words(_text_of(body.get("system")))})


def _events(whole: dict[str, Any]) -> list[dict[str, Any]]:
    """The events the API streams for a message, in its order (a ping included)."""
    start = {**whole, "content": [], "stop_reason": None, "stop_sequence": None,
             "usage": {"input_tokens": whole["usage"]["input_tokens"], "output_tokens": 1}}
    events: list[dict[str, Any]] = [{"type": "message_start", "message": start},
                                    {"type": "ping"}]
    for index, block in enumerate(whole["content"]):
        if block["type"] == "tool_use":
            events.append({"type": "content_block_start", "index": index,
                           "content_block": {**block, "input": {}}})
            deltas = [{"type": "input_json_delta", "partial_json": piece}
                      for piece in _pieces(json.dumps(block["input"]))]
        else:
            events.append({"type": "content_block_start", "index": index,
                           "content_block": {"type": "text", "text": ""}})
            deltas = [{"type": "text_delta", "text": piece} for piece in _pieces(block["text"])]
        events.extend({"type": "content_block_delta", "index": index, "delta": d}
                      for d in deltas)
        events.append({"type": "content_block_stop", "index": index})
    events.append({"type": "message_delta",
                   "delta": {"stop_reason": whole["stop_reason"],
                             "stop_sequence": whole["stop_sequence"]},
                   "usage": {"output_tokens": whole["usage"]["output_tokens"]}})
    events.append({"type": "message_stop"})
    return events
