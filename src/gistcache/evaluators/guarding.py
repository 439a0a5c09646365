"""The evaluator that runs the meaning guards on a candidate's stored question."""

from __future__ import annotations

from collections.abc import Iterable

from .._errors import ConfigError
from .._types import CacheRequest, Candidate
from ._base import ACCEPT, Evaluator, Verdict
from .guards import GUARDS, load_word_lists, veto

__all__ = ["GuardEvaluator"]


class GuardEvaluator(Evaluator):
    """Refuses a candidate whose question differs in negation, numbers, entities, direction or
    requested format (see :mod:`gistcache.evaluators.guards`)."""

    requires = frozenset({"key_text"})

    def __init__(self, enabled: Iterable[str] | None = None) -> None:
        names = list(GUARDS) if enabled is None else list(enabled)
        unknown = [n for n in names if n not in GUARDS]
        if unknown:
            raise ConfigError(f"unknown guard(s) {', '.join(unknown)}; known: "
                              f"{', '.join(GUARDS)}")
        self.enabled = names
        if names:
            # a word-list file edited into something unreadable fails here, not at a lookup
            load_word_lists()

    def judge(self, request: CacheRequest, candidate: Candidate) -> Verdict:
        """Veto on a meaning-changing difference between the two questions."""
        if not self.enabled:
            return ACCEPT
        reason = veto(request.key_text, candidate.entry.key_text, self.enabled)
        return ACCEPT if reason is None else Verdict(False, reason)
