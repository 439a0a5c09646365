"""OpenAI wire format, as plain dicts: answers from responses and streams, responses and
streams from stored answers. Shared by the SDK adapters and the proxy server.

A stored chat answer keeps its choices (messages with tool calls, finish reasons) in the entry's
payload, so that a hit is rebuilt exactly as the model returned it. A hit reports zero token
usage: it cost no tokens.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from ._cache import Answer
from ._types import Entry

__all__ = [
    "CACHEABLE_FINISH",
    "StreamAccumulator",
    "answer_from_chat",
    "answer_from_completion",
    "chat_chunks",
    "chat_completion",
    "completion",
    "completion_chunks",
]

#: finish reasons of answers worth storing (not content_filter, not an error)
CACHEABLE_FINISH = frozenset({"stop", "tool_calls", "function_call", "length", None})

ZERO_USAGE = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}


def _dump(obj: Any) -> Any:
    """A pydantic model (the SDK's types) or plain data as plain data."""
    if hasattr(obj, "model_dump"):
        return obj.model_dump(exclude_unset=False, exclude_none=True)
    return obj


def _usage(resp: Mapping[str, Any]) -> tuple[int, int]:
    usage = resp.get("usage") or {}
    return int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)


def answer_from_chat(response: Any) -> Answer:
    """The storable answer of a chat completion (dict or SDK object)."""
    resp = _dump(response)
    choices = [
        {"index": c.get("index", i), "message": _clean_message(c.get("message") or {}),
         "finish_reason": c.get("finish_reason")}
        for i, c in enumerate(resp.get("choices") or [])
    ]
    if not choices:
        return Answer("", cacheable=False)
    prompt, completion_tokens = _usage(resp)
    cacheable = all(c["finish_reason"] in CACHEABLE_FINISH for c in choices)
    return Answer(
        text=choices[0]["message"].get("content") or "",
        payload={"kind": "chat", "choices": choices},
        prompt_tokens=prompt,
        completion_tokens=completion_tokens,
        cacheable=cacheable,
    )


def _clean_message(message: Mapping[str, Any]) -> dict[str, Any]:
    keep = ("role", "content", "tool_calls", "function_call", "refusal", "audio")
    out = {k: message[k] for k in keep if message.get(k) is not None}
    out.setdefault("role", "assistant")
    out.setdefault("content", None)
    return out


def answer_from_completion(response: Any) -> Answer:
    """The storable answer of a legacy completion (dict or SDK object)."""
    resp = _dump(response)
    choices = [
        {"index": c.get("index", i), "text": c.get("text") or "",
         "finish_reason": c.get("finish_reason")}
        for i, c in enumerate(resp.get("choices") or [])
    ]
    if not choices:
        return Answer("", cacheable=False)
    prompt, completion_tokens = _usage(resp)
    return Answer(
        text=choices[0]["text"],
        payload={"kind": "completion", "choices": choices},
        prompt_tokens=prompt,
        completion_tokens=completion_tokens,
        cacheable=all(c["finish_reason"] in CACHEABLE_FINISH for c in choices),
    )


def _choices(answer: Entry | Answer, kind: str) -> list[dict[str, Any]]:
    payload = answer.payload or {}
    text = answer.answer if isinstance(answer, Entry) else answer.text
    if payload.get("kind") == kind and payload.get("choices"):
        return [dict(c) for c in payload["choices"]]
    if kind == "chat":
        return [{"index": 0, "message": {"role": "assistant", "content": text},
                 "finish_reason": "stop"}]
    return [{"index": 0, "text": text, "finish_reason": "stop"}]


def _ident(prefix: str) -> str:
    return f"{prefix}-gc{uuid.uuid4().hex[:24]}"


def chat_completion(answer: Entry | Answer, model: str, *, usage: bool = False) -> dict[str, Any]:
    """A ``chat.completion`` object for a stored answer (usage zero unless ``usage``)."""
    u = dict(ZERO_USAGE)
    if usage:
        u = {"prompt_tokens": answer.prompt_tokens, "completion_tokens": answer.completion_tokens,
             "total_tokens": answer.prompt_tokens + answer.completion_tokens}
    return {
        "id": _ident("chatcmpl"),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"logprobs": None, **c, "message": _clean_message(c.get("message") or {})}
            for c in _choices(answer, "chat")
        ],
        "usage": u,
    }


def completion(answer: Entry | Answer, model: str) -> dict[str, Any]:
    """A ``text_completion`` object for a stored answer."""
    return {
        "id": _ident("cmpl"),
        "object": "text_completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"logprobs": None, **c} for c in _choices(answer, "completion")],
        "usage": dict(ZERO_USAGE),
    }


def _pieces(text: str, size: int) -> Iterator[str]:
    # Small chunks on word boundaries, like a model's tokens, so that a replayed hit streams.
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            space = text.rfind(" ", start + 1, end)
            if space > start:
                end = space
        yield text[start:end]
        start = end


def chat_chunks(
    answer: Entry | Answer, model: str, *, chunk_chars: int = 16, include_usage: bool = False
) -> Iterator[dict[str, Any]]:
    """``chat.completion.chunk`` objects replaying a stored answer as a stream."""
    ident, created = _ident("chatcmpl"), int(time.time())

    def chunk(index: int, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {"id": ident, "object": "chat.completion.chunk", "created": created,
                "model": model, "choices": [{"index": index, "delta": delta, "logprobs": None,
                                             "finish_reason": finish}]}

    for choice in _choices(answer, "chat"):
        i = choice.get("index", 0)
        message = choice.get("message") or {}
        yield chunk(i, {"role": "assistant", "content": ""})
        for piece in _pieces(message.get("content") or "", chunk_chars):
            yield chunk(i, {"content": piece})
        for n, call in enumerate(message.get("tool_calls") or []):
            yield chunk(i, {"tool_calls": [{"index": n, **call}]})
        if message.get("function_call"):
            yield chunk(i, {"function_call": message["function_call"]})
        yield chunk(i, {}, choice.get("finish_reason") or "stop")
    if include_usage:
        yield {"id": ident, "object": "chat.completion.chunk", "created": created,
               "model": model, "choices": [], "usage": dict(ZERO_USAGE)}


def completion_chunks(
    answer: Entry | Answer, model: str, *, chunk_chars: int = 16
) -> Iterator[dict[str, Any]]:
    """``text_completion`` stream objects replaying a stored answer."""
    ident, created = _ident("cmpl"), int(time.time())
    for choice in _choices(answer, "completion"):
        i = choice.get("index", 0)
        for piece in _pieces(choice.get("text") or "", chunk_chars):
            yield {"id": ident, "object": "text_completion", "created": created, "model": model,
                   "choices": [{"index": i, "text": piece, "logprobs": None,
                                "finish_reason": None}]}
        yield {"id": ident, "object": "text_completion", "created": created, "model": model,
               "choices": [{"index": i, "text": "", "logprobs": None,
                            "finish_reason": choice.get("finish_reason") or "stop"}]}


class StreamAccumulator:
    """Assembles streamed chunks (chat or completion, dicts or SDK objects) into an answer.

    ``answer()`` is cacheable only when every choice reached a finish reason: a stream the
    caller abandoned or the upstream broke off is never stored.
    """

    def __init__(self, kind: str = "chat") -> None:
        self.kind = kind
        self._choices: dict[int, dict[str, Any]] = {}
        self._usage: tuple[int, int] = (0, 0)

    def add(self, chunk: Any) -> None:
        """Fold one chunk in."""
        data = _dump(chunk)
        if data.get("usage"):
            self._usage = _usage(data)
        for c in data.get("choices") or []:
            slot = self._choices.setdefault(
                c.get("index", 0), {"content": [], "tool_calls": {}, "finish_reason": None,
                                    "function_call": None, "role": "assistant"})
            if self.kind == "completion":
                slot["content"].append(c.get("text") or "")
            else:
                delta = c.get("delta") or {}
                if delta.get("content"):
                    slot["content"].append(delta["content"])
                for call in delta.get("tool_calls") or []:
                    have = slot["tool_calls"].setdefault(
                        call.get("index", 0),
                        {"id": None, "type": "function", "function": {"name": "", "arguments": ""}})
                    if call.get("id"):
                        have["id"] = call["id"]
                    if call.get("type"):
                        have["type"] = call["type"]
                    fn = call.get("function") or {}
                    have["function"]["name"] += fn.get("name") or ""
                    have["function"]["arguments"] += fn.get("arguments") or ""
                if delta.get("function_call"):
                    fc = slot["function_call"] or {"name": "", "arguments": ""}
                    fc["name"] += delta["function_call"].get("name") or ""
                    fc["arguments"] += delta["function_call"].get("arguments") or ""
                    slot["function_call"] = fc
            if c.get("finish_reason"):
                slot["finish_reason"] = c["finish_reason"]

    @property
    def complete(self) -> bool:
        """True when every choice has finished."""
        return bool(self._choices) and all(s["finish_reason"] for s in self._choices.values())

    def answer(self) -> Answer:
        """The assembled answer (not cacheable when the stream did not finish)."""
        choices: list[dict[str, Any]] = []
        for index in sorted(self._choices):
            slot = self._choices[index]
            text = "".join(slot["content"])
            if self.kind == "completion":
                choices.append({"index": index, "text": text,
                                "finish_reason": slot["finish_reason"]})
                continue
            message: dict[str, Any] = {"role": "assistant", "content": text or None}
            if slot["tool_calls"]:
                message["tool_calls"] = [slot["tool_calls"][k] for k in sorted(slot["tool_calls"])]
            if slot["function_call"]:
                message["function_call"] = slot["function_call"]
            if message["content"] is None and not slot["tool_calls"] \
                    and not slot["function_call"]:
                message["content"] = ""
            choices.append({"index": index, "message": message,
                            "finish_reason": slot["finish_reason"]})
        first = choices[0] if choices else {}
        text = first.get("text", "") if self.kind == "completion" else \
            (first.get("message", {}).get("content") or "")
        return Answer(
            text=text,
            payload={"kind": self.kind, "choices": choices},
            prompt_tokens=self._usage[0],
            completion_tokens=self._usage[1],
            cacheable=self.complete and all(c["finish_reason"] in CACHEABLE_FINISH
                                            for c in choices),
        )
