"""GPTCache's ``SequenceMatchEvaluation``: refused (see its message for the gistcache way)."""

from . import SequenceMatchEvaluation

__all__ = ["SequenceMatchEvaluation"]
