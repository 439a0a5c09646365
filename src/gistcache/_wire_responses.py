"""The OpenAI Responses API wire format, as plain dicts: the storable answer of a response or
of its event stream, and a stored answer replayed as a response or as an event stream.

A stored answer keeps the whole response (its output items: messages, function calls,
reasoning...) so that a hit is the response the model gave, with its **own id**: the upstream
knows that id, so a caller can continue from a hit with ``previous_response_id`` exactly as
from a fresh answer. A hit reports zero usage: it cost no tokens.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ._cache import Answer
from ._types import Entry
from ._wire import _pieces

__all__ = [
    "ZERO_USAGE",
    "ResponsesAccumulator",
    "answer_from_response",
    "response",
    "response_events",
]

ZERO_USAGE: dict[str, Any] = {
    "input_tokens": 0, "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
    "output_tokens": 0, "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 0,
}

#: the events that end a response's stream, by the response's status
_TERMINAL = {"completed": "response.completed", "incomplete": "response.incomplete",
             "failed": "response.failed"}


def _cacheable(data: Mapping[str, Any]) -> bool:
    # A response cut off by max_output_tokens is kept like chat's "length" (its bound is
    # scope); a refusal by a content filter, a failure or one still in progress is not.
    status = data.get("status", "completed")
    reason = (data.get("incomplete_details") or {}).get("reason")
    return status == "completed" or (status == "incomplete" and reason == "max_output_tokens")


def output_text(data: Mapping[str, Any]) -> str:
    """The text of a response's output messages (the SDK's ``output_text``)."""
    return "".join(
        part.get("text") or ""
        for item in data.get("output") or [] if isinstance(item, Mapping)
        and item.get("type") == "message"
        for part in item.get("content") or [] if isinstance(part, Mapping)
        and part.get("type") == "output_text"
    )


def answer_from_response(data: Any) -> Answer:
    """The storable answer of a ``response`` object (plain data)."""
    if not isinstance(data, Mapping) or data.get("object") != "response" \
            or not isinstance(data.get("output"), list) or not isinstance(data.get("id"), str):
        raise ValueError("not a response object")
    usage = data.get("usage") or {}
    stored = {k: v for k, v in data.items() if k != "usage"}
    return Answer(
        text=output_text(data),
        payload={"kind": "responses", "response": stored},
        prompt_tokens=int(usage.get("input_tokens") or 0),
        completion_tokens=int(usage.get("output_tokens") or 0),
        cacheable=_cacheable(data) and bool(data["output"]),
    )


def response(source: Entry | Answer, model: str = "") -> dict[str, Any]:
    """The stored response, with zero usage (``model`` is the stored one's, not replaced)."""
    stored = (source.payload or {}).get("response")
    if not isinstance(stored, Mapping) or not isinstance(stored.get("output"), list):
        raise ValueError("no stored response to replay")
    return {**stored, "usage": dict(ZERO_USAGE)}


def response_events(source: Entry | Answer, model: str = "", *, chunk_chars: int = 16
                    ) -> Iterator[dict[str, Any]]:
    """The event stream of a stored response, as the API streams one: created, in progress,
    each output item (text in small deltas), then completed (or incomplete)."""
    whole = response(source, model)
    sequence = 0

    def event(kind: str, **fields: Any) -> dict[str, Any]:
        nonlocal sequence
        sequence += 1
        return {"type": kind, "sequence_number": sequence - 1, **fields}

    head = {**whole, "status": "in_progress", "output": [], "usage": None,
            "incomplete_details": None}
    head.pop("completed_at", None)
    yield event("response.created", response=head)
    yield event("response.in_progress", response=head)
    for index, item in enumerate(whole["output"]):
        yield from _item_events(event, index, dict(item), chunk_chars)
    kind = _TERMINAL.get(str(whole.get("status", "completed")), "response.completed")
    yield event(kind, response=whole)


def _item_events(event: Any, index: int, item: dict[str, Any], size: int
                 ) -> Iterator[dict[str, Any]]:
    kind = item.get("type")
    where = {"item_id": item.get("id", ""), "output_index": index}
    if kind == "message":
        yield event("response.output_item.added", output_index=index,
                    item={**item, "status": "in_progress", "content": []})
        for n, part in enumerate(item.get("content") or []):
            at = {**where, "content_index": n}
            if part.get("type") == "output_text":
                text = part.get("text") or ""
                yield event("response.content_part.added", **at,
                            part={**part, "text": "", "annotations": []})
                for piece in _pieces(text, size):
                    yield event("response.output_text.delta", **at, delta=piece, logprobs=[])
                yield event("response.output_text.done", **at, text=text, logprobs=[])
            elif part.get("type") == "refusal":
                refusal = part.get("refusal") or ""
                yield event("response.content_part.added", **at, part={**part, "refusal": ""})
                yield event("response.refusal.delta", **at, delta=refusal)
                yield event("response.refusal.done", **at, refusal=refusal)
            else:
                yield event("response.content_part.added", **at, part=part)
            yield event("response.content_part.done", **at, part=part)
    elif kind == "function_call":
        arguments = item.get("arguments") or ""
        yield event("response.output_item.added", output_index=index,
                    item={**item, "arguments": "", "status": "in_progress"})
        yield event("response.function_call_arguments.delta", **where, delta=arguments)
        yield event("response.function_call_arguments.done", **where, arguments=arguments,
                    name=item.get("name"))
    else:  # reasoning, hosted tool calls...: whole, as added and done
        yield event("response.output_item.added", output_index=index, item=item)
    yield event("response.output_item.done", output_index=index, item=item)


class ResponsesAccumulator:
    """Folds a Responses event stream into an answer: the response of its closing event.

    The stream is complete once a closing event (completed, incomplete, failed) or an error
    event arrived; only a completed response (or one cut off by ``max_output_tokens``) is
    cacheable.
    """

    def __init__(self) -> None:
        self._final: Mapping[str, Any] | None = None
        self._ended = False

    def add(self, event: Mapping[str, Any]) -> None:
        """Fold one event in."""
        kind = event.get("type")
        if kind in _TERMINAL.values():
            final = event.get("response")
            if not isinstance(final, Mapping):
                raise ValueError(f"{kind} event without its response")
            self._final, self._ended = final, True
        elif kind == "error":
            self._final, self._ended = None, True

    @property
    def complete(self) -> bool:
        """True once the stream has reached its closing event."""
        return self._ended

    def answer(self) -> Answer:
        """The closing event's response (not cacheable without one)."""
        if self._final is None:
            return Answer("", cacheable=False)
        return answer_from_response(self._final)
