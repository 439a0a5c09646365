"""The Evaluator contract: is a candidate found by the semantic tier a true match?"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from .._types import CacheRequest, Candidate

__all__ = ["Evaluator", "Verdict"]


@dataclass(frozen=True)
class Verdict:
    """An evaluator's decision on one candidate, with the reason when refused."""

    accepted: bool
    reason: str = ""


ACCEPT = Verdict(True)


class Evaluator(ABC):
    """Decides whether a stored entry answers the request."""

    #: entry fields the evaluator reads; the cache refuses a store that does not keep them
    requires: frozenset[str] = frozenset()
    #: the lowest cosine similarity this evaluator can ever accept (a pre-filter for the search)
    floor: float = -1.0

    @abstractmethod
    def judge(self, request: CacheRequest, candidate: Candidate) -> Verdict:
        """Accept or refuse one candidate."""
