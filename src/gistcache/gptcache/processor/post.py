"""GPTCache's post-processors: choose among the answers of the accepted cached entries.

``temperature_softmax``, ``first`` and ``random_one`` passed to ``cache.init`` select
gistcache's own post-processor of the same meaning. ``nop`` returns every accepted answer:
``adapter.api.get`` then returns the list (best first), and the OpenAI adapter serves the
first. Any other function is called with the list of answers, best first, and must return one
of them (or what ``get`` should return). Called directly they behave like GPTCache's.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any, TypeVar

from ..._errors import InvalidRequest

__all__ = ["first", "nop", "random_one", "temperature_softmax"]

T = TypeVar("T")


def first(messages: Sequence[T], **_: Any) -> T:
    """The first (most similar) answer."""
    if not messages:
        raise InvalidRequest("there is no answer to choose from")
    return messages[0]


def random_one(messages: Sequence[T], **_: Any) -> T:
    """Any answer, uniformly."""
    if not messages:
        raise InvalidRequest("there is no answer to choose from")
    return random.choice(messages)


def nop(messages: Sequence[T], **_: Any) -> Sequence[T]:
    """Every answer, unchanged."""
    return messages


def temperature_softmax(messages: Sequence[T], scores: Sequence[float],
                        temperature: float = 0.0, **_: Any) -> T:
    """Sample an answer by softmax of score / temperature; temperature 0 takes the best."""
    if not messages or len(messages) != len(scores):
        raise InvalidRequest("temperature_softmax needs one score per answer")
    if temperature <= 0:
        return messages[max(range(len(scores)), key=lambda i: scores[i])]
    top = max(scores)
    weights = [math.exp((s - top) / temperature) for s in scores]
    return random.choices(list(messages), weights=weights, k=1)[0]
