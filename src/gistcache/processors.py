"""Pre-processors (request -> key text and context) and post-processors (choose a candidate)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._errors import InvalidRequest
from ._types import Candidate, stable_hash

__all__ = [
    "PREPROCESSORS",
    "KeyParts",
    "all_user_messages",
    "best",
    "first",
    "last_n_turns",
    "last_user_message",
    "message_text",
    "random_choice",
    "split_conversation",
    "temperature_softmax",
]

#: (key text compared by meaning, digest of the context it must share with a stored entry)
KeyParts = tuple[str, str]
Message = Mapping[str, Any]


def message_text(message: Message, index: int = 0) -> str:
    """The text of a chat message; content parts that are not text are named, not dropped."""
    if not isinstance(message, Mapping):
        raise InvalidRequest(f"message {index} must be an object, got {type(message).__name__}")
    content = message.get("content")
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts: list[str] = []
        for part in content:
            if isinstance(part, Mapping) and part.get("type") == "text":
                parts.append(str(part.get("text", "")))
            elif isinstance(part, Mapping):
                # An image or audio part changes the answer: key it by its exact data.
                parts.append(f"<{part.get('type')}:{stable_hash(repr(sorted(part.items())))}>")
            else:
                raise InvalidRequest(f"message {index} has a content part that is not an object")
        return "\n".join(parts)
    raise InvalidRequest(
        f"message {index} content must be a string or a list of parts, got "
        f"{type(content).__name__}"
    )


def _turns(messages: Sequence[Message]) -> list[tuple[str, str]]:
    if not isinstance(messages, Sequence) or isinstance(messages, (str, bytes)):
        raise InvalidRequest(f"messages must be a list, got {type(messages).__name__}")
    turns = []
    for i, m in enumerate(messages):
        text = message_text(m, i)
        role = str(m.get("role", ""))
        if role in ("system", "developer"):
            continue  # the system prompt is part of the scope, not of the key
        extra = m.get("tool_calls") or m.get("function_call") or m.get("tool_call_id")
        if extra:
            text = f"{text}\n{stable_hash(repr(extra))}"
        turns.append((role, text))
    return turns


def _last_user_index(turns: list[tuple[str, str]]) -> int:
    for i in range(len(turns) - 1, -1, -1):
        if turns[i][0] == "user":
            return i
    raise InvalidRequest("messages contain no user message to look up")


def _digest(turns: Sequence[tuple[str, str]]) -> str:
    if not turns:
        return ""
    return stable_hash(*(f"{role}\x1f{' '.join(text.split())}" for role, text in turns))


def last_user_message(messages: Sequence[Message]) -> KeyParts:
    """Default: the last user message, plus a digest of every turn before it.

    A follow-up ("how old is he?") can then only match an entry whose earlier turns are the
    same, while a first question matches its paraphrases.
    """
    turns = _turns(messages)
    i = _last_user_index(turns)
    return turns[i][1], _digest(turns[:i] + turns[i + 1 :])


def split_conversation(messages: Sequence[Message]) -> tuple[str, str]:
    """The last user message, and every other turn as text ("role: text" lines).

    The text form lets the cache judge a follow-up's conversation by meaning: the same follow-up
    hits only where the earlier turns mean the same.
    """
    turns = _turns(messages)
    i = _last_user_index(turns)
    context = "\n".join(f"{role}: {' '.join(text.split())}"
                        for role, text in turns[:i] + turns[i + 1 :])
    return turns[i][1], context


def all_user_messages(messages: Sequence[Message]) -> KeyParts:
    """All user messages joined, compared by meaning as one text (no separate context)."""
    turns = _turns(messages)
    _last_user_index(turns)
    return "\n".join(t for r, t in turns if r == "user"), ""


def last_n_turns(n: int) -> Callable[[Sequence[Message]], KeyParts]:
    """The last user message, with only the ``n`` turns before it as context."""
    if n < 0:
        raise InvalidRequest(f"last_n_turns needs n >= 0, got {n}")

    def pre(messages: Sequence[Message]) -> KeyParts:
        turns = _turns(messages)
        i = _last_user_index(turns)
        return turns[i][1], _digest(turns[max(0, i - n) : i])

    return pre


PREPROCESSORS: dict[str, Callable[[Sequence[Message]], KeyParts]] = {
    "last_user": last_user_message,
    "all_user": all_user_messages,
    "last_user_only": last_n_turns(0),
}


# -- post-processors: choose one of the accepted candidates (best first) ----------------------

PostProcessor = Callable[[Sequence[Candidate], float, random.Random], Candidate]


def best(candidates: Sequence[Candidate], temperature: float, rng: random.Random) -> Candidate:
    """The most similar candidate."""
    return max(candidates, key=lambda c: c.similarity)


def first(candidates: Sequence[Candidate], temperature: float, rng: random.Random) -> Candidate:
    """The first candidate the index returned."""
    return candidates[0]


def random_choice(
    candidates: Sequence[Candidate], temperature: float, rng: random.Random
) -> Candidate:
    """Any accepted candidate, uniformly."""
    return candidates[rng.randrange(len(candidates))]


def temperature_softmax(
    candidates: Sequence[Candidate], temperature: float, rng: random.Random
) -> Candidate:
    """Sample by softmax of similarity / temperature; temperature 0 takes the best."""
    if temperature <= 0 or len(candidates) == 1:
        return best(candidates, temperature, rng)
    top = max(c.similarity for c in candidates)
    weights = [math.exp((c.similarity - top) / temperature) for c in candidates]
    return rng.choices(list(candidates), weights=weights, k=1)[0]


POSTPROCESSORS: dict[str, PostProcessor] = {
    "best": best,
    "first": first,
    "random": random_choice,
    "temperature_softmax": temperature_softmax,
}
