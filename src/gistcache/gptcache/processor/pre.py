"""GPTCache's pre-processors: what part of a request is compared.

Passed to ``cache.init(pre_embedding_func=...)`` they select gistcache's own pre-processor,
which also keeps the earlier conversation as scope (so that one follow-up question asked in two
conversations never shares an answer). Called directly they behave like GPTCache's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._errors import InvalidRequest

__all__ = ["all_content", "get_prompt", "last_content"]


def _messages(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    messages = data.get("messages") if isinstance(data, Mapping) else None
    if not isinstance(messages, list) or not messages:
        raise InvalidRequest("the request has no 'messages' list")
    return messages


def last_content(data: Mapping[str, Any], **params: Any) -> Any:
    """The content of the last message."""
    return _messages(data)[-1].get("content")


def all_content(data: Mapping[str, Any], **params: Any) -> str:
    """The contents of every message, one per line."""
    return "\n".join(str(m.get("content") or "") for m in _messages(data))


def get_prompt(data: Mapping[str, Any], **params: Any) -> Any:
    """The ``prompt`` of a completion-style request."""
    if not isinstance(data, Mapping) or "prompt" not in data:
        raise InvalidRequest("the request has no 'prompt'")
    return data["prompt"]
