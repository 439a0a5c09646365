"""Anthropic's Messages API wire format, as plain dicts: the storable answer of a message or
of its event stream, and a stored answer replayed as a message or as an event stream.

A stored answer keeps the message's content blocks (text, tool uses, thinking...) and its stop
reason, so that a hit is rebuilt as the model returned it, with a fresh id and zero usage.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from ._cache import Answer
from ._types import Entry
from ._wire import _pieces

__all__ = [
    "CACHEABLE_STOP",
    "MessageAccumulator",
    "answer_from_message",
    "message",
    "message_events",
]

#: stop reasons of answers worth storing (not a refusal, not a paused server-tool turn)
CACHEABLE_STOP = frozenset({"end_turn", "max_tokens", "stop_sequence", "tool_use"})

ZERO_USAGE: dict[str, Any] = {"input_tokens": 0, "output_tokens": 0,
                              "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}

#: blocks whose ``input`` is streamed as JSON deltas
_TOOL_BLOCKS = frozenset({"tool_use", "server_tool_use"})


def answer_from_message(data: Any) -> Answer:
    """The storable answer of a ``message`` object (plain data)."""
    if not isinstance(data, Mapping) or data.get("type") != "message" \
            or not isinstance(data.get("content"), list):
        raise ValueError("not a message object")
    usage = data.get("usage") or {}
    stored = {k: v for k, v in data.items() if k not in ("usage", "id")}
    text = "".join(b.get("text") or "" for b in data["content"]
                   if isinstance(b, Mapping) and b.get("type") == "text")
    return Answer(
        text=text,
        payload={"kind": "messages", "message": stored},
        prompt_tokens=int(usage.get("input_tokens") or 0),
        completion_tokens=int(usage.get("output_tokens") or 0),
        cacheable=data.get("stop_reason") in CACHEABLE_STOP and bool(data["content"]),
    )


def message(source: Entry | Answer, model: str = "") -> dict[str, Any]:
    """A ``message`` object for a stored answer: a fresh id, zero usage."""
    stored = (source.payload or {}).get("message")
    if not isinstance(stored, Mapping) or not isinstance(stored.get("content"), list):
        raise ValueError("no stored message to replay")
    return {"id": f"msg_gc{uuid.uuid4().hex[:24]}", **stored,
            "model": stored.get("model") or model, "usage": dict(ZERO_USAGE)}


def message_events(source: Entry | Answer, model: str = "", *, chunk_chars: int = 16
                   ) -> Iterator[dict[str, Any]]:
    """The event stream of a stored message, as the API streams one: message_start, each
    content block (start, deltas, stop), message_delta, message_stop."""
    whole = message(source, model)
    yield {"type": "message_start",
           "message": {**whole, "content": [], "stop_reason": None, "stop_sequence": None}}
    for index, block in enumerate(whole["content"]):
        yield from _block_events(index, dict(block), chunk_chars)
    yield {"type": "message_delta",
           "delta": {"stop_reason": whole.get("stop_reason"),
                     "stop_sequence": whole.get("stop_sequence")},
           "usage": {"output_tokens": 0}}
    yield {"type": "message_stop"}


def _block_events(index: int, block: dict[str, Any], size: int) -> Iterator[dict[str, Any]]:
    kind = block.get("type")

    def delta(**fields: Any) -> dict[str, Any]:
        return {"type": "content_block_delta", "index": index, "delta": fields}

    if kind == "text":
        citations = block.get("citations") or []
        start = {**block, "text": ""}
        if citations:
            start["citations"] = []
        yield {"type": "content_block_start", "index": index, "content_block": start}
        for piece in _pieces(block.get("text") or "", size):
            yield delta(type="text_delta", text=piece)
        for citation in citations:
            yield delta(type="citations_delta", citation=citation)
    elif kind in _TOOL_BLOCKS:
        yield {"type": "content_block_start", "index": index,
               "content_block": {**block, "input": {}}}
        arguments = json.dumps(block.get("input") or {})
        for piece in _pieces(arguments, size):
            yield delta(type="input_json_delta", partial_json=piece)
    elif kind == "thinking":
        yield {"type": "content_block_start", "index": index,
               "content_block": {**block, "thinking": "", "signature": ""}}
        for piece in _pieces(block.get("thinking") or "", size):
            yield delta(type="thinking_delta", thinking=piece)
        yield delta(type="signature_delta", signature=block.get("signature") or "")
    else:  # redacted thinking, server tool results...: whole at its start
        yield {"type": "content_block_start", "index": index, "content_block": block}
    yield {"type": "content_block_stop", "index": index}


class MessageAccumulator:
    """Folds a Messages event stream into one message.

    Complete once ``message_stop`` (or an error event) arrived; cacheable only with a stop
    reason worth storing.
    """

    def __init__(self) -> None:
        self._message: dict[str, Any] | None = None
        self._blocks: dict[int, dict[str, Any]] = {}
        self._json: dict[int, list[str]] = {}
        self._ended = False
        self._failed = False

    def add(self, event: Mapping[str, Any]) -> None:
        """Fold one event in."""
        kind = event.get("type")
        if kind == "message_start":
            self._message = dict(event["message"])
        elif kind == "content_block_start":
            self._blocks[int(event["index"])] = dict(event["content_block"])
        elif kind == "content_block_delta":
            self._delta(self._blocks[int(event["index"])], int(event["index"]), event["delta"])
        elif kind == "content_block_stop":
            index = int(event["index"])
            if index in self._json:
                text = "".join(self._json.pop(index))
                self._blocks[index]["input"] = json.loads(text) if text else {}
        elif kind == "message_delta":
            if self._message is None:
                raise ValueError("message_delta before message_start")
            self._message.update(event.get("delta") or {})
            usage = dict(self._message.get("usage") or {})
            usage.update({k: v for k, v in (event.get("usage") or {}).items() if v is not None})
            self._message["usage"] = usage
        elif kind == "message_stop":
            self._ended = True
        elif kind == "error":
            self._ended = self._failed = True

    def _delta(self, block: dict[str, Any], index: int, delta: Mapping[str, Any]) -> None:
        kind = delta.get("type")
        if kind == "text_delta":
            block["text"] = (block.get("text") or "") + str(delta.get("text") or "")
        elif kind == "input_json_delta":
            self._json.setdefault(index, []).append(str(delta.get("partial_json") or ""))
        elif kind == "thinking_delta":
            block["thinking"] = (block.get("thinking") or "") + str(delta.get("thinking") or "")
        elif kind == "signature_delta":
            block["signature"] = delta.get("signature")
        elif kind == "citations_delta":
            block.setdefault("citations", []).append(delta.get("citation"))
        else:
            raise ValueError(f"unknown content block delta {kind!r}")

    @property
    def complete(self) -> bool:
        """True once the stream has reached ``message_stop`` (or an error)."""
        return self._ended

    def answer(self) -> Answer:
        """The assembled message (not cacheable when the stream failed or did not end)."""
        if self._message is None or self._failed or not self._ended:
            return Answer("", cacheable=False)
        whole = {**self._message, "content": [self._blocks[i] for i in sorted(self._blocks)]}
        return answer_from_message(whole)
