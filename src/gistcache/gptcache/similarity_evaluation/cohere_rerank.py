"""GPTCache's ``CohereRerankEvaluation``: refused (see its message for the gistcache way)."""

from . import CohereRerankEvaluation

__all__ = ["CohereRerankEvaluation"]
