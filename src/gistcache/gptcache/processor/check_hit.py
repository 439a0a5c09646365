"""GPTCache's ``check_hit_session``: the default rule of a :class:`~gistcache.gptcache.session.
Session`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["check_hit_session"]


def check_hit_session(cur_session_id: str, cache_session_ids: Sequence[str],
                      cache_questions: Sequence[Any], cache_answer: Any) -> bool:
    """Serve a cached answer only to a session that did not produce or receive it already
    (asking again in the same session gets a fresh answer)."""
    return cur_session_id not in cache_session_ids
