"""Build cache requests from OpenAI-style call arguments: scope and key text."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._errors import InvalidRequest
from ._types import CacheRequest, Scope
from .processors import PREPROCESSORS, KeyParts, Message, message_text, split_conversation

__all__ = ["ANSWER_NEUTRAL_PARAMS", "chat_request", "completion_request", "max_tokens_bucket"]

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
