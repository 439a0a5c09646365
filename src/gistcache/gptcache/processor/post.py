"""GPTCache's post-processors: choose one answer among the accepted cached ones.

Passed to ``cache.init(post_process_messages_func=...)`` they select gistcache's own
post-processor of the same meaning; called directly they behave like GPTCache's.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any, TypeVar

from ..._errors import InvalidRequest

__all__ = ["first", "nop", "random_one", "temperature_softmax"]

T = TypeVar("T")


def first(messages: Sequence[T], **params: Any) -> T:
    """The first (most similar) answer."""
    if not messages:
        raise InvalidRequest("there is no answer to choose from")
    return messages[0]


def random_one(messages: Sequence[T], **params: Any) -> T:
    """Any answer, uniformly."""
    if not messages:
        raise InvalidRequest("there is no answer to choose from")
    return random.choice(messages)


def nop(messages: Sequence[T], **params: Any) -> Sequence[T]:
    """Every answer, unchanged (the adapters then serve the first)."""
    return messages


def temperature_softmax(messages: Sequence[T], scores: Sequence[float],
                        temperature: float = 0.0, **params: Any) -> T:
    """Sample an answer by softmax of score / temperature; temperature 0 takes the best."""
    if not messages or len(messages) != len(scores):
        raise InvalidRequest("temperature_softmax needs one score per answer")
    if temperature <= 0:
        return messages[max(range(len(scores)), key=lambda i: scores[i])]
    top = max(scores)
    weights = [math.exp((s - top) / temperature) for s in scores]
    return random.choices(list(messages), weights=weights, k=1)[0]
