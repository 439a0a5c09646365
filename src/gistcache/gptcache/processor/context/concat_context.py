"""GPTCache's ``ConcatContextProcess`` (see :mod:`gistcache.gptcache.processor.context`)."""

from . import ConcatContextProcess

__all__ = ["ConcatContextProcess"]
