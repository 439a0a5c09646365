"""Build cache requests from API call arguments: scope and key text.

Chat completions are the model: the Responses API (``responses_request``) and Anthropic's
Messages API (``messages_request``) are translated into a chat conversation (instructions or
``system`` as the system prompt, their items or content blocks as turns) and keyed by the same
rules, so that a follow-up means the same thing whichever API it came through.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._errors import InvalidRequest
from ._types import CacheRequest, Scope, stable_hash
from .processors import PREPROCESSORS, KeyParts, Message, message_text, split_conversation

__all__ = [
    "ANSWER_NEUTRAL_PARAMS",
    "chat_request",
    "completion_request",
    "max_tokens_bucket",
    "messages_request",
    "responses_request",
]

#: call arguments that do not change what a correct answer is; every other one is scope
ANSWER_NEUTRAL_PARAMS = frozenset(
    {
        "messages", "prompt", "model", "temperature", "top_p", "stream", "stream_options",
        "user", "metadata", "store", "timeout", "extra_headers", "extra_query", "extra_body",
        "service_tier", "safety_identifier", "prompt_cache_key", "max_retries",
        "max_tokens", "max_completion_tokens",
    }
)


def max_tokens_bucket(value: Any) -> int | None:
    """Round a max_tokens limit up to a power of two: close limits share answers."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidRequest(f"max_tokens must be a positive integer, got {value!r}")
    bucket = 16
    while bucket < value:
        bucket *= 2
    return bucket


def _limit(kwargs: Mapping[str, Any]) -> int | None:
    limit = kwargs.get("max_completion_tokens", kwargs.get("max_tokens"))
    return limit if isinstance(limit, int) and not isinstance(limit, bool) else None


def _scope_params(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    params = {k: v for k, v in kwargs.items() if k not in ANSWER_NEUTRAL_PARAMS and v is not None}
    limit = kwargs.get("max_completion_tokens", kwargs.get("max_tokens"))
    if limit is not None:
        params["max_tokens_bucket"] = max_tokens_bucket(limit)
    return params


def _temperature(kwargs: Mapping[str, Any]) -> float:
    value = kwargs.get("temperature", 0.0)
    if value is None:
        return 0.0
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise InvalidRequest(f"temperature must be a number, got {type(value).__name__}")
    return float(value)


def chat_request(
    kwargs: Mapping[str, Any],
    *,
    namespace: str = "default",
    preprocess: str | Callable[[Sequence[Message]], KeyParts] = "last_user",
    min_similarity: float | None = None,
    max_age: float | None = None,
    context: str = "semantic",
) -> CacheRequest:
    """The cache request of a ``chat.completions.create`` call.

    With the default ``preprocess="last_user"`` and ``context="semantic"``, the key text is the
    last user message and the earlier turns travel as text: a follow-up matches only an entry
    whose conversation means the same. ``context="exact"`` requires the earlier turns to be
    equal (a digest in the scope); other pre-processors give their own key and context digest.
    """
    model = kwargs.get("model")
    if not isinstance(model, str) or not model:
        raise InvalidRequest("model must be a non-empty string")
    messages = kwargs.get("messages")
    if not isinstance(messages, Sequence) or isinstance(messages, (str, bytes)):
        raise InvalidRequest(f"messages must be a list, got {type(messages).__name__}")
    if context not in ("semantic", "exact"):
        raise InvalidRequest(f"context must be 'semantic' or 'exact', got {context!r}")
    conversation = ""
    if preprocess == "last_user" and context == "semantic":
        key_text, conversation = split_conversation(messages)
        # first questions and follow-ups share a partition: a question asked after unrelated
        # small talk still finds its answer; the conversation is judged per entry
        scope_context = ""
    else:
        if isinstance(preprocess, str) and preprocess not in PREPROCESSORS:
            raise InvalidRequest(f"unknown preprocess {preprocess!r}; choose one of "
                                 f"{', '.join(sorted(PREPROCESSORS))}")
        pre = PREPROCESSORS[preprocess] if isinstance(preprocess, str) else preprocess
        key_text, scope_context = pre(messages)
    system = "\n".join(
        message_text(m, i)
        for i, m in enumerate(messages)
        if isinstance(m, Mapping) and m.get("role") in ("system", "developer")
    )
    scope = Scope(
        namespace=namespace, model=model, system=system, params=_scope_params(kwargs),
        context=scope_context,
    )
    return CacheRequest(
        key_text=key_text, scope=scope, temperature=_temperature(kwargs),
        min_similarity=min_similarity, max_age=max_age, context=conversation,
        max_tokens=_limit(kwargs),
    )


def completion_request(
    kwargs: Mapping[str, Any],
    *,
    namespace: str = "default",
    min_similarity: float | None = None,
    max_age: float | None = None,
) -> CacheRequest:
    """The cache request of a legacy ``completions.create`` call."""
    model = kwargs.get("model")
    if not isinstance(model, str) or not model:
        raise InvalidRequest("model must be a non-empty string")
    prompt = kwargs.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
        prompt = prompt[0]
    if not isinstance(prompt, str):
        raise InvalidRequest("prompt must be a string (or a list of one string) to be cached")
    params = _scope_params(kwargs)
    params["endpoint"] = "completions"  # a completion never answers a chat request
    scope = Scope(namespace=namespace, model=model, params=params)
    return CacheRequest(
        key_text=prompt, scope=scope, temperature=_temperature(kwargs),
        min_similarity=min_similarity, max_age=max_age, max_tokens=_limit(kwargs),
    )


# -- the Responses API ----------------------------------------------------------------------

#: Responses arguments that do not change the answer, besides those of chat
_RESPONSES_NEUTRAL = frozenset({"prompt_cache_retention", "prompt_cache_options"})
#: content part types of the Responses API that are text
_TEXT_PARTS = frozenset({"input_text", "output_text", "text"})


def _response_content(content: Any) -> Any:
    """A Responses message's content in chat terms (text parts as ``text``)."""
    if not isinstance(content, list):
        return content
    parts: list[Any] = []
    for part in content:
        if isinstance(part, Mapping) and part.get("type") in _TEXT_PARTS:
            parts.append({"type": "text", "text": part.get("text", "")})
        elif isinstance(part, Mapping) and part.get("type") == "refusal":
            parts.append({"type": "text", "text": part.get("refusal", "")})
        else:
            parts.append(part)  # an image, file or audio part: keyed by its exact data
    return parts


def _response_turn(item: Any, index: int) -> dict[str, Any]:
    """One Responses input item as a chat message."""
    if not isinstance(item, Mapping):
        raise InvalidRequest(f"input item {index} must be an object, got {type(item).__name__}")
    kind = item.get("type", "message")
    if kind == "message" and isinstance(item.get("role"), str):
        return {"role": item["role"], "content": _response_content(item.get("content"))}
    if kind == "function_call":
        call = {"id": item.get("call_id"), "type": "function",
                "function": {"name": item.get("name"), "arguments": item.get("arguments")}}
        return {"role": "assistant", "content": None, "tool_calls": [call]}
    if kind == "function_call_output":
        output = item.get("output")
        return {"role": "tool", "tool_call_id": item.get("call_id"),
                "content": output if isinstance(output, (str, list)) else repr(output)}
    # reasoning, item references, hosted tool calls...: the turn is its exact data
    return {"role": str(kind), "content": [dict(item)]}


def responses_request(
    kwargs: Mapping[str, Any],
    *,
    namespace: str = "default",
    preprocess: str | Callable[[Sequence[Message]], KeyParts] = "last_user",
    min_similarity: float | None = None,
    max_age: float | None = None,
) -> CacheRequest:
    """The cache request of a ``responses.create`` call.

    The key text is the last user input (``input`` itself when it is a string); ``instructions``
    is the system prompt; the earlier input items are the conversation, as in chat. A
    ``previous_response_id`` is conversation state kept upstream: it goes into the scope's
    context, so that an entry never answers a request that continues another response. A call
    in a stored ``conversation`` or in the ``background`` changes state upstream that a cached
    answer would not: such calls are not cached.
    """
    model = kwargs.get("model")
    if not isinstance(model, str) or not model:
        raise InvalidRequest("model must be a non-empty string")
    if kwargs.get("conversation") is not None:
        raise InvalidRequest("a response in a stored conversation adds to it upstream: "
                             "not cached")
    if kwargs.get("background"):
        raise InvalidRequest("a background response is polled for, not answered: not cached")
    raw = kwargs.get("input")
    if isinstance(raw, str):
        turns: list[dict[str, Any]] = [{"role": "user", "content": raw}]
    elif isinstance(raw, list):
        turns = [_response_turn(item, i) for i, item in enumerate(raw)]
    else:
        raise InvalidRequest("input must be a string or a list of items to be cached")
    instructions = kwargs.get("instructions")
    if instructions is not None:
        if not isinstance(instructions, str):
            raise InvalidRequest("instructions must be a string")
        turns.insert(0, {"role": "system", "content": instructions})
    chat: dict[str, Any] = {
        k: v for k, v in kwargs.items()
        if k not in ("input", "instructions", "previous_response_id", "max_output_tokens",
                     "prompt") and k not in _RESPONSES_NEUTRAL
    }
    chat.update(messages=turns, endpoint="responses")
    if kwargs.get("max_output_tokens") is not None:
        chat["max_tokens"] = kwargs["max_output_tokens"]
    if kwargs.get("prompt") is not None:  # a stored prompt template and its variables
        chat["prompt_template"] = kwargs["prompt"]
    if kwargs.get("store") is False:
        # A hit keeps its response's id for continuing from it upstream: an id the upstream
        # did not store is never handed to a caller who may continue from it.
        chat["stored_upstream"] = False
    request = chat_request(chat, namespace=namespace, preprocess=preprocess,
                           min_similarity=min_similarity, max_age=max_age)
    previous = kwargs.get("previous_response_id")
    if previous is None:
        return request
    if not isinstance(previous, str) or not previous:
        raise InvalidRequest("previous_response_id must be a non-empty string")
    scope = dataclasses.replace(
        request.scope, context=stable_hash("previous_response_id", previous,
                                           request.scope.context))
    return dataclasses.replace(request, scope=scope)


# -- Anthropic's Messages API ----------------------------------------------------------------

#: Messages arguments that do not change the answer, besides those of chat
_MESSAGES_NEUTRAL = frozenset({"top_k", "cache_control", "diagnostics", "inference_geo",
                               "speed", "user_profile_id", "workspace_id", "betas"})
#: content blocks that are the model's own notes of an earlier turn, not the conversation
_THINKING = frozenset({"thinking", "redacted_thinking"})


def _anthropic_turns(message: Any, index: int) -> list[dict[str, Any]]:
    """One Anthropic message as chat messages: tool results become ``tool`` turns (as in
    chat, they are not what the user asked), tool uses become tool calls."""
    if not isinstance(message, Mapping) or not isinstance(message.get("role"), str):
        raise InvalidRequest(f"message {index} must be an object with a string 'role'")
    role, content = message["role"], message.get("content")
    if not isinstance(content, list):
        return [{"role": role, "content": content}]
    turns: list[dict[str, Any]] = []
    parts: list[Any] = []
    calls: list[dict[str, Any]] = []
    for block in content:
        kind = block.get("type") if isinstance(block, Mapping) else None
        if kind in _THINKING:
            continue
        if kind == "tool_result":
            result = block.get("content")
            parts_of = result if isinstance(result, list) else \
                [{"type": "text", "text": result if isinstance(result, str) else ""}]
            if block.get("is_error"):  # a failed tool call is another conversation
                parts_of = [{"type": "text", "text": "(tool error)"}, *parts_of]
            turns.append({"role": "tool", "tool_call_id": block.get("tool_use_id"),
                          "content": parts_of})
        elif kind == "tool_use":
            calls.append({"id": block.get("id"), "type": "function",
                          "function": {"name": block.get("name"),
                                       "arguments": json.dumps(block.get("input"), sort_keys=True,
                                                          default=str)}})
        else:
            parts.append(block)  # text, or an image/document keyed by its exact data
    if parts or calls:
        turn = {"role": role, "content": parts}
        if calls:
            turn["tool_calls"] = calls
        turns.append(turn)
    return turns


def messages_request(
    kwargs: Mapping[str, Any],
    *,
    namespace: str = "default",
    preprocess: str | Callable[[Sequence[Message]], KeyParts] = "last_user",
    min_similarity: float | None = None,
    max_age: float | None = None,
) -> CacheRequest:
    """The cache request of an Anthropic ``messages.create`` call.

    ``system`` is the system prompt; ``tools``, ``max_tokens`` (rounded up to a power of two),
    ``stop_sequences``, ``thinking`` and every other argument that changes the answer are scope;
    the conversation is keyed as in chat: the last user text is compared by meaning, the turns
    before it (tool uses and results included) are its context.
    """
    model = kwargs.get("model")
    if not isinstance(model, str) or not model:
        raise InvalidRequest("model must be a non-empty string")
    messages = kwargs.get("messages")
    if not isinstance(messages, Sequence) or isinstance(messages, (str, bytes)):
        raise InvalidRequest(f"messages must be a list, got {type(messages).__name__}")
    turns = [turn for i, m in enumerate(messages) for turn in _anthropic_turns(m, i)]
    system = kwargs.get("system")
    if system is not None:
        turns.insert(0, {"role": "system", "content": system})
    chat: dict[str, Any] = {k: v for k, v in kwargs.items()
                            if k not in ("messages", "system") and k not in _MESSAGES_NEUTRAL}
    chat.update(messages=turns, endpoint="messages")
    return chat_request(chat, namespace=namespace, preprocess=preprocess,
                        min_similarity=min_similarity, max_age=max_age)
