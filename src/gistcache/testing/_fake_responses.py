"""The fake upstream's OpenAI Responses API (``POST /v1/responses``), plain and streamed.

Answers follow the chat endpoint's rules: ``[fake <model>] answer to: <last user input> (ctx
<digest of model, instructions, input and previous response>)``; "use tool" with function tools
calls the first one; ``max_output_tokens`` cuts the answer (status ``incomplete``); a JSON text
format wraps it in JSON. A ``previous_response_id`` the fake did not issue (or issued with
``store: false``) is a 404, as upstream.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import TYPE_CHECKING, Any

from .fake_openai import _ApiError, _EventStream, _pieces, _require_model, _Response, _words

if TYPE_CHECKING:
    from .fake_openai import FakeOpenAI

__all__ = ["responses"]


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content
                        if isinstance(p, dict) and p.get("type") in ("input_text", "output_text"))
    return ""


def _last_user(items: list[Any]) -> str:
    for item in reversed(items):
        if isinstance(item, dict) and item.get("role") == "user":
            return _text_of(item.get("content"))
    return ""


def _function_name(tools: list[Any]) -> str | None:
    for tool in tools:
        if isinstance(tool, dict) and tool.get("type") == "function":
            name = tool.get("name")
            return name if isinstance(name, str) else "tool"
    return None


def _wants_json(body: dict[str, Any]) -> bool:
    text = body.get("text")
    fmt = text.get("format") if isinstance(text, dict) else None
    return isinstance(fmt, dict) and fmt.get("type") in ("json_object", "json_schema")


def responses(fake: FakeOpenAI, body: dict[str, Any]) -> _Response | _EventStream:
    """Answer one ``POST /v1/responses``."""
    model = _require_model(body)
    raw = body.get("input")
    if isinstance(raw, str) and raw:
        items: list[Any] = [{"role": "user", "content": raw}]
    elif isinstance(raw, list) and raw:
        items = raw
    else:
        raise _ApiError(400, "'input' must be a string or a non-empty list.", param="input")
    previous = body.get("previous_response_id")
    if previous is not None and not fake._knows_response(str(previous)):
        raise _ApiError(404, f"Previous response with id '{previous}' not found.",
                        param="previous_response_id", code="previous_response_not_found")
    question = _last_user(items)
    tools: list[Any] = body["tools"] if isinstance(body.get("tools"), list) else []
    name = _function_name(tools) if body.get("tool_choice") != "none" else None
    status, text = "completed", ""
    if name is not None and "use tool" in question.lower():
        output: list[dict[str, Any]] = [{
            "type": "function_call", "id": fake._next_id("fc"), "call_id": fake._next_id("call"),
            "name": name, "arguments": json.dumps({"query": question}), "status": "completed"}]
        completion_tokens = 1
    else:
        if fake.answer_fn is not None:
            text = fake.answer_fn(body)
        else:
            context = json.dumps([model, body.get("instructions"), items, previous],
                                 sort_keys=True).encode()
            text = (f"[fake {model}] answer to: {question} "
                    f"(ctx {hashlib.sha256(context).hexdigest()[:8]})")
        limit = body.get("max_output_tokens")
        words = text.split()
        if isinstance(limit, int) and 0 < limit < len(words):
            text, status = " ".join(words[:limit]), "incomplete"
        if _wants_json(body):
            text = json.dumps({"answer": text})
        output = [{"type": "message", "id": fake._next_id("msg"), "status": status,
                   "role": "assistant",
                   "content": [{"type": "output_text", "text": text, "annotations": [],
                                "logprobs": []}]}]
        completion_tokens = _words(text)
    prompt_tokens = sum(_words(_text_of(i.get("content"))) for i in items if isinstance(i, dict))
    response_id = fake._next_id("resp")
    whole = {
        "id": response_id, "object": "response", "created_at": int(time.time()),
        "status": status, "error": None,
        "incomplete_details": {"reason": "max_output_tokens"} if status == "incomplete"
        else None,
        "instructions": body.get("instructions"), "max_output_tokens": body.get(
            "max_output_tokens"), "model": model, "output": output,
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": previous, "reasoning": {"effort": None, "summary": None},
        "store": body.get("store", True), "temperature": body.get("temperature", 1.0),
        "text": body.get("text") or {"format": {"type": "text"}},
        "tool_choice": body.get("tool_choice", "auto"), "tools": tools,
        "top_p": body.get("top_p", 1.0), "truncation": "disabled",
        "usage": {"input_tokens": prompt_tokens, "input_tokens_details": {"cached_tokens": 0},
                  "output_tokens": completion_tokens,
                  "output_tokens_details": {"reasoning_tokens": 0},
                  "total_tokens": prompt_tokens + completion_tokens},
        "user": body.get("user"), "metadata": body.get("metadata") or {},
    }
    if body.get("store", True) is not False:
        fake._remember_response(response_id)
    if not body.get("stream"):
        return _Response.json(whole)
    return fake._stream(_events(whole), done=False)


def _events(whole: dict[str, Any]) -> list[dict[str, Any]]:
    """The events the API streams for a response, in its order."""
    events: list[dict[str, Any]] = []

    def add(kind: str, **fields: Any) -> None:
        events.append({"type": kind, "sequence_number": len(events), **fields})

    head = {**whole, "status": "in_progress", "output": [], "usage": None,
            "incomplete_details": None}
    add("response.created", response=head)
    add("response.in_progress", response=head)
    for index, item in enumerate(whole["output"]):
        at = {"item_id": item["id"], "output_index": index}
        if item["type"] == "function_call":
            add("response.output_item.added", output_index=index,
                item={**item, "arguments": "", "status": "in_progress"})
            for piece in _pieces(item["arguments"]):
                add("response.function_call_arguments.delta", **at, delta=piece)
            add("response.function_call_arguments.done", **at, arguments=item["arguments"])
        else:
            add("response.output_item.added", output_index=index,
                item={**item, "status": "in_progress", "content": []})
            part = item["content"][0]
            add("response.content_part.added", **at, content_index=0,
                part={**part, "text": ""})
            for piece in _pieces(part["text"]):
                add("response.output_text.delta", **at, content_index=0, delta=piece,
                    logprobs=[])
            add("response.output_text.done", **at, content_index=0, text=part["text"],
                logprobs=[])
            add("response.content_part.done", **at, content_index=0, part=part)
        add("response.output_item.done", output_index=index, item=item)
    add("response.completed" if whole["status"] == "completed" else "response.incomplete",
        response=whole)
    return events
