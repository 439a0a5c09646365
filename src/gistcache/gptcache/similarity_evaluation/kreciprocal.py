"""GPTCache's ``KReciprocalEvaluation``: refused (see its message for the gistcache way)."""

from . import KReciprocalEvaluation

__all__ = ["KReciprocalEvaluation"]
