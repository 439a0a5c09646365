"""GPTCache's similarity evaluations, mapped to gistcache's evaluators."""

from .distance import SearchDistanceEvaluation
from .exact_match import ExactMatchEvaluation

__all__ = ["ExactMatchEvaluation", "SearchDistanceEvaluation"]
