"""GPTCache's ``ContextProcess`` (see :mod:`gistcache.gptcache.processor.context`)."""

from . import ContextProcess

__all__ = ["ContextProcess"]
